// SPDX-License-Identifier: GPL-2.0-only
/*
 * Service requests on the wire: a list of items, each decoded and run by
 * the engine, each producing one result (ok with outputs, rejected, or an
 * error) encoded into the reply; policy timers' lists, whose results go
 * out as events; and the events group (the audit sink of core/audit.h).
 */
#include <linux/slab.h>
#include <net/genetlink.h>

#include "../ksf.h"
#include "../core/audit.h"
#include "../core/context.h"
#include "../core/peer.h"
#include "../core/policy.h"
#include "../crypto/aead.h"
#include "../engine/engine.h"
#include "../services/item.h"
#include "compat.h"
#include "ksf-nl-gen.h"
#include "netlink.h"

static size_t result_size(const struct ksf_item *it)
{
	return nla_total_size(0) +			/* nest */
	       3 * nla_total_size(sizeof(u32)) +	/* index, status, error */
	       nla_total_size(KSF_REASON_LEN) +
	       nla_total_size(it ? it->out_len : 0) +
	       nla_total_size(KSF_GCM_TAG_LEN) +
	       nla_total_size(KSF_GCM_IV_LEN) +
	       nla_total_size_64bit(sizeof(u64)) +
	       5 * nla_total_size(16) +			/* AKA outputs */
	       nla_total_size_64bit(sizeof(u64)) +
	       nla_total_size_64bit(sizeof(u64)) +	/* context */
	       nla_total_size(sizeof(u32));		/* count */
}

static int put_aka(struct sk_buff *skb, const struct ksf_aka_out *o)
{
	if ((o->has_rand && nla_put(skb, KSF_A_RESULT_RAND, 16, o->rand)) ||
	    (o->has_autn && nla_put(skb, KSF_A_RESULT_AUTN, 16, o->autn)) ||
	    (o->has_res && nla_put(skb, KSF_A_RESULT_RES, 16, o->res)) ||
	    (o->has_hres && nla_put(skb, KSF_A_RESULT_HRES, 16, o->hres)) ||
	    (o->has_auts && nla_put(skb, KSF_A_RESULT_AUTS, sizeof(o->auts),
				    o->auts)) ||
	    (o->has_sqn && nla_put_u64_64bit(skb, KSF_A_RESULT_SQN, o->sqn,
					     KSF_A_RESULT_PAD)))
		return -EMSGSIZE;
	return 0;
}

static int put_result(struct sk_buff *skb, int attr, u32 index,
		      const struct ksf_item *it)
{
	struct nlattr *nest = nla_nest_start(skb, attr);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, KSF_A_RESULT_INDEX, index) ||
	    nla_put_u32(skb, KSF_A_RESULT_STATUS, it->status))
		goto cancel;
	if (it->status != KSF_STATUS_OK) {
		if (nla_put_s32(skb, KSF_A_RESULT_ERROR, it->error) ||
		    nla_put_string(skb, KSF_A_RESULT_REASON, it->reason))
			goto cancel;
	}
	if (it->out && nla_put(skb, KSF_A_RESULT_DATA, it->out_len, it->out))
		goto cancel;
	if (it->tag_len && nla_put(skb, KSF_A_RESULT_MAC, it->tag_len, it->tag))
		goto cancel;
	if (it->has_iv && nla_put(skb, KSF_A_RESULT_IV, KSF_GCM_IV_LEN, it->iv))
		goto cancel;
	if (it->new_key &&
	    nla_put_u64_64bit(skb, KSF_A_RESULT_KEY, it->new_key,
			      KSF_A_RESULT_PAD))
		goto cancel;
	if (it->aka && put_aka(skb, it->aka))
		goto cancel;
	if (it->ctx && it->status == KSF_STATUS_OK &&
	    nla_put_u64_64bit(skb, KSF_A_RESULT_CONTEXT, it->ctx->handle,
			      KSF_A_RESULT_PAD))
		goto cancel;
	if (it->has_count && nla_put_u32(skb, KSF_A_RESULT_COUNT, it->count))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

void ksf_nl_event(struct ksf_net *kn, u32 type, const char *peer, u64 key,
		  u32 service, const char *reason)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&ksf_nl_family, kn->net, KSF_NLGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &ksf_nl_family, 0, KSF_CMD_EVENT);
	if (!hdr)
		goto err;
	if (nla_put_u32(msg, KSF_A_EVENT_TYPE, type) ||
	    (peer && nla_put_string(msg, KSF_A_EVENT_PEER, peer)) ||
	    (key && nla_put_u64_64bit(msg, KSF_A_EVENT_KEY, key,
				      KSF_A_EVENT_PAD)) ||
	    (service && nla_put_u32(msg, KSF_A_EVENT_SERVICE, service)) ||
	    (reason && nla_put_string(msg, KSF_A_EVENT_REASON, reason)))
		goto err;
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&ksf_nl_family, kn->net, msg, 0,
				KSF_NLGRP_EVENTS, GFP_KERNEL);
	return;
err:
	nlmsg_free(msg);
}

/*
 * A peer's timer results: to the events group (admins) and to the socket
 * the peer registered with listen, if any.  A socket gone since is
 * forgotten (its release normally did that already).  Delivery is by
 * port ID: between the moment a closing socket frees its port ID and
 * its NETLINK_URELEASE (listen_release), a result could reach another
 * socket bound to that ID in that instant.
 */
static void timer_deliver(struct ksf_peer *peer, struct sk_buff *msg)
{
	struct ksf_net *kn = peer->kn;
	u32 portid = READ_ONCE(peer->listen_portid);
	struct sk_buff *copy;

	if (portid) {
		copy = skb_clone(msg, GFP_KERNEL);
		if (copy && genlmsg_unicast(kn->net, copy, portid) ==
			    -ECONNREFUSED)
			cmpxchg(&peer->listen_portid, portid, 0);
	}
	genlmsg_multicast_netns(&ksf_nl_family, kn->net, msg, 0,
				KSF_NLGRP_EVENTS, GFP_KERNEL);
}

size_t ksf_items_size(const struct nlattr *head, int len, int item_type)
{
	const struct nlattr *a;
	size_t size = NLMSG_GOODSIZE;
	int rem;

	/* Outputs are never longer than the item's data, plus fixed parts. */
	nla_for_each_attr(a, head, len, rem)
		if (nla_type(a) == item_type)
			size += nla_total_size(nla_len(a)) + result_size(NULL);
	return size;
}

int ksf_run_items(struct ksf_net *kn, struct ksf_peer *peer,
		  const struct nlattr *head, int len, int item_type,
		  struct sk_buff *msg, int result_type)
{
	struct nlattr *tb[KSF_A_ITEM_MAX + 1];
	struct ksf_policy *pol = ksf_policy_get(peer);
	const struct nlattr *a;
	struct ksf_item it;
	u32 index = 0;
	int rem, ret = 0;

	nla_for_each_attr(a, head, len, rem) {
		if (nla_type(a) != item_type)
			continue;
		memset(&it, 0, sizeof(it));
		it.nest = a;
		it.tb = tb;
		it.peer = peer;
		it.pol = pol;
		if (index >= pol->batch_max)
			ksf_item_reject(&it, "batch larger than the trusted policy allows");
		else if (nla_parse_nested(tb, KSF_A_ITEM_MAX, a,
					  ksf_item_nl_policy, NULL))
			ksf_item_fail(&it, -EINVAL, "malformed item");
		else
			ksf_engine_run(kn, &it);
		if (it.status == KSF_STATUS_REJECTED)
			ksf_event(kn, KSF_EVENT_REJECTION, peer->id,
				  tb[KSF_A_ITEM_KEY] && it.service ?
				  nla_get_u64(tb[KSF_A_ITEM_KEY]) : 0,
				  it.service, it.reason);
		ret = put_result(msg, result_type, index++, &it);
		ksf_item_release(&it);
		if (ret)
			break;
	}
	ksf_policy_put(pol);
	return ret;
}

/* A policy timer fired: run its list, send the results as an event. */
void ksf_nl_timer_run(struct ksf_peer *peer, const struct nlattr *timer)
{
	struct ksf_net *kn = peer->kn;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(ksf_items_size(nla_data(timer), nla_len(timer),
					 KSF_A_TIMER_ITEM), GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &ksf_nl_family, 0, KSF_CMD_EVENT);
	if (!hdr ||
	    nla_put_u32(msg, KSF_A_EVENT_TYPE, KSF_EVENT_TIMER_RESULT) ||
	    nla_put_string(msg, KSF_A_EVENT_PEER, peer->id) ||
	    ksf_run_items(kn, peer, nla_data(timer), nla_len(timer),
			  KSF_A_TIMER_ITEM, msg, KSF_A_EVENT_RESULT)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	timer_deliver(peer, msg);
}
