/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The AEAD primitive: AES-GCM in place over one buffer.
 */
#ifndef _KSF_CRYPTO_AEAD_H
#define _KSF_CRYPTO_AEAD_H

#include <linux/types.h>

struct crypto_aead;

#define KSF_GCM_IV_LEN		12
#define KSF_GCM_TAG_LEN		16

struct crypto_aead *ksf_gcm_tfm(const u8 *key, unsigned int len);
int ksf_gcm_crypt(struct crypto_aead *tfm, bool enc, u8 *buf,
		  unsigned int ad_len, unsigned int len, u8 *iv);

#endif /* _KSF_CRYPTO_AEAD_H */
