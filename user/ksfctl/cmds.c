// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksfctl: the command table (object, command, handler, usage, whether it
 * needs CAP_NET_ADMIN, its keywords) and what the commands share.  The
 * usage text and the bash completion are made from this table.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ksfctl.h"

struct ksf *h;

#define KEY_ADD_KW "type len usage owner peer not-after max-age keyring desc " \
		   "material-file material-hex"

#define CMD(o, c, al, fn, u, adm, kw, ...) \
	{ .object = o, .command = c, .aliases = al, .handler = fn, .usage = u, \
	  .admin = adm, .keywords = kw, __VA_ARGS__ }

const struct cmd commands[] = {
	CMD("info", NULL, NULL, cmd_info, "info", false, ""),
	CMD("peer", "add", "new", cmd_peer_add,
	    "peer add ID kind nf|ksf|ue [uid N] [gid N] [public-key KEY] [psk HANDLE]\n"
	    "          [POLICY]", true, "kind uid gid psk"),
	CMD("peer", "set", NULL, cmd_peer_set,
	    "peer set ID [uid N] [gid N] [psk HANDLE] [reset-timestamp] [POLICY]",
	    true, "uid gid psk"),
	CMD("peer", "del", "delete", cmd_peer_del, "peer del ID", true, ""),
	CMD("peer", "show", "get list", cmd_peer_show, "peer show [ID]", true, "",
	    .dflt = CMD_DFLT_ALONE),
	CMD("key", "add", "new", cmd_key_add,
	    "key add [type TYPE] [len N] [usage LIST] [owner ID] [peer ID]...\n"
	    "          [not-after EPOCH] [max-age SEC]\n"
	    "          [keyring SERIAL | desc DESC | material-file PATH | material-hex -]",
	    true, KEY_ADD_KW),
	CMD("key", "del", "delete", cmd_key_del, "key del HANDLE", true, ""),
	CMD("key", "show", "get list", cmd_key_show, "key show [HANDLE]", true, "",
	    .dflt = CMD_DFLT_ALONE),
	CMD("context", "new", "add", cmd_context_new,
	    "context new PEER SUBSCRIBER [sqn N]", true, "sqn"),
	CMD("context", "del", "delete", cmd_context_del, "context del HANDLE",
	    true, ""),
	CMD("context", "show", "get list", cmd_context_show,
	    "context [show] [HANDLE | PEER SUBSCRIBER]", true, "",
	    .dflt = CMD_DFLT_ANY),
	CMD("service", "batch", NULL, cmd_batch,
	    "service batch FILE|-          (one ITEM per line)", false, ""),
	CMD("service", NULL, NULL, cmd_service, "service ITEM", false, ""),
	CMD("notify", NULL, NULL, cmd_notify,
	    "notify PEER|- STATUS | notify key-replace OLD NEW", false, ""),
	CMD("monitor", NULL, NULL, cmd_monitor,
	    "monitor                       (events)", true, ""),
	CMD("listen", NULL, NULL, cmd_monitor,
	    "listen                        (an nf peer's own timer results)",
	    false, ""),
	CMD("save", NULL, NULL, cmd_save,
	    "save keyring SERIAL|desc DESC [file PATH]   (sealed blob, default stdout)",
	    true, "keyring desc file"),
	CMD("restore", NULL, NULL, cmd_restore,
	    "restore keyring SERIAL|desc DESC [file PATH|-]", true,
	    "keyring desc file"),
	CMD("msg", "handshake", NULL, cmd_msg_handshake,
	    "msg handshake PEER [out FILE]  (prints PEER TYPE BASE64)", true, "out"),
	CMD("msg", "negotiate", NULL, cmd_msg_negotiate,
	    "msg negotiate PEER [out FILE]  (the sealed offer of the pair policy)",
	    true, "out"),
	CMD("msg", "receive", NULL, cmd_msg_receive,
	    "msg receive FILE|- [out FILE]  (blobs: raw, or PEER TYPE BASE64 lines)",
	    true, "out"),
	CMD("msg", "peek", NULL, cmd_msg_peek,
	    "msg peek FILE|-                (a blob's clear header)", false, ""),
	/* hidden: the bash completion script, generated from these tables */
	CMD("complete", NULL, NULL, cmd_complete, NULL, false, ""),
	{ .object = NULL },
};

/* w is name or one of the space-separated aliases */
static bool word_is(const char *w, const char *name, const char *aliases)
{
	size_t n = strlen(w);
	const char *p;

	if (name && !strcmp(w, name))
		return true;
	for (p = aliases; p && *p; p += strcspn(p, " "), p += *p == ' ') {
		if (!strncmp(p, w, n) && (p[n] == ' ' || !p[n]))
			return true;
	}
	return false;
}

/*
 * argv[0] the object, argv[1] maybe its command.  Without a command
 * word: the object's command-less entry ("service mac-generate ...",
 * "info"), else its default command (dflt).
 */
const struct cmd *cmd_find(int argc, char **argv, int *consumed)
{
	const struct cmd *c, *bare = NULL, *dflt = NULL;
	bool object = false;

	for (c = commands; c->object; c++) {
		if (strcmp(c->object, argv[0]))
			continue;
		object = true;
		if (!c->command)
			bare = c;
		if (c->dflt)
			dflt = c;
		if (c->command && argc > 1 &&
		    word_is(argv[1], c->command, c->aliases)) {
			*consumed = 2;
			return c;
		}
	}
	if (!object)
		die_usage("unknown command \"%s\"", argv[0]);
	*consumed = 1;
	if (bare)
		return bare;
	if (dflt && (argc == 1 || dflt->dflt == CMD_DFLT_ANY))
		return dflt;
	if (argc == 1)
		die_usage("%s needs a command", argv[0]);
	die_usage("unknown %s command \"%s\"", argv[0], argv[1]);
}

static void print_names(FILE *f, const char *title, enum ksf_name_table t)
{
	int col = fprintf(f, "%s:", title);
	uint32_t v, first = names_are_flags(t) ? 0 : 1;
	const char *s;

	for (v = first; v < 32; v++) {
		s = ksf_name(t, names_are_flags(t) ? 1u << v : v);
		if (!s)
			continue;
		if (col + strlen(s) + 1 > 78)
			col = fprintf(f, "\n    ") - 1;
		col += fprintf(f, " %s", s);
	}
	fputc('\n', f);
}

void usage(FILE *f)
{
	const struct cmd *c;

	fprintf(f, "Usage: ksfctl [-j|--json] COMMAND [ARGS]\n\n");
	for (c = commands; c->object; c++)
		if (c->usage)
			fprintf(f, "  %s%s\n", c->usage,
				c->admin ? "   [admin]" : "");
	fprintf(f,
"    POLICY := [services LIST] [algs LIST] [key-len MIN-MAX]\n"
"              [lifetime-max SEC] [batch-max N] [caller-rand on|off]\n"
"              [mac-len-min N] [mac-fcs LIST] [encrypt-fcs LIST]\n"
"              [keys-max N] [contexts-max N]\n"
"              [notify STATUS \"ITEM\"...|notify none]...\n"
"              [timer MS \"ITEM\"...|timer none]...\n"
"    ITEM := SERVICE [KEYWORD VALUE]...   (ksfctl help service: the keywords)\n"
"\n");
	print_names(f, "SERVICE", KSF_NAMES_SERVICE);
	print_names(f, "ALG", KSF_NAMES_ALG);
	print_names(f, "TYPE", KSF_NAMES_KEY_TYPE);
	print_names(f, "USAGE", KSF_NAMES_KEY_USAGE);
	print_names(f, "STATUS", KSF_NAMES_NOTIFY_STATUS);
	fprintf(f,
"[admin]: needs CAP_NET_ADMIN.  Numbers are decimal or 0x hex; each keyword\n"
"comes once (param, param-key, peer, notify and timer may repeat).\n");
}

void die_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ksfctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'ksfctl help'.\n");
	exit(EXIT_USAGE);
}

int fail(const char *what, int err)
{
	const char *msg = ksf_last_error(h);
	const char *es = strerror(err < 0 ? -err : err);

	if (!msg[0] || !strcmp(msg, es))
		fprintf(stderr, "ksfctl: %s: %s\n", what, es);
	else
		fprintf(stderr, "ksfctl: %s: %s (%s)\n", what, msg, es);
	return 1;
}

void open_handle(void)
{
	if (h)
		return;
	h = ksf_open();
	if (!h) {
		int err = errno;
		const char *msg = ksf_last_error(NULL);

		fprintf(stderr, "ksfctl: %s\n", msg[0] ? msg : strerror(err));
		exit(1);
	}
}

void need(int argc, int i, const char *kw)
{
	if (i + 1 >= argc)
		die_usage("\"%s\" needs a value", kw);
}

uint64_t parse_handle(const char *what, const char *s)
{
	uint64_t v;

	if (ksf_parse_u64(s, &v))
		die_usage("bad %s handle \"%s\"", what, s);
	return v;
}

/*
 * Collect "ITEM" arguments from argv[i] on (each one word whose first
 * word is a service) into items; returns the index of the first word
 * that is not one.
 */
int collect_items(int argc, char **argv, int i, struct ksf_items *items)
{
	char eb[256];

	for (; i < argc; i++) {
		char *copy, *words[256];
		uint32_t svc;
		int nw;

		copy = strdup(argv[i]);
		if (!copy)
			die_usage("out of memory");
		nw = split_words(copy, words, 256);
		if (nw <= 0 || ksf_value(KSF_NAMES_SERVICE, words[0], &svc)) {
			free(copy);
			break;
		}
		if (item_parse(items, nw, words, eb, sizeof(eb)))
			die_usage("item \"%s\": %s", argv[i], eb);
		/* the item holds copies of the values */
		free(copy);
	}
	return i;
}

/* What each command ends or starts with. */
int done(const char *what, int err)
{
	return err ? fail(what, err) : 0;
}

int created(const char *what, int err, uint64_t handle)
{
	if (err)
		return fail(what, err);
	print_new_handle(handle);
	return 0;
}

const char *one_arg(int argc, char **argv, const char *usage)
{
	if (argc != 3)
		die_usage("usage: %s", usage);
	return argv[2];
}

bool show_one(int argc, const char *usage)
{
	if (argc > 3)
		die_usage("usage: %s", usage);
	open_handle();
	return argc == 3;
}
