// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic 3GPP key derivation function of TS 33.220 Annex B.2:
 * KDF(Key, S) = HMAC-SHA-256(Key, S), S = FC || P0 || L0 || P1 || L1 ...,
 * Li the length of Pi as two bytes, big endian.  The derived key stays in
 * the keystore; the caller receives its handle.
 */
#include <crypto/hash.h>
#include <crypto/sha2.h>

#include "ksf.h"

/*
 * One unkeyed SHA-256 transform for the module: an unkeyed shash may be
 * used by many callers at once, each with its own descriptor.  It serves
 * the KDFs whose key exists only for one computation (CK||IK in AKA),
 * where allocating and keying an hmac(sha256) transform per call would
 * cost more than the computation.
 */
static struct crypto_shash *ksf_sha256;

int ksf_kdf_init(void)
{
	ksf_sha256 = crypto_alloc_shash("sha256", 0, 0);
	return PTR_ERR_OR_ZERO(ksf_sha256);
}

void ksf_kdf_exit(void)
{
	crypto_free_shash(ksf_sha256);
}

int ksf_sha256_digest(const u8 *data, unsigned int len, u8 *out)
{
	return crypto_shash_tfm_digest(ksf_sha256, data, len, out);
}

/* Hashes S = FC || P0 || L0 || ... || Pn || Ln (TS 33.220 B.2) into @desc. */
static int kdf_input(struct shash_desc *desc, u8 fc, const u8 *const *params,
		     const u16 *lens, unsigned int n)
{
	unsigned int i;
	__be16 l;
	int ret;

	ret = crypto_shash_update(desc, &fc, 1);
	for (i = 0; !ret && i < n; i++) {
		l = cpu_to_be16(lens[i]);
		ret = crypto_shash_update(desc, params[i], lens[i]);
		if (!ret)
			ret = crypto_shash_update(desc, (u8 *)&l, sizeof(l));
	}
	return ret;
}

/* KDF(key, S) with HMAC (RFC 2104) built on the shared SHA-256. */
int ksf_kdf_key(const u8 *key, unsigned int key_len, u8 fc,
		const u8 *const *params, const u16 *lens, unsigned int n,
		u8 out[KSF_KDF_OUT_LEN])
{
	SHASH_DESC_ON_STACK(desc, ksf_sha256);
	u8 pad[SHA256_BLOCK_SIZE] = {}, inner[SHA256_DIGEST_SIZE];
	unsigned int i;
	int ret;

	if (key_len > SHA256_BLOCK_SIZE)
		ret = ksf_sha256_digest(key, key_len, pad);
	else
		ret = 0, memcpy(pad, key, key_len);
	for (i = 0; i < sizeof(pad); i++)
		pad[i] ^= 0x36;
	desc->tfm = ksf_sha256;
	if (!ret)
		ret = crypto_shash_init(desc);
	if (!ret)
		ret = crypto_shash_update(desc, pad, sizeof(pad));
	if (!ret)
		ret = kdf_input(desc, fc, params, lens, n);
	if (!ret)
		ret = crypto_shash_final(desc, inner);
	for (i = 0; i < sizeof(pad); i++)
		pad[i] ^= 0x36 ^ 0x5c;
	if (!ret)
		ret = crypto_shash_init(desc);
	if (!ret)
		ret = crypto_shash_update(desc, pad, sizeof(pad));
	if (!ret)
		ret = crypto_shash_finup(desc, inner, sizeof(inner), out);
	shash_desc_zero(desc);
	memzero_explicit(pad, sizeof(pad));
	memzero_explicit(inner, sizeof(inner));
	return ret;
}

int ksf_kdf(struct crypto_shash *tfm, u8 fc, const u8 *const *params,
	    const u16 *lens, unsigned int n, u8 out[KSF_KDF_OUT_LEN])
{
	SHASH_DESC_ON_STACK(desc, tfm);
	int ret;

	desc->tfm = tfm;
	ret = crypto_shash_init(desc);
	if (!ret)
		ret = kdf_input(desc, fc, params, lens, n);
	if (!ret)
		ret = crypto_shash_final(desc, out);
	shash_desc_zero(desc);
	return ret;
}

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
 * The usage family of the keys a derivation gives (DESIGN.md 2), never
 * the caller's choice: FC 0x69 by its algorithm-type distinguisher P0
 * (TS 33.501 A.8: 0x01/0x03/0x05 encryption, 0x02/0x04/0x06 integrity),
 * any other FC derive-only unless the policy names it.
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
