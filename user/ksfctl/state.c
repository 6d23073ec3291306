// SPDX-License-Identifier: GPL-2.0-only
/* ksfctl save|restore: the whole instance, sealed under a KEK. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ksfctl.h"

/* keyring SERIAL | desc DESC, then file PATH */
static const char *parse_kek(int argc, char **argv, struct ksf_kek *kek)
{
	struct kw_seen seen = { .n = 0 };
	const char *file = NULL;
	int i;

	memset(kek, 0, sizeof(*kek));
	for (i = 1; i < argc; i++) {
		const char *k = argv[i];

		need(argc, i, k);
		if (kw_repeated(&seen, !strcmp(k, "kek-serial") ? "keyring" :
					!strcmp(k, "kek-desc") ? "desc" : k))
			die_usage("keyword \"%s\" given twice", k);
		if (!strcmp(k, "keyring") || !strcmp(k, "kek-serial")) {
			if (parse_s32(argv[++i], &kek->serial) || !kek->serial)
				die_usage("bad keyring serial \"%s\"", argv[i]);
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
int write_atomic(const char *path, const void *blob, size_t size)
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

int cmd_save(int argc, char **argv)
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
		if (print_json()) {
			open_json_object(NULL);
			print_uint(PRINT_JSON, "bytes", NULL, size);
			close_json_line();
		}
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

int cmd_restore(int argc, char **argv)
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

