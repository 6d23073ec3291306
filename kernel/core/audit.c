// SPDX-License-Identifier: GPL-2.0-only
/*
 * The audit sink (audit.h): set once at module init, before any instance
 * exists, and cleared at exit after the last one is gone.
 */
#include <linux/compiler.h>
#include <uapi/linux/ksf.h>

#include "audit.h"

static ksf_audit_sink_t ksf_audit_sink;

void ksf_audit_set_sink(ksf_audit_sink_t sink)
{
	WRITE_ONCE(ksf_audit_sink, sink);
}

void ksf_event(struct ksf_net *kn, u32 type, const char *peer, u64 key,
	       u32 service, const char *reason)
{
	ksf_audit_sink_t sink = READ_ONCE(ksf_audit_sink);

	if (sink)
		sink(kn, type, peer, key, 0, service, reason);
}

/* A key replaced: @key holds the new key now, @new_key is retired. */
void ksf_event_replaced(struct ksf_net *kn, const char *peer, u64 key,
			u64 new_key)
{
	ksf_audit_sink_t sink = READ_ONCE(ksf_audit_sink);

	if (sink)
		sink(kn, KSF_EVENT_KEY_REPLACED, peer, key, new_key, 0,
		     "replaced");
}
