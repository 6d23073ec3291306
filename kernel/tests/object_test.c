// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the object model on a private instance: trusted policy parsing
 * and merging, peer bindings, key creation rules, handles, access by
 * peer, expiry, destruction of a deleted peer's keys; subscriber contexts
 * (both tables, duplicates, deletion with the peer) and NAS COUNT
 * estimation.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/rhashtable.h>
#include <net/netlink.h>

#include "../ksf.h"
#include "../core/context.h"
#include "../core/keystore.h"
#include "../core/owner.h"
#include "../core/peer.h"
#include "../core/policy.h"
#include "../netlink/objects.h"
#include "../services/services.h"

struct obj_ctx {
	struct ksf_net *kn;
	struct sk_buff *skb;	/* scratch space for attributes */
};

static int obj_init(struct kunit *test)
{
	struct obj_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->kn = kunit_kzalloc(test, sizeof(*ctx->kn), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->kn);
	/* The module's own instance init, not a copy of it. */
	KUNIT_ASSERT_EQ(test, ksf_instance_init(ctx->kn, &init_net), 0);
	ctx->skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->skb);
	test->priv = ctx;
	return 0;
}

static void obj_exit(struct kunit *test)
{
	struct obj_ctx *ctx = test->priv;

	ksf_instance_exit(ctx->kn);
	rcu_barrier();
	KUNIT_EXPECT_EQ(test, atomic64_read(&ctx->kn->mem), 0);
	kfree_skb(ctx->skb);
}

/* Builds the attributes of a peer-new request; returns them parsed. */
static struct nlattr **peer_attrs(struct kunit *test, const char *id,
				  u32 kind, int uid, u32 services)
{
	u8 map[4] = { services, services >> 8, services >> 16, services >> 24 };
	struct obj_ctx *ctx = test->priv;
	struct nlattr **tb = kunit_kcalloc(test, KSF_A_PEER_MAX + 1,
					   sizeof(*tb), GFP_KERNEL);
	struct nlattr *nest;

	KUNIT_ASSERT_NOT_NULL(test, tb);
	tb[KSF_A_PEER_ID] = (struct nlattr *)skb_tail_pointer(ctx->skb);
	KUNIT_ASSERT_EQ(test, nla_put_string(ctx->skb, KSF_A_PEER_ID, id), 0);
	tb[KSF_A_PEER_KIND] = (struct nlattr *)skb_tail_pointer(ctx->skb);
	KUNIT_ASSERT_EQ(test, nla_put_u32(ctx->skb, KSF_A_PEER_KIND, kind), 0);
	if (uid >= 0) {
		tb[KSF_A_PEER_UID] = (struct nlattr *)skb_tail_pointer(ctx->skb);
		KUNIT_ASSERT_EQ(test, nla_put_u32(ctx->skb, KSF_A_PEER_UID, uid),
				0);
	}
	nest = nla_nest_start(ctx->skb, KSF_A_PEER_POLICY);
	KUNIT_ASSERT_NOT_NULL(test, nest);
	KUNIT_ASSERT_EQ(test, nla_put(ctx->skb, KSF_A_POLICY_SERVICES,
				      sizeof(map), map), 0);
	nla_nest_end(ctx->skb, nest);
	tb[KSF_A_PEER_POLICY] = nest;
	return tb;
}

/* A peer-new request, decoded as the transport does. */
static int try_peer(struct kunit *test, const char *id, u32 kind, int uid)
{
	struct obj_ctx *ctx = test->priv;
	struct ksf_peer_spec spec;
	int ret;

	ret = ksf_nl_peer_spec(peer_attrs(test, id, kind, uid, 0), &spec,
			       false, NULL);
	return ret ?: ksf_peer_new(ctx->kn, &spec, NULL);
}

static struct ksf_peer *new_peer(struct kunit *test, const char *id,
				 u32 kind, int uid)
{
	struct obj_ctx *ctx = test->priv;
	struct ksf_peer *p;

	KUNIT_ASSERT_EQ(test, try_peer(test, id, kind, uid), 0);
	p = ksf_peer_get(ctx->kn, id);
	KUNIT_ASSERT_NOT_NULL(test, p);
	return p;
}

static u64 new_key(struct kunit *test, struct ksf_peer *owner, u32 type,
		   u32 len, u32 max_age)
{
	struct ksf_key_spec spec = {
		.type = type, .len = len, .max_age = max_age,
		.source = KSF_KEY_SOURCE_GENERATE,
	};
	struct obj_ctx *ctx = test->priv;
	u8 material[KSF_KEY_MAX_LEN] = { 1, 2, 3 };
	u64 handle = 0;

	KUNIT_ASSERT_EQ(test, ksf_key_add(ctx->kn, owner, &spec, material,
					  &handle, NULL), 0);
	KUNIT_EXPECT_NE(test, handle, 0);
	return handle;
}

static void policy_defaults_deny(struct kunit *test)
{
	struct ksf_policy *pol = ksf_nl_policy_parse(NULL, NULL, NULL);

	KUNIT_ASSERT_FALSE(test, IS_ERR(pol));
	KUNIT_EXPECT_TRUE(test, bitmap_empty(pol->services, __KSF_SERVICE_MAX));
	KUNIT_EXPECT_TRUE(test, bitmap_empty(pol->algs, __KSF_ALG_MAX));
	KUNIT_EXPECT_EQ(test, pol->batch_max, KSF_BATCH_MAX);
	KUNIT_EXPECT_FALSE(test, pol->caller_rand);
	ksf_policy_put(pol);
}

static void policy_merge_keeps_old(struct kunit *test)
{
	struct obj_ctx *ctx = test->priv;
	struct ksf_policy *old, *pol;
	struct nlattr *nest;
	u8 services[] = { 0x3e };	/* services 1 to 5 */

	old = ksf_nl_policy_parse(NULL, NULL, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(old));
	__set_bit(1, old->algs);
	__set_bit(2, old->algs);
	old->lifetime_max = 60;
	nest = nla_nest_start(ctx->skb, KSF_A_PEER_POLICY);
	KUNIT_ASSERT_EQ(test, nla_put(ctx->skb, KSF_A_POLICY_SERVICES,
				      sizeof(services), services), 0);
	nla_nest_end(ctx->skb, nest);
	pol = ksf_nl_policy_parse(nest, old, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(pol));
	KUNIT_EXPECT_EQ(test, bitmap_weight(pol->services, __KSF_SERVICE_MAX), 5);
	KUNIT_EXPECT_TRUE(test, ksf_policy_service(pol, 1));
	KUNIT_EXPECT_TRUE(test, ksf_policy_service(pol, 5));
	KUNIT_EXPECT_FALSE(test, ksf_policy_service(pol, 6));
	KUNIT_EXPECT_EQ(test, bitmap_weight(pol->algs, __KSF_ALG_MAX), 2);
	KUNIT_EXPECT_TRUE(test, ksf_policy_alg(pol, 2));
	KUNIT_EXPECT_EQ(test, pol->lifetime_max, 60);
	ksf_policy_put(pol);
	ksf_policy_put(old);
}

/* A policy holding only attribute @type of @len bytes, parsed. */
static struct ksf_policy *bitmap_policy(struct kunit *test, int type,
					const u8 *bits, int len)
{
	struct obj_ctx *ctx = test->priv;
	struct nlattr *nest;

	nest = nla_nest_start(ctx->skb, KSF_A_PEER_POLICY);
	KUNIT_ASSERT_NOT_NULL(test, nest);
	KUNIT_ASSERT_EQ(test, nla_put(ctx->skb, type, len, bits), 0);
	nla_nest_end(ctx->skb, nest);
	return ksf_nl_policy_parse(nest, NULL, NULL);
}

/* Bitmaps of any width, up to 32 bytes, naming only what exists. */
static void policy_bitmaps(struct kunit *test)
{
	u8 beyond[4] = { 0, 0, BIT(__KSF_SERVICE_MAX % 8) };
	u8 zero[1] = { BIT(0) }, wide[33] = {}, empty[32] = {};
	struct ksf_policy *pol;

	pol = bitmap_policy(test, KSF_A_POLICY_SERVICES, beyond, sizeof(beyond));
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(pol), -EINVAL);
	pol = bitmap_policy(test, KSF_A_POLICY_ALGS, zero, sizeof(zero));
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(pol), -EINVAL);
	pol = bitmap_policy(test, KSF_A_POLICY_SERVICES, wide, sizeof(wide));
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(pol), -EINVAL);
	/* 32 bytes of zeros: no service, accepted. */
	pol = bitmap_policy(test, KSF_A_POLICY_SERVICES, empty, sizeof(empty));
	KUNIT_ASSERT_FALSE(test, IS_ERR(pol));
	KUNIT_EXPECT_TRUE(test, bitmap_empty(pol->services, __KSF_SERVICE_MAX));
	ksf_policy_put(pol);
}

static void policy_bad_key_len_range(struct kunit *test)
{
	struct obj_ctx *ctx = test->priv;
	struct ksf_policy *pol;
	struct nlattr *nest;

	nest = nla_nest_start(ctx->skb, KSF_A_PEER_POLICY);
	KUNIT_ASSERT_EQ(test, nla_put_u32(ctx->skb, KSF_A_POLICY_KEY_LEN_MIN,
					  32), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u32(ctx->skb, KSF_A_POLICY_KEY_LEN_MAX,
					  16), 0);
	nla_nest_end(ctx->skb, nest);
	pol = ksf_nl_policy_parse(nest, NULL, NULL);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(pol), -EINVAL);
}

static void peer_duplicate_and_binding(struct kunit *test)
{
	struct obj_ctx *ctx = test->priv;
	struct ksf_peer *p = new_peer(test, "amf1", KSF_PEER_KIND_NF, 1000);

	KUNIT_EXPECT_EQ(test, try_peer(test, "amf1", KSF_PEER_KIND_NF, 1001), -EEXIST);
	/* Two NFs bound to one uid could act as each other. */
	KUNIT_EXPECT_EQ(test, try_peer(test, "amf2", KSF_PEER_KIND_NF, 1000), -EEXIST);
	/* An nf peer must be bound; others must not be. */
	KUNIT_EXPECT_EQ(test, try_peer(test, "smf", KSF_PEER_KIND_NF, -1), -EINVAL);
	KUNIT_EXPECT_EQ(test, try_peer(test, "imsi-1", KSF_PEER_KIND_UE, 5), -EINVAL);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->kn->n_peers), 1);
	ksf_peer_put(p);
}

static void key_type_rules(struct kunit *test)
{
	struct obj_ctx *ctx = test->priv;
	struct ksf_peer *p = new_peer(test, "amf1", KSF_PEER_KIND_NF, 1000);
	struct ksf_key_spec spec = { .type = KSF_KEY_TYPE_AES, .len = 20 };
	u8 material[KSF_KEY_MAX_LEN] = {};
	u64 h;

	KUNIT_EXPECT_EQ(test, ksf_key_add(ctx->kn, p, &spec, material, &h,
					  NULL), -EINVAL);
	spec.len = 16;
	spec.usage = KSF_KEY_USAGE_DERIVE;	/* not for AES keys */
	KUNIT_EXPECT_EQ(test, ksf_key_add(ctx->kn, p, &spec, material, &h,
					  NULL), -EINVAL);
	spec.type = KSF_KEY_TYPE_KEK;
	spec.usage = 0;
	KUNIT_EXPECT_EQ(test, ksf_key_add(ctx->kn, p, &spec, material, &h,
					  NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->kn->n_keys), 0);
	ksf_peer_put(p);
}

/* Usages of two families never share a key (admin-guide.rst). */
static void key_usage_families(struct kunit *test)
{
	static const u32 mixed[] = {
		KSF_KEY_USAGE_DERIVE | KSF_KEY_USAGE_MAC,
		KSF_KEY_USAGE_DERIVE | KSF_KEY_USAGE_VERIFY,
		KSF_KEY_USAGE_MAC | KSF_KEY_USAGE_ENCRYPT,
		KSF_KEY_USAGE_DECRYPT | KSF_KEY_USAGE_SEAL,
		KSF_KEY_USAGE_VERIFY | KSF_KEY_USAGE_WRAP,
	};
	struct obj_ctx *ctx = test->priv;
	struct ksf_peer *p = new_peer(test, "amf1", KSF_PEER_KIND_NF, 1000);
	struct ksf_key_spec spec = { .type = KSF_KEY_TYPE_AES, .len = 16 };
	u8 material[KSF_KEY_MAX_LEN] = {};
	unsigned int i;
	u64 h;

	for (i = 0; i < ARRAY_SIZE(mixed); i++) {
		KUNIT_EXPECT_EQ(test, ksf_usage_family(mixed[i]), 0);
		spec.usage = mixed[i];
		KUNIT_EXPECT_EQ(test, ksf_key_add(ctx->kn, p, &spec, material,
						  &h, NULL), -EINVAL);
	}
	KUNIT_EXPECT_EQ(test, ksf_usage_family(KSF_KEY_USAGE_VERIFY),
			KSF_KEY_USAGE_MAC | KSF_KEY_USAGE_VERIFY);
	KUNIT_EXPECT_EQ(test, ksf_usage_family(0), 0);
	spec.type = KSF_KEY_TYPE_NAS;
	spec.usage = 0;		/* a nas key needs its usage named */
	KUNIT_EXPECT_EQ(test, ksf_key_add(ctx->kn, p, &spec, material, &h,
					  NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->kn->n_keys), 0);
	ksf_peer_put(p);
}

/* A child never outlives its parent; a request's keys stop at keys-max. */
static void key_child_bounds(struct kunit *test)
{
	struct obj_ctx *ctx = test->priv;
	struct ksf_peer *p = new_peer(test, "amf1", KSF_PEER_KIND_NF, 1000);
	time64_t now = ktime_get_real_seconds();
	struct ksf_key_spec spec = { .type = KSF_KEY_TYPE_GENERIC, .len = 32,
				     .not_after = now + 100 };
	u8 material[KSF_KEY_MAX_LEN] = {};
	struct ksf_key *parent, *child;
	u64 hp, hc;

	KUNIT_ASSERT_EQ(test, ksf_key_add(ctx->kn, p, &spec, material, &hp,
					  NULL), 0);
	parent = ksf_key_get(ctx->kn, hp);
	KUNIT_ASSERT_NOT_NULL(test, parent);
	spec = (struct ksf_key_spec){ .type = KSF_KEY_TYPE_GENERIC, .len = 32,
				      .from = parent, .max_age = 86400,
				      .keys_max = 2 };
	KUNIT_ASSERT_EQ(test, ksf_key_add(ctx->kn, p, &spec, material, &hc,
					  NULL), 0);
	child = ksf_key_get(ctx->kn, hc);
	KUNIT_ASSERT_NOT_NULL(test, child);
	KUNIT_EXPECT_EQ(test, child->not_after, now + 100);
	KUNIT_EXPECT_EQ(test, child->parent, hp);
	ksf_key_put(child);
	/* the owner has 2 keys: a third through a request is refused */
	KUNIT_EXPECT_EQ(test, ksf_key_add(ctx->kn, p, &spec, material, &hc,
					  NULL), -EDQUOT);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->n_keys), 2);
	spec.keys_max = 0;	/* the administrator's are not limited */
	KUNIT_EXPECT_EQ(test, ksf_key_add(ctx->kn, p, &spec, material, &hc,
					  NULL), 0);
	/* an FC gives one family per parent, whatever the policy says */
	KUNIT_EXPECT_EQ(test, ksf_key_claim_fc(parent, 0x6d,
					       KSF_KEY_USAGE_DERIVE), 0);
	KUNIT_EXPECT_EQ(test, ksf_key_claim_fc(parent, 0x6d,
					       KSF_KEY_USAGE_DERIVE), 0);
	KUNIT_EXPECT_EQ(test, ksf_key_claim_fc(parent, 0x6d,
					       KSF_KEY_USAGE_MAC |
					       KSF_KEY_USAGE_VERIFY),
			-EKEYREJECTED);
	KUNIT_EXPECT_EQ(test, ksf_key_claim_fc(parent, 0x6e,
					       KSF_KEY_USAGE_ENCRYPT |
					       KSF_KEY_USAGE_DECRYPT), 0);
	KUNIT_EXPECT_EQ(test, ksf_key_claim_fc(parent, 0x6e,
					       KSF_KEY_USAGE_DERIVE),
			-EKEYREJECTED);
	/* one NAS context per K_AMF, none after a raw NAS derivation */
	KUNIT_EXPECT_EQ(test, ksf_key_claim_flag(parent, KSF_KEY_FLAG_RAW_NAS,
						 KSF_KEY_FLAG_SPENT), 0);
	KUNIT_EXPECT_EQ(test, ksf_key_claim_flag(parent, KSF_KEY_FLAG_SPENT,
						 KSF_KEY_FLAG_SPENT |
						 KSF_KEY_FLAG_RAW_NAS),
			-EKEYREJECTED);
	ksf_key_put(parent);
	ksf_peer_put(p);
}

static void key_access_by_peer(struct kunit *test)
{
	struct obj_ctx *ctx = test->priv;
	struct ksf_peer *a = new_peer(test, "amf1", KSF_PEER_KIND_NF, 1000);
	struct ksf_peer *b = new_peer(test, "smf1", KSF_PEER_KIND_NF, 1001);
	u64 h = new_key(test, a, KSF_KEY_TYPE_GENERIC, 32, 0);
	struct ksf_key *key = ksf_key_get(ctx->kn, h);

	KUNIT_ASSERT_NOT_NULL(test, key);
	KUNIT_EXPECT_TRUE(test, ksf_key_usable_by(key, a));
	KUNIT_EXPECT_FALSE(test, ksf_key_usable_by(key, b));
	KUNIT_EXPECT_EQ(test, key->usage, KSF_KEY_USAGE_DERIVE);
	ksf_key_put(key);
	KUNIT_EXPECT_EQ(test, ksf_key_del(ctx->kn, h), 0);
	KUNIT_EXPECT_NULL(test, ksf_key_get(ctx->kn, h));
	KUNIT_EXPECT_EQ(test, ksf_key_del(ctx->kn, h), -ENOENT);
	ksf_peer_put(a);
	ksf_peer_put(b);
}

static void key_wanted_handle(struct kunit *test)
{
	struct obj_ctx *ctx = test->priv;
	struct ksf_peer *p = new_peer(test, "amf1", KSF_PEER_KIND_NF, 1000);
	u64 h = new_key(test, p, KSF_KEY_TYPE_GENERIC, 16, 0);
	struct ksf_key_spec spec = {
		.type = KSF_KEY_TYPE_GENERIC, .len = 16, .handle = h,
	};
	u8 material[16] = {};
	u64 got;

	KUNIT_EXPECT_EQ(test, ksf_key_add(ctx->kn, p, &spec, material, &got,
					  NULL), -EEXIST);
	spec.handle = h ^ 1;
	KUNIT_EXPECT_EQ(test, ksf_key_add(ctx->kn, p, &spec, material, &got,
					  NULL), 0);
	KUNIT_EXPECT_EQ(test, got, h ^ 1);
	ksf_peer_put(p);
}

static void key_expires(struct kunit *test)
{
	struct obj_ctx *ctx = test->priv;
	struct ksf_peer *p = new_peer(test, "amf1", KSF_PEER_KIND_NF, 1000);
	u64 h = new_key(test, p, KSF_KEY_TYPE_GENERIC, 16, 1);
	struct ksf_key *key = ksf_key_get(ctx->kn, h);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, key);
	KUNIT_EXPECT_FALSE(test, ksf_key_expired(key));
	ksf_key_put(key);
	for (i = 0; i < 50 && atomic_read(&ctx->kn->n_keys); i++)
		msleep(100);
	KUNIT_EXPECT_NULL(test, ksf_key_get(ctx->kn, h));
	KUNIT_EXPECT_EQ(test, atomic_read(&p->n_keys), 0);
	ksf_peer_put(p);
}

static void peer_delete_destroys_keys(struct kunit *test)
{
	struct obj_ctx *ctx = test->priv;
	struct ksf_peer *a = new_peer(test, "amf1", KSF_PEER_KIND_NF, 1000);
	struct ksf_peer *b = new_peer(test, "smf1", KSF_PEER_KIND_NF, 1001);
	struct ksf_key *key;
	u64 h[3], other;
	int i;

	for (i = 0; i < 3; i++)
		h[i] = new_key(test, a, KSF_KEY_TYPE_AES, 16, 0);
	other = new_key(test, b, KSF_KEY_TYPE_AES, 32, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->n_keys), 3);
	KUNIT_EXPECT_EQ(test, ksf_peer_del(ctx->kn, "amf1", NULL), 0);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_NULL(test, ksf_key_get(ctx->kn, h[i]));
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->kn->n_keys), 1);
	KUNIT_EXPECT_NULL(test, ksf_peer_get(ctx->kn, "amf1"));
	/* A deleted peer can get no new key. */
	{
		struct ksf_key_spec spec = { .type = KSF_KEY_TYPE_AES,
					     .len = 16 };
		u8 material[16] = {};
		u64 got;

		KUNIT_EXPECT_EQ(test, ksf_key_add(ctx->kn, a, &spec, material,
						  &got, NULL), -ENOENT);
	}
	key = ksf_key_get(ctx->kn, other);
	KUNIT_EXPECT_NOT_NULL(test, key);
	ksf_key_put(key);
	ksf_peer_put(a);
	ksf_peer_put(b);
}

static void context_tables(struct kunit *test)
{
	struct obj_ctx *ctx = test->priv;
	struct ksf_peer *a = new_peer(test, "udm1", KSF_PEER_KIND_NF, 1000);
	struct ksf_peer *b = new_peer(test, "udm2", KSF_PEER_KIND_NF, 1001);
	struct ksf_ctx_spec spec = { .id = "imsi-001010000000001",
				     .has_sqn_he = true, .sqn_he = 42 };
	s64 mem = atomic64_read(&ctx->kn->mem);
	struct ksf_ctx *c, *d, *e;
	u64 h;

	KUNIT_ASSERT_EQ(test, ksf_ctx_new(ctx->kn, a, &spec, &c), 0);
	h = c->handle;
	KUNIT_EXPECT_NE(test, h, 0);
	KUNIT_EXPECT_EQ(test, c->sqn_he, 42);
	/* One context per peer and subscriber; another peer has its own. */
	KUNIT_EXPECT_EQ(test, ksf_ctx_new(ctx->kn, a, &spec, &d), -EEXIST);
	spec.has_sqn_he = false;
	KUNIT_ASSERT_EQ(test, ksf_ctx_new(ctx->kn, b, &spec, &d), 0);
	KUNIT_EXPECT_PTR_NE(test, c, d);
	KUNIT_EXPECT_FALSE(test, d->has_sqn_he);
	/* Found by owner and subscriber, and by handle. */
	e = ksf_ctx_find(ctx->kn, a, "imsi-001010000000001");
	KUNIT_EXPECT_PTR_EQ(test, e, c);
	ksf_ctx_put(e);
	KUNIT_EXPECT_NULL(test, ksf_ctx_find(ctx->kn, a, "imsi-00101000000000"));
	e = ksf_ctx_get(ctx->kn, h);
	KUNIT_EXPECT_PTR_EQ(test, e, c);
	ksf_ctx_put(e);
	e = ksf_ctx_obtain(ctx->kn, a, "imsi-001010000000001", 0);
	KUNIT_EXPECT_PTR_EQ(test, e, c);
	ksf_ctx_put(e);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->kn->n_contexts), 2);
	/* Deleted: gone from both tables, memory given back. */
	KUNIT_EXPECT_EQ(test, ksf_ctx_del(ctx->kn, h), 0);
	KUNIT_EXPECT_EQ(test, ksf_ctx_del(ctx->kn, h), -ENOENT);
	KUNIT_EXPECT_NULL(test, ksf_ctx_get(ctx->kn, h));
	KUNIT_EXPECT_NULL(test, ksf_ctx_find(ctx->kn, a, "imsi-001010000000001"));
	ksf_ctx_put(c);
	KUNIT_EXPECT_EQ(test, ksf_ctx_del(ctx->kn, d->handle), 0);
	ksf_ctx_put(d);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->kn->n_contexts), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&ctx->kn->mem), mem);
	/* Subscriber IDs: not empty, bounded. */
	spec.id = "";
	KUNIT_EXPECT_EQ(test, ksf_ctx_new(ctx->kn, a, &spec, &c), -EINVAL);
	ksf_peer_put(a);
	ksf_peer_put(b);
}

static void peer_delete_destroys_contexts(struct kunit *test)
{
	struct obj_ctx *ctx = test->priv;
	struct ksf_peer *a = new_peer(test, "amf1", KSF_PEER_KIND_NF, 1000);
	struct ksf_ctx_spec spec = { .id = "imsi-1" };
	struct ksf_ctx *c;
	u64 h;

	KUNIT_ASSERT_EQ(test, ksf_ctx_new(ctx->kn, a, &spec, &c), 0);
	h = c->handle;
	ksf_ctx_put(c);
	spec.id = "imsi-2";
	KUNIT_ASSERT_EQ(test, ksf_ctx_new(ctx->kn, a, &spec, &c), 0);
	ksf_ctx_put(c);
	KUNIT_EXPECT_EQ(test, ksf_peer_del(ctx->kn, "amf1", NULL), 0);
	KUNIT_EXPECT_NULL(test, ksf_ctx_get(ctx->kn, h));
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->kn->n_contexts), 0);
	/* A deleted peer gets no new context. */
	spec.id = "imsi-3";
	KUNIT_EXPECT_EQ(test, ksf_ctx_new(ctx->kn, a, &spec, &c), -ENOENT);
	ksf_peer_put(a);
}

/* TS 24.501 4.4.3.1: the COUNT of a received sequence number. */
static void nas_count_estimation(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ksf_nas_count_estimate(0, 0), 0);
	KUNIT_EXPECT_EQ(test, ksf_nas_count_estimate(0, 5), 5);	/* lost 0..4 */
	KUNIT_EXPECT_EQ(test, ksf_nas_count_estimate(0x1fe, 0xfe), 0x1fe);
	KUNIT_EXPECT_EQ(test, ksf_nas_count_estimate(0x1fe, 0x02), 0x202); /* wrap */
	/* A replayed SN never maps to an accepted COUNT. */
	KUNIT_EXPECT_EQ(test, ksf_nas_count_estimate(0x100, 0xff), 0x1ff);
	KUNIT_EXPECT_EQ(test, ksf_nas_count_estimate(0x105, 0x04), 0x204);
	KUNIT_EXPECT_EQ(test, ksf_nas_count_estimate(0xffff00, 0x00), 0xffff00);
}

static struct kunit_case ksf_object_cases[] = {
	KUNIT_CASE(policy_defaults_deny),
	KUNIT_CASE(policy_merge_keeps_old),
	KUNIT_CASE(policy_bitmaps),
	KUNIT_CASE(policy_bad_key_len_range),
	KUNIT_CASE(peer_duplicate_and_binding),
	KUNIT_CASE(key_type_rules),
	KUNIT_CASE(key_usage_families),
	KUNIT_CASE(key_child_bounds),
	KUNIT_CASE(key_access_by_peer),
	KUNIT_CASE(key_wanted_handle),
	KUNIT_CASE(key_expires),
	KUNIT_CASE(peer_delete_destroys_keys),
	KUNIT_CASE(context_tables),
	KUNIT_CASE(peer_delete_destroys_contexts),
	KUNIT_CASE(nas_count_estimation),
	{}
};

static struct kunit_suite ksf_object_suite = {
	.name = "ksf-object",
	.init = obj_init,
	.exit = obj_exit,
	.test_cases = ksf_object_cases,
};

kunit_test_suite(ksf_object_suite);
