// SPDX-License-Identifier: GPL-2.0-only
/*
 * Save and restore of a whole instance (architecture.rst), streamed:
 * an instance of any size is saved while it serves, and restored over as
 * many requests as the caller likes.
 *
 * A saved state is a seal container (crypto/seal.c): a header holding a
 * random data key sealed under the KEK (32 bytes, from the kernel
 * keyring), then segments sealed under the data key, each a unit that
 * user space can split without understanding it.  The version of the
 * container is the version of the records.  The text of the segments is
 * a list of netlink attribute records, every peer (binding, policy), then
 * every key (metadata and material), then every context (SQN state, NAS
 * context); a record never spans segments.
 *
 * Restore needs an empty instance; it checks each segment before it
 * applies its records, and undoes everything on any error, on a request
 * marked end before the last segment, or when the restoring socket closes.
 * The save is not a frozen snapshot: objects created or deleted while it
 * runs may or may not be in it, and a table walk may see an object twice;
 * restore skips such duplicates and records whose peer is not in the save.
 */
#include <crypto/aead.h>
#include <crypto/algapi.h>	/* also the unaligned accessors, which 6.12 moved */
#include <linux/delay.h>
#include <linux/random.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "../ksf.h"
#include "../core/context.h"
#include "../crypto/noise.h"
#include "../core/identity.h"
#include "../core/keystore.h"
#include "../core/owner.h"
#include "../core/pair.h"
#include "../core/peer.h"
#include "../core/policy.h"
#include "../crypto/aead.h"
#include "../crypto/milenage.h"
#include "../crypto/seal.h"
#include "../crypto/x25519.h"
#include "../netlink/codec.h"
#include "../netlink/compat.h"
#include "../netlink/ksf-nl-gen.h"
#include "../netlink/netlink.h"
#include "../netlink/objects.h"
#include "state.h"

/*
 * Of the container and its records.  3 (ksf 0.3): policies carry
 * services/algs bitmaps and typed service lists (items with one nest per
 * service family).  Saves of 0.1 and 0.2 (1, 2) are refused:
 * Documentation/admin-guide.rst says what to do.
 */
#define STATE_VERSION	3
#define STATE_SEG_MAX	(60 * 1024)	/* a unit fits one attribute */
#define STATE_DUMP_SIZE	(64 * 1024)
#define NAS_COUNT_END	0x1000000	/* past the last 24-bit NAS COUNT */

enum { STATE_REC_PEER = 1, STATE_REC_KEY, STATE_REC_CTX, STATE_REC_IDENTITY };
enum {
	PHASE_HEADER, PHASE_IDENTITY, PHASE_PEERS, PHASE_KEYS, PHASE_CONTEXTS,
	PHASE_DONE
};

/* The identity record: the instance's static X25519 private key. */
enum { STATE_ID_UNSPEC, STATE_ID_PRIVATE, __STATE_ID_MAX };
#define STATE_ID_MAX	(__STATE_ID_MAX - 1)

/* A restore in progress: one per instance, under kn->restore_lock. */
struct ksf_restore {
	struct ksf_seal *seal;
	u32 portid;
	bool has_identity;		/* installed when the restore completes */
	u8 identity_priv[KSF_X25519_LEN];
	u8 identity_pub[KSF_X25519_LEN];
};

/*
 * The records are written by this file and authenticated before parsing,
 * but whoever holds the KEK can write them too: every field is checked as
 * strictly as in a request that sets it (the request's policies, then the
 * same semantic checks), and fields only a restore sets are bounded too.
 */
static const struct nla_policy rec_pair_policy[KSF_A_PAIR_MAX + 1] = {
	[KSF_A_PAIR_GENERATION]	= { .type = NLA_U32 },
	[KSF_A_PAIR_WE_RUN]	= NLA_POLICY_NESTED(ksf_policy_nl_policy),
	[KSF_A_PAIR_THEY_RUN]	= NLA_POLICY_NESTED(ksf_policy_nl_policy),
};

static const struct nla_policy rec_peer_policy[KSF_A_PEER_MAX + 1] = {
	[KSF_A_PEER_ID]		= { .type = NLA_NUL_STRING,
				    .len = KSF_PEER_ID_LEN - 1 },
	[KSF_A_PEER_KIND]	= NLA_POLICY_RANGE(NLA_U32, 1, 3),
	[KSF_A_PEER_UID]	= { .type = NLA_U32 },
	[KSF_A_PEER_GID]	= { .type = NLA_U32 },
	[KSF_A_PEER_POLICY]	= NLA_POLICY_NESTED(ksf_policy_nl_policy),
	[KSF_A_PEER_KEYS]	= { .type = NLA_U32 },
	[KSF_A_PEER_PUBLIC_KEY]	= NLA_POLICY_EXACT_LEN(KSF_X25519_LEN),
	[KSF_A_PEER_PSK]	= { .type = NLA_U64 },
	[KSF_A_PEER_HANDSHAKE_MARK] = NLA_POLICY_EXACT_LEN(KSF_NOISE_TS_LEN),
	[KSF_A_PEER_PAIR]	= NLA_POLICY_NESTED(rec_pair_policy),
};

static const struct nla_policy rec_key_policy[KSF_A_KEY_MAX + 1] = {
	[KSF_A_KEY_HANDLE]	= { .type = NLA_U64 },
	[KSF_A_KEY_TYPE]	= NLA_POLICY_RANGE(NLA_U32, 1, KSF_KEY_TYPE_LAST),
	[KSF_A_KEY_LEN]		= NLA_POLICY_RANGE(NLA_U32, 1, KSF_KEY_MAX_LEN),
	[KSF_A_KEY_USAGE]	= NLA_POLICY_MASK(NLA_U32, 0x7f),
	[KSF_A_KEY_OWNER]	= { .type = NLA_NUL_STRING,
				    .len = KSF_PEER_ID_LEN - 1 },
	[KSF_A_KEY_PEER]	= { .type = NLA_NUL_STRING,
				    .len = KSF_PEER_ID_LEN - 1 },
	[KSF_A_KEY_SOURCE]	= NLA_POLICY_RANGE(NLA_U32, KSF_KEY_SOURCE_GENERATE,
						   KSF_KEY_SOURCE_DERIVE),
	[KSF_A_KEY_PARENT]	= { .type = NLA_U64 },
	[KSF_A_KEY_CREATED]	= { .type = NLA_U64 },
	[KSF_A_KEY_NOT_AFTER]	= { .type = NLA_U64 },
	[KSF_A_KEY_MAX_AGE]	= { .type = NLA_U32 },
	[KSF_A_KEY_USES]	= { .type = NLA_U64 },
	[KSF_A_KEY_MATERIAL]	= { .type = NLA_BINARY, .len = KSF_KEY_MAX_LEN },
	[KSF_A_KEY_FLAGS]	= NLA_POLICY_MASK(NLA_U32, KSF_KEY_FLAG_CONTEXT |
						  KSF_KEY_FLAG_SPENT |
						  KSF_KEY_FLAG_RAW_NAS),
};

static const struct nla_policy rec_ctx_policy[KSF_A_CONTEXT_MAX + 1] = {
	[KSF_A_CONTEXT_HANDLE]		= { .type = NLA_U64 },
	[KSF_A_CONTEXT_PEER]		= { .type = NLA_NUL_STRING,
					    .len = KSF_PEER_ID_LEN - 1 },
	[KSF_A_CONTEXT_SUBSCRIBER]	= { .type = NLA_NUL_STRING,
					    .len = KSF_PEER_ID_LEN - 1 },
	[KSF_A_CONTEXT_CREATED]		= { .type = NLA_U64 },
	[KSF_A_CONTEXT_STATE]		= NLA_POLICY_MASK(NLA_U32, 0x7),
	[KSF_A_CONTEXT_SQN_HE]		= { .type = NLA_U64 },
	[KSF_A_CONTEXT_SQN_MS]		= NLA_POLICY_EXACT_LEN(sizeof(struct ksf_sqn_ms)),
	[KSF_A_CONTEXT_NAS_INT_ALG]	= NLA_POLICY_RANGE(NLA_U32, KSF_ALG_NIA1,
							   KSF_ALG_NIA3),
	[KSF_A_CONTEXT_NAS_ENC_ALG]	= NLA_POLICY_RANGE(NLA_U32, KSF_ALG_NEA1,
							   KSF_ALG_NEA0),
	[KSF_A_CONTEXT_NAS_INT_KEY]	= { .type = NLA_U64 },
	[KSF_A_CONTEXT_NAS_ENC_KEY]	= { .type = NLA_U64 },
	[KSF_A_CONTEXT_NAS_DIRECTION]	= NLA_POLICY_MAX(NLA_U8, 1),
	[KSF_A_CONTEXT_NAS_BEARER]	= NLA_POLICY_RANGE(NLA_U8, 1, 2),
	[KSF_A_CONTEXT_NAS_TX_COUNT]	= { .type = NLA_U32 },	/* restore_nas() */
	[KSF_A_CONTEXT_NAS_RX_COUNT]	= { .type = NLA_U32 },
};

/* The KEK from the kernel keyring, into @kek (KSF_SEAL_KEY_LEN bytes). */
static int kek_read(const struct nlattr *serial, const struct nlattr *desc,
		    u8 *kek, struct netlink_ext_ack *extack)
{
	u8 buf[KSF_KEY_MAX_LEN];
	u32 len = KSF_SEAL_KEY_LEN;
	int ret;

	ret = ksf_nl_keyring_read(serial, desc, buf, &len, extack);
	if (!ret)
		memcpy(kek, buf, KSF_SEAL_KEY_LEN);
	memzero_explicit(buf, sizeof(buf));
	return ret;
}

/* ---- save ---- */

static int fill_identity(struct sk_buff *skb, void *obj)
{
	u8 priv[KSF_X25519_LEN];
	int ret;

	ksf_identity_private(obj, priv);
	ret = nla_put(skb, STATE_ID_PRIVATE, sizeof(priv), priv);
	memzero_explicit(priv, sizeof(priv));	/* plain is wiped when freed */
	return ret;
}

/* Uids and gids as the instance's own user namespace sees them. */
static int fill_peer(struct sk_buff *skb, void *obj)
{
	return ksf_nl_peer_fill_saved(skb, obj);
}

#if IS_ENABLED(CONFIG_FAULT_INJECTION_DEBUG_FS)	/* debug kernel only */
static unsigned int dbg_save_delay_ms;
module_param(dbg_save_delay_ms, uint, 0644);
MODULE_PARM_DESC(dbg_save_delay_ms, "debug kernel only: ms a save waits between a key's metadata and its material");
#else
#define dbg_save_delay_ms 0U
#endif

/*
 * Under RCU, without a reference: a key being destroyed keeps its
 * material until the grace period ends (it is wiped when freed), and
 * one whose last reference is gone is left out.
 */
static int fill_key(struct sk_buff *skb, void *obj)
{
	struct ksf_key *key = obj;
	int ret;

	if (!refcount_read(&key->ref) ||
	    !(ksf_keytype(key->type)->flags & KSF_KEY_TYPE_F_SAVED))
		return -ENOENT;
	ret = ksf_nl_key_fill(skb, key);
	if (ret)
		return ret;
	if (dbg_save_delay_ms)
		mdelay(dbg_save_delay_ms);
	return nla_put(skb, KSF_A_KEY_MATERIAL, key->len, key->material);
}

static int fill_ctx(struct sk_buff *skb, void *obj)
{
	return ksf_nl_ctx_fill(skb, obj, true);
}

/* One record, whole or not at all: a segment holds only whole records. */
static int put_rec(struct sk_buff *skb, int type,
		   int (*fill)(struct sk_buff *skb, void *obj), void *obj)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	int ret;

	if (!nest)
		return -EMSGSIZE;
	ret = fill(skb, obj);
	if (ret) {
		nla_nest_cancel(skb, nest);	/* plain is wiped when freed */
		return ret == -ENOENT ? 0 : -EMSGSIZE;	/* left out */
	}
	nla_nest_end(skb, nest);
	return 0;
}

struct save_ctx {
	struct ksf_seal *seal;
	u8 header[KSF_SEAL_HEADER_LEN];
	int phase;
	bool pending;			/* the walk's object did not fit */
	struct rhashtable_iter iter;
};

static struct rhashtable *phase_table(struct ksf_net *kn, int phase)
{
	return phase == PHASE_PEERS ? &kn->peers :
	       phase == PHASE_KEYS ? &kn->keys : &kn->ctx_handles;
}

static int put_record(struct sk_buff *skb, int phase, void *obj)
{
	if (phase == PHASE_PEERS)
		return put_rec(skb, STATE_REC_PEER, fill_peer, obj);
	if (phase == PHASE_KEYS)
		return put_rec(skb, STATE_REC_KEY, fill_key, obj);
	return put_rec(skb, STATE_REC_CTX, fill_ctx, obj);
}

static void *walk_next(struct rhashtable_iter *iter)
{
	void *obj;

	do {
		obj = rhashtable_walk_next(iter);
	} while (PTR_ERR(obj) == -EAGAIN);	/* resized: may repeat some */
	return IS_ERR(obj) ? NULL : obj;
}

static void next_phase(struct ksf_net *kn, struct save_ctx *ctx)
{
	if (++ctx->phase != PHASE_DONE)
		rhashtable_walk_enter(phase_table(kn, ctx->phase), &ctx->iter);
}

/*
 * Appends records to @plain until it is full or the instance is done:
 * the identity first (the first segment always has room for it), then
 * the walks of the tables.
 */
static int save_fill(struct ksf_net *kn, struct save_ctx *ctx,
		     struct sk_buff *plain)
{
	void *obj;

	if (ctx->phase == PHASE_IDENTITY) {
		if (put_rec(plain, STATE_REC_IDENTITY, fill_identity, kn))
			return -EMSGSIZE;
		next_phase(kn, ctx);
	}
	while (ctx->phase != PHASE_DONE) {
		rhashtable_walk_start(&ctx->iter);
		obj = ctx->pending ? rhashtable_walk_peek(&ctx->iter) :
				     walk_next(&ctx->iter);
		if (IS_ERR(obj))
			obj = walk_next(&ctx->iter);
		ctx->pending = false;
		for (; obj; obj = walk_next(&ctx->iter)) {
			if (put_record(plain, ctx->phase, obj)) {
				ctx->pending = true;
				break;
			}
		}
		rhashtable_walk_stop(&ctx->iter);
		if (ctx->pending)
			return plain->len ? 0 : -EMSGSIZE;
		rhashtable_walk_exit(&ctx->iter);
		next_phase(kn, ctx);
	}
	return 0;
}

/* Seals the records in @plain as the next segment, into @skb. */
static int save_segment(struct save_ctx *ctx, struct sk_buff *skb,
			struct sk_buff *plain)
{
	struct nlattr *a;

	a = nla_reserve(skb, KSF_A_STATE_CHUNK,
			KSF_SEAL_SEG_OVERHEAD + plain->len);
	if (!a)
		return -EMSGSIZE;
	return ksf_seal_segment(ctx->seal, plain->data, plain->len,
				ctx->phase == PHASE_DONE, nla_data(a));
}

static int save_begin(struct ksf_net *kn, struct nlattr **tb,
		      struct save_ctx *ctx, struct netlink_ext_ack *extack)
{
	u8 kek[KSF_SEAL_KEY_LEN];
	int ret;

	ret = kek_read(tb[KSF_A_STATE_KEK_SERIAL], tb[KSF_A_STATE_KEK_DESC],
		       kek, extack);
	if (ret)
		return ret;
	ctx->seal = ksf_seal_begin(kek, STATE_VERSION, ctx->header);
	memzero_explicit(kek, sizeof(kek));
	ret = PTR_ERR_OR_ZERO(ctx->seal);
	if (ret)
		NL_SET_ERR_MSG(extack, "sealing failed");
	return ret;
}

int ksf_nl_save_start(struct netlink_callback *cb)
{
	struct ksf_net *kn = ksf_net(sock_net(cb->skb->sk));
	struct save_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	int ret;

	if (!ctx)
		return -ENOMEM;
	ret = save_begin(kn, ksf_dump_attrs(cb), ctx, cb->extack);
	if (ret) {
		kfree(ctx);
		return ret;
	}
	cb->min_dump_alloc = STATE_DUMP_SIZE;
	cb->args[0] = (long)ctx;
	return 0;
}

/* One unit per message: the header, then one segment per call. */
int ksf_nl_save_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ksf_net *kn = ksf_net(sock_net(cb->skb->sk));
	struct save_ctx *ctx = (struct save_ctx *)cb->args[0];
	const struct genlmsghdr *ghdr = nlmsg_data(cb->nlh);
	struct sk_buff *plain;
	void *hdr;
	int room, ret;

	if (ctx->phase == PHASE_DONE)
		return 0;
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &ksf_nl_family, NLM_F_MULTI, ghdr->cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (ctx->phase == PHASE_HEADER) {
		if (nla_put(skb, KSF_A_STATE_CHUNK, sizeof(ctx->header),
			    ctx->header)) {
			genlmsg_cancel(skb, hdr);
			return -EMSGSIZE;
		}
		ctx->phase = PHASE_IDENTITY;
		genlmsg_end(skb, hdr);
		return skb->len;
	}
	room = min_t(int, skb_tailroom(skb) -
			 nla_total_size(KSF_SEAL_SEG_OVERHEAD),
		     STATE_SEG_MAX);
	plain = room > 0 ? alloc_skb(room, GFP_KERNEL) : NULL;
	ret = plain ? save_fill(kn, ctx, plain) : -ENOMEM;
	if (!ret)
		ret = save_segment(ctx, skb, plain);
	if (plain) {
		memzero_explicit(plain->head, skb_end_offset(plain));
		kfree_skb(plain);
	}
	if (ret) {
		genlmsg_cancel(skb, hdr);
		return ret;
	}
	genlmsg_end(skb, hdr);
	return skb->len;
}

int ksf_nl_save_done(struct netlink_callback *cb)
{
	struct save_ctx *ctx = (struct save_ctx *)cb->args[0];

	if (!ctx)
		return 0;
	if (ctx->phase >= PHASE_PEERS && ctx->phase != PHASE_DONE)
		rhashtable_walk_exit(&ctx->iter);
	ksf_seal_finish(ctx->seal);
	kfree_sensitive(ctx);
	return 0;
}

/* ---- restore ---- */

static int restore_key(struct ksf_net *kn, const struct nlattr *rec,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[KSF_A_KEY_MAX + 1];
	struct ksf_key_spec spec = {};
	struct ksf_peer *owner;
	u64 handle;
	int ret;

	/* @extack is the segment's own: only its message reaches the caller. */
	ret = nla_parse_nested_deprecated(tb, KSF_A_KEY_MAX, rec,
					  rec_key_policy, extack);
	if (ret)
		return ret;
	if (!tb[KSF_A_KEY_HANDLE] || !tb[KSF_A_KEY_TYPE] ||
	    !tb[KSF_A_KEY_OWNER] || !tb[KSF_A_KEY_MATERIAL] ||
	    !tb[KSF_A_KEY_USAGE])
		return -EINVAL;
	if (!nla_get_u64(tb[KSF_A_KEY_HANDLE]) || !tb[KSF_A_KEY_LEN] ||
	    nla_get_u32(tb[KSF_A_KEY_LEN]) != nla_len(tb[KSF_A_KEY_MATERIAL])) {
		NL_SET_ERR_MSG(extack, "saved key: handle or length not valid");
		return -EINVAL;
	}
	spec.handle = nla_get_u64(tb[KSF_A_KEY_HANDLE]);
	spec.type = nla_get_u32(tb[KSF_A_KEY_TYPE]);
	spec.len = nla_len(tb[KSF_A_KEY_MATERIAL]);
	spec.usage = nla_get_u32(tb[KSF_A_KEY_USAGE]);
	spec.source = tb[KSF_A_KEY_SOURCE] ?
		      nla_get_u32(tb[KSF_A_KEY_SOURCE]) : KSF_KEY_SOURCE_IMPORT;
	ksf_nl_get_attrs(tb, ksf_nl_key_attrs + KSF_NL_KEY_SAVED_FROM,
			 KSF_NL_KEY_ATTRS_N - KSF_NL_KEY_SAVED_FROM, &spec);
	ret = ksf_nl_key_peers(&spec, nla_data(rec), nla_len(rec), extack);
	if (ret)
		return ret;
	owner = ksf_peer_get(kn, nla_data(tb[KSF_A_KEY_OWNER]));
	if (!owner)
		return 0;	/* its peer was created after the save began */
	ret = ksf_key_add(kn, owner, &spec, nla_data(tb[KSF_A_KEY_MATERIAL]),
			  &handle, extack);
	ksf_peer_put(owner);
	return ret == -EEXIST ? 0 : ret;	/* seen twice by the walk */
}

/* The NAS context of a restored context: its keys are restored already. */
static int restore_nas(struct ksf_net *kn, struct ksf_ctx *ctx,
		       struct nlattr **tb, struct netlink_ext_ack *extack)
{
	const struct nlattr *enc = tb[KSF_A_CONTEXT_NAS_ENC_KEY];
	struct ksf_nas_ctx *nas;
	int ret = -EINVAL;
	bool null_enc;

	if (!tb[KSF_A_CONTEXT_NAS_INT_ALG] || !tb[KSF_A_CONTEXT_NAS_ENC_ALG] ||
	    !tb[KSF_A_CONTEXT_NAS_INT_KEY])
		return -EINVAL;
	nas = kzalloc(sizeof(*nas), GFP_KERNEL_ACCOUNT);
	if (!nas)
		return -ENOMEM;
	nas->int_alg = nla_get_u32(tb[KSF_A_CONTEXT_NAS_INT_ALG]);
	nas->enc_alg = nla_get_u32(tb[KSF_A_CONTEXT_NAS_ENC_ALG]);
	if (nas->enc_alg == KSF_ALG_MILENAGE) {	/* inside NEA1..NEA0 */
		NL_SET_ERR_MSG(extack, "saved NAS context: enc-alg not valid");
		goto err;
	}
	if (tb[KSF_A_CONTEXT_NAS_DIRECTION])
		nas->direction = nla_get_u8(tb[KSF_A_CONTEXT_NAS_DIRECTION]);
	/* A save older than the bearer: 1, nas-context's default (3GPP). */
	nas->bearer = tb[KSF_A_CONTEXT_NAS_BEARER] ?
		      nla_get_u8(tb[KSF_A_CONTEXT_NAS_BEARER]) : 1;
	if (tb[KSF_A_CONTEXT_NAS_TX_COUNT])
		nas->tx_count = nla_get_u32(tb[KSF_A_CONTEXT_NAS_TX_COUNT]);
	if (tb[KSF_A_CONTEXT_NAS_RX_COUNT])
		nas->rx_count = nla_get_u32(tb[KSF_A_CONTEXT_NAS_RX_COUNT]);
	/* NAS COUNTs are 24 bits; one past the last means exhausted. */
	if (nas->tx_count > NAS_COUNT_END || nas->rx_count > NAS_COUNT_END) {
		NL_SET_ERR_MSG(extack, "saved NAS context: COUNT not valid");
		goto err;
	}
	/* Its COUNTs may have moved on since the save: nothing is reused. */
	nas->restored = true;
	nas->int_key = ksf_key_get(kn, nla_get_u64(tb[KSF_A_CONTEXT_NAS_INT_KEY]));
	if (enc)
		nas->enc_key = ksf_key_get(kn, nla_get_u64(enc));
	/*
	 * The keys must key the context's algorithms (nas keys) and be its
	 * owner's, K_NASenc unless NEA0.  A NAS context set up while the save ran may name keys the
	 * save does not hold: the context is restored without it.
	 */
	null_enc = nas->enc_alg == KSF_ALG_NEA0;
	ret = 0;
	if (!nas->int_key || (!null_enc && !nas->enc_key))
		goto err;
	ret = -EINVAL;
	if (nas->int_key->owner != ctx->owner ||
	    !ksf_key_type_keys(nas->int_key->type, nas->int_alg) ||
	    (null_enc && nas->enc_key) ||
	    (nas->enc_key && (nas->enc_key->owner != ctx->owner ||
			      !ksf_key_type_keys(nas->enc_key->type,
						 nas->enc_alg)))) {
		NL_SET_ERR_MSG(extack, "saved NAS context: keys not valid");
		goto err;
	}
	ret = ksf_ctx_set_nas(ctx, nas);
	if (!ret)
		return 0;
err:
	ksf_ctx_nas_free(nas);
	return ret;
}

/* The USIM's SQN state: SQNs and bounds are 48-bit numbers. */
static bool sqn_ms_valid(const struct ksf_sqn_ms *ms)
{
	unsigned int i;

	for (i = 0; i < KSF_SQN_IND_N; i++)
		if (ms->seq[i] >> 48)
			return false;
	return !(ms->delta >> 48) && !(ms->limit >> 48);
}

static int restore_ctx(struct ksf_net *kn, const struct nlattr *rec,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[KSF_A_CONTEXT_MAX + 1];
	struct ksf_ctx_spec spec = {};
	struct ksf_peer *owner;
	struct ksf_ctx *ctx;
	int ret;

	ret = nla_parse_nested_deprecated(tb, KSF_A_CONTEXT_MAX, rec,
					  rec_ctx_policy, extack);
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
	if (!spec.handle || !*spec.id || (spec.sqn_he >> 48) ||
	    (spec.sqn_ms && !sqn_ms_valid(spec.sqn_ms))) {
		NL_SET_ERR_MSG(extack,
			       "saved context: handle, subscriber or SQN not valid");
		return -EINVAL;
	}
	owner = ksf_peer_get(kn, nla_data(tb[KSF_A_CONTEXT_PEER]));
	if (!owner)
		return 0;	/* its peer was created after the save began */
	ret = ksf_ctx_new(kn, owner, &spec, &ctx);
	ksf_peer_put(owner);
	if (ret == -EEXIST || ret == -EADDRINUSE)
		return 0;	/* seen twice by the walk */
	if (ret)
		return ret;
	if (tb[KSF_A_CONTEXT_NAS_INT_KEY])
		ret = restore_nas(kn, ctx, tb, extack);
	ksf_ctx_put(ctx);
	return ret;
}

/* A saved pair policy (NULL: none), to store once its peer is back. */
static struct ksf_pair *restore_pair(const struct nlattr *nest,
				     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[KSF_A_PAIR_MAX + 1];
	struct ksf_pair *pair;
	const char *why;

	if (!nest)
		return NULL;
	if (nla_parse_nested(tb, KSF_A_PAIR_MAX, nest, rec_pair_policy, extack))
		return ERR_PTR(-EINVAL);
	pair = ksf_nl_pair_parse(tb[KSF_A_PAIR_GENERATION],
				 tb[KSF_A_PAIR_WE_RUN], tb[KSF_A_PAIR_THEY_RUN],
				 &why);
	if (IS_ERR(pair))
		NL_SET_ERR_MSG(extack, "saved pair policy not valid");
	return pair;
}

/* @pair (taken) for the restored peer @id. */
static int restore_pair_store(struct ksf_net *kn, const char *id,
			      struct ksf_pair *pair,
			      struct netlink_ext_ack *extack)
{
	struct ksf_peer *p = ksf_peer_get(kn, id);
	int ret = 0;

	if (p && p->chan) {
		ksf_pair_store(p, pair);
	} else {
		NL_SET_ERR_MSG(extack,
			       "saved pair policy of a peer that is not a ksf peer");
		ksf_pair_free(pair);
		ret = -EINVAL;
	}
	ksf_peer_put(p);
	return ret;
}

static int restore_peer(struct ksf_net *kn, const struct nlattr *rec,
			struct netlink_ext_ack *extack)
{
	struct nlattr *tb[KSF_A_PEER_MAX + 1];
	struct ksf_peer_spec spec;
	struct ksf_pair *pair;
	int ret;

	ret = nla_parse_nested_deprecated(tb, KSF_A_PEER_MAX, rec,
					  rec_peer_policy, extack);
	if (ret)
		return ret;
	if (!tb[KSF_A_PEER_ID] || !tb[KSF_A_PEER_KIND])
		return -EINVAL;
	ret = ksf_nl_peer_spec(tb, &spec, false, extack);
	if (ret)
		return ret;
	if (tb[KSF_A_PEER_HANDSHAKE_MARK])	/* only a save carries it */
		spec.mark = nla_data(tb[KSF_A_PEER_HANDSHAKE_MARK]);
	pair = restore_pair(tb[KSF_A_PEER_PAIR], extack);
	if (IS_ERR(pair))
		return PTR_ERR(pair);
	ret = ksf_peer_restore(kn, &spec, extack);
	if (!ret && pair) {
		ret = restore_pair_store(kn, spec.id, pair, extack);
		pair = NULL;
	}
	ksf_pair_free(pair);
	return ret == -EEXIST ? 0 : ret;	/* seen twice by the walk */
}

static const struct nla_policy rec_identity_policy[STATE_ID_MAX + 1] = {
	[STATE_ID_PRIVATE]	= NLA_POLICY_EXACT_LEN(KSF_X25519_LEN),
};

/* The saved identity, installed only when the whole restore succeeds. */
static int restore_identity(struct ksf_net *kn, const struct nlattr *rec,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[STATE_ID_MAX + 1];
	struct ksf_restore *r = kn->restore;
	int ret;

	ret = nla_parse_nested(tb, STATE_ID_MAX, rec, rec_identity_policy,
			       extack);
	if (ret)
		return ret;
	if (!tb[STATE_ID_PRIVATE] || r->has_identity) {
		NL_SET_ERR_MSG(extack, "saved identity not valid");
		return -EINVAL;
	}
	memcpy(r->identity_priv, nla_data(tb[STATE_ID_PRIVATE]),
	       KSF_X25519_LEN);
	ret = ksf_x25519(r->identity_pub, r->identity_priv, NULL);
	if (ret == -EKEYREJECTED)
		NL_SET_ERR_MSG(extack, "saved identity not valid");
	r->has_identity = !ret;
	return ret;
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
			ret = restore_ctx(kn, rec, extack);
		else if (nla_type(rec) == STATE_REC_IDENTITY)
			ret = restore_identity(kn, rec, extack);
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

	lockdep_assert_held(&kn->restore_lock);
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

static void restore_free(struct ksf_net *kn)
{
	lockdep_assert_held(&kn->restore_lock);
	if (!kn->restore)
		return;
	ksf_seal_finish(kn->restore->seal);
	kfree_sensitive(kn->restore);
	WRITE_ONCE(kn->restore, NULL);
}

/*
 * A header unit (0.1 and 0.2 had the same 92 bytes) of an older version,
 * refused with its own word.
 */
static bool old_version(const struct nlattr *unit)
{
	const u8 *h = nla_data(unit);

	return nla_len(unit) == KSF_SEAL_HEADER_LEN &&
	       ksf_seal_unit(h, nla_len(unit)) == KSF_SEAL_HEADER &&
	       get_unaligned_be32(h + 8) &&
	       get_unaligned_be32(h + 8) < STATE_VERSION &&
	       !get_unaligned_be32(h + 12);
}

/* Opens the header unit: a new restore session. */
static int restore_header(struct ksf_net *kn, struct genl_info *info,
			  const struct nlattr *unit)
{
	u8 kek[KSF_SEAL_KEY_LEN];
	struct ksf_seal *seal;
	struct ksf_restore *r;
	int ret;

	lockdep_assert_held(&kn->restore_lock);
	if (kn->restore) {
		NL_SET_ERR_MSG(info->extack, "another restore is in progress");
		return -EBUSY;
	}
	if (!instance_empty(kn)) {
		NL_SET_ERR_MSG(info->extack, "restore needs an empty instance");
		return -EBUSY;
	}
	if (old_version(unit)) {
		NL_SET_ERR_MSG(info->extack,
			       "saved by ksf 0.1/0.2 (state version 1/2): ksf 0.3 restores version 3 only; see the admin guide, \"Upgrading to 0.3\"");
		return -EPROTO;
	}
	if (ksf_seal_check_header(nla_data(unit), nla_len(unit),
				  STATE_VERSION)) {
		NL_SET_ERR_MSG(info->extack, "not a ksf saved state of this version");
		return -EINVAL;
	}
	ret = kek_read(info->attrs[KSF_A_STATE_KEK_SERIAL],
		       info->attrs[KSF_A_STATE_KEK_DESC], kek, info->extack);
	if (ret)
		return ret;
	seal = ksf_seal_open(kek, nla_data(unit), nla_len(unit), STATE_VERSION);
	memzero_explicit(kek, sizeof(kek));
	if (IS_ERR(seal)) {
		if (PTR_ERR(seal) == -EBADMSG)
			NL_SET_ERR_MSG(info->extack,
				       "saved state does not authenticate under this KEK");
		return PTR_ERR(seal);
	}
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r) {
		ksf_seal_finish(seal);
		return -ENOMEM;
	}
	r->seal = seal;
	r->portid = info->snd_portid;
	WRITE_ONCE(kn->restore, r);
	return 0;
}

/*
 * A restore begins under the write side of the restore gate (ksf.h): the
 * requests and timer runs in flight finish first, so the instance found
 * empty stays empty, and none runs while kn->restore is set.
 */
static int restore_begin(struct ksf_net *kn, struct genl_info *info,
			 const struct nlattr *unit)
{
	int ret;

	lockdep_assert_held(&kn->restore_lock);
	percpu_down_write(&kn->gate);
	ret = restore_header(kn, info, unit);
	percpu_up_write(&kn->gate);
	return ret;
}

/* Opens and applies the next segment; 1 after the last one. */
static int restore_segment(struct ksf_net *kn, struct genl_info *info,
			   const struct nlattr *unit)
{
	struct ksf_restore *r = kn->restore;
	struct netlink_ext_ack rec_extack = {};
	struct ksf_seal_text text;
	int ret;

	lockdep_assert_held(&kn->restore_lock);
	if (!r) {
		NL_SET_ERR_MSG(info->extack,
			       "a restore starts with the header of a saved state");
		return -EINVAL;
	}
	if (r->portid != info->snd_portid) {
		NL_SET_ERR_MSG(info->extack, "another restore is in progress");
		return -EBUSY;
	}
	if (nla_len(unit) < KSF_SEAL_SEG_OVERHEAD) {
		NL_SET_ERR_MSG(info->extack, "saved state truncated");
		return -EINVAL;
	}
	ret = ksf_seal_open_segment(r->seal, nla_data(unit), nla_len(unit),
				    &text);
	if (ret == -EINVAL)
		NL_SET_ERR_MSG(info->extack, "saved state segment missing or out of order");
	else if (ret == -EBADMSG)
		NL_SET_ERR_MSG(info->extack, "saved state segment does not authenticate");
	if (ret)
		return ret;
	/*
	 * Errors about records point into the blob: keep only their text,
	 * a constant string (the record parsers format none).
	 */
	ret = restore_records(kn, text.data, text.len, &rec_extack);
	if (ret)
		info->extack->_msg = rec_extack._msg ? rec_extack._msg :
						       "saved state not valid";
	else
		ret = text.last;
	ksf_seal_text_free(&text);
	return ret;
}

/* Runs the units of one request; 1 when the restore is complete. */
static int restore_units(struct ksf_net *kn, struct genl_info *info)
{
	const struct nlattr *a;
	int rem, ret = 0, n = 0, kind;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != KSF_A_STATE_CHUNK)
			continue;
		if (ret == 1) {
			NL_SET_ERR_MSG(info->extack, "data after the last segment");
			return -EINVAL;
		}
		kind = ksf_seal_unit(nla_data(a), nla_len(a));
		if (kind < 0) {
			NL_SET_ERR_MSG_ATTR(info->extack, a, "not a unit of a saved state");
			return -EINVAL;
		}
		n++;
		if (kind == KSF_SEAL_HEADER)
			ret = restore_begin(kn, info, a);
		else
			ret = restore_segment(kn, info, a);
		if (ret < 0)
			return ret;
	}
	if (!n && !info->attrs[KSF_A_STATE_END]) {
		NL_SET_ERR_MSG(info->extack, "no saved state");
		return -EINVAL;
	}
	return ret;
}

int ksf_nl_restore_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ksf_net *kn = ksf_net(genl_info_net(info));
	bool end = nla_get_flag(info->attrs[KSF_A_STATE_END]);
	bool mine;
	int ret;

	mutex_lock(&kn->restore_lock);
	ret = restore_units(kn, info);
	mine = kn->restore && kn->restore->portid == info->snd_portid;
	if (ret == 0 && end) {
		if (mine)
			NL_SET_ERR_MSG(info->extack,
				       "saved state truncated: no last segment");
		else
			NL_SET_ERR_MSG(info->extack, "no saved state");
		ret = -EINVAL;
	}
	/* A failed restore of this caller leaves nothing behind. */
	if (ret < 0 && mine) {
		restore_undo(kn);
		restore_free(kn);
	}
	if (ret == 1) {
		if (kn->restore->has_identity)
			ksf_identity_install(kn, kn->restore->identity_priv,
					     kn->restore->identity_pub);
		restore_free(kn);
		ret = 0;
	}
	mutex_unlock(&kn->restore_lock);
	return ret;
}

/* The socket of a restore in progress closed: undo it. */
void ksf_restore_release(struct ksf_net *kn, u32 portid)
{
	if (!READ_ONCE(kn->restore))	/* the common case: no lock */
		return;
	mutex_lock(&kn->restore_lock);
	if (kn->restore && kn->restore->portid == portid) {
		restore_undo(kn);
		restore_free(kn);
	}
	mutex_unlock(&kn->restore_lock);
}

/* Instance teardown. */
void ksf_restore_exit(struct ksf_net *kn)
{
	mutex_lock(&kn->restore_lock);
	restore_free(kn);
	mutex_unlock(&kn->restore_lock);
}
