// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests of libksf (linked against the shared library, so its
 * exports are checked too) and of ksfctl: its parsers, the item grammar
 * (every field of every service, from libksf's table) and its printers.  No kernel module is
 * needed: on a host without ksf, ksf_open() must fail cleanly.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksfctl.h"
#include "tap.h"

static void test_hex(void)
{
	uint8_t b[8];
	char *s;

	CHECK(hex_decode("00ff10", b, sizeof(b)) == 3 && b[1] == 0xff && b[2] == 0x10);
	CHECK(hex_decode("0xAbCd", b, sizeof(b)) == 2 && b[0] == 0xab && b[1] == 0xcd);
	CHECK(hex_decode("aa:bb cc\n", b, sizeof(b)) == 3 && b[2] == 0xcc);
	CHECK(hex_decode("", b, sizeof(b)) == 0);
	CHECK(hex_decode("abc", b, sizeof(b)) == -1);
	CHECK(hex_decode("zz", b, sizeof(b)) == -1);
	CHECK(hex_decode("000102030405060708", b, sizeof(b)) == -1);
	s = hex_encode("\x01\xab\xff", 3);
	CHECK(!strcmp(s, "01abff"));
	free(s);
}

static void test_numbers(void)
{
	uint32_t v32;
	uint64_t v64;
	bool b;

	CHECK(!parse_u32("4294967295", &v32) && v32 == 4294967295u);
	CHECK(parse_u32("4294967296", &v32));
	CHECK(parse_u32("-1", &v32));
	CHECK(parse_u32("", &v32));
	CHECK(parse_u32("12x", &v32));
	CHECK(!parse_u32("0x6a", &v32) && v32 == 0x6a);
	CHECK(!ksf_parse_u64("0xffffffffffffffff", &v64) && v64 == UINT64_MAX);
	CHECK(ksf_parse_u64("0x1ffffffffffffffff", &v64));
	CHECK(!parse_bool("on", &b) && b && !parse_bool("off", &b) && !b);
	CHECK(parse_bool("maybe", &b));
}

static void test_names(void)
{
	uint64_t m;
	uint32_t v;
	char buf[128];

	CHECK(!strcmp(ksf_name(KSF_NAMES_SERVICE, KSF_SERVICE_MAC_GENERATE), "mac-generate"));
	CHECK(!strcmp(ksf_name(KSF_NAMES_ALG, KSF_ALG_AES_GCM), "aes-gcm"));
	CHECK(!strcmp(ksf_name(KSF_NAMES_KEY_USAGE, KSF_KEY_USAGE_WRAP), "wrap"));
	CHECK(!strcmp(ksf_name(KSF_NAMES_EVENT, KSF_EVENT_PEER_CHANGE), "peer-change"));
	CHECK(!strcmp(ksf_name(KSF_NAMES_NOTIFY_STATUS, KSF_NOTIFY_STATUS_KEY_COMPROMISED),
		      "key-compromised"));
	CHECK(!strcmp(ksf_name(KSF_NAMES_KEY_SOURCE, KSF_KEY_SOURCE_DERIVE), "derive"));
	CHECK(!strcmp(ksf_name(KSF_NAMES_STATUS, KSF_STATUS_REJECTED), "rejected"));
	CHECK(!strcmp(ksf_name(KSF_NAMES_PEER_KIND, KSF_PEER_KIND_UE), "ue"));
	CHECK(!strcmp(ksf_name(KSF_NAMES_KEY_TYPE, KSF_KEY_TYPE_KEK), "kek"));
	CHECK(ksf_name(KSF_NAMES_SERVICE, 0) == NULL);
	CHECK(ksf_name(KSF_NAMES_SERVICE, 99) == NULL);
	CHECK(ksf_name(KSF_NAMES_KEY_USAGE, 3) == NULL);
	CHECK(ksf_name((enum ksf_name_table)99, 1) == NULL);
	CHECK(!ksf_value(KSF_NAMES_SERVICE, "decrypt", &v) && v == KSF_SERVICE_DECRYPT);
	CHECK(!ksf_value(KSF_NAMES_KEY_USAGE, "seal", &v) && v == KSF_KEY_USAGE_SEAL);
	CHECK(!ksf_value(KSF_NAMES_SERVICE, "7", &v) && v == 7);
	CHECK(ksf_value(KSF_NAMES_SERVICE, "fly", &v) == -EINVAL);
	CHECK(!ksf_mask_parse(KSF_NAMES_SERVICE, "mac-generate,kdf", &m) &&
	      m == ((1u << KSF_SERVICE_MAC_GENERATE) | (1u << KSF_SERVICE_KDF)));
	CHECK(!ksf_mask_parse(KSF_NAMES_KEY_USAGE, "derive,mac", &m) &&
	      m == (KSF_KEY_USAGE_DERIVE | KSF_KEY_USAGE_MAC));
	CHECK(!ksf_mask_parse(KSF_NAMES_ALG, "all", &m) &&
	      m == ((1u << (KSF_ALG_MAX + 1)) - 2 - (1u << KSF_ALG_NEA0)));
	CHECK(!ksf_mask_parse(KSF_NAMES_ALG, "all,nea0", &m) &&
	      m == ((1u << (KSF_ALG_MAX + 1)) - 2));
	CHECK(!strcmp(ksf_name(KSF_NAMES_SERVICE, KSF_SERVICE_AKA_RESYNC), "aka-resync"));
	CHECK(!strcmp(ksf_name(KSF_NAMES_ALG, KSF_ALG_NEA3), "nea3"));
	CHECK(!strcmp(ksf_name(KSF_NAMES_KEY_TYPE, KSF_KEY_TYPE_OPC), "opc"));
	CHECK(!ksf_mask_parse(KSF_NAMES_KEY_USAGE, "all", &m) && m == 0x7f);
	CHECK(!ksf_mask_parse(KSF_NAMES_SERVICE, "none", &m) && m == 0);
	CHECK(!ksf_mask_parse(KSF_NAMES_SERVICE, "0x40", &m) && m == 0x40);
	CHECK(ksf_mask_parse(KSF_NAMES_SERVICE, "kdf,nope", &m) == -EINVAL);
	ksf_mask_format(KSF_NAMES_SERVICE, 0x3e, buf, sizeof(buf));
	CHECK(!strcmp(buf, "mac-generate,mac-verify,kdf,encrypt,decrypt"));
	ksf_mask_format(KSF_NAMES_ALG, 1u << 20 | 1u << 1, buf, sizeof(buf));
	CHECK(!strcmp(buf, "hmac-sha256,0x100000"));
	ksf_mask_format(KSF_NAMES_KEY_USAGE, 0, buf, sizeof(buf));
	CHECK(!strcmp(buf, "none"));
	CHECK(ksf_mask_format(KSF_NAMES_KEY_USAGE, 0x7f, buf, 4) > 4 && strlen(buf) == 3);
}

static void test_names_contexts(void)
{
	uint64_t m;
	uint32_t v;
	char buf[128];

	CHECK(!strcmp(ksf_name(KSF_NAMES_SERVICE, KSF_SERVICE_NAS_CONTEXT), "nas-context"));
	CHECK(!strcmp(ksf_name(KSF_NAMES_SERVICE, KSF_SERVICE_NAS_PROTECT), "nas-protect"));
	CHECK(!strcmp(ksf_name(KSF_NAMES_SERVICE, KSF_SERVICE_NAS_UNPROTECT), "nas-unprotect"));
	CHECK(!strcmp(ksf_name(KSF_NAMES_SERVICE, KSF_SERVICE_HRES_STAR), "hres-star"));
	CHECK(ksf_name(KSF_NAMES_SERVICE, KSF_SERVICE_MAX + 1) == NULL);
	CHECK(!strcmp(ksf_name(KSF_NAMES_ALG, KSF_ALG_NEA0), "nea0"));
	CHECK(!strcmp(ksf_name(KSF_NAMES_ALG, KSF_ALG_SHA256), "sha256"));
	CHECK(ksf_name(KSF_NAMES_ALG, KSF_ALG_MAX + 1) == NULL);
	CHECK(!ksf_value(KSF_NAMES_ALG, "nea0", &v) && v == KSF_ALG_NEA0);
	CHECK(!ksf_value(KSF_NAMES_SERVICE, "hres-star", &v) && v == KSF_SERVICE_HRES_STAR);
	CHECK(!strcmp(ksf_name(KSF_NAMES_CONTEXT_STATE, KSF_CONTEXT_STATE_AKA_HE), "aka-he"));
	CHECK(!strcmp(ksf_name(KSF_NAMES_CONTEXT_STATE, KSF_CONTEXT_STATE_AKA_MS), "aka-ms"));
	CHECK(!strcmp(ksf_name(KSF_NAMES_CONTEXT_STATE, KSF_CONTEXT_STATE_NAS), "nas"));
	CHECK(ksf_name(KSF_NAMES_CONTEXT_STATE, 3) == NULL);
	CHECK(ksf_name(KSF_NAMES_CONTEXT_STATE, 8) == NULL);
	CHECK(!ksf_value(KSF_NAMES_CONTEXT_STATE, "nas", &v) && v == KSF_CONTEXT_STATE_NAS);
	CHECK(!ksf_mask_parse(KSF_NAMES_CONTEXT_STATE, "aka-he,nas", &m) &&
	      m == (KSF_CONTEXT_STATE_AKA_HE | KSF_CONTEXT_STATE_NAS));
	CHECK(!ksf_mask_parse(KSF_NAMES_CONTEXT_STATE, "all", &m) && m == 7);
	ksf_mask_format(KSF_NAMES_CONTEXT_STATE, KSF_CONTEXT_STATE_AKA_MS |
			KSF_CONTEXT_STATE_NAS, buf, sizeof(buf));
	CHECK(!strcmp(buf, "aka-ms,nas"));
	ksf_mask_format(KSF_NAMES_CONTEXT_STATE, 0, buf, sizeof(buf));
	CHECK(!strcmp(buf, "none"));
	ksf_mask_format(KSF_NAMES_CONTEXT_STATE, 0x11, buf, sizeof(buf));
	CHECK(!strcmp(buf, "aka-he,0x10"));
	/* the usage table keeps working as flags */
	CHECK(!ksf_value(KSF_NAMES_KEY_USAGE, "mac", &v) && v == KSF_KEY_USAGE_MAC);
}

/* ---- the item grammar ------------------------------------------------------ */

/* Output of fn(arg) in text or JSON, malloc'd. */
static char *capture(void (*fn)(const void *), const void *arg, bool json)
{
	size_t size;
	char *out;
	FILE *f = open_memstream(&out, &size);

	print_init(f, json);
	fn(arg);
	fclose(f);
	print_init(stdout, false);
	return out;
}

static void item_print_v(const void *it)
{
	item_print(it);
}

static char *item_text(const struct ksf_item *it)
{
	return capture(item_print_v, it, false);
}

static char *item_json(const struct ksf_item *it)
{
	return capture(item_print_v, it, true);
}

/* Parse a line of words as one item; NULL and the message in eb on error. */
static struct ksf_item *parse(struct ksf_items **l, const char *words,
			      char *eb, size_t es)
{
	char line[1024], *w[128];
	int nw;

	*l = ksf_items_new();
	snprintf(line, sizeof(line), "%s", words);
	nw = split_words(line, w, 128);
	if (!*l || nw < 0 || item_parse(*l, nw, w, eb, es))
		return NULL;
	return ksf_items_get(*l, 0);
}

/* true when parse fails with a message holding want */
static bool refused(const char *words, const char *want)
{
	struct ksf_items *l;
	char eb[256] = "";
	bool ok;

	ok = !parse(&l, words, eb, sizeof(eb)) && strstr(eb, want);
	if (!ok)
		printf("# \"%s\": \"%s\", wanted \"%s\"\n", words, eb, want);
	ksf_items_free(l);
	return ok;
}

static bool field(const struct ksf_item *it, const char *name,
		  struct ksf_field *f)
{
	size_t i;

	for (i = 0; !ksf_item_field(it, i, f); i++)
		if (!strcmp(f->name, name))
			return true;
	return false;
}

static uint64_t field_u(const struct ksf_item *it, const char *name)
{
	struct ksf_field f;

	return field(it, name, &f) ? f.u : UINT64_MAX;
}

static size_t field_len(const struct ksf_item *it, const char *name)
{
	struct ksf_field f;

	return field(it, name, &f) ? f.len : SIZE_MAX;
}

/*
 * print(parse(words)) and print(parse(print(parse(words)))) are the same;
 * returns the first print (malloc'd), NULL on a failure.
 */
static char *item_roundtrip(const char *words, struct ksf_items **l)
{
	struct ksf_items *l2;
	struct ksf_item *it, *it2;
	char eb[256], *out, *again;

	it = parse(l, words, eb, sizeof(eb));
	if (!it) {
		printf("# \"%s\": %s\n", words, eb);
		return NULL;
	}
	out = item_text(it);
	it2 = parse(&l2, out, eb, sizeof(eb));
	again = it2 ? item_text(it2) : NULL;
	ksf_items_free(l2);
	if (!again || strcmp(out, again)) {
		printf("# round trip: \"%s\" != \"%s\"\n", out, again ? again : eb);
		free(out);
		out = NULL;
	}
	free(again);
	return out;
}

/*
 * words read and printed back give want (NULL: words themselves); *l keeps
 * what was read.
 */
static bool read_back(const char *words, const char *want,
		      struct ksf_items **l)
{
	char *out = item_roundtrip(words, l);
	bool ok = out && !strcmp(out, want ? want : words);

	if (out && !ok)
		printf("# \"%s\" printed as \"%s\"\n", words, out);
	free(out);
	return ok;
}

/* The one item of @words, read back as @want, of @service. */
static struct ksf_item *read_item(const char *words, const char *want,
				  uint32_t service, struct ksf_items **l)
{
	struct ksf_item *it;

	CHECK(read_back(words, want, l));
	it = ksf_items_get(*l, 0);
	CHECK(it && ksf_item_service(it) == service);
	return it;
}

static bool prints_back(const char *words, const char *want)
{
	struct ksf_items *l = NULL;
	bool ok = read_back(words, want, &l);

	ksf_items_free(l);
	return ok;
}

/* it's JSON is want. */
static bool json_is(const struct ksf_item *it, const char *want)
{
	char *js = item_json(it);
	bool ok = js && !strcmp(js, want);

	if (js && !ok)
		printf("# JSON: %s\n", js);
	free(js);
	return ok;
}

static void test_items(void)
{
	struct ksf_items *l;
	struct ksf_item *it;
	char *out;

	it = read_item("kdf alg kdf-sha256 key 0x11 peer ue-1 fc 0x6a param 0102 "
		       "param \"\" out-type aes out-len 16 out-usage mac,verify "
		       "out-max-age 60 # comment",
		       "kdf alg kdf-sha256 key 0x0000000000000011 peer ue-1 "
		       "fc 0x6a param 0102 param \"\" out-type aes out-len 16 "
		       "out-usage mac,verify out-max-age 60", KSF_SERVICE_KDF, &l);
	CHECK(field_u(it, "alg") == KSF_ALG_KDF_SHA256 && field_u(it, "key") == 0x11);
	CHECK(field_u(it, "fc") == 0x6a && field_u(it, "out-type") == KSF_KEY_TYPE_AES &&
	      field_u(it, "out-len") == 16 && field_u(it, "out-max-age") == 60);
	CHECK(field_u(it, "out-usage") == (KSF_KEY_USAGE_MAC | KSF_KEY_USAGE_VERIFY));
	CHECK(json_is(it, "{\"service\":\"kdf\",\"alg\":\"kdf-sha256\","
		      "\"key\":\"0x0000000000000011\",\"peer\":\"ue-1\",\"fc\":106,"
		      "\"params\":[\"0102\",\"\"],\"out_type\":\"aes\",\"out_len\":16,"
		      "\"out_usage\":\"mac,verify\",\"out_max_age\":60}"));
	ksf_items_free(l);

	out = item_roundtrip("aka-vector alg milenage key 0x1 key2 0x2 rand "
			     "000102030405060708090a0b0c0d0e0f amf 8000 snn "
			     "5G:mnc001.mcc001.3gppnetwork.org sqn 0x21 "
			     "autn 00000000000000000000000000000000 "
			     "auts 0000000000000000000000000000", &l);
	CHECK(out != NULL);
	it = ksf_items_get(l, 0);
	CHECK(it && ksf_item_service(it) == KSF_SERVICE_AKA_VECTOR &&
	      field_u(it, "key2") == 2 && field_u(it, "sqn") == 0x21);
	CHECK(field_len(it, "rand") == 16 && field_len(it, "amf") == 2 &&
	      field_len(it, "autn") == 16 && field_len(it, "auts") == 14);
	CHECK(out && strstr(out, " snn 5G:mnc001.mcc001.3gppnetwork.org sqn 0x21"));
	free(out);
	ksf_items_free(l);

	out = item_roundtrip("encrypt key 1 data \"\" iv 000000000000000000000000 aad 01", &l);
	it = ksf_items_get(l, 0);
	CHECK(out && field_len(it, "data") == 0 && field_len(it, "iv") == 12 &&
	      field_len(it, "aad") == 1);
	CHECK(out && !strcmp(out, "encrypt key 0x0000000000000001 data \"\" "
			     "iv 000000000000000000000000 aad 01"));
	free(out);
	ksf_items_free(l);
}

/* Item lines the grammar refuses, and what the error says. */
static const struct {
	const char *words, *want;
} refusals[] = {
	/* the grammar */
	{ "mac-generate key", "needs a value" },
	{ "mac-generate colour red", "unknown item keyword" },
	{ "teleport key 1", "unknown service" },
	{ "kdf fc 256", "bad fc" },
	{ "mac-verify mac 123", "bad hex" },
	/* a keyword of another family: says whose it is */
	{ "aka-vector count 1", "a keyword of nas-mac" },
	{ "mac-generate fc 1", "unknown item keyword \"fc\" for mac-generate" },
	/* hres-star: res in, data is gone */
	{ "hres-star rand 00 data 00", "unknown item keyword \"data\"" },
	/* nas */
	{ "nas-unprotect seq 256", "bad seq" },
	{ "nas-context int-alg nia9", "unknown int-alg" },
	{ "nas-context enc-alg x", "unknown enc-alg" },
	{ "nas-protect context 0", "bad context handle" },
	{ "nas-protect context -1", "bad context handle" },
	{ "nas-protect subscriber", "needs a value" },
	/* a keyword twice */
	{ "mac-generate key 1 data 00 key 2", "\"key\" given twice" },
	/* 0 is refused where omitting the field is the default */
	{ "kdf key 1 fc 0x6a out-len 0", "out-len" },
	{ "mac-generate key 1 data 00 mac-len 0", "mac-len" },
	{ "nas-mac key 1 data 00 bits 0", "bits" },
	{ "kdf key 1 param-key 0", "bad param-key handle" },
};

static void test_refused(void)
{
	size_t i;

	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++)
		CHECK(refused(refusals[i].words, refusals[i].want));
}

static void test_split(void)
{
	char line[64], *w[4];

	strcpy(line, "   # only a comment");
	CHECK(split_words(line, w, 4) == 0);
	strcpy(line, "a b c");
	CHECK(split_words(line, w, 2) == -1);
	strcpy(line, "a \tb # c d");
	CHECK(split_words(line, w, 4) == 2 && !strcmp(w[1], "b"));
}

static void test_items_contexts(void)
{
	struct ksf_items *l;
	struct ksf_item *it;
	char *out;

	it = read_item("nas-context key 0x1a subscriber imsi-001010000000001 "
		       "int-alg nia2 enc-alg nea0 direction 0",
		       "nas-context key 0x000000000000001a "
		       "subscriber imsi-001010000000001 direction 0 "
		       "int-alg nia2 enc-alg nea0", KSF_SERVICE_NAS_CONTEXT, &l);
	CHECK(field_u(it, "int-alg") == KSF_ALG_NIA2 &&
	      field_u(it, "enc-alg") == KSF_ALG_NEA0 &&
	      field_u(it, "direction") == 0 && field_u(it, "context") == UINT64_MAX);
	CHECK(json_is(it, "{\"service\":\"nas-context\",\"key\":\"0x000000000000001a\","
		      "\"subscriber\":\"imsi-001010000000001\",\"direction\":0,"
		      "\"int_alg\":\"nia2\",\"enc_alg\":\"nea0\"}"));
	ksf_items_free(l);

	it = read_item("nas-unprotect context 0xfeed data 0a0b mac 01020304 seq 0",
		       "nas-unprotect context 0x000000000000feed data 0a0b "
		       "mac 01020304 seq 0", KSF_SERVICE_NAS_UNPROTECT, &l);
	CHECK(field_u(it, "context") == 0xfeed && field_u(it, "seq") == 0 &&
	      field_len(it, "mac") == 4 && field_u(it, "key") == UINT64_MAX);
	CHECK(json_is(it, "{\"service\":\"nas-unprotect\",\"context\":\"0x000000000000feed\","
		      "\"data\":\"0a0b\",\"mac\":\"01020304\",\"seq\":0}"));
	ksf_items_free(l);

	CHECK(prints_back("nas-context key 0x000000000000001a subscriber ue-1 "
			  "bearer 2 int-alg nia2 enc-alg nea2", NULL));

	/* hres-star: res in (was data); no key: the kernel decides */
	out = item_roundtrip("hres-star rand 000102030405060708090a0b0c0d0e0f "
			     "res 00112233445566778899aabbccddeeff", &l);
	it = ksf_items_get(l, 0);
	CHECK(out && ksf_item_service(it) == KSF_SERVICE_HRES_STAR &&
	      field_u(it, "key") == UINT64_MAX && field_len(it, "rand") == 16 &&
	      field_len(it, "res") == 16);
	free(out);
	ksf_items_free(l);

	CHECK(prints_back("aka-vector alg milenage key 1 key2 2 subscriber imsi-1 "
			  "snn 5G:x",
			  "aka-vector alg milenage key 0x0000000000000001 "
			  "key2 0x0000000000000002 subscriber imsi-1 snn 5G:x"));

}

/* A value of field f that the grammar reads (its kind and table). */
static const char *sample(const struct ksf_field *f, char *buf, size_t size)
{
	enum ksf_name_table t = f->names - 1;

	if (f->names && names_are_flags(t))
		snprintf(buf, size, "%s", ksf_name(t, 2));
	else if (f->names)
		snprintf(buf, size, "%s", ksf_name(t, 1));
	else if (f->kind == KSF_KIND_BINARY)
		snprintf(buf, size, "00112233445566778899aabbccddeeff");
	else if (f->kind == KSF_KIND_STRING)
		snprintf(buf, size, "s-%s", f->name);
	else
		snprintf(buf, size, "%u", f->kind == KSF_KIND_U64 ? 0x1234u : 7u);
	return buf;
}

/*
 * Every field of every service, from libksf's table: parsed, printed,
 * parsed again to the same print, in text; JSON carries each field.
 */
static void test_grammar_all(void)
{
	char words[4096], val[64], key[64], *out, *js;
	struct ksf_field f;
	struct ksf_items *l;
	size_t i, j, len, fields = 0, ok = 0, json_ok = 0;
	uint32_t s;

	for (i = 0; (s = service_nth(i)); i++) {
		len = snprintf(words, sizeof(words), "%s", ksf_name(KSF_NAMES_SERVICE, s));
		for (j = 0; !ksf_item_field_info(s, j, &f); j++)
			len += snprintf(words + len, sizeof(words) - len, " %s %s",
				      f.name, sample(&f, val, sizeof(val)));
		out = item_roundtrip(words, &l);
		js = out ? item_json(ksf_items_get(l, 0)) : NULL;
		for (j = 0; out && !ksf_item_field_info(s, j, &f); j++) {
			fields++;
			snprintf(key, sizeof(key), " %s ", f.name);
			ok += strstr(out, key) != NULL;
			/* multi fields: one array named after the first */
			snprintf(key, sizeof(key), "\"%s", f.name);
			if (f.multi)
				key[strcspn(key, "-")] = '\0';
			for (len = 0; key[len]; len++)
				key[len] = key[len] == '-' ? '_' : key[len];
			json_ok += strstr(js, key) != NULL;
		}
		if (!out || fields != ok)
			printf("# %s: %s\n", words, out ? out : "(refused)");
		free(out);
		free(js);
		ksf_items_free(l);
	}
	CHECK(i >= 16);
	CHECK(fields > 16 * 6 && ok == fields);
	CHECK(json_ok == fields);
}

static void result_print_v(const void *v)
{
	result_view_print(v);
}

static char *result_text(const struct result_view *v, bool as_json)
{
	return capture(result_print_v, v, as_json);
}

#define FIELD_BIN(n, p, l) { .name = n, .kind = KSF_KIND_BINARY, .ptr = p, .len = l }
#define FIELD_U(n, k, v) { .name = n, .kind = k, .u = v }

static void test_results(void)
{
	static const uint8_t ct[] = { 0xde, 0xad }, mac[] = { 1, 2, 3, 4 };
	/* in wire order: common fields, then the family's */
	const struct ksf_field f1[] = {
		FIELD_U("context", KSF_KIND_U64, 0xc0ffee),
		FIELD_BIN("data", ct, sizeof(ct)),
		FIELD_BIN("mac", mac, sizeof(mac)),
		FIELD_U("count", KSF_KIND_U32, 0),
	};
	const struct ksf_field f2[] = { FIELD_BIN("data", "", 0) };
	const struct ksf_field f3[] = {
		FIELD_U("key", KSF_KIND_U64, 5),
		FIELD_U("context", KSF_KIND_U64, 7),
		FIELD_U("sqn", KSF_KIND_U64, 0x21),
		FIELD_BIN("proof", mac, 2),
		FIELD_BIN("hres", ct, sizeof(ct)),
	};
	struct result_view v = { .index = 2, .status = KSF_STATUS_OK,
				 .fields = f1, .n_fields = 4 };
	char *out;

	out = result_text(&v, false);
	CHECK(!strcmp(out, "2 ok data dead mac 01020304 context 0x0000000000c0ffee count 0"));
	free(out);
	out = result_text(&v, true);
	CHECK(!strcmp(out, "{\"index\":2,\"status\":\"ok\",\"data\":\"dead\","
		      "\"mac\":\"01020304\",\"context\":\"0x0000000000c0ffee\",\"count\":0}"));
	free(out);

	v = (struct result_view){ .status = KSF_STATUS_ERROR, .error = -EBADMSG,
				  .reason = "NAS MAC mismatch", .fields = f2,
				  .n_fields = 1 };
	out = result_text(&v, false);
	CHECK(!strcmp(out, "0 error EBADMSG data \"\" reason \"NAS MAC mismatch\""));
	free(out);
	out = result_text(&v, true);
	CHECK(!strcmp(out, "{\"index\":0,\"status\":\"error\",\"error\":-74,"
		      "\"errno\":\"EBADMSG\",\"data\":\"\",\"reason\":\"NAS MAC mismatch\"}"));
	free(out);

	/* the old order (hres before sqn, context after), a new field last */
	v = (struct result_view){ .status = 9, .fields = f3, .n_fields = 5 };
	out = result_text(&v, false);
	CHECK(!strcmp(out, "0 status-9 key 0x0000000000000005 hres dead sqn 0x21 "
		      "context 0x0000000000000007 proof 0102"));
	free(out);
	out = result_text(&v, true);
	CHECK(!strcmp(out, "{\"index\":0,\"status\":9,\"key\":\"0x0000000000000005\","
		      "\"hres\":\"dead\",\"sqn\":\"0x21\",\"context\":\"0x0000000000000007\","
		      "\"proof\":\"0102\"}"));
	free(out);
}

static void context_print_v(const void *c)
{
	context_print(c);
}

static char *context_text(const struct ksf_context *c, bool as_json)
{
	return capture(context_print_v, c, as_json);
}

static void test_contexts(void)
{
	struct ksf_context c;
	char *out;

	memset(&c, 0, sizeof(c));
	c.handle = 0x1234;
	strcpy(c.peer, "udm-1");
	strcpy(c.subscriber, "imsi-001010000000001");
	c.created = 1700000000;
	c.state = KSF_CONTEXT_STATE_AKA_HE;
	out = context_text(&c, false);
	CHECK(!strcmp(out, "context 0x0000000000001234\n"
		      "  peer: udm-1\n"
		      "  subscriber: imsi-001010000000001\n"
		      "  created: 1700000000 (2023-11-14 22:13:20 UTC)\n"
		      "  state: aka-he\n"));
	free(out);
	out = context_text(&c, true);
	CHECK(!strcmp(out, "{\"handle\":\"0x0000000000001234\",\"peer\":\"udm-1\","
		      "\"subscriber\":\"imsi-001010000000001\",\"created\":1700000000,"
		      "\"state\":\"aka-he\"}\n"));
	free(out);

	c.state = KSF_CONTEXT_STATE_AKA_MS | KSF_CONTEXT_STATE_NAS;
	c.nas_int_alg = KSF_ALG_NIA2;
	c.nas_enc_alg = KSF_ALG_NEA0;
	c.nas_int_key = 0xaa;
	c.nas_direction = 0;
	c.nas_bearer = 1;
	c.nas_tx_count = 3;
	c.nas_rx_count = 0x100;
	c.created = 0;
	out = context_text(&c, false);
	CHECK(!strcmp(out, "context 0x0000000000001234\n"
		      "  peer: udm-1\n"
		      "  subscriber: imsi-001010000000001\n"
		      "  state: aka-ms,nas\n"
		      "  nas-int-alg: nia2\n"
		      "  nas-enc-alg: nea0\n"
		      "  nas-int-key: 0x00000000000000aa\n"
		      "  nas-direction: 0 (uplink)\n"
		      "  nas-bearer: 1 (3GPP access)\n"
		      "  nas-tx-count: 3\n"
		      "  nas-rx-count: 256\n"));
	free(out);
	c.nas_enc_alg = KSF_ALG_NEA2;
	c.nas_enc_key = 0xbb;
	c.nas_direction = 1;
	c.nas_bearer = 2;
	out = context_text(&c, true);
	CHECK(!strcmp(out, "{\"handle\":\"0x0000000000001234\",\"peer\":\"udm-1\","
		      "\"subscriber\":\"imsi-001010000000001\",\"created\":0,"
		      "\"state\":\"aka-ms,nas\",\"nas_int_alg\":\"nia2\","
		      "\"nas_enc_alg\":\"nea2\",\"nas_int_key\":\"0x00000000000000aa\","
		      "\"nas_enc_key\":\"0x00000000000000bb\",\"nas_direction\":1,"
		      "\"nas_bearer\":2,\"nas_tx_count\":3,\"nas_rx_count\":256}\n"));
	free(out);
	out = context_text(&c, false);
	CHECK(strstr(out, "  nas-enc-key: 0x00000000000000bb\n  nas-direction: 1 (downlink)\n"
		     "  nas-bearer: 2 (non-3GPP access)\n"));
	free(out);
	c.nas_bearer = 0;	/* a kernel older than the bearer sends none */
	out = context_text(&c, false);
	CHECK(!strstr(out, "nas-bearer"));
	free(out);
}

static void test_json(void)
{
	char *out;
	size_t size;
	FILE *f = open_memstream(&out, &size);

	json_str(f, "a\"b\\c\n\x01");
	fclose(f);
	CHECK(!strcmp(out, "\"a\\\"b\\\\c\\n\\u0001\""));
	free(out);
}

static void test_no_kernel(void)
{
	struct ksf_context ctx;
	struct ksf_info info;
	struct ksf *h;

	/* This host's kernel has no ksf: a clean ENOENT with a message. */
	h = ksf_open();
	if (h) {
		printf("# ksf is loaded here: skipping the no-module checks\n");
		CHECK(!ksf_get_info(h, &info));
		ksf_close(h);
		return;
	}
	CHECK(errno == ENOENT);
	CHECK(strstr(ksf_last_error(NULL), "ksf family not found") != NULL);
	CHECK(ksf_get_info(NULL, &info) == -EINVAL);
	CHECK(ksf_context_new(NULL, NULL, NULL) == -EINVAL);
	CHECK(ksf_context_del(NULL, 1) == -EINVAL);
	CHECK(ksf_context_get(NULL, 1, &ctx) == -EINVAL);
	CHECK(ksf_context_get_by_subscriber(NULL, "p", "s", &ctx) == -EINVAL);
	CHECK(ksf_context_dump(NULL, NULL, NULL) == -EINVAL &&
	      !strcmp(ksf_last_error(NULL), "no handle"));
	ksf_close(NULL);
	ksf_results_free(NULL);
	ksf_items_free(NULL);
	ksf_policy_free(NULL);
	ksf_peer_clear(NULL);
	ksf_key_clear(NULL);
}

/* Issue 10 item 14: bad input ksfctl and libksf took silently. */
static void test_input(void)
{
	struct kw_seen seen = { .n = 0 };
	struct ksf_items *l;
	struct ksf_item *it;
	uint32_t v32;
	uint64_t v64;
	int32_t s32;
	char eb[256], *out;
	size_t size, i, cnt;
	FILE *f;

	/* decimal or 0x only: a leading zero is not octal */
	CHECK(!parse_u32("010", &v32) && v32 == 10);
	CHECK(!parse_u32("09", &v32) && v32 == 9);
	CHECK(!parse_u32("0", &v32) && v32 == 0);
	CHECK(!parse_u32("0X1f", &v32) && v32 == 31);
	CHECK(parse_u32("0b1010", &v32));
	CHECK(parse_u32("0x", &v32));
	CHECK(ksf_parse_u64("0x0x5", &v64));
	CHECK(parse_u32("+5", &v32));
	CHECK(parse_u32(" 5", &v32));
	CHECK(parse_u32("0xg", &v32));
	CHECK(!parse_s32("-12", &s32) && s32 == -12);
	CHECK(!parse_s32("-2147483648", &s32) && s32 == INT32_MIN);
	CHECK(parse_s32("2147483648", &s32));
	CHECK(parse_s32("-010x", &s32));
	CHECK(!ksf_value(KSF_NAMES_SERVICE, "010", &v32) && v32 == 10);
	CHECK(ksf_value(KSF_NAMES_SERVICE, "0o7", &v32) == -EINVAL);
	CHECK(!ksf_mask_parse(KSF_NAMES_ALG, "010", &v64) && v64 == 10);

	/* a keyword given twice is refused; param may repeat */
	CHECK(!kw_repeated(&seen, "key") && !kw_repeated(&seen, "data"));
	CHECK(kw_repeated(&seen, "key"));
	it = parse(&l, "kdf key 1 fc 0x6a param 00 param-key 2 param 01", eb, sizeof(eb));
	for (i = cnt = 0; it && !ksf_item_field(it, i, &(struct ksf_field){ 0 }); i++)
		cnt++;
	CHECK(it && cnt == 5);
	out = it ? item_text(it) : NULL;
	CHECK(out && !strcmp(out, "kdf key 0x0000000000000001 fc 0x6a param 00 "
			     "param-key 0x0000000000000002 param 01"));
	free(out);
	out = it ? item_json(it) : NULL;
	CHECK(out && strstr(out, "\"params\":[\"00\",{\"key\":\"0x0000000000000002\"},\"01\"]"));
	free(out);
	ksf_items_free(l);

	/* IDs from the kernel cannot forge lines of text output */
	f = open_memstream(&out, &size);
	print_id(f, "a\nb\\c\x1b[2Jd\xff ok");
	fclose(f);
	CHECK(!strcmp(out, "a\\x0ab\\\\c\\x1b[2Jd\\xff ok"));
	free(out);
	l = ksf_items_new();
	it = ksf_items_add(l, KSF_SERVICE_AKA_VECTOR);
	CHECK(it && !ksf_item_set_str(it, "subscriber", "s\npeer forged"));
	out = item_text(it);
	CHECK(!strchr(out, '\n') && strstr(out, "subscriber s\\x0apeer forged"));
	free(out);
	ksf_items_free(l);
}

/* The printer: text and JSON from one call per field. */
static void print_some(const void *arg)
{
	(void)arg;
	open_json_object(NULL);
	print_string(PRINT_ANY, "id", "peer %s\n", "a\"b");
	print_uint(PRINT_ANY, "n", "  n: %s\n", 3);
	print_bool(PRINT_ANY, "on", "  on: %s\n", true);
	print_handle(PRINT_ANY, "h", "  h: %s\n", 0x10);
	print_text("  text only\n");
	print_uint(PRINT_JSON, "json_only", NULL, 1);
	open_json_array("l");
	print_hex(PRINT_ANY, NULL, "  l: %s\n", "\x01\x02", 2);
	print_hex(PRINT_ANY, NULL, "  l: %s\n", "", 0);
	close_json_array();
	print_json_raw("big", "340282366920938463463374607431768211456");
	close_json_object();
}

static void test_printer(void)
{
	char *out = capture(print_some, NULL, false);

	CHECK(!strcmp(out, "peer a\"b\n  n: 3\n  on: on\n  h: 0x0000000000000010\n"
		      "  text only\n  l: 0102\n  l: \"\"\n"));
	free(out);
	out = capture(print_some, NULL, true);
	CHECK(!strcmp(out, "{\"id\":\"a\\\"b\",\"n\":3,\"on\":true,"
		      "\"h\":\"0x0000000000000010\",\"json_only\":1,"
		      "\"l\":[\"0102\",\"\"],"
		      "\"big\":340282366920938463463374607431768211456}"));
	free(out);
}

static void policy_print_v(const void *p)
{
	policy_print(p);
}

/* POLICY keywords into a policy and back out, text and JSON. */
static void test_policy(void)
{
	char *argv[] = { "services", "mac-generate,kdf", "algs", "hmac-sha256",
			 "key-len", "16-32", "caller-rand", "off", "mac-fcs",
			 "0x20,0x6d", "notify", "registered",
			 "kdf key 1 fc 0x6a param 0102", "timer", "1000",
			 "hres-star rand 00 res 01" };
	struct policy_parse pp = { .pol = ksf_policy_new() };
	int i, argc = sizeof(argv) / sizeof(argv[0]);
	bool all = true;
	char *out;

	for (i = 0; i < argc; i++)
		all &= policy_parse(&pp, argc, argv, &i);
	CHECK(all && i == argc);
	policy_parse_end(&pp);
	out = capture(policy_print_v, pp.pol, false);
	CHECK(!strcmp(out, "  policy:\n    services: mac-generate,kdf\n"
		      "    algs: hmac-sha256\n    key-len: 16-32\n"
		      "    caller-rand: off\n    mac-fcs: 0x20,0x6d\n"
		      "    notify registered:\n"
		      "      kdf key 0x0000000000000001 fc 0x6a param 0102\n"
		      "    timer 1000 ms:\n      hres-star rand 00 res 01\n"));
	free(out);
	out = capture(policy_print_v, pp.pol, true);
	CHECK(strstr(out, "\"services\":\"mac-generate,kdf\",\"services_mask\":10,"));
	CHECK(strstr(out, "\"algs\":\"hmac-sha256\",\"algs_mask\":2,"));
	CHECK(strstr(out, "\"notify\":[{\"status\":\"registered\",\"items\":[{\"service\":\"kdf\""));
	CHECK(strstr(out, "\"timers\":[{\"period\":1000,\"items\":[{\"service\":\"hres-star\""));
	free(out);
	ksf_policy_free(pp.pol);
}

/* Public keys: base64 both ways (RFC 4648 vectors' alphabet), peers' keys. */
static void test_public_key(void)
{
	uint8_t k[KSF_PUBLIC_KEY_LEN], back[KSF_PUBLIC_KEY_LEN];
	char b[KEY_B64_LEN + 1];
	struct ksf_peer p;
	size_t i;

	for (i = 0; i < sizeof(k); i++)
		k[i] = (uint8_t)(i * 37 + 251);
	key_b64(k, b);
	CHECK(strlen(b) == KEY_B64_LEN && b[KEY_B64_LEN - 1] == '=');
	CHECK(!key_from_b64(b, back) && !memcmp(k, back, sizeof(k)));
	memset(k, 0xff, sizeof(k));
	key_b64(k, b);
	CHECK(!strcmp(b, "//////////////////////////////////////////8="));
	memset(k, 0, sizeof(k));
	key_b64(k, b);
	CHECK(!strcmp(b, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
	CHECK(key_from_b64("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=", back));
	CHECK(key_from_b64("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", back));
	CHECK(key_from_b64("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", back));
	CHECK(key_from_b64("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA*A=", back));
	CHECK(key_from_b64("", back));

	memset(&p, 0, sizeof(p));
	CHECK(ksf_peer_public_key(&p, back) == -ENOENT);
	CHECK(ksf_peer_set_public_key(&p, NULL) == -EINVAL);
	CHECK(ksf_peer_set_public_key(&p, k) == 0);
	memset(back, 1, sizeof(back));
	CHECK(!ksf_peer_public_key(&p, back) && !memcmp(back, k, sizeof(k)));
	ksf_peer_clear(&p);
	CHECK(ksf_peer_public_key(&p, back) == -ENOENT);
	CHECK(ksf_peer_public_key(NULL, back) == -ENOENT);
}

/* A blob's clear header: "KSFC", version 1, type, length, two key ids. */
static void blob_header(uint8_t *b, size_t len, uint8_t type)
{
	int i;

	memset(b, 0, len);
	memcpy(b, "KSFC", 4);
	b[4] = 1;
	b[5] = type;
	for (i = 0; i < 4; i++)
		b[8 + i] = (uint8_t)(len >> (24 - 8 * i));
	for (i = 0; i < 8; i++) {
		b[12 + i] = (uint8_t)(0x11 * (i + 1));	/* 1122334455667788 */
		b[20 + i] = (uint8_t)(0xa0 + i);		/* a0a1a2a3a4a5a6a7 */
	}
}

static void test_msg_peek(void)
{
	struct ksf_msg_header hd;
	uint8_t b[200];

	blob_header(b, 156, KSF_MSG_TYPE_HANDSHAKE_INIT);
	memset(&hd, 0xff, sizeof(hd));
	CHECK(ksf_msg_peek(b, 156, &hd) == 0);
	CHECK(hd.version == 1 && hd.type == KSF_MSG_TYPE_HANDSHAKE_INIT &&
	      hd.length == 156);
	CHECK(hd.sender == 0x1122334455667788ull &&
	      hd.receiver == 0xa0a1a2a3a4a5a6a7ull);
	CHECK(ksf_msg_peek(b, 156, NULL) == 0);
	blob_header(b, 28, 99);		/* a header alone, a type unknown here */
	CHECK(ksf_msg_peek(b, 28, &hd) == 0 && hd.type == 99);
	/* short, bad magic, length mismatch both ways */
	CHECK(ksf_msg_peek(b, 27, &hd) == -EBADMSG);
	CHECK(ksf_msg_peek(b, 0, &hd) == -EBADMSG);
	CHECK(ksf_msg_peek(NULL, 0, &hd) == -EBADMSG);
	CHECK(ksf_msg_peek(NULL, 4, &hd) == -EINVAL);
	blob_header(b, 56, KSF_MSG_TYPE_CONFIRM);
	b[3] = 'D';
	CHECK(ksf_msg_peek(b, 56, &hd) == -EBADMSG &&
	      strstr(ksf_last_error(NULL), "not a ksf channel blob"));
	blob_header(b, 56, KSF_MSG_TYPE_CONFIRM);
	CHECK(ksf_msg_peek(b, 55, &hd) == -EBADMSG &&
	      !strcmp(ksf_last_error(NULL), "truncated: header says 56 bytes, 55 given"));
	CHECK(ksf_msg_peek(b, 57, &hd) == -EBADMSG &&
	      !strcmp(ksf_last_error(NULL), "header says 56 bytes, 57 given"));
	/* version, reserved: EPROTO */
	b[4] = 2;
	CHECK(ksf_msg_peek(b, 56, &hd) == -EPROTO &&
	      strstr(ksf_last_error(NULL), "version 2"));
	b[4] = 1;
	b[7] = 1;
	CHECK(ksf_msg_peek(b, 56, &hd) == -EPROTO);
	b[7] = 0;
	CHECK(ksf_msg_peek(b, 56, &hd) == 0 && !ksf_last_error(NULL)[0]);
	CHECK(ksf_msg_peek(b, KSF_MSG_MAX + 1, &hd) == -EMSGSIZE);
}

static void test_b64(void)
{
	uint8_t out[8];
	char *s;

	s = b64_encode("", 0);
	CHECK(!strcmp(s, ""));
	free(s);
	s = b64_encode("f", 1);
	CHECK(!strcmp(s, "Zg=="));
	free(s);
	s = b64_encode("foobar", 6);
	CHECK(!strcmp(s, "Zm9vYmFy"));
	free(s);
	CHECK(b64_decode("Zm9vYg==", out, sizeof(out)) == 4 &&
	      !memcmp(out, "foob", 4));
	CHECK(b64_decode("Zm9vYmE=", out, sizeof(out)) == 5);
	CHECK(b64_decode("", out, sizeof(out)) == 0);
	CHECK(b64_decode("Zm9vYmFy", out, 5) == -1);	/* does not fit */
	CHECK(b64_decode("Zm9", out, sizeof(out)) == -1);
	CHECK(b64_decode("Zh==", out, sizeof(out)) == -1);	/* unused bits */
	CHECK(b64_decode("Zg=a", out, sizeof(out)) == -1);
	CHECK(b64_decode("Z===", out, sizeof(out)) == -1);
	CHECK(b64_decode("Zg==Zg==", out, sizeof(out)) == -1);
	CHECK(b64_decode("Zm-v", out, sizeof(out)) == -1);
}

/* Parse text with blobs_parse; its error into eb. */
static int parse_blobs(const char *text, struct blobs *b, char *eb, size_t es)
{
	return blobs_parse(text, strlen(text), b, eb, es);
}

static void test_blob_lines(void)
{
	uint8_t raw[156], *big;
	struct blobs b = { 0 };
	char eb[256], *s, *text;
	size_t i, size;
	FILE *f;

	/* raw: the whole input is one blob, whatever bytes it holds */
	blob_header(raw, sizeof(raw), KSF_MSG_TYPE_HANDSHAKE_INIT);
	raw[100] = '\n';
	CHECK(!blobs_parse((char *)raw, sizeof(raw), &b, eb, sizeof(eb)) &&
	      b.n == 1 && b.len[0] == sizeof(raw) &&
	      !memcmp(b.p[0], raw, sizeof(raw)));
	blobs_free(&b);
	CHECK(b.n == 0);

	/* lines: PEER TYPE BASE64 or BASE64; comments and blank lines */
	s = b64_encode(raw, sizeof(raw));
	f = open_memstream(&text, &size);
	fprintf(f, "# from a-host\n\nb-host handshake-init %s\n"
		"   %s  \r\n\t# indented comment\nZm9v\nx y z Zg==", s, s);
	fclose(f);
	CHECK(!parse_blobs(text, &b, eb, sizeof(eb)) && b.n == 4);
	CHECK(b.len[0] == sizeof(raw) && !memcmp(b.p[0], raw, sizeof(raw)));
	CHECK(b.len[1] == sizeof(raw) && !memcmp(b.p[1], raw, sizeof(raw)));
	CHECK(b.len[2] == 3 && !memcmp(b.p[2], "foo", 3));
	CHECK(b.len[3] == 1 && !memcmp(b.p[3], "f", 1));
	blobs_free(&b);
	free(text);
	free(s);

	/* refusals name the line; nothing is kept */
	CHECK(parse_blobs("Zm9v\nb-host confirm Zm9v!\n", &b, eb, sizeof(eb)) &&
	      b.n == 0 && !strcmp(eb, "line 2: not base64: \"Zm9v!\""));
	CHECK(parse_blobs("", &b, eb, sizeof(eb)) && !strcmp(eb, "no blob"));
	CHECK(parse_blobs("# nothing\n\n", &b, eb, sizeof(eb)) &&
	      !strcmp(eb, "no blob"));
	CHECK(blobs_parse("Zm9v\0", 5, &b, eb, sizeof(eb)) &&
	      strstr(eb, "neither a raw blob"));
	f = open_memstream(&text, &size);
	for (i = 0; i <= KSF_MSG_BATCH_MAX; i++)
		fprintf(f, "Zm9v\n");
	fclose(f);
	CHECK(parse_blobs(text, &b, eb, sizeof(eb)) && b.n == 0 &&
	      !strcmp(eb, "line 65: more than 64 blobs (msg-batch-max)"));
	text[5 * KSF_MSG_BATCH_MAX] = '\0';
	CHECK(!parse_blobs(text, &b, eb, sizeof(eb)) && b.n == KSF_MSG_BATCH_MAX);
	blobs_free(&b);
	free(text);
	big = calloc(1, KSF_MSG_MAX + 1);
	s = b64_encode(big, KSF_MSG_MAX + 1);
	CHECK(parse_blobs(s, &b, eb, sizeof(eb)) &&
	      !strcmp(eb, "line 1: a blob of 32769 bytes, longer than msg-max (32768)"));
	free(s);
	blob_header(big, KSF_MSG_MAX + 1, 1);
	CHECK(blobs_parse((char *)big, KSF_MSG_MAX + 1, &b, eb, sizeof(eb)) &&
	      strstr(eb, "longer than msg-max"));
	free(big);
}

static void session_print_v(const void *si)
{
	session_print(si);
}

static void outcomes_print_v(const void *oc)
{
	open_json_object(NULL);
	CHECK(outcomes_print(oc, 2) == EXIT_ITEMS);
	close_json_object();
}

static void msg_print_v(const void *arg)
{
	(void)arg;
	msg_print("b-host", KSF_MSG_TYPE_HANDSHAKE_RESPONSE, "foo", 3);
	msg_print("c\nd", 9, "f", 1);
}

/* What ksfctl prints of sessions, outcomes and blobs to carry. */
static void test_msg_print(void)
{
	struct ksf_session_info si = {
		.index = 3735928559u, .role = KSF_SESSION_ROLE_INITIATOR,
		.state = KSF_SESSION_STATE_CURRENT, .age = 3, .sent = 1,
	};
	struct ksf_msg_outcome oc[2] = {
		{ .status = KSF_MSG_STATUS_ACCEPTED,
		  .type = KSF_MSG_TYPE_HANDSHAKE_INIT, .peer = "b" },
		{ .status = KSF_MSG_STATUS_REFUSED, .error = -ENOKEY,
		  .reason = "unknown sender (key id 1122334455667788)" },
	};
	char *out;

	out = capture(session_print_v, &si, false);
	CHECK(!strcmp(out, "  session 3735928559: initiator current, age 3 s, "
		      "sent 1, received 0\n"));
	free(out);
	out = capture(session_print_v, &si, true);
	CHECK(!strcmp(out, "{\"index\":3735928559,\"role\":\"initiator\","
		      "\"state\":\"current\",\"age\":3,\"sent\":1,\"received\":0}"));
	free(out);
	out = capture(outcomes_print_v, oc, false);
	CHECK(!strcmp(out, "accepted handshake-init from b\n"
		      "refused: unknown sender (key id 1122334455667788)\n"));
	free(out);
	out = capture(outcomes_print_v, oc, true);
	CHECK(!strcmp(out, "{\"outcomes\":[{\"index\":0,\"status\":\"accepted\","
		      "\"type\":\"handshake-init\",\"peer\":\"b\"},"
		      "{\"index\":1,\"status\":\"refused\",\"error\":-126,"
		      "\"errno\":\"ENOKEY\",\"reason\":\"unknown sender "
		      "(key id 1122334455667788)\"}]}"));
	free(out);
	out = capture(msg_print_v, NULL, false);
	CHECK(!strcmp(out, "b-host handshake-response Zm9v\nc\\x0ad type-9 Zg==\n"));
	free(out);
	out = capture(msg_print_v, NULL, true);
	CHECK(!strcmp(out, "{\"peer\":\"b-host\",\"type\":\"handshake-response\","
		      "\"blob\":\"Zm9v\"}{\"peer\":\"c\\nd\",\"type\":9,"
		      "\"blob\":\"Zg==\"}"));
	free(out);
	CHECK(!strcmp(ksf_name(KSF_NAMES_MSG_STATUS, KSF_MSG_STATUS_REFUSED),
		      "refused"));
	CHECK(!strcmp(ksf_name(KSF_NAMES_SESSION_STATE,
			       KSF_SESSION_STATE_UNCONFIRMED), "unconfirmed"));
	CHECK(!strcmp(ksf_name(KSF_NAMES_SESSION_ROLE, KSF_SESSION_ROLE_RESPONDER),
		      "responder"));
	CHECK(!strcmp(ksf_name(KSF_NAMES_EVENT, KSF_EVENT_SESSION_UP),
		      "session-up"));
}

int main(void)
{
	test_hex();
	test_numbers();
	test_names();
	test_names_contexts();
	test_items();
	test_refused();
	test_split();
	test_items_contexts();
	test_grammar_all();
	test_results();
	test_contexts();
	test_json();
	test_no_kernel();
	test_input();
	test_printer();
	test_policy();
	test_public_key();
	test_msg_peek();
	test_b64();
	test_blob_lines();
	test_msg_print();
	return tap_done();
}
