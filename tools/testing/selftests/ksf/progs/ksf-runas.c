// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksf-runas UID GID[,GID...] CMD [ARG...]
 *   Run CMD with real/effective/saved uid UID, gid the first GID and the
 *   supplementary groups the others (none when only one is given), and no
 *   capabilities (as any non-root process).  For the selftests: busybox has
 *   no setpriv --reuid.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned long num(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || !*s) {
		fprintf(stderr, "ksf-runas: bad number \"%s\"\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	gid_t groups[64];
	size_t n = 0;
	char *list, *tok, *save = NULL;
	uid_t uid;

	if (argc < 4) {
		fprintf(stderr, "usage: ksf-runas UID GID[,GID...] CMD [ARG...]\n");
		return 2;
	}
	uid = num(argv[1]);
	list = strdup(argv[2]);
	for (tok = strtok_r(list, ",", &save); tok && n < 64;
	     tok = strtok_r(NULL, ",", &save))
		groups[n++] = num(tok);
	if (!n) {
		fprintf(stderr, "ksf-runas: no gid\n");
		return 2;
	}
	if (setgroups(n - 1, groups + 1) || setresgid(groups[0], groups[0], groups[0]) ||
	    setresuid(uid, uid, uid)) {
		perror("ksf-runas");
		return 126;
	}
	execvp(argv[3], argv + 3);
	fprintf(stderr, "ksf-runas: %s: %s\n", argv[3], strerror(errno));
	return 127;
}
