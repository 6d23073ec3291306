/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The audit sink: what happened to an instance's objects and requests
 * (key expiry, policy change, rejection, verify failure).  The layer that
 * carries events registers the sink at module init (today the netlink
 * events group, netlink/request.c); core and services only call
 * ksf_event().
 */
#ifndef _KSF_CORE_AUDIT_H
#define _KSF_CORE_AUDIT_H

#include <linux/types.h>

struct ksf_net;

typedef void (*ksf_audit_sink_t)(struct ksf_net *kn, u32 type,
				 const char *peer, u64 key, u64 new_key,
				 u32 service, const char *reason);

void ksf_audit_set_sink(ksf_audit_sink_t sink);
void ksf_event(struct ksf_net *kn, u32 type, const char *peer, u64 key,
	       u32 service, const char *reason);
void ksf_event_replaced(struct ksf_net *kn, const char *peer, u64 key,
			u64 new_key);

#endif /* _KSF_CORE_AUDIT_H */
