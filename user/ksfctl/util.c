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

/* A public key as base64 (RFC 4648, padded), as wg shows its keys. */
void key_b64(const uint8_t key[KSF_PUBLIC_KEY_LEN], char out[KEY_B64_LEN + 1])
{
	uint32_t v;
	int i, o = 0;

	for (i = 0; i < KSF_PUBLIC_KEY_LEN; i += 3) {
		v = (uint32_t)key[i] << 16;
		if (i + 1 < KSF_PUBLIC_KEY_LEN)
			v |= (uint32_t)key[i + 1] << 8;
		if (i + 2 < KSF_PUBLIC_KEY_LEN)
			v |= key[i + 2];
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = i + 1 < KSF_PUBLIC_KEY_LEN ? b64[v >> 6 & 63] : '=';
		out[o++] = i + 2 < KSF_PUBLIC_KEY_LEN ? b64[v & 63] : '=';
	}
	out[o] = '\0';
}

/* 44 characters of base64 -> a 32-byte key; -1 on anything else. */
int key_from_b64(const char *s, uint8_t key[KSF_PUBLIC_KEY_LEN])
{
	uint32_t v = 0;
	int i, n = 0;
	const char *c;

	if (strlen(s) != KEY_B64_LEN || s[KEY_B64_LEN - 1] != '=')
		return -1;
	for (i = 0; i < KEY_B64_LEN - 1; i++) {
		c = strchr(b64, s[i]);
		if (!c || !*c)
			return -1;
		v = v << 6 | (uint32_t)(c - b64);
		if (i % 4 == 3) {
			key[n++] = v >> 16;
			key[n++] = v >> 8;
			key[n++] = v;
			v = 0;
		}
	}
	/* 43 characters: 10 groups of 4, then 3 with 2 bits to spare */
	if (v & 3)
		return -1;
	key[n++] = v >> 10;
	key[n++] = v >> 2;
	return n == KSF_PUBLIC_KEY_LEN ? 0 : -1;
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
