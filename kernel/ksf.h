/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ksf: kernel security function for 5G network-function hosts.
 *
 * One instance per network namespace holds peers (with their trusted
 * policies) and keys.  User space names keys only by 64-bit handles.
 */
#ifndef _KSF_H
#define _KSF_H

#include <linux/atomic.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/rhashtable.h>
#include <linux/refcount.h>
#include <linux/uidgid.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include <uapi/linux/ksf.h>

#include "compat.h"

struct crypto_cipher;
struct ksf_restore;
struct ksf_fc_uses;
struct ksf_nas;
struct ksf_sqn_ms;

#ifndef KSF_VERSION
#define KSF_VERSION "0.0.0"
#endif

#define KSF_KDF_OUT_LEN		32
#define KSF_MAX_KEY_PEERS	16
#define KSF_PARAM_MAX_LEN	256
#define KSF_MAC_MAX_LEN		32
#define KSF_GCM_IV_LEN		12
#define KSF_GCM_TAG_LEN		16
#define KSF_REASON_LEN		80
#define KSF_KDF_MAX_PARAMS	16
#define KSF_POLICY_KEYS_MAX	65536	/* default keys-max */
#define KSF_POLICY_CONTEXTS_MAX	65536	/* default contexts-max */
#define KSF_FC_ALG_KEY		0x69	/* TS 33.501 A.8 */

/* The instance of one network namespace. */
struct ksf_net {
	struct net *net;
	u64 instance_id;
	struct rhashtable peers;	/* by id, RCU lookups */
	struct rhashtable keys;		/* by handle, RCU lookups */
	struct rhashtable contexts;	/* by owner and subscriber, RCU */
	struct rhashtable ctx_handles;	/* contexts by handle, RCU */
	struct list_head nf_peers;	/* RCU list of bound nf peers */
	struct mutex lock;		/* serialises peer changes (admin) */
	struct mutex expire_lock;	/* key expiry vs. teardown */
	struct mutex restore_lock;	/* restore requests, restore */
	struct ksf_restore *restore;	/* a restore in progress */
	bool keys_dead;			/* under expire_lock */
	atomic_t n_peers;
	atomic_t n_keys;
	atomic_t n_contexts;
	atomic64_t mem;
	struct ratelimit_state verify_rs;	/* verify-failure events */
	bool dead;			/* instance being torn down */
};

/* The trusted policy of a peer: replaced whole, read under RCU. */
struct ksf_policy {
	struct rcu_head rcu;
	refcount_t ref;
	u64 services;
	u64 algs;
	u32 key_len_min;
	u32 key_len_max;
	u32 lifetime_max;
	u32 batch_max;
	u32 mac_len_min;	/* 0: the full tag */
	u32 keys_max;
	u32 contexts_max;
	bool caller_rand;
	u8 mac_fcs[32];		/* KDF FCs giving MAC keys */
	u8 encrypt_fcs[32];	/* KDF FCs giving encryption keys */
	/* Preset lists and timers, kept as their validated netlink nests. */
	u32 presets_len;
	u32 timers_len;
	u8 nests[];			/* presets, then timers */
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

struct ksf_key {
	struct rhash_head node;
	struct rcu_head rcu;
	refcount_t ref;
	struct ksf_net *kn;
	struct ksf_peer *owner;		/* holds a reference */
	struct list_head owner_node;	/* on owner->keys while linked */
	u64 handle;
	u64 parent;
	u32 type;
	u32 len;
	u32 usage;
	u32 source;
	u32 flags;			/* KSF_KEY_FLAG_*, cmpxchg */
	time64_t created;
	time64_t not_after;		/* 0: none */
	u32 max_age;			/* seconds, 0: none */
	bool linked;			/* in kn->keys, under owner->key_lock */
	atomic64_t uses;
	atomic64_t gcm_count;		/* GCM encryptions (SP 800-38D bound) */
	struct delayed_work expire;	/* armed only while linked */
	struct crypto_shash *mac_tfm;	/* keyed once, on first use */
	struct crypto_aead *aead_tfm;
	struct crypto_cipher *cipher_tfm;	/* Milenage: AES under K */
	struct ksf_nas *nas_tfm;	/* NIA/NEA under a nas key */
	u32 nas_alg;			/* of nas_tfm */
	struct mutex tfm_lock;		/* allocation of the tfms above */
	struct ksf_fc_uses *fc_uses;	/* families derived, by FC; set once */
	u32 n_peers;
	char (*peers)[KSF_PEER_ID_LEN];	/* other peers allowed */
	u8 material[];			/* len bytes, wiped on free */
};

/* A NAS security context (TS 33.501 6.7), part of a subscriber context. */
struct ksf_nas_ctx {
	struct rcu_head rcu;
	struct ksf_key *int_key;	/* K_NASint (a reference) */
	struct ksf_key *enc_key;	/* K_NASenc, NULL with NEA0 */
	u32 int_alg;			/* KSF_ALG_NIA* */
	u32 enc_alg;			/* KSF_ALG_NEA* */
	u32 tx_count;			/* next COUNT this side sends */
	u32 rx_count;			/* lowest COUNT still accepted */
	u8 direction;			/* this side sends: 0 up, 1 down */
	bool restored;			/* from a save: protects nothing */
};

/*
 * The procedure state of one peer for one subscriber (DESIGN.md 2), in
 * two tables: by owner and subscriber ID, and by handle.  The state is
 * changed under lock; sub-states are allocated when a procedure first
 * needs them and freed after an RCU grace period, so that dumps and save
 * read them under RCU without the lock.
 */
struct ksf_ctx {
	struct rhash_head node;		/* kn->contexts */
	struct rhash_head hnode;	/* kn->ctx_handles */
	struct rcu_head rcu;
	refcount_t ref;
	u8 id_len;
	bool has_sqn_he;		/* under lock, like the state below */
	bool dead;			/* detached */
	struct ksf_net *kn;
	struct ksf_peer *owner;		/* holds a reference */
	struct list_head owner_node;	/* on owner->contexts while linked */
	u64 handle;
	time64_t created;
	struct mutex lock;		/* the state below, has_sqn_he, dead */
	u64 sqn_he;			/* UDM: the subscriber's SQN */
	struct ksf_sqn_ms *sqn_ms;	/* UE: the USIM's SQN state, set once */
	struct ksf_nas_ctx __rcu *nas;	/* AMF, UE */
	char id[];			/* subscriber ID, NUL-terminated */
};

/* What a new context starts with (context-new, restore). */
struct ksf_ctx_spec {
	const char *id;
	u64 handle;			/* wanted handle (restore), 0: random */
	time64_t created;		/* restore, 0: now */
	bool has_sqn_he;
	u64 sqn_he;
	const struct ksf_sqn_ms *sqn_ms;
	u32 max;			/* the owner's contexts-max, 0: none */
};

/* Attributes that describe a key to create (admin or derivation). */
struct ksf_key_spec {
	u64 handle;			/* wanted handle (restore), 0: random */
	time64_t created;		/* restore, 0: now */
	u64 uses;			/* restore */
	u32 type;
	u32 len;
	u32 usage;
	u32 source;
	u32 flags;			/* KSF_KEY_FLAG_* */
	u64 parent;
	const struct ksf_key *from;	/* derived from: bounds the lifetime */
	u32 keys_max;			/* a request's key: owner's limit */
	time64_t not_after;
	u32 max_age;
	u32 n_peers;
	const struct nlattr *peer_attrs[KSF_MAX_KEY_PEERS];
};

/* One service item, parsed and checked, and what it produced. */
struct ksf_item {
	const struct nlattr *nest;	/* the item */
	struct nlattr **tb;		/* its KSF_A_ITEM_* attributes */
	struct ksf_peer *peer;		/* acting peer */
	const struct ksf_policy *pol;	/* its policy (RCU) */
	u32 service;
	u32 alg;
	/* outputs */
	u32 status;
	int error;
	char reason[KSF_REASON_LEN];
	u8 *out;			/* kmalloc'ed, out_len bytes */
	u32 out_len;
	u8 tag[KSF_GCM_TAG_LEN];
	u32 tag_len;
	u8 iv[KSF_GCM_IV_LEN];
	bool has_iv;
	u64 new_key;
	struct ksf_aka_out *aka;	/* AKA outputs, kmalloc'ed */
	struct ksf_ctx *ctx;		/* the item's context, a reference */
	u32 count;			/* NAS COUNT used */
	bool has_count;
};

/* What an AKA service returns besides a key handle. */
struct ksf_aka_out {
	u8 rand[16];
	u8 autn[16];
	u8 res[16];			/* XRES* or RES* */
	u8 hres[16];			/* HXRES* */
	u8 auts[14];
	bool has_rand, has_autn, has_res, has_hres, has_auts, has_sqn;
	u64 sqn;
};

/*
 * Delay and limit knobs that make rare races and limits testable: module
 * parameters of the debug kernel only (never in a stock build), 0 = off;
 * a stock build defines each as the constant 0.
 */
#if IS_ENABLED(CONFIG_FAULT_INJECTION_DEBUG_FS)
#define KSF_DEBUG_KNOBS 1
#endif

/* Counts one more object in @n, up to @max (0: no limit); -EDQUOT beyond. */
static inline int ksf_count_up_to(atomic_t *n, u32 max)
{
	if (atomic_inc_return(n) <= max || !max)
		return 0;
	atomic_dec(n);
	return -EDQUOT;
}

/* main.c */
extern unsigned int ksf_net_id;
extern struct workqueue_struct *ksf_wq;
struct ksf_net *ksf_net(const struct net *net);

/* netlink.c, nl-gen.c */
extern struct genl_family ksf_nl_family;
int ksf_nl_family_prepare(void);
int ksf_nl_init(void);
void ksf_nl_exit(void);
void ksf_event(struct ksf_net *kn, u32 type, const char *peer, u64 key,
	       u32 service, const char *reason);
void ksf_timer_deliver(struct ksf_peer *peer, struct sk_buff *msg);
int ksf_put_result(struct sk_buff *skb, int attr, u32 index,
		   const struct ksf_item *it);
size_t ksf_result_size(const struct ksf_item *it);

/* state.c */
void ksf_restore_release(struct ksf_net *kn, u32 portid);
void ksf_restore_exit(struct ksf_net *kn);

/* peer.c */
struct ksf_peer *ksf_peer_get(struct ksf_net *kn, const char *id);
struct ksf_peer *ksf_peer_of_caller(struct ksf_net *kn);
void ksf_peer_put(struct ksf_peer *p);
int ksf_peer_new(struct ksf_net *kn, struct nlattr **tb,
		 struct netlink_ext_ack *extack);
int ksf_peer_set(struct ksf_net *kn, struct nlattr **tb,
		 struct netlink_ext_ack *extack);
int ksf_peer_del(struct ksf_net *kn, const char *id,
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

/* policy.c */
struct ksf_policy *ksf_policy_parse(const struct nlattr *nest,
				    const struct ksf_policy *old,
				    struct netlink_ext_ack *extack);
struct ksf_policy *ksf_policy_default(void);
size_t ksf_policy_mem(const struct ksf_policy *pol);
size_t ksf_policy_fill_size(const struct ksf_policy *pol);
int ksf_policy_fill(struct sk_buff *skb, const struct ksf_policy *pol);
struct ksf_policy *ksf_policy_get(struct ksf_peer *p);
void ksf_policy_put(struct ksf_policy *pol);
void ksf_timers_start(struct ksf_peer *p, const struct ksf_policy *pol);
void ksf_timers_stop(struct ksf_peer *p);

/* keystore.c */
int ksf_keys_init(struct ksf_net *kn);
void ksf_keys_destroy(struct ksf_net *kn);
void ksf_keys_destroy_owned(struct ksf_net *kn, struct ksf_peer *owner);
struct ksf_key *ksf_key_get(struct ksf_net *kn, u64 handle);
void ksf_key_put(struct ksf_key *key);
int ksf_key_add(struct ksf_net *kn, struct ksf_peer *owner,
		const struct ksf_key_spec *spec, const u8 *material,
		u64 *handle, struct netlink_ext_ack *extack);
int ksf_key_del(struct ksf_net *kn, u64 handle);
int ksf_key_fill(struct sk_buff *skb, struct ksf_key *key);
int ksf_keyring_read(const struct nlattr *serial, const struct nlattr *desc,
		     u8 *buf, u32 *len, struct netlink_ext_ack *extack);
int ksf_key_spec_peers(struct ksf_key_spec *spec, const struct nlattr *head,
		       int len, struct netlink_ext_ack *extack);
bool ksf_key_expired(const struct ksf_key *key);
bool ksf_key_usable_by(const struct ksf_key *key, const struct ksf_peer *p);
u32 ksf_usage_family(u32 usage);
bool ksf_type_holds(u32 type, u32 usage);
int ksf_key_claim_fc(struct ksf_key *parent, u8 fc, u32 family);
int ksf_key_claim_flag(struct ksf_key *key, u32 flag, u32 conflicts);
size_t ksf_key_size(void);
struct crypto_shash *ksf_key_mac_tfm(struct ksf_key *key, u32 alg);
struct crypto_aead *ksf_key_aead_tfm(struct ksf_key *key);
struct crypto_cipher *ksf_key_cipher_tfm(struct ksf_key *key);
struct ksf_nas *ksf_key_nas_tfm(struct ksf_key *key, u32 alg, bool *own);

/* context.c */
int ksf_contexts_init(struct ksf_net *kn);
void ksf_contexts_destroy(struct ksf_net *kn);
void ksf_contexts_destroy_owned(struct ksf_net *kn, struct ksf_peer *owner);
struct ksf_ctx *ksf_ctx_get(struct ksf_net *kn, u64 handle);
struct ksf_ctx *ksf_ctx_find(struct ksf_net *kn, const struct ksf_peer *owner,
			     const char *id);
struct ksf_ctx *ksf_ctx_obtain(struct ksf_net *kn, struct ksf_peer *owner,
			       const char *id, u32 max);
int ksf_ctx_new(struct ksf_net *kn, struct ksf_peer *owner,
		const struct ksf_ctx_spec *spec, struct ksf_ctx **out);
void ksf_ctx_put(struct ksf_ctx *ctx);
int ksf_ctx_del(struct ksf_net *kn, u64 handle);
struct ksf_sqn_ms *ksf_ctx_sqn_ms(struct ksf_ctx *ctx);
int ksf_ctx_set_nas(struct ksf_ctx *ctx, struct ksf_nas_ctx *nas);
void ksf_ctx_nas_free(struct ksf_nas_ctx *nas);
int ksf_ctx_fill(struct sk_buff *skb, struct ksf_ctx *ctx, bool save);
size_t ksf_ctx_size(void);

/* service.c */
void ksf_service_run(struct ksf_net *kn, struct ksf_item *it);
void ksf_item_reject(struct ksf_item *it, const char *reason);
void ksf_item_fail(struct ksf_item *it, int err, const char *reason);
void ksf_item_key_error(struct ksf_item *it, int err);
void ksf_item_verify_failed(struct ksf_net *kn, struct ksf_item *it,
			    const char *reason);
struct ksf_ctx *ksf_item_ctx(struct ksf_net *kn, struct ksf_item *it);
struct ksf_ctx *ksf_item_ctx_of(struct ksf_net *kn, struct ksf_item *it,
				struct ksf_peer *owner, const char *id,
				const char *what);
size_t ksf_items_size(const struct nlattr *head, int len, int item_type);
int ksf_run_items(struct ksf_net *kn, struct ksf_peer *peer,
		  const struct nlattr *head, int len, int item_type,
		  struct sk_buff *msg, int result_type);
void ksf_timer_run(struct ksf_peer *peer, const struct nlattr *timer);

/* mac.c, kdf.c, aead.c */
int ksf_mac(struct crypto_shash *tfm, const u8 *data, unsigned int len,
	    u8 *out);
void ksf_svc_mac(struct ksf_net *kn, struct ksf_item *it, struct ksf_key *key);
int ksf_kdf(struct crypto_shash *tfm, u8 fc, const u8 *const *params,
	    const u16 *lens, unsigned int n, u8 out[KSF_KDF_OUT_LEN]);
void ksf_svc_kdf(struct ksf_net *kn, struct ksf_item *it, struct ksf_key *key);
void ksf_svc_aead(struct ksf_net *kn, struct ksf_item *it,
		  struct ksf_key *key);
struct crypto_aead *ksf_gcm_tfm(const u8 *key, unsigned int len);
int ksf_gcm_crypt(struct crypto_aead *tfm, bool enc, u8 *buf,
		  unsigned int ad_len, unsigned int len, u8 *iv);

/* nas.c, aka.c */
void ksf_svc_nas(struct ksf_net *kn, struct ksf_item *it, struct ksf_key *key);
void ksf_svc_aka(struct ksf_net *kn, struct ksf_item *it, struct ksf_key *key);
void ksf_svc_nas_context(struct ksf_net *kn, struct ksf_item *it,
			 struct ksf_key *key);
void ksf_svc_nas_protect(struct ksf_net *kn, struct ksf_item *it,
			 struct ksf_key *key);
void ksf_svc_hres(struct ksf_net *kn, struct ksf_item *it, struct ksf_key *key);
int ksf_hres_star(const u8 *rand, const u8 *res, u8 out[16]);
u32 ksf_nas_count_estimate(u32 rx, u8 seq);
int ksf_kdf_init(void);
void ksf_kdf_exit(void);
int ksf_sha256_digest(const u8 *data, unsigned int len, u8 *out);
int ksf_kdf_key(const u8 *key, unsigned int key_len, u8 fc,
		const u8 *const *params, const u16 *lens, unsigned int n,
		u8 out[KSF_KDF_OUT_LEN]);

#endif /* _KSF_H */
