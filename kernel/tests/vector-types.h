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

#endif /* _KSF_TEST_VECTOR_TYPES_H */
