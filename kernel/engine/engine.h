/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The engine: runs one typed request (services/item.h) through the one
 * policy decision point, its context and key, then its service; the
 * registry of service descriptors.
 */
#ifndef _KSF_ENGINE_ENGINE_H
#define _KSF_ENGINE_ENGINE_H

#include <linux/types.h>

struct ksf_item;
struct ksf_net;
struct ksf_req;
struct ksf_service_ops;

void ksf_engine_run(struct ksf_net *kn, struct ksf_item *it);
size_t ksf_engine_out_max(u32 service, const struct ksf_req *req);

/* registry.c */
const struct ksf_service_ops *ksf_service_ops(u32 service);
const char *ksf_registry_check_one(u32 service,
				   const struct ksf_service_ops *ops);
int ksf_registry_check(void);

#endif /* _KSF_ENGINE_ENGINE_H */
