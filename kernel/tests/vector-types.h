/* SPDX-License-Identifier: GPL-2.0-only */
/* Shapes of the known-answer vectors in vectors.h. */
#ifndef _KSF_TEST_VECTOR_TYPES_H
#define _KSF_TEST_VECTOR_TYPES_H

#include <linux/types.h>

struct ksf_mac_vector {
	const char *id;
	const u8 *key;
	unsigned int key_len;
	const u8 *data;
	unsigned int data_len;
	const u8 *mac;
	unsigned int mac_len;	/* may be a truncation of the full tag */
};

struct ksf_kdf_param {
	const u8 *p;
	u16 len;
};

struct ksf_kdf_vector {
	const char *id;
	const u8 *key;
	unsigned int key_len;
	u8 fc;
	unsigned int n;
	struct ksf_kdf_param params[4];
	const u8 *out;
	unsigned int out_len;
	unsigned int offset;	/* of out within the 32-byte KDF output */
};

/* TS 35.208-style MILENAGE sets: every input and output of f1 .. f5*. */
struct ksf_milenage_vector {
	const char *id;
	const u8 *k;
	const u8 *rand;
	const u8 *sqn;
	const u8 *amf;
	const u8 *op;
	const u8 *opc;
	const u8 *f1;		/* MAC-A */
	const u8 *f1star;	/* MAC-S */
	const u8 *f2;		/* RES */
	const u8 *f3;		/* CK */
	const u8 *f4;		/* IK */
	const u8 *f5;		/* AK */
	const u8 *f5star;	/* AK* */
};

/*
 * 128-NEAx (out: the ciphertext) and 128-NIAx (out: the 4-byte MAC) sets.
 * in_len may exceed DIV_ROUND_UP(bits, 8): the published input is longer
 * than LENGTH.
 */
struct ksf_nas_vector {
	const char *id;
	const u8 *key;
	unsigned int key_len;
	u32 count;
	u8 bearer;
	u8 dir;
	u32 bits;
	const u8 *in;
	unsigned int in_len;
	const u8 *out;
	unsigned int out_len;
};

/* X25519 (the key agreement of SUCI Profile A, TS 33.501 C.4.3). */
struct ksf_x25519_vector {
	const char *id;
	const u8 *a_priv;	/* the home network's key pair */
	const u8 *a_pub;
	const u8 *b_priv;	/* the ephemeral key pair */
	const u8 *b_pub;
	const u8 *shared;
};

/* SUCI ECIES (TS 33.501 C.4.3, C.4.4): profile 1 (A) or 2 (B). */
struct ksf_suci_vector {
	const char *id;
	u32 profile;
	const u8 *hn_priv;
	const u8 *hn_pub;	/* as published: 32 bytes, or 65 (04 || x || y) */
	unsigned int hn_pub_len;
	const u8 *hn_short;	/* as ksf gives it: 32 bytes, or compressed */
	unsigned int hn_short_len;
	const u8 *eph_priv;
	const u8 *shared;
	const u8 *eph_pub;	/* as sent: 32 bytes, or compressed */
	unsigned int eph_pub_len;
	const u8 *in;		/* scheme input */
	unsigned int in_len;
	const u8 *out;		/* scheme output */
	unsigned int out_len;
};

#endif /* _KSF_TEST_VECTOR_TYPES_H */
