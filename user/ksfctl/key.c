// SPDX-License-Identifier: GPL-2.0-only
/* ksfctl key add|del|show: keys, known by their handles. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ksfctl.h"

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

static int key_print(const struct ksf_key *k, void *arg)
{
	char buf[256];
	size_t i;

	(void)arg;
	open_json_object(NULL);
	print_handle(PRINT_ANY, "handle", "key %s\n", k->handle);
	print_name(PRINT_ANY, "type", "  type: %s\n", KSF_NAMES_KEY_TYPE, k->type);
	print_uint(PRINT_ANY, "len", "  len: %s\n", k->len);
	ksf_mask_format(KSF_NAMES_KEY_USAGE, k->usage, buf, sizeof(buf));
	print_string(PRINT_ANY, "usage", "  usage: %s\n", buf);
	print_string(PRINT_ANY, "owner", "  owner: %s\n", k->owner);
	open_json_array("peers");
	if (k->n_peers)
		print_text("  peers:");
	for (i = 0; i < k->n_peers; i++)
		print_string(PRINT_ANY, NULL, i ? ",%s" : " %s", k->peers[i]);
	if (k->n_peers)
		print_text("\n");
	close_json_array();
	if (k->source || print_json())
		print_name(PRINT_ANY, "source", "  source: %s\n",
			   KSF_NAMES_KEY_SOURCE, k->source);
	if (k->parent)
		print_handle(PRINT_ANY, "parent", "  parent: %s\n", k->parent);
	print_time(PRINT_ANY, "created", "created", k->created);
	print_time(PRINT_ANY, "not_after", "not-after", k->not_after);
	if (k->max_age || print_json())
		print_uint(PRINT_ANY, "max_age", "  max-age: %s\n", k->max_age);
	print_uint(PRINT_ANY, "uses", "  uses: %s\n", k->uses);
	ksf_mask_format(KSF_NAMES_KEY_FLAG, k->flags, buf, sizeof(buf));
	if (k->flags)
		print_string(PRINT_ANY, "flags", "  flags: %s\n", buf);
	else
		print_string(PRINT_JSON, "flags", NULL, "");
	close_json_line();
	return 0;
}

/* The canonical name of a key add keyword (aliases count as one). */
static const char *key_kw(const char *k)
{
	if (!strcmp(k, "keyring-serial"))
		return "keyring";
	if (!strcmp(k, "keyring-desc"))
		return "desc";
	return k;
}

/* material-file PATH | material-hex -: the secret into material[] */
static int read_material(const char *k, const char *v, struct ksf_buf *m)
{
	ssize_t n;
	int fd;

	protect_secrets();
	if (!strcmp(k, "material-file")) {
		fd = strcmp(v, "-") ? open(v, O_RDONLY | O_CLOEXEC) : 0;
		if (fd < 0) {
			fprintf(stderr, "ksfctl: %s: %s\n", v, strerror(errno));
			return -1;
		}
		n = read_all(fd, material, sizeof(material));
		if (fd)
			close(fd);
		if (n < 0) {
			fprintf(stderr, "ksfctl: %s: %s\n", v, strerror(errno));
			return -1;
		}
	} else {
		if (strcmp(v, "-"))
			die_usage("material-hex takes only \"-\" (stdin): "
				  "secrets on the command line leak "
				  "through /proc/PID/cmdline");
		n = read_all(0, material_text, sizeof(material_text) - 1);
		if (n < 0) {
			fprintf(stderr, "ksfctl: stdin: %s\n", strerror(errno));
			return -1;
		}
		material_text[n] = '\0';
		n = hex_decode(material_text, material, sizeof(material));
		if (n < 0) {
			wipe_secrets();
			die_usage("material-hex: stdin is not hex");
		}
	}
	m->ptr = material;
	m->size = n;
	return 0;
}

/* one key add keyword and its value into spec; -1: fail (message written) */
static int key_keyword(struct ksf_key_spec *spec, const char ***peers,
		       const char *k, const char *v)
{
	uint64_t m;

	if (!strcmp(k, "type")) {
		if (ksf_value(KSF_NAMES_KEY_TYPE, v, &spec->type))
			die_usage("unknown key type \"%s\"", v);
	} else if (!strcmp(k, "len")) {
		/* 0 is "not given" in libksf */
		if (parse_u32(v, &spec->len) || !spec->len)
			die_usage("bad len \"%s\" (from 1)", v);
	} else if (!strcmp(k, "usage")) {
		if (ksf_mask_parse(KSF_NAMES_KEY_USAGE, v, &m) || m > UINT32_MAX)
			die_usage("bad usage list \"%s\"", v);
		spec->usage = (uint32_t)m;
	} else if (!strcmp(k, "owner")) {
		spec->owner = v;
	} else if (!strcmp(k, "peer")) {
		*peers = realloc(*peers, (spec->n_peers + 1) * sizeof(**peers));
		if (!*peers)
			die_usage("out of memory");
		(*peers)[spec->n_peers++] = v;
	} else if (!strcmp(k, "not-after")) {
		if (ksf_parse_u64(v, &spec->not_after))
			die_usage("bad not-after \"%s\"", v);
	} else if (!strcmp(k, "max-age")) {
		if (parse_u32(v, &spec->max_age))
			die_usage("bad max-age \"%s\"", v);
	} else if (!strcmp(k, "keyring") || !strcmp(k, "keyring-serial")) {
		if (parse_s32(v, &spec->keyring_serial))
			die_usage("bad keyring serial \"%s\"", v);
		spec->has_keyring_serial = true;
	} else if (!strcmp(k, "desc") || !strcmp(k, "keyring-desc")) {
		spec->keyring_desc = v;
	} else if (!strcmp(k, "material-file") || !strcmp(k, "material-hex")) {
		return read_material(k, v, &spec->material);
	} else {
		die_usage("unknown key keyword \"%s\"", k);
	}
	return 0;
}

int cmd_key_add(int argc, char **argv)
{
	struct kw_seen seen = { .n = 0 };
	struct ksf_key_spec spec;
	const char **peers = NULL;
	uint64_t handle;
	int i, err;

	memset(&spec, 0, sizeof(spec));
	for (i = 2; i < argc; i += 2) {
		need(argc, i, argv[i]);
		if (strcmp(argv[i], "peer") && kw_repeated(&seen, key_kw(argv[i])))
			die_usage("keyword \"%s\" given twice", argv[i]);
		if (key_keyword(&spec, &peers, argv[i], argv[i + 1])) {
			wipe_secrets();
			free(peers);
			return 1;
		}
	}
	spec.peers = peers;
	open_handle();
	err = ksf_key_new(h, &spec, &handle);
	wipe_secrets();
	free(peers);
	return created("key add", err, handle);
}

int cmd_key_del(int argc, char **argv)
{
	const char *arg = one_arg(argc, argv, "key del HANDLE");

	open_handle();
	return done("key del", ksf_key_del(h, parse_handle("key", arg)));
}

int cmd_key_show(int argc, char **argv)
{
	struct ksf_key k;
	int err;

	if (show_one(argc, "key show [HANDLE]")) {
		err = ksf_key_get(h, parse_handle("key", argv[2]), &k);
		if (err)
			return fail("key show", err);
		key_print(&k, NULL);
		ksf_key_clear(&k);
		return 0;
	}
	return done("key show", ksf_key_dump(h, key_print, NULL));
}
