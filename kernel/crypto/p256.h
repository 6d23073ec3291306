/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * P-256 for SUCI Profile B: the "ecdh-nist-p256" kpp, and compressed
 * points (the one piece outside the crypto API).
 */
#ifndef _KSF_CRYPTO_P256_H
#define _KSF_CRYPTO_P256_H

#include <linux/types.h>

struct crypto_kpp;

#define KSF_P256_LEN			32
#define KSF_P256_COMPRESSED_LEN		33
#define KSF_P256_UNCOMPRESSED_LEN	65

int ksf_p256_check(const u8 xy[2 * KSF_P256_LEN]);
int ksf_p256_decompress(const u8 in[KSF_P256_COMPRESSED_LEN],
			u8 xy[2 * KSF_P256_LEN]);
void ksf_p256_compress(const u8 xy[2 * KSF_P256_LEN],
		       u8 out[KSF_P256_COMPRESSED_LEN]);
struct crypto_kpp *ksf_p256_tfm(const u8 priv[KSF_P256_LEN]);
struct crypto_kpp *ksf_p256_generate(u8 priv[KSF_P256_LEN]);
int ksf_p256_public(struct crypto_kpp *tfm, u8 xy[2 * KSF_P256_LEN]);
int ksf_p256_shared(struct crypto_kpp *tfm, const u8 xy[2 * KSF_P256_LEN],
		    u8 z[KSF_P256_LEN]);

#endif /* _KSF_CRYPTO_P256_H */
