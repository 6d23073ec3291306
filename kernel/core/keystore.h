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

struct ksf_fc_uses;
struct ksf_net;
struct ksf_peer;
struct netlink_ext_ack;

#define KSF_MAX_KEY_PEERS	16

/* The last key type of the table (saved records are range-checked). */
#define KSF_KEY_TYPE_LAST	KSF_KEY_TYPE_SUCI_B

/*
 * A key's prepared transforms: a key of one usage family keys at most
 * three algorithms (a nas key: NIA1-3 or NEA1-3).
 */
#define KSF_KEY_TFM_SLOTS	3

struct ksf_key;

/*
 * ksf_key.flags, internal (never saved or shown): the key is being
 * retired by a replace, which copies its flags and FC record; a later
 * claim of SPENT, RAW_NAS or an FC on it is refused, so the copy stays
 * true for the bytes.
 */
#define KSF_KEY_FLAG_RETIRED	BIT(31)

/* ksf_key_type.flags */
#define KSF_KEY_TYPE_F_SAVED	BIT(0)	/* saved (sealed) with its material */
#define KSF_KEY_TYPE_F_PUBLIC	BIT(1)	/* has a public part anyone may read */

/*
 * A key type (as struct key_type in security/keys): what a key of this
 * type may be and how it is used.  Lengths are len_min, len_min +
 * len_step, ... len_max.  The usages come from one family at a time
 * (ksf_usage_family()); default_usage is given when none is asked, 0 if
 * one must be.  algs are the algorithms it keys (0-terminated); prepare()
 * makes a keyed transform for one of them, release() frees it (it wipes
 * the keyed state).  check(), if set, refuses bytes that are no key of
 * the type (a P-256 scalar out of range) with -EKEYREJECTED, or fails
 * to run (-ENOMEM).  A private key never leaves the
 * module (only sealed, in a save, with F_SAVED); with F_PUBLIC its public
 * part is readable (suci-public-key).
 */
struct ksf_keytype {
	const char *name;
	u16 len_min;
	u16 len_max;
	u16 len_step;
	u16 derive_len;			/* derived key's default; 0: KDF's */
	u32 usages;
	u32 default_usage;
	u32 flags;			/* KSF_KEY_TYPE_F_* */
	u32 algs[7];
	void *(*prepare)(const struct ksf_key *key, u32 alg);
	void (*release)(u32 alg, void *tfm);
	int (*check)(const u8 *material, u32 len);
};

/* One prepared transform; alg 0: free slot (set once, then published). */
struct ksf_key_tfm_slot {
	u32 alg;
	void *tfm;
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
	struct ksf_key_tfm_slot tfms[KSF_KEY_TFM_SLOTS];	/* ksf_key_tfm() */
	struct mutex tfm_lock;		/* filling a slot of tfms */
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
	const char *peers[KSF_MAX_KEY_PEERS];	/* ksf_id_check()ed, */
	u8 peer_lens[KSF_MAX_KEY_PEERS];	/* not NUL-terminated */
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
int ksf_key_replace(struct ksf_net *kn, const struct ksf_peer *caller,
		    u64 old, u64 new, struct netlink_ext_ack *extack);
int ksf_key_replace_check(const struct ksf_key *old,
			  const struct ksf_key *new,
			  const struct ksf_peer *caller,
			  struct netlink_ext_ack *extack);
void ksf_key_generate(u32 type, u8 *buf, u32 len);
int ksf_keyring_read(const s32 *serial, const char *desc, u8 *buf, u32 *len,
		     struct netlink_ext_ack *extack);
bool ksf_key_expired(const struct ksf_key *key);
bool ksf_key_usable_by(const struct ksf_key *key, const struct ksf_peer *p);
u32 ksf_usage_family(u32 usage);
const struct ksf_keytype *ksf_keytype(u32 type);
bool ksf_key_type_len_ok(u32 type, u32 len);
bool ksf_key_type_keys(u32 type, u32 alg);
bool ksf_type_holds(u32 type, u32 usage);
int ksf_key_claim_fc(struct ksf_key *parent, u8 fc, u32 family);
int ksf_key_claim_flag(struct ksf_key *key, u32 flag, u32 conflicts);
void ksf_key_unclaim_flag(struct ksf_key *key, u32 flag);
size_t ksf_key_size(void);
/*
 * The key's transform for @alg, prepared on first use and kept until the
 * key is freed: a struct crypto_shash for HMAC-SHA-256, the KDF and
 * AES-CMAC, a struct crypto_aead for AES-GCM, a struct crypto_cipher
 * (AES under K) for Milenage, a struct ksf_nas for NIA/NEA.  An ERR_PTR
 * if the type does not key @alg or the transform cannot be made.
 */
void *ksf_key_tfm(struct ksf_key *key, u32 alg);

#endif /* _KSF_CORE_KEYSTORE_H */
