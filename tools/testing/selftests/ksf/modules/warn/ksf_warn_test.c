// SPDX-License-Identifier: GPL-2.0-only
/*
 * Harness self-test: a module that misbehaves on purpose when it loads, so
 * harness-selftest.sh can prove that the ksf test harness fails such a run.
 *   warn=1 (default): WARN_ON(1)
 *   leak=1: allocate and drop a buffer (kmemleak must report it)
 */
#include <linux/bug.h>
#include <linux/module.h>
#include <linux/slab.h>

static bool warn = true;
module_param(warn, bool, 0444);
MODULE_PARM_DESC(warn, "WARN_ON(1) when loaded");

static bool leak;
module_param(leak, bool, 0444);
MODULE_PARM_DESC(leak, "leak a 256-byte buffer when loaded");

static void *ksf_warn_test_ptr;

static int __init ksf_warn_test_init(void)
{
	WARN_ON(warn);
	if (leak) {
		ksf_warn_test_ptr = kmalloc(256, GFP_KERNEL);
		if (!ksf_warn_test_ptr)
			return -ENOMEM;
		/* Forget the only reference: an unreferenced object. */
		ksf_warn_test_ptr = NULL;
	}
	return 0;
}

static void __exit ksf_warn_test_exit(void)
{
}

module_init(ksf_warn_test_init);
module_exit(ksf_warn_test_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksf harness self-test: misbehaves on load");
