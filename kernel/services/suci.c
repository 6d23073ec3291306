// SPDX-License-Identifier: GPL-2.0-only
/*
 * SUCI (TS 33.501 6.12): concealment of a SUPI's scheme input on the UE
 * side, de-concealment on the home network's SIDF, and the public key of
 * a home network private key, for the null scheme and ECIES Profiles A
 * and B (crypto/ecies.c).  The scheme is the item's algorithm, so a
 * policy allows schemes as it allows algorithms.
 *
 * The home network private key is a key (type suci-a or suci-b, usage
 * decrypt) that never leaves the kernel; its kpp is prepared once per
 * key.  The home network public key of a concealment is an argument:
 * it is no secret, and the caller holds the SUPI it conceals in the
 * clear, so a public key provisioned in ksf would protect nothing from
 * the caller.  The ephemeral key is made in the kernel per item; a
 * caller chooses it (eph-key) only with caller-rand.
 */
#include <linux/slab.h>

#include "../core/keystore.h"
#include "../crypto/ecies.h"
#include "item.h"
#include "services.h"

static u32 suci_profile(u32 alg)
{
	return alg == KSF_ALG_SUCI_PROFILE_B ? KSF_ECIES_B : KSF_ECIES_A;
}

/* The item's data, copied into a new output of @len bytes. */
static u8 *suci_out(struct ksf_item *it, u32 len)
{
	struct ksf_out_suci *o = &it->res.out.suci;

	o->data = kzalloc(len, GFP_KERNEL);
	if (!o->data) {
		ksf_item_fail(it, -ENOMEM, "out of memory");
		return NULL;
	}
	o->data_len = len;
	o->present |= KSF_OUT_SUCI_DATA;
	return o->data;
}

/* The null scheme's arguments: the scheme input only, key id 0. */
static bool null_args_ok(struct ksf_item *it)
{
	const struct ksf_args_suci *a = &it->req->args.suci;

	if (a->present & (KSF_ARG_SUCI_HN_PUB | KSF_ARG_SUCI_EPH_KEY)) {
		ksf_item_fail(it, -EINVAL,
			      "suci-null takes no hn-pub and no eph-key");
		return false;
	}
	if (a->hn_key_id) {
		ksf_item_fail(it, -EINVAL,
			      "suci-null: hn-key-id must be 0 (TS 23.003 2.2B)");
		return false;
	}
	return true;
}

static void conceal_run(struct ksf_net *kn, struct ksf_item *it,
			struct ksf_key *key)
{
	const struct ksf_args_suci *a = &it->req->args.suci;
	struct ksf_out_suci *o = &it->res.out.suci;
	u32 profile = suci_profile(it->alg), eph_len;
	const char *why = NULL;
	u8 *out;
	int ret;

	if (!a->data.len) {
		ksf_item_fail(it, -EINVAL,
			      "suci-conceal needs the scheme input in data");
		return;
	}
	if (a->data.len > KSF_ECIES_IN_MAX) {
		ksf_item_fail(it, -EINVAL, "scheme input longer than 255 bytes");
		return;
	}
	if (it->alg == KSF_ALG_SUCI_NULL) {
		if (!null_args_ok(it))
			return;
		out = suci_out(it, a->data.len);
		if (!out)
			return;
		memcpy(out, a->data.data, a->data.len);
	} else {
		if (!(a->present & KSF_ARG_SUCI_HN_PUB)) {
			ksf_item_fail(it, -EINVAL,
				      "suci-conceal needs hn-pub, the home network public key");
			return;
		}
		eph_len = ksf_ecies_eph_len(profile);
		out = suci_out(it, eph_len + a->data.len + KSF_ECIES_TAG_LEN);
		if (!out)
			return;
		ret = ksf_ecies_conceal(profile,
					a->present & KSF_ARG_SUCI_EPH_KEY ?
					a->eph_key.data : NULL,
					a->hn_pub.data, a->hn_pub.len,
					a->data.data, a->data.len, out, &why);
		if (ret) {
			o->present &= ~KSF_OUT_SUCI_DATA;
			ksf_item_fail(it, ret, why ?: "concealment failed");
			return;
		}
	}
	o->hn_key_id = a->hn_key_id;
	o->present |= KSF_OUT_SUCI_HN_KEY_ID;
}

static void deconceal_run(struct ksf_net *kn, struct ksf_item *it,
			  struct ksf_key *key)
{
	const struct ksf_bytes *in = &it->req->args.suci.data;
	struct ksf_out_suci *o = &it->res.out.suci;
	struct crypto_kpp *hn;
	const char *why = NULL;
	u8 *out;
	int ret;

	if (!in->len) {
		ksf_item_fail(it, -EINVAL,
			      "suci-deconceal needs the scheme output in data");
		return;
	}
	if (it->alg == KSF_ALG_SUCI_NULL) {
		if (in->len > KSF_ECIES_IN_MAX) {
			ksf_item_fail(it, -EINVAL,
				      "scheme input longer than 255 bytes");
			return;
		}
		out = suci_out(it, in->len);
		if (out)
			memcpy(out, in->data, in->len);
		return;
	}
	hn = ksf_key_tfm(key, it->alg);
	if (IS_ERR(hn)) {
		ksf_item_fail(it, PTR_ERR(hn), "key agreement transform unavailable");
		return;
	}
	out = suci_out(it, in->len);
	if (!out)
		return;
	ret = ksf_ecies_deconceal(suci_profile(it->alg), hn, in->data, in->len,
				  out, &o->data_len, &why);
	if (ret)
		o->present &= ~KSF_OUT_SUCI_DATA;
	if (ret == -EBADMSG)
		ksf_item_verify_failed(kn, it, why);
	else if (ret)
		ksf_item_fail(it, ret, why ?: "de-concealment failed");
}

static void public_key_run(struct ksf_net *kn, struct ksf_item *it,
			   struct ksf_key *key)
{
	struct ksf_out_suci *o = &it->res.out.suci;
	struct crypto_kpp *hn;
	int ret;

	hn = ksf_key_tfm(key, it->alg);
	if (IS_ERR(hn)) {
		ksf_item_fail(it, PTR_ERR(hn), "key agreement transform unavailable");
		return;
	}
	ret = ksf_ecies_hn_public(suci_profile(it->alg), hn, o->hn_pub,
				  &o->hn_pub_len);
	if (ret) {
		ksf_item_fail(it, ret, "public key computation failed");
		return;
	}
	o->present |= KSF_OUT_SUCI_HN_PUB;
}

static const u32 suci_algs[] = {
	KSF_ALG_SUCI_NULL, KSF_ALG_SUCI_PROFILE_A, KSF_ALG_SUCI_PROFILE_B, 0
};

static const u32 suci_key_algs[] = {
	KSF_ALG_SUCI_PROFILE_A, KSF_ALG_SUCI_PROFILE_B, 0
};

static const struct ksf_caller_field conceal_caller[] = {
	{ KSF_ARG_SUCI_EPH_KEY,
	  "caller-supplied eph-key needs caller-rand in the trusted policy" },
	{ }
};

const struct ksf_service_ops ksf_svc_suci_conceal = {
	.name = "suci-conceal",
	.family = KSF_FAMILY_SUCI,
	.algs = suci_algs,
	.fields = KSF_ARG_SUCI_DATA | KSF_ARG_SUCI_HN_PUB |
		  KSF_ARG_SUCI_HN_KEY_ID | KSF_ARG_SUCI_EPH_KEY,
	.caller = conceal_caller,
	.run = conceal_run,
};

const struct ksf_service_ops ksf_svc_suci_deconceal = {
	.name = "suci-deconceal",
	.family = KSF_FAMILY_SUCI,
	.usage = KSF_KEY_USAGE_DECRYPT,
	.algs = suci_algs,
	.fields = KSF_ARG_SUCI_DATA,
	.needs = KSF_NEEDS_KEY,
	.keyless_alg = KSF_ALG_SUCI_NULL,
	.run = deconceal_run,
};

const struct ksf_service_ops ksf_svc_suci_public_key = {
	.name = "suci-public-key",
	.family = KSF_FAMILY_SUCI,
	.usage = KSF_KEY_USAGE_DECRYPT,
	.algs = suci_key_algs,
	.needs = KSF_NEEDS_KEY,
	.run = public_key_run,
};
