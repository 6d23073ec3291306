/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The AEAD primitive: AES-GCM or ChaCha20-Poly1305, in place over one
 * buffer.
 */
#ifndef _KSF_CRYPTO_AEAD_H
#define _KSF_CRYPTO_AEAD_H

#include <linux/types.h>

struct crypto_aead;

#define KSF_GCM_IV_LEN		12
#define KSF_GCM_TAG_LEN		16

/* Both have 12-byte nonces and, as ksf sets them, 16-byte tags. */
#define KSF_AEAD_NONCE_LEN	12
#define KSF_AEAD_TAG_LEN	16
#define KSF_CHACHAPOLY_KEY_LEN	32

struct crypto_aead *ksf_gcm_tfm(const u8 *key, unsigned int len);
struct crypto_aead *ksf_chachapoly_tfm(const u8 *key);
int ksf_aead_crypt(struct crypto_aead *tfm, bool enc, u8 *buf,
		   unsigned int ad_len, unsigned int len, u8 *iv);

#endif /* _KSF_CRYPTO_AEAD_H */
