/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The seal container: a header holding a random data key sealed under a
 * key-encryption key (KEK), then AEAD segments sealed under the data key.
 * Save/restore streams an instance in it; it is meant for messages
 * between instances too (seal.c).
 */
#ifndef _KSF_CRYPTO_SEAL_H
#define _KSF_CRYPTO_SEAL_H

#include <linux/types.h>

#define KSF_SEAL_KEY_LEN	32	/* KEK and data key: AES-256 */
#define KSF_SEAL_ID_LEN		16
#define KSF_SEAL_UNIT_LEN	16	/* magic, len, seq/version, 0 */
#define KSF_SEAL_TAG_LEN	16
/* The header unit: unit, id, iv (12), data key sealed (32 + 16). */
#define KSF_SEAL_HEADER_LEN	(KSF_SEAL_UNIT_LEN + KSF_SEAL_ID_LEN + 12 + \
				 KSF_SEAL_KEY_LEN + KSF_SEAL_TAG_LEN)
/* A segment: unit, sealed text, tag. */
#define KSF_SEAL_SEG_OVERHEAD	(KSF_SEAL_UNIT_LEN + KSF_SEAL_TAG_LEN)

enum ksf_seal_unit {
	KSF_SEAL_HEADER = 1,
	KSF_SEAL_SEGMENT,
	KSF_SEAL_LAST,			/* the last segment */
};

/* The opened text of one segment; ksf_seal_text_free() wipes it. */
struct ksf_seal_text {
	u8 *buf;
	const u8 *data;
	u32 len;
	bool last;
};

struct ksf_seal;

int ksf_seal_unit(const u8 *unit, u32 len);
struct ksf_seal *ksf_seal_begin(const u8 *kek, u32 version,
				u8 header[KSF_SEAL_HEADER_LEN]);
int ksf_seal_check_header(const u8 *header, u32 len, u32 version);
struct ksf_seal *ksf_seal_open(const u8 *kek, const u8 *header, u32 len,
			       u32 version);
int ksf_seal_segment(struct ksf_seal *s, const u8 *text, u32 len, bool last,
		     u8 *out);
int ksf_seal_open_segment(struct ksf_seal *s, const u8 *unit, u32 len,
			  struct ksf_seal_text *text);
void ksf_seal_text_free(struct ksf_seal_text *text);
void ksf_seal_finish(struct ksf_seal *s);

#endif /* _KSF_CRYPTO_SEAL_H */
