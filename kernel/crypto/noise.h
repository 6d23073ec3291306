/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The handshake of the channel between instances: Noise_IKpsk2_25519_
 * ChaChaPoly_SHA256, WireGuard's pattern with SHA-256 for BLAKE2s
 * (channel.rst "Handshake").  The message bodies only: the clear header
 * around them is bound in through the prologue by the caller.
 */
#ifndef _KSF_CRYPTO_NOISE_H
#define _KSF_CRYPTO_NOISE_H

#include <linux/types.h>

#include "aead.h"
#include "x25519.h"

#define KSF_NOISE_LEN		32	/* HASHLEN, DHLEN, key */
#define KSF_NOISE_TS_LEN	12	/* TAI64N */
#define KSF_NOISE_PAYLOAD_LEN	4	/* the responder's session index */
#define KSF_NOISE_PROLOGUE_MAX	64
/* E_i | AEAD(S_i) | AEAD(TAI64N) */
#define KSF_NOISE_INIT_LEN	(2 * KSF_NOISE_LEN + KSF_AEAD_TAG_LEN + \
				 KSF_NOISE_TS_LEN + KSF_AEAD_TAG_LEN)
/* E_r | AEAD(index) */
#define KSF_NOISE_RESP_LEN	(KSF_NOISE_LEN + KSF_NOISE_PAYLOAD_LEN + \
				 KSF_AEAD_TAG_LEN)

/* One side's handshake state: kmalloc'd (AEAD buffers), freed wiped. */
struct ksf_noise {
	u8 h[KSF_NOISE_LEN];
	u8 ck[KSF_NOISE_LEN];
	u8 k[KSF_NOISE_LEN];
	u8 e_priv[KSF_X25519_LEN];
	u8 e_pub[KSF_X25519_LEN];
	u8 re[KSF_X25519_LEN];		/* the other side's ephemeral */
	u8 rs[KSF_X25519_LEN];		/* the other side's static */
	u8 nonce[KSF_AEAD_NONCE_LEN];	/* zero: each k seals once */
	u8 buf[KSF_NOISE_LEN + KSF_NOISE_PROLOGUE_MAX + KSF_AEAD_TAG_LEN];
};

struct ksf_noise *ksf_noise_new(const u8 *prologue, unsigned int len,
				const u8 responder[KSF_X25519_LEN]);
void ksf_noise_free(struct ksf_noise *n);
int ksf_noise_init_write(struct ksf_noise *n, const u8 s_priv[KSF_X25519_LEN],
			 const u8 s_pub[KSF_X25519_LEN],
			 const u8 ts[KSF_NOISE_TS_LEN],
			 u8 out[KSF_NOISE_INIT_LEN]);
int ksf_noise_init_read(struct ksf_noise *n, const u8 s_priv[KSF_X25519_LEN],
			const u8 in[KSF_NOISE_INIT_LEN],
			u8 ts[KSF_NOISE_TS_LEN]);
int ksf_noise_resp_write(struct ksf_noise *n, const u8 psk[KSF_NOISE_LEN],
			 const u8 payload[KSF_NOISE_PAYLOAD_LEN],
			 u8 out[KSF_NOISE_RESP_LEN]);
int ksf_noise_resp_read(struct ksf_noise *n, const u8 s_priv[KSF_X25519_LEN],
			const u8 psk[KSF_NOISE_LEN],
			const u8 in[KSF_NOISE_RESP_LEN],
			u8 payload[KSF_NOISE_PAYLOAD_LEN]);
int ksf_noise_split(struct ksf_noise *n, bool initiator,
		    u8 send[KSF_NOISE_LEN], u8 recv[KSF_NOISE_LEN]);

#endif /* _KSF_CRYPTO_NOISE_H */
