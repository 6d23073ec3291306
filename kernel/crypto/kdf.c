// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KDF primitive of TS 33.220 Annex B.2: KDF(Key, S) =
 * HMAC-SHA-256(Key, S), S = FC || P0 || L0 || P1 || L1 ..., Li the length
 * of Pi as two bytes, big endian; and the module's unkeyed SHA-256.
 */
#include <crypto/hash.h>
#include <crypto/sha2.h>

#include "kdf.h"

/*
 * One unkeyed SHA-256 transform for the module: an unkeyed shash may be
 * used by many callers at once, each with its own descriptor.  It serves
 * the KDFs whose key exists only for one computation (CK||IK in AKA),
 * where allocating and keying an hmac(sha256) transform per call would
 * cost more than the computation.
 */
static struct crypto_shash *ksf_sha256;

int ksf_kdf_init(void)
{
	ksf_sha256 = crypto_alloc_shash("sha256", 0, 0);
	return PTR_ERR_OR_ZERO(ksf_sha256);
}

void ksf_kdf_exit(void)
{
	crypto_free_shash(ksf_sha256);
}

int ksf_sha256_digest(const u8 *data, unsigned int len, u8 *out)
{
	return crypto_shash_tfm_digest(ksf_sha256, data, len, out);
}

/* Hashes S = FC || P0 || L0 || ... || Pn || Ln (TS 33.220 B.2) into @desc. */
static int kdf_input(struct shash_desc *desc, u8 fc, const u8 *const *params,
		     const u16 *lens, unsigned int n)
{
	unsigned int i;
	__be16 l;
	int ret;

	ret = crypto_shash_update(desc, &fc, 1);
	for (i = 0; !ret && i < n; i++) {
		l = cpu_to_be16(lens[i]);
		ret = crypto_shash_update(desc, params[i], lens[i]);
		if (!ret)
			ret = crypto_shash_update(desc, (u8 *)&l, sizeof(l));
	}
	return ret;
}

/*
 * HMAC (RFC 2104) built on the shared SHA-256, for keys that exist only
 * for one computation: @input hashes the text into the inner hash.
 * Wipes the padded key, the inner hash and the descriptor.
 */
static int hmac(const u8 *key, unsigned int key_len,
		int (*input)(struct shash_desc *desc, const void *arg),
		const void *arg, u8 out[SHA256_DIGEST_SIZE])
{
	SHASH_DESC_ON_STACK(desc, ksf_sha256);
	u8 pad[SHA256_BLOCK_SIZE] = {}, inner[SHA256_DIGEST_SIZE];
	unsigned int i;
	int ret = 0;

	if (key_len > SHA256_BLOCK_SIZE)
		ret = ksf_sha256_digest(key, key_len, pad);
	else
		memcpy(pad, key, key_len);
	for (i = 0; i < sizeof(pad); i++)
		pad[i] ^= 0x36;
	desc->tfm = ksf_sha256;
	if (!ret)
		ret = crypto_shash_init(desc);
	if (!ret)
		ret = crypto_shash_update(desc, pad, sizeof(pad));
	if (!ret)
		ret = input(desc, arg);
	if (!ret)
		ret = crypto_shash_final(desc, inner);
	for (i = 0; i < sizeof(pad); i++)
		pad[i] ^= 0x36 ^ 0x5c;
	if (!ret)
		ret = crypto_shash_init(desc);
	if (!ret)
		ret = crypto_shash_update(desc, pad, sizeof(pad));
	if (!ret)
		ret = crypto_shash_finup(desc, inner, sizeof(inner), out);
	shash_desc_zero(desc);
	memzero_explicit(pad, sizeof(pad));
	memzero_explicit(inner, sizeof(inner));
	return ret;
}

struct kdf_s {
	u8 fc;
	const u8 *const *params;
	const u16 *lens;
	unsigned int n;
};

static int kdf_s_input(struct shash_desc *desc, const void *arg)
{
	const struct kdf_s *s = arg;

	return kdf_input(desc, s->fc, s->params, s->lens, s->n);
}

/* KDF(key, S) with HMAC built on the shared SHA-256. */
int ksf_kdf_key(const u8 *key, unsigned int key_len, u8 fc,
		const u8 *const *params, const u16 *lens, unsigned int n,
		u8 out[KSF_KDF_OUT_LEN])
{
	struct kdf_s s = { fc, params, lens, n };

	return hmac(key, key_len, kdf_s_input, &s, out);
}

struct two_parts {
	const u8 *a, *b;
	unsigned int a_len, b_len;
};

static int two_parts_input(struct shash_desc *desc, const void *arg)
{
	const struct two_parts *t = arg;
	int ret = crypto_shash_update(desc, t->a, t->a_len);

	return ret || !t->b ? ret : crypto_shash_update(desc, t->b, t->b_len);
}

/* HMAC-SHA-256(@key, @a || @b) (@b may be NULL), as ksf_kdf_key(). */
int ksf_hmac_sha256(const u8 *key, unsigned int key_len, const u8 *a,
		    unsigned int a_len, const u8 *b, unsigned int b_len,
		    u8 out[KSF_KDF_OUT_LEN])
{
	struct two_parts t = { a, b, a_len, b_len };

	return hmac(key, key_len, two_parts_input, &t, out);
}

int ksf_kdf(struct crypto_shash *tfm, u8 fc, const u8 *const *params,
	    const u16 *lens, unsigned int n, u8 out[KSF_KDF_OUT_LEN])
{
	SHASH_DESC_ON_STACK(desc, tfm);
	int ret;

	desc->tfm = tfm;
	ret = crypto_shash_init(desc);
	if (!ret)
		ret = kdf_input(desc, fc, params, lens, n);
	if (!ret)
		ret = crypto_shash_final(desc, out);
	shash_desc_zero(desc);
	return ret;
}
