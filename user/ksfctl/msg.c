// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksfctl msg handshake|receive|peek: blobs between ksf instances
 * (Documentation/channel.rst).  ksfctl carries nothing itself: it prints
 * the blobs to carry as "PEER TYPE BASE64" lines (or writes one, raw, to
 * a file) and reads them back, either way, on the other host.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ksfctl.h"

#define INPUT_MAX	(8 << 20)	/* 64 blobs of msg-max in base64, and room */

#define HANDSHAKE_USAGE	"msg handshake PEER [out FILE]"
#define NEGOTIATE_USAGE	"msg negotiate PEER [out FILE]"
#define RECEIVE_USAGE	"msg receive FILE|- [out FILE]"
#define PEEK_USAGE	"msg peek FILE|-"

void blobs_free(struct blobs *b)
{
	while (b->n)
		free(b->p[--b->n]);
}

/* Append a copy of n bytes at p. */
static int blobs_add(struct blobs *b, const void *p, size_t n, char *eb,
		     size_t es)
{
	if (b->n == KSF_MSG_BATCH_MAX)
		return errf(eb, es, "more than %d blobs (msg-batch-max)",
			    KSF_MSG_BATCH_MAX);
	if (n > KSF_MSG_MAX)
		return errf(eb, es, "a blob of %zu bytes, longer than msg-max (%d)",
			    n, KSF_MSG_MAX);
	b->p[b->n] = malloc(n ? n : 1);
	if (!b->p[b->n])
		return errf(eb, es, "out of memory");
	memcpy(b->p[b->n], p, n);
	b->len[b->n++] = n;
	return 0;
}

/* One text line (NUL-terminated, modified): its last word is a blob. */
static int blobs_line(struct blobs *b, char *line, char *eb, size_t es)
{
	char *end = line + strlen(line), *w;
	uint8_t *bytes;
	ssize_t n;
	int ret;

	while (end > line && (end[-1] == ' ' || end[-1] == '\t' ||
			      end[-1] == '\r'))
		*--end = '\0';
	line += strspn(line, " \t");
	if (!*line || *line == '#')
		return 0;
	for (w = end; w > line && w[-1] != ' ' && w[-1] != '\t'; w--)
		;
	bytes = malloc(strlen(w) / 4 * 3 + 1);
	if (!bytes)
		return errf(eb, es, "out of memory");
	n = b64_decode(w, bytes, strlen(w) / 4 * 3);
	ret = n < 0 ? errf(eb, es, "not base64: \"%.20s%s\"", w,
			   strlen(w) > 20 ? "..." : "") :
		      blobs_add(b, bytes, n, eb, es);
	free(bytes);
	return ret;
}

static int blobs_text(const char *buf, size_t len, struct blobs *b, char *eb,
		      size_t es)
{
	size_t lineno = 0, at = 0, n;
	char *line, msg[200];
	const char *nl;

	while (at < len) {
		nl = memchr(buf + at, '\n', len - at);
		n = (nl ? (size_t)(nl - buf) : len) - at;
		line = strndup(buf + at, n);
		if (!line)
			return errf(eb, es, "out of memory");
		lineno++;
		at += n + 1;
		if (blobs_line(b, line, msg, sizeof(msg))) {
			free(line);
			return errf(eb, es, "line %zu: %s", lineno, msg);
		}
		free(line);
	}
	return 0;
}

int blobs_parse(const char *buf, size_t len, struct blobs *b, char *eb,
		size_t es)
{
	int ret;

	b->n = 0;
	if (len >= 4 && !memcmp(buf, "KSFC", 4))
		ret = blobs_add(b, buf, len, eb, es);
	else if (memchr(buf, '\0', len))
		ret = errf(eb, es, "neither a raw blob (\"KSFC...\") nor text");
	else
		ret = blobs_text(buf, len, b, eb, es);
	if (!ret && !b->n)
		ret = errf(eb, es, "no blob");
	if (ret)
		blobs_free(b);
	return ret;
}

/* The whole of FILE (or stdin for "-"), at most INPUT_MAX bytes. */
static char *read_input(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	const char *why = NULL;
	size_t cap = 0, n = 0, r;
	char *buf = NULL, *p;

	if (!f) {
		fprintf(stderr, "ksfctl: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	do {
		if (n == cap) {
			cap = cap ? 2 * cap : 65536;
			p = realloc(buf, cap);
			if (!p) {
				why = "out of memory";
				break;
			}
			buf = p;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r && n <= INPUT_MAX);
	if (!why && n > INPUT_MAX)
		why = "larger than 8 MiB";
	if (!why && ferror(f))
		why = strerror(errno);
	if (why) {
		fprintf(stderr, "ksfctl: %s: %s\n", path, why);
		free(buf);
		buf = NULL;
	}
	if (f != stdin)
		fclose(f);
	*len = n;
	return buf;
}

/* The blobs of FILE|-: 0, or 1 with the error printed. */
static int blobs_read(const char *path, struct blobs *b)
{
	char eb[256], *buf;
	size_t len;
	int err;

	buf = read_input(path, &len);
	if (!buf)
		return 1;
	err = blobs_parse(buf, len, b, eb, sizeof(eb));
	free(buf);
	if (err)
		fprintf(stderr, "ksfctl: %s: %s\n", path, eb);
	return err ? 1 : 0;
}

/* [out FILE] at argv[i]: FILE, or NULL when argv ends at i. */
static const char *out_arg(int argc, char **argv, int i, const char *usage)
{
	const char *out;

	if (i == argc)
		return NULL;
	if (i + 2 != argc || strcmp(argv[i], "out"))
		die_usage("usage: %s", usage);
	out = argv[i + 1];
	if (strcmp(out, "-"))
		return out;
	if (print_json())
		die_usage("out - writes the raw blob to stdout: not with -j");
	if (isatty(1))
		die_usage("not writing a binary blob to a terminal (use out FILE)");
	return out;
}

/* A msg-type: its name, or "type-N" (JSON: the number). */
static void type_print(enum output_type t, const char *fmt, uint32_t type)
{
	char buf[24];

	if (ksf_name(KSF_NAMES_MSG_TYPE, type)) {
		print_name(t, "type", fmt, KSF_NAMES_MSG_TYPE, type);
		return;
	}
	snprintf(buf, sizeof(buf), "type-%u", type);
	print_string((enum output_type)(t & PRINT_FP), "type", fmt, buf);
	print_uint((enum output_type)(t & PRINT_JSON), "type", NULL, type);
}

static int write_raw(const char *out, const uint8_t *blob, size_t len)
{
	if (strcmp(out, "-"))
		return write_atomic(out, blob, len);
	return fwrite(blob, 1, len, stdout) == len ? 0 : -EIO;
}

void msg_print(const char *peer, uint32_t type, const void *blob,
	       size_t len)
{
	char *s = b64_encode(blob, len);

	open_json_object(NULL);
	print_string(PRINT_ANY, "peer", "%s ", peer);
	type_print(PRINT_ANY, "%s ", type);
	print_string(PRINT_ANY, "blob", "%s\n", s);
	close_json_object();
	free(s);
}

/* Blob i of l: as a line, or raw to out (JSON: where it went). */
static int msg_emit(const struct ksf_msgs *l, size_t i, const char *out,
		    const char *what)
{
	const uint8_t *blob;
	const char *peer;
	uint32_t type;
	size_t len;
	int err;

	ksf_msgs_get(l, i, &peer, &type, &blob, &len);
	if (!out) {
		msg_print(peer, type, blob, len);
		return 0;
	}
	open_json_object(NULL);
	print_string(PRINT_JSON, "peer", NULL, peer);
	type_print(PRINT_JSON, NULL, type);
	print_string(PRINT_JSON, "file", NULL, out);
	print_uint(PRINT_JSON, "bytes", NULL, len);
	close_json_object();
	err = write_raw(out, blob, len);
	if (err)
		fprintf(stderr, "ksfctl: %s: %s: %s\n", what, out, strerror(-err));
	return err ? 1 : 0;
}

/* The blobs to carry ("msgs"); out takes exactly one. */
static int msgs_emit(const struct ksf_msgs *l, const char *out,
		     const char *what)
{
	size_t i, n = ksf_msgs_count(l);
	int ret = 0;

	if (out && n != 1) {
		fprintf(stderr, "ksfctl: %s: %zu blobs to carry, out takes one: %s\n",
			what, n, n ? "printed instead" : "nothing written");
		out = NULL;
		ret = 1;
	}
	open_json_array("msgs");
	for (i = 0; i < n; i++)
		ret |= msg_emit(l, i, out, what);
	close_json_array();
	return ret;
}

/* A command asking for blobs to one peer: handshake, negotiate. */
static int msg_to_peer(int argc, char **argv, const char *usage,
		       const char *what,
		       int (*fn)(struct ksf *, const char *, struct ksf_msgs **))
{
	struct ksf_msgs *l = NULL;
	const char *out;
	int err;

	if (argc < 3)
		die_usage("usage: %s", usage);
	out = out_arg(argc, argv, 3, usage);
	open_handle();
	err = fn(h, argv[2], &l);
	if (err)
		return fail(what, err);
	open_json_object(NULL);
	err = msgs_emit(l, out, what);
	close_json_line();
	ksf_msgs_free(l);
	return err;
}

int cmd_msg_handshake(int argc, char **argv)
{
	return msg_to_peer(argc, argv, HANDSHAKE_USAGE, "msg handshake",
			   ksf_msg_handshake);
}

int cmd_msg_negotiate(int argc, char **argv)
{
	return msg_to_peer(argc, argv, NEGOTIATE_USAGE, "msg negotiate",
			   ksf_msg_negotiate);
}

/* "accepted TYPE from PEER" or "refused: REASON"; EXIT_ITEMS if refused. */
static int outcome_print(const struct ksf_msg_outcome *o, size_t i)
{
	bool ok = o->status == KSF_MSG_STATUS_ACCEPTED;
	char eb[16];

	open_json_object(NULL);
	print_uint(PRINT_JSON, "index", NULL, i);
	print_name(PRINT_JSON, "status", NULL, KSF_NAMES_MSG_STATUS, o->status);
	if (!ok) {
		print_int(PRINT_JSON, "error", NULL, o->error);
		print_string(PRINT_JSON, "errno", NULL,
			     errno_name(o->error, eb, sizeof(eb)));
	}
	if (ok || o->type)
		type_print(ok ? PRINT_ANY : PRINT_JSON, "accepted %s", o->type);
	if (o->peer[0])
		print_string(ok ? PRINT_ANY : PRINT_JSON, "peer", " from %s",
			     o->peer);
	if (ok)
		print_text("\n");
	else
		print_string(PRINT_ANY, "reason", "refused: %s\n", o->reason);
	close_json_object();
	return ok ? 0 : EXIT_ITEMS;
}

int outcomes_print(const struct ksf_msg_outcome *oc, size_t n)
{
	int ret = 0;
	size_t i;

	open_json_array("outcomes");
	for (i = 0; i < n; i++)
		ret |= outcome_print(&oc[i], i);
	close_json_array();
	return ret;
}

/* The outcomes, then the blobs to carry back. */
static int receive_print(const struct ksf_msg_outcome *oc, size_t n,
			 const struct ksf_msgs *l, const char *out)
{
	int ret, err;

	open_json_object(NULL);
	ret = outcomes_print(oc, n);
	err = msgs_emit(l, out, "msg receive");
	close_json_line();
	return err ? err : ret;
}

int cmd_msg_receive(int argc, char **argv)
{
	struct ksf_msg_outcome oc[KSF_MSG_BATCH_MAX] = { 0 };
	struct ksf_msgs *l = NULL;
	const char *out;
	struct blobs b;
	int err;

	if (argc < 3)
		die_usage("usage: %s", RECEIVE_USAGE);
	out = out_arg(argc, argv, 3, RECEIVE_USAGE);
	if (blobs_read(argv[2], &b))
		return 1;
	open_handle();
	err = ksf_msg_receive(h, (const void *const *)b.p, b.len, b.n, oc, &l);
	/* every blob refused: still one outcome each, with its reason */
	if (!err || oc[0].status == KSF_MSG_STATUS_REFUSED)
		err = receive_print(oc, b.n, l, out);
	else
		err = fail("msg receive", err);
	ksf_msgs_free(l);
	blobs_free(&b);
	return err;
}

/* The clear header of a blob on one line; 1 when it has none. */
static int header_print(const void *blob, size_t len, size_t i)
{
	struct ksf_msg_header hd;
	char buf[24], eb[16];
	int err;

	open_json_object(NULL);
	print_uint(PRINT_JSON, "index", NULL, i);
	err = ksf_msg_peek(blob, len, &hd);
	if (err) {
		print_int(PRINT_JSON, "error", NULL, err);
		print_string(PRINT_JSON, "errno", NULL,
			     errno_name(err, eb, sizeof(eb)));
		print_string(PRINT_ANY, "reason", "invalid: %s\n",
			     ksf_last_error(NULL));
		close_json_object();
		return 1;
	}
	type_print(PRINT_ANY, "%s", hd.type);
	print_uint(PRINT_ANY, "version", " version %s", hd.version);
	print_uint(PRINT_ANY, "length", " length %s", hd.length);
	snprintf(buf, sizeof(buf), "%016" PRIx64, hd.sender);
	print_string(PRINT_ANY, "sender", " sender %s", buf);
	snprintf(buf, sizeof(buf), "%016" PRIx64, hd.receiver);
	print_string(PRINT_ANY, "receiver", " receiver %s\n", buf);
	close_json_object();
	return 0;
}

int cmd_msg_peek(int argc, char **argv)
{
	struct blobs b;
	int ret = 0;
	size_t i;

	if (argc != 3)
		die_usage("usage: %s", PEEK_USAGE);
	if (blobs_read(argv[2], &b))
		return 1;
	open_json_object(NULL);
	open_json_array("blobs");
	for (i = 0; i < b.n; i++)
		ret |= header_print(b.p[i], b.len[i], i);
	close_json_array();
	close_json_line();
	blobs_free(&b);
	return ret;
}
