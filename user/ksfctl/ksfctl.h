/* SPDX-License-Identifier: GPL-2.0-only */
/* ksfctl: helpers shared by the commands (util.c) and the unit tests. */
#ifndef KSFCTL_H
#define KSFCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "libksf.h"

/* hex string (whitespace, ':' and a leading 0x ignored) -> bytes; -1 on error */
ssize_t hex_decode(const char *s, uint8_t *out, size_t size);
/* bytes -> malloc'd hex (never NULL on success) */
char *hex_encode(const void *p, size_t n);
/* parse a hex argument into a malloc'd buffer; "" is an empty buffer */
int hex_arg(const char *s, struct ksf_buf *b);

/* decimal or 0x hexadecimal only (no octal); -EINVAL otherwise */
int parse_u32(const char *s, uint32_t *v);
int parse_u64(const char *s, uint64_t *v);
int parse_s32(const char *s, int32_t *v);	/* with an optional '-' */
int parse_bool(const char *s, bool *v);	/* on|off|yes|no|1|0 */

/* Keywords given so far in one command or item (kw_repeated()). */
struct kw_seen {
	const char *kw[64];
	int n;
};
/*
 * true when keyword k (its canonical name: aliases map to one name) was
 * given before; records it otherwise.  A repeated keyword would silently
 * override the first one: commands refuse it.
 */
bool kw_repeated(struct kw_seen *seen, const char *k);

/*
 * Print an ID (peer, subscriber) or another string from the kernel in
 * text output: printable ASCII as is, a backslash as "\\" and any other
 * byte as "\xHH", so that no value can forge a line of output.
 */
void print_id(FILE *f, const char *s);

/*
 * Parse one service item from words: SERVICE [KEY VALUE]...  Buffers
 * are malloc'd (freed with item_free()).  On error returns -1 and writes
 * an explanation to errbuf.  No keyword is mandatory here: the kernel
 * reports what a service misses (e.g. hres-star takes no key).
 */
int item_parse(int argc, char **argv, struct ksf_item *it, char *errbuf,
	       size_t errsize);
void item_free(struct ksf_item *it);
/* Split a line into words (modifies line); returns the count. */
int split_words(char *line, char **words, int max);
/* Print an item in the syntax item_parse() reads. */
void item_print(FILE *f, const struct ksf_item *it);
void item_print_json(FILE *f, const struct ksf_item *it);

/*
 * A result on one line, without the newline:
 * INDEX STATUS [ERRNO] [key H] [iv HEX] [data HEX] [mac HEX] [rand HEX]
 * [autn HEX] [res HEX] [hres HEX] [auts HEX] [sqn N] [context H] [count N]
 * [reason "TEXT"]; or as one JSON object.
 */
void result_print(FILE *f, const struct ksf_result *r);
void result_print_json(FILE *f, const struct ksf_result *r);

/* A context: "context HANDLE" and "  name: value" lines, or a JSON line. */
void context_print(FILE *f, const struct ksf_context *c);
void context_print_json(FILE *f, const struct ksf_context *c);

/* "  NAME: T (YYYY-MM-DD HH:MM:SS UTC)\n"; nothing when t is 0. */
void time_print(FILE *f, const char *name, uint64_t t);

/* JSON string (with quotes) */
void json_str(FILE *f, const char *s);

/* errno name (EBADMSG) or the number */
const char *errno_name(int err, char *buf, size_t size);

#endif
