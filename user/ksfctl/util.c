// SPDX-License-Identifier: GPL-2.0-only
/* ksfctl: parsing helpers (hex, numbers, keywords, words). */
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

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Bytes as base64 (RFC 4648, padded) into out: b64_len(n) + 1 bytes. */
static void b64_put(const uint8_t *p, size_t n, char *out)
{
	size_t i, o = 0;
	uint32_t v;

	for (i = 0; i < n; i += 3) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? b64[v & 63] : '=';
	}
	out[o] = '\0';
}

char *b64_encode(const void *p, size_t n)
{
	char *s = malloc(b64_len(n) + 1);

	if (!s) {
		fprintf(stderr, "ksfctl: out of memory\n");
		exit(1);
	}
	b64_put(p, n, s);
	return s;
}

/* The value of a base64 character, -1 for any other (and for '='). */
static int b64_val(char c)
{
	const char *p = c ? strchr(b64, c) : NULL;

	return p ? (int)(p - b64) : -1;
}

/*
 * Strict: groups of 4, '=' only to pad the last one, and the bits the
 * padding leaves unused zero (one encoding per byte string).
 */
ssize_t b64_decode(const char *s, uint8_t *out, size_t size)
{
	size_t len = strlen(s), i, n = 0;
	int pad = 0, j, v;
	uint32_t w;

	if (len % 4)
		return -1;
	if (len && s[len - 1] == '=')
		pad = len > 1 && s[len - 2] == '=' ? 2 : 1;
	for (i = 0; i < len; i += 4) {
		bool last = i + 4 == len;

		for (w = 0, j = 0; j < 4; j++) {
			v = last && j >= 4 - pad ? 0 : b64_val(s[i + j]);
			if (v < 0)
				return -1;
			w = w << 6 | (uint32_t)v;
		}
		if (last && w & (pad == 2 ? 0xffff : pad ? 0xff : 0))
			return -1;
		for (j = 0; j < (last ? 3 - pad : 3); j++) {
			if (n >= size)
				return -1;
			out[n++] = (uint8_t)(w >> (16 - 8 * j));
		}
	}
	return (ssize_t)n;
}

/* A public key as base64, as wg shows its keys. */
void key_b64(const uint8_t key[KSF_PUBLIC_KEY_LEN], char out[KEY_B64_LEN + 1])
{
	b64_put(key, KSF_PUBLIC_KEY_LEN, out);
}

/* 44 characters of base64 -> a 32-byte key; -1 on anything else. */
int key_from_b64(const char *s, uint8_t key[KSF_PUBLIC_KEY_LEN])
{
	if (strlen(s) != KEY_B64_LEN ||
	    b64_decode(s, key, KSF_PUBLIC_KEY_LEN) != KSF_PUBLIC_KEY_LEN)
		return -1;
	return 0;
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

int errf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return -1;
}

int parse_s32(const char *s, int32_t *v)
{
	uint64_t n;

	if (s && *s == '-') {
		if (ksf_parse_u64(s + 1, &n) || n > (uint64_t)INT32_MAX + 1)
			return -EINVAL;
		*v = (int32_t)-(int64_t)n;
		return 0;
	}
	if (ksf_parse_u64(s, &n) || n > INT32_MAX)
		return -EINVAL;
	*v = (int32_t)n;
	return 0;
}

int parse_u32(const char *s, uint32_t *v)
{
	uint64_t n;

	if (ksf_parse_u64(s, &n) || n > UINT32_MAX)
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

bool names_are_flags(enum ksf_name_table t)
{
	return t == KSF_NAMES_KEY_USAGE || t == KSF_NAMES_CONTEXT_STATE ||
	       t == KSF_NAMES_KEY_FLAG;
}
