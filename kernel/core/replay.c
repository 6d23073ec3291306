// SPDX-License-Identifier: GPL-2.0-only
/*
 * A sliding window of KSF_REPLAY_BITS bits over the message counters of
 * a session.  Counter n is kept as bit n + 1 (so that top 0 means none
 * seen); bit b lives in word (b / BITS_PER_LONG) modulo the map's words.
 * When the greatest counter moves on, the words it passes are cleared.
 * The window is a word short of the map, so that the words of every
 * counter still accepted are distinct.  The caller serialises a check
 * and the commit after it (the session's lock).
 */
#include <linux/minmax.h>

#include "replay.h"

#define WORDS	(KSF_REPLAY_BITS / BITS_PER_LONG)

static unsigned long *word_of(unsigned long *map, u64 b)
{
	return &map[(b / BITS_PER_LONG) % WORDS];
}

enum ksf_replay_verdict ksf_replay_check(const struct ksf_replay *r, u64 n)
{
	u64 b = n + 1;

	if (n >= KSF_REPLAY_LIMIT)
		return KSF_REPLAY_LIMIT_HIT;
	if (b > r->top)
		return KSF_REPLAY_NEW;
	if (b + KSF_REPLAY_WINDOW < r->top)
		return KSF_REPLAY_OLD;
	return test_bit(b % BITS_PER_LONG, word_of((unsigned long *)r->map, b)) ?
	       KSF_REPLAY_SEEN : KSF_REPLAY_NEW;
}

/* Checks @n again and, if it is new, records it. */
enum ksf_replay_verdict ksf_replay_commit(struct ksf_replay *r, u64 n)
{
	enum ksf_replay_verdict v = ksf_replay_check(r, n);
	u64 b = n + 1, from, i, passed;

	if (v != KSF_REPLAY_NEW)
		return v;
	if (b > r->top) {
		from = r->top / BITS_PER_LONG;
		passed = min_t(u64, b / BITS_PER_LONG - from, WORDS);
		for (i = 1; i <= passed; i++)
			*word_of(r->map, (from + i) * BITS_PER_LONG) = 0;
		r->top = b;
	}
	__set_bit(b % BITS_PER_LONG, word_of(r->map, b));
	return KSF_REPLAY_NEW;
}

const char *ksf_replay_reason(enum ksf_replay_verdict v)
{
	switch (v) {
	case KSF_REPLAY_SEEN:
		return "replayed message";
	case KSF_REPLAY_OLD:
		return "message too old for the replay window";
	case KSF_REPLAY_LIMIT_HIT:
		return "session message limit reached";
	default:
		return NULL;
	}
}
