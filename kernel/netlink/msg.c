// SPDX-License-Identifier: GPL-2.0-only
/*
 * The channel's commands (Documentation/channel.rst): msg-handshake gives
 * the blob that starts a handshake with a ksf peer, msg-receive hands in
 * blobs from other instances and gives the blobs they call for.  The
 * kernel only reads and writes blobs; NFs, ksfctl or a relay carry them.
 */
#include <linux/slab.h>
#include <net/genetlink.h>

#include "../ksf.h"
#include "../core/audit.h"
#include "../core/channel.h"
#include "../core/pair.h"
#include "../core/peer.h"
#include "../core/policy.h"
#include "compat.h"
#include "ksf-nl-gen.h"
#include "netlink.h"
#include "objects.h"

/* An offer's or an answer's body: attributes, at most this many bytes. */
#define BODY_NEGOTIATE_MAX	512

/*
 * The bodies of sealed blobs (the spec's set msg-body), from another
 * instance: strict, and no operation takes them.
 */
static const struct nla_policy body_policy[KSF_A_MSG_BODY_MAX + 1] = {
	[KSF_A_MSG_BODY_OFFER_ID]	= { .type = NLA_U64 },
	[KSF_A_MSG_BODY_GENERATION]	= { .type = NLA_U32 },
	[KSF_A_MSG_BODY_SERVE]		= { .type = NLA_NESTED },
	[KSF_A_MSG_BODY_ASK]		= { .type = NLA_NESTED },
	[KSF_A_MSG_BODY_OFFERER_RUNS]	= { .type = NLA_NESTED },
	[KSF_A_MSG_BODY_ANSWERER_RUNS]	= { .type = NLA_NESTED },
	[KSF_A_MSG_BODY_PAD]		= { .type = NLA_REJECT },
};

static size_t msg_size(const struct ksf_msg *m)
{
	return nla_total_size(0) + nla_total_size(KSF_PEER_ID_LEN) +
	       nla_total_size(sizeof(u32)) + nla_total_size(m->len);
}

/* A blob to carry to @peer, if @m holds one. */
static int put_msg(struct sk_buff *skb, const char *peer,
		   const struct ksf_msg *m)
{
	struct nlattr *nest;

	if (!m->len)
		return 0;
	nest = nla_nest_start(skb, KSF_A_CHANNEL_MSG);
	if (!nest ||
	    nla_put_string(skb, KSF_A_MSG_PEER, peer) ||
	    nla_put_u32(skb, KSF_A_MSG_TYPE, m->type) ||
	    nla_put(skb, KSF_A_MSG_BLOB, m->len, m->blob))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * Who hands blobs in or takes them out: an admin (CAP_NET_ADMIN over the
 * instance's netns; *carrier NULL), or the caller's nf peer (a
 * reference), whose policy says for which ksf peers it may carry.
 */
static int msg_caller(struct sk_buff *skb, struct genl_info *info,
		      struct ksf_net *kn, struct ksf_peer **carrier)
{
	*carrier = NULL;
	if (netlink_ns_capable(skb, genl_info_net(info)->user_ns, CAP_NET_ADMIN))
		return 0;
	*carrier = ksf_peer_of_caller(kn);
	if (*carrier)
		return 0;
	NL_SET_ERR_MSG(info->extack,
		       "msg commands need CAP_NET_ADMIN or an nf peer that carries for the ksf peer");
	return -EPERM;
}

/*
 * The ksf peer named in @a (a reference) if the caller may start a
 * handshake with it: an admin always, a carrier only with a peer it
 * carries for (it learns of no other) and within its rate.
 */
static struct ksf_peer *handshake_peer(struct ksf_net *kn,
				       struct ksf_peer *carrier,
				       const struct nlattr *a,
				       struct netlink_ext_ack *extack)
{
	struct ksf_peer *peer = ksf_peer_get(kn, nla_data(a));

	if (!peer) {
		NL_SET_ERR_MSG_ATTR(extack, a, "no such peer");
		return ERR_PTR(-ENOENT);
	}
	if (!carrier)
		return peer;
	if (!ksf_peer_carries(carrier, peer->id)) {
		ksf_peer_put(peer);
		NL_SET_ERR_MSG_ATTR(extack, a, "the caller may not carry for this peer");
		return ERR_PTR(-EPERM);
	}
	/* starting one costs DH too: the same share as handing in */
	if (!__ratelimit(&carrier->hs_rs)) {
		ksf_peer_put(peer);
		NL_SET_ERR_MSG_ATTR(extack, a, "handshake rate limit (carrier)");
		return ERR_PTR(-EAGAIN);
	}
	return peer;
}

int ksf_nl_msg_handshake_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ksf_net *kn = ksf_net(genl_info_net(info));
	struct nlattr *a = info->attrs[KSF_A_CHANNEL_PEER];
	struct ksf_peer *peer, *carrier;
	struct ksf_msg m = {};
	struct sk_buff *msg;
	const char *why;
	void *hdr;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KSF_A_CHANNEL_PEER))
		return -EINVAL;
	ret = msg_caller(skb, info, kn, &carrier);
	if (ret)
		return ret;
	peer = handshake_peer(kn, carrier, a, info->extack);
	if (carrier)
		ksf_peer_put(carrier);
	if (IS_ERR(peer))
		return PTR_ERR(peer);
	ret = ksf_chan_handshake(kn, peer, &m, &why);
	if (ret) {
		info->extack->_msg = why;	/* a string constant */
		NL_SET_BAD_ATTR(info->extack, a);
		goto out;
	}
	ret = -ENOMEM;
	msg = ksf_nl_reply_new(info, NLMSG_GOODSIZE + msg_size(&m), &hdr);
	if (!msg)
		goto out;
	ret = put_msg(msg, peer->id, &m);
	if (ret) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
out:
	ksf_msg_free(&m);
	ksf_peer_put(peer);
	return ret;
}

static size_t outcome_size(void)
{
	return nla_total_size(0) + 4 * nla_total_size(sizeof(u32)) +
	       nla_total_size(KSF_CHAN_REASON_LEN) +
	       nla_total_size(KSF_PEER_ID_LEN);
}

static int put_outcome(struct sk_buff *skb, u32 index,
		       const struct ksf_chan_outcome *oc)
{
	struct nlattr *nest = nla_nest_start(skb, KSF_A_CHANNEL_OUTCOME);

	if (!nest ||
	    nla_put_u32(skb, KSF_A_OUTCOME_INDEX, index) ||
	    nla_put_u32(skb, KSF_A_OUTCOME_STATUS, oc->err ?
			KSF_MSG_STATUS_REFUSED : KSF_MSG_STATUS_ACCEPTED) ||
	    (oc->err && (nla_put_s32(skb, KSF_A_OUTCOME_ERROR, oc->err) ||
			 nla_put_string(skb, KSF_A_OUTCOME_REASON,
					oc->reason))) ||
	    (oc->type && nla_put_u32(skb, KSF_A_OUTCOME_TYPE, oc->type)) ||
	    (oc->peer && nla_put_string(skb, KSF_A_OUTCOME_PEER,
					oc->peer->id)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* One outcome per blob, then the blobs to carry. */
static int receive_reply(struct genl_info *info,
			 const struct ksf_chan_outcome *oc, u32 n)
{
	size_t size = NLMSG_GOODSIZE;
	struct sk_buff *msg;
	void *hdr;
	u32 i;

	for (i = 0; i < n; i++)
		size += outcome_size() + msg_size(&oc[i].out) +
			msg_size(&oc[i].rekey);
	msg = ksf_nl_reply_new(info, size, &hdr);
	if (!msg)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (put_outcome(msg, i, &oc[i]))
			goto err;
	for (i = 0; i < n; i++)
		if (oc[i].peer &&
		    (put_msg(msg, oc[i].peer->id, &oc[i].out) ||
		     put_msg(msg, oc[i].peer->id, &oc[i].rekey)))
			goto err;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* ---- Negotiation (channel.rst "Negotiation") ---- */

/* An offer's body: its id, our generation, what we serve and ask. */
static int offer_fill(struct sk_buff *b, const struct ksf_offer *o)
{
	return nla_put_u64_64bit(b, KSF_A_MSG_BODY_OFFER_ID, o->id,
				 KSF_A_MSG_BODY_PAD) ||
	       nla_put_u32(b, KSF_A_MSG_BODY_GENERATION, o->generation) ||
	       ksf_nl_terms_fill(b, KSF_A_MSG_BODY_SERVE, o->serve, false) ||
	       ksf_nl_terms_fill(b, KSF_A_MSG_BODY_ASK, o->ask, true) ?
	       -EMSGSIZE : 0;
}

/* An answer's body: the offer's id, and the pair we stored, both ways. */
static int answer_fill(struct sk_buff *b, u64 id, const struct ksf_pair *pair)
{
	return nla_put_u64_64bit(b, KSF_A_MSG_BODY_OFFER_ID, id,
				 KSF_A_MSG_BODY_PAD) ||
	       nla_put_u32(b, KSF_A_MSG_BODY_GENERATION, pair->generation) ||
	       ksf_nl_terms_fill(b, KSF_A_MSG_BODY_OFFERER_RUNS, pair->they_run,
				 false) ||
	       ksf_nl_terms_fill(b, KSF_A_MSG_BODY_ANSWERER_RUNS, pair->we_run,
				 false) ? -EMSGSIZE : 0;
}

/* Seals the body in @b (freed) as a blob of @type to @peer. */
static int seal_body(struct ksf_net *kn, struct ksf_peer *peer, u32 type,
		     struct sk_buff *b, struct ksf_msg *out,
		     struct ksf_msg *rekey, const char **why)
{
	int ret = ksf_chan_seal(kn, peer, type, b->data, b->len, out, rekey,
				why);

	kfree_skb(b);
	return ret;
}

/*
 * An offer from @oc's peer: the pair it and our policy give is sealed in
 * an answer, then stored (a failure before stores nothing).
 */
static int recv_offer(struct ksf_net *kn, struct ksf_chan_outcome *oc,
		      struct nlattr **tb, const char **why)
{
	struct ksf_offer o = {};
	struct ksf_policy *serve, *ask = NULL;
	struct ksf_pair *pair = NULL;
	struct sk_buff *b;
	int ret;

	*why = "malformed offer: no offer-id or generation";
	if (!tb[KSF_A_MSG_BODY_OFFER_ID] || !tb[KSF_A_MSG_BODY_GENERATION])
		return -EPROTO;
	serve = ksf_nl_terms_parse(tb[KSF_A_MSG_BODY_SERVE], false, why);
	if (IS_ERR(serve))
		return PTR_ERR(serve);
	ask = ksf_nl_terms_parse(tb[KSF_A_MSG_BODY_ASK], true, why);
	if (IS_ERR(ask)) {
		ret = PTR_ERR(ask);
		ask = NULL;
		goto out;
	}
	o = (struct ksf_offer) {
		.id = nla_get_u64(tb[KSF_A_MSG_BODY_OFFER_ID]),
		.generation = nla_get_u32(tb[KSF_A_MSG_BODY_GENERATION]),
		.serve = serve,
		.ask = ask,
	};
	ret = -ENOMEM;
	*why = "out of memory";
	pair = ksf_pair_answer(oc->peer, &o);
	b = pair ? alloc_skb(BODY_NEGOTIATE_MAX, GFP_KERNEL) : NULL;
	if (!b)
		goto out;
	ret = answer_fill(b, o.id, pair);
	if (ret) {
		kfree_skb(b);
		goto out;
	}
	ret = seal_body(kn, oc->peer, KSF_MSG_TYPE_ANSWER, b, &oc->out,
			&oc->rekey, why);
	if (ret)
		goto out;
	ksf_pair_store(oc->peer, pair);
	pair = NULL;
	ksf_event(kn, KSF_EVENT_POLICY_CHANGE, oc->peer->id, 0, 0,
		  "pair negotiated (answered)");
out:
	ksf_pair_free(pair);
	ksf_policy_put(serve);
	ksf_policy_put(ask);
	return ret;
}

/* An answer to our offer: stored if within it. */
static int recv_answer(struct ksf_net *kn, struct ksf_chan_outcome *oc,
		       struct nlattr **tb, const char **why)
{
	struct ksf_pair *pair;
	int ret;

	*why = "malformed answer: no offer-id";
	if (!tb[KSF_A_MSG_BODY_OFFER_ID])
		return -EPROTO;
	/* ours to run is what it says the offerer runs */
	pair = ksf_nl_pair_parse(tb[KSF_A_MSG_BODY_GENERATION],
				 tb[KSF_A_MSG_BODY_OFFERER_RUNS],
				 tb[KSF_A_MSG_BODY_ANSWERER_RUNS], why);
	if (IS_ERR(pair))
		return PTR_ERR(pair);
	ret = ksf_pair_accept(oc->peer,
			      nla_get_u64(tb[KSF_A_MSG_BODY_OFFER_ID]), pair,
			      why);
	if (ret) {
		ksf_pair_free(pair);
		return ret;
	}
	ksf_event(kn, KSF_EVENT_POLICY_CHANGE, oc->peer->id, 0, 0,
		  "pair negotiated (offered)");
	return 0;
}

/*
 * The body of a blob the channel accepted (an offer or an answer): its
 * counter is spent, so a refusal here is final for this blob.
 */
static void recv_body(struct ksf_net *kn, struct ksf_chan_outcome *oc)
{
	struct nlattr *tb[KSF_A_MSG_BODY_MAX + 1];
	const char *why = "malformed body";
	int ret;

	if (oc->err || !oc->body)
		return;
	ret = nla_parse(tb, KSF_A_MSG_BODY_MAX, (const struct nlattr *)oc->body,
			oc->body_len, body_policy, NULL);
	if (!ret && oc->type == KSF_MSG_TYPE_OFFER)
		ret = recv_offer(kn, oc, tb, &why);
	else if (!ret && oc->type == KSF_MSG_TYPE_ANSWER)
		ret = recv_answer(kn, oc, tb, &why);
	else if (!ret)
		ret = -EPROTO;
	if (ret)
		ksf_chan_refuse_body(kn, oc, ret, why);
}

int ksf_nl_msg_negotiate_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ksf_net *kn = ksf_net(genl_info_net(info));
	struct nlattr *a = info->attrs[KSF_A_CHANNEL_PEER];
	struct ksf_msg m = {}, rekey = {};
	struct ksf_policy *conf = NULL;
	struct ksf_offer o = {};
	struct ksf_peer *peer;
	struct sk_buff *msg, *b;
	const char *why;
	void *hdr;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KSF_A_CHANNEL_PEER))
		return -EINVAL;
	peer = ksf_peer_get(kn, nla_data(a));
	if (!peer) {
		NL_SET_ERR_MSG_ATTR(info->extack, a, "no such peer");
		return -ENOENT;
	}
	ret = -EINVAL;
	why = "peer is not a ksf peer with a public key";
	if (!peer->chan)
		goto err;
	conf = ksf_pair_offer_new(peer, &o);
	ret = -ENOMEM;
	why = "out of memory";
	b = alloc_skb(BODY_NEGOTIATE_MAX, GFP_KERNEL);
	if (!b)
		goto err;
	ret = offer_fill(b, &o);
	if (ret) {
		kfree_skb(b);
		goto err;
	}
	ret = seal_body(kn, peer, KSF_MSG_TYPE_OFFER, b, &m, &rekey, &why);
	if (ret)
		goto err;
	ksf_pair_offer_sent(peer, o.id, conf);
	conf = NULL;
	ret = -ENOMEM;
	msg = ksf_nl_reply_new(info, NLMSG_GOODSIZE + msg_size(&m) +
			       msg_size(&rekey), &hdr);
	if (!msg)
		goto out;
	ret = put_msg(msg, peer->id, &m) ?: put_msg(msg, peer->id, &rekey);
	if (ret) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
	goto out;
err:
	info->extack->_msg = why;	/* a string constant */
	NL_SET_BAD_ATTR(info->extack, a);
out:
	ksf_policy_put(conf);
	ksf_msg_free(&m);
	ksf_msg_free(&rekey);
	ksf_peer_put(peer);
	return ret;
}

int ksf_nl_msg_receive_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ksf_net *kn = ksf_net(genl_info_net(info));
	struct ksf_chan_outcome *oc;
	struct ksf_peer *carrier;
	const struct nlattr *a;
	u32 n = 0, i = 0;
	int rem, ret;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem)
		n += nla_type(a) == KSF_A_CHANNEL_BLOB;
	if (!n) {
		NL_SET_ERR_MSG(info->extack, "no blob to receive");
		return -EINVAL;
	}
	if (n > KSF_MSG_BATCH_MAX) {
		NL_SET_ERR_MSG(info->extack, "more than msg-batch-max (64) blobs");
		return -E2BIG;
	}
	ret = msg_caller(skb, info, kn, &carrier);
	if (ret)
		return ret;
	oc = kcalloc(n, sizeof(*oc), GFP_KERNEL);
	if (!oc) {
		ret = -ENOMEM;
		goto out;
	}
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != KSF_A_CHANNEL_BLOB)
			continue;
		ksf_chan_receive(kn, nla_data(a), nla_len(a), carrier, &oc[i]);
		recv_body(kn, &oc[i++]);
	}
	/*
	 * Refused blobs too are outcomes, with their reasons: an extack
	 * could carry only one, and before 6.2 not a formatted one.
	 */
	ret = receive_reply(info, oc, n);
	for (i = 0; i < n; i++)
		ksf_chan_outcome_release(&oc[i]);
	kfree(oc);
out:
	if (carrier)
		ksf_peer_put(carrier);
	return ret;
}
