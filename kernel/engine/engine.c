// SPDX-License-Identifier: GPL-2.0-only
/*
 * The engine: one typed request (struct ksf_req, from any origin) goes
 * through one decision point, ksf_decide() (the service's descriptor
 * against the trusted policy of the acting peer: service, algorithm,
 * fields, caller-supplied values, limits), then its context and key,
 * then the service.  It ends ok with outputs, rejected (security service
 * rejection) or an error.
 */
#include <linux/slab.h>
#include <linux/string.h>

#include "../ksf.h"
#include "../core/audit.h"
#include "../core/context.h"
#include "../core/keystore.h"
#include "../core/peer.h"
#include "../core/policy.h"
#include "../services/item.h"
#include "../services/services.h"
#include "engine.h"

static bool alg_listed(const u32 *algs, u32 alg)
{
	for (; algs && *algs; algs++)
		if (*algs == alg)
			return true;
	return false;
}

/*
 * The common fields @ops takes: alg if it lists algorithms, key if it
 * needs one, and its req_fields.  No service takes a peer yet: an item
 * naming one will run in that peer's instance (the ksf-to-ksf channel),
 * so until then it is refused rather than ignored.
 */
static u32 req_taken(const struct ksf_service_ops *ops)
{
	return ops->req_fields | (ops->algs ? KSF_REQ_ALG : 0) |
	       (ops->needs & KSF_NEEDS_KEY ? KSF_REQ_KEY : 0);
}

/* The service needs a key for the item's algorithm (a scheme may not). */
static bool item_keyed(struct ksf_item *it, const struct ksf_service_ops *ops)
{
	return ops->needs & KSF_NEEDS_KEY &&
	       !(ops->keyless_alg && it->alg == ops->keyless_alg);
}

/* Fields the item gives that its service does not take. */
static bool fields_ok(struct ksf_item *it, const struct ksf_service_ops *ops)
{
	static const struct { u32 bit; const char *name; } req_names[] = {
		{ KSF_REQ_ALG, "alg" },
		{ KSF_REQ_KEY, "key" },
		{ KSF_REQ_KEY2, "key2" },
		{ KSF_REQ_PEER, "peer" },
		{ KSF_REQ_SUBSCRIBER, "subscriber" },
		{ KSF_REQ_CONTEXT, "context" },
	};
	const struct ksf_req *req = it->req;
	u32 given = ksf_args_present(ops->family, &req->args);
	u32 extra = given & ~ops->fields;
	u32 taken = req_taken(ops);
	char why[KSF_REASON_LEN];
	unsigned int i;

	if (!item_keyed(it, ops))
		taken &= ~KSF_REQ_KEY;	/* suci-null: "... takes no key" */

	if (extra) {
		snprintf(why, sizeof(why), "%s takes no %s", ops->name,
			 ksf_arg_name(ops->family, __ffs(extra)));
		ksf_item_fail(it, -EINVAL, why);
		return false;
	}
	for (i = 0; i < ARRAY_SIZE(req_names); i++) {
		if (req->present & req_names[i].bit &&
		    !(taken & req_names[i].bit)) {
			snprintf(why, sizeof(why), "%s takes no %s", ops->name,
				 req_names[i].name);
			ksf_item_fail(it, -EINVAL, why);
			return false;
		}
	}
	return true;
}

/* Fields only a policy with caller-rand lets the caller choose. */
static bool caller_ok(struct ksf_item *it, const struct ksf_service_ops *ops)
{
	u32 given = ksf_args_present(ops->family, &it->req->args);
	const struct ksf_caller_field *c;

	if (it->pol->caller_rand)
		return true;
	for (c = ops->caller; c && c->field; c++) {
		if (given & c->field) {
			ksf_item_reject(it, c->reason);
			return false;
		}
	}
	return true;
}

static bool alg_ok(struct ksf_item *it, const struct ksf_service_ops *ops)
{
	if (ops->needs & KSF_NEEDS_CONTEXT)
		return true;	/* the context's algorithms, checked by it */
	if (!it->alg) {
		ksf_item_fail(it, -EINVAL, "item has no alg");
		return false;
	}
	if (!alg_listed(ops->algs, it->alg)) {
		ksf_item_fail(it, -EINVAL, "algorithm not valid for the service");
		return false;
	}
	if (!ksf_policy_alg(it->pol, it->alg)) {
		ksf_item_reject(it, "algorithm not in the trusted policy");
		return false;
	}
	return true;
}

/*
 * The one policy decision point: every request, whatever its origin,
 * passes here before its service runs.  The limits of the batch, the
 * service, the fields it takes, the caller-supplied values and the
 * algorithm.  The key's checks follow (key_allows()), then the
 * parameter bounds of the policy that the service's fields carry (its
 * descriptor's bounds: mac-len-min, lifetime-max; bounds_ok()), so that a
 * key that does not fit says so first.  Bounds that depend on the key's
 * bytes (a derived key's family, type and length) stay in the service.
 */
static bool ksf_decide(struct ksf_item *it, const struct ksf_service_ops *ops)
{
	if (it->index >= it->pol->batch_max) {
		ksf_item_reject(it, "batch larger than the trusted policy allows");
		return false;
	}
	if (!ksf_policy_service(it->pol, it->service)) {
		ksf_item_reject(it, "service not in the trusted policy");
		return false;
	}
	return fields_ok(it, ops) && caller_ok(it, ops) && alg_ok(it, ops);
}

/* The decision point's last step, once the key is known to fit. */
static bool bounds_ok(struct ksf_item *it, const struct ksf_service_ops *ops)
{
	return !ops->bounds || ops->bounds(it);
}

static bool key_allows(struct ksf_item *it, const struct ksf_service_ops *ops,
		       struct ksf_key *key)
{
	if (!ksf_key_usable_by(key, it->peer)) {
		ksf_item_fail(it, -EACCES, "key not usable by this peer");
		return false;
	}
	if (ksf_key_expired(key)) {
		ksf_item_fail(it, -EKEYEXPIRED, "key expired");
		return false;
	}
	if (!(key->usage & ops->usage)) {
		ksf_item_fail(it, -EKEYREJECTED, "key usage does not allow the service");
		return false;
	}
	if (READ_ONCE(key->flags) & KSF_KEY_FLAG_CONTEXT) {
		ksf_item_fail(it, -EKEYREJECTED,
			      "key of a NAS security context: only nas-protect/nas-unprotect use it");
		return false;
	}
	if (!ksf_key_type_keys(key->type, it->alg)) {
		ksf_item_fail(it, -EKEYREJECTED, "key type does not fit the algorithm");
		return false;
	}
	if (key->len < it->pol->key_len_min || key->len > it->pol->key_len_max) {
		ksf_item_reject(it, "key length outside the trusted policy");
		return false;
	}
	return true;
}

/*
 * The item's context, named by handle or by subscriber.  A service that
 * keeps state for a subscriber (KSF_NEEDS_SUBSCRIBER) finds it here if it
 * exists and creates it with ksf_item_ctx() only once its own checks have
 * passed, so that a failed item leaves no context behind.
 */
static bool item_context(struct ksf_net *kn, struct ksf_item *it,
			 const struct ksf_service_ops *ops)
{
	const struct ksf_req *req = it->req;
	const char *sub = req->present & KSF_REQ_SUBSCRIBER ?
			  req->subscriber : NULL;

	if (ops->needs & KSF_NEEDS_CONTEXT && req->present & KSF_REQ_CONTEXT) {
		it->ctx = ksf_ctx_get(kn, req->context);
		if (it->ctx && it->ctx->owner != it->peer) {
			ksf_ctx_put(it->ctx);
			it->ctx = NULL;
		}
	} else {
		if (!sub || !*sub) {
			ksf_item_fail(it, -EINVAL, ops->needs & KSF_NEEDS_CONTEXT ?
				      "item needs a context or a subscriber" :
				      "item needs a subscriber");
			return false;
		}
		if (strlen(sub) >= KSF_PEER_ID_LEN) {
			ksf_item_fail(it, -EINVAL, "subscriber ID too long");
			return false;
		}
		if (!ksf_id_printable(sub)) {
			ksf_item_fail(it, -EINVAL,
				      "subscriber ID not printable ASCII");
			return false;
		}
		it->ctx = ksf_ctx_find(kn, it->peer, sub);
		if (ops->needs & KSF_NEEDS_SUBSCRIBER)
			return true;	/* created when the service needs it */
	}
	if (!it->ctx) {
		ksf_item_fail(it, -ENOENT, "no such context of this peer");
		return false;
	}
	return true;
}

static void run_keyed(struct ksf_net *kn, struct ksf_item *it,
		      const struct ksf_service_ops *ops)
{
	struct ksf_key *key;

	if (!(it->req->present & KSF_REQ_KEY)) {
		ksf_item_fail(it, -EINVAL, "item has no key");
		return;
	}
	key = ksf_key_get(kn, it->req->key);
	if (!key) {
		ksf_item_fail(it, -ENOENT, "unknown key handle");
		return;
	}
	if (key_allows(it, ops, key) && bounds_ok(it, ops)) {
		it->res.status = KSF_STATUS_OK;
		ops->run(kn, it, key);
		if (it->res.status == KSF_STATUS_OK)
			atomic64_inc(&key->uses);
	}
	ksf_key_put(key);
}

/*
 * Runs one typed request (it->req, it->peer, it->pol, it->index set):
 * the decision point, its context and key, then the service.  it->res
 * holds the outcome; ksf_item_release() frees what it produced.
 */
void ksf_engine_run(struct ksf_net *kn, struct ksf_item *it)
{
	const struct ksf_req *req = it->req;
	const struct ksf_service_ops *ops = ksf_service_ops(req->service);

	if (!ops) {
		ksf_item_fail(it, -EINVAL, req->service ? "unknown service" :
				       "item has no service");
		return;
	}
	it->service = req->service;
	it->alg = req->present & KSF_REQ_ALG ? req->alg : ops->default_alg;
	it->res.family = ops->family;
	if (!ksf_decide(it, ops))
		return;
	if (ops->needs & (KSF_NEEDS_SUBSCRIBER | KSF_NEEDS_CONTEXT) &&
	    !item_context(kn, it, ops))
		return;
	if (item_keyed(it, ops)) {
		run_keyed(kn, it, ops);
	} else if (bounds_ok(it, ops)) {
		it->res.status = KSF_STATUS_OK;
		ops->run(kn, it, NULL);
	}
	if (it->ctx && it->res.status == KSF_STATUS_OK)
		it->res.context = it->ctx->handle;
}

/*
 * Bytes of the result nest a request of @service may produce: its
 * family's largest, or (@req given and the descriptor sizes its outputs
 * from the request) what @req can produce.
 */
size_t ksf_engine_out_max(u32 service, const struct ksf_req *req)
{
	const struct ksf_service_ops *ops = ksf_service_ops(service);
	size_t max;

	if (!ops)
		return 0;
	max = ksf_out_nest_max(ops->family);
	return req && ops->out_size ? min(ops->out_size(req), max) : max;
}
