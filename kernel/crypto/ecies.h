/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ECIES profiles of SUCI (TS 33.501 Annex C.3): concealment under a
 * home network public key, de-concealment under its private key.
 */
#ifndef _KSF_CRYPTO_ECIES_H
#define _KSF_CRYPTO_ECIES_H

#include <linux/types.h>

struct crypto_kpp;

enum {
	KSF_ECIES_A = 1,	/* X25519 */
	KSF_ECIES_B,		/* P-256, compressed ephemeral point */
};

#define KSF_ECIES_TAG_LEN	8
#define KSF_ECIES_IN_MAX	255	/* scheme input bytes */
#define KSF_ECIES_EPH_MAX	33
#define KSF_ECIES_PUB_MAX	33	/* a public key as ksf gives it */

unsigned int ksf_ecies_eph_len(u32 profile);
struct crypto_kpp *ksf_ecies_hn_tfm(u32 profile, const u8 *priv);
int ksf_ecies_hn_public(u32 profile, struct crypto_kpp *hn, u8 *pub,
			u32 *len);
int ksf_ecies_conceal(u32 profile, const u8 *eph_priv, const u8 *hn_pub,
		      u32 hn_pub_len, const u8 *in, u32 len, u8 *out,
		      const char **why);
int ksf_ecies_deconceal(u32 profile, struct crypto_kpp *hn, const u8 *in,
			u32 len, u8 *out, u32 *out_len, const char **why);

#endif /* _KSF_CRYPTO_ECIES_H */
