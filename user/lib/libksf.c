// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libksf: C API of the ksf Generic Netlink family.
 *
 * libnl-3 / libnl-genl-3 provide the socket and the attribute parsers;
 * requests are built in a per-handle buffer and exchanged with plain
 * send()/recv() on the libnl socket, so one request costs one send and
 * (usually) one recv.  Extended acks are enabled and capped acks too, so
 * an error reply never echoes the request (which may hold key material).
 */
#include "internal.h"

#define KSF_RX_MIN	(32 * 1024)	/* covers the kernel's dump skb size */
#define KSF_EV_RCVBUF	(4 << 20)

/* ---- Open / close ------------------------------------------------------------ */

struct getfamily {
	int id;
	int version;
	int mcgrp;
	uint8_t op_perm[256];
};

/* The permission flags of each command, as the kernel reports them. */
static void getfamily_ops(struct nlattr *ops, struct getfamily *gf)
{
	struct nlattr *op, *otb[CTRL_ATTR_OP_MAX + 1];
	uint32_t id, flags;
	int rem;

	nla_for_each_nested(op, ops, rem) {
		if (nla_parse_nested(otb, CTRL_ATTR_OP_MAX, op, NULL))
			continue;
		if (a_u32(otb[CTRL_ATTR_OP_ID], &id) && id < 256 &&
		    a_u32(otb[CTRL_ATTR_OP_FLAGS], &flags))
			gf->op_perm[id] = flags & (GENL_ADMIN_PERM |
						   GENL_UNS_ADMIN_PERM);
	}
}

static int getfamily_cb(struct ksf *h, struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1], *grp, *gtb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	struct getfamily *gf = arg;
	int rem;
	uint32_t v;

	(void)h;
	if (msg_parse(nlh, tb, CTRL_ATTR_MAX))
		return -EPROTO;
	if (!tb[CTRL_ATTR_FAMILY_ID] || nla_len(tb[CTRL_ATTR_FAMILY_ID]) != 2)
		return -EPROTO;
	gf->id = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (a_u32(tb[CTRL_ATTR_VERSION], &v))
		gf->version = v;
	if (tb[CTRL_ATTR_OPS])
		getfamily_ops(tb[CTRL_ATTR_OPS], gf);
	if (tb[CTRL_ATTR_MCAST_GROUPS]) {
		nla_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS], rem) {
			const char *name;

			if (nla_parse_nested(gtb, CTRL_ATTR_MCAST_GRP_MAX, grp,
					     NULL))
				continue;
			name = a_str(gtb[CTRL_ATTR_MCAST_GRP_NAME]);
			if (name && !strcmp(name, KSF_MCGRP_EVENTS) &&
			    a_u32(gtb[CTRL_ATTR_MCAST_GRP_ID], &v))
				gf->mcgrp = v;
		}
	}
	return 0;
}

/*
 * libnl's default of 32 KiB is too small for batched replies: the
 * receive buffer takes the largest reply, KSF_BATCH_MAX results of the
 * largest size the spec allows (SO_RCVBUFFORCE when the caller may, else
 * as much as rmem_max lets SO_RCVBUF have).
 */
static void sock_buffers(int fd, struct nl_sock *sk)
{
	size_t want = NLMSG_HDRLEN + GENL_HDRLEN +
		      (size_t)KSF_BATCH_MAX * ksfl_result_max();
	int rcv = want > INT_MAX / 2 ? INT_MAX / 2 : (int)want;

	nl_socket_set_buffer_size(sk, rcv, 1 << 20);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv));
}

static int sock_open(struct nl_sock **skp, int *fdp)
{
	struct nl_sock *sk;
	int one = 1, err;

	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	err = genl_connect(sk);
	if (err) {
		nl_socket_free(sk);
		return -ECONNREFUSED;
	}
	*fdp = nl_socket_get_fd(sk);
	sock_buffers(*fdp, sk);
	/* Best effort: old kernels lack these. */
	setsockopt(*fdp, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(*fdp, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	*skp = sk;
	return 0;
}

KSF_EXPORT struct ksf *ksf_open(void)
{
	struct getfamily gf = { 0 };
	struct ksf *h;
	struct mb m;
	int err;

	err_clear();
	h = calloc(1, sizeof(*h));
	if (!h) {
		errno = ENOMEM;
		err_set(-ENOMEM, NULL);
		return NULL;
	}
	pthread_mutex_init(&h->lock, NULL);
	pthread_mutex_init(&h->ev_lock, NULL);
	h->ev_fd = -1;
	err = sock_open(&h->sk, &h->fd);
	if (err) {
		err_set(err, "cannot open a generic netlink socket: %s",
			strerror(-err));
		goto fail;
	}
	if (buf_grow(&h->rx, &h->rx_cap, KSF_RX_MIN, 0)) {
		err = err_set(-ENOMEM, NULL);
		goto fail;
	}

	mb_init(&m, h, CTRL_CMD_GETFAMILY);
	((struct genlmsghdr *)(h->tx + NLMSG_HDRLEN))->version = 1;
	mb_str(&m, CTRL_ATTR_FAMILY_NAME, KSF_FAMILY_NAME);
	err = xchg(&m, X_REPLY, GENL_ID_CTRL, 0, getfamily_cb, &gf);
	if (err) {
		if (err == -ENOENT)
			err_set(err, "ksf family not found (is the ksf module loaded?)");
		goto fail;
	}
	h->family = gf.id;
	h->version = gf.version;
	h->mcgrp = gf.mcgrp;
	memcpy(h->op_perm, gf.op_perm, sizeof(h->op_perm));
	return h;

fail:
	ksf_close(h);
	errno = -err;
	return NULL;
}

KSF_EXPORT void ksf_close(struct ksf *h)
{
	if (!h)
		return;
	if (h->sk)
		nl_socket_free(h->sk);
	if (h->ev_sk)
		nl_socket_free(h->ev_sk);
	if (h->tx) {
		explicit_bzero(h->tx, h->tx_cap);
		free(h->tx);
	}
	free(h->rx);
	free(h->ev_rx);
	pthread_mutex_destroy(&h->lock);
	pthread_mutex_destroy(&h->ev_lock);
	free(h);
}

/* ---- GET_INFO --------------------------------------------------------------- */

static int info_cb(struct ksf *h, struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[KSF_A_INFO_MAX + 1];
	struct ksf_info *info = arg;

	(void)h;
	if (msg_parse(nlh, tb, KSF_A_INFO_MAX))
		return -EPROTO;
	memset(info, 0, sizeof(*info));
	a_strcpy(tb[KSF_A_INFO_VERSION], info->version, sizeof(info->version));
	a_u64(tb[KSF_A_INFO_INSTANCE_ID], &info->instance_id);
	a_u32(tb[KSF_A_INFO_PEERS], &info->peers);
	a_u32(tb[KSF_A_INFO_KEYS], &info->keys);
	a_u32(tb[KSF_A_INFO_CONTEXTS], &info->contexts);
	a_u32(tb[KSF_A_INFO_PEER_SIZE], &info->peer_size);
	a_u32(tb[KSF_A_INFO_KEY_SIZE], &info->key_size);
	a_u64(tb[KSF_A_INFO_MEM], &info->mem);
	a_u32(tb[KSF_A_INFO_CONTEXT_SIZE], &info->context_size);
	return 1;
}

/* One GET_INFO exchange, its reply read by @cb. */
static int get_info(struct ksf *h, msg_fn cb, void *arg)
{
	struct mb m;
	int ret;

	begin(h, &m, KSF_CMD_GET_INFO);
	ret = xchg(&m, X_REPLY, h->family, 0, cb, arg);
	if (ret == 0)
		ret = err_set(-EPROTO, "no reply from the kernel");
	return end(h, ret < 0 ? ret : 0);
}

KSF_EXPORT int ksf_get_info(struct ksf *h, struct ksf_info *info)
{
	CHECK_HANDLE(h);
	return get_info(h, info_cb, info);
}

static int public_key_cb(struct ksf *h, struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[KSF_A_INFO_MAX + 1];
	const struct nlattr *a;

	(void)h;
	if (msg_parse(nlh, tb, KSF_A_INFO_MAX))
		return -EPROTO;
	a = tb[KSF_A_INFO_PUBLIC_KEY];
	if (!a || nla_len(a) != KSF_PUBLIC_KEY_LEN)
		return err_set(-EPROTO, "reply without a public key");
	memcpy(arg, nla_data(a), KSF_PUBLIC_KEY_LEN);
	return 1;
}

KSF_EXPORT int ksf_get_public_key(struct ksf *h,
				  uint8_t pub[KSF_PUBLIC_KEY_LEN])
{
	CHECK_HANDLE(h);
	if (!pub)
		return err_set(-EINVAL, "no buffer for the public key");
	return get_info(h, public_key_cb, pub);
}

static int key_id_cb(struct ksf *h, struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[KSF_A_INFO_MAX + 1];

	(void)h;
	if (msg_parse(nlh, tb, KSF_A_INFO_MAX))
		return -EPROTO;
	if (!a_u64(tb[KSF_A_INFO_KEY_ID], arg))
		return err_set(-EPROTO, "reply without a key id");
	return 1;
}

KSF_EXPORT int ksf_get_key_id(struct ksf *h, uint64_t *id)
{
	CHECK_HANDLE(h);
	if (!id)
		return err_set(-EINVAL, "no buffer for the key id");
	return get_info(h, key_id_cb, id);
}

struct dump_arg {
	void *cb;
	void *arg;
};

/* ---- Keys ------------------------------------------------------------------ */

static int handle_cb(struct ksf *h, struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[KSF_A_KEY_MAX + 1];

	(void)h;
	if (msg_parse(nlh, tb, KSF_A_KEY_MAX))
		return -EPROTO;
	if (!a_u64(tb[KSF_A_KEY_HANDLE], arg))
		return err_set(-EPROTO, "reply without a key handle");
	return 1;
}

KSF_EXPORT int ksf_key_new(struct ksf *h, const struct ksf_key_spec *spec,
			   uint64_t *handle)
{
	uint64_t hd = 0;
	struct mb m;
	size_t i;
	int ret;

	CHECK_HANDLE(h);
	if (!spec)
		return err_set(-EINVAL, "no key spec");
	begin(h, &m, KSF_CMD_KEY_NEW);
	if (spec->type)
		mb_u32(&m, KSF_A_KEY_TYPE, spec->type);
	if (spec->len)
		mb_u32(&m, KSF_A_KEY_LEN, spec->len);
	if (spec->usage)
		mb_u32(&m, KSF_A_KEY_USAGE, spec->usage);
	if (spec->owner)
		mb_str(&m, KSF_A_KEY_OWNER, spec->owner);
	for (i = 0; i < spec->n_peers; i++)
		if (spec->peers[i])
			mb_str(&m, KSF_A_KEY_PEER, spec->peers[i]);
	if (spec->not_after)
		mb_u64(&m, KSF_A_KEY_NOT_AFTER, spec->not_after);
	if (spec->max_age)
		mb_u32(&m, KSF_A_KEY_MAX_AGE, spec->max_age);
	if (spec->has_keyring_serial)
		mb_s32(&m, KSF_A_KEY_KEYRING_SERIAL, spec->keyring_serial);
	if (spec->keyring_desc)
		mb_str(&m, KSF_A_KEY_KEYRING_DESC, spec->keyring_desc);
	mb_buf(&m, KSF_A_KEY_MATERIAL, &spec->material);
	ret = xchg(&m, X_REPLY, h->family, 0, handle_cb, &hd);
	/* wipe the request (material) right away */
	explicit_bzero(h->tx, m.len);
	if (ret == 0)
		ret = err_set(-EPROTO, "no reply from the kernel");
	if (ret > 0) {
		ret = 0;
		if (handle)
			*handle = hd;
	}
	return end(h, ret);
}

KSF_EXPORT int ksf_key_del(struct ksf *h, uint64_t handle)
{
	struct mb m;

	CHECK_HANDLE(h);
	begin(h, &m, KSF_CMD_KEY_DEL);
	mb_u64(&m, KSF_A_KEY_HANDLE, handle);
	return end(h, xchg(&m, X_ACK, h->family, 0, NULL, NULL));
}

static int decode_key(struct nlmsghdr *nlh, struct ksf_key *key,
		      struct arena **ar)
{
	struct nlattr *tb[KSF_A_KEY_MAX + 1], *attrs, *a;
	size_t n = 0;
	int len, rem;

	memset(key, 0, sizeof(*key));
	attrs = msg_attrs(nlh, &len);
	if (nla_parse(tb, KSF_A_KEY_MAX, attrs, len, NULL))
		return -EPROTO;
	a_u64(tb[KSF_A_KEY_HANDLE], &key->handle);
	a_u32(tb[KSF_A_KEY_TYPE], &key->type);
	a_u32(tb[KSF_A_KEY_LEN], &key->len);
	a_u32(tb[KSF_A_KEY_USAGE], &key->usage);
	a_strcpy(tb[KSF_A_KEY_OWNER], key->owner, sizeof(key->owner));
	a_u64(tb[KSF_A_KEY_PARENT], &key->parent);
	a_u64(tb[KSF_A_KEY_CREATED], &key->created);
	a_u64(tb[KSF_A_KEY_NOT_AFTER], &key->not_after);
	a_u32(tb[KSF_A_KEY_MAX_AGE], &key->max_age);
	a_u32(tb[KSF_A_KEY_SOURCE], &key->source);
	a_u64(tb[KSF_A_KEY_USES], &key->uses);
	a_u32(tb[KSF_A_KEY_FLAGS], &key->flags);
	nla_for_each_attr(a, attrs, len, rem)
		if (nla_type(a) == KSF_A_KEY_PEER && a_str(a))
			n++;
	if (!n)
		return 0;
	key->peers = arena_alloc(ar, n * sizeof(char *));
	if (!key->peers)
		return -ENOMEM;
	nla_for_each_attr(a, attrs, len, rem) {
		const char *s;
		char *d;

		if (nla_type(a) != KSF_A_KEY_PEER || !(s = a_str(a)))
			continue;
		d = arena_alloc(ar, strlen(s) + 1);
		if (!d)
			return -ENOMEM;
		strcpy(d, s);
		key->peers[key->n_peers++] = d;
	}
	return 0;
}

struct key_get_arg {
	struct ksf_key *key;
	struct arena *ar;
};

static int key_get_cb(struct ksf *h, struct nlmsghdr *nlh, void *arg)
{
	struct key_get_arg *ka = arg;
	int err;

	(void)h;
	err = decode_key(nlh, ka->key, &ka->ar);
	return err ? err : 1;
}

KSF_EXPORT int ksf_key_get(struct ksf *h, uint64_t handle, struct ksf_key *key)
{
	struct key_get_arg ka = { .key = key };
	struct mb m;
	int ret;

	CHECK_HANDLE(h);
	if (!key)
		return err_set(-EINVAL, "no key");
	begin(h, &m, KSF_CMD_KEY_GET);
	mb_u64(&m, KSF_A_KEY_HANDLE, handle);
	ret = xchg(&m, X_REPLY, h->family, 0, key_get_cb, &ka);
	if (ret == 0)
		ret = err_set(-EPROTO, "no reply from the kernel");
	if (ret < 0) {
		arena_free(&ka.ar);
		memset(key, 0, sizeof(*key));
		return end(h, ret);
	}
	/* the peers array is the arena's first block: free from there */
	if (key->peers) {
		/*
		 * Re-pack the peers into one allocation so that
		 * ksf_key_clear() can free it with free().
		 */
		size_t i, total = key->n_peers * sizeof(char *);
		char **np, *p;

		for (i = 0; i < key->n_peers; i++)
			total += strlen(key->peers[i]) + 1;
		np = malloc(total);
		if (!np) {
			arena_free(&ka.ar);
			memset(key, 0, sizeof(*key));
			return end(h, err_set(-ENOMEM, NULL));
		}
		p = (char *)(np + key->n_peers);
		for (i = 0; i < key->n_peers; i++) {
			strcpy(p, key->peers[i]);
			np[i] = p;
			p += strlen(p) + 1;
		}
		key->peers = np;
	}
	arena_free(&ka.ar);
	return end(h, 0);
}

KSF_EXPORT void ksf_key_clear(struct ksf_key *key)
{
	if (!key)
		return;
	free(key->peers);
	memset(key, 0, sizeof(*key));
}

static int key_dump_cb(struct ksf *h, struct nlmsghdr *nlh, void *arg)
{
	struct dump_arg *da = arg;
	struct arena *ar = NULL;
	struct ksf_key key;
	int ret;

	(void)h;
	ret = decode_key(nlh, &key, &ar);
	if (!ret)
		ret = ((ksf_key_cb)da->cb)(&key, da->arg);
	arena_free(&ar);
	return ret;
}

KSF_EXPORT int ksf_key_dump(struct ksf *h, ksf_key_cb cb, void *arg)
{
	struct dump_arg da = { (void *)cb, arg };
	struct mb m;

	CHECK_HANDLE(h);
	if (!cb)
		return err_set(-EINVAL, "no callback");
	begin(h, &m, KSF_CMD_KEY_GET);
	return end(h, xchg(&m, X_DUMP, h->family, 0, key_dump_cb, &da));
}

/* ---- Contexts --------------------------------------------------------------- */

static int context_handle_cb(struct ksf *h, struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[KSF_A_CONTEXT_MAX + 1];

	(void)h;
	if (msg_parse(nlh, tb, KSF_A_CONTEXT_MAX))
		return -EPROTO;
	if (!a_u64(tb[KSF_A_CONTEXT_HANDLE], arg))
		return err_set(-EPROTO, "reply without a context handle");
	return 1;
}

KSF_EXPORT int ksf_context_new(struct ksf *h,
			       const struct ksf_context_spec *spec,
			       uint64_t *handle)
{
	uint64_t hd = 0;
	struct mb m;
	int ret;

	CHECK_HANDLE(h);
	if (!spec || !spec->peer || !spec->subscriber)
		return err_set(-EINVAL, "no peer or no subscriber");
	begin(h, &m, KSF_CMD_CONTEXT_NEW);
	mb_str(&m, KSF_A_CONTEXT_PEER, spec->peer);
	mb_str(&m, KSF_A_CONTEXT_SUBSCRIBER, spec->subscriber);
	if (spec->has_sqn_he)
		mb_u64(&m, KSF_A_CONTEXT_SQN_HE, spec->sqn_he);
	ret = xchg(&m, X_REPLY, h->family, 0, context_handle_cb, &hd);
	if (ret == 0)
		ret = err_set(-EPROTO, "no reply from the kernel");
	if (ret < 0)
		return end(h, ret);
	if (handle)
		*handle = hd;
	return end(h, 0);
}

KSF_EXPORT int ksf_context_del(struct ksf *h, uint64_t handle)
{
	struct mb m;

	CHECK_HANDLE(h);
	begin(h, &m, KSF_CMD_CONTEXT_DEL);
	mb_u64(&m, KSF_A_CONTEXT_HANDLE, handle);
	return end(h, xchg(&m, X_ACK, h->family, 0, NULL, NULL));
}

static int decode_context(struct nlmsghdr *nlh, struct ksf_context *ctx)
{
	struct nlattr *tb[KSF_A_CONTEXT_MAX + 1];

	memset(ctx, 0, sizeof(*ctx));
	if (msg_parse(nlh, tb, KSF_A_CONTEXT_MAX))
		return -EPROTO;
	a_u64(tb[KSF_A_CONTEXT_HANDLE], &ctx->handle);
	a_strcpy(tb[KSF_A_CONTEXT_PEER], ctx->peer, sizeof(ctx->peer));
	a_strcpy(tb[KSF_A_CONTEXT_SUBSCRIBER], ctx->subscriber,
		 sizeof(ctx->subscriber));
	a_u64(tb[KSF_A_CONTEXT_CREATED], &ctx->created);
	a_u32(tb[KSF_A_CONTEXT_STATE], &ctx->state);
	a_u32(tb[KSF_A_CONTEXT_NAS_INT_ALG], &ctx->nas_int_alg);
	a_u32(tb[KSF_A_CONTEXT_NAS_ENC_ALG], &ctx->nas_enc_alg);
	a_u64(tb[KSF_A_CONTEXT_NAS_INT_KEY], &ctx->nas_int_key);
	a_u64(tb[KSF_A_CONTEXT_NAS_ENC_KEY], &ctx->nas_enc_key);
	a_u8(tb[KSF_A_CONTEXT_NAS_DIRECTION], &ctx->nas_direction);
	a_u8(tb[KSF_A_CONTEXT_NAS_BEARER], &ctx->nas_bearer);
	a_u32(tb[KSF_A_CONTEXT_NAS_TX_COUNT], &ctx->nas_tx_count);
	a_u32(tb[KSF_A_CONTEXT_NAS_RX_COUNT], &ctx->nas_rx_count);
	return 0;
}

static int context_get_cb(struct ksf *h, struct nlmsghdr *nlh, void *arg)
{
	int err;

	(void)h;
	err = decode_context(nlh, arg);
	return err ? err : 1;
}

/* Send a built context-get request and decode its reply into ctx. */
static int context_get(struct ksf *h, struct mb *m, struct ksf_context *ctx)
{
	int ret;

	ret = xchg(m, X_REPLY, h->family, 0, context_get_cb, ctx);
	if (ret == 0)
		ret = err_set(-EPROTO, "no reply from the kernel");
	if (ret < 0) {
		memset(ctx, 0, sizeof(*ctx));
		return end(h, ret);
	}
	return end(h, 0);
}

KSF_EXPORT int ksf_context_get(struct ksf *h, uint64_t handle,
			       struct ksf_context *ctx)
{
	struct mb m;

	CHECK_HANDLE(h);
	if (!ctx)
		return err_set(-EINVAL, "no context");
	begin(h, &m, KSF_CMD_CONTEXT_GET);
	mb_u64(&m, KSF_A_CONTEXT_HANDLE, handle);
	return context_get(h, &m, ctx);
}

KSF_EXPORT int ksf_context_get_by_subscriber(struct ksf *h, const char *peer,
					     const char *subscriber,
					     struct ksf_context *ctx)
{
	struct mb m;

	CHECK_HANDLE(h);
	if (!peer || !subscriber || !ctx)
		return err_set(-EINVAL, "no peer, subscriber or context");
	begin(h, &m, KSF_CMD_CONTEXT_GET);
	mb_str(&m, KSF_A_CONTEXT_PEER, peer);
	mb_str(&m, KSF_A_CONTEXT_SUBSCRIBER, subscriber);
	return context_get(h, &m, ctx);
}

static int context_dump_cb(struct ksf *h, struct nlmsghdr *nlh, void *arg)
{
	struct dump_arg *da = arg;
	struct ksf_context ctx;
	int ret;

	(void)h;
	ret = decode_context(nlh, &ctx);
	if (!ret)
		ret = ((ksf_context_cb)da->cb)(&ctx, da->arg);
	return ret;
}

KSF_EXPORT int ksf_context_dump(struct ksf *h, ksf_context_cb cb, void *arg)
{
	struct dump_arg da = { (void *)cb, arg };
	struct mb m;

	CHECK_HANDLE(h);
	if (!cb)
		return err_set(-EINVAL, "no callback");
	begin(h, &m, KSF_CMD_CONTEXT_GET);
	return end(h, xchg(&m, X_DUMP, h->family, 0, context_dump_cb, &da));
}

/* ---- Persistence ------------------------------------------------------------ */

#define KSF_RESTORE_BATCH	(512 * 1024)	/* saved-state bytes per request */
#define KSF_SAVE_RX		(80 * 1024)	/* a save message: one unit */

static void put_kek(struct mb *m, const struct ksf_kek *kek)
{
	if (kek->serial)
		mb_s32(m, KSF_A_STATE_KEK_SERIAL, kek->serial);
	if (kek->desc)
		mb_str(m, KSF_A_STATE_KEK_DESC, kek->desc);
}

struct save_arg {
	uint8_t *buf;
	size_t len, cap;
};

static int save_cb(struct ksf *h, struct nlmsghdr *nlh, void *arg)
{
	struct save_arg *sa = arg;
	struct nlattr *attrs, *a;
	int len, rem;

	(void)h;
	attrs = msg_attrs(nlh, &len);
	nla_for_each_attr(a, attrs, len, rem) {
		size_t n = nla_len(a);

		if (nla_type(a) != KSF_A_STATE_CHUNK)
			continue;
		if (sa->len + n > sa->cap) {
			size_t cap = sa->cap ? sa->cap : 65536;
			uint8_t *p;

			while (cap < sa->len + n)
				cap *= 2;
			p = realloc(sa->buf, cap);
			if (!p)
				return err_set(-ENOMEM, NULL);
			sa->buf = p;
			sa->cap = cap;
		}
		memcpy(sa->buf + sa->len, nla_data(a), n);
		sa->len += n;
	}
	return 0;
}

KSF_EXPORT int ksf_save(struct ksf *h, const struct ksf_kek *kek, void **blob,
			size_t *size)
{
	struct save_arg sa = { 0 };
	struct mb m;
	int ret;

	CHECK_HANDLE(h);
	if (!kek || !blob || !size)
		return err_set(-EINVAL, "no KEK or no blob pointer");
	begin(h, &m, KSF_CMD_SAVE);
	put_kek(&m, kek);
	/* The kernel sends one unit, up to 64 KiB, per message. */
	ret = xchg(&m, X_DUMP, h->family, KSF_SAVE_RX, save_cb, &sa);
	if (!ret && !sa.len)
		ret = err_set(-EPROTO, "the kernel sent an empty saved state");
	if (ret < 0) {
		free(sa.buf);
		return end(h, ret);
	}
	*blob = sa.buf;
	*size = sa.len;
	return end(h, 0);
}

/* The length of the saved-state unit at @p (see the admin guide), or 0. */
static size_t unit_len(const uint8_t *p, size_t left)
{
	size_t n;

	if (left < 16)
		return 0;
	n = (size_t)p[4] << 24 | (size_t)p[5] << 16 | (size_t)p[6] << 8 | p[7];
	return n >= 16 && n <= left && n <= 65535 - 4 ? n : 0;
}

/*
 * Whether the kernel refuses this caller a restore: a request with no
 * unit and the end flag (which undoes nothing of another caller's
 * restore), so that a caller without the permission learns that rather
 * than what is wrong with its blob.  The kernel's error is kept then.
 */
static bool restore_denied(struct ksf *h)
{
	struct mb m;

	mb_init(&m, h, KSF_CMD_RESTORE);
	mb_put(&m, KSF_A_STATE_END, NULL, 0);
	if (xchg(&m, X_ACK, h->family, 0, NULL, NULL) == -EPERM)
		return true;
	err_clear();
	return false;
}

/* One restore request: the units in [*off, ...) up to a batch's size. */
static int restore_batch(struct ksf *h, struct mb *m, const uint8_t *p,
			 size_t size, size_t *off)
{
	bool first = !*off;	/* nothing sent yet */
	size_t n, batch;

	for (batch = 0; *off < size && batch < KSF_RESTORE_BATCH;
	     *off += n, batch += n) {
		n = unit_len(p + *off, size - *off);
		if (!n && first && restore_denied(h))
			return -EPERM;
		if (!n)
			return err_set(-EINVAL, "not a ksf saved state (bad unit at byte %zu)",
				       *off);
		mb_put(m, KSF_A_STATE_CHUNK, p + *off, n);
	}
	if (*off == size)
		mb_put(m, KSF_A_STATE_END, NULL, 0);
	return xchg(m, X_ACK, h->family, 0, NULL, NULL);
}

/*
 * Units go to the kernel in order, several per request; the last request
 * is marked end, so that the kernel undoes a restore that is incomplete
 * (as it does when this socket closes in the middle of one).
 */
KSF_EXPORT int ksf_restore(struct ksf *h, const struct ksf_kek *kek,
			   const void *blob, size_t size)
{
	size_t off = 0;
	struct mb m;
	int ret;

	CHECK_HANDLE(h);
	if (!kek || (!blob && size))
		return err_set(-EINVAL, "no KEK or no blob");
	begin(h, &m, KSF_CMD_RESTORE);
	put_kek(&m, kek);
	do {
		ret = restore_batch(h, &m, blob, size, &off);
		explicit_bzero(h->tx, m.len);
		if (ret && off) {
			/* Abort what the kernel has: an empty end request. */
			char msg[sizeof(tls_err)];

			snprintf(msg, sizeof(msg), "%s", ksf_last_error(h));
			mb_init(&m, h, KSF_CMD_RESTORE);
			mb_put(&m, KSF_A_STATE_END, NULL, 0);
			xchg(&m, X_ACK, h->family, 0, NULL, NULL);
			err_clear();
			err_set(ret, "%s", msg);
		}
		mb_init(&m, h, KSF_CMD_RESTORE);
	} while (!ret && off < size);
	return end(h, ret);
}

/* ---- Events ----------------------------------------------------------------- */

static void ev_close_locked(struct ksf *h)
{
	nl_socket_free(h->ev_sk);
	h->ev_sk = NULL;
	h->ev_fd = -1;
}

/* The events socket, not subscribed to anything yet. */
static int ev_sock_locked(struct ksf *h)
{
	int err, size = KSF_EV_RCVBUF;

	err = sock_open(&h->ev_sk, &h->ev_fd);
	if (err)
		return err_set(err, "cannot open the events socket: %s",
			       strerror(-err));
	/* root may exceed rmem_max: fewer lost events */
	if (setsockopt(h->ev_fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
		       sizeof(size)))
		setsockopt(h->ev_fd, SOL_SOCKET, SO_RCVBUF, &size,
			   sizeof(size));
	if (buf_grow(&h->ev_rx, &h->ev_cap, 64 * 1024, 0)) {
		ev_close_locked(h);
		return err_set(-ENOMEM, NULL);
	}
	return 0;
}

/* The events socket, in the events group (or registered by ksf_listen). */
static int ev_open_locked(struct ksf *h)
{
	int err;

	if (h->ev_sk)
		return 0;
	if (!h->mcgrp)
		return err_set(-ENOENT, "the ksf family has no events group");
	err = ev_sock_locked(h);
	if (err)
		return err;
	if (nl_socket_add_membership(h->ev_sk, h->mcgrp)) {
		err = errno ? -errno : -EPERM;
		ev_close_locked(h);
		if (err == -EPERM)
			return err_set(err, "joining the events group " KSF_CAP_MSG
				       " (an nf peer hears its own timer results with listen)");
		return err_set(err, "cannot join the events group: %s",
			       strerror(-err));
	}
	return 0;
}

/*
 * Sends a listen request from the events socket and waits for its ack.
 * A timer result the kernel sends between registering the socket and
 * acking is read here and dropped.
 */
static int ev_listen_locked(struct ksf *h)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	uint8_t req[NLMSG_HDRLEN + GENL_HDRLEN] = { 0 };
	struct nlmsghdr *nlh = (struct nlmsghdr *)req;
	struct genlmsghdr *g = (struct genlmsghdr *)(req + NLMSG_HDRLEN);
	uint32_t seq = 1;
	int n;

	nlh->nlmsg_len = sizeof(req);
	nlh->nlmsg_type = h->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	g->cmd = KSF_CMD_LISTEN;
	g->version = KSF_FAMILY_VERSION;
	do {
		n = sendto(h->ev_fd, req, sizeof(req), 0,
			   (struct sockaddr *)&sa, sizeof(sa));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return err_set(-errno, "send: %s", strerror(errno));
	for (;;) {
		n = sock_recv(h->ev_fd, &h->ev_rx, &h->ev_cap, true);
		if (n < 0)
			return err_set(n, "recv: %s", strerror(-n));
		for (nlh = (struct nlmsghdr *)h->ev_rx; nlmsg_ok(nlh, n);
		     nlh = nlmsg_next(nlh, &n)) {
			struct nlmsgerr *e = nlmsg_data(nlh);
			size_t off = sizeof(*e);

			if (nlh->nlmsg_type != NLMSG_ERROR ||
			    nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*e))
				return err_set(-EPROTO, "truncated netlink error");
			if (!e->error)
				return 0;
			if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
				off += e->msg.nlmsg_len - NLMSG_HDRLEN;
			parse_extack(nlh, off, e->error);
			return e->error;
		}
	}
}

KSF_EXPORT int ksf_listen(struct ksf *h)
{
	int ret;

	CHECK_HANDLE(h);
	pthread_mutex_lock(&h->ev_lock);
	err_clear();
	ret = h->ev_sk ? err_set(-EBUSY, "the events socket is already open") :
			 ev_sock_locked(h);
	if (!ret) {
		ret = ev_listen_locked(h);
		if (ret)
			ev_close_locked(h);
	}
	pthread_mutex_unlock(&h->ev_lock);
	return ret;
}

KSF_EXPORT int ksf_monitor_fd(struct ksf *h)
{
	int ret;

	CHECK_HANDLE(h);
	pthread_mutex_lock(&h->ev_lock);
	err_clear();
	ret = ev_open_locked(h);
	if (!ret)
		ret = h->ev_fd;
	pthread_mutex_unlock(&h->ev_lock);
	return ret;
}

/*
 * An event as ksf_monitor() hands it out, with what struct ksf_event_msg
 * has no member for (read with accessors: the struct is ABI).
 */
struct event_full {
	struct ksf_event_msg ev;
	uint64_t new_key;
};

KSF_EXPORT uint64_t ksf_event_new_key(const struct ksf_event_msg *ev)
{
	if (!ev)
		return 0;
	return ((const struct event_full *)ev)->new_key;
}

static int dispatch_event(struct ksf *h, struct nlmsghdr *nlh,
			  ksf_event_cb cb, void *arg)
{
	struct nlattr *tb[KSF_A_EVENT_MAX + 1], *attrs;
	struct ksf_results *results = NULL;
	struct event_full e = { 0 };
	int len, ret;

	if (nlh->nlmsg_type != h->family ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return 0;
	attrs = msg_attrs(nlh, &len);
	if (nla_parse(tb, KSF_A_EVENT_MAX, attrs, len, NULL))
		return 0;
	a_u32(tb[KSF_A_EVENT_TYPE], &e.ev.type);
	e.ev.peer = a_str(tb[KSF_A_EVENT_PEER]);
	a_u64(tb[KSF_A_EVENT_KEY], &e.ev.key);
	a_u64(tb[KSF_A_EVENT_NEW_KEY], &e.new_key);
	a_u32(tb[KSF_A_EVENT_SERVICE], &e.ev.service);
	e.ev.reason = a_str(tb[KSF_A_EVENT_REASON]);
	ret = ksfl_decode_results(attrs, len, KSF_A_EVENT_RESULT, &results);
	if (ret < 0)
		return ret;
	e.ev.results = results;
	ret = cb(&e.ev, arg);
	ksf_results_free(results);
	return ret;
}

static int monitor_read(struct ksf *h, ksf_event_cb cb, void *arg, bool wait)
{
	struct nlmsghdr *nlh;
	ssize_t n;
	int ret;

	for (;;) {
		/* events (timer results) may be large: size each one first */
		n = recv(h->ev_fd, h->ev_rx, h->ev_cap,
			 MSG_PEEK | MSG_TRUNC | (wait ? 0 : MSG_DONTWAIT));
		if (n > 0 && (size_t)n > h->ev_cap) {
			free(h->ev_rx);
			h->ev_rx = NULL;
			h->ev_cap = 0;
			if (buf_grow(&h->ev_rx, &h->ev_cap, n, 0))
				return err_set(-ENOMEM, NULL);
		}
		if (n >= 0)
			n = recv(h->ev_fd, h->ev_rx, h->ev_cap,
				 MSG_TRUNC | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return err_set(-errno, errno == ENOBUFS ?
				       "events lost (receive buffer overrun)" :
				       NULL);
		}
		if ((size_t)n > h->ev_cap)
			continue;	/* truncated: cannot decode */
		{
			int len = (int)n;

			for (nlh = (struct nlmsghdr *)h->ev_rx;
			     nlmsg_ok(nlh, len); nlh = nlmsg_next(nlh, &len)) {
				ret = dispatch_event(h, nlh, cb, arg);
				if (ret)
					return ret;
			}
		}
		if (wait)
			return 0;
	}
}

KSF_EXPORT int ksf_monitor_dispatch(struct ksf *h, ksf_event_cb cb, void *arg)
{
	int ret;

	CHECK_HANDLE(h);
	if (!cb)
		return err_set(-EINVAL, "no callback");
	pthread_mutex_lock(&h->ev_lock);
	err_clear();
	ret = ev_open_locked(h);
	if (!ret)
		ret = monitor_read(h, cb, arg, false);
	pthread_mutex_unlock(&h->ev_lock);
	return ret;
}

KSF_EXPORT int ksf_monitor(struct ksf *h, ksf_event_cb cb, void *arg)
{
	int ret;

	CHECK_HANDLE(h);
	if (!cb)
		return err_set(-EINVAL, "no callback");
	pthread_mutex_lock(&h->ev_lock);
	err_clear();
	ret = ev_open_locked(h);
	while (!ret)
		ret = monitor_read(h, cb, arg, true);
	pthread_mutex_unlock(&h->ev_lock);
	return ret;
}
