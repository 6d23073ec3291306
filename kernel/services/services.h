/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The service families, one file each, and the descriptor each service
 * registers (kernel/engine/registry.c): what the engine's one decision
 * point checks before it runs the service.
 */
#ifndef _KSF_SERVICES_SERVICES_H
#define _KSF_SERVICES_SERVICES_H

#include <linux/types.h>

#include "ksf-svc-args.h"

struct crypto_shash;
struct ksf_item;
struct ksf_key;
struct ksf_net;
struct ksf_req;

#define KSF_PARAM_MAX_LEN	256
#define KSF_MAC_MAX_LEN		32
#define KSF_KDF_MAX_PARAMS	KSF_ARGS_KDF_SEQ_MAX

/* What a service needs besides its algorithm (ksf_service_ops.needs). */
enum {
	KSF_NEEDS_KEY		= BIT(0),	/* a key of the caller (key) */
	KSF_NEEDS_SUBSCRIBER	= BIT(1),	/* the subscriber's context, created */
	KSF_NEEDS_CONTEXT	= BIT(2),	/* an existing context, no key */
};

/* A field the caller may supply only with the policy's caller-rand. */
struct ksf_caller_field {
	u32 field;		/* KSF_ARG_<FAMILY>_<FIELD> */
	const char *reason;	/* why it is rejected without caller-rand */
};

/*
 * A service: its name, family, key usage, algorithms, the fields it
 * takes, what it needs, how large its outputs can be, and its run.  The
 * engine checks everything here (engine.c, ksf_decide()) before run().
 */
struct ksf_service_ops {
	const char *name;
	u32 family;			/* enum ksf_family */
	u32 usage;			/* key usages (one family) it needs */
	const u32 *algs;		/* accepted algorithms, 0-terminated */
	u32 default_alg;		/* when the item names none; 0: required */
	u32 fields;			/* KSF_ARG_* bits of its family it takes */
	u32 req_fields;			/* KSF_REQ_KEY2 ... it takes besides */
	const struct ksf_caller_field *caller;	/* caller-rand fields, {0} */
	u32 needs;			/* KSF_NEEDS_* */
	u32 keyless_alg;		/* with it, no key (and none taken) */
	/* Parameter bounds of the trusted policy its fields carry: false
	 * when the item is rejected (called by the decision point).
	 */
	bool (*bounds)(struct ksf_item *it);
	/* Bytes of the result nest for @req; NULL: the family's maximum. */
	size_t (*out_size)(const struct ksf_req *req);
	void (*run)(struct ksf_net *kn, struct ksf_item *it,
		    struct ksf_key *key);
};

/* The descriptors ksf_svc_<name>: ksf-svc-args.h (generated). */

/* mac.c */
int ksf_mac(struct crypto_shash *tfm, const u8 *data, unsigned int len,
	    u8 *out);

/* nas.c */
u32 ksf_nas_count_estimate(u32 rx, u8 seq);

/* aka.c */
int ksf_hres_star(const u8 *rand, const u8 *res, u8 out[16]);

#endif /* _KSF_SERVICES_SERVICES_H */
