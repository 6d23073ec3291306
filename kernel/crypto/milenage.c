// SPDX-License-Identifier: GPL-2.0-only
/*
 * MILENAGE f1, f1*, f2, f3, f4, f5, f5* (TS 35.206) on an AES-128
 * transform keyed once per subscriber (crypto_cipher "aes": one block per
 * call, no request or scatterlist), and the AKA sequence number checks of
 * TS 33.102 Annex C as pure functions.
 *
 * SQN freshness follows the array scheme of Annex C.2: the USIM keeps
 * SEQ_MS(i) for each of the a = 32 values of IND and accepts SEQ || IND
 * only if SEQ > SEQ_MS(IND), SEQ - SEQ_MS <= delta for the highest
 * SEQ_MS (protection against wrap around) and, if an age limit L is set,
 * SEQ_MS - SEQ <= L.
 */
/* crypto_xor(); also the unaligned accessors, which 6.12 moved. */
#include <crypto/algapi.h>
#include <crypto/internal/cipher.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/string.h>

#include "milenage.h"

/* 6.13 wants a string here; 6.1 and 6.12 stringify an identifier. */
MODULE_IMPORT_NS(CRYPTO_INTERNAL);

#define SEQ(sqn)	((sqn) >> KSF_SQN_IND_BITS)
#define IND(sqn)	((sqn) & (KSF_SQN_IND_N - 1))

struct crypto_cipher *ksf_milenage_alloc(const u8 *k, unsigned int k_len)
{
	struct crypto_cipher *tfm;
	int ret;

	if (k_len != KSF_MILENAGE_K_LEN)
		return ERR_PTR(-EINVAL);
	tfm = crypto_alloc_cipher("aes", 0, 0);
	if (IS_ERR(tfm))
		return tfm;
	ret = crypto_cipher_setkey(tfm, k, k_len);
	if (ret) {
		crypto_free_cipher(tfm);
		return ERR_PTR(ret);
	}
	return tfm;
}

void ksf_milenage_opc(struct crypto_cipher *tfm, const u8 *op, u8 *opc)
{
	crypto_cipher_encrypt_one(tfm, opc, op);
	crypto_xor(opc, op, 16);
}

/* TEMP = E_K(RAND ^ OPc). */
static void milenage_temp(struct crypto_cipher *tfm, const u8 *opc,
			  const u8 *rand, u8 *temp)
{
	u8 x[16];

	crypto_xor_cpy(x, rand, opc, 16);
	crypto_cipher_encrypt_one(tfm, temp, x);
	memzero_explicit(x, sizeof(x));
}

/*
 * OUTn = E_K(rot(IN ^ OPc, r) ^ X ^ c) ^ OPc, with IN = IN1 and X = TEMP
 * for OUT1, and IN = TEMP, X = 0 for OUT2 .. OUT5.  @rot is r in bytes;
 * c is zero but for its last byte.
 */
static void milenage_out(struct crypto_cipher *tfm, const u8 *opc,
			 const u8 *in, const u8 *x, unsigned int rot, u8 c,
			 u8 *out)
{
	u8 a[16], b[16];
	int i;

	crypto_xor_cpy(a, in, opc, 16);
	for (i = 0; i < 16; i++)
		b[i] = a[(i + rot) % 16];
	if (x)
		crypto_xor(b, x, 16);
	b[15] ^= c;
	crypto_cipher_encrypt_one(tfm, out, b);
	crypto_xor(out, opc, 16);
	memzero_explicit(a, sizeof(a));
	memzero_explicit(b, sizeof(b));
}

void ksf_milenage_f1(struct crypto_cipher *tfm, const u8 *opc,
		     const u8 *rand, const u8 *sqn, const u8 *amf,
		     u8 *mac_a, u8 *mac_s)
{
	u8 temp[16], in1[16], out[16];

	milenage_temp(tfm, opc, rand, temp);
	memcpy(in1, sqn, 6);
	memcpy(in1 + 6, amf, 2);
	memcpy(in1 + 8, in1, 8);
	milenage_out(tfm, opc, in1, temp, 8, 0x00, out);	/* r1 = 64 */
	if (mac_a)
		memcpy(mac_a, out, KSF_MILENAGE_MAC_LEN);
	if (mac_s)
		memcpy(mac_s, out + 8, KSF_MILENAGE_MAC_LEN);
	memzero_explicit(temp, sizeof(temp));
	memzero_explicit(out, sizeof(out));
}

void ksf_milenage_f2345(struct crypto_cipher *tfm, const u8 *opc,
			const u8 *rand, u8 *res, u8 *ck, u8 *ik, u8 *ak)
{
	u8 temp[16], out[16];

	milenage_temp(tfm, opc, rand, temp);
	milenage_out(tfm, opc, temp, NULL, 0, 0x01, out);	/* r2 = 0 */
	if (ak)
		memcpy(ak, out, KSF_MILENAGE_AK_LEN);
	if (res)
		memcpy(res, out + 8, KSF_MILENAGE_RES_LEN);
	if (ck)		/* r3 = 32 */
		milenage_out(tfm, opc, temp, NULL, 4, 0x02, ck);
	if (ik)		/* r4 = 64 */
		milenage_out(tfm, opc, temp, NULL, 8, 0x04, ik);
	memzero_explicit(temp, sizeof(temp));
	memzero_explicit(out, sizeof(out));
}

void ksf_milenage_f5star(struct crypto_cipher *tfm, const u8 *opc,
			 const u8 *rand, u8 *ak_star)
{
	u8 temp[16], out[16];

	milenage_temp(tfm, opc, rand, temp);
	milenage_out(tfm, opc, temp, NULL, 12, 0x08, out);	/* r5 = 96 */
	memcpy(ak_star, out, KSF_MILENAGE_AK_LEN);
	memzero_explicit(temp, sizeof(temp));
	memzero_explicit(out, sizeof(out));
}

void ksf_sqn_ms_init(struct ksf_sqn_ms *ms)
{
	memset(ms, 0, sizeof(*ms));
	ms->delta = KSF_SQN_DELTA;
}

u64 ksf_sqn_ms_highest(const struct ksf_sqn_ms *ms)
{
	unsigned int i, best = 0;

	for (i = 1; i < KSF_SQN_IND_N; i++)
		if (ms->seq[i] > ms->seq[best])
			best = i;
	return ms->seq[best] << KSF_SQN_IND_BITS | best;
}

bool ksf_sqn_fresh(const struct ksf_sqn_ms *ms, u64 sqn)
{
	u64 seq = SEQ(sqn & KSF_SQN_MAX);
	u64 high = SEQ(ksf_sqn_ms_highest(ms));

	if (seq <= ms->seq[IND(sqn)])
		return false;
	if (ms->delta && seq > high && seq - high > ms->delta)
		return false;
	if (ms->limit && high > seq && high - seq > ms->limit)
		return false;
	return true;
}

void ksf_sqn_accept(struct ksf_sqn_ms *ms, u64 sqn)
{
	ms->seq[IND(sqn)] = SEQ(sqn & KSF_SQN_MAX);
}

u64 ksf_sqn_he_next(u64 sqn_he)
{
	u64 seq = SEQ(sqn_he) + 1;

	return (seq << KSF_SQN_IND_BITS | IND(IND(sqn_he) + 1)) & KSF_SQN_MAX;
}

void ksf_milenage_autn(struct crypto_cipher *tfm, const u8 *opc,
		       const u8 *rand, u64 sqn, const u8 *amf, u8 *autn)
{
	u8 sqn_b[KSF_MILENAGE_SQN_LEN], ak[KSF_MILENAGE_AK_LEN];

	put_unaligned_be48(sqn, sqn_b);
	ksf_milenage_f2345(tfm, opc, rand, NULL, NULL, NULL, ak);
	ksf_milenage_f1(tfm, opc, rand, sqn_b, amf, autn + 8, NULL);
	crypto_xor_cpy(autn, sqn_b, ak, KSF_MILENAGE_SQN_LEN);
	memcpy(autn + 6, amf, KSF_MILENAGE_AMF_LEN);
	memzero_explicit(ak, sizeof(ak));
	memzero_explicit(sqn_b, sizeof(sqn_b));
}

void ksf_milenage_auts(struct crypto_cipher *tfm, const u8 *opc,
		       const u8 *rand, u64 sqn_ms, u8 *auts)
{
	static const u8 amf_star[KSF_MILENAGE_AMF_LEN];
	u8 sqn_b[KSF_MILENAGE_SQN_LEN], ak[KSF_MILENAGE_AK_LEN];

	put_unaligned_be48(sqn_ms, sqn_b);
	ksf_milenage_f5star(tfm, opc, rand, ak);
	ksf_milenage_f1(tfm, opc, rand, sqn_b, amf_star, NULL, auts + 6);
	crypto_xor_cpy(auts, sqn_b, ak, KSF_MILENAGE_SQN_LEN);
	memzero_explicit(ak, sizeof(ak));
	memzero_explicit(sqn_b, sizeof(sqn_b));
}

int ksf_milenage_autn_check(struct crypto_cipher *tfm, const u8 *opc,
			    const u8 *rand, const u8 *autn,
			    struct ksf_sqn_ms *ms, u8 *res, u8 *ck, u8 *ik,
			    u8 *auts)
{
	u8 sqn_b[KSF_MILENAGE_SQN_LEN], ak[KSF_MILENAGE_AK_LEN];
	u8 mac[KSF_MILENAGE_MAC_LEN];
	u64 sqn;
	int ret = 0;

	ksf_milenage_f2345(tfm, opc, rand, res, ck, ik, ak);
	crypto_xor_cpy(sqn_b, autn, ak, KSF_MILENAGE_SQN_LEN);
	ksf_milenage_f1(tfm, opc, rand, sqn_b, autn + 6, mac, NULL);
	sqn = get_unaligned_be48(sqn_b);
	if (crypto_memneq(mac, autn + 8, KSF_MILENAGE_MAC_LEN)) {
		ret = -EBADMSG;
	} else if (!ksf_sqn_fresh(ms, sqn)) {
		ksf_milenage_auts(tfm, opc, rand, ksf_sqn_ms_highest(ms), auts);
		ret = -ERANGE;
	} else {
		ksf_sqn_accept(ms, sqn);
	}
	if (ret) {	/* no keys from a rejected challenge */
		if (res)
			memzero_explicit(res, KSF_MILENAGE_RES_LEN);
		if (ck)
			memzero_explicit(ck, KSF_MILENAGE_CK_LEN);
		if (ik)
			memzero_explicit(ik, KSF_MILENAGE_IK_LEN);
	}
	memzero_explicit(ak, sizeof(ak));
	memzero_explicit(mac, sizeof(mac));
	return ret;
}

int ksf_milenage_resync(struct crypto_cipher *tfm, const u8 *opc,
			const u8 *rand, const u8 *auts, u64 delta,
			u64 *sqn_ms, u64 *sqn_he)
{
	static const u8 amf_star[KSF_MILENAGE_AMF_LEN];
	u8 sqn_b[KSF_MILENAGE_SQN_LEN], ak[KSF_MILENAGE_AK_LEN];
	u8 mac[KSF_MILENAGE_MAC_LEN];
	u64 next, ms;
	int ret = 0;

	ksf_milenage_f5star(tfm, opc, rand, ak);
	crypto_xor_cpy(sqn_b, auts, ak, KSF_MILENAGE_SQN_LEN);
	ksf_milenage_f1(tfm, opc, rand, sqn_b, amf_star, NULL, mac);
	if (crypto_memneq(mac, auts + 6, KSF_MILENAGE_MAC_LEN)) {
		ret = -EBADMSG;
		goto out;
	}
	ms = get_unaligned_be48(sqn_b);
	*sqn_ms = ms;
	next = SEQ(ksf_sqn_he_next(*sqn_he));
	if (next <= SEQ(ms) || (delta && next - SEQ(ms) > delta))
		*sqn_he = ms;
out:
	memzero_explicit(ak, sizeof(ak));
	memzero_explicit(mac, sizeof(mac));
	return ret;
}
