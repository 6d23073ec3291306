/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A typed request as the engine hands it to a service, whatever its
 * origin (a netlink message, a timer, a notify preset; later a sealed
 * request or a contract), and the typed result the service fills.  No
 * netlink here: the transport decodes an item into a struct ksf_req and
 * encodes a struct ksf_res.
 */
#ifndef _KSF_SERVICES_ITEM_H
#define _KSF_SERVICES_ITEM_H

#include <linux/types.h>

#include "ksf-svc-args.h"

struct ksf_ctx;
struct ksf_net;
struct ksf_peer;
struct ksf_policy;

#define KSF_REASON_LEN		80

/* Where a request comes from. */
enum ksf_origin {
	KSF_ORIGIN_NETLINK,	/* a service-request message */
	KSF_ORIGIN_NOTIFY,	/* a notify preset of the caller's policy */
	KSF_ORIGIN_TIMER,	/* a timer of the peer's policy */
};

/* Which common fields of a request were given (struct ksf_req.present). */
#define KSF_REQ_ALG		BIT(0)
#define KSF_REQ_KEY		BIT(1)
#define KSF_REQ_KEY2		BIT(2)
#define KSF_REQ_PEER		BIT(3)
#define KSF_REQ_SUBSCRIBER	BIT(4)
#define KSF_REQ_CONTEXT		BIT(5)

/* One service item, typed: the engine's input. */
struct ksf_req {
	u32 service;
	u32 alg;
	u64 key;
	u64 key2;
	u64 context;
	const char *subscriber;		/* NUL-terminated */
	const char *peer;		/* NUL-terminated */
	u32 present;			/* KSF_REQ_* */
	enum ksf_origin origin;
	union ksf_args args;		/* of the service's family */
};

/* What one item produced. */
struct ksf_res {
	u32 status;
	int error;
	char reason[KSF_REASON_LEN];
	u64 key;			/* a key the service created */
	u64 context;			/* the context it used or created */
	u32 family;			/* of out */
	union ksf_out out;
};

/* One item on its way through the engine. */
struct ksf_item {
	const struct ksf_req *req;
	struct ksf_peer *peer;		/* acting peer */
	const struct ksf_policy *pol;	/* its policy (a reference) */
	u32 index;			/* in its batch, from 0 */
	u32 service;
	u32 alg;
	struct ksf_ctx *ctx;		/* the item's context, a reference */
	struct ksf_res res;
};

void ksf_item_reject(struct ksf_item *it, const char *reason);
void ksf_item_fail(struct ksf_item *it, int err, const char *reason);
void ksf_item_key_error(struct ksf_item *it, int err);
void ksf_item_verify_failed(struct ksf_net *kn, struct ksf_item *it,
			    const char *reason);
struct ksf_ctx *ksf_item_ctx(struct ksf_net *kn, struct ksf_item *it);
struct ksf_ctx *ksf_item_ctx_of(struct ksf_net *kn, struct ksf_item *it,
				struct ksf_peer *owner, const char *id,
				const char *what);
void ksf_item_release(struct ksf_item *it);
struct ksf_req *ksf_req_dup(const struct ksf_req *src, size_t *mem);

#endif /* _KSF_SERVICES_ITEM_H */
