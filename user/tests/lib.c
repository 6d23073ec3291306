// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libksf unit tests (no kernel needed): items, their encoding into the
 * wire-2 nests and back, results decoded from hand-built messages,
 * policies (bitmap lists, presets, timers) and name lists.  Linked with
 * libksf.a, so that it can reach the internal encoders and decoders.
 */
#include <malloc.h>

#include "internal.h"

static int failed, passed;

/*
 * free() of the library's objects goes through here (linked with
 * -Wl,--wrap=free): while `watch` is set, a block that still holds the
 * secret pattern when freed is counted.
 */
static const uint8_t secret[16] = {
	0xa5, 0x5a, 0xc3, 0x3c, 0x96, 0x69, 0xf0, 0x0f,
	0xa5, 0x5a, 0xc3, 0x3c, 0x96, 0x69, 0xf0, 0x0f,
};
static int watch, unwiped;

void __real_free(void *p);
void __wrap_free(void *p);

void __wrap_free(void *p)
{
	if (watch && p && memmem(p, malloc_usable_size(p), secret,
				 sizeof(secret)))
		unwiped++;
	__real_free(p);
}

#define CHECK(cond)							\
	do {								\
		if (cond) {						\
			passed++;					\
		} else {						\
			failed++;					\
			fprintf(stderr, "FAIL %s:%d: %s\n", __func__,	\
				__LINE__, #cond);			\
		}							\
	} while (0)

/* A handle with nothing but the message builder's buffer. */
static struct ksf *fake_handle(void)
{
	struct ksf *h = calloc(1, sizeof(*h));

	if (!h)
		abort();
	pthread_mutex_init(&h->lock, NULL);
	return h;
}

static void free_handle(struct ksf *h)
{
	free(h->tx);
	free(h);
}

static struct nlattr *first_attr(struct ksf *h, struct mb *m, int *len)
{
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN;

	*len = (int)(m->len - off);
	return (struct nlattr *)(h->tx + off);
}

static void test_item_fields(void)
{
	struct ksf_items *l = ksf_items_new();
	struct ksf_item *it;
	struct ksf_field f;
	uint8_t a[3] = { 1, 2, 3 }, b[2] = { 9, 8 };

	CHECK(l);
	CHECK(!ksf_items_add(l, 0) && errno == EINVAL);
	CHECK(!ksf_items_add(l, 9999) && errno == EINVAL);
	it = ksf_items_add(l, KSF_SERVICE_KDF);
	CHECK(it && ksf_items_count(l) == 1 && ksf_items_get(l, 0) == it);
	CHECK(ksf_items_get(l, 1) == NULL);
	CHECK(ksf_item_service(it) == KSF_SERVICE_KDF);

	/* unknown field, field of another family, wrong kinds */
	CHECK(ksf_item_set_u32(it, "nonsense", 1) == -EINVAL);
	CHECK(strstr(ksf_last_error(NULL), "nonsense"));
	CHECK(ksf_item_set_bin(it, "data", a, 3) == -EINVAL);
	CHECK(ksf_item_set_u64(it, "fc", 1) == -EINVAL);
	CHECK(strstr(ksf_last_error(NULL), "u8"));
	CHECK(ksf_item_set_str(it, "key", "x") == -EINVAL);
	CHECK(ksf_item_set_u32(it, "fc", 256) == -EINVAL);
	CHECK(ksf_item_set_u32(it, "key", 1) == -EINVAL);

	/* set, replace, append (multi), in insertion order */
	CHECK(ksf_item_set_u64(it, "key", 7) == 0);
	CHECK(ksf_item_set_u32(it, "fc", 0x6a) == 0);
	CHECK(ksf_item_set_bin(it, "param", a, 3) == 0);
	CHECK(ksf_item_set_u64(it, "param-key", 0x55) == 0);
	CHECK(ksf_item_set_bin(it, "param", b, 2) == 0);
	CHECK(ksf_item_set_u64(it, "key", 8) == 0);	/* replaces */
	CHECK(ksf_item_set_str(it, "subscriber", "imsi-001") == 0);
	CHECK(ksf_item_field(it, 0, &f) == 0 && !strcmp(f.name, "key") &&
	      f.u == 8 && f.kind == KSF_KIND_U64);
	CHECK(ksf_item_field(it, 1, &f) == 0 && !strcmp(f.name, "fc") &&
	      f.u == 0x6a && f.kind == KSF_KIND_U8);
	CHECK(ksf_item_field(it, 2, &f) == 0 && !strcmp(f.name, "param") &&
	      f.len == 3 && !memcmp(f.ptr, a, 3) && f.multi);
	CHECK(ksf_item_field(it, 3, &f) == 0 && !strcmp(f.name, "param-key") &&
	      f.u == 0x55);
	CHECK(ksf_item_field(it, 4, &f) == 0 && !strcmp(f.name, "param") &&
	      f.len == 2 && !memcmp(f.ptr, b, 2));
	CHECK(ksf_item_field(it, 5, &f) == 0 && !strcmp(f.name, "subscriber") &&
	      f.len == 8 && !strcmp(f.ptr, "imsi-001"));
	CHECK(ksf_item_field(it, 6, &f) == -ENOENT);

	/* enum fields name their table */
	CHECK(ksf_item_set_u32(it, "out-usage", KSF_KEY_USAGE_MAC) == 0);
	CHECK(ksf_item_field(it, 6, &f) == 0 &&
	      f.names == KSF_NAMES_KEY_USAGE + 1);

	/* unset removes every value and keeps the others' order */
	ksf_item_unset(it, "param");
	ksf_item_unset(it, "nonsense");
	CHECK(ksf_item_field(it, 2, &f) == 0 && !strcmp(f.name, "param-key"));
	CHECK(ksf_item_field(it, 3, &f) == 0 && !strcmp(f.name, "subscriber"));
	CHECK(ksf_item_field(it, 5, &f) == -ENOENT);

	/* a binary replaced by a shorter one: the new length */
	it = ksf_items_add(l, KSF_SERVICE_MAC_GENERATE);
	CHECK(ksf_item_set_bin(it, "data", a, 3) == 0);
	CHECK(ksf_item_set_bin(it, "data", b, 1) == 0);
	CHECK(ksf_item_field(it, 0, &f) == 0 && f.len == 1 &&
	      ((const uint8_t *)f.ptr)[0] == 9);
	CHECK(ksf_item_set_bin(it, "data", NULL, 0) == 0);
	CHECK(ksf_item_field(it, 0, &f) == 0 && f.len == 0);
	CHECK(ksf_item_set_bin(it, "data", NULL, 4) == -EINVAL);
	ksf_items_free(l);
	ksf_items_free(NULL);
}

/* Binaries are wiped when replaced, unset and freed; so are results. */
static void test_wipe(void)
{
	struct ksf_items *l = ksf_items_new();
	struct ksf_item *it = ksf_items_add(l, KSF_SERVICE_KDF);
	uint8_t big[64];

	memset(big, 0x11, sizeof(big));
	watch = 1;
	unwiped = 0;
	CHECK(ksf_item_set_bin(it, "param", secret, sizeof(secret)) == 0);
	CHECK(ksf_item_set_bin(it, "param", secret, sizeof(secret)) == 0);
	ksf_item_unset(it, "param");		/* both freed */
	CHECK(unwiped == 0);
	it = ksf_items_add(l, KSF_SERVICE_MAC_GENERATE);
	CHECK(ksf_item_set_bin(it, "data", secret, sizeof(secret)) == 0);
	CHECK(ksf_item_set_bin(it, "data", big, sizeof(big)) == 0);	/* realloc */
	CHECK(unwiped == 0);
	CHECK(ksf_item_set_bin(it, "mac", secret, sizeof(secret)) == 0);
	ksf_items_free(l);
	CHECK(unwiped == 0);
	/* the check can fail: a free of the pattern is seen */
	{
		uint8_t *p = malloc(sizeof(secret));

		CHECK(p);
		memcpy(p, secret, sizeof(secret));
		__wrap_free(p);
		CHECK(unwiped == 1);
	}
	watch = 0;
}

static void test_field_info(void)
{
	const char *want[] = { "alg", "key", "key2", "peer", "subscriber",
			       "context", "data", "mac", "mac-len" };
	struct ksf_field f;
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		CHECK(ksf_item_field_info(KSF_SERVICE_MAC_VERIFY, i, &f) == 0 &&
		      !strcmp(f.name, want[i]));
	CHECK(ksf_item_field_info(KSF_SERVICE_MAC_VERIFY, i, &f) == -ENOENT);
	CHECK(ksf_item_field_info(0, 0, &f) == -EINVAL);
	/* hres-star takes res (the aka family) */
	for (i = 0; ksf_item_field_info(KSF_SERVICE_HRES_STAR, i, &f) == 0; i++)
		if (!strcmp(f.name, "res"))
			break;
	CHECK(f.name && !strcmp(f.name, "res") && f.kind == KSF_KIND_BINARY);
}

/* Walk the encoded item: common attributes, then the family nest. */
static void test_item_encoding(void)
{
	struct ksf *h = fake_handle();
	struct ksf_items *l = ksf_items_new(), *back = NULL;
	struct nlattr *a, *item, *fam, *x;
	struct ksf_item *it;
	struct ksf_field f;
	int len, rem, i = 0, n;
	uint16_t order[8];
	struct mb m;

	it = ksf_items_add(l, KSF_SERVICE_KDF);
	ksf_item_set_bin(it, "param", "P0", 2);
	ksf_item_set_u64(it, "key", 0x1122334455667788ull);
	ksf_item_set_u64(it, "param-key", 42);
	ksf_item_set_bin(it, "param", "P2", 2);
	ksf_item_set_u32(it, "fc", 0x6b);
	it = ksf_items_add(l, KSF_SERVICE_AKA_VECTOR);
	ksf_item_set_str(it, "subscriber", "imsi-1");

	mb_init(&m, h, KSF_CMD_SERVICE_REQUEST);
	ksfl_put_items(&m, KSF_A_REQUEST_ITEM, l);
	CHECK(!m.err);
	a = first_attr(h, &m, &len);
	item = a;
	CHECK(nla_type(item) == KSF_A_REQUEST_ITEM &&
	      (item->nla_type & NLA_F_NESTED));
	x = nla_find(nla_data(item), nla_len(item), KSF_A_ITEM_SERVICE);
	CHECK(x && nla_get_u32(x) == KSF_SERVICE_KDF);
	x = nla_find(nla_data(item), nla_len(item), KSF_A_ITEM_KEY);
	CHECK(x && nla_len(x) == 8 && nla_get_u64(x) == 0x1122334455667788ull);
	fam = nla_find(nla_data(item), nla_len(item), KSF_A_ITEM_KDF);
	CHECK(fam && (fam->nla_type & NLA_F_NESTED));
	CHECK(!nla_find(nla_data(item), nla_len(item), KSF_A_ITEM_KDF_PARAM));
	if (fam) {
		nla_for_each_nested(x, fam, rem)
			if (i < 8)
				order[i++] = nla_type(x);
		CHECK(i == 4 && order[0] == KSF_A_ITEM_KDF_PARAM &&
		      order[1] == KSF_A_ITEM_KDF_PARAM_KEY &&
		      order[2] == KSF_A_ITEM_KDF_PARAM &&
		      order[3] == KSF_A_ITEM_KDF_FC);
	}
	/* the second item has no family field: no family nest */
	a = nla_next(a, &len);
	CHECK(nla_ok(a, len) && nla_type(a) == KSF_A_REQUEST_ITEM);
	CHECK(!nla_find(nla_data(a), nla_len(a), KSF_A_ITEM_AKA));
	CHECK(nla_find(nla_data(a), nla_len(a), KSF_A_ITEM_SUBSCRIBER));

	/* back: the decoder of presets gives the same fields, in wire order */
	{
		/* wrap the items as a timer nest would */
		struct mb m2;
		size_t t;

		mb_init(&m2, h, KSF_CMD_PEER_GET);
		t = mb_nest(&m2, KSF_A_POLICY_TIMER);
		mb_u32(&m2, KSF_A_TIMER_PERIOD, 1000);
		ksfl_put_items(&m2, KSF_A_TIMER_ITEM, l);
		mb_nest_end(&m2, t);
		a = first_attr(h, &m2, &len);
		CHECK(ksfl_get_items(a, KSF_A_TIMER_ITEM, &back) == 0);
	}
	CHECK(back && ksf_items_count(back) == 2);
	it = ksf_items_get(back, 0);
	CHECK(ksf_item_service(it) == KSF_SERVICE_KDF);
	n = 0;
	while (ksf_item_field(it, n, &f) == 0)
		n++;
	CHECK(n == 5);
	CHECK(ksf_item_field(it, 0, &f) == 0 && !strcmp(f.name, "key"));
	CHECK(ksf_item_field(it, 1, &f) == 0 && !strcmp(f.name, "param") &&
	      f.len == 2 && !memcmp(f.ptr, "P0", 2));
	CHECK(ksf_item_field(it, 2, &f) == 0 && !strcmp(f.name, "param-key") &&
	      f.u == 42);
	CHECK(ksf_item_field(it, 4, &f) == 0 && !strcmp(f.name, "fc") &&
	      f.u == 0x6b);
	it = ksf_items_get(back, 1);
	CHECK(ksf_item_field(it, 0, &f) == 0 &&
	      !strcmp(f.name, "subscriber") && !strcmp(f.ptr, "imsi-1"));
	/* the reply bound is the families' largest results */
	CHECK(ksfl_items_reply_bound(l) > NLMSG_HDRLEN + GENL_HDRLEN + 2 * 16);
	ksf_items_free(back);
	ksf_items_free(l);
	free_handle(h);
}

/* Results decoded from a hand-built reply. */
static void test_results(void)
{
	static const uint8_t tag[16] = { 0xaa }, iv[12] = { 0xbb };
	const uint8_t *ct = secret;	/* 16 bytes: a plaintext, say */
	struct ksf *h = fake_handle();
	struct ksf_results *res = NULL;
	const struct ksf_result *r;
	struct ksf_field f;
	const void *p;
	uint64_t u64;
	uint32_t u32;
	struct nlattr *a;
	size_t n, nest, fam;
	int len;
	struct mb m;

	mb_init(&m, h, KSF_CMD_SERVICE_REQUEST);
	nest = mb_nest(&m, KSF_A_REQUEST_RESULT);
	mb_u32(&m, KSF_A_RESULT_INDEX, 0);
	mb_u32(&m, KSF_A_RESULT_STATUS, KSF_STATUS_OK);
	fam = mb_nest(&m, KSF_A_RESULT_AEAD);
	mb_put(&m, KSF_A_RESULT_AEAD_DATA, ct, sizeof(secret));
	mb_put(&m, KSF_A_RESULT_AEAD_MAC, tag, sizeof(tag));
	mb_put(&m, KSF_A_RESULT_AEAD_IV, iv, sizeof(iv));
	mb_put(&m, 99, "future", 6);	/* an unknown attribute is skipped */
	mb_nest_end(&m, fam);
	mb_nest_end(&m, nest);
	nest = mb_nest(&m, KSF_A_REQUEST_RESULT);
	mb_u32(&m, KSF_A_RESULT_INDEX, 1);
	mb_u32(&m, KSF_A_RESULT_STATUS, KSF_STATUS_ERROR);
	mb_s32(&m, KSF_A_RESULT_ERROR, -EKEYEXPIRED);
	mb_str(&m, KSF_A_RESULT_REASON, "key expired");
	mb_nest_end(&m, nest);
	nest = mb_nest(&m, KSF_A_REQUEST_RESULT);
	mb_u32(&m, KSF_A_RESULT_INDEX, 2);
	mb_u64(&m, KSF_A_RESULT_KEY, 0xdeadbeefcafeull);
	mb_u64(&m, KSF_A_RESULT_CONTEXT, 77);
	fam = mb_nest(&m, KSF_A_RESULT_AKA);
	mb_put(&m, KSF_A_RESULT_AKA_HRES, tag, 16);
	mb_u64(&m, KSF_A_RESULT_AKA_SQN, 0x20);
	mb_nest_end(&m, fam);
	mb_nest_end(&m, nest);
	mb_u32(&m, KSF_A_REQUEST_STATUS, 1);	/* not a result */

	a = first_attr(h, &m, &len);
	CHECK(ksfl_decode_results(a, len, KSF_A_REQUEST_RESULT, &res) == 3);
	CHECK(ksf_results_count(res) == 3);
	r = ksf_results_get(res, 0);
	CHECK(ksf_result_index(r) == 0 && ksf_result_status(r) == KSF_STATUS_OK);
	CHECK(ksf_result_error(r) == 0 && ksf_result_reason(r) == NULL);
	CHECK(ksf_result_get_bin(r, "data", &p, &n) == 0 && n == sizeof(secret) &&
	      !memcmp(p, ct, n));
	CHECK(ksf_result_get_bin(r, "mac", &p, &n) == 0 && n == 16 &&
	      !memcmp(p, tag, n));
	CHECK(ksf_result_get_bin(r, "iv", &p, &n) == 0 && n == 12);
	CHECK(ksf_result_get_bin(r, "hres", &p, &n) == -ENOENT);
	CHECK(ksf_result_get_u64(r, "key", &u64) == -ENOENT);
	CHECK(ksf_result_field(r, 0, &f) == 0 && !strcmp(f.name, "data"));
	CHECK(ksf_result_field(r, 2, &f) == 0 && !strcmp(f.name, "iv"));
	CHECK(ksf_result_field(r, 3, &f) == -ENOENT);
	r = ksf_results_get(res, 1);
	CHECK(ksf_result_status(r) == KSF_STATUS_ERROR &&
	      ksf_result_error(r) == -EKEYEXPIRED);
	CHECK(ksf_result_reason(r) && !strcmp(ksf_result_reason(r),
					      "key expired"));
	CHECK(ksf_result_field(r, 0, &f) == -ENOENT);
	r = ksf_results_get(res, 2);
	CHECK(ksf_result_get_u64(r, "key", &u64) == 0 &&
	      u64 == 0xdeadbeefcafeull);
	CHECK(ksf_result_get_u64(r, "context", &u64) == 0 && u64 == 77);
	CHECK(ksf_result_get_u64(r, "sqn", &u64) == 0 && u64 == 0x20);
	CHECK(ksf_result_get_u32(r, "sqn", &u32) == -ENOENT);
	CHECK(ksf_result_get_bin(r, "hres", &p, &n) == 0 && n == 16);
	CHECK(ksf_results_get(res, 3) == NULL);
	watch = 1;
	unwiped = 0;
	ksf_results_free(res);		/* its outputs are wiped */
	CHECK(unwiped == 0);
	watch = 0;

	/* no result: nothing allocated */
	res = (void *)1;
	CHECK(ksfl_decode_results(a, len, KSF_A_REQUEST_ITEM, &res) == 0 &&
	      res == NULL);
	ksf_results_free(NULL);
	free_handle(h);
}

static void test_policy(void)
{
	struct ksf *h = fake_handle();
	struct ksf_policy *p = ksf_policy_new(), *q = NULL;
	uint32_t v[8], svc[] = { KSF_SERVICE_KDF, 70, KSF_SERVICE_MAC_GENERATE };
	const struct ksf_items *items;
	struct ksf_items *l;
	uint8_t fcs[32] = { 0 };
	const void *b;
	struct nlattr *a, *x;
	uint32_t u;
	size_t n;
	int len;
	struct mb m;

	CHECK(ksf_policy_get_u32(p, "batch-max", &u) == -ENOENT);
	CHECK(ksf_policy_set_u32(p, "batch-max", 16) == 0);
	CHECK(ksf_policy_get_u32(p, "batch-max", &u) == 0 && u == 16);
	CHECK(ksf_policy_set_u32(p, "caller-rand", 2) == 0);
	CHECK(ksf_policy_set_u32(p, "caller-rand", 256) == -EINVAL);
	CHECK(ksf_policy_set_u32(p, "caller-rand", 1) == 0);
	CHECK(ksf_policy_set_u32(p, "nonsense", 1) == -EINVAL);
	CHECK(ksf_policy_set_u32(p, "mac-fcs", 1) == -EINVAL);
	CHECK(ksf_policy_set_list(p, "batch-max", svc, 1) == -EINVAL);

	/* lists: bitmaps as wide as their largest value */
	CHECK(ksf_policy_get_list(p, "services", v, 8) == -ENOENT);
	CHECK(ksf_policy_set_list(p, "services", svc, 3) == 0);
	CHECK(ksf_policy_get_bin(p, "services", &b, &n) == 0 && n == 9 &&
	      ((const uint8_t *)b)[0] == ((1 << KSF_SERVICE_KDF) |
					  (1 << KSF_SERVICE_MAC_GENERATE)) &&
	      ((const uint8_t *)b)[8] == 1 << 6);
	CHECK(ksf_policy_get_list(p, "services", v, 8) == 3 &&
	      v[0] == KSF_SERVICE_MAC_GENERATE && v[1] == KSF_SERVICE_KDF &&
	      v[2] == 70);
	CHECK(ksf_policy_get_list(p, "services", v, 1) == 3);
	CHECK(ksf_policy_set_list(p, "algs", NULL, 0) == 0);	/* none */
	CHECK(ksf_policy_get_bin(p, "algs", &b, &n) == 0 && n == 0);
	CHECK(ksf_policy_get_list(p, "algs", v, 8) == 0);
	svc[0] = 256;
	CHECK(ksf_policy_set_list(p, "services", svc, 1) == -EINVAL);
	fcs[0x69 / 8] = 1 << (0x69 % 8);
	CHECK(ksf_policy_set_bin(p, "mac-fcs", fcs, 32) == 0);

	/* presets and timers own their items */
	l = ksf_items_new();
	ksf_item_set_u64(ksf_items_add(l, KSF_SERVICE_MAC_GENERATE), "key", 5);
	CHECK(ksf_policy_add_trigger(p, KSF_TRIGGER_TIMER, 1000, l) == 0);
	CHECK(ksf_policy_trigger_count(p, KSF_TRIGGER_TIMER) == 1);
	CHECK(ksf_policy_trigger(p, KSF_TRIGGER_TIMER, 0, &u, &items) == 0 &&
	      u == 1000 && ksf_items_count(items) == 1);
	CHECK(ksf_policy_trigger(p, KSF_TRIGGER_TIMER, 1, &u, &items) ==
	      -ENOENT);
	CHECK(ksf_policy_clear_triggers(p, KSF_TRIGGER_NOTIFY) == 0);
	CHECK(ksf_policy_trigger_count(p, KSF_TRIGGER_NOTIFY) == 0);

	mb_init(&m, h, KSF_CMD_PEER_SET);
	ksfl_put_policy(&m, KSF_A_PEER_POLICY, p);
	CHECK(!m.err);
	a = first_attr(h, &m, &len);
	CHECK(nla_type(a) == KSF_A_PEER_POLICY);
	/* notify cleared (present and empty), timers kept */
	CHECK(nla_find(nla_data(a), nla_len(a), KSF_A_POLICY_NOTIFY_CLEAR));
	CHECK(!nla_find(nla_data(a), nla_len(a), KSF_A_POLICY_TIMER_CLEAR));
	x = nla_find(nla_data(a), nla_len(a), KSF_A_POLICY_ALGS);
	CHECK(x && nla_len(x) == 0);
	CHECK(ksfl_decode_policy(a, &q) == 0 && q);
	CHECK(ksf_policy_get_u32(q, "batch-max", &u) == 0 && u == 16);
	CHECK(ksf_policy_get_u32(q, "caller-rand", &u) == 0 && u == 1);
	CHECK(ksf_policy_get_list(q, "services", v, 8) == 3 && v[2] == 70);
	CHECK(ksf_policy_get_list(q, "algs", v, 8) == 0);
	CHECK(ksf_policy_get_bin(q, "mac-fcs", &b, &n) == 0 && n == 32 &&
	      !memcmp(b, fcs, 32));
	CHECK(ksf_policy_get_u32(q, "keys-max", &u) == -ENOENT);
	CHECK(ksf_policy_trigger_count(q, KSF_TRIGGER_TIMER) == 1);
	CHECK(ksf_policy_trigger(q, KSF_TRIGGER_TIMER, 0, &u, &items) == 0 &&
	      u == 1000 && ksf_items_count(items) == 1 &&
	      ksf_item_service(ksf_items_get(items, 0)) ==
	      KSF_SERVICE_MAC_GENERATE);
	/* no such trigger: refused, items freed (valgrind sees it) */
	CHECK(ksf_policy_add_trigger(q, 7, 1, ksf_items_new()) == -EINVAL);
	CHECK(ksf_policy_trigger_count(q, 7) == 0);
	CHECK(ksf_policy_trigger(q, 7, 0, &u, &items) == -EINVAL);
	ksf_policy_free(q);
	ksf_policy_free(p);
	ksf_policy_free(NULL);
	CHECK(ksf_policy_add_trigger(NULL, KSF_TRIGGER_NOTIFY, 1,
				     ksf_items_new()) == -EINVAL);
	free_handle(h);
}

static void test_names(void)
{
	uint32_t v[64];
	char buf[256];
	uint64_t mask;
	int n;

	CHECK(!strcmp(ksf_name(KSF_NAMES_SERVICE, KSF_SERVICE_HRES_STAR),
		      "hres-star"));
	CHECK(!strcmp(ksf_name(KSF_NAMES_KEY_USAGE, KSF_KEY_USAGE_VERIFY),
		      "verify"));
	CHECK(ksf_name(KSF_NAMES_SERVICE, 0) == NULL);
	CHECK(ksf_name(KSF_NAMES_KEY_USAGE, 3) == NULL);
	CHECK(ksf_value(KSF_NAMES_ALG, "nea0", v) == 0 && v[0] == KSF_ALG_NEA0);
	CHECK(ksf_value(KSF_NAMES_ALG, "bogus", v) == -EINVAL);

	/* numbers: decimal or 0x hex, never octal, nothing else */
	CHECK(!ksf_parse_u64("010", &mask) && mask == 10);
	CHECK(!ksf_parse_u64("0X1f", &mask) && mask == 31);
	CHECK(!ksf_parse_u64("18446744073709551615", &mask) &&
	      mask == UINT64_MAX);
	CHECK(ksf_parse_u64("18446744073709551616", &mask) == -EINVAL);
	CHECK(ksf_parse_u64("", &mask) == -EINVAL);
	CHECK(ksf_parse_u64("0x", &mask) == -EINVAL);
	CHECK(ksf_parse_u64("-1", &mask) == -EINVAL);
	CHECK(ksf_parse_u64(" 1", &mask) == -EINVAL);
	CHECK(ksf_parse_u64("1a", &mask) == -EINVAL);
	CHECK(ksf_parse_u64(NULL, &mask) == -EINVAL);

	CHECK(ksf_list_parse(KSF_NAMES_SERVICE, "kdf,mac-generate", v, 64) == 2 &&
	      v[0] == KSF_SERVICE_KDF && v[1] == KSF_SERVICE_MAC_GENERATE);
	CHECK(ksf_list_parse(KSF_NAMES_SERVICE, "none", v, 64) == 0);
	CHECK(ksf_list_parse(KSF_NAMES_SERVICE, "kdf,70", v, 64) == 2 &&
	      v[1] == 70);
	CHECK(ksf_list_parse(KSF_NAMES_SERVICE, "kdf,bogus", v, 64) == -EINVAL);
	CHECK(ksf_list_parse(KSF_NAMES_KEY_USAGE, "mac", v, 64) == -EINVAL);
	n = ksf_list_parse(KSF_NAMES_SERVICE, "all", v, 64);
	CHECK(n == KSF_SERVICE_MAX && v[0] == 1);	/* 1..19 */
	n = ksf_list_parse(KSF_NAMES_ALG, "all", v, 64);
	CHECK(n == KSF_ALG_MAX - 1);	/* 1..16 without nea0 */
	while (n-- > 0)
		CHECK(v[n] != KSF_ALG_NEA0);
	CHECK(ksf_list_parse(KSF_NAMES_SERVICE, "kdf,kdf,kdf", v, 1) == 3);

	v[0] = KSF_SERVICE_KDF;
	v[1] = KSF_SERVICE_AKA_VECTOR;
	v[2] = 200;
	CHECK(ksf_list_format(KSF_NAMES_SERVICE, v, 3, buf, sizeof(buf)) > 0 &&
	      !strcmp(buf, "kdf,aka-vector,200"));
	CHECK(ksf_list_format(KSF_NAMES_SERVICE, v, 0, buf, sizeof(buf)) == 4 &&
	      !strcmp(buf, "none"));
	CHECK(ksf_list_format(KSF_NAMES_SERVICE, v, 2, buf, 4) ==
	      (int)strlen("kdf,aka-vector") && !strcmp(buf, "kdf"));

	CHECK(ksf_mask_parse(KSF_NAMES_KEY_USAGE, "mac,verify", &mask) == 0 &&
	      mask == (KSF_KEY_USAGE_MAC | KSF_KEY_USAGE_VERIFY));
	CHECK(ksf_mask_format(KSF_NAMES_KEY_USAGE, mask, buf, sizeof(buf)) > 0 &&
	      !strcmp(buf, "mac,verify"));
	CHECK(ksf_mask_parse(KSF_NAMES_KEY_USAGE, "mac,bogus", &mask) == -EINVAL);
}

static size_t put_session(struct mb *m, uint32_t index, uint32_t state)
{
	size_t nest = mb_nest(m, KSF_A_PEER_SESSION);

	mb_u32(m, KSF_A_SESSION_INDEX, index);
	mb_u32(m, KSF_A_SESSION_ROLE, KSF_SESSION_ROLE_INITIATOR);
	mb_u32(m, KSF_A_SESSION_STATE, state);
	mb_u32(m, KSF_A_SESSION_AGE, 3);
	mb_u64(m, KSF_A_SESSION_SENT, 1);
	mb_u64(m, KSF_A_SESSION_RECEIVED, 1ull << 40);
	mb_nest_end(m, nest);
	return nest;
}

/* A peer reply's key id, refusals and sessions, behind _priv. */
static void test_peer_channel(void)
{
	struct nlattr *tb[KSF_A_PEER_MAX + 1];
	struct ksf *h = fake_handle();
	struct ksf_session_info si;
	struct nlmsghdr *nlh;
	struct ksf_peer p;
	uint64_t id = 0;
	struct mb m;
	int i;

	memset(&p, 0, sizeof(p));
	CHECK(ksf_peer_key_id(&p, &id) == -ENOENT);
	CHECK(ksf_peer_msg_refused(&p) == 0 && ksf_peer_session_count(&p) == 0);
	CHECK(ksf_peer_session(&p, 0, &si) == -ENOENT);
	CHECK(ksf_peer_session(NULL, 0, &si) == -ENOENT);
	CHECK(ksf_peer_session(&p, 0, NULL) == -EINVAL);
	CHECK(ksf_peer_key_id(NULL, &id) == -ENOENT);

	mb_init(&m, h, KSF_CMD_PEER_GET);
	mb_str(&m, KSF_A_PEER_ID, "b-host");
	mb_u64(&m, KSF_A_PEER_KEY_ID, 0x5a0c2a9e41d7b3c8ull);
	mb_u32(&m, KSF_A_PEER_MSG_REFUSED, 7);
	for (i = 0; i < 4; i++)		/* a fourth is not kept */
		put_session(&m, 0xdeadbeef + i, KSF_SESSION_STATE_CURRENT + i);
	nlh = (struct nlmsghdr *)h->tx;
	nlh->nlmsg_len = m.len;
	CHECK(!m.err && !msg_parse(nlh, tb, KSF_A_PEER_MAX));
	CHECK(ksfl_decode_peer_chan(nlh, tb, &p) == 0);
	CHECK(ksf_peer_key_id(&p, &id) == 0 && id == 0x5a0c2a9e41d7b3c8ull);
	CHECK(ksf_peer_public_key(&p, NULL) == -ENOENT);
	CHECK(ksf_peer_msg_refused(&p) == 7);
	CHECK(ksf_peer_session_count(&p) == 3);
	CHECK(ksf_peer_session(&p, 0, &si) == 0 && si.index == 0xdeadbeef &&
	      si.role == KSF_SESSION_ROLE_INITIATOR &&
	      si.state == KSF_SESSION_STATE_CURRENT && si.age == 3 &&
	      si.sent == 1 && si.received == 1ull << 40);
	CHECK(ksf_peer_session(&p, 2, &si) == 0 && si.index == 0xdeadbeef + 2);
	CHECK(ksf_peer_session(&p, 3, &si) == -ENOENT);
	ksf_peer_clear(&p);
	CHECK(ksf_peer_session_count(&p) == 0);

	/* an nf peer: nothing allocated */
	mb_init(&m, h, KSF_CMD_PEER_GET);
	mb_str(&m, KSF_A_PEER_ID, "amf");
	nlh->nlmsg_len = m.len;
	CHECK(!msg_parse(nlh, tb, KSF_A_PEER_MAX) &&
	      ksfl_decode_peer_chan(nlh, tb, &p) == 0 && !p._priv);
	free_handle(h);
}

/* A pair nest: generation, we-run (kdf, batch-max 10), they-run (none). */
static void put_pair(struct mb *m, uint32_t gen, bool they_run)
{
	static const uint8_t kdf[1] = { 1u << KSF_SERVICE_KDF };
	size_t pair = mb_nest(m, KSF_A_PEER_PAIR), dir;

	mb_u32(m, KSF_A_PAIR_GENERATION, gen);
	dir = mb_nest(m, KSF_A_PAIR_WE_RUN);
	mb_put(m, KSF_A_POLICY_SERVICES, kdf, sizeof(kdf));
	mb_u32(m, KSF_A_POLICY_BATCH_MAX, 10);
	mb_nest_end(m, dir);
	if (they_run) {
		dir = mb_nest(m, KSF_A_PAIR_THEY_RUN);
		mb_nest_end(m, dir);
	}
	mb_nest_end(m, pair);
}

/* The pair policy of a peer-get reply; one without a direction is malformed. */
static void test_peer_pair(void)
{
	const struct ksf_policy *we = NULL, *they = NULL;
	struct ksf *h = fake_handle();
	struct ksf_msgs *out = (void *)1;
	struct nlmsghdr *nlh;
	uint32_t gen = 0, v[4], n;
	struct ksf_peer p;
	struct mb m;

	memset(&p, 0, sizeof(p));
	CHECK(ksf_peer_pair(&p, &gen, &we, &they) == -ENOENT);
	CHECK(ksf_peer_pair(NULL, &gen, &we, &they) == -ENOENT);
	mb_init(&m, h, KSF_CMD_PEER_GET);
	mb_str(&m, KSF_A_PEER_ID, "b-host");
	put_pair(&m, 4, true);
	nlh = (struct nlmsghdr *)h->tx;
	nlh->nlmsg_len = m.len;
	CHECK(!m.err && ksfl_decode_peer(nlh, &p) == 0);
	CHECK(ksf_peer_pair(&p, &gen, &we, &they) == 0 && gen == 4);
	CHECK(ksf_policy_get_list(we, "services", v, 4) == 1 &&
	      v[0] == KSF_SERVICE_KDF);
	CHECK(ksf_policy_get_u32(we, "batch-max", &n) == 0 && n == 10);
	CHECK(ksf_policy_get_list(they, "services", v, 4) == -ENOENT);
	CHECK(ksf_peer_pair(&p, NULL, NULL, NULL) == 0);
	ksf_peer_clear(&p);
	CHECK(ksf_peer_pair(&p, &gen, &we, &they) == -ENOENT);

	mb_init(&m, h, KSF_CMD_PEER_GET);
	mb_str(&m, KSF_A_PEER_ID, "b-host");
	put_pair(&m, 5, false);
	nlh->nlmsg_len = m.len;
	CHECK(ksfl_decode_peer(nlh, &p) == -EPROTO);
	ksf_peer_clear(&p);

	CHECK(ksf_msg_negotiate(NULL, "b", &out) == -EINVAL);
	CHECK(ksf_msg_negotiate(h, NULL, &out) == -EINVAL && out == NULL);
	free_handle(h);
}

static void put_msg(struct mb *m, const char *peer, uint32_t type,
		    const void *blob, size_t len)
{
	size_t nest = mb_nest(m, KSF_A_CHANNEL_MSG);

	mb_str(m, KSF_A_MSG_PEER, peer);
	mb_u32(m, KSF_A_MSG_TYPE, type);
	mb_put(m, KSF_A_MSG_BLOB, blob, len);
	mb_nest_end(m, nest);
}

static void put_outcome(struct mb *m, uint32_t index, int32_t err,
			const char *reason, const char *peer)
{
	size_t nest = mb_nest(m, KSF_A_CHANNEL_OUTCOME);

	mb_u32(m, KSF_A_OUTCOME_INDEX, index);
	mb_u32(m, KSF_A_OUTCOME_STATUS, err ? KSF_MSG_STATUS_REFUSED :
		KSF_MSG_STATUS_ACCEPTED);
	if (err) {
		mb_s32(m, KSF_A_OUTCOME_ERROR, err);
		mb_str(m, KSF_A_OUTCOME_REASON, reason);
	}
	mb_u32(m, KSF_A_OUTCOME_TYPE, KSF_MSG_TYPE_HANDSHAKE_INIT);
	if (peer)
		mb_str(m, KSF_A_OUTCOME_PEER, peer);
	mb_nest_end(m, nest);
}

/* A msg-receive reply: outcomes by index, the blobs to carry. */
static void test_chan_reply(void)
{
	static const uint8_t resp[100] = { 'K', 'S', 'F', 'C', 1, 2 };
	struct ksf_msg_outcome oc[3];
	struct ksf *h = fake_handle();
	struct ksfl_chan_reply r;
	const uint8_t *blob;
	const char *peer;
	struct nlattr *a;
	uint32_t type;
	size_t len;
	int alen;
	struct mb m;

	mb_init(&m, h, KSF_CMD_MSG_RECEIVE);
	put_outcome(&m, 1, -ENOKEY, "unknown sender (key id 1122334455667788)",
		    NULL);
	put_outcome(&m, 0, 0, NULL, "a-host");
	put_outcome(&m, 2, -EBADMSG, "handshake does not authenticate",
		    "c-host");
	put_msg(&m, "a-host", KSF_MSG_TYPE_HANDSHAKE_RESPONSE, resp,
		sizeof(resp));
	CHECK(!m.err);
	a = first_attr(h, &m, &alen);
	memset(oc, 0, sizeof(oc));
	memset(&r, 0, sizeof(r));
	r.msgs = ksfl_msgs_new();
	r.oc = oc;
	r.n = 3;
	CHECK(ksfl_decode_chan(a, alen, &r) == 0 && r.outcomes == 3);
	CHECK(oc[0].status == KSF_MSG_STATUS_ACCEPTED && oc[0].error == 0 &&
	      oc[0].type == KSF_MSG_TYPE_HANDSHAKE_INIT &&
	      !strcmp(oc[0].peer, "a-host") && !oc[0].reason[0]);
	CHECK(oc[1].status == KSF_MSG_STATUS_REFUSED && oc[1].error == -ENOKEY &&
	      !oc[1].peer[0] && strstr(oc[1].reason, "unknown sender"));
	CHECK(oc[2].error == -EBADMSG && !strcmp(oc[2].peer, "c-host"));
	CHECK(ksf_msgs_count(r.msgs) == 1);
	CHECK(ksf_msgs_get(r.msgs, 0, &peer, &type, &blob, &len) == 0 &&
	      !strcmp(peer, "a-host") && type == KSF_MSG_TYPE_HANDSHAKE_RESPONSE &&
	      len == sizeof(resp) && !memcmp(blob, resp, len));
	CHECK(ksf_msgs_get(r.msgs, 0, NULL, NULL, NULL, NULL) == 0);
	CHECK(ksf_msgs_get(r.msgs, 1, &peer, &type, &blob, &len) == -ENOENT);
	CHECK(ksf_msgs_get(NULL, 0, &peer, &type, &blob, &len) == -ENOENT);
	CHECK(ksf_msgs_count(NULL) == 0);

	/* the same index twice, an index past the blobs: malformed */
	CHECK(ksfl_decode_chan(a, alen, &r) == -EPROTO &&
	      strstr(ksf_last_error(NULL), "malformed outcome"));
	ksf_msgs_free(r.msgs);
	memset(oc, 0, sizeof(oc));
	r.msgs = ksfl_msgs_new();
	r.n = 2;
	r.outcomes = 0;
	CHECK(ksfl_decode_chan(a, alen, &r) == -EPROTO);
	ksf_msgs_free(r.msgs);

	/* a msg without a blob */
	mb_init(&m, h, KSF_CMD_MSG_HANDSHAKE);
	mb_nest_end(&m, mb_nest(&m, KSF_A_CHANNEL_MSG));
	a = first_attr(h, &m, &alen);
	memset(&r, 0, sizeof(r));
	r.msgs = ksfl_msgs_new();
	CHECK(ksfl_decode_chan(a, alen, &r) == -EPROTO &&
	      ksf_msgs_count(r.msgs) == 0);
	ksf_msgs_free(r.msgs);
	ksf_msgs_free(NULL);
	free_handle(h);
}

/* Argument checks before anything is sent (no kernel needed). */
static void test_msg_args(void)
{
	static const uint8_t blob[28];
	const void *blobs[KSF_MSG_BATCH_MAX + 1] = { blob, NULL };
	size_t lens[KSF_MSG_BATCH_MAX + 1] = { sizeof(blob), 1 };
	struct ksf_msg_outcome oc[KSF_MSG_BATCH_MAX + 1];
	struct ksf_msgs *out = (void *)1;
	struct ksf *h = fake_handle();
	uint64_t id;

	CHECK(ksf_msg_handshake(NULL, "b", &out) == -EINVAL);
	CHECK(ksf_msg_handshake(h, NULL, &out) == -EINVAL);
	CHECK(ksf_msg_receive(NULL, blobs, lens, 1, oc, &out) == -EINVAL);
	CHECK(ksf_msg_receive(h, blobs, lens, 0, oc, &out) == -EINVAL &&
	      out == NULL);
	CHECK(ksf_msg_receive(h, blobs, lens, 1, NULL, &out) == -EINVAL);
	CHECK(ksf_msg_receive(h, blobs, lens, 2, oc, &out) == -EINVAL &&
	      strstr(ksf_last_error(NULL), "blob 1"));
	CHECK(ksf_msg_receive(h, blobs, lens, KSF_MSG_BATCH_MAX + 1, oc,
			      &out) == -E2BIG);
	lens[0] = 0x10000;
	CHECK(ksf_msg_receive(h, blobs, lens, 1, oc, &out) == -EMSGSIZE);
	CHECK(ksf_get_key_id(NULL, &id) == -EINVAL);
	CHECK(ksf_get_key_id(h, NULL) == -EINVAL);
	free_handle(h);
}

/*
 * An item is sized before it is written: a nest that just fits is
 * written whole, one byte more in a value or a nest over 64 KiB is
 * -EMSGSIZE; the padding after an odd-length value is zero, whatever
 * the buffer held before.
 */
static void test_item_limits(void)
{
	/*
	 * The largest param: an item nest (header, service, family nest
	 * with a header and the param) of at most 0xffff bytes, a multiple
	 * of 4 as nests count their members' padding.
	 */
	const size_t fit = 0xfffc - 4 - 8 - 4 - 4;
	struct ksf_items *l = ksf_items_new();
	struct ksf *h = fake_handle();
	uint8_t *big = malloc(0x10000);
	struct nlattr *a, *fam, *x;
	struct ksf_item *it;
	struct mb m;
	int len;

	if (!big)
		abort();
	memset(big, 0x5a, 0x10000);
	it = ksf_items_add(l, KSF_SERVICE_KDF);
	ksf_item_set_bin(it, "param", big, fit);
	mb_init(&m, h, KSF_CMD_SERVICE_REQUEST);
	ksfl_put_items(&m, KSF_A_REQUEST_ITEM, l);
	CHECK(!m.err);
	a = first_attr(h, &m, &len);
	CHECK(len == 0xfffc && a->nla_len == 0xfffc);
	fam = nla_find(nla_data(a), nla_len(a), KSF_A_ITEM_KDF);
	x = fam ? nla_find(nla_data(fam), nla_len(fam), KSF_A_ITEM_KDF_PARAM) :
	    NULL;
	CHECK(x && (size_t)nla_len(x) == fit && !memcmp(nla_data(x), big, fit));
	/* three bytes less: three of padding, over the old 0x5a bytes */
	ksf_item_unset(it, "param");	/* param is multi: else one more */
	ksf_item_set_bin(it, "param", big, fit - 3);
	memset(h->tx, 0x5a, h->tx_cap);
	mb_init(&m, h, KSF_CMD_SERVICE_REQUEST);
	ksfl_put_items(&m, KSF_A_REQUEST_ITEM, l);
	CHECK(!m.err && m.len == NLMSG_HDRLEN + GENL_HDRLEN + 0xfffc &&
	      !h->tx[m.len - 3] && !h->tx[m.len - 2] && !h->tx[m.len - 1] &&
	      h->tx[m.len - 4] == 0x5a);

	/* one byte more: the item nest is too large */
	ksf_item_unset(it, "param");
	ksf_item_set_bin(it, "param", big, fit + 1);
	mb_init(&m, h, KSF_CMD_SERVICE_REQUEST);
	ksfl_put_items(&m, KSF_A_REQUEST_ITEM, l);
	CHECK(m.err == -EMSGSIZE);
	/* a value larger than an attribute */
	ksf_item_unset(it, "param");
	ksf_item_set_bin(it, "param", big, 0x10000);
	mb_init(&m, h, KSF_CMD_SERVICE_REQUEST);
	ksfl_put_items(&m, KSF_A_REQUEST_ITEM, l);
	CHECK(m.err == -EMSGSIZE);
	/* two values that fit, in a family nest that does not */
	ksf_item_unset(it, "param");
	ksf_item_set_bin(it, "param", big, 40000);
	ksf_item_set_bin(it, "param", big, 40000);
	mb_init(&m, h, KSF_CMD_SERVICE_REQUEST);
	ksfl_put_items(&m, KSF_A_REQUEST_ITEM, l);
	CHECK(m.err == -EMSGSIZE);
	free(big);
	ksf_items_free(l);
	free_handle(h);
}

int main(void)
{
	test_item_fields();
	test_wipe();
	test_field_info();
	test_item_encoding();
	test_item_limits();
	test_results();
	test_policy();
	test_names();
	test_peer_channel();
	test_peer_pair();
	test_chan_reply();
	test_msg_args();
	printf("lib: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
