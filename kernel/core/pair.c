// SPDX-License-Identifier: GPL-2.0-only
/*
 * Negotiation of a pair policy (Documentation/channel.rst "Negotiation").
 * The offerer sends what its configured policy for the other lets it run
 * (serve) and what it asks the other to run (ask-services, ask-algs).
 * The answerer meets the offer with its own configured policy:
 *
 *   answerer runs:  its services/algs AND the offer's ask, its bounds
 *   offerer runs:   the offer's serve, services/algs AND its own ask
 *
 * stores both under the offerer's identity and answers them; the offerer
 * checks the answer is within its latest offer and stores it too.  Each
 * store replaces the pair whole under RCU: a reader sees the old pair or
 * the new one.  This file does no wire format: the transport decodes and
 * encodes offers and answers (netlink/msg.c).
 */
#include <linux/bitmap.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "../ksf.h"
#include "chan.h"
#include "pair.h"
#include "peer.h"
#include "policy.h"

/* A policy of @from's negotiable terms, the rest defaults; NULL: no memory. */
struct ksf_policy *ksf_terms_new(const struct ksf_policy *from)
{
	struct ksf_policy *pol = ksf_policy_alloc(NULL);

	if (pol)
		ksf_policy_copy_terms(pol, from);
	return pol;
}

/* Lifetimes: 0 is unbounded, so a bound is within 0 and 0 in none. */
static bool lifetime_within(u32 a, u32 b)
{
	return !b || (a && a <= b);
}

/* Are the terms of @a no wider than those of @b? */
static bool terms_within(const struct ksf_policy *a, const struct ksf_policy *b)
{
	return bitmap_subset(a->services, b->services, __KSF_SERVICE_MAX) &&
	       bitmap_subset(a->algs, b->algs, __KSF_ALG_MAX) &&
	       a->key_len_min >= b->key_len_min &&
	       a->key_len_max <= b->key_len_max &&
	       lifetime_within(a->lifetime_max, b->lifetime_max) &&
	       a->batch_max <= b->batch_max &&
	       (!a->caller_rand || b->caller_rand);
}

/* With the peer's last reference, or a pair never published. */
void ksf_pair_free(struct ksf_pair *pair)
{
	if (!pair)
		return;
	ksf_policy_put(pair->we_run);
	ksf_policy_put(pair->they_run);
	kfree_rcu(pair, rcu);
}

/* The generation of @peer's pair, 0 before any negotiation. */
u32 ksf_pair_generation(struct ksf_peer *peer)
{
	struct ksf_pair *pair;
	u32 gen = 0;

	rcu_read_lock();
	pair = rcu_dereference(peer->chan->pair);
	if (pair)
		gen = pair->generation;
	rcu_read_unlock();
	return gen;
}

/*
 * A new offer to @peer into @offer: our configured policy for it, which
 * is returned (a reference: the caller puts it, or hands it to
 * ksf_pair_offer_sent()).
 */
struct ksf_policy *ksf_pair_offer_new(struct ksf_peer *peer,
				      struct ksf_offer *offer)
{
	struct ksf_policy *conf = ksf_policy_get(peer);

	do {
		offer->id = get_random_u64();
	} while (!offer->id);
	offer->generation = ksf_pair_generation(peer);
	offer->serve = conf;
	offer->ask = conf;
	return conf;
}

/*
 * The offer @id of policy @conf (the reference is taken) went out: it is
 * our latest, and an answer to an older one is stale from now on.
 */
void ksf_pair_offer_sent(struct ksf_peer *peer, u64 id, struct ksf_policy *conf)
{
	struct ksf_chan *c = peer->chan;

	mutex_lock(&c->lock);
	ksf_policy_put(c->offer);
	c->offer = conf;
	c->offer_id = id;
	mutex_unlock(&c->lock);
}

/*
 * The pair the answerer stores for an offer from @peer (not yet
 * stored: the answer is sealed first), or NULL: no memory.
 */
struct ksf_pair *ksf_pair_answer(struct ksf_peer *peer,
				 const struct ksf_offer *offer)
{
	struct ksf_policy *conf = ksf_policy_get(peer);
	struct ksf_pair *pair = kzalloc(sizeof(*pair), GFP_KERNEL_ACCOUNT);

	if (!pair)
		goto out;
	pair->we_run = ksf_terms_new(conf);
	pair->they_run = ksf_terms_new(offer->serve);
	if (!pair->we_run || !pair->they_run) {
		ksf_pair_free(pair);
		pair = NULL;
		goto out;
	}
	bitmap_and(pair->we_run->services, pair->we_run->services,
		   offer->ask->services, __KSF_SERVICE_MAX);
	bitmap_and(pair->we_run->algs, pair->we_run->algs, offer->ask->algs,
		   __KSF_ALG_MAX);
	bitmap_and(pair->they_run->services, pair->they_run->services,
		   conf->ask_services, __KSF_SERVICE_MAX);
	bitmap_and(pair->they_run->algs, pair->they_run->algs, conf->ask_algs,
		   __KSF_ALG_MAX);
	pair->generation = max(ksf_pair_generation(peer), offer->generation) + 1;
out:
	ksf_policy_put(conf);
	return pair;
}

/* Bytes of kernel memory @pair holds (the instance's mem counts them). */
size_t ksf_pair_mem(const struct ksf_pair *pair)
{
	if (!pair)
		return 0;
	return sizeof(*pair) + ksf_policy_mem(pair->we_run) +
	       ksf_policy_mem(pair->they_run);
}

/* Under the chan's mutex: @pair replaces @peer's (the old one freed). */
static void pair_store_locked(struct ksf_peer *peer, struct ksf_pair *pair)
{
	struct ksf_pair *old = rcu_replace_pointer(peer->chan->pair, pair,
				lockdep_is_held(&peer->chan->lock));

	atomic64_add(ksf_pair_mem(pair), &peer->kn->mem);
	atomic64_sub(ksf_pair_mem(old), &peer->kn->mem);
	ksf_pair_free(old);
}

/* The answerer's store, once its answer is sealed. */
void ksf_pair_store(struct ksf_peer *peer, struct ksf_pair *pair)
{
	mutex_lock(&peer->chan->lock);
	pair_store_locked(peer, pair);
	mutex_unlock(&peer->chan->lock);
}

/*
 * An answer from @peer to our offer @offer_id: @pair (we_run: what the
 * answer says we run, they_run: what it runs) is stored if it answers
 * our latest offer within what that offered and asked; else it is
 * refused with *@reason and stays the caller's.
 */
int ksf_pair_accept(struct ksf_peer *peer, u64 offer_id, struct ksf_pair *pair,
		    const char **reason)
{
	struct ksf_chan *c = peer->chan;
	const struct ksf_policy *o;
	int ret = 0;

	mutex_lock(&c->lock);
	o = c->offer;
	if (!offer_id || offer_id != c->offer_id) {
		*reason = "stale answer: not to our latest offer";
		ret = -ESTALE;
	} else if (!terms_within(pair->we_run, o) ||
		   !bitmap_subset(pair->they_run->services, o->ask_services,
				  __KSF_SERVICE_MAX) ||
		   !bitmap_subset(pair->they_run->algs, o->ask_algs,
				  __KSF_ALG_MAX)) {
		*reason = "answer exceeds the offer";
		ret = -EPROTO;
	} else {
		pair_store_locked(peer, pair);
		ksf_policy_put(c->offer);
		c->offer = NULL;
		c->offer_id = 0;
	}
	mutex_unlock(&c->lock);
	return ret;
}
