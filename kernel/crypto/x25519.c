// SPDX-License-Identifier: GPL-2.0-only
/*
 * X25519 through the "curve25519" kpp (curve25519-x86_64 or -generic):
 * a private key's public key, and the shared secret with a peer's
 * public key.
 */
#include <crypto/algapi.h>
#include <crypto/kpp.h>
#include <linux/random.h>

#include "kdf.h"
#include "kpp.h"
#include "x25519.h"

/* A random private key, clamped as RFC 7748 section 5 decodes scalars. */
void ksf_x25519_generate(u8 priv[KSF_X25519_LEN])
{
	get_random_bytes(priv, KSF_X25519_LEN);
	priv[0] &= 248;
	priv[31] = (priv[31] & 127) | 64;
}

/*
 * @out = X25519(@priv, @pub), or with @pub NULL the public key of @priv.
 * -EKEYREJECTED for a peer key of small order (an all-zero secret, RFC
 * 7748 section 6.1) or an all-zero private key.
 */
int ksf_x25519(u8 out[KSF_X25519_LEN], const u8 priv[KSF_X25519_LEN],
	       const u8 *pub)
{
	static const u8 zero[KSF_X25519_LEN];
	struct crypto_kpp *tfm;
	int ret;

	tfm = crypto_alloc_kpp("curve25519", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	ret = crypto_kpp_set_secret(tfm, priv, KSF_X25519_LEN);
	if (ret)
		ret = -EKEYREJECTED;
	else
		ret = ksf_kpp_run(tfm, pub, pub ? KSF_X25519_LEN : 0, out,
				  KSF_X25519_LEN);
	if (!ret && !crypto_memneq(out, zero, KSF_X25519_LEN))
		ret = -EKEYREJECTED;
	crypto_free_kpp(tfm);	/* wipes the secret it held */
	return ret;
}

/* First 8 bytes of SHA-256("ksf key id" || @pub), big-endian. */
int ksf_key_id(const u8 pub[KSF_X25519_LEN], u64 *id)
{
	static const char label[] = "ksf key id";
	u8 buf[sizeof(label) - 1 + KSF_X25519_LEN], h[32];
	int ret;

	memcpy(buf, label, sizeof(label) - 1);
	memcpy(buf + sizeof(label) - 1, pub, KSF_X25519_LEN);
	ret = ksf_sha256_digest(buf, sizeof(buf), h);
	*id = get_unaligned_be64(h);
	return ret;
}
