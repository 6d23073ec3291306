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
#include <keys/encrypted-type.h>
#include <keys/trusted-type.h>
#include <keys/user-type.h>
#include <linux/delay.h>
#include <linux/key-type.h>
#include <linux/key.h>
#include <linux/random.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "../ksf.h"
#include "audit.h"
#include "keystore.h"
#include "peer.h"
#include "../crypto/aead.h"
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

/* Usages each key type may carry (one family at a time). */
static const u32 type_usage[] = {
	[KSF_KEY_TYPE_GENERIC]	= KSF_KEY_USAGE_DERIVE | KSF_KEY_USAGE_MAC |
				  KSF_KEY_USAGE_VERIFY,
	[KSF_KEY_TYPE_AES]	= KSF_KEY_USAGE_MAC | KSF_KEY_USAGE_VERIFY |
				  KSF_KEY_USAGE_ENCRYPT | KSF_KEY_USAGE_DECRYPT |
				  KSF_KEY_USAGE_SEAL,
	[KSF_KEY_TYPE_KEK]	= KSF_KEY_USAGE_WRAP,
	[KSF_KEY_TYPE_NAS]	= KSF_KEY_USAGE_MAC | KSF_KEY_USAGE_VERIFY |
				  KSF_KEY_USAGE_ENCRYPT | KSF_KEY_USAGE_DECRYPT,
	[KSF_KEY_TYPE_K]	= KSF_KEY_USAGE_DERIVE,
	[KSF_KEY_TYPE_OPC]	= KSF_KEY_USAGE_DERIVE,
};

/* The usage a key gets when none is given; a nas key needs one given. */
static const u32 type_default_usage[] = {
	[KSF_KEY_TYPE_GENERIC]	= KSF_KEY_USAGE_DERIVE,
	[KSF_KEY_TYPE_AES]	= KSF_KEY_USAGE_ENCRYPT | KSF_KEY_USAGE_DECRYPT,
	[KSF_KEY_TYPE_KEK]	= KSF_KEY_USAGE_WRAP,
	[KSF_KEY_TYPE_K]	= KSF_KEY_USAGE_DERIVE,
	[KSF_KEY_TYPE_OPC]	= KSF_KEY_USAGE_DERIVE,
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

/* A key of @type may carry @usage. */
bool ksf_type_holds(u32 type, u32 usage)
{
	return type < ARRAY_SIZE(type_usage) && !(usage & ~type_usage[type]);
}

size_t ksf_key_size(void)
{
	return sizeof(struct ksf_key);
}

static bool type_len_ok(u32 type, u32 len)
{
	switch (type) {
	case KSF_KEY_TYPE_GENERIC:
		return len >= 1 && len <= KSF_KEY_MAX_LEN;
	case KSF_KEY_TYPE_AES:
		return len == 16 || len == 32;
	case KSF_KEY_TYPE_KEK:
		return len == 32;
	case KSF_KEY_TYPE_NAS:
	case KSF_KEY_TYPE_K:
	case KSF_KEY_TYPE_OPC:
		return len == 16;
	}
	return false;
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
	crypto_free_shash(key->mac_tfm);	/* wipes the keyed state */
	crypto_free_aead(key->aead_tfm);
	if (key->cipher_tfm)
		crypto_free_cipher(key->cipher_tfm);
	if (key->nas_tfm)
		ksf_nas_free(key->nas_tfm);
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
		strscpy(key->peers[i], nla_data(spec->peer_attrs[i]),
			min_t(int, KSF_PEER_ID_LEN,
			      nla_len(spec->peer_attrs[i]) + 1));
	key->n_peers = spec->n_peers;
	return 0;
}

static int key_check_spec(const struct ksf_key_spec *spec, u32 *usage,
			  struct netlink_ext_ack *extack)
{
	if (!type_len_ok(spec->type, spec->len)) {
		NL_SET_ERR_MSG(extack, "key length not valid for the key type");
		return -EINVAL;
	}
	*usage = spec->usage ? spec->usage : type_default_usage[spec->type];
	if (!*usage) {
		NL_SET_ERR_MSG(extack,
			       "a nas key needs a usage: mac,verify or encrypt,decrypt");
		return -EINVAL;
	}
	if (*usage & ~type_usage[spec->type]) {
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
	struct ksf_key *key;
	u32 usage;
	int ret;

	ret = key_check_spec(spec, &usage, extack);
	if (ret)
		return ret;
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
 * pass; the loser takes back a bit it set.
 */
int ksf_key_claim_fc(struct ksf_key *parent, u8 fc, u32 family)
{
	struct ksf_fc_uses *u = fc_uses(parent);
	int i, mine = fc_family_index(family);
	bool had;

	if (!u)
		return -ENOMEM;
	had = test_and_set_bit(fc, u->fam[mine]);
	for (i = 0; i < ARRAY_SIZE(u->fam); i++) {
		if (i != mine && test_bit(fc, u->fam[i])) {
			if (!had)
				clear_bit(fc, u->fam[mine]);
			return -EKEYREJECTED;
		}
	}
	return 0;
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

/* The MAC transform of a key, keyed once on first use. */
struct crypto_shash *ksf_key_mac_tfm(struct ksf_key *key, u32 alg)
{
	const char *name = alg == KSF_ALG_AES_CMAC ? "cmac(aes)" :
						     "hmac(sha256)";
	/* Pairs with the smp_store_release() publishing a keyed tfm. */
	struct crypto_shash *tfm = smp_load_acquire(&key->mac_tfm);
	int ret;

	if (tfm)
		return tfm;
	mutex_lock(&key->tfm_lock);
	tfm = key->mac_tfm;
	if (tfm)
		goto out;
	tfm = crypto_alloc_shash(name, 0, 0);
	if (IS_ERR(tfm))
		goto out;
	ret = crypto_shash_setkey(tfm, key->material, key->len);
	if (ret) {
		crypto_free_shash(tfm);
		tfm = ERR_PTR(ret);
		goto out;
	}
	/* Publish only once keyed: pairs with smp_load_acquire(). */
	smp_store_release(&key->mac_tfm, tfm);
out:
	mutex_unlock(&key->tfm_lock);
	return tfm;
}

/* The AES transform under K for Milenage, keyed once. */
struct crypto_cipher *ksf_key_cipher_tfm(struct ksf_key *key)
{
	/* Pairs with the smp_store_release() publishing a keyed tfm. */
	struct crypto_cipher *tfm = smp_load_acquire(&key->cipher_tfm);

	if (tfm)
		return tfm;
	mutex_lock(&key->tfm_lock);
	tfm = key->cipher_tfm;
	if (!tfm) {
		tfm = ksf_milenage_alloc(key->material, key->len);
		if (!IS_ERR(tfm)) {
			/* Publish once keyed: pairs with smp_load_acquire(). */
			smp_store_release(&key->cipher_tfm, tfm);
		}
	}
	mutex_unlock(&key->tfm_lock);
	return tfm;
}

/*
 * The NIA/NEA transform of a nas key for @alg.  The first algorithm used
 * is kept; another one gets a transform of its own (*own set: the caller
 * frees it).
 */
struct ksf_nas *ksf_key_nas_tfm(struct ksf_key *key, u32 alg, bool *own)
{
	/* Pairs with the smp_store_release() publishing a keyed tfm. */
	struct ksf_nas *nas = smp_load_acquire(&key->nas_tfm);

	*own = false;
	if (nas && READ_ONCE(key->nas_alg) == alg)
		return nas;
	mutex_lock(&key->tfm_lock);
	nas = key->nas_tfm;
	if (nas && key->nas_alg == alg)
		goto out;
	nas = ksf_nas_alloc(alg, key->material, key->len);
	if (IS_ERR(nas))
		goto out;
	if (key->nas_tfm) {
		*own = true;
		goto out;
	}
	WRITE_ONCE(key->nas_alg, alg);
	/* Publish only once keyed: pairs with smp_load_acquire(). */
	smp_store_release(&key->nas_tfm, nas);
out:
	mutex_unlock(&key->tfm_lock);
	return nas;
}

struct crypto_aead *ksf_key_aead_tfm(struct ksf_key *key)
{
	/* Pairs with the smp_store_release() publishing a keyed tfm. */
	struct crypto_aead *tfm = smp_load_acquire(&key->aead_tfm);

	if (tfm)
		return tfm;
	mutex_lock(&key->tfm_lock);
	tfm = key->aead_tfm;
	if (tfm)
		goto out;
	tfm = ksf_gcm_tfm(key->material, key->len);
	if (IS_ERR(tfm))
		goto out;
	/* Publish only once keyed: pairs with smp_load_acquire(). */
	smp_store_release(&key->aead_tfm, tfm);
out:
	mutex_unlock(&key->tfm_lock);
	return tfm;
}

int ksf_key_fill(struct sk_buff *skb, struct ksf_key *key)
{
	u32 i;

	if (nla_put_u64_64bit(skb, KSF_A_KEY_HANDLE, key->handle,
			      KSF_A_KEY_PAD) ||
	    nla_put_u32(skb, KSF_A_KEY_TYPE, key->type) ||
	    nla_put_u32(skb, KSF_A_KEY_LEN, key->len) ||
	    nla_put_u32(skb, KSF_A_KEY_USAGE, key->usage) ||
	    nla_put_string(skb, KSF_A_KEY_OWNER, key->owner->id) ||
	    (key->parent && nla_put_u64_64bit(skb, KSF_A_KEY_PARENT,
					      key->parent, KSF_A_KEY_PAD)) ||
	    nla_put_u64_64bit(skb, KSF_A_KEY_CREATED, key->created,
			      KSF_A_KEY_PAD) ||
	    (key->not_after && nla_put_u64_64bit(skb, KSF_A_KEY_NOT_AFTER,
						 key->not_after,
						 KSF_A_KEY_PAD)) ||
	    (key->max_age && nla_put_u32(skb, KSF_A_KEY_MAX_AGE,
					 key->max_age)) ||
	    nla_put_u32(skb, KSF_A_KEY_SOURCE, key->source) ||
	    nla_put_u64_64bit(skb, KSF_A_KEY_USES, atomic64_read(&key->uses),
			      KSF_A_KEY_PAD) ||
	    (READ_ONCE(key->flags) &&
	     nla_put_u32(skb, KSF_A_KEY_FLAGS, READ_ONCE(key->flags))))
		return -EMSGSIZE;
	for (i = 0; i < key->n_peers; i++)
		if (nla_put_string(skb, KSF_A_KEY_PEER, key->peers[i]))
			return -EMSGSIZE;
	return 0;
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
int ksf_keyring_read(const struct nlattr *serial, const struct nlattr *desc,
		     u8 *buf, u32 *len, struct netlink_ext_ack *extack)
{
	struct key *k;
	int ret;

	if (serial) {
		key_ref_t ref = lookup_user_key(nla_get_s32(serial), 0,
						KEY_NEED_SEARCH);

		if (IS_ERR(ref)) {
			NL_SET_ERR_MSG_ATTR(extack, serial,
					    "no such keyring key the caller may search");
			return PTR_ERR(ref);
		}
		k = key_ref_to_ptr(ref);
	} else if (desc) {
		k = request_key(&key_type_logon, nla_data(desc), NULL);
		if (IS_ERR(k)) {
			NL_SET_ERR_MSG_ATTR(extack, desc,
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

/* Collects the allowed-peer attributes among @len bytes at @head. */
int ksf_key_spec_peers(struct ksf_key_spec *spec, const struct nlattr *head,
		       int len, struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	int rem;

	nla_for_each_attr(a, head, len, rem) {
		if (nla_type(a) != KSF_A_KEY_PEER)
			continue;
		if (spec->n_peers == KSF_MAX_KEY_PEERS) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "too many peers for one key");
			return -E2BIG;
		}
		if (ksf_id_check(a, extack))
			return -EINVAL;
		spec->peer_attrs[spec->n_peers++] = a;
	}
	return 0;
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
