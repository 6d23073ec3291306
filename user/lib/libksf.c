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
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "libksf.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define KSF_RX_MIN	(32 * 1024)	/* covers the kernel's dump skb size */
#define KSF_TX_MIN	4096
#define KSF_EV_RCVBUF	(4 << 20)

#define KSF_EXPORT __attribute__((visibility("default")))

struct ksf {
	pthread_mutex_t lock;		/* request socket and buffers */
	struct nl_sock *sk;
	int fd;
	uint32_t seq;
	int family;
	int version;
	int mcgrp;			/* events group ID, 0 if none */
	uint8_t *tx;
	size_t tx_cap;
	uint8_t *rx;
	size_t rx_cap;

	pthread_mutex_t ev_lock;	/* events socket and buffer */
	struct nl_sock *ev_sk;
	int ev_fd;
	uint8_t *ev_rx;
	size_t ev_cap;
};

/* ---- Errors (per thread) ------------------------------------------------ */

static __thread char tls_err[512];
static __thread int tls_off = -1, tls_miss = -1;

static void err_clear(void)
{
	tls_err[0] = '\0';
	tls_off = -1;
	tls_miss = -1;
}

__attribute__((format(printf, 2, 3)))
static int err_set(int err, const char *fmt, ...)
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

/* ---- Names ---------------------------------------------------------------- */

static const char *const peer_kind_names[] = {
	[KSF_PEER_KIND_NF] = "nf", [KSF_PEER_KIND_KSF] = "ksf",
	[KSF_PEER_KIND_UE] = "ue",
};
static const char *const key_type_names[] = {
	[KSF_KEY_TYPE_GENERIC] = "generic", [KSF_KEY_TYPE_AES] = "aes",
	[KSF_KEY_TYPE_KEK] = "kek", [KSF_KEY_TYPE_NAS] = "nas",
	[KSF_KEY_TYPE_K] = "k", [KSF_KEY_TYPE_OPC] = "opc",
};
/* index = bit number */
static const char *const key_usage_names[] = {
	"derive", "mac", "verify", "encrypt", "decrypt", "seal", "wrap",
};
static const char *const key_source_names[] = {
	[KSF_KEY_SOURCE_GENERATE] = "generate",
	[KSF_KEY_SOURCE_KEYRING] = "keyring",
	[KSF_KEY_SOURCE_IMPORT] = "import",
	[KSF_KEY_SOURCE_DERIVE] = "derive",
};
static const char *const service_names[] = {
	[KSF_SERVICE_MAC_GENERATE] = "mac-generate",
	[KSF_SERVICE_MAC_VERIFY] = "mac-verify",
	[KSF_SERVICE_KDF] = "kdf",
	[KSF_SERVICE_ENCRYPT] = "encrypt",
	[KSF_SERVICE_DECRYPT] = "decrypt",
	[KSF_SERVICE_NAS_MAC] = "nas-mac",
	[KSF_SERVICE_NAS_VERIFY] = "nas-verify",
	[KSF_SERVICE_NAS_CIPHER] = "nas-cipher",
	[KSF_SERVICE_NAS_DECIPHER] = "nas-decipher",
	[KSF_SERVICE_AKA_VECTOR] = "aka-vector",
	[KSF_SERVICE_AKA_RESPONSE] = "aka-response",
	[KSF_SERVICE_AKA_RESYNC] = "aka-resync",
	[KSF_SERVICE_NAS_CONTEXT] = "nas-context",
	[KSF_SERVICE_NAS_PROTECT] = "nas-protect",
	[KSF_SERVICE_NAS_UNPROTECT] = "nas-unprotect",
	[KSF_SERVICE_HRES_STAR] = "hres-star",
};
static const char *const alg_names[] = {
	[KSF_ALG_HMAC_SHA256] = "hmac-sha256",
	[KSF_ALG_AES_CMAC] = "aes-cmac",
	[KSF_ALG_KDF_SHA256] = "kdf-sha256",
	[KSF_ALG_AES_GCM] = "aes-gcm",
	[KSF_ALG_NIA1] = "nia1", [KSF_ALG_NIA2] = "nia2", [KSF_ALG_NIA3] = "nia3",
	[KSF_ALG_NEA1] = "nea1", [KSF_ALG_NEA2] = "nea2", [KSF_ALG_NEA3] = "nea3",
	[KSF_ALG_MILENAGE] = "milenage",
	[KSF_ALG_NEA0] = "nea0", [KSF_ALG_SHA256] = "sha256",
};
static const char *const status_names[] = {
	[KSF_STATUS_OK] = "ok", [KSF_STATUS_REJECTED] = "rejected",
	[KSF_STATUS_ERROR] = "error",
};
static const char *const notify_status_names[] = {
	[KSF_NOTIFY_STATUS_REGISTERED] = "registered",
	[KSF_NOTIFY_STATUS_DEREGISTERED] = "deregistered",
	[KSF_NOTIFY_STATUS_KEY_COMPROMISED] = "key-compromised",
	[KSF_NOTIFY_STATUS_RELOCATED] = "relocated",
};
static const char *const event_names[] = {
	[KSF_EVENT_KEY_EXPIRED] = "key-expired",
	[KSF_EVENT_KEY_DESTROYED] = "key-destroyed",
	[KSF_EVENT_REJECTION] = "rejection",
	[KSF_EVENT_POLICY_CHANGE] = "policy-change",
	[KSF_EVENT_TIMER_RESULT] = "timer-result",
	[KSF_EVENT_PEER_CHANGE] = "peer-change",
	[KSF_EVENT_VERIFY_FAILURE] = "verify-failure",
};
/* index = bit number */
static const char *const context_state_names[] = {
	"aka-he", "aka-ms", "nas",
};
static const char *const key_flag_names[] = {
	"context", "spent", "raw-nas",
};

#define TABLE(a) { a, sizeof(a) / sizeof(a[0]) }
static const struct {
	const char *const *names;
	size_t n;
} tables[] = {
	[KSF_NAMES_PEER_KIND] = TABLE(peer_kind_names),
	[KSF_NAMES_KEY_TYPE] = TABLE(key_type_names),
	[KSF_NAMES_KEY_USAGE] = TABLE(key_usage_names),
	[KSF_NAMES_KEY_SOURCE] = TABLE(key_source_names),
	[KSF_NAMES_SERVICE] = TABLE(service_names),
	[KSF_NAMES_ALG] = TABLE(alg_names),
	[KSF_NAMES_STATUS] = TABLE(status_names),
	[KSF_NAMES_NOTIFY_STATUS] = TABLE(notify_status_names),
	[KSF_NAMES_EVENT] = TABLE(event_names),
	[KSF_NAMES_CONTEXT_STATE] = TABLE(context_state_names),
	[KSF_NAMES_KEY_FLAG] = TABLE(key_flag_names),
};

static bool table_ok(enum ksf_name_table t)
{
	return (unsigned int)t < sizeof(tables) / sizeof(tables[0]);
}

/* Tables of flags: name i is the value 1 << i. */
static bool table_flags(enum ksf_name_table t)
{
	return t == KSF_NAMES_KEY_USAGE || t == KSF_NAMES_CONTEXT_STATE ||
	       t == KSF_NAMES_KEY_FLAG;
}

KSF_EXPORT const char *ksf_name(enum ksf_name_table t, uint32_t v)
{
	if (!table_ok(t))
		return NULL;
	if (table_flags(t)) {
		if (!v || (v & (v - 1)))
			return NULL;
		v = __builtin_ctz(v);
	}
	return v < tables[t].n ? tables[t].names[v] : NULL;
}

static int parse_number(const char *s, uint64_t *v)
{
	char *end;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

KSF_EXPORT int ksf_value(enum ksf_name_table t, const char *name, uint32_t *v)
{
	uint64_t n;
	size_t i;

	if (!table_ok(t) || !name)
		return -EINVAL;
	for (i = 0; i < tables[t].n; i++) {
		if (tables[t].names[i] && !strcmp(tables[t].names[i], name)) {
			*v = table_flags(t) ? 1u << i : (uint32_t)i;
			return 0;
		}
	}
	if (parse_number(name, &n) || n > UINT32_MAX)
		return -EINVAL;
	*v = n;
	return 0;
}

static uint64_t mask_bit(enum ksf_name_table t, uint32_t v)
{
	if (table_flags(t))
		return v;
	return v < 64 ? 1ull << v : 0;
}

KSF_EXPORT int ksf_mask_parse(enum ksf_name_table t, const char *list,
			      uint64_t *mask)
{
	char *copy, *tok, *save = NULL;
	uint64_t m = 0, n;
	uint32_t v;
	int ret = 0;
	size_t i;

	if (!table_ok(t) || !list)
		return -EINVAL;
	copy = strdup(list);
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "none"))
			continue;
		if (!strcmp(tok, "all")) {
			/* Null ciphering must be named: "all" is not "nea0". */
			for (i = 0; i < tables[t].n; i++)
				if (tables[t].names[i] &&
				    !(t == KSF_NAMES_ALG && i == KSF_ALG_NEA0))
					m |= 1ull << i;
			continue;
		}
		/* a bare number is the mask itself */
		if (!parse_number(tok, &n)) {
			m |= n;
			continue;
		}
		if (ksf_value(t, tok, &v)) {
			ret = -EINVAL;
			break;
		}
		m |= mask_bit(t, v);
	}
	free(copy);
	if (!ret)
		*mask = m;
	return ret;
}

KSF_EXPORT int ksf_mask_format(enum ksf_name_table t, uint64_t mask,
			       char *buf, size_t size)
{
	size_t len = 0;
	int bit, n;

	if (!size)
		return 0;
	buf[0] = '\0';
	if (!mask)
		return snprintf(buf, size, "none");
	for (bit = 0; bit < 64; bit++) {
		const char *name = NULL;

		if (!(mask & (1ull << bit)))
			continue;
		if (table_ok(t) && (size_t)bit < tables[t].n)
			name = tables[t].names[bit];
		if (name)
			n = snprintf(buf + len, len < size ? size - len : 0,
				     "%s%s", len ? "," : "", name);
		else
			n = snprintf(buf + len, len < size ? size - len : 0,
				     "%s0x%" PRIx64, len ? "," : "",
				     (uint64_t)1 << bit);
		len += n;
	}
	return (int)len;
}

/* ---- Message builder ------------------------------------------------------- */

struct mb {
	struct ksf *h;
	size_t len;
	int err;
};

static int buf_grow(uint8_t **buf, size_t *cap, size_t need, size_t used)
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

static void *mb_reserve(struct mb *m, size_t n)
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

static void mb_put(struct mb *m, uint16_t type, const void *data, size_t len)
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

static void mb_u8(struct mb *m, uint16_t type, uint8_t v)
{
	mb_put(m, type, &v, 1);
}

static void mb_u32(struct mb *m, uint16_t type, uint32_t v)
{
	mb_put(m, type, &v, 4);
}

static void mb_s32(struct mb *m, uint16_t type, int32_t v)
{
	mb_put(m, type, &v, 4);
}

static void mb_u64(struct mb *m, uint16_t type, uint64_t v)
{
	mb_put(m, type, &v, 8);
}

static void mb_str(struct mb *m, uint16_t type, const char *s)
{
	mb_put(m, type, s, strlen(s) + 1);
}

static void mb_buf(struct mb *m, uint16_t type, const struct ksf_buf *b)
{
	if (b->ptr || b->size)
		mb_put(m, type, b->ptr, b->size);
}

static size_t mb_nest(struct mb *m, uint16_t type)
{
	size_t off = m->len;

	mb_put(m, type | NLA_F_NESTED, NULL, 0);
	return off;
}

static void mb_nest_end(struct mb *m, size_t off)
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

static void mb_init(struct mb *m, struct ksf *h, uint8_t cmd)
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

enum xmode { X_ACK, X_REPLY, X_DUMP };

typedef int (*msg_fn)(struct ksf *h, struct nlmsghdr *nlh, void *arg);

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
	if (tb[NLMSGERR_ATTR_MSG] && nla_len(tb[NLMSGERR_ATTR_MSG]) > 0) {
		const char *s = nla_data(tb[NLMSGERR_ATTR_MSG]);
		int n = strnlen(s, nla_len(tb[NLMSGERR_ATTR_MSG]));

		if (err)
			snprintf(tls_err, sizeof(tls_err), "%.*s", n, s);
	}
	if (tb[NLMSGERR_ATTR_OFFS] && nla_len(tb[NLMSGERR_ATTR_OFFS]) == 4)
		tls_off = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
	    nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) == 4) {
		tls_miss = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
		if (err && !tb[NLMSGERR_ATTR_MSG])
			snprintf(tls_err, sizeof(tls_err),
				 "missing attribute %d", tls_miss);
	}
	if (err && !tb[NLMSGERR_ATTR_MSG] && tls_off >= 0 && tls_miss < 0)
		snprintf(tls_err, sizeof(tls_err),
			 "invalid attribute at offset %d (%s)", tls_off,
			 strerror(-err));
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
static int xchg(struct mb *m, enum xmode mode, uint16_t type,
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

static struct nlattr *msg_attrs(struct nlmsghdr *nlh, int *len)
{
	*len = genlmsg_attrlen(nlmsg_data(nlh), 0);
	return genlmsg_attrdata(nlmsg_data(nlh), 0);
}

/* ---- Attribute getters (length-checked) --------------------------------------- */

static bool a_u8(const struct nlattr *a, uint8_t *v)
{
	if (!a || nla_len(a) != 1)
		return false;
	*v = nla_get_u8((struct nlattr *)a);
	return true;
}

static bool a_u32(const struct nlattr *a, uint32_t *v)
{
	if (!a || nla_len(a) != 4)
		return false;
	*v = nla_get_u32((struct nlattr *)a);
	return true;
}

static bool a_u64(const struct nlattr *a, uint64_t *v)
{
	if (!a || nla_len(a) != 8)
		return false;
	memcpy(v, nla_data(a), 8);
	return true;
}

/* An attribute of exactly @len bytes, copied into @dst. */
static bool a_fixed(const struct nlattr *a, void *dst, size_t len)
{
	if (!a || (size_t)nla_len(a) != len)
		return false;
	memcpy(dst, nla_data(a), len);
	return true;
}

/* NUL-terminated string inside the attribute, else NULL */
static const char *a_str(const struct nlattr *a)
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

static void a_strcpy(const struct nlattr *a, char *dst, size_t size)
{
	const char *s = a_str(a);
	size_t n = s ? strnlen(s, size - 1) : 0;

	if (n)
		memcpy(dst, s, n);
	dst[n] = '\0';
}

static struct ksf_buf a_buf(const struct nlattr *a)
{
	struct ksf_buf b = { NULL, 0 };

	if (a) {
		b.ptr = nla_data(a);
		b.size = nla_len(a);
	}
	return b;
}

/* ---- Arena for decoded objects ------------------------------------------------- */

struct arena {
	struct arena *next;
	max_align_t data[];
};

static void *arena_alloc(struct arena **ar, size_t size)
{
	struct arena *a = calloc(1, sizeof(*a) + size);

	if (!a)
		return NULL;
	a->next = *ar;
	*ar = a;
	return a->data;
}

static void arena_free(struct arena **ar)
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
};

static int getfamily_cb(struct ksf *h, struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1], *grp, *gtb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	struct getfamily *gf = arg;
	struct nlattr *attrs;
	int len, rem;
	uint32_t v;

	(void)h;
	attrs = msg_attrs(nlh, &len);
	if (nla_parse(tb, CTRL_ATTR_MAX, attrs, len, NULL))
		return -EPROTO;
	if (!tb[CTRL_ATTR_FAMILY_ID] || nla_len(tb[CTRL_ATTR_FAMILY_ID]) != 2)
		return -EPROTO;
	gf->id = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (a_u32(tb[CTRL_ATTR_VERSION], &v))
		gf->version = v;
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
	/* libnl's default of 32 KiB is too small for batched replies */
	nl_socket_set_buffer_size(sk, 1 << 20, 1 << 20);
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
static void begin(struct ksf *h, struct mb *m, uint8_t cmd)
{
	pthread_mutex_lock(&h->lock);
	err_clear();
	mb_init(m, h, cmd);
}

static int end(struct ksf *h, int ret)
{
	pthread_mutex_unlock(&h->lock);
	return ret;
}

#define CHECK_HANDLE(h)						\
	do {							\
		if (!(h)) {					\
			err_clear();				\
			return err_set(-EINVAL, "no handle");	\
		}						\
	} while (0)

/* ---- GET_INFO --------------------------------------------------------------- */

static int info_cb(struct ksf *h, struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[KSF_A_INFO_MAX + 1], *attrs;
	struct ksf_info *info = arg;
	int len;

	(void)h;
	attrs = msg_attrs(nlh, &len);
	if (nla_parse(tb, KSF_A_INFO_MAX, attrs, len, NULL))
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

/* ---- Items ---------------------------------------------------------------- */

static void put_item(struct mb *m, uint16_t type, const struct ksf_item *it)
{
	size_t nest = mb_nest(m, type), i;

	if (it->service)
		mb_u32(m, KSF_A_ITEM_SERVICE, it->service);
	if (it->alg)
		mb_u32(m, KSF_A_ITEM_ALG, it->alg);
	if (it->key)
		mb_u64(m, KSF_A_ITEM_KEY, it->key);
	if (it->peer)
		mb_str(m, KSF_A_ITEM_PEER, it->peer);
	mb_buf(m, KSF_A_ITEM_DATA, &it->data);
	mb_buf(m, KSF_A_ITEM_MAC, &it->mac);
	if (it->mac_len)
		mb_u32(m, KSF_A_ITEM_MAC_LEN, it->mac_len);
	mb_buf(m, KSF_A_ITEM_IV, &it->iv);
	mb_buf(m, KSF_A_ITEM_AAD, &it->aad);
	if (it->has_fc)
		mb_u8(m, KSF_A_ITEM_FC, it->fc);
	for (i = 0; i < it->n_params; i++) {
		if (it->param_keys && it->param_keys[i])
			mb_u64(m, KSF_A_ITEM_PARAM_KEY, it->param_keys[i]);
		else
			mb_put(m, KSF_A_ITEM_PARAM, it->params[i].ptr,
			       it->params[i].size);
	}
	if (it->out_type)
		mb_u32(m, KSF_A_ITEM_OUT_TYPE, it->out_type);
	if (it->out_len)
		mb_u32(m, KSF_A_ITEM_OUT_LEN, it->out_len);
	if (it->out_usage)
		mb_u32(m, KSF_A_ITEM_OUT_USAGE, it->out_usage);
	if (it->out_max_age)
		mb_u32(m, KSF_A_ITEM_OUT_MAX_AGE, it->out_max_age);
	if (it->key2)
		mb_u64(m, KSF_A_ITEM_KEY2, it->key2);
	if (it->has_count)
		mb_u32(m, KSF_A_ITEM_COUNT, it->count);
	if (it->has_bearer)
		mb_u8(m, KSF_A_ITEM_BEARER, it->bearer);
	if (it->has_direction)
		mb_u8(m, KSF_A_ITEM_DIRECTION, it->direction);
	if (it->bits)
		mb_u32(m, KSF_A_ITEM_BITS, it->bits);
	mb_buf(m, KSF_A_ITEM_RAND, &it->rand);
	mb_buf(m, KSF_A_ITEM_AUTN, &it->autn);
	mb_buf(m, KSF_A_ITEM_AUTS, &it->auts);
	mb_buf(m, KSF_A_ITEM_AMF, &it->amf);
	if (it->snn)
		mb_str(m, KSF_A_ITEM_SNN, it->snn);
	if (it->has_sqn)
		mb_u64(m, KSF_A_ITEM_SQN, it->sqn);
	if (it->subscriber)
		mb_str(m, KSF_A_ITEM_SUBSCRIBER, it->subscriber);
	if (it->context)
		mb_u64(m, KSF_A_ITEM_CONTEXT, it->context);
	if (it->has_seq)
		mb_u8(m, KSF_A_ITEM_SEQ, it->seq);
	if (it->int_alg)
		mb_u32(m, KSF_A_ITEM_INT_ALG, it->int_alg);
	if (it->enc_alg)
		mb_u32(m, KSF_A_ITEM_ENC_ALG, it->enc_alg);
	mb_nest_end(m, nest);
}

/* Decode an item nest; params are allocated in the arena. */
static int get_item(const struct nlattr *nest, struct ksf_item *it,
		    struct arena **ar)
{
	struct nlattr *tb[KSF_A_ITEM_MAX + 1], *a;
	struct ksf_buf *params;
	uint64_t *keys;
	size_t n = 0;
	int rem;

	memset(it, 0, sizeof(*it));
	if (nla_parse_nested(tb, KSF_A_ITEM_MAX, (struct nlattr *)nest, NULL))
		return -EPROTO;
	a_u32(tb[KSF_A_ITEM_SERVICE], &it->service);
	a_u32(tb[KSF_A_ITEM_ALG], &it->alg);
	a_u64(tb[KSF_A_ITEM_KEY], &it->key);
	it->peer = a_str(tb[KSF_A_ITEM_PEER]);
	it->data = a_buf(tb[KSF_A_ITEM_DATA]);
	it->mac = a_buf(tb[KSF_A_ITEM_MAC]);
	a_u32(tb[KSF_A_ITEM_MAC_LEN], &it->mac_len);
	it->iv = a_buf(tb[KSF_A_ITEM_IV]);
	it->aad = a_buf(tb[KSF_A_ITEM_AAD]);
	it->has_fc = a_u8(tb[KSF_A_ITEM_FC], &it->fc);
	a_u32(tb[KSF_A_ITEM_OUT_TYPE], &it->out_type);
	a_u32(tb[KSF_A_ITEM_OUT_LEN], &it->out_len);
	a_u32(tb[KSF_A_ITEM_OUT_USAGE], &it->out_usage);
	a_u32(tb[KSF_A_ITEM_OUT_MAX_AGE], &it->out_max_age);
	a_u64(tb[KSF_A_ITEM_KEY2], &it->key2);
	it->has_count = a_u32(tb[KSF_A_ITEM_COUNT], &it->count);
	it->has_bearer = a_u8(tb[KSF_A_ITEM_BEARER], &it->bearer);
	it->has_direction = a_u8(tb[KSF_A_ITEM_DIRECTION], &it->direction);
	a_u32(tb[KSF_A_ITEM_BITS], &it->bits);
	it->rand = a_buf(tb[KSF_A_ITEM_RAND]);
	it->autn = a_buf(tb[KSF_A_ITEM_AUTN]);
	it->auts = a_buf(tb[KSF_A_ITEM_AUTS]);
	it->amf = a_buf(tb[KSF_A_ITEM_AMF]);
	it->snn = a_str(tb[KSF_A_ITEM_SNN]);
	it->has_sqn = a_u64(tb[KSF_A_ITEM_SQN], &it->sqn);
	it->subscriber = a_str(tb[KSF_A_ITEM_SUBSCRIBER]);
	a_u64(tb[KSF_A_ITEM_CONTEXT], &it->context);
	it->has_seq = a_u8(tb[KSF_A_ITEM_SEQ], &it->seq);
	a_u32(tb[KSF_A_ITEM_INT_ALG], &it->int_alg);
	a_u32(tb[KSF_A_ITEM_ENC_ALG], &it->enc_alg);
	nla_for_each_nested(a, (struct nlattr *)nest, rem)
		if (nla_type(a) == KSF_A_ITEM_PARAM ||
		    nla_type(a) == KSF_A_ITEM_PARAM_KEY)
			n++;
	if (!n)
		return 0;
	params = arena_alloc(ar, n * sizeof(*params));
	keys = arena_alloc(ar, n * sizeof(*keys));
	if (!params || !keys)
		return -ENOMEM;
	n = 0;
	nla_for_each_nested(a, (struct nlattr *)nest, rem) {
		if (nla_type(a) == KSF_A_ITEM_PARAM) {
			keys[n] = 0;
			params[n++] = a_buf(a);
		} else if (nla_type(a) == KSF_A_ITEM_PARAM_KEY) {
			memset(&params[n], 0, sizeof(params[n]));
			a_u64(a, &keys[n++]);
		}
	}
	it->params = params;
	it->param_keys = keys;
	it->n_params = n;
	return 0;
}

/* Decode the item children of type `type` of a nest into an arena array. */
static int get_items(const struct nlattr *nest, uint16_t type,
		     struct ksf_item **items, size_t *n_items,
		     struct arena **ar)
{
	struct nlattr *a;
	size_t n = 0;
	int rem, err;

	nla_for_each_nested(a, (struct nlattr *)nest, rem)
		if (nla_type(a) == type)
			n++;
	*items = NULL;
	*n_items = 0;
	if (!n)
		return 0;
	*items = arena_alloc(ar, n * sizeof(**items));
	if (!*items)
		return -ENOMEM;
	n = 0;
	nla_for_each_nested(a, (struct nlattr *)nest, rem) {
		if (nla_type(a) != type)
			continue;
		err = get_item(a, &(*items)[n++], ar);
		if (err)
			return err;
	}
	*n_items = n;
	return 0;
}

/* ---- Peers --------------------------------------------------------------- */

static void put_policy(struct mb *m, const struct ksf_policy *p)
{
	size_t nest = mb_nest(m, KSF_A_PEER_POLICY), i, j, sub;

	if (p->fields & KSF_POLICY_SERVICES)
		mb_u64(m, KSF_A_POLICY_SERVICES, p->services);
	if (p->fields & KSF_POLICY_ALGS)
		mb_u64(m, KSF_A_POLICY_ALGS, p->algs);
	if (p->fields & KSF_POLICY_KEY_LEN_MIN)
		mb_u32(m, KSF_A_POLICY_KEY_LEN_MIN, p->key_len_min);
	if (p->fields & KSF_POLICY_KEY_LEN_MAX)
		mb_u32(m, KSF_A_POLICY_KEY_LEN_MAX, p->key_len_max);
	if (p->fields & KSF_POLICY_LIFETIME_MAX)
		mb_u32(m, KSF_A_POLICY_LIFETIME_MAX, p->lifetime_max);
	if (p->fields & KSF_POLICY_BATCH_MAX)
		mb_u32(m, KSF_A_POLICY_BATCH_MAX, p->batch_max);
	if (p->fields & KSF_POLICY_CALLER_RAND)
		mb_u8(m, KSF_A_POLICY_CALLER_RAND, p->caller_rand);
	if (p->fields & KSF_POLICY_MAC_LEN_MIN)
		mb_u32(m, KSF_A_POLICY_MAC_LEN_MIN, p->mac_len_min);
	if (p->fields & KSF_POLICY_MAC_FCS)
		mb_put(m, KSF_A_POLICY_MAC_FCS, p->mac_fcs, sizeof(p->mac_fcs));
	if (p->fields & KSF_POLICY_ENCRYPT_FCS)
		mb_put(m, KSF_A_POLICY_ENCRYPT_FCS, p->encrypt_fcs,
		       sizeof(p->encrypt_fcs));
	if (p->fields & KSF_POLICY_KEYS_MAX)
		mb_u32(m, KSF_A_POLICY_KEYS_MAX, p->keys_max);
	if (p->fields & KSF_POLICY_CONTEXTS_MAX)
		mb_u32(m, KSF_A_POLICY_CONTEXTS_MAX, p->contexts_max);
	if (p->fields & KSF_POLICY_NOTIFY) {
		for (i = 0; i < p->n_notify; i++) {
			const struct ksf_notify_preset *np = &p->notify[i];

			sub = mb_nest(m, KSF_A_POLICY_NOTIFY);
			mb_u32(m, KSF_A_NOTIFY_PRESET_STATUS, np->status);
			for (j = 0; j < np->n_items; j++)
				put_item(m, KSF_A_NOTIFY_PRESET_ITEM,
					 &np->items[j]);
			mb_nest_end(m, sub);
		}
	}
	if (p->fields & KSF_POLICY_TIMER) {
		for (i = 0; i < p->n_timers; i++) {
			const struct ksf_timer *t = &p->timers[i];

			sub = mb_nest(m, KSF_A_POLICY_TIMER);
			mb_u32(m, KSF_A_TIMER_PERIOD, t->period);
			for (j = 0; j < t->n_items; j++)
				put_item(m, KSF_A_TIMER_ITEM, &t->items[j]);
			mb_nest_end(m, sub);
		}
	}
	mb_nest_end(m, nest);
}

static int peer_send(struct ksf *h, const struct ksf_peer *peer, uint8_t cmd)
{
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
	if (peer->has_policy)
		put_policy(&m, &peer->policy);
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

static int decode_policy(struct nlattr *nest, struct ksf_policy *p,
			 struct arena **ar)
{
	struct nlattr *tb[KSF_A_POLICY_MAX + 1], *a;
	size_t nn = 0, nt = 0;
	int rem, err;

	memset(p, 0, sizeof(*p));
	if (nla_parse_nested(tb, KSF_A_POLICY_MAX, nest, NULL))
		return -EPROTO;
	if (a_u64(tb[KSF_A_POLICY_SERVICES], &p->services))
		p->fields |= KSF_POLICY_SERVICES;
	if (a_u64(tb[KSF_A_POLICY_ALGS], &p->algs))
		p->fields |= KSF_POLICY_ALGS;
	if (a_u32(tb[KSF_A_POLICY_KEY_LEN_MIN], &p->key_len_min))
		p->fields |= KSF_POLICY_KEY_LEN_MIN;
	if (a_u32(tb[KSF_A_POLICY_KEY_LEN_MAX], &p->key_len_max))
		p->fields |= KSF_POLICY_KEY_LEN_MAX;
	if (a_u32(tb[KSF_A_POLICY_LIFETIME_MAX], &p->lifetime_max))
		p->fields |= KSF_POLICY_LIFETIME_MAX;
	if (a_u32(tb[KSF_A_POLICY_BATCH_MAX], &p->batch_max))
		p->fields |= KSF_POLICY_BATCH_MAX;
	if (a_u8(tb[KSF_A_POLICY_CALLER_RAND], &p->caller_rand))
		p->fields |= KSF_POLICY_CALLER_RAND;
	if (a_u32(tb[KSF_A_POLICY_MAC_LEN_MIN], &p->mac_len_min))
		p->fields |= KSF_POLICY_MAC_LEN_MIN;
	if (a_u32(tb[KSF_A_POLICY_KEYS_MAX], &p->keys_max))
		p->fields |= KSF_POLICY_KEYS_MAX;
	if (a_u32(tb[KSF_A_POLICY_CONTEXTS_MAX], &p->contexts_max))
		p->fields |= KSF_POLICY_CONTEXTS_MAX;
	if (a_fixed(tb[KSF_A_POLICY_MAC_FCS], p->mac_fcs, sizeof(p->mac_fcs)))
		p->fields |= KSF_POLICY_MAC_FCS;
	if (a_fixed(tb[KSF_A_POLICY_ENCRYPT_FCS], p->encrypt_fcs,
		    sizeof(p->encrypt_fcs)))
		p->fields |= KSF_POLICY_ENCRYPT_FCS;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == KSF_A_POLICY_NOTIFY)
			nn++;
		else if (nla_type(a) == KSF_A_POLICY_TIMER)
			nt++;
	}
	if (nn) {
		p->notify = arena_alloc(ar, nn * sizeof(*p->notify));
		if (!p->notify)
			return -ENOMEM;
		p->fields |= KSF_POLICY_NOTIFY;
	}
	if (nt) {
		p->timers = arena_alloc(ar, nt * sizeof(*p->timers));
		if (!p->timers)
			return -ENOMEM;
		p->fields |= KSF_POLICY_TIMER;
	}
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == KSF_A_POLICY_NOTIFY) {
			struct ksf_notify_preset *np = &p->notify[p->n_notify++];
			struct nlattr *ntb[KSF_A_NOTIFY_PRESET_MAX + 1];

			if (nla_parse_nested(ntb, KSF_A_NOTIFY_PRESET_MAX, a,
					     NULL))
				return -EPROTO;
			a_u32(ntb[KSF_A_NOTIFY_PRESET_STATUS], &np->status);
			err = get_items(a, KSF_A_NOTIFY_PRESET_ITEM,
					&np->items, &np->n_items, ar);
			if (err)
				return err;
		} else if (nla_type(a) == KSF_A_POLICY_TIMER) {
			struct ksf_timer *t = &p->timers[p->n_timers++];
			struct nlattr *ttb[KSF_A_TIMER_MAX + 1];

			if (nla_parse_nested(ttb, KSF_A_TIMER_MAX, a, NULL))
				return -EPROTO;
			a_u32(ttb[KSF_A_TIMER_PERIOD], &t->period);
			err = get_items(a, KSF_A_TIMER_ITEM, &t->items,
					&t->n_items, ar);
			if (err)
				return err;
		}
	}
	return 0;
}

static int decode_peer(struct nlmsghdr *nlh, struct ksf_peer *peer,
		       struct arena **ar)
{
	struct nlattr *tb[KSF_A_PEER_MAX + 1], *attrs;
	int len;

	memset(peer, 0, sizeof(*peer));
	attrs = msg_attrs(nlh, &len);
	if (nla_parse(tb, KSF_A_PEER_MAX, attrs, len, NULL))
		return -EPROTO;
	a_strcpy(tb[KSF_A_PEER_ID], peer->id, sizeof(peer->id));
	a_u32(tb[KSF_A_PEER_KIND], &peer->kind);
	peer->has_uid = a_u32(tb[KSF_A_PEER_UID], &peer->uid);
	peer->has_gid = a_u32(tb[KSF_A_PEER_GID], &peer->gid);
	peer->has_keys = a_u32(tb[KSF_A_PEER_KEYS], &peer->keys);
	a_u32(tb[KSF_A_PEER_CONTEXTS], &peer->contexts);
	a_u32(tb[KSF_A_PEER_VERIFY_FAILURES], &peer->verify_failures);
	if (tb[KSF_A_PEER_POLICY]) {
		peer->has_policy = true;
		return decode_policy(tb[KSF_A_PEER_POLICY], &peer->policy, ar);
	}
	return 0;
}

struct peer_get_arg {
	struct ksf_peer *peer;
	struct arena *ar;
	void *copy;
};

static int peer_get_cb(struct ksf *h, struct nlmsghdr *nlh, void *arg)
{
	struct peer_get_arg *pa = arg;
	struct nlmsghdr *copy;
	int err;

	(void)h;
	/* the decoded peer points into the message: keep a copy */
	copy = arena_alloc(&pa->ar, nlh->nlmsg_len);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, nlh, nlh->nlmsg_len);
	err = decode_peer(copy, pa->peer, &pa->ar);
	return err ? err : 1;
}

KSF_EXPORT int ksf_peer_get(struct ksf *h, const char *id,
			    struct ksf_peer *peer)
{
	struct peer_get_arg pa = { .peer = peer };
	struct mb m;
	int ret;

	CHECK_HANDLE(h);
	if (!id || !peer)
		return err_set(-EINVAL, "no peer ID");
	begin(h, &m, KSF_CMD_PEER_GET);
	mb_str(&m, KSF_A_PEER_ID, id);
	ret = xchg(&m, X_REPLY, h->family, 0, peer_get_cb, &pa);
	if (ret == 0)
		ret = err_set(-EPROTO, "no reply from the kernel");
	if (ret < 0) {
		arena_free(&pa.ar);
		memset(peer, 0, sizeof(*peer));
		return end(h, ret);
	}
	peer->_priv = pa.ar;
	return end(h, 0);
}

KSF_EXPORT void ksf_peer_clear(struct ksf_peer *peer)
{
	struct arena *ar;

	if (!peer)
		return;
	ar = peer->_priv;
	arena_free(&ar);
	memset(peer, 0, sizeof(*peer));
}

struct dump_arg {
	void *cb;
	void *arg;
};

static int peer_dump_cb(struct ksf *h, struct nlmsghdr *nlh, void *arg)
{
	struct dump_arg *da = arg;
	struct arena *ar = NULL;
	struct ksf_peer peer;
	int ret;

	(void)h;
	ret = decode_peer(nlh, &peer, &ar);
	if (!ret)
		ret = ((ksf_peer_cb)da->cb)(&peer, da->arg);
	arena_free(&ar);
	return ret;
}

KSF_EXPORT int ksf_peer_dump(struct ksf *h, ksf_peer_cb cb, void *arg)
{
	struct dump_arg da = { (void *)cb, arg };
	struct mb m;

	CHECK_HANDLE(h);
	if (!cb)
		return err_set(-EINVAL, "no callback");
	begin(h, &m, KSF_CMD_PEER_GET);
	return end(h, xchg(&m, X_DUMP, h->family, 0, peer_dump_cb, &da));
}

/* ---- Keys ------------------------------------------------------------------ */

static int handle_cb(struct ksf *h, struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[KSF_A_KEY_MAX + 1], *attrs;
	int len;

	(void)h;
	attrs = msg_attrs(nlh, &len);
	if (nla_parse(tb, KSF_A_KEY_MAX, attrs, len, NULL))
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
	struct nlattr *tb[KSF_A_CONTEXT_MAX + 1], *attrs;
	int len;

	(void)h;
	attrs = msg_attrs(nlh, &len);
	if (nla_parse(tb, KSF_A_CONTEXT_MAX, attrs, len, NULL))
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
	struct nlattr *tb[KSF_A_CONTEXT_MAX + 1], *attrs;
	int len;

	memset(ctx, 0, sizeof(*ctx));
	attrs = msg_attrs(nlh, &len);
	if (nla_parse(tb, KSF_A_CONTEXT_MAX, attrs, len, NULL))
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

/* ---- Results --------------------------------------------------------------- */

/*
 * Decode the result nests of type `type` among attrs into results[0..max);
 * all variable data is copied into one block.  Returns the count.
 */
static int decode_results(struct nlattr *attrs, int len, uint16_t type,
			  struct ksf_result *results, size_t max)
{
	struct nlattr *a, *tb[KSF_A_RESULT_MAX + 1];
	size_t n = 0, total = 0;
	uint8_t *block, *p;
	int rem;

	nla_for_each_attr(a, attrs, len, rem) {
		if (nla_type(a) != type || n >= max)
			continue;
		if (nla_parse_nested(tb, KSF_A_RESULT_MAX, a, NULL))
			return -EPROTO;
		if (a_str(tb[KSF_A_RESULT_REASON]))
			total += strlen(a_str(tb[KSF_A_RESULT_REASON])) + 1;
		if (tb[KSF_A_RESULT_DATA])
			total += nla_len(tb[KSF_A_RESULT_DATA]);
		if (tb[KSF_A_RESULT_MAC])
			total += nla_len(tb[KSF_A_RESULT_MAC]);
		if (tb[KSF_A_RESULT_IV])
			total += nla_len(tb[KSF_A_RESULT_IV]);
		if (tb[KSF_A_RESULT_RAND])
			total += nla_len(tb[KSF_A_RESULT_RAND]);
		if (tb[KSF_A_RESULT_AUTN])
			total += nla_len(tb[KSF_A_RESULT_AUTN]);
		if (tb[KSF_A_RESULT_RES])
			total += nla_len(tb[KSF_A_RESULT_RES]);
		if (tb[KSF_A_RESULT_HRES])
			total += nla_len(tb[KSF_A_RESULT_HRES]);
		if (tb[KSF_A_RESULT_AUTS])
			total += nla_len(tb[KSF_A_RESULT_AUTS]);
		n++;
	}
	if (!n)
		return 0;
	block = malloc(total ? total : 1);
	if (!block)
		return -ENOMEM;
	p = block;
	n = 0;
	nla_for_each_attr(a, attrs, len, rem) {
		struct ksf_result *r;
		const char *s;

		if (nla_type(a) != type || n >= max)
			continue;
		r = &results[n++];
		memset(r, 0, sizeof(*r));
		r->_block = block;
		nla_parse_nested(tb, KSF_A_RESULT_MAX, a, NULL);
		a_u32(tb[KSF_A_RESULT_INDEX], &r->index);
		a_u32(tb[KSF_A_RESULT_STATUS], &r->status);
		a_u32(tb[KSF_A_RESULT_ERROR], (uint32_t *)&r->error);
		a_u64(tb[KSF_A_RESULT_KEY], &r->key);
		s = a_str(tb[KSF_A_RESULT_REASON]);
		if (s) {
			strcpy((char *)p, s);
			r->reason = (char *)p;
			p += strlen(s) + 1;
		}
#define COPY(field, attr)						\
		if (tb[attr]) {						\
			r->field.size = nla_len(tb[attr]);		\
			memcpy(p, nla_data(tb[attr]), r->field.size);	\
			r->field.ptr = p;				\
			p += r->field.size;				\
		}
		COPY(data, KSF_A_RESULT_DATA)
		COPY(mac, KSF_A_RESULT_MAC)
		COPY(iv, KSF_A_RESULT_IV)
		COPY(rand, KSF_A_RESULT_RAND)
		COPY(autn, KSF_A_RESULT_AUTN)
		COPY(res, KSF_A_RESULT_RES)
		COPY(hres, KSF_A_RESULT_HRES)
		COPY(auts, KSF_A_RESULT_AUTS)
#undef COPY
		r->has_sqn = a_u64(tb[KSF_A_RESULT_SQN], &r->sqn);
		a_u64(tb[KSF_A_RESULT_CONTEXT], &r->context);
		r->has_count = a_u32(tb[KSF_A_RESULT_COUNT], &r->count);
	}
	return (int)n;
}

KSF_EXPORT void ksf_results_free(struct ksf_result *results, size_t n)
{
	void *block = NULL;
	size_t i;

	if (!results)
		return;
	for (i = 0; i < n; i++) {
		if (results[i]._block && results[i]._block != block) {
			block = results[i]._block;
			free(block);
		}
		results[i]._block = NULL;
		results[i].data.ptr = results[i].mac.ptr = NULL;
		results[i].iv.ptr = NULL;
		results[i].rand.ptr = results[i].autn.ptr = NULL;
		results[i].res.ptr = results[i].hres.ptr = NULL;
		results[i].auts.ptr = NULL;
		results[i].reason = NULL;
	}
}

struct results_arg {
	struct ksf_result *results;
	size_t max;
	int n;
};

static int results_cb(struct ksf *h, struct nlmsghdr *nlh, void *arg)
{
	struct results_arg *ra = arg;
	struct nlattr *attrs;
	int len, n;

	(void)h;
	attrs = msg_attrs(nlh, &len);
	n = decode_results(attrs, len, KSF_A_REQUEST_RESULT, ra->results,
			   ra->max);
	if (n < 0)
		return n;
	ra->n = n;
	return 1;
}

static size_t item_reply_bound(const struct ksf_item *it)
{
	/* result nest, fixed attrs, a reason, the largest outputs */
	return 672 + NLA_ALIGN(it->data.size) + 64;
}

KSF_EXPORT int ksf_service_request(struct ksf *h, const struct ksf_item *items,
				   size_t n, struct ksf_result *results)
{
	struct results_arg ra = { results, n, 0 };
	size_t bound = 64, i;
	struct mb m;
	int ret;

	CHECK_HANDLE(h);
	if (n && (!items || !results))
		return err_set(-EINVAL, "no items or no results array");
	begin(h, &m, KSF_CMD_SERVICE_REQUEST);
	for (i = 0; i < n; i++) {
		put_item(&m, KSF_A_REQUEST_ITEM, &items[i]);
		bound += item_reply_bound(&items[i]);
	}
	ret = xchg(&m, X_REPLY, h->family, bound, results_cb, &ra);
	if (ret == 0)
		ret = err_set(-EPROTO, "no reply from the kernel");
	return end(h, ret < 0 ? ret : ra.n);
}

KSF_EXPORT int ksf_notify(struct ksf *h, const char *peer, uint32_t status,
			  struct ksf_result *results, size_t max_results)
{
	struct results_arg ra = { results, results ? max_results : 0, 0 };
	struct mb m;
	int ret;

	CHECK_HANDLE(h);
	begin(h, &m, KSF_CMD_NOTIFY);
	if (peer)
		mb_str(&m, KSF_A_REQUEST_PEER, peer);
	if (status)
		mb_u32(&m, KSF_A_REQUEST_STATUS, status);
	/* the preset list is unknown here: allow a large reply */
	ret = xchg(&m, X_REPLY, h->family, 256 * 1024, results_cb, &ra);
	if (ret == 0)
		ret = err_set(-EPROTO, "no reply from the kernel");
	return end(h, ret < 0 ? ret : ra.n);
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

/* One restore request: the units in [*off, ...) up to a batch's size. */
static int restore_batch(struct ksf *h, struct mb *m, const uint8_t *p,
			 size_t size, size_t *off)
{
	size_t n, batch;

	for (batch = 0; *off < size && batch < KSF_RESTORE_BATCH;
	     *off += n, batch += n) {
		n = unit_len(p + *off, size - *off);
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

static int ev_open_locked(struct ksf *h)
{
	int err, size = KSF_EV_RCVBUF;

	if (h->ev_sk)
		return 0;
	if (!h->mcgrp)
		return err_set(-ENOENT, "the ksf family has no events group");
	err = sock_open(&h->ev_sk, &h->ev_fd);
	if (err)
		return err_set(err, "cannot open the events socket: %s",
			       strerror(-err));
	/* root may exceed rmem_max: fewer lost events */
	if (setsockopt(h->ev_fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
		       sizeof(size)))
		setsockopt(h->ev_fd, SOL_SOCKET, SO_RCVBUF, &size,
			   sizeof(size));
	if (nl_socket_add_membership(h->ev_sk, h->mcgrp)) {
		err = -errno ? -errno : -EPERM;
		nl_socket_free(h->ev_sk);
		h->ev_sk = NULL;
		h->ev_fd = -1;
		return err_set(err, "cannot join the events group: %s",
			       strerror(-err));
	}
	if (buf_grow(&h->ev_rx, &h->ev_cap, 64 * 1024, 0))
		return err_set(-ENOMEM, NULL);
	return 0;
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
	struct nlattr *tb[KSF_A_EVENT_MAX + 1], *attrs, *a;
	struct ksf_result *results = NULL;
	struct ksf_event_msg ev = { 0 };
	size_t n = 0;
	int len, rem, ret;

	(void)h;
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
	nla_for_each_attr(a, attrs, len, rem)
		if (nla_type(a) == KSF_A_EVENT_RESULT)
			n++;
	if (n) {
		results = calloc(n, sizeof(*results));
		if (!results)
			return -ENOMEM;
		ret = decode_results(attrs, len, KSF_A_EVENT_RESULT, results,
				     n);
		if (ret < 0) {
			free(results);
			return ret;
		}
		ev.results = results;
		ev.n_results = ret;
	}
	ret = cb(&ev, arg);
	ksf_results_free(results, ev.n_results);
	free(results);
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
