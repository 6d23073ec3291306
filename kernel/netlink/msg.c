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
#include "../core/channel.h"
#include "../core/peer.h"
#include "../core/policy.h"
#include "compat.h"
#include "ksf-nl-gen.h"
#include "netlink.h"

static size_t msg_size(const struct ksf_msg *m)
{
	return nla_total_size(0) + nla_total_size(KSF_PEER_ID_LEN) +
	       nla_total_size(sizeof(u32)) + nla_total_size(m->len);
}

static int put_msg(struct sk_buff *skb, const char *peer,
		   const struct ksf_msg *m)
{
	struct nlattr *nest = nla_nest_start(skb, KSF_A_CHANNEL_MSG);

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
		size += outcome_size() + msg_size(&oc[i].out);
	msg = ksf_nl_reply_new(info, size, &hdr);
	if (!msg)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (put_outcome(msg, i, &oc[i]))
			goto err;
	for (i = 0; i < n; i++)
		if (oc[i].out.len && put_msg(msg, oc[i].peer->id, &oc[i].out))
			goto err;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err:
	nlmsg_free(msg);
	return -EMSGSIZE;
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
		ksf_chan_receive(kn, nla_data(a), nla_len(a), carrier, &oc[i++]);
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
