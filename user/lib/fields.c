// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libksf: the names of enum values and the fields of items, results and
 * policies, from the tables gen-fields.py generates from the YNL spec.
 */
#include "internal.h"
#include "ksf-fields.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const struct ksfl_name_table *ksfl_names(enum ksf_name_table t)
{
	if ((unsigned int)t >= ARRAY_SIZE(ksfl_name_tables) ||
	    !ksfl_name_tables[t].names)
		return NULL;
	return &ksfl_name_tables[t];
}

unsigned int ksfl_service_fam(uint32_t service)
{
	return service < ARRAY_SIZE(ksfl_service_family) ?
	       ksfl_service_family[service] : 0;
}

const struct ksfl_family *ksfl_family(unsigned int fam)
{
	return fam && fam < ARRAY_SIZE(ksfl_families) ? &ksfl_families[fam] :
	       NULL;
}

const struct ksfl_family *ksfl_result_family(unsigned int type)
{
	size_t i;

	for (i = 1; i < ARRAY_SIZE(ksfl_families); i++)
		if (ksfl_families[i].result_nest &&
		    ksfl_families[i].result_nest == type)
			return &ksfl_families[i];
	return NULL;
}

const struct ksfl_fdesc *ksfl_item_common(size_t *n)
{
	*n = ARRAY_SIZE(ksft_item_common);
	return ksft_item_common;
}

const struct ksfl_fdesc *ksfl_result_common(size_t *n)
{
	*n = ARRAY_SIZE(ksft_result_common);
	return ksft_result_common;
}

const struct ksfl_fdesc *ksfl_policy_fields(size_t *n)
{
	*n = ARRAY_SIZE(ksft_policy_fields);
	return ksft_policy_fields;
}

size_t ksfl_result_max(void)
{
	return KSFL_RESULT_MAX;
}

const struct ksfl_fdesc *ksfl_find(const struct ksfl_fdesc *t, size_t n,
				   const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < n; i++)
		if (t[i].name && !strcmp(t[i].name, name))
			return &t[i];
	return NULL;
}

int ksfl_nth(const void *obj, const void *f, size_t i, size_t n)
{
	if (!obj || !f)
		return -EINVAL;
	return i < n ? 0 : -ENOENT;
}

int ksfl_fits(const struct ksfl_fdesc *d, uint64_t v, const char *what)
{
	if (d->kind == KSF_KIND_U8 && v > UINT8_MAX)
		return err_set(-EINVAL, "%s %s is a u8: %" PRIu64
			       " is out of range", what, d->name, v);
	return 0;
}
