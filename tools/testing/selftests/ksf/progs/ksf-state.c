// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksf-state: helpers of the save/restore tests (tests/25-save-large.sh).
 *
 * ksf-state fill PEER N [PREFIX]
 *	Creates N contexts of PEER (subscribers PREFIX%08u, 0..N-1, default
 *	prefix "imsi-00101") through one libksf handle, every 16th with an
 *	initial SQN (has_sqn_he, SQN 32 * i) so that the save carries SQN
 *	state too.  Prints "N contexts" and the rate on stderr.
 *
 * ksf-state churn PEER SECONDS POOL
 *	For SECONDS, as fast as it can: creates a generated 32-byte generic
 *	MAC key of PEER, prints "HANDLE MAC" (hmac-sha256 over "ksf-race")
 *	for it, and deletes the oldest of its keys once it holds POOL of
 *	them: keys are created and deleted while saves run (tests/32-races).
 *	Leaves about POOL keys in place; prints "N keys" on stderr.
 *	SIGTERM ends it after the key in hand is printed: every key a save
 *	may hold has its line.
 *
 * ksf-state macs
 *	Prints "HANDLE MAC" (hmac-sha256 over "ksf-race") for every key of
 *	the instance, as the peer bound to the caller.
 *
 * ksf-state restore-partial FILE NUNITS KEK [--from I] [--end] [--hold SECONDS]
 *	A raw generic netlink client (no libnl, no libksf): resolves the
 *	"ksf" family itself and sends ONE restore request carrying the KEK
 *	(a number: keyring serial, else the description of a logon key) and
 *	NUNITS units of the saved state in FILE (from unit I, default 0: the
 *	header) as chunk attributes, without the end flag unless --end.
 *	Prints "ack" or "error ERRNO: MESSAGE" for the kernel's answer, then
 *	sleeps SECONDS (--hold) holding the socket, then exits: the socket
 *	closes in the middle of the restore.  Exit status 0 on an ack, 1 on
 *	an error answer, 2 on a usage or local error.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/ksf.h>

#include "libksf.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static const char *prog = "ksf-state";

static void usage(void)
{
	fprintf(stderr,
		"usage: %s fill PEER N [PREFIX]\n"
		"       %s churn PEER SECONDS POOL\n"
		"       %s macs\n"
		"       %s restore-partial FILE NUNITS (KEK-DESC|KEK-SERIAL) "
		"[--from I] [--end] [--hold SECONDS]\n", prog, prog, prog, prog);
	exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long num(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || !*s || *end) {
		fprintf(stderr, "%s: bad %s: %s\n", prog, what, s);
		exit(2);
	}
	return v;
}

/* ---- fill ---- */

static int cmd_fill(int argc, char **argv)
{
	struct ksf_context_spec spec = { 0 };
	const char *prefix = "imsi-00101";
	char sub[KSF_PEER_ID_LEN + 1];
	unsigned long n, i;
	uint64_t handle;
	struct ksf *h;
	double t0, t;
	int ret;

	if (argc < 2 || argc > 3)
		usage();
	n = num(argv[1], "count");
	if (argc == 3)
		prefix = argv[2];
	if (strlen(prefix) + 8 >= sizeof(sub) - 1) {
		fprintf(stderr, "%s: prefix too long\n", prog);
		return 2;
	}
	h = ksf_open();
	if (!h) {
		fprintf(stderr, "%s: ksf_open: %s\n", prog, ksf_last_error(NULL));
		return 1;
	}
	spec.peer = argv[0];
	spec.subscriber = sub;
	t0 = now();
	for (i = 0; i < n; i++) {
		snprintf(sub, sizeof(sub), "%s%08lu", prefix, i);
		spec.has_sqn_he = !(i % 16);
		spec.sqn_he = 32 * (uint64_t)i;
		ret = ksf_context_new(h, &spec, &handle);
		if (ret) {
			fprintf(stderr, "%s: context %s: %s\n", prog, sub,
				ksf_last_error(h));
			ksf_close(h);
			return 1;
		}
	}
	t = now() - t0;
	ksf_close(h);
	printf("%lu contexts\n", n);
	fprintf(stderr, "%s: %lu contexts in %.1f s (%.0f/s)\n", prog, n, t,
		t > 0 ? n / t : 0.0);
	return 0;
}

/* ---- churn, macs ---- */

static const char mac_data[] = "ksf-race";

static volatile sig_atomic_t churn_stop;

static void churn_term(int sig)
{
	(void)sig;
	churn_stop = 1;
}

/* Prints "HANDLE MAC" for @handle; 0, or -1 when the key is gone. */
static int print_mac(struct ksf *h, uint64_t handle)
{
	struct ksf_items *l = ksf_items_new();
	struct ksf_item *it = l ? ksf_items_add(l, KSF_SERVICE_MAC_GENERATE) :
			      NULL;
	const struct ksf_result *r;
	struct ksf_results *res;
	const uint8_t *tag;
	size_t i, len;
	int ret;

	if (!it || ksf_item_set_u32(it, "alg", KSF_ALG_HMAC_SHA256) ||
	    ksf_item_set_u64(it, "key", handle) ||
	    ksf_item_set_bin(it, "data", mac_data, sizeof(mac_data) - 1)) {
		ksf_items_free(l);
		return -1;
	}
	ret = ksf_service_request(h, l, &res);
	ksf_items_free(l);
	if (ret < 0)
		return -1;
	r = ksf_results_get(res, 0);
	ret = ksf_result_status(r) == KSF_STATUS_OK &&
	      !ksf_result_get_bin(r, "data", (const void **)&tag, &len) ? 0 : -1;
	if (!ret) {
		printf("%016llx ", (unsigned long long)handle);
		for (i = 0; i < len; i++)
			printf("%02x", tag[i]);
		printf("\n");
	}
	ksf_results_free(res);
	return ret;
}

static int cmd_churn(int argc, char **argv)
{
	struct ksf_key_spec spec = {
		.type = KSF_KEY_TYPE_GENERIC,
		.len = 32,
		.usage = KSF_KEY_USAGE_MAC,
	};
	unsigned long secs, pool, n = 0, head = 0, tail = 0;
	uint64_t *ring;
	struct ksf *h;
	double end;

	if (argc != 3)
		usage();
	spec.owner = argv[0];
	secs = num(argv[1], "seconds");
	pool = num(argv[2], "pool");
	if (!pool || pool > 4096)
		usage();
	ring = calloc(pool + 1, sizeof(*ring));
	h = ksf_open();
	if (!ring || !h) {
		fprintf(stderr, "%s: ksf_open: %s\n", prog, ksf_last_error(NULL));
		return 1;
	}
	/* SA_RESTART: a request in flight completes and its key is printed */
	sigaction(SIGTERM, &(struct sigaction){ .sa_handler = churn_term,
						.sa_flags = SA_RESTART }, NULL);
	end = now() + secs;
	while (now() < end && !churn_stop) {
		if (ksf_key_new(h, &spec, &ring[head])) {
			fprintf(stderr, "%s: key: %s\n", prog, ksf_last_error(h));
			return 1;
		}
		if (print_mac(h, ring[head])) {
			fprintf(stderr, "%s: mac-generate failed\n", prog);
			return 1;
		}
		fflush(stdout);
		head = (head + 1) % (pool + 1);
		n++;
		if ((head + pool + 1 - tail) % (pool + 1) < pool)
			continue;
		if (ksf_key_del(h, ring[tail])) {
			fprintf(stderr, "%s: key del: %s\n", prog, ksf_last_error(h));
			return 1;
		}
		tail = (tail + 1) % (pool + 1);
	}
	ksf_close(h);
	free(ring);
	fprintf(stderr, "%s: %lu keys\n", prog, n);
	return 0;
}

struct handles {
	uint64_t *v;
	size_t n, cap;
};

static int collect_key(const struct ksf_key *key, void *arg)
{
	struct handles *hs = arg;

	if (hs->n == hs->cap) {
		uint64_t *v = realloc(hs->v, (hs->cap * 2 + 16) * sizeof(*v));

		if (!v)
			return -ENOMEM;
		hs->v = v;
		hs->cap = hs->cap * 2 + 16;
	}
	hs->v[hs->n++] = key->handle;
	return 0;
}

static int cmd_macs(int argc, char **argv)
{
	struct handles hs = { 0 };
	struct ksf *h;
	size_t i;
	int ret = 0;

	(void)argv;
	if (argc)
		usage();
	h = ksf_open();
	if (!h || ksf_key_dump(h, collect_key, &hs)) {
		fprintf(stderr, "%s: key dump: %s\n", prog, ksf_last_error(h));
		return 1;
	}
	for (i = 0; i < hs.n; i++)
		if (print_mac(h, hs.v[i])) {
			printf("%016llx none\n", (unsigned long long)hs.v[i]);
			ret = 1;
		}
	ksf_close(h);
	free(hs.v);
	return ret;
}

/* ---- restore-partial: a raw generic netlink client ---- */

static int fd;
static uint32_t seq;
static uint8_t rx[1 << 16];

struct msg {
	uint8_t *buf;
	size_t len, cap;
};

static void m_attr(struct msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(m->buf + m->len);
	size_t total = NLA_ALIGN(NLA_HDRLEN + len);

	if (m->len + total > m->cap || NLA_HDRLEN + len > 0xffff) {
		fprintf(stderr, "%s: message too large\n", prog);
		exit(2);
	}
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
	memset((uint8_t *)a + NLA_HDRLEN + len, 0, total - NLA_HDRLEN - len);
	m->len += total;
}

static void m_init(struct msg *m, uint16_t type, uint8_t cmd, uint8_t version,
		   uint16_t flags)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;
	struct genlmsghdr *g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g->cmd = cmd;
	g->version = version;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
}

static int m_send(struct msg *m)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;

	nlh->nlmsg_len = m->len;
	nlh->nlmsg_seq = ++seq;
	if (sendto(fd, m->buf, m->len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		return -errno;
	return 0;
}

/* The extack message of an error answer, if any. */
static void ext_msg(struct nlmsghdr *r, char *out, size_t size)
{
	struct nlmsgerr *e = NLMSG_DATA(r);
	size_t off = sizeof(*e);
	struct nlattr *a;
	int len;

	*out = 0;
	if (!(r->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(r->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	len = (int)r->nlmsg_len - NLMSG_HDRLEN - (int)off;
	a = (struct nlattr *)((uint8_t *)e + off);
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= len) {
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
			snprintf(out, size, "%.*s", a->nla_len - NLA_HDRLEN,
				 (char *)a + NLA_HDRLEN);
			return;
		}
		len -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((uint8_t *)a + NLA_ALIGN(a->nla_len));
	}
}

/*
 * Waits for the answer to the last request: 0 for an ack, the (negative)
 * errno of an error, with its extack message in msg; 1 for a reply, moved
 * to the start of rx for the caller.
 */
static int answer(char *msg, size_t size)
{
	*msg = 0;
	for (;;) {
		int n = recv(fd, rx, sizeof(rx), 0);
		struct nlmsghdr *r;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(msg, size, "recv: %s", strerror(errno));
			return -errno;
		}
		for (r = (struct nlmsghdr *)rx; NLMSG_OK(r, (unsigned int)n);
		     r = NLMSG_NEXT(r, n)) {
			if (r->nlmsg_seq != seq)
				continue;
			if (r->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(r);

				ext_msg(r, msg, size);
				return e->error;
			}
			if (r != (struct nlmsghdr *)rx)
				memmove(rx, r, r->nlmsg_len);
			return 1;
		}
	}
}

/* The id of the ksf family, by CTRL_CMD_GETFAMILY, or -errno. */
static int resolve(void)
{
	uint8_t buf[256];
	struct msg m = { .buf = buf, .cap = sizeof(buf) };
	struct nlmsghdr *r = (struct nlmsghdr *)rx;
	char err[256];
	struct nlattr *a;
	int ret, len;

	m_init(&m, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	m_attr(&m, CTRL_ATTR_FAMILY_NAME, KSF_FAMILY_NAME,
	       strlen(KSF_FAMILY_NAME) + 1);
	ret = m_send(&m);
	if (ret)
		return ret;
	ret = answer(err, sizeof(err));
	if (ret < 0)
		return ret;
	if (ret != 1 || r->nlmsg_type != GENL_ID_CTRL)
		return -ENOENT;
	a = (struct nlattr *)((uint8_t *)NLMSG_DATA(r) + GENL_HDRLEN);
	len = r->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= len) {
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			return *(uint16_t *)((uint8_t *)a + NLA_HDRLEN);
		len -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((uint8_t *)a + NLA_ALIGN(a->nla_len));
	}
	return -ENOENT;
}

static uint8_t *read_file(const char *path, size_t *size)
{
	struct stat st;
	uint8_t *p;
	size_t off = 0;
	ssize_t n;
	int f = open(path, O_RDONLY | O_CLOEXEC);

	if (f < 0 || fstat(f, &st)) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		exit(2);
	}
	p = malloc(st.st_size ? st.st_size : 1);
	if (!p) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(2);
	}
	while (off < (size_t)st.st_size) {
		n = read(f, p + off, st.st_size - off);
		if (n <= 0) {
			fprintf(stderr, "%s: %s: short read\n", prog, path);
			exit(2);
		}
		off += n;
	}
	close(f);
	*size = off;
	return p;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int cmd_restore_partial(int argc, char **argv)
{
	unsigned long nunits, from = 0, hold = 0, i;
	int one = 1, sndbuf = 16 << 20, family, ret;
	struct msg m = { 0 };
	const char *kek;
	bool end = false;
	size_t size, off = 0, sent = 0;
	uint8_t *blob;
	char err[512];

	if (argc < 3)
		usage();
	blob = read_file(argv[0], &size);
	nunits = num(argv[1], "unit count");
	kek = argv[2];
	for (i = 3; i < (unsigned long)argc; i++) {
		if (!strcmp(argv[i], "--end"))
			end = true;
		else if (!strcmp(argv[i], "--hold") && i + 1 < (unsigned long)argc)
			hold = num(argv[++i], "hold time");
		else if (!strcmp(argv[i], "--from") && i + 1 < (unsigned long)argc)
			from = num(argv[++i], "first unit");
		else
			usage();
	}

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0) {
		perror("socket");
		return 2;
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* A request of several 60 KiB units exceeds the default send buffer. */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	family = resolve();
	if (family < 0) {
		fprintf(stderr, "%s: resolve the ksf family: %s\n", prog,
			strerror(-family));
		return 2;
	}

	m.cap = size + 4096 + 8 * (size / 16 + 1);
	m.buf = calloc(1, m.cap);
	if (!m.buf) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return 2;
	}
	m_init(&m, family, KSF_CMD_RESTORE, KSF_FAMILY_VERSION, NLM_F_ACK);
	if (kek[0] >= '0' && kek[0] <= '9') {
		int32_t serial = (int32_t)num(kek, "KEK serial");

		m_attr(&m, KSF_A_STATE_KEK_SERIAL, &serial, sizeof(serial));
	} else {
		m_attr(&m, KSF_A_STATE_KEK_DESC, kek, strlen(kek) + 1);
	}
	for (i = 0; off < size && sent < nunits; i++) {
		uint32_t len = size - off >= 8 ? be32(blob + off + 4) : 0;

		if (len < 16 || len > size - off) {
			fprintf(stderr, "%s: %s: bad unit %lu at byte %zu\n",
				prog, argv[0], i, off);
			return 2;
		}
		if (i >= from) {
			m_attr(&m, KSF_A_STATE_CHUNK, blob + off, len);
			sent++;
		}
		off += len;
	}
	if (sent < nunits) {
		fprintf(stderr, "%s: %s has only %lu units\n", prog, argv[0], i);
		return 2;
	}
	if (end)
		m_attr(&m, KSF_A_STATE_END, NULL, 0);
	ret = m_send(&m);
	if (ret) {
		fprintf(stderr, "%s: send (%zu bytes): %s\n", prog, m.len,
			strerror(-ret));
		return 2;
	}
	ret = answer(err, sizeof(err));
	if (ret < 0)
		printf("error %d: %s\n", -ret, err[0] ? err : strerror(-ret));
	else
		printf("ack (%lu units from unit %lu, %zu bytes)\n", sent, from,
		       m.len);
	fflush(stdout);
	free(m.buf);
	free(blob);
	if (hold)
		sleep(hold);
	close(fd);
	return ret < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "fill"))
		return cmd_fill(argc - 2, argv + 2);
	if (!strcmp(argv[1], "churn"))
		return cmd_churn(argc - 2, argv + 2);
	if (!strcmp(argv[1], "macs"))
		return cmd_macs(argc - 2, argv + 2);
	if (!strcmp(argv[1], "restore-partial"))
		return cmd_restore_partial(argc - 2, argv + 2);
	usage();
	return 2;
}
