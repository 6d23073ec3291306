// SPDX-License-Identifier: GPL-2.0-only
/*
 * Harness self-test: a module that misbehaves on purpose when it loads, so
 * harness-selftest.sh can prove that the ksf test harness fails such a run.
 *   warn=1 (default): WARN_ON(1)
 *   leak=1: allocate and drop a buffer (kmemleak must report it)
 *   shift=N: compute 1 << N (N >= 32: UBSAN must report shift-out-of-bounds)
 *   race=1: a kthread increments a plain int while the loading thread reads
 *           it, for about race_ms ms (KCSAN must report a data race)
 */
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>

static bool warn = true;
module_param(warn, bool, 0444);
MODULE_PARM_DESC(warn, "WARN_ON(1) when loaded");

static bool leak;
module_param(leak, bool, 0444);
MODULE_PARM_DESC(leak, "leak a 256-byte buffer when loaded");

static int shift;
module_param(shift, int, 0444);
MODULE_PARM_DESC(shift, "compute 1 << shift when loaded (>= 32: undefined)");

static bool race;
module_param(race, bool, 0444);
MODULE_PARM_DESC(race, "race a plain int between two threads when loaded");

static unsigned int race_ms = 2000;
module_param(race_ms, uint, 0444);
MODULE_PARM_DESC(race_ms, "how long the race runs");

static void *ksf_warn_test_ptr;
static int ksf_warn_test_shifted;
static int ksf_warn_test_racy;	/* plain accesses from two threads: a data race */

static int ksf_warn_test_writer(void *unused)
{
	while (!kthread_should_stop()) {
		ksf_warn_test_racy++;
		barrier();
		cond_resched();
	}
	return 0;
}

static noinline int ksf_warn_test_reader(unsigned long end)
{
	int sum = 0;

	while (time_before(jiffies, end)) {
		sum += ksf_warn_test_racy;
		barrier();
		cond_resched();
	}
	return sum;
}

static int ksf_warn_test_race(void)
{
	struct task_struct *t;
	int sum;

	t = kthread_run(ksf_warn_test_writer, NULL, "ksf_warn_racer");
	if (IS_ERR(t))
		return PTR_ERR(t);
	sum = ksf_warn_test_reader(jiffies + msecs_to_jiffies(race_ms));
	kthread_stop(t);
	pr_info("ksf_warn_test: race done (%d)\n", sum);
	return 0;
}

static int __init ksf_warn_test_init(void)
{
	int ret;

	WARN_ON(warn);
	if (shift) {
		/* the shift amount is a module parameter: not folded at build time */
		ksf_warn_test_shifted = 1 << READ_ONCE(shift);
		pr_info("ksf_warn_test: 1 << %d = %d\n", shift, ksf_warn_test_shifted);
	}
	if (race) {
		ret = ksf_warn_test_race();
		if (ret)
			return ret;
	}
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
