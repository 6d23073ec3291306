/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ksf: kernel security function for 5G network-function hosts.
 *
 * One instance per network namespace holds peers (with their trusted
 * policies), keys and contexts.  User space names keys only by 64-bit
 * handles.  This header is the instance, shared by every layer above
 * crypto/; each object of core/ has its own header, each layer too.
 */
#ifndef _KSF_H
#define _KSF_H

#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/percpu-rwsem.h>
#include <linux/ratelimit.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

#include "crypto/x25519.h"

struct ksf_restore;

#ifndef KSF_VERSION
#define KSF_VERSION "0.0.0"
#endif

/* The instance of one network namespace. */
struct ksf_net {
	struct net *net;
	u64 instance_id;
	struct rhashtable peers;	/* by id, RCU lookups */
	struct rhashtable keys;		/* by handle, RCU lookups */
	struct rhashtable contexts;	/* by owner and subscriber, RCU */
	struct rhashtable ctx_handles;	/* contexts by handle, RCU */
	struct list_head nf_peers;	/* RCU list of bound nf peers */
	struct list_head ksf_peers;	/* RCU list of ksf peers */
	struct mutex lock;		/* serialises peer changes (admin) */
	struct mutex expire_lock;	/* key expiry vs. teardown */
	struct mutex restore_lock;	/* restore requests, restore */
	struct percpu_rw_semaphore gate;	/* the restore gate, below */
	struct ksf_restore *restore;	/* a restore in progress */
	bool keys_dead;			/* under expire_lock */
	atomic_t n_peers;
	atomic_t n_keys;
	atomic_t n_contexts;
	atomic64_t mem;
	struct ratelimit_state verify_rs;	/* verify-failure events */
	struct ratelimit_state msg_rs;	/* msg-refused events */
	struct ratelimit_state hs_rs;	/* handshake-inits handed in */
	spinlock_t identity_lock;	/* the static key pair (identity.c) */
	u8 identity_priv[KSF_X25519_LEN];
	u8 identity_pub[KSF_X25519_LEN];
	u64 identity_key_id;		/* of identity_pub (channel.c) */
	struct delayed_work chan_reaper;	/* wipes expired sessions */
	bool dead;			/* instance being torn down */
};

/* Counts one more object in @n, up to @max (0: no limit); -EDQUOT beyond. */
static inline int ksf_count_up_to(atomic_t *n, u32 max)
{
	if (atomic_inc_return(n) <= max || !max)
		return 0;
	atomic_dec(n);
	return -EDQUOT;
}

/*
 * The restore gate.  While a restore is open the instance is not in
 * service: it may be undone as a whole, so nothing else may change it.
 * Every request that changes the instance, and every timer run, holds
 * the read side for its whole run (netlink pre_doit to post_doit; the
 * timer's work); a restore begins under the write side, which waits for
 * the runs in flight, and sets kn->restore.  Readers then see it and
 * leave.  The read side is per CPU: no shared lock on the request path.
 */
static inline bool ksf_gate_enter(struct ksf_net *kn)
{
	percpu_down_read(&kn->gate);
	if (!READ_ONCE(kn->restore))
		return true;
	percpu_up_read(&kn->gate);
	return false;
}

/* For timers: never waits (a restore beginning or open: false). */
static inline bool ksf_gate_try_enter(struct ksf_net *kn)
{
	if (!percpu_down_read_trylock(&kn->gate))
		return false;
	if (!READ_ONCE(kn->restore))
		return true;
	percpu_up_read(&kn->gate);
	return false;
}

static inline void ksf_gate_leave(struct ksf_net *kn)
{
	percpu_up_read(&kn->gate);
}

static inline unsigned long secs_to_jiffies_compat(u64 secs)
{
	return msecs_to_jiffies(secs * MSEC_PER_SEC);
}

/* core/instance.c (set by main.c at module init) */
extern unsigned int ksf_net_id;
extern struct workqueue_struct *ksf_wq;
struct ksf_net *ksf_net(const struct net *net);

/* main.c (and the KUnit suites) */
int ksf_instance_init(struct ksf_net *kn, struct net *net);
void ksf_instance_exit(struct ksf_net *kn);

#endif /* _KSF_H */
