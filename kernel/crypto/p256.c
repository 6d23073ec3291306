// SPDX-License-Identifier: GPL-2.0-only
/*
 * P-256 (secp256r1, SEC 2) for SUCI Profile B: key agreement through the
 * crypto API's "ecdh-nist-p256" kpp, and the one thing that kpp lacks, a
 * compressed point (SEC 1 2.3.4): y from x as the square root of
 * x^3 - 3x + b mod p, by the exponent (p + 1) / 4 (p = 3 mod 4).
 *
 * The field arithmetic below is the only cryptographic code of ksf
 * outside the crypto API.  It handles public points only (the ephemeral
 * key of a SUCI, a home network public key), so it need not run in
 * constant time and does not: a multiplication is 256 doublings and
 * additions mod p.  Every point it returns is on the curve, with both
 * coordinates below p; the kpp checks them again (SP 800-56A partial
 * validation) before it multiplies.
 */
#include <crypto/algapi.h>	/* the unaligned accessors, which 6.12 moved */
#include <crypto/kpp.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kpp.h"
#include "p256.h"

/* A field element: four 64-bit limbs, least significant first. */
typedef u64 fe[4];

static const fe p256_p = {
	0xffffffffffffffffULL, 0x00000000ffffffffULL,
	0x0000000000000000ULL, 0xffffffff00000001ULL,
};

static const fe p256_b = {
	0x3bce3c3e27d2604bULL, 0x651d06b0cc53b0f6ULL,
	0xb3ebbd55769886bcULL, 0x5ac635d8aa3a93e7ULL,
};

/* the order of the base point */
static const fe p256_n = {
	0xf3b9cac2fc632551ULL, 0xbce6faada7179e84ULL,
	0xffffffffffffffffULL, 0xffffffff00000000ULL,
};

/* (p + 1) / 4 */
static const fe p256_sqrt_exp = {
	0x0000000000000000ULL, 0x0000000040000000ULL,
	0x4000000000000000ULL, 0x3fffffffc0000000ULL,
};

static void fe_from_be(fe r, const u8 in[KSF_P256_LEN])
{
	int i;

	for (i = 0; i < 4; i++)
		r[i] = get_unaligned_be64(in + 8 * (3 - i));
}

static void fe_to_be(u8 out[KSF_P256_LEN], const fe a)
{
	int i;

	for (i = 0; i < 4; i++)
		put_unaligned_be64(a[i], out + 8 * (3 - i));
}

/* -1, 0, 1 as a < b, a == b, a > b */
static int fe_cmp(const fe a, const fe b)
{
	int i;

	for (i = 3; i >= 0; i--)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* r = a - b, the borrow out */
static u64 fe_sub_raw(fe r, const fe a, const fe b)
{
	u64 borrow = 0, t;
	int i;

	for (i = 0; i < 4; i++) {
		t = a[i] - b[i] - borrow;
		borrow = borrow ? a[i] <= b[i] : a[i] < b[i];
		r[i] = t;
	}
	return borrow;
}

/* r = a + b mod p, for a, b < p */
static void fe_add(fe r, const fe a, const fe b)
{
	u64 carry = 0, t;
	fe s;
	int i;

	for (i = 0; i < 4; i++) {
		t = a[i] + carry;
		carry = t < carry;
		s[i] = t + b[i];
		carry += s[i] < t;
	}
	if (carry || fe_cmp(s, p256_p) >= 0)
		fe_sub_raw(s, s, p256_p);
	memcpy(r, s, sizeof(fe));
}

/* r = a - b mod p, for a, b < p */
static void fe_sub(fe r, const fe a, const fe b)
{
	fe s;

	if (fe_sub_raw(s, a, b)) {
		u64 carry = 0, t;
		int i;

		for (i = 0; i < 4; i++) {	/* s + p, dropping the carry */
			t = s[i] + carry;
			carry = t < carry;
			s[i] = t + p256_p[i];
			carry += s[i] < t;
		}
	}
	memcpy(r, s, sizeof(fe));
}

/* r = a * b mod p: double and add over the bits of b */
static void fe_mul(fe r, const fe a, const fe b)
{
	fe acc = {};
	int i;

	for (i = 255; i >= 0; i--) {
		fe_add(acc, acc, acc);
		if (b[i / 64] >> (i % 64) & 1)
			fe_add(acc, acc, a);
	}
	memcpy(r, acc, sizeof(fe));
}

/* r = a^e mod p */
static void fe_pow(fe r, const fe a, const fe e)
{
	fe acc = { 1 };
	int i;

	for (i = 255; i >= 0; i--) {
		fe_mul(acc, acc, acc);
		if (e[i / 64] >> (i % 64) & 1)
			fe_mul(acc, acc, a);
	}
	memcpy(r, acc, sizeof(fe));
}

/* r = x^3 - 3x + b mod p: y^2 of the point with this x */
static void p256_rhs(fe r, const fe x)
{
	fe t;

	fe_mul(t, x, x);
	fe_mul(t, t, x);
	fe_sub(t, t, x);
	fe_sub(t, t, x);
	fe_sub(t, t, x);
	fe_add(r, t, p256_b);
}

/* Both coordinates below p and y^2 = x^3 - 3x + b. */
int ksf_p256_check(const u8 xy[2 * KSF_P256_LEN])
{
	fe x, y, lhs, rhs;

	fe_from_be(x, xy);
	fe_from_be(y, xy + KSF_P256_LEN);
	if (fe_cmp(x, p256_p) >= 0 || fe_cmp(y, p256_p) >= 0)
		return -EINVAL;
	fe_mul(lhs, y, y);
	p256_rhs(rhs, x);
	return fe_cmp(lhs, rhs) ? -EINVAL : 0;
}

/*
 * @xy = the point of the compressed @in (0x02 or 0x03 || x); -EINVAL if
 * the prefix is neither, x >= p, or no point of the curve has this x.
 */
int ksf_p256_decompress(const u8 in[KSF_P256_COMPRESSED_LEN],
			u8 xy[2 * KSF_P256_LEN])
{
	fe x, y, rhs, sq;

	if (in[0] != 0x02 && in[0] != 0x03)
		return -EINVAL;
	fe_from_be(x, in + 1);
	if (fe_cmp(x, p256_p) >= 0)
		return -EINVAL;
	p256_rhs(rhs, x);
	fe_pow(y, rhs, p256_sqrt_exp);
	fe_mul(sq, y, y);
	if (fe_cmp(sq, rhs))
		return -EINVAL;		/* rhs is not a square: no point */
	if ((y[0] & 1) != (in[0] & 1)) {
		static const fe zero;

		if (!fe_cmp(y, zero))
			return -EINVAL;	/* y = 0 has no odd twin */
		fe_sub(y, zero, y);
	}
	memcpy(xy, in + 1, KSF_P256_LEN);
	fe_to_be(xy + KSF_P256_LEN, y);
	return 0;
}

/* @out = 0x02 or 0x03 (the parity of y) || x of the point @xy. */
void ksf_p256_compress(const u8 xy[2 * KSF_P256_LEN],
		       u8 out[KSF_P256_COMPRESSED_LEN])
{
	out[0] = 0x02 | (xy[2 * KSF_P256_LEN - 1] & 1);
	memcpy(out + 1, xy, KSF_P256_LEN);
}

/*
 * The secret as the kpp takes it (crypto_ecdh_encode_key()'s format: a
 * struct kpp_secret, the key's length, the key), packed here: that
 * helper lives in the ecdh module, and a symbol of it would make ksf.ko
 * need the module loaded before it (insmod resolves nothing), whereas
 * crypto_alloc_kpp() loads the algorithm's module on first use.
 */
#define P256_SECRET_LEN	(sizeof(struct kpp_secret) + sizeof(u16) + \
			 KSF_P256_LEN)

static void p256_secret(u8 buf[P256_SECRET_LEN], const u8 priv[KSF_P256_LEN])
{
	struct kpp_secret secret = { .type = CRYPTO_KPP_SECRET_TYPE_ECDH,
				     .len = P256_SECRET_LEN };
	u16 key_size = KSF_P256_LEN;

	memcpy(buf, &secret, sizeof(secret));
	memcpy(buf + sizeof(secret), &key_size, sizeof(key_size));
	memcpy(buf + sizeof(secret) + sizeof(key_size), priv, KSF_P256_LEN);
}

/*
 * An "ecdh-nist-p256" kpp holding the private key @priv (big endian);
 * ERR_PTR(-EKEYREJECTED) if it is not in [1, n - 1] or the kpp refuses it
 * (6.12 accepts [2, n - 3]: less three keys no RNG draws).
 */
struct crypto_kpp *ksf_p256_tfm(const u8 priv[KSF_P256_LEN])
{
	static const fe zero;
	struct crypto_kpp *tfm;
	fe d;
	u8 *buf;
	int ret;

	/*
	 * 0 < d < n (SP 800-56A 5.6.1.2), checked here too: 6.1's kpp checks
	 * the range of the key's bytes reversed (fixed in 6.10).
	 */
	fe_from_be(d, priv);
	ret = !fe_cmp(d, zero) || fe_cmp(d, p256_n) >= 0;
	memzero_explicit(d, sizeof(d));
	if (ret)
		return ERR_PTR(-EKEYREJECTED);
	tfm = crypto_alloc_kpp("ecdh-nist-p256", 0, 0);
	if (IS_ERR(tfm))
		return tfm;
	buf = kmalloc(P256_SECRET_LEN, GFP_KERNEL);
	ret = -ENOMEM;
	if (buf) {
		p256_secret(buf, priv);
		ret = crypto_kpp_set_secret(tfm, buf, P256_SECRET_LEN) ?
		      -EKEYREJECTED : 0;
		kfree_sensitive(buf);
	}
	if (ret) {
		crypto_free_kpp(tfm);
		return ERR_PTR(ret);
	}
	return tfm;
}

/*
 * A random private key the kpp accepts, and its kpp: a draw outside
 * [2, n - 3] (about 2^-32) is drawn again.
 */
struct crypto_kpp *ksf_p256_generate(u8 priv[KSF_P256_LEN])
{
	struct crypto_kpp *tfm = ERR_PTR(-EKEYREJECTED);
	int tries;

	for (tries = 0; tries < 4 && PTR_ERR(tfm) == -EKEYREJECTED; tries++) {
		get_random_bytes(priv, KSF_P256_LEN);
		tfm = ksf_p256_tfm(priv);
	}
	return tfm;
}

/* The public point x || y of the private key @tfm holds. */
int ksf_p256_public(struct crypto_kpp *tfm, u8 xy[2 * KSF_P256_LEN])
{
	return ksf_kpp_run(tfm, NULL, 0, xy, 2 * KSF_P256_LEN);
}

/*
 * @z = the x coordinate of the private key of @tfm times the point @xy
 * (the ECDH shared secret; P-256's cofactor is 1).  -EINVAL for a point
 * off the curve (the kpp's check).
 */
int ksf_p256_shared(struct crypto_kpp *tfm, const u8 xy[2 * KSF_P256_LEN],
		    u8 z[KSF_P256_LEN])
{
	return ksf_kpp_run(tfm, xy, 2 * KSF_P256_LEN, z, KSF_P256_LEN);
}
