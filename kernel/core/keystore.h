/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The keystore: keys by handle, their usages, lifetimes and prepared
 * transforms.
 */
#ifndef _KSF_CORE_KEYSTORE_H
#define _KSF_CORE_KEYSTORE_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rhashtable-types.h>
#include <linux/refcount.h>
#include <linux/time64.h>
#include <linux/workqueue.h>

#include <uapi/linux/ksf.h>

struct crypto_aead;
struct crypto_cipher;
struct crypto_shash;
struct ksf_fc_uses;
struct ksf_nas;
struct ksf_net;
struct ksf_peer;
struct nlattr;
struct netlink_ext_ack;
struct sk_buff;

#define KSF_MAX_KEY_PEERS	16

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

#endif /* _KSF_CORE_KEYSTORE_H */
