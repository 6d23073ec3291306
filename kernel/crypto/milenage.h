/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MILENAGE (TS 35.205, TS 35.206) and the AKA sequence number handling of
 * TS 33.102 6.3 and Annex C.
 */
#ifndef _KSF_MILENAGE_H
#define _KSF_MILENAGE_H

#include <linux/bits.h>
#include <linux/types.h>

struct crypto_cipher;

#define KSF_MILENAGE_K_LEN	16
#define KSF_MILENAGE_OP_LEN	16
#define KSF_MILENAGE_RAND_LEN	16
#define KSF_MILENAGE_SQN_LEN	6
#define KSF_MILENAGE_AMF_LEN	2
#define KSF_MILENAGE_MAC_LEN	8	/* MAC-A, MAC-S */
#define KSF_MILENAGE_RES_LEN	8
#define KSF_MILENAGE_CK_LEN	16
#define KSF_MILENAGE_IK_LEN	16
#define KSF_MILENAGE_AK_LEN	6
#define KSF_AUTN_LEN		16	/* SQN ^ AK || AMF || MAC-A */
#define KSF_AUTS_LEN		14	/* SQN_MS ^ AK* || MAC-S */

/*
 * The AES-128 transform keyed with the subscriber key K, prepared once
 * per key (crypto_cipher "aes").  Free with crypto_free_cipher(), which
 * wipes the key schedule.  K must be 16 bytes, else -EINVAL.
 */
struct crypto_cipher *ksf_milenage_alloc(const u8 *k, unsigned int k_len);

/* OPc = OP ^ E_K(OP). */
void ksf_milenage_opc(struct crypto_cipher *tfm, const u8 *op, u8 *opc);

/* f1 (MAC-A) and f1* (MAC-S); either output may be NULL. */
void ksf_milenage_f1(struct crypto_cipher *tfm, const u8 *opc,
		     const u8 *rand, const u8 *sqn, const u8 *amf,
		     u8 *mac_a, u8 *mac_s);

/* f2 (RES), f3 (CK), f4 (IK), f5 (AK); any output may be NULL. */
void ksf_milenage_f2345(struct crypto_cipher *tfm, const u8 *opc,
			const u8 *rand, u8 *res, u8 *ck, u8 *ik, u8 *ak);

/* f5* (AK for resynchronisation). */
void ksf_milenage_f5star(struct crypto_cipher *tfm, const u8 *opc,
			 const u8 *rand, u8 *ak_star);

/*
 * Sequence numbers (TS 33.102 Annex C): SQN = SEQ || IND, 48 bits, with
 * IND the KSF_SQN_IND_BITS low bits (C.1.2; a = 32 array entries as in the
 * profile of C.3).
 * Values are held in the low 48 bits of a u64.
 */
#define KSF_SQN_IND_BITS	5
#define KSF_SQN_IND_N		BIT(KSF_SQN_IND_BITS)
#define KSF_SQN_MAX		(BIT_ULL(48) - 1)
#define KSF_SQN_DELTA		BIT_ULL(28)	/* delta of the C.3 profile */

/* The USIM's state of C.2: SEQ_MS(i) for each IND value i. */
struct ksf_sqn_ms {
	u64 seq[KSF_SQN_IND_N];
	u64 delta;		/* wrap-around limit, 0: none */
	u64 limit;		/* age limit L, 0: not used */
};

void ksf_sqn_ms_init(struct ksf_sqn_ms *ms);
/* SQN_MS for AUTS: the highest accepted SEQ_MS with the IND it came with. */
u64 ksf_sqn_ms_highest(const struct ksf_sqn_ms *ms);
/* Annex C.2: true if @sqn is fresh for @ms (see milenage.c). */
bool ksf_sqn_fresh(const struct ksf_sqn_ms *ms, u64 sqn);
/* Records an accepted @sqn: SEQ_MS(IND) = SEQ. */
void ksf_sqn_accept(struct ksf_sqn_ms *ms, u64 sqn);
/* Annex C.1 in the AuC: SEQ_HE + 1, IND stepping cyclically. */
u64 ksf_sqn_he_next(u64 sqn_he);

/* Network side: AUTN = (SQN ^ AK) || AMF || MAC-A. */
void ksf_milenage_autn(struct crypto_cipher *tfm, const u8 *opc,
		       const u8 *rand, u64 sqn, const u8 *amf, u8 *autn);

/*
 * USIM side (TS 33.102 6.3): checks MAC-A, then the freshness of SQN.
 * 0: accepted, @ms updated, @res, @ck, @ik set (any may be NULL).
 * -EBADMSG: MAC failure.  -ERANGE: synchronisation failure, @auts set
 * from the highest accepted SQN_MS (MAC-S with the dummy AMF 0x0000).
 */
int ksf_milenage_autn_check(struct crypto_cipher *tfm, const u8 *opc,
			    const u8 *rand, const u8 *autn,
			    struct ksf_sqn_ms *ms, u8 *res, u8 *ck, u8 *ik,
			    u8 *auts);

/* USIM side: AUTS = (SQN_MS ^ AK*) || MAC-S. */
void ksf_milenage_auts(struct crypto_cipher *tfm, const u8 *opc,
		       const u8 *rand, u64 sqn_ms, u8 *auts);

/*
 * Network side resynchronisation (6.3.5): verifies MAC-S of @auts
 * (-EBADMSG if wrong), recovers SQN_MS into @sqn_ms, and sets @sqn_he to
 * SQN_MS if the next SQN from @sqn_he would not be accepted (not above
 * SEQ_MS, or more than @delta above; @delta 0: no upper bound).
 */
int ksf_milenage_resync(struct crypto_cipher *tfm, const u8 *opc,
			const u8 *rand, const u8 *auts, u64 delta,
			u64 *sqn_ms, u64 *sqn_he);

#endif /* _KSF_MILENAGE_H */
