// SPDX-License-Identifier: GPL-2.0-only
/*
 * Service requests: a list of items, each checked against the trusted
 * policy of the acting peer and run, each producing one result: ok with
 * outputs, rejected (security service rejection) or an error.
 */
#include <linux/slab.h>
#include <net/netlink.h>

#include "../ksf.h"
#include "../core/audit.h"
#include "../core/context.h"
#include "../core/keystore.h"
#include "../core/peer.h"
#include "../core/policy.h"
#include "../services/item.h"
#include "../services/services.h"
#include "engine.h"

/* What a service needs besides its algorithm. */
enum {
	SVC_NO_KEY	= BIT(0),	/* runs without a key */
	SVC_SUBSCRIBER	= BIT(1),	/* the subscriber's context, created */
	SVC_CONTEXT	= BIT(2),	/* an existing context, no key */
};

/* What each service needs: key usage and the algorithms it accepts. */
struct service_desc {
	u32 usage;
	u64 algs;
	u32 default_alg;
	void (*run)(struct ksf_net *kn, struct ksf_item *it,
		    struct ksf_key *key);
	u32 flags;
};

#define ALG(a) BIT_ULL(KSF_ALG_##a)

static const struct service_desc services[] = {
	[KSF_SERVICE_MAC_GENERATE] = {
		KSF_KEY_USAGE_MAC, ALG(HMAC_SHA256) | ALG(AES_CMAC), 0,
		ksf_svc_mac },
	[KSF_SERVICE_MAC_VERIFY] = {
		KSF_KEY_USAGE_VERIFY, ALG(HMAC_SHA256) | ALG(AES_CMAC), 0,
		ksf_svc_mac },
	[KSF_SERVICE_KDF] = {
		KSF_KEY_USAGE_DERIVE, ALG(KDF_SHA256), KSF_ALG_KDF_SHA256,
		ksf_svc_kdf },
	[KSF_SERVICE_ENCRYPT] = {
		KSF_KEY_USAGE_ENCRYPT, ALG(AES_GCM), KSF_ALG_AES_GCM,
		ksf_svc_aead },
	[KSF_SERVICE_DECRYPT] = {
		KSF_KEY_USAGE_DECRYPT, ALG(AES_GCM), KSF_ALG_AES_GCM,
		ksf_svc_aead },
	[KSF_SERVICE_NAS_MAC] = {
		KSF_KEY_USAGE_MAC, ALG(NIA1) | ALG(NIA2) | ALG(NIA3), 0,
		ksf_svc_nas },
	[KSF_SERVICE_NAS_VERIFY] = {
		KSF_KEY_USAGE_VERIFY, ALG(NIA1) | ALG(NIA2) | ALG(NIA3), 0,
		ksf_svc_nas },
	[KSF_SERVICE_NAS_CIPHER] = {
		KSF_KEY_USAGE_ENCRYPT, ALG(NEA1) | ALG(NEA2) | ALG(NEA3), 0,
		ksf_svc_nas },
	[KSF_SERVICE_NAS_DECIPHER] = {
		KSF_KEY_USAGE_DECRYPT, ALG(NEA1) | ALG(NEA2) | ALG(NEA3), 0,
		ksf_svc_nas },
	[KSF_SERVICE_AKA_VECTOR] = {
		KSF_KEY_USAGE_DERIVE, ALG(MILENAGE), KSF_ALG_MILENAGE,
		ksf_svc_aka, SVC_SUBSCRIBER },
	/* The USIM's state is K's, not a subscriber's (aka.c). */
	[KSF_SERVICE_AKA_RESPONSE] = {
		KSF_KEY_USAGE_DERIVE, ALG(MILENAGE), KSF_ALG_MILENAGE,
		ksf_svc_aka },
	[KSF_SERVICE_AKA_RESYNC] = {
		KSF_KEY_USAGE_DERIVE, ALG(MILENAGE), KSF_ALG_MILENAGE,
		ksf_svc_aka, SVC_SUBSCRIBER },
	[KSF_SERVICE_NAS_CONTEXT] = {
		KSF_KEY_USAGE_DERIVE, ALG(KDF_SHA256), KSF_ALG_KDF_SHA256,
		ksf_svc_nas_context, SVC_SUBSCRIBER },
	/* The algorithms are the context's, checked when it is used. */
	[KSF_SERVICE_NAS_PROTECT] = {
		0, 0, 0, ksf_svc_nas_protect, SVC_CONTEXT },
	[KSF_SERVICE_NAS_UNPROTECT] = {
		0, 0, 0, ksf_svc_nas_protect, SVC_CONTEXT },
	[KSF_SERVICE_HRES_STAR] = {
		0, ALG(SHA256), KSF_ALG_SHA256, ksf_svc_hres, SVC_NO_KEY },
};

/* The key type each algorithm keys. */
static const u32 alg_key_type[] = {
	[KSF_ALG_HMAC_SHA256]	= KSF_KEY_TYPE_GENERIC,
	[KSF_ALG_AES_CMAC]	= KSF_KEY_TYPE_AES,
	[KSF_ALG_KDF_SHA256]	= KSF_KEY_TYPE_GENERIC,
	[KSF_ALG_AES_GCM]	= KSF_KEY_TYPE_AES,
	[KSF_ALG_NIA1]		= KSF_KEY_TYPE_NAS,
	[KSF_ALG_NIA2]		= KSF_KEY_TYPE_NAS,
	[KSF_ALG_NIA3]		= KSF_KEY_TYPE_NAS,
	[KSF_ALG_NEA1]		= KSF_KEY_TYPE_NAS,
	[KSF_ALG_NEA2]		= KSF_KEY_TYPE_NAS,
	[KSF_ALG_NEA3]		= KSF_KEY_TYPE_NAS,
	[KSF_ALG_MILENAGE]	= KSF_KEY_TYPE_K,
};

static bool bounded(struct ksf_item *it, int type, u32 max)
{
	const struct nlattr *a = it->tb[type];

	return !a || nla_len(a) <= max;
}

static bool lengths_ok(struct ksf_item *it)
{
	if (!bounded(it, KSF_A_ITEM_DATA, KSF_DATA_MAX_LEN) ||
	    !bounded(it, KSF_A_ITEM_AAD, KSF_DATA_MAX_LEN)) {
		ksf_item_fail(it, -EMSGSIZE, "data or aad longer than data-max-len");
		return false;
	}
	if (!bounded(it, KSF_A_ITEM_MAC, KSF_MAC_MAX_LEN)) {
		ksf_item_fail(it, -EINVAL, "mac longer than 32 bytes");
		return false;
	}
	return true;
}

/* Policy checks that need no key: the service and the algorithm. */
static bool policy_allows(struct ksf_item *it, const struct service_desc *d)
{
	if (!(it->pol->services & BIT_ULL(it->service))) {
		ksf_item_reject(it, "service not in the trusted policy");
		return false;
	}
	if (d->flags & SVC_CONTEXT)
		return true;
	if (!it->alg) {
		ksf_item_fail(it, -EINVAL, "item has no alg");
		return false;
	}
	if (!(d->algs & BIT_ULL(it->alg))) {
		ksf_item_fail(it, -EINVAL, "algorithm not valid for the service");
		return false;
	}
	if (!(it->pol->algs & BIT_ULL(it->alg))) {
		ksf_item_reject(it, "algorithm not in the trusted policy");
		return false;
	}
	return true;
}

static bool key_allows(struct ksf_item *it, const struct service_desc *d,
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
	if (!(key->usage & d->usage)) {
		ksf_item_fail(it, -EKEYREJECTED, "key usage does not allow the service");
		return false;
	}
	if (READ_ONCE(key->flags) & KSF_KEY_FLAG_CONTEXT) {
		ksf_item_fail(it, -EKEYREJECTED,
			      "key of a NAS security context: only nas-protect/nas-unprotect use it");
		return false;
	}
	if (key->type != alg_key_type[it->alg]) {
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
 * keeps state for a subscriber (SVC_SUBSCRIBER) finds it here if it
 * exists and creates it with ksf_item_ctx() only once its own checks have
 * passed, so that a failed item leaves no context behind.
 */
static bool item_context(struct ksf_net *kn, struct ksf_item *it,
			 const struct service_desc *d)
{
	const struct nlattr *sub = it->tb[KSF_A_ITEM_SUBSCRIBER];
	const struct nlattr *h = it->tb[KSF_A_ITEM_CONTEXT];

	if (d->flags & SVC_CONTEXT && h) {
		it->ctx = ksf_ctx_get(kn, nla_get_u64(h));
		if (it->ctx && it->ctx->owner != it->peer) {
			ksf_ctx_put(it->ctx);
			it->ctx = NULL;
		}
	} else {
		if (!sub || !nla_len(sub) || !*(char *)nla_data(sub)) {
			ksf_item_fail(it, -EINVAL, d->flags & SVC_CONTEXT ?
				      "item needs a context or a subscriber" :
				      "item needs a subscriber");
			return false;
		}
		if (strlen(nla_data(sub)) >= KSF_PEER_ID_LEN) {
			ksf_item_fail(it, -EINVAL, "subscriber ID too long");
			return false;
		}
		if (!ksf_id_printable(nla_data(sub))) {
			ksf_item_fail(it, -EINVAL,
				      "subscriber ID not printable ASCII");
			return false;
		}
		it->ctx = ksf_ctx_find(kn, it->peer, nla_data(sub));
		if (d->flags & SVC_SUBSCRIBER)
			return true;	/* created when the service needs it */
	}
	if (!it->ctx) {
		ksf_item_fail(it, -ENOENT, "no such context of this peer");
		return false;
	}
	return true;
}

/*
 * Runs one decoded item: its service, algorithm and lengths, the trusted
 * policy of its peer, its context and key, then the service.  The item
 * holds the outcome; ksf_item_release() frees what it produced.
 */
void ksf_engine_run(struct ksf_net *kn, struct ksf_item *it)
{
	const struct service_desc *d;
	struct ksf_key *key;
	struct nlattr **tb = it->tb;

	if (!tb[KSF_A_ITEM_SERVICE]) {
		ksf_item_fail(it, -EINVAL, "item has no service");
		return;
	}
	it->service = nla_get_u32(tb[KSF_A_ITEM_SERVICE]);
	d = &services[it->service];
	it->alg = tb[KSF_A_ITEM_ALG] ? nla_get_u32(tb[KSF_A_ITEM_ALG]) :
				       d->default_alg;
	if (!lengths_ok(it) || !policy_allows(it, d))
		return;
	if (d->flags & (SVC_SUBSCRIBER | SVC_CONTEXT) &&
	    !item_context(kn, it, d))
		return;
	if (d->flags & (SVC_NO_KEY | SVC_CONTEXT)) {
		it->status = KSF_STATUS_OK;
		d->run(kn, it, NULL);
		return;
	}
	if (!tb[KSF_A_ITEM_KEY]) {
		ksf_item_fail(it, -EINVAL, "item has no key");
		return;
	}
	key = ksf_key_get(kn, nla_get_u64(tb[KSF_A_ITEM_KEY]));
	if (!key) {
		ksf_item_fail(it, -ENOENT, "unknown key handle");
		return;
	}
	if (key_allows(it, d, key)) {
		it->status = KSF_STATUS_OK;
		d->run(kn, it, key);
		if (it->status == KSF_STATUS_OK)
			atomic64_inc(&key->uses);
	}
	ksf_key_put(key);
}

