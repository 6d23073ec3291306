// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksfctl service ITEM | service batch FILE | notify PEER STATUS |
 * notify key-replace OLD NEW.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ksfctl.h"

/* Run the items, print the results; 0 all ok, EXIT_ITEMS otherwise. */
static int run_items(const struct ksf_items *items)
{
	size_t expected = ksf_items_count(items);
	struct ksf_results *res;
	int n, ret;

	open_handle();
	n = ksf_service_request(h, items, &res);
	if (n < 0)
		return fail("service", n);
	ret = results_print(res, "");
	if ((size_t)n != expected) {
		fprintf(stderr, "ksfctl: %d results for %zu items\n", n, expected);
		ret = 1;
	}
	ksf_results_free(res);
	return ret;
}

/* service batch FILE|-: one ITEM per line, '#' comments */
static int batch_read(const char *path, FILE *f, struct ksf_items *items)
{
	size_t lcap = 0, lineno = 0;
	char *line = NULL, eb[256];
	int ret = 0;

	while (!ret && getline(&line, &lcap, f) > 0) {
		char *words[512];
		int nw;

		lineno++;
		nw = split_words(line, words, 512);
		if (nw < 0) {
			fprintf(stderr, "ksfctl: %s:%zu: too many words\n", path,
				lineno);
			ret = EXIT_USAGE;
		} else if (nw && item_parse(items, nw, words, eb, sizeof(eb))) {
			fprintf(stderr, "ksfctl: %s:%zu: %s\n", path, lineno, eb);
			ret = EXIT_USAGE;
		}
	}
	free(line);
	return ret;
}

int cmd_batch(int argc, char **argv)
{
	struct ksf_items *items;
	const char *path;
	FILE *f;
	int ret;

	if (argc != 3)
		die_usage("usage: service batch FILE|-");
	path = argv[2];
	f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		fprintf(stderr, "ksfctl: %s: %s\n", path, strerror(errno));
		return 1;
	}
	items = ksf_items_new();
	if (!items)
		die_usage("out of memory");
	ret = batch_read(path, f, items);
	if (f != stdin)
		fclose(f);
	if (!ret)
		ret = run_items(items);
	ksf_items_free(items);
	return ret;
}

int cmd_service(int argc, char **argv)
{
	struct ksf_items *items;
	char eb[256];
	int ret;

	if (argc < 2)
		die_usage("service needs a service name or \"batch FILE\"");
	items = ksf_items_new();
	if (!items)
		die_usage("out of memory");
	if (item_parse(items, argc - 1, argv + 1, eb, sizeof(eb)))
		die_usage("%s", eb);
	ret = run_items(items);
	ksf_items_free(items);
	return ret;
}

/* notify key-replace OLD NEW: nothing to print on success. */
static int notify_key_replace(int argc, char **argv)
{
	uint64_t old_key, new_key;
	int err;

	if (argc != 4)
		die_usage("usage: notify key-replace OLD NEW");
	old_key = parse_handle("key", argv[2]);
	new_key = parse_handle("new key", argv[3]);
	open_handle();
	err = ksf_notify_key_replace(h, old_key, new_key);
	if (err)
		return fail("notify key-replace", err);
	return 0;
}

int cmd_notify(int argc, char **argv)
{
	struct ksf_results *res = NULL;
	uint32_t status;
	int n, ret;

	if (argc > 1 && !strcmp(argv[1], "key-replace"))
		return notify_key_replace(argc, argv);
	if (argc != 3)
		die_usage("usage: notify PEER|- STATUS | notify key-replace OLD NEW");
	if (ksf_value(KSF_NAMES_NOTIFY_STATUS, argv[2], &status))
		die_usage("unknown notify status \"%s\"", argv[2]);
	if (status == KSF_NOTIFY_STATUS_KEY_REPLACE)
		die_usage("usage: notify key-replace OLD NEW");
	open_handle();
	n = ksf_notify(h, strcmp(argv[1], "-") ? argv[1] : NULL, status, &res);
	if (n < 0)
		return fail("notify", n);
	ret = results_print(res, "");
	ksf_results_free(res);
	return ret;
}
