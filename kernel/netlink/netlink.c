// SPDX-License-Identifier: GPL-2.0-only
/*
 * Generic Netlink handlers of the ksf family.  Policies and the ops table
 * are generated from Documentation/netlink/specs/ksf.yaml (nl-gen.c);
 * every handler sets an extack message on every error.
 */
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "../ksf.h"
#include "../core/channel.h"
#include "../core/context.h"
#include "../core/identity.h"
#include "../core/keystore.h"
#include "../core/owner.h"
#include "../core/peer.h"
#include "../core/policy.h"
#include "../state/state.h"
#include "codec.h"
#include "compat.h"
#include "ksf-nl-gen.h"
#include "netlink.h"
#include "objects.h"

static struct ksf_net *info_kn(struct genl_info *info)
{
	return ksf_net(genl_info_net(info));
}

struct sk_buff *ksf_nl_reply_new(struct genl_info *info, size_t size,
				 void **hdr)
{
	struct sk_buff *msg = genlmsg_new(size, GFP_KERNEL);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &ksf_nl_family, 0,
				 info->genlhdr->cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/*
 * Commands without request attributes have no policy (the generator
 * cannot express an empty one): reject any attribute here.
 */
static int no_attrs(const struct nlmsghdr *nlh, struct netlink_ext_ack *extack)
{
	if (!nlmsg_attrlen(nlh, GENL_HDRLEN))
		return 0;
	NL_SET_ERR_MSG(extack, "this command takes no attributes");
	return -EINVAL;
}

int ksf_nl_get_info_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ksf_net *kn = info_kn(info);
	u8 pub[KSF_X25519_LEN];
	struct sk_buff *msg;
	void *hdr;

	if (no_attrs(info->nlhdr, info->extack))
		return -EINVAL;

	ksf_identity_public(kn, pub);
	msg = ksf_nl_reply_new(info, NLMSG_GOODSIZE, &hdr);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, KSF_A_INFO_VERSION, KSF_VERSION) ||
	    nla_put_u64_64bit(msg, KSF_A_INFO_INSTANCE_ID, kn->instance_id,
			      KSF_A_INFO_PAD) ||
	    nla_put_u32(msg, KSF_A_INFO_PEERS, atomic_read(&kn->n_peers)) ||
	    nla_put_u32(msg, KSF_A_INFO_KEYS, atomic_read(&kn->n_keys)) ||
	    nla_put_u32(msg, KSF_A_INFO_CONTEXTS,
			atomic_read(&kn->n_contexts)) ||
	    nla_put_u32(msg, KSF_A_INFO_PEER_SIZE, ksf_peer_size()) ||
	    nla_put_u32(msg, KSF_A_INFO_KEY_SIZE, ksf_key_size()) ||
	    nla_put_u64_64bit(msg, KSF_A_INFO_MEM, atomic64_read(&kn->mem),
			      KSF_A_INFO_PAD) ||
	    nla_put_u32(msg, KSF_A_INFO_CONTEXT_SIZE, ksf_ctx_size()) ||
	    nla_put(msg, KSF_A_INFO_PUBLIC_KEY, sizeof(pub), pub) ||
	    nla_put_u64_64bit(msg, KSF_A_INFO_KEY_ID, ksf_identity_key_id(kn),
			      KSF_A_INFO_PAD)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* Fills a message with one object: a peer or a key. */
typedef int (*dump_fill_t)(struct sk_buff *skb, void *obj);

static int peer_fill(struct sk_buff *skb, void *obj)
{
	return ksf_nl_peer_fill(skb, obj);
}

static int key_fill(struct sk_buff *skb, void *obj)
{
	return ksf_nl_key_fill(skb, obj);
}

static int ctx_fill(struct sk_buff *skb, void *obj)
{
	return ksf_nl_ctx_fill(skb, obj, false);
}

/*
 * Replies to a get with one object of at most @size bytes (netlink trims
 * the unused room); the caller holds a reference.
 */
static int reply_obj(struct genl_info *info, dump_fill_t fill, void *obj,
		     size_t size)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = ksf_nl_reply_new(info, size, &hdr);
	if (!msg)
		return -ENOMEM;
	ret = fill(msg, obj);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* ---- peers ---- */

int ksf_nl_peer_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ksf_peer_spec spec;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KSF_A_PEER_ID) ||
	    GENL_REQ_ATTR_CHECK(info, KSF_A_PEER_KIND))
		return -EINVAL;
	ret = ksf_nl_peer_spec(info->attrs, &spec, false, info->extack);
	if (!ret && spec.has_psk)
		ret = ksf_chan_psk_check(info_kn(info), spec.psk, info->extack);
	return ret ?: ksf_peer_new(info_kn(info), &spec, info->extack);
}

/*
 * A peer bound to other credentials: the socket its old process
 * registered with listen hears nothing more.  Pairs with the recheck in
 * ksf_nl_listen_doit().
 */
static void listen_forget(struct ksf_net *kn, const char *id)
{
	struct ksf_peer *p = ksf_peer_get(kn, id);

	if (!p)
		return;
	smp_mb();	/* the new binding before the reset */
	WRITE_ONCE(p->listen_portid, 0);
	ksf_peer_put(p);
}

int ksf_nl_peer_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct ksf_peer_spec spec;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KSF_A_PEER_ID))
		return -EINVAL;
	ret = ksf_nl_peer_spec(tb, &spec, true, info->extack);
	if (!ret && spec.has_psk)
		ret = ksf_chan_psk_check(info_kn(info), spec.psk, info->extack);
	if (!ret)
		ret = ksf_peer_set(info_kn(info), &spec, info->extack);
	if (!ret && (tb[KSF_A_PEER_UID] || tb[KSF_A_PEER_GID]))
		listen_forget(info_kn(info), nla_data(tb[KSF_A_PEER_ID]));
	return ret;
}

int ksf_nl_peer_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	if (GENL_REQ_ATTR_CHECK(info, KSF_A_PEER_ID))
		return -EINVAL;
	return ksf_peer_del(info_kn(info), nla_data(info->attrs[KSF_A_PEER_ID]),
			    info->extack);
}

int ksf_nl_peer_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ksf_peer *p;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KSF_A_PEER_ID))
		return -EINVAL;
	p = ksf_peer_get(info_kn(info), nla_data(info->attrs[KSF_A_PEER_ID]));
	if (!p) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KSF_A_PEER_ID],
				    "no such peer");
		return -ENOENT;
	}
	ret = reply_obj(info, peer_fill, p, ksf_nl_peer_msg_max());
	ksf_peer_put(p);
	return ret;
}

/*
 * Dumps walk an rhashtable across calls: cb->args[0] holds the iterator,
 * cb->args[1] is set when the last object returned did not fit and must
 * be sent first in the next call.
 */
static int dump_start(struct netlink_callback *cb, struct rhashtable *ht)
{
	struct rhashtable_iter *iter;

	if (no_attrs(cb->nlh, cb->extack))
		return -EINVAL;
	iter = kmalloc(sizeof(*iter), GFP_KERNEL);
	if (!iter)
		return -ENOMEM;
	rhashtable_walk_enter(ht, iter);
	cb->args[0] = (long)iter;
	cb->args[1] = 0;
	return 0;
}

int ksf_nl_peer_dump_start(struct netlink_callback *cb)
{
	/* Room for the largest peer the kernel accepts in every message. */
	cb->min_dump_alloc = nlmsg_total_size(GENL_HDRLEN + ksf_nl_peer_msg_max());
	return dump_start(cb, &ksf_net(sock_net(cb->skb->sk))->peers);
}

int ksf_nl_key_dump_start(struct netlink_callback *cb)
{
	return dump_start(cb, &ksf_net(sock_net(cb->skb->sk))->keys);
}

int ksf_nl_context_dump_start(struct netlink_callback *cb)
{
	return dump_start(cb, &ksf_net(sock_net(cb->skb->sk))->ctx_handles);
}

int ksf_nl_dump_done(struct netlink_callback *cb)
{
	struct rhashtable_iter *iter = (struct rhashtable_iter *)cb->args[0];

	if (iter) {
		rhashtable_walk_exit(iter);
		kfree(iter);
	}
	return 0;
}

static void *dump_next(struct rhashtable_iter *iter)
{
	void *obj;

	do {
		obj = rhashtable_walk_next(iter);
	} while (PTR_ERR(obj) == -EAGAIN);
	return IS_ERR(obj) ? NULL : obj;
}

static u8 dump_cmd(struct netlink_callback *cb)
{
	const struct genlmsghdr *ghdr = nlmsg_data(cb->nlh);

	return ghdr->cmd;
}

/*
 * A peer's fill may sleep (its sessions are read under the channel's
 * mutex): it runs outside the walk's RCU section, on a reference taken
 * inside it.  A dying peer is left out (-ENOENT).
 */
static int peer_fill_held(struct sk_buff *skb, struct rhashtable_iter *iter,
			  struct ksf_peer *p)
{
	int ret;

	if (!refcount_inc_not_zero(&p->ref))
		return -ENOENT;
	rhashtable_walk_stop(iter);
	ret = ksf_nl_peer_fill(skb, p);
	ksf_peer_put(p);
	rhashtable_walk_start(iter);
	return ret;
}

static int dump_walk_gated(struct sk_buff *skb, struct netlink_callback *cb,
			   dump_fill_t fill)
{
	struct rhashtable_iter *iter = (struct rhashtable_iter *)cb->args[0];
	int sent = 0, ret;
	void *obj;

	rhashtable_walk_start(iter);
	obj = cb->args[1] ? rhashtable_walk_peek(iter) : dump_next(iter);
	if (IS_ERR(obj))
		obj = dump_next(iter);
	cb->args[1] = 0;
	for (; obj; obj = dump_next(iter)) {
		void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, &ksf_nl_family,
					NLM_F_MULTI, dump_cmd(cb));

		if (hdr)
			ret = fill == peer_fill ? peer_fill_held(skb, iter, obj) :
						  fill(skb, obj);
		if (hdr && ret == -ENOENT) {
			genlmsg_cancel(skb, hdr);
			continue;
		}
		if (!hdr || ret) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			cb->args[1] = 1;
			break;
		}
		genlmsg_end(skb, hdr);
		sent++;
	}
	rhashtable_walk_stop(iter);
	/* Nothing fit even though objects remain: report it, don't loop. */
	if (cb->args[1] && !sent)
		return -EMSGSIZE;
	return skb->len;
}

/*
 * One dumpit call: inside the restore gate, like a doit (a restore
 * empties and refills the tables the walk is on).  The gate is taken per
 * call, not from start to done: a dump may wait in user space between
 * calls, and a restore must not wait for it.
 */
static int dump_walk(struct sk_buff *skb, struct netlink_callback *cb,
		     dump_fill_t fill)
{
	struct ksf_net *kn = ksf_net(sock_net(cb->skb->sk));
	int ret;

	if (!ksf_gate_enter(kn)) {
		NL_SET_ERR_MSG(cb->extack, "a restore is in progress");
		return -EBUSY;
	}
	ret = dump_walk_gated(skb, cb, fill);
	ksf_gate_leave(kn);
	return ret;
}

int ksf_nl_peer_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return dump_walk(skb, cb, peer_fill);
}

int ksf_nl_key_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return dump_walk(skb, cb, key_fill);
}

int ksf_nl_context_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return dump_walk(skb, cb, ctx_fill);
}

/* ---- keys ---- */

static int key_spec_parse(struct nlattr **tb, struct ksf_key_spec *spec,
			  struct netlink_ext_ack *extack)
{
	memset(spec, 0, sizeof(*spec));
	spec->type = nla_get_u32(tb[KSF_A_KEY_TYPE]);
	ksf_nl_get_attrs(tb, ksf_nl_key_attrs, KSF_NL_KEY_NEW_N, spec);
	if (spec->not_after && spec->not_after <= ktime_get_real_seconds()) {
		NL_SET_ERR_MSG_ATTR(extack, tb[KSF_A_KEY_NOT_AFTER],
				    "not-after is in the past");
		return -EINVAL;
	}
	return 0;
}

static int key_source(struct genl_info *info, struct nlattr **tb)
{
	int n = !!tb[KSF_A_KEY_MATERIAL] + !!tb[KSF_A_KEY_KEYRING_SERIAL] +
		!!tb[KSF_A_KEY_KEYRING_DESC];

	if (n > 1) {
		NL_SET_ERR_MSG(info->extack,
			       "give at most one of material, keyring-serial, keyring-desc");
		return -EINVAL;
	}
	if (tb[KSF_A_KEY_MATERIAL])
		return KSF_KEY_SOURCE_IMPORT;
	if (n)
		return KSF_KEY_SOURCE_KEYRING;
	return KSF_KEY_SOURCE_GENERATE;
}

static int key_new(struct genl_info *info)
{
	struct ksf_net *kn = info_kn(info);
	struct nlattr **tb = info->attrs;
	struct nlattr *mat = tb[KSF_A_KEY_MATERIAL];
	struct ksf_key_spec spec;
	struct ksf_peer *owner;
	u8 buf[KSF_KEY_MAX_LEN];
	struct sk_buff *msg;
	u64 handle = 0;
	void *hdr;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KSF_A_KEY_TYPE) ||
	    GENL_REQ_ATTR_CHECK(info, KSF_A_KEY_OWNER)) {
		ret = -EINVAL;
		goto wipe;
	}
	ret = key_spec_parse(tb, &spec, info->extack);
	if (ret)
		goto wipe;
	ret = ksf_nl_key_peers(&spec, nlmsg_attrdata(info->nlhdr, GENL_HDRLEN),
			       nlmsg_attrlen(info->nlhdr, GENL_HDRLEN),
			       info->extack);
	if (ret)
		goto wipe;
	ret = key_source(info, tb);
	if (ret < 0)
		goto wipe;
	spec.source = ret;

	switch (spec.source) {
	case KSF_KEY_SOURCE_IMPORT:
		if (!nla_len(mat) || nla_len(mat) > KSF_KEY_MAX_LEN) {
			NL_SET_ERR_MSG_ATTR(info->extack, mat,
					    "material must be 1 to key-max-len bytes");
			ret = -EINVAL;
			goto wipe;
		}
		if (spec.len && spec.len != nla_len(mat)) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[KSF_A_KEY_LEN],
					    "len differs from the material's length");
			ret = -EINVAL;
			goto wipe;
		}
		spec.len = nla_len(mat);
		memcpy(buf, nla_data(mat), spec.len);
		break;
	case KSF_KEY_SOURCE_KEYRING:
		ret = ksf_nl_keyring_read(tb[KSF_A_KEY_KEYRING_SERIAL],
					  tb[KSF_A_KEY_KEYRING_DESC], buf,
					  &spec.len, info->extack);
		if (ret)
			goto wipe;
		break;
	default:
		if (!spec.len) {
			NL_SET_ERR_MSG(info->extack,
				       "len is required to generate a key");
			ret = -EINVAL;
			goto wipe;
		}
		ksf_key_generate(spec.type, buf, spec.len);
	}

	owner = ksf_peer_get(kn, nla_data(tb[KSF_A_KEY_OWNER]));
	if (!owner) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KSF_A_KEY_OWNER],
				    "no such peer");
		ret = -ENOENT;
		goto wipe;
	}
	ret = ksf_key_add(kn, owner, &spec, buf, &handle, info->extack);
	ksf_peer_put(owner);
	if (ret)
		goto wipe;

	ret = -ENOMEM;
	msg = ksf_nl_reply_new(info, NLMSG_GOODSIZE, &hdr);
	if (!msg)
		goto undo;
	if (nla_put_u64_64bit(msg, KSF_A_KEY_HANDLE, handle, KSF_A_KEY_PAD)) {
		nlmsg_free(msg);
		goto undo;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
	goto wipe;
undo:
	ksf_key_del(kn, handle);
wipe:
	memzero_explicit(buf, sizeof(buf));
	return ret;
}

/*
 * Wipes every attribute of @type (key material) in the request itself,
 * repeated ones included (parsing keeps only the last): an error ack
 * echoes the request as it is when the handler returns, unless the
 * sender capped its acks, and the request's skb is freed unwiped.  Every
 * handler taking secrets calls it on every path, before any early
 * return.  Requests the genetlink core refuses before ksf runs (policy,
 * permission) are echoed to their sender only.
 */
static void wipe_request_attrs(struct genl_info *info, int type)
{
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem)
		if (nla_type(a) == type)
			memzero_explicit(nla_data(a), nla_len(a));
}

/*
 * The commands that change the instance: each runs inside the restore
 * gate (ksf.h), taken by pre_doit and left by post_doit, so that none
 * runs while a restore is open or begins while one of them runs.
 */
static bool gated(u8 cmd)
{
	switch (cmd) {
	case KSF_CMD_PEER_NEW:
	case KSF_CMD_PEER_SET:
	case KSF_CMD_PEER_DEL:
	case KSF_CMD_KEY_NEW:
	case KSF_CMD_KEY_DEL:
	case KSF_CMD_CONTEXT_NEW:
	case KSF_CMD_CONTEXT_DEL:
	case KSF_CMD_SERVICE_REQUEST:
	case KSF_CMD_NOTIFY:
	case KSF_CMD_MSG_HANDSHAKE:
	case KSF_CMD_MSG_RECEIVE:
		return true;
	}
	return false;
}

int ksf_nl_pre_doit(u8 cmd, struct genl_info *info)
{
	if (!gated(cmd) || ksf_gate_enter(info_kn(info)))
		return 0;
	if (cmd == KSF_CMD_KEY_NEW)	/* its doit, which wipes, never runs */
		wipe_request_attrs(info, KSF_A_KEY_MATERIAL);
	NL_SET_ERR_MSG(info->extack, "a restore is in progress");
	return -EBUSY;
}

void ksf_nl_post_doit(u8 cmd, struct genl_info *info)
{
	if (gated(cmd))
		ksf_gate_leave(info_kn(info));
}

int ksf_nl_key_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	int ret = key_new(info);

	wipe_request_attrs(info, KSF_A_KEY_MATERIAL);
	return ret;
}

int ksf_nl_key_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KSF_A_KEY_HANDLE))
		return -EINVAL;
	ret = ksf_key_del(info_kn(info),
			  nla_get_u64(info->attrs[KSF_A_KEY_HANDLE]));
	if (ret)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KSF_A_KEY_HANDLE],
				    "no such key");
	return ret;
}

int ksf_nl_key_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ksf_key *key;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KSF_A_KEY_HANDLE))
		return -EINVAL;
	key = ksf_key_get(info_kn(info),
			  nla_get_u64(info->attrs[KSF_A_KEY_HANDLE]));
	if (!key) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KSF_A_KEY_HANDLE],
				    "no such key");
		return -ENOENT;
	}
	ret = reply_obj(info, key_fill, key, NLMSG_GOODSIZE);
	ksf_key_put(key);
	return ret;
}

/* ---- contexts ---- */

static void ctx_new_error(struct genl_info *info, int err)
{
	const struct nlattr *sub = info->attrs[KSF_A_CONTEXT_SUBSCRIBER];

	if (err == -EEXIST)
		NL_SET_ERR_MSG_ATTR(info->extack, sub,
				    "the peer has a context for this subscriber");
	else if (err == -EINVAL && !ksf_id_printable(nla_data(sub)))
		NL_SET_ERR_MSG_ATTR(info->extack, sub,
				    "subscriber ID not printable ASCII");
	else if (err == -EINVAL)
		NL_SET_ERR_MSG_ATTR(info->extack, sub,
				    "subscriber ID empty or too long");
	else if (err == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "peer was deleted");
	else
		NL_SET_ERR_MSG(info->extack, "context not created");
}

int ksf_nl_context_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ksf_net *kn = info_kn(info);
	struct nlattr **tb = info->attrs;
	struct ksf_ctx_spec spec = {};
	struct sk_buff *msg;
	struct ksf_peer *p;
	struct ksf_ctx *ctx;
	void *hdr;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KSF_A_CONTEXT_PEER) ||
	    GENL_REQ_ATTR_CHECK(info, KSF_A_CONTEXT_SUBSCRIBER))
		return -EINVAL;
	p = ksf_peer_get(kn, nla_data(tb[KSF_A_CONTEXT_PEER]));
	if (!p) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KSF_A_CONTEXT_PEER],
				    "no such peer");
		return -ENOENT;
	}
	spec.id = nla_data(tb[KSF_A_CONTEXT_SUBSCRIBER]);
	if (tb[KSF_A_CONTEXT_SQN_HE]) {
		spec.has_sqn_he = true;
		spec.sqn_he = nla_get_u64(tb[KSF_A_CONTEXT_SQN_HE]);
	}
	msg = ksf_nl_reply_new(info, NLMSG_GOODSIZE, &hdr);
	ret = -ENOMEM;
	if (!msg)
		goto out_peer;
	ret = ksf_ctx_new(kn, p, &spec, &ctx);
	if (ret) {
		ctx_new_error(info, ret);
		nlmsg_free(msg);
		goto out_peer;
	}
	ret = nla_put_u64_64bit(msg, KSF_A_CONTEXT_HANDLE, ctx->handle,
				KSF_A_CONTEXT_PAD);
	ksf_ctx_put(ctx);
	if (ret) {
		nlmsg_free(msg);	/* the context stays: dump shows it */
		goto out_peer;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
out_peer:
	ksf_peer_put(p);
	return ret;
}

int ksf_nl_context_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KSF_A_CONTEXT_HANDLE))
		return -EINVAL;
	ret = ksf_ctx_del(info_kn(info),
			  nla_get_u64(info->attrs[KSF_A_CONTEXT_HANDLE]));
	if (ret)
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[KSF_A_CONTEXT_HANDLE],
				    "no such context");
	return ret;
}

/* A context named by handle, or by peer and subscriber. */
static struct ksf_ctx *ctx_lookup(struct ksf_net *kn, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct ksf_ctx *ctx;
	struct ksf_peer *p;

	if (tb[KSF_A_CONTEXT_HANDLE]) {
		if (tb[KSF_A_CONTEXT_PEER] || tb[KSF_A_CONTEXT_SUBSCRIBER]) {
			NL_SET_ERR_MSG(info->extack,
				       "name a context by handle or by peer and subscriber, not both");
			return ERR_PTR(-EINVAL);
		}
		ctx = ksf_ctx_get(kn, nla_get_u64(tb[KSF_A_CONTEXT_HANDLE]));
	} else {
		if (GENL_REQ_ATTR_CHECK(info, KSF_A_CONTEXT_PEER) ||
		    GENL_REQ_ATTR_CHECK(info, KSF_A_CONTEXT_SUBSCRIBER))
			return ERR_PTR(-EINVAL);
		p = ksf_peer_get(kn, nla_data(tb[KSF_A_CONTEXT_PEER]));
		ctx = p ? ksf_ctx_find(kn, p, nla_data(tb[KSF_A_CONTEXT_SUBSCRIBER])) :
			  NULL;
		ksf_peer_put(p);
	}
	if (!ctx) {
		NL_SET_ERR_MSG(info->extack, "no such context");
		return ERR_PTR(-ENOENT);
	}
	return ctx;
}

int ksf_nl_context_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ksf_ctx *ctx = ctx_lookup(info_kn(info), info);
	int ret;

	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	ret = reply_obj(info, ctx_fill, ctx, NLMSG_GOODSIZE);
	ksf_ctx_put(ctx);
	return ret;
}

/* ---- services ---- */

static struct ksf_peer *caller_peer(struct ksf_net *kn, struct genl_info *info)
{
	struct ksf_peer *p = ksf_peer_of_caller(kn);

	if (!p)
		NL_SET_ERR_MSG(info->extack,
			       "no nf peer is bound to the caller's credentials");
	return p;
}

/*
 * Runs the request's items (@l NULL) or the typed list @l (a notify
 * preset) and replies with the results, sized from the descriptors.
 */
static int run_and_reply(struct ksf_net *kn, struct ksf_peer *peer,
			 const struct ksf_list *l, struct genl_info *info)
{
	struct ksf_batch *b = NULL;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	if (!l) {
		b = ksf_batch_decode(genlmsg_data(info->genlhdr),
				     genlmsg_len(info->genlhdr),
				     KSF_A_REQUEST_ITEM);
		if (!b)
			return -ENOMEM;
	}
	ret = -ENOMEM;
	msg = ksf_nl_reply_new(info, l ? ksf_list_size(l) : ksf_batch_size(b), &hdr);
	if (!msg)
		goto out;
	if (l)
		ret = ksf_run_list(kn, peer, l, msg, KSF_A_REQUEST_RESULT);
	else
		ret = ksf_run_batch(kn, peer, b, msg, KSF_A_REQUEST_RESULT);
	if (ret) {
		NL_SET_ERR_MSG(info->extack, "results do not fit the reply");
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
out:
	ksf_batch_free(b);
	return ret;
}

int ksf_nl_service_request_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ksf_net *kn = info_kn(info);
	struct ksf_peer *peer;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KSF_A_REQUEST_ITEM))
		return -EINVAL;
	peer = caller_peer(kn, info);
	if (!peer)
		return -EPERM;
	ret = run_and_reply(kn, peer, NULL, info);
	ksf_peer_put(peer);
	return ret;
}

/* The key @handle exists and @peer owns it (NULL: an admin, any owner). */
static bool key_owned_by(struct ksf_net *kn, u64 handle,
			 const struct ksf_peer *peer)
{
	struct ksf_key *key = ksf_key_get(kn, handle);
	bool owned = key && (!peer || key->owner == peer);

	ksf_key_put(key);
	return owned;
}

/*
 * notify key-replace OLD NEW: by the owner of both keys, or an admin
 * (CAP_NET_ADMIN over the instance's netns, no nf peer needed).  NEW
 * must not be a ksf peer's psk (its handle is retired); OLD may be (the
 * peer's next handshake mixes in the new bytes: a psk rotation).
 */
static int notify_key_replace(struct sk_buff *skb, struct genl_info *info)
{
	struct ksf_net *kn = info_kn(info);
	struct nlattr **tb = info->attrs;
	struct ksf_peer *peer = NULL;
	u64 old, new;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KSF_A_REQUEST_KEY) ||
	    GENL_REQ_ATTR_CHECK(info, KSF_A_REQUEST_NEW_KEY))
		return -EINVAL;
	if (tb[KSF_A_REQUEST_PEER]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KSF_A_REQUEST_PEER],
				    "key-replace takes keys, not a subject peer");
		return -EINVAL;
	}
	old = nla_get_u64(tb[KSF_A_REQUEST_KEY]);
	new = nla_get_u64(tb[KSF_A_REQUEST_NEW_KEY]);
	if (old == new) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KSF_A_REQUEST_NEW_KEY],
				    "key-replace: the new key is the key");
		return -EINVAL;
	}
	if (!netlink_ns_capable(skb, genl_info_net(info)->user_ns,
				CAP_NET_ADMIN)) {
		peer = caller_peer(kn, info);
		if (!peer)
			return -EPERM;
	}
	/* (only to its owner: another NF learns nothing of a handle) */
	if (key_owned_by(kn, new, peer) && ksf_chan_psk_in_use(kn, new)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KSF_A_REQUEST_NEW_KEY],
				    "key-replace: the new key is a ksf peer's psk");
		ret = -EBUSY;
		goto out;
	}
	ret = ksf_key_replace(kn, peer, old, new, info->extack);
out:
	ksf_peer_put(peer);
	return ret;
}

int ksf_nl_notify_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ksf_net *kn = info_kn(info);
	const struct ksf_list *preset;
	struct ksf_policy *pol;
	struct ksf_peer *peer;
	u32 status;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KSF_A_REQUEST_STATUS))
		return -EINVAL;
	status = nla_get_u32(info->attrs[KSF_A_REQUEST_STATUS]);
	if (status == KSF_NOTIFY_STATUS_KEY_REPLACE)
		return notify_key_replace(skb, info);
	if (info->attrs[KSF_A_REQUEST_KEY] || info->attrs[KSF_A_REQUEST_NEW_KEY]) {
		NL_SET_ERR_MSG(info->extack,
			       "key and new-key only with status key-replace");
		return -EINVAL;
	}
	peer = caller_peer(kn, info);
	if (!peer)
		return -EPERM;

	pol = ksf_policy_get(peer);
	preset = ksf_policy_preset(pol, status);
	if (!preset) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[KSF_A_REQUEST_STATUS],
				    "the caller's policy has no service list for this status");
		ret = -ENOENT;
		goto out;
	}
	ret = run_and_reply(kn, peer, preset, info);
out:
	ksf_policy_put(pol);
	ksf_peer_put(peer);
	return ret;
}

/*
 * The caller's nf peer hears its own timer results on this socket from
 * now on (ksf_timer_deliver): a peer is not an admin, and may not join
 * the events group, which carries every peer's.
 */
int ksf_nl_listen_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ksf_net *kn = info_kn(info);
	struct ksf_peer *peer, *now;
	u32 portid = info->snd_portid;

	if (no_attrs(info->nlhdr, info->extack))
		return -EINVAL;
	peer = caller_peer(kn, info);
	if (!peer)
		return -EPERM;
	WRITE_ONCE(peer->listen_portid, portid);
	smp_mb();	/* the registration before the recheck */
	/* Rebound meanwhile (listen_forget() may have run before us)? */
	now = ksf_peer_of_caller(kn);
	if (now != peer) {
		cmpxchg(&peer->listen_portid, portid, 0);
		NL_SET_ERR_MSG(info->extack,
			       "the caller's peer binding changed: listen again");
		ksf_peer_put(now);
		ksf_peer_put(peer);
		return -EAGAIN;
	}
	ksf_peer_put(now);
	ksf_peer_put(peer);
	return 0;
}

/* A socket closed: no peer's results go to its port ID any more. */
static void listen_release(struct ksf_net *kn, u32 portid)
{
	struct ksf_peer *p;

	rcu_read_lock();
	list_for_each_entry_rcu(p, &kn->nf_peers, kind_node)
		cmpxchg(&p->listen_portid, portid, 0);
	rcu_read_unlock();
}

/*
 * A generic netlink socket closed: a restore it left unfinished is
 * undone, and it hears no timer results any more.
 */
static int ksf_nl_release(struct notifier_block *nb, unsigned long event,
			  void *ptr)
{
	struct netlink_notify *n = ptr;

	if (event == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC &&
	    n->portid) {
		ksf_restore_release(ksf_net(n->net), n->portid);
		listen_release(ksf_net(n->net), n->portid);
	}
	return NOTIFY_DONE;
}

static struct notifier_block ksf_nl_notifier = {
	.notifier_call = ksf_nl_release,
};

/* Releases what a closing socket held (listens, restores). */
int ksf_nl_watch_closes(void)
{
	return netlink_register_notifier(&ksf_nl_notifier);
}

void ksf_nl_unwatch_closes(void)
{
	netlink_unregister_notifier(&ksf_nl_notifier);
}
