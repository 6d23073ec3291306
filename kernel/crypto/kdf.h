/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The KDF primitive of TS 33.220 Annex B.2 and the module's SHA-256.
 */
#ifndef _KSF_CRYPTO_KDF_H
#define _KSF_CRYPTO_KDF_H

#include <linux/types.h>

struct crypto_shash;

#define KSF_KDF_OUT_LEN		32

int ksf_kdf_init(void);
void ksf_kdf_exit(void);
int ksf_sha256_digest(const u8 *data, unsigned int len, u8 *out);
int ksf_kdf_key(const u8 *key, unsigned int key_len, u8 fc,
		const u8 *const *params, const u16 *lens, unsigned int n,
		u8 out[KSF_KDF_OUT_LEN]);
int ksf_hmac_sha256(const u8 *key, unsigned int key_len, const u8 *a,
		    unsigned int a_len, const u8 *b, unsigned int b_len,
		    u8 out[KSF_KDF_OUT_LEN]);
int ksf_kdf(struct crypto_shash *tfm, u8 fc, const u8 *const *params,
	    const u16 *lens, unsigned int n, u8 out[KSF_KDF_OUT_LEN]);

#endif /* _KSF_CRYPTO_KDF_H */
