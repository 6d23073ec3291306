// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: MILENAGE f1 .. f5* and OPc against the published TS 35.208 sets,
 * and the AKA sequence number handling of TS 33.102 Annex C (AUTN build
 * and check, array freshness, AUTS and resynchronisation).
 */
#include <crypto/algapi.h>		/* and the unaligned accessors */
#include <crypto/internal/cipher.h>
#include <kunit/test.h>

#include "../crypto/milenage.h"
#include "vectors.h"

static const u8 amf_8000[KSF_MILENAGE_AMF_LEN] = { 0x80, 0x00 };

static struct crypto_cipher *milenage_tfm(struct kunit *test, const u8 *k)
{
	struct crypto_cipher *tfm = ksf_milenage_alloc(k, KSF_MILENAGE_K_LEN);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(tfm), "aes unavailable: %ld",
			       PTR_ERR(tfm));
	return tfm;
}

static void milenage_vector_desc(const struct ksf_milenage_vector *v,
				 char *desc)
{
	strscpy(desc, v->id, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(milenage, ksf_milenage_vectors, milenage_vector_desc);

static void milenage_vector(struct kunit *test)
{
	const struct ksf_milenage_vector *v = test->param_value;
	struct crypto_cipher *tfm = milenage_tfm(test, v->k);
	u8 opc[16], mac_a[8], mac_s[8], res[8], ck[16], ik[16], ak[6];
	u8 ak_star[6], rand[16];

	ksf_milenage_opc(tfm, v->op, opc);
	KUNIT_EXPECT_MEMEQ(test, opc, v->opc, 16);
	ksf_milenage_f1(tfm, v->opc, v->rand, v->sqn, v->amf, mac_a, mac_s);
	KUNIT_EXPECT_MEMEQ(test, mac_a, v->f1, 8);
	KUNIT_EXPECT_MEMEQ(test, mac_s, v->f1star, 8);
	ksf_milenage_f2345(tfm, v->opc, v->rand, res, ck, ik, ak);
	KUNIT_EXPECT_MEMEQ(test, res, v->f2, 8);
	KUNIT_EXPECT_MEMEQ(test, ck, v->f3, 16);
	KUNIT_EXPECT_MEMEQ(test, ik, v->f4, 16);
	KUNIT_EXPECT_MEMEQ(test, ak, v->f5, 6);
	ksf_milenage_f5star(tfm, v->opc, v->rand, ak_star);
	KUNIT_EXPECT_MEMEQ(test, ak_star, v->f5star, 6);

	/* A flipped RAND bit changes every output. */
	memcpy(rand, v->rand, 16);
	rand[15] ^= 1;
	ksf_milenage_f1(tfm, v->opc, rand, v->sqn, v->amf, mac_a, NULL);
	KUNIT_EXPECT_MEMNEQ(test, mac_a, v->f1, 8);
	ksf_milenage_f2345(tfm, v->opc, rand, res, NULL, NULL, NULL);
	KUNIT_EXPECT_MEMNEQ(test, res, v->f2, 8);
	crypto_free_cipher(tfm);
}

/* AUTN of the vector: (SQN ^ AK) || AMF || MAC-A, and the USIM accepts it. */
static void milenage_autn_vector(struct kunit *test)
{
	const struct ksf_milenage_vector *v = test->param_value;
	struct crypto_cipher *tfm = milenage_tfm(test, v->k);
	u8 autn[KSF_AUTN_LEN], auts[KSF_AUTS_LEN], res[8], ck[16], ik[16];
	u64 sqn = get_unaligned_be48(v->sqn), sqn_ms, sqn_he;
	struct ksf_sqn_ms ms;
	int i;

	ksf_milenage_autn(tfm, v->opc, v->rand, sqn, v->amf, autn);
	for (i = 0; i < 6; i++)
		KUNIT_EXPECT_EQ(test, autn[i], v->sqn[i] ^ v->f5[i]);
	KUNIT_EXPECT_MEMEQ(test, autn + 6, v->amf, 2);
	KUNIT_EXPECT_MEMEQ(test, autn + 8, v->f1, 8);

	/* A USIM that has seen nothing accepts it only within delta. */
	ksf_sqn_ms_init(&ms);
	ms.delta = 0;
	KUNIT_EXPECT_EQ(test, ksf_milenage_autn_check(tfm, v->opc, v->rand,
						      autn, &ms, res, ck, ik,
						      auts), 0);
	KUNIT_EXPECT_MEMEQ(test, res, v->f2, 8);
	KUNIT_EXPECT_MEMEQ(test, ck, v->f3, 16);
	KUNIT_EXPECT_MEMEQ(test, ik, v->f4, 16);
	KUNIT_EXPECT_EQ(test, ksf_sqn_ms_highest(&ms), sqn);

	/* The same AUTN again is a replay: synchronisation failure. */
	KUNIT_EXPECT_EQ(test, ksf_milenage_autn_check(tfm, v->opc, v->rand,
						      autn, &ms, res, ck, ik,
						      auts), -ERANGE);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(res, 0, sizeof(res)));
	/* The network recovers SQN_MS from AUTS and moves SQN_HE past it. */
	sqn_he = 0;
	KUNIT_EXPECT_EQ(test, ksf_milenage_resync(tfm, v->opc, v->rand, auts,
						  0, &sqn_ms, &sqn_he), 0);
	KUNIT_EXPECT_EQ(test, sqn_ms, sqn);
	KUNIT_EXPECT_EQ(test, sqn_he, sqn);
	/* A forged AUTS is refused. */
	auts[13] ^= 0x80;
	KUNIT_EXPECT_EQ(test, ksf_milenage_resync(tfm, v->opc, v->rand, auts,
						  0, &sqn_ms, &sqn_he), -EBADMSG);
	/* A flipped MAC-A bit is a MAC failure, whatever the SQN. */
	autn[15] ^= 1;
	ksf_sqn_ms_init(&ms);
	ms.delta = 0;
	KUNIT_EXPECT_EQ(test, ksf_milenage_autn_check(tfm, v->opc, v->rand,
						      autn, &ms, res, ck, ik,
						      auts), -EBADMSG);
	crypto_free_cipher(tfm);
}

/* Annex C.2: one SEQ_MS per IND, delta and the age limit L. */
static void milenage_sqn_array(struct kunit *test)
{
	struct ksf_sqn_ms ms;
	u64 sqn;

	ksf_sqn_ms_init(&ms);
	ms.limit = 100;
	sqn = (u64)1000 << KSF_SQN_IND_BITS | 3;
	KUNIT_ASSERT_TRUE(test, ksf_sqn_fresh(&ms, sqn));
	ksf_sqn_accept(&ms, sqn);
	ms.delta = 10;
	/* Same IND: SEQ must grow; other IND: a lower SEQ is fine. */
	KUNIT_EXPECT_FALSE(test, ksf_sqn_fresh(&ms, sqn));
	KUNIT_EXPECT_FALSE(test, ksf_sqn_fresh(&ms, sqn - 32));
	KUNIT_EXPECT_TRUE(test, ksf_sqn_fresh(&ms, sqn + 32));
	KUNIT_EXPECT_TRUE(test, ksf_sqn_fresh(&ms, (u64)990 << 5 | 4));
	/* Beyond delta above the highest SEQ_MS. */
	KUNIT_EXPECT_TRUE(test, ksf_sqn_fresh(&ms, (u64)1010 << 5 | 3));
	KUNIT_EXPECT_FALSE(test, ksf_sqn_fresh(&ms, (u64)1011 << 5 | 3));
	/* Older than L below the highest SEQ_MS. */
	KUNIT_EXPECT_TRUE(test, ksf_sqn_fresh(&ms, (u64)900 << 5 | 5));
	KUNIT_EXPECT_FALSE(test, ksf_sqn_fresh(&ms, (u64)899 << 5 | 5));
	ksf_sqn_accept(&ms, (u64)990 << 5 | 4);
	KUNIT_EXPECT_EQ(test, ksf_sqn_ms_highest(&ms), sqn);
	/* The AuC: SEQ + 1, IND cycling through the array. */
	KUNIT_EXPECT_EQ(test, ksf_sqn_he_next(sqn), (u64)1001 << 5 | 4);
	KUNIT_EXPECT_EQ(test, ksf_sqn_he_next((u64)7 << 5 | 31), (u64)8 << 5);
	KUNIT_EXPECT_EQ(test, ksf_sqn_he_next(KSF_SQN_MAX), 0);
}

/* Resync leaves an SQN_HE alone that the USIM would accept next. */
static void milenage_resync_range(struct kunit *test)
{
	const struct ksf_milenage_vector *v = &ksf_milenage_vectors[0];
	struct crypto_cipher *tfm = milenage_tfm(test, v->k);
	u64 ms = (u64)500 << 5 | 7, got, he;
	u8 auts[KSF_AUTS_LEN], sqn_b[KSF_MILENAGE_SQN_LEN];

	ksf_milenage_auts(tfm, v->opc, v->rand, ms, auts);
	he = (u64)600 << 5;
	KUNIT_EXPECT_EQ(test, ksf_milenage_resync(tfm, v->opc, v->rand, auts,
						  KSF_SQN_DELTA, &got, &he), 0);
	KUNIT_EXPECT_EQ(test, got, ms);
	KUNIT_EXPECT_EQ(test, he, (u64)600 << 5);
	/* Too far ahead for delta: reset to SQN_MS. */
	KUNIT_EXPECT_EQ(test, ksf_milenage_resync(tfm, v->opc, v->rand, auts,
						  50, &got, &he), 0);
	KUNIT_EXPECT_EQ(test, he, ms);
	/* Behind: reset too. */
	he = (u64)100 << 5;
	KUNIT_EXPECT_EQ(test, ksf_milenage_resync(tfm, v->opc, v->rand, auts,
						  0, &got, &he), 0);
	KUNIT_EXPECT_EQ(test, he, ms);
	/* AUTS under another AMF* than 0x0000 does not verify. */
	put_unaligned_be48(ms, sqn_b);
	ksf_milenage_f1(tfm, v->opc, v->rand, sqn_b, amf_8000, NULL, auts + 6);
	KUNIT_EXPECT_EQ(test, ksf_milenage_resync(tfm, v->opc, v->rand, auts,
						  0, &got, &he), -EBADMSG);
	crypto_free_cipher(tfm);
}

static void milenage_key_len(struct kunit *test)
{
	static const u8 k[32];

	KUNIT_EXPECT_EQ(test, PTR_ERR(ksf_milenage_alloc(k, 32)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ksf_milenage_alloc(k, 15)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ksf_milenage_alloc(k, 0)), -EINVAL);
}

static struct kunit_case ksf_milenage_cases[] = {
	KUNIT_CASE_PARAM(milenage_vector, milenage_gen_params),
	KUNIT_CASE_PARAM(milenage_autn_vector, milenage_gen_params),
	KUNIT_CASE(milenage_sqn_array),
	KUNIT_CASE(milenage_resync_range),
	KUNIT_CASE(milenage_key_len),
	{}
};

static struct kunit_suite ksf_milenage_suite = {
	.name = "ksf-milenage",
	.test_cases = ksf_milenage_cases,
};

kunit_test_suite(ksf_milenage_suite);
