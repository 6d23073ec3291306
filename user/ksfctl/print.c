// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksfctl: one printer for text and JSON, as iproute2's json_print: each
 * print_*(PRINT_ANY, key, fmt, value) call prints one field in the
 * current mode, so an object has one printer, not two.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ksfctl.h"

#define DEPTH_MAX 16

static struct {
	FILE *f;
	bool json;
	int depth;
	bool first[DEPTH_MAX + 1];
} P;

void print_init(FILE *f, bool json)
{
	memset(&P, 0, sizeof(P));
	P.f = f;
	P.json = json;
}

bool print_json(void)
{
	return P.json;
}

FILE *print_fp(void)
{
	return P.f ? P.f : stdout;
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

/* In JSON: the comma before a member and its "key": (none in an array). */
static void jkey(const char *key)
{
	FILE *f = print_fp();

	if (P.depth > 0) {
		if (!P.first[P.depth])
			fputc(',', f);
		P.first[P.depth] = false;
	}
	if (key) {
		json_str(f, key);
		fputc(':', f);
	}
}

static void jopen(const char *key, int c)
{
	if (!P.json)
		return;
	jkey(key);
	fputc(c, print_fp());
	if (P.depth < DEPTH_MAX)
		P.first[++P.depth] = true;
}

static void jclose(int c)
{
	if (!P.json)
		return;
	fputc(c, print_fp());
	if (P.depth > 0)
		P.depth--;
}

void open_json_object(const char *key)
{
	jopen(key, '{');
}

void close_json_object(void)
{
	jclose('}');
}

void open_json_array(const char *key)
{
	jopen(key, '[');
}

void close_json_array(void)
{
	jclose(']');
}

void print_text(const char *fmt, ...)
{
	va_list ap;

	if (P.json)
		return;
	va_start(ap, fmt);
	vfprintf(print_fp(), fmt, ap);
	va_end(ap);
}

/* Whether this call prints in the current mode (and its text format). */
static bool want(enum output_type t, const char *fmt)
{
	if (P.json)
		return t & PRINT_JSON;
	return (t & PRINT_FP) && fmt;
}

/* fmt's one "%s" with s, text mode */
__attribute__((format(printf, 1, 0)))
static void text_s(const char *fmt, const char *s)
{
	fprintf(print_fp(), fmt, s);
}

/* A string: JSON escaped as a string, text escaped by esc for fmt. */
static void print_escaped(enum output_type t, const char *key, const char *fmt,
			  const char *s, void (*esc)(FILE *, const char *))
{
	char *text = NULL;
	size_t size;
	FILE *m;

	if (!want(t, fmt))
		return;
	if (P.json) {
		jkey(key);
		json_str(print_fp(), s);
		return;
	}
	m = open_memstream(&text, &size);
	if (!m)
		return;
	esc(m, s);
	fclose(m);
	text_s(fmt, text);
	free(text);
}

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *s)
{
	print_escaped(t, key, fmt, s, print_id);
}

void print_quoted(enum output_type t, const char *key, const char *fmt,
		  const char *s)
{
	print_escaped(t, key, fmt, s, json_str);
}

/* One value: text is what fmt gets, json the JSON literal. */
static void print_value(enum output_type t, const char *key, const char *fmt,
			const char *text, const char *json)
{
	if (!want(t, fmt))
		return;
	if (P.json) {
		jkey(key);
		fputs(json, print_fp());
		return;
	}
	text_s(fmt, text);
}

void print_uint(enum output_type t, const char *key, const char *fmt,
		uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	print_value(t, key, fmt, buf, buf);
}

void print_int(enum output_type t, const char *key, const char *fmt,
	       int64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	print_value(t, key, fmt, buf, buf);
}

void print_bool(enum output_type t, const char *key, const char *fmt, bool v)
{
	print_value(t, key, fmt, v ? "on" : "off", v ? "true" : "false");
}

void print_handle(enum output_type t, const char *key, const char *fmt,
		  uint64_t v)
{
	char buf[32], quoted[36];

	snprintf(buf, sizeof(buf), "0x%016" PRIx64, v);
	snprintf(quoted, sizeof(quoted), "\"%s\"", buf);
	print_value(t, key, fmt, buf, quoted);
}

void print_hex(enum output_type t, const char *key, const char *fmt,
	       const void *p, size_t n)
{
	char *hex;

	if (!want(t, fmt))
		return;
	hex = hex_encode(p, n);
	if (P.json) {
		jkey(key);
		fprintf(print_fp(), "\"%s\"", hex);
	} else {
		text_s(fmt, n ? hex : "\"\"");
	}
	free(hex);
}

void print_name(enum output_type t, const char *key, const char *fmt,
		enum ksf_name_table table, uint32_t v)
{
	const char *s = ksf_name(table, v);

	if (s)
		print_string(t, key, fmt, s);
	else
		print_uint(t, key, fmt, v);
}

void print_json_raw(const char *key, const char *value)
{
	if (!P.json)
		return;
	jkey(key);
	fputs(value, print_fp());
}

void close_json_line(void)
{
	close_json_object();
	if (P.json && !P.depth)
		fputc('\n', print_fp());
}

void print_new_handle(uint64_t handle)
{
	open_json_object(NULL);
	print_handle(PRINT_ANY, "handle", "%s\n", handle);
	close_json_line();
}

void print_time(enum output_type t, const char *key, const char *name,
		uint64_t v)
{
	char buf[64];
	time_t tt = (time_t)v;
	struct tm tm;

	if (P.json) {
		print_uint(t, key, NULL, v);
		return;
	}
	if (!(t & PRINT_FP) || !v)
		return;
	if (gmtime_r(&tt, &tm) && strftime(buf, sizeof(buf),
					   "%Y-%m-%d %H:%M:%S UTC", &tm))
		fprintf(print_fp(), "  %s: %" PRIu64 " (%s)\n", name, v, buf);
	else
		fprintf(print_fp(), "  %s: %" PRIu64 "\n", name, v);
}
