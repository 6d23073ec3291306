// SPDX-License-Identifier: GPL-2.0-only
/*
 * The keystore: keys known to user space only by a random 64-bit handle.
 *
 * A key is refcounted: the table holds one reference, every user one more,
 * a pending expiry one more.  The last put frees the crypto transforms;
 * the key is wiped (material included) and freed after an RCU grace
 * period, as a save may read it under RCU until then.  An expiry is armed
 * only while the key is in the table, and whoever takes it out cancels
 * the expiry.  Key bytes never leave this file except into a crypto
 * transform (and into a save, sealed: state.c).
 */
#include <crypto/aead.h>
#include <crypto/hash.h>
#include <crypto/internal/cipher.h>
#include <crypto/kpp.h>
#include <keys/encrypted-type.h>
#include <keys/trusted-type.h>
#include <keys/user-type.h>
#include <linux/delay.h>
#include <linux/key-type.h>
#include <linux/key.h>
#include <linux/nospec.h>
#include <linux/random.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "../ksf.h"
#include "audit.h"
#include "keystore.h"
#include "peer.h"
#include "../crypto/aead.h"
#include "../crypto/ecies.h"
#include "../crypto/milenage.h"
#include "../crypto/nas_alg.h"

static const struct rhashtable_params key_params = {
	.head_offset		= offsetof(struct ksf_key, node),
	.key_offset		= offsetof(struct ksf_key, handle),
	.key_len		= sizeof(u64),
	.automatic_shrinking	= true,
};

/*
 * Usage families (admin-guide.rst): a key's usages come from one of them.  The
 * KDF is HMAC-SHA-256 on the key, so a key that could derive and MAC
 * would give away its children's bytes to whoever may MAC with it.
 */
static const u32 usage_families[] = {
	KSF_KEY_USAGE_DERIVE,
	KSF_KEY_USAGE_MAC | KSF_KEY_USAGE_VERIFY,
	KSF_KEY_USAGE_ENCRYPT | KSF_KEY_USAGE_DECRYPT,
	KSF_KEY_USAGE_SEAL | KSF_KEY_USAGE_WRAP,
};

/*
 * The families a parent has derived keys of, by FC: derive, MAC, encrypt.
 * Which family an FC gives may change with the policy; the same parent
 * and FC must never give two (the bytes would be the same key).
 */
struct ksf_fc_uses {
	unsigned long fam[3][BITS_TO_LONGS(256)];
};

/* The family @usage belongs to; 0 if it is empty or spans two. */
u32 ksf_usage_family(u32 usage)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(usage_families); i++)
		if (usage && !(usage & ~usage_families[i]))
			return usage_families[i];
	return 0;
}

/* ---- key types ---- */

static void *shash_prepare(const struct ksf_key *key, const char *name)
{
	struct crypto_shash *tfm = crypto_alloc_shash(name, 0, 0);
	int ret;

	if (IS_ERR(tfm))
		return tfm;
	ret = crypto_shash_setkey(tfm, key->material, key->len);
	if (ret) {
		crypto_free_shash(tfm);
		return ERR_PTR(ret);
	}
	return tfm;
}

/* generic: HMAC-SHA-256, and the KDF which is HMAC-SHA-256 on the key. */
static void *generic_prepare(const struct ksf_key *key, u32 alg)
{
	return shash_prepare(key, "hmac(sha256)");
}

static void shash_release(u32 alg, void *tfm)
{
	crypto_free_shash(tfm);		/* wipes the keyed state */
}

static void *aes_prepare(const struct ksf_key *key, u32 alg)
{
	if (alg == KSF_ALG_AES_CMAC)
		return shash_prepare(key, "cmac(aes)");
	return ksf_gcm_tfm(key->material, key->len);
}

static void aes_release(u32 alg, void *tfm)
{
	if (alg == KSF_ALG_AES_CMAC)
		crypto_free_shash(tfm);
	else
		crypto_free_aead(tfm);
}

static void *nas_prepare(const struct ksf_key *key, u32 alg)
{
	static const u8 nas_algs[] = {
		[KSF_ALG_NIA1] = KSF_NAS_NIA1, [KSF_ALG_NIA2] = KSF_NAS_NIA2,
		[KSF_ALG_NIA3] = KSF_NAS_NIA3, [KSF_ALG_NEA1] = KSF_NAS_NEA1,
		[KSF_ALG_NEA2] = KSF_NAS_NEA2, [KSF_ALG_NEA3] = KSF_NAS_NEA3,
	};

	return ksf_nas_alloc(nas_algs[alg], key->material, key->len);
}

static void nas_release(u32 alg, void *tfm)
{
	ksf_nas_free(tfm);
}

/* Milenage: AES under K. */
static void *k_prepare(const struct ksf_key *key, u32 alg)
{
	return ksf_milenage_alloc(key->material, key->len);
}

static void k_release(u32 alg, void *tfm)
{
	crypto_free_cipher(tfm);
}

/* SUCI home network private keys: a kpp holding the key. */
static void *suci_prepare(const struct ksf_key *key, u32 alg)
{
	return ksf_ecies_hn_tfm(alg == KSF_ALG_SUCI_PROFILE_B ? KSF_ECIES_B :
								KSF_ECIES_A,
				key->material);
}

static void suci_release(u32 alg, void *tfm)
{
	crypto_free_kpp(tfm);		/* wipes the private key */
}

/* A P-256 private key the kpp takes: -EKEYREJECTED if not. */
static int suci_b_check(const u8 *material, u32 len)
{
	struct crypto_kpp *tfm = ksf_ecies_hn_tfm(KSF_ECIES_B, material);

	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	crypto_free_kpp(tfm);
	return 0;
}

/*
 * Usage families (admin-guide.rst, "Key-usage families") a type may
 * have, as the union of the usages it may carry; its lengths; the
 * algorithms it keys.  The engine checks that a key's type keys the
 * item's algorithm, so a transform is only made for one of these.
 */
static const struct ksf_keytype key_types[] = {
	[KSF_KEY_TYPE_GENERIC] = {
		.name = "generic",
		.len_min = 1, .len_max = KSF_KEY_MAX_LEN, .len_step = 1,
		.usages = KSF_KEY_USAGE_DERIVE | KSF_KEY_USAGE_MAC |
			  KSF_KEY_USAGE_VERIFY,
		.default_usage = KSF_KEY_USAGE_DERIVE,
		.flags = KSF_KEY_TYPE_F_SAVED,
		.algs = { KSF_ALG_HMAC_SHA256, KSF_ALG_KDF_SHA256 },
		.prepare = generic_prepare, .release = shash_release,
	},
	[KSF_KEY_TYPE_AES] = {
		.name = "aes",
		.len_min = 16, .len_max = 32, .len_step = 16,
		.usages = KSF_KEY_USAGE_MAC | KSF_KEY_USAGE_VERIFY |
			  KSF_KEY_USAGE_ENCRYPT | KSF_KEY_USAGE_DECRYPT |
			  KSF_KEY_USAGE_SEAL,
		.default_usage = KSF_KEY_USAGE_ENCRYPT | KSF_KEY_USAGE_DECRYPT,
		.flags = KSF_KEY_TYPE_F_SAVED,
		.algs = { KSF_ALG_AES_CMAC, KSF_ALG_AES_GCM },
		.prepare = aes_prepare, .release = aes_release,
	},
	[KSF_KEY_TYPE_KEK] = {
		.name = "kek",
		.len_min = 32, .len_max = 32, .len_step = 1,
		.usages = KSF_KEY_USAGE_WRAP,
		.default_usage = KSF_KEY_USAGE_WRAP,
		.flags = KSF_KEY_TYPE_F_SAVED,
	},
	[KSF_KEY_TYPE_NAS] = {
		.name = "nas",
		.len_min = KSF_NAS_KEY_LEN, .len_max = KSF_NAS_KEY_LEN,
		.len_step = 1,
		.derive_len = KSF_NAS_KEY_LEN,	/* not the KDF's 32 bytes */
		.usages = KSF_KEY_USAGE_MAC | KSF_KEY_USAGE_VERIFY |
			  KSF_KEY_USAGE_ENCRYPT | KSF_KEY_USAGE_DECRYPT,
		.flags = KSF_KEY_TYPE_F_SAVED,
		.algs = { KSF_ALG_NIA1, KSF_ALG_NIA2, KSF_ALG_NIA3,
			  KSF_ALG_NEA1, KSF_ALG_NEA2, KSF_ALG_NEA3 },
		.prepare = nas_prepare, .release = nas_release,
	},
	[KSF_KEY_TYPE_K] = {
		.name = "k",
		.len_min = 16, .len_max = 16, .len_step = 1,
		.usages = KSF_KEY_USAGE_DERIVE,
		.default_usage = KSF_KEY_USAGE_DERIVE,
		.flags = KSF_KEY_TYPE_F_SAVED,
		.algs = { KSF_ALG_MILENAGE },
		.prepare = k_prepare, .release = k_release,
	},
	[KSF_KEY_TYPE_OPC] = {
		.name = "opc",
		.len_min = 16, .len_max = 16, .len_step = 1,
		.usages = KSF_KEY_USAGE_DERIVE,
		.default_usage = KSF_KEY_USAGE_DERIVE,
		.flags = KSF_KEY_TYPE_F_SAVED,
	},
	/* Read only by the channel's handshakes (peer psk); no service. */
	[KSF_KEY_TYPE_PSK] = {
		.name = "psk",
		.len_min = 32, .len_max = 32, .len_step = 1,
		.usages = KSF_KEY_USAGE_SEAL,
		.default_usage = KSF_KEY_USAGE_SEAL,
		.flags = KSF_KEY_TYPE_F_SAVED,
	},
	/* Home network private keys: de-conceal SUCIs, never encrypt. */
	[KSF_KEY_TYPE_SUCI_A] = {
		.name = "suci-a",
		.len_min = 32, .len_max = 32, .len_step = 1,
		.usages = KSF_KEY_USAGE_DECRYPT,
		.default_usage = KSF_KEY_USAGE_DECRYPT,
		.flags = KSF_KEY_TYPE_F_SAVED | KSF_KEY_TYPE_F_PUBLIC,
		.algs = { KSF_ALG_SUCI_PROFILE_A },
		.prepare = suci_prepare, .release = suci_release,
	},
	[KSF_KEY_TYPE_SUCI_B] = {
		.name = "suci-b",
		.len_min = 32, .len_max = 32, .len_step = 1,
		.usages = KSF_KEY_USAGE_DECRYPT,
		.default_usage = KSF_KEY_USAGE_DECRYPT,
		.flags = KSF_KEY_TYPE_F_SAVED | KSF_KEY_TYPE_F_PUBLIC,
		.algs = { KSF_ALG_SUCI_PROFILE_B },
		.prepare = suci_prepare, .release = suci_release,
		.check = suci_b_check,
	},
};

static_assert(ARRAY_SIZE(key_types) == KSF_KEY_TYPE_LAST + 1);

/* The type @type, NULL if there is none. */
const struct ksf_keytype *ksf_keytype(u32 type)
{
	if (type >= ARRAY_SIZE(key_types) || !key_types[type].name)
		return NULL;
	return &key_types[array_index_nospec(type, ARRAY_SIZE(key_types))];
}

bool ksf_key_type_len_ok(u32 type, u32 len)
{
	const struct ksf_keytype *kt = ksf_keytype(type);

	return kt && len >= kt->len_min && len <= kt->len_max &&
	       !((len - kt->len_min) % kt->len_step);
}

/* A key of @type keys @alg. */
bool ksf_key_type_keys(u32 type, u32 alg)
{
	const struct ksf_keytype *kt = ksf_keytype(type);
	unsigned int i;

	for (i = 0; kt && alg && i < ARRAY_SIZE(kt->algs); i++)
		if (kt->algs[i] == alg)
			return true;
	return false;
}

/* A key of @type may carry @usage. */
bool ksf_type_holds(u32 type, u32 usage)
{
	const struct ksf_keytype *kt = ksf_keytype(type);

	return kt && !(usage & ~kt->usages);
}

size_t ksf_key_size(void)
{
	return sizeof(struct ksf_key);
}

struct ksf_key *ksf_key_get(struct ksf_net *kn, u64 handle)
{
	struct ksf_key *key;

	rcu_read_lock();
	key = rhashtable_lookup(&kn->keys, &handle, key_params);
	if (key && !refcount_inc_not_zero(&key->ref))
		key = NULL;
	rcu_read_unlock();
	return key;
}

/* ---- prepared transforms ---- */

/* The last reference is gone: nobody can look a slot up any more. */
static void key_tfms_free(struct ksf_key *key)
{
	const struct ksf_keytype *kt = ksf_keytype(key->type);
	unsigned int i;

	for (i = 0; i < KSF_KEY_TFM_SLOTS && key->tfms[i].alg; i++)
		kt->release(key->tfms[i].alg, key->tfms[i].tfm);
}

/* A published slot for @alg; slots fill in order and never change. */
static void *tfm_cached(struct ksf_key *key, u32 alg)
{
	unsigned int i;
	u32 a;

	for (i = 0; i < KSF_KEY_TFM_SLOTS; i++) {
		/* Pairs with the smp_store_release() in tfm_fill(). */
		a = smp_load_acquire(&key->tfms[i].alg);
		if (a == alg)
			return key->tfms[i].tfm;
		if (!a)
			break;
	}
	return NULL;
}

static void *tfm_fill(struct ksf_key *key, const struct ksf_keytype *kt,
		      u32 alg)
{
	struct ksf_key_tfm_slot *slot;
	unsigned int i;
	void *tfm;

	lockdep_assert_held(&key->tfm_lock);
	for (i = 0; i < KSF_KEY_TFM_SLOTS; i++) {
		slot = &key->tfms[i];
		if (slot->alg == alg)
			return slot->tfm;	/* a racing caller filled it */
		if (!slot->alg)
			break;
	}
	if (i == KSF_KEY_TFM_SLOTS)
		return ERR_PTR(-ENOSPC);	/* more algs than one family has */
	tfm = kt->prepare(key, alg);
	if (IS_ERR(tfm))
		return tfm;
	slot->tfm = tfm;
	/* Publish only once keyed: pairs with smp_load_acquire(). */
	smp_store_release(&slot->alg, alg);
	return tfm;
}

void *ksf_key_tfm(struct ksf_key *key, u32 alg)
{
	void *tfm = alg ? tfm_cached(key, alg) : NULL;

	if (tfm)
		return tfm;
	if (!ksf_key_type_keys(key->type, alg))
		return ERR_PTR(-EKEYREJECTED);
	mutex_lock(&key->tfm_lock);
	tfm = tfm_fill(key, ksf_keytype(key->type), alg);
	mutex_unlock(&key->tfm_lock);
	return tfm;
}

/* The material is wiped here, not before: a save may read it under RCU. */
static void key_free_rcu(struct rcu_head *rcu)
{
	struct ksf_key *key = container_of(rcu, struct ksf_key, rcu);

	kfree(key->peers);
	kfree_sensitive(key);	/* wipes the material with the rest */
}

void ksf_key_put(struct ksf_key *key)
{
	if (!key || !refcount_dec_and_test(&key->ref))
		return;
	key_tfms_free(key);
	if (key->fc_uses)
		atomic64_sub(sizeof(*key->fc_uses), &key->kn->mem);
	kfree(key->fc_uses);
	atomic64_sub(sizeof(*key) + key->len, &key->kn->mem);
	ksf_peer_put(key->owner);
	call_rcu(&key->rcu, key_free_rcu);
}

/*
 * Takes the key out of the table, true if this call did it.  Once it is
 * unlinked (under the owner's key_lock, like key_arm()), no expiry can
 * be armed for it any more; the table's reference is the caller's.
 */
static bool key_remove(struct ksf_key *key)
{
	struct ksf_net *kn = key->kn;

	if (rhashtable_remove_fast(&kn->keys, &key->node, key_params))
		return false;
	spin_lock_bh(&key->owner->key_lock);
	list_del_init(&key->owner_node);
	WRITE_ONCE(key->linked, false);
	spin_unlock_bh(&key->owner->key_lock);
	atomic_dec(&kn->n_keys);
	atomic_dec(&key->owner->n_keys);
	return true;
}

/* Cancels an armed expiry and waits for a running one (not from it). */
static void key_disarm(struct ksf_key *key)
{
	if (cancel_delayed_work_sync(&key->expire))
		ksf_key_put(key);	/* the expiry's reference */
}

/* Destroys a key in the table; true if this call did it. */
static bool key_detach(struct ksf_key *key)
{
	if (!key_remove(key))
		return false;
	key_disarm(key);
	ksf_key_put(key);		/* the table's reference */
	return true;
}

static time64_t key_expiry(const struct ksf_key *key)
{
	time64_t t = key->not_after;

	if (key->max_age && (!t || key->created + key->max_age < t))
		t = key->created + key->max_age;
	return t;
}

bool ksf_key_expired(const struct ksf_key *key)
{
	time64_t t = key_expiry(key);

	return t && ktime_get_real_seconds() >= t;
}

/*
 * Arms the expiry work of a linked key (at most a day ahead, it re-arms
 * itself); the caller holds a reference.  An unlinked key is never armed:
 * whoever unlinked it has cancelled its expiry or is its expiry.
 */
static void key_arm(struct ksf_key *key)
{
	time64_t left = key_expiry(key) - ktime_get_real_seconds();
	unsigned long delay;

	left = clamp_t(time64_t, left, 0, 86400);
	delay = secs_to_jiffies_compat(left);
	spin_lock_bh(&key->owner->key_lock);
	if (key->linked) {
		refcount_inc(&key->ref);	/* the expiry's */
		if (!queue_delayed_work(ksf_wq, &key->expire, delay))
			refcount_dec(&key->ref);	/* armed already */
	}
	spin_unlock_bh(&key->owner->key_lock);
}

static void key_expire_work(struct work_struct *work)
{
	struct ksf_key *key = container_of(to_delayed_work(work),
					   struct ksf_key, expire);
	struct ksf_net *kn = key->kn;
	bool gone = false;

	/* Teardown sets keys_dead, then flushes ksf_wq for this work. */
	mutex_lock(&kn->expire_lock);
	if (!kn->keys_dead && READ_ONCE(key->linked)) {
		if (ksf_key_expired(key))
			gone = key_remove(key);	/* no sync cancel of itself */
		else
			key_arm(key);
	}
	mutex_unlock(&kn->expire_lock);
	if (gone) {
		ksf_event(kn, KSF_EVENT_KEY_EXPIRED, key->owner->id,
			  key->handle, 0, "expired");
		ksf_key_put(key);	/* the table's */
	}
	ksf_key_put(key);		/* the expiry's */
}

static int key_set_peers(struct ksf_key *key, const struct ksf_key_spec *spec)
{
	u32 i;

	if (!spec->n_peers)
		return 0;
	key->peers = kcalloc(spec->n_peers, KSF_PEER_ID_LEN,
			     GFP_KERNEL_ACCOUNT);
	if (!key->peers)
		return -ENOMEM;
	for (i = 0; i < spec->n_peers; i++)
		memcpy(key->peers[i], spec->peers[i], spec->peer_lens[i]);
	key->n_peers = spec->n_peers;
	return 0;
}

static int key_check_spec(const struct ksf_key_spec *spec, u32 *usage,
			  struct netlink_ext_ack *extack)
{
	const struct ksf_keytype *kt = ksf_keytype(spec->type);

	if (!kt) {
		NL_SET_ERR_MSG(extack, "key type not known");
		return -EINVAL;
	}
	if (!ksf_key_type_len_ok(spec->type, spec->len)) {
		NL_SET_ERR_MSG(extack, "key length not valid for the key type");
		return -EINVAL;
	}
	*usage = spec->usage ? spec->usage : kt->default_usage;
	if (!*usage) {
		NL_SET_ERR_MSG(extack,
			       "a nas key needs a usage: mac,verify or encrypt,decrypt");
		return -EINVAL;
	}
	if (*usage & ~kt->usages) {
		NL_SET_ERR_MSG(extack, "usage not allowed for the key type");
		return -EINVAL;
	}
	if (!ksf_usage_family(*usage)) {
		NL_SET_ERR_MSG(extack,
			       "usages of two families on one key: derive | mac,verify | encrypt,decrypt | seal,wrap");
		return -EINVAL;
	}
	return 0;
}

/*
 * @len random bytes for a key of @type: drawn again (a few times) while
 * the type's check refuses them, as it refuses about one P-256 scalar in
 * 2^32; ksf_key_add() checks them once more.
 */
void ksf_key_generate(u32 type, u8 *buf, u32 len)
{
	const struct ksf_keytype *kt = ksf_keytype(type);
	int tries = 0;

	do {
		get_random_bytes(buf, len);
	} while (kt && kt->check && kt->check(buf, len) == -EKEYREJECTED &&
		 ++tries < 4);
}

/* A derived key never outlives its parent (architecture.rst, "Objects"). */
static time64_t key_not_after(const struct ksf_key_spec *spec)
{
	time64_t t = spec->from ? key_expiry(spec->from) : 0;

	if (t && (!spec->not_after || t < spec->not_after))
		return t;
	return spec->not_after;
}

/* Inserts under a fresh random handle; fails if the owner is deleted. */
static int key_insert(struct ksf_net *kn, struct ksf_key *key, u64 want)
{
	struct ksf_peer *owner = key->owner;
	int ret = -EEXIST, tries;

	for (tries = 0; tries < 8; tries++) {
		key->handle = want ? want : get_random_u64();
		if (!key->handle)
			continue;
		spin_lock_bh(&owner->key_lock);
		ret = -ENOENT;
		if (!owner->keys_closed) {
			ret = rhashtable_lookup_insert_fast(&kn->keys,
							    &key->node,
							    key_params);
			if (!ret) {
				key->linked = true;
				list_add_tail(&key->owner_node, &owner->keys);
			}
		}
		spin_unlock_bh(&owner->key_lock);
		if (ret != -EEXIST || want)
			break;
	}
	return ret;
}

#if IS_ENABLED(CONFIG_FAULT_INJECTION_DEBUG_FS)	/* debug kernel only */
static unsigned int dbg_arm_delay_ms;
module_param(dbg_arm_delay_ms, uint, 0644);
MODULE_PARM_DESC(dbg_arm_delay_ms, "debug kernel only: ms between publishing a key and arming its expiry");
#else
#define dbg_arm_delay_ms 0U
#endif

int ksf_key_add(struct ksf_net *kn, struct ksf_peer *owner,
		const struct ksf_key_spec *spec, const u8 *material,
		u64 *handle, struct netlink_ext_ack *extack)
{
	const struct ksf_keytype *kt;
	struct ksf_key *key;
	u32 usage;
	int ret;

	ret = key_check_spec(spec, &usage, extack);
	if (ret)
		return ret;
	kt = ksf_keytype(spec->type);
	ret = kt->check ? kt->check(material, spec->len) : 0;
	if (ret == -EKEYREJECTED) {
		NL_SET_ERR_MSG(extack, "key bytes not valid for the key type");
		return -EINVAL;
	}
	if (ret)
		return ret;	/* the check could not run: -ENOMEM */
	key = kzalloc(struct_size(key, material, spec->len),
		      GFP_KERNEL_ACCOUNT);
	if (!key)
		return -ENOMEM;
	refcount_set(&key->ref, 1);
	key->kn = kn;
	key->type = spec->type;
	key->len = spec->len;
	key->usage = usage;
	key->source = spec->source;
	key->flags = spec->flags;
	key->parent = spec->from ? spec->from->handle : spec->parent;
	key->created = spec->created ? spec->created :
				      ktime_get_real_seconds();
	atomic64_set(&key->uses, spec->uses);
	atomic64_set(&key->gcm_count, spec->uses);	/* restore: a bound */
	key->not_after = key_not_after(spec);
	key->max_age = spec->max_age;
	mutex_init(&key->tfm_lock);
	INIT_LIST_HEAD(&key->owner_node);
	INIT_DELAYED_WORK(&key->expire, key_expire_work);
	memcpy(key->material, material, spec->len);
	ret = key_set_peers(key, spec);
	if (ret)
		goto err_free;
	/* A request's key only up to keys-max. */
	ret = ksf_count_up_to(&owner->n_keys, spec->keys_max);
	if (ret) {
		NL_SET_ERR_MSG(extack, "the owner's keys-max is reached");
		goto err_free;
	}
	refcount_inc(&owner->ref);
	key->owner = owner;

	/* Counted before it is visible: a racing del uncounts it. */
	atomic_inc(&kn->n_keys);
	atomic64_add(sizeof(*key) + key->len, &kn->mem);
	refcount_inc(&key->ref);	/* ours until armed, against a racing del */
	ret = key_insert(kn, key, spec->handle);
	if (ret) {
		refcount_dec(&key->ref);
		atomic_dec(&kn->n_keys);
		atomic_dec(&owner->n_keys);
		atomic64_sub(sizeof(*key) + key->len, &kn->mem);
		if (ret == -ENOENT)
			NL_SET_ERR_MSG(extack, "owner peer was deleted");
		else
			NL_SET_ERR_MSG(extack, "handle taken");
		goto err_owner;
	}
	if (key_expiry(key)) {
		if (dbg_arm_delay_ms)
			msleep(dbg_arm_delay_ms);
		key_arm(key);
	}
	*handle = key->handle;
	ksf_key_put(key);
	return 0;

err_owner:
	ksf_peer_put(owner);
err_free:
	kfree(key->peers);
	kfree_sensitive(key);
	return ret;
}

int ksf_key_del(struct ksf_net *kn, u64 handle)
{
	struct ksf_key *key = ksf_key_get(kn, handle);
	bool gone;

	if (!key)
		return -ENOENT;
	gone = key_detach(key);
	if (gone)
		ksf_event(kn, KSF_EVENT_KEY_DESTROYED, key->owner->id, handle,
			  0, "deleted");
	ksf_key_put(key);
	return gone ? 0 : -ENOENT;
}

/* ---- replace (notify key-replace) ---- */

/*
 * @new may replace @old for @caller (NULL: an admin): the owner of both
 * (an admin too needs one owner: the handle stays its owner's), one
 * type, length and usage family, no key of a NAS security context (the
 * context holds the object, not the handle), @new not expired.
 */
int ksf_key_replace_check(const struct ksf_key *old,
			  const struct ksf_key *new,
			  const struct ksf_peer *caller,
			  struct netlink_ext_ack *extack)
{
	if (caller && (old->owner != caller || new->owner != caller)) {
		NL_SET_ERR_MSG(extack,
			       "key-replace: the caller's peer owns not both keys (owner or admin only)");
		return -EACCES;
	}
	if (old->owner != new->owner) {
		NL_SET_ERR_MSG(extack, "key-replace: the keys have two owners");
		return -EINVAL;
	}
	if (old->type != new->type || old->len != new->len) {
		NL_SET_ERR_MSG(extack,
			       "key-replace: the keys differ in type or length");
		return -EINVAL;
	}
	if (ksf_usage_family(old->usage) != ksf_usage_family(new->usage)) {
		NL_SET_ERR_MSG(extack,
			       "key-replace: the keys differ in usage family");
		return -EINVAL;
	}
	if ((READ_ONCE(old->flags) | READ_ONCE(new->flags)) &
	    KSF_KEY_FLAG_CONTEXT) {
		NL_SET_ERR_MSG(extack,
			       "key-replace: a key of a NAS security context is replaced only with its context");
		return -EBUSY;
	}
	if (ksf_key_expired(new)) {
		NL_SET_ERR_MSG(extack, "key-replace: the new key expired");
		return -EKEYEXPIRED;
	}
	return 0;
}

static void key_clone_free(struct ksf_key *key)
{
	kfree(key->fc_uses);
	kfree(key->peers);
	kfree_sensitive(key);
}

/* @src's FC record, word by word: claims may set bits meanwhile. */
static int key_clone_fc(struct ksf_key *key, const struct ksf_key *src)
{
	/* Pairs with the cmpxchg() publishing a record (fc_uses()). */
	const struct ksf_fc_uses *u = smp_load_acquire(&src->fc_uses);
	unsigned int i, j;

	if (!u)
		return 0;
	key->fc_uses = kzalloc(sizeof(*u), GFP_KERNEL_ACCOUNT);
	if (!key->fc_uses)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(u->fam); i++)
		for (j = 0; j < ARRAY_SIZE(u->fam[i]); j++)
			key->fc_uses->fam[i][j] = READ_ONCE(u->fam[i][j]);
	return 0;
}

/*
 * A copy of @src (flagged retired) under @handle, unlinked, owner not
 * set, holding two references (the table's and the caller's).
 */
static struct ksf_key *key_clone(const struct ksf_key *src, u64 handle)
{
	struct ksf_key *key;

	key = kzalloc(struct_size(key, material, src->len), GFP_KERNEL_ACCOUNT);
	if (!key)
		return NULL;
	if (src->n_peers) {
		key->peers = kmemdup(src->peers, src->n_peers * KSF_PEER_ID_LEN,
				     GFP_KERNEL_ACCOUNT);
		if (!key->peers)
			goto err;
		key->n_peers = src->n_peers;
	}
	if (key_clone_fc(key, src))
		goto err;
	refcount_set(&key->ref, 2);
	key->kn = src->kn;
	key->handle = handle;
	key->parent = src->parent;
	key->type = src->type;
	key->len = src->len;
	key->usage = src->usage;
	key->source = src->source;
	key->flags = READ_ONCE(src->flags) & ~KSF_KEY_FLAG_RETIRED;
	key->created = src->created;
	key->not_after = src->not_after;
	key->max_age = src->max_age;
	atomic64_set(&key->uses, atomic64_read(&src->uses));
	atomic64_set(&key->gcm_count, atomic64_read(&src->gcm_count));
	mutex_init(&key->tfm_lock);
	INIT_LIST_HEAD(&key->owner_node);
	INIT_DELAYED_WORK(&key->expire, key_expire_work);
	memcpy(key->material, src->material, src->len);
	return key;

err:
	key_clone_free(key);
	return NULL;
}

static size_t key_mem(const struct ksf_key *key)
{
	return sizeof(*key) + key->len +
	       (key->fc_uses ? sizeof(*key->fc_uses) : 0);
}

/*
 * Swaps @clone in for @old, which must still be in the table: a lookup
 * of the handle finds one or the other, never neither.  Under the
 * owner's key_lock like key_insert(), so a deleted owner gets no key
 * and the owner's list holds the clone where it held @old.
 */
static int key_swap(struct ksf_key *old, struct ksf_key *clone)
{
	struct ksf_peer *owner = old->owner;
	int ret = -ENOENT;

	spin_lock_bh(&owner->key_lock);
	if (!owner->keys_closed && old->linked)
		ret = rhashtable_replace_fast(&old->kn->keys, &old->node,
					      &clone->node, key_params);
	if (!ret) {
		list_replace_init(&old->owner_node, &clone->owner_node);
		WRITE_ONCE(old->linked, false);
		clone->linked = true;
	}
	spin_unlock_bh(&owner->key_lock);
	return ret;
}

/*
 * Replaces the key @oh by a copy of the key @nh made under @oh, and
 * retires @nh.  The old object is wiped after its last reference (items
 * holding it finish with it) and a grace period; the copy keeps @nh's
 * bytes, usage, peers, flags, FC record, counters and lifetime.  An
 * error (the keys' checks, no memory, a key gone meanwhile) changes
 * nothing.
 */
static int key_replace(struct ksf_key *old, struct ksf_key *new,
		       struct netlink_ext_ack *extack)
{
	struct ksf_net *kn = old->kn;
	struct ksf_key *clone;
	int ret;

	/* From here no claim on @new: the copy stays true for its bytes. */
	if (ksf_key_claim_flag(new, KSF_KEY_FLAG_RETIRED, KSF_KEY_FLAG_RETIRED)) {
		NL_SET_ERR_MSG(extack, "key-replace: the new key is being retired");
		return -EBUSY;
	}
	clone = key_clone(new, old->handle);
	if (!clone) {
		ret = -ENOMEM;
		goto unclaim;
	}
	refcount_inc(&old->owner->ref);
	clone->owner = old->owner;
	atomic64_add(key_mem(clone), &kn->mem);
	ret = key_swap(old, clone);
	if (ret) {
		NL_SET_ERR_MSG(extack, "key-replace: a key was destroyed meanwhile");
		atomic64_sub(key_mem(clone), &kn->mem);
		ksf_peer_put(clone->owner);
		key_clone_free(clone);
		goto unclaim;
	}
	if (key_expiry(clone))
		key_arm(clone);
	ksf_key_put(clone);		/* ours; the table holds it */
	key_disarm(old);
	/*
	 * A lookup that found @old before the swap takes its reference
	 * within its RCU read section: the table's is dropped after them,
	 * so such a lookup gets @old (never a dead object, "no such key").
	 */
	synchronize_rcu();
	ksf_key_put(old);		/* the table's */
	key_detach(new);		/* or someone destroying it did */
	return 0;

unclaim:
	ksf_key_unclaim_flag(new, KSF_KEY_FLAG_RETIRED);
	return ret;
}

int ksf_key_replace(struct ksf_net *kn, const struct ksf_peer *caller,
		    u64 oh, u64 nh, struct netlink_ext_ack *extack)
{
	struct ksf_key *old = ksf_key_get(kn, oh), *new = ksf_key_get(kn, nh);
	int ret = -ENOENT;

	if (!old) {
		NL_SET_ERR_MSG(extack, "key-replace: no such key");
		goto out;
	}
	if (!new) {
		NL_SET_ERR_MSG(extack, "key-replace: no such new key");
		goto out;
	}
	ret = ksf_key_replace_check(old, new, caller, extack);
	if (!ret)
		ret = key_replace(old, new, extack);
	if (!ret)
		ksf_event_replaced(kn, old->owner->id, oh, nh);
out:
	ksf_key_put(new);
	ksf_key_put(old);
	return ret;
}

bool ksf_key_usable_by(const struct ksf_key *key, const struct ksf_peer *p)
{
	u32 i;

	if (key->owner == p)
		return true;
	for (i = 0; i < key->n_peers; i++)
		if (!strncmp(key->peers[i], p->id, KSF_PEER_ID_LEN))
			return true;
	return false;
}

static int fc_family_index(u32 family)
{
	if (family == KSF_KEY_USAGE_DERIVE)
		return 0;
	return family & KSF_KEY_USAGE_MAC ? 1 : 2;
}

/* The parent's record of FCs, allocated on its first derivation. */
static struct ksf_fc_uses *fc_uses(struct ksf_key *parent)
{
	/* Pairs with the cmpxchg() publishing a zeroed record. */
	struct ksf_fc_uses *u = smp_load_acquire(&parent->fc_uses), *mine;

	if (u)
		return u;
	mine = kzalloc(sizeof(*mine), GFP_KERNEL_ACCOUNT);
	if (!mine)
		return NULL;
	u = cmpxchg(&parent->fc_uses, NULL, mine);
	if (u) {
		kfree(mine);	/* a concurrent derivation won */
		return u;
	}
	atomic64_add(sizeof(*mine), &parent->kn->mem);
	return mine;
}

/*
 * Records that @parent derives keys of @family with @fc; -EKEYREJECTED if
 * it derived keys of another family with the same FC before (a policy
 * changed in between): the same bytes would serve two families.  No
 * lock: each side sets its bit (a fully ordered RMW) before it looks at
 * the others, so two concurrent requests of two families cannot both
 * pass; the loser takes back a bit it set.  A key being retired by a
 * replace (KSF_KEY_FLAG_RETIRED) claims no new FC.
 */
int ksf_key_claim_fc(struct ksf_key *parent, u8 fc, u32 family)
{
	struct ksf_fc_uses *u = fc_uses(parent);
	int i, mine = fc_family_index(family);
	bool had;

	if (!u)
		return -ENOMEM;
	had = test_and_set_bit(fc, u->fam[mine]);
	/* A replace copies the record after flagging: it saw our bit or we see its flag. */
	if (READ_ONCE(parent->flags) & KSF_KEY_FLAG_RETIRED)
		goto refuse;
	for (i = 0; i < ARRAY_SIZE(u->fam); i++)
		if (i != mine && test_bit(fc, u->fam[i]))
			goto refuse;
	return 0;

refuse:
	if (!had)
		clear_bit(fc, u->fam[mine]);
	return -EKEYREJECTED;
}

/* Sets @flag on @key unless it has one of @conflicts (-EKEYREJECTED). */
int ksf_key_claim_flag(struct ksf_key *key, u32 flag, u32 conflicts)
{
	u32 old = READ_ONCE(key->flags);

	do {
		if (old & conflicts)
			return -EKEYREJECTED;
	} while (!try_cmpxchg(&key->flags, &old, old | flag));
	return 0;
}

/* Takes back a @flag that ksf_key_claim_flag() set for a refused use. */
void ksf_key_unclaim_flag(struct ksf_key *key, u32 flag)
{
	u32 old = READ_ONCE(key->flags);

	while (!try_cmpxchg(&key->flags, &old, old & ~flag))
		;
}

/* Copies the payload of a logon, user, encrypted or trusted key into @buf. */
static int keyring_copy(struct key *k, u8 *buf, u32 *len,
			struct netlink_ext_ack *extack)
{
	const char *type = k->type->name;
	const u8 *data = NULL;
	unsigned int n = 0;
	int ret;

	down_read(&k->sem);
	ret = key_validate(k);
	if (ret) {
		NL_SET_ERR_MSG(extack, "keyring key is revoked or expired");
		goto out;
	}
	if (!strcmp(type, "logon") || !strcmp(type, "user")) {
		const struct user_key_payload *up = user_key_payload_locked(k);

		if (up) {
			data = up->data;
			n = up->datalen;
		}
	} else if (!strcmp(type, "encrypted")) {
		const struct encrypted_key_payload *ep =
			dereference_key_locked(k);

		if (ep) {
			data = ep->decrypted_data;
			n = ep->decrypted_datalen;
		}
	} else if (!strcmp(type, "trusted")) {
		/* its bytes never left the kernel unsealed (TPM-sealed) */
		const struct trusted_key_payload *tp =
			dereference_key_locked(k);

		if (tp) {
			data = tp->key;
			n = tp->key_len;
		}
	} else {
		NL_SET_ERR_MSG(extack,
			       "keyring key type must be logon, user, encrypted or trusted");
		ret = -EKEYREJECTED;
		goto out;
	}
	ret = -EINVAL;
	if (!data || !n || n > KSF_KEY_MAX_LEN) {
		NL_SET_ERR_MSG(extack, "keyring key payload empty or too long");
		goto out;
	}
	if (*len && *len != n) {
		NL_SET_ERR_MSG(extack, "len differs from the keyring key's length");
		goto out;
	}
	memcpy(buf, data, n);
	*len = n;
	ret = 0;
out:
	up_read(&k->sem);
	return ret;
}

/*
 * Reads a kernel keyring key, by serial (any logon, user, encrypted or
 * trusted key the caller may search) or by the description of a logon key.
 */
int ksf_keyring_read(const s32 *serial, const char *desc, u8 *buf, u32 *len,
		     struct netlink_ext_ack *extack)
{
	struct key *k;
	int ret;

	if (serial) {
		key_ref_t ref = lookup_user_key(*serial, 0, KEY_NEED_SEARCH);

		if (IS_ERR(ref)) {
			NL_SET_ERR_MSG(extack,
				       "no such keyring key the caller may search");
			return PTR_ERR(ref);
		}
		k = key_ref_to_ptr(ref);
	} else if (desc) {
		k = request_key(&key_type_logon, desc, NULL);
		if (IS_ERR(k)) {
			NL_SET_ERR_MSG(extack,
				       "no logon key with this description");
			return PTR_ERR(k);
		}
	} else {
		NL_SET_ERR_MSG(extack, "a keyring serial or description is required");
		return -EINVAL;
	}
	ret = keyring_copy(k, buf, len, extack);
	key_put(k);
	return ret;
}

int ksf_keys_init(struct ksf_net *kn)
{
	return rhashtable_init(&kn->keys, &key_params);
}

/* Destroys every key of a deleted peer; no new ones can appear. */
void ksf_keys_destroy_owned(struct ksf_net *kn, struct ksf_peer *owner)
{
	struct ksf_key *key;

	spin_lock_bh(&owner->key_lock);
	owner->keys_closed = true;
	spin_unlock_bh(&owner->key_lock);

	for (;;) {
		spin_lock_bh(&owner->key_lock);
		key = list_first_entry_or_null(&owner->keys, struct ksf_key,
					       owner_node);
		if (key)
			refcount_inc(&key->ref);	/* the table's is held */
		spin_unlock_bh(&owner->key_lock);
		if (!key)
			break;
		if (key_detach(key))
			ksf_event(kn, KSF_EVENT_KEY_DESTROYED, owner->id,
				  key->handle, 0, "owner deleted");
		ksf_key_put(key);
	}
}

static void key_destroy(void *ptr, void *arg)
{
	struct ksf_key *key = ptr;

	atomic_dec(&key->kn->n_keys);
	atomic_dec(&key->owner->n_keys);
	spin_lock_bh(&key->owner->key_lock);
	list_del_init(&key->owner_node);
	WRITE_ONCE(key->linked, false);
	spin_unlock_bh(&key->owner->key_lock);
	key_disarm(key);
	ksf_key_put(key);
}

/*
 * Instance teardown: every key is wiped, and no expiry runs afterwards.
 * Expiries of keys in the table are cancelled one by one; an expiry that
 * took its key out of the table itself is still finishing (event, puts
 * that reach kn): the flush waits for it.
 */
void ksf_keys_destroy(struct ksf_net *kn)
{
	mutex_lock(&kn->expire_lock);
	kn->keys_dead = true;
	mutex_unlock(&kn->expire_lock);
	rhashtable_free_and_destroy(&kn->keys, key_destroy, NULL);
	flush_workqueue(ksf_wq);
}
