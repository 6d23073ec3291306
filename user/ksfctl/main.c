// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksfctl: configure and use ksf, the kernel security function.
 * See ksfctl(8).  main(): the options, then the command table (cmds.c).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "ksfctl.h"

/* help service: every service and its item keywords, from libksf's table */
static int help_services(void)
{
	struct ksf_field f;
	uint32_t s;
	size_t i, j;

	for (i = 0; (s = service_nth(i)); i++) {
		printf("%s", ksf_name(KSF_NAMES_SERVICE, s));
		for (j = 0; !ksf_item_field_info(s, j, &f); j++)
			printf(" [%s]%s", f.name, f.multi ? "..." : "");
		printf("\n");
	}
	return 0;
}

static int help(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "service"))
		return help_services();
	usage(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	const struct cmd *c;
	bool json = false;
	int i = 1, ret, consumed;

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
	print_init(stdout, json);
	argc -= i;
	argv += i;
	if (!strcmp(argv[0], "help"))
		return help(argc, argv);
	c = cmd_find(argc, argv, &consumed);
	ret = c->handler(argc, argv);
	ksf_close(h);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "ksfctl: write error: %s\n", strerror(errno));
		return 1;
	}
	return ret;
}
