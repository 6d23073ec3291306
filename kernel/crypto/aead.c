// SPDX-License-Identifier: GPL-2.0-only
/*
 * The AEAD primitive, in place over one buffer: AES-GCM (gcm(aes)) for
 * the encrypt/decrypt services, the keystore's prepared transforms and
 * save/restore's sealed segments; ChaCha20-Poly1305
 * (rfc7539(chacha20,poly1305)) for the channel between instances.
 */
#include <crypto/aead.h>
#include <linux/scatterlist.h>

#include "aead.h"

static_assert(KSF_GCM_TAG_LEN == KSF_AEAD_TAG_LEN);
static_assert(KSF_GCM_IV_LEN == KSF_AEAD_NONCE_LEN);

static struct crypto_aead *aead_tfm(const char *alg, const u8 *key,
				    unsigned int len)
{
	struct crypto_aead *tfm = crypto_alloc_aead(alg, 0, 0);
	int ret;

	if (IS_ERR(tfm))
		return tfm;
	ret = crypto_aead_setkey(tfm, key, len);
	if (!ret)
		ret = crypto_aead_setauthsize(tfm, KSF_GCM_TAG_LEN);
	if (ret) {
		crypto_free_aead(tfm);
		return ERR_PTR(ret);
	}
	return tfm;
}

/* A gcm(aes) transform keyed with @key, tags of KSF_GCM_TAG_LEN. */
struct crypto_aead *ksf_gcm_tfm(const u8 *key, unsigned int len)
{
	return aead_tfm("gcm(aes)", key, len);
}

/* ChaCha20-Poly1305 of RFC 8439 (the IETF variant: 12-byte nonces). */
struct crypto_aead *ksf_chachapoly_tfm(const u8 *key)
{
	return aead_tfm("rfc7539(chacha20,poly1305)", key,
			KSF_CHACHAPOLY_KEY_LEN);
}

/*
 * Seals (@enc) or opens @buf in place: @ad_len bytes of associated data,
 * then @len bytes of text, then the tag (appended by sealing).
 */
int ksf_aead_crypt(struct crypto_aead *tfm, bool enc, u8 *buf,
		   unsigned int ad_len, unsigned int len, u8 *iv)
{
	struct aead_request *req;
	struct scatterlist sg;
	DECLARE_CRYPTO_WAIT(wait);
	int ret;

	req = aead_request_alloc(tfm, GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	sg_init_one(&sg, buf, ad_len + len + KSF_AEAD_TAG_LEN);
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP |
				  CRYPTO_TFM_REQ_MAY_BACKLOG,
				  crypto_req_done, &wait);
	aead_request_set_ad(req, ad_len);
	aead_request_set_crypt(req, &sg, &sg,
			       enc ? len : len + KSF_AEAD_TAG_LEN, iv);
	ret = crypto_wait_req(enc ? crypto_aead_encrypt(req) :
				    crypto_aead_decrypt(req), &wait);
	aead_request_free(req);
	return ret;
}
