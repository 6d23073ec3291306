// SPDX-License-Identifier: GPL-2.0-only
/*
 * The seal container: a stream of units, each starting with a magic and
 * its length, so that whoever carries it can split it without
 * understanding it:
 *
 *	header	"KSF2" | len | version | 0 | id (16) | iv (12) |
 *		data key (32) sealed under the KEK, tag (16)
 *	segment	"KSFS", or "KSFE" for the last | len | seq | 0 |
 *		text sealed under the data key | tag (16)
 *
 * (integers big-endian).  The data key is random per container; the KEK
 * (32 bytes) seals it with AES-256-GCM, the first 32 bytes of the header
 * being associated data.  A segment is AES-256-GCM under the data key
 * with the nonce 0 || be64(seq) and the id and its own first 16 bytes as
 * associated data, so a segment cannot be altered, moved, dropped or
 * taken from another container.  The version names what the text is:
 * save/restore writes its records (state.c); a message between instances
 * would take a version of its own, so that neither can pass for the
 * other under the same KEK.
 *
 * Use: ksf_seal_begin() (a new data key, the header to send), then
 * ksf_seal_segment() per segment, the last one marked; on the other side
 * ksf_seal_open() on the header, ksf_seal_open_segment() on each segment
 * in order (each is authenticated before its text is returned).
 * ksf_seal_finish() wipes and frees either side.  A container is used by
 * one caller at a time.
 */
#include <crypto/aead.h>
#include <crypto/algapi.h>	/* also the unaligned accessors, which 6.12 moved */
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "aead.h"
#include "seal.h"

#define SEAL_HEADER	0x4b534632	/* "KSF2" */
#define SEAL_SEGMENT	0x4b534653	/* "KSFS" */
#define SEAL_LAST	0x4b534645	/* "KSFE" */

struct seal_unit {
	__be32 magic;
	__be32 len;			/* of the whole unit */
	__be32 seq;			/* segment number; header: version */
	__be32 reserved;
};

struct seal_header {
	struct seal_unit h;
	u8 id[KSF_SEAL_ID_LEN];
	u8 iv[KSF_GCM_IV_LEN];
	u8 key[KSF_SEAL_KEY_LEN + KSF_SEAL_TAG_LEN];	/* sealed data key */
};

static_assert(sizeof(struct seal_unit) == KSF_SEAL_UNIT_LEN);
static_assert(sizeof(struct seal_header) == KSF_SEAL_HEADER_LEN);
static_assert(KSF_SEAL_TAG_LEN == KSF_GCM_TAG_LEN);

#define HEADER_AD_LEN	offsetof(struct seal_header, iv)

struct ksf_seal {
	struct crypto_aead *dk;
	u8 id[KSF_SEAL_ID_LEN];
	u32 seq;			/* the next segment */
};

/* The kind of unit at @unit (enum ksf_seal_unit), -EINVAL if none. */
int ksf_seal_unit(const u8 *unit, u32 len)
{
	if (len < KSF_SEAL_UNIT_LEN || get_unaligned_be32(unit + 4) != len)
		return -EINVAL;
	switch (get_unaligned_be32(unit)) {
	case SEAL_HEADER:
		return KSF_SEAL_HEADER;
	case SEAL_SEGMENT:
		return KSF_SEAL_SEGMENT;
	case SEAL_LAST:
		return KSF_SEAL_LAST;
	}
	return -EINVAL;
}

/*
 * The header's data key is sealed under the KEK with the unit and the id
 * as associated data; they are not contiguous with the key in the unit
 * (the IV sits between), so the work is done in a copy.
 */
static int header_key_crypt(const u8 *kek, struct seal_header *sh, bool seal,
			    u8 *dk)
{
	u8 buf[HEADER_AD_LEN + KSF_SEAL_KEY_LEN + KSF_SEAL_TAG_LEN];
	struct crypto_aead *tfm;
	int ret;

	tfm = ksf_gcm_tfm(kek, KSF_SEAL_KEY_LEN);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	memcpy(buf, sh, HEADER_AD_LEN);
	if (seal)
		memcpy(buf + HEADER_AD_LEN, dk, KSF_SEAL_KEY_LEN);
	else
		memcpy(buf + HEADER_AD_LEN, sh->key, sizeof(sh->key));
	ret = ksf_aead_crypt(tfm, seal, buf, HEADER_AD_LEN, KSF_SEAL_KEY_LEN,
			     sh->iv);
	if (!ret && seal)
		memcpy(sh->key, buf + HEADER_AD_LEN, sizeof(sh->key));
	else if (!ret)
		memcpy(dk, buf + HEADER_AD_LEN, KSF_SEAL_KEY_LEN);
	memzero_explicit(buf, sizeof(buf));
	crypto_free_aead(tfm);
	return ret;
}

static struct ksf_seal *seal_new(const u8 *dk, const u8 *id)
{
	struct ksf_seal *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return ERR_PTR(-ENOMEM);
	s->dk = ksf_gcm_tfm(dk, KSF_SEAL_KEY_LEN);
	if (IS_ERR(s->dk)) {
		int ret = PTR_ERR(s->dk);

		kfree(s);
		return ERR_PTR(ret);
	}
	memcpy(s->id, id, KSF_SEAL_ID_LEN);
	return s;
}

/*
 * A new container under the 32-byte @kek: a random data key, sealed in
 * the header written to @header.
 */
struct ksf_seal *ksf_seal_begin(const u8 *kek, u32 version,
				u8 header[KSF_SEAL_HEADER_LEN])
{
	struct seal_header sh = {};
	struct ksf_seal *s;
	u8 dk[KSF_SEAL_KEY_LEN];
	int ret;

	get_random_bytes(dk, sizeof(dk));
	sh.h.magic = cpu_to_be32(SEAL_HEADER);
	sh.h.len = cpu_to_be32(sizeof(sh));
	sh.h.seq = cpu_to_be32(version);
	get_random_bytes(sh.id, sizeof(sh.id));
	get_random_bytes(sh.iv, sizeof(sh.iv));
	s = seal_new(dk, sh.id);
	if (IS_ERR(s))
		goto out;
	ret = header_key_crypt(kek, &sh, true, dk);
	if (ret) {
		ksf_seal_finish(s);
		s = ERR_PTR(ret);
		goto out;
	}
	memcpy(header, &sh, sizeof(sh));
out:
	memzero_explicit(dk, sizeof(dk));
	return s;
}

/* -EINVAL unless @header is a header unit of @version. */
int ksf_seal_check_header(const u8 *header, u32 len, u32 version)
{
	if (len != KSF_SEAL_HEADER_LEN ||
	    ksf_seal_unit(header, len) != KSF_SEAL_HEADER ||
	    get_unaligned_be32(header + 8) != version ||
	    get_unaligned_be32(header + 12))
		return -EINVAL;
	return 0;
}

/*
 * Opens the container of @header under @kek: -EINVAL if it is not one of
 * @version, -EBADMSG if it does not authenticate under @kek.
 */
struct ksf_seal *ksf_seal_open(const u8 *kek, const u8 *header, u32 len,
			       u32 version)
{
	struct seal_header sh;
	struct ksf_seal *s;
	u8 dk[KSF_SEAL_KEY_LEN];
	int ret;

	ret = ksf_seal_check_header(header, len, version);
	if (ret)
		return ERR_PTR(ret);
	memcpy(&sh, header, sizeof(sh));
	ret = header_key_crypt(kek, &sh, false, dk);
	s = ret ? ERR_PTR(ret) : seal_new(dk, sh.id);
	memzero_explicit(dk, sizeof(dk));
	return s;
}

static void seg_nonce(u8 nonce[KSF_GCM_IV_LEN], u32 seq)
{
	memset(nonce, 0, 4);
	put_unaligned_be64(seq, nonce + 4);
}

/*
 * Seals @len bytes of @text as the next segment (@last: the last one)
 * into @out, which holds len + KSF_SEAL_SEG_OVERHEAD bytes.
 */
int ksf_seal_segment(struct ksf_seal *s, const u8 *text, u32 len, bool last,
		     u8 *out)
{
	u32 ulen = KSF_SEAL_SEG_OVERHEAD + len;
	u8 nonce[KSF_GCM_IV_LEN];
	struct seal_unit *h;
	u8 *buf;
	int ret;

	/* Sealed in a copy that starts with the id (associated data). */
	buf = kmalloc(KSF_SEAL_ID_LEN + ulen, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, s->id, KSF_SEAL_ID_LEN);
	h = (struct seal_unit *)(buf + KSF_SEAL_ID_LEN);
	h->magic = cpu_to_be32(last ? SEAL_LAST : SEAL_SEGMENT);
	h->len = cpu_to_be32(ulen);
	h->seq = cpu_to_be32(s->seq);
	h->reserved = 0;
	memcpy(h + 1, text, len);
	seg_nonce(nonce, s->seq);
	ret = ksf_aead_crypt(s->dk, true, buf, KSF_SEAL_ID_LEN + sizeof(*h),
			     len, nonce);
	if (!ret) {
		memcpy(out, h, ulen);
		s->seq++;
	}
	kfree_sensitive(buf);
	return ret;
}

/*
 * Opens the next segment into @text (to be freed with
 * ksf_seal_text_free()): -EINVAL if @unit is not a segment or not the
 * next one, -EBADMSG if it does not authenticate.
 */
int ksf_seal_open_segment(struct ksf_seal *s, const u8 *unit, u32 len,
			  struct ksf_seal_text *text)
{
	u8 nonce[KSF_GCM_IV_LEN];
	struct seal_unit *h;
	int kind, ret;
	u8 *buf;

	kind = ksf_seal_unit(unit, len);
	if ((kind != KSF_SEAL_SEGMENT && kind != KSF_SEAL_LAST) ||
	    len < KSF_SEAL_SEG_OVERHEAD)
		return -EINVAL;
	if (get_unaligned_be32(unit + 8) != s->seq ||
	    get_unaligned_be32(unit + 12))
		return -EINVAL;
	buf = kmalloc(KSF_SEAL_ID_LEN + len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, s->id, KSF_SEAL_ID_LEN);
	memcpy(buf + KSF_SEAL_ID_LEN, unit, len);
	h = (struct seal_unit *)(buf + KSF_SEAL_ID_LEN);
	seg_nonce(nonce, s->seq);
	ret = ksf_aead_crypt(s->dk, false, buf, KSF_SEAL_ID_LEN + sizeof(*h),
			     len - KSF_SEAL_SEG_OVERHEAD, nonce);
	if (ret) {
		kfree_sensitive(buf);
		return ret;
	}
	s->seq++;
	text->buf = buf;
	text->data = (u8 *)(h + 1);
	text->len = len - KSF_SEAL_SEG_OVERHEAD;
	text->last = kind == KSF_SEAL_LAST;
	return 0;
}

void ksf_seal_text_free(struct ksf_seal_text *text)
{
	kfree_sensitive(text->buf);
	memset(text, 0, sizeof(*text));
}

/* Wipes and frees a container's state (NULL or an ERR_PTR: nothing). */
void ksf_seal_finish(struct ksf_seal *s)
{
	if (IS_ERR_OR_NULL(s))
		return;
	crypto_free_aead(s->dk);	/* wipes the keyed state */
	kfree_sensitive(s);
}
