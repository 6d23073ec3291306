/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The trusted policy of a pair of instances (channel.rst "Negotiation"):
 * what each runs for the other, negotiated over the channel and stored
 * at both ends under the other's identity.  Each direction is a policy
 * of the negotiable terms: services, algs, key-len-min/max,
 * lifetime-max, batch-max, caller-rand.
 */
#ifndef _KSF_CORE_PAIR_H
#define _KSF_CORE_PAIR_H

#include <linux/rcupdate.h>
#include <linux/types.h>

struct ksf_peer;
struct ksf_policy;

/* Immutable once published; replaced whole under the chan's mutex. */
struct ksf_pair {
	struct rcu_head rcu;
	u32 generation;
	struct ksf_policy *we_run;	/* what we run for the peer */
	struct ksf_policy *they_run;	/* what the peer runs for us */
};

/* An offer as sent or received: both sides' terms, and its generation. */
struct ksf_offer {
	u64 id;
	u32 generation;
	const struct ksf_policy *serve;	/* the offerer runs for the other */
	const struct ksf_policy *ask;	/* services, algs it asks of it */
};

struct ksf_policy *ksf_terms_new(const struct ksf_policy *from);
void ksf_pair_free(struct ksf_pair *pair);
size_t ksf_pair_mem(const struct ksf_pair *pair);
u32 ksf_pair_generation(struct ksf_peer *peer);
struct ksf_policy *ksf_pair_offer_new(struct ksf_peer *peer,
				      struct ksf_offer *offer);
void ksf_pair_offer_sent(struct ksf_peer *peer, u64 id,
			 struct ksf_policy *conf);
struct ksf_pair *ksf_pair_answer(struct ksf_peer *peer,
				 const struct ksf_offer *offer);
int ksf_pair_accept(struct ksf_peer *peer, u64 offer_id, struct ksf_pair *pair,
		    const char **reason);
void ksf_pair_store(struct ksf_peer *peer, struct ksf_pair *pair);

#endif /* _KSF_CORE_PAIR_H */
