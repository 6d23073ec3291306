// SPDX-License-Identifier: GPL-2.0-only
/*
 * NAS security services: 128-NIA1/2/3 integrity (nas-mac, nas-verify) and
 * 128-NEA1/2/3 ciphering (nas-cipher, nas-decipher) under a nas key, with
 * COUNT, BEARER, DIRECTION and a LENGTH in bits (TS 33.501 D.3, TS 33.401
 * B.1/B.2).  The algorithms are in nas_alg.c.
 */
#include <crypto/algapi.h>
#include <linux/slab.h>

#include "../ksf.h"
#include "../core/context.h"
#include "../core/keystore.h"
#include "../core/policy.h"
#include "../crypto/kdf.h"
#include "../crypto/nas_alg.h"
#include "item.h"
#include "services.h"

static void nas_mac(struct ksf_net *kn, struct ksf_item *it,
		    struct ksf_nas *nas, const u8 *msg, u32 bits)
{
	const struct ksf_args_nas *a = &it->req->args.nas;
	struct ksf_out_nas *o = &it->res.out.nas;
	u8 mac[KSF_NAS_MAC_LEN];
	int ret;

	ret = ksf_nia(nas, a->count, a->bearer, a->direction, msg, bits, mac);
	if (ret) {
		ksf_item_fail(it, ret, "NIA failed");
		return;
	}
	if (it->service == KSF_SERVICE_NAS_VERIFY) {
		if (a->mac.len != KSF_NAS_MAC_LEN)
			ksf_item_fail(it, -EINVAL, "nas-verify needs a 4-byte mac");
		else if (crypto_memneq(mac, a->mac.data, KSF_NAS_MAC_LEN))
			ksf_item_verify_failed(kn, it, "NAS MAC mismatch");
		return;
	}
	o->data = kmemdup(mac, sizeof(mac), GFP_KERNEL);
	if (!o->data) {
		ksf_item_fail(it, -ENOMEM, "out of memory");
		return;
	}
	o->data_len = sizeof(mac);
	o->present |= KSF_OUT_NAS_DATA;
}

static void nas_cipher(struct ksf_item *it, struct ksf_nas *nas, const u8 *msg,
		       u32 bits)
{
	const struct ksf_args_nas *a = &it->req->args.nas;
	struct ksf_out_nas *o = &it->res.out.nas;
	u32 len = DIV_ROUND_UP(bits, 8);
	u8 *buf;
	int ret;

	/* A linear buffer even for an empty message (the NEA contract). */
	buf = kmalloc(len ? len : 1, GFP_KERNEL);
	if (!buf) {
		ksf_item_fail(it, -ENOMEM, "out of memory");
		return;
	}
	if (len)
		memcpy(buf, msg, len);
	ret = ksf_nea(nas, a->count, a->bearer, a->direction, buf, bits);
	if (ret) {
		ksf_item_fail(it, ret, "NEA failed");
		kfree_sensitive(buf);
		return;
	}
	o->data = buf;
	o->data_len = len;
	o->present |= KSF_OUT_NAS_DATA;
}

#define NAS_CDB	(KSF_ARG_NAS_COUNT | KSF_ARG_NAS_BEARER | KSF_ARG_NAS_DIRECTION)

static void nas_run(struct ksf_net *kn, struct ksf_item *it,
		    struct ksf_key *key)
{
	static const u8 empty[1];
	const struct ksf_args_nas *a = &it->req->args.nas;
	const u8 *msg = a->data.len ? a->data.data : empty;
	u32 len = a->data.len;
	u32 bits = a->present & KSF_ARG_NAS_BITS ? a->bits : len * 8;
	struct ksf_nas *nas;

	if (bits > len * 8) {
		ksf_item_fail(it, -EINVAL, "bits larger than the data");
		return;
	}
	if ((a->present & NAS_CDB) != NAS_CDB) {
		ksf_item_fail(it, -EINVAL,
			      "NAS items need count, bearer and direction");
		return;
	}
	nas = ksf_key_tfm(key, it->alg);
	if (IS_ERR(nas)) {
		ksf_item_fail(it, PTR_ERR(nas), "NAS transform unavailable");
		return;
	}
	if (it->service == KSF_SERVICE_NAS_MAC ||
	    it->service == KSF_SERVICE_NAS_VERIFY)
		nas_mac(kn, it, nas, msg, bits);
	else
		nas_cipher(it, nas, msg, bits);
}

/* ---- NAS security contexts (TS 33.501 6.7, TS 24.501 4.4.3) ---- */

#define N_NAS_ENC_ALG	0x01
#define N_NAS_INT_ALG	0x02
#define NAS_COUNT_MAX	0xffffff	/* 16-bit overflow || 8-bit SN */
/* BEARER of a NAS context: the NAS connection identifier (TS 33.501 6.4) */
#define NAS_BEARER_3GPP		1
#define NAS_BEARER_NON_3GPP	2

static bool is_nia(u32 alg)
{
	return alg >= KSF_ALG_NIA1 && alg <= KSF_ALG_NIA3;
}

static bool is_nea(u32 alg)
{
	return alg == KSF_ALG_NEA0 || (alg >= KSF_ALG_NEA1 && alg <= KSF_ALG_NEA3);
}

/* The algorithm identity of TS 33.501 5.11.1.1: 0 for NEA0, else 1..3. */
static u8 alg_identity(u32 alg)
{
	if (is_nia(alg))
		return alg - KSF_ALG_NIA1 + 1;
	return alg == KSF_ALG_NEA0 ? 0 : alg - KSF_ALG_NEA1 + 1;
}

static const char kamf_spent[] =
	"K_AMF has keyed NAS keys before: a new NAS context needs a new K_AMF";
static const char restored_nas[] =
	"NAS context restored from a save: run a new security mode first";

/* K_NASint or K_NASenc (A.8): the low 128 bits of KDF(K_AMF, 0x69, ...). */
static int nas_ctx_key(struct ksf_net *kn, struct ksf_item *it,
		       struct ksf_key *kamf, u8 dist, u32 alg,
		       struct ksf_key **out)
{
	u8 id = alg_identity(alg), key[KSF_KDF_OUT_LEN];
	const u8 *p[] = { &dist, &id };
	const u16 l[] = { 1, 1 };
	struct ksf_key_spec spec = {
		.type = KSF_KEY_TYPE_NAS, .len = 16,
		.usage = dist == N_NAS_INT_ALG ?
			 KSF_KEY_USAGE_MAC | KSF_KEY_USAGE_VERIFY :
			 KSF_KEY_USAGE_ENCRYPT | KSF_KEY_USAGE_DECRYPT,
		.source = KSF_KEY_SOURCE_DERIVE, .from = kamf,
		.flags = KSF_KEY_FLAG_CONTEXT, .keys_max = it->pol->keys_max,
		.max_age = it->pol->lifetime_max,
	};
	struct crypto_shash *tfm = ksf_key_tfm(kamf, KSF_ALG_KDF_SHA256);
	u64 handle;
	int ret;

	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	ret = ksf_kdf(tfm, KSF_FC_ALG_KEY, p, l, 2, key);
	if (!ret)
		ret = ksf_key_add(kn, it->peer, &spec, key + 16, &handle, NULL);
	memzero_explicit(key, sizeof(key));
	if (ret)
		return ret;
	*out = ksf_key_get(kn, handle);
	return *out ? 0 : -ENOENT;
}

static void nas_ctx_drop(struct ksf_net *kn, struct ksf_nas_ctx *nas)
{
	if (nas->int_key)
		ksf_key_del(kn, nas->int_key->handle);
	if (nas->enc_key)
		ksf_key_del(kn, nas->enc_key->handle);
	ksf_ctx_nas_free(nas);
}

/* nas-context: derive K_NASint and K_NASenc, install them, COUNTs at 0. */
static void nas_context_run(struct ksf_net *kn, struct ksf_item *it,
			    struct ksf_key *kamf)
{
	const struct ksf_args_nas *a = &it->req->args.nas;
	struct ksf_nas_ctx *nas;
	u32 ia, ea;
	u8 bearer;
	int ret;

	if (!(a->present & KSF_ARG_NAS_INT_ALG) ||
	    !(a->present & KSF_ARG_NAS_ENC_ALG)) {
		ksf_item_fail(it, -EINVAL, "nas-context needs int-alg and enc-alg");
		return;
	}
	ia = a->int_alg;
	ea = a->enc_alg;
	if (!is_nia(ia) || !is_nea(ea)) {
		ksf_item_fail(it, -EINVAL, "int-alg must be nia1..3, enc-alg nea0..3");
		return;
	}
	bearer = a->present & KSF_ARG_NAS_BEARER ? a->bearer : NAS_BEARER_3GPP;
	if (bearer != NAS_BEARER_3GPP && bearer != NAS_BEARER_NON_3GPP) {
		ksf_item_fail(it, -EINVAL,
			      "nas-context bearer: 1 (3GPP access) or 2 (non-3GPP access)");
		return;
	}
	if (!ksf_policy_alg(it->pol, ia) || !ksf_policy_alg(it->pol, ea)) {
		ksf_item_reject(it, "NAS algorithm not in the trusted policy");
		return;
	}
	/* One NAS context per K_AMF: a second would restart the COUNTs. */
	if (ksf_key_claim_flag(kamf, KSF_KEY_FLAG_SPENT,
			       KSF_KEY_FLAG_SPENT | KSF_KEY_FLAG_RAW_NAS |
			       KSF_KEY_FLAG_RETIRED)) {
		ksf_item_reject(it, kamf_spent);
		return;
	}
	nas = kzalloc(sizeof(*nas), GFP_KERNEL_ACCOUNT);
	if (!nas) {
		ksf_item_fail(it, -ENOMEM, "out of memory");
		goto unspend;
	}
	nas->int_alg = ia;
	nas->enc_alg = ea;
	nas->direction = a->present & KSF_ARG_NAS_DIRECTION ? a->direction : 1;
	nas->bearer = bearer;
	ret = nas_ctx_key(kn, it, kamf, N_NAS_INT_ALG, ia, &nas->int_key);
	if (!ret && ea != KSF_ALG_NEA0)
		ret = nas_ctx_key(kn, it, kamf, N_NAS_ENC_ALG, ea,
				  &nas->enc_key);
	if (ret) {
		if (ret == -EDQUOT)
			ksf_item_key_error(it, ret);
		else
			ksf_item_fail(it, ret, "NAS keys not derived");
		goto drop;
	}
	if (!ksf_item_ctx(kn, it))
		goto drop;
	ret = ksf_ctx_set_nas(it->ctx, nas);
	if (ret) {
		ksf_item_fail(it, ret, "context deleted meanwhile");
		goto drop;
	}
	return;

drop:
	nas_ctx_drop(kn, nas);
unspend:
	/* No NAS context came of it: K_AMF may still key one. */
	ksf_key_unclaim_flag(kamf, KSF_KEY_FLAG_SPENT);
}

/* The NAS context of the item's context may serve it. */
static struct ksf_nas_ctx *nas_ctx_usable(struct ksf_item *it)
{
	struct ksf_nas_ctx *nas = rcu_dereference_protected(it->ctx->nas,
				lockdep_is_held(&it->ctx->lock));

	lockdep_assert_held(&it->ctx->lock);
	if (!nas) {
		ksf_item_fail(it, -ENOENT, "context has no NAS security context");
		return NULL;
	}
	if (nas->restored) {
		ksf_item_fail(it, -ESTALE, restored_nas);
		return NULL;
	}
	if (!ksf_policy_alg(it->pol, nas->int_alg) ||
	    !ksf_policy_alg(it->pol, nas->enc_alg)) {
		ksf_item_reject(it, "NAS algorithm not in the trusted policy");
		return NULL;
	}
	if (!READ_ONCE(nas->int_key->linked) || ksf_key_expired(nas->int_key) ||
	    (nas->enc_key && (!READ_ONCE(nas->enc_key->linked) ||
			      ksf_key_expired(nas->enc_key)))) {
		ksf_item_fail(it, -EKEYEXPIRED, "NAS key destroyed or expired");
		return NULL;
	}
	return nas;
}

/* NEA (unless NEA0) or NIA under one of the context's keys. */
static int nas_ctx_alg(struct ksf_key *key, u32 alg, u32 count, u8 bearer,
		       u8 dir, u8 *buf, u32 bits, u8 *mac)
{
	struct ksf_nas *tfm;
	int ret;

	if (!key || (!mac && !bits))
		return 0;	/* NEA0, or nothing to cipher */
	tfm = ksf_key_tfm(key, alg);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	atomic64_inc(&key->uses);
	if (mac)
		ret = ksf_nia(tfm, count, bearer, dir, buf, bits, mac);
	else
		ret = ksf_nea(tfm, count, bearer, dir, buf, bits);
	return ret;
}

/* COUNT of a received SN (TS 24.501 4.4.3.1): never below @rx. */
u32 ksf_nas_count_estimate(u32 rx, u8 seq)
{
	u32 overflow = rx >> 8;

	if (seq < (rx & 0xff))
		overflow++;
	return overflow << 8 | seq;
}

/*
 * Protects (nas-protect) or checks (nas-unprotect) one message in @buf:
 * buf[0] is the sequence number, the message follows.  The MAC covers
 * both, the ciphering only the message.
 */
static int nas_ctx_run(struct ksf_net *kn, struct ksf_item *it,
		       struct ksf_nas_ctx *nas,
		       u8 *buf, u32 len, u8 *mac)
{
	bool send = it->service == KSF_SERVICE_NAS_PROTECT;
	u8 dir = send ? nas->direction : !nas->direction;
	u8 bearer = nas->bearer, want[KSF_NAS_MAC_LEN];
	u32 count = send ? nas->tx_count :
			   ksf_nas_count_estimate(nas->rx_count, buf[0]);
	int ret;

	if (count > NAS_COUNT_MAX) {
		ksf_item_fail(it, -ERANGE, "NAS COUNT exhausted: a new NAS context is needed");
		return -ERANGE;
	}
	buf[0] = count & 0xff;
	if (send) {
		ret = nas_ctx_alg(nas->enc_key, nas->enc_alg, count, bearer,
				  dir, buf + 1, len * 8, NULL) ?:
		      nas_ctx_alg(nas->int_key, nas->int_alg, count, bearer,
				  dir, buf, (len + 1) * 8, mac);
		if (!ret)
			nas->tx_count = count + 1;
	} else {
		ret = nas_ctx_alg(nas->int_key, nas->int_alg, count, bearer,
				  dir, buf, (len + 1) * 8, want);
		if (!ret && crypto_memneq(want, mac, KSF_NAS_MAC_LEN))
			ret = -EBADMSG;
		if (!ret)
			ret = nas_ctx_alg(nas->enc_key, nas->enc_alg, count,
					  bearer, dir, buf + 1, len * 8, NULL);
		if (!ret)
			nas->rx_count = count + 1;
	}
	if (ret == -EBADMSG)
		ksf_item_verify_failed(kn, it, "NAS MAC mismatch (or a replayed COUNT)");
	else if (ret)
		ksf_item_fail(it, ret, "NAS algorithm failed");
	if (!ret) {
		it->res.out.nas.count = count;
		it->res.out.nas.present |= KSF_OUT_NAS_COUNT;
	}
	return ret;
}

/* nas-protect and nas-unprotect under the item's context. */
static void nas_protect_run(struct ksf_net *kn, struct ksf_item *it,
			    struct ksf_key *unused)
{
	const struct ksf_args_nas *a = &it->req->args.nas;
	struct ksf_out_nas *o = &it->res.out.nas;
	bool send = it->service == KSF_SERVICE_NAS_PROTECT;
	u32 len = a->data.len;
	struct ksf_nas_ctx *nas;
	u8 *buf, mac[KSF_NAS_MAC_LEN];
	int ret;

	if (!send && (!(a->present & KSF_ARG_NAS_SEQ) ||
		      a->mac.len != KSF_NAS_MAC_LEN)) {
		ksf_item_fail(it, -EINVAL, "nas-unprotect needs seq and a 4-byte mac");
		return;
	}
	buf = kmalloc(len + 1, GFP_KERNEL);
	if (!buf) {
		ksf_item_fail(it, -ENOMEM, "out of memory");
		return;
	}
	buf[0] = send ? 0 : a->seq;
	if (len)
		memcpy(buf + 1, a->data.data, len);
	if (!send)
		memcpy(mac, a->mac.data, KSF_NAS_MAC_LEN);

	mutex_lock(&it->ctx->lock);
	nas = nas_ctx_usable(it);
	ret = nas ? nas_ctx_run(kn, it, nas, buf, len, mac) : -EINVAL;
	mutex_unlock(&it->ctx->lock);

	if (send && !ret) {
		memcpy(o->mac, mac, KSF_NAS_MAC_LEN);
		o->mac_len = KSF_NAS_MAC_LEN;
		o->present |= KSF_OUT_NAS_MAC;
	}
	memzero_explicit(mac, sizeof(mac));
	if (ret) {
		kfree_sensitive(buf);
		return;
	}
	memmove(buf, buf + 1, len);
	o->data = buf;
	o->data_len = len;
	o->present |= KSF_OUT_NAS_DATA;
}

/* Outputs are as long as the data (a MAC: 4 bytes), with a MAC and COUNT. */
static size_t nas_out_size(const struct ksf_req *req)
{
	return KSF_OUT_NAS_NEST_MAX - KSF_DATA_MAX_LEN +
	       max_t(u32, req->args.nas.data.len, KSF_NAS_MAC_LEN);
}

static const u32 nia_algs[] = {
	KSF_ALG_NIA1, KSF_ALG_NIA2, KSF_ALG_NIA3, 0
};

static const u32 nea_algs[] = {
	KSF_ALG_NEA1, KSF_ALG_NEA2, KSF_ALG_NEA3, 0
};

static const u32 nas_context_algs[] = { KSF_ALG_KDF_SHA256, 0 };

#define NAS_RAW_FIELDS	(KSF_ARG_NAS_DATA | KSF_ARG_NAS_COUNT | \
			 KSF_ARG_NAS_BEARER | KSF_ARG_NAS_DIRECTION | \
			 KSF_ARG_NAS_BITS)

/* What the raw NIA/NEA services share: the rest is what differs. */
#define NAS_RAW_SERVICE							\
	.family = KSF_FAMILY_NAS, .needs = KSF_NEEDS_KEY,		\
	.out_size = nas_out_size, .run = nas_run

const struct ksf_service_ops ksf_svc_nas_mac = {
	NAS_RAW_SERVICE,
	.name = "nas-mac",
	.fields = NAS_RAW_FIELDS,
	.usage = KSF_KEY_USAGE_MAC,
	.algs = nia_algs,
};

const struct ksf_service_ops ksf_svc_nas_verify = {
	NAS_RAW_SERVICE,
	.name = "nas-verify",
	.usage = KSF_KEY_USAGE_VERIFY,
	.algs = nia_algs,
	.fields = NAS_RAW_FIELDS | KSF_ARG_NAS_MAC,
};

const struct ksf_service_ops ksf_svc_nas_cipher = {
	NAS_RAW_SERVICE,
	.name = "nas-cipher",
	.fields = NAS_RAW_FIELDS,
	.usage = KSF_KEY_USAGE_ENCRYPT,
	.algs = nea_algs,
};

const struct ksf_service_ops ksf_svc_nas_decipher = {
	NAS_RAW_SERVICE,
	.name = "nas-decipher",
	.fields = NAS_RAW_FIELDS,
	.usage = KSF_KEY_USAGE_DECRYPT,
	.algs = nea_algs,
};

const struct ksf_service_ops ksf_svc_nas_context = {
	.name = "nas-context",
	.family = KSF_FAMILY_NAS,
	.usage = KSF_KEY_USAGE_DERIVE,
	.algs = nas_context_algs,
	.default_alg = KSF_ALG_KDF_SHA256,
	.fields = KSF_ARG_NAS_INT_ALG | KSF_ARG_NAS_ENC_ALG |
		  KSF_ARG_NAS_DIRECTION | KSF_ARG_NAS_BEARER,
	.req_fields = KSF_REQ_SUBSCRIBER,
	.needs = KSF_NEEDS_KEY | KSF_NEEDS_SUBSCRIBER,
	.run = nas_context_run,
};

/*
 * The algorithms, BEARER and DIRECTION are the context's, the algorithms
 * checked when it is used: a request naming a bearer is refused ("takes no
 * bearer") rather than one the peer would not verify.
 */
#define NAS_CONTEXT_SERVICE						\
	.family = KSF_FAMILY_NAS,					\
	.req_fields = KSF_REQ_SUBSCRIBER | KSF_REQ_CONTEXT,		\
	.needs = KSF_NEEDS_CONTEXT, .out_size = nas_out_size,		\
	.run = nas_protect_run

const struct ksf_service_ops ksf_svc_nas_protect = {
	NAS_CONTEXT_SERVICE,
	.name = "nas-protect",
	.fields = KSF_ARG_NAS_DATA,
};

const struct ksf_service_ops ksf_svc_nas_unprotect = {
	NAS_CONTEXT_SERVICE,
	.name = "nas-unprotect",
	.fields = KSF_ARG_NAS_DATA | KSF_ARG_NAS_MAC | KSF_ARG_NAS_SEQ,
};
