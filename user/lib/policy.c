// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libksf: policies (fields named by the spec, services and algorithms as
 * bitmaps of any width, notify presets and timers as item lists) and the
 * peer commands that carry them.
 */
#include "internal.h"

/* Bitmaps of policy lists: up to 256 values (32 bytes). */
#define LIST_BITS	256

struct preset {
	uint32_t v;		/* notify status, or timer period */
	struct ksf_items *items;
};

struct plist {
	bool set;		/* sent (an empty set list clears the kernel's) */
	struct preset *p;
	size_t n;
};

struct ksf_policy {
	uint64_t present;	/* bit: attribute type */
	uint32_t u[KSF_A_POLICY_MAX + 1];
	uint8_t *bin[KSF_A_POLICY_MAX + 1];
	size_t len[KSF_A_POLICY_MAX + 1];
	struct plist notify, timer;
};

_Static_assert(KSF_A_POLICY_MAX < 64, "policy presence mask too small");

KSF_EXPORT struct ksf_policy *ksf_policy_new(void)
{
	return calloc(1, sizeof(struct ksf_policy));
}

static void plist_clear(struct plist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		ksf_items_free(l->p[i].items);
	free(l->p);
	l->p = NULL;
	l->n = 0;
}

KSF_EXPORT void ksf_policy_free(struct ksf_policy *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i <= KSF_A_POLICY_MAX; i++)
		free(p->bin[i]);
	plist_clear(&p->notify);
	plist_clear(&p->timer);
	free(p);
}

/* The field of that name and kind(s), or NULL with the error set. */
static const struct ksfl_fdesc *policy_field(const struct ksf_policy *p,
					     const char *field, int kind,
					     int kind2)
{
	const struct ksfl_fdesc *t, *d;
	size_t n;

	err_clear();
	if (!p) {
		err_set(-EINVAL, "no policy");
		return NULL;
	}
	t = ksfl_policy_fields(&n);
	d = ksfl_find(t, n, field);
	if (!d || (d->kind != kind && d->kind != kind2)) {
		err_set(-EINVAL, "a policy has no %s field %s",
			kind == KSF_KIND_BINARY ? "binary" :
			kind == KSF_KIND_STRING ? "string" : "integer",
			field ? field : "(null)");
		return NULL;
	}
	return d;
}

KSF_EXPORT int ksf_policy_set_u32(struct ksf_policy *p, const char *field,
				  uint32_t v)
{
	const struct ksfl_fdesc *d;

	d = policy_field(p, field, KSF_KIND_U32, KSF_KIND_U8);
	if (!d)
		return -EINVAL;
	if (ksfl_fits(d, v, "policy field"))
		return -EINVAL;
	p->u[d->attr] = v;
	p->present |= 1ull << d->attr;
	return 0;
}

/* A field a getter reads: -EINVAL no such field, -ENOENT not set. */
static int field_set(const struct ksf_policy *p, const struct ksfl_fdesc *d)
{
	if (!d)
		return -EINVAL;
	return p->present & (1ull << d->attr) ? 0 : -ENOENT;
}

KSF_EXPORT int ksf_policy_get_u32(const struct ksf_policy *p,
				  const char *field, uint32_t *v)
{
	const struct ksfl_fdesc *d;
	int ret;

	d = policy_field(p, field, KSF_KIND_U32, KSF_KIND_U8);
	ret = field_set(p, d);
	if (ret)
		return ret;
	if (v)
		*v = p->u[d->attr];
	return 0;
}

static int set_bytes(struct ksf_policy *p, const struct ksfl_fdesc *d,
		     const void *b, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);

	if (!c)
		return err_set(-ENOMEM, NULL);
	if (n)
		memcpy(c, b, n);
	free(p->bin[d->attr]);
	p->bin[d->attr] = c;
	p->len[d->attr] = n;
	p->present |= 1ull << d->attr;
	return 0;
}

KSF_EXPORT int ksf_policy_set_bin(struct ksf_policy *p, const char *field,
				  const void *b, size_t n)
{
	const struct ksfl_fdesc *d;

	d = policy_field(p, field, KSF_KIND_BINARY, KSF_KIND_BINARY);
	if (!d)
		return -EINVAL;
	if (!b && n)
		return err_set(-EINVAL, "policy field %s: no bytes", d->name);
	return set_bytes(p, d, b, n);
}

KSF_EXPORT int ksf_policy_get_bin(const struct ksf_policy *p,
				  const char *field, const void **b, size_t *n)
{
	const struct ksfl_fdesc *d;
	int ret;

	d = policy_field(p, field, KSF_KIND_BINARY, KSF_KIND_BINARY);
	ret = field_set(p, d);
	if (ret)
		return ret;
	if (b)
		*b = p->bin[d->attr];
	if (n)
		*n = p->len[d->attr];
	return 0;
}

KSF_EXPORT int ksf_policy_set_str(struct ksf_policy *p, const char *field,
				  const char *s)
{
	const struct ksfl_fdesc *d;

	d = policy_field(p, field, KSF_KIND_STRING, KSF_KIND_STRING);
	if (!d)
		return -EINVAL;
	if (!s)
		return err_set(-EINVAL, "policy field %s: no string", d->name);
	return set_bytes(p, d, s, strlen(s) + 1);
}

KSF_EXPORT int ksf_policy_get_str(const struct ksf_policy *p,
				  const char *field, const char **s)
{
	const struct ksfl_fdesc *d;
	int ret;

	d = policy_field(p, field, KSF_KIND_STRING, KSF_KIND_STRING);
	ret = field_set(p, d);
	if (ret)
		return ret;
	/* as the kernel sent it: NUL-terminated, else not a string */
	if (!p->len[d->attr] || p->bin[d->attr][p->len[d->attr] - 1])
		return err_set(-EPROTO, "policy field %s is not a string",
			       d->name);
	if (s)
		*s = (const char *)p->bin[d->attr];
	return 0;
}

/* The list fields: bitmaps of enum values (bit v = byte v / 8, bit v % 8). */
static const struct ksfl_fdesc *list_field(const struct ksf_policy *p,
					   const char *field)
{
	if (!field || (strcmp(field, "services") && strcmp(field, "algs") &&
		       strcmp(field, "ask-services") && strcmp(field, "ask-algs"))) {
		err_clear();
		err_set(-EINVAL, "a policy has no list field %s",
			field ? field : "(null)");
		return NULL;
	}
	return policy_field(p, field, KSF_KIND_BINARY, KSF_KIND_BINARY);
}

KSF_EXPORT int ksf_policy_set_list(struct ksf_policy *p, const char *field,
				   const uint32_t *v, size_t n)
{
	const struct ksfl_fdesc *d = list_field(p, field);
	uint8_t map[LIST_BITS / 8] = { 0 };
	size_t i, width = 0;

	if (!d)
		return -EINVAL;
	if (n && !v)
		return err_set(-EINVAL, "policy field %s: no values", d->name);
	for (i = 0; i < n; i++) {
		if (v[i] >= LIST_BITS)
			return err_set(-EINVAL, "policy field %s: value %" PRIu32
				       " is out of range (0..%d)", d->name,
				       v[i], LIST_BITS - 1);
		map[v[i] / 8] |= 1u << (v[i] % 8);
		if (v[i] / 8 + 1 > width)
			width = v[i] / 8 + 1;
	}
	return set_bytes(p, d, map, width);
}

KSF_EXPORT int ksf_policy_get_list(const struct ksf_policy *p,
				   const char *field, uint32_t *v, size_t max)
{
	const struct ksfl_fdesc *d = list_field(p, field);
	int ret = field_set(p, d);
	const uint8_t *map;
	size_t i, n = 0;

	if (ret)
		return ret;
	map = p->bin[d->attr];
	for (i = 0; i < 8 * p->len[d->attr]; i++) {
		if (!(map[i / 8] & (1u << (i % 8))))
			continue;
		if (n < max && v)
			v[n] = (uint32_t)i;
		n++;
	}
	return (int)n;
}

/* ---- Notify presets and timers -------------------------------------------- */

static int plist_add(struct plist *l, uint32_t v, struct ksf_items *items)
{
	struct preset *n;

	if (!items)
		return err_set(-EINVAL, "no items");
	n = realloc(l->p, (l->n + 1) * sizeof(*n));
	if (!n) {
		ksf_items_free(items);
		return err_set(-ENOMEM, NULL);
	}
	l->p = n;
	l->p[l->n].v = v;
	l->p[l->n++].items = items;
	l->set = true;
	return 0;
}

static int plist_get(const struct plist *l, size_t i, uint32_t *v,
		     const struct ksf_items **items)
{
	if (i >= l->n)
		return -ENOENT;
	if (v)
		*v = l->p[i].v;
	if (items)
		*items = l->p[i].items;
	return 0;
}

/* The list of trigger t of p; NULL: no policy or no such trigger. */
static struct plist *trigger_list(const struct ksf_policy *p,
				  enum ksf_trigger t)
{
	struct ksf_policy *q = (struct ksf_policy *)p;

	if (!p)
		return NULL;
	if (t == KSF_TRIGGER_NOTIFY)
		return &q->notify;
	return t == KSF_TRIGGER_TIMER ? &q->timer : NULL;
}

KSF_EXPORT int ksf_policy_add_trigger(struct ksf_policy *p, enum ksf_trigger t,
				      uint32_t key, struct ksf_items *items)
{
	struct plist *l = trigger_list(p, t);

	err_clear();
	if (!l) {
		ksf_items_free(items);
		return err_set(-EINVAL, p ? "no such trigger" : "no policy");
	}
	return plist_add(l, key, items);
}

KSF_EXPORT int ksf_policy_clear_triggers(struct ksf_policy *p,
					 enum ksf_trigger t)
{
	struct plist *l = trigger_list(p, t);

	if (!l)
		return -EINVAL;
	plist_clear(l);
	l->set = true;
	return 0;
}

KSF_EXPORT size_t ksf_policy_trigger_count(const struct ksf_policy *p,
					   enum ksf_trigger t)
{
	const struct plist *l = trigger_list(p, t);

	return l ? l->n : 0;
}

KSF_EXPORT int ksf_policy_trigger(const struct ksf_policy *p,
				  enum ksf_trigger t, size_t i, uint32_t *key,
				  const struct ksf_items **items)
{
	const struct plist *l = trigger_list(p, t);

	return l ? plist_get(l, i, key, items) : -EINVAL;
}

/* ---- Encoding and decoding --------------------------------------------------- */

static void put_plist(struct mb *m, const struct plist *l, uint16_t type,
		      uint16_t vtype, uint16_t itype)
{
	size_t i, sub;

	for (i = 0; i < l->n; i++) {
		sub = mb_nest(m, type);
		mb_u32(m, vtype, l->p[i].v);
		ksfl_put_items(m, itype, l->p[i].items);
		mb_nest_end(m, sub);
	}
}

void ksfl_put_policy(struct mb *m, uint16_t type, const struct ksf_policy *p)
{
	const struct ksfl_fdesc *t;
	size_t nest = mb_nest(m, type), n, i;

	t = ksfl_policy_fields(&n);
	for (i = 0; i < n; i++) {
		if (!t[i].name || !(p->present & (1ull << i)))
			continue;
		if (t[i].kind == KSF_KIND_U8)
			mb_u8(m, i, (uint8_t)p->u[i]);
		else if (t[i].kind == KSF_KIND_U32)
			mb_u32(m, i, p->u[i]);
		else
			mb_put(m, i, p->bin[i], p->len[i]);
	}
	/* An empty list clears the kernel's (else it is kept). */
	if (p->notify.set && !p->notify.n)
		mb_put(m, KSF_A_POLICY_NOTIFY_CLEAR, NULL, 0);
	if (p->timer.set && !p->timer.n)
		mb_put(m, KSF_A_POLICY_TIMER_CLEAR, NULL, 0);
	put_plist(m, &p->notify, KSF_A_POLICY_NOTIFY,
		  KSF_A_NOTIFY_PRESET_STATUS, KSF_A_NOTIFY_PRESET_ITEM);
	put_plist(m, &p->timer, KSF_A_POLICY_TIMER, KSF_A_TIMER_PERIOD,
		  KSF_A_TIMER_ITEM);
	mb_nest_end(m, nest);
}

static int get_plist(struct plist *l, struct nlattr *a, uint16_t vtype,
		     uint16_t itype)
{
	struct ksf_items *items;
	struct nlattr *v;
	uint32_t x = 0;
	int err;

	v = nla_find(nla_data(a), nla_len(a), vtype);
	a_u32(v, &x);
	err = ksfl_get_items(a, itype, &items);
	if (err)
		return err;
	return plist_add(l, x, items);
}

static int get_scalar(struct ksf_policy *p, const struct ksfl_fdesc *d,
		      struct nlattr *a)
{
	uint8_t u8;

	if (d->kind == KSF_KIND_U8) {
		if (!a_u8(a, &u8))
			return -EPROTO;
		p->u[d->attr] = u8;
	} else if (d->kind == KSF_KIND_U32) {
		if (!a_u32(a, &p->u[d->attr]))
			return -EPROTO;
	} else {
		return set_bytes(p, d, nla_data(a), nla_len(a));
	}
	p->present |= 1ull << d->attr;
	return 0;
}

int ksfl_decode_policy(struct nlattr *nest, struct ksf_policy **out)
{
	struct ksf_policy *p = ksf_policy_new();
	const struct ksfl_fdesc *t, *d;
	struct nlattr *a;
	int rem, err = 0;
	size_t n;

	*out = NULL;
	if (!p)
		return -ENOMEM;
	t = ksfl_policy_fields(&n);
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == KSF_A_POLICY_NOTIFY)
			err = get_plist(&p->notify, a,
					KSF_A_NOTIFY_PRESET_STATUS,
					KSF_A_NOTIFY_PRESET_ITEM);
		else if (nla_type(a) == KSF_A_POLICY_TIMER)
			err = get_plist(&p->timer, a, KSF_A_TIMER_PERIOD,
					KSF_A_TIMER_ITEM);
		else if ((d = ksfl_at(t, n, nla_type(a))))
			err = get_scalar(p, d, a);
		if (err) {
			ksf_policy_free(p);
			return err;
		}
	}
	*out = p;
	return 0;
}

/* ---- Peers --------------------------------------------------------------- */

KSF_EXPORT int ksf_peer_set_public_key(struct ksf_peer *peer,
				       const uint8_t pub[KSF_PUBLIC_KEY_LEN])
{
	struct peer_ext *x;

	if (!peer || !pub)
		return -EINVAL;
	x = ksfl_peer_ext(peer);
	if (!x)
		return -ENOMEM;
	memcpy(x->public_key, pub, KSF_PUBLIC_KEY_LEN);
	x->has_public_key = true;
	return 0;
}

KSF_EXPORT int ksf_peer_public_key(const struct ksf_peer *peer,
				   uint8_t pub[KSF_PUBLIC_KEY_LEN])
{
	const struct peer_ext *x = peer ? peer->_priv : NULL;

	if (!x || !x->has_public_key)
		return -ENOENT;
	if (pub)
		memcpy(pub, x->public_key, KSF_PUBLIC_KEY_LEN);
	return 0;
}

KSF_EXPORT int ksf_peer_set_psk(struct ksf_peer *peer, uint64_t handle)
{
	struct peer_ext *x;

	if (!peer)
		return -EINVAL;
	x = ksfl_peer_ext(peer);
	if (!x)
		return -ENOMEM;
	x->psk = handle;
	x->has_psk = handle != 0;
	x->send_psk = true;
	return 0;
}

KSF_EXPORT int ksf_peer_psk(const struct ksf_peer *peer, uint64_t *handle)
{
	const struct peer_ext *x = peer ? peer->_priv : NULL;

	if (!x || !x->has_psk)
		return -ENOENT;
	if (handle)
		*handle = x->psk;
	return 0;
}

KSF_EXPORT int ksf_peer_reset_timestamp(struct ksf *h, const char *id)
{
	struct mb m;

	CHECK_HANDLE(h);
	if (!id)
		return err_set(-EINVAL, "no peer ID");
	begin(h, &m, KSF_CMD_PEER_SET);
	mb_str(&m, KSF_A_PEER_ID, id);
	mb_put(&m, KSF_A_PEER_RESET_TIMESTAMP, NULL, 0);
	return end(h, xchg(&m, X_ACK, h->family, 0, NULL, NULL));
}

static int peer_send(struct ksf *h, const struct ksf_peer *peer, uint8_t cmd)
{
	const struct peer_ext *x = peer ? peer->_priv : NULL;
	struct mb m;

	CHECK_HANDLE(h);
	if (!peer)
		return err_set(-EINVAL, "no peer");
	begin(h, &m, cmd);
	mb_str(&m, KSF_A_PEER_ID, peer->id);
	if (cmd == KSF_CMD_PEER_NEW && peer->kind)
		mb_u32(&m, KSF_A_PEER_KIND, peer->kind);
	if (peer->has_uid)
		mb_u32(&m, KSF_A_PEER_UID, peer->uid);
	if (peer->has_gid)
		mb_u32(&m, KSF_A_PEER_GID, peer->gid);
	/* fixed for the peer's life: a set of a got peer leaves it out */
	if (cmd == KSF_CMD_PEER_NEW && x && x->has_public_key)
		mb_put(&m, KSF_A_PEER_PUBLIC_KEY, x->public_key,
		       KSF_PUBLIC_KEY_LEN);
	/* only when set: a got peer set back leaves it as it is */
	if (x && x->send_psk)
		mb_u64(&m, KSF_A_PEER_PSK, x->psk);
	if (peer->policy)
		ksfl_put_policy(&m, KSF_A_PEER_POLICY, peer->policy);
	return end(h, xchg(&m, X_ACK, h->family, 0, NULL, NULL));
}

KSF_EXPORT int ksf_peer_new(struct ksf *h, const struct ksf_peer *peer)
{
	return peer_send(h, peer, KSF_CMD_PEER_NEW);
}

KSF_EXPORT int ksf_peer_set(struct ksf *h, const struct ksf_peer *peer)
{
	return peer_send(h, peer, KSF_CMD_PEER_SET);
}

KSF_EXPORT int ksf_peer_del(struct ksf *h, const char *id)
{
	struct mb m;

	CHECK_HANDLE(h);
	if (!id)
		return err_set(-EINVAL, "no peer ID");
	begin(h, &m, KSF_CMD_PEER_DEL);
	mb_str(&m, KSF_A_PEER_ID, id);
	return end(h, xchg(&m, X_ACK, h->family, 0, NULL, NULL));
}

/* A ksf peer's pair policy: its generation, and each direction as a policy. */
static int pair_get(struct nlattr *nest, struct peer_ext *x)
{
	struct nlattr *tb[KSF_A_PAIR_MAX + 1];
	int err;

	if (nla_parse_nested(tb, KSF_A_PAIR_MAX, nest, NULL) ||
	    !tb[KSF_A_PAIR_WE_RUN] || !tb[KSF_A_PAIR_THEY_RUN])
		return -EPROTO;
	x->has_pair = a_u32(tb[KSF_A_PAIR_GENERATION], &x->pair_generation);
	err = ksfl_decode_policy(tb[KSF_A_PAIR_WE_RUN], &x->we_run);
	if (!err)
		err = ksfl_decode_policy(tb[KSF_A_PAIR_THEY_RUN], &x->they_run);
	return err;
}

/* Decode a peer message; its policy (if any) is allocated. */
int ksfl_decode_peer(struct nlmsghdr *nlh, struct ksf_peer *peer)
{
	struct nlattr *tb[KSF_A_PEER_MAX + 1];
	int err;

	memset(peer, 0, sizeof(*peer));
	if (msg_parse(nlh, tb, KSF_A_PEER_MAX))
		return -EPROTO;
	a_strcpy(tb[KSF_A_PEER_ID], peer->id, sizeof(peer->id));
	a_u32(tb[KSF_A_PEER_KIND], &peer->kind);
	peer->has_uid = a_u32(tb[KSF_A_PEER_UID], &peer->uid);
	peer->has_gid = a_u32(tb[KSF_A_PEER_GID], &peer->gid);
	peer->has_keys = a_u32(tb[KSF_A_PEER_KEYS], &peer->keys);
	a_u32(tb[KSF_A_PEER_CONTEXTS], &peer->contexts);
	a_u32(tb[KSF_A_PEER_VERIFY_FAILURES], &peer->verify_failures);
	if (tb[KSF_A_PEER_PUBLIC_KEY] &&
	    nla_len(tb[KSF_A_PEER_PUBLIC_KEY]) == KSF_PUBLIC_KEY_LEN &&
	    ksf_peer_set_public_key(peer, nla_data(tb[KSF_A_PEER_PUBLIC_KEY])))
		return -ENOMEM;
	err = ksfl_decode_peer_chan(nlh, tb, peer);
	if (!err && tb[KSF_A_PEER_PAIR])
		err = ksfl_peer_ext(peer) ? pair_get(tb[KSF_A_PEER_PAIR],
						      ksfl_peer_ext(peer)) : -ENOMEM;
	if (err)
		return err;
	if (tb[KSF_A_PEER_POLICY])
		return ksfl_decode_policy(tb[KSF_A_PEER_POLICY], &peer->policy);
	return 0;
}

static int peer_get_cb(struct ksf *h, struct nlmsghdr *nlh, void *arg)
{
	int err;

	(void)h;
	err = ksfl_decode_peer(nlh, arg);
	return err ? err : 1;
}

KSF_EXPORT int ksf_peer_get(struct ksf *h, const char *id,
			    struct ksf_peer *peer)
{
	struct mb m;
	int ret;

	CHECK_HANDLE(h);
	if (!id || !peer)
		return err_set(-EINVAL, "no peer ID");
	memset(peer, 0, sizeof(*peer));
	begin(h, &m, KSF_CMD_PEER_GET);
	mb_str(&m, KSF_A_PEER_ID, id);
	ret = xchg(&m, X_REPLY, h->family, KSF_PEER_RX, peer_get_cb, peer);
	if (ret == 0)
		ret = err_set(-EPROTO, "no reply from the kernel");
	if (ret < 0) {
		ksf_peer_clear(peer);
		return end(h, ret);
	}
	return end(h, 0);
}

/* A decoded peer's extension, with the pair's policies. */
static void peer_ext_free(struct peer_ext *x)
{
	if (!x)
		return;
	ksf_policy_free(x->we_run);
	ksf_policy_free(x->they_run);
	free(x);
}

KSF_EXPORT void ksf_peer_clear(struct ksf_peer *peer)
{
	if (!peer)
		return;
	ksf_policy_free(peer->policy);
	peer_ext_free(peer->_priv);
	memset(peer, 0, sizeof(*peer));
}

struct dump_arg {
	ksf_peer_cb cb;
	void *arg;
};

static int peer_dump_cb(struct ksf *h, struct nlmsghdr *nlh, void *arg)
{
	struct dump_arg *da = arg;
	struct ksf_peer peer;
	int ret;

	(void)h;
	ret = ksfl_decode_peer(nlh, &peer);
	if (!ret)
		ret = da->cb(&peer, da->arg);
	ksf_peer_clear(&peer);
	return ret;
}

KSF_EXPORT int ksf_peer_dump(struct ksf *h, ksf_peer_cb cb, void *arg)
{
	struct dump_arg da = { cb, arg };
	struct mb m;

	CHECK_HANDLE(h);
	if (!cb)
		return err_set(-EINVAL, "no callback");
	begin(h, &m, KSF_CMD_PEER_GET);
	return end(h, xchg(&m, X_DUMP, h->family, KSF_PEER_RX, peer_dump_cb,
			   &da));
}
