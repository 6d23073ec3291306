// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksf-relayd: carries ksf channel blobs host to host over UDP or TCP
 * (Documentation/channel.rst, "ksf-relayd").  It runs as an nf peer with
 * carry rights: a blob for its own instance is handed in with
 * msg-receive and what the kernel answers is routed on; any other blob
 * is forwarded by its receiver's key id, hops - 1.  It reads the clear
 * header only and never logs a blob's bytes.
 *
 *   ksf-relayd [--foreground] [--verbose] --listen ADDR... --route R...
 *   ksf-relayd send ADDR FILE|-
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "frame.h"
#include "libksf.h"

#define LISTEN_MAX	8
#define ROUTE_MAX	64
#define CONN_MAX	64		/* TCP connections being read */
#define IDLE_SECS	10		/* a silent TCP connection is closed */
#define IO_TIMEOUT_MS	2000		/* connect and write of one TCP frame */
#define UDP_BURST	64		/* datagrams read per wakeup */
#define LOG_PER_SEC	20		/* frame log lines; more are counted */

struct conn {
	int fd;				/* -1: free */
	uint8_t *buf;			/* prefix and frame */
	size_t have;
	uint32_t need;			/* frame length, 0 until the prefix */
	time_t last;
	char from[80];
};

struct listener {
	int fd;
	struct relay_addr a;
};

static struct relay {
	struct ksf *h;
	struct listener ls[LISTEN_MAX];
	size_t n_ls;
	struct route routes[ROUTE_MAX];
	size_t n_routes;
	struct conn conns[CONN_MAX];
	int udp_fd[2];			/* senders: IPv4, IPv6 (lazily) */
	uint8_t buf[FRAME_MAX + 1];	/* one datagram */
	bool syslog, verbose;
	time_t log_sec;
	unsigned int log_n;
} relay = { .udp_fd = { -1, -1 } };

static volatile sig_atomic_t stopping;

/* ---- Logging ------------------------------------------------------------- */

static void vlog(int prio, const char *fmt, va_list ap)
{
	if (relay.syslog) {
		vsyslog(prio, fmt, ap);
		return;
	}
	fputs("ksf-relayd: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void say(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(prio, fmt, ap);
	va_end(ap);
}

static time_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/*
 * A line about one frame: peers choose how many arrive, so at most
 * LOG_PER_SEC a second, and a count of the others.
 */
static void frame_log(int prio, const char *fmt, ...)
{
	time_t t = now();
	va_list ap;

	if (prio == LOG_INFO && !relay.verbose)
		return;
	if (t != relay.log_sec) {
		if (relay.log_n > LOG_PER_SEC)
			say(LOG_NOTICE, "%u log lines suppressed",
			    relay.log_n - LOG_PER_SEC);
		relay.log_sec = t;
		relay.log_n = 0;
	}
	if (++relay.log_n > LOG_PER_SEC)
		return;
	va_start(ap, fmt);
	vlog(prio, fmt, ap);
	va_end(ap);
}

static const char *type_name(uint8_t type)
{
	const char *s = ksf_name(KSF_NAMES_MSG_TYPE, type);

	return s ? s : "blob of unknown type";
}

/* "udp:ADDR:PORT" of a socket address. */
static void addr_name(enum relay_proto p, const struct sockaddr *sa,
		      socklen_t len, char *out, size_t n)
{
	char host[NI_MAXHOST], port[NI_MAXSERV];

	if (getnameinfo(sa, len, host, sizeof(host), port, sizeof(port),
			NI_NUMERICHOST | NI_NUMERICSERV))
		snprintf(out, n, "%s:?", p == PROTO_UDP ? "udp" : "tcp");
	else
		snprintf(out, n, strchr(host, ':') ? "%s:[%s]:%s" : "%s:%s:%s",
			 p == PROTO_UDP ? "udp" : "tcp", host, port);
}

/* ---- Sending ------------------------------------------------------------- */

static int udp_sender(int family)
{
	int *fd = &relay.udp_fd[family == AF_INET6];

	if (*fd < 0)
		*fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	return *fd;
}

static int send_udp(const struct relay_addr *to, struct iovec *iov)
{
	struct msghdr mh = {
		.msg_name = (void *)&to->ss,
		.msg_namelen = to->len,
		.msg_iov = iov,
		.msg_iovlen = 2,
	};
	int fd = udp_sender(to->ss.ss_family);

	if (fd < 0 || sendmsg(fd, &mh, 0) < 0)
		return -errno;
	return 0;
}

/* Connect within IO_TIMEOUT_MS; the socket, or -errno. */
static int tcp_connect(const struct relay_addr *to)
{
	struct timeval tv = { .tv_sec = IO_TIMEOUT_MS / 1000 };
	int fd, err = 0;
	socklen_t len = sizeof(err);
	struct pollfd p;

	fd = socket(to->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)&to->ss, to->len) &&
	    errno != EINPROGRESS) {
		err = errno;
	} else {
		p = (struct pollfd){ .fd = fd, .events = POLLOUT };
		if (poll(&p, 1, IO_TIMEOUT_MS) != 1)
			err = ETIMEDOUT;
		else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
			err = errno;
	}
	if (!err && (fcntl(fd, F_SETFL, 0) ||
		     setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv))))
		err = errno;
	if (err) {
		close(fd);
		return -err;
	}
	return fd;
}

/* One connection per frame: connect, write the whole of iov, close. */
static int send_tcp(const struct relay_addr *to, struct iovec *iov)
{
	uint8_t prefix[FRAME_TCP_LEN];
	struct iovec v[3] = { { prefix, sizeof(prefix) }, iov[0], iov[1] };
	struct iovec *p = v;
	int fd, cnt = 3, err = 0;
	ssize_t n;

	frame_tcp_prefix(prefix, iov[0].iov_len + iov[1].iov_len);
	fd = tcp_connect(to);
	if (fd < 0)
		return fd;
	while (cnt && !err) {
		n = writev(fd, p, cnt);
		if (n < 0) {
			err = errno == EAGAIN ? ETIMEDOUT : errno;
			continue;
		}
		for (; cnt && (size_t)n >= p->iov_len; p++, cnt--)
			n -= p->iov_len;
		if (cnt) {
			p->iov_base = (uint8_t *)p->iov_base + n;
			p->iov_len -= n;
		}
	}
	close(fd);
	return -err;
}

/* Frame blob with hops and send it to to: 0 or -errno. */
static int frame_send(const struct relay_addr *to, const uint8_t *blob,
		      size_t len, uint8_t hops)
{
	uint8_t hdr[FRAME_HDR_LEN];
	struct iovec iov[2] = { { hdr, sizeof(hdr) }, { (void *)blob, len } };

	frame_header(hdr, hops);
	if (to->proto == PROTO_UDP)
		return send_udp(to, iov);
	return send_tcp(to, iov);
}

/* ---- Routing ------------------------------------------------------------- */

static const struct route *route_find(uint64_t key_id)
{
	const struct route *def = NULL;
	size_t i;

	for (i = 0; i < relay.n_routes; i++) {
		if (relay.routes[i].is_default)
			def = &relay.routes[i];
		else if (relay.routes[i].key_id == key_id)
			return &relay.routes[i];
	}
	return def;
}

/* Send on a blob that came from "from" (an address, or "ksf"). */
static void route_out(const uint8_t *blob, size_t len,
		      const struct ksf_msg_header *hd, uint8_t hops,
		      const char *from)
{
	const struct route *rt = route_find(hd->receiver);
	int err;

	if (!rt) {
		frame_log(LOG_NOTICE, "%s: %s for %016" PRIx64
			  " dropped: no route", from, type_name(hd->type),
			  hd->receiver);
		return;
	}
	err = frame_send(&rt->to, blob, len, hops);
	if (err)
		frame_log(LOG_WARNING, "%s: %s for %016" PRIx64 " to %s: %s",
			  from, type_name(hd->type), hd->receiver, rt->to.name,
			  strerror(-err));
	else
		frame_log(LOG_INFO, "%s: %s for %016" PRIx64
			  " sent to %s (hops %u)", from, type_name(hd->type),
			  hd->receiver, rt->to.name, hops);
}

/* The blobs the kernel answered with, each routed by its receiver. */
static void route_msgs(const struct ksf_msgs *l)
{
	struct ksf_msg_header hd;
	const uint8_t *blob;
	size_t i, len;

	for (i = 0; i < ksf_msgs_count(l); i++) {
		ksf_msgs_get(l, i, NULL, NULL, &blob, &len);
		if (ksf_msg_peek(blob, len, &hd))
			frame_log(LOG_WARNING, "ksf: a blob that does not parse: %s",
				  ksf_last_error(NULL));
		else
			route_out(blob, len, &hd, FRAME_HOPS, "ksf");
	}
}

/* A blob for this instance: msg-receive, then route what it returns. */
static void deliver(const struct frame *f, const struct ksf_msg_header *hd,
		    const char *from)
{
	const void *blob = f->blob;
	struct ksf_msg_outcome oc = { 0 };
	struct ksf_msgs *out = NULL;
	size_t len = f->len;
	int err;

	err = ksf_msg_receive(relay.h, &blob, &len, 1, &oc, &out);
	if (oc.status == KSF_MSG_STATUS_REFUSED)
		frame_log(LOG_NOTICE, "%s: %s from %016" PRIx64 " refused: %s",
			  from, type_name(hd->type), hd->sender, oc.reason);
	else if (err)
		frame_log(LOG_WARNING, "%s: %s from %016" PRIx64 ": %s", from,
			  type_name(hd->type), hd->sender,
			  ksf_last_error(relay.h));
	else
		frame_log(LOG_INFO, "%s: %s from %016" PRIx64 " accepted", from,
			  type_name(hd->type), hd->sender);
	route_msgs(out);
	ksf_msgs_free(out);
}

/*
 * The instance's key id, read for each frame (a restore may change it).
 * A failure may be a reloaded ksf, whose family is new: open it again,
 * once.
 */
static int self_key_id(uint64_t *id)
{
	struct ksf *h;

	if (!ksf_get_key_id(relay.h, id))
		return 0;
	h = ksf_open();
	if (!h)
		return -1;
	ksf_close(relay.h);
	relay.h = h;
	return ksf_get_key_id(relay.h, id);
}

/* One frame from a peer. */
static void frame_in(const uint8_t *p, size_t n, const char *from)
{
	struct ksf_msg_header hd;
	struct frame f;
	const char *why;
	uint64_t self;

	if (frame_parse(p, n, &f, &why)) {
		frame_log(LOG_NOTICE, "%s: frame dropped: %s", from, why);
		return;
	}
	if (ksf_msg_peek(f.blob, f.len, &hd)) {
		frame_log(LOG_NOTICE, "%s: frame dropped: %s", from,
			  ksf_last_error(NULL));
		return;
	}
	if (self_key_id(&self)) {
		frame_log(LOG_WARNING, "%s: frame dropped: no key id: %s", from,
			  ksf_last_error(relay.h));
		return;
	}
	if (hd.receiver == self)
		deliver(&f, &hd, from);
	else if (!f.hops)
		frame_log(LOG_NOTICE, "%s: %s for %016" PRIx64
			  " dropped: hops 0", from, type_name(hd.type),
			  hd.receiver);
	else
		route_out(f.blob, f.len, &hd, f.hops - 1, from);
}

/* ---- Listening ----------------------------------------------------------- */

static int listen_on(struct listener *l)
{
	int one = 1, type = l->a.proto == PROTO_UDP ? SOCK_DGRAM : SOCK_STREAM;

	l->fd = socket(l->a.ss.ss_family, type | SOCK_CLOEXEC | SOCK_NONBLOCK,
		       0);
	if (l->fd < 0 ||
	    setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l->fd, (struct sockaddr *)&l->a.ss, l->a.len) ||
	    (type == SOCK_STREAM && listen(l->fd, 16))) {
		fprintf(stderr, "ksf-relayd: listen %s: %s\n", l->a.name,
			strerror(errno));
		return -1;
	}
	return 0;
}

static void udp_read(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char from[80];
	ssize_t n;
	int i;

	for (i = 0; i < UDP_BURST; i++) {
		len = sizeof(ss);
		n = recvfrom(fd, relay.buf, sizeof(relay.buf), MSG_TRUNC,
			     (struct sockaddr *)&ss, &len);
		if (n < 0)
			return;
		addr_name(PROTO_UDP, (struct sockaddr *)&ss, len, from,
			  sizeof(from));
		/* n > FRAME_MAX: truncated, which frame_parse refuses */
		frame_in(relay.buf, n, from);
	}
}

static void conn_close(struct conn *c)
{
	close(c->fd);
	free(c->buf);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

static struct conn *conn_free_slot(void)
{
	size_t i;

	for (i = 0; i < CONN_MAX; i++)
		if (relay.conns[i].fd < 0)
			return &relay.conns[i];
	return NULL;
}

static void tcp_accept(int lfd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct conn *c;
	char from[80];
	int fd;

	fd = accept4(lfd, (struct sockaddr *)&ss, &len,
		     SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return;
	addr_name(PROTO_TCP, (struct sockaddr *)&ss, len, from, sizeof(from));
	c = conn_free_slot();
	if (c)
		c->buf = malloc(FRAME_TCP_LEN + FRAME_MAX);
	if (!c || !c->buf) {
		frame_log(LOG_WARNING, "%s: connection refused: %s", from,
			  c ? "out of memory" : "too many connections");
		close(fd);
		return;
	}
	c->fd = fd;
	c->last = now();
	strcpy(c->from, from);
}

/* What a connection has read: a complete prefix, then a complete frame. */
static void conn_got(struct conn *c)
{
	const char *why;

	if (!c->need && c->have == FRAME_TCP_LEN) {
		if (frame_tcp_len(c->buf, &c->need, &why)) {
			frame_log(LOG_NOTICE, "%s: %s, connection closed",
				  c->from, why);
			conn_close(c);
		}
	} else if (c->need && c->have == FRAME_TCP_LEN + c->need) {
		frame_in(c->buf + FRAME_TCP_LEN, c->need, c->from);
		c->have = 0;
		c->need = 0;
	}
}

static void conn_read(struct conn *c)
{
	size_t want = FRAME_TCP_LEN + c->need;
	ssize_t n;

	n = read(c->fd, c->buf + c->have, want - c->have);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		if (n < 0)
			frame_log(LOG_NOTICE, "%s: %s", c->from, strerror(errno));
		else if (c->have)
			frame_log(LOG_NOTICE,
				  "%s: closed mid-frame (%zu of %zu bytes)",
				  c->from, c->have, want);
		conn_close(c);
		return;
	}
	c->have += n;
	c->last = now();
	conn_got(c);
}

static void conns_reap(void)
{
	time_t t = now();
	size_t i;

	for (i = 0; i < CONN_MAX; i++) {
		struct conn *c = &relay.conns[i];

		if (c->fd < 0 || t - c->last < IDLE_SECS)
			continue;
		if (c->have)
			frame_log(LOG_NOTICE, "%s: idle %d s mid-frame, closed",
				  c->from, IDLE_SECS);
		conn_close(c);
	}
}

/* ---- The loop ------------------------------------------------------------ */

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/* SIGTERM and SIGINT blocked but in ppoll; the mask ppoll waits with. */
static int signals(sigset_t *wait_mask)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	if (sigprocmask(SIG_BLOCK, &block, wait_mask) ||
	    sigaction(SIGTERM, &sa, NULL) || sigaction(SIGINT, &sa, NULL))
		return -1;
	sigdelset(wait_mask, SIGTERM);
	sigdelset(wait_mask, SIGINT);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

/* Listeners first (pfd[0..n_ls-1]), then the open connections. */
static size_t poll_set(struct pollfd *pfd, struct conn **owner)
{
	size_t i, n = 0;

	for (i = 0; i < relay.n_ls; i++)
		pfd[n++] = (struct pollfd){ relay.ls[i].fd, POLLIN, 0 };
	for (i = 0; i < CONN_MAX; i++) {
		if (relay.conns[i].fd < 0)
			continue;
		owner[n] = &relay.conns[i];
		pfd[n++] = (struct pollfd){ relay.conns[i].fd, POLLIN, 0 };
	}
	return n;
}

static void poll_done(const struct pollfd *pfd, struct conn **owner,
		      size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!pfd[i].revents)
			continue;
		if (i >= relay.n_ls)
			conn_read(owner[i]);
		else if (relay.ls[i].a.proto == PROTO_UDP)
			udp_read(pfd[i].fd);
		else
			tcp_accept(pfd[i].fd);
	}
}

static int run(void)
{
	struct pollfd pfd[LISTEN_MAX + CONN_MAX];
	struct conn *owner[LISTEN_MAX + CONN_MAX];
	struct timespec tick = { .tv_sec = 1 };
	sigset_t mask;
	size_t n;

	if (signals(&mask)) {
		say(LOG_ERR, "signals: %s", strerror(errno));
		return 1;
	}
	say(LOG_NOTICE, "relaying: %zu listeners, %zu routes", relay.n_ls,
	    relay.n_routes);
	while (!stopping) {
		n = poll_set(pfd, owner);
		if (ppoll(pfd, n, &tick, &mask) < 0) {
			if (errno == EINTR)
				continue;
			say(LOG_ERR, "poll: %s", strerror(errno));
			return 1;
		}
		poll_done(pfd, owner, n);
		conns_reap();
	}
	say(LOG_NOTICE, "exiting on a signal");
	return 0;
}

static void cleanup(void)
{
	size_t i;

	for (i = 0; i < CONN_MAX; i++)
		if (relay.conns[i].fd >= 0)
			conn_close(&relay.conns[i]);
	for (i = 0; i < relay.n_ls; i++)
		if (relay.ls[i].fd >= 0)
			close(relay.ls[i].fd);
	for (i = 0; i < 2; i++)
		if (relay.udp_fd[i] >= 0)
			close(relay.udp_fd[i]);
	ksf_close(relay.h);
}

/* ---- ksf-relayd send ----------------------------------------------------- */

/* The raw blob of path ("-": stdin) into buf: its length, or -1. */
static ssize_t read_blob(const char *path, uint8_t *buf, size_t max)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	size_t n = 0;
	ssize_t r = 1;

	if (fd < 0) {
		fprintf(stderr, "ksf-relayd: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (n < max && (r = read(fd, buf + n, max - n)) > 0)
		n += r;
	if (r < 0)
		fprintf(stderr, "ksf-relayd: %s: %s\n", path, strerror(errno));
	if (fd)
		close(fd);
	return r < 0 ? -1 : (ssize_t)n;
}

static int cmd_send(int argc, char **argv)
{
	struct ksf_msg_header hd;
	struct relay_addr to;
	char eb[160];
	ssize_t n;
	int err;

	if (argc != 4) {
		fprintf(stderr, "usage: ksf-relayd send udp|tcp:HOST:PORT FILE|-\n");
		return 2;
	}
	if (addr_parse(argv[2], &to, eb, sizeof(eb))) {
		fprintf(stderr, "ksf-relayd: %s\n", eb);
		return 2;
	}
	n = read_blob(argv[3], relay.buf, sizeof(relay.buf));
	if (n < 0)
		return 1;
	if (ksf_msg_peek(relay.buf, n, &hd)) {
		fprintf(stderr, "ksf-relayd: %s: %s\n", argv[3],
			ksf_last_error(NULL));
		return 1;
	}
	err = frame_send(&to, relay.buf, n, FRAME_HOPS);
	if (err) {
		fprintf(stderr, "ksf-relayd: send to %s: %s\n", to.name,
			strerror(-err));
		return 1;
	}
	return 0;
}

/* ---- Options ------------------------------------------------------------- */

static void usage(FILE *f)
{
	fputs("usage: ksf-relayd [--foreground] [--verbose] --listen ADDR... [--route ROUTE...]\n"
	      "       ksf-relayd send ADDR FILE|-\n"
	      "  ADDR   udp:HOST:PORT or tcp:HOST:PORT\n"
	      "  ROUTE  KEYID=ADDR (16 hex digits) or default=ADDR\n",
	      f);
}

static int add_listen(const char *s, char *eb, size_t es)
{
	if (relay.n_ls == LISTEN_MAX) {
		snprintf(eb, es, "more than %d --listen", LISTEN_MAX);
		return -1;
	}
	if (addr_parse(s, &relay.ls[relay.n_ls].a, eb, es))
		return -1;
	relay.ls[relay.n_ls++].fd = -1;
	return 0;
}

static int add_route(const char *s, char *eb, size_t es)
{
	if (relay.n_routes == ROUTE_MAX) {
		snprintf(eb, es, "more than %d --route", ROUTE_MAX);
		return -1;
	}
	if (route_parse(s, &relay.routes[relay.n_routes], eb, es))
		return -1;
	relay.n_routes++;
	return 0;
}

/* 0, 1 to exit 0 (help), -1 on a usage error (printed). */
static int options(int argc, char **argv, bool *foreground)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "route", required_argument, NULL, 'r' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	char eb[160] = "";
	int c, err = 0;

	while (!err && (c = getopt_long(argc, argv, "l:r:fvh", opts, NULL)) != -1) {
		if (c == 'l')
			err = add_listen(optarg, eb, sizeof(eb));
		else if (c == 'r')
			err = add_route(optarg, eb, sizeof(eb));
		else if (c == 'f')
			*foreground = true;
		else if (c == 'v')
			relay.verbose = true;
		else if (c == 'h')
			err = 1;
		else
			err = -1;
	}
	if (!err && (optind != argc || !relay.n_ls)) {
		snprintf(eb, sizeof(eb), optind != argc ?
			 "unexpected argument \"%s\"" : "no --listen",
			 argv[optind < argc ? optind : 0]);
		err = -1;
	}
	if (err) {
		if (*eb)
			fprintf(stderr, "ksf-relayd: %s\n", eb);
		usage(err > 0 ? stdout : stderr);
	}
	return err;
}

int main(int argc, char **argv)
{
	bool foreground = false;
	int ret = 1;
	size_t i;

	if (argc > 1 && !strcmp(argv[1], "send"))
		return cmd_send(argc, argv);
	for (i = 0; i < CONN_MAX; i++)
		relay.conns[i].fd = -1;
	ret = options(argc, argv, &foreground);
	if (ret)
		return ret < 0 ? 2 : 0;
	ret = 1;
	relay.h = ksf_open();
	if (!relay.h) {
		fprintf(stderr, "ksf-relayd: ksf: %s\n",
			errno == ENOENT ? "module not loaded" : strerror(errno));
		goto out;
	}
	for (i = 0; i < relay.n_ls; i++)
		if (listen_on(&relay.ls[i]))
			goto out;
	if (!foreground) {
		if (daemon(0, 0)) {
			perror("ksf-relayd: daemon");
			goto out;
		}
		openlog("ksf-relayd", LOG_PID, LOG_DAEMON);
		relay.syslog = true;
	}
	ret = run();
out:
	cleanup();
	return ret;
}
