// SPDX-License-Identifier: GPL-2.0-only
/*
 * MAC generation and verification under a key handle: HMAC-SHA-256
 * (hmac(sha256)) and AES-CMAC (cmac(aes)) through the crypto API, with
 * the key's transform keyed once.  Tags compare in constant time.
 */
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <linux/slab.h>
#include <net/netlink.h>

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
	const struct nlattr *a = it->tb[KSF_A_ITEM_MAC_LEN];

	*len = a ? nla_get_u32(a) : full;
	if (*len > full) {
		ksf_item_fail(it, -EINVAL, "mac-len longer than the algorithm's tag");
		return false;
	}
	return true;
}

/*
 * The tag length comes from the request (mac-len, else the tag given) and
 * must reach the policy's mac-len-min, by default the full tag: a short
 * prefix of a correct tag is no proof.
 */
static void mac_verify(struct ksf_net *kn, struct ksf_item *it, const u8 *tag,
		       u32 full)
{
	const struct nlattr *mac = it->tb[KSF_A_ITEM_MAC];
	u32 len, min = it->pol->mac_len_min ? : full;

	if (!mac) {
		ksf_item_fail(it, -EINVAL, "mac-verify needs a mac");
		return;
	}
	if (!mac_len_ok(it, full, &len))
		return;
	if (it->tb[KSF_A_ITEM_MAC_LEN] ? nla_len(mac) != len :
	    nla_len(mac) > full) {
		ksf_item_fail(it, -EINVAL, "mac length not valid");
		return;
	}
	if (nla_len(mac) < min) {
		ksf_item_reject(it, "tag shorter than the trusted policy's mac-len-min");
		return;
	}
	if (crypto_memneq(tag, nla_data(mac), nla_len(mac)))
		ksf_item_verify_failed(kn, it, "MAC mismatch");
}

void ksf_svc_mac(struct ksf_net *kn, struct ksf_item *it, struct ksf_key *key)
{
	const struct nlattr *data = it->tb[KSF_A_ITEM_DATA];
	u32 full = it->alg == KSF_ALG_AES_CMAC ? 16 : 32;
	struct crypto_shash *tfm;
	u8 tag[KSF_MAC_MAX_LEN];
	u32 len;
	int ret;

	tfm = ksf_key_mac_tfm(key, it->alg);
	if (IS_ERR(tfm)) {
		ksf_item_fail(it, PTR_ERR(tfm), "MAC transform unavailable");
		return;
	}
	ret = ksf_mac(tfm, data ? nla_data(data) : NULL,
		      data ? nla_len(data) : 0, tag);
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
	it->out = kmemdup(tag, len, GFP_KERNEL);
	if (!it->out) {
		ksf_item_fail(it, -ENOMEM, "out of memory");
		goto out;
	}
	it->out_len = len;
out:
	memzero_explicit(tag, sizeof(tag));
}
