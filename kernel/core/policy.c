// SPDX-License-Identifier: GPL-2.0-only
/*
 * Trusted policies (seed 000 [0005]-[0012]): per peer, the services,
 * algorithms and parameter bounds it may use, the preset service lists
 * run on notifications, and periodic timers.  A policy is immutable once
 * published: a change builds a new one and swaps it under RCU.  Its
 * service lists are typed requests (struct ksf_req), decoded once by the
 * transport when the policy is set; the transport's codec (registered
 * at module init, core/peer.h) reads and writes the policy on the wire.
 */
#include <linux/slab.h>

#include "../ksf.h"
#include "peer.h"
#include "policy.h"

struct ksf_timer {
	struct list_head node;
	struct delayed_work work;
	struct ksf_peer *peer;
	struct ksf_policy *pol;		/* holds a reference: list lives there */
	const struct ksf_list *list;
	unsigned long period;		/* jiffies */
};

static void policy_defaults(struct ksf_policy *pol)
{
	bitmap_zero(pol->services, __KSF_SERVICE_MAX);	/* deny by default */
	bitmap_zero(pol->algs, __KSF_ALG_MAX);
	pol->key_len_min = 1;
	pol->key_len_max = KSF_KEY_MAX_LEN;
	pol->lifetime_max = 0;
	pol->batch_max = KSF_BATCH_MAX;
	pol->caller_rand = false;
	pol->keys_max = KSF_POLICY_KEYS_MAX;
	pol->contexts_max = KSF_POLICY_CONTEXTS_MAX;
}

/*
 * The terms two instances negotiate (channel.rst "Negotiation"):
 * services, algs, key lengths, lifetime, batch, caller-rand.
 */
void ksf_policy_copy_terms(struct ksf_policy *pol, const struct ksf_policy *old)
{
	bitmap_copy(pol->services, old->services, __KSF_SERVICE_MAX);
	bitmap_copy(pol->algs, old->algs, __KSF_ALG_MAX);
	pol->key_len_min = old->key_len_min;
	pol->key_len_max = old->key_len_max;
	pol->lifetime_max = old->lifetime_max;
	pol->batch_max = old->batch_max;
	pol->caller_rand = old->caller_rand;
}

/* Every scalar of @old: a change starts from the policy it replaces. */
static void policy_copy(struct ksf_policy *pol, const struct ksf_policy *old)
{
	ksf_policy_copy_terms(pol, old);
	bitmap_copy(pol->ask_services, old->ask_services, __KSF_SERVICE_MAX);
	bitmap_copy(pol->ask_algs, old->ask_algs, __KSF_ALG_MAX);
	pol->mac_len_min = old->mac_len_min;
	pol->keys_max = old->keys_max;
	pol->contexts_max = old->contexts_max;
	memcpy(pol->mac_fcs, old->mac_fcs, sizeof(pol->mac_fcs));
	memcpy(pol->encrypt_fcs, old->encrypt_fcs, sizeof(pol->encrypt_fcs));
}

/* A new policy: @old's scalars and lists (shared), or the defaults. */
struct ksf_policy *ksf_policy_alloc(const struct ksf_policy *old)
{
	struct ksf_policy *pol = kzalloc(sizeof(*pol), GFP_KERNEL_ACCOUNT);

	if (!pol)
		return NULL;
	refcount_set(&pol->ref, 1);
	if (!old) {
		policy_defaults(pol);
		return pol;
	}
	policy_copy(pol, old);
	if (old->carry) {
		pol->carry = kstrdup(old->carry, GFP_KERNEL_ACCOUNT);
		if (!pol->carry) {
			kfree(pol);
			return NULL;
		}
	}
	pol->presets = ksf_lists_get(old->presets);
	pol->timers = ksf_lists_get(old->timers);
	return pol;
}

struct ksf_lists *ksf_lists_get(struct ksf_lists *lists)
{
	if (lists)
		refcount_inc(&lists->ref);
	return lists;
}

/* Frees the lists with the last policy holding them; wipes the items. */
void ksf_lists_put(struct ksf_lists *lists)
{
	u32 i, j;

	if (!lists || !refcount_dec_and_test(&lists->ref))
		return;
	for (i = 0; i < lists->n; i++) {
		for (j = 0; j < lists->list[i]->n; j++)
			kfree_sensitive(lists->list[i]->items[j]);
		kfree(lists->list[i]);
	}
	kfree(lists);
}

/* Replaces the lists in @slot (of a policy not yet published). */
void ksf_policy_set_lists(struct ksf_lists **slot, struct ksf_lists *lists)
{
	ksf_lists_put(*slot);
	*slot = lists;
}

/* The notify preset of @pol for @status, or NULL. */
const struct ksf_list *ksf_policy_preset(const struct ksf_policy *pol,
					 u32 status)
{
	u32 i;

	for (i = 0; pol->presets && i < pol->presets->n; i++)
		if (pol->presets->list[i]->key == status)
			return pol->presets->list[i];
	return NULL;
}

struct ksf_policy *ksf_policy_get(struct ksf_peer *p)
{
	struct ksf_policy *pol;

	rcu_read_lock();
	do {
		pol = rcu_dereference(p->policy);
	} while (!refcount_inc_not_zero(&pol->ref));
	rcu_read_unlock();
	return pol;
}

static void policy_free_rcu(struct rcu_head *head)
{
	struct ksf_policy *pol = container_of(head, struct ksf_policy, rcu);

	ksf_lists_put(pol->presets);
	ksf_lists_put(pol->timers);
	kfree(pol->carry);
	kfree(pol);
}

void ksf_policy_put(struct ksf_policy *pol)
{
	if (pol && refcount_dec_and_test(&pol->ref))
		call_rcu(&pol->rcu, policy_free_rcu);
}

/*
 * Bytes of kernel memory a policy holds (counted in info's mem): its
 * lists are counted with every policy that shares them, as before with
 * their copies.
 */
size_t ksf_policy_mem(const struct ksf_policy *pol)
{
	return sizeof(*pol) + (pol->presets ? pol->presets->mem : 0) +
	       (pol->timers ? pol->timers->mem : 0) +
	       (pol->carry ? strlen(pol->carry) + 1 : 0);
}

/* Does @pol carry blobs of the ksf peer @id (an nf peer's carry list)? */
bool ksf_policy_carries(const struct ksf_policy *pol, const char *id)
{
	size_t n = strlen(id);
	const char *s, *e;

	for (s = pol->carry; s && *s; s = *e ? e + 1 : e) {
		e = strchrnul(s, ',');
		if (e - s == n && !memcmp(s, id, n))
			return true;
	}
	return false;
}

/* The same for the policy @p has now. */
bool ksf_peer_carries(struct ksf_peer *p, const char *id)
{
	bool ret;

	rcu_read_lock();
	ret = ksf_policy_carries(rcu_dereference(p->policy), id);
	rcu_read_unlock();
	return ret;
}

/* ---- timers ---- */

static ksf_timer_runner_t ksf_timer_runner;

/* Set once at module init, before any policy can hold a timer. */
void ksf_timers_set_runner(ksf_timer_runner_t run)
{
	WRITE_ONCE(ksf_timer_runner, run);
}

static void timer_work(struct work_struct *work)
{
	struct ksf_timer *t = container_of(to_delayed_work(work),
					   struct ksf_timer, work);
	ksf_timer_runner_t run = READ_ONCE(ksf_timer_runner);
	struct ksf_net *kn = t->peer->kn;

	/* Not during a restore: the run is skipped, the next one comes. */
	if (run && ksf_gate_try_enter(kn)) {
		run(t->peer, t->list);
		ksf_gate_leave(kn);
	}
	queue_delayed_work(ksf_wq, &t->work, t->period);
}

void ksf_timers_start(struct ksf_peer *p, const struct ksf_policy *pol)
{
	struct ksf_timer *t;
	u32 i;

	lockdep_assert_held(&p->kn->lock);
	for (i = 0; pol->timers && i < pol->timers->n; i++) {
		t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
		if (!t)
			break;	/* timers are best effort; reported by get */
		t->peer = p;
		t->pol = (struct ksf_policy *)pol;
		refcount_inc(&t->pol->ref);
		t->list = pol->timers->list[i];
		t->period = msecs_to_jiffies(t->list->key);
		INIT_DELAYED_WORK(&t->work, timer_work);
		list_add_tail(&t->node, &p->timers);
		queue_delayed_work(ksf_wq, &t->work, t->period);
	}
}

/* Under kn->lock, which timer work never takes. */
void ksf_timers_stop(struct ksf_peer *p)
{
	struct ksf_timer *t, *tmp;

	lockdep_assert_held(&p->kn->lock);
	list_for_each_entry_safe(t, tmp, &p->timers, node) {
		cancel_delayed_work_sync(&t->work);
		list_del(&t->node);
		ksf_policy_put(t->pol);
		kfree(t);
	}
}
