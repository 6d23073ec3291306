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
#include "../engine/engine.h"
#include "../services/item.h"
#include "compat.h"
#include "ksf-nl-gen.h"
#include "codec.h"
#include "netlink.h"

/* A result without its family's nest. */
static size_t result_fixed_size(void)
{
	return nla_total_size(0) +			/* nest */
	       3 * nla_total_size(sizeof(u32)) +	/* index, status, error */
	       nla_total_size(KSF_REASON_LEN) +
	       2 * nla_total_size_64bit(sizeof(u64));	/* key, context */
}

/* The common fields of an item, each with its presence bit. */
static const struct ksf_nl_attr item_attrs[] = {
	{ KSF_A_ITEM_ALG, KSF_FIELD_U32, offsetof(struct ksf_req, alg),
	  KSF_REQ_ALG },
	{ KSF_A_ITEM_KEY, KSF_FIELD_U64, offsetof(struct ksf_req, key),
	  KSF_REQ_KEY },
	{ KSF_A_ITEM_KEY2, KSF_FIELD_U64, offsetof(struct ksf_req, key2),
	  KSF_REQ_KEY2 },
	{ KSF_A_ITEM_CONTEXT, KSF_FIELD_U64, offsetof(struct ksf_req, context),
	  KSF_REQ_CONTEXT },
	{ KSF_A_ITEM_SUBSCRIBER, KSF_FIELD_STRING,
	  offsetof(struct ksf_req, subscriber), KSF_REQ_SUBSCRIBER },
	{ KSF_A_ITEM_PEER, KSF_FIELD_STRING, offsetof(struct ksf_req, peer),
	  KSF_REQ_PEER },
};

/*
 * An item into a typed request: the common fields here, the family's
 * nest by the generated codec.  @nest was validated with its enclosing
 * request, policy or record (ksf_nl_split()).  On error @reason says
 * why.
 */
int ksf_nl_req_decode(const struct nlattr *nest, struct ksf_req *req,
		      char *reason, size_t len)
{
	struct nlattr *tb[KSF_A_ITEM_MAX + 1];

	memset(req, 0, offsetof(struct ksf_req, args));	/* args: decode */
	ksf_nl_split(tb, KSF_A_ITEM_MAX, nest);
	if (!tb[KSF_A_ITEM_SERVICE]) {
		strscpy(reason, "item has no service", len);
		return -EINVAL;
	}
	req->service = nla_get_u32(tb[KSF_A_ITEM_SERVICE]);
	req->present = ksf_nl_get_attrs(tb, item_attrs,
					ARRAY_SIZE(item_attrs), req);
	return ksf_args_decode(req->service, tb, &req->args, reason, len);
}

/* A typed request back into an item nest of type @attr. */
int ksf_nl_req_encode(struct sk_buff *skb, int attr, const struct ksf_req *req)
{
	struct nlattr *nest = nla_nest_start(skb, attr);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, KSF_A_ITEM_SERVICE, req->service) ||
	    ksf_nl_put_attrs(skb, item_attrs, ARRAY_SIZE(item_attrs), req,
			     req->present, KSF_A_ITEM_PAD) ||
	    ksf_args_encode(skb, ksf_service_family(req->service),
			    &req->args)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int put_result(struct sk_buff *skb, int attr, u32 index,
		      const struct ksf_res *res)
{
	struct nlattr *nest = nla_nest_start(skb, attr);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, KSF_A_RESULT_INDEX, index) ||
	    nla_put_u32(skb, KSF_A_RESULT_STATUS, res->status))
		goto cancel;
	if (res->status != KSF_STATUS_OK) {
		if (nla_put_s32(skb, KSF_A_RESULT_ERROR, res->error) ||
		    nla_put_string(skb, KSF_A_RESULT_REASON, res->reason))
			goto cancel;
	}
	if (res->key &&
	    nla_put_u64_64bit(skb, KSF_A_RESULT_KEY, res->key,
			      KSF_A_RESULT_PAD))
		goto cancel;
	if (res->context &&
	    nla_put_u64_64bit(skb, KSF_A_RESULT_CONTEXT, res->context,
			      KSF_A_RESULT_PAD))
		goto cancel;
	if (ksf_out_encode(skb, res->family, &res->out))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

void ksf_nl_event(struct ksf_net *kn, u32 type, const char *peer, u64 key,
		  u64 new_key, u32 service, const char *reason)
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
	    (new_key && nla_put_u64_64bit(msg, KSF_A_EVENT_NEW_KEY, new_key,
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

/*
 * The items of a request, decoded once into typed requests: the reply is
 * sized from them (outputs as long as the data for aead and nas), then
 * they run.  One that did not decode keeps its error and reason.
 */
struct ksf_batch {
	u32 n;
	struct ksf_batch_item {
		struct ksf_req req;
		int err;
		char reason[KSF_REASON_LEN];
	} items[];
};

/* Decodes the items of type @item_type in @head; NULL: no memory. */
struct ksf_batch *ksf_batch_decode(const struct nlattr *head, int len,
				   int item_type)
{
	struct ksf_batch_item *bi;
	const struct nlattr *a;
	struct ksf_batch *b;
	u32 n = 0;
	int rem;

	nla_for_each_attr(a, head, len, rem)
		n += nla_type(a) == item_type;
	b = kvmalloc(struct_size(b, items, n), GFP_KERNEL);
	if (!b)
		return NULL;
	b->n = 0;
	nla_for_each_attr(a, head, len, rem) {
		if (nla_type(a) != item_type)
			continue;
		bi = &b->items[b->n++];
		bi->err = ksf_nl_req_decode(a, &bi->req, bi->reason,
					    sizeof(bi->reason));
		bi->req.origin = KSF_ORIGIN_NETLINK;
	}
	return b;
}

/* The requests only point into the message: nothing of theirs to wipe. */
void ksf_batch_free(struct ksf_batch *b)
{
	kvfree(b);
}

/*
 * Bytes of the reply to @b: per item its result's fixed part and what
 * its service's descriptor says its outputs can take (none if the item
 * did not decode).
 */
size_t ksf_batch_size(const struct ksf_batch *b)
{
	size_t size = NLMSG_GOODSIZE;
	u32 i;

	for (i = 0; i < b->n; i++)
		size += result_fixed_size() + (b->items[i].err ? 0 :
			ksf_engine_out_max(b->items[i].req.service,
					   &b->items[i].req));
	return size;
}

/* Bytes of the reply to a typed list. */
size_t ksf_list_size(const struct ksf_list *l)
{
	size_t size = NLMSG_GOODSIZE;
	u32 i;

	for (i = 0; i < l->n; i++)
		size += result_fixed_size() +
			ksf_engine_out_max(l->items[i]->service, l->items[i]);
	return size;
}

/*
 * Runs one request (@req; NULL: it did not decode, @it says why) of
 * @peer and puts its result; a rejection is audited.
 */
static int run_one(struct ksf_net *kn, struct ksf_item *it,
		   const struct ksf_req *req, struct sk_buff *msg,
		   int result_type)
{
	int ret;

	if (req) {
		it->req = req;
		ksf_engine_run(kn, it);
	}
	if (it->res.status == KSF_STATUS_REJECTED)
		ksf_event(kn, KSF_EVENT_REJECTION, it->peer->id,
			  req && it->service ? req->key : 0, it->service,
			  it->res.reason);
	ret = put_result(msg, result_type, it->index, &it->res);
	ksf_item_release(it);
	return ret;
}

static void item_init(struct ksf_item *it, struct ksf_peer *peer,
		      const struct ksf_policy *pol, u32 index)
{
	memset(it, 0, sizeof(*it));
	it->peer = peer;
	it->pol = pol;
	it->index = index;
}

/* Request @i of a batch or a list, or NULL with @it failed. */
typedef const struct ksf_req *(*ksf_req_at_t)(const void *src, u32 i,
					       struct ksf_item *it);

/* Runs @n requests of @src for @peer, under its current policy. */
static int run_all(struct ksf_net *kn, struct ksf_peer *peer, const void *src,
		   u32 n, ksf_req_at_t req_at, struct sk_buff *msg,
		   int result_type)
{
	struct ksf_policy *pol = ksf_policy_get(peer);
	struct ksf_item *it;
	int ret = 0;
	u32 i;

	it = kmalloc(sizeof(*it), GFP_KERNEL);
	if (!it) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n && !ret; i++) {
		item_init(it, peer, pol, i);
		ret = run_one(kn, it, req_at(src, i, it), msg, result_type);
	}
	kfree(it);
out:
	ksf_policy_put(pol);
	return ret;
}

static const struct ksf_req *batch_req(const void *src, u32 i,
				       struct ksf_item *it)
{
	const struct ksf_batch_item *bi = &((const struct ksf_batch *)src)->items[i];

	if (!bi->err)
		return &bi->req;
	ksf_item_fail(it, bi->err, bi->reason);
	return NULL;
}

/* Runs the decoded items of @b. */
int ksf_run_batch(struct ksf_net *kn, struct ksf_peer *peer,
		  const struct ksf_batch *b, struct sk_buff *msg,
		  int result_type)
{
	return run_all(kn, peer, b, b->n, batch_req, msg, result_type);
}

static const struct ksf_req *list_req(const void *src, u32 i,
				      struct ksf_item *it)
{
	return ((const struct ksf_list *)src)->items[i];
}

/*
 * Runs a typed list of @peer's policy (a notify preset or a timer's; its
 * requests say their origin), under @peer's current policy.
 */
int ksf_run_list(struct ksf_net *kn, struct ksf_peer *peer,
		 const struct ksf_list *l, struct sk_buff *msg,
		 int result_type)
{
	return run_all(kn, peer, l, l->n, list_req, msg, result_type);
}

/* A policy timer fired: run its list, send the results as an event. */
void ksf_nl_timer_run(struct ksf_peer *peer, const struct ksf_list *timer)
{
	struct ksf_net *kn = peer->kn;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(ksf_list_size(timer), GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &ksf_nl_family, 0, KSF_CMD_EVENT);
	if (!hdr ||
	    nla_put_u32(msg, KSF_A_EVENT_TYPE, KSF_EVENT_TIMER_RESULT) ||
	    nla_put_string(msg, KSF_A_EVENT_PEER, peer->id) ||
	    ksf_run_list(kn, peer, timer, msg, KSF_A_EVENT_RESULT)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	timer_deliver(peer, msg);
}
