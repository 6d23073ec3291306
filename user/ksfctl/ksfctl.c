// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksfctl: configure and use ksf, the kernel security function.
 * See ksfctl(8).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ksfctl.h"

#define EXIT_USAGE	2
#define EXIT_ITEMS	3	/* request ran, some item not ok */

static bool json;
static struct ksf *h;

static void usage(FILE *f)
{
	fprintf(f,
"Usage: ksfctl [-j|--json] COMMAND [ARGS]\n"
"\n"
"  info\n"
"  peer add ID kind nf|ksf|ue [uid N] [gid N] [POLICY]\n"
"  peer set ID [uid N] [gid N] [POLICY]\n"
"  peer del ID\n"
"  peer show [ID]\n"
"    POLICY := [services LIST] [algs LIST] [key-len MIN-MAX]\n"
"              [lifetime-max SEC] [batch-max N] [caller-rand on|off]\n"
"              [mac-len-min N] [mac-fcs LIST] [encrypt-fcs LIST]\n"
"              [keys-max N] [contexts-max N]\n"
"              [notify STATUS \"ITEM\"...]... [timer MS \"ITEM\"...]...\n"
"  key add [type generic|aes|kek|nas|k|opc] [len N] [usage LIST] [owner ID] [peer ID]...\n"
"          [not-after EPOCH] [max-age SEC]\n"
"          [keyring SERIAL | desc DESC | material-file PATH | material-hex -]\n"
"  key del HANDLE\n"
"  key show [HANDLE]\n"
"  context new PEER SUBSCRIBER [sqn N]\n"
"  context del HANDLE\n"
"  context [show] [HANDLE | PEER SUBSCRIBER]\n"
"  service SERVICE [alg ALG] [key HANDLE] [peer ID] [data HEX] [mac HEX]\n"
"          [mac-len N] [iv HEX] [aad HEX] [fc N] [param HEX | param-key HANDLE]...\n"
"          [out-type TYPE] [out-len N] [out-usage LIST] [out-max-age SEC]\n"
"          [key2 HANDLE] [count N] [bearer N] [direction 0|1] [bits N]\n"
"          [rand HEX] [autn HEX] [auts HEX] [amf HEX] [snn NAME] [sqn N]\n"
"          [subscriber ID] [context HANDLE] [seq N] [int-alg ALG] [enc-alg ALG]\n"
"  service batch FILE|-          (one ITEM per line)\n"
"  notify PEER|- STATUS\n"
"  monitor\n"
"  save keyring SERIAL|desc DESC [file PATH]   (sealed blob, default stdout)\n"
"  restore keyring SERIAL|desc DESC [file PATH|-]\n"
"\n"
"SERVICE: mac-generate mac-verify kdf encrypt decrypt nas-mac nas-verify\n"
"         nas-cipher nas-decipher aka-vector aka-response aka-resync\n"
"         nas-context nas-protect nas-unprotect hres-star\n"
"ALG: hmac-sha256 aes-cmac kdf-sha256 aes-gcm nia1 nia2 nia3 nea0 nea1 nea2\n"
"     nea3 milenage sha256\n"
"USAGE: derive mac verify encrypt decrypt seal wrap\n"
"STATUS: registered deregistered key-compromised relocated\n");
}

__attribute__((format(printf, 1, 2), noreturn))
static void die_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ksfctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'ksfctl help'.\n");
	exit(EXIT_USAGE);
}

/* "ksfctl: peer new: <extack message> (errno text)" */
static int fail(const char *what, int err)
{
	const char *msg = ksf_last_error(h);
	const char *es = strerror(err < 0 ? -err : err);

	if (!msg[0] || !strcmp(msg, es))
		fprintf(stderr, "ksfctl: %s: %s\n", what, es);
	else
		fprintf(stderr, "ksfctl: %s: %s (%s)\n", what, msg, es);
	return 1;
}

static void open_handle(void)
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

static void need(int argc, int i, const char *kw)
{
	if (i + 1 >= argc)
		die_usage("\"%s\" needs a value", kw);
}

/* ---- info ------------------------------------------------------------------ */

static int cmd_info(int argc, char **argv)
{
	struct ksf_info info;
	int err;

	(void)argv;
	if (argc > 1)
		die_usage("info takes no arguments");
	open_handle();
	err = ksf_get_info(h, &info);
	if (err)
		return fail("info", err);
	if (json) {
		printf("{\"instance_id\":\"%016" PRIx64 "\",\"version\":",
		       info.instance_id);
		json_str(stdout, info.version);
		printf(",\"peers\":%u,\"keys\":%u,\"contexts\":%u,"
		       "\"peer_size\":%u,\"key_size\":%u,\"context_size\":%u,"
		       "\"mem\":%" PRIu64 ",\"family_id\":%d}\n",
		       info.peers, info.keys, info.contexts, info.peer_size,
		       info.key_size, info.context_size, info.mem,
		       ksf_family_id(h));
		return 0;
	}
	printf("instance: %016" PRIx64 "\n", info.instance_id);
	printf("  version: %s\n", info.version);
	printf("  peers: %u\n", info.peers);
	printf("  keys: %u\n", info.keys);
	printf("  contexts: %u\n", info.contexts);
	printf("  memory: %" PRIu64 " bytes (peer %u B, key %u B)\n", info.mem,
	       info.peer_size, info.key_size);
	printf("  context-size: %u B\n", info.context_size);
	return 0;
}

/* ---- peers ----------------------------------------------------------------- */

struct preset_list {
	struct ksf_notify_preset *notify;
	size_t n_notify;
	struct ksf_timer *timers;
	size_t n_timers;
};

/* Collect "ITEM" arguments (each one argv word whose first word is a service). */
static int collect_items(int argc, char **argv, int i, struct ksf_item **items,
			 size_t *n)
{
	char eb[256];

	while (i < argc) {
		char *copy, *words[256], *first;
		uint32_t svc;
		int nw;

		copy = strdup(argv[i]);
		if (!copy)
			die_usage("out of memory");
		nw = split_words(copy, words, 256);
		first = nw > 0 ? words[0] : NULL;
		if (!first || ksf_value(KSF_NAMES_SERVICE, first, &svc)) {
			free(copy);
			break;
		}
		*items = realloc(*items, (*n + 1) * sizeof(**items));
		if (!*items)
			die_usage("out of memory");
		if (item_parse(nw, words, &(*items)[*n], eb, sizeof(eb)))
			die_usage("item \"%s\": %s", argv[i], eb);
		(*n)++;
		/* words point into copy: keep it (item_parse copied buffers) */
		free(copy);
		i++;
	}
	return i;
}

/* "0x20,0x6d" or "none" into a 256-bit FC map. */
static int parse_fcs(const char *list, uint8_t map[32])
{
	char buf[1024], *tok, *save = NULL;
	uint32_t fc;

	memset(map, 0, 32);
	if (!strcmp(list, "none"))
		return 0;
	if (snprintf(buf, sizeof(buf), "%s", list) >= (int)sizeof(buf))
		return -1;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (parse_u32(tok, &fc) || fc > 255)
			return -1;
		map[fc / 8] |= 1 << (fc % 8);
	}
	return 0;
}

static void format_fcs(const uint8_t map[32], char *buf, size_t size)
{
	size_t n = 0;
	int fc;

	buf[0] = '\0';
	for (fc = 0; fc < 256 && n + 6 < size; fc++)
		if (map[fc / 8] & (1 << (fc % 8)))
			n += snprintf(buf + n, size - n, "%s0x%02x",
				      n ? "," : "", fc);
	if (!n)
		snprintf(buf, size, "none");
}

/* The policy's limits and key-family keywords; true if argv[*i] was one. */
static bool parse_policy_limit(struct ksf_policy *pol, int argc, char **argv,
			       int *i)
{
	const char *k = argv[*i];
	uint32_t *v = NULL;
	uint32_t flag = 0;

	if (!strcmp(k, "mac-fcs") || !strcmp(k, "encrypt-fcs")) {
		bool mac = k[0] == 'm';

		need(argc, *i, k);
		if (parse_fcs(argv[++*i], mac ? pol->mac_fcs : pol->encrypt_fcs))
			die_usage("bad %s \"%s\" (a list of FCs 0..255, or none)",
				  k, argv[*i]);
		pol->fields |= mac ? KSF_POLICY_MAC_FCS : KSF_POLICY_ENCRYPT_FCS;
		return true;
	}
	if (!strcmp(k, "mac-len-min"))
		v = &pol->mac_len_min, flag = KSF_POLICY_MAC_LEN_MIN;
	else if (!strcmp(k, "keys-max"))
		v = &pol->keys_max, flag = KSF_POLICY_KEYS_MAX;
	else if (!strcmp(k, "contexts-max"))
		v = &pol->contexts_max, flag = KSF_POLICY_CONTEXTS_MAX;
	else
		return false;
	need(argc, *i, k);
	if (parse_u32(argv[++*i], v))
		die_usage("bad %s \"%s\"", k, argv[*i]);
	pol->fields |= flag;
	return true;
}

/*
 * Parse peer options from argv[i..]; fills peer (uid, gid, policy).
 * allow_kind: "kind" accepted (peer add).
 */
static void parse_peer_opts(int argc, char **argv, int i, struct ksf_peer *p,
			    bool allow_kind)
{
	struct ksf_policy *pol = &p->policy;
	struct preset_list pl = { 0 };
	uint64_t m;
	bool b;

	for (; i < argc; i++) {
		const char *k = argv[i];

		if (!strcmp(k, "kind") && allow_kind) {
			need(argc, i, k);
			if (ksf_value(KSF_NAMES_PEER_KIND, argv[++i], &p->kind))
				die_usage("unknown peer kind \"%s\"", argv[i]);
		} else if (!strcmp(k, "uid")) {
			need(argc, i, k);
			if (parse_u32(argv[++i], &p->uid))
				die_usage("bad uid \"%s\"", argv[i]);
			p->has_uid = true;
		} else if (!strcmp(k, "gid")) {
			need(argc, i, k);
			if (parse_u32(argv[++i], &p->gid))
				die_usage("bad gid \"%s\"", argv[i]);
			p->has_gid = true;
		} else if (!strcmp(k, "services")) {
			need(argc, i, k);
			if (ksf_mask_parse(KSF_NAMES_SERVICE, argv[++i], &m))
				die_usage("bad service list \"%s\"", argv[i]);
			pol->services = m;
			pol->fields |= KSF_POLICY_SERVICES;
		} else if (!strcmp(k, "algs")) {
			need(argc, i, k);
			if (ksf_mask_parse(KSF_NAMES_ALG, argv[++i], &m))
				die_usage("bad alg list \"%s\"", argv[i]);
			pol->algs = m;
			pol->fields |= KSF_POLICY_ALGS;
		} else if (!strcmp(k, "key-len")) {
			char *dash, buf[64];

			need(argc, i, k);
			snprintf(buf, sizeof(buf), "%s", argv[++i]);
			dash = strchr(buf, '-');
			if (dash)
				*dash++ = '\0';
			if (parse_u32(buf, &pol->key_len_min) ||
			    parse_u32(dash ? dash : buf, &pol->key_len_max))
				die_usage("bad key-len \"%s\" (MIN-MAX)", argv[i]);
			pol->fields |= KSF_POLICY_KEY_LEN_MIN |
				       KSF_POLICY_KEY_LEN_MAX;
		} else if (!strcmp(k, "lifetime-max")) {
			need(argc, i, k);
			if (parse_u32(argv[++i], &pol->lifetime_max))
				die_usage("bad lifetime-max \"%s\"", argv[i]);
			pol->fields |= KSF_POLICY_LIFETIME_MAX;
		} else if (!strcmp(k, "batch-max")) {
			need(argc, i, k);
			if (parse_u32(argv[++i], &pol->batch_max))
				die_usage("bad batch-max \"%s\"", argv[i]);
			pol->fields |= KSF_POLICY_BATCH_MAX;
		} else if (!strcmp(k, "caller-rand")) {
			need(argc, i, k);
			if (parse_bool(argv[++i], &b))
				die_usage("caller-rand takes on or off");
			pol->caller_rand = b;
			pol->fields |= KSF_POLICY_CALLER_RAND;
		} else if (parse_policy_limit(pol, argc, argv, &i)) {
			continue;
		} else if (!strcmp(k, "notify")) {
			struct ksf_notify_preset *np;

			need(argc, i, k);
			pl.notify = realloc(pl.notify, (pl.n_notify + 1) *
					    sizeof(*pl.notify));
			if (!pl.notify)
				die_usage("out of memory");
			np = &pl.notify[pl.n_notify++];
			memset(np, 0, sizeof(*np));
			if (ksf_value(KSF_NAMES_NOTIFY_STATUS, argv[++i],
				      &np->status))
				die_usage("unknown notify status \"%s\"", argv[i]);
			i = collect_items(argc, argv, i + 1, &np->items,
					  &np->n_items) - 1;
			pol->fields |= KSF_POLICY_NOTIFY;
		} else if (!strcmp(k, "timer")) {
			struct ksf_timer *t;

			need(argc, i, k);
			pl.timers = realloc(pl.timers, (pl.n_timers + 1) *
					    sizeof(*pl.timers));
			if (!pl.timers)
				die_usage("out of memory");
			t = &pl.timers[pl.n_timers++];
			memset(t, 0, sizeof(*t));
			if (parse_u32(argv[++i], &t->period))
				die_usage("bad timer period \"%s\" (ms)", argv[i]);
			i = collect_items(argc, argv, i + 1, &t->items,
					  &t->n_items) - 1;
			pol->fields |= KSF_POLICY_TIMER;
		} else {
			die_usage("unknown peer keyword \"%s\"", k);
		}
	}
	pol->notify = pl.notify;
	pol->n_notify = pl.n_notify;
	pol->timers = pl.timers;
	pol->n_timers = pl.n_timers;
	if (pol->fields)
		p->has_policy = true;
}

static void print_policy_text(const struct ksf_policy *pol)
{
	char buf[256];
	size_t i, j;

	printf("  policy:\n");
	if (pol->fields & KSF_POLICY_SERVICES) {
		ksf_mask_format(KSF_NAMES_SERVICE, pol->services, buf, sizeof(buf));
		printf("    services: %s\n", buf);
	}
	if (pol->fields & KSF_POLICY_ALGS) {
		ksf_mask_format(KSF_NAMES_ALG, pol->algs, buf, sizeof(buf));
		printf("    algs: %s\n", buf);
	}
	if (pol->fields & (KSF_POLICY_KEY_LEN_MIN | KSF_POLICY_KEY_LEN_MAX))
		printf("    key-len: %u-%u\n", pol->key_len_min, pol->key_len_max);
	if (pol->fields & KSF_POLICY_LIFETIME_MAX)
		printf("    lifetime-max: %u\n", pol->lifetime_max);
	if (pol->fields & KSF_POLICY_BATCH_MAX)
		printf("    batch-max: %u\n", pol->batch_max);
	if (pol->fields & KSF_POLICY_CALLER_RAND)
		printf("    caller-rand: %s\n", pol->caller_rand ? "on" : "off");
	if (pol->fields & KSF_POLICY_MAC_LEN_MIN)
		printf("    mac-len-min: %u%s\n", pol->mac_len_min,
		       pol->mac_len_min ? "" : " (full tag)");
	if (pol->fields & KSF_POLICY_KEYS_MAX)
		printf("    keys-max: %u\n", pol->keys_max);
	if (pol->fields & KSF_POLICY_CONTEXTS_MAX)
		printf("    contexts-max: %u\n", pol->contexts_max);
	if (pol->fields & KSF_POLICY_MAC_FCS) {
		format_fcs(pol->mac_fcs, buf, sizeof(buf));
		printf("    mac-fcs: %s\n", buf);
	}
	if (pol->fields & KSF_POLICY_ENCRYPT_FCS) {
		format_fcs(pol->encrypt_fcs, buf, sizeof(buf));
		printf("    encrypt-fcs: %s\n", buf);
	}
	for (i = 0; i < pol->n_notify; i++) {
		const char *s = ksf_name(KSF_NAMES_NOTIFY_STATUS,
					 pol->notify[i].status);

		if (s)
			printf("    notify %s:\n", s);
		else
			printf("    notify %u:\n", pol->notify[i].status);
		for (j = 0; j < pol->notify[i].n_items; j++) {
			printf("      ");
			item_print(stdout, &pol->notify[i].items[j]);
			printf("\n");
		}
	}
	for (i = 0; i < pol->n_timers; i++) {
		printf("    timer %u ms:\n", pol->timers[i].period);
		for (j = 0; j < pol->timers[i].n_items; j++) {
			printf("      ");
			item_print(stdout, &pol->timers[i].items[j]);
			printf("\n");
		}
	}
}

static void print_policy_json(const struct ksf_policy *pol)
{
	char buf[256];
	size_t i, j;
	const char *sep = "";

	printf(",\"policy\":{");
	if (pol->fields & KSF_POLICY_SERVICES) {
		ksf_mask_format(KSF_NAMES_SERVICE, pol->services, buf, sizeof(buf));
		printf("%s\"services\":\"%s\",\"services_mask\":%" PRIu64, sep,
		       buf, pol->services);
		sep = ",";
	}
	if (pol->fields & KSF_POLICY_ALGS) {
		ksf_mask_format(KSF_NAMES_ALG, pol->algs, buf, sizeof(buf));
		printf("%s\"algs\":\"%s\",\"algs_mask\":%" PRIu64, sep, buf,
		       pol->algs);
		sep = ",";
	}
#define NUM(flag, name, v)						\
	if (pol->fields & (flag)) {					\
		printf("%s\"" name "\":%u", sep, (unsigned int)(v));	\
		sep = ",";						\
	}
	NUM(KSF_POLICY_KEY_LEN_MIN, "key_len_min", pol->key_len_min)
	NUM(KSF_POLICY_KEY_LEN_MAX, "key_len_max", pol->key_len_max)
	NUM(KSF_POLICY_LIFETIME_MAX, "lifetime_max", pol->lifetime_max)
	NUM(KSF_POLICY_BATCH_MAX, "batch_max", pol->batch_max)
	NUM(KSF_POLICY_MAC_LEN_MIN, "mac_len_min", pol->mac_len_min)
	NUM(KSF_POLICY_KEYS_MAX, "keys_max", pol->keys_max)
	NUM(KSF_POLICY_CONTEXTS_MAX, "contexts_max", pol->contexts_max)
#undef NUM
	if (pol->fields & KSF_POLICY_MAC_FCS) {
		format_fcs(pol->mac_fcs, buf, sizeof(buf));
		printf("%s\"mac_fcs\":\"%s\"", sep, buf);
		sep = ",";
	}
	if (pol->fields & KSF_POLICY_ENCRYPT_FCS) {
		format_fcs(pol->encrypt_fcs, buf, sizeof(buf));
		printf("%s\"encrypt_fcs\":\"%s\"", sep, buf);
		sep = ",";
	}
	if (pol->fields & KSF_POLICY_CALLER_RAND) {
		printf("%s\"caller_rand\":%s", sep,
		       pol->caller_rand ? "true" : "false");
		sep = ",";
	}
	printf("%s\"notify\":[", sep);
	for (i = 0; i < pol->n_notify; i++) {
		const char *s = ksf_name(KSF_NAMES_NOTIFY_STATUS,
					 pol->notify[i].status);

		printf("%s{\"status\":", i ? "," : "");
		if (s)
			printf("\"%s\"", s);
		else
			printf("%u", pol->notify[i].status);
		printf(",\"items\":[");
		for (j = 0; j < pol->notify[i].n_items; j++) {
			if (j)
				putchar(',');
			item_print_json(stdout, &pol->notify[i].items[j]);
		}
		printf("]}");
	}
	printf("],\"timers\":[");
	for (i = 0; i < pol->n_timers; i++) {
		printf("%s{\"period\":%u,\"items\":[", i ? "," : "",
		       pol->timers[i].period);
		for (j = 0; j < pol->timers[i].n_items; j++) {
			if (j)
				putchar(',');
			item_print_json(stdout, &pol->timers[i].items[j]);
		}
		printf("]}");
	}
	printf("]}");
}

static int print_peer(const struct ksf_peer *p, void *arg)
{
	const char *kind = ksf_name(KSF_NAMES_PEER_KIND, p->kind);

	(void)arg;
	if (json) {
		printf("{\"id\":");
		json_str(stdout, p->id);
		if (kind)
			printf(",\"kind\":\"%s\"", kind);
		else
			printf(",\"kind\":%u", p->kind);
		if (p->has_uid)
			printf(",\"uid\":%u", p->uid);
		if (p->has_gid)
			printf(",\"gid\":%u", p->gid);
		if (p->has_keys)
			printf(",\"keys\":%u,\"contexts\":%u,\"verify_failures\":%u",
			       p->keys, p->contexts, p->verify_failures);
		if (p->has_policy)
			print_policy_json(&p->policy);
		printf("}\n");
		return 0;
	}
	printf("peer %s\n", p->id);
	if (kind)
		printf("  kind: %s\n", kind);
	else
		printf("  kind: %u\n", p->kind);
	if (p->has_uid)
		printf("  uid: %u\n", p->uid);
	if (p->has_gid)
		printf("  gid: %u\n", p->gid);
	if (p->has_keys)
		printf("  keys: %u\n  contexts: %u\n  verify-failures: %u\n",
		       p->keys, p->contexts, p->verify_failures);
	if (p->has_policy)
		print_policy_text(&p->policy);
	return 0;
}

static int cmd_peer(int argc, char **argv)
{
	struct ksf_peer p;
	const char *sub = argc > 1 ? argv[1] : "show";
	int err;

	memset(&p, 0, sizeof(p));
	if (!strcmp(sub, "add") || !strcmp(sub, "new") || !strcmp(sub, "set")) {
		bool add = strcmp(sub, "set") != 0;

		if (argc < 3)
			die_usage("peer %s needs an ID", sub);
		if (strlen(argv[2]) >= sizeof(p.id))
			die_usage("peer ID longer than %zu bytes", sizeof(p.id) - 1);
		snprintf(p.id, sizeof(p.id), "%s", argv[2]);
		parse_peer_opts(argc, argv, 3, &p, add);
		open_handle();
		if (add) {
			err = ksf_peer_new(h, &p);
			if (err)
				return fail("peer add", err);
			return 0;
		}
		/*
		 * The kernel keeps the policy fields not given (notify
		 * presets and timers are replaced as a whole when any is
		 * given).
		 */
		err = ksf_peer_set(h, &p);
		return err ? fail("peer set", err) : 0;
	}
	if (!strcmp(sub, "del") || !strcmp(sub, "delete")) {
		if (argc != 3)
			die_usage("usage: peer del ID");
		open_handle();
		err = ksf_peer_del(h, argv[2]);
		return err ? fail("peer del", err) : 0;
	}
	if (!strcmp(sub, "show") || !strcmp(sub, "get") || !strcmp(sub, "list")) {
		open_handle();
		if (argc > 3)
			die_usage("usage: peer show [ID]");
		if (argc == 3) {
			err = ksf_peer_get(h, argv[2], &p);
			if (err)
				return fail("peer show", err);
			print_peer(&p, NULL);
			ksf_peer_clear(&p);
			return 0;
		}
		err = ksf_peer_dump(h, print_peer, NULL);
		return err ? fail("peer show", err) : 0;
	}
	die_usage("unknown peer command \"%s\"", sub);
}

/* ---- keys ------------------------------------------------------------------ */

#define MATERIAL_MAX 4096

/* Secret buffers: locked, not dumpable, wiped after use. */
static uint8_t material[MATERIAL_MAX];
static char material_text[2 * MATERIAL_MAX + 64];

static void protect_secrets(void)
{
	struct rlimit rl = { 0, 0 };

	prctl(PR_SET_DUMPABLE, 0);
	setrlimit(RLIMIT_CORE, &rl);
	mlock(material, sizeof(material));
	mlock(material_text, sizeof(material_text));
}

static void wipe_secrets(void)
{
	explicit_bzero(material, sizeof(material));
	explicit_bzero(material_text, sizeof(material_text));
}

static ssize_t read_all(int fd, void *buf, size_t size)
{
	size_t n = 0;
	ssize_t r;

	while (n < size) {
		r = read(fd, (uint8_t *)buf + n, size - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		n += r;
	}
	if (n == size) {
		/* more than fits: refuse rather than truncate */
		uint8_t c;

		r = read(fd, &c, 1);
		if (r > 0) {
			errno = EFBIG;
			return -1;
		}
	}
	return (ssize_t)n;
}

static int print_key(const struct ksf_key *k, void *arg)
{
	const char *type = ksf_name(KSF_NAMES_KEY_TYPE, k->type);
	const char *src = ksf_name(KSF_NAMES_KEY_SOURCE, k->source);
	char usage[256], flags[64];
	size_t i;

	(void)arg;
	ksf_mask_format(KSF_NAMES_KEY_USAGE, k->usage, usage, sizeof(usage));
	if (json) {
		printf("{\"handle\":\"0x%016" PRIx64 "\"", k->handle);
		if (type)
			printf(",\"type\":\"%s\"", type);
		else
			printf(",\"type\":%u", k->type);
		printf(",\"len\":%u,\"usage\":\"%s\",\"owner\":", k->len, usage);
		json_str(stdout, k->owner);
		printf(",\"peers\":[");
		for (i = 0; i < k->n_peers; i++) {
			if (i)
				putchar(',');
			json_str(stdout, k->peers[i]);
		}
		printf("]");
		if (k->parent)
			printf(",\"parent\":\"0x%016" PRIx64 "\"", k->parent);
		printf(",\"created\":%" PRIu64 ",\"not_after\":%" PRIu64
		       ",\"max_age\":%u", k->created, k->not_after, k->max_age);
		if (src)
			printf(",\"source\":\"%s\"", src);
		else
			printf(",\"source\":%u", k->source);
		ksf_mask_format(KSF_NAMES_KEY_FLAG, k->flags, flags,
				sizeof(flags));
		printf(",\"uses\":%" PRIu64 ",\"flags\":\"%s\"}\n", k->uses,
		       k->flags ? flags : "");
		return 0;
	}
	printf("key 0x%016" PRIx64 "\n", k->handle);
	if (type)
		printf("  type: %s\n", type);
	else
		printf("  type: %u\n", k->type);
	printf("  len: %u\n", k->len);
	printf("  usage: %s\n", usage);
	printf("  owner: %s\n", k->owner);
	if (k->n_peers) {
		printf("  peers:");
		for (i = 0; i < k->n_peers; i++)
			printf("%s%s", i ? "," : " ", k->peers[i]);
		printf("\n");
	}
	if (src)
		printf("  source: %s\n", src);
	else if (k->source)
		printf("  source: %u\n", k->source);
	if (k->parent)
		printf("  parent: 0x%016" PRIx64 "\n", k->parent);
	time_print(stdout, "created", k->created);
	time_print(stdout, "not-after", k->not_after);
	if (k->max_age)
		printf("  max-age: %u\n", k->max_age);
	printf("  uses: %" PRIu64 "\n", k->uses);
	if (k->flags) {
		ksf_mask_format(KSF_NAMES_KEY_FLAG, k->flags, flags,
				sizeof(flags));
		printf("  flags: %s\n", flags);
	}
	return 0;
}

/* what: "key" or "context", for the message */
static uint64_t parse_handle(const char *what, const char *s)
{
	uint64_t v;

	if (parse_u64(s, &v))
		die_usage("bad %s handle \"%s\"", what, s);
	return v;
}

static int cmd_key_add(int argc, char **argv)
{
	struct ksf_key_spec spec;
	const char **peers = NULL;
	uint64_t handle, m;
	int i, err;
	bool secret = false;

	memset(&spec, 0, sizeof(spec));
	for (i = 2; i < argc; i++) {
		const char *k = argv[i];

		need(argc, i, k);
		if (!strcmp(k, "type")) {
			if (ksf_value(KSF_NAMES_KEY_TYPE, argv[++i], &spec.type))
				die_usage("unknown key type \"%s\"", argv[i]);
		} else if (!strcmp(k, "len")) {
			if (parse_u32(argv[++i], &spec.len))
				die_usage("bad len \"%s\"", argv[i]);
		} else if (!strcmp(k, "usage")) {
			if (ksf_mask_parse(KSF_NAMES_KEY_USAGE, argv[++i], &m) ||
			    m > UINT32_MAX)
				die_usage("bad usage list \"%s\"", argv[i]);
			spec.usage = (uint32_t)m;
		} else if (!strcmp(k, "owner")) {
			spec.owner = argv[++i];
		} else if (!strcmp(k, "peer")) {
			peers = realloc(peers, (spec.n_peers + 1) * sizeof(*peers));
			if (!peers)
				die_usage("out of memory");
			peers[spec.n_peers++] = argv[++i];
		} else if (!strcmp(k, "not-after")) {
			if (parse_u64(argv[++i], &spec.not_after))
				die_usage("bad not-after \"%s\"", argv[i]);
		} else if (!strcmp(k, "max-age")) {
			if (parse_u32(argv[++i], &spec.max_age))
				die_usage("bad max-age \"%s\"", argv[i]);
		} else if (!strcmp(k, "keyring") || !strcmp(k, "keyring-serial")) {
			char *end;
			long v;

			errno = 0;
			v = strtol(argv[++i], &end, 0);
			if (errno || *end || !argv[i][0] || v < INT32_MIN ||
			    v > INT32_MAX)
				die_usage("bad keyring serial \"%s\"", argv[i]);
			spec.keyring_serial = (int32_t)v;
			spec.has_keyring_serial = true;
		} else if (!strcmp(k, "desc") || !strcmp(k, "keyring-desc")) {
			spec.keyring_desc = argv[++i];
		} else if (!strcmp(k, "material-file")) {
			ssize_t n;
			int fd;

			protect_secrets();
			secret = true;
			fd = strcmp(argv[++i], "-") ? open(argv[i], O_RDONLY | O_CLOEXEC) : 0;
			if (fd < 0) {
				fprintf(stderr, "ksfctl: %s: %s\n", argv[i],
					strerror(errno));
				return 1;
			}
			n = read_all(fd, material, sizeof(material));
			if (fd)
				close(fd);
			if (n < 0) {
				fprintf(stderr, "ksfctl: %s: %s\n", argv[i],
					strerror(errno));
				wipe_secrets();
				return 1;
			}
			spec.material.ptr = material;
			spec.material.size = n;
		} else if (!strcmp(k, "material-hex")) {
			ssize_t n;

			if (strcmp(argv[++i], "-"))
				die_usage("material-hex takes only \"-\" (stdin): "
					  "secrets on the command line leak "
					  "through /proc/PID/cmdline");
			protect_secrets();
			secret = true;
			n = read_all(0, material_text, sizeof(material_text) - 1);
			if (n < 0) {
				fprintf(stderr, "ksfctl: stdin: %s\n",
					strerror(errno));
				wipe_secrets();
				return 1;
			}
			material_text[n] = '\0';
			n = hex_decode(material_text, material, sizeof(material));
			if (n < 0) {
				wipe_secrets();
				die_usage("material-hex: stdin is not hex");
			}
			spec.material.ptr = material;
			spec.material.size = n;
		} else {
			die_usage("unknown key keyword \"%s\"", k);
		}
	}
	spec.peers = peers;
	open_handle();
	err = ksf_key_new(h, &spec, &handle);
	if (secret)
		wipe_secrets();
	free(peers);
	if (err)
		return fail("key add", err);
	if (json)
		printf("{\"handle\":\"0x%016" PRIx64 "\"}\n", handle);
	else
		printf("0x%016" PRIx64 "\n", handle);
	return 0;
}

static int cmd_key(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "show";
	struct ksf_key k;
	int err;

	if (!strcmp(sub, "add") || !strcmp(sub, "new"))
		return cmd_key_add(argc, argv);
	if (!strcmp(sub, "del") || !strcmp(sub, "delete")) {
		if (argc != 3)
			die_usage("usage: key del HANDLE");
		open_handle();
		err = ksf_key_del(h, parse_handle("key", argv[2]));
		return err ? fail("key del", err) : 0;
	}
	if (!strcmp(sub, "show") || !strcmp(sub, "get") || !strcmp(sub, "list")) {
		if (argc > 3)
			die_usage("usage: key show [HANDLE]");
		open_handle();
		if (argc == 3) {
			err = ksf_key_get(h, parse_handle("key", argv[2]), &k);
			if (err)
				return fail("key show", err);
			print_key(&k, NULL);
			ksf_key_clear(&k);
			return 0;
		}
		err = ksf_key_dump(h, print_key, NULL);
		return err ? fail("key show", err) : 0;
	}
	die_usage("unknown key command \"%s\"", sub);
}

/* ---- contexts ---------------------------------------------------------------- */

static int print_context(const struct ksf_context *c, void *arg)
{
	(void)arg;
	if (json)
		context_print_json(stdout, c);
	else
		context_print(stdout, c);
	return 0;
}

/* context new PEER SUBSCRIBER [sqn N] */
static int cmd_context_new(int argc, char **argv)
{
	struct ksf_context_spec spec = { 0 };
	uint64_t handle;
	int i, err;

	if (argc < 4)
		die_usage("usage: context new PEER SUBSCRIBER [sqn N]");
	spec.peer = argv[2];
	spec.subscriber = argv[3];
	for (i = 4; i < argc; i++) {
		const char *k = argv[i];

		need(argc, i, k);
		if (!strcmp(k, "sqn") || !strcmp(k, "sqn-he")) {
			if (parse_u64(argv[++i], &spec.sqn_he))
				die_usage("bad sqn \"%s\"", argv[i]);
			spec.has_sqn_he = true;
		} else {
			die_usage("unknown context keyword \"%s\"", k);
		}
	}
	open_handle();
	err = ksf_context_new(h, &spec, &handle);
	if (err)
		return fail("context new", err);
	if (json)
		printf("{\"handle\":\"0x%016" PRIx64 "\"}\n", handle);
	else
		printf("0x%016" PRIx64 "\n", handle);
	return 0;
}

/* context [show] [HANDLE | PEER SUBSCRIBER]: args are argv[i..argc) */
static int cmd_context_show(int argc, char **argv, int i)
{
	struct ksf_context c;
	uint64_t handle;
	int err;

	if (argc - i > 2)
		die_usage("usage: context show [HANDLE | PEER SUBSCRIBER]");
	if (argc - i == 0) {
		open_handle();
		err = ksf_context_dump(h, print_context, NULL);
		return err ? fail("context show", err) : 0;
	}
	if (argc - i == 1) {
		handle = parse_handle("context", argv[i]);
		open_handle();
		err = ksf_context_get(h, handle, &c);
	} else {
		open_handle();
		err = ksf_context_get_by_subscriber(h, argv[i], argv[i + 1], &c);
	}
	if (err)
		return fail("context show", err);
	print_context(&c, NULL);
	return 0;
}

static int cmd_context(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;
	uint64_t handle;
	int err;

	if (!sub)
		return cmd_context_show(argc, argv, 1);
	if (!strcmp(sub, "new") || !strcmp(sub, "add"))
		return cmd_context_new(argc, argv);
	if (!strcmp(sub, "del") || !strcmp(sub, "delete")) {
		if (argc != 3)
			die_usage("usage: context del HANDLE");
		handle = parse_handle("context", argv[2]);
		open_handle();
		err = ksf_context_del(h, handle);
		return err ? fail("context del", err) : 0;
	}
	if (!strcmp(sub, "show") || !strcmp(sub, "get") || !strcmp(sub, "list"))
		return cmd_context_show(argc, argv, 2);
	/* "context HANDLE" and "context PEER SUBSCRIBER" */
	return cmd_context_show(argc, argv, 1);
}

/* ---- results ---------------------------------------------------------------- */

/* Print results; returns the exit status (0 all ok, EXIT_ITEMS otherwise). */
static int print_results(const struct ksf_result *r, int n, size_t expected)
{
	int i, ret = 0;

	for (i = 0; i < n; i++) {
		if (json)
			result_print_json(stdout, &r[i]);
		else
			result_print(stdout, &r[i]);
		putchar('\n');
		if (r[i].status != KSF_STATUS_OK)
			ret = EXIT_ITEMS;
	}
	if (expected && (size_t)n != expected) {
		fprintf(stderr, "ksfctl: %d results for %zu items\n", n, expected);
		ret = 1;
	}
	return ret;
}

/* ---- services ----------------------------------------------------------------- */

static int run_items(struct ksf_item *items, size_t n)
{
	struct ksf_result *res;
	int ret, err;

	res = calloc(n ? n : 1, sizeof(*res));
	if (!res)
		die_usage("out of memory");
	open_handle();
	err = ksf_service_request(h, items, n, res);
	if (err < 0) {
		free(res);
		return fail("service", err);
	}
	ret = print_results(res, err, n);
	ksf_results_free(res, err);
	free(res);
	return ret;
}

static int cmd_batch(const char *path)
{
	struct ksf_item *items = NULL;
	size_t n = 0, cap = 0, lineno = 0, i;
	char *line = NULL, eb[256];
	size_t lcap = 0;
	FILE *f;
	int ret;

	f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		fprintf(stderr, "ksfctl: %s: %s\n", path, strerror(errno));
		return 1;
	}
	while (getline(&line, &lcap, f) > 0) {
		char *words[512];
		int nw;

		lineno++;
		nw = split_words(line, words, 512);
		if (nw < 0) {
			fprintf(stderr, "ksfctl: %s:%zu: too many words\n", path, lineno);
			return EXIT_USAGE;
		}
		if (!nw)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			items = realloc(items, cap * sizeof(*items));
			if (!items)
				die_usage("out of memory");
		}
		if (item_parse(nw, words, &items[n], eb, sizeof(eb))) {
			fprintf(stderr, "ksfctl: %s:%zu: %s\n", path, lineno, eb);
			return EXIT_USAGE;
		}
		n++;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	ret = run_items(items, n);
	for (i = 0; i < n; i++)
		item_free(&items[i]);
	free(items);
	return ret;
}

static int cmd_service(int argc, char **argv)
{
	struct ksf_item it;
	char eb[256];
	int ret;

	if (argc < 2)
		die_usage("service needs a service name or \"batch FILE\"");
	if (!strcmp(argv[1], "batch")) {
		if (argc != 3)
			die_usage("usage: service batch FILE|-");
		return cmd_batch(argv[2]);
	}
	if (item_parse(argc - 1, argv + 1, &it, eb, sizeof(eb)))
		die_usage("%s", eb);
	ret = run_items(&it, 1);
	item_free(&it);
	return ret;
}

static int cmd_notify(int argc, char **argv)
{
	struct ksf_result res[KSF_BATCH_MAX];
	uint32_t status;
	int n, ret;

	if (argc != 3)
		die_usage("usage: notify PEER|- STATUS");
	if (ksf_value(KSF_NAMES_NOTIFY_STATUS, argv[2], &status))
		die_usage("unknown notify status \"%s\"", argv[2]);
	open_handle();
	n = ksf_notify(h, strcmp(argv[1], "-") ? argv[1] : NULL, status, res,
		       KSF_BATCH_MAX);
	if (n < 0)
		return fail("notify", n);
	ret = print_results(res, n, 0);
	ksf_results_free(res, n);
	return ret;
}

/* ---- monitor ------------------------------------------------------------------ */

static int print_event(const struct ksf_event_msg *ev, void *arg)
{
	const char *t = ksf_name(KSF_NAMES_EVENT, ev->type);
	const char *s = ev->service ? ksf_name(KSF_NAMES_SERVICE, ev->service) : NULL;
	size_t i;

	(void)arg;
	if (json) {
		printf("{\"event\":");
		if (t)
			printf("\"%s\"", t);
		else
			printf("%u", ev->type);
		if (ev->peer) {
			printf(",\"peer\":");
			json_str(stdout, ev->peer);
		}
		if (ev->key)
			printf(",\"key\":\"0x%016" PRIx64 "\"", ev->key);
		if (ev->service) {
			if (s)
				printf(",\"service\":\"%s\"", s);
			else
				printf(",\"service\":%u", ev->service);
		}
		if (ev->reason) {
			printf(",\"reason\":");
			json_str(stdout, ev->reason);
		}
		if (ev->n_results) {
			printf(",\"results\":[");
			for (i = 0; i < ev->n_results; i++) {
				if (i)
					putchar(',');
				result_print_json(stdout, &ev->results[i]);
			}
			putchar(']');
		}
		printf("}\n");
	} else {
		if (t)
			printf("%s", t);
		else
			printf("event-%u", ev->type);
		if (ev->peer)
			printf(" peer %s", ev->peer);
		if (ev->key)
			printf(" key 0x%016" PRIx64, ev->key);
		if (s)
			printf(" service %s", s);
		else if (ev->service)
			printf(" service %u", ev->service);
		if (ev->reason) {
			printf(" reason ");
			json_str(stdout, ev->reason);
		}
		printf("\n");
		for (i = 0; i < ev->n_results; i++) {
			printf("  ");
			result_print(stdout, &ev->results[i]);
			printf("\n");
		}
	}
	fflush(stdout);
	return 0;
}

static int cmd_monitor(int argc, char **argv)
{
	int err;

	(void)argv;
	if (argc > 1)
		die_usage("monitor takes no arguments");
	open_handle();
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (;;) {
		err = ksf_monitor(h, print_event, NULL);
		if (err == -ENOBUFS) {
			fprintf(stderr, "ksfctl: monitor: events lost\n");
			continue;
		}
		return fail("monitor", err);
	}
}

/* ---- save / restore ----------------------------------------------------------- */

/* keyring SERIAL | desc DESC, then file PATH */
static const char *parse_kek(int argc, char **argv, struct ksf_kek *kek)
{
	const char *file = NULL;
	int i;

	memset(kek, 0, sizeof(*kek));
	for (i = 1; i < argc; i++) {
		const char *k = argv[i];

		need(argc, i, k);
		if (!strcmp(k, "keyring") || !strcmp(k, "kek-serial")) {
			char *end;
			long v;

			errno = 0;
			v = strtol(argv[++i], &end, 0);
			if (errno || *end || !v || v < INT32_MIN || v > INT32_MAX)
				die_usage("bad keyring serial \"%s\"", argv[i]);
			kek->serial = (int32_t)v;
		} else if (!strcmp(k, "desc") || !strcmp(k, "kek-desc")) {
			kek->desc = argv[++i];
		} else if (!strcmp(k, "file")) {
			file = argv[++i];
		} else {
			die_usage("unknown keyword \"%s\"", k);
		}
	}
	if (!kek->serial && !kek->desc)
		die_usage("%s needs the KEK: keyring SERIAL or desc DESC", argv[0]);
	return file;
}

/* Write blob to path atomically: a temporary file, fsync, rename. */
static int write_atomic(const char *path, const void *blob, size_t size)
{
	size_t len = strlen(path);
	char *tmp = malloc(len + 8);
	const uint8_t *p = blob;
	int fd, err = 0;
	ssize_t n;

	if (!tmp)
		return -ENOMEM;
	snprintf(tmp, len + 8, "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		err = -errno;
		free(tmp);
		return err;
	}
	while (size) {
		n = write(fd, p, size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		p += n;
		size -= n;
	}
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	free(tmp);
	return err;
}

static int cmd_save(int argc, char **argv)
{
	const char *file;
	struct ksf_kek kek;
	size_t size;
	void *blob;
	int err;

	file = parse_kek(argc, argv, &kek);
	if (file && !strcmp(file, "-"))
		file = NULL;
	if (!file && isatty(1))
		die_usage("save: not writing a binary blob to a terminal (use file PATH)");
	open_handle();
	err = ksf_save(h, &kek, &blob, &size);
	if (err)
		return fail("save", err);
	if (file) {
		err = write_atomic(file, blob, size);
		free(blob);
		if (err) {
			fprintf(stderr, "ksfctl: save: %s: %s\n", file, strerror(-err));
			return 1;
		}
		if (json)
			printf("{\"bytes\":%zu}\n", size);
		return 0;
	}
	err = fwrite(blob, 1, size, stdout) == size ? 0 : -EIO;
	free(blob);
	if (err) {
		fprintf(stderr, "ksfctl: save: write error: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}

static int cmd_restore(int argc, char **argv)
{
	const char *file;
	struct ksf_kek kek;
	size_t size = 0, cap = 65536;
	uint8_t *blob;
	FILE *f;
	int err;

	file = parse_kek(argc, argv, &kek);
	f = file && strcmp(file, "-") ? fopen(file, "rb") : stdin;
	if (!f) {
		fprintf(stderr, "ksfctl: %s: %s\n", file, strerror(errno));
		return 1;
	}
	blob = malloc(cap);
	while (blob) {
		size_t n = fread(blob + size, 1, cap - size, f);

		size += n;
		if (size < cap)
			break;
		cap *= 2;
		blob = realloc(blob, cap);
	}
	if (!blob || ferror(f)) {
		fprintf(stderr, "ksfctl: restore: cannot read the saved state\n");
		return 1;
	}
	if (f != stdin)
		fclose(f);
	open_handle();
	err = ksf_restore(h, &kek, blob, size);
	free(blob);
	return err ? fail("restore", err) : 0;
}

/* ---- main ---------------------------------------------------------------------- */

int main(int argc, char **argv)
{
	const char *cmd;
	int i = 1, ret;

	while (i < argc && argv[i][0] == '-' && argv[i][1]) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) {
			printf("ksfctl %s\n", LIBKSF_VERSION);
			return 0;
		} else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else {
			die_usage("unknown option \"%s\"", argv[i]);
		}
		i++;
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	signal(SIGPIPE, SIG_DFL);
	cmd = argv[i];
	argc -= i;
	argv += i;
	if (!strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	} else if (!strcmp(cmd, "info")) {
		ret = cmd_info(argc, argv);
	} else if (!strcmp(cmd, "peer")) {
		ret = cmd_peer(argc, argv);
	} else if (!strcmp(cmd, "key")) {
		ret = cmd_key(argc, argv);
	} else if (!strcmp(cmd, "context")) {
		ret = cmd_context(argc, argv);
	} else if (!strcmp(cmd, "service")) {
		ret = cmd_service(argc, argv);
	} else if (!strcmp(cmd, "notify")) {
		ret = cmd_notify(argc, argv);
	} else if (!strcmp(cmd, "monitor")) {
		ret = cmd_monitor(argc, argv);
	} else if (!strcmp(cmd, "save")) {
		ret = cmd_save(argc, argv);
	} else if (!strcmp(cmd, "restore")) {
		ret = cmd_restore(argc, argv);
	} else {
		die_usage("unknown command \"%s\"", cmd);
	}
	ksf_close(h);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "ksfctl: write error: %s\n", strerror(errno));
		return 1;
	}
	return ret;
}
