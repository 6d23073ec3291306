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

struct ksf_net;
struct ksf_policy;
struct nlattr;
struct netlink_ext_ack;
struct sk_buff;

/*
 * The policy's wire codec, registered at module init by the transport:
 * parse a policy nest on top of @old (NULL: the defaults), fill one, the
 * most bytes a fill of @pol (NULL: of any policy) takes.
 */
struct ksf_policy_codec {
	struct ksf_policy *(*parse)(const struct nlattr *nest,
				    const struct ksf_policy *old,
				    struct netlink_ext_ack *extack);
	int (*fill)(struct sk_buff *skb, const struct ksf_policy *pol);
	size_t (*fill_size)(const struct ksf_policy *pol);
};

void ksf_policy_set_codec(const struct ksf_policy_codec *codec);
struct ksf_policy *ksf_policy_parse(const struct nlattr *nest,
				    const struct ksf_policy *old,
				    struct netlink_ext_ack *extack);
size_t ksf_policy_fill_size(const struct ksf_policy *pol);
int ksf_policy_fill(struct sk_buff *skb, const struct ksf_policy *pol);

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
	struct list_head nf_node;	/* on ksf_net.nf_peers if bound */
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
	char id[KSF_PEER_ID_LEN];
};

struct ksf_peer *ksf_peer_get(struct ksf_net *kn, const char *id);
struct ksf_peer *ksf_peer_of_caller(struct ksf_net *kn);
void ksf_peer_put(struct ksf_peer *p);
int ksf_peer_new(struct ksf_net *kn, struct nlattr **tb,
		 struct netlink_ext_ack *extack);
int ksf_peer_set(struct ksf_net *kn, struct nlattr **tb,
		 struct netlink_ext_ack *extack);
struct ksf_peer *ksf_peer_unlink(struct ksf_net *kn, const char *id,
				 struct netlink_ext_ack *extack);
int ksf_peer_fill(struct sk_buff *skb, struct ksf_peer *p);
int ksf_peer_fill_saved(struct sk_buff *skb, struct ksf_peer *p);
int ksf_peer_restore(struct ksf_net *kn, struct nlattr **tb,
		     struct netlink_ext_ack *extack);
int ksf_peers_init(struct ksf_net *kn);
void ksf_peers_destroy(struct ksf_net *kn);
size_t ksf_peer_size(void);
size_t ksf_peer_msg_max(void);
int ksf_id_check(const struct nlattr *a, struct netlink_ext_ack *extack);
bool ksf_id_printable(const char *id);

#endif /* _KSF_CORE_PEER_H */
