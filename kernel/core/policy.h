/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Trusted policies (seed 000 [0005]-[0012]) and their timers.
 */
#ifndef _KSF_CORE_POLICY_H
#define _KSF_CORE_POLICY_H

#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/types.h>

struct ksf_peer;
struct nlattr;
struct netlink_ext_ack;
struct sk_buff;

#define KSF_POLICY_KEYS_MAX	65536	/* default keys-max */
#define KSF_POLICY_CONTEXTS_MAX	65536	/* default contexts-max */
#define KSF_FC_ALG_KEY		0x69	/* TS 33.501 A.8 */

/* The trusted policy of a peer: replaced whole, read under RCU. */
struct ksf_policy {
	struct rcu_head rcu;
	refcount_t ref;
	u64 services;
	u64 algs;
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
	/* Preset lists and timers, kept as their validated netlink nests. */
	u32 presets_len;
	u32 timers_len;
	u8 nests[];			/* presets, then timers */
};

/*
 * What runs a timer's list when it fires: registered at module init by
 * the layer that runs requests and delivers their results (today
 * netlink/request.c, through the engine).
 */
typedef void (*ksf_timer_runner_t)(struct ksf_peer *peer,
				   const struct nlattr *timer);
void ksf_timers_set_runner(ksf_timer_runner_t run);

struct ksf_policy *ksf_policy_parse(const struct nlattr *nest,
				    const struct ksf_policy *old,
				    struct netlink_ext_ack *extack);
struct ksf_policy *ksf_policy_default(void);
size_t ksf_policy_mem(const struct ksf_policy *pol);
size_t ksf_policy_fill_size(const struct ksf_policy *pol);
int ksf_policy_fill(struct sk_buff *skb, const struct ksf_policy *pol);
struct ksf_policy *ksf_policy_get(struct ksf_peer *p);
void ksf_policy_put(struct ksf_policy *pol);
void ksf_timers_start(struct ksf_peer *p, const struct ksf_policy *pol);
void ksf_timers_stop(struct ksf_peer *p);

#endif /* _KSF_CORE_POLICY_H */
