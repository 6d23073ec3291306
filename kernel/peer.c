// SPDX-License-Identifier: GPL-2.0-only
/*
 * Peers: the parties an instance serves or trusts.  An nf peer is bound
 * to a uid and/or gid; a service request is attributed to the nf peer
 * whose binding matches the caller, so one NF cannot act as another.
 */
#include <linux/cred.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ksf.h"

static const struct rhashtable_params peer_params = {
	.head_offset		= offsetof(struct ksf_peer, node),
	.key_offset		= offsetof(struct ksf_peer, id),
	.key_len		= KSF_PEER_ID_LEN,
	.automatic_shrinking	= true,
};

size_t ksf_peer_size(void)
{
	return sizeof(struct ksf_peer);
}

/* Peer IDs are compared as zero-padded arrays of KSF_PEER_ID_LEN bytes. */
static int id_key(char key[KSF_PEER_ID_LEN], const char *id)
{
	memset(key, 0, KSF_PEER_ID_LEN);
	if (strscpy(key, id, KSF_PEER_ID_LEN) <= 0)
		return -EINVAL;
	return 0;
}

struct ksf_peer *ksf_peer_get(struct ksf_net *kn, const char *id)
{
	char key[KSF_PEER_ID_LEN];
	struct ksf_peer *p;

	if (id_key(key, id))
		return NULL;
	rcu_read_lock();
	p = rhashtable_lookup(&kn->peers, key, peer_params);
	if (p && !refcount_inc_not_zero(&p->ref))
		p = NULL;
	rcu_read_unlock();
	return p;
}

static void peer_free_rcu(struct rcu_head *rcu)
{
	kfree(container_of(rcu, struct ksf_peer, rcu));
}

void ksf_peer_put(struct ksf_peer *p)
{
	if (!p || !refcount_dec_and_test(&p->ref))
		return;
	ksf_policy_put(rcu_dereference_protected(p->policy, 1));
	atomic64_sub(sizeof(*p), &p->kn->mem);
	call_rcu(&p->rcu, peer_free_rcu);
}

/* How well a bound peer matches the caller: 0 = not at all. */
static int binding_score(const struct ksf_peer *p, const struct cred *cred)
{
	int score = 0;

	if (p->has_uid) {
		if (!uid_eq(p->uid, cred->euid))
			return 0;
		score += 2;
	}
	if (p->has_gid) {
		if (!gid_eq(p->gid, cred->egid) && !in_egroup_p(p->gid))
			return 0;
		score += 1;
	}
	return score;
}

struct ksf_peer *ksf_peer_of_caller(struct ksf_net *kn)
{
	const struct cred *cred = current_cred();
	struct ksf_peer *p, *best = NULL;
	int best_score = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(p, &kn->nf_peers, nf_node) {
		int score = binding_score(p, cred);

		if (score > best_score) {
			best = p;
			best_score = score;
		}
	}
	if (best && !refcount_inc_not_zero(&best->ref))
		best = NULL;
	rcu_read_unlock();
	return best;
}

static bool same_binding(const struct ksf_peer *a, const struct ksf_peer *b)
{
	return a->has_uid == b->has_uid && a->has_gid == b->has_gid &&
	       (!a->has_uid || uid_eq(a->uid, b->uid)) &&
	       (!a->has_gid || gid_eq(a->gid, b->gid));
}

/* Reads uid/gid from a request into @p; checks they fit its kind. */
static int parse_binding(struct ksf_peer *p, struct nlattr **tb,
			 struct netlink_ext_ack *extack)
{
	struct user_namespace *ns = current_user_ns();

	if ((tb[KSF_A_PEER_UID] || tb[KSF_A_PEER_GID]) &&
	    p->kind != KSF_PEER_KIND_NF) {
		NL_SET_ERR_MSG(extack, "only nf peers are bound to a uid/gid");
		return -EINVAL;
	}
	if (tb[KSF_A_PEER_UID]) {
		p->uid = make_kuid(ns, nla_get_u32(tb[KSF_A_PEER_UID]));
		if (!uid_valid(p->uid)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[KSF_A_PEER_UID],
					    "uid not mapped in this user namespace");
			return -EINVAL;
		}
		p->has_uid = true;
	}
	if (tb[KSF_A_PEER_GID]) {
		p->gid = make_kgid(ns, nla_get_u32(tb[KSF_A_PEER_GID]));
		if (!gid_valid(p->gid)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[KSF_A_PEER_GID],
					    "gid not mapped in this user namespace");
			return -EINVAL;
		}
		p->has_gid = true;
	}
	if (p->kind == KSF_PEER_KIND_NF && !p->has_uid && !p->has_gid) {
		NL_SET_ERR_MSG(extack, "an nf peer needs a uid or a gid");
		return -EINVAL;
	}
	return 0;
}

/* Under kn->lock: is another nf peer bound exactly like @p? */
static bool binding_taken(struct ksf_net *kn, const struct ksf_peer *p)
{
	struct ksf_peer *q;

	list_for_each_entry(q, &kn->nf_peers, nf_node)
		if (q != p && same_binding(q, p))
			return true;
	return false;
}

int ksf_peer_new(struct ksf_net *kn, struct nlattr **tb,
		 struct netlink_ext_ack *extack)
{
	struct ksf_policy *pol;
	struct ksf_peer *p;
	int ret;

	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return -ENOMEM;
	refcount_set(&p->ref, 1);
	p->kn = kn;
	INIT_LIST_HEAD(&p->timers);
	INIT_LIST_HEAD(&p->nf_node);
	spin_lock_init(&p->key_lock);
	INIT_LIST_HEAD(&p->keys);
	INIT_LIST_HEAD(&p->contexts);
	atomic_set(&p->n_keys, 0);
	p->kind = nla_get_u32(tb[KSF_A_PEER_KIND]);
	ret = -EINVAL;
	if (id_key(p->id, nla_data(tb[KSF_A_PEER_ID])) ||
	    strlen(nla_data(tb[KSF_A_PEER_ID])) >= KSF_PEER_ID_LEN) {
		NL_SET_ERR_MSG_ATTR(extack, tb[KSF_A_PEER_ID],
				    "peer ID empty or too long");
		goto err_free;
	}
	ret = parse_binding(p, tb, extack);
	if (ret)
		goto err_free;
	pol = ksf_policy_parse(tb[KSF_A_PEER_POLICY], NULL, extack);
	if (IS_ERR(pol)) {
		ret = PTR_ERR(pol);
		goto err_free;
	}
	RCU_INIT_POINTER(p->policy, pol);

	mutex_lock(&kn->lock);
	ret = -ENODEV;
	if (kn->dead)
		goto err_unlock;
	ret = -EEXIST;
	if (p->kind == KSF_PEER_KIND_NF && binding_taken(kn, p)) {
		NL_SET_ERR_MSG(extack,
			       "another nf peer has the same uid/gid binding");
		goto err_unlock;
	}
	ret = rhashtable_lookup_insert_fast(&kn->peers, &p->node, peer_params);
	if (ret) {
		if (ret == -EEXIST)
			NL_SET_ERR_MSG_ATTR(extack, tb[KSF_A_PEER_ID],
					    "peer exists");
		goto err_unlock;
	}
	if (p->kind == KSF_PEER_KIND_NF)
		list_add_tail_rcu(&p->nf_node, &kn->nf_peers);
	p->linked = true;
	atomic_inc(&kn->n_peers);
	atomic64_add(sizeof(*p), &kn->mem);
	ksf_timers_start(p, pol);
	mutex_unlock(&kn->lock);
	/* p may be deleted already: name it from the request. */
	ksf_event(kn, KSF_EVENT_PEER_CHANGE, nla_data(tb[KSF_A_PEER_ID]), 0, 0,
		  "created");
	return 0;

err_unlock:
	mutex_unlock(&kn->lock);
	ksf_policy_put(pol);
err_free:
	kfree(p);
	return ret;
}

int ksf_peer_set(struct ksf_net *kn, struct nlattr **tb,
		 struct netlink_ext_ack *extack)
{
	struct ksf_policy *pol = NULL, *old;
	struct ksf_peer *p, tmp;
	int ret;

	p = ksf_peer_get(kn, nla_data(tb[KSF_A_PEER_ID]));
	if (!p) {
		NL_SET_ERR_MSG_ATTR(extack, tb[KSF_A_PEER_ID], "no such peer");
		return -ENOENT;
	}
	memset(&tmp, 0, sizeof(tmp));
	tmp.kind = p->kind;
	tmp.has_uid = p->has_uid;
	tmp.has_gid = p->has_gid;
	tmp.uid = p->uid;
	tmp.gid = p->gid;
	if (tb[KSF_A_PEER_UID] || tb[KSF_A_PEER_GID]) {
		tmp.has_uid = false;
		tmp.has_gid = false;
		ret = parse_binding(&tmp, tb, extack);
		if (ret)
			goto out;
	}

	mutex_lock(&kn->lock);
	ret = -ENOENT;
	if (!p->linked) {
		NL_SET_ERR_MSG_ATTR(extack, tb[KSF_A_PEER_ID], "no such peer");
		goto unlock;
	}
	ret = -EEXIST;
	if (p->kind == KSF_PEER_KIND_NF && binding_taken(kn, &tmp) &&
	    !same_binding(p, &tmp)) {
		NL_SET_ERR_MSG(extack,
			       "another nf peer has the same uid/gid binding");
		goto unlock;
	}
	if (tb[KSF_A_PEER_POLICY]) {
		old = rcu_dereference_protected(p->policy,
						lockdep_is_held(&kn->lock));
		pol = ksf_policy_parse(tb[KSF_A_PEER_POLICY], old, extack);
		if (IS_ERR(pol)) {
			ret = PTR_ERR(pol);
			goto unlock;
		}
		ksf_timers_stop(p);
		rcu_assign_pointer(p->policy, pol);
		ksf_timers_start(p, pol);
		ksf_policy_put(old);
	}
	/* A reader may see the uid and gid change one after the other:
	 * the binding is checked again for each request, never cached.
	 */
	WRITE_ONCE(p->uid, tmp.uid);
	WRITE_ONCE(p->gid, tmp.gid);
	WRITE_ONCE(p->has_uid, tmp.has_uid);
	WRITE_ONCE(p->has_gid, tmp.has_gid);
	ret = 0;
unlock:
	mutex_unlock(&kn->lock);
	if (!ret)
		ksf_event(kn, pol ? KSF_EVENT_POLICY_CHANGE :
			  KSF_EVENT_PEER_CHANGE, p->id, 0, 0, "changed");
out:
	ksf_peer_put(p);
	return ret;
}

/* Under kn->lock: take @p out of the tables. */
static void peer_unlink(struct ksf_net *kn, struct ksf_peer *p)
{
	rhashtable_remove_fast(&kn->peers, &p->node, peer_params);
	if (p->kind == KSF_PEER_KIND_NF)
		list_del_rcu(&p->nf_node);
	p->linked = false;
	atomic_dec(&kn->n_peers);
}

int ksf_peer_del(struct ksf_net *kn, const char *id,
		 struct netlink_ext_ack *extack)
{
	struct ksf_peer *p = ksf_peer_get(kn, id);
	int ret = -ENOENT;

	if (!p) {
		NL_SET_ERR_MSG(extack, "no such peer");
		return -ENOENT;
	}
	mutex_lock(&kn->lock);
	if (p->linked) {
		peer_unlink(kn, p);
		ksf_timers_stop(p);
		ret = 0;
	}
	mutex_unlock(&kn->lock);
	if (ret) {
		NL_SET_ERR_MSG(extack, "no such peer");
		goto out;
	}
	ksf_contexts_destroy_owned(kn, p);
	ksf_keys_destroy_owned(kn, p);
	ksf_event(kn, KSF_EVENT_PEER_CHANGE, p->id, 0, 0, "deleted");
	ksf_peer_put(p);	/* the tables' reference */
out:
	ksf_peer_put(p);
	return ret;
}

/* Caller holds rcu_read_lock() or a reference. */
int ksf_peer_fill(struct sk_buff *skb, struct ksf_peer *p)
{
	struct user_namespace *ns = current_user_ns();
	struct nlattr *nest;

	if (nla_put_string(skb, KSF_A_PEER_ID, p->id) ||
	    nla_put_u32(skb, KSF_A_PEER_KIND, p->kind) ||
	    (READ_ONCE(p->has_uid) &&
	     nla_put_u32(skb, KSF_A_PEER_UID, from_kuid_munged(ns, p->uid))) ||
	    (READ_ONCE(p->has_gid) &&
	     nla_put_u32(skb, KSF_A_PEER_GID, from_kgid_munged(ns, p->gid))) ||
	    nla_put_u32(skb, KSF_A_PEER_KEYS, atomic_read(&p->n_keys)) ||
	    nla_put_u32(skb, KSF_A_PEER_CONTEXTS, atomic_read(&p->n_contexts)) ||
	    nla_put_u32(skb, KSF_A_PEER_VERIFY_FAILURES,
			atomic_read(&p->verify_failures)))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, KSF_A_PEER_POLICY);
	if (!nest)
		return -EMSGSIZE;
	rcu_read_lock();
	if (ksf_policy_fill(skb, rcu_dereference(p->policy))) {
		rcu_read_unlock();
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	rcu_read_unlock();
	nla_nest_end(skb, nest);
	return 0;
}

int ksf_peers_init(struct ksf_net *kn)
{
	return rhashtable_init(&kn->peers, &peer_params);
}

static void peer_destroy(void *ptr, void *arg)
{
	struct ksf_peer *p = ptr;

	if (p->kind == KSF_PEER_KIND_NF)
		list_del_rcu(&p->nf_node);
	p->linked = false;
	atomic_dec(&p->kn->n_peers);
	ksf_timers_stop(p);
	ksf_peer_put(p);
}

/* Instance teardown: no request can reach the instance any more. */
void ksf_peers_destroy(struct ksf_net *kn)
{
	mutex_lock(&kn->lock);
	rhashtable_free_and_destroy(&kn->peers, peer_destroy, NULL);
	mutex_unlock(&kn->lock);
}
