// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libksf's messages: the per-thread error, the request builder, the
 * exchange with the kernel (one send, one recv as a rule; an extended
 * ack's message and the attribute it points at, named), length-checked
 * attribute getters and the arena decoded objects live in.  The calls
 * of libksf.c, item.c, result.c and policy.c stand on it.
 */
#include "internal.h"
#include "ksf-attr-names.h"

#define KSF_TX_MIN	4096

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

void *mb_room(struct mb *m, size_t n)
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
	m->len = need;
	return p;
}

void *mb_reserve(struct mb *m, size_t n)
{
	void *p = mb_room(m, n);

	if (p)
		memset(p, 0, NLMSG_ALIGN(n));
	return p;
}

void mb_put(struct mb *m, uint16_t type, const void *data, size_t len)
{
	uint8_t *p;

	if (len > 0xffff - NLA_HDRLEN) {
		if (!m->err)
			m->err = -EMSGSIZE;
		return;
	}
	p = mb_room(m, NLA_HDRLEN + len);
	if (p)
		attr_write(p, type, data, len);
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
	uint8_t *p;

	m->h = h;
	m->len = 0;
	m->err = 0;
	p = mb_reserve(m, NLMSG_HDRLEN + GENL_HDRLEN);
	if (p) {
		g = (struct genlmsghdr *)(p + NLMSG_HDRLEN);
		g->cmd = cmd;
		g->version = KSF_FAMILY_VERSION;
	}
}

/* ---- Exchange --------------------------------------------------------------- */

/* A request under the handle's lock: begin() takes it, end() drops it. */
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

void parse_extack(struct nlmsghdr *nlh, size_t off, int err)
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

int sock_recv(int fd, uint8_t **buf, size_t *cap, bool peek)
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
		for (nlh = (struct nlmsghdr *)h->rx; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != seq)
				continue;	/* stale */
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = true;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);
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
					memcpy(&err, NLMSG_DATA(nlh),
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
