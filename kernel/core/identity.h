/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The identity of an instance: its static X25519 key pair, generated in
 * the kernel, kept across save/restore.  The public key is readable (as
 * a WireGuard interface's); the private key leaves only sealed in a save.
 */
#ifndef _KSF_CORE_IDENTITY_H
#define _KSF_CORE_IDENTITY_H

#include "../crypto/x25519.h"

struct ksf_net;

int ksf_identity_init(struct ksf_net *kn);
void ksf_identity_destroy(struct ksf_net *kn);
void ksf_identity_public(struct ksf_net *kn, u8 pub[KSF_X25519_LEN]);
u64 ksf_identity_key_id(struct ksf_net *kn);
void ksf_identity_private(struct ksf_net *kn, u8 priv[KSF_X25519_LEN]);
void ksf_identity_install(struct ksf_net *kn, const u8 priv[KSF_X25519_LEN],
			  const u8 pub[KSF_X25519_LEN]);

#endif /* _KSF_CORE_IDENTITY_H */
