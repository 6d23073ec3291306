// SPDX-License-Identifier: GPL-2.0-only
/*
 * 128-NEA1/2/3 and 128-NIA1/2/3 (TS 33.501 Annex D, specified in
 * TS 33.401 Annex B) over the crypto API: NEA2 is ctr(aes), NIA2 is
 * cmac(aes), NEA1/NIA1 use the "snow3g-ksf" and NEA3/NIA3 the "zuc-ksf"
 * skcipher of this module.  The integrity algorithms take the raw
 * keystream they need from the skcipher by enciphering zeros.
 *
 * LENGTH is in bits.  NEA output leaves the unused low bits of its last
 * byte zero; NIA covers exactly LENGTH bits, whatever follows them.
 */
/* crypto_xor(); also the unaligned accessors, which 6.12 moved. */
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <crypto/internal/cipher.h>	/* namespace imported in milenage.c */
#include <crypto/skcipher.h>
#include <linux/err.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "nas_alg.h"

struct ksf_nas {
	enum ksf_nas_alg alg;
	struct crypto_sync_skcipher *ks;	/* NEAx, NIA1, NIA3 */
	struct crypto_shash *cmac;		/* NIA2 */
	u8 k1k2[16];				/* NIA2: CMAC K1 ^ K2 */
};

int ksf_algs_init(void)
{
	int ret;

	ret = ksf_snow3g_register();
	if (ret)
		return ret;
	ret = ksf_zuc_register();
	if (ret)
		goto err_snow3g;
	return 0;

err_snow3g:
	ksf_snow3g_unregister();
	return ret;
}

void ksf_algs_exit(void)
{
	ksf_zuc_unregister();
	ksf_snow3g_unregister();
}

/* The doubling of RFC 4493 2.3 in GF(2^128). */
static void cmac_dbl(u8 *out, const u8 *in)
{
	u8 carry = in[0] >> 7;
	int i;

	for (i = 0; i < 15; i++)
		out[i] = in[i] << 1 | in[i + 1] >> 7;
	out[15] = (in[15] << 1) ^ (carry ? 0x87 : 0);
}

/*
 * cmac(aes) handles whole bytes only.  For a bit string whose last block
 * is partial, the caller pads that block itself (10*) and XORs K1 ^ K2
 * into it: cmac(aes) then sees a complete last block, XORs K1, and the
 * net effect is the K2 of a partial block (NIST SP 800-38B 6.2).
 */
static int nia2_subkeys(struct ksf_nas *nas, const u8 *key)
{
	struct crypto_cipher *aes;
	u8 l[16] = {}, k1[16], k2[16];
	int ret;

	aes = crypto_alloc_cipher("aes", 0, 0);
	if (IS_ERR(aes))
		return PTR_ERR(aes);
	ret = crypto_cipher_setkey(aes, key, KSF_NAS_KEY_LEN);
	if (!ret) {
		crypto_cipher_encrypt_one(aes, l, l);
		cmac_dbl(k1, l);
		cmac_dbl(k2, k1);
		crypto_xor_cpy(nas->k1k2, k1, k2, sizeof(nas->k1k2));
	}
	crypto_free_cipher(aes);
	memzero_explicit(l, sizeof(l));
	memzero_explicit(k1, sizeof(k1));
	memzero_explicit(k2, sizeof(k2));
	return ret;
}

static int nas_key_cmac(struct ksf_nas *nas, const u8 *key)
{
	int ret;

	nas->cmac = crypto_alloc_shash("cmac(aes)", 0, 0);
	if (IS_ERR(nas->cmac)) {
		ret = PTR_ERR(nas->cmac);
		nas->cmac = NULL;
		return ret;
	}
	ret = crypto_shash_setkey(nas->cmac, key, KSF_NAS_KEY_LEN);
	if (ret)
		return ret;
	return nia2_subkeys(nas, key);
}

static const char *nas_ks_name(enum ksf_nas_alg alg)
{
	switch (alg) {
	case KSF_NAS_NEA1:
	case KSF_NAS_NIA1:
		return KSF_SNOW3G_DRIVER;
	case KSF_NAS_NEA2:
		return "ctr(aes)";
	case KSF_NAS_NEA3:
	case KSF_NAS_NIA3:
		return KSF_ZUC_DRIVER;
	default:
		return NULL;
	}
}

static int nas_key_ks(struct ksf_nas *nas, const u8 *key)
{
	const char *name = nas_ks_name(nas->alg);
	u32 flags;
	int ret;

	if (!name)
		return -EINVAL;
	flags = nas->alg == KSF_NAS_NEA2 ? 0 : KSF_KS_FLAGS;	/* ours */
	nas->ks = crypto_alloc_sync_skcipher(name, flags, flags);
	if (IS_ERR(nas->ks)) {
		ret = PTR_ERR(nas->ks);
		nas->ks = NULL;
		return ret;
	}
	return crypto_sync_skcipher_setkey(nas->ks, key, KSF_NAS_KEY_LEN);
}

struct ksf_nas *ksf_nas_alloc(enum ksf_nas_alg alg, const u8 *key,
			      unsigned int key_len)
{
	struct ksf_nas *nas;
	int ret;

	if (key_len != KSF_NAS_KEY_LEN)
		return ERR_PTR(-EINVAL);
	nas = kzalloc(sizeof(*nas), GFP_KERNEL);
	if (!nas)
		return ERR_PTR(-ENOMEM);
	nas->alg = alg;
	if (alg == KSF_NAS_NIA2)
		ret = nas_key_cmac(nas, key);
	else
		ret = nas_key_ks(nas, key);
	if (ret) {
		ksf_nas_free(nas);
		return ERR_PTR(ret);
	}
	return nas;
}

void ksf_nas_free(struct ksf_nas *nas)
{
	if (!nas)
		return;
	crypto_free_sync_skcipher(nas->ks);
	crypto_free_shash(nas->cmac);
	kfree_sensitive(nas);
}

/* COUNT || BEARER || DIRECTION || 0^26: the first 64 bits of B.1.3/B.2.3. */
static void nas_header(u8 *h, u32 count, u8 bearer, u8 dir)
{
	put_unaligned_be32(count, h);
	put_unaligned_be32((u32)(bearer & 0x1f) << 27 | (u32)(dir & 1) << 26,
			   h + 4);
}

/* The keystream IV of each algorithm (B.1.2, B.1.3, B.1.4, B.2.2, B.2.4). */
static void nas_iv(enum ksf_nas_alg alg, u8 *iv, u32 count, u8 bearer,
		   u8 dir)
{
	u32 fresh = (u32)(bearer & 0x1f) << 27;

	dir &= 1;
	memset(iv, 0, KSF_KS_IV_LEN);
	switch (alg) {
	case KSF_NAS_NIA1:	/* IV3 = COUNT, IV2 = FRESH, IV1, IV0 */
		put_unaligned_be32(count, iv);
		put_unaligned_be32(fresh, iv + 4);
		put_unaligned_be32(count ^ (u32)dir << 31, iv + 8);
		put_unaligned_be32(fresh ^ (u32)dir << 15, iv + 12);
		break;
	case KSF_NAS_NIA3:
		put_unaligned_be32(count, iv);
		iv[4] = (bearer & 0x1f) << 3;
		memcpy(iv + 8, iv, 8);
		iv[8] ^= dir << 7;
		iv[14] ^= dir << 7;
		break;
	case KSF_NAS_NEA2:	/* T1 = header || 0^64 */
		nas_header(iv, count, bearer, dir);
		break;
	default:		/* NEA1, NEA3: header || header */
		nas_header(iv, count, bearer, dir);
		memcpy(iv + 8, iv, 8);
		break;
	}
}

static int nas_crypt(struct ksf_nas *nas, u8 *iv, u8 *buf, unsigned int len)
{
	SYNC_SKCIPHER_REQUEST_ON_STACK(req, nas->ks);
	struct scatterlist sg;
	int ret;

	sg_init_one(&sg, buf, len);
	skcipher_request_set_sync_tfm(req, nas->ks);
	skcipher_request_set_callback(req, 0, NULL, NULL);
	skcipher_request_set_crypt(req, &sg, &sg, len, iv);
	ret = crypto_skcipher_encrypt(req);
	skcipher_request_zero(req);
	return ret;
}

/* Clears the bits of the last byte beyond @bits. */
static void nas_trim(u8 *data, u32 bits)
{
	if (bits % 8)
		data[bits / 8] &= 0xff00 >> (bits % 8);
}

int ksf_nea(struct ksf_nas *nas, u32 count, u8 bearer, u8 dir, u8 *data,
	    u32 bits)
{
	u8 iv[KSF_KS_IV_LEN];
	int ret;

	if (!nas->ks || nas->alg > KSF_NAS_NEA3 || bits > KSF_NAS_MAX_BITS)
		return -EINVAL;
	if (!bits)
		return 0;
	nas_iv(nas->alg, iv, count, bearer, dir);
	ret = nas_crypt(nas, iv, data, DIV_ROUND_UP(bits, 8));
	nas_trim(data, bits);
	memzero_explicit(iv, sizeof(iv));
	return ret;
}

/* @len bytes of raw keystream for @nas's IV. */
static u8 *nas_keystream(struct ksf_nas *nas, u32 count, u8 bearer, u8 dir,
			 unsigned int len)
{
	u8 iv[KSF_KS_IV_LEN];
	u8 *z;
	int ret;

	z = kzalloc(len, GFP_KERNEL);
	if (!z)
		return ERR_PTR(-ENOMEM);
	nas_iv(nas->alg, iv, count, bearer, dir);
	ret = nas_crypt(nas, iv, z, len);
	memzero_explicit(iv, sizeof(iv));
	if (ret) {
		kfree_sensitive(z);
		return ERR_PTR(ret);
	}
	return z;
}

/* MUL64(V, P, c) of UIA2 (Document 1, 4.3.2) with c = 0x1b. */
static u64 nia1_mul64(u64 v, u64 p)
{
	u64 r = 0;
	int i;

	for (i = 0; i < 64; i++, v >>= 1) {
		if (v & 1)
			r ^= p;
		p = (p << 1) ^ ((p >> 63) ? 0x1b : 0);
	}
	return r;
}

/* 128-NIA1 (B.2.2 = UIA2 f9 with FRESH = BEARER || 0^27). */
static int nia1(struct ksf_nas *nas, u32 count, u8 bearer, u8 dir,
		const u8 *data, u32 bits, u8 *mac)
{
	u32 i, blocks = DIV_ROUND_UP(bits, 64);
	u64 p, q, m, eval = 0;
	u8 *z, tail[8];

	z = nas_keystream(nas, count, bearer, dir, 20);
	if (IS_ERR(z))
		return PTR_ERR(z);
	p = get_unaligned_be64(z);
	q = get_unaligned_be64(z + 8);
	for (i = 0; i < blocks; i++) {
		if (i + 1 < blocks || bits % 64 == 0) {
			m = get_unaligned_be64(data + 8 * i);
		} else {
			memset(tail, 0, sizeof(tail));
			memcpy(tail, data + 8 * i, DIV_ROUND_UP(bits % 64, 8));
			nas_trim(tail, bits % 64);
			m = get_unaligned_be64(tail);
		}
		eval = nia1_mul64(eval ^ m, p);
	}
	eval = nia1_mul64(eval ^ bits, q);
	put_unaligned_be32((u32)(eval >> 32) ^ get_unaligned_be32(z + 16), mac);
	memzero_explicit(tail, sizeof(tail));
	kfree_sensitive(z);
	return 0;
}

/* The keystream word z_i starting at bit @i (B.2.4, 128-EIA3 4.4). */
static u32 nia3_word(const u8 *z, u32 i)
{
	u64 w = get_unaligned_be64(z + (i / 32) * 4);

	return (u32)(w >> (32 - i % 32));
}

/* 128-NIA3 (B.2.4 = 128-EIA3). */
static int nia3(struct ksf_nas *nas, u32 count, u8 bearer, u8 dir,
		const u8 *data, u32 bits, u8 *mac)
{
	u32 i, t = 0, words = DIV_ROUND_UP(bits, 32) + 2;
	u8 *z;

	/* One spare word so that nia3_word() may read 64 bits. */
	z = nas_keystream(nas, count, bearer, dir, (words + 1) * 4);
	if (IS_ERR(z))
		return PTR_ERR(z);
	for (i = 0; i < bits; i++)
		if (data[i / 8] & (0x80 >> (i % 8)))
			t ^= nia3_word(z, i);
	t ^= nia3_word(z, bits);
	t ^= get_unaligned_be32(z + (words - 1) * 4);
	put_unaligned_be32(t, mac);
	kfree_sensitive(z);
	return 0;
}

/* 128-NIA2 (B.2.3): AES-CMAC over header || message, bit-exact. */
static int nia2(struct ksf_nas *nas, u32 count, u8 bearer, u8 dir,
		const u8 *data, u32 bits, u8 *mac)
{
	unsigned int n = DIV_ROUND_UP(bits, 8), len;
	u8 tag[16];
	u8 *buf;
	int ret;

	len = bits % 8 ? round_up(8 + n, 16) : 8 + n;
	buf = kzalloc(len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	nas_header(buf, count, bearer, dir);
	memcpy(buf + 8, data, n);
	if (bits % 8) {
		nas_trim(buf + 8, bits);
		buf[8 + bits / 8] |= 0x80 >> (bits % 8);
		crypto_xor(buf + len - 16, nas->k1k2, 16);
	}
	ret = crypto_shash_tfm_digest(nas->cmac, buf, len, tag);
	if (!ret)
		memcpy(mac, tag, KSF_NAS_MAC_LEN);
	memzero_explicit(tag, sizeof(tag));
	kfree_sensitive(buf);
	return ret;
}

int ksf_nia(struct ksf_nas *nas, u32 count, u8 bearer, u8 dir,
	    const u8 *data, u32 bits, u8 mac[KSF_NAS_MAC_LEN])
{
	if (bits > KSF_NAS_MAX_BITS)
		return -EINVAL;
	switch (nas->alg) {
	case KSF_NAS_NIA1:
		return nia1(nas, count, bearer, dir, data, bits, mac);
	case KSF_NAS_NIA2:
		return nia2(nas, count, bearer, dir, data, bits, mac);
	case KSF_NAS_NIA3:
		return nia3(nas, count, bearer, dir, data, bits, mac);
	default:
		return -EINVAL;
	}
}
