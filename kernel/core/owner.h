/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Ownership across the core's objects: a peer owns keys and contexts, so
 * deleting it reaches all three.  It lives here, above peer, keystore and
 * context, so that none of them calls another's teardown.
 */
#ifndef _KSF_CORE_OWNER_H
#define _KSF_CORE_OWNER_H

struct ksf_net;
struct netlink_ext_ack;

int ksf_peer_del(struct ksf_net *kn, const char *id,
		 struct netlink_ext_ack *extack);

#endif
