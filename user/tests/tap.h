/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * TAP for the host unit tests (tests/unit.c, tests/relayd.c): CHECK(cond)
 * prints "ok N - cond" or "not ok N - file:line: cond"; tap_done()
 * prints the plan and gives the exit status.
 */
#ifndef KSF_TESTS_TAP_H
#define KSF_TESTS_TAP_H

#include <stdio.h>

static int n, failed;

#define CHECK(cond)							\
	do {								\
		n++;							\
		if (!(cond)) {						\
			failed++;					\
			printf("not ok %d - %s:%d: %s\n", n, __FILE__,	\
			       __LINE__, #cond);			\
		} else {						\
			printf("ok %d - %s\n", n, #cond);		\
		}							\
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", n);
	if (failed)
		printf("# %d of %d failed\n", failed, n);
	return failed ? 1 : 0;
}

#endif
