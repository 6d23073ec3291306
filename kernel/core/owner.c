// SPDX-License-Identifier: GPL-2.0-only
/*
 * Deleting a peer: out of the tables first (no new key or context can be
 * charged to it), then its contexts and keys, then the event.
 */
#include <linux/err.h>
#include "../ksf.h"
#include "audit.h"
#include "context.h"
#include "keystore.h"
#include "owner.h"
#include "peer.h"

int ksf_peer_del(struct ksf_net *kn, const char *id,
		 struct netlink_ext_ack *extack)
{
	struct ksf_peer *p = ksf_peer_unlink(kn, id, extack);

	if (IS_ERR(p))
		return PTR_ERR(p);
	ksf_contexts_destroy_owned(kn, p);
	ksf_keys_destroy_owned(kn, p);
	ksf_event(kn, KSF_EVENT_PEER_CHANGE, p->id, 0, 0, "deleted");
	ksf_peer_put(p);	/* the tables' reference */
	ksf_peer_put(p);
	return 0;
}
