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
#include "ksf-attr-names.h"

#define KSF_RX_MIN	(32 * 1024)	/* covers the kernel's dump skb size */
#define KSF_TX_MIN	4096
#define KSF_EV_RCVBUF	(4 << 20)

/* ---- Errors (per thread) ------------------------------------------------ */

__thread char tls_err[512];
static __thread int tls_off = -1, tls_miss = -1;

void err_clear(void)
{
	tls_err[0] = '\0';
	tls_off = -1;
	tls_miss = -1;
}

__attribute__((format(printf, 2, 3)))
int err_set(int err, const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(tls_err, sizeof(tls_err), fmt, ap);
		va_end(ap);
	} else {
		snprintf(tls_err, sizeof(tls_err), "%s", strerror(-err));
	}
	return err;
}

KSF_EXPORT const char *ksf_last_error(const struct ksf *h)
{
	(void)h;
	return tls_err;
}

KSF_EXPORT int ksf_last_error_offset(const struct ksf *h)
{
	(void)h;
	return tls_off;
}

KSF_EXPORT int ksf_last_error_missing(const struct ksf *h)
{
	(void)h;
	return tls_miss;
}

KSF_EXPORT int ksf_family_id(const struct ksf *h)
{
	return h->family;
}

KSF_EXPORT int ksf_family_version(const struct ksf *h)
{
	return h->version;
}

/* ---- Message builder ------------------------------------------------------- */

int buf_grow(uint8_t **buf, size_t *cap, size_t need, size_t used)
{
	size_t ncap = *cap ? *cap : KSF_TX_MIN;
	uint8_t *n;

	while (ncap < need)
		ncap *= 2;
	n = malloc(ncap);
	if (!n)
		return -ENOMEM;
	if (*buf) {
		memcpy(n, *buf, used);
		/* requests may hold key material: never leave it behind */
		explicit_bzero(*buf, *cap);
		free(*buf);
	}
	*buf = n;
	*cap = ncap;
	return 0;
}

void *mb_reserve(struct mb *m, size_t n)
{
	size_t need = m->len + NLMSG_ALIGN(n);
	void *p;

	if (m->err)
		return NULL;
	if (need > UINT32_MAX) {
		m->err = -EMSGSIZE;
		return NULL;
	}
	if (need > m->h->tx_cap &&
	    buf_grow(&m->h->tx, &m->h->tx_cap, need, m->len)) {
		m->err = -ENOMEM;
		return NULL;
	}
	p = m->h->tx + m->len;
	memset(p, 0, NLMSG_ALIGN(n));
	m->len = need;
	return p;
}

void mb_put(struct mb *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a;

	if (len > 0xffff - NLA_HDRLEN) {
		if (!m->err)
			m->err = -EMSGSIZE;
		return;
	}
	a = mb_reserve(m, NLA_HDRLEN + len);
	if (!a)
		return;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
}

void mb_u8(struct mb *m, uint16_t type, uint8_t v)
{
	mb_put(m, type, &v, 1);
}

void mb_u32(struct mb *m, uint16_t type, uint32_t v)
{
	mb_put(m, type, &v, 4);
}

void mb_s32(struct mb *m, uint16_t type, int32_t v)
{
	mb_put(m, type, &v, 4);
}

void mb_u64(struct mb *m, uint16_t type, uint64_t v)
{
	mb_put(m, type, &v, 8);
}

void mb_str(struct mb *m, uint16_t type, const char *s)
{
	mb_put(m, type, s, strlen(s) + 1);
}

void mb_buf(struct mb *m, uint16_t type, const struct ksf_buf *b)
{
	if (b->ptr || b->size)
		mb_put(m, type, b->ptr, b->size);
}

size_t mb_nest(struct mb *m, uint16_t type)
{
	size_t off = m->len;

	mb_put(m, type | NLA_F_NESTED, NULL, 0);
	return off;
}

void mb_nest_end(struct mb *m, size_t off)
{
	struct nlattr *a;

	if (m->err)
		return;
	if (m->len - off > 0xffff) {
		m->err = -EMSGSIZE;
		return;
	}
	a = (struct nlattr *)(m->h->tx + off);
	a->nla_len = m->len - off;
}

void mb_init(struct mb *m, struct ksf *h, uint8_t cmd)
{
	struct genlmsghdr *g;

	m->h = h;
	m->len = 0;
	m->err = 0;
	mb_reserve(m, NLMSG_HDRLEN);
	g = mb_reserve(m, GENL_HDRLEN);
	if (g) {
		g->cmd = cmd;
		g->version = KSF_FAMILY_VERSION;
	}
}

/* ---- Exchange --------------------------------------------------------------- */

/* ---- Attribute getters (length-checked) --------------------------------------- */

bool a_u8(const struct nlattr *a, uint8_t *v)
{
	if (!a || nla_len(a) != 1)
		return false;
	*v = nla_get_u8((struct nlattr *)a);
	return true;
}

bool a_u32(const struct nlattr *a, uint32_t *v)
{
	if (!a || nla_len(a) != 4)
		return false;
	*v = nla_get_u32((struct nlattr *)a);
	return true;
}

bool a_u64(const struct nlattr *a, uint64_t *v)
{
	if (!a || nla_len(a) != 8)
		return false;
	memcpy(v, nla_data(a), 8);
	return true;
}

/* ---- Naming the attribute an extended ack points at ---------------------- */

struct path {
	char *buf;
	size_t size, len;
};

__attribute__((format(printf, 2, 3)))
static void path_add(struct path *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->len >= p->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(p->buf + p->len, p->size - p->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		p->len += (size_t)n;
}

static const struct ksf_attr_name *attr_desc(int set, int type)
{
	if (set < 0 || set >= KSF_SET_COUNT || type <= 0 ||
	    (unsigned int)type >= ksf_attr_sets[set].n ||
	    !ksf_attr_sets[set].attrs[type].name)
		return NULL;
	return &ksf_attr_sets[set].attrs[type];
}

/* The attribute set of the request's command, -1 when unknown. */
static int request_set(const uint8_t *req, size_t len)
{
	const struct genlmsghdr *g;

	if (len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -1;
	g = (const struct genlmsghdr *)(req + NLMSG_HDRLEN);
	if (g->cmd >= sizeof(ksf_cmd_names) / sizeof(ksf_cmd_names[0]) ||
	    !ksf_cmd_names[g->cmd].name)
		return -1;
	return ksf_cmd_names[g->cmd].set;
}

/* How many attributes of @type come before @at in [@start, @at). */
static unsigned int earlier(const uint8_t *req, size_t start, size_t at,
			    int type)
{
	unsigned int n = 0;

	while (start < at) {
		const struct nlattr *a = (const void *)(req + start);

		if (a->nla_len < NLA_HDRLEN)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			n++;
		start += NLA_ALIGN(a->nla_len);
	}
	return n;
}

/*
 * Names the attribute at byte @off of the request (from its nlmsghdr) by
 * its path of spec names, e.g. "item 0 > mac-len"; *set receives its
 * attribute set if it is a nest (else -1).  false if @off is not the
 * start of an attribute of the request.
 */
static bool attr_path(const uint8_t *req, size_t len, size_t off,
		      struct path *p, int *set)
{
	size_t start = NLMSG_HDRLEN + GENL_HDRLEN, pos = start, end = len;
	int cur = request_set(req, len);

	while (cur >= 0 && pos + NLA_HDRLEN <= end) {
		const struct nlattr *a = (const void *)(req + pos);
		int type = a->nla_type & NLA_TYPE_MASK;
		size_t alen = a->nla_len, at = pos;
		const struct ksf_attr_name *d;

		if (alen < NLA_HDRLEN || at + alen > end)
			return false;
		pos += NLA_ALIGN(alen);
		if (off < at || off >= at + alen)
			continue;
		d = attr_desc(cur, type);
		if (!d)
			return false;
		path_add(p, "%s%s", p->len ? " > " : "", d->name);
		if (d->multi && d->nested >= 0)
			path_add(p, " %u", earlier(req, start, at, type));
		if (off == at) {
			*set = d->nested;
			return true;
		}
		if (d->nested < 0)
			return false;
		cur = d->nested;
		start = pos = at + NLA_HDRLEN;
		end = at + alen;
	}
	return false;
}

/* The limits of the attribute's policy (NLMSGERR_ATTR_POLICY). */
static void policy_limits(struct nlattr *pol, struct path *p)
{
	struct nlattr *tb[NL_POLICY_TYPE_ATTR_MAX + 1];
	uint32_t type = 0, v32;
	uint64_t lo, hi;

	if (nla_parse_nested(tb, NL_POLICY_TYPE_ATTR_MAX, pol, NULL))
		return;
	a_u32(tb[NL_POLICY_TYPE_ATTR_TYPE], &type);
	if (a_u64(tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_U], &lo) &&
	    a_u64(tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_U], &hi)) {
		path_add(p, hi > UINT32_MAX ? " (%" PRIu64 "..0x%" PRIx64 ")" :
			 " (%" PRIu64 "..%" PRIu64 ")", lo, hi);
	} else if (a_u64(tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_S], &lo) &&
		   a_u64(tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_S], &hi)) {
		path_add(p, " (%" PRId64 "..%" PRId64 ")", (int64_t)lo,
			 (int64_t)hi);
	} else if (a_u64(tb[NL_POLICY_TYPE_ATTR_MASK], &hi)) {
		path_add(p, " (allowed bits 0x%" PRIx64 ")", hi);
	} else if (a_u32(tb[NL_POLICY_TYPE_ATTR_MAX_LENGTH], &v32)) {
		uint32_t min = 0;

		a_u32(tb[NL_POLICY_TYPE_ATTR_MIN_LENGTH], &min);
		if (type == NL_ATTR_TYPE_NUL_STRING || type == NL_ATTR_TYPE_STRING)
			path_add(p, " (at most %u characters)", v32);
		else if (min == v32)
			path_add(p, " (exactly %u bytes)", v32);
		else
			path_add(p, " (%u..%u bytes)", min, v32);
	} else if (a_u32(tb[NL_POLICY_TYPE_ATTR_MIN_LENGTH], &v32)) {
		path_add(p, " (at least %u bytes)", v32);
	}
}

/* Messages of the netlink core that do not name the attribute. */
static bool core_message(const char *msg, int n)
{
	static const char *const core[] = {
		"Unknown attribute type",
		"Attribute failed policy validation",
		"Padding attribute",
		"reserved bit set",
	};
	size_t i;

	for (i = 0; i < sizeof(core) / sizeof(core[0]); i++)
		if ((size_t)n == strlen(core[i]) && !memcmp(msg, core[i], n))
			return true;
	return false;
}

/*
 * The message of a failed request: the kernel's text, preceded (for the
 * netlink core's messages, which name nothing) by the spec name of the
 * attribute it points at (NLMSGERR_ATTR_OFFS) and followed by that
 * attribute's limits (NLMSGERR_ATTR_POLICY); or the
 * missing attribute named (NLMSGERR_ATTR_MISS_TYPE, in the nest at
 * NLMSGERR_ATTR_MISS_NEST), as kernels send when a required one is not
 * there.  A kernel that sends none of them leaves strerror().
 */
static void extack_message(struct nlattr **tb, const uint8_t *req,
			   size_t req_len, int err)
{
	struct path p = { tls_err, sizeof(tls_err), 0 };
	const char *msg = NULL;
	uint32_t nest = 0;
	int set = -1, n = 0;

	if (tb[NLMSGERR_ATTR_MSG] && nla_len(tb[NLMSGERR_ATTR_MSG]) > 0) {
		msg = nla_data(tb[NLMSGERR_ATTR_MSG]);
		n = strnlen(msg, nla_len(tb[NLMSGERR_ATTR_MSG]));
	}
	if (tls_miss >= 0) {
		const struct ksf_attr_name *d;

		set = request_set(req, req_len);
		if (a_u32(tb[NLMSGERR_ATTR_MISS_NEST], &nest) &&
		    !attr_path(req, req_len, nest, &p, &set)) {
			set = -1;
			p.len = 0;
		}
		d = attr_desc(set, tls_miss);
		if (msg)
			path_add(&p, "%s%.*s: ", p.len ? ": " : "", n, msg);
		else if (p.len)
			path_add(&p, ": ");
		if (d)
			path_add(&p, "missing attribute %s", d->name);
		else
			path_add(&p, "missing attribute %d", tls_miss);
		return;
	}
	/* ksf's own messages say what is wrong; netlink's need the name */
	if (tls_off >= 0 && (!msg || tb[NLMSGERR_ATTR_POLICY] ||
			     core_message(msg, n)) &&
	    attr_path(req, req_len, tls_off, &p, &set))
		path_add(&p, ": ");
	else
		p.len = 0;
	if (msg)
		path_add(&p, "%.*s", n, msg);
	else
		path_add(&p, "%s", strerror(-err));
	if (tb[NLMSGERR_ATTR_POLICY])
		policy_limits(tb[NLMSGERR_ATTR_POLICY], &p);
}

/* The request of the exchange in progress, which acks point into. */
static __thread const uint8_t *tls_req;
static __thread size_t tls_req_len;

static void parse_extack(struct nlmsghdr *nlh, size_t off, int err)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	int len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - (int)off;

	if (err)
		err_set(err, NULL);
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || len <= 0)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((uint8_t *)nlmsg_data(nlh) + off),
		      len, NULL))
		return;
	if (tb[NLMSGERR_ATTR_OFFS] && nla_len(tb[NLMSGERR_ATTR_OFFS]) == 4)
		tls_off = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
	    nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) == 4)
		tls_miss = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	if (err)
		extack_message(tb, tls_req, tls_req_len, err);
}

#define KSF_CAP_MSG "needs CAP_NET_ADMIN over the network namespace's user namespace"

/*
 * The genetlink core refuses an admin command of a caller without the
 * capability before ksf runs, with a bare EPERM: name what is missing.
 */
static void perm_error(const struct ksf *h, uint8_t cmd)
{
	if (strcmp(tls_err, strerror(EPERM)))
		return;		/* ksf's own message */
	if (h->op_perm[cmd] & GENL_UNS_ADMIN_PERM)
		snprintf(tls_err, sizeof(tls_err), "this command " KSF_CAP_MSG);
	else if (h->op_perm[cmd] & GENL_ADMIN_PERM)
		snprintf(tls_err, sizeof(tls_err),
			 "this command needs CAP_NET_ADMIN in the initial user namespace");
}

static int sock_recv(int fd, uint8_t **buf, size_t *cap, bool peek)
{
	ssize_t n;

	for (;;) {
		if (peek) {
			n = recv(fd, *buf, *cap, MSG_PEEK | MSG_TRUNC);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return -errno;
			if ((size_t)n > *cap) {
				free(*buf);
				*buf = NULL;
				*cap = 0;
				if (buf_grow(buf, cap, n, 0))
					return -ENOMEM;
			}
		}
		n = recv(fd, *buf, *cap, MSG_TRUNC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if ((size_t)n > *cap)
			return -EMSGSIZE;
		return (int)n;
	}
}

/*
 * Send the built message and process replies until the exchange ends.
 * rx_bound: upper bound of one reply message's size (0: small).
 */
int xchg(struct mb *m, enum xmode mode, uint16_t type,
		size_t rx_bound, msg_fn fn, void *arg)
{
	struct ksf *h = m->h;
	struct nlmsghdr *nlh;
	bool peek = false, done = false, intr = false;
	int ret = 0, cb_ret = 0, n;
	uint32_t seq;

	if (m->err)
		return err_set(m->err, m->err == -EMSGSIZE ?
			       "request too large for a netlink message" :
			       NULL);
	nlh = (struct nlmsghdr *)h->tx;
	nlh->nlmsg_len = m->len;
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	if (mode == X_ACK)
		nlh->nlmsg_flags |= NLM_F_ACK;
	else if (mode == X_DUMP)
		nlh->nlmsg_flags |= NLM_F_DUMP;
	seq = ++h->seq;
	if (!seq)
		seq = ++h->seq;
	tls_req = h->tx;
	tls_req_len = m->len;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = 0;

	for (bool grown = false;;) {
		/* unconnected netlink socket: send() goes to the kernel */
		n = send(h->fd, h->tx, m->len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EMSGSIZE && !grown && m->len < INT_MAX / 2) {
			/* a large request: grow the send buffer once */
			int size = (int)m->len + 4096;

			grown = true;
			if (setsockopt(h->fd, SOL_SOCKET, SO_SNDBUFFORCE, &size,
				       sizeof(size)))
				setsockopt(h->fd, SOL_SOCKET, SO_SNDBUF, &size,
					   sizeof(size));
			continue;
		}
		break;
	}
	if (n < 0 && errno == EMSGSIZE)
		return err_set(-EMSGSIZE,
			       "request of %zu bytes larger than the socket allows",
			       m->len);
	if (n < 0)
		return err_set(-errno, "send: %s", strerror(errno));

	if (rx_bound > h->rx_cap) {
		if (rx_bound <= (1u << 20)) {
			free(h->rx);
			h->rx = NULL;
			h->rx_cap = 0;
			if (buf_grow(&h->rx, &h->rx_cap, rx_bound, 0))
				return err_set(-ENOMEM, NULL);
		} else {
			peek = true;
		}
	}

	while (!done) {
		n = sock_recv(h->fd, &h->rx, &h->rx_cap, peek);
		if (n < 0) {
			if (n == -EMSGSIZE)
				return err_set(n, "reply larger than %zu bytes",
					       h->rx_cap);
			return err_set(n, "recv: %s", strerror(-n));
		}
		for (nlh = (struct nlmsghdr *)h->rx; nlmsg_ok(nlh, n);
		     nlh = nlmsg_next(nlh, &n)) {
			if (nlh->nlmsg_seq != seq)
				continue;	/* stale */
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = true;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = nlmsg_data(nlh);
				size_t off = sizeof(*e);

				if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*e)) {
					ret = err_set(-EPROTO,
						      "truncated netlink error");
					done = true;
					break;
				}
				if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
					off += e->msg.nlmsg_len - NLMSG_HDRLEN;
				if (e->error) {
					ret = e->error > 0 ? -e->error :
						e->error;
					parse_extack(nlh, off, ret);
					if (ret == -EPERM && type == h->family)
						perm_error(h, ((struct genlmsghdr *)
							       (h->tx + NLMSG_HDRLEN))->cmd);
				}
				done = true;
				break;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				int err = 0;

				if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
					memcpy(&err, nlmsg_data(nlh),
					       sizeof(int));
				if (err < 0) {
					ret = err;
					parse_extack(nlh, sizeof(int), err);
				}
				done = true;
				break;
			}
			if (nlh->nlmsg_type == NLMSG_NOOP ||
			    nlh->nlmsg_type == NLMSG_OVERRUN)
				continue;
			if (nlh->nlmsg_type != type)
				continue;
			if (!cb_ret && fn) {
				cb_ret = fn(h, nlh, arg);
				if (cb_ret < 0 && !ret)
					ret = cb_ret;
			}
			if (mode == X_REPLY) {
				done = true;
				break;
			}
		}
	}
	if (ret)
		return ret;
	if (intr)
		return err_set(-EINTR, "dump interrupted by a concurrent change; retry");
	return cb_ret;
}

struct nlattr *msg_attrs(struct nlmsghdr *nlh, int *len)
{
	*len = genlmsg_attrlen(nlmsg_data(nlh), 0);
	return genlmsg_attrdata(nlmsg_data(nlh), 0);
}

/* Parses a message's attributes into tb[0..max]; -EPROTO when malformed. */
int msg_parse(struct nlmsghdr *nlh, struct nlattr **tb, int max)
{
	struct nlattr *attrs;
	int len;

	attrs = msg_attrs(nlh, &len);
	return nla_parse(tb, max, attrs, len, NULL) ? -EPROTO : 0;
}

/* NUL-terminated string inside the attribute, else NULL */
const char *a_str(const struct nlattr *a)
{
	const char *s;
	int len;

	if (!a)
		return NULL;
	len = nla_len(a);
	s = nla_data(a);
	if (len <= 0 || !memchr(s, '\0', len))
		return NULL;
	return s;
}

void a_strcpy(const struct nlattr *a, char *dst, size_t size)
{
	const char *s = a_str(a);
	size_t n = s ? strnlen(s, size - 1) : 0;

	if (n)
		memcpy(dst, s, n);
	dst[n] = '\0';
}

/* ---- Arena for decoded objects ------------------------------------------------- */

void *arena_alloc(struct arena **ar, size_t size)
{
	struct arena *a = calloc(1, sizeof(*a) + size);

	if (!a)
		return NULL;
	a->next = *ar;
	*ar = a;
	return a->data;
}

void arena_free(struct arena **ar)
{
	struct arena *a = *ar, *next;

	for (; a; a = next) {
		next = a->next;
		free(a);
	}
	*ar = NULL;
}

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

/* Lock, clear the thread's error and start a ksf message. */
void begin(struct ksf *h, struct mb *m, uint8_t cmd)
{
	pthread_mutex_lock(&h->lock);
	err_clear();
	mb_init(m, h, cmd);
}

int end(struct ksf *h, int ret)
{
	pthread_mutex_unlock(&h->lock);
	return ret;
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

KSF_EXPORT int ksf_get_info(struct ksf *h, struct ksf_info *info)
{
	struct mb m;
	int ret;

	CHECK_HANDLE(h);
	begin(h, &m, KSF_CMD_GET_INFO);
	ret = xchg(&m, X_REPLY, h->family, 0, info_cb, info);
	if (ret == 0)
		ret = err_set(-EPROTO, "no reply from the kernel");
	return end(h, ret < 0 ? ret : 0);
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

static int dispatch_event(struct ksf *h, struct nlmsghdr *nlh,
			  ksf_event_cb cb, void *arg)
{
	struct nlattr *tb[KSF_A_EVENT_MAX + 1], *attrs;
	struct ksf_results *results = NULL;
	struct ksf_event_msg ev = { 0 };
	int len, ret;

	if (nlh->nlmsg_type != h->family ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return 0;
	attrs = msg_attrs(nlh, &len);
	if (nla_parse(tb, KSF_A_EVENT_MAX, attrs, len, NULL))
		return 0;
	a_u32(tb[KSF_A_EVENT_TYPE], &ev.type);
	ev.peer = a_str(tb[KSF_A_EVENT_PEER]);
	a_u64(tb[KSF_A_EVENT_KEY], &ev.key);
	a_u32(tb[KSF_A_EVENT_SERVICE], &ev.service);
	ev.reason = a_str(tb[KSF_A_EVENT_REASON]);
	ret = ksfl_decode_results(attrs, len, KSF_A_EVENT_RESULT, &results);
	if (ret < 0)
		return ret;
	ev.results = results;
	ret = cb(&ev, arg);
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
