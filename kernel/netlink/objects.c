// SPDX-License-Identifier: GPL-2.0-only
/*
 * The objects' records on the wire: a peer, a key or a context as a get,
 * a dump or a save shows it, and what a peer-new/-set or key-new asks,
 * decoded into the core's typed specs.  The core has no netlink.
 */
#include <linux/user_namespace.h>
#include <net/netlink.h>

#include "../ksf.h"
#include "../core/chan.h"
#include "../core/context.h"
#include "../core/keystore.h"
#include "../core/pair.h"
#include "../core/peer.h"
#include "../core/policy.h"
#include "../crypto/milenage.h"
#include "codec.h"
#include "compat.h"
#include "ksf-nl-gen.h"
#include "objects.h"

int ksf_nl_id_check(const struct nlattr *a, struct netlink_ext_ack *extack)
{
	int ret = ksf_id_check(nla_data(a), nla_len(a), extack);

	if (ret)
		NL_SET_BAD_ATTR(extack, a);
	return ret;
}

/* ---- peers ---- */

static struct ksf_policy *spec_policy(const void *nest,
				      const struct ksf_policy *old,
				      struct netlink_ext_ack *extack)
{
	return ksf_nl_policy_parse(nest, old, extack);
}

int ksf_nl_peer_spec(struct nlattr **tb, struct ksf_peer_spec *spec,
		     bool set, struct netlink_ext_ack *extack)
{
	int ret = ksf_nl_id_check(tb[KSF_A_PEER_ID], extack);

	if (ret)
		return ret;
	memset(spec, 0, sizeof(*spec));
	spec->id = nla_data(tb[KSF_A_PEER_ID]);
	if (tb[KSF_A_PEER_KIND])
		spec->kind = nla_get_u32(tb[KSF_A_PEER_KIND]);
	spec->has_uid = tb[KSF_A_PEER_UID];
	if (spec->has_uid)
		spec->uid = nla_get_u32(tb[KSF_A_PEER_UID]);
	/* peer-set's attribute table ends before it (ksf_peer_set_nl_policy) */
	if (!set && tb[KSF_A_PEER_PUBLIC_KEY])
		spec->public_key = nla_data(tb[KSF_A_PEER_PUBLIC_KEY]);
	spec->has_gid = tb[KSF_A_PEER_GID];
	if (spec->has_gid)
		spec->gid = nla_get_u32(tb[KSF_A_PEER_GID]);
	spec->has_psk = tb[KSF_A_PEER_PSK];
	if (spec->has_psk)
		spec->psk = nla_get_u64(tb[KSF_A_PEER_PSK]);
	/* peer-new's attribute table ends before it (ksf_peer_new_nl_policy) */
	if (set)
		spec->reset_ts = nla_get_flag(tb[KSF_A_PEER_RESET_TIMESTAMP]);
	/* A new peer without a policy nest gets the defaults. */
	if (!set || tb[KSF_A_PEER_POLICY]) {
		spec->policy = spec_policy;
		spec->policy_arg = tb[KSF_A_PEER_POLICY];
	}
	return 0;
}

/*
 * The most a peer-get reply or one peer of a dump takes (payload after
 * the genetlink header): the kernel accepts no policy that would not
 * fit, so every peer can be shown.  Room is left for fields added later.
 */
static size_t session_size(void)
{
	return nla_total_size(0) + 4 * nla_total_size(sizeof(u32)) +
	       2 * nla_total_size_64bit(sizeof(u64));
}

size_t ksf_nl_peer_msg_max(void)
{
	return nla_total_size(KSF_PEER_ID_LEN) +	/* id */
	       6 * nla_total_size(sizeof(u32)) +	/* kind, uid, gid, counters */
	       nla_total_size(KSF_X25519_LEN) +		/* public key */
	       2 * nla_total_size_64bit(sizeof(u64)) +	/* key id, psk */
	       nla_total_size(KSF_NOISE_TS_LEN) +	/* handshake mark */
	       nla_total_size(sizeof(u32)) +		/* msg-refused */
	       KSF_CHAN_SESSIONS * session_size() +
	       nla_total_size(0) + nla_total_size(sizeof(u32)) +	/* pair */
	       2 * ksf_nl_terms_size() +
	       nla_total_size(0) +			/* policy nest */
	       ksf_nl_policy_fill_size(NULL) + 128;
}

static int session_fill(struct sk_buff *skb,
			const struct ksf_chan_session_info *si)
{
	struct nlattr *nest = nla_nest_start(skb, KSF_A_PEER_SESSION);

	if (!nest ||
	    nla_put_u32(skb, KSF_A_SESSION_INDEX, si->index) ||
	    nla_put_u32(skb, KSF_A_SESSION_ROLE, si->role) ||
	    nla_put_u32(skb, KSF_A_SESSION_STATE, si->state) ||
	    nla_put_u32(skb, KSF_A_SESSION_AGE, si->age) ||
	    nla_put_u64_64bit(skb, KSF_A_SESSION_SENT, si->sent,
			      KSF_A_SESSION_PAD) ||
	    nla_put_u64_64bit(skb, KSF_A_SESSION_RECEIVED, si->received,
			      KSF_A_SESSION_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* The pair policy (get and saves), if it was ever negotiated. */
static int pair_fill(struct sk_buff *skb, struct ksf_peer *p)
{
	struct ksf_pair *pair;
	struct nlattr *nest;
	int ret = 0;

	rcu_read_lock();
	pair = rcu_dereference(p->chan->pair);
	if (pair) {
		nest = nla_nest_start(skb, KSF_A_PEER_PAIR);
		if (!nest ||
		    nla_put_u32(skb, KSF_A_PAIR_GENERATION, pair->generation) ||
		    ksf_nl_terms_fill(skb, KSF_A_PAIR_WE_RUN, pair->we_run,
				      false) ||
		    ksf_nl_terms_fill(skb, KSF_A_PAIR_THEY_RUN, pair->they_run,
				      false))
			ret = -EMSGSIZE;
		else
			nla_nest_end(skb, nest);
	}
	rcu_read_unlock();
	return ret;
}

/*
 * A pair from its generation and directions (a saved pair, or an
 * answer), or an error with *@why (public words only).
 */
struct ksf_pair *ksf_nl_pair_parse(const struct nlattr *gen,
				   const struct nlattr *we_run,
				   const struct nlattr *they_run,
				   const char **why)
{
	struct ksf_pair *pair;
	int ret;

	if (!gen) {
		*why = "malformed pair: no generation";
		return ERR_PTR(-EPROTO);
	}
	pair = kzalloc(sizeof(*pair), GFP_KERNEL_ACCOUNT);
	if (!pair) {
		*why = "out of memory";
		return ERR_PTR(-ENOMEM);
	}
	pair->generation = nla_get_u32(gen);
	pair->we_run = ksf_nl_terms_parse(we_run, false, why);
	if (IS_ERR(pair->we_run)) {
		ret = PTR_ERR(pair->we_run);
		pair->we_run = NULL;
		goto err;
	}
	pair->they_run = ksf_nl_terms_parse(they_run, false, why);
	if (IS_ERR(pair->they_run)) {
		ret = PTR_ERR(pair->they_run);
		pair->they_run = NULL;
		goto err;
	}
	return pair;
err:
	ksf_pair_free(pair);
	return ERR_PTR(ret);
}

/*
 * What a save keeps of a ksf peer's channel: its psk's handle, the
 * greatest handshake timestamp accepted, so that a restored instance
 * still refuses a replayed handshake, and the pair policy.  Never a
 * session.
 */
static int chan_fill_saved(struct sk_buff *skb, struct ksf_peer *p)
{
	static const u8 zero[KSF_NOISE_TS_LEN];
	u8 mark[KSF_NOISE_TS_LEN];
	u64 psk;

	if (!p->chan)
		return 0;
	psk = ksf_chan_psk(p->chan);
	ksf_chan_mark(p->chan, mark);
	if ((psk && nla_put_u64_64bit(skb, KSF_A_PEER_PSK, psk,
				      KSF_A_PEER_PAD)) ||
	    (memcmp(mark, zero, sizeof(mark)) &&
	     nla_put(skb, KSF_A_PEER_HANDSHAKE_MARK, sizeof(mark), mark)))
		return -EMSGSIZE;
	return pair_fill(skb, p);
}

/* A ksf peer's channel, for an admin: key id, psk, sessions, refusals. */
static int chan_fill(struct sk_buff *skb, struct ksf_peer *p)
{
	struct ksf_chan_session_info si[KSF_CHAN_SESSIONS];
	u64 psk;
	int i, n;

	if (!p->chan)
		return 0;
	psk = ksf_chan_psk(p->chan);
	if (psk && nla_put_u64_64bit(skb, KSF_A_PEER_PSK, psk, KSF_A_PEER_PAD))
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, KSF_A_PEER_KEY_ID, p->key_id,
			      KSF_A_PEER_PAD) ||
	    nla_put_u32(skb, KSF_A_PEER_MSG_REFUSED, ksf_chan_refused(p->chan)))
		return -EMSGSIZE;
	n = ksf_chan_sessions(p->chan, si);
	for (i = 0; i < n; i++)
		if (session_fill(skb, &si[i]))
			return -EMSGSIZE;
	return pair_fill(skb, p);
}

/*
 * The binding's ids as @ns sees them; for a save (@exact), an id @ns does
 * not map is saved as -1, which no restore accepts, not as the overflow
 * id (nobody), which a restore would bind.
 */
static int binding_fill(struct sk_buff *skb, const struct ksf_binding *b,
			struct user_namespace *ns, bool exact)
{
	u32 uid, gid;

	if (!b)
		return 0;
	uid = exact ? from_kuid(ns, b->uid) : from_kuid_munged(ns, b->uid);
	gid = exact ? from_kgid(ns, b->gid) : from_kgid_munged(ns, b->gid);
	if ((b->has_uid && nla_put_u32(skb, KSF_A_PEER_UID, uid)) ||
	    (b->has_gid && nla_put_u32(skb, KSF_A_PEER_GID, gid)))
		return -EMSGSIZE;
	return 0;
}

/* Caller holds rcu_read_lock() or a reference. */
static int peer_fill(struct sk_buff *skb, struct ksf_peer *p,
		     struct user_namespace *ns, bool exact)
{
	struct nlattr *nest;
	int ret;

	if (nla_put_string(skb, KSF_A_PEER_ID, p->id) ||
	    nla_put_u32(skb, KSF_A_PEER_KIND, p->kind))
		return -EMSGSIZE;
	rcu_read_lock();
	ret = binding_fill(skb, rcu_dereference(p->binding), ns, exact);
	rcu_read_unlock();
	if (ret ||
	    nla_put_u32(skb, KSF_A_PEER_KEYS, atomic_read(&p->n_keys)) ||
	    nla_put_u32(skb, KSF_A_PEER_CONTEXTS, atomic_read(&p->n_contexts)) ||
	    nla_put_u32(skb, KSF_A_PEER_VERIFY_FAILURES,
			atomic_read(&p->verify_failures)) ||
	    (p->has_public_key &&
	     nla_put(skb, KSF_A_PEER_PUBLIC_KEY, KSF_X25519_LEN,
		     p->public_key)))
		return -EMSGSIZE;
	if (exact ? chan_fill_saved(skb, p) : chan_fill(skb, p))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, KSF_A_PEER_POLICY);
	if (!nest)
		return -EMSGSIZE;
	rcu_read_lock();
	ret = ksf_nl_policy_fill(skb, rcu_dereference(p->policy));
	rcu_read_unlock();
	if (ret) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* A reply to an admin: the binding's ids as the caller sees them. */
int ksf_nl_peer_fill(struct sk_buff *skb, struct ksf_peer *p)
{
	return peer_fill(skb, p, current_user_ns(), false);
}

/*
 * A save: the binding's ids as the user namespace that owns the instance
 * sees them, whoever saves (ksf_peer_restore() reads them back so).
 */
int ksf_nl_peer_fill_saved(struct sk_buff *skb, struct ksf_peer *p)
{
	return peer_fill(skb, p, p->kn->net->user_ns, true);
}

/* ---- keys ---- */

#define SPEC(attr, type, member) KSF_NL_ATTR(attr, type, ksf_key_spec, member)

const struct ksf_nl_attr ksf_nl_key_attrs[] = {
	SPEC(KSF_A_KEY_LEN, U32, len),			/* key-new only */
	SPEC(KSF_A_KEY_USAGE, U32, usage),
	SPEC(KSF_A_KEY_NOT_AFTER, U64, not_after),	/* both */
	SPEC(KSF_A_KEY_MAX_AGE, U32, max_age),
	SPEC(KSF_A_KEY_PARENT, U64, parent),		/* saved keys only */
	SPEC(KSF_A_KEY_CREATED, U64, created),
	SPEC(KSF_A_KEY_USES, U64, uses),
	SPEC(KSF_A_KEY_FLAGS, U32, flags),
};

static_assert(ARRAY_SIZE(ksf_nl_key_attrs) == KSF_NL_KEY_ATTRS_N);

int ksf_nl_key_fill(struct sk_buff *skb, struct ksf_key *key)
{
	u32 i, flags = READ_ONCE(key->flags) & ~KSF_KEY_FLAG_RETIRED;

	if (nla_put_u64_64bit(skb, KSF_A_KEY_HANDLE, key->handle,
			      KSF_A_KEY_PAD) ||
	    nla_put_u32(skb, KSF_A_KEY_TYPE, key->type) ||
	    nla_put_u32(skb, KSF_A_KEY_LEN, key->len) ||
	    nla_put_u32(skb, KSF_A_KEY_USAGE, key->usage) ||
	    nla_put_string(skb, KSF_A_KEY_OWNER, key->owner->id) ||
	    (key->parent && nla_put_u64_64bit(skb, KSF_A_KEY_PARENT,
					      key->parent, KSF_A_KEY_PAD)) ||
	    nla_put_u64_64bit(skb, KSF_A_KEY_CREATED, key->created,
			      KSF_A_KEY_PAD) ||
	    (key->not_after && nla_put_u64_64bit(skb, KSF_A_KEY_NOT_AFTER,
						 key->not_after,
						 KSF_A_KEY_PAD)) ||
	    (key->max_age && nla_put_u32(skb, KSF_A_KEY_MAX_AGE,
					 key->max_age)) ||
	    nla_put_u32(skb, KSF_A_KEY_SOURCE, key->source) ||
	    nla_put_u64_64bit(skb, KSF_A_KEY_USES, atomic64_read(&key->uses),
			      KSF_A_KEY_PAD) ||
	    (flags && nla_put_u32(skb, KSF_A_KEY_FLAGS, flags)))
		return -EMSGSIZE;
	for (i = 0; i < key->n_peers; i++)
		if (nla_put_string(skb, KSF_A_KEY_PEER, key->peers[i]))
			return -EMSGSIZE;
	return 0;
}

/* Collects the allowed peers among the @len bytes of attributes at @head. */
int ksf_nl_key_peers(struct ksf_key_spec *spec, const struct nlattr *head,
		     int len, struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	int rem;

	nla_for_each_attr(a, head, len, rem) {
		if (nla_type(a) != KSF_A_KEY_PEER)
			continue;
		if (spec->n_peers == KSF_MAX_KEY_PEERS) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "too many peers for one key");
			return -E2BIG;
		}
		if (ksf_nl_id_check(a, extack))
			return -EINVAL;
		/* key-new's peers need not end with a NUL */
		spec->peer_lens[spec->n_peers] = strnlen(nla_data(a), nla_len(a));
		spec->peers[spec->n_peers++] = nla_data(a);
	}
	return 0;
}

int ksf_nl_keyring_read(const struct nlattr *serial, const struct nlattr *desc,
			u8 *buf, u32 *len, struct netlink_ext_ack *extack)
{
	s32 id = serial ? nla_get_s32(serial) : 0;

	return ksf_keyring_read(serial ? &id : NULL,
				desc ? nla_data(desc) : NULL, buf, len, extack);
}

/* ---- contexts ---- */

static int nas_fill(struct sk_buff *skb, const struct ksf_nas_ctx *nas)
{
	if (nla_put_u32(skb, KSF_A_CONTEXT_NAS_INT_ALG, nas->int_alg) ||
	    nla_put_u32(skb, KSF_A_CONTEXT_NAS_ENC_ALG, nas->enc_alg) ||
	    nla_put_u64_64bit(skb, KSF_A_CONTEXT_NAS_INT_KEY,
			      nas->int_key->handle, KSF_A_CONTEXT_PAD) ||
	    (nas->enc_key &&
	     nla_put_u64_64bit(skb, KSF_A_CONTEXT_NAS_ENC_KEY,
			       nas->enc_key->handle, KSF_A_CONTEXT_PAD)) ||
	    nla_put_u8(skb, KSF_A_CONTEXT_NAS_DIRECTION, nas->direction) ||
	    nla_put_u8(skb, KSF_A_CONTEXT_NAS_BEARER, nas->bearer) ||
	    nla_put_u32(skb, KSF_A_CONTEXT_NAS_TX_COUNT, nas->tx_count) ||
	    nla_put_u32(skb, KSF_A_CONTEXT_NAS_RX_COUNT, nas->rx_count))
		return -EMSGSIZE;
	return 0;
}

/*
 * Describes a context, under RCU and without its lock: a snapshot.  @save
 * adds what only a sealed saved state may carry: the SQN state.
 */
int ksf_nl_ctx_fill(struct sk_buff *skb, struct ksf_ctx *ctx, bool save)
{
	/* Pairs with the release in ksf_ctx_sqn_ms(): an initialised state. */
	const struct ksf_sqn_ms *ms = smp_load_acquire(&ctx->sqn_ms);
	bool he = READ_ONCE(ctx->has_sqn_he);
	const struct ksf_nas_ctx *nas;
	int ret = -EMSGSIZE;

	rcu_read_lock();
	nas = rcu_dereference(ctx->nas);
	if (nla_put_u64_64bit(skb, KSF_A_CONTEXT_HANDLE, ctx->handle,
			      KSF_A_CONTEXT_PAD) ||
	    nla_put_string(skb, KSF_A_CONTEXT_PEER, ctx->owner->id) ||
	    nla_put_string(skb, KSF_A_CONTEXT_SUBSCRIBER, ctx->id) ||
	    nla_put_u64_64bit(skb, KSF_A_CONTEXT_CREATED, ctx->created,
			      KSF_A_CONTEXT_PAD) ||
	    nla_put_u32(skb, KSF_A_CONTEXT_STATE,
			(he ? KSF_CONTEXT_STATE_AKA_HE : 0) |
			(ms ? KSF_CONTEXT_STATE_AKA_MS : 0) |
			(nas ? KSF_CONTEXT_STATE_NAS : 0)) ||
	    (nas && nas_fill(skb, nas)))
		goto out;
	if (save &&
	    ((he && nla_put_u64_64bit(skb, KSF_A_CONTEXT_SQN_HE,
				      READ_ONCE(ctx->sqn_he),
				      KSF_A_CONTEXT_PAD)) ||
	     (ms && nla_put(skb, KSF_A_CONTEXT_SQN_MS, sizeof(*ms), ms))))
		goto out;
	ret = 0;
out:
	rcu_read_unlock();
	return ret;
}
