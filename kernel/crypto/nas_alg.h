/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The 5G NAS/AS ciphering and integrity algorithms 128-NEA1/2/3 and
 * 128-NIA1/2/3 (TS 33.501 D.2, D.3 = TS 33.401 B.1, B.2), and the SNOW 3G
 * and ZUC keystream generators ksf registers with the crypto API for them.
 */
#ifndef _KSF_NAS_ALG_H
#define _KSF_NAS_ALG_H

#include <linux/crypto.h>
#include <linux/types.h>

#define KSF_NAS_KEY_LEN		16
#define KSF_NAS_MAC_LEN		4
#define KSF_NAS_MAX_LEN		65535		/* bytes of one message */
#define KSF_NAS_MAX_BITS	(KSF_NAS_MAX_LEN * 8)

/*
 * The registered keystream generators: skciphers (stream ciphers,
 * block size 1) with a 16-byte key and a 16-byte IV that XOR the input
 * with the generator's keystream.  The IV is the generator's own:
 *   snow3g: IV3 || IV2 || IV1 || IV0, big-endian words, and the key
 *           k3 || k2 || k1 || k0 (ETSI/SAGE UEA2 & UIA2 Document 2),
 *           the order f8 and f9 load CK/IK and COUNT.
 *   zuc:    iv[0..15] and k[0..15] of the key loading of ETSI/SAGE
 *           128-EEA3 & 128-EIA3 Document 2 (ZUC).
 * Users allocate them by driver name so that no other implementation of
 * the same name, with other IV conventions, can be substituted.
 */
/*
 * The generators are internal algorithms without an owning module: a
 * transform pins the module of its algorithm, and ksf's own keys keep
 * transforms of these, so with THIS_MODULE no ksf with live NAS keys could
 * be unloaded.  Internal, only a caller that asks for internal algorithms
 * (KSF_KS_FLAGS as type and mask) gets them: not AF_ALG, not another
 * module by accident.  ksf frees every transform of theirs (the instances
 * go first at unload) before it unregisters them.
 */
#define KSF_KS_FLAGS		CRYPTO_ALG_INTERNAL
#define KSF_SNOW3G_ALG		"snow3g"
#define KSF_SNOW3G_DRIVER	"snow3g-ksf"
#define KSF_ZUC_ALG		"zuc"
#define KSF_ZUC_DRIVER		"zuc-ksf"
#define KSF_KS_KEY_LEN		16
#define KSF_KS_IV_LEN		16

int ksf_snow3g_register(void);
void ksf_snow3g_unregister(void);
int ksf_zuc_register(void);
void ksf_zuc_unregister(void);

/* Module init/exit: registers and unregisters the two generators. */
int ksf_algs_init(void);
void ksf_algs_exit(void);

enum ksf_nas_alg {
	KSF_NAS_NEA1 = 0x01,		/* SNOW 3G f8 */
	KSF_NAS_NEA2 = 0x02,		/* AES-128-CTR */
	KSF_NAS_NEA3 = 0x03,		/* ZUC */
	KSF_NAS_NIA1 = 0x11,		/* SNOW 3G f9 */
	KSF_NAS_NIA2 = 0x12,		/* AES-128-CMAC */
	KSF_NAS_NIA3 = 0x13,		/* ZUC EIA3 */
};

struct ksf_nas;

/*
 * A transform for one algorithm, keyed once with a 128-bit key (other
 * lengths: -EINVAL).  Returns an ERR_PTR on failure.  May sleep.
 */
struct ksf_nas *ksf_nas_alloc(enum ksf_nas_alg alg, const u8 *key,
			      unsigned int key_len);
void ksf_nas_free(struct ksf_nas *nas);

/*
 * 128-NEAx: ciphers (or deciphers) the first @bits bits of @data in
 * place; DIV_ROUND_UP(@bits, 8) bytes are touched and the unused low bits
 * of the last byte are zeroed.  @data must be a linear kernel buffer
 * (kmalloc, not stack or vmalloc).  @bearer is 5 bits, @dir 1 bit.
 */
int ksf_nea(struct ksf_nas *nas, u32 count, u8 bearer, u8 dir, u8 *data,
	    u32 bits);

/* 128-NIAx: the 32-bit MAC-I/NAS-MAC over exactly the first @bits bits. */
int ksf_nia(struct ksf_nas *nas, u32 count, u8 bearer, u8 dir,
	    const u8 *data, u32 bits, u8 mac[KSF_NAS_MAC_LEN]);

#endif /* _KSF_NAS_ALG_H */
