// SPDX-License-Identifier: GPL-2.0-only
/* ksfctl: parsing and formatting helpers. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ksfctl.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

ssize_t hex_decode(const char *s, uint8_t *out, size_t size)
{
	size_t n = 0;
	int hi = -1, v;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s; s++) {
		if (isspace((unsigned char)*s) || *s == ':')
			continue;
		v = hexval((unsigned char)*s);
		if (v < 0)
			return -1;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= size)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0)
		return -1;	/* odd number of digits */
	return (ssize_t)n;
}

char *hex_encode(const void *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *b = p;
	char *s = malloc(2 * n + 1);
	size_t i;

	if (!s) {
		fprintf(stderr, "ksfctl: out of memory\n");
		exit(1);
	}
	for (i = 0; i < n; i++) {
		s[2 * i] = digits[b[i] >> 4];
		s[2 * i + 1] = digits[b[i] & 15];
	}
	s[2 * n] = '\0';
	return s;
}

int hex_arg(const char *s, struct ksf_buf *b)
{
	size_t cap = strlen(s) / 2 + 1;
	uint8_t *p = malloc(cap);
	ssize_t n;

	if (!p)
		return -ENOMEM;
	/* "" written literally (batch files, preset items) is empty too */
	if (!strcmp(s, "\"\""))
		s = "";
	n = hex_decode(s, p, cap);
	if (n < 0) {
		free(p);
		return -EINVAL;
	}
	b->ptr = p;
	b->size = n;
	return 0;
}

/*
 * Numbers are decimal, or hexadecimal after 0x: a leading zero is not
 * octal ("010" is ten), and nothing else (sign, space, 0b) is taken.
 */
int parse_u64(const char *s, uint64_t *v)
{
	const char *p;
	int base = 10;
	char *end;

	if (!s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -EINVAL;
	for (p = s; *p; p++)
		if (base == 10 ? !isdigit((unsigned char)*p) :
				 !isxdigit((unsigned char)*p))
			return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, base);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

int parse_s32(const char *s, int32_t *v)
{
	uint64_t n;

	if (s && *s == '-') {
		if (parse_u64(s + 1, &n) || n > (uint64_t)INT32_MAX + 1)
			return -EINVAL;
		*v = (int32_t)-(int64_t)n;
		return 0;
	}
	if (parse_u64(s, &n) || n > INT32_MAX)
		return -EINVAL;
	*v = (int32_t)n;
	return 0;
}

int parse_u32(const char *s, uint32_t *v)
{
	uint64_t n;

	if (parse_u64(s, &n) || n > UINT32_MAX)
		return -EINVAL;
	*v = (uint32_t)n;
	return 0;
}

bool kw_repeated(struct kw_seen *seen, const char *k)
{
	int i;

	for (i = 0; i < seen->n; i++)
		if (!strcmp(seen->kw[i], k))
			return true;
	if (seen->n < (int)(sizeof(seen->kw) / sizeof(seen->kw[0])))
		seen->kw[seen->n++] = k;
	return false;
}

void print_id(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\')
			fputs("\\\\", f);
		else if (c < 0x20 || c > 0x7e)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

int parse_bool(const char *s, bool *v)
{
	if (!strcmp(s, "on") || !strcmp(s, "yes") || !strcmp(s, "1")) {
		*v = true;
		return 0;
	}
	if (!strcmp(s, "off") || !strcmp(s, "no") || !strcmp(s, "0")) {
		*v = false;
		return 0;
	}
	return -EINVAL;
}

int split_words(char *line, char **words, int max)
{
	int n = 0;
	char *p = line;

	while (*p) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			break;
		if (n >= max)
			return -1;
		words[n++] = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	return n;
}

__attribute__((format(printf, 3, 4)))
static int item_err(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return -1;
}

/* Replace a string field with a copy of v. */
static int str_arg(const char *v, const char **field)
{
	char *copy = strdup(v);

	if (!copy)
		return -ENOMEM;
	free((void *)*field);
	*field = copy;
	return 0;
}

void item_free(struct ksf_item *it)
{
	size_t i;

	free((void *)it->data.ptr);
	free((void *)it->mac.ptr);
	free((void *)it->iv.ptr);
	free((void *)it->aad.ptr);
	for (i = 0; i < it->n_params; i++)
		free((void *)it->params[i].ptr);
	free((void *)it->params);
	free((void *)it->param_keys);
	free((void *)it->peer);
	free((void *)it->rand.ptr);
	free((void *)it->autn.ptr);
	free((void *)it->auts.ptr);
	free((void *)it->amf.ptr);
	free((void *)it->snn);
	free((void *)it->subscriber);
	memset(it, 0, sizeof(*it));
}

/* Item keywords that may come several times: the KDF parameters. */
static bool item_kw_multi(const char *k)
{
	return !strcmp(k, "param") || !strcmp(k, "param-key");
}

int item_parse(int argc, char **argv, struct ksf_item *it, char *eb,
	       size_t es)
{
	struct kw_seen seen = { .n = 0 };
	int i;

	memset(it, 0, sizeof(*it));
	if (argc < 1)
		return item_err(eb, es, "missing service name");
	if (ksf_value(KSF_NAMES_SERVICE, argv[0], &it->service))
		return item_err(eb, es, "unknown service \"%s\"", argv[0]);
	for (i = 1; i < argc; i += 2) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		struct ksf_buf *b = NULL;

		if (!v) {
			item_err(eb, es, "\"%s\" needs a value", k);
			goto fail;
		}
		if (!item_kw_multi(k) && kw_repeated(&seen, k)) {
			item_err(eb, es, "keyword \"%s\" given twice", k);
			goto fail;
		}
		if (!strcmp(k, "alg")) {
			if (ksf_value(KSF_NAMES_ALG, v, &it->alg)) {
				item_err(eb, es, "unknown alg \"%s\"", v);
				goto fail;
			}
		} else if (!strcmp(k, "key")) {
			if (parse_u64(v, &it->key)) {
				item_err(eb, es, "bad key handle \"%s\"", v);
				goto fail;
			}
		} else if (!strcmp(k, "peer")) {
			if (str_arg(v, &it->peer)) {
				item_err(eb, es, "out of memory");
				goto fail;
			}
		} else if (!strcmp(k, "subscriber")) {
			if (str_arg(v, &it->subscriber)) {
				item_err(eb, es, "out of memory");
				goto fail;
			}
		} else if (!strcmp(k, "context")) {
			if (parse_u64(v, &it->context) || !it->context) {
				item_err(eb, es, "bad context handle \"%s\"", v);
				goto fail;
			}
		} else if (!strcmp(k, "seq")) {
			uint32_t x;

			if (parse_u32(v, &x) || x > 255) {
				item_err(eb, es, "bad seq \"%s\" (0..255)", v);
				goto fail;
			}
			it->seq = (uint8_t)x;
			it->has_seq = true;
		} else if (!strcmp(k, "int-alg")) {
			if (ksf_value(KSF_NAMES_ALG, v, &it->int_alg)) {
				item_err(eb, es, "unknown int-alg \"%s\"", v);
				goto fail;
			}
		} else if (!strcmp(k, "enc-alg")) {
			if (ksf_value(KSF_NAMES_ALG, v, &it->enc_alg)) {
				item_err(eb, es, "unknown enc-alg \"%s\"", v);
				goto fail;
			}
		} else if (!strcmp(k, "data")) {
			b = &it->data;
		} else if (!strcmp(k, "mac")) {
			b = &it->mac;
		} else if (!strcmp(k, "iv")) {
			b = &it->iv;
		} else if (!strcmp(k, "aad")) {
			b = &it->aad;
		} else if (!strcmp(k, "param")) {
			struct ksf_buf *p = realloc((void *)it->params,
				(it->n_params + 1) * sizeof(*p));

			if (!p) {
				item_err(eb, es, "out of memory");
				goto fail;
			}
			it->params = p;
			if (it->param_keys) {
				uint64_t *pk = realloc((void *)it->param_keys,
					(it->n_params + 1) * sizeof(*pk));

				if (!pk) {
					item_err(eb, es, "out of memory");
					goto fail;
				}
				pk[it->n_params] = 0;
				it->param_keys = pk;
			}
			if (hex_arg(v, &p[it->n_params])) {
				item_err(eb, es, "bad hex for param: \"%s\"", v);
				goto fail;
			}
			it->n_params++;
		} else if (!strcmp(k, "param-key")) {
			struct ksf_buf *p = realloc((void *)it->params,
				(it->n_params + 1) * sizeof(*p));
			uint64_t *pk;

			if (p)
				it->params = p;
			pk = p ? realloc((void *)it->param_keys,
					 (it->n_params + 1) * sizeof(*pk)) : NULL;
			if (!pk) {
				item_err(eb, es, "out of memory");
				goto fail;
			}
			if (!it->param_keys)
				memset(pk, 0, it->n_params * sizeof(*pk));
			it->param_keys = pk;
			memset(&p[it->n_params], 0, sizeof(*p));
			if (parse_u64(v, &pk[it->n_params]) || !pk[it->n_params]) {
				item_err(eb, es, "bad param-key handle \"%s\"", v);
				goto fail;
			}
			it->n_params++;
		} else if (!strcmp(k, "mac-len")) {
			/* 0 is "not given" in libksf: it would mean the default */
			if (parse_u32(v, &it->mac_len) || !it->mac_len) {
				item_err(eb, es, "bad mac-len \"%s\" (4..32; omit it for the full tag)", v);
				goto fail;
			}
		} else if (!strcmp(k, "fc")) {
			uint32_t fc;

			if (parse_u32(v, &fc) || fc > 255) {
				item_err(eb, es, "bad fc \"%s\" (0..255)", v);
				goto fail;
			}
			it->fc = (uint8_t)fc;
			it->has_fc = true;
		} else if (!strcmp(k, "out-type")) {
			if (ksf_value(KSF_NAMES_KEY_TYPE, v, &it->out_type)) {
				item_err(eb, es, "unknown key type \"%s\"", v);
				goto fail;
			}
		} else if (!strcmp(k, "out-len")) {
			if (parse_u32(v, &it->out_len) || !it->out_len) {
				item_err(eb, es, "bad out-len \"%s\" (1..32; omit it for 32)", v);
				goto fail;
			}
		} else if (!strcmp(k, "out-usage")) {
			uint64_t m;

			if (ksf_mask_parse(KSF_NAMES_KEY_USAGE, v, &m) ||
			    m > UINT32_MAX) {
				item_err(eb, es, "bad usage list \"%s\"", v);
				goto fail;
			}
			it->out_usage = (uint32_t)m;
		} else if (!strcmp(k, "key2")) {
			if (parse_u64(v, &it->key2)) {
				item_err(eb, es, "bad key2 handle \"%s\"", v);
				goto fail;
			}
		} else if (!strcmp(k, "count")) {
			if (parse_u32(v, &it->count)) {
				item_err(eb, es, "bad count \"%s\"", v);
				goto fail;
			}
			it->has_count = true;
		} else if (!strcmp(k, "bearer") || !strcmp(k, "direction")) {
			uint32_t x;

			if (parse_u32(v, &x) || x > 255) {
				item_err(eb, es, "bad %s \"%s\" (0..255)", k, v);
				goto fail;
			}
			if (k[0] == 'b') {
				it->bearer = (uint8_t)x;
				it->has_bearer = true;
			} else {
				it->direction = (uint8_t)x;
				it->has_direction = true;
			}
		} else if (!strcmp(k, "bits")) {
			if (parse_u32(v, &it->bits) || !it->bits) {
				item_err(eb, es, "bad bits \"%s\" (from 1; omit it for the whole data)", v);
				goto fail;
			}
		} else if (!strcmp(k, "rand")) {
			b = &it->rand;
		} else if (!strcmp(k, "autn")) {
			b = &it->autn;
		} else if (!strcmp(k, "auts")) {
			b = &it->auts;
		} else if (!strcmp(k, "amf")) {
			b = &it->amf;
		} else if (!strcmp(k, "snn")) {
			if (str_arg(v, &it->snn)) {
				item_err(eb, es, "out of memory");
				goto fail;
			}
		} else if (!strcmp(k, "sqn")) {
			if (parse_u64(v, &it->sqn)) {
				item_err(eb, es, "bad sqn \"%s\"", v);
				goto fail;
			}
			it->has_sqn = true;
		} else if (!strcmp(k, "out-max-age")) {
			if (parse_u32(v, &it->out_max_age)) {
				item_err(eb, es, "bad out-max-age \"%s\"", v);
				goto fail;
			}
		} else {
			item_err(eb, es, "unknown item keyword \"%s\"", k);
			goto fail;
		}
		if (b) {
			free((void *)b->ptr);
			b->ptr = NULL;
			if (hex_arg(v, b)) {
				item_err(eb, es, "bad hex for %s: \"%s\"", k, v);
				goto fail;
			}
			/* "" means an empty attribute: keep a non-NULL ptr */
			if (!b->size && !b->ptr)
				b->ptr = "";
		}
	}
	return 0;
fail:
	item_free(it);
	return -1;
}

static void print_hex(FILE *f, const char *name, const struct ksf_buf *b)
{
	char *h;

	if (!b->ptr && !b->size)
		return;
	h = hex_encode(b->ptr, b->size);
	fprintf(f, " %s %s", name, b->size ? h : "\"\"");
	free(h);
}

static void print_alg(FILE *f, const char *name, uint32_t alg)
{
	const char *s = ksf_name(KSF_NAMES_ALG, alg);

	if (!alg)
		return;
	if (s)
		fprintf(f, " %s %s", name, s);
	else
		fprintf(f, " %s %u", name, alg);
}

void item_print(FILE *f, const struct ksf_item *it)
{
	const char *s = ksf_name(KSF_NAMES_SERVICE, it->service);
	char buf[128];
	size_t i;

	if (s)
		fprintf(f, "%s", s);
	else
		fprintf(f, "%u", it->service);
	print_alg(f, "alg", it->alg);
	print_alg(f, "int-alg", it->int_alg);
	print_alg(f, "enc-alg", it->enc_alg);
	if (it->key)
		fprintf(f, " key 0x%016" PRIx64, it->key);
	if (it->context)
		fprintf(f, " context 0x%016" PRIx64, it->context);
	if (it->peer) {
		fprintf(f, " peer ");
		print_id(f, it->peer);
	}
	if (it->subscriber) {
		fprintf(f, " subscriber ");
		print_id(f, it->subscriber);
	}
	print_hex(f, "data", &it->data);
	print_hex(f, "mac", &it->mac);
	if (it->mac_len)
		fprintf(f, " mac-len %u", it->mac_len);
	print_hex(f, "iv", &it->iv);
	print_hex(f, "aad", &it->aad);
	if (it->has_fc)
		fprintf(f, " fc 0x%02x", it->fc);
	for (i = 0; i < it->n_params; i++) {
		if (it->param_keys && it->param_keys[i])
			fprintf(f, " param-key 0x%016" PRIx64, it->param_keys[i]);
		else
			print_hex(f, "param", &it->params[i]);
	}
	if (it->out_type) {
		s = ksf_name(KSF_NAMES_KEY_TYPE, it->out_type);
		if (s)
			fprintf(f, " out-type %s", s);
		else
			fprintf(f, " out-type %u", it->out_type);
	}
	if (it->out_len)
		fprintf(f, " out-len %u", it->out_len);
	if (it->out_usage) {
		ksf_mask_format(KSF_NAMES_KEY_USAGE, it->out_usage, buf,
				sizeof(buf));
		fprintf(f, " out-usage %s", buf);
	}
	if (it->out_max_age)
		fprintf(f, " out-max-age %u", it->out_max_age);
	if (it->key2)
		fprintf(f, " key2 0x%016" PRIx64, it->key2);
	if (it->has_count)
		fprintf(f, " count %u", it->count);
	if (it->has_bearer)
		fprintf(f, " bearer %u", it->bearer);
	if (it->has_direction)
		fprintf(f, " direction %u", it->direction);
	if (it->has_seq)
		fprintf(f, " seq %u", it->seq);
	if (it->bits)
		fprintf(f, " bits %u", it->bits);
	print_hex(f, "rand", &it->rand);
	print_hex(f, "autn", &it->autn);
	print_hex(f, "auts", &it->auts);
	print_hex(f, "amf", &it->amf);
	if (it->snn) {
		fprintf(f, " snn ");
		print_id(f, it->snn);
	}
	if (it->has_sqn)
		fprintf(f, " sqn 0x%" PRIx64, it->sqn);
}

void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_hex(FILE *f, const char *name, const struct ksf_buf *b)
{
	char *h;

	if (!b->ptr && !b->size)
		return;
	h = hex_encode(b->ptr, b->size);
	fprintf(f, ",\"%s\":\"%s\"", name, h);
	free(h);
}

static void json_name(FILE *f, const char *key, enum ksf_name_table t,
		      uint32_t v)
{
	const char *s = ksf_name(t, v);

	if (s)
		fprintf(f, ",\"%s\":\"%s\"", key, s);
	else
		fprintf(f, ",\"%s\":%u", key, v);
}

void item_print_json(FILE *f, const struct ksf_item *it)
{
	char buf[128];
	size_t i;

	fputc('{', f);
	fprintf(f, "\"service\":");
	if (ksf_name(KSF_NAMES_SERVICE, it->service))
		fprintf(f, "\"%s\"", ksf_name(KSF_NAMES_SERVICE, it->service));
	else
		fprintf(f, "%u", it->service);
	if (it->alg)
		json_name(f, "alg", KSF_NAMES_ALG, it->alg);
	if (it->int_alg)
		json_name(f, "int_alg", KSF_NAMES_ALG, it->int_alg);
	if (it->enc_alg)
		json_name(f, "enc_alg", KSF_NAMES_ALG, it->enc_alg);
	if (it->key)
		fprintf(f, ",\"key\":\"0x%016" PRIx64 "\"", it->key);
	if (it->context)
		fprintf(f, ",\"context\":\"0x%016" PRIx64 "\"", it->context);
	if (it->peer) {
		fprintf(f, ",\"peer\":");
		json_str(f, it->peer);
	}
	if (it->subscriber) {
		fprintf(f, ",\"subscriber\":");
		json_str(f, it->subscriber);
	}
	json_hex(f, "data", &it->data);
	json_hex(f, "mac", &it->mac);
	if (it->mac_len)
		fprintf(f, ",\"mac_len\":%u", it->mac_len);
	json_hex(f, "iv", &it->iv);
	json_hex(f, "aad", &it->aad);
	if (it->has_fc)
		fprintf(f, ",\"fc\":%u", it->fc);
	if (it->n_params) {
		fprintf(f, ",\"params\":[");
		for (i = 0; i < it->n_params; i++) {
			char *h = hex_encode(it->params[i].ptr,
					     it->params[i].size);

			if (it->param_keys && it->param_keys[i])
				fprintf(f, "%s{\"key\":\"0x%016" PRIx64 "\"}",
					i ? "," : "", it->param_keys[i]);
			else
				fprintf(f, "%s\"%s\"", i ? "," : "", h);
			free(h);
		}
		fputc(']', f);
	}
	if (it->out_type)
		json_name(f, "out_type", KSF_NAMES_KEY_TYPE, it->out_type);
	if (it->out_len)
		fprintf(f, ",\"out_len\":%u", it->out_len);
	if (it->out_usage) {
		ksf_mask_format(KSF_NAMES_KEY_USAGE, it->out_usage, buf,
				sizeof(buf));
		fprintf(f, ",\"out_usage\":\"%s\"", buf);
	}
	if (it->out_max_age)
		fprintf(f, ",\"out_max_age\":%u", it->out_max_age);
	if (it->key2)
		fprintf(f, ",\"key2\":\"0x%016" PRIx64 "\"", it->key2);
	if (it->has_count)
		fprintf(f, ",\"count\":%u", it->count);
	if (it->has_bearer)
		fprintf(f, ",\"bearer\":%u", it->bearer);
	if (it->has_direction)
		fprintf(f, ",\"direction\":%u", it->direction);
	if (it->has_seq)
		fprintf(f, ",\"seq\":%u", it->seq);
	if (it->bits)
		fprintf(f, ",\"bits\":%u", it->bits);
	json_hex(f, "rand", &it->rand);
	json_hex(f, "autn", &it->autn);
	json_hex(f, "auts", &it->auts);
	json_hex(f, "amf", &it->amf);
	if (it->snn) {
		fprintf(f, ",\"snn\":");
		json_str(f, it->snn);
	}
	if (it->has_sqn)
		fprintf(f, ",\"sqn\":\"0x%" PRIx64 "\"", it->sqn);
	fputc('}', f);
}

const char *errno_name(int err, char *buf, size_t size)
{
	const char *s;

	if (err < 0)
		err = -err;
	s = strerrorname_np(err);
	if (s)
		return s;
	snprintf(buf, size, "%d", err);
	return buf;
}

void time_print(FILE *f, const char *name, uint64_t t)
{
	char buf[64];
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t)
		return;
	if (gmtime_r(&tt, &tm) && strftime(buf, sizeof(buf),
					   "%Y-%m-%d %H:%M:%S UTC", &tm))
		fprintf(f, "  %s: %" PRIu64 " (%s)\n", name, t, buf);
	else
		fprintf(f, "  %s: %" PRIu64 "\n", name, t);
}

/* ---- results ---------------------------------------------------------------- */

void result_print_json(FILE *f, const struct ksf_result *r)
{
	char eb[16];

	fprintf(f, "{\"index\":%u", r->index);
	json_name(f, "status", KSF_NAMES_STATUS, r->status);
	if (r->error)
		fprintf(f, ",\"error\":%d,\"errno\":\"%s\"", r->error,
			errno_name(r->error, eb, sizeof(eb)));
	if (r->key)
		fprintf(f, ",\"key\":\"0x%016" PRIx64 "\"", r->key);
	json_hex(f, "iv", &r->iv);
	json_hex(f, "data", &r->data);
	json_hex(f, "mac", &r->mac);
	json_hex(f, "rand", &r->rand);
	json_hex(f, "autn", &r->autn);
	json_hex(f, "res", &r->res);
	json_hex(f, "hres", &r->hres);
	json_hex(f, "auts", &r->auts);
	if (r->has_sqn)
		fprintf(f, ",\"sqn\":\"0x%" PRIx64 "\"", r->sqn);
	if (r->context)
		fprintf(f, ",\"context\":\"0x%016" PRIx64 "\"", r->context);
	if (r->has_count)
		fprintf(f, ",\"count\":%u", r->count);
	if (r->reason) {
		fprintf(f, ",\"reason\":");
		json_str(f, r->reason);
	}
	fputc('}', f);
}

void result_print(FILE *f, const struct ksf_result *r)
{
	const char *st = ksf_name(KSF_NAMES_STATUS, r->status);
	char eb[16];

	fprintf(f, "%u ", r->index);
	if (st)
		fprintf(f, "%s", st);
	else
		fprintf(f, "status-%u", r->status);
	if (r->error)
		fprintf(f, " %s", errno_name(r->error, eb, sizeof(eb)));
	if (r->key)
		fprintf(f, " key 0x%016" PRIx64, r->key);
	print_hex(f, "iv", &r->iv);
	print_hex(f, "data", &r->data);
	print_hex(f, "mac", &r->mac);
	print_hex(f, "rand", &r->rand);
	print_hex(f, "autn", &r->autn);
	print_hex(f, "res", &r->res);
	print_hex(f, "hres", &r->hres);
	print_hex(f, "auts", &r->auts);
	if (r->has_sqn)
		fprintf(f, " sqn 0x%" PRIx64, r->sqn);
	if (r->context)
		fprintf(f, " context 0x%016" PRIx64, r->context);
	if (r->has_count)
		fprintf(f, " count %u", r->count);
	if (r->reason) {
		fprintf(f, " reason ");
		json_str(f, r->reason);
	}
}

/* ---- contexts --------------------------------------------------------------- */

static void context_alg(FILE *f, const char *name, uint32_t alg)
{
	const char *s = ksf_name(KSF_NAMES_ALG, alg);

	if (s)
		fprintf(f, "  %s: %s\n", name, s);
	else
		fprintf(f, "  %s: %u\n", name, alg);
}

void context_print(FILE *f, const struct ksf_context *c)
{
	char state[128];

	ksf_mask_format(KSF_NAMES_CONTEXT_STATE, c->state, state,
			sizeof(state));
	fprintf(f, "context 0x%016" PRIx64 "\n", c->handle);
	fprintf(f, "  peer: ");
	print_id(f, c->peer);
	fprintf(f, "\n  subscriber: ");
	print_id(f, c->subscriber);
	fputc('\n', f);
	time_print(f, "created", c->created);
	fprintf(f, "  state: %s\n", state);
	if (!(c->state & KSF_CONTEXT_STATE_NAS))
		return;
	context_alg(f, "nas-int-alg", c->nas_int_alg);
	context_alg(f, "nas-enc-alg", c->nas_enc_alg);
	fprintf(f, "  nas-int-key: 0x%016" PRIx64 "\n", c->nas_int_key);
	if (c->nas_enc_key)
		fprintf(f, "  nas-enc-key: 0x%016" PRIx64 "\n", c->nas_enc_key);
	fprintf(f, "  nas-direction: %u (%s)\n", c->nas_direction,
		c->nas_direction ? "downlink" : "uplink");
	fprintf(f, "  nas-tx-count: %u\n", c->nas_tx_count);
	fprintf(f, "  nas-rx-count: %u\n", c->nas_rx_count);
}

void context_print_json(FILE *f, const struct ksf_context *c)
{
	char state[128];

	ksf_mask_format(KSF_NAMES_CONTEXT_STATE, c->state, state,
			sizeof(state));
	fprintf(f, "{\"handle\":\"0x%016" PRIx64 "\",\"peer\":", c->handle);
	json_str(f, c->peer);
	fprintf(f, ",\"subscriber\":");
	json_str(f, c->subscriber);
	fprintf(f, ",\"created\":%" PRIu64 ",\"state\":\"%s\"", c->created,
		state);
	if (c->state & KSF_CONTEXT_STATE_NAS) {
		json_name(f, "nas_int_alg", KSF_NAMES_ALG, c->nas_int_alg);
		json_name(f, "nas_enc_alg", KSF_NAMES_ALG, c->nas_enc_alg);
		fprintf(f, ",\"nas_int_key\":\"0x%016" PRIx64 "\"",
			c->nas_int_key);
		if (c->nas_enc_key)
			fprintf(f, ",\"nas_enc_key\":\"0x%016" PRIx64 "\"",
				c->nas_enc_key);
		fprintf(f, ",\"nas_direction\":%u,\"nas_tx_count\":%u"
			",\"nas_rx_count\":%u", c->nas_direction,
			c->nas_tx_count, c->nas_rx_count);
	}
	fprintf(f, "}\n");
}
