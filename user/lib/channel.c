// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libksf: the channel between ksf instances (Documentation/channel.rst).
 * A ksf peer's key id and sessions (behind its _priv), msg-handshake and
 * msg-receive, whose replies give blobs to carry (struct ksf_msgs), and
 * the clear header of a blob, read here for relays.  The kernel opens no
 * socket: the caller carries every blob.
 */
#include "internal.h"

#define REPLY_HDR	(NLMSG_HDRLEN + GENL_HDRLEN)
/* A msg nest at most: peer, type and a blob of msg-max bytes. */
#define MSG_NEST_MAX	(4 * NLA_HDRLEN + NLA_ALIGN(KSF_PEER_ID_LEN) + 4 + \
			 KSF_MSG_MAX)
/* An outcome nest at most: four u32, a reason and a peer (room left). */
#define OUTCOME_MAX	512
/* The most one attribute (a blob handed in) holds. */
#define ATTR_DATA_MAX	(0xffff - NLA_HDRLEN)

/* ---- A ksf peer's channel ------------------------------------------------ */

static int session_get(const struct nlattr *nest, struct ksf_session_info *si)
{
	struct nlattr *tb[KSF_A_SESSION_MAX + 1];

	if (nla_parse_nested(tb, KSF_A_SESSION_MAX, (struct nlattr *)nest,
			     NULL))
		return -EPROTO;
	memset(si, 0, sizeof(*si));
	a_u32(tb[KSF_A_SESSION_INDEX], &si->index);
	a_u32(tb[KSF_A_SESSION_ROLE], &si->role);
	a_u32(tb[KSF_A_SESSION_STATE], &si->state);
	a_u32(tb[KSF_A_SESSION_AGE], &si->age);
	a_u64(tb[KSF_A_SESSION_SENT], &si->sent);
	a_u64(tb[KSF_A_SESSION_RECEIVED], &si->received);
	return 0;
}

int ksfl_decode_peer_chan(struct nlmsghdr *nlh, struct nlattr **tb,
			  struct ksf_peer *peer)
{
	struct nlattr *attrs, *a;
	struct peer_ext *x;
	int len, rem, err;

	if (!tb[KSF_A_PEER_KEY_ID] && !tb[KSF_A_PEER_MSG_REFUSED] &&
	    !tb[KSF_A_PEER_SESSION] && !tb[KSF_A_PEER_PSK])
		return 0;
	x = ksfl_peer_ext(peer);
	if (!x)
		return -ENOMEM;
	x->has_key_id = a_u64(tb[KSF_A_PEER_KEY_ID], &x->key_id);
	x->has_psk = a_u64(tb[KSF_A_PEER_PSK], &x->psk);
	a_u32(tb[KSF_A_PEER_MSG_REFUSED], &x->msg_refused);
	attrs = msg_attrs(nlh, &len);
	attr_for_each(a, attrs, len, rem) {
		if (attr_type(a) != KSF_A_PEER_SESSION ||
		    x->n_sessions == KSFL_SESSIONS_MAX)
			continue;
		err = session_get(a, &x->sessions[x->n_sessions]);
		if (err)
			return err;
		x->n_sessions++;
	}
	return 0;
}

static const struct peer_ext *ext(const struct ksf_peer *p)
{
	return p ? p->_priv : NULL;
}

KSF_EXPORT int ksf_peer_key_id(const struct ksf_peer *p, uint64_t *id)
{
	const struct peer_ext *x = ext(p);

	if (!x || !x->has_key_id)
		return -ENOENT;
	if (id)
		*id = x->key_id;
	return 0;
}

KSF_EXPORT uint32_t ksf_peer_msg_refused(const struct ksf_peer *p)
{
	const struct peer_ext *x = ext(p);

	return x ? x->msg_refused : 0;
}

KSF_EXPORT size_t ksf_peer_session_count(const struct ksf_peer *p)
{
	const struct peer_ext *x = ext(p);

	return x ? x->n_sessions : 0;
}

KSF_EXPORT int ksf_peer_session(const struct ksf_peer *p, size_t i,
				struct ksf_session_info *si)
{
	const struct peer_ext *x = ext(p);

	if (!si)
		return -EINVAL;
	if (!x || i >= x->n_sessions)
		return -ENOENT;
	*si = x->sessions[i];
	return 0;
}

KSF_EXPORT int ksf_peer_pair(const struct ksf_peer *p, uint32_t *generation,
			     const struct ksf_policy **we_run,
			     const struct ksf_policy **they_run)
{
	const struct peer_ext *x = ext(p);

	if (!x || !x->has_pair || !x->we_run || !x->they_run)
		return -ENOENT;
	if (generation)
		*generation = x->pair_generation;
	if (we_run)
		*we_run = x->we_run;
	if (they_run)
		*they_run = x->they_run;
	return 0;
}

/* ---- Blobs to carry ------------------------------------------------------ */

struct msg_ent {
	char peer[KSF_PEER_ID_LEN + 1];
	uint32_t type;
	uint8_t *blob;
	size_t len;
};

struct ksf_msgs {
	size_t n, cap;
	struct msg_ent *v;
};

struct ksf_msgs *ksfl_msgs_new(void)
{
	return calloc(1, sizeof(struct ksf_msgs));
}

KSF_EXPORT size_t ksf_msgs_count(const struct ksf_msgs *l)
{
	return l ? l->n : 0;
}

KSF_EXPORT int ksf_msgs_get(const struct ksf_msgs *l, size_t i,
			    const char **peer, uint32_t *type,
			    const uint8_t **blob, size_t *len)
{
	const struct msg_ent *e;

	if (!l || i >= l->n)
		return -ENOENT;
	e = &l->v[i];
	if (peer)
		*peer = e->peer;
	if (type)
		*type = e->type;
	if (blob)
		*blob = e->blob;
	if (len)
		*len = e->len;
	return 0;
}

KSF_EXPORT void ksf_msgs_free(struct ksf_msgs *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		free(l->v[i].blob);
	free(l->v);
	free(l);
}

/* The next entry of l, zeroed; NULL without memory. */
static struct msg_ent *msgs_next(struct ksf_msgs *l)
{
	struct msg_ent *v;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 4;

		v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n];
}

static int msg_get(struct ksf_msgs *l, const struct nlattr *nest)
{
	struct nlattr *tb[KSF_A_MSG_MAX + 1];
	const struct nlattr *b;
	struct msg_ent *e;

	if (nla_parse_nested(tb, KSF_A_MSG_MAX, (struct nlattr *)nest, NULL) ||
	    !(b = tb[KSF_A_MSG_BLOB]))
		return err_set(-EPROTO, "reply with a malformed msg");
	e = msgs_next(l);
	if (!e)
		return err_set(-ENOMEM, NULL);
	e->len = nla_len(b);
	e->blob = malloc(e->len ? e->len : 1);
	if (!e->blob)
		return err_set(-ENOMEM, NULL);
	memcpy(e->blob, nla_data(b), e->len);
	a_strcpy(tb[KSF_A_MSG_PEER], e->peer, sizeof(e->peer));
	a_u32(tb[KSF_A_MSG_TYPE], &e->type);
	l->n++;
	return 0;
}

static int outcome_get(struct ksfl_chan_reply *r, const struct nlattr *nest)
{
	struct nlattr *tb[KSF_A_OUTCOME_MAX + 1];
	struct ksf_msg_outcome *oc;
	uint32_t i, err;

	if (nla_parse_nested(tb, KSF_A_OUTCOME_MAX, (struct nlattr *)nest,
			     NULL) ||
	    !a_u32(tb[KSF_A_OUTCOME_INDEX], &i) || i >= r->n ||
	    r->oc[i].status)
		return err_set(-EPROTO, "reply with a malformed outcome");
	oc = &r->oc[i];
	a_u32(tb[KSF_A_OUTCOME_STATUS], &oc->status);
	if (a_u32(tb[KSF_A_OUTCOME_ERROR], &err))
		oc->error = (int32_t)err;
	a_u32(tb[KSF_A_OUTCOME_TYPE], &oc->type);
	a_strcpy(tb[KSF_A_OUTCOME_PEER], oc->peer, sizeof(oc->peer));
	a_strcpy(tb[KSF_A_OUTCOME_REASON], oc->reason, sizeof(oc->reason));
	if (!oc->status)
		return err_set(-EPROTO, "reply with an outcome without status");
	r->outcomes++;
	return 0;
}

int ksfl_decode_chan(struct nlattr *attrs, int len, struct ksfl_chan_reply *r)
{
	struct nlattr *a;
	int rem, err = 0;

	attr_for_each(a, attrs, len, rem) {
		if (attr_type(a) == KSF_A_CHANNEL_MSG)
			err = msg_get(r->msgs, a);
		else if (attr_type(a) == KSF_A_CHANNEL_OUTCOME && r->oc)
			err = outcome_get(r, a);
		if (err)
			return err;
	}
	return 0;
}

static int chan_cb(struct ksf *h, struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *attrs;
	int len, err;

	(void)h;
	attrs = msg_attrs(nlh, &len);
	err = ksfl_decode_chan(attrs, len, arg);
	return err ? err : 1;
}

/* Send the built request (under the lock), decode its reply into r. */
static int chan_xchg(struct ksf *h, struct mb *m, size_t bound,
		     struct ksfl_chan_reply *r, struct ksf_msgs **out)
{
	int ret;

	r->msgs = ksfl_msgs_new();
	if (!r->msgs)
		return end(h, err_set(-ENOMEM, NULL));
	ret = xchg(m, X_REPLY, h->family, bound, chan_cb, r);
	if (ret == 0)
		ret = err_set(-EPROTO, "no reply from the kernel");
	if (ret > 0 && r->outcomes != r->n)
		ret = err_set(-EPROTO, "reply with %zu outcomes for %zu blobs",
			      r->outcomes, r->n);
	if (ret < 0 || !out)
		ksf_msgs_free(r->msgs);
	else
		*out = r->msgs;
	return end(h, ret < 0 ? ret : 0);
}

/* A command naming one ksf peer whose reply gives at most @msgs blobs. */
static int msg_to_peer(struct ksf *h, uint8_t cmd, const char *peer,
		       size_t msgs, struct ksf_msgs **out)
{
	struct ksfl_chan_reply r = { 0 };
	struct mb m;

	CHECK_HANDLE(h);
	if (out)
		*out = NULL;
	if (!peer)
		return err_set(-EINVAL, "no peer");
	begin(h, &m, cmd);
	mb_str(&m, KSF_A_CHANNEL_PEER, peer);
	return chan_xchg(h, &m, REPLY_HDR + msgs * MSG_NEST_MAX, &r, out);
}

KSF_EXPORT int ksf_msg_handshake(struct ksf *h, const char *peer,
				 struct ksf_msgs **out)
{
	return msg_to_peer(h, KSF_CMD_MSG_HANDSHAKE, peer, 1, out);
}

/* The offer, and a handshake-init when the session is due for a rekey. */
KSF_EXPORT int ksf_msg_negotiate(struct ksf *h, const char *peer,
				 struct ksf_msgs **out)
{
	return msg_to_peer(h, KSF_CMD_MSG_NEGOTIATE, peer, 2, out);
}

/* What msg-receive's arguments must be before anything is sent. */
static int receive_check(const void *const *blobs, const size_t *lens,
			 size_t n, const struct ksf_msg_outcome *oc)
{
	size_t i;

	if (!blobs || !lens || !oc || !n)
		return err_set(-EINVAL, "no blob to receive");
	if (n > KSF_MSG_BATCH_MAX)
		return err_set(-E2BIG, "%zu blobs: more than msg-batch-max (%d)",
			       n, KSF_MSG_BATCH_MAX);
	for (i = 0; i < n; i++) {
		if (!blobs[i] && lens[i])
			return err_set(-EINVAL, "blob %zu: no bytes", i);
		if (lens[i] > ATTR_DATA_MAX)
			return err_set(-EMSGSIZE,
				       "blob %zu: %zu bytes, longer than msg-max (%d)",
				       i, lens[i], KSF_MSG_MAX);
	}
	return 0;
}

static bool all_refused(const struct ksf_msg_outcome *oc, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (oc[i].status != KSF_MSG_STATUS_REFUSED)
			return false;
	return true;
}

KSF_EXPORT int ksf_msg_receive(struct ksf *h, const void *const *blobs,
			       const size_t *lens, size_t n,
			       struct ksf_msg_outcome *oc,
			       struct ksf_msgs **out)
{
	struct ksfl_chan_reply r = { .oc = oc, .n = n };
	struct mb m;
	size_t i;
	int ret;

	CHECK_HANDLE(h);
	if (out)
		*out = NULL;
	ret = receive_check(blobs, lens, n, oc);
	if (ret)
		return ret;
	memset(oc, 0, n * sizeof(*oc));
	begin(h, &m, KSF_CMD_MSG_RECEIVE);
	for (i = 0; i < n; i++)
		mb_put(&m, KSF_A_CHANNEL_BLOB, blobs[i], lens[i]);
	ret = chan_xchg(h, &m, REPLY_HDR + n * (OUTCOME_MAX + MSG_NEST_MAX),
			&r, out);
	if (ret)
		memset(oc, 0, n * sizeof(*oc));
	else if (all_refused(oc, n))	/* the kernel replied with reasons */
		ret = err_set(oc[0].error ? oc[0].error : -EPROTO, "%s",
			      oc[0].reason);
	return ret;
}

/* ---- The clear header ---------------------------------------------------- */

static uint64_t be(const uint8_t *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | *p++;
	return v;
}

KSF_EXPORT int ksf_msg_peek(const void *blob, size_t len,
			    struct ksf_msg_header *hd)
{
	const uint8_t *b = blob;
	uint32_t n;

	err_clear();
	if (!b && len)
		return err_set(-EINVAL, "no blob");
	if (len > KSF_MSG_MAX)
		return err_set(-EMSGSIZE, "blob longer than msg-max (%d bytes)",
			       KSF_MSG_MAX);
	if (len < KSF_MSG_HEADER_LEN || memcmp(b, "KSFC", 4))
		return err_set(-EBADMSG, "not a ksf channel blob");
	n = (uint32_t)be(b + 8, 4);
	if (n != len)
		return err_set(-EBADMSG, "%sheader says %u bytes, %zu given",
			       n > len ? "truncated: " : "", n, len);
	if (b[4] != 1)
		return err_set(-EPROTO, "channel version %u not supported", b[4]);
	if (b[6] || b[7])
		return err_set(-EPROTO, "reserved header bytes not zero");
	if (hd) {
		hd->version = b[4];
		hd->type = b[5];
		hd->length = n;
		hd->sender = be(b + 12, 8);
		hd->receiver = be(b + 20, 8);
	}
	return 0;
}
