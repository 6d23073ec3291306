/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ksfctl: what the per-object files share.
 *
 *  main.c      main(): options, dispatch through the command table
 *  cmds.c      the command table, usage, the shared command helpers
 *  util.c      hex, numbers, keywords, words
 *  print.c     one printer for text and JSON (print_*(PRINT_ANY, ...))
 *  item.c      the item grammar and the result printer, driven by
 *              libksf's field tables (ksf_item_field_info)
 *  info.c peer.c policy.c key.c context.c service.c state.c monitor.c
 *  msg.c       one file per object
 *  complete.c  the bash completion, generated from the same tables
 */
#ifndef KSFCTL_H
#define KSFCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "libksf.h"

#define EXIT_USAGE	2
#define EXIT_ITEMS	3	/* request ran, some item not ok */

/* ---- util.c --------------------------------------------------------------- */

/* An error message into buf (size bytes); returns -1. */
__attribute__((format(printf, 3, 4)))
int errf(char *buf, size_t size, const char *fmt, ...);

/* hex string (whitespace, ':' and a leading 0x ignored) -> bytes; -1 on error */
ssize_t hex_decode(const char *s, uint8_t *out, size_t size);
/* bytes -> malloc'd hex (never NULL on success) */
char *hex_encode(const void *p, size_t n);
/* parse a hex argument into a malloc'd buffer; "" is an empty buffer */
int hex_arg(const char *s, struct ksf_buf *b);
/* a 32-byte public key as 44 characters of base64 */
#define KEY_B64_LEN	44
void key_b64(const uint8_t key[KSF_PUBLIC_KEY_LEN], char out[KEY_B64_LEN + 1]);
int key_from_b64(const char *s, uint8_t key[KSF_PUBLIC_KEY_LEN]);
/* base64 (RFC 4648, padded): length of n bytes' text, malloc'd text */
#define b64_len(n)	(((n) + 2) / 3 * 4)
char *b64_encode(const void *p, size_t n);
/* strict base64 (padded, unused bits zero) -> bytes; -1 on error */
ssize_t b64_decode(const char *s, uint8_t *out, size_t size);

/* decimal or 0x hexadecimal only (no octal); -EINVAL otherwise */
int parse_u32(const char *s, uint32_t *v);
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

/* Split a line into words (modifies line); returns the count, -1: too many. */
int split_words(char *line, char **words, int max);

/* errno name (EBADMSG) or the number */
const char *errno_name(int err, char *buf, size_t size);

/* true for the name tables whose values are flags (masks of 1 << n) */
bool names_are_flags(enum ksf_name_table t);

/* ---- print.c: one call prints a field in the current mode ------------------ */

enum output_type {
	PRINT_FP = 1,		/* text only */
	PRINT_JSON = 2,		/* JSON only */
	PRINT_ANY = 3,		/* both: fmt for text, key for JSON */
};

/*
 * Start printing to f, as JSON or text.  The print_* calls below write
 * to it: in text mode with fmt (one conversion, of the value as the
 * call's type says), in JSON mode as "key":value (or value in an array),
 * with the commas the nesting needs.  A NULL fmt prints nothing in text.
 */
void print_init(FILE *f, bool json);
bool print_json(void);
FILE *print_fp(void);
void open_json_object(const char *key);	/* key NULL: at the top or in an array */
void close_json_object(void);
void open_json_array(const char *key);
void close_json_array(void);
/* text only: fmt and its argument as printf would; nothing in JSON */
void print_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* a string value: text escaped by print_id, JSON escaped as a string */
void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *s);
/* a string value: text quoted and escaped as a JSON string ("reason") */
void print_quoted(enum output_type t, const char *key, const char *fmt,
		  const char *s);
void print_uint(enum output_type t, const char *key, const char *fmt,
		uint64_t v);
void print_int(enum output_type t, const char *key, const char *fmt,
	       int64_t v);
void print_bool(enum output_type t, const char *key, const char *fmt, bool v);
/* a handle: text fmt gets "0x%016x" as a string, JSON the same string */
void print_handle(enum output_type t, const char *key, const char *fmt,
		  uint64_t v);
/* bytes: text fmt gets the hex (or "\"\"" when empty), JSON the hex string */
void print_hex(enum output_type t, const char *key, const char *fmt,
	       const void *p, size_t n);
/* an enum value: its name, or the number (JSON: a number) */
void print_name(enum output_type t, const char *key, const char *fmt,
		enum ksf_name_table table, uint32_t v);
/* a raw JSON value (a number of any width), JSON only */
void print_json_raw(const char *key, const char *value);
/* close the top-level object; in JSON end its line (one object a line) */
void close_json_line(void);
/* the handle of a new object: "0x%016x" in text, {"handle":"0x..."} in JSON */
void print_new_handle(uint64_t handle);
/* "  NAME: T (YYYY-MM-DD HH:MM:SS UTC)\n" in text; JSON: key:T; nothing for 0 */
void print_time(enum output_type t, const char *key, const char *name,
		uint64_t v);

/*
 * Print an ID (peer, subscriber) or another string from the kernel in
 * text output: printable ASCII as is, a backslash as "\\" and any other
 * byte as "\xHH", so that no value can forge a line of output.
 */
void print_id(FILE *f, const char *s);
/* JSON string (with quotes) */
void json_str(FILE *f, const char *s);

/* ---- item.c: the item grammar -------------------------------------------- */

/*
 * Parse one service item from words: SERVICE [KEYWORD VALUE]... and add
 * it to l.  The keywords are the item's fields as libksf names them
 * (ksf_item_field_info()): no keyword is mandatory here, the kernel
 * reports what a service misses.  On error returns -1 and writes an
 * explanation to errbuf; the list may then hold a partial item: discard
 * the list.
 */
int item_parse(struct ksf_items *l, int argc, char **argv, char *errbuf,
	       size_t errsize);
/* Print an item in the syntax item_parse() reads (text), or as a JSON object. */
void item_print(const struct ksf_item *it);

/* The outputs of one result, as ksf_result_field() gives them. */
struct result_view {
	uint32_t index;
	uint32_t status;
	int32_t error;
	const char *reason;
	const struct ksf_field *fields;
	size_t n_fields;
};
/*
 * A result on one line, without the newline, in the order of the text
 * output before libksf.so.1:
 * INDEX STATUS [ERRNO] [key H] [iv HEX] [data HEX] [mac HEX] [rand HEX]
 * [autn HEX] [res HEX] [hres HEX] [auts HEX] [sqn N] [context H] [count N]
 * [NEW-FIELD VALUE]... [reason "TEXT"]; or as one JSON object.
 */
void result_view_print(const struct result_view *v);
void result_print(const struct ksf_result *r);
/* Print every result, one a line; 0 when all are ok, else EXIT_ITEMS. */
int results_print(const struct ksf_results *res, const char *indent);

/* Every service, in order: its value, or 0 past the last one. */
uint32_t service_nth(size_t i);

/* ---- cmds.c: the command table and what the commands share ------------------ */

extern struct ksf *h;

struct cmd {
	const char *object;	/* "peer"; NULL: the end of the table */
	const char *command;	/* "add"; NULL: the object alone */
	const char *aliases;	/* "new", space-separated; NULL: none */
	int (*handler)(int argc, char **argv);	/* argv[0] is the object */
	const char *usage;	/* one line (or more), without "ksfctl " */
	bool admin;		/* needs CAP_NET_ADMIN */
	const char *keywords;	/* its keywords, space-separated (completion) */
	int dflt;		/* the object's default command: CMD_DFLT_* */
};

enum {
	CMD_DFLT_ALONE = 1,	/* when the object comes alone ("peer") */
	CMD_DFLT_ANY,		/* also before a word that is no command ("context H") */
};

extern const struct cmd commands[];

/* Find the command of argv ("peer add ..."); NULL when there is none. */
const struct cmd *cmd_find(int argc, char **argv, int *consumed);
void usage(FILE *f);
__attribute__((format(printf, 1, 2), noreturn))
void die_usage(const char *fmt, ...);
/* "ksfctl: WHAT: <extack message> (errno text)"; returns 1 */
int fail(const char *what, int err);
/* 0, or fail(what, err) */
int done(const char *what, int err);
/* Prints the handle of an object just made, or fail(what, err). */
int created(const char *what, int err, uint64_t handle);
/* The one argument of "OBJ del ARG", else die_usage("usage: USAGE"). */
const char *one_arg(int argc, char **argv, const char *usage);
/* Checks "OBJ show [ARG]" and opens the handle: true when ARG is given. */
bool show_one(int argc, const char *usage);
void open_handle(void);
/* die_usage unless argv[i] has a value after it */
void need(int argc, int i, const char *kw);
/* parse a handle or die_usage("bad WHAT handle") */
uint64_t parse_handle(const char *what, const char *s);
/* the last item argument (argv[i..]) that starts with a service, collected */
int collect_items(int argc, char **argv, int i, struct ksf_items *items);

/* ---- the objects ---------------------------------------------------------- */

int cmd_info(int argc, char **argv);
int cmd_peer_add(int argc, char **argv);
int cmd_peer_set(int argc, char **argv);
int cmd_peer_del(int argc, char **argv);
int cmd_peer_show(int argc, char **argv);
int cmd_key_add(int argc, char **argv);
int cmd_key_del(int argc, char **argv);
int cmd_key_show(int argc, char **argv);
int cmd_context_new(int argc, char **argv);
int cmd_context_del(int argc, char **argv);
int cmd_context_show(int argc, char **argv);
int cmd_service(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_notify(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_save(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_complete(int argc, char **argv);
int cmd_msg_handshake(int argc, char **argv);
int cmd_msg_negotiate(int argc, char **argv);
int cmd_msg_receive(int argc, char **argv);
int cmd_msg_peek(int argc, char **argv);

/* policy.c: the POLICY keywords of peer add/set */
struct policy_parse {
	struct ksf_policy *pol;
	bool notify_none, timer_none;	/* "notify none", "timer none" given */
	bool notify_lists, timer_lists;	/* presets, timers given */
};
/* true when argv[*i] was a policy keyword (*i: its last word); dies on errors */
bool policy_parse(struct policy_parse *pp, int argc, char **argv, int *i);
/* after the last keyword: "notify none" and presets exclude each other */
void policy_parse_end(struct policy_parse *pp);
void policy_print(const struct ksf_policy *pol);
void policy_print_as(const struct ksf_policy *pol, const char *json,
		     const char *title);
/* the policy keywords (completion) */
extern const char policy_keywords[];

/* context.c: a context ("context HANDLE" and "  name: value" lines, or JSON) */
void context_print(const struct ksf_context *c);

/* state.c: blob to path, atomically (temporary file, fsync, rename); -errno */
int write_atomic(const char *path, const void *blob, size_t size);

/* msg.c: the blobs msg receive and msg peek read */
struct blobs {
	size_t n;
	void *p[KSF_MSG_BATCH_MAX];
	size_t len[KSF_MSG_BATCH_MAX];
};
/*
 * buf holds one raw blob (it starts with "KSFC": the whole of it) or
 * text: lines "PEER TYPE BASE64" or "BASE64" (the last word is the
 * blob), blank lines and '#' comments skipped.  1..KSF_MSG_BATCH_MAX
 * blobs of at most KSF_MSG_MAX bytes.  -1 with errbuf on error (b is
 * then empty).
 */
int blobs_parse(const char *buf, size_t len, struct blobs *b, char *errbuf,
		size_t errsize);
void blobs_free(struct blobs *b);

/* A blob to carry: "PEER TYPE BASE64" (TYPE: a msg-type name, or type-N) */
void msg_print(const char *peer, uint32_t type, const void *blob, size_t len);
/*
 * The outcomes of msg receive ("outcomes"), one a line: "accepted TYPE
 * from PEER" or "refused: REASON"; 0, or EXIT_ITEMS when any was refused.
 */
int outcomes_print(const struct ksf_msg_outcome *oc, size_t n);

/* peer.c: "  session I: ROLE STATE, age A s, sent S, received R" */
void session_print(const struct ksf_session_info *si);

/* complete.c: the bash completion script */
void complete_bash(FILE *f);

#endif
