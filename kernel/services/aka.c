// SPDX-License-Identifier: GPL-2.0-only
/*
 * 5G AKA services on Milenage (TS 33.501 6.1.3.2, Annex A):
 *
 *  aka-vector   UDM/ARPF: RAND, AUTN = SQN^AK || AMF || MAC-A, XRES*,
 *               HXRES* and K_AUSF from K, OPc and the subscriber's SQN.
 *  aka-response USIM/ME: checks AUTN, gives RES* and K_AUSF, or AUTS.
 *  aka-resync   UDM: verifies AUTS and moves the SQN to SQN_MS.
 *
 * CK, IK and AK never leave this file; K_AUSF goes into the keystore.
 * The SQN state lives in the subscriber's context of the caller (sqn_he
 * on the network side, the USIM's SEQ_MS array on a UE), under its lock.
 */
#include <linux/random.h>
#include <linux/slab.h>

#include "../ksf.h"
#include "../core/context.h"
#include "../core/keystore.h"
#include "../core/peer.h"
#include "../core/policy.h"
#include "../crypto/kdf.h"
#include "../crypto/milenage.h"
#include "item.h"
#include "services.h"

#define FC_KAUSF	0x6a
#define FC_RES_STAR	0x6b

static const char no_caller_rand[] =
	"caller-supplied RAND needs caller-rand in the trusted policy";
static const char no_caller_sqn[] =
	"caller-supplied SQN needs caller-rand in the trusted policy";
static const char not_5g[] =
	"AMF separation bit 0: non-5G authentication unacceptable (#26)";
static const char no_caller_amf[] =
	"caller-supplied AMF field needs caller-rand in the trusted policy";

struct aka_ctx {
	struct crypto_cipher *tfm;	/* AES under K */
	struct ksf_key *k;
	u8 opc[16];
	u8 rand[16];
	u8 amf[2];
	u8 res[KSF_MILENAGE_RES_LEN];
	u8 ckik[32];			/* CK || IK */
	u8 sqn_ak[6];
	const char *snn;
};

static void aka_wipe(struct aka_ctx *c)
{
	memzero_explicit(c, sizeof(*c));
}

/* RES* or XRES* (A.4): the low 128 bits of KDF(CK||IK, 0x6B, SNN, RAND, RES). */
static int res_star(struct aka_ctx *c, u8 out[16])
{
	const u8 *p[] = { (const u8 *)c->snn, c->rand, c->res };
	const u16 l[] = { strlen(c->snn), 16, sizeof(c->res) };
	u8 kdf[KSF_KDF_OUT_LEN];
	int ret = ksf_kdf_key(c->ckik, 32, FC_RES_STAR, p, l, 3, kdf);

	memcpy(out, kdf + 16, 16);
	memzero_explicit(kdf, sizeof(kdf));
	return ret;
}

/* HXRES* and HRES* (A.5): the low 128 bits of SHA-256(RAND || XRES*). */
int ksf_hres_star(const u8 *rand, const u8 *xres, u8 out[16])
{
	u8 buf[32], digest[32];
	int ret;

	memcpy(buf, rand, 16);
	memcpy(buf + 16, xres, 16);
	ret = ksf_sha256_digest(buf, sizeof(buf), digest);
	memcpy(out, digest + 16, 16);
	return ret;
}

/* K_AUSF (A.2) = KDF(CK||IK, 0x6A, SNN, SQN^AK), kept as a new key. */
static int kausf(struct ksf_net *kn, struct ksf_item *it, struct aka_ctx *c)
{
	const u8 *p[] = { (const u8 *)c->snn, c->sqn_ak };
	const u16 l[] = { strlen(c->snn), 6 };
	struct ksf_key_spec spec = {
		.type = KSF_KEY_TYPE_GENERIC, .len = KSF_KDF_OUT_LEN,
		.usage = KSF_KEY_USAGE_DERIVE, .source = KSF_KEY_SOURCE_DERIVE,
		.from = c->k, .keys_max = it->pol->keys_max,
		.max_age = it->pol->lifetime_max,
	};
	u8 key[KSF_KDF_OUT_LEN];
	int ret = ksf_kdf_key(c->ckik, 32, FC_KAUSF, p, l, 2, key);

	if (!ret)
		ret = ksf_key_add(kn, it->peer, &spec, key, &it->res.key, NULL);
	memzero_explicit(key, sizeof(key));
	if (ret)
		ksf_item_key_error(it, ret);
	return ret;
}

/* Loads OPc (key2) and the AES transform under K (key). */
static int aka_prepare(struct ksf_net *kn, struct ksf_item *it,
		       struct ksf_key *k, struct aka_ctx *c)
{
	const struct ksf_args_aka *a = &it->req->args.aka;
	struct ksf_key *opc;

	c->k = k;
	if (!(it->req->present & KSF_REQ_KEY2) ||
	    !(a->present & KSF_ARG_AKA_SNN)) {
		ksf_item_fail(it, -EINVAL, "AKA needs key2 (OPc) and snn");
		return -EINVAL;
	}
	c->snn = a->snn;
	if (!*c->snn) {
		ksf_item_fail(it, -EINVAL, "snn is empty");
		return -EINVAL;
	}
	opc = ksf_key_get(kn, it->req->key2);
	if (!opc) {
		ksf_item_fail(it, -ENOENT, "unknown key2 handle");
		return -ENOENT;
	}
	if (opc->type != KSF_KEY_TYPE_OPC || !ksf_key_usable_by(opc, it->peer) ||
	    ksf_key_expired(opc)) {
		ksf_key_put(opc);
		ksf_item_fail(it, -EKEYREJECTED, "key2 is not a usable OPc");
		return -EKEYREJECTED;
	}
	memcpy(c->opc, opc->material, sizeof(c->opc));
	ksf_key_put(opc);
	c->tfm = ksf_key_tfm(k, KSF_ALG_MILENAGE);
	if (IS_ERR(c->tfm)) {
		ksf_item_fail(it, PTR_ERR(c->tfm), "AES transform unavailable");
		return PTR_ERR(c->tfm);
	}
	return 0;
}

/* The SQN of a new vector: the next of the subscriber, or the caller's. */
static bool vector_sqn(struct ksf_net *kn, struct ksf_item *it, u64 *sqn)
{
	const struct ksf_args_aka *a = &it->req->args.aka;
	struct ksf_ctx *ctx;

	if (a->present & KSF_ARG_AKA_SQN) {	/* caller-rand: the engine */
		*sqn = a->sqn & KSF_SQN_MAX;
		return true;
	}
	ctx = ksf_item_ctx(kn, it);
	if (!ctx)
		return false;
	mutex_lock(&ctx->lock);
	ctx->sqn_he = ksf_sqn_he_next(ctx->sqn_he);
	ctx->has_sqn_he = true;
	*sqn = ctx->sqn_he;
	mutex_unlock(&ctx->lock);
	return true;
}

static void aka_vector(struct ksf_net *kn, struct ksf_item *it,
		       struct aka_ctx *c)
{
	const struct ksf_args_aka *a = &it->req->args.aka;
	struct ksf_out_aka *o = &it->res.out.aka;
	u8 ak[6];
	u64 sqn;
	int i;

	/* A caller's RAND, AMF or SQN: caller-rand, checked by the engine. */
	if (!vector_sqn(kn, it, &sqn))
		return;
	if (a->present & KSF_ARG_AKA_RAND)
		memcpy(c->rand, a->rand.data, 16);
	else
		get_random_bytes(c->rand, 16);

	ksf_milenage_f2345(c->tfm, c->opc, c->rand, c->res, c->ckik,
			   c->ckik + 16, ak);
	ksf_milenage_autn(c->tfm, c->opc, c->rand, sqn, c->amf, o->autn);
	for (i = 0; i < 6; i++)
		c->sqn_ak[i] = o->autn[i];	/* SQN ^ AK */
	memzero_explicit(ak, sizeof(ak));
	if (res_star(c, o->res) || ksf_hres_star(c->rand, o->res, o->hres)) {
		ksf_item_fail(it, -ENOMEM, "key derivation failed");
		return;
	}
	if (kausf(kn, it, c))
		return;
	memcpy(o->rand, c->rand, 16);
	o->sqn = sqn;
	o->rand_len = 16;
	o->autn_len = 16;
	o->res_len = 16;
	o->hres_len = 16;
	o->present = KSF_OUT_AKA_RAND | KSF_OUT_AKA_AUTN | KSF_OUT_AKA_RES |
		     KSF_OUT_AKA_HRES | KSF_OUT_AKA_SQN;
}

/*
 * The USIM's context: one USIM is one K, so its SQN state belongs to K
 * (to K's owner, under an ID made of K's handle), whatever subscriber the
 * caller names: another name must not give a replayed AUTN fresh state.
 */
static struct ksf_ctx *usim_ctx(struct ksf_net *kn, struct ksf_item *it,
				struct ksf_key *k)
{
	char id[sizeof("usim-") + 16];

	snprintf(id, sizeof(id), "usim-%016llx", k->handle);
	return ksf_item_ctx_of(kn, it, k->owner, id,
			       "cannot create the USIM's context");
}

/*
 * Checks AUTN against the USIM's SQN state, which moves only on success.
 * Under the context's lock: two checks of one AUTN cannot both succeed.
 */
static int check_autn(struct ksf_net *kn, struct ksf_item *it,
		      struct aka_ctx *c)
{
	struct ksf_ctx *ctx = usim_ctx(kn, it, c->k);
	struct ksf_sqn_ms *ms, copy;
	int ret = -ENOMEM;

	if (!ctx)
		return -ENOMEM;
	mutex_lock(&ctx->lock);
	ms = ksf_ctx_sqn_ms(ctx);
	if (ms) {
		copy = *ms;
		ret = ksf_milenage_autn_check(c->tfm, c->opc, c->rand,
					      it->req->args.aka.autn.data,
					      &copy, c->res, c->ckik,
					      c->ckik + 16,
					      it->res.out.aka.auts);
		if (!ret)
			*ms = copy;
	}
	mutex_unlock(&ctx->lock);
	memzero_explicit(&copy, sizeof(copy));
	return ret;
}

static void aka_response(struct ksf_net *kn, struct ksf_item *it,
			 struct aka_ctx *c)
{
	const struct ksf_args_aka *a = &it->req->args.aka;
	struct ksf_out_aka *o = &it->res.out.aka;
	int ret;

	if (!(a->present & KSF_ARG_AKA_RAND) ||
	    !(a->present & KSF_ARG_AKA_AUTN)) {
		ksf_item_fail(it, -EINVAL, "aka-response needs rand and autn");
		return;
	}
	/* TS 33.501 6.1.3.2: the ME accepts only the 5G separation bit. */
	if (!(a->autn.data[6] & 0x80)) {
		ksf_item_fail(it, -EPROTO, not_5g);
		return;
	}
	memcpy(c->rand, a->rand.data, 16);
	ret = check_autn(kn, it, c);
	if (ret == -ERANGE) {
		o->auts_len = sizeof(o->auts);
		o->present |= KSF_OUT_AKA_AUTS;
		ksf_item_fail(it, -EAGAIN, "synchronisation failure: AUTS returned");
		return;
	}
	if (ret) {
		if (it->res.status == KSF_STATUS_OK)	/* else: said already */
			ksf_item_fail(it, ret, ret == -ENOMEM ? "out of memory" :
							      "AUTN MAC failure");
		return;
	}
	memcpy(c->sqn_ak, a->autn.data, 6);
	if (res_star(c, o->res)) {
		ksf_item_fail(it, -ENOMEM, "key derivation failed");
		return;
	}
	if (kausf(kn, it, c))
		return;
	o->res_len = sizeof(o->res);
	o->present |= KSF_OUT_AKA_RES;
}

static void aka_resync(struct ksf_net *kn, struct ksf_item *it,
		       struct aka_ctx *c)
{
	const struct ksf_args_aka *a = &it->req->args.aka;
	u64 sqn_ms, sqn_he;
	int ret;

	if (!(a->present & KSF_ARG_AKA_RAND) ||
	    !(a->present & KSF_ARG_AKA_AUTS)) {
		ksf_item_fail(it, -EINVAL, "aka-resync needs rand and auts");
		return;
	}
	if (!ksf_item_ctx(kn, it))
		return;
	mutex_lock(&it->ctx->lock);
	sqn_he = it->ctx->sqn_he;
	ret = ksf_milenage_resync(c->tfm, c->opc, a->rand.data, a->auts.data,
				  KSF_SQN_DELTA, &sqn_ms, &sqn_he);
	if (!ret) {
		it->ctx->sqn_he = sqn_he;
		it->ctx->has_sqn_he = true;
	}
	mutex_unlock(&it->ctx->lock);
	if (ret) {
		ksf_item_fail(it, ret, "AUTS MAC failure");
		return;
	}
	it->res.out.aka.sqn = sqn_he;
	it->res.out.aka.present |= KSF_OUT_AKA_SQN;
}

static void aka_run(struct ksf_net *kn, struct ksf_item *it,
		    struct ksf_key *key)
{
	struct aka_ctx *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c) {
		ksf_item_fail(it, -ENOMEM, "out of memory");
		return;
	}
	c->amf[0] = 0x80;
	if (it->req->args.aka.present & KSF_ARG_AKA_AMF)
		memcpy(c->amf, it->req->args.aka.amf.data, 2);
	if (aka_prepare(kn, it, key, c))
		goto out;
	if (it->service == KSF_SERVICE_AKA_VECTOR)
		aka_vector(kn, it, c);
	else if (it->service == KSF_SERVICE_AKA_RESPONSE)
		aka_response(kn, it, c);
	else
		aka_resync(kn, it, c);
out:
	aka_wipe(c);
	kfree(c);
}

/* hres-star (SEAF): HRES* from RAND and RES*, to compare with HXRES*. */
static void hres_run(struct ksf_net *kn, struct ksf_item *it,
		     struct ksf_key *key)
{
	const struct ksf_args_aka *a = &it->req->args.aka;
	struct ksf_out_aka *o = &it->res.out.aka;

	if (!(a->present & KSF_ARG_AKA_RAND) ||
	    !(a->present & KSF_ARG_AKA_RES)) {
		ksf_item_fail(it, -EINVAL, "hres-star needs rand and res (RES*, 16 bytes)");
		return;
	}
	if (ksf_hres_star(a->rand.data, a->res.data, o->hres)) {
		ksf_item_fail(it, -ENOMEM, "SHA-256 failed");
		return;
	}
	o->hres_len = sizeof(o->hres);
	o->present |= KSF_OUT_AKA_HRES;
}

static const u32 milenage_algs[] = { KSF_ALG_MILENAGE, 0 };
static const u32 sha256_algs[] = { KSF_ALG_SHA256, 0 };

static const struct ksf_caller_field vector_caller[] = {
	{ KSF_ARG_AKA_RAND, no_caller_rand },
	{ KSF_ARG_AKA_AMF, no_caller_amf },
	{ KSF_ARG_AKA_SQN, no_caller_sqn },
	{ }
};

/* What the Milenage services share: the rest is what differs. */
#define MILENAGE_SERVICE						\
	.family = KSF_FAMILY_AKA, .usage = KSF_KEY_USAGE_DERIVE,	\
	.algs = milenage_algs, .default_alg = KSF_ALG_MILENAGE,		\
	.req_fields = KSF_REQ_KEY2 | KSF_REQ_SUBSCRIBER, .run = aka_run

const struct ksf_service_ops ksf_svc_aka_vector = {
	MILENAGE_SERVICE,
	.name = "aka-vector",
	.fields = KSF_ARG_AKA_RAND | KSF_ARG_AKA_AMF | KSF_ARG_AKA_SNN |
		  KSF_ARG_AKA_SQN,
	.caller = vector_caller,
	.needs = KSF_NEEDS_KEY | KSF_NEEDS_SUBSCRIBER,
};

/* The USIM's state is K's, not a subscriber's (usim_ctx()). */
const struct ksf_service_ops ksf_svc_aka_response = {
	MILENAGE_SERVICE,
	.name = "aka-response",
	.fields = KSF_ARG_AKA_RAND | KSF_ARG_AKA_AUTN | KSF_ARG_AKA_SNN,
	.needs = KSF_NEEDS_KEY,
};

const struct ksf_service_ops ksf_svc_aka_resync = {
	MILENAGE_SERVICE,
	.name = "aka-resync",
	.fields = KSF_ARG_AKA_RAND | KSF_ARG_AKA_AUTS | KSF_ARG_AKA_SNN,
	.needs = KSF_NEEDS_KEY | KSF_NEEDS_SUBSCRIBER,
};

const struct ksf_service_ops ksf_svc_hres_star = {
	.name = "hres-star",
	.family = KSF_FAMILY_AKA,
	.algs = sha256_algs,
	.default_alg = KSF_ALG_SHA256,
	.fields = KSF_ARG_AKA_RAND | KSF_ARG_AKA_RES,
	.run = hres_run,
};
