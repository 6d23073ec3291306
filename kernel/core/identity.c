// SPDX-License-Identifier: GPL-2.0-only
/*
 * The static X25519 key pair of an instance.  Readers copy it under
 * identity_lock, so a restore that replaces it is seen whole or not at
 * all; whoever copies the private key wipes the copy.
 */
#include <linux/string.h>

#include "../ksf.h"
#include "identity.h"

/* A new key pair for a new instance. */
int ksf_identity_init(struct ksf_net *kn)
{
	u8 priv[KSF_X25519_LEN], pub[KSF_X25519_LEN];
	int ret;

	spin_lock_init(&kn->identity_lock);
	ksf_x25519_generate(priv);
	ret = ksf_x25519(pub, priv, NULL);
	if (!ret)
		ksf_identity_install(kn, priv, pub);
	memzero_explicit(priv, sizeof(priv));
	return ret;
}

void ksf_identity_destroy(struct ksf_net *kn)
{
	memzero_explicit(kn->identity_priv, sizeof(kn->identity_priv));
}

void ksf_identity_public(struct ksf_net *kn, u8 pub[KSF_X25519_LEN])
{
	spin_lock_bh(&kn->identity_lock);
	memcpy(pub, kn->identity_pub, KSF_X25519_LEN);
	spin_unlock_bh(&kn->identity_lock);
}

/* How blobs name this instance (channel.c). */
u64 ksf_identity_key_id(struct ksf_net *kn)
{
	u64 id;

	spin_lock_bh(&kn->identity_lock);
	id = kn->identity_key_id;
	spin_unlock_bh(&kn->identity_lock);
	return id;
}

void ksf_identity_private(struct ksf_net *kn, u8 priv[KSF_X25519_LEN])
{
	spin_lock_bh(&kn->identity_lock);
	memcpy(priv, kn->identity_priv, KSF_X25519_LEN);
	spin_unlock_bh(&kn->identity_lock);
}

/* Replaces the key pair (a restore's, checked: @pub is @priv's). */
void ksf_identity_install(struct ksf_net *kn, const u8 priv[KSF_X25519_LEN],
			  const u8 pub[KSF_X25519_LEN])
{
	u64 id;

	ksf_key_id(pub, &id);	/* cannot fail: a software SHA-256 */
	spin_lock_bh(&kn->identity_lock);
	memcpy(kn->identity_priv, priv, KSF_X25519_LEN);
	memcpy(kn->identity_pub, pub, KSF_X25519_LEN);
	kn->identity_key_id = id;
	spin_unlock_bh(&kn->identity_lock);
}
