// SPDX-License-Identifier: GPL-2.0-only
/*
 * Noise_IKpsk2_25519_ChaChaPoly_SHA256 (Noise rev. 34, WireGuard's
 * pattern): the handshake state of one side, its four steps and the split
 * into transport keys.  HASH is SHA-256, HKDF is Noise's over HMAC-SHA-256
 * (both on the module's SHA-256, kdf.c), DH is X25519 (x25519.c, which
 * refuses all-zero results), the AEAD is ChaCha20-Poly1305 (aead.c) with
 * the handshake hash as associated data and nonce 0: each k seals once.
 *
 *   <- s
 *   ...
 *   -> e, es, s, ss          payload: TAI64N
 *   <- e, ee, se, psk        payload: the responder's session index
 *
 * Every intermediate secret lives in struct ksf_noise or on the stack of
 * one step and is wiped; ksf_noise_split() and ksf_noise_free() wipe the
 * state.
 */
#include <crypto/aead.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kdf.h"
#include "noise.h"

static const char protocol[] = "Noise_IKpsk2_25519_ChaChaPoly_SHA256";

/* h = HASH(h || data) */
static int mix_hash(struct ksf_noise *n, const u8 *data, unsigned int len)
{
	if (WARN_ON_ONCE(len > sizeof(n->buf) - KSF_NOISE_LEN))
		return -EINVAL;
	memcpy(n->buf, n->h, KSF_NOISE_LEN);
	memcpy(n->buf + KSF_NOISE_LEN, data, len);
	return ksf_sha256_digest(n->buf, KSF_NOISE_LEN + len, n->h);
}

/*
 * Noise's HKDF(ck, ikm) with 1, 2 or 3 outputs (@o2, @o3 NULL for fewer):
 * t = HMAC(ck, ikm), o1 = HMAC(t, 0x01), oi = HMAC(t, o(i-1) || i).
 * The outputs may be ck itself.
 */
static int hkdf(const u8 ck[KSF_NOISE_LEN], const u8 *ikm, unsigned int len,
		u8 *o1, u8 *o2, u8 *o3)
{
	u8 t[KSF_NOISE_LEN], out[3][KSF_NOISE_LEN];
	u8 *dst[3] = { o1, o2, o3 };
	int i, ret;

	ret = ksf_hmac_sha256(ck, KSF_NOISE_LEN, ikm, len, NULL, 0, t);
	for (i = 0; !ret && i < 3 && dst[i]; i++) {
		u8 c = i + 1;

		ret = i ? ksf_hmac_sha256(t, sizeof(t), out[i - 1],
					  KSF_NOISE_LEN, &c, 1, out[i]) :
			  ksf_hmac_sha256(t, sizeof(t), &c, 1, NULL, 0, out[i]);
	}
	for (i = 0; !ret && i < 3 && dst[i]; i++)
		memcpy(dst[i], out[i], KSF_NOISE_LEN);
	memzero_explicit(t, sizeof(t));
	memzero_explicit(out, sizeof(out));
	return ret;
}

/* ck = HKDF1(ck, DH(@priv, @pub)), or with @k: (ck, k) = HKDF2(...) */
static int mix_dh(struct ksf_noise *n, const u8 *priv, const u8 *pub, u8 *k)
{
	u8 dh[KSF_X25519_LEN];
	int ret;

	ret = ksf_x25519(dh, priv, pub);
	if (!ret)
		ret = hkdf(n->ck, dh, sizeof(dh), n->ck, k, NULL);
	memzero_explicit(dh, sizeof(dh));
	return ret;
}

/* The "e" token in psk mode: h = HASH(h || e), ck = HKDF1(ck, e). */
static int mix_e(struct ksf_noise *n, const u8 e[KSF_X25519_LEN])
{
	int ret = mix_hash(n, e, KSF_X25519_LEN);

	return ret ?: hkdf(n->ck, e, KSF_X25519_LEN, n->ck, NULL, NULL);
}

/*
 * Seals (@seal) @len bytes of @in into @out (@len + tag) under k, the
 * handshake hash as associated data, or opens @in (@len bytes with its
 * tag) into @out; then h = HASH(h || ciphertext).
 */
static int crypt_and_hash(struct ksf_noise *n, bool seal, const u8 *in,
			  unsigned int len, u8 *out)
{
	unsigned int text = seal ? len : len - KSF_AEAD_TAG_LEN;
	struct crypto_aead *tfm;
	u8 *ct = n->buf + KSF_NOISE_LEN;
	int ret;

	tfm = ksf_chachapoly_tfm(n->k);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	memcpy(n->buf, n->h, KSF_NOISE_LEN);
	memcpy(ct, in, len);
	ret = ksf_aead_crypt(tfm, seal, n->buf, KSF_NOISE_LEN, text, n->nonce);
	crypto_free_aead(tfm);
	if (ret)
		goto out;
	if (seal) {
		memcpy(out, ct, text + KSF_AEAD_TAG_LEN);
		ret = mix_hash(n, out, text + KSF_AEAD_TAG_LEN);
	} else {
		memcpy(out, ct, text);
		ret = mix_hash(n, in, len);
	}
out:
	memzero_explicit(n->buf, sizeof(n->buf));
	return ret;
}

/* A fresh ephemeral key pair, sent and mixed. */
static int new_e(struct ksf_noise *n, u8 out[KSF_X25519_LEN])
{
	int ret;

	ksf_x25519_generate(n->e_priv);
	ret = ksf_x25519(n->e_pub, n->e_priv, NULL);
	if (ret)
		return ret;
	memcpy(out, n->e_pub, KSF_X25519_LEN);
	return mix_e(n, n->e_pub);
}

/*
 * A handshake between an initiator and @responder (its static public key:
 * the initiator's peer, or the responder's own), bound to @prologue (the
 * clear header of the first message).
 */
struct ksf_noise *ksf_noise_new(const u8 *prologue, unsigned int len,
				const u8 responder[KSF_X25519_LEN])
{
	struct ksf_noise *n;
	int ret;

	if (len > KSF_NOISE_PROLOGUE_MAX)
		return ERR_PTR(-EINVAL);
	n = kzalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return ERR_PTR(-ENOMEM);
	ret = ksf_sha256_digest(protocol, sizeof(protocol) - 1, n->h);
	memcpy(n->ck, n->h, KSF_NOISE_LEN);
	if (!ret)
		ret = mix_hash(n, prologue, len);
	if (!ret)
		ret = mix_hash(n, responder, KSF_X25519_LEN);
	memcpy(n->rs, responder, KSF_X25519_LEN);
	if (ret) {
		ksf_noise_free(n);
		return ERR_PTR(ret);
	}
	return n;
}

void ksf_noise_free(struct ksf_noise *n)
{
	kfree_sensitive(n);
}

/* Initiator: -> e, es, s, ss with the timestamp @ts. */
int ksf_noise_init_write(struct ksf_noise *n, const u8 s_priv[KSF_X25519_LEN],
			 const u8 s_pub[KSF_X25519_LEN],
			 const u8 ts[KSF_NOISE_TS_LEN],
			 u8 out[KSF_NOISE_INIT_LEN])
{
	u8 *c_s = out + KSF_X25519_LEN;
	u8 *c_t = c_s + KSF_X25519_LEN + KSF_AEAD_TAG_LEN;
	int ret;

	ret = new_e(n, out);
	if (!ret)
		ret = mix_dh(n, n->e_priv, n->rs, n->k);		/* es */
	if (!ret)
		ret = crypt_and_hash(n, true, s_pub, KSF_X25519_LEN, c_s);
	if (!ret)
		ret = mix_dh(n, s_priv, n->rs, n->k);		/* ss */
	if (!ret)
		ret = crypt_and_hash(n, true, ts, KSF_NOISE_TS_LEN, c_t);
	return ret;
}

/*
 * Responder (@s_priv: its static key): reads the first message; the
 * initiator's static key is then n->rs, its timestamp @ts.  -EBADMSG: it
 * does not authenticate (tampered, or not for this responder).
 */
int ksf_noise_init_read(struct ksf_noise *n, const u8 s_priv[KSF_X25519_LEN],
			const u8 in[KSF_NOISE_INIT_LEN],
			u8 ts[KSF_NOISE_TS_LEN])
{
	const u8 *c_s = in + KSF_X25519_LEN;
	const u8 *c_t = c_s + KSF_X25519_LEN + KSF_AEAD_TAG_LEN;
	int ret;

	memcpy(n->re, in, KSF_X25519_LEN);
	ret = mix_e(n, n->re);
	if (!ret)
		ret = mix_dh(n, s_priv, n->re, n->k);		/* es */
	if (!ret)
		ret = crypt_and_hash(n, false, c_s,
				     KSF_X25519_LEN + KSF_AEAD_TAG_LEN, n->rs);
	if (!ret)
		ret = mix_dh(n, s_priv, n->rs, n->k);		/* ss */
	if (!ret)
		ret = crypt_and_hash(n, false, c_t,
				     KSF_NOISE_TS_LEN + KSF_AEAD_TAG_LEN, ts);
	return ret;
}

/* (ck, t, k) = HKDF3(ck, psk); h = HASH(h || t) */
static int mix_psk(struct ksf_noise *n, const u8 psk[KSF_NOISE_LEN])
{
	u8 t[KSF_NOISE_LEN];
	int ret;

	ret = hkdf(n->ck, psk, KSF_NOISE_LEN, n->ck, t, n->k);
	if (!ret)
		ret = mix_hash(n, t, sizeof(t));
	memzero_explicit(t, sizeof(t));
	return ret;
}

/* Responder: <- e, ee, se, psk with @payload. */
int ksf_noise_resp_write(struct ksf_noise *n, const u8 psk[KSF_NOISE_LEN],
			 const u8 payload[KSF_NOISE_PAYLOAD_LEN],
			 u8 out[KSF_NOISE_RESP_LEN])
{
	int ret;

	ret = new_e(n, out);
	if (!ret)
		ret = mix_dh(n, n->e_priv, n->re, NULL);		/* ee */
	if (!ret)
		ret = mix_dh(n, n->e_priv, n->rs, NULL);		/* se */
	if (!ret)
		ret = mix_psk(n, psk);
	if (!ret)
		ret = crypt_and_hash(n, true, payload, KSF_NOISE_PAYLOAD_LEN,
				     out + KSF_X25519_LEN);
	return ret;
}

/* Initiator (@s_priv: its static key): reads the response. */
int ksf_noise_resp_read(struct ksf_noise *n, const u8 s_priv[KSF_X25519_LEN],
			const u8 psk[KSF_NOISE_LEN],
			const u8 in[KSF_NOISE_RESP_LEN],
			u8 payload[KSF_NOISE_PAYLOAD_LEN])
{
	int ret;

	memcpy(n->re, in, KSF_X25519_LEN);
	ret = mix_e(n, n->re);
	if (!ret)
		ret = mix_dh(n, n->e_priv, n->re, NULL);		/* ee */
	if (!ret)
		ret = mix_dh(n, s_priv, n->re, NULL);		/* se */
	if (!ret)
		ret = mix_psk(n, psk);
	if (!ret)
		ret = crypt_and_hash(n, false, in + KSF_X25519_LEN,
				     KSF_NOISE_PAYLOAD_LEN + KSF_AEAD_TAG_LEN,
				     payload);
	return ret;
}

/*
 * The transport keys, (i->r, r->i) = HKDF2(ck, ""), as @send and @recv
 * of this side; the handshake state is wiped.
 */
int ksf_noise_split(struct ksf_noise *n, bool initiator,
		    u8 send[KSF_NOISE_LEN], u8 recv[KSF_NOISE_LEN])
{
	u8 t1[KSF_NOISE_LEN], t2[KSF_NOISE_LEN];
	int ret;

	ret = hkdf(n->ck, NULL, 0, t1, t2, NULL);
	if (!ret) {
		memcpy(send, initiator ? t1 : t2, KSF_NOISE_LEN);
		memcpy(recv, initiator ? t2 : t1, KSF_NOISE_LEN);
	}
	memzero_explicit(t1, sizeof(t1));
	memzero_explicit(t2, sizeof(t2));
	memzero_explicit(n, sizeof(*n));
	return ret;
}
