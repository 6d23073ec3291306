// SPDX-License-Identifier: GPL-2.0-only
/*
 * MAC generation and verification under a key handle: HMAC-SHA-256
 * (hmac(sha256)) and AES-CMAC (cmac(aes)) through the crypto API, with
 * the key's transform keyed once.  Tags compare in constant time.
 */
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <linux/slab.h>

#include "../core/keystore.h"
#include "../core/policy.h"
#include "item.h"
#include "services.h"

int ksf_mac(struct crypto_shash *tfm, const u8 *data, unsigned int len,
	    u8 *out)
{
	SHASH_DESC_ON_STACK(desc, tfm);
	int ret;

	desc->tfm = tfm;
	ret = crypto_shash_digest(desc, data, len, out);
	shash_desc_zero(desc);
	return ret;
}

static bool mac_len_ok(struct ksf_item *it, u32 full, u32 *len)
{
	const struct ksf_args_mac *a = &it->req->args.mac;

	*len = a->present & KSF_ARG_MAC_MAC_LEN ? a->mac_len : full;
	if (*len > full) {
		ksf_item_fail(it, -EINVAL, "mac-len longer than the algorithm's tag");
		return false;
	}
	return true;
}

/*
 * The tag length comes from the request (mac-len, else the tag given);
 * the policy's mac-len-min was checked by the decision point
 * (mac_verify_bounds()).
 */
static void mac_verify(struct ksf_net *kn, struct ksf_item *it, const u8 *tag,
		       u32 full)
{
	const struct ksf_args_mac *a = &it->req->args.mac;
	const struct ksf_bytes *mac = &a->mac;
	u32 len;

	if (!(a->present & KSF_ARG_MAC_MAC)) {
		ksf_item_fail(it, -EINVAL, "mac-verify needs a mac");
		return;
	}
	if (!mac_len_ok(it, full, &len))
		return;
	if (a->present & KSF_ARG_MAC_MAC_LEN ? mac->len != len :
	    mac->len > full) {
		ksf_item_fail(it, -EINVAL, "mac length not valid");
		return;
	}
	if (crypto_memneq(tag, mac->data, mac->len))
		ksf_item_verify_failed(kn, it, "MAC mismatch");
}

/*
 * A parameter bound of the trusted policy, for the decision point: the
 * tag given reaches mac-len-min, by default the full tag of the
 * algorithm: a short prefix of a correct tag is no proof.
 */
static bool mac_verify_bounds(struct ksf_item *it)
{
	const struct ksf_args_mac *a = &it->req->args.mac;
	u32 full = it->alg == KSF_ALG_AES_CMAC ? 16 : 32;

	if (a->present & KSF_ARG_MAC_MAC &&
	    a->mac.len < (it->pol->mac_len_min ? : full)) {
		ksf_item_reject(it, "tag shorter than the trusted policy's mac-len-min");
		return false;
	}
	return true;
}

static void mac_run(struct ksf_net *kn, struct ksf_item *it,
		    struct ksf_key *key)
{
	const struct ksf_bytes *data = &it->req->args.mac.data;
	struct ksf_out_mac *o = &it->res.out.mac;
	u32 full = it->alg == KSF_ALG_AES_CMAC ? 16 : 32;
	struct crypto_shash *tfm;
	u8 tag[KSF_MAC_MAX_LEN];
	u32 len;
	int ret;

	tfm = ksf_key_tfm(key, it->alg);
	if (IS_ERR(tfm)) {
		ksf_item_fail(it, PTR_ERR(tfm), "MAC transform unavailable");
		return;
	}
	ret = ksf_mac(tfm, data->data, data->len, tag);
	if (ret) {
		ksf_item_fail(it, ret, "MAC computation failed");
		goto out;
	}
	if (it->service == KSF_SERVICE_MAC_VERIFY) {
		mac_verify(kn, it, tag, full);
		goto out;
	}
	if (!mac_len_ok(it, full, &len))
		goto out;
	memcpy(o->data, tag, len);
	o->data_len = len;
	o->present = KSF_OUT_MAC_DATA;
out:
	memzero_explicit(tag, sizeof(tag));
}

static const u32 mac_algs[] = { KSF_ALG_HMAC_SHA256, KSF_ALG_AES_CMAC, 0 };

/* What both services of the family share: the rest is what differs. */
#define MAC_SERVICE							\
	.family = KSF_FAMILY_MAC, .algs = mac_algs,			\
	.needs = KSF_NEEDS_KEY, .run = mac_run

const struct ksf_service_ops ksf_svc_mac_generate = {
	MAC_SERVICE,
	.name = "mac-generate",
	.usage = KSF_KEY_USAGE_MAC,
	.fields = KSF_ARG_MAC_DATA | KSF_ARG_MAC_MAC_LEN,
};

const struct ksf_service_ops ksf_svc_mac_verify = {
	MAC_SERVICE,
	.name = "mac-verify",
	.usage = KSF_KEY_USAGE_VERIFY,
	.fields = KSF_ARG_MAC_DATA | KSF_ARG_MAC_MAC | KSF_ARG_MAC_MAC_LEN,
	.bounds = mac_verify_bounds,
};
