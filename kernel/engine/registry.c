// SPDX-License-Identifier: GPL-2.0-only
/*
 * The service registry: one descriptor per service of the spec's enum,
 * generated (ksf-registry-gen.c, make spec) from the spec and
 * ksf-services.yaml.  Adding a service: its enum entry and family in the
 * spec, its descriptor ksf_svc_<name> in its family's file of
 * kernel/services/ (Documentation/adding-a-service.rst).
 */
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/string.h>

#include "../services/services.h"
#include "engine.h"

/* [KSF_SERVICE_X] = &ksf_svc_x for each service of the spec's enum. */
#include "ksf-registry-gen.c"

/* The generated table covers the enum (a stale one fails here). */
static_assert(ARRAY_SIZE(registry) == __KSF_SERVICE_MAX);

const struct ksf_service_ops *ksf_service_ops(u32 service)
{
	if (!service || service >= ARRAY_SIZE(registry))
		return NULL;
	return registry[service];
}

/* What is wrong with @ops as the descriptor of @service, or NULL. */
const char *ksf_registry_check_one(u32 service,
				   const struct ksf_service_ops *ops)
{
	if (!ops)
		return "no descriptor";
	if (!ops->run || !ops->name)
		return "no name or run";
	if (strcmp(ops->name, ksf_service_name(service)))
		return "name differs from the spec's";
	if (ops->family != ksf_service_family(service))
		return "family differs from ksf-services.yaml";
	if (ops->fields & ~ksf_args_fields(ops->family))
		return "takes fields its family has not";
	if (!ops->algs && !(ops->needs & KSF_NEEDS_CONTEXT))
		return "accepts no algorithm";
	if (!!ops->usage != !!(ops->needs & KSF_NEEDS_KEY))
		return "key usage and needs disagree";
	return NULL;
}

/* Every service of the enum has a sound descriptor (module init). */
int ksf_registry_check(void)
{
	const char *why;
	u32 s;

	for (s = 1; s <= KSF_SERVICE_MAX; s++) {
		why = ksf_registry_check_one(s, ksf_service_ops(s));
		if (why) {
			pr_err("ksf: service %u (%s): %s\n", s,
			       ksf_service_name(s) ?: "?", why);
			return -EINVAL;
		}
	}
	return 0;
}
