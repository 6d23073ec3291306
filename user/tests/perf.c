// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libksf's user-space cost per request, without a kernel: the one-item
 * mac-generate of ksf-bench through ksf_service_request() and through a
 * raw client (ksf-bench's own code), against a fake kernel.  Linked
 * with libksf.a and -Wl,--wrap=send,--wrap=recv: send() checks nothing
 * and remembers the sequence number, recv() returns a recorded reply
 * (index, status, a 32-byte mac) with that sequence number.
 *
 *   tests/perf [N]          N requests of each kind (default 1000000),
 *                           nanoseconds per request; then N / 100
 *                           requests of a 100-item batch through libksf
 *                           (ksf-bench's x100), nanoseconds per item
 *   tests/perf N lib|raw|batch
 *                           only one kind (for callgrind: instructions
 *                           per request = total / N, minus the setup run
 *                           with N = 0)
 */
#include <time.h>

#include "internal.h"
#include "raw-client.h"

#define BATCH	100

static uint8_t reply[BATCH * 128];
static size_t reply_len;
static uint32_t last_seq;

ssize_t __real_send(int fd, const void *buf, size_t len, int flags);
ssize_t __wrap_send(int fd, const void *buf, size_t len, int flags);
ssize_t __real_recv(int fd, void *buf, size_t len, int flags);
ssize_t __wrap_recv(int fd, void *buf, size_t len, int flags);

ssize_t __wrap_send(int fd, const void *buf, size_t len, int flags)
{
	(void)fd;
	(void)flags;
	last_seq = ((const struct nlmsghdr *)buf)->nlmsg_seq;
	return (ssize_t)len;
}

ssize_t __wrap_recv(int fd, void *buf, size_t len, int flags)
{
	(void)fd;
	(void)flags;
	if (len < reply_len)
		return -1;
	memcpy(buf, reply, reply_len);
	((struct nlmsghdr *)buf)->nlmsg_seq = last_seq;
	return (ssize_t)reply_len;
}

/* ---- The recorded reply --------------------------------------------------- */

static size_t put(size_t off, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(reply + off);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(a + 1, data, len);
	return off + NLA_ALIGN(NLA_HDRLEN + len);
}

/* The reply to n mac-generate items: n results of a 32-byte mac. */
static void make_reply(int family, uint32_t n)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)reply;
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	uint8_t mac[32] = { 1, 2, 3 };
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN, nest, fam;
	uint32_t i;

	g->cmd = KSF_CMD_SERVICE_REQUEST;
	g->version = KSF_FAMILY_VERSION;
	for (i = 0; i < n; i++) {
		nest = off;
		off = put(off, KSF_A_REQUEST_RESULT | NLA_F_NESTED, NULL, 0);
		off = put(off, KSF_A_RESULT_INDEX, &i, 4);
		off = put(off, KSF_A_RESULT_STATUS,
			  &(uint32_t){ KSF_STATUS_OK }, 4);
		fam = off;
		off = put(off, KSF_A_RESULT_MAC | NLA_F_NESTED, NULL, 0);
		off = put(off, KSF_A_RESULT_MAC_DATA, mac, sizeof(mac));
		((struct nlattr *)(reply + fam))->nla_len = off - fam;
		((struct nlattr *)(reply + nest))->nla_len = off - nest;
	}
	nlh->nlmsg_len = off;
	nlh->nlmsg_type = family;
	reply_len = off;
}

/* ---- The raw client of ksf-bench ------------------------------------------ */

static void raw_build(int family, uint64_t key, const uint8_t *data, size_t len)
{
	raw_start(family, KSF_CMD_SERVICE_REQUEST, KSF_FAMILY_VERSION);
	raw_mac_item(key, data, len);
}

/* ---- libksf, as ksf-bench calls it ---------------------------------------- */

static int lib_one(struct ksf *h, struct ksf_items *items)
{
	struct ksf_results *res;
	int n = ksf_service_request(h, items, &res);

	if (n < 0)
		return n;
	if ((size_t)n != ksf_items_count(items) ||
	    ksf_result_status(ksf_results_get(res, 0)) != KSF_STATUS_OK) {
		ksf_results_free(res);
		return -EPROTO;
	}
	ksf_results_free(res);
	return 0;
}

/* A handle as ksf_open() leaves it, on a socket nothing reads. */
static struct ksf *handle(int family)
{
	struct ksf *h = calloc(1, sizeof(*h));

	if (!h)
		abort();
	pthread_mutex_init(&h->lock, NULL);
	h->fd = -1;
	h->family = family;
	h->version = KSF_FAMILY_VERSION;
	if (buf_grow(&h->rx, &h->rx_cap, 32 * 1024, 0))
		abort();
	return h;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* n mac-generate items, as ksf-bench's batch_init() makes them */
static struct ksf_items *mac_items(int n, uint64_t key, const uint8_t *data,
				   size_t len)
{
	struct ksf_items *items = ksf_items_new();
	struct ksf_item *it;

	while (items && n--) {
		it = ksf_items_add(items, KSF_SERVICE_MAC_GENERATE);
		if (!it || ksf_item_set_u32(it, "alg", KSF_ALG_HMAC_SHA256) ||
		    ksf_item_set_u64(it, "key", key) ||
		    ksf_item_set_bin(it, "data", data, len))
			abort();
	}
	return items;
}

/* Seconds for n requests of items through libksf. */
static double lib_time(struct ksf *h, struct ksf_items *items, long n)
{
	double t0 = now();
	long i;

	for (i = 0; i < n; i++)
		if (lib_one(h, items))
			exit(1);
	return now() - t0;
}

int main(int argc, char **argv)
{
	static const uint8_t data[64];
	const uint64_t key = 0x1234;
	const int family = 0x20;
	long n = argc > 1 ? atol(argv[1]) : 1000000, i;
	const char *only = argc > 2 ? argv[2] : NULL;
	struct ksf_items *items, *batch;
	struct ksf *h;
	double t0, t_lib = 0, t_raw = 0, t_batch = 0;

	make_reply(family, 1);
	h = handle(family);
	items = mac_items(1, key, data, sizeof(data));
	batch = mac_items(BATCH, key, data, sizeof(data));
	if (!items || !batch)
		return 1;
	/* both produce the same request */
	raw_build(family, key, data, sizeof(data));
	if (lib_one(h, items) || raw_xchg(-1) ||
	    ((struct nlmsghdr *)h->tx)->nlmsg_len != tx_len ||
	    memcmp(h->tx + NLMSG_HDRLEN, tx + NLMSG_HDRLEN,
		   tx_len - NLMSG_HDRLEN)) {
		fprintf(stderr, "perf: libksf and raw requests differ: %s\n",
			ksf_last_error(h));
		return 1;
	}
	if (!only || !strcmp(only, "lib"))
		t_lib = lib_time(h, items, n);
	if (!only || !strcmp(only, "raw")) {
		t0 = now();
		for (i = 0; i < n; i++)
			if (raw_xchg(-1))
				return 1;
		t_raw = now() - t0;
	}
	if (!only || !strcmp(only, "batch")) {
		make_reply(family, BATCH);
		t_batch = lib_time(h, batch, only ? n : n / BATCH);
	}
	if (n >= BATCH && !only) {
		printf("one-item mac-generate, user space only: libksf %.1f ns, raw %.1f ns per request\n",
		       t_lib * 1e9 / n, t_raw * 1e9 / n);
		printf("%d-item mac-generate batch, libksf: %.1f ns per item\n",
		       BATCH, t_batch * 1e9 / (n / BATCH * BATCH));
	}
	ksf_items_free(items);
	ksf_items_free(batch);
	free(h->rx);
	free(h->tx);
	free(h);
	return 0;
}
