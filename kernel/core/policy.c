// SPDX-License-Identifier: GPL-2.0-only
/*
 * Trusted policies (seed 000 [0005]-[0012]): per peer, the services,
 * algorithms and parameter bounds it may use, the preset service lists
 * run on notifications, and periodic timers.  A policy is immutable once
 * published: a change builds a new one and swaps it under RCU.
 */
#include <linux/slab.h>
#include <linux/stringify.h>
#include <net/netlink.h>

#include "../ksf.h"
#include "peer.h"
#include "policy.h"
#include "../netlink/compat.h"
#include "../netlink/ksf-nl-gen.h"

struct ksf_timer {
	struct list_head node;
	struct delayed_work work;
	struct ksf_peer *peer;
	struct ksf_policy *pol;		/* holds a reference: nest lives there */
	const struct nlattr *nest;	/* KSF_A_POLICY_TIMER */
	unsigned long period;		/* jiffies */
};

static void policy_defaults(struct ksf_policy *pol)
{
	pol->services = 0;		/* deny by default */
	pol->algs = 0;
	pol->key_len_min = 1;
	pol->key_len_max = KSF_KEY_MAX_LEN;
	pol->lifetime_max = 0;
	pol->batch_max = KSF_BATCH_MAX;
	pol->caller_rand = false;
	pol->keys_max = KSF_POLICY_KEYS_MAX;
	pol->contexts_max = KSF_POLICY_CONTEXTS_MAX;
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

void ksf_policy_put(struct ksf_policy *pol)
{
	if (pol && refcount_dec_and_test(&pol->ref))
		kfree_rcu(pol, rcu);
}

/* Total bytes of the attributes of @type directly inside @nest. */
static u32 nests_len(const struct nlattr *nest, int type, u32 *count)
{
	const struct nlattr *a;
	u32 len = 0;
	int rem;

	*count = 0;
	if (!nest)
		return 0;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == type) {
			len += NLA_ALIGN(a->nla_len);
			(*count)++;
		}
	}
	return len;
}

static u8 *nests_copy(u8 *dst, const struct nlattr *nest, int type)
{
	const struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == type) {
			memcpy(dst, a, a->nla_len);
			dst += NLA_ALIGN(a->nla_len);
		}
	}
	return dst;
}

static int check_items(const struct nlattr *list, int item_type,
		       struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	u32 n = 0;
	int rem;

	nla_for_each_nested(a, list, rem) {
		if (nla_type(a) != item_type)
			continue;
		if (!nla_find_nested(a, KSF_A_ITEM_SERVICE)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "item has no service");
			return -EINVAL;
		}
		n++;
	}
	if (!n || n > KSF_BATCH_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, list,
				    "a service list needs 1 to batch-max items");
		return -EINVAL;
	}
	return 0;
}

static int check_presets(const struct nlattr *nest,
			 struct netlink_ext_ack *extack)
{
	u32 seen = 0, status;
	const struct nlattr *a, *st;
	int rem, ret;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == KSF_A_POLICY_NOTIFY) {
			st = nla_find_nested(a, KSF_A_NOTIFY_PRESET_STATUS);
			if (!st) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "notify preset has no status");
				return -EINVAL;
			}
			status = nla_get_u32(st);
			if (seen & BIT(status)) {
				NL_SET_ERR_MSG_ATTR(extack, st,
						    "two presets for one status");
				return -EINVAL;
			}
			seen |= BIT(status);
			ret = check_items(a, KSF_A_NOTIFY_PRESET_ITEM, extack);
			if (ret)
				return ret;
		} else if (nla_type(a) == KSF_A_POLICY_TIMER) {
			if (!nla_find_nested(a, KSF_A_TIMER_PERIOD)) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "timer has no period");
				return -EINVAL;
			}
			ret = check_items(a, KSF_A_TIMER_ITEM, extack);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* Every scalar of @old: a change starts from the policy it replaces. */
static void policy_copy(struct ksf_policy *pol, const struct ksf_policy *old)
{
	pol->services = old->services;
	pol->algs = old->algs;
	pol->key_len_min = old->key_len_min;
	pol->key_len_max = old->key_len_max;
	pol->lifetime_max = old->lifetime_max;
	pol->batch_max = old->batch_max;
	pol->mac_len_min = old->mac_len_min;
	pol->keys_max = old->keys_max;
	pol->contexts_max = old->contexts_max;
	pol->caller_rand = old->caller_rand;
	memcpy(pol->mac_fcs, old->mac_fcs, sizeof(pol->mac_fcs));
	memcpy(pol->encrypt_fcs, old->encrypt_fcs, sizeof(pol->encrypt_fcs));
}

static void policy_parse_limits(struct ksf_policy *pol, struct nlattr **tb)
{
	if (tb[KSF_A_POLICY_MAC_LEN_MIN])
		pol->mac_len_min = nla_get_u32(tb[KSF_A_POLICY_MAC_LEN_MIN]);
	if (tb[KSF_A_POLICY_KEYS_MAX])
		pol->keys_max = nla_get_u32(tb[KSF_A_POLICY_KEYS_MAX]);
	if (tb[KSF_A_POLICY_CONTEXTS_MAX])
		pol->contexts_max = nla_get_u32(tb[KSF_A_POLICY_CONTEXTS_MAX]);
	if (tb[KSF_A_POLICY_MAC_FCS])
		nla_memcpy(pol->mac_fcs, tb[KSF_A_POLICY_MAC_FCS],
			   sizeof(pol->mac_fcs));
	if (tb[KSF_A_POLICY_ENCRYPT_FCS])
		nla_memcpy(pol->encrypt_fcs, tb[KSF_A_POLICY_ENCRYPT_FCS],
			   sizeof(pol->encrypt_fcs));
}

/* What no single attribute's policy can check. */
static int policy_check(const struct ksf_policy *pol, const struct nlattr *nest,
			struct netlink_ext_ack *extack)
{
	unsigned int i;

	if (pol->key_len_min > pol->key_len_max) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "key-len-min is larger than key-len-max");
		return -EINVAL;
	}
	if (pol->mac_len_min && pol->mac_len_min < 4) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "mac-len-min is 0 (the full tag) or 4 to 32");
		return -EINVAL;
	}
	for (i = 0; i < sizeof(pol->mac_fcs); i++) {
		if (pol->mac_fcs[i] & pol->encrypt_fcs[i]) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "an fc is in both mac-fcs and encrypt-fcs");
			return -EINVAL;
		}
	}
	i = KSF_FC_ALG_KEY;
	if ((pol->mac_fcs[i / 8] | pol->encrypt_fcs[i / 8]) & BIT(i % 8)) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "fc 0x69 is not the policy's: its distinguisher decides");
		return -EINVAL;
	}
	return 0;
}

/* The mask of the values an item attribute's policy range allows. */
static u64 range_mask(int attr)
{
	const struct nla_policy *pt = &ksf_item_nl_policy[attr];

	return GENMASK_ULL(pt->max, pt->min);
}

/* Masks of services and algorithms name only ones that exist. */
static int check_masks(struct nlattr **tb, struct netlink_ext_ack *extack)
{
	const struct nlattr *svc = tb[KSF_A_POLICY_SERVICES];
	const struct nlattr *alg = tb[KSF_A_POLICY_ALGS];

	if (svc && nla_get_u64(svc) & ~range_mask(KSF_A_ITEM_SERVICE)) {
		NL_SET_ERR_MSG_ATTR(extack, svc,
				    "services has an unknown bit (bit n is service n, from 1)");
		return -EINVAL;
	}
	if (alg && nla_get_u64(alg) & ~range_mask(KSF_A_ITEM_ALG)) {
		NL_SET_ERR_MSG_ATTR(extack, alg,
				    "algs has an unknown bit (bit n is alg n, from 1)");
		return -EINVAL;
	}
	return 0;
}

/* A clear flag and a list of the same kind contradict each other. */
static int check_clear(struct nlattr **tb, u32 np, u32 nt,
		       struct netlink_ext_ack *extack)
{
	if (tb[KSF_A_POLICY_NOTIFY_CLEAR] && np) {
		NL_SET_ERR_MSG_ATTR(extack, tb[KSF_A_POLICY_NOTIFY_CLEAR],
				    "notify-clear given with notify presets");
		return -EINVAL;
	}
	if (tb[KSF_A_POLICY_TIMER_CLEAR] && nt) {
		NL_SET_ERR_MSG_ATTR(extack, tb[KSF_A_POLICY_TIMER_CLEAR],
				    "timer-clear given with timers");
		return -EINVAL;
	}
	return 0;
}

/*
 * Builds a policy from @nest on top of @old (or the defaults): scalar
 * attributes present replace the old values; notify presets and timers,
 * when any is present, replace the old lists as a whole, and
 * notify-clear / timer-clear empty them.  The lists are bounded so that
 * a peer with its policy fits one reply (get and dump).
 */
struct ksf_policy *ksf_policy_parse(const struct nlattr *nest,
				    const struct ksf_policy *old,
				    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[KSF_A_POLICY_MAX + 1] = {};
	u32 plen, tlen, np, nt;
	struct ksf_policy *pol;
	u8 *dst;
	int ret;

	if (nest) {
		ret = nla_parse_nested(tb, KSF_A_POLICY_MAX, nest,
				       ksf_policy_nl_policy, extack);
		if (ret)
			return ERR_PTR(ret);
		ret = check_presets(nest, extack);
		if (!ret)
			ret = check_masks(tb, extack);
		if (ret)
			return ERR_PTR(ret);
	}
	plen = nests_len(nest, KSF_A_POLICY_NOTIFY, &np);
	tlen = nests_len(nest, KSF_A_POLICY_TIMER, &nt);
	ret = check_clear(tb, np, nt, extack);
	if (ret)
		return ERR_PTR(ret);
	if (!np && old && !tb[KSF_A_POLICY_NOTIFY_CLEAR])
		plen = old->presets_len;
	if (!nt && old && !tb[KSF_A_POLICY_TIMER_CLEAR])
		tlen = old->timers_len;
	if (plen + tlen > KSF_POLICY_LISTS_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "notify presets and timers of a policy may take at most "
				    __stringify(KSF_POLICY_LISTS_MAX)
				    " bytes (policy-lists-max)");
		return ERR_PTR(-EINVAL);
	}

	pol = kzalloc(struct_size(pol, nests, plen + tlen), GFP_KERNEL_ACCOUNT);
	if (!pol)
		return ERR_PTR(-ENOMEM);
	refcount_set(&pol->ref, 1);
	if (old)
		policy_copy(pol, old);
	else
		policy_defaults(pol);
	if (tb[KSF_A_POLICY_SERVICES])
		pol->services = nla_get_u64(tb[KSF_A_POLICY_SERVICES]);
	if (tb[KSF_A_POLICY_ALGS])
		pol->algs = nla_get_u64(tb[KSF_A_POLICY_ALGS]);
	if (tb[KSF_A_POLICY_KEY_LEN_MIN])
		pol->key_len_min = nla_get_u32(tb[KSF_A_POLICY_KEY_LEN_MIN]);
	if (tb[KSF_A_POLICY_KEY_LEN_MAX])
		pol->key_len_max = nla_get_u32(tb[KSF_A_POLICY_KEY_LEN_MAX]);
	if (tb[KSF_A_POLICY_LIFETIME_MAX])
		pol->lifetime_max = nla_get_u32(tb[KSF_A_POLICY_LIFETIME_MAX]);
	if (tb[KSF_A_POLICY_BATCH_MAX])
		pol->batch_max = nla_get_u32(tb[KSF_A_POLICY_BATCH_MAX]);
	if (tb[KSF_A_POLICY_CALLER_RAND])
		pol->caller_rand = nla_get_u8(tb[KSF_A_POLICY_CALLER_RAND]);
	policy_parse_limits(pol, tb);
	ret = policy_check(pol, nest, extack);
	if (ret) {
		kfree(pol);
		return ERR_PTR(ret);
	}

	pol->presets_len = plen;
	pol->timers_len = tlen;
	dst = pol->nests;
	if (np)
		dst = nests_copy(dst, nest, KSF_A_POLICY_NOTIFY);
	else if (old)
		memcpy(dst, old->nests, plen), dst += plen;
	if (nt)
		nests_copy(dst, nest, KSF_A_POLICY_TIMER);
	else if (old)
		memcpy(dst, old->nests + old->presets_len, tlen);
	return pol;
}

/* Bytes of kernel memory a policy holds (counted in info's mem). */
size_t ksf_policy_mem(const struct ksf_policy *pol)
{
	return struct_size(pol, nests, pol->presets_len + pol->timers_len);
}

/*
 * Bytes ksf_policy_fill() may put, without the policy nest's header;
 * @pol NULL: the most any policy may take.  Room is left for scalar
 * fields added later.
 */
size_t ksf_policy_fill_size(const struct ksf_policy *pol)
{
	size_t lists = pol ? pol->presets_len + pol->timers_len :
			     KSF_POLICY_LISTS_MAX;

	return 2 * nla_total_size_64bit(sizeof(u64)) +	/* services, algs */
	       4 * nla_total_size(sizeof(u32)) +	/* lengths, lifetime, batch */
	       nla_total_size(sizeof(u8)) +		/* caller-rand */
	       256 + lists;
}

int ksf_policy_fill(struct sk_buff *skb, const struct ksf_policy *pol)
{
	const struct nlattr *a;
	int rem;

	if (nla_put_u64_64bit(skb, KSF_A_POLICY_SERVICES, pol->services,
			      KSF_A_POLICY_PAD) ||
	    nla_put_u64_64bit(skb, KSF_A_POLICY_ALGS, pol->algs,
			      KSF_A_POLICY_PAD) ||
	    nla_put_u32(skb, KSF_A_POLICY_KEY_LEN_MIN, pol->key_len_min) ||
	    nla_put_u32(skb, KSF_A_POLICY_KEY_LEN_MAX, pol->key_len_max) ||
	    nla_put_u32(skb, KSF_A_POLICY_LIFETIME_MAX, pol->lifetime_max) ||
	    nla_put_u32(skb, KSF_A_POLICY_BATCH_MAX, pol->batch_max) ||
	    nla_put_u8(skb, KSF_A_POLICY_CALLER_RAND, pol->caller_rand) ||
	    nla_put_u32(skb, KSF_A_POLICY_MAC_LEN_MIN, pol->mac_len_min) ||
	    nla_put_u32(skb, KSF_A_POLICY_KEYS_MAX, pol->keys_max) ||
	    nla_put_u32(skb, KSF_A_POLICY_CONTEXTS_MAX, pol->contexts_max) ||
	    nla_put(skb, KSF_A_POLICY_MAC_FCS, sizeof(pol->mac_fcs),
		    pol->mac_fcs) ||
	    nla_put(skb, KSF_A_POLICY_ENCRYPT_FCS, sizeof(pol->encrypt_fcs),
		    pol->encrypt_fcs))
		return -EMSGSIZE;
	nla_for_each_attr(a, (const struct nlattr *)pol->nests,
			  pol->presets_len + pol->timers_len, rem)
		/* a->nla_type keeps NLA_F_NESTED: nla_type() drops it. */
		if (nla_put(skb, a->nla_type, nla_len(a), nla_data(a)))
			return -EMSGSIZE;
	return 0;
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
		run(t->peer, t->nest);
		ksf_gate_leave(kn);
	}
	queue_delayed_work(ksf_wq, &t->work, t->period);
}

void ksf_timers_start(struct ksf_peer *p, const struct ksf_policy *pol)
{
	const struct nlattr *a, *period;
	struct ksf_timer *t;
	int rem;

	lockdep_assert_held(&p->kn->lock);
	nla_for_each_attr(a, (const struct nlattr *)(pol->nests +
						     pol->presets_len),
			  pol->timers_len, rem) {
		t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
		if (!t)
			break;	/* timers are best effort; reported by get */
		t->peer = p;
		t->pol = (struct ksf_policy *)pol;
		refcount_inc(&t->pol->ref);
		t->nest = a;
		period = nla_find_nested(a, KSF_A_TIMER_PERIOD);
		t->period = msecs_to_jiffies(nla_get_u32(period));
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
