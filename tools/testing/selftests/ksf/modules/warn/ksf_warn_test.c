// SPDX-License-Identifier: GPL-2.0-only
/*
 * Harness self-test: a module that WARNs when it loads.  The ksf test
 * harness must fail a run in which it is loaded (see harness-selftest.sh).
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init ksf_warn_test_init(void)
{
	WARN_ON(1);
	return 0;
}

static void __exit ksf_warn_test_exit(void)
{
}

module_init(ksf_warn_test_init);
module_exit(ksf_warn_test_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksf harness self-test: WARN_ON(1) on load");
