// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: SUCI's ECIES (TS 33.501 C.4.3 and C.4.4) against every published
 * case in both directions (concealment with the case's ephemeral key,
 * de-concealment under its home network key, the public key ksf gives
 * for it), the refusals of a de-concealment (tag, ciphertext, truncated,
 * not a point, small order), random round trips, and P-256 point
 * decompression (the cases' points, a point off the curve, x >= p).
 */
#include <crypto/kpp.h>
#include <kunit/test.h>
#include <linux/slab.h>

#include "../crypto/ecies.h"
#include "../crypto/p256.h"
#include "vectors.h"

#define OUT_MAX	(KSF_ECIES_EPH_MAX + KSF_ECIES_IN_MAX + KSF_ECIES_TAG_LEN)

static void suci_vector_desc(const struct ksf_suci_vector *v, char *desc)
{
	strscpy(desc, v->id, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(suci, ksf_suci_vectors, suci_vector_desc);

/* UE side: the case's ephemeral key gives its scheme output. */
static void suci_conceal_vector(struct kunit *test)
{
	const struct ksf_suci_vector *v = test->param_value;
	const char *why = NULL;
	u8 *out = kunit_kzalloc(test, OUT_MAX, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_ASSERT_EQ(test, ksf_ecies_eph_len(v->profile), v->eph_pub_len);
	KUNIT_ASSERT_EQ(test, ksf_ecies_conceal(v->profile, v->eph_priv,
						v->hn_pub, v->hn_pub_len,
						v->in, v->in_len, out, &why), 0);
	KUNIT_EXPECT_MEMEQ(test, out, v->out, v->out_len);
	/* The public key as ksf gives it (compressed for B) does as well. */
	memset(out, 0, OUT_MAX);
	KUNIT_ASSERT_EQ(test, ksf_ecies_conceal(v->profile, v->eph_priv,
						v->hn_short, v->hn_short_len,
						v->in, v->in_len, out, &why), 0);
	KUNIT_EXPECT_MEMEQ(test, out, v->out, v->out_len);
	KUNIT_EXPECT_NULL(test, why);
}

/* De-conceals @in under @hn, the output's length thrown away. */
static int dec(const struct ksf_suci_vector *v, struct crypto_kpp *hn,
	       const u8 *in, u32 len, u8 *out, const char **why)
{
	u32 n;

	return ksf_ecies_deconceal(v->profile, hn, in, len, out, &n, why);
}

static struct crypto_kpp *hn_tfm(struct kunit *test,
				 const struct ksf_suci_vector *v)
{
	struct crypto_kpp *hn = ksf_ecies_hn_tfm(v->profile, v->hn_priv);

	KUNIT_ASSERT_FALSE(test, IS_ERR(hn));
	return hn;
}

/* SIDF side: the home network key opens the case; its public key. */
static void suci_deconceal_vector(struct kunit *test)
{
	const struct ksf_suci_vector *v = test->param_value;
	struct crypto_kpp *hn = hn_tfm(test, v);
	u8 out[OUT_MAX], pub[KSF_ECIES_PUB_MAX];
	const char *why = NULL;
	u32 len = 0;

	KUNIT_EXPECT_EQ(test, ksf_ecies_hn_public(v->profile, hn, pub, &len), 0);
	KUNIT_EXPECT_EQ(test, len, v->hn_short_len);
	KUNIT_EXPECT_MEMEQ(test, pub, v->hn_short, v->hn_short_len);
	KUNIT_EXPECT_EQ(test, ksf_ecies_deconceal(v->profile, hn, v->out,
						  v->out_len, out, &len, &why),
			0);
	KUNIT_EXPECT_EQ(test, len, v->in_len);
	KUNIT_EXPECT_MEMEQ(test, out, v->in, v->in_len);
	crypto_free_kpp(hn);
}

/* A flipped bit of the tag, of the ciphertext, of the key; truncated. */
static void suci_deconceal_refusals(struct kunit *test)
{
	const struct ksf_suci_vector *v = test->param_value;
	struct crypto_kpp *hn = hn_tfm(test, v);
	u32 e = v->eph_pub_len, len = 0, i;
	u8 in[OUT_MAX], out[OUT_MAX];
	const char *why = NULL;

	/* A bit changed anywhere: the tag (E is in the KDF) does not match. */
	for (i = 0; i < v->out_len; i += 3) {
		memcpy(in, v->out, v->out_len);
		in[i] ^= 0x01;
		why = NULL;
		KUNIT_EXPECT_NE_MSG(test, dec(v, hn, in, v->out_len, out, &why),
				    0, "byte %u", i);
		KUNIT_EXPECT_NOT_NULL(test, why);
	}
	/* A bit of the ciphertext or the tag: the tag does not match. */
	memcpy(in, v->out, v->out_len);
	in[v->out_len - 1] ^= 0x80;
	KUNIT_EXPECT_EQ(test, ksf_ecies_deconceal(v->profile, hn, in,
						  v->out_len, out, &len, &why),
			-EBADMSG);
	KUNIT_EXPECT_STREQ(test, why, "MAC tag mismatch");
	memcpy(in, v->out, v->out_len);
	in[e] ^= 0x01;
	KUNIT_EXPECT_EQ(test, ksf_ecies_deconceal(v->profile, hn, in,
						  v->out_len, out, &len, &why),
			-EBADMSG);
	/* No ciphertext at all, or less. */
	for (i = 0; i <= e + KSF_ECIES_TAG_LEN; i += 4)
		KUNIT_EXPECT_EQ(test, dec(v, hn, v->out, i, out, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, ksf_ecies_deconceal(v->profile, hn, v->out,
						  e + KSF_ECIES_TAG_LEN, out,
						  &len, &why), -EINVAL);
	/*
	 * An ephemeral key of small order (A); for B the point (0, y), on
	 * the curve, which the kpp's ladder refuses (-EFAULT inside).
	 */
	memcpy(in, v->out, v->out_len);
	memset(in, 0, e);
	if (v->profile == KSF_ECIES_B)
		in[0] = 0x02;
	KUNIT_EXPECT_EQ(test, ksf_ecies_deconceal(v->profile, hn, in,
						  v->out_len, out, &len, &why),
			v->profile == KSF_ECIES_A ? -EKEYREJECTED : -EINVAL);
	if (v->profile == KSF_ECIES_B) {
		in[e - 1] = 1;		/* x = 1: no point */
		KUNIT_EXPECT_EQ(test, dec(v, hn, in, v->out_len, out, &why),
				-EINVAL);
		KUNIT_EXPECT_STREQ(test, why,
				   "ephemeral public key is not a point of P-256");
		in[0] = 0x04;		/* not a compressed point */
		KUNIT_EXPECT_EQ(test, dec(v, hn, in, v->out_len, out, &why),
				-EINVAL);
	}
	crypto_free_kpp(hn);
}

/* A kernel-made ephemeral key: the home network key opens it. */
static void suci_round_trip(struct kunit *test)
{
	const struct ksf_suci_vector *v = test->param_value;
	struct crypto_kpp *hn = hn_tfm(test, v);
	u8 in[KSF_ECIES_IN_MAX], out[OUT_MAX], back[OUT_MAX];
	u8 out2[OUT_MAX];
	const char *why = NULL;
	u32 n, len = 0;

	for (n = 1; n <= KSF_ECIES_IN_MAX; n += 127) {
		u32 total = v->eph_pub_len + n + KSF_ECIES_TAG_LEN;
		int r1, r2, r3;

		get_random_bytes(in, n);
		r1 = ksf_ecies_conceal(v->profile, NULL, v->hn_pub,
				       v->hn_pub_len, in, n, out, &why);
		r2 = ksf_ecies_conceal(v->profile, NULL, v->hn_pub,
				       v->hn_pub_len, in, n, out2, &why);
		KUNIT_ASSERT_EQ(test, r1, 0);
		KUNIT_ASSERT_EQ(test, r2, 0);
		/* A fresh ephemeral key each time. */
		KUNIT_EXPECT_MEMNEQ(test, out, out2, v->eph_pub_len);
		r3 = ksf_ecies_deconceal(v->profile, hn, out, total, back, &len,
					 &why);
		KUNIT_ASSERT_EQ(test, r3, 0);
		KUNIT_EXPECT_EQ(test, len, n);
		KUNIT_EXPECT_MEMEQ(test, back, in, n);
	}
	crypto_free_kpp(hn);
}

/* n, the order of P-256's base point, and n - 1 */
static const u8 p256_n[KSF_P256_LEN] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84,
	0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
};

static const u8 p256_n_1[KSF_P256_LEN] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84,
	0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x50,
};

/* Home network public keys a concealment refuses. */
static void suci_conceal_refusals(struct kunit *test)
{
	static const u8 zero[KSF_P256_UNCOMPRESSED_LEN];
	u8 pub[KSF_P256_UNCOMPRESSED_LEN], out[OUT_MAX];
	const struct ksf_suci_vector *b = &ksf_suci_vectors[1];
	const char *why = NULL;
	static const u8 in[5] = { 1 };

	/* A: wrong length; small order. */
	KUNIT_EXPECT_EQ(test, ksf_ecies_conceal(KSF_ECIES_A, NULL, zero, 33,
						in, 5, out, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, ksf_ecies_conceal(KSF_ECIES_A, NULL, zero, 32,
						in, 5, out, &why),
			-EKEYREJECTED);
	KUNIT_EXPECT_STREQ(test, why, "hn-pub is a point of small order");
	/* B: lengths, prefixes, off the curve (y changed), x = 1. */
	KUNIT_ASSERT_EQ(test, b->profile, KSF_ECIES_B);
	KUNIT_EXPECT_EQ(test, ksf_ecies_conceal(KSF_ECIES_B, NULL, zero, 32,
						in, 5, out, &why), -EINVAL);
	memcpy(pub, b->hn_pub, sizeof(pub));
	pub[0] = 0x02;
	KUNIT_EXPECT_EQ(test, ksf_ecies_conceal(KSF_ECIES_B, NULL, pub, 65,
						in, 5, out, &why), -EINVAL);
	pub[0] = 0x04;
	pub[64] ^= 1;
	KUNIT_EXPECT_EQ(test, ksf_ecies_conceal(KSF_ECIES_B, NULL, pub, 65,
						in, 5, out, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "hn-pub is not a point of P-256");
	memset(pub, 0, sizeof(pub));
	pub[0] = 0x02;
	pub[32] = 1;
	KUNIT_EXPECT_EQ(test, ksf_ecies_conceal(KSF_ECIES_B, NULL, pub, 33,
						in, 5, out, &why), -EINVAL);
	/* (0, y): on the curve, refused by the kpp's ladder. */
	memset(pub, 0, sizeof(pub));
	pub[0] = 0x02;
	KUNIT_EXPECT_EQ(test, ksf_ecies_conceal(KSF_ECIES_B, NULL, pub, 33,
						in, 5, out, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "hn-pub refused by the P-256 key agreement");
	/* An ephemeral key out of range (0). */
	KUNIT_EXPECT_EQ(test, ksf_ecies_conceal(KSF_ECIES_B, zero, b->hn_pub,
						65, in, 5, out, &why),
			-EKEYREJECTED);
	KUNIT_EXPECT_STREQ(test, why, "eph-key is not a P-256 private key");
	KUNIT_EXPECT_TRUE(test, IS_ERR(ksf_ecies_hn_tfm(KSF_ECIES_B, zero)));
	KUNIT_EXPECT_EQ(test, PTR_ERR(ksf_p256_tfm(p256_n)), -EKEYREJECTED);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ksf_p256_tfm(p256_n_1)), -EKEYREJECTED);
}

/* The cases' compressed points give their published uncompressed ones. */
static void p256_decompress_vectors(struct kunit *test)
{
	u8 xy[2 * KSF_P256_LEN], c[KSF_P256_COMPRESSED_LEN];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ksf_suci_vectors); i++) {
		const struct ksf_suci_vector *v = &ksf_suci_vectors[i];

		if (v->profile != KSF_ECIES_B)
			continue;
		KUNIT_ASSERT_EQ(test, ksf_p256_decompress(v->hn_short, xy), 0);
		KUNIT_EXPECT_MEMEQ(test, xy, v->hn_pub + 1, sizeof(xy));
		KUNIT_EXPECT_EQ(test, ksf_p256_check(xy), 0);
		ksf_p256_compress(xy, c);
		KUNIT_EXPECT_MEMEQ(test, c, v->hn_short, sizeof(c));
		/* The ephemeral keys (both parities of y occur). */
		KUNIT_ASSERT_EQ(test, ksf_p256_decompress(v->eph_pub, xy), 0);
		KUNIT_EXPECT_EQ(test, ksf_p256_check(xy), 0);
		ksf_p256_compress(xy, c);
		KUNIT_EXPECT_MEMEQ(test, c, v->eph_pub, sizeof(c));
	}
}

/* Off the curve, x >= p, y >= p, a bad prefix: refused. */
static void p256_decompress_refusals(struct kunit *test)
{
	static const u8 p[KSF_P256_LEN] = {
		0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	u8 in[KSF_P256_COMPRESSED_LEN] = { 0x02 }, xy[2 * KSF_P256_LEN];

	/* x = 0 is on the curve (b is a square mod p), x = 1 is not. */
	KUNIT_EXPECT_EQ(test, ksf_p256_decompress(in, xy), 0);
	KUNIT_EXPECT_EQ(test, ksf_p256_check(xy), 0);
	in[0] = 0x03;
	KUNIT_EXPECT_EQ(test, ksf_p256_decompress(in, xy), 0);
	in[32] = 1;
	KUNIT_EXPECT_EQ(test, ksf_p256_decompress(in, xy), -EINVAL);
	in[0] = 0x02;
	KUNIT_EXPECT_EQ(test, ksf_p256_decompress(in, xy), -EINVAL);
	/* x = p, and x = 2^256 - 1 */
	memcpy(in + 1, p, KSF_P256_LEN);
	KUNIT_EXPECT_EQ(test, ksf_p256_decompress(in, xy), -EINVAL);
	memset(in + 1, 0xff, KSF_P256_LEN);
	KUNIT_EXPECT_EQ(test, ksf_p256_decompress(in, xy), -EINVAL);
	/* Prefixes other than 02 and 03. */
	memset(in, 0, sizeof(in));
	in[0] = 0x04;
	KUNIT_EXPECT_EQ(test, ksf_p256_decompress(in, xy), -EINVAL);
	in[0] = 0x00;
	KUNIT_EXPECT_EQ(test, ksf_p256_decompress(in, xy), -EINVAL);
	/* An uncompressed point with x >= p or y >= p, or y changed. */
	memcpy(xy, ksf_suci_vectors[1].hn_pub + 1, sizeof(xy));
	memcpy(xy, p, KSF_P256_LEN);
	KUNIT_EXPECT_EQ(test, ksf_p256_check(xy), -EINVAL);
	memcpy(xy, ksf_suci_vectors[1].hn_pub + 1, sizeof(xy));
	memcpy(xy + KSF_P256_LEN, p, KSF_P256_LEN);
	KUNIT_EXPECT_EQ(test, ksf_p256_check(xy), -EINVAL);
	memcpy(xy, ksf_suci_vectors[1].hn_pub + 1, sizeof(xy));
	xy[63] ^= 2;
	KUNIT_EXPECT_EQ(test, ksf_p256_check(xy), -EINVAL);
}

static struct kunit_case ksf_suci_cases[] = {
	KUNIT_CASE_PARAM(suci_conceal_vector, suci_gen_params),
	KUNIT_CASE_PARAM(suci_deconceal_vector, suci_gen_params),
	KUNIT_CASE_PARAM(suci_deconceal_refusals, suci_gen_params),
	KUNIT_CASE_PARAM(suci_round_trip, suci_gen_params),
	KUNIT_CASE(suci_conceal_refusals),
	KUNIT_CASE(p256_decompress_vectors),
	KUNIT_CASE(p256_decompress_refusals),
	{}
};

static struct kunit_suite ksf_suci_suite = {
	.name = "ksf-suci",
	.test_cases = ksf_suci_cases,
};

kunit_test_suite(ksf_suci_suite);
