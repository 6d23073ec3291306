// SPDX-License-Identifier: GPL-2.0-only
/*
 * NAS security services: 128-NIA1/2/3 integrity (nas-mac, nas-verify) and
 * 128-NEA1/2/3 ciphering (nas-cipher, nas-decipher) under a nas key, with
 * COUNT, BEARER, DIRECTION and a LENGTH in bits (TS 33.501 D.3, TS 33.401
 * B.1/B.2).  The algorithms are in nas_alg.c.
 */
#include <crypto/algapi.h>
#include <linux/slab.h>

#include "ksf.h"
#include "nas_alg.h"

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

static void nas_mac(struct ksf_item *it, struct ksf_nas *nas, const u8 *msg,
		    u32 bits)
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
			ksf_item_fail(it, -EBADMSG, "NAS MAC mismatch");
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
	nas = ksf_key_nas_tfm(key, nas_alg(it->alg), &own);
	if (IS_ERR(nas)) {
		ksf_item_fail(it, PTR_ERR(nas), "NAS transform unavailable");
		return;
	}
	if (it->service == KSF_SERVICE_NAS_MAC ||
	    it->service == KSF_SERVICE_NAS_VERIFY)
		nas_mac(it, nas, msg, bits);
	else
		nas_cipher(it, nas, msg, bits);
	if (own)
		ksf_nas_free(nas);
}
