/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A raw generic netlink client, what the benchmarks compare libksf with
 * (user/tests/perf.c against a fake kernel, ksf-bench in the VM): one
 * request built by hand in tx, sent, and its reply's attributes walked
 * (one level of nesting) and copied out, as any client does.  Static, for
 * one program; not part of libksf.
 */
#ifndef KSF_RAW_CLIENT_H
#define KSF_RAW_CLIENT_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/ksf.h>

static uint8_t tx[4096], rx[1 << 16], sink[1 << 16];
static size_t tx_len;
static uint32_t seq;

/* A request's headers: family @type, command @cmd. */
static void raw_start(uint16_t type, uint8_t cmd, uint8_t version)
{
	struct genlmsghdr *g = (struct genlmsghdr *)(tx + NLMSG_HDRLEN);

	memset(tx, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	((struct nlmsghdr *)tx)->nlmsg_type = type;
	((struct nlmsghdr *)tx)->nlmsg_flags = NLM_F_REQUEST;
	g->cmd = cmd;
	g->version = version;
	tx_len = NLMSG_HDRLEN + GENL_HDRLEN;
}

/* An attribute (a nest: len 0, its length set once its contents are in). */
static void raw_put(uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(tx + tx_len);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(a + 1, data, len);
	memset((uint8_t *)(a + 1) + len, 0, NLA_ALIGN(len) - len);
	tx_len += NLA_ALIGN(NLA_HDRLEN + len);
}

/* One mac-generate item (HMAC-SHA-256 under @key) of a service-request. */
static void raw_mac_item(uint64_t key, const uint8_t *data, size_t len)
{
	size_t nest = tx_len, fam;

	raw_put(KSF_A_REQUEST_ITEM | NLA_F_NESTED, NULL, 0);
	raw_put(KSF_A_ITEM_SERVICE, &(uint32_t){ KSF_SERVICE_MAC_GENERATE }, 4);
	raw_put(KSF_A_ITEM_ALG, &(uint32_t){ KSF_ALG_HMAC_SHA256 }, 4);
	raw_put(KSF_A_ITEM_KEY, &key, 8);
	fam = tx_len;
	raw_put(KSF_A_ITEM_MAC | NLA_F_NESTED, NULL, 0);
	raw_put(KSF_A_ITEM_MAC_DATA, data, len);
	((struct nlattr *)(tx + fam))->nla_len = tx_len - fam;
	((struct nlattr *)(tx + nest))->nla_len = tx_len - nest;
}

static void raw_walk(const struct nlattr *a, int len, int depth, size_t *off)
{
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		size_t n = a->nla_len - NLA_HDRLEN;

		if ((a->nla_type & NLA_F_NESTED) && depth == 0) {
			raw_walk((const struct nlattr *)(a + 1), n, 1, off);
		} else if (*off + n <= sizeof(sink)) {
			memcpy(sink + *off, a + 1, n);
			*off += n;
		}
		len -= NLA_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const uint8_t *)a + NLA_ALIGN(a->nla_len));
	}
}

static int raw_decode(const struct nlmsghdr *nlh)
{
	size_t off = 0;

	raw_walk((const struct nlattr *)((const uint8_t *)NLMSG_DATA(nlh) + GENL_HDRLEN),
		 nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, 0, &off);
	return off ? 0 : -EPROTO;
}

/* One request/reply on @fd: send tx, receive one message with our seq. */
static int raw_xchg(int fd)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)tx;
	int n;

	nlh->nlmsg_len = tx_len;
	nlh->nlmsg_seq = ++seq;
	if (send(fd, tx, tx_len, 0) < 0)
		return -errno;
	for (;;) {
		n = recv(fd, rx, sizeof(rx), 0);
		if (n < 0)
			return -errno;
		nlh = (struct nlmsghdr *)rx;
		if (nlh->nlmsg_seq != seq)
			continue;
		if (nlh->nlmsg_type == NLMSG_ERROR)
			return ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
		return raw_decode(nlh);
	}
}

#endif /* KSF_RAW_CLIENT_H */
