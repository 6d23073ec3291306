// SPDX-License-Identifier: GPL-2.0-only
/*
 * AES-GCM encryption and decryption of NF data under a key handle, via
 * gcm(aes).  IVs come from the kernel RNG; a caller may supply its own
 * only if its trusted policy sets caller-rand.  With random 96-bit IVs a
 * key may encrypt at most 2^32 times (NIST SP 800-38D 8.3): each key
 * counts its encryptions, and refuses the next one past the limit.
 */
#include <crypto/aead.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "../core/keystore.h"
#include "../core/policy.h"
#include "../crypto/aead.h"
#include "item.h"
#include "services.h"

#define GCM_INVOCATIONS_MAX	BIT_ULL(32)

#if IS_ENABLED(CONFIG_FAULT_INJECTION_DEBUG_FS)	/* debug kernel only */
static unsigned int dbg_gcm_limit;
module_param(dbg_gcm_limit, uint, 0644);
MODULE_PARM_DESC(dbg_gcm_limit, "debug kernel only: encryptions per key before the SP 800-38D limit (default 2^32)");
#else
#define dbg_gcm_limit 0U
#endif

/* Counts an encryption under @key; false past the limit. */
static bool gcm_count(struct ksf_item *it, struct ksf_key *key)
{
	u64 max = dbg_gcm_limit ?: GCM_INVOCATIONS_MAX;

	if (atomic64_inc_return(&key->gcm_count) <= max)
		return true;
	atomic64_dec(&key->gcm_count);	/* stays at the limit */
	ksf_item_fail(it, -EKEYEXPIRED,
		      "key used for 2^32 GCM encryptions (SP 800-38D): use a new key");
	return false;
}

static bool gcm_iv(struct ksf_item *it, bool enc)
{
	const struct nlattr *iv = it->tb[KSF_A_ITEM_IV];

	if (iv && enc && !it->pol->caller_rand) {
		ksf_item_reject(it, "caller-supplied IV needs caller-rand in the trusted policy");
		return false;
	}
	if (!iv && !enc) {
		ksf_item_fail(it, -EINVAL, "decrypt needs an iv");
		return false;
	}
	if (iv)
		memcpy(it->iv, nla_data(iv), KSF_GCM_IV_LEN);
	else
		get_random_bytes(it->iv, KSF_GCM_IV_LEN);
	it->has_iv = enc;
	return true;
}

void ksf_svc_aead(struct ksf_net *kn, struct ksf_item *it, struct ksf_key *key)
{
	const struct nlattr *data = it->tb[KSF_A_ITEM_DATA];
	const struct nlattr *aad = it->tb[KSF_A_ITEM_AAD];
	const struct nlattr *tag = it->tb[KSF_A_ITEM_MAC];
	bool enc = it->service == KSF_SERVICE_ENCRYPT;
	u32 ad_len = aad ? nla_len(aad) : 0;
	u32 len = data ? nla_len(data) : 0;
	struct crypto_aead *tfm;
	u8 *buf;
	int ret;

	if (!enc && (!tag || nla_len(tag) != KSF_GCM_TAG_LEN)) {
		ksf_item_fail(it, -EINVAL, "decrypt needs a 16-byte mac (GCM tag)");
		return;
	}
	if (!gcm_iv(it, enc) || (enc && !gcm_count(it, key)))
		return;
	tfm = ksf_key_aead_tfm(key);
	if (IS_ERR(tfm)) {
		ksf_item_fail(it, PTR_ERR(tfm), "AEAD transform unavailable");
		return;
	}
	buf = kmalloc(ad_len + len + KSF_GCM_TAG_LEN, GFP_KERNEL);
	if (!buf) {
		ksf_item_fail(it, -ENOMEM, "out of memory");
		return;
	}
	if (ad_len)
		memcpy(buf, nla_data(aad), ad_len);
	if (len)
		memcpy(buf + ad_len, nla_data(data), len);
	if (!enc)
		memcpy(buf + ad_len + len, nla_data(tag), KSF_GCM_TAG_LEN);

	ret = ksf_gcm_crypt(tfm, enc, buf, ad_len, len, it->iv);
	if (ret) {
		ksf_item_fail(it, ret, ret == -EBADMSG ?
			      "authentication failed" : "AEAD failed");
		goto out;
	}
	it->out = kmemdup(buf + ad_len, len ? len : 1, GFP_KERNEL);
	if (!it->out) {
		ksf_item_fail(it, -ENOMEM, "out of memory");
		goto out;
	}
	it->out_len = len;
	if (enc) {
		memcpy(it->tag, buf + ad_len + len, KSF_GCM_TAG_LEN);
		it->tag_len = KSF_GCM_TAG_LEN;
	}
out:
	kfree_sensitive(buf);
}
