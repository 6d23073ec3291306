// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ECIES of SUCI (TS 33.501 Annex C.3): the UE's concealment of a
 * SUPI's scheme input under the home network public key, and the
 * SIDF's de-concealment under its private key.
 *
 *   Z          = ECDH(ephemeral private, home network public)
 *                (Profile A: X25519; Profile B: P-256, x of the point)
 *   K          = SHA-256(Z || 00000001 || E) || SHA-256(Z || 00000002 || E)
 *                (ANSI X9.63 KDF, SharedInfo1 = E the ephemeral public
 *                key as sent: 32 bytes, or the compressed 33-byte point)
 *   enc key    = K[0..15], ICB = K[16..31], MAC key = K[32..63]
 *   ciphertext = AES-128-CTR(enc key, ICB, scheme input)
 *   tag        = HMAC-SHA-256(MAC key, ciphertext), first 8 bytes
 *   output     = E || ciphertext || tag
 *
 * X25519 and P-256 go through the "curve25519" and "ecdh-nist-p256"
 * kpps, the KDF through the module's sha256 shash, CTR through
 * "ctr(aes)", the tag through the module's HMAC on that sha256 (the MAC
 * key exists for one computation, as AKA's); only a compressed point's y
 * is computed here (p256.c).  Z, K and ephemeral private keys are wiped
 * on every path.
 */
#include <crypto/algapi.h>
#include <crypto/kpp.h>
#include <crypto/skcipher.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "ecies.h"
#include "kdf.h"
#include "kpp.h"
#include "p256.h"
#include "x25519.h"

#define ECIES_ENC_LEN	16
#define ECIES_K_LEN	64

unsigned int ksf_ecies_eph_len(u32 profile)
{
	return profile == KSF_ECIES_A ? KSF_X25519_LEN :
					KSF_P256_COMPRESSED_LEN;
}

/* A kpp holding the home network private key @priv (32 bytes). */
struct crypto_kpp *ksf_ecies_hn_tfm(u32 profile, const u8 *priv)
{
	struct crypto_kpp *tfm;

	if (profile == KSF_ECIES_B)
		return ksf_p256_tfm(priv);
	tfm = crypto_alloc_kpp("curve25519", 0, 0);
	if (!IS_ERR(tfm) && crypto_kpp_set_secret(tfm, priv, KSF_X25519_LEN)) {
		crypto_free_kpp(tfm);
		return ERR_PTR(-EKEYREJECTED);
	}
	return tfm;
}

/*
 * The public key of the private key @hn holds: 32 bytes (Profile A) or
 * the compressed point (B); its length in @len.
 */
int ksf_ecies_hn_public(u32 profile, struct crypto_kpp *hn, u8 *pub,
			u32 *len)
{
	u8 xy[2 * KSF_P256_LEN];
	int ret;

	if (profile == KSF_ECIES_A) {
		*len = KSF_X25519_LEN;
		return ksf_kpp_run(hn, NULL, 0, pub, KSF_X25519_LEN);
	}
	ret = ksf_p256_public(hn, xy);
	if (!ret) {
		ksf_p256_compress(xy, pub);
		*len = KSF_P256_COMPRESSED_LEN;
	}
	return ret;
}

/* K of the X9.63 KDF from @z and the ephemeral public key @eph. */
static int ecies_kdf(const u8 z[32], const u8 *eph, unsigned int eph_len,
		     u8 k[ECIES_K_LEN])
{
	u8 buf[32 + 4 + KSF_P256_COMPRESSED_LEN];
	unsigned int n = 32 + 4 + eph_len;
	int ret, i;

	memcpy(buf, z, 32);
	memcpy(buf + 36, eph, eph_len);
	for (i = 0, ret = 0; !ret && i < 2; i++) {
		put_unaligned_be32(i + 1, buf + 32);
		ret = ksf_sha256_digest(buf, n, k + 32 * i);
	}
	memzero_explicit(buf, sizeof(buf));
	return ret;
}

/* AES-128-CTR of @len bytes in place under K's enc key and ICB. */
static int ecies_ctr(const u8 k[ECIES_K_LEN], u8 *data, unsigned int len)
{
	struct crypto_skcipher *tfm;
	struct skcipher_request *req;
	struct scatterlist sg;
	DECLARE_CRYPTO_WAIT(wait);
	u8 iv[16];
	int ret;

	tfm = crypto_alloc_skcipher("ctr(aes)", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	ret = crypto_skcipher_setkey(tfm, k, ECIES_ENC_LEN);
	if (ret)
		goto out;
	req = skcipher_request_alloc(tfm, GFP_KERNEL);
	ret = -ENOMEM;
	if (!req)
		goto out;
	memcpy(iv, k + ECIES_ENC_LEN, sizeof(iv));
	sg_init_one(&sg, data, len);
	skcipher_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP,
				      crypto_req_done, &wait);
	skcipher_request_set_crypt(req, &sg, &sg, len, iv);
	ret = crypto_wait_req(crypto_skcipher_encrypt(req), &wait);
	skcipher_request_free(req);
	memzero_explicit(iv, sizeof(iv));
out:
	crypto_free_skcipher(tfm);	/* wipes the key schedule */
	return ret;
}

/* The 8-byte tag of @ct under K's MAC key. */
static int ecies_tag(const u8 k[ECIES_K_LEN], const u8 *ct, unsigned int len,
		     u8 tag[KSF_ECIES_TAG_LEN])
{
	u8 mac[KSF_KDF_OUT_LEN];
	int ret;

	ret = ksf_hmac_sha256(k + 32, 32, ct, len, NULL, 0, mac);
	memcpy(tag, mac, KSF_ECIES_TAG_LEN);
	memzero_explicit(mac, sizeof(mac));
	return ret;
}

/*
 * Z and the ephemeral public key E of a concealment: from @eph_priv, or
 * a fresh ephemeral key (wiped here) when it is NULL.
 */
static int conceal_agree(u32 profile, const u8 *eph_priv, const u8 *hn_pub,
			 u32 hn_pub_len, u8 z[32], u8 *eph, const char **why)
{
	u8 priv[32], xy[2 * KSF_P256_LEN];
	struct crypto_kpp *tfm;
	int ret;

	if (profile == KSF_ECIES_A) {
		if (hn_pub_len != KSF_X25519_LEN) {
			*why = "hn-pub of Profile A: 32 bytes";
			return -EINVAL;
		}
		if (eph_priv)
			memcpy(priv, eph_priv, sizeof(priv));
		else
			ksf_x25519_generate(priv);
		ret = ksf_x25519(eph, priv, NULL);
		if (!ret) {
			ret = ksf_x25519(z, priv, hn_pub);
			if (ret == -EKEYREJECTED)
				*why = "hn-pub is a point of small order";
		}
		memzero_explicit(priv, sizeof(priv));
		return ret;
	}

	if (hn_pub_len == KSF_P256_COMPRESSED_LEN) {
		ret = ksf_p256_decompress(hn_pub, xy);
	} else if (hn_pub_len == KSF_P256_UNCOMPRESSED_LEN &&
		   hn_pub[0] == 0x04) {
		memcpy(xy, hn_pub + 1, sizeof(xy));
		ret = ksf_p256_check(xy);
	} else {
		*why = "hn-pub of Profile B: a 33-byte or 65-byte P-256 point";
		return -EINVAL;
	}
	if (ret) {
		*why = "hn-pub is not a point of P-256";
		return ret;
	}
	if (eph_priv) {
		memcpy(priv, eph_priv, sizeof(priv));
		tfm = ksf_p256_tfm(priv);
		if (PTR_ERR(tfm) == -EKEYREJECTED)
			*why = "eph-key is not a P-256 private key";
	} else {
		tfm = ksf_p256_generate(priv);
	}
	memzero_explicit(priv, sizeof(priv));
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	ret = ksf_p256_shared(tfm, xy, z);
	if (ret && ret != -ENOMEM) {
		*why = "hn-pub refused by the P-256 key agreement";
		ret = -EINVAL;
	}
	if (!ret) {
		ret = ksf_p256_public(tfm, xy);
		if (!ret)
			ksf_p256_compress(xy, eph);
	}
	crypto_free_kpp(tfm);	/* wipes the ephemeral private key */
	return ret;
}

/*
 * Conceals @in (@len bytes, 1 to KSF_ECIES_IN_MAX) under @hn_pub; @out
 * gets E || ciphertext || tag, ksf_ecies_eph_len() + @len + 8 bytes.
 * A negative errno, with *@why set for the caller's mistakes.
 */
int ksf_ecies_conceal(u32 profile, const u8 *eph_priv, const u8 *hn_pub,
		      u32 hn_pub_len, const u8 *in, u32 len, u8 *out,
		      const char **why)
{
	unsigned int eph_len = ksf_ecies_eph_len(profile);
	u8 z[32], k[ECIES_K_LEN];
	int ret;

	ret = conceal_agree(profile, eph_priv, hn_pub, hn_pub_len, z, out, why);
	if (!ret)
		ret = ecies_kdf(z, out, eph_len, k);
	memzero_explicit(z, sizeof(z));
	if (ret)
		goto out;
	memcpy(out + eph_len, in, len);
	ret = ecies_ctr(k, out + eph_len, len);
	if (!ret)
		ret = ecies_tag(k, out + eph_len, len, out + eph_len + len);
out:
	memzero_explicit(k, sizeof(k));
	return ret;
}

/*
 * De-conceals the scheme output @in (@len bytes) under the home network
 * private key @hn; @out gets the scheme input, *@out_len bytes (at most
 * @len).  -EINVAL for a truncated output or an ephemeral key that is no
 * point, -EKEYREJECTED for one of small order, -EBADMSG for a wrong tag
 * (checked before anything is deciphered), each with *@why set.
 */
int ksf_ecies_deconceal(u32 profile, struct crypto_kpp *hn, const u8 *in,
			u32 len, u8 *out, u32 *out_len, const char **why)
{
	unsigned int eph_len = ksf_ecies_eph_len(profile);
	u8 z[32], k[ECIES_K_LEN], tag[KSF_ECIES_TAG_LEN];
	u8 xy[2 * KSF_P256_LEN];
	u32 ct_len;
	int ret;

	if (len <= eph_len + KSF_ECIES_TAG_LEN) {
		*why = profile == KSF_ECIES_A ?
		       "scheme output shorter than 32 + 1 + 8 bytes" :
		       "scheme output shorter than 33 + 1 + 8 bytes";
		return -EINVAL;
	}
	ct_len = len - eph_len - KSF_ECIES_TAG_LEN;
	if (profile == KSF_ECIES_A) {
		ret = ksf_kpp_run(hn, in, KSF_X25519_LEN, z, sizeof(z));
		if (!ret && !memchr_inv(z, 0, sizeof(z))) {
			*why = "ephemeral public key of small order";
			ret = -EKEYREJECTED;
		}
	} else {
		ret = ksf_p256_decompress(in, xy);
		if (ret) {
			*why = "ephemeral public key is not a point of P-256";
		} else {
			ret = ksf_p256_shared(hn, xy, z);
			if (ret && ret != -ENOMEM) {
				*why = "ephemeral public key refused by the P-256 key agreement";
				ret = -EINVAL;
			}
		}
	}
	if (!ret)
		ret = ecies_kdf(z, in, eph_len, k);
	memzero_explicit(z, sizeof(z));
	if (ret)
		goto out;
	ret = ecies_tag(k, in + eph_len, ct_len, tag);
	if (ret)
		goto out;
	if (crypto_memneq(tag, in + eph_len + ct_len, KSF_ECIES_TAG_LEN)) {
		*why = "MAC tag mismatch";
		ret = -EBADMSG;
		goto out;
	}
	memcpy(out, in + eph_len, ct_len);
	ret = ecies_ctr(k, out, ct_len);
	if (!ret)
		*out_len = ct_len;
	else
		memzero_explicit(out, ct_len);
out:
	memzero_explicit(k, sizeof(k));
	return ret;
}
