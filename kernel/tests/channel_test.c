// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the pieces of the channel between instances (channel.rst):
 * the replay window of a session.
 */
#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include "../core/replay.h"

static struct ksf_replay *new_window(struct kunit *test)
{
	struct ksf_replay *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	return r;
}

/* In order, each once; a second time each is a replay. */
static void replay_in_order(struct kunit *test)
{
	struct ksf_replay *r = new_window(test);
	u64 n;

	for (n = 0; n < 3 * KSF_REPLAY_BITS; n++)
		KUNIT_ASSERT_EQ(test, ksf_replay_commit(r, n), KSF_REPLAY_NEW);
	for (n = 3 * KSF_REPLAY_BITS - KSF_REPLAY_WINDOW;
	     n < 3 * KSF_REPLAY_BITS; n++)
		KUNIT_ASSERT_EQ(test, ksf_replay_check(r, n), KSF_REPLAY_SEEN);
	KUNIT_EXPECT_EQ(test, ksf_replay_check(r, 0), KSF_REPLAY_OLD);
}

/* A check records nothing; out of order within the window is accepted. */
static void replay_reorder(struct kunit *test)
{
	struct ksf_replay *r = new_window(test);

	KUNIT_EXPECT_EQ(test, ksf_replay_check(r, 7), KSF_REPLAY_NEW);
	KUNIT_EXPECT_EQ(test, ksf_replay_check(r, 7), KSF_REPLAY_NEW);
	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, 1000), KSF_REPLAY_NEW);
	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, 7), KSF_REPLAY_NEW);
	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, 7), KSF_REPLAY_SEEN);
	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, 1000), KSF_REPLAY_SEEN);
	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, 0), KSF_REPLAY_NEW);
	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, 999), KSF_REPLAY_NEW);
	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, 1001), KSF_REPLAY_NEW);
}

/* The window's edge: WINDOW behind the greatest is in, one more is out. */
static void replay_edge(struct kunit *test)
{
	struct ksf_replay *r = new_window(test);
	u64 top = KSF_REPLAY_WINDOW + 500;

	KUNIT_ASSERT_EQ(test, ksf_replay_commit(r, top), KSF_REPLAY_NEW);
	KUNIT_EXPECT_EQ(test, ksf_replay_check(r, top - KSF_REPLAY_WINDOW),
			KSF_REPLAY_NEW);
	KUNIT_EXPECT_EQ(test, ksf_replay_check(r, top - KSF_REPLAY_WINDOW - 1),
			KSF_REPLAY_OLD);
	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, top - KSF_REPLAY_WINDOW - 1),
			KSF_REPLAY_OLD);
	KUNIT_EXPECT_STREQ(test, ksf_replay_reason(KSF_REPLAY_OLD),
			   "message too old for the replay window");
	KUNIT_EXPECT_NULL(test, ksf_replay_reason(KSF_REPLAY_NEW));
}

/* After a jump, bits of counters long gone mark nothing as seen. */
static void replay_jump(struct kunit *test)
{
	struct ksf_replay *r = new_window(test);
	u64 n;

	for (n = 0; n < 200; n++)
		ksf_replay_commit(r, n);
	/* the same bit positions, one and three maps later */
	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, KSF_REPLAY_BITS + 199),
			KSF_REPLAY_NEW);
	for (n = KSF_REPLAY_BITS; n < KSF_REPLAY_BITS + 199; n++)
		KUNIT_ASSERT_EQ(test, ksf_replay_check(r, n), KSF_REPLAY_NEW);
	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, 3 * KSF_REPLAY_BITS + 5),
			KSF_REPLAY_NEW);
	for (n = 3 * KSF_REPLAY_BITS + 5 - KSF_REPLAY_WINDOW;
	     n < 3 * KSF_REPLAY_BITS + 5; n++)
		KUNIT_ASSERT_EQ(test, ksf_replay_check(r, n), KSF_REPLAY_NEW);
	KUNIT_EXPECT_EQ(test, ksf_replay_check(r, KSF_REPLAY_BITS + 199),
			KSF_REPLAY_OLD);
}

static void replay_limit(struct kunit *test)
{
	struct ksf_replay *r = new_window(test);

	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, KSF_REPLAY_LIMIT - 1),
			KSF_REPLAY_NEW);
	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, KSF_REPLAY_LIMIT),
			KSF_REPLAY_LIMIT_HIT);
	KUNIT_EXPECT_EQ(test, ksf_replay_check(r, U64_MAX),
			KSF_REPLAY_LIMIT_HIT);
}

/*
 * Random walks against a plain model: every counter ever committed, and
 * the rule "new if above the greatest, else old if more than WINDOW
 * behind it, else seen or new".
 */
#define MODEL_N	(4 * KSF_REPLAY_BITS)

static void replay_model(struct kunit *test)
{
	unsigned long *seen = kunit_kzalloc(test, BITS_TO_LONGS(MODEL_N) *
					    sizeof(long), GFP_KERNEL);
	struct ksf_replay *r = new_window(test);
	struct rnd_state rnd;
	u64 n, top = 0, want;
	int i, round;

	KUNIT_ASSERT_NOT_NULL(test, seen);
	prandom_seed_state(&rnd, 42);
	for (round = 0; round < 4; round++) {
		memset(r, 0, sizeof(*r));
		bitmap_zero(seen, MODEL_N);
		top = 0;
		for (i = 0; i < 20000; i++) {
			u32 x = prandom_u32_state(&rnd);

			/* mostly near the top, sometimes far behind or ahead */
			n = top + (x % 64) - 48 + (x % 97 == 0 ? 3000 : 0) -
			    (x % 89 == 0 ? 9000 : 0);
			if ((s64)n < 0 || n >= MODEL_N)
				continue;
			want = n + 1 > top ? KSF_REPLAY_NEW :
			       n + 1 + KSF_REPLAY_WINDOW < top ? KSF_REPLAY_OLD :
			       test_bit(n, seen) ? KSF_REPLAY_SEEN :
			       KSF_REPLAY_NEW;
			KUNIT_ASSERT_EQ_MSG(test, ksf_replay_commit(r, n),
					    want, "round %d step %d counter %llu",
					    round, i, n);
			if (want == KSF_REPLAY_NEW) {
				__set_bit(n, seen);
				top = max(top, n + 1);
			}
		}
	}
}

static struct kunit_case ksf_channel_cases[] = {
	KUNIT_CASE(replay_in_order),
	KUNIT_CASE(replay_reorder),
	KUNIT_CASE(replay_edge),
	KUNIT_CASE(replay_jump),
	KUNIT_CASE(replay_limit),
	KUNIT_CASE(replay_model),
	{}
};

static struct kunit_suite ksf_channel_suite = {
	.name = "ksf-channel",
	.test_cases = ksf_channel_cases,
};

kunit_test_suite(ksf_channel_suite);
