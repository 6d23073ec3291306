// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the typed service codec (generated from the spec by
 * tools/net/ynl/ksf-svc-gen.py), the service registry and the engine's
 * decision point: a foreign family nest, an over-long field, a field the
 * service does not take are refused with a reason naming them; every
 * family's encoded outputs stay within the size the descriptors announce;
 * every service has a sound descriptor, and the check finds a bad one.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "../ksf.h"
#include "../core/peer.h"
#include "../core/policy.h"
#include "../engine/engine.h"
#include "../netlink/compat.h"
#include "../netlink/ksf-nl-gen.h"
#include "../netlink/codec.h"
#include "../netlink/objects.h"
#include "../services/item.h"
#include "../services/services.h"

#define SKB_ROOM	(64 * 1024)

static int eng_init(struct kunit *test)
{
	struct sk_buff *skb = alloc_skb(SKB_ROOM, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	test->priv = skb;
	return 0;
}

static void eng_exit(struct kunit *test)
{
	kfree_skb(test->priv);
}

/* An item built in test->priv's skb, then decoded. */
struct dec {
	struct nlattr *tb[KSF_A_ITEM_MAX + 1];
	char reason[KSF_REASON_LEN];
	union ksf_args args;
	struct nlattr *item, *fam;
};

/* A new item whose attributes go into its family nest @fam. */
static struct dec *item_open(struct kunit *test, struct dec *d, int fam)
{
	struct sk_buff *skb = test->priv;

	if (!d) {
		d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, d);
	}
	d->item = nla_nest_start(skb, KSF_A_REQUEST_ITEM);
	d->fam = nla_nest_start(skb, fam);
	KUNIT_ASSERT_NOT_NULL(test, d->fam);
	return d;
}

/* Closes the item and decodes it as an item of @service. */
static int item_decode(struct kunit *test, struct dec *d, u32 service)
{
	struct sk_buff *skb = test->priv;

	nla_nest_end(skb, d->fam);
	nla_nest_end(skb, d->item);
	KUNIT_ASSERT_EQ(test, nla_parse_nested(d->tb, KSF_A_ITEM_MAX, d->item,
					       ksf_item_nl_policy, NULL), 0);
	return ksf_args_decode(service, d->tb, &d->args, d->reason,
			       sizeof(d->reason));
}

static void decode_refuses_foreign_nest(struct kunit *test)
{
	struct dec *d = item_open(test, NULL, KSF_A_ITEM_KDF);

	KUNIT_ASSERT_EQ(test, nla_put_u8(test->priv, KSF_A_ITEM_KDF_FC, 0x10), 0);
	KUNIT_EXPECT_EQ(test, item_decode(test, d, KSF_SERVICE_MAC_GENERATE),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, d->reason, "mac-generate takes no kdf nest");
	/* The same nest for kdf decodes. */
	KUNIT_EXPECT_EQ(test, ksf_args_decode(KSF_SERVICE_KDF, d->tb, &d->args,
					      d->reason, sizeof(d->reason)), 0);
	KUNIT_EXPECT_EQ(test, d->args.kdf.present, KSF_ARG_KDF_FC);
	KUNIT_EXPECT_EQ(test, d->args.kdf.fc, 0x10);
}

static void decode_refuses_over_long(struct kunit *test)
{
	struct dec *d = item_open(test, NULL, KSF_A_ITEM_AEAD);
	u8 *data = kunit_kzalloc(test, KSF_DATA_MAX_LEN + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, data);
	KUNIT_ASSERT_EQ(test, nla_put(test->priv, KSF_A_ITEM_AEAD_AAD,
				      KSF_DATA_MAX_LEN + 1, data), 0);
	KUNIT_EXPECT_EQ(test, item_decode(test, d, KSF_SERVICE_ENCRYPT),
			-EMSGSIZE);
	KUNIT_EXPECT_STREQ(test, d->reason, "aad longer than data-max-len");

	item_open(test, d, KSF_A_ITEM_MAC);
	KUNIT_ASSERT_EQ(test, nla_put(test->priv, KSF_A_ITEM_MAC_MAC, 33, data),
			0);
	KUNIT_EXPECT_EQ(test, item_decode(test, d, KSF_SERVICE_MAC_VERIFY),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, d->reason, "mac longer than 32 bytes");
}

/* kdf's params and param-keys keep their order, up to 16 of them. */
static void decode_kdf_sequence(struct kunit *test)
{
	struct dec *d = item_open(test, NULL, KSF_A_ITEM_KDF);
	struct sk_buff *skb = test->priv;
	struct ksf_args_kdf *kdf = &d->args.kdf;
	int i;

	KUNIT_ASSERT_EQ(test, nla_put(skb, KSF_A_ITEM_KDF_PARAM, 2, "p0"), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u64_64bit(skb, KSF_A_ITEM_KDF_PARAM_KEY,
						42, 0), 0);
	KUNIT_ASSERT_EQ(test, nla_put(skb, KSF_A_ITEM_KDF_PARAM, 2, "p2"), 0);
	KUNIT_ASSERT_EQ(test, item_decode(test, d, KSF_SERVICE_KDF), 0);
	KUNIT_EXPECT_EQ(test, kdf->n_seq, 3);
	KUNIT_EXPECT_EQ(test, kdf->seq[0].field, KSF_ARG_KDF_PARAM);
	KUNIT_EXPECT_EQ(test, kdf->seq[1].field, KSF_ARG_KDF_PARAM_KEY);
	KUNIT_EXPECT_EQ(test, kdf->seq[1].param_key, 42);
	KUNIT_EXPECT_EQ(test, memcmp(kdf->seq[2].param.data, "p2", 2), 0);

	item_open(test, d, KSF_A_ITEM_KDF);
	for (i = 0; i <= KSF_ARGS_KDF_SEQ_MAX; i++)
		KUNIT_ASSERT_EQ(test, nla_put(skb, KSF_A_ITEM_KDF_PARAM, 1, "p"),
				0);
	KUNIT_EXPECT_EQ(test, item_decode(test, d, KSF_SERVICE_KDF), -E2BIG);
	KUNIT_EXPECT_STREQ(test, d->reason, "more than 16 param and param-key");
}

/* A deep copy owns its bytes and encodes as the original. */
static void args_copy_owns_bytes(struct kunit *test)
{
	struct sk_buff *skb = test->priv, *skb2;
	union ksf_args *a, *b;
	size_t n;
	u8 *buf;

	a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	a->aka.rand.data = (const u8 *)"0123456789abcdef";
	a->aka.rand.len = 16;
	a->aka.snn = "5G:mnc001.mcc001.3gppnetwork.org";
	a->aka.sqn = 7;
	a->aka.present = KSF_ARG_AKA_RAND | KSF_ARG_AKA_SNN | KSF_ARG_AKA_SQN;
	n = ksf_args_bytes(KSF_FAMILY_AKA, a);
	KUNIT_EXPECT_EQ(test, n, 16 + strlen(a->aka.snn) + 1);
	buf = kunit_kzalloc(test, n, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	ksf_args_copy(KSF_FAMILY_AKA, b, a, buf);
	KUNIT_EXPECT_PTR_EQ(test, b->aka.rand.data, (const u8 *)buf);
	KUNIT_EXPECT_STREQ(test, b->aka.snn, a->aka.snn);
	KUNIT_EXPECT_PTR_NE(test, b->aka.snn, a->aka.snn);

	skb2 = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb2);
	KUNIT_EXPECT_EQ(test, ksf_args_encode(skb, KSF_FAMILY_AKA, a), 0);
	KUNIT_EXPECT_EQ(test, ksf_args_encode(skb2, KSF_FAMILY_AKA, b), 0);
	KUNIT_EXPECT_EQ(test, skb->len, skb2->len);
	KUNIT_EXPECT_EQ(test, memcmp(skb->data, skb2->data, skb->len), 0);
	kfree_skb(skb2);
}

/*
 * Every output field of the family's layout at its largest (an owned
 * buffer allocated): the nest must fit the bound the generator computed
 * from the spec alone.
 */
static void fill_out(struct kunit *test, u32 fam, union ksf_out *o)
{
	const struct ksf_family_layout *l = ksf_family_layout(fam);
	u8 *base = (u8 *)o;
	u32 i;

	for (i = 1; l->out && i < l->n_out; i++) {
		const struct ksf_field *f = &l->out[i];

		if (f->type == KSF_FIELD_OWNED) {
			*(u8 **)(base + f->off) = kzalloc(f->max, GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, *(u8 **)(base + f->off));
		}
		if (f->type == KSF_FIELD_OWNED || f->type == KSF_FIELD_INLINE)
			*(u32 *)(base + f->len_off) = f->max;
		*(u32 *)(base + l->out_present_off) |= BIT(i);
	}
}

static void encode_size_bound(struct kunit *test)
{
	struct sk_buff *skb = test->priv;
	union ksf_out *o;
	unsigned int before;
	u32 fam;

	o = kunit_kzalloc(test, sizeof(*o), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o);
	for (fam = 1; fam <= KSF_FAMILY_MAX; fam++) {
		memset(o, 0, sizeof(*o));
		fill_out(test, fam, o);
		before = skb->len;
		KUNIT_EXPECT_EQ(test, ksf_out_encode(skb, fam, o), 0);
		KUNIT_EXPECT_LE_MSG(test, skb->len - before, ksf_out_nest_max(fam),
				    "family %s", ksf_family_name(fam));
		/* nothing to say (kdf) or said: a nest, or none at all */
		KUNIT_EXPECT_EQ(test, skb->len == before,
				!ksf_out_nest_max(fam));
		ksf_out_release(fam, o);
		skb_trim(skb, 0);
	}
	/* A length beyond the field's largest is not encoded. */
	memset(o, 0, sizeof(*o));
	o->mac.data_len = KSF_OUT_MAC_DATA_MAX + 1;
	o->mac.present = KSF_OUT_MAC_DATA;
	KUNIT_EXPECT_EQ(test, ksf_out_encode(skb, KSF_FAMILY_MAC, o), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, skb->len, 0);
}

static void registry_complete(struct kunit *test)
{
	u32 s;

	for (s = 1; s <= KSF_SERVICE_MAX; s++)
		KUNIT_EXPECT_NULL_MSG(test,
				      ksf_registry_check_one(s, ksf_service_ops(s)),
				      "service %u", s);
	KUNIT_EXPECT_NULL(test, ksf_service_ops(0));
	KUNIT_EXPECT_NULL(test, ksf_service_ops(__KSF_SERVICE_MAX));
	KUNIT_EXPECT_EQ(test, ksf_registry_check(), 0);
}

static void registry_check_finds_bad(struct kunit *test)
{
	struct ksf_service_ops bad = ksf_svc_mac_generate;

	bad.family = KSF_FAMILY_KDF;
	KUNIT_EXPECT_STREQ(test, ksf_registry_check_one(KSF_SERVICE_MAC_GENERATE,
							&bad),
			   "family differs from ksf-services.yaml");
	bad = ksf_svc_mac_generate;
	KUNIT_EXPECT_STREQ(test, ksf_registry_check_one(KSF_SERVICE_MAC_VERIFY,
							&bad),
			   "name differs from the spec's");
	bad.fields |= BIT(30);
	KUNIT_EXPECT_STREQ(test, ksf_registry_check_one(KSF_SERVICE_MAC_GENERATE,
							&bad),
			   "takes fields its family has not");
	KUNIT_EXPECT_STREQ(test, ksf_registry_check_one(KSF_SERVICE_KDF, NULL),
			   "no descriptor");
}

/* The decision point refuses what the descriptor does not take. */
static void decide_refuses_fields(struct kunit *test)
{
	struct ksf_policy *pol = ksf_nl_policy_parse(NULL, NULL, NULL);
	struct ksf_item *it;
	struct ksf_req *req;

	KUNIT_ASSERT_FALSE(test, IS_ERR(pol));
	__set_bit(KSF_SERVICE_MAC_GENERATE, pol->services);
	__set_bit(KSF_ALG_HMAC_SHA256, pol->algs);
	it = kunit_kzalloc(test, sizeof(*it), GFP_KERNEL);
	req = kunit_kzalloc(test, sizeof(*req), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, it);
	KUNIT_ASSERT_NOT_NULL(test, req);
	req->service = KSF_SERVICE_MAC_GENERATE;
	req->alg = KSF_ALG_HMAC_SHA256;
	req->present = KSF_REQ_ALG;
	req->args.mac.present = KSF_ARG_MAC_DATA | KSF_ARG_MAC_MAC;
	it->req = req;
	it->pol = pol;
	ksf_engine_run(NULL, it);	/* refused before any lookup */
	KUNIT_EXPECT_EQ(test, it->res.status, KSF_STATUS_ERROR);
	KUNIT_EXPECT_STREQ(test, it->res.reason, "mac-generate takes no mac");

	memset(it, 0, sizeof(*it));
	req->args.mac.present = KSF_ARG_MAC_DATA;
	req->present |= KSF_REQ_KEY2;
	it->req = req;
	it->pol = pol;
	ksf_engine_run(NULL, it);
	KUNIT_EXPECT_STREQ(test, it->res.reason, "mac-generate takes no key2");

	memset(it, 0, sizeof(*it));
	req->present = KSF_REQ_ALG;
	req->service = KSF_SERVICE_MAC_VERIFY;
	it->req = req;
	it->pol = pol;
	ksf_engine_run(NULL, it);
	KUNIT_EXPECT_EQ(test, it->res.status, KSF_STATUS_REJECTED);
	KUNIT_EXPECT_STREQ(test, it->res.reason, "service not in the trusted policy");

	/* A parameter bound of a service without a key: none so far. */
	KUNIT_EXPECT_NULL(test, ksf_svc_hres_star.bounds);
	KUNIT_EXPECT_NOT_NULL(test, ksf_svc_mac_verify.bounds);
	ksf_policy_put(pol);
}

static struct kunit_case ksf_engine_cases[] = {
	KUNIT_CASE(decode_refuses_foreign_nest),
	KUNIT_CASE(decode_refuses_over_long),
	KUNIT_CASE(decode_kdf_sequence),
	KUNIT_CASE(args_copy_owns_bytes),
	KUNIT_CASE(encode_size_bound),
	KUNIT_CASE(registry_complete),
	KUNIT_CASE(registry_check_finds_bad),
	KUNIT_CASE(decide_refuses_fields),
	{}
};

static struct kunit_suite ksf_engine_suite = {
	.name = "ksf-engine",
	.init = eng_init,
	.exit = eng_exit,
	.test_cases = ksf_engine_cases,
};

kunit_test_suite(ksf_engine_suite);
