/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The receive window of a channel session (channel.rst "Sealed
 * messages"): which message counters were seen, as WireGuard keeps them.
 * A counter is checked before its message is opened and committed only
 * after it authenticated, both under the session's lock: a tampered
 * message never moves the window.
 */
#ifndef _KSF_CORE_REPLAY_H
#define _KSF_CORE_REPLAY_H

#include <linux/bitops.h>
#include <linux/types.h>

#define KSF_REPLAY_BITS		8192
/* Counters behind the greatest one seen that are still accepted. */
#define KSF_REPLAY_WINDOW	(KSF_REPLAY_BITS - BITS_PER_LONG)
/* No session carries this many messages (REJECT_AFTER_MESSAGES). */
#define KSF_REPLAY_LIMIT	BIT_ULL(21)

enum ksf_replay_verdict {
	KSF_REPLAY_NEW,		/* not seen, in the window */
	KSF_REPLAY_SEEN,	/* a replay */
	KSF_REPLAY_OLD,		/* behind the window */
	KSF_REPLAY_LIMIT_HIT,	/* beyond what a session may carry */
};

struct ksf_replay {
	u64 top;		/* greatest counter seen + 1; 0: none yet */
	unsigned long map[KSF_REPLAY_BITS / BITS_PER_LONG];
};

enum ksf_replay_verdict ksf_replay_check(const struct ksf_replay *r, u64 n);
enum ksf_replay_verdict ksf_replay_commit(struct ksf_replay *r, u64 n);
const char *ksf_replay_reason(enum ksf_replay_verdict v);

#endif /* _KSF_CORE_REPLAY_H */
