// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests of libksf (linked against the shared library, so its
 * exports are checked too) and of ksfctl's parsers.  No kernel module is
 * needed: on a host without ksf, ksf_open() must fail cleanly.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksfctl.h"

static int n, failed;

#define CHECK(cond)							\
	do {								\
		n++;							\
		if (!(cond)) {						\
			failed++;					\
			printf("not ok %d - %s:%d: %s\n", n, __FILE__,	\
			       __LINE__, #cond);			\
		} else {						\
			printf("ok %d - %s\n", n, #cond);		\
		}							\
	} while (0)

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
	CHECK(!parse_u64("0xffffffffffffffff", &v64) && v64 == UINT64_MAX);
	CHECK(parse_u64("0x1ffffffffffffffff", &v64));
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
	      m == ((1u << (KSF_ALG_SHA256 + 1)) - 2 - (1u << KSF_ALG_NEA0)));
	CHECK(!ksf_mask_parse(KSF_NAMES_ALG, "all,nea0", &m) &&
	      m == ((1u << (KSF_ALG_SHA256 + 1)) - 2));
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
	CHECK(ksf_name(KSF_NAMES_SERVICE, KSF_SERVICE_HRES_STAR + 1) == NULL);
	CHECK(!strcmp(ksf_name(KSF_NAMES_ALG, KSF_ALG_NEA0), "nea0"));
	CHECK(!strcmp(ksf_name(KSF_NAMES_ALG, KSF_ALG_SHA256), "sha256"));
	CHECK(ksf_name(KSF_NAMES_ALG, KSF_ALG_SHA256 + 1) == NULL);
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

static void test_items(void)
{
	char line[512], *w[64], eb[128], *printed;
	struct ksf_item it, again;
	size_t size;
	FILE *f;
	int nw;

	strcpy(line, "kdf alg kdf-sha256 key 0x11 peer ue-1 fc 0x6a param 0102 "
	       "param \"\" out-type aes out-len 16 out-usage mac,verify "
	       "out-max-age 60 # comment");
	nw = split_words(line, w, 64);
	CHECK(nw == 21);
	CHECK(!item_parse(nw, w, &it, eb, sizeof(eb)));
	CHECK(it.service == KSF_SERVICE_KDF && it.alg == KSF_ALG_KDF_SHA256 && it.key == 0x11);
	CHECK(it.has_fc && it.fc == 0x6a && it.n_params == 2 && it.params[0].size == 2);
	CHECK(it.out_type == KSF_KEY_TYPE_AES && it.out_len == 16 && it.out_max_age == 60);
	CHECK(it.out_usage == (KSF_KEY_USAGE_MAC | KSF_KEY_USAGE_VERIFY));
	CHECK(it.peer && !strcmp(it.peer, "ue-1"));

	f = open_memstream(&printed, &size);
	item_print(f, &it);
	fclose(f);
	CHECK(!strcmp(printed, "kdf alg kdf-sha256 key 0x0000000000000011 peer ue-1 "
		      "fc 0x6a param 0102 param \"\" out-type aes out-len 16 "
		      "out-usage mac,verify out-max-age 60"));
	/* what item_print() writes, item_parse() reads back */
	snprintf(line, sizeof(line), "%s", printed);
	nw = split_words(line, w, 64);
	CHECK(!item_parse(nw, w, &again, eb, sizeof(eb)));
	CHECK(again.key == it.key && again.n_params == 2 && again.params[1].size == 0 &&
	      again.out_usage == it.out_usage);
	item_free(&again);
	free(printed);
	item_free(&it);

	strcpy(line, "aka-vector alg milenage key 0x1 key2 0x2 rand "
	       "000102030405060708090a0b0c0d0e0f amf 8000 snn 5G:mnc001.mcc001.3gppnetwork.org "
	       "sqn 0x21 count 0 bearer 1 direction 0 bits 64 autn 00000000000000000000000000000000 "
	       "auts 0000000000000000000000000000");
	nw = split_words(line, w, 64);
	CHECK(!item_parse(nw, w, &it, eb, sizeof(eb)));
	CHECK(it.service == KSF_SERVICE_AKA_VECTOR && it.alg == KSF_ALG_MILENAGE && it.key2 == 2);
	CHECK(it.rand.size == 16 && it.amf.size == 2 && it.autn.size == 16 && it.auts.size == 14);
	CHECK(it.has_sqn && it.sqn == 0x21 && it.has_count && it.count == 0 && it.bits == 64);
	CHECK(it.has_bearer && it.bearer == 1 && it.has_direction && it.direction == 0);
	CHECK(it.snn && !strcmp(it.snn, "5G:mnc001.mcc001.3gppnetwork.org"));
	f = open_memstream(&printed, &size);
	item_print(f, &it);
	fclose(f);
	snprintf(line, sizeof(line), "%s", printed);
	nw = split_words(line, w, 64);
	CHECK(!item_parse(nw, w, &again, eb, sizeof(eb)));
	CHECK(again.sqn == 0x21 && again.has_count && again.count == 0 &&
	      again.rand.size == 16 && !strcmp(again.snn, it.snn) && again.key2 == 2);
	item_free(&again);
	free(printed);
	item_free(&it);

	strcpy(line, "encrypt key 1 data \"\" iv 000000000000000000000000 aad 01");
	nw = split_words(line, w, 64);
	CHECK(!item_parse(nw, w, &it, eb, sizeof(eb)));
	CHECK(it.data.ptr && it.data.size == 0 && it.iv.size == 12 && it.aad.size == 1);
	item_free(&it);

	strcpy(line, "mac-generate key");
	nw = split_words(line, w, 64);
	CHECK(item_parse(nw, w, &it, eb, sizeof(eb)) && strstr(eb, "needs a value"));
	strcpy(line, "mac-generate colour red");
	nw = split_words(line, w, 64);
	CHECK(item_parse(nw, w, &it, eb, sizeof(eb)) && strstr(eb, "unknown item keyword"));
	strcpy(line, "teleport key 1");
	nw = split_words(line, w, 64);
	CHECK(item_parse(nw, w, &it, eb, sizeof(eb)) && strstr(eb, "unknown service"));
	strcpy(line, "kdf fc 256");
	nw = split_words(line, w, 64);
	CHECK(item_parse(nw, w, &it, eb, sizeof(eb)) && strstr(eb, "bad fc"));
	strcpy(line, "mac-verify mac 123");
	nw = split_words(line, w, 64);
	CHECK(item_parse(nw, w, &it, eb, sizeof(eb)) && strstr(eb, "bad hex"));
	strcpy(line, "   # only a comment");
	CHECK(split_words(line, w, 64) == 0);
	strcpy(line, "a b c");
	CHECK(split_words(line, w, 2) == -1);
}

/* item_print() of words; then item_parse() of that must give the same print */
static char *item_roundtrip(const char *words, struct ksf_item *it)
{
	char line[1024], eb[128], *w[128], *out, *again;
	struct ksf_item it2;
	size_t size;
	FILE *f;
	int nw;

	snprintf(line, sizeof(line), "%s", words);
	nw = split_words(line, w, 128);
	if (nw <= 0 || item_parse(nw, w, it, eb, sizeof(eb)))
		return NULL;
	f = open_memstream(&out, &size);
	item_print(f, it);
	fclose(f);
	snprintf(line, sizeof(line), "%s", out);
	nw = split_words(line, w, 128);
	if (item_parse(nw, w, &it2, eb, sizeof(eb))) {
		free(out);
		return NULL;
	}
	f = open_memstream(&again, &size);
	item_print(f, &it2);
	fclose(f);
	item_free(&it2);
	if (strcmp(out, again)) {
		printf("# round trip: \"%s\" != \"%s\"\n", out, again);
		free(out);
		out = NULL;
	}
	free(again);
	return out;
}

static char *item_json(const struct ksf_item *it)
{
	size_t size;
	char *out;
	FILE *f = open_memstream(&out, &size);

	item_print_json(f, it);
	fclose(f);
	return out;
}

static void test_items_contexts(void)
{
	char line[256], *w[32], eb[128], *out;
	struct ksf_item it;
	int nw;

	out = item_roundtrip("nas-context key 0x1a subscriber imsi-001010000000001 "
			     "int-alg nia2 enc-alg nea0 direction 0", &it);
	CHECK(out && !strcmp(out, "nas-context int-alg nia2 enc-alg nea0 "
			     "key 0x000000000000001a subscriber imsi-001010000000001 "
			     "direction 0"));
	CHECK(it.service == KSF_SERVICE_NAS_CONTEXT && it.key == 0x1a &&
	      it.int_alg == KSF_ALG_NIA2 && it.enc_alg == KSF_ALG_NEA0 &&
	      it.has_direction && it.direction == 0 && !it.context && !it.has_seq);
	CHECK(it.subscriber && !strcmp(it.subscriber, "imsi-001010000000001"));
	free(out);
	out = item_json(&it);
	CHECK(!strcmp(out, "{\"service\":\"nas-context\",\"int_alg\":\"nia2\","
		      "\"enc_alg\":\"nea0\",\"key\":\"0x000000000000001a\","
		      "\"subscriber\":\"imsi-001010000000001\",\"direction\":0}"));
	free(out);
	item_free(&it);

	out = item_roundtrip("nas-unprotect context 0xfeed data 0a0b mac 01020304 seq 0", &it);
	CHECK(out && !strcmp(out, "nas-unprotect context 0x000000000000feed data 0a0b "
			     "mac 01020304 seq 0"));
	CHECK(it.context == 0xfeed && it.has_seq && it.seq == 0 && it.mac.size == 4 && !it.key);
	free(out);
	out = item_json(&it);
	CHECK(!strcmp(out, "{\"service\":\"nas-unprotect\",\"context\":\"0x000000000000feed\","
		      "\"data\":\"0a0b\",\"mac\":\"01020304\",\"seq\":0}"));
	free(out);
	item_free(&it);

	out = item_roundtrip("nas-protect subscriber ue-1 data 7e00 bearer 1", &it);
	CHECK(out && !strcmp(out, "nas-protect subscriber ue-1 data 7e00 bearer 1"));
	free(out);
	item_free(&it);

	/* no key: the parser does not ask for one, the kernel decides */
	out = item_roundtrip("hres-star rand 000102030405060708090a0b0c0d0e0f "
			     "data 00112233445566778899aabbccddeeff", &it);
	CHECK(out && it.service == KSF_SERVICE_HRES_STAR && !it.key &&
	      it.rand.size == 16 && it.data.size == 16);
	free(out);
	item_free(&it);

	out = item_roundtrip("aka-vector alg milenage key 1 key2 2 subscriber imsi-1 "
			     "snn 5G:x", &it);
	CHECK(out && !strcmp(out, "aka-vector alg milenage key 0x0000000000000001 "
			     "subscriber imsi-1 key2 0x0000000000000002 snn 5G:x"));
	free(out);
	item_free(&it);

	strcpy(line, "nas-unprotect seq 256");
	nw = split_words(line, w, 32);
	CHECK(item_parse(nw, w, &it, eb, sizeof(eb)) && strstr(eb, "bad seq"));
	strcpy(line, "nas-context int-alg nia9");
	nw = split_words(line, w, 32);
	CHECK(item_parse(nw, w, &it, eb, sizeof(eb)) && strstr(eb, "unknown int-alg"));
	strcpy(line, "nas-context enc-alg x");
	nw = split_words(line, w, 32);
	CHECK(item_parse(nw, w, &it, eb, sizeof(eb)) && strstr(eb, "unknown enc-alg"));
	strcpy(line, "nas-protect context 0");
	nw = split_words(line, w, 32);
	CHECK(item_parse(nw, w, &it, eb, sizeof(eb)) && strstr(eb, "bad context handle"));
	strcpy(line, "nas-protect context -1");
	nw = split_words(line, w, 32);
	CHECK(item_parse(nw, w, &it, eb, sizeof(eb)) && strstr(eb, "bad context handle"));
	strcpy(line, "nas-protect subscriber");
	nw = split_words(line, w, 32);
	CHECK(item_parse(nw, w, &it, eb, sizeof(eb)) && strstr(eb, "needs a value"));
}

static char *result_text(const struct ksf_result *r, bool as_json)
{
	size_t size;
	char *out;
	FILE *f = open_memstream(&out, &size);

	if (as_json)
		result_print_json(f, r);
	else
		result_print(f, r);
	fclose(f);
	return out;
}

static void test_results(void)
{
	static const uint8_t ct[] = { 0xde, 0xad }, mac[] = { 1, 2, 3, 4 };
	struct ksf_result r;
	char *out;

	memset(&r, 0, sizeof(r));
	r.index = 2;
	r.status = KSF_STATUS_OK;
	r.data = (struct ksf_buf){ ct, sizeof(ct) };
	r.mac = (struct ksf_buf){ mac, sizeof(mac) };
	r.context = 0xc0ffee;
	r.has_count = true;
	r.count = 0;
	out = result_text(&r, false);
	CHECK(!strcmp(out, "2 ok data dead mac 01020304 context 0x0000000000c0ffee count 0"));
	free(out);
	out = result_text(&r, true);
	CHECK(!strcmp(out, "{\"index\":2,\"status\":\"ok\",\"data\":\"dead\","
		      "\"mac\":\"01020304\",\"context\":\"0x0000000000c0ffee\",\"count\":0}"));
	free(out);

	/* without context and count: the line is as before */
	memset(&r, 0, sizeof(r));
	r.status = KSF_STATUS_ERROR;
	r.error = -EBADMSG;
	r.reason = "NAS MAC mismatch";
	r.data = (struct ksf_buf){ "", 0 };
	out = result_text(&r, false);
	CHECK(!strcmp(out, "0 error EBADMSG data \"\" reason \"NAS MAC mismatch\""));
	free(out);
	out = result_text(&r, true);
	CHECK(!strcmp(out, "{\"index\":0,\"status\":\"error\",\"error\":-74,"
		      "\"errno\":\"EBADMSG\",\"data\":\"\",\"reason\":\"NAS MAC mismatch\"}"));
	free(out);

	memset(&r, 0, sizeof(r));
	r.status = 9;
	r.key = 5;
	r.has_sqn = true;
	r.sqn = 0x21;
	r.context = 7;
	out = result_text(&r, false);
	CHECK(!strcmp(out, "0 status-9 key 0x0000000000000005 sqn 0x21 "
		      "context 0x0000000000000007"));
	free(out);
}

static char *context_text(const struct ksf_context *c, bool as_json)
{
	size_t size;
	char *out;
	FILE *f = open_memstream(&out, &size);

	if (as_json)
		context_print_json(f, c);
	else
		context_print(f, c);
	fclose(f);
	return out;
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
		      "  nas-tx-count: 3\n"
		      "  nas-rx-count: 256\n"));
	free(out);
	c.nas_enc_alg = KSF_ALG_NEA2;
	c.nas_enc_key = 0xbb;
	c.nas_direction = 1;
	out = context_text(&c, true);
	CHECK(!strcmp(out, "{\"handle\":\"0x0000000000001234\",\"peer\":\"udm-1\","
		      "\"subscriber\":\"imsi-001010000000001\",\"created\":0,"
		      "\"state\":\"aka-ms,nas\",\"nas_int_alg\":\"nia2\","
		      "\"nas_enc_alg\":\"nea2\",\"nas_int_key\":\"0x00000000000000aa\","
		      "\"nas_enc_key\":\"0x00000000000000bb\",\"nas_direction\":1,"
		      "\"nas_tx_count\":3,\"nas_rx_count\":256}\n"));
	free(out);
	out = context_text(&c, false);
	CHECK(strstr(out, "  nas-enc-key: 0x00000000000000bb\n  nas-direction: 1 (downlink)\n"));
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
	ksf_results_free(NULL, 3);
	ksf_peer_clear(NULL);
	ksf_key_clear(NULL);
}

/* Issue 10 item 14: bad input ksfctl and libksf took silently. */
static void test_input(void)
{
	char line[256], *w[32], eb[128], *out;
	struct kw_seen seen = { .n = 0 };
	struct ksf_item it;
	uint32_t v32;
	uint64_t v64;
	int32_t s32;
	size_t size;
	FILE *f;
	int nw;

	/* decimal or 0x only: a leading zero is not octal */
	CHECK(!parse_u32("010", &v32) && v32 == 10);
	CHECK(!parse_u32("09", &v32) && v32 == 9);
	CHECK(!parse_u32("0", &v32) && v32 == 0);
	CHECK(!parse_u32("0X1f", &v32) && v32 == 31);
	CHECK(parse_u32("0b1010", &v32));
	CHECK(parse_u32("0x", &v32));
	CHECK(parse_u64("0x0x5", &v64));
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
	strcpy(line, "mac-generate key 1 data 00 key 2");
	nw = split_words(line, w, 32);
	CHECK(item_parse(nw, w, &it, eb, sizeof(eb)) == -1 &&
	      strstr(eb, "\"key\" given twice"));
	strcpy(line, "kdf key 1 fc 0x6a param 00 param-key 2 param 01");
	nw = split_words(line, w, 32);
	CHECK(!item_parse(nw, w, &it, eb, sizeof(eb)) && it.n_params == 3);
	item_free(&it);

	/* 0 is "not given" in libksf: refused where it would mean a default */
	strcpy(line, "kdf key 1 fc 0x6a out-len 0");
	nw = split_words(line, w, 32);
	CHECK(item_parse(nw, w, &it, eb, sizeof(eb)) == -1 &&
	      strstr(eb, "out-len"));
	strcpy(line, "mac-generate key 1 data 00 mac-len 0");
	nw = split_words(line, w, 32);
	CHECK(item_parse(nw, w, &it, eb, sizeof(eb)) == -1 &&
	      strstr(eb, "mac-len"));
	strcpy(line, "nas-mac key 1 data 00 bits 0");
	nw = split_words(line, w, 32);
	CHECK(item_parse(nw, w, &it, eb, sizeof(eb)) == -1 && strstr(eb, "bits"));

	/* IDs from the kernel cannot forge lines of text output */
	f = open_memstream(&out, &size);
	print_id(f, "a\nb\\c\x1b[2Jd\xff ok");
	fclose(f);
	CHECK(!strcmp(out, "a\\x0ab\\\\c\\x1b[2Jd\\xff ok"));
	free(out);
	memset(&it, 0, sizeof(it));
	it.service = KSF_SERVICE_AKA_VECTOR;
	it.subscriber = "s\npeer forged";
	f = open_memstream(&out, &size);
	item_print(f, &it);
	fclose(f);
	CHECK(!strchr(out, '\n') && strstr(out, "subscriber s\\x0apeer forged"));
	free(out);
}

int main(void)
{
	test_hex();
	test_numbers();
	test_names();
	test_names_contexts();
	test_items();
	test_items_contexts();
	test_results();
	test_contexts();
	test_json();
	test_no_kernel();
	test_input();
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
