// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic 3GPP key derivation function of TS 33.220 Annex B.2:
 * KDF(Key, S) = HMAC-SHA-256(Key, S), S = FC || P0 || L0 || P1 || L1 ...,
 * Li the length of Pi as two bytes, big endian.  The derived key stays in
 * the keystore; the caller receives its handle.
 */
#include <crypto/hash.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "../ksf.h"
#include "../core/keystore.h"
#include "../core/peer.h"
#include "../core/policy.h"
#include "../crypto/kdf.h"
#include "item.h"
#include "services.h"

/* Key parameters of one KDF item, held until the KDF is computed. */
struct kdf_keys {
	struct ksf_key *key[KSF_KDF_MAX_PARAMS];
	unsigned int n;
};

static void kdf_keys_put(struct kdf_keys *keys)
{
	while (keys->n)
		ksf_key_put(keys->key[--keys->n]);
}

/* A param-key: a derive key of the caller, used as its bytes. */
static int kdf_param_key(struct ksf_net *kn, struct ksf_item *it,
			 const struct nlattr *a, struct kdf_keys *keys,
			 const u8 **param, u16 *len)
{
	struct ksf_key *key = ksf_key_get(kn, nla_get_u64(a));

	if (!key)
		return -ENOENT;
	if (!ksf_key_usable_by(key, it->peer) || ksf_key_expired(key) ||
	    !(key->usage & KSF_KEY_USAGE_DERIVE)) {
		ksf_key_put(key);
		return -EACCES;
	}
	keys->key[keys->n++] = key;
	*param = key->material;
	*len = key->len;
	return 0;
}

/* Collects P0, P1, ... (param and param-key attributes), in order. */
static int kdf_params(struct ksf_net *kn, struct ksf_item *it,
		      const u8 **params, u16 *lens, struct kdf_keys *keys)
{
	const struct nlattr *a;
	int rem, n = 0, ret;

	nla_for_each_nested(a, it->nest, rem) {
		if (nla_type(a) != KSF_A_ITEM_PARAM &&
		    nla_type(a) != KSF_A_ITEM_PARAM_KEY)
			continue;
		if (n == KSF_KDF_MAX_PARAMS)
			return -E2BIG;
		if (nla_type(a) == KSF_A_ITEM_PARAM_KEY) {
			ret = kdf_param_key(kn, it, a, keys, &params[n],
					    &lens[n]);
			if (ret)
				return ret;
			n++;
			continue;
		}
		if (nla_len(a) > KSF_PARAM_MAX_LEN)
			return -E2BIG;
		params[n] = nla_data(a);
		lens[n++] = nla_len(a);
	}
	return n;
}

/* The lifetime of the derived key: bounded by the policy (and parent). */
static bool kdf_lifetime(struct ksf_item *it, struct ksf_key_spec *spec)
{
	const struct nlattr *a = it->tb[KSF_A_ITEM_OUT_MAX_AGE];
	u32 max = it->pol->lifetime_max;

	spec->max_age = a ? nla_get_u32(a) : max;
	if (max && (!spec->max_age || spec->max_age > max)) {
		ksf_item_reject(it, "derived key lifetime beyond the trusted policy");
		return false;
	}
	return true;	/* ksf_key_add() bounds it by the parent's */
}

static bool fc_in(const u8 *map, u8 fc)
{
	return map[fc / 8] & BIT(fc % 8);
}

/*
 * The usage family of the keys a derivation gives (admin-guide.rst,
 * "Key-usage families"), never the caller's choice: FC 0x69 by its
 * algorithm-type distinguisher P0 (TS 33.501 A.8: 0x01/0x03/0x05
 * encryption, 0x02/0x04/0x06 integrity), any other FC derive-only unless
 * the policy names it.
 */
static u32 kdf_family(const struct ksf_policy *pol, u8 fc, const u8 *p0,
		      u16 l0)
{
	if (fc == KSF_FC_ALG_KEY) {
		switch (l0 == 1 ? p0[0] : 0) {
		case 0x01: case 0x03: case 0x05:
			return KSF_KEY_USAGE_ENCRYPT | KSF_KEY_USAGE_DECRYPT;
		case 0x02: case 0x04: case 0x06:
			return KSF_KEY_USAGE_MAC | KSF_KEY_USAGE_VERIFY;
		}
		return KSF_KEY_USAGE_DERIVE;
	}
	if (fc_in(pol->mac_fcs, fc))
		return KSF_KEY_USAGE_MAC | KSF_KEY_USAGE_VERIFY;
	if (fc_in(pol->encrypt_fcs, fc))
		return KSF_KEY_USAGE_ENCRYPT | KSF_KEY_USAGE_DECRYPT;
	return KSF_KEY_USAGE_DERIVE;
}

static u32 kdf_default_type(u8 fc, u32 family)
{
	if (family == KSF_KEY_USAGE_DERIVE)
		return KSF_KEY_TYPE_GENERIC;
	if (fc == KSF_FC_ALG_KEY)
		return KSF_KEY_TYPE_NAS;
	return family & KSF_KEY_USAGE_MAC ? KSF_KEY_TYPE_GENERIC :
					    KSF_KEY_TYPE_AES;
}

static const char *family_name(u32 family)
{
	if (family == KSF_KEY_USAGE_DERIVE)
		return "out-usage outside this derivation's family: derive";
	if (family & KSF_KEY_USAGE_MAC)
		return "out-usage outside this derivation's family: mac,verify";
	return "out-usage outside this derivation's family: encrypt,decrypt";
}

/* Type, length, usage and lifetime of the derived key. */
static bool kdf_out_spec(struct ksf_item *it, u8 fc, u32 family,
			 struct ksf_key_spec *spec)
{
	struct nlattr **tb = it->tb;

	spec->type = tb[KSF_A_ITEM_OUT_TYPE] ?
		     nla_get_u32(tb[KSF_A_ITEM_OUT_TYPE]) :
		     kdf_default_type(fc, family);
	spec->len = tb[KSF_A_ITEM_OUT_LEN] ?
		    nla_get_u32(tb[KSF_A_ITEM_OUT_LEN]) :
		    spec->type == KSF_KEY_TYPE_NAS ? 16 : KSF_KDF_OUT_LEN;
	spec->usage = tb[KSF_A_ITEM_OUT_USAGE] ?
		      nla_get_u32(tb[KSF_A_ITEM_OUT_USAGE]) : family;
	if (spec->usage & ~family) {
		ksf_item_reject(it, family_name(family));
		return false;
	}
	if (!ksf_type_holds(spec->type, spec->usage)) {
		ksf_item_fail(it, -EINVAL, "out-type cannot hold this derivation's usage");
		return false;
	}
	if (spec->len < it->pol->key_len_min || spec->len > it->pol->key_len_max) {
		ksf_item_reject(it, "derived key length outside the trusted policy");
		return false;
	}
	spec->source = KSF_KEY_SOURCE_DERIVE;
	spec->keys_max = it->pol->keys_max;
	return kdf_lifetime(it, spec);
}

/*
 * What the parent remembers of this derivation.  The same parent and FC
 * must never give keys of two families (a policy may change between two
 * requests), and NAS keys (FC 0x69, 0x01/0x02) come either from kdf or
 * from one NAS security context, never both: the context's COUNTs would
 * not hold for a copy of its keys.
 */
static const char kept_in_context[] =
	"this key keyed a NAS security context: its NAS keys stay there";

static bool kdf_claim(struct ksf_item *it, struct ksf_key *key, u8 fc,
		      u32 family, const u8 *p0, u16 l0)
{
	int ret;

	if (fc != KSF_FC_ALG_KEY) {
		ret = ksf_key_claim_fc(key, fc, family);
		if (ret == -EKEYREJECTED)
			ksf_item_reject(it, "this key derived keys of another family with this fc");
	} else if (l0 == 1 && (p0[0] == 0x01 || p0[0] == 0x02)) {
		ret = ksf_key_claim_flag(key, KSF_KEY_FLAG_RAW_NAS,
					 KSF_KEY_FLAG_SPENT);
		if (ret == -EKEYREJECTED)
			ksf_item_reject(it, kept_in_context);
	} else {
		return true;
	}
	if (ret && ret != -EKEYREJECTED)
		ksf_item_fail(it, ret, "out of memory");
	return !ret;
}

void ksf_svc_kdf(struct ksf_net *kn, struct ksf_item *it, struct ksf_key *key)
{
	const u8 *params[KSF_KDF_MAX_PARAMS];
	u16 lens[KSF_KDF_MAX_PARAMS];
	struct kdf_keys keys = {};
	struct nlattr **tb = it->tb;
	struct ksf_key_spec spec = { .from = key };
	struct crypto_shash *tfm;
	u8 out[KSF_KDF_OUT_LEN], fc;
	const u8 *p0;
	u32 family;
	u16 l0;
	int n, ret;

	if (!tb[KSF_A_ITEM_FC]) {
		ksf_item_fail(it, -EINVAL, "kdf needs fc");
		return;
	}
	fc = nla_get_u8(tb[KSF_A_ITEM_FC]);
	n = kdf_params(kn, it, params, lens, &keys);
	if (n < 0) {
		ksf_item_fail(it, n, n == -E2BIG ?
			      "more than 16 params or a param over 256 bytes" :
			      n == -ENOENT ? "unknown param-key handle" :
			      "param-key not a derive key of this peer");
		goto out;
	}
	p0 = n ? params[0] : NULL;
	l0 = n ? lens[0] : 0;
	family = kdf_family(it->pol, fc, p0, l0);
	if (!kdf_out_spec(it, fc, family, &spec) ||
	    !kdf_claim(it, key, fc, family, p0, l0))
		goto out;
	tfm = ksf_key_mac_tfm(key, KSF_ALG_HMAC_SHA256);
	if (IS_ERR(tfm)) {
		ksf_item_fail(it, PTR_ERR(tfm), "KDF transform unavailable");
		goto out;
	}
	ret = ksf_kdf(tfm, fc, params, lens, n, out);
	if (ret) {
		ksf_item_fail(it, ret, "KDF computation failed");
		goto out;
	}
	/* Shorter keys are the least significant bytes (TS 33.501 A.8). */
	ret = ksf_key_add(kn, it->peer, &spec, out + KSF_KDF_OUT_LEN - spec.len,
			  &it->new_key, NULL);
	if (ret)
		ksf_item_key_error(it, ret);
out:
	kdf_keys_put(&keys);
	memzero_explicit(out, sizeof(out));
}
