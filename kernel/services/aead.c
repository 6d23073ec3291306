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

/* The IV: the caller's (caller-rand, checked by the engine) or random. */
static bool gcm_iv(struct ksf_item *it, bool enc, u8 *iv)
{
	const struct ksf_args_aead *a = &it->req->args.aead;
	struct ksf_out_aead *o = &it->res.out.aead;

	if (!(a->present & KSF_ARG_AEAD_IV) && !enc) {
		ksf_item_fail(it, -EINVAL, "decrypt needs an iv");
		return false;
	}
	if (a->present & KSF_ARG_AEAD_IV)
		memcpy(iv, a->iv.data, KSF_GCM_IV_LEN);
	else
		get_random_bytes(iv, KSF_GCM_IV_LEN);
	if (enc) {
		memcpy(o->iv, iv, KSF_GCM_IV_LEN);
		o->iv_len = KSF_GCM_IV_LEN;
		o->present |= KSF_OUT_AEAD_IV;
	}
	return true;
}

static void aead_run(struct ksf_net *kn, struct ksf_item *it,
		     struct ksf_key *key)
{
	const struct ksf_args_aead *a = &it->req->args.aead;
	struct ksf_out_aead *o = &it->res.out.aead;
	bool enc = it->service == KSF_SERVICE_ENCRYPT;
	u32 ad_len = a->aad.len;
	u32 len = a->data.len;
	struct crypto_aead *tfm;
	u8 iv[KSF_GCM_IV_LEN];
	u8 *buf;
	int ret;

	if (!enc && a->mac.len != KSF_GCM_TAG_LEN) {
		ksf_item_fail(it, -EINVAL, "decrypt needs a 16-byte mac (GCM tag)");
		return;
	}
	if (!gcm_iv(it, enc, iv) || (enc && !gcm_count(it, key)))
		return;
	tfm = ksf_key_tfm(key, KSF_ALG_AES_GCM);
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
		memcpy(buf, a->aad.data, ad_len);
	if (len)
		memcpy(buf + ad_len, a->data.data, len);
	if (!enc)
		memcpy(buf + ad_len + len, a->mac.data, KSF_GCM_TAG_LEN);

	ret = ksf_aead_crypt(tfm, enc, buf, ad_len, len, iv);
	if (ret) {
		ksf_item_fail(it, ret, ret == -EBADMSG ?
			      "authentication failed" : "AEAD failed");
		goto out;
	}
	o->data = kmemdup(buf + ad_len, len ? len : 1, GFP_KERNEL);
	if (!o->data) {
		ksf_item_fail(it, -ENOMEM, "out of memory");
		goto out;
	}
	o->data_len = len;
	o->present |= KSF_OUT_AEAD_DATA;
	if (enc) {
		memcpy(o->mac, buf + ad_len + len, KSF_GCM_TAG_LEN);
		o->mac_len = KSF_GCM_TAG_LEN;
		o->present |= KSF_OUT_AEAD_MAC;
	}
out:
	kfree_sensitive(buf);
}

/* Outputs are as long as the data, with an IV and a tag. */
static size_t aead_out_size(const struct ksf_req *req)
{
	return KSF_OUT_AEAD_NEST_MAX - KSF_DATA_MAX_LEN +
	       req->args.aead.data.len;
}

static const u32 aead_algs[] = { KSF_ALG_AES_GCM, 0 };

static const struct ksf_caller_field aead_caller[] = {
	{ KSF_ARG_AEAD_IV,
	  "caller-supplied IV needs caller-rand in the trusted policy" },
	{ }
};

/* What both services of the family share: the rest is what differs. */
#define AEAD_SERVICE							\
	.family = KSF_FAMILY_AEAD, .algs = aead_algs,			\
	.default_alg = KSF_ALG_AES_GCM, .needs = KSF_NEEDS_KEY,		\
	.out_size = aead_out_size, .run = aead_run

const struct ksf_service_ops ksf_svc_encrypt = {
	AEAD_SERVICE,
	.name = "encrypt",
	.usage = KSF_KEY_USAGE_ENCRYPT,
	.fields = KSF_ARG_AEAD_DATA | KSF_ARG_AEAD_IV | KSF_ARG_AEAD_AAD,
	.caller = aead_caller,
};

const struct ksf_service_ops ksf_svc_decrypt = {
	AEAD_SERVICE,
	.name = "decrypt",
	.usage = KSF_KEY_USAGE_DECRYPT,
	.fields = KSF_ARG_AEAD_DATA | KSF_ARG_AEAD_MAC | KSF_ARG_AEAD_IV |
		  KSF_ARG_AEAD_AAD,
};
