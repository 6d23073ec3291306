/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a ksf peer keeps of the channel with its instance (channel.rst
 * "Sessions"): the handshake it started, its unconfirmed, current and
 * previous sessions, the greatest handshake timestamp it accepted.  Under
 * the chan's mutex; channel.c frames and checks the blobs around it.
 */
#ifndef _KSF_CORE_CHAN_H
#define _KSF_CORE_CHAN_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "../crypto/noise.h"

struct ksf_pair;
struct ksf_policy;
struct ksf_session;

#define KSF_CHAN_SESSIONS	3	/* unconfirmed, current, previous */
/* REKEY_ATTEMPT_TIME: a handshake older than this is dropped. */
#define KSF_CHAN_HANDSHAKE_SECS	90
/* Handshake-inits handed in: per carrying nf peer, per instance. */
#define KSF_HS_RATE_CARRIER	10	/* per half second */
#define KSF_HS_RATE_INSTANCE	200	/* per second */

/* The slots, newest first. */
enum { SLOT_NEXT, SLOT_CURRENT, SLOT_PREVIOUS };

struct chan_slot {
	struct ksf_session *s;		/* NULL: empty */
	u32 index;			/* ours: what comes in names it */
	u32 remote;			/* theirs: what we send names it */
	u32 role;
	u64 received;
};

struct ksf_chan {
	struct mutex lock;		/* everything below but refused */
	bool closed;			/* its peer is gone */
	struct ksf_noise *hs;		/* our handshake in progress */
	u32 hs_index;
	unsigned long hs_started;
	struct chan_slot slot[KSF_CHAN_SESSIONS];
	/* Greatest TAI64N accepted: written under lock and mark_lock. */
	u8 ts_mark[KSF_NOISE_TS_LEN];
	spinlock_t mark_lock;		/* a save reads it under RCU */
	u64 psk;			/* key handle, 0: none; READ_ONCE */
	atomic_t refused;
	struct ksf_pair __rcu *pair;	/* negotiated; NULL: never */
	u64 offer_id;			/* our latest offer, 0: none */
	struct ksf_policy *offer;	/* the policy it offered (a reference) */
};

/* One session as peer-get shows it: no key, no window. */
struct ksf_chan_session_info {
	u32 index;
	u32 role;			/* KSF_SESSION_ROLE_* */
	u32 state;			/* KSF_SESSION_STATE_* */
	u32 age;			/* seconds */
	u64 sent;
	u64 received;
};

struct ksf_chan *ksf_chan_new(void);
void ksf_chan_close(struct ksf_chan *c);
void ksf_chan_free(struct ksf_chan *c);
void ksf_chan_slot_clear(struct chan_slot *sl);
void ksf_chan_hs_drop(struct ksf_chan *c);
bool ksf_chan_prune(struct ksf_chan *c);
u32 ksf_chan_new_index(const struct ksf_chan *c);
void ksf_chan_slot_set(struct ksf_chan *c, int i, const struct chan_slot *sl);
void ksf_chan_make_current(struct ksf_chan *c, const struct chan_slot *sl);
struct chan_slot *ksf_chan_slot_of(struct ksf_chan *c, u32 idx);
int ksf_chan_sessions(struct ksf_chan *c,
		      struct ksf_chan_session_info info[KSF_CHAN_SESSIONS]);
u32 ksf_chan_refused(struct ksf_chan *c);
void ksf_chan_set_psk(struct ksf_chan *c, u64 handle);
u64 ksf_chan_psk(const struct ksf_chan *c);
void ksf_chan_mark(struct ksf_chan *c, u8 mark[KSF_NOISE_TS_LEN]);
void ksf_chan_set_mark(struct ksf_chan *c, const u8 *mark);
void ksf_chan_mark_set_locked(struct ksf_chan *c,
			      const u8 mark[KSF_NOISE_TS_LEN]);

#endif /* _KSF_CORE_CHAN_H */
