// SPDX-License-Identifier: GPL-2.0-only
/*
 * Peers: the parties an instance serves or trusts.  An nf peer is bound
 * to a uid and/or gid; a service request is attributed to the nf peer
 * whose binding matches the caller, so one NF cannot act as another.
 */
#include <linux/cred.h>
#include <linux/delay.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/netlink.h>	/* extack messages */

#include <crypto/algapi.h>	/* crypto_memneq */

#include "../ksf.h"
#include "audit.h"
#include "chan.h"
#include "identity.h"
#include "pair.h"
#include "peer.h"
#include "policy.h"

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

/*
 * IDs (peer, subscriber) are printable ASCII: they are shown in text
 * output, where a newline or an escape sequence could forge lines.
 */
static bool printable(const char *s, size_t n)
{
	while (n--)
		if ((u8)s[n] < 0x20 || (u8)s[n] > 0x7e)
			return false;
	return true;
}

bool ksf_id_printable(const char *id)
{
	return printable(id, strlen(id));
}

/*
 * A peer ID of @len bytes (with its NUL): 1 to KSF_PEER_ID_LEN - 1
 * printable characters, and no NUL inside (the ID would end there and
 * name another peer).
 */
int ksf_id_check(const char *s, int len, struct netlink_ext_ack *extack)
{
	int n = strnlen(s, len);

	if (n < len - 1) {
		NL_SET_ERR_MSG(extack, "peer ID has a NUL byte inside");
		return -EINVAL;
	}
	if (!n || n >= KSF_PEER_ID_LEN) {
		NL_SET_ERR_MSG(extack, "peer ID empty or too long");
		return -EINVAL;
	}
	if (!printable(s, n)) {
		NL_SET_ERR_MSG(extack,
			       "peer ID has a character that is not printable ASCII");
		return -EINVAL;
	}
	return 0;
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
	struct ksf_policy *pol;

	if (!p || !refcount_dec_and_test(&p->ref))
		return;
	pol = rcu_dereference_protected(p->policy, 1);
	atomic64_sub(sizeof(*p) + ksf_policy_mem(pol), &p->kn->mem);
	if (p->chan)
		atomic64_sub(ksf_pair_mem(rcu_dereference_protected(p->chan->pair, 1)),
			     &p->kn->mem);
	ksf_policy_put(pol);
	kfree_rcu(rcu_dereference_protected(p->binding, 1), rcu);
	ksf_chan_free(p->chan);
	call_rcu(&p->rcu, peer_free_rcu);
}

/* How well a binding matches the caller: 0 = not at all. */
static int binding_score(const struct ksf_binding *b, const struct cred *cred)
{
	int score = 0;

	if (!b)
		return 0;
	if (b->has_uid) {
		if (!uid_eq(b->uid, cred->euid))
			return 0;
		score += 2;
	}
	if (b->has_gid) {
		if (!gid_eq(b->gid, cred->egid) && !in_egroup_p(b->gid))
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
	list_for_each_entry_rcu(p, &kn->nf_peers, kind_node) {
		int score = binding_score(rcu_dereference(p->binding), cred);

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

static bool same_binding(const struct ksf_binding *a,
			 const struct ksf_binding *b)
{
	return a->has_uid == b->has_uid && a->has_gid == b->has_gid &&
	       (!a->has_uid || uid_eq(a->uid, b->uid)) &&
	       (!a->has_gid || gid_eq(a->gid, b->gid));
}

/*
 * Reads uid/gid of a request into a new binding (*out, NULL for a peer
 * that is not an nf peer), the ids seen from @ns; checks they fit @kind.
 */
static int parse_binding(u32 kind, const struct ksf_peer_spec *spec,
			 struct user_namespace *ns, struct ksf_binding **out,
			 struct netlink_ext_ack *extack)
{
	struct ksf_binding *b;

	*out = NULL;
	if (kind != KSF_PEER_KIND_NF) {
		if (!spec->has_uid && !spec->has_gid)
			return 0;
		NL_SET_ERR_MSG(extack, "only nf peers are bound to a uid/gid");
		return -EINVAL;
	}
	if (!spec->has_uid && !spec->has_gid) {
		NL_SET_ERR_MSG(extack, "an nf peer needs a uid or a gid");
		return -EINVAL;
	}
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	if (spec->has_uid) {
		b->uid = make_kuid(ns, spec->uid);
		if (!uid_valid(b->uid)) {
			NL_SET_ERR_MSG(extack,
				       "uid not mapped in this user namespace");
			goto err;
		}
		b->has_uid = true;
	}
	if (spec->has_gid) {
		b->gid = make_kgid(ns, spec->gid);
		if (!gid_valid(b->gid)) {
			NL_SET_ERR_MSG(extack,
				       "gid not mapped in this user namespace");
			goto err;
		}
		b->has_gid = true;
	}
	*out = b;
	return 0;
err:
	kfree(b);
	return -EINVAL;
}

/* Is an nf peer other than @p bound exactly as @b? */
static bool binding_taken(struct ksf_net *kn, const struct ksf_peer *p,
			  const struct ksf_binding *b)
{
	const struct ksf_binding *qb;
	struct ksf_peer *q;

	lockdep_assert_held(&kn->lock);
	list_for_each_entry(q, &kn->nf_peers, kind_node) {
		qb = rcu_dereference_protected(q->binding,
					       lockdep_is_held(&kn->lock));
		if (q != p && same_binding(qb, b))
			return true;
	}
	return false;
}

/*
 * A ksf peer's public key: the remote instance's identity.  A point of
 * small order would give every handshake an all-zero shared secret, and
 * the instance's own key would make it its own peer.
 */
static int parse_public_key(struct ksf_net *kn, struct ksf_peer *p,
			    const struct ksf_peer_spec *spec,
			    struct netlink_ext_ack *extack)
{
	u8 priv[KSF_X25519_LEN], out[KSF_X25519_LEN];
	int ret;

	if (!spec->public_key)
		return 0;
	if (p->kind != KSF_PEER_KIND_KSF) {
		NL_SET_ERR_MSG(extack, "only ksf peers have a public key");
		return -EINVAL;
	}
	ksf_identity_public(kn, out);
	if (!crypto_memneq(out, spec->public_key, KSF_X25519_LEN)) {
		NL_SET_ERR_MSG(extack, "public key is this instance's own");
		return -EINVAL;
	}
	ksf_identity_private(kn, priv);
	ret = ksf_x25519(out, priv, spec->public_key);
	memzero_explicit(priv, sizeof(priv));
	memzero_explicit(out, sizeof(out));
	if (ret == -EKEYREJECTED)
		NL_SET_ERR_MSG(extack, "public key of small order");
	if (!ret)
		ret = ksf_key_id(spec->public_key, &p->key_id);
	if (ret)
		return ret;
	p->chan = ksf_chan_new();
	if (!p->chan)
		return -ENOMEM;
	memcpy(p->public_key, spec->public_key, KSF_X25519_LEN);
	p->has_public_key = true;
	return 0;
}

/*
 * A ksf peer's psk handle (the key is checked by the transport, not on a
 * restore: keys are restored after peers) and, restored, the greatest
 * handshake timestamp it had accepted.
 */
static int peer_chan_check(const struct ksf_peer *p,
			   const struct ksf_peer_spec *spec,
			   struct netlink_ext_ack *extack)
{
	if (p->chan)
		return 0;
	if (spec->has_psk || spec->mark) {
		NL_SET_ERR_MSG(extack, "only ksf peers with a public key have a psk");
		return -EINVAL;
	}
	if (spec->reset_ts) {
		NL_SET_ERR_MSG(extack,
			       "only ksf peers with a public key have a handshake timestamp");
		return -EINVAL;
	}
	return 0;
}

static void peer_chan_apply(struct ksf_peer *p, const struct ksf_peer_spec *spec)
{
	if (spec->has_psk)
		ksf_chan_set_psk(p->chan, spec->psk);
	if (spec->mark || spec->reset_ts)
		ksf_chan_set_mark(p->chan, spec->mark);
}

/* What only a ksf peer's policy may say (it asks the other instance). */
static int policy_kind_check(const struct ksf_peer *p,
			     const struct ksf_policy *pol,
			     struct netlink_ext_ack *extack)
{
	if (p->kind == KSF_PEER_KIND_KSF ||
	    (bitmap_empty(pol->ask_services, __KSF_SERVICE_MAX) &&
	     bitmap_empty(pol->ask_algs, __KSF_ALG_MAX)))
		return 0;
	NL_SET_ERR_MSG(extack, "ask-services and ask-algs are for ksf peers only");
	return -EINVAL;
}

/* Is another ksf peer than @p known by @p's public key? */
static bool public_key_taken(struct ksf_net *kn, const struct ksf_peer *p)
{
	struct ksf_peer *q;

	lockdep_assert_held(&kn->lock);
	if (!p->has_public_key)
		return false;
	list_for_each_entry(q, &kn->ksf_peers, kind_node)
		if (q != p && q->has_public_key &&
		    !crypto_memneq(q->public_key, p->public_key,
				   KSF_X25519_LEN))
			return true;
	return false;
}

/* The list of peers of @kind the instance walks (nf, ksf), or NULL. */
static struct list_head *kind_list(struct ksf_net *kn, u32 kind)
{
	return kind == KSF_PEER_KIND_NF ? &kn->nf_peers :
	       kind == KSF_PEER_KIND_KSF ? &kn->ksf_peers : NULL;
}

static int peer_new(struct ksf_net *kn, const struct ksf_peer_spec *spec,
		    struct user_namespace *ns, struct netlink_ext_ack *extack)
{
	struct list_head *list;
	struct ksf_binding *bind;
	struct ksf_policy *pol;
	struct ksf_peer *p;
	int ret;

	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return -ENOMEM;
	refcount_set(&p->ref, 1);
	p->kn = kn;
	INIT_LIST_HEAD(&p->timers);
	INIT_LIST_HEAD(&p->kind_node);
	spin_lock_init(&p->key_lock);
	INIT_LIST_HEAD(&p->keys);
	INIT_LIST_HEAD(&p->contexts);
	/* 20 a second, 10 at once (KSF_HS_RATE_CARRIER in half a second) */
	ratelimit_state_init(&p->hs_rs, HZ / 2, KSF_HS_RATE_CARRIER);
	ratelimit_set_flags(&p->hs_rs, RATELIMIT_MSG_ON_RELEASE);
	atomic_set(&p->n_keys, 0);
	p->kind = spec->kind;
	id_key(p->id, spec->id);
	ret = parse_public_key(kn, p, spec, extack);
	if (!ret)
		ret = peer_chan_check(p, spec, extack);
	if (ret)
		goto err_free;
	peer_chan_apply(p, spec);	/* not yet seen by anyone */
	ret = parse_binding(p->kind, spec, ns, &bind, extack);
	if (ret)
		goto err_free;
	RCU_INIT_POINTER(p->binding, bind);
	pol = spec->policy(spec->policy_arg, NULL, extack);
	if (IS_ERR(pol)) {
		ret = PTR_ERR(pol);
		goto err_bind;
	}
	RCU_INIT_POINTER(p->policy, pol);
	ret = policy_kind_check(p, pol, extack);
	if (ret)
		goto err_pol;

	mutex_lock(&kn->lock);
	ret = -ENODEV;
	if (kn->dead)
		goto err_unlock;
	ret = -EEXIST;
	if (bind && binding_taken(kn, p, bind)) {
		NL_SET_ERR_MSG(extack,
			       "another nf peer has the same uid/gid binding");
		goto err_unlock;
	}
	if (public_key_taken(kn, p)) {
		NL_SET_ERR_MSG(extack,
			       "another ksf peer has the same public key");
		goto err_unlock;
	}
	ret = rhashtable_lookup_insert_fast(&kn->peers, &p->node, peer_params);
	if (ret) {
		if (ret == -EEXIST)
			NL_SET_ERR_MSG(extack, "peer exists");
		goto err_unlock;
	}
	list = kind_list(kn, p->kind);
	if (list)
		list_add_tail_rcu(&p->kind_node, list);
	p->linked = true;
	atomic_inc(&kn->n_peers);
	atomic64_add(sizeof(*p) + ksf_policy_mem(pol), &kn->mem);
	ksf_timers_start(p, pol);
	mutex_unlock(&kn->lock);
	/* p may be deleted already: name it from the request. */
	ksf_event(kn, KSF_EVENT_PEER_CHANGE, spec->id, 0, 0, "created");
	return 0;

err_unlock:
	mutex_unlock(&kn->lock);
err_pol:
	ksf_policy_put(pol);
err_bind:
	kfree(bind);
err_free:
	ksf_chan_free(p->chan);
	kfree(p);
	return ret;
}

/* An admin request: uids and gids as the caller sees them. */
int ksf_peer_new(struct ksf_net *kn, const struct ksf_peer_spec *spec,
		 struct netlink_ext_ack *extack)
{
	return peer_new(kn, spec, current_user_ns(), extack);
}

/*
 * A saved peer: its uid and gid were saved as the user namespace that
 * owns the saved instance saw them, and mean the same ids to the user
 * namespace that owns this one, whoever runs the restore.
 */
int ksf_peer_restore(struct ksf_net *kn, const struct ksf_peer_spec *spec,
		     struct netlink_ext_ack *extack)
{
	return peer_new(kn, spec, kn->net->user_ns, extack);
}

#if IS_ENABLED(CONFIG_FAULT_INJECTION_DEBUG_FS)	/* debug kernel only */
static unsigned int dbg_bind_delay_ms;
module_param(dbg_bind_delay_ms, uint, 0644);
MODULE_PARM_DESC(dbg_bind_delay_ms, "debug kernel only: ms peer set sleeps while it changes a binding");
#else
#define dbg_bind_delay_ms 0U
#endif

/* The new binding replaces the old one whole. */
static void peer_rebind(struct ksf_net *kn, struct ksf_peer *p,
			struct ksf_binding *bind)
{
	struct ksf_binding *old;

	lockdep_assert_held(&kn->lock);
	if (dbg_bind_delay_ms)
		msleep(dbg_bind_delay_ms);
	old = rcu_replace_pointer(p->binding, bind, lockdep_is_held(&kn->lock));
	kfree_rcu(old, rcu);
}

int ksf_peer_set(struct ksf_net *kn, const struct ksf_peer_spec *spec,
		 struct netlink_ext_ack *extack)
{
	struct ksf_binding *bind = NULL;
	struct ksf_policy *pol = NULL, *old;
	struct ksf_peer *p;
	int ret;

	p = ksf_peer_get(kn, spec->id);
	if (!p) {
		NL_SET_ERR_MSG(extack, "no such peer");
		return -ENOENT;
	}
	if (spec->has_uid || spec->has_gid) {
		ret = parse_binding(p->kind, spec, current_user_ns(), &bind,
				    extack);
		if (ret)
			goto out;
	}
	ret = peer_chan_check(p, spec, extack);
	if (ret)
		goto out;

	mutex_lock(&kn->lock);
	ret = -ENOENT;
	if (!p->linked) {
		NL_SET_ERR_MSG(extack, "no such peer");
		goto unlock;
	}
	ret = -EEXIST;
	if (bind && binding_taken(kn, p, bind)) {
		NL_SET_ERR_MSG(extack,
			       "another nf peer has the same uid/gid binding");
		goto unlock;
	}
	if (spec->policy) {
		old = rcu_dereference_protected(p->policy,
						lockdep_is_held(&kn->lock));
		pol = spec->policy(spec->policy_arg, old, extack);
		if (IS_ERR(pol)) {
			ret = PTR_ERR(pol);
			goto unlock;
		}
		ret = policy_kind_check(p, pol, extack);
		if (ret) {
			ksf_policy_put(pol);
			pol = NULL;
			goto unlock;
		}
		ksf_timers_stop(p);
		rcu_assign_pointer(p->policy, pol);
		ksf_timers_start(p, pol);
		atomic64_add(ksf_policy_mem(pol), &kn->mem);
		atomic64_sub(ksf_policy_mem(old), &kn->mem);
		ksf_policy_put(old);
	}
	if (bind) {
		peer_rebind(kn, p, bind);
		bind = NULL;
	}
	ret = 0;
unlock:
	mutex_unlock(&kn->lock);
	if (!ret)
		peer_chan_apply(p, spec);
	if (!ret)
		ksf_event(kn, pol ? KSF_EVENT_POLICY_CHANGE :
			  KSF_EVENT_PEER_CHANGE, p->id, 0, 0, "changed");
out:
	kfree(bind);
	ksf_peer_put(p);
	return ret;
}

/* Takes @p out of the tables. */
static void peer_unlink(struct ksf_net *kn, struct ksf_peer *p)
{
	lockdep_assert_held(&kn->lock);
	rhashtable_remove_fast(&kn->peers, &p->node, peer_params);
	if (kind_list(kn, p->kind))
		list_del_rcu(&p->kind_node);
	p->linked = false;
	atomic_dec(&kn->n_peers);
	ksf_chan_close(p->chan);
}

/*
 * Takes the peer @id out of the tables (its timers stopped) and returns
 * it with two references, the caller's and the tables', for the owner
 * cascade (owner.c) to drop once the peer's keys and contexts are gone.
 */
struct ksf_peer *ksf_peer_unlink(struct ksf_net *kn, const char *id,
				 struct netlink_ext_ack *extack)
{
	struct ksf_peer *p = ksf_peer_get(kn, id);
	bool linked = false;

	if (p) {
		mutex_lock(&kn->lock);
		linked = p->linked;
		if (linked) {
			peer_unlink(kn, p);
			ksf_timers_stop(p);
		}
		mutex_unlock(&kn->lock);
	}
	if (!linked) {
		if (p)
			ksf_peer_put(p);
		NL_SET_ERR_MSG(extack, "no such peer");
		return ERR_PTR(-ENOENT);
	}
	return p;
}

int ksf_peers_init(struct ksf_net *kn)
{
	return rhashtable_init(&kn->peers, &peer_params);
}

static void peer_destroy(void *ptr, void *arg)
{
	struct ksf_peer *p = ptr;

	if (kind_list(p->kn, p->kind))
		list_del_rcu(&p->kind_node);
	p->linked = false;
	atomic_dec(&p->kn->n_peers);
	ksf_chan_close(p->chan);
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
