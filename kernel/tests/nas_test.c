// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: 128-NEA1/2/3 and 128-NIA1/2/3 against the published test sets
 * (TS 33.401 Annex C, ETSI/SAGE UEA2/UIA2 and EEA3/EIA3 Document 3), the
 * SNOW 3G and ZUC skciphers through the crypto API against the keystream
 * test data of their specifications, and the edges: LENGTH not a multiple
 * of 8, zero length, COUNT 0xffffffff, flipped bits, wrong key lengths.
 */
#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <kunit/test.h>
#include <linux/scatterlist.h>

#include "../crypto/nas_alg.h"
#include "vectors.h"

static const enum ksf_nas_alg nea_algs[] = {
	KSF_NAS_NEA1, KSF_NAS_NEA2, KSF_NAS_NEA3,
};

static const enum ksf_nas_alg nia_algs[] = {
	KSF_NAS_NIA1, KSF_NAS_NIA2, KSF_NAS_NIA3,
};

static const u8 key16[KSF_NAS_KEY_LEN] = {
	0x2b, 0xd6, 0x45, 0x9f, 0x82, 0xc5, 0xb3, 0x00,
	0x95, 0x2c, 0x49, 0x10, 0x48, 0x81, 0xff, 0x48,
};

static struct ksf_nas *nas_get(struct kunit *test, enum ksf_nas_alg alg,
			       const u8 *key)
{
	struct ksf_nas *nas = ksf_nas_alloc(alg, key, KSF_NAS_KEY_LEN);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(nas), "alg %#x: %ld", alg,
			       PTR_ERR(nas));
	return nas;
}

static u8 *nas_buf(struct kunit *test, const u8 *src, unsigned int len)
{
	u8 *buf = kunit_kzalloc(test, len ? len : 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	if (src)
		memcpy(buf, src, len);
	return buf;
}

static void nea_case(struct kunit *test, enum ksf_nas_alg alg)
{
	const struct ksf_nas_vector *v = test->param_value;
	unsigned int n = DIV_ROUND_UP(v->bits, 8);
	struct ksf_nas *nas = nas_get(test, alg, v->key);
	u8 *buf = nas_buf(test, v->in, n);

	KUNIT_ASSERT_EQ(test, ksf_nea(nas, v->count, v->bearer, v->dir, buf,
				      v->bits), 0);
	KUNIT_EXPECT_MEMEQ(test, buf, v->out, v->out_len);
	/* Deciphering gives back the plaintext, unused bits zero. */
	KUNIT_ASSERT_EQ(test, ksf_nea(nas, v->count, v->bearer, v->dir, buf,
				      v->bits), 0);
	KUNIT_EXPECT_MEMEQ(test, buf, v->in, n - 1);
	KUNIT_EXPECT_EQ(test, buf[n - 1],
			v->in[n - 1] & (0xff00 >> (v->bits % 8 ?: 8)));
	/* A stream cipher: a flipped plaintext bit flips that bit only. */
	memcpy(buf, v->in, n);
	buf[0] ^= 0x80;
	KUNIT_ASSERT_EQ(test, ksf_nea(nas, v->count, v->bearer, v->dir, buf,
				      v->bits), 0);
	KUNIT_EXPECT_EQ(test, buf[0], v->out[0] ^ 0x80);
	KUNIT_EXPECT_MEMEQ(test, buf + 1, v->out + 1, n - 1);
	/* Another BEARER gives another keystream. */
	memcpy(buf, v->in, n);
	KUNIT_ASSERT_EQ(test, ksf_nea(nas, v->count, v->bearer ^ 1, v->dir,
				      buf, v->bits), 0);
	KUNIT_EXPECT_MEMNEQ(test, buf, v->out, n);
	ksf_nas_free(nas);
}

static void nia_case(struct kunit *test, enum ksf_nas_alg alg)
{
	const struct ksf_nas_vector *v = test->param_value;
	struct ksf_nas *nas = nas_get(test, alg, v->key);
	u8 *buf = nas_buf(test, v->in, v->in_len);
	u32 last = v->bits - 1;
	u8 mac[KSF_NAS_MAC_LEN];

	KUNIT_ASSERT_EQ(test, ksf_nia(nas, v->count, v->bearer, v->dir, buf,
				      v->bits, mac), 0);
	KUNIT_EXPECT_MEMEQ(test, mac, v->out, KSF_NAS_MAC_LEN);
	/* The last bit of the message counts ... */
	buf[last / 8] ^= 0x80 >> (last % 8);
	KUNIT_ASSERT_EQ(test, ksf_nia(nas, v->count, v->bearer, v->dir, buf,
				      v->bits, mac), 0);
	KUNIT_EXPECT_MEMNEQ(test, mac, v->out, KSF_NAS_MAC_LEN);
	buf[last / 8] ^= 0x80 >> (last % 8);
	/* ... the bits after LENGTH do not. */
	if (v->bits < v->in_len * 8) {
		buf[v->bits / 8] ^= 0x80 >> (v->bits % 8);
		KUNIT_ASSERT_EQ(test, ksf_nia(nas, v->count, v->bearer, v->dir,
					      buf, v->bits, mac), 0);
		KUNIT_EXPECT_MEMEQ(test, mac, v->out, KSF_NAS_MAC_LEN);
	}
	/* COUNT, BEARER and DIRECTION are covered. */
	KUNIT_ASSERT_EQ(test, ksf_nia(nas, v->count ^ 0x80000000, v->bearer,
				      v->dir, v->in, v->bits, mac), 0);
	KUNIT_EXPECT_MEMNEQ(test, mac, v->out, KSF_NAS_MAC_LEN);
	KUNIT_ASSERT_EQ(test, ksf_nia(nas, v->count, v->bearer ^ 0x10, v->dir,
				      v->in, v->bits, mac), 0);
	KUNIT_EXPECT_MEMNEQ(test, mac, v->out, KSF_NAS_MAC_LEN);
	KUNIT_ASSERT_EQ(test, ksf_nia(nas, v->count, v->bearer, !v->dir,
				      v->in, v->bits, mac), 0);
	KUNIT_EXPECT_MEMNEQ(test, mac, v->out, KSF_NAS_MAC_LEN);
	ksf_nas_free(nas);
}

static void nas_vector_desc(const struct ksf_nas_vector *v, char *desc)
{
	strscpy(desc, v->id, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(eea1, ksf_eea1_vectors, nas_vector_desc);
KUNIT_ARRAY_PARAM(eea2, ksf_eea2_vectors, nas_vector_desc);
KUNIT_ARRAY_PARAM(eea3, ksf_eea3_vectors, nas_vector_desc);
KUNIT_ARRAY_PARAM(eia1, ksf_eia1_vectors, nas_vector_desc);
KUNIT_ARRAY_PARAM(eia2, ksf_eia2_vectors, nas_vector_desc);
KUNIT_ARRAY_PARAM(eia3, ksf_eia3_vectors, nas_vector_desc);

static void nea1_vector(struct kunit *test)
{
	nea_case(test, KSF_NAS_NEA1);
}

static void nea2_vector(struct kunit *test)
{
	nea_case(test, KSF_NAS_NEA2);
}

static void nea3_vector(struct kunit *test)
{
	nea_case(test, KSF_NAS_NEA3);
}

static void nia1_vector(struct kunit *test)
{
	nia_case(test, KSF_NAS_NIA1);
}

static void nia2_vector(struct kunit *test)
{
	nia_case(test, KSF_NAS_NIA2);
}

static void nia3_vector(struct kunit *test)
{
	nia_case(test, KSF_NAS_NIA3);
}

/* Keystream through the crypto API: encipher zeros under key and IV. */
static void keystream(struct kunit *test, const char *alg, const u8 *key,
		      const u8 *iv, u8 *out, unsigned int len)
{
	/* ksf's own generators are internal algorithms (nas_alg.h). */
	u32 flags = strcmp(alg, "ctr(aes)") ? KSF_KS_FLAGS : 0;
	struct crypto_sync_skcipher *tfm =
		crypto_alloc_sync_skcipher(alg, flags, flags);
	u8 ivc[KSF_KS_IV_LEN];
	struct scatterlist sg;

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(tfm), "%s unavailable", alg);
	KUNIT_ASSERT_EQ(test, crypto_sync_skcipher_setkey(tfm, key, 16), 0);
	memset(out, 0, len);
	memcpy(ivc, iv, sizeof(ivc));
	sg_init_one(&sg, out, len);
	{
		SYNC_SKCIPHER_REQUEST_ON_STACK(req, tfm);

		skcipher_request_set_sync_tfm(req, tfm);
		skcipher_request_set_callback(req, 0, NULL, NULL);
		skcipher_request_set_crypt(req, &sg, &sg, len, ivc);
		KUNIT_EXPECT_EQ(test, crypto_skcipher_encrypt(req), 0);
	}
	crypto_free_sync_skcipher(tfm);
}

/*
 * The generators alone, by cra_name, against their specifications' test
 * data: SNOW 3G Document 4 test set 1 (k0..k3 and IV0..IV3 listed there,
 * so reversed into this module's k3..k0 / IV3..IV0 order) and ZUC
 * Document 2 Annex A test sets 1 and 2.
 */
static void keystream_kat(struct kunit *test)
{
	static const u8 snow_k[16] = {
		0x48, 0x81, 0xff, 0x48, 0x95, 0x2c, 0x49, 0x10,
		0x82, 0xc5, 0xb3, 0x00, 0x2b, 0xd6, 0x45, 0x9f,
	};
	static const u8 snow_iv[16] = {
		0x1c, 0x0b, 0xf4, 0x5f, 0xdf, 0x1f, 0x9b, 0x25,
		0xad, 0x5c, 0x4d, 0x84, 0xea, 0x02, 0x47, 0x14,
	};
	static const u8 snow_z[8] = {
		0xab, 0xee, 0x97, 0x04, 0x7a, 0xc3, 0x13, 0x73,
	};
	static const u8 zuc_z0[8] = {
		0x27, 0xbe, 0xde, 0x74, 0x01, 0x80, 0x82, 0xda,
	};
	static const u8 zuc_z1[8] = {
		0x06, 0x57, 0xcf, 0xa0, 0x70, 0x96, 0x39, 0x8b,
	};
	u8 zero[16] = {}, ones[16], *z = nas_buf(test, NULL, 7);

	memset(ones, 0xff, sizeof(ones));
	keystream(test, KSF_SNOW3G_ALG, snow_k, snow_iv, z, 7);
	KUNIT_EXPECT_MEMEQ(test, z, snow_z, 7);	/* a partial last word */
	keystream(test, KSF_ZUC_ALG, zero, zero, z, 7);
	KUNIT_EXPECT_MEMEQ(test, z, zuc_z0, 7);
	keystream(test, KSF_ZUC_ALG, ones, ones, z, 7);
	KUNIT_EXPECT_MEMEQ(test, z, zuc_z1, 7);
}

/* Output across several walk steps equals one long run (multi-page). */
static void keystream_long(struct kunit *test)
{
	static const char *const algs[] = { KSF_SNOW3G_DRIVER, KSF_ZUC_DRIVER };
	unsigned int len = 3 * PAGE_SIZE + 5, i;
	u8 *a = nas_buf(test, NULL, len), *b = nas_buf(test, NULL, 64);

	for (i = 0; i < ARRAY_SIZE(algs); i++) {
		keystream(test, algs[i], key16, key16, a, len);
		keystream(test, algs[i], key16, key16, b, 64);
		KUNIT_EXPECT_MEMEQ(test, a, b, 64);
		KUNIT_EXPECT_TRUE(test, memchr_inv(a + len - 64, 0, 64));
	}
}

/* LENGTH not a multiple of 8: NEA clears the unused bits, and no more. */
static void nea_tail_bits(struct kunit *test)
{
	unsigned int i;
	u8 *buf = nas_buf(test, NULL, 4);

	for (i = 0; i < ARRAY_SIZE(nea_algs); i++) {
		struct ksf_nas *nas = nas_get(test, nea_algs[i], key16);

		memset(buf, 0xff, 4);
		KUNIT_ASSERT_EQ(test, ksf_nea(nas, 1, 2, 1, buf, 13), 0);
		KUNIT_EXPECT_EQ(test, buf[1] & 0x07, 0);
		KUNIT_EXPECT_EQ(test, buf[2], 0xff);	/* untouched */
		KUNIT_EXPECT_EQ(test, buf[3], 0xff);
		ksf_nas_free(nas);
	}
}

/* Zero-length messages. */
static void nas_zero_length(struct kunit *test)
{
	struct crypto_shash *cmac;
	u8 mac[4], mac2[4], tag[16], hdr[8] = { 0x12, 0x34, 0x56, 0x78, };
	u8 *buf = nas_buf(test, NULL, 8);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nea_algs); i++) {
		struct ksf_nas *nas = nas_get(test, nea_algs[i], key16);

		memset(buf, 0xa5, 8);
		KUNIT_EXPECT_EQ(test, ksf_nea(nas, 7, 3, 0, buf, 0), 0);
		KUNIT_EXPECT_FALSE(test, memchr_inv(buf, 0xa5, 8));
		ksf_nas_free(nas);
	}
	for (i = 0; i < ARRAY_SIZE(nia_algs); i++) {
		struct ksf_nas *nas = nas_get(test, nia_algs[i], key16);

		memset(buf, 0, 8);
		KUNIT_ASSERT_EQ(test, ksf_nia(nas, 0x12345678, 0, 0, buf, 0,
					      mac), 0);
		memset(buf, 0xff, 8);	/* the contents do not count */
		KUNIT_ASSERT_EQ(test, ksf_nia(nas, 0x12345678, 0, 0, buf, 0,
					      mac2), 0);
		KUNIT_EXPECT_MEMEQ(test, mac, mac2, 4);
		KUNIT_ASSERT_EQ(test, ksf_nia(nas, 0x12345679, 0, 0, buf, 0,
					      mac2), 0);
		KUNIT_EXPECT_MEMNEQ(test, mac, mac2, 4);
		if (nia_algs[i] == KSF_NAS_NIA2) {
			/* NIA2 of nothing is AES-CMAC of the header alone. */
			cmac = crypto_alloc_shash("cmac(aes)", 0, 0);
			KUNIT_ASSERT_FALSE(test, IS_ERR(cmac));
			KUNIT_ASSERT_EQ(test, crypto_shash_setkey(cmac, key16,
								  16), 0);
			KUNIT_ASSERT_EQ(test, crypto_shash_tfm_digest(cmac, hdr,
								      8, tag),
					0);
			KUNIT_EXPECT_MEMEQ(test, mac, tag, 4);
			crypto_free_shash(cmac);
		}
		ksf_nas_free(nas);
	}
}

/* COUNT 0xffffffff: NEA2 is ctr(aes) on COUNT || BEARER || DIR || 0. */
static void nas_max_count(struct kunit *test)
{
	static const u8 iv[16] = { 0xff, 0xff, 0xff, 0xff, 0xf8 | 0x04, };
	u8 *a = nas_buf(test, NULL, 40), *b = nas_buf(test, NULL, 40);
	u8 mac[4], mac2[4];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nea_algs); i++) {
		struct ksf_nas *nas = nas_get(test, nea_algs[i], key16);

		memset(a, 0, 40);
		memset(b, 0, 40);
		KUNIT_ASSERT_EQ(test, ksf_nea(nas, 0xffffffff, 31, 1, a, 320),
				0);
		KUNIT_ASSERT_EQ(test, ksf_nea(nas, 0xfffffffe, 31, 1, b, 320),
				0);
		KUNIT_EXPECT_MEMNEQ(test, a, b, 40);
		if (nea_algs[i] == KSF_NAS_NEA2) {
			keystream(test, "ctr(aes)", key16, iv, b, 40);
			KUNIT_EXPECT_MEMEQ(test, a, b, 40);
		}
		KUNIT_ASSERT_EQ(test, ksf_nea(nas, 0xffffffff, 31, 1, a, 320),
				0);
		KUNIT_EXPECT_FALSE(test, memchr_inv(a, 0, 40));
		ksf_nas_free(nas);
	}
	for (i = 0; i < ARRAY_SIZE(nia_algs); i++) {
		struct ksf_nas *nas = nas_get(test, nia_algs[i], key16);

		KUNIT_ASSERT_EQ(test, ksf_nia(nas, 0xffffffff, 31, 1, a, 77,
					      mac), 0);
		KUNIT_ASSERT_EQ(test, ksf_nia(nas, 0x7fffffff, 31, 1, a, 77,
					      mac2), 0);
		KUNIT_EXPECT_MEMNEQ(test, mac, mac2, 4);
		ksf_nas_free(nas);
	}
}

/* 128-bit keys only, and each transform does its own job only. */
static void nas_bad_args(struct kunit *test)
{
	static const char *const algs[] = { KSF_SNOW3G_ALG, KSF_ZUC_ALG };
	static const u8 key[32];
	struct crypto_sync_skcipher *tfm;
	u8 mac[4], *buf = nas_buf(test, NULL, 8);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nea_algs); i++) {
		struct ksf_nas *nas;

		KUNIT_EXPECT_EQ(test, PTR_ERR(ksf_nas_alloc(nea_algs[i], key,
							    15)), -EINVAL);
		KUNIT_EXPECT_EQ(test, PTR_ERR(ksf_nas_alloc(nea_algs[i], key,
							    32)), -EINVAL);
		KUNIT_EXPECT_EQ(test, PTR_ERR(ksf_nas_alloc(nia_algs[i], key,
							    24)), -EINVAL);
		KUNIT_EXPECT_EQ(test, PTR_ERR(ksf_nas_alloc(nia_algs[i], key,
							    0)), -EINVAL);
		nas = nas_get(test, nea_algs[i], key);
		KUNIT_EXPECT_EQ(test, ksf_nia(nas, 0, 0, 0, buf, 8, mac),
				-EINVAL);
		KUNIT_EXPECT_EQ(test, ksf_nea(nas, 0, 0, 0, buf,
					      KSF_NAS_MAX_BITS + 1), -EINVAL);
		ksf_nas_free(nas);
		nas = nas_get(test, nia_algs[i], key);
		KUNIT_EXPECT_EQ(test, ksf_nea(nas, 0, 0, 0, buf, 8), -EINVAL);
		KUNIT_EXPECT_EQ(test, ksf_nia(nas, 0, 0, 0, buf,
					      KSF_NAS_MAX_BITS + 1, mac),
				-EINVAL);
		ksf_nas_free(nas);
	}
	KUNIT_EXPECT_EQ(test, PTR_ERR(ksf_nas_alloc(0x42, key, 16)), -EINVAL);
	for (i = 0; i < ARRAY_SIZE(algs); i++) {
		tfm = crypto_alloc_sync_skcipher(algs[i], KSF_KS_FLAGS,
						 KSF_KS_FLAGS);
		KUNIT_ASSERT_FALSE(test, IS_ERR(tfm));
		KUNIT_EXPECT_EQ(test, crypto_sync_skcipher_setkey(tfm, key, 15),
				-EINVAL);
		KUNIT_EXPECT_EQ(test, crypto_sync_skcipher_setkey(tfm, key, 32),
				-EINVAL);
		KUNIT_EXPECT_EQ(test, crypto_sync_skcipher_setkey(tfm, key, 16),
				0);
		crypto_free_sync_skcipher(tfm);
	}
}

static struct kunit_case ksf_nas_cases[] = {
	KUNIT_CASE_PARAM(nea1_vector, eea1_gen_params),
	KUNIT_CASE_PARAM(nea2_vector, eea2_gen_params),
	KUNIT_CASE_PARAM(nea3_vector, eea3_gen_params),
	KUNIT_CASE_PARAM(nia1_vector, eia1_gen_params),
	KUNIT_CASE_PARAM(nia2_vector, eia2_gen_params),
	KUNIT_CASE_PARAM(nia3_vector, eia3_gen_params),
	KUNIT_CASE(keystream_kat),
	KUNIT_CASE(keystream_long),
	KUNIT_CASE(nea_tail_bits),
	KUNIT_CASE(nas_zero_length),
	KUNIT_CASE(nas_max_count),
	KUNIT_CASE(nas_bad_args),
	{}
};

static struct kunit_suite ksf_nas_suite = {
	.name = "ksf-nas",
	.test_cases = ksf_nas_cases,
};

kunit_test_suite(ksf_nas_suite);
