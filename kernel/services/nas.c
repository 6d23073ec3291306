// SPDX-License-Identifier: GPL-2.0-only
/*
 * NAS security services: 128-NIA1/2/3 integrity (nas-mac, nas-verify) and
 * 128-NEA1/2/3 ciphering (nas-cipher, nas-decipher) under a nas key, with
 * COUNT, BEARER, DIRECTION and a LENGTH in bits (TS 33.501 D.3, TS 33.401
 * B.1/B.2).  The algorithms are in nas_alg.c.
 */
#include <crypto/algapi.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "../ksf.h"
#include "../core/context.h"
#include "../core/keystore.h"
#include "../core/policy.h"
#include "../crypto/kdf.h"
#include "../crypto/nas_alg.h"
#include "item.h"
#include "services.h"

static u32 nas_alg(u32 alg)
{
	switch (alg) {
	case KSF_ALG_NIA1: return KSF_NAS_NIA1;
	case KSF_ALG_NIA2: return KSF_NAS_NIA2;
	case KSF_ALG_NIA3: return KSF_NAS_NIA3;
	case KSF_ALG_NEA1: return KSF_NAS_NEA1;
	case KSF_ALG_NEA2: return KSF_NAS_NEA2;
	default: return KSF_NAS_NEA3;
	}
}

static u32 get_u32(struct nlattr **tb, int type, u32 def)
{
	return tb[type] ? nla_get_u32(tb[type]) : def;
}

static u8 get_u8(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u8(tb[type]) : 0;
}

static void nas_mac(struct ksf_net *kn, struct ksf_item *it,
		    struct ksf_nas *nas, const u8 *msg, u32 bits)
{
	struct nlattr **tb = it->tb;
	u8 mac[KSF_NAS_MAC_LEN];
	int ret;

	ret = ksf_nia(nas, get_u32(tb, KSF_A_ITEM_COUNT, 0),
		      get_u8(tb, KSF_A_ITEM_BEARER),
		      get_u8(tb, KSF_A_ITEM_DIRECTION), msg, bits, mac);
	if (ret) {
		ksf_item_fail(it, ret, "NIA failed");
		return;
	}
	if (it->service == KSF_SERVICE_NAS_VERIFY) {
		if (!tb[KSF_A_ITEM_MAC] ||
		    nla_len(tb[KSF_A_ITEM_MAC]) != KSF_NAS_MAC_LEN)
			ksf_item_fail(it, -EINVAL, "nas-verify needs a 4-byte mac");
		else if (crypto_memneq(mac, nla_data(tb[KSF_A_ITEM_MAC]),
				       KSF_NAS_MAC_LEN))
			ksf_item_verify_failed(kn, it, "NAS MAC mismatch");
		return;
	}
	it->out = kmemdup(mac, sizeof(mac), GFP_KERNEL);
	if (!it->out)
		ksf_item_fail(it, -ENOMEM, "out of memory");
	else
		it->out_len = sizeof(mac);
}

static void nas_cipher(struct ksf_item *it, struct ksf_nas *nas, const u8 *msg,
		       u32 bits)
{
	struct nlattr **tb = it->tb;
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
	ret = ksf_nea(nas, get_u32(tb, KSF_A_ITEM_COUNT, 0),
		      get_u8(tb, KSF_A_ITEM_BEARER),
		      get_u8(tb, KSF_A_ITEM_DIRECTION), buf, bits);
	if (ret) {
		ksf_item_fail(it, ret, "NEA failed");
		kfree_sensitive(buf);
		return;
	}
	it->out = buf;
	it->out_len = len;
}

void ksf_svc_nas(struct ksf_net *kn, struct ksf_item *it, struct ksf_key *key)
{
	static const u8 empty[1];
	const struct nlattr *data = it->tb[KSF_A_ITEM_DATA];
	const u8 *msg = data ? nla_data(data) : empty;
	u32 len = data ? nla_len(data) : 0;
	u32 bits = get_u32(it->tb, KSF_A_ITEM_BITS, len * 8);
	struct ksf_nas *nas;
	bool own;

	if (bits > len * 8) {
		ksf_item_fail(it, -EINVAL, "bits larger than the data");
		return;
	}
	if (!it->tb[KSF_A_ITEM_COUNT] || !it->tb[KSF_A_ITEM_BEARER] ||
	    !it->tb[KSF_A_ITEM_DIRECTION]) {
		ksf_item_fail(it, -EINVAL,
			      "NAS items need count, bearer and direction");
		return;
	}
	nas = ksf_key_nas_tfm(key, nas_alg(it->alg), &own);
	if (IS_ERR(nas)) {
		ksf_item_fail(it, PTR_ERR(nas), "NAS transform unavailable");
		return;
	}
	if (it->service == KSF_SERVICE_NAS_MAC ||
	    it->service == KSF_SERVICE_NAS_VERIFY)
		nas_mac(kn, it, nas, msg, bits);
	else
		nas_cipher(it, nas, msg, bits);
	if (own)
		ksf_nas_free(nas);
}

/* ---- NAS security contexts (TS 33.501 6.7, TS 24.501 4.4.3) ---- */

#define N_NAS_ENC_ALG	0x01
#define N_NAS_INT_ALG	0x02
#define NAS_COUNT_MAX	0xffffff	/* 16-bit overflow || 8-bit SN */

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
	struct crypto_shash *tfm = ksf_key_mac_tfm(kamf, KSF_ALG_HMAC_SHA256);
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
void ksf_svc_nas_context(struct ksf_net *kn, struct ksf_item *it,
			 struct ksf_key *kamf)
{
	struct nlattr **tb = it->tb;
	struct ksf_nas_ctx *nas;
	u32 ia, ea;
	int ret;

	if (!tb[KSF_A_ITEM_INT_ALG] || !tb[KSF_A_ITEM_ENC_ALG]) {
		ksf_item_fail(it, -EINVAL, "nas-context needs int-alg and enc-alg");
		return;
	}
	ia = nla_get_u32(tb[KSF_A_ITEM_INT_ALG]);
	ea = nla_get_u32(tb[KSF_A_ITEM_ENC_ALG]);
	if (!is_nia(ia) || !is_nea(ea)) {
		ksf_item_fail(it, -EINVAL, "int-alg must be nia1..3, enc-alg nea0..3");
		return;
	}
	if (!(it->pol->algs & BIT_ULL(ia)) || !(it->pol->algs & BIT_ULL(ea))) {
		ksf_item_reject(it, "NAS algorithm not in the trusted policy");
		return;
	}
	/* One NAS context per K_AMF: a second would restart the COUNTs. */
	if (ksf_key_claim_flag(kamf, KSF_KEY_FLAG_SPENT,
			       KSF_KEY_FLAG_SPENT | KSF_KEY_FLAG_RAW_NAS)) {
		ksf_item_reject(it, kamf_spent);
		return;
	}
	nas = kzalloc(sizeof(*nas), GFP_KERNEL_ACCOUNT);
	if (!nas) {
		ksf_item_fail(it, -ENOMEM, "out of memory");
		return;
	}
	nas->int_alg = ia;
	nas->enc_alg = ea;
	nas->direction = tb[KSF_A_ITEM_DIRECTION] ?
			 nla_get_u8(tb[KSF_A_ITEM_DIRECTION]) : 1;
	ret = nas_ctx_key(kn, it, kamf, N_NAS_INT_ALG, ia, &nas->int_key);
	if (!ret && ea != KSF_ALG_NEA0)
		ret = nas_ctx_key(kn, it, kamf, N_NAS_ENC_ALG, ea,
				  &nas->enc_key);
	if (ret) {
		nas_ctx_drop(kn, nas);
		if (ret == -EDQUOT)
			ksf_item_key_error(it, ret);
		else
			ksf_item_fail(it, ret, "NAS keys not derived");
		return;
	}
	if (!ksf_item_ctx(kn, it)) {
		nas_ctx_drop(kn, nas);
		return;
	}
	ret = ksf_ctx_set_nas(it->ctx, nas);
	if (ret) {
		nas_ctx_drop(kn, nas);
		ksf_item_fail(it, ret, "context deleted meanwhile");
	}
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
	if (!(it->pol->algs & BIT_ULL(nas->int_alg)) ||
	    !(it->pol->algs & BIT_ULL(nas->enc_alg))) {
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
	bool own;
	int ret;

	if (!key || (!mac && !bits))
		return 0;	/* NEA0, or nothing to cipher */
	tfm = ksf_key_nas_tfm(key, nas_alg(alg), &own);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	atomic64_inc(&key->uses);
	if (mac)
		ret = ksf_nia(tfm, count, bearer, dir, buf, bits, mac);
	else
		ret = ksf_nea(tfm, count, bearer, dir, buf, bits);
	if (own)
		ksf_nas_free(tfm);
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
	u8 bearer = get_u8(it->tb, KSF_A_ITEM_BEARER), want[KSF_NAS_MAC_LEN];
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
	it->count = count;
	it->has_count = !ret;
	return ret;
}

/* nas-protect and nas-unprotect under the item's context. */
void ksf_svc_nas_protect(struct ksf_net *kn, struct ksf_item *it,
			 struct ksf_key *unused)
{
	const struct nlattr *data = it->tb[KSF_A_ITEM_DATA];
	const struct nlattr *mac = it->tb[KSF_A_ITEM_MAC];
	bool send = it->service == KSF_SERVICE_NAS_PROTECT;
	u32 len = data ? nla_len(data) : 0;
	struct ksf_nas_ctx *nas;
	u8 *buf;
	int ret;

	if (!send && (!it->tb[KSF_A_ITEM_SEQ] || !mac ||
		      nla_len(mac) != KSF_NAS_MAC_LEN)) {
		ksf_item_fail(it, -EINVAL, "nas-unprotect needs seq and a 4-byte mac");
		return;
	}
	buf = kmalloc(len + 1, GFP_KERNEL);
	if (!buf) {
		ksf_item_fail(it, -ENOMEM, "out of memory");
		return;
	}
	buf[0] = send ? 0 : nla_get_u8(it->tb[KSF_A_ITEM_SEQ]);
	if (len)
		memcpy(buf + 1, nla_data(data), len);
	if (!send)
		memcpy(it->tag, nla_data(mac), KSF_NAS_MAC_LEN);

	mutex_lock(&it->ctx->lock);
	nas = nas_ctx_usable(it);
	ret = nas ? nas_ctx_run(kn, it, nas, buf, len, it->tag) : -EINVAL;
	mutex_unlock(&it->ctx->lock);

	if (!send)
		memzero_explicit(it->tag, sizeof(it->tag));
	else if (!ret)
		it->tag_len = KSF_NAS_MAC_LEN;
	if (ret) {
		kfree_sensitive(buf);
		return;
	}
	memmove(buf, buf + 1, len);
	it->out = buf;
	it->out_len = len;
}
