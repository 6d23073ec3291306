// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic 3GPP key derivation function of TS 33.220 Annex B.2:
 * KDF(Key, S) = HMAC-SHA-256(Key, S), S = FC || P0 || L0 || P1 || L1 ...,
 * Li the length of Pi as two bytes, big endian.  The derived key stays in
 * the keystore; the caller receives its handle.
 */
#include <crypto/hash.h>
#include <linux/slab.h>

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
			 u64 handle, struct kdf_keys *keys,
			 const u8 **param, u16 *len)
{
	struct ksf_key *key = ksf_key_get(kn, handle);

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
	const struct ksf_args_kdf *a = &it->req->args.kdf;
	const struct ksf_args_kdf_seq *s;
	int n, ret;

	for (n = 0; n < a->n_seq; n++) {
		s = &a->seq[n];
		if (s->field == KSF_ARG_KDF_PARAM_KEY) {
			ret = kdf_param_key(kn, it, s->param_key, keys,
					    &params[n], &lens[n]);
			if (ret)
				return ret;
			continue;
		}
		params[n] = s->param.data;
		lens[n] = s->param.len;
	}
	return n;
}

/* The lifetime of the derived key: bounded by the policy (and parent). */
static u32 kdf_max_age(const struct ksf_item *it)
{
	const struct ksf_args_kdf *a = &it->req->args.kdf;

	return a->present & KSF_ARG_KDF_OUT_MAX_AGE ? a->out_max_age :
						      it->pol->lifetime_max;
}

/*
 * A parameter bound of the trusted policy, for the decision point: the
 * derived key's lifetime is within lifetime-max (ksf_key_add() bounds it
 * by the parent's too).
 */
static bool kdf_bounds(struct ksf_item *it)
{
	u32 max = it->pol->lifetime_max, age = kdf_max_age(it);

	if (max && (!age || age > max)) {
		ksf_item_reject(it, "derived key lifetime beyond the trusted policy");
		return false;
	}
	return true;
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

/* A derived key's length: the KDF's output, or its type's own. */
static u32 kdf_default_len(u32 type)
{
	const struct ksf_keytype *kt = ksf_keytype(type);

	return kt && kt->derive_len ? kt->derive_len : KSF_KDF_OUT_LEN;
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
	const struct ksf_args_kdf *a = &it->req->args.kdf;

	spec->type = a->present & KSF_ARG_KDF_OUT_TYPE ? a->out_type :
		     kdf_default_type(fc, family);
	spec->len = a->present & KSF_ARG_KDF_OUT_LEN ? a->out_len :
		    kdf_default_len(spec->type);
	spec->usage = a->present & KSF_ARG_KDF_OUT_USAGE ? a->out_usage :
							   family;
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
	spec->max_age = kdf_max_age(it);
	return true;
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
					 KSF_KEY_FLAG_SPENT |
					 KSF_KEY_FLAG_RETIRED);
		if (ret == -EKEYREJECTED)
			ksf_item_reject(it, kept_in_context);
	} else {
		return true;
	}
	if (ret && ret != -EKEYREJECTED)
		ksf_item_fail(it, ret, "out of memory");
	return !ret;
}

static void kdf_run(struct ksf_net *kn, struct ksf_item *it,
		    struct ksf_key *key)
{
	const u8 *params[KSF_KDF_MAX_PARAMS];
	u16 lens[KSF_KDF_MAX_PARAMS];
	struct kdf_keys keys = {};
	const struct ksf_args_kdf *a = &it->req->args.kdf;
	struct ksf_key_spec spec = { .from = key };
	struct crypto_shash *tfm;
	u8 out[KSF_KDF_OUT_LEN], fc;
	const u8 *p0;
	u32 family;
	u16 l0;
	int n, ret;

	if (!(a->present & KSF_ARG_KDF_FC)) {
		ksf_item_fail(it, -EINVAL, "kdf needs fc");
		return;
	}
	fc = a->fc;
	n = kdf_params(kn, it, params, lens, &keys);
	if (n < 0) {
		ksf_item_fail(it, n, n == -ENOENT ? "unknown param-key handle" :
			      "param-key not a derive key of this peer");
		goto out;
	}
	p0 = n ? params[0] : NULL;
	l0 = n ? lens[0] : 0;
	family = kdf_family(it->pol, fc, p0, l0);
	if (!kdf_out_spec(it, fc, family, &spec) ||
	    !kdf_claim(it, key, fc, family, p0, l0))
		goto out;
	tfm = ksf_key_tfm(key, KSF_ALG_KDF_SHA256);
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
			  &it->res.key, NULL);
	if (ret)
		ksf_item_key_error(it, ret);
out:
	kdf_keys_put(&keys);
	memzero_explicit(out, sizeof(out));
}

static const u32 kdf_algs[] = { KSF_ALG_KDF_SHA256, 0 };

const struct ksf_service_ops ksf_svc_kdf = {
	.name = "kdf",
	.family = KSF_FAMILY_KDF,
	.usage = KSF_KEY_USAGE_DERIVE,
	.algs = kdf_algs,
	.default_alg = KSF_ALG_KDF_SHA256,
	.fields = KSF_ARG_KDF_FC | KSF_ARG_KDF_PARAM | KSF_ARG_KDF_PARAM_KEY |
		  KSF_ARG_KDF_OUT_TYPE | KSF_ARG_KDF_OUT_LEN |
		  KSF_ARG_KDF_OUT_USAGE | KSF_ARG_KDF_OUT_MAX_AGE,
	.needs = KSF_NEEDS_KEY,
	.bounds = kdf_bounds,
	.run = kdf_run,
};
