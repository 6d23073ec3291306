/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * X25519 (RFC 7748) through the crypto API's "curve25519" kpp: the
 * instance identity and, later, the channel's handshakes.
 */
#ifndef _KSF_CRYPTO_X25519_H
#define _KSF_CRYPTO_X25519_H

#include <linux/types.h>

#define KSF_X25519_LEN	32

void ksf_x25519_generate(u8 priv[KSF_X25519_LEN]);
int ksf_x25519(u8 out[KSF_X25519_LEN], const u8 priv[KSF_X25519_LEN],
	       const u8 *pub);
int ksf_key_id(const u8 pub[KSF_X25519_LEN], u64 *id);

#endif /* _KSF_CRYPTO_X25519_H */
