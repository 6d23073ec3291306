/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Trusted policies (seed 000 [0005]-[0012]), their typed service lists
 * (notify presets and timers) and the timers' runs.  No netlink here:
 * the transport registers the policy's wire codec at module init
 * (ksf_policy_set_codec(), core/peer.h; netlink/policy.c).
 */
#ifndef _KSF_CORE_POLICY_H
#define _KSF_CORE_POLICY_H

#include <linux/bitmap.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/types.h>

#include <uapi/linux/ksf.h>

struct ksf_peer;
struct ksf_req;

#define KSF_POLICY_KEYS_MAX	65536	/* default keys-max */
#define KSF_POLICY_CONTEXTS_MAX	65536	/* default contexts-max */
#define KSF_FC_ALG_KEY		0x69	/* TS 33.501 A.8 */

/*
 * A service list, decoded: typed requests (struct ksf_req, each one
 * allocation owning its bytes), run in order.
 */
struct ksf_list {
	u32 key;			/* notify status, or timer period (ms) */
	u32 n;
	struct ksf_req *items[];
};

/* The notify presets or the timers of a policy: shared by the policies
 * that did not change them, freed with the last.
 */
struct ksf_lists {
	refcount_t ref;
	u32 n;
	u32 len;			/* bytes of their netlink encoding */
	size_t mem;			/* bytes of kernel memory they hold */
	struct ksf_list *list[];
};

/* The trusted policy of a peer: replaced whole, read under RCU. */
struct ksf_policy {
	struct rcu_head rcu;
	refcount_t ref;
	DECLARE_BITMAP(services, __KSF_SERVICE_MAX);	/* bit s: service s */
	DECLARE_BITMAP(algs, __KSF_ALG_MAX);		/* bit a: alg a */
	u32 key_len_min;
	u32 key_len_max;
	u32 lifetime_max;
	u32 batch_max;
	u32 mac_len_min;	/* 0: the full tag */
	u32 keys_max;
	u32 contexts_max;
	bool caller_rand;
	u8 mac_fcs[32];		/* KDF FCs giving MAC keys */
	u8 encrypt_fcs[32];	/* KDF FCs giving encryption keys */
	struct ksf_lists *presets;	/* NULL: none */
	struct ksf_lists *timers;	/* NULL: none */
	char *carry;		/* nf: "ID,ID,..." it may carry for; NULL: none */
	/* ksf: what we ask it to run for us, offered in negotiations */
	DECLARE_BITMAP(ask_services, __KSF_SERVICE_MAX);
	DECLARE_BITMAP(ask_algs, __KSF_ALG_MAX);
};

static inline bool ksf_policy_service(const struct ksf_policy *pol, u32 s)
{
	return s < __KSF_SERVICE_MAX && test_bit(s, pol->services);
}

static inline bool ksf_policy_alg(const struct ksf_policy *pol, u32 a)
{
	return a < __KSF_ALG_MAX && test_bit(a, pol->algs);
}

/*
 * What runs a timer's list when it fires: registered at module init by
 * the layer that runs requests and delivers their results (today
 * netlink/request.c, through the engine).
 */
typedef void (*ksf_timer_runner_t)(struct ksf_peer *peer,
				   const struct ksf_list *timer);
void ksf_timers_set_runner(ksf_timer_runner_t run);

/* For the codec: a policy of the defaults, or a copy of @old's scalars. */
struct ksf_policy *ksf_policy_alloc(const struct ksf_policy *old);
void ksf_policy_copy_terms(struct ksf_policy *pol, const struct ksf_policy *old);
void ksf_policy_set_lists(struct ksf_lists **slot, struct ksf_lists *lists);
struct ksf_lists *ksf_lists_get(struct ksf_lists *lists);
void ksf_lists_put(struct ksf_lists *lists);
const struct ksf_list *ksf_policy_preset(const struct ksf_policy *pol,
					 u32 status);

size_t ksf_policy_mem(const struct ksf_policy *pol);
bool ksf_policy_carries(const struct ksf_policy *pol, const char *id);
bool ksf_peer_carries(struct ksf_peer *p, const char *id);
struct ksf_policy *ksf_policy_get(struct ksf_peer *p);
void ksf_policy_put(struct ksf_policy *pol);
void ksf_timers_start(struct ksf_peer *p, const struct ksf_policy *pol);
void ksf_timers_stop(struct ksf_peer *p);

#endif /* _KSF_CORE_POLICY_H */
