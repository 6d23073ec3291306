// SPDX-License-Identifier: GPL-2.0-only
/*
 * A ksf peer's channel state (chan.h): its handshake in progress and its
 * session slots.  A new session of ours becomes current and the current
 * one previous; a responder's new session waits, unconfirmed, until its
 * first blob opens.  Whatever leaves a slot is wiped.
 */
#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <uapi/linux/ksf.h>

#include "chan.h"
#include "pair.h"
#include "policy.h"
#include "session.h"

struct ksf_chan *ksf_chan_new(void)
{
	struct ksf_chan *c = kzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);

	if (c) {
		mutex_init(&c->lock);
		spin_lock_init(&c->mark_lock);
	}
	return c;
}

void ksf_chan_slot_clear(struct chan_slot *sl)
{
	ksf_session_free(sl->s);
	memset(sl, 0, sizeof(*sl));
}

void ksf_chan_hs_drop(struct ksf_chan *c)
{
	ksf_noise_free(c->hs);
	c->hs = NULL;
	c->hs_index = 0;
}

/* The peer is gone: wipe its handshake and sessions, open no more. */
void ksf_chan_close(struct ksf_chan *c)
{
	int i;

	if (!c)
		return;
	mutex_lock(&c->lock);
	c->closed = true;
	ksf_chan_hs_drop(c);
	for (i = 0; i < KSF_CHAN_SESSIONS; i++)
		ksf_chan_slot_clear(&c->slot[i]);
	mutex_unlock(&c->lock);
}

/* With the peer's last reference (closed by then, or never used). */
void ksf_chan_free(struct ksf_chan *c)
{
	int i;

	if (!c)
		return;
	ksf_noise_free(c->hs);
	for (i = 0; i < KSF_CHAN_SESSIONS; i++)
		ksf_session_free(c->slot[i].s);
	ksf_pair_free(rcu_dereference_protected(c->pair, true));
	ksf_policy_put(c->offer);
	mutex_destroy(&c->lock);
	kfree_sensitive(c);
}

/*
 * Sessions that may no longer open are wiped at once, a handshake too
 * old dropped; true if any session or handshake is left.
 */
bool ksf_chan_prune(struct ksf_chan *c)
{
	bool live = false;
	int i;

	for (i = 0; i < KSF_CHAN_SESSIONS; i++) {
		if (c->slot[i].s && ksf_session_expired(c->slot[i].s))
			ksf_chan_slot_clear(&c->slot[i]);
		live |= !!c->slot[i].s;
	}
	if (c->hs && time_after(jiffies, c->hs_started +
				min(KSF_CHAN_HANDSHAKE_SECS, ksf_session_reject_secs()) * HZ))
		ksf_chan_hs_drop(c);
	return live || c->hs;
}

/* A random non-zero index none of @c's sessions or handshake has. */
u32 ksf_chan_new_index(const struct ksf_chan *c)
{
	u32 idx;
	int i;

again:
	idx = get_random_u32();
	if (!idx || idx == c->hs_index)
		goto again;
	for (i = 0; i < KSF_CHAN_SESSIONS; i++)
		if (c->slot[i].s && c->slot[i].index == idx)
			goto again;
	return idx;
}

/* @sl into slot @i of @c, the one there wiped. */
void ksf_chan_slot_set(struct ksf_chan *c, int i, const struct chan_slot *sl)
{
	ksf_chan_slot_clear(&c->slot[i]);
	c->slot[i] = *sl;
}

/* The current session is replaced by @sl; the old one becomes previous. */
void ksf_chan_make_current(struct ksf_chan *c, const struct chan_slot *sl)
{
	ksf_chan_slot_set(c, SLOT_PREVIOUS, &c->slot[SLOT_CURRENT]);
	memset(&c->slot[SLOT_CURRENT], 0, sizeof(c->slot[SLOT_CURRENT]));
	c->slot[SLOT_CURRENT] = *sl;
}

/* The slot whose index is @idx, or NULL. */
struct chan_slot *ksf_chan_slot_of(struct ksf_chan *c, u32 idx)
{
	int i;

	for (i = 0; i < KSF_CHAN_SESSIONS; i++)
		if (c->slot[i].s && c->slot[i].index == idx)
			return &c->slot[i];
	return NULL;
}

int ksf_chan_sessions(struct ksf_chan *c,
		      struct ksf_chan_session_info info[KSF_CHAN_SESSIONS])
{
	static const u32 order[] = { SLOT_NEXT, SLOT_CURRENT, SLOT_PREVIOUS };
	static const u32 state[] = {
		[SLOT_NEXT] = KSF_SESSION_STATE_UNCONFIRMED,
		[SLOT_CURRENT] = KSF_SESSION_STATE_CURRENT,
		[SLOT_PREVIOUS] = KSF_SESSION_STATE_PREVIOUS,
	};
	int i, n = 0;

	/* No prune here: what it shows is what the reaper left (tested). */
	mutex_lock(&c->lock);
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		const struct chan_slot *sl = &c->slot[order[i]];

		if (!sl->s)
			continue;
		info[n] = (struct ksf_chan_session_info) {
			.index = sl->index,
			.role = sl->role,
			.state = state[order[i]],
			.age = (jiffies - sl->s->created) / HZ,
			.sent = atomic64_read(&sl->s->next),
			.received = sl->received,
		};
		n++;
	}
	mutex_unlock(&c->lock);
	return n;
}

u32 ksf_chan_refused(struct ksf_chan *c)
{
	return atomic_read(&c->refused);
}

/*
 * The psk's handle: read once per handshake, so a change applies to the
 * next one (the key's bytes are read then, never kept here).
 */
void ksf_chan_set_psk(struct ksf_chan *c, u64 handle)
{
	WRITE_ONCE(c->psk, handle);
}

u64 ksf_chan_psk(const struct ksf_chan *c)
{
	return READ_ONCE(c->psk);
}

/*
 * The greatest handshake timestamp accepted, for a save: the save walks
 * peers under RCU, so not under the chan's mutex.
 */
void ksf_chan_mark(struct ksf_chan *c, u8 mark[KSF_NOISE_TS_LEN])
{
	spin_lock(&c->mark_lock);
	memcpy(mark, c->ts_mark, KSF_NOISE_TS_LEN);
	spin_unlock(&c->mark_lock);
}

/* Under the chan's mutex: a handshake's timestamp, accepted. */
void ksf_chan_mark_set_locked(struct ksf_chan *c,
			      const u8 mark[KSF_NOISE_TS_LEN])
{
	lockdep_assert_held(&c->lock);
	spin_lock(&c->mark_lock);
	memcpy(c->ts_mark, mark, KSF_NOISE_TS_LEN);
	spin_unlock(&c->mark_lock);
}

/* A restored mark, or none (@mark NULL: the peer's clock stepped back). */
void ksf_chan_set_mark(struct ksf_chan *c, const u8 *mark)
{
	static const u8 zero[KSF_NOISE_TS_LEN];

	mutex_lock(&c->lock);
	ksf_chan_mark_set_locked(c, mark ?: zero);
	mutex_unlock(&c->lock);
}
