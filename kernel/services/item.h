/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A service item as the engine hands it to a service, and what the
 * service produced.
 */
#ifndef _KSF_SERVICES_ITEM_H
#define _KSF_SERVICES_ITEM_H

#include <linux/types.h>

#include <uapi/linux/ksf.h>

#include "../crypto/aead.h"

struct ksf_ctx;
struct ksf_net;
struct ksf_peer;
struct ksf_policy;
struct nlattr;

#define KSF_REASON_LEN		80

/* One service item, parsed and checked, and what it produced. */
struct ksf_item {
	const struct nlattr *nest;	/* the item */
	struct nlattr **tb;		/* its KSF_A_ITEM_* attributes */
	struct ksf_peer *peer;		/* acting peer */
	const struct ksf_policy *pol;	/* its policy (RCU) */
	u32 service;
	u32 alg;
	/* outputs */
	u32 status;
	int error;
	char reason[KSF_REASON_LEN];
	u8 *out;			/* kmalloc'ed, out_len bytes */
	u32 out_len;
	u8 tag[KSF_GCM_TAG_LEN];
	u32 tag_len;
	u8 iv[KSF_GCM_IV_LEN];
	bool has_iv;
	u64 new_key;
	struct ksf_aka_out *aka;	/* AKA outputs, kmalloc'ed */
	struct ksf_ctx *ctx;		/* the item's context, a reference */
	u32 count;			/* NAS COUNT used */
	bool has_count;
};

/* What an AKA service returns besides a key handle. */
struct ksf_aka_out {
	u8 rand[16];
	u8 autn[16];
	u8 res[16];			/* XRES* or RES* */
	u8 hres[16];			/* HXRES* */
	u8 auts[14];
	bool has_rand, has_autn, has_res, has_hres, has_auts, has_sqn;
	u64 sqn;
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

#endif /* _KSF_SERVICES_ITEM_H */
