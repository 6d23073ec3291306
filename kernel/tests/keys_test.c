// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the key-type table (lengths, default usages, usage families,
 * algorithms, flags of every type), the per-key cache of prepared
 * transforms, the checks of a key-replace, and the seal container (round trip, a flipped bit, a
 * wrong KEK, truncated, reordered and foreign segments).
 */
#include <crypto/algapi.h>	/* the unaligned accessors, which 6.12 moved */
#include <kunit/test.h>
#include <linux/slab.h>

#include "../core/keystore.h"
#include "../core/peer.h"
#include "../crypto/seal.h"

/* ---- the key-type table ---- */

#define U_DERIVE	KSF_KEY_USAGE_DERIVE
#define U_MAC		(KSF_KEY_USAGE_MAC | KSF_KEY_USAGE_VERIFY)
#define U_ENC		(KSF_KEY_USAGE_ENCRYPT | KSF_KEY_USAGE_DECRYPT)
#define U_SEAL		(KSF_KEY_USAGE_SEAL | KSF_KEY_USAGE_WRAP)

/* What uapi/linux/ksf.h and admin-guide.rst say of each type. */
struct type_facts {
	u32 type;
	const char *name;
	u32 lens[3];		/* 0-terminated; none: 1..KSF_KEY_MAX_LEN */
	u32 default_usage;
	u32 families[4];	/* the families it may have, 0-terminated */
	u32 holds;		/* the usages it may carry */
	u32 algs[7];
};

static const struct type_facts facts[] = {
	{ KSF_KEY_TYPE_GENERIC, "generic", {}, U_DERIVE, { U_DERIVE, U_MAC },
	  U_DERIVE | U_MAC, { KSF_ALG_HMAC_SHA256, KSF_ALG_KDF_SHA256 } },
	{ KSF_KEY_TYPE_AES, "aes", { 16, 32 }, U_ENC, { U_MAC, U_ENC, U_SEAL },
	  U_MAC | U_ENC | KSF_KEY_USAGE_SEAL,
	  { KSF_ALG_AES_CMAC, KSF_ALG_AES_GCM } },
	{ KSF_KEY_TYPE_KEK, "kek", { 32 }, KSF_KEY_USAGE_WRAP, { U_SEAL },
	  KSF_KEY_USAGE_WRAP, {} },
	{ KSF_KEY_TYPE_NAS, "nas", { 16 }, 0, { U_MAC, U_ENC }, U_MAC | U_ENC,
	  { KSF_ALG_NIA1, KSF_ALG_NIA2, KSF_ALG_NIA3, KSF_ALG_NEA1,
	    KSF_ALG_NEA2, KSF_ALG_NEA3 } },
	{ KSF_KEY_TYPE_K, "k", { 16 }, U_DERIVE, { U_DERIVE }, U_DERIVE,
	  { KSF_ALG_MILENAGE } },
	{ KSF_KEY_TYPE_OPC, "opc", { 16 }, U_DERIVE, { U_DERIVE }, U_DERIVE,
	  {} },
	{ KSF_KEY_TYPE_PSK, "psk", { 32 }, KSF_KEY_USAGE_SEAL, { U_SEAL },
	  KSF_KEY_USAGE_SEAL, {} },
	{ KSF_KEY_TYPE_SUCI_A, "suci-a", { 32 }, KSF_KEY_USAGE_DECRYPT,
	  { U_ENC }, KSF_KEY_USAGE_DECRYPT, { KSF_ALG_SUCI_PROFILE_A } },
	{ KSF_KEY_TYPE_SUCI_B, "suci-b", { 32 }, KSF_KEY_USAGE_DECRYPT,
	  { U_ENC }, KSF_KEY_USAGE_DECRYPT, { KSF_ALG_SUCI_PROFILE_B } },
};

/* The types with a public part: the home network keys of SUCI. */
static bool has_public(u32 type)
{
	return type == KSF_KEY_TYPE_SUCI_A || type == KSF_KEY_TYPE_SUCI_B;
}

static bool in_list(const u32 *list, unsigned int n, u32 v)
{
	unsigned int i;

	for (i = 0; i < n && list[i]; i++)
		if (list[i] == v)
			return true;
	return false;
}

/* Every type is in the table; nothing else is. */
static void key_types_known(struct kunit *test)
{
	unsigned int i;

	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(facts), KSF_KEY_TYPE_LAST);
	for (i = 0; i < ARRAY_SIZE(facts); i++) {
		const struct ksf_keytype *kt = ksf_keytype(facts[i].type);

		KUNIT_ASSERT_NOT_NULL(test, kt);
		KUNIT_EXPECT_STREQ(test, kt->name, facts[i].name);
		KUNIT_EXPECT_TRUE(test, kt->flags & KSF_KEY_TYPE_F_SAVED);
		/* Only SUCI's home network keys have a readable public part. */
		KUNIT_EXPECT_EQ(test, !!(kt->flags & KSF_KEY_TYPE_F_PUBLIC),
				has_public(facts[i].type));
	}
	KUNIT_EXPECT_NULL(test, ksf_keytype(0));
	KUNIT_EXPECT_NULL(test, ksf_keytype(KSF_KEY_TYPE_LAST + 1));
	KUNIT_EXPECT_NULL(test, ksf_keytype(U32_MAX));
	KUNIT_EXPECT_FALSE(test, ksf_key_type_len_ok(0, 16));
	KUNIT_EXPECT_FALSE(test, ksf_type_holds(KSF_KEY_TYPE_LAST + 1, 0));
	KUNIT_EXPECT_FALSE(test, ksf_key_type_keys(0, KSF_ALG_HMAC_SHA256));
}

static void key_types_lengths(struct kunit *test)
{
	unsigned int i;
	u32 len;
	bool want;

	for (i = 0; i < ARRAY_SIZE(facts); i++) {
		for (len = 0; len <= KSF_KEY_MAX_LEN + 1; len++) {
			want = facts[i].lens[0] ?
			       in_list(facts[i].lens, ARRAY_SIZE(facts[i].lens), len) :
			       len >= 1 && len <= KSF_KEY_MAX_LEN;
			KUNIT_EXPECT_EQ_MSG(test,
					    ksf_key_type_len_ok(facts[i].type, len),
					    want, "type %s len %u",
					    facts[i].name, len);
		}
	}
}

static void key_types_default_usage(struct kunit *test)
{
	const struct ksf_keytype *kt;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(facts); i++) {
		kt = ksf_keytype(facts[i].type);
		KUNIT_ASSERT_NOT_NULL(test, kt);
		KUNIT_EXPECT_EQ_MSG(test, kt->default_usage,
				    facts[i].default_usage, "type %s",
				    facts[i].name);
		if (!kt->default_usage)
			continue;	/* nas: the caller names one */
		KUNIT_EXPECT_NE(test, ksf_usage_family(kt->default_usage), 0);
		KUNIT_EXPECT_TRUE(test, ksf_type_holds(facts[i].type,
						       kt->default_usage));
	}
}

/* The families a type may have, and the usages it carries in each. */
static void key_types_families(struct kunit *test)
{
	static const u32 families[] = { U_DERIVE, U_MAC, U_ENC, U_SEAL };
	const struct type_facts *f;
	unsigned int i, j;
	u32 part;

	for (i = 0; i < ARRAY_SIZE(facts); i++) {
		f = &facts[i];
		KUNIT_EXPECT_EQ_MSG(test, ksf_keytype(f->type)->usages,
				    f->holds, "type %s", f->name);
		for (j = 0; j < ARRAY_SIZE(families); j++) {
			part = families[j] & f->holds;
			KUNIT_EXPECT_EQ_MSG(test, !!part,
					    in_list(f->families, 4, families[j]),
					    "type %s family %#x", f->name,
					    families[j]);
			if (part)
				KUNIT_EXPECT_TRUE(test,
						  ksf_type_holds(f->type, part));
		}
		/* A usage the type may not carry is refused. */
		KUNIT_EXPECT_FALSE(test, ksf_type_holds(f->type,
							~f->holds & 0x7f));
	}
}

/* Each algorithm is keyed by one type (none for NEA0, SHA-256, SUCI null). */
static void key_types_algs(struct kunit *test)
{
	unsigned int i;
	u32 alg, n;

	for (alg = 1; alg <= KSF_ALG_MAX + 1; alg++) {
		n = 0;
		for (i = 0; i < ARRAY_SIZE(facts); i++) {
			bool want = in_list(facts[i].algs, 7, alg);

			KUNIT_EXPECT_EQ_MSG(test,
					    ksf_key_type_keys(facts[i].type, alg),
					    want, "type %s alg %u",
					    facts[i].name, alg);
			n += want;
		}
		KUNIT_EXPECT_EQ_MSG(test, n, alg == KSF_ALG_NEA0 ||
				    alg == KSF_ALG_SHA256 ||
				    alg == KSF_ALG_SUCI_NULL ||
				    alg > KSF_ALG_MAX ? 0 : 1, "alg %u", alg);
	}
	for (i = 0; i < ARRAY_SIZE(facts); i++)
		KUNIT_EXPECT_FALSE(test, ksf_key_type_keys(facts[i].type, 0));
}

/* A key outside any table, as ksf_key_add() would make it. */
static struct ksf_key *bare_key(struct kunit *test, u32 type, u32 len)
{
	struct ksf_key *key;

	key = kunit_kzalloc(test, struct_size(key, material, len), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, key);
	key->type = type;
	key->len = len;
	memset(key->material, 0x5a, len);
	mutex_init(&key->tfm_lock);
	return key;
}

static void bare_key_free(struct ksf_key *key)
{
	const struct ksf_keytype *kt = ksf_keytype(key->type);
	unsigned int i;

	for (i = 0; i < KSF_KEY_TFM_SLOTS && key->tfms[i].alg; i++)
		kt->release(key->tfms[i].alg, key->tfms[i].tfm);
	mutex_destroy(&key->tfm_lock);
}

/*
 * A nas key of one family keys three algorithms: each gets a slot, and
 * the same transform on every later call; a fourth is refused, as is an
 * algorithm the type does not key.
 */
static void key_tfm_cache(struct kunit *test)
{
	static const u32 nia[] = { KSF_ALG_NIA1, KSF_ALG_NIA2, KSF_ALG_NIA3 };
	struct ksf_key *key = bare_key(test, KSF_KEY_TYPE_NAS, 16);
	void *tfm[ARRAY_SIZE(nia)];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nia); i++) {
		tfm[i] = ksf_key_tfm(key, nia[i]);
		KUNIT_ASSERT_FALSE(test, IS_ERR(tfm[i]));
		KUNIT_EXPECT_EQ(test, key->tfms[i].alg, nia[i]);
	}
	for (i = 0; i < ARRAY_SIZE(nia); i++)
		KUNIT_EXPECT_PTR_EQ(test, ksf_key_tfm(key, nia[i]), tfm[i]);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ksf_key_tfm(key, KSF_ALG_NEA1)),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ksf_key_tfm(key, KSF_ALG_AES_GCM)),
			-EKEYREJECTED);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ksf_key_tfm(key, 0)), -EKEYREJECTED);
	bare_key_free(key);
}

/* Every type's algorithms get a transform (AES: both key lengths). */
static void key_tfm_every_type(struct kunit *test)
{
	static const struct { u32 type, len, alg; } cases[] = {
		{ KSF_KEY_TYPE_GENERIC, 1, KSF_ALG_HMAC_SHA256 },
		{ KSF_KEY_TYPE_GENERIC, 64, KSF_ALG_KDF_SHA256 },
		{ KSF_KEY_TYPE_AES, 16, KSF_ALG_AES_CMAC },
		{ KSF_KEY_TYPE_AES, 32, KSF_ALG_AES_GCM },
		{ KSF_KEY_TYPE_NAS, 16, KSF_ALG_NEA2 },
		{ KSF_KEY_TYPE_NAS, 16, KSF_ALG_NIA3 },
		{ KSF_KEY_TYPE_K, 16, KSF_ALG_MILENAGE },
	};
	struct ksf_key *key;
	unsigned int i;
	void *tfm;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		key = bare_key(test, cases[i].type, cases[i].len);
		tfm = ksf_key_tfm(key, cases[i].alg);
		KUNIT_EXPECT_FALSE_MSG(test, IS_ERR(tfm), "case %u: %ld", i,
				       PTR_ERR(tfm));
		bare_key_free(key);
	}
	key = bare_key(test, KSF_KEY_TYPE_OPC, 16);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ksf_key_tfm(key, KSF_ALG_MILENAGE)),
			-EKEYREJECTED);
	bare_key_free(key);
}

/*
 * ksf_key_replace_check(): the owner of both or an admin (NULL), one
 * owner, one type and length, one usage family, no key of a NAS
 * context on either side, a live new key.
 */
static void key_replace_checks(struct kunit *test)
{
	struct ksf_peer *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	struct ksf_peer *q = kunit_kzalloc(test, sizeof(*q), GFP_KERNEL);
	struct ksf_key *o = bare_key(test, KSF_KEY_TYPE_GENERIC, 32);
	struct ksf_key *n = bare_key(test, KSF_KEY_TYPE_GENERIC, 32);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, q);
	o->owner = p;
	n->owner = p;
	o->usage = KSF_KEY_USAGE_MAC | KSF_KEY_USAGE_VERIFY;
	n->usage = KSF_KEY_USAGE_MAC;		/* one family, narrower */
	KUNIT_EXPECT_EQ(test, ksf_key_replace_check(o, n, p, NULL), 0);
	KUNIT_EXPECT_EQ(test, ksf_key_replace_check(o, n, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, ksf_key_replace_check(o, n, q, NULL), -EACCES);

	n->owner = q;
	KUNIT_EXPECT_EQ(test, ksf_key_replace_check(o, n, p, NULL), -EACCES);
	KUNIT_EXPECT_EQ(test, ksf_key_replace_check(o, n, NULL, NULL), -EINVAL);
	n->owner = p;

	n->len = 16;
	KUNIT_EXPECT_EQ(test, ksf_key_replace_check(o, n, p, NULL), -EINVAL);
	n->len = 32;
	n->type = KSF_KEY_TYPE_AES;
	KUNIT_EXPECT_EQ(test, ksf_key_replace_check(o, n, p, NULL), -EINVAL);
	n->type = KSF_KEY_TYPE_GENERIC;
	n->usage = KSF_KEY_USAGE_DERIVE;
	KUNIT_EXPECT_EQ(test, ksf_key_replace_check(o, n, p, NULL), -EINVAL);
	n->usage = KSF_KEY_USAGE_VERIFY;

	o->flags = KSF_KEY_FLAG_CONTEXT;
	KUNIT_EXPECT_EQ(test, ksf_key_replace_check(o, n, p, NULL), -EBUSY);
	o->flags = 0;
	n->flags = KSF_KEY_FLAG_CONTEXT;
	KUNIT_EXPECT_EQ(test, ksf_key_replace_check(o, n, p, NULL), -EBUSY);
	n->flags = KSF_KEY_FLAG_SPENT | KSF_KEY_FLAG_RAW_NAS;	/* carried */
	KUNIT_EXPECT_EQ(test, ksf_key_replace_check(o, n, p, NULL), 0);

	n->not_after = 1;			/* 1970 */
	KUNIT_EXPECT_EQ(test, ksf_key_replace_check(o, n, p, NULL),
			-EKEYEXPIRED);
	n->not_after = 0;
	o->not_after = 1;	/* an expired OLD is for its expiry to take */
	KUNIT_EXPECT_EQ(test, ksf_key_replace_check(o, n, p, NULL), 0);
	bare_key_free(o);
	bare_key_free(n);
}

static struct kunit_case ksf_keys_cases[] = {
	KUNIT_CASE(key_types_known),
	KUNIT_CASE(key_types_lengths),
	KUNIT_CASE(key_types_default_usage),
	KUNIT_CASE(key_types_families),
	KUNIT_CASE(key_types_algs),
	KUNIT_CASE(key_tfm_cache),
	KUNIT_CASE(key_tfm_every_type),
	KUNIT_CASE(key_replace_checks),
	{}
};

static struct kunit_suite ksf_keys_suite = {
	.name = "ksf_keys",
	.test_cases = ksf_keys_cases,
};

/* ---- the seal container ---- */

#define SEAL_VERSION	2
#define N_SEG		3

struct sealed {
	u8 header[KSF_SEAL_HEADER_LEN];
	u8 *seg[N_SEG];
	u32 seg_len[N_SEG];
	u8 text[N_SEG][100];
	u32 text_len[N_SEG];
};

static const u8 kek_a[KSF_SEAL_KEY_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const u8 kek_b[KSF_SEAL_KEY_LEN] = { 1, 2, 3, 4, 5, 6, 7, 9 };

/* A container of N_SEG segments (the second empty) under @kek. */
static struct sealed *seal_some(struct kunit *test, const u8 *kek)
{
	struct sealed *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct ksf_seal *s;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, c);
	s = ksf_seal_begin(kek, SEAL_VERSION, c->header);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	for (i = 0; i < N_SEG; i++) {
		c->text_len[i] = i == 1 ? 0 : 37 + 20 * i;
		memset(c->text[i], 'a' + i, c->text_len[i]);
		c->seg_len[i] = c->text_len[i] + KSF_SEAL_SEG_OVERHEAD;
		c->seg[i] = kunit_kzalloc(test, c->seg_len[i], GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, c->seg[i]);
		KUNIT_ASSERT_EQ(test, ksf_seal_segment(s, c->text[i],
						       c->text_len[i],
						       i == N_SEG - 1,
						       c->seg[i]), 0);
		/* The text does not appear in the clear. */
		if (c->text_len[i])
			KUNIT_EXPECT_NE(test, memcmp(c->seg[i] + KSF_SEAL_UNIT_LEN,
						     c->text[i], c->text_len[i]), 0);
	}
	ksf_seal_finish(s);
	return c;
}

static struct ksf_seal *open_ok(struct kunit *test, struct sealed *c,
				const u8 *kek)
{
	struct ksf_seal *s = ksf_seal_open(kek, c->header, sizeof(c->header),
					   SEAL_VERSION);

	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	return s;
}

static void seal_round_trip(struct kunit *test)
{
	struct sealed *c = seal_some(test, kek_a);
	struct ksf_seal_text t;
	struct ksf_seal *s;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, ksf_seal_unit(c->header, sizeof(c->header)),
			KSF_SEAL_HEADER);
	KUNIT_EXPECT_EQ(test, ksf_seal_check_header(c->header, sizeof(c->header),
						    SEAL_VERSION), 0);
	s = open_ok(test, c, kek_a);
	for (i = 0; i < N_SEG; i++) {
		KUNIT_EXPECT_EQ(test, ksf_seal_unit(c->seg[i], c->seg_len[i]),
				i == N_SEG - 1 ? KSF_SEAL_LAST : KSF_SEAL_SEGMENT);
		KUNIT_ASSERT_EQ(test, ksf_seal_open_segment(s, c->seg[i],
							    c->seg_len[i], &t),
				0);
		KUNIT_EXPECT_EQ(test, t.len, c->text_len[i]);
		KUNIT_EXPECT_EQ(test, t.last, i == N_SEG - 1);
		KUNIT_EXPECT_EQ(test, memcmp(t.data, c->text[i], t.len), 0);
		ksf_seal_text_free(&t);
	}
	ksf_seal_finish(s);
	/* Two containers under one KEK never share a data key or an id. */
	KUNIT_EXPECT_NE(test, memcmp(seal_some(test, kek_a)->header, c->header,
				     sizeof(c->header)), 0);
}

/* Any flipped bit of a segment or of the header is refused. */
static void seal_flipped_bit(struct kunit *test)
{
	struct sealed *c = seal_some(test, kek_a);
	struct ksf_seal_text t;
	struct ksf_seal *s;
	u32 bit, n = c->seg_len[0] * 8;
	int ret;

	s = open_ok(test, c, kek_a);
	for (bit = 0; bit < n; bit++) {
		c->seg[0][bit / 8] ^= BIT(bit % 8);
		ret = ksf_seal_open_segment(s, c->seg[0], c->seg_len[0], &t);
		c->seg[0][bit / 8] ^= BIT(bit % 8);
		KUNIT_EXPECT_LT_MSG(test, ret, 0, "bit %u", bit);
		if (!ret)
			ksf_seal_text_free(&t);
	}
	/* The unflipped segment still opens: nothing was consumed. */
	KUNIT_EXPECT_EQ(test, ksf_seal_open_segment(s, c->seg[0],
						    c->seg_len[0], &t), 0);
	ksf_seal_text_free(&t);
	ksf_seal_finish(s);

	for (bit = 0; bit < KSF_SEAL_HEADER_LEN * 8; bit++) {
		c->header[bit / 8] ^= BIT(bit % 8);
		s = ksf_seal_open(kek_a, c->header, sizeof(c->header),
				  SEAL_VERSION);
		c->header[bit / 8] ^= BIT(bit % 8);
		KUNIT_EXPECT_TRUE_MSG(test, IS_ERR(s), "header bit %u", bit);
		ksf_seal_finish(s);
	}
}

static void seal_wrong_kek(struct kunit *test)
{
	struct sealed *c = seal_some(test, kek_a);
	struct ksf_seal *s;

	s = ksf_seal_open(kek_b, c->header, sizeof(c->header), SEAL_VERSION);
	KUNIT_EXPECT_EQ(test, PTR_ERR(s), -EBADMSG);
	/* Another version of the container is not opened at all. */
	s = ksf_seal_open(kek_a, c->header, sizeof(c->header),
			  SEAL_VERSION + 1);
	KUNIT_EXPECT_EQ(test, PTR_ERR(s), -EINVAL);
	KUNIT_EXPECT_EQ(test, ksf_seal_check_header(c->header,
						    sizeof(c->header) - 1,
						    SEAL_VERSION), -EINVAL);
}

static void seal_truncated(struct kunit *test)
{
	struct sealed *c = seal_some(test, kek_a);
	struct ksf_seal_text t;
	struct ksf_seal *s = open_ok(test, c, kek_a);
	u8 *seg = c->seg[0];
	u32 len = c->seg_len[0];

	/* Cut short, its length field untouched: not a unit. */
	KUNIT_EXPECT_EQ(test, ksf_seal_unit(seg, len - 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, ksf_seal_open_segment(s, seg, len - 1, &t),
			-EINVAL);
	/* Cut short with its length field made to fit: no tag. */
	put_unaligned_be32(len - 5, seg + 4);
	KUNIT_EXPECT_EQ(test, ksf_seal_open_segment(s, seg, len - 5, &t),
			-EBADMSG);
	/* Shorter than a unit header and a tag. */
	put_unaligned_be32(KSF_SEAL_SEG_OVERHEAD - 1, seg + 4);
	KUNIT_EXPECT_EQ(test, ksf_seal_open_segment(s, seg,
						    KSF_SEAL_SEG_OVERHEAD - 1,
						    &t), -EINVAL);
	put_unaligned_be32(len, seg + 4);
	KUNIT_EXPECT_EQ(test, ksf_seal_open_segment(s, seg, len, &t), 0);
	ksf_seal_text_free(&t);
	ksf_seal_finish(s);
}

/* Segments only in order, and only of their own container. */
static void seal_order_and_origin(struct kunit *test)
{
	struct sealed *c = seal_some(test, kek_a);
	struct sealed *d = seal_some(test, kek_a);
	struct ksf_seal_text t;
	struct ksf_seal *s = open_ok(test, c, kek_a);

	KUNIT_EXPECT_EQ(test, ksf_seal_open_segment(s, c->seg[1],
						    c->seg_len[1], &t), -EINVAL);
	KUNIT_EXPECT_EQ(test, ksf_seal_open_segment(s, d->seg[0],
						    d->seg_len[0], &t), -EBADMSG);
	KUNIT_EXPECT_EQ(test, ksf_seal_open_segment(s, c->header,
						    sizeof(c->header), &t),
			-EINVAL);
	KUNIT_ASSERT_EQ(test, ksf_seal_open_segment(s, c->seg[0],
						    c->seg_len[0], &t), 0);
	ksf_seal_text_free(&t);
	/* A segment is opened once: a replay is out of order. */
	KUNIT_EXPECT_EQ(test, ksf_seal_open_segment(s, c->seg[0],
						    c->seg_len[0], &t), -EINVAL);
	ksf_seal_finish(s);
}

static struct kunit_case ksf_seal_cases[] = {
	KUNIT_CASE(seal_round_trip),
	KUNIT_CASE(seal_flipped_bit),
	KUNIT_CASE(seal_wrong_kek),
	KUNIT_CASE(seal_truncated),
	KUNIT_CASE(seal_order_and_origin),
	{}
};

static struct kunit_suite ksf_seal_suite = {
	.name = "ksf_seal",
	.test_cases = ksf_seal_cases,
};

kunit_test_suites(&ksf_keys_suite, &ksf_seal_suite);
