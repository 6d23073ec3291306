// SPDX-License-Identifier: GPL-2.0-only
/*
 * Save and restore of a whole instance (DESIGN.md section 5).
 *
 * The plaintext is a list of netlink attributes, one nest per peer (its
 * binding and policy), then one per key (metadata and material), then one
 * per context (SQN state, NAS context with its key handles), sealed
 * with AES-256-GCM under a 32-byte key-encryption key read from the
 * kernel keyring:
 *
 *	blob = header(16) || iv(12) || ciphertext || tag(16)
 *
 * with header and IV as associated data.  Restore authenticates the whole
 * blob before it changes anything, and undoes a half-done restore.
 */
#include <crypto/aead.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <net/sock.h>

#include "ksf.h"
#include "ksf-nl-gen.h"
#include "milenage.h"

#define STATE_MAGIC	0x4b534631	/* "KSF1" */
#define STATE_VERSION	1
#define STATE_KEK_LEN	32
#define STATE_MAX	((4U << 20) - 8192)	/* plaintext: one kmalloc */
#define STATE_CHUNK	2048
#define STATE_AD_LEN	(sizeof(struct state_hdr) + KSF_GCM_IV_LEN)
#define STATE_OVERHEAD	(STATE_AD_LEN + KSF_GCM_TAG_LEN)

enum { STATE_REC_PEER = 1, STATE_REC_KEY, STATE_REC_CTX };

struct state_hdr {
	__be32 magic;
	__be32 version;
	__be32 len;			/* of the plaintext */
	__be32 reserved;
};

/* The records are written by this file and authenticated before parsing;
 * the policies still bound every attribute.
 */
static const struct nla_policy rec_peer_policy[KSF_A_PEER_MAX + 1] = {
	[KSF_A_PEER_ID]		= { .type = NLA_NUL_STRING,
				    .len = KSF_PEER_ID_LEN - 1 },
	[KSF_A_PEER_KIND]	= NLA_POLICY_RANGE(NLA_U32, 1, 3),
	[KSF_A_PEER_UID]	= { .type = NLA_U32 },
	[KSF_A_PEER_GID]	= { .type = NLA_U32 },
	[KSF_A_PEER_POLICY]	= NLA_POLICY_NESTED(ksf_policy_nl_policy),
	[KSF_A_PEER_KEYS]	= { .type = NLA_U32 },
};

static const struct nla_policy rec_key_policy[KSF_A_KEY_MAX + 1] = {
	[KSF_A_KEY_HANDLE]	= { .type = NLA_U64 },
	[KSF_A_KEY_TYPE]	= NLA_POLICY_RANGE(NLA_U32, 1, KSF_KEY_TYPE_OPC),
	[KSF_A_KEY_LEN]		= NLA_POLICY_RANGE(NLA_U32, 1, KSF_KEY_MAX_LEN),
	[KSF_A_KEY_USAGE]	= { .type = NLA_U32 },
	[KSF_A_KEY_OWNER]	= { .type = NLA_NUL_STRING,
				    .len = KSF_PEER_ID_LEN - 1 },
	[KSF_A_KEY_PEER]	= { .type = NLA_NUL_STRING,
				    .len = KSF_PEER_ID_LEN - 1 },
	[KSF_A_KEY_PARENT]	= { .type = NLA_U64 },
	[KSF_A_KEY_CREATED]	= { .type = NLA_U64 },
	[KSF_A_KEY_NOT_AFTER]	= { .type = NLA_U64 },
	[KSF_A_KEY_MAX_AGE]	= { .type = NLA_U32 },
	[KSF_A_KEY_SOURCE]	= NLA_POLICY_RANGE(NLA_U32, 1, 4),
	[KSF_A_KEY_USES]	= { .type = NLA_U64 },
	[KSF_A_KEY_MATERIAL]	= { .type = NLA_BINARY, .len = KSF_KEY_MAX_LEN },
};

static const struct nla_policy rec_ctx_policy[KSF_A_CONTEXT_MAX + 1] = {
	[KSF_A_CONTEXT_HANDLE]		= { .type = NLA_U64 },
	[KSF_A_CONTEXT_PEER]		= { .type = NLA_NUL_STRING,
					    .len = KSF_PEER_ID_LEN - 1 },
	[KSF_A_CONTEXT_SUBSCRIBER]	= { .type = NLA_NUL_STRING,
					    .len = KSF_PEER_ID_LEN - 1 },
	[KSF_A_CONTEXT_CREATED]		= { .type = NLA_U64 },
	[KSF_A_CONTEXT_STATE]		= { .type = NLA_U32 },
	[KSF_A_CONTEXT_SQN_HE]		= { .type = NLA_U64 },
	[KSF_A_CONTEXT_SQN_MS]		= NLA_POLICY_EXACT_LEN(sizeof(struct ksf_sqn_ms)),
	[KSF_A_CONTEXT_NAS_INT_ALG]	= NLA_POLICY_RANGE(NLA_U32, KSF_ALG_NIA1,
							   KSF_ALG_NIA3),
	[KSF_A_CONTEXT_NAS_ENC_ALG]	= { .type = NLA_U32 },
	[KSF_A_CONTEXT_NAS_INT_KEY]	= { .type = NLA_U64 },
	[KSF_A_CONTEXT_NAS_ENC_KEY]	= { .type = NLA_U64 },
	[KSF_A_CONTEXT_NAS_DIRECTION]	= NLA_POLICY_MAX(NLA_U8, 1),
	[KSF_A_CONTEXT_NAS_TX_COUNT]	= { .type = NLA_U32 },
	[KSF_A_CONTEXT_NAS_RX_COUNT]	= { .type = NLA_U32 },
};

static struct crypto_aead *kek_tfm(const struct nlattr *serial,
				   const struct nlattr *desc,
				   struct netlink_ext_ack *extack)
{
	struct crypto_aead *tfm;
	u8 kek[KSF_KEY_MAX_LEN];
	u32 len = STATE_KEK_LEN;
	int ret;

	ret = ksf_keyring_read(serial, desc, kek, &len, extack);
	if (ret)
		goto out;
	tfm = crypto_alloc_aead("gcm(aes)", 0, 0);
	if (IS_ERR(tfm)) {
		ret = PTR_ERR(tfm);
		goto out;
	}
	ret = crypto_aead_setkey(tfm, kek, STATE_KEK_LEN);
	if (!ret)
		ret = crypto_aead_setauthsize(tfm, KSF_GCM_TAG_LEN);
	if (ret)
		crypto_free_aead(tfm);
out:
	memzero_explicit(kek, sizeof(kek));
	return ret ? ERR_PTR(ret) : tfm;
}

/* Seals or opens @blob in place: header and IV are associated data. */
static int state_crypt(struct crypto_aead *tfm, bool seal, u8 *blob, u32 len)
{
	struct aead_request *req;
	u8 iv[KSF_GCM_IV_LEN];
	struct scatterlist sg;
	DECLARE_CRYPTO_WAIT(wait);
	int ret;

	req = aead_request_alloc(tfm, GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	memcpy(iv, blob + sizeof(struct state_hdr), sizeof(iv));
	sg_init_one(&sg, blob, STATE_OVERHEAD + len);
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP, crypto_req_done,
				  &wait);
	aead_request_set_ad(req, STATE_AD_LEN);
	aead_request_set_crypt(req, &sg, &sg,
			       seal ? len : len + KSF_GCM_TAG_LEN, iv);
	ret = crypto_wait_req(seal ? crypto_aead_encrypt(req) :
				     crypto_aead_decrypt(req), &wait);
	aead_request_free(req);
	return ret;
}

/* ---- save ---- */

static int put_peer(struct sk_buff *skb, struct ksf_peer *p)
{
	struct nlattr *nest = nla_nest_start(skb, STATE_REC_PEER);

	if (!nest || ksf_peer_fill(skb, p))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_key(struct sk_buff *skb, struct ksf_key *key)
{
	struct nlattr *nest = nla_nest_start(skb, STATE_REC_KEY);

	if (!nest || ksf_key_fill(skb, key) ||
	    nla_put(skb, KSF_A_KEY_MATERIAL, key->len, key->material))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_ctx(struct sk_buff *skb, struct ksf_ctx *ctx)
{
	struct nlattr *nest = nla_nest_start(skb, STATE_REC_CTX);

	if (!nest || ksf_ctx_fill(skb, ctx, true))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_all(struct sk_buff *skb, struct rhashtable *ht,
		   int (*put)(struct sk_buff *skb, void *obj))
{
	struct rhashtable_iter iter;
	void *obj;
	int ret = 0;

	rhashtable_walk_enter(ht, &iter);
	rhashtable_walk_start(&iter);
	while ((obj = rhashtable_walk_next(&iter))) {
		if (IS_ERR(obj)) {
			if (PTR_ERR(obj) == -EAGAIN)
				continue;
			ret = PTR_ERR(obj);
			break;
		}
		ret = put(skb, obj);
		if (ret)
			break;
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	return ret;
}

static int put_peer_obj(struct sk_buff *skb, void *obj)
{
	return put_peer(skb, obj);
}

static int put_key_obj(struct sk_buff *skb, void *obj)
{
	return put_key(skb, obj);
}

static int put_ctx_obj(struct sk_buff *skb, void *obj)
{
	return put_ctx(skb, obj);
}

/* Serialises the instance into a fresh skb, growing it until all fits. */
static struct sk_buff *state_plain(struct ksf_net *kn)
{
	unsigned int size = NLMSG_GOODSIZE;
	struct sk_buff *skb;
	int ret;

	for (;;) {
		skb = alloc_skb(size, GFP_KERNEL);
		if (!skb)
			return ERR_PTR(-ENOMEM);
		mutex_lock(&kn->lock);
		ret = put_all(skb, &kn->peers, put_peer_obj);
		if (!ret)
			ret = put_all(skb, &kn->keys, put_key_obj);
		if (!ret)
			ret = put_all(skb, &kn->ctx_handles, put_ctx_obj);
		mutex_unlock(&kn->lock);
		if (!ret)
			return skb;
		memzero_explicit(skb->head, skb_end_offset(skb));
		kfree_skb(skb);
		if (ret != -EMSGSIZE || size >= STATE_MAX)
			return ERR_PTR(ret == -EMSGSIZE ? -EFBIG : ret);
		size = min(size * 4, STATE_MAX);
	}
}

struct save_ctx {
	u8 *blob;
	u32 len;
	u32 off;
};

static int save_seal(struct ksf_net *kn, struct nlattr **tb,
		     struct save_ctx *ctx, struct netlink_ext_ack *extack)
{
	struct state_hdr *hdr;
	struct crypto_aead *tfm;
	struct sk_buff *plain;
	int ret;

	tfm = kek_tfm(tb[KSF_A_STATE_KEK_SERIAL], tb[KSF_A_STATE_KEK_DESC],
		      extack);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	plain = state_plain(kn);
	if (IS_ERR(plain)) {
		NL_SET_ERR_MSG(extack, "instance too large to save");
		ret = PTR_ERR(plain);
		goto out_tfm;
	}
	ctx->len = STATE_OVERHEAD + plain->len;
	ctx->blob = kmalloc(ctx->len, GFP_KERNEL);
	ret = -ENOMEM;
	if (!ctx->blob)
		goto out_plain;
	hdr = (struct state_hdr *)ctx->blob;
	hdr->magic = cpu_to_be32(STATE_MAGIC);
	hdr->version = cpu_to_be32(STATE_VERSION);
	hdr->len = cpu_to_be32(plain->len);
	hdr->reserved = 0;
	get_random_bytes(ctx->blob + sizeof(*hdr), KSF_GCM_IV_LEN);
	memcpy(ctx->blob + STATE_AD_LEN, plain->data, plain->len);
	ret = state_crypt(tfm, true, ctx->blob, plain->len);
	if (ret) {
		NL_SET_ERR_MSG(extack, "sealing failed");
		kfree_sensitive(ctx->blob);
		ctx->blob = NULL;
	}
out_plain:
	memzero_explicit(plain->head, skb_end_offset(plain));
	kfree_skb(plain);
out_tfm:
	crypto_free_aead(tfm);
	return ret;
}

int ksf_nl_save_start(struct netlink_callback *cb)
{
	struct ksf_net *kn = ksf_net(sock_net(cb->skb->sk));
	struct save_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	int ret;

	if (!ctx)
		return -ENOMEM;
	ret = save_seal(kn, ksf_dump_attrs(cb), ctx, cb->extack);
	if (ret) {
		kfree(ctx);
		return ret;
	}
	cb->args[0] = (long)ctx;
	return 0;
}

int ksf_nl_save_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct save_ctx *ctx = (struct save_ctx *)cb->args[0];
	const struct genlmsghdr *ghdr = nlmsg_data(cb->nlh);
	void *hdr;
	u32 n;

	if (ctx->off == ctx->len)
		return 0;
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &ksf_nl_family, NLM_F_MULTI, ghdr->cmd);
	if (!hdr)
		return -EMSGSIZE;
	while (ctx->off < ctx->len) {
		n = min(ctx->len - ctx->off, (u32)STATE_CHUNK);
		if (nla_put(skb, KSF_A_STATE_CHUNK, n, ctx->blob + ctx->off))
			break;
		ctx->off += n;
	}
	genlmsg_end(skb, hdr);
	return skb->len;
}

int ksf_nl_save_done(struct netlink_callback *cb)
{
	struct save_ctx *ctx = (struct save_ctx *)cb->args[0];

	if (ctx) {
		kfree(ctx->blob);	/* sealed: nothing secret left */
		kfree(ctx);
	}
	return 0;
}

/* ---- restore ---- */

static u8 *gather_chunks(struct genl_info *info, u32 *len)
{
	const struct nlattr *a;
	u32 total = 0;
	int rem;
	u8 *blob;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem)
		if (nla_type(a) == KSF_A_STATE_CHUNK)
			total += nla_len(a);
	if (total < STATE_OVERHEAD || total > STATE_MAX + STATE_OVERHEAD) {
		NL_SET_ERR_MSG(info->extack, "no saved state, or too large");
		return ERR_PTR(-EINVAL);
	}
	blob = kmalloc(total, GFP_KERNEL);
	if (!blob)
		return ERR_PTR(-ENOMEM);
	*len = 0;
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != KSF_A_STATE_CHUNK)
			continue;
		memcpy(blob + *len, nla_data(a), nla_len(a));
		*len += nla_len(a);
	}
	return blob;
}

static int restore_key(struct ksf_net *kn, const struct nlattr *rec,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[KSF_A_KEY_MAX + 1];
	struct ksf_key_spec spec = {};
	struct ksf_peer *owner;
	u64 handle;
	int ret;

	/* The records are not in the request: no extack offsets into them. */
	ret = nla_parse_nested_deprecated(tb, KSF_A_KEY_MAX, rec,
					  rec_key_policy, NULL);
	if (ret)
		return ret;
	if (!tb[KSF_A_KEY_HANDLE] || !tb[KSF_A_KEY_TYPE] ||
	    !tb[KSF_A_KEY_OWNER] || !tb[KSF_A_KEY_MATERIAL] ||
	    !tb[KSF_A_KEY_USAGE])
		return -EINVAL;
	spec.handle = nla_get_u64(tb[KSF_A_KEY_HANDLE]);
	spec.type = nla_get_u32(tb[KSF_A_KEY_TYPE]);
	spec.len = nla_len(tb[KSF_A_KEY_MATERIAL]);
	spec.usage = nla_get_u32(tb[KSF_A_KEY_USAGE]);
	spec.source = tb[KSF_A_KEY_SOURCE] ?
		      nla_get_u32(tb[KSF_A_KEY_SOURCE]) : KSF_KEY_SOURCE_IMPORT;
	if (tb[KSF_A_KEY_PARENT])
		spec.parent = nla_get_u64(tb[KSF_A_KEY_PARENT]);
	if (tb[KSF_A_KEY_CREATED])
		spec.created = nla_get_u64(tb[KSF_A_KEY_CREATED]);
	if (tb[KSF_A_KEY_NOT_AFTER])
		spec.not_after = nla_get_u64(tb[KSF_A_KEY_NOT_AFTER]);
	if (tb[KSF_A_KEY_MAX_AGE])
		spec.max_age = nla_get_u32(tb[KSF_A_KEY_MAX_AGE]);
	if (tb[KSF_A_KEY_USES])
		spec.uses = nla_get_u64(tb[KSF_A_KEY_USES]);
	ret = ksf_key_spec_peers(&spec, nla_data(rec), nla_len(rec), extack);
	if (ret)
		return ret;
	owner = ksf_peer_get(kn, nla_data(tb[KSF_A_KEY_OWNER]));
	if (!owner)
		return -ENOENT;
	ret = ksf_key_add(kn, owner, &spec, nla_data(tb[KSF_A_KEY_MATERIAL]),
			  &handle, extack);
	ksf_peer_put(owner);
	return ret;
}

/* The NAS context of a restored context: its keys are restored already. */
static int restore_nas(struct ksf_net *kn, struct ksf_ctx *ctx,
		       struct nlattr **tb)
{
	const struct nlattr *enc = tb[KSF_A_CONTEXT_NAS_ENC_KEY];
	struct ksf_nas_ctx *nas;
	int ret = -EINVAL;
	bool null_enc;

	if (!tb[KSF_A_CONTEXT_NAS_INT_ALG] || !tb[KSF_A_CONTEXT_NAS_ENC_ALG] ||
	    !tb[KSF_A_CONTEXT_NAS_INT_KEY])
		return -EINVAL;
	nas = kzalloc(sizeof(*nas), GFP_KERNEL);
	if (!nas)
		return -ENOMEM;
	nas->int_alg = nla_get_u32(tb[KSF_A_CONTEXT_NAS_INT_ALG]);
	nas->enc_alg = nla_get_u32(tb[KSF_A_CONTEXT_NAS_ENC_ALG]);
	if (tb[KSF_A_CONTEXT_NAS_DIRECTION])
		nas->direction = nla_get_u8(tb[KSF_A_CONTEXT_NAS_DIRECTION]);
	if (tb[KSF_A_CONTEXT_NAS_TX_COUNT])
		nas->tx_count = nla_get_u32(tb[KSF_A_CONTEXT_NAS_TX_COUNT]);
	if (tb[KSF_A_CONTEXT_NAS_RX_COUNT])
		nas->rx_count = nla_get_u32(tb[KSF_A_CONTEXT_NAS_RX_COUNT]);
	nas->int_key = ksf_key_get(kn, nla_get_u64(tb[KSF_A_CONTEXT_NAS_INT_KEY]));
	if (enc)
		nas->enc_key = ksf_key_get(kn, nla_get_u64(enc));
	/* The keys must be NAS keys of the context's owner, K_NASenc unless NEA0. */
	null_enc = nas->enc_alg == KSF_ALG_NEA0;
	if (!nas->int_key || nas->int_key->owner != ctx->owner ||
	    nas->int_key->type != KSF_KEY_TYPE_NAS ||
	    !nas->enc_key != null_enc ||
	    (nas->enc_key && (nas->enc_key->owner != ctx->owner ||
			      nas->enc_key->type != KSF_KEY_TYPE_NAS)))
		goto err;
	ret = ksf_ctx_set_nas(ctx, nas);
	if (!ret)
		return 0;
err:
	ksf_ctx_nas_free(nas);
	return ret;
}

static int restore_ctx(struct ksf_net *kn, const struct nlattr *rec)
{
	struct nlattr *tb[KSF_A_CONTEXT_MAX + 1];
	struct ksf_ctx_spec spec = {};
	struct ksf_peer *owner;
	struct ksf_ctx *ctx;
	int ret;

	ret = nla_parse_nested_deprecated(tb, KSF_A_CONTEXT_MAX, rec,
					  rec_ctx_policy, NULL);
	if (ret)
		return ret;
	if (!tb[KSF_A_CONTEXT_HANDLE] || !tb[KSF_A_CONTEXT_PEER] ||
	    !tb[KSF_A_CONTEXT_SUBSCRIBER])
		return -EINVAL;
	spec.id = nla_data(tb[KSF_A_CONTEXT_SUBSCRIBER]);
	spec.handle = nla_get_u64(tb[KSF_A_CONTEXT_HANDLE]);
	if (tb[KSF_A_CONTEXT_CREATED])
		spec.created = nla_get_u64(tb[KSF_A_CONTEXT_CREATED]);
	if (tb[KSF_A_CONTEXT_SQN_HE]) {
		spec.has_sqn_he = true;
		spec.sqn_he = nla_get_u64(tb[KSF_A_CONTEXT_SQN_HE]);
	}
	if (tb[KSF_A_CONTEXT_SQN_MS])
		spec.sqn_ms = nla_data(tb[KSF_A_CONTEXT_SQN_MS]);
	owner = ksf_peer_get(kn, nla_data(tb[KSF_A_CONTEXT_PEER]));
	if (!owner)
		return -ENOENT;
	ret = ksf_ctx_new(kn, owner, &spec, &ctx);
	ksf_peer_put(owner);
	if (ret)
		return ret;
	if (tb[KSF_A_CONTEXT_NAS_INT_KEY])
		ret = restore_nas(kn, ctx, tb);
	ksf_ctx_put(ctx);
	return ret;
}

static int restore_peer(struct ksf_net *kn, const struct nlattr *rec,
			struct netlink_ext_ack *extack)
{
	struct nlattr *tb[KSF_A_PEER_MAX + 1];
	int ret;

	ret = nla_parse_nested_deprecated(tb, KSF_A_PEER_MAX, rec,
					  rec_peer_policy, NULL);
	if (ret)
		return ret;
	if (!tb[KSF_A_PEER_ID] || !tb[KSF_A_PEER_KIND])
		return -EINVAL;
	return ksf_peer_new(kn, tb, extack);
}

static int restore_records(struct ksf_net *kn, const u8 *plain, u32 len,
			   struct netlink_ext_ack *extack)
{
	const struct nlattr *rec;
	int rem, ret = 0;

	nla_for_each_attr(rec, (const struct nlattr *)plain, len, rem) {
		if (nla_type(rec) == STATE_REC_PEER)
			ret = restore_peer(kn, rec, extack);
		else if (nla_type(rec) == STATE_REC_KEY)
			ret = restore_key(kn, rec, extack);
		else if (nla_type(rec) == STATE_REC_CTX)
			ret = restore_ctx(kn, rec);
		else
			ret = -EINVAL;
		if (ret)
			return ret;
	}
	return rem ? -EINVAL : 0;
}

/* Undoes a failed restore: the instance was empty before it. */
static void restore_undo(struct ksf_net *kn)
{
	struct rhashtable_iter iter;
	struct ksf_peer *p;
	char id[KSF_PEER_ID_LEN];

	for (;;) {
		rhashtable_walk_enter(&kn->peers, &iter);
		rhashtable_walk_start(&iter);
		do {
			p = rhashtable_walk_next(&iter);
		} while (IS_ERR(p));
		if (p)
			memcpy(id, p->id, sizeof(id));
		rhashtable_walk_stop(&iter);
		rhashtable_walk_exit(&iter);
		if (!p)
			break;
		ksf_peer_del(kn, id, NULL);
	}
}

static bool instance_empty(struct ksf_net *kn)
{
	return !atomic_read(&kn->n_peers) && !atomic_read(&kn->n_keys) &&
	       !atomic_read(&kn->n_contexts);
}

int ksf_nl_restore_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ksf_net *kn = ksf_net(genl_info_net(info));
	struct netlink_ext_ack rec_extack = {};
	const struct state_hdr *hdr;
	struct crypto_aead *tfm;
	u32 len, plen;
	u8 *blob;
	int ret;

	if (!instance_empty(kn)) {
		NL_SET_ERR_MSG(info->extack, "restore needs an empty instance");
		return -EBUSY;
	}
	blob = gather_chunks(info, &len);
	if (IS_ERR(blob))
		return PTR_ERR(blob);
	hdr = (const struct state_hdr *)blob;
	plen = be32_to_cpu(hdr->len);
	ret = -EINVAL;
	if (be32_to_cpu(hdr->magic) != STATE_MAGIC ||
	    be32_to_cpu(hdr->version) != STATE_VERSION ||
	    plen != len - STATE_OVERHEAD) {
		NL_SET_ERR_MSG(info->extack, "not a ksf saved state of this version");
		goto out;
	}
	tfm = kek_tfm(info->attrs[KSF_A_STATE_KEK_SERIAL],
		      info->attrs[KSF_A_STATE_KEK_DESC], info->extack);
	if (IS_ERR(tfm)) {
		ret = PTR_ERR(tfm);
		goto out;
	}
	ret = state_crypt(tfm, false, blob, plen);
	crypto_free_aead(tfm);
	if (ret) {
		NL_SET_ERR_MSG(info->extack,
			       "saved state does not authenticate under this KEK");
		goto out;
	}
	/*
	 * Errors about records point into the blob, not the request: keep
	 * their messages, drop their attribute offsets.
	 */
	ret = restore_records(kn, blob + STATE_AD_LEN, plen, &rec_extack);
	if (ret) {
		restore_undo(kn);
		info->extack->_msg = rec_extack._msg ? rec_extack._msg :
						       "saved state not valid";
	}
out:
	kfree_sensitive(blob);
	return ret;
}
