// SPDX-License-Identifier: GPL-2.0-only
/*
 * nl-malformed [-v] [-n FUZZ_ROUNDS] [-s SEED]
 *
 * Sends malformed ksf messages over a raw generic netlink socket (no
 * libnl, no libksf) and checks that each gets a clean error: a negative
 * errno, with an extended ack (message, bad-attribute offset or missing
 * attribute) where the kernel's netlink core gives one, and never a
 * success reply, a hang or a dead family.  Then fuzzes valid messages
 * with random mutations (any outcome but a hang is fine) and checks that
 * ksf still answers.  Prints TAP; exit status 0 iff every case passed.
 * Run it in a fresh network namespace (unshare -n) as root.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/ksf.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static int fd, family, verbose, tests, failed;
static uint32_t seq = 1000;
static uint8_t rx[1 << 16];

/* ---- TAP ---- */

__attribute__((format(printf, 2, 3)))
static void result(bool ok, const char *fmt, ...)
{
	va_list ap;

	tests++;
	if (!ok)
		failed++;
	printf("%s %d - ", ok ? "ok" : "not ok", tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* ---- message building ---- */

struct msg {
	uint8_t buf[1 << 17];
	size_t len;
	size_t nest[8];
	int depth;
};

static void m_init(struct msg *m, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;
	struct genlmsghdr *g;

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
	g->cmd = cmd;
	g->version = KSF_FAMILY_VERSION;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->depth = 0;
}

/* Raw attribute: nla_len = 4 + len unless forced_len >= 0. */
static void m_attr_raw(struct msg *m, uint16_t type, const void *data,
		       size_t len, int forced_len)
{
	struct nlattr *a = (struct nlattr *)(m->buf + m->len);

	a->nla_type = type;
	a->nla_len = forced_len >= 0 ? (uint16_t)forced_len : NLA_HDRLEN + len;
	if (len)
		memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
	memset((uint8_t *)a + NLA_HDRLEN + len, 0,
	       NLA_ALIGN(NLA_HDRLEN + len) - NLA_HDRLEN - len);
	m->len += NLA_ALIGN(NLA_HDRLEN + len);
}

static void m_attr(struct msg *m, uint16_t type, const void *data, size_t len)
{
	m_attr_raw(m, type, data, len, -1);
}

static void m_u8(struct msg *m, uint16_t type, uint8_t v)
{
	m_attr(m, type, &v, 1);
}

static void m_u16(struct msg *m, uint16_t type, uint16_t v)
{
	m_attr(m, type, &v, 2);
}

static void m_u32(struct msg *m, uint16_t type, uint32_t v)
{
	m_attr(m, type, &v, 4);
}

static void m_u64(struct msg *m, uint16_t type, uint64_t v)
{
	m_attr(m, type, &v, 8);
}

static void m_str(struct msg *m, uint16_t type, const char *s)
{
	m_attr(m, type, s, strlen(s) + 1);
}

static void m_nest(struct msg *m, uint16_t type, bool flag)
{
	m->nest[m->depth++] = m->len;
	m_attr(m, type | (flag ? NLA_F_NESTED : 0), NULL, 0);
}

static void m_end(struct msg *m)
{
	size_t off = m->nest[--m->depth];

	((struct nlattr *)(m->buf + off))->nla_len = m->len - off;
}

/* ---- exchange ---- */

enum outcome { O_ERROR, O_ACK, O_REPLY, O_SILENT, O_SENDFAIL };

struct answer {
	enum outcome o;
	int error;
	bool ext_msg, ext_off, ext_miss;
	char msg[256];
	int n;			/* bytes of the last datagram */
};

static void parse_ext(struct nlmsghdr *nlh, size_t off, struct answer *a)
{
	int len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - (int)off;
	struct nlattr *at = (struct nlattr *)((uint8_t *)NLMSG_DATA(nlh) + off);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	while (len >= NLA_HDRLEN && at->nla_len >= NLA_HDRLEN &&
	       at->nla_len <= len) {
		switch (at->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			a->ext_msg = true;
			snprintf(a->msg, sizeof(a->msg), "%.*s",
				 at->nla_len - NLA_HDRLEN,
				 (char *)at + NLA_HDRLEN);
			break;
		case NLMSGERR_ATTR_OFFS:
			a->ext_off = true;
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			a->ext_miss = true;
			break;
		}
		len -= NLA_ALIGN(at->nla_len);
		at = (struct nlattr *)((uint8_t *)at + NLA_ALIGN(at->nla_len));
	}
}

/* Send len bytes of m (nlmsg_len as built unless hdr_len >= 0). */
static struct answer xchg_raw(struct msg *m, size_t send_len, long hdr_len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;
	struct answer a = { .o = O_SILENT };
	uint32_t s = ++seq;
	bool got_reply = false;

	nlh->nlmsg_len = hdr_len >= 0 ? (uint32_t)hdr_len : (uint32_t)m->len;
	nlh->nlmsg_seq = s;
	if (sendto(fd, m->buf, send_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		a.o = O_SENDFAIL;
		a.error = -errno;
		return a;
	}
	for (;;) {
		int n = recv(fd, rx, sizeof(rx), 0);
		struct nlmsghdr *r;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;	/* timeout */
		}
		a.n = n;
		for (r = (struct nlmsghdr *)rx; NLMSG_OK(r, (unsigned int)n);
		     r = NLMSG_NEXT(r, n)) {
			if (r->nlmsg_seq != s)
				continue;
			if (r->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(r);
				size_t off = sizeof(*e);

				if (!(r->nlmsg_flags & NLM_F_CAPPED))
					off += e->msg.nlmsg_len - NLMSG_HDRLEN;
				a.error = e->error;
				a.o = e->error ? O_ERROR : got_reply ? O_REPLY : O_ACK;
				parse_ext(r, off, &a);
				return a;
			}
			if (r->nlmsg_type == NLMSG_DONE) {
				int err;

				memcpy(&err, NLMSG_DATA(r), sizeof(err));
				a.error = err;
				a.o = err ? O_ERROR : O_REPLY;
				parse_ext(r, sizeof(int), &a);
				return a;
			}
			got_reply = true;
		}
	}
	if (got_reply)
		a.o = O_REPLY;
	return a;
}

static struct answer xchg(struct msg *m)
{
	return xchg_raw(m, m->len, -1);
}

static const char *outcome_str(const struct answer *a)
{
	static char buf[320];

	switch (a->o) {
	case O_ERROR:
		snprintf(buf, sizeof(buf), "error %d (%s)%s%s%s%s%s", a->error,
			 strerror(-a->error), a->ext_msg ? " msg \"" : "",
			 a->ext_msg ? a->msg : "", a->ext_msg ? "\"" : "",
			 a->ext_off ? " +offset" : "", a->ext_miss ? " +missing" : "");
		return buf;
	case O_ACK:
		return "success (ack)";
	case O_REPLY:
		return "success (reply)";
	case O_SILENT:
		return "no answer";
	case O_SENDFAIL:
		snprintf(buf, sizeof(buf), "send failed: %s", strerror(-a->error));
		return buf;
	}
	return "?";
}

/* The case passes on an error; with `ext`, only with an extended ack. */
static void expect_error(struct msg *m, bool ext, const char *fmt, ...)
{
	struct answer a = xchg(m);
	char desc[256];
	bool ok;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	ok = a.o == O_ERROR && a.error < 0 &&
	     (!ext || a.ext_msg || a.ext_off || a.ext_miss);
	result(ok, "%s: %s", desc, outcome_str(&a));
}

/* Like expect_error(), but the ack must point at the bad attribute. */
static void expect_error_at(struct msg *m, const char *desc)
{
	struct answer a = xchg(m);

	result(a.o == O_ERROR && a.error < 0 && a.ext_off, "%s: %s", desc,
	       outcome_str(&a));
}

/* An enum value beyond any the ABI has or will soon have. */
#define BAD_ENUM 200

/* Like expect_error(), but the errno must be exactly `want`. */
static void expect_errno(struct msg *m, int want, const char *fmt, ...)
{
	struct answer a = xchg(m);
	char desc[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	result(a.o == O_ERROR && a.error == want && (a.ext_msg || a.ext_off),
	       "%s: %s", desc, outcome_str(&a));
}

static bool alive(void)
{
	struct msg m;
	struct answer a;

	m_init(&m, KSF_CMD_GET_INFO, 0);
	a = xchg(&m);
	return a.o == O_REPLY;
}

/* ---- family ---- */

static int resolve(void)
{
	struct msg m;
	struct nlmsghdr *nlh = (struct nlmsghdr *)m.buf;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct genlmsghdr *g;
	int n;

	memset(m.buf, 0, 64);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++seq;
	g = (struct genlmsghdr *)(m.buf + NLMSG_HDRLEN);
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	m.len = NLMSG_HDRLEN + GENL_HDRLEN;
	m.depth = 0;
	m_str(&m, CTRL_ATTR_FAMILY_NAME, KSF_FAMILY_NAME);
	nlh->nlmsg_len = m.len;
	if (sendto(fd, m.buf, m.len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	n = recv(fd, rx, sizeof(rx), 0);
	if (n < 0)
		return -errno;
	nlh = (struct nlmsghdr *)rx;
	if (!NLMSG_OK(nlh, (unsigned int)n) || nlh->nlmsg_type != GENL_ID_CTRL)
		return -ENOENT;
	{
		struct nlattr *a = (struct nlattr *)((uint8_t *)NLMSG_DATA(nlh) +
						     GENL_HDRLEN);
		int len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

		while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN) {
			if (a->nla_type == CTRL_ATTR_FAMILY_ID)
				return *(uint16_t *)((uint8_t *)a + NLA_HDRLEN);
			len -= NLA_ALIGN(a->nla_len);
			a = (struct nlattr *)((uint8_t *)a + NLA_ALIGN(a->nla_len));
		}
	}
	return -ENOENT;
}

/* ---- cases ---- */

/* Commands with a policy and the attribute they require. */
static const struct {
	uint8_t cmd;
	const char *name;
	uint16_t maxattr;
} cmds[] = {
	{ KSF_CMD_PEER_NEW, "peer-new", KSF_A_PEER_POLICY },
	{ KSF_CMD_PEER_SET, "peer-set", KSF_A_PEER_POLICY },
	{ KSF_CMD_PEER_DEL, "peer-del", KSF_A_PEER_ID },
	{ KSF_CMD_PEER_GET, "peer-get", KSF_A_PEER_ID },
	{ KSF_CMD_KEY_NEW, "key-new", KSF_A_KEY_MATERIAL },
	{ KSF_CMD_KEY_DEL, "key-del", KSF_A_KEY_HANDLE },
	{ KSF_CMD_KEY_GET, "key-get", KSF_A_KEY_HANDLE },
	{ KSF_CMD_SERVICE_REQUEST, "service-request", KSF_A_REQUEST_ITEM },
	{ KSF_CMD_NOTIFY, "notify", KSF_A_REQUEST_STATUS },
	{ KSF_CMD_RESTORE, "restore", KSF_A_STATE_CHUNK },
};

static void base_peer(struct msg *m, uint8_t cmd)
{
	m_init(m, cmd, 0);
	m_str(m, KSF_A_PEER_ID, "malformed-peer");
	if (cmd == KSF_CMD_PEER_NEW)
		m_u32(m, KSF_A_PEER_KIND, KSF_PEER_KIND_NF);
	m_u32(m, KSF_A_PEER_UID, 4242);
}

static void item_start(struct msg *m)
{
	m_init(m, KSF_CMD_SERVICE_REQUEST, 0);
	m_nest(m, KSF_A_REQUEST_ITEM, true);
	m_u32(m, KSF_A_ITEM_SERVICE, KSF_SERVICE_MAC_GENERATE);
	m_u32(m, KSF_A_ITEM_ALG, KSF_ALG_HMAC_SHA256);
	m_u64(m, KSF_A_ITEM_KEY, 1);
}

static void policy_start(struct msg *m)
{
	base_peer(m, KSF_CMD_PEER_NEW);
	m_nest(m, KSF_A_PEER_POLICY, true);
}

static void generic_cases(void)
{
	struct msg m;
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		const char *n = cmds[i].name;
		uint8_t c = cmds[i].cmd;

		/* no attributes at all: a required one is missing */
		m_init(&m, c, 0);
		expect_error(&m, true, "%s without attributes", n);

		/* unknown attribute type (beyond the policy) */
		m_init(&m, c, 0);
		m_u32(&m, cmds[i].maxattr + 1, 1);
		expect_error(&m, true, "%s with unknown attribute %u", n,
			     cmds[i].maxattr + 1);
		m_init(&m, c, 0);
		m_u32(&m, 0x3fff, 1);
		expect_error(&m, true, "%s with attribute type 0x3fff", n);

		/* attribute type 0 */
		m_init(&m, c, 0);
		m_u32(&m, 0, 1);
		expect_error(&m, true, "%s with attribute type 0", n);

		/* an attribute longer than the message */
		m_init(&m, c, 0);
		m_attr_raw(&m, 1, "abcd", 4, 200);
		expect_error(&m, true, "%s with nla_len past the end", n);

		/* an attribute shorter than its header */
		m_init(&m, c, 0);
		m_attr_raw(&m, 1, "abcd", 4, 2);
		expect_error(&m, false, "%s with nla_len 2", n);

		/* trailing garbage after the attributes (3 bytes) */
		m_init(&m, c, 0);
		m_attr(&m, 0, NULL, 0);
		m.len -= 1;
		expect_error(&m, false, "%s with 3 trailing bytes", n);

		/* genl header cut short: netlink core says EINVAL */
		m_init(&m, c, 0);
		m.len = NLMSG_HDRLEN + 2;
		expect_error(&m, false, "%s with a truncated genl header", n);

		/* admin flags on a dump of a do-only command */
		if (c != KSF_CMD_PEER_GET && c != KSF_CMD_KEY_GET) {
			m_init(&m, c, NLM_F_DUMP);
			expect_error(&m, false, "%s as a dump", n);
		}
	}

	/* nlmsg_len beyond the datagram: dropped without an answer */
	{
		struct answer a;

		m_init(&m, KSF_CMD_PEER_DEL, 0);
		m_str(&m, KSF_A_PEER_ID, "x");
		a = xchg_raw(&m, m.len, m.len + 64);
		result(a.o == O_SILENT || a.o == O_ERROR,
		       "nlmsg_len beyond the datagram: %s", outcome_str(&a));
		result(alive(), "ksf answers after it");
	}

	/* get-info and the dumps take no attributes (checked in ksf) */
	{
		struct answer a;

		m_init(&m, KSF_CMD_GET_INFO, 0);
		m_u32(&m, 77, 1);
		a = xchg(&m);
		result(a.o == O_ERROR, "get-info with unknown attribute 77: %s",
			    outcome_str(&a));
		m_init(&m, KSF_CMD_PEER_GET, NLM_F_DUMP);
		m_u32(&m, 77, 1);
		a = xchg(&m);
		result(a.o == O_ERROR, "peer-get dump with unknown attribute 77: %s",
			    outcome_str(&a));
		m_init(&m, KSF_CMD_KEY_GET, NLM_F_DUMP);
		m_u32(&m, 77, 1);
		a = xchg(&m);
		result(a.o == O_ERROR, "key-get dump with unknown attribute 77: %s",
			    outcome_str(&a));
	}

	/* unknown commands */
	m_init(&m, 0, 0);
	expect_error(&m, false, "command 0");
	m_init(&m, KSF_CMD_EVENT, 0);
	expect_error(&m, false, "command event (multicast only)");
	m_init(&m, KSF_CMD_MAX + 1, 0);
	expect_error(&m, false, "command %d", KSF_CMD_MAX + 1);
	m_init(&m, 255, 0);
	expect_error(&m, false, "command 255");
}

static void peer_cases(void)
{
	uint8_t wide[33] = { 0x02 }, unknown[32] = { 0x02 };
	char longid[300];
	struct msg m;

	unknown[BAD_ENUM / 8] |= 1 << (BAD_ENUM % 8);
	memset(longid, 'p', sizeof(longid));
	longid[200] = '\0';

	m_init(&m, KSF_CMD_PEER_NEW, 0);
	m_str(&m, KSF_A_PEER_ID, longid);
	m_u32(&m, KSF_A_PEER_KIND, KSF_PEER_KIND_UE);
	expect_error(&m, true, "peer-new with a 200-byte ID");

	longid[KSF_PEER_ID_LEN] = '\0';
	m_init(&m, KSF_CMD_PEER_NEW, 0);
	m_str(&m, KSF_A_PEER_ID, longid);
	m_u32(&m, KSF_A_PEER_KIND, KSF_PEER_KIND_UE);
	expect_error(&m, true, "peer-new with a %d-byte ID (limit includes NUL)",
		     KSF_PEER_ID_LEN);

	m_init(&m, KSF_CMD_PEER_NEW, 0);
	m_attr(&m, KSF_A_PEER_ID, "abc", 3);	/* no NUL */
	m_u32(&m, KSF_A_PEER_KIND, KSF_PEER_KIND_UE);
	expect_error(&m, true, "peer-new with an ID without NUL");

	m_init(&m, KSF_CMD_PEER_NEW, 0);
	m_str(&m, KSF_A_PEER_ID, "");
	m_u32(&m, KSF_A_PEER_KIND, KSF_PEER_KIND_UE);
	expect_error(&m, true, "peer-new with an empty ID");

	m_init(&m, KSF_CMD_PEER_NEW, 0);
	m_str(&m, KSF_A_PEER_ID, "malformed-peer");
	m_u16(&m, KSF_A_PEER_KIND, KSF_PEER_KIND_UE);
	expect_error(&m, true, "peer-new with a 2-byte kind");

	m_init(&m, KSF_CMD_PEER_NEW, 0);
	m_str(&m, KSF_A_PEER_ID, "malformed-peer");
	m_u64(&m, KSF_A_PEER_KIND, KSF_PEER_KIND_UE);
	expect_error(&m, true, "peer-new with an 8-byte kind");

	m_init(&m, KSF_CMD_PEER_NEW, 0);
	m_str(&m, KSF_A_PEER_ID, "malformed-peer");
	m_u32(&m, KSF_A_PEER_KIND, 0);
	expect_error(&m, true, "peer-new with kind 0");

	m_init(&m, KSF_CMD_PEER_NEW, 0);
	m_str(&m, KSF_A_PEER_ID, "malformed-peer");
	m_u32(&m, KSF_A_PEER_KIND, BAD_ENUM);
	expect_errno(&m, -ERANGE, "peer-new with kind %d", BAD_ENUM);

	m_init(&m, KSF_CMD_PEER_NEW, 0);
	m_str(&m, KSF_A_PEER_ID, "malformed-peer");
	m_u32(&m, KSF_A_PEER_KIND, KSF_PEER_KIND_UE);
	m_u32(&m, KSF_A_PEER_KEYS, 3);		/* get-only attribute */
	expect_error(&m, true, "peer-new with the get-only keys attribute");

	m_init(&m, KSF_CMD_PEER_NEW, 0);
	m_str(&m, KSF_A_PEER_ID, "malformed-peer");
	m_u32(&m, KSF_A_PEER_KIND, KSF_PEER_KIND_UE);
	m_u32(&m, KSF_A_PEER_POLICY, 1);	/* nest expected */
	expect_error(&m, true, "peer-new with a u32 policy");

	m_init(&m, KSF_CMD_PEER_NEW, 0);
	m_str(&m, KSF_A_PEER_ID, "malformed-peer");
	m_u32(&m, KSF_A_PEER_KIND, KSF_PEER_KIND_UE);
	m_nest(&m, KSF_A_PEER_POLICY, false);
	m_u8(&m, KSF_A_POLICY_SERVICES, 2);	/* a 1-byte bitmap */
	m_end(&m);
	expect_error(&m, true, "peer-new with a policy nest lacking NLA_F_NESTED");

	/* policy contents */
#define POLICY_CASE(desc, body)					\
	do {							\
		policy_start(&m);				\
		body;						\
		m_end(&m);					\
		expect_error(&m, true, "policy: " desc);	\
	} while (0)
	POLICY_CASE("unknown attribute", m_u32(&m, KSF_A_POLICY_MAX + 1, 1));
	/* services/algs: bitmaps of at most 32 bytes, of known values only */
	POLICY_CASE("services of 33 bytes",
		    m_attr(&m, KSF_A_POLICY_SERVICES, wide, 33));
	POLICY_CASE("services with the bit of service 200",
		    m_attr(&m, KSF_A_POLICY_SERVICES, unknown, 32));
	POLICY_CASE("algs of 33 bytes",
		    m_attr(&m, KSF_A_POLICY_ALGS, wide, 33));
	POLICY_CASE("algs with the bit of alg 200",
		    m_attr(&m, KSF_A_POLICY_ALGS, unknown, 32));
	POLICY_CASE("services as a nest",
		    m_nest(&m, KSF_A_POLICY_SERVICES, true); m_end(&m));
	POLICY_CASE("key-len-min 65", m_u32(&m, KSF_A_POLICY_KEY_LEN_MIN, 65));
	POLICY_CASE("key-len-max 1000", m_u32(&m, KSF_A_POLICY_KEY_LEN_MAX, 1000));
	POLICY_CASE("key-len-min > key-len-max",
		    m_u32(&m, KSF_A_POLICY_KEY_LEN_MIN, 32);
		    m_u32(&m, KSF_A_POLICY_KEY_LEN_MAX, 16));
	POLICY_CASE("batch-max 0", m_u32(&m, KSF_A_POLICY_BATCH_MAX, 0));
	POLICY_CASE("batch-max 1025", m_u32(&m, KSF_A_POLICY_BATCH_MAX, 1025));
	POLICY_CASE("caller-rand 2", m_u8(&m, KSF_A_POLICY_CALLER_RAND, 2));
	POLICY_CASE("caller-rand as u32", m_u32(&m, KSF_A_POLICY_CALLER_RAND, 1));
	POLICY_CASE("notify preset without status",
		    m_nest(&m, KSF_A_POLICY_NOTIFY, true);
		    m_nest(&m, KSF_A_NOTIFY_PRESET_ITEM, true);
		    m_u32(&m, KSF_A_ITEM_SERVICE, 1); m_end(&m); m_end(&m));
	POLICY_CASE("notify preset with status 200",
		    m_nest(&m, KSF_A_POLICY_NOTIFY, true);
		    m_u32(&m, KSF_A_NOTIFY_PRESET_STATUS, BAD_ENUM); m_end(&m));
	POLICY_CASE("notify preset without items",
		    m_nest(&m, KSF_A_POLICY_NOTIFY, true);
		    m_u32(&m, KSF_A_NOTIFY_PRESET_STATUS, 1); m_end(&m));
	POLICY_CASE("two presets for one status",
		    m_nest(&m, KSF_A_POLICY_NOTIFY, true);
		    m_u32(&m, KSF_A_NOTIFY_PRESET_STATUS, 1);
		    m_nest(&m, KSF_A_NOTIFY_PRESET_ITEM, true);
		    m_u32(&m, KSF_A_ITEM_SERVICE, 1); m_end(&m); m_end(&m);
		    m_nest(&m, KSF_A_POLICY_NOTIFY, true);
		    m_u32(&m, KSF_A_NOTIFY_PRESET_STATUS, 1);
		    m_nest(&m, KSF_A_NOTIFY_PRESET_ITEM, true);
		    m_u32(&m, KSF_A_ITEM_SERVICE, 1); m_end(&m); m_end(&m));
	POLICY_CASE("preset item without service",
		    m_nest(&m, KSF_A_POLICY_NOTIFY, true);
		    m_u32(&m, KSF_A_NOTIFY_PRESET_STATUS, 1);
		    m_nest(&m, KSF_A_NOTIFY_PRESET_ITEM, true);
		    m_u32(&m, KSF_A_ITEM_ALG, 1); m_end(&m); m_end(&m));
	POLICY_CASE("preset item with service 200",
		    m_nest(&m, KSF_A_POLICY_NOTIFY, true);
		    m_u32(&m, KSF_A_NOTIFY_PRESET_STATUS, 1);
		    m_nest(&m, KSF_A_NOTIFY_PRESET_ITEM, true);
		    m_u32(&m, KSF_A_ITEM_SERVICE, BAD_ENUM); m_end(&m); m_end(&m));
	POLICY_CASE("timer period 99 ms",
		    m_nest(&m, KSF_A_POLICY_TIMER, true);
		    m_u32(&m, KSF_A_TIMER_PERIOD, 99);
		    m_nest(&m, KSF_A_TIMER_ITEM, true);
		    m_u32(&m, KSF_A_ITEM_SERVICE, 1); m_end(&m); m_end(&m));
	POLICY_CASE("timer without period",
		    m_nest(&m, KSF_A_POLICY_TIMER, true);
		    m_nest(&m, KSF_A_TIMER_ITEM, true);
		    m_u32(&m, KSF_A_ITEM_SERVICE, 1); m_end(&m); m_end(&m));
	POLICY_CASE("timer without items",
		    m_nest(&m, KSF_A_POLICY_TIMER, true);
		    m_u32(&m, KSF_A_TIMER_PERIOD, 1000); m_end(&m));
	POLICY_CASE("timer item nested without NLA_F_NESTED",
		    m_nest(&m, KSF_A_POLICY_TIMER, true);
		    m_u32(&m, KSF_A_TIMER_PERIOD, 1000);
		    m_nest(&m, KSF_A_TIMER_ITEM, false);
		    m_u32(&m, KSF_A_ITEM_SERVICE, 1); m_end(&m); m_end(&m));
#undef POLICY_CASE

	/* nf binding: ue with uid, nf without binding */
	m_init(&m, KSF_CMD_PEER_NEW, 0);
	m_str(&m, KSF_A_PEER_ID, "malformed-ue");
	m_u32(&m, KSF_A_PEER_KIND, KSF_PEER_KIND_UE);
	m_u32(&m, KSF_A_PEER_UID, 5);
	expect_error(&m, true, "peer-new ue with a uid");
	m_init(&m, KSF_CMD_PEER_NEW, 0);
	m_str(&m, KSF_A_PEER_ID, "malformed-nf");
	m_u32(&m, KSF_A_PEER_KIND, KSF_PEER_KIND_NF);
	expect_error(&m, true, "peer-new nf without uid or gid");
	m_init(&m, KSF_CMD_PEER_SET, 0);
	m_str(&m, KSF_A_PEER_ID, "malformed-none");
	expect_error(&m, true, "peer-set of an unknown peer");
	m_init(&m, KSF_CMD_PEER_SET, 0);
	m_str(&m, KSF_A_PEER_ID, "malformed-none");
	m_u32(&m, KSF_A_PEER_KIND, KSF_PEER_KIND_UE);
	expect_error(&m, true, "peer-set with kind (not settable)");
	m_init(&m, KSF_CMD_PEER_GET, 0);
	m_str(&m, KSF_A_PEER_ID, "malformed-none");
	expect_error(&m, true, "peer-get of an unknown peer");
	m_init(&m, KSF_CMD_PEER_DEL, 0);
	m_str(&m, KSF_A_PEER_ID, "malformed-none");
	expect_error(&m, true, "peer-del of an unknown peer");
}

static void key_cases(void)
{
	uint8_t big[2000];
	struct msg m;

	memset(big, 0x5a, sizeof(big));
#define KEY_CASE(desc, body)					\
	do {							\
		m_init(&m, KSF_CMD_KEY_NEW, 0);			\
		body;						\
		expect_error(&m, true, "key-new: " desc);	\
	} while (0)
#define KEY_BASE						\
	m_u32(&m, KSF_A_KEY_TYPE, KSF_KEY_TYPE_GENERIC);	\
	m_str(&m, KSF_A_KEY_OWNER, "malformed-owner")
	KEY_CASE("type 0", m_u32(&m, KSF_A_KEY_TYPE, 0);
		 m_str(&m, KSF_A_KEY_OWNER, "malformed-owner"));
	KEY_CASE("type 200", m_u32(&m, KSF_A_KEY_TYPE, BAD_ENUM);
		 m_str(&m, KSF_A_KEY_OWNER, "malformed-owner"));
	KEY_CASE("no type", m_str(&m, KSF_A_KEY_OWNER, "malformed-owner");
		 m_u32(&m, KSF_A_KEY_LEN, 16));
	KEY_CASE("no owner", m_u32(&m, KSF_A_KEY_TYPE, 1);
		 m_u32(&m, KSF_A_KEY_LEN, 16));
	KEY_CASE("len 0", KEY_BASE; m_u32(&m, KSF_A_KEY_LEN, 0));
	KEY_CASE("len 65", KEY_BASE; m_u32(&m, KSF_A_KEY_LEN, 65));
	KEY_CASE("len as u64", KEY_BASE; m_u64(&m, KSF_A_KEY_LEN, 16));
	KEY_CASE("usage 0x80", KEY_BASE; m_u32(&m, KSF_A_KEY_LEN, 16);
		 m_u32(&m, KSF_A_KEY_USAGE, 0x80));
	KEY_CASE("handle given (reply-only)", KEY_BASE;
		 m_u32(&m, KSF_A_KEY_LEN, 16); m_u64(&m, KSF_A_KEY_HANDLE, 7));
	KEY_CASE("source given (get-only)", KEY_BASE;
		 m_u32(&m, KSF_A_KEY_LEN, 16); m_u32(&m, KSF_A_KEY_SOURCE, 1));
	KEY_CASE("uses given (get-only)", KEY_BASE;
		 m_u32(&m, KSF_A_KEY_LEN, 16); m_u64(&m, KSF_A_KEY_USES, 1));
	KEY_CASE("unknown owner", KEY_BASE; m_u32(&m, KSF_A_KEY_LEN, 16));
	KEY_CASE("empty material", KEY_BASE;
		 m_attr(&m, KSF_A_KEY_MATERIAL, NULL, 0));
	KEY_CASE("65-byte material", KEY_BASE;
		 m_attr(&m, KSF_A_KEY_MATERIAL, big, 65));
	KEY_CASE("2000-byte material", KEY_BASE;
		 m_attr(&m, KSF_A_KEY_MATERIAL, big, 2000));
	KEY_CASE("material and keyring serial", KEY_BASE;
		 m_attr(&m, KSF_A_KEY_MATERIAL, big, 16);
		 m_u32(&m, KSF_A_KEY_KEYRING_SERIAL, 1));
	KEY_CASE("keyring serial as u16", KEY_BASE;
		 m_u16(&m, KSF_A_KEY_KEYRING_SERIAL, 1));
	KEY_CASE("keyring desc without NUL", KEY_BASE;
		 m_attr(&m, KSF_A_KEY_KEYRING_DESC, "ksf:x", 5));
	KEY_CASE("300-byte keyring desc", KEY_BASE;
		 big[299] = 0; m_attr(&m, KSF_A_KEY_KEYRING_DESC, big, 300);
		 big[299] = 0x5a);
	KEY_CASE("keyring serial 0", KEY_BASE;
		 m_u32(&m, KSF_A_KEY_KEYRING_SERIAL, 0));
	KEY_CASE("owner 200 bytes", m_u32(&m, KSF_A_KEY_TYPE, 1);
		 big[199] = 0; m_attr(&m, KSF_A_KEY_OWNER, big, 200);
		 big[199] = 0x5a);
	KEY_CASE("empty peer ID", KEY_BASE; m_u32(&m, KSF_A_KEY_LEN, 16);
		 m_attr(&m, KSF_A_KEY_PEER, "", 1));
	KEY_CASE("17 peers", KEY_BASE; m_u32(&m, KSF_A_KEY_LEN, 16);
		 for (int i = 0; i < 17; i++) m_str(&m, KSF_A_KEY_PEER, "p"));
	KEY_CASE("not-after in the past", KEY_BASE;
		 m_u32(&m, KSF_A_KEY_LEN, 16); m_u64(&m, KSF_A_KEY_NOT_AFTER, 1));
	KEY_CASE("not-after as u32", KEY_BASE;
		 m_u32(&m, KSF_A_KEY_LEN, 16); m_u32(&m, KSF_A_KEY_NOT_AFTER, 1));
#undef KEY_CASE
#undef KEY_BASE

	m_init(&m, KSF_CMD_KEY_DEL, 0);
	m_u64(&m, KSF_A_KEY_HANDLE, 0);
	expect_error(&m, true, "key-del of handle 0");
	m_init(&m, KSF_CMD_KEY_DEL, 0);
	m_u32(&m, KSF_A_KEY_HANDLE, 1);
	expect_error(&m, true, "key-del with a u32 handle");
	m_init(&m, KSF_CMD_KEY_GET, 0);
	m_u64(&m, KSF_A_KEY_HANDLE, 0x1234);
	expect_error(&m, true, "key-get of an unknown handle");
}

/* A bad attribute inside an item's family nest. */
struct fam_case {
	const char *desc;
	uint16_t fam, attr;
	enum { PUT_U8, PUT_U32, PUT_BYTES, PUT_NEST } put;
	uint32_t v;		/* the value, or the length of PUT_BYTES */
};

static const struct fam_case fam_cases[] = {
	{ "mac-len 3", KSF_A_ITEM_MAC, KSF_A_ITEM_MAC_MAC_LEN, PUT_U32, 3 },
	{ "mac-len 33", KSF_A_ITEM_MAC, KSF_A_ITEM_MAC_MAC_LEN, PUT_U32, 33 },
	{ "11-byte iv", KSF_A_ITEM_AEAD, KSF_A_ITEM_AEAD_IV, PUT_BYTES, 11 },
	{ "13-byte iv", KSF_A_ITEM_AEAD, KSF_A_ITEM_AEAD_IV, PUT_BYTES, 13 },
	{ "fc as u32", KSF_A_ITEM_KDF, KSF_A_ITEM_KDF_FC, PUT_U32, 0x6a },
	{ "out-type 200", KSF_A_ITEM_KDF, KSF_A_ITEM_KDF_OUT_TYPE, PUT_U32,
	  BAD_ENUM },
	{ "out-len 0", KSF_A_ITEM_KDF, KSF_A_ITEM_KDF_OUT_LEN, PUT_U32, 0 },
	{ "out-len 33", KSF_A_ITEM_KDF, KSF_A_ITEM_KDF_OUT_LEN, PUT_U32, 33 },
	{ "out-usage 0x80", KSF_A_ITEM_KDF, KSF_A_ITEM_KDF_OUT_USAGE, PUT_U32,
	  0x80 },
	{ "nested data inside an item's nest", KSF_A_ITEM_MAC,
	  KSF_A_ITEM_MAC_DATA, PUT_NEST, 0 },
	/* wire 2: the family nests themselves */
	{ "unknown attribute in the mac nest", KSF_A_ITEM_MAC,
	  KSF_A_ITEM_MAC_MAX + 1, PUT_U32, 1 },
	{ "3-byte sqn in the aka nest", KSF_A_ITEM_AKA, KSF_A_ITEM_AKA_SQN,
	  PUT_BYTES, 3 },
	{ "15-byte rand in the aka nest", KSF_A_ITEM_AKA, KSF_A_ITEM_AKA_RAND,
	  PUT_BYTES, 15 },
	{ "bearer 32 in the nas nest", KSF_A_ITEM_NAS, KSF_A_ITEM_NAS_BEARER,
	  PUT_U8, 32 },
};

/* Refused by the attribute policy, which points at the attribute. */
static void fam_case(struct msg *m, const struct fam_case *c,
		     const uint8_t *bytes)
{
	char desc[128];

	item_start(m);
	m_nest(m, c->fam, true);
	switch (c->put) {
	case PUT_U8:
		m_u8(m, c->attr, c->v);
		break;
	case PUT_U32:
		m_u32(m, c->attr, c->v);
		break;
	case PUT_BYTES:
		m_attr(m, c->attr, bytes, c->v);
		break;
	case PUT_NEST:
		m_nest(m, c->attr, true);
		m_end(m);
		break;
	}
	m_end(m);
	m_end(m);
	snprintf(desc, sizeof(desc), "item: %s", c->desc);
	expect_error_at(m, desc);
}

static void service_cases(void)
{
	uint8_t big[KSF_DATA_MAX_LEN + 16];
	struct msg m;
	size_t i;

	memset(big, 1, sizeof(big));
	/*
	 * Refused by the attribute policy, which points at the attribute:
	 * not by the missing peer binding (no offset), as every request of
	 * this program would be.
	 */
#define ITEM_CASE(desc, body)						\
	do {								\
		item_start(&m);						\
		body;							\
		m_end(&m);						\
		expect_error_at(&m, "item: " desc);			\
	} while (0)
	ITEM_CASE("unknown attribute", m_u32(&m, KSF_A_ITEM_MAX + 1, 1));
	ITEM_CASE("service 0", m_u32(&m, KSF_A_ITEM_SERVICE, 0));
	ITEM_CASE("service 200", m_u32(&m, KSF_A_ITEM_SERVICE, BAD_ENUM));
	ITEM_CASE("alg 200", m_u32(&m, KSF_A_ITEM_ALG, BAD_ENUM));
	ITEM_CASE("key as u32", m_u32(&m, KSF_A_ITEM_KEY, 1));
	ITEM_CASE("peer ID without NUL", m_attr(&m, KSF_A_ITEM_PEER, "abc", 3));
	/* the arguments, in the nest of their family */
	for (i = 0; i < sizeof(fam_cases) / sizeof(fam_cases[0]); i++)
		fam_case(&m, &fam_cases[i], big);
	ITEM_CASE("a u32 where the mac nest goes",
		  m_u32(&m, KSF_A_ITEM_MAC, 1));
	ITEM_CASE("the mac nest without NLA_F_NESTED",
		  m_nest(&m, KSF_A_ITEM_MAC, false);
		  m_attr(&m, KSF_A_ITEM_MAC_DATA, big, 4); m_end(&m));
#undef ITEM_CASE

	m_init(&m, KSF_CMD_SERVICE_REQUEST, 0);
	m_nest(&m, KSF_A_REQUEST_ITEM, false);
	m_u32(&m, KSF_A_ITEM_SERVICE, 1);
	m_end(&m);
	expect_error(&m, true, "service-request item without NLA_F_NESTED");

	m_init(&m, KSF_CMD_SERVICE_REQUEST, 0);
	m_u32(&m, KSF_A_REQUEST_ITEM, 1);
	expect_error(&m, true, "service-request with a u32 item");

	m_init(&m, KSF_CMD_SERVICE_REQUEST, 0);
	m_nest(&m, KSF_A_REQUEST_RESULT, true);
	m_end(&m);
	expect_error(&m, true, "service-request with a result (reply-only)");

	m_init(&m, KSF_CMD_SERVICE_REQUEST, 0);
	m_str(&m, KSF_A_REQUEST_PEER, "x");
	expect_error(&m, true, "service-request with a notify attribute");

	/* root with no peer bound to uid 0 in this netns */
	item_start(&m);
	m_end(&m);
	expect_error(&m, true, "service-request with no peer bound to the caller");
	item_start(&m);
	m_nest(&m, KSF_A_ITEM_MAC, true);
	m_attr(&m, KSF_A_ITEM_MAC_DATA, big, KSF_DATA_MAX_LEN + 1);
	m_end(&m);
	m_end(&m);
	expect_error(&m, true, "service-request with data-max-len + 1 bytes, unbound");

	m_init(&m, KSF_CMD_NOTIFY, 0);
	m_u32(&m, KSF_A_REQUEST_STATUS, 0);
	expect_error(&m, true, "notify status 0");
	m_init(&m, KSF_CMD_NOTIFY, 0);
	m_u32(&m, KSF_A_REQUEST_STATUS, BAD_ENUM);
	expect_errno(&m, -ERANGE, "notify status %d", BAD_ENUM);
	m_init(&m, KSF_CMD_NOTIFY, 0);
	m_u32(&m, KSF_A_REQUEST_STATUS, 1);
	expect_error(&m, true, "notify with no peer bound to the caller");
	m_init(&m, KSF_CMD_NOTIFY, 0);
	m_u32(&m, KSF_A_REQUEST_STATUS, 1);
	m_nest(&m, KSF_A_REQUEST_ITEM, true);
	m_end(&m);
	expect_error(&m, true, "notify with an item attribute");
}

static void state_cases(void)
{
	uint8_t junk[600];
	struct msg m;

	memset(junk, 0xa5, sizeof(junk));
	m_init(&m, KSF_CMD_SAVE, NLM_F_DUMP);
	expect_error(&m, true, "save without a KEK");
	m_init(&m, KSF_CMD_SAVE, NLM_F_DUMP);
	m_u32(&m, KSF_A_STATE_CHUNK + 1, 1);
	expect_error(&m, true, "save with an unknown attribute");
	m_init(&m, KSF_CMD_SAVE, NLM_F_DUMP);
	m_attr(&m, KSF_A_STATE_CHUNK, junk, 16);
	expect_error(&m, true, "save with a chunk (restore-only)");
	m_init(&m, KSF_CMD_SAVE, NLM_F_DUMP);
	m_u32(&m, KSF_A_STATE_KEK_SERIAL, 0x7fffffff);
	expect_error(&m, true, "save with an unknown KEK serial");
	m_init(&m, KSF_CMD_SAVE, NLM_F_DUMP);
	m_u16(&m, KSF_A_STATE_KEK_SERIAL, 1);
	expect_error(&m, true, "save with a 2-byte KEK serial");
	m_init(&m, KSF_CMD_SAVE, NLM_F_DUMP);
	m_str(&m, KSF_A_STATE_KEK_DESC, "ksf:no-such-kek");
	expect_error(&m, true, "save with an unknown KEK description");
	m_init(&m, KSF_CMD_SAVE, 0);
	m_u32(&m, KSF_A_STATE_KEK_SERIAL, 1);
	expect_error(&m, false, "save as a do (dump only)");

	m_init(&m, KSF_CMD_RESTORE, 0);
	m_u32(&m, KSF_A_STATE_KEK_SERIAL, 1);
	expect_error(&m, true, "restore without chunks");
	m_init(&m, KSF_CMD_RESTORE, 0);
	m_u32(&m, KSF_A_STATE_KEK_SERIAL, 0x7fffffff);
	m_attr(&m, KSF_A_STATE_CHUNK, junk, sizeof(junk));
	expect_error(&m, true, "restore of 600 junk bytes");
	m_init(&m, KSF_CMD_RESTORE, 0);
	m_attr(&m, KSF_A_STATE_CHUNK, junk, 8);
	expect_error(&m, true, "restore of 8 junk bytes without KEK");
	m_init(&m, KSF_CMD_RESTORE, 0);
	m_attr(&m, KSF_A_STATE_CHUNK, NULL, 0);
	m_u32(&m, KSF_A_STATE_KEK_SERIAL, 1);
	expect_error(&m, true, "restore of an empty chunk");
	m_init(&m, KSF_CMD_RESTORE, 0);
	m_u32(&m, KSF_A_STATE_KEK_SERIAL, 1);
	m_u32(&m, KSF_A_STATE_CHUNK, 1);
	m_nest(&m, KSF_A_STATE_CHUNK, true);
	m_end(&m);
	expect_error(&m, true, "restore with a nested chunk");
}

/*
 * The kernel wipes imported material in the request buffer: even an
 * uncapped error ack (which echoes the request) must not carry it.
 */
static void echo_case(void)
{
	static const char canary[] = "nl-malformed-CANARY-0123456789ab";
	struct answer a;
	struct msg m;
	int zero = 0, one = 1;
	bool found;

	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &zero, sizeof(zero));
	m_init(&m, KSF_CMD_KEY_NEW, 0);
	m_u32(&m, KSF_A_KEY_TYPE, KSF_KEY_TYPE_GENERIC);
	m_str(&m, KSF_A_KEY_OWNER, "malformed-no-such-owner");
	m_attr(&m, KSF_A_KEY_MATERIAL, canary, 32);
	a = xchg(&m);
	found = memmem(rx, a.n > 0 ? a.n : 0, canary, 32) != NULL;
	result(a.o == O_ERROR && !found,
	       "uncapped error ack of key-new does not echo material: %s%s",
	       outcome_str(&a), found ? " (material echoed)" : "");
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
}

/* Random mutations of valid messages: only hangs and deaths fail. */
static void fuzz(int rounds)
{
	struct msg base, m;
	int r, silent = 0, i;

	for (r = 0; r < rounds; r++) {
		switch (r % 5) {
		case 0:
			policy_start(&base);
			m_u8(&base, KSF_A_POLICY_SERVICES, 0x3e);
			m_nest(&base, KSF_A_POLICY_NOTIFY, true);
			m_u32(&base, KSF_A_NOTIFY_PRESET_STATUS, 1);
			m_nest(&base, KSF_A_NOTIFY_PRESET_ITEM, true);
			m_u32(&base, KSF_A_ITEM_SERVICE, 1);
			m_end(&base);
			m_end(&base);
			m_end(&base);
			break;
		case 1:
			item_start(&base);
			m_nest(&base, KSF_A_ITEM_MAC, true);
			m_attr(&base, KSF_A_ITEM_MAC_DATA, "0123456789", 10);
			m_end(&base);
			m_end(&base);
			break;
		case 2:
			m_init(&base, KSF_CMD_KEY_NEW, 0);
			m_u32(&base, KSF_A_KEY_TYPE, KSF_KEY_TYPE_AES);
			m_u32(&base, KSF_A_KEY_LEN, 16);
			m_str(&base, KSF_A_KEY_OWNER, "fuzz");
			break;
		case 3:
			m_init(&base, KSF_CMD_PEER_GET, NLM_F_DUMP);
			m_str(&base, KSF_A_PEER_ID, "fuzz");
			break;
		default:
			m_init(&base, KSF_CMD_NOTIFY, 0);
			m_str(&base, KSF_A_REQUEST_PEER, "fuzz");
			m_u32(&base, KSF_A_REQUEST_STATUS, 2);
		}
		m = base;
		for (i = 0; i < 1 + rand() % 4; i++) {
			size_t pos = NLMSG_HDRLEN + rand() % (m.len - NLMSG_HDRLEN);

			m.buf[pos] = rand() & 0xff;
		}
		if (rand() % 4 == 0)
			m.len -= rand() % (m.len - NLMSG_HDRLEN);
		if (xchg(&m).o == O_SILENT)
			silent++;
	}
	result(alive(), "fuzz: %d mutated messages (%d unanswered), ksf answers",
	       rounds, silent);
}

int main(int argc, char **argv)
{
	struct timeval tv = { .tv_sec = 2 };
	int one = 1, opt, rounds = 2000;
	unsigned int seed = 1;

	while ((opt = getopt(argc, argv, "vn:s:")) != -1) {
		switch (opt) {
		case 'v':
			verbose = 1;
			break;
		case 'n':
			rounds = atoi(optarg);
			break;
		case 's':
			seed = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: nl-malformed [-v] [-n ROUNDS] [-s SEED]\n");
			return 2;
		}
	}
	srand(seed);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	family = resolve();
	if (family < 0) {
		printf("not ok 1 - resolve the ksf family: %s\n", strerror(-family));
		printf("1..1\n");
		return 1;
	}
	result(alive(), "get-info answers (family %d)", family);
	generic_cases();
	peer_cases();
	key_cases();
	service_cases();
	state_cases();
	echo_case();
	result(alive(), "ksf answers after the malformed messages");
	if (rounds > 0) {
		printf("# fuzz seed %u\n", seed);
		fuzz(rounds);
	}
	printf("1..%d\n", tests);
	return failed ? 1 : 0;
}
