// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: ksf's MAC and KDF helpers against the published known-answer
 * vectors (RFC 4231 HMAC-SHA-256, RFC 4493 AES-CMAC, TS 33.220 KDF, the
 * X25519 of TS 33.501 C.4.3), all through the kernel crypto API exactly
 * as the services use it.
 */
#include <crypto/hash.h>
#include <kunit/test.h>

#include "../crypto/kdf.h"
#include "../crypto/x25519.h"
#include "../services/services.h"
#include "vectors.h"

static struct crypto_shash *keyed(struct kunit *test, const char *alg,
				  const u8 *key, unsigned int len)
{
	struct crypto_shash *tfm = crypto_alloc_shash(alg, 0, 0);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(tfm), "%s unavailable", alg);
	KUNIT_ASSERT_EQ(test, crypto_shash_setkey(tfm, key, len), 0);
	return tfm;
}

static void mac_case(struct kunit *test, const char *alg,
		     const struct ksf_mac_vector *v)
{
	struct crypto_shash *tfm = keyed(test, alg, v->key, v->key_len);
	u8 out[KSF_MAC_MAX_LEN];

	KUNIT_ASSERT_EQ(test, ksf_mac(tfm, v->data, v->data_len, out), 0);
	KUNIT_EXPECT_MEMEQ(test, out, v->mac, v->mac_len);
	/*
	 * The HMAC built on the shared SHA-256 (ksf_kdf_key) against the
	 * crypto API's hmac(sha256) (ksf_kdf), with each vector's key and
	 * data as FC || P0: RFC 4231's long key covers the hashed-key path.
	 */
	if (!strcmp(alg, "hmac(sha256)") && v->data_len) {
		const u8 *p = v->data + 1;
		u16 l = v->data_len - 1;
		u8 kdf[KSF_KDF_OUT_LEN];

		KUNIT_ASSERT_EQ(test, ksf_kdf_key(v->key, v->key_len,
						  v->data[0], &p, &l, 1, kdf),
				0);
		KUNIT_ASSERT_EQ(test, ksf_kdf(tfm, v->data[0], &p, &l, 1, out),
				0);
		KUNIT_EXPECT_MEMEQ(test, kdf, out, KSF_KDF_OUT_LEN);
	}
	/* A flipped message bit must change the tag. */
	if (v->data_len) {
		u8 *flip = kunit_kmalloc(test, v->data_len, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, flip);
		memcpy(flip, v->data, v->data_len);
		flip[0] ^= 1;
		KUNIT_ASSERT_EQ(test, ksf_mac(tfm, flip, v->data_len, out), 0);
		KUNIT_EXPECT_MEMNEQ(test, out, v->mac, v->mac_len);
	}
	crypto_free_shash(tfm);
}

static void mac_vector_desc(const struct ksf_mac_vector *v, char *desc)
{
	strscpy(desc, v->id, KUNIT_PARAM_DESC_SIZE);
}

static void kdf_vector_desc(const struct ksf_kdf_vector *v, char *desc)
{
	strscpy(desc, v->id, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(hmac, ksf_hmac_sha256_vectors, mac_vector_desc);
KUNIT_ARRAY_PARAM(cmac, ksf_aes_cmac_vectors, mac_vector_desc);
KUNIT_ARRAY_PARAM(kdf, ksf_kdf_vectors, kdf_vector_desc);

static void hmac_sha256_vector(struct kunit *test)
{
	const struct ksf_mac_vector *v = test->param_value;
	unsigned int half = v->data_len / 2;
	u8 out[KSF_KDF_OUT_LEN];

	mac_case(test, "hmac(sha256)", v);
	/* The same on the module's SHA-256 (the channel's HKDF), whole ... */
	KUNIT_ASSERT_EQ(test, ksf_hmac_sha256(v->key, v->key_len, v->data,
					      v->data_len, NULL, 0, out), 0);
	KUNIT_EXPECT_MEMEQ(test, out, v->mac, v->mac_len);
	/* ... and in two parts */
	memset(out, 0, sizeof(out));
	KUNIT_ASSERT_EQ(test, ksf_hmac_sha256(v->key, v->key_len, v->data,
					      half, v->data + half,
					      v->data_len - half, out), 0);
	KUNIT_EXPECT_MEMEQ(test, out, v->mac, v->mac_len);
}

static void aes_cmac_vector(struct kunit *test)
{
	mac_case(test, "cmac(aes)", test->param_value);
}

static void kdf_vector(struct kunit *test)
{
	const struct ksf_kdf_vector *v = test->param_value;
	struct crypto_shash *tfm = keyed(test, "hmac(sha256)", v->key,
					 v->key_len);
	const u8 *params[ARRAY_SIZE(v->params)];
	u16 lens[ARRAY_SIZE(v->params)];
	u8 out[KSF_KDF_OUT_LEN];
	unsigned int i;

	for (i = 0; i < v->n; i++) {
		params[i] = v->params[i].p;
		lens[i] = v->params[i].len;
	}
	KUNIT_ASSERT_EQ(test, ksf_kdf(tfm, v->fc, params, lens, v->n, out), 0);
	KUNIT_EXPECT_MEMEQ(test, out + v->offset, v->out, v->out_len);
	/* The same through the HMAC built on the shared SHA-256 (AKA path). */
	memset(out, 0, sizeof(out));
	KUNIT_ASSERT_EQ(test, ksf_kdf_key(v->key, v->key_len, v->fc, params,
					  lens, v->n, out), 0);
	KUNIT_EXPECT_MEMEQ(test, out + v->offset, v->out, v->out_len);
	/* Another FC gives another key. */
	KUNIT_ASSERT_EQ(test, ksf_kdf(tfm, v->fc ^ 1, params, lens, v->n, out),
			0);
	KUNIT_EXPECT_MEMNEQ(test, out + v->offset, v->out, v->out_len);
	crypto_free_shash(tfm);
}

static void x25519_vector_desc(const struct ksf_x25519_vector *v, char *desc)
{
	strscpy(desc, v->id, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(x25519, ksf_x25519_vectors, x25519_vector_desc);

/* Both public keys, and the shared secret computed from either side. */
static void x25519_vector(struct kunit *test)
{
	const struct ksf_x25519_vector *v = test->param_value;
	u8 out[KSF_X25519_LEN];

	KUNIT_ASSERT_EQ(test, ksf_x25519(out, v->a_priv, NULL), 0);
	KUNIT_EXPECT_MEMEQ(test, out, v->a_pub, KSF_X25519_LEN);
	KUNIT_ASSERT_EQ(test, ksf_x25519(out, v->b_priv, NULL), 0);
	KUNIT_EXPECT_MEMEQ(test, out, v->b_pub, KSF_X25519_LEN);
	KUNIT_ASSERT_EQ(test, ksf_x25519(out, v->b_priv, v->a_pub), 0);
	KUNIT_EXPECT_MEMEQ(test, out, v->shared, KSF_X25519_LEN);
	KUNIT_ASSERT_EQ(test, ksf_x25519(out, v->a_priv, v->b_pub), 0);
	KUNIT_EXPECT_MEMEQ(test, out, v->shared, KSF_X25519_LEN);
}

/*
 * Points of small order give an all-zero secret (RFC 7748 section 6.1):
 * refused, like an all-zero private key.  A generated key is clamped.
 */
static void x25519_rejects(struct kunit *test)
{
	static const u8 zero[KSF_X25519_LEN], one[KSF_X25519_LEN] = { 1 };
	u8 priv[KSF_X25519_LEN], out[KSF_X25519_LEN];

	ksf_x25519_generate(priv);
	KUNIT_EXPECT_EQ(test, priv[0] & 7, 0);
	KUNIT_EXPECT_EQ(test, priv[31] & 0xc0, 0x40);
	KUNIT_EXPECT_EQ(test, ksf_x25519(out, priv, zero), -EKEYREJECTED);
	KUNIT_EXPECT_EQ(test, ksf_x25519(out, priv, one), -EKEYREJECTED);
	KUNIT_EXPECT_EQ(test, ksf_x25519(out, zero, NULL), -EKEYREJECTED);
	KUNIT_EXPECT_EQ(test, ksf_x25519(out, priv, NULL), 0);
}

static struct kunit_case ksf_crypto_cases[] = {
	KUNIT_CASE_PARAM(hmac_sha256_vector, hmac_gen_params),
	KUNIT_CASE_PARAM(aes_cmac_vector, cmac_gen_params),
	KUNIT_CASE_PARAM(kdf_vector, kdf_gen_params),
	KUNIT_CASE_PARAM(x25519_vector, x25519_gen_params),
	KUNIT_CASE(x25519_rejects),
	{}
};

static struct kunit_suite ksf_crypto_suite = {
	.name = "ksf-crypto",
	.test_cases = ksf_crypto_cases,
};

kunit_test_suite(ksf_crypto_suite);
