/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Peers: the parties an instance serves or trusts (nf, ksf, ue), each
 * with its trusted policy, its keys and its contexts.
 */
#ifndef _KSF_CORE_PEER_H
#define _KSF_CORE_PEER_H

#include <linux/list.h>
#include <linux/rhashtable-types.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/uidgid.h>

#include <uapi/linux/ksf.h>

#include "../crypto/x25519.h"

struct ksf_net;
struct ksf_policy;
struct netlink_ext_ack;

/*
 * What a peer-new, -set or -restore asks, decoded by the transport.  The
 * ids of a binding are as the request's user namespace sees them.
 */
struct ksf_peer_spec {
	const char *id;			/* ksf_id_check()ed */
	u32 kind;			/* new, restore */
	const u8 *public_key;		/* new, restore; ksf peers: 32 bytes */
	bool has_uid, has_gid;
	u32 uid, gid;
	bool has_psk;			/* ksf peers: new, set, restore */
	u64 psk;			/* a psk key's handle, 0: none */
	bool reset_ts;			/* set: forget the handshake mark */
	const u8 *mark;			/* restore: KSF_NOISE_TS_LEN bytes */
	/*
	 * The peer's policy from the request on top of @old (NULL: a new
	 * peer's defaults), called under the instance lock; NULL: a set
	 * that keeps the policy.
	 */
	struct ksf_policy *(*policy)(const void *arg,
				     const struct ksf_policy *old,
				     struct netlink_ext_ack *extack);
	const void *policy_arg;
};

/* Who an nf peer is: replaced whole under RCU, never edited in place. */
struct ksf_binding {
	struct rcu_head rcu;
	bool has_uid;
	bool has_gid;
	kuid_t uid;
	kgid_t gid;
};

struct ksf_peer {
	struct rhash_head node;
	struct list_head kind_node;	/* on ksf_net.nf_peers or .ksf_peers */
	struct rcu_head rcu;
	refcount_t ref;
	struct ksf_net *kn;
	struct ksf_policy __rcu *policy;
	struct list_head timers;	/* struct ksf_timer, under kn->lock */
	u32 kind;
	bool linked;			/* in the tables, under kn->lock */
	struct ksf_binding __rcu *binding;	/* nf peers; NULL for others */
	atomic_t n_keys;
	atomic_t n_contexts;
	atomic_t verify_failures;
	spinlock_t key_lock;		/* keys, contexts, keys_closed */
	struct list_head keys;		/* keys it owns (ksf_key.owner_node) */
	struct list_head contexts;	/* its contexts (ksf_ctx.owner_node) */
	bool keys_closed;		/* deleted: no new keys or contexts */
	u32 listen_portid;		/* its timer results' socket, 0: none */
	struct ratelimit_state hs_rs;	/* handshake-inits it carries in */
	bool has_public_key;		/* a ksf peer's, fixed for its life */
	u8 public_key[KSF_X25519_LEN];
	u64 key_id;			/* of public_key */
	struct ksf_chan *chan;		/* with a public key (channel.h) */
	char id[KSF_PEER_ID_LEN];
};

struct ksf_peer *ksf_peer_get(struct ksf_net *kn, const char *id);
struct ksf_peer *ksf_peer_of_caller(struct ksf_net *kn);
void ksf_peer_put(struct ksf_peer *p);
int ksf_peer_new(struct ksf_net *kn, const struct ksf_peer_spec *spec,
		 struct netlink_ext_ack *extack);
int ksf_peer_set(struct ksf_net *kn, const struct ksf_peer_spec *spec,
		 struct netlink_ext_ack *extack);
struct ksf_peer *ksf_peer_unlink(struct ksf_net *kn, const char *id,
				 struct netlink_ext_ack *extack);
int ksf_peer_restore(struct ksf_net *kn, const struct ksf_peer_spec *spec,
		     struct netlink_ext_ack *extack);
int ksf_peers_init(struct ksf_net *kn);
void ksf_peers_destroy(struct ksf_net *kn);
size_t ksf_peer_size(void);
int ksf_id_check(const char *s, int len, struct netlink_ext_ack *extack);
bool ksf_id_printable(const char *id);

#endif /* _KSF_CORE_PEER_H */
