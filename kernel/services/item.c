// SPDX-License-Identifier: GPL-2.0-only
/*
 * A service item as the services see it: how an item ends (ok, rejected
 * by the trusted policy, or an error with a reason), the subscriber
 * context it works on, and the release of what it produced.
 */
#include <linux/slab.h>

#include "../ksf.h"
#include "../core/audit.h"
#include "../core/context.h"
#include "../core/peer.h"
#include "../core/policy.h"
#include "item.h"

void ksf_item_fail(struct ksf_item *it, int err, const char *reason)
{
	it->res.status = KSF_STATUS_ERROR;
	it->res.error = err;
	strscpy(it->res.reason, reason, sizeof(it->res.reason));
}

void ksf_item_reject(struct ksf_item *it, const char *reason)
{
	it->res.status = KSF_STATUS_REJECTED;
	it->res.error = -EPERM;
	strscpy(it->res.reason, reason, sizeof(it->res.reason));
}

/* A key the item derives was not stored (ksf_key_add()'s @err). */
void ksf_item_key_error(struct ksf_item *it, int err)
{
	if (err == -EDQUOT)
		ksf_item_reject(it, "keys-max of the trusted policy reached");
	else if (err == -EINVAL)
		ksf_item_fail(it, err, "derived key type, length or usage not valid");
	else
		ksf_item_fail(it, err, "derived key not stored");
}

/*
 * A MAC or NAS MAC did not verify: counted for the peer and audited on
 * the events group, at most 10 events per 5 seconds per instance.
 */
void ksf_item_verify_failed(struct ksf_net *kn, struct ksf_item *it,
			    const char *reason)
{
	ksf_item_fail(it, -EBADMSG, reason);
	atomic_inc(&it->peer->verify_failures);
	if (__ratelimit(&kn->verify_rs))
		ksf_event(kn, KSF_EVENT_VERIFY_FAILURE, it->peer->id,
			  it->req->key, it->service, reason);
}

/*
 * The context of @owner for @id as the item's, created if there is none
 * (up to the policy's contexts-max); on failure the item says why
 * (@what: "cannot create ..." in its reason).
 */
struct ksf_ctx *ksf_item_ctx_of(struct ksf_net *kn, struct ksf_item *it,
				struct ksf_peer *owner, const char *id,
				const char *what)
{
	struct ksf_ctx *ctx = ksf_ctx_obtain(kn, owner, id,
					     it->pol->contexts_max);

	if (IS_ERR(ctx)) {
		if (PTR_ERR(ctx) == -EDQUOT)
			ksf_item_reject(it, "contexts-max of the trusted policy reached");
		else
			ksf_item_fail(it, PTR_ERR(ctx), what);
		return NULL;
	}
	it->ctx = ctx;
	return ctx;
}

/* The item's subscriber context, created now if there is none. */
struct ksf_ctx *ksf_item_ctx(struct ksf_net *kn, struct ksf_item *it)
{
	if (it->ctx)
		return it->ctx;
	return ksf_item_ctx_of(kn, it, it->peer, it->req->subscriber,
			       "cannot create the subscriber's context");
}

/* Frees what the item produced and the context it holds; wipes it. */
void ksf_item_release(struct ksf_item *it)
{
	ksf_out_release(it->res.family, &it->res.out);
	ksf_ctx_put(it->ctx);
	memzero_explicit(it, sizeof(*it));
}

static const char *dup_str(const char *s, u8 **buf)
{
	size_t n = strlen(s) + 1;
	char *d = (char *)*buf;

	memcpy(d, s, n);
	*buf += n;
	return d;
}

/*
 * A deep copy of @src in one allocation owning every byte it points at
 * (typed presets and timers); kfree_sensitive() frees it.  @mem grows by
 * its size.
 */
struct ksf_req *ksf_req_dup(const struct ksf_req *src, size_t *mem)
{
	u32 fam = ksf_service_family(src->service);
	size_t n = sizeof(*src) + ksf_args_bytes(fam, &src->args);
	struct ksf_req *req;
	u8 *buf;

	if (src->present & KSF_REQ_SUBSCRIBER)
		n += strlen(src->subscriber) + 1;
	if (src->present & KSF_REQ_PEER)
		n += strlen(src->peer) + 1;
	req = kmalloc(n, GFP_KERNEL_ACCOUNT);
	if (!req)
		return NULL;
	*mem += n;
	*req = *src;
	buf = (u8 *)(req + 1);
	if (src->present & KSF_REQ_SUBSCRIBER)
		req->subscriber = dup_str(src->subscriber, &buf);
	if (src->present & KSF_REQ_PEER)
		req->peer = dup_str(src->peer, &buf);
	ksf_args_copy(fam, &req->args, &src->args, buf);
	return req;
}
