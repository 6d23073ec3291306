// SPDX-License-Identifier: GPL-2.0-only
/*
 * nl-secret OWNER CASE
 *
 * Sends one key-new request carrying canary key material over a raw
 * generic netlink socket (no libnl, no libksf) that asks for full error
 * acks: NETLINK_CAP_ACK off, so an error ack echoes the whole request as
 * the kernel holds it when the ack is built, and NETLINK_EXT_ACK on.
 * The request is built to take the failing path CASE:
 *
 *   ok             a valid request (owner OWNER, generic, 32 bytes)
 *   no-type        no type attribute
 *   no-owner       no owner attribute
 *   unknown-owner  an owner that does not exist
 *   past           not-after in the past
 *   two-sources    material and keyring-serial
 *   len-mismatch   len 16 with 32 bytes of material
 *   too-long       65 bytes of material
 *   aes-len        an aes key of 24 bytes
 *   too-many-peers 17 peer attributes
 *   empty-peer     an empty peer attribute
 *   two-materials  two material attributes (the canary twice) and an
 *                  owner that does not exist
 *
 * Prints one line:
 *   errno E echo yes|no|capped canary absent|PRESENT material M msg "..."
 * E is the ack's error (0 on success); echo says whether the error ack
 * carried the request back; canary says whether any 8 consecutive bytes
 * of the canary appear in any datagram received for the request; M is
 * what the material attribute of the echoed request holds: zeroed (every
 * byte 0), canary (the canary as sent), other, or none (no echo or no
 * such attribute).  Exit status 0 when an answer came, 2 otherwise.
 *
 * The process's own buffer keeps the canary, of course: what this shows
 * is what the kernel's copy of the request held when the ack was built.
 */
#include <errno.h>
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

#define CANARY_MAX 65

static int fd;
static uint32_t seq = 7000;
static uint8_t tx[8192], rx[1 << 16];
static size_t txlen;
static uint8_t canary[CANARY_MAX];
static size_t canary_len;

static void put(uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(tx + txlen);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
	memset((uint8_t *)a + NLA_HDRLEN + len, 0,
	       NLA_ALIGN(NLA_HDRLEN + len) - NLA_HDRLEN - len);
	txlen += NLA_ALIGN(NLA_HDRLEN + len);
}

static void put_u32(uint16_t type, uint32_t v)
{
	put(type, &v, sizeof(v));
}

static void put_u64(uint16_t type, uint64_t v)
{
	put(type, &v, sizeof(v));
}

static void put_str(uint16_t type, const char *s)
{
	put(type, s, strlen(s) + 1);
}

static void start(uint16_t type, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)tx;
	struct genlmsghdr *g = (struct genlmsghdr *)(tx + NLMSG_HDRLEN);

	memset(tx, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++seq;
	g->cmd = cmd;
	g->version = version;
	txlen = NLMSG_HDRLEN + GENL_HDRLEN;
}

static int send_tx(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	((struct nlmsghdr *)tx)->nlmsg_len = txlen;
	if (sendto(fd, tx, txlen, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	return 0;
}

static int resolve(void)
{
	struct nlmsghdr *nlh;
	struct nlattr *a;
	int n, len;

	start(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	((struct nlmsghdr *)tx)->nlmsg_flags = NLM_F_REQUEST;
	put_str(CTRL_ATTR_FAMILY_NAME, KSF_FAMILY_NAME);
	if (send_tx())
		return -errno;
	n = recv(fd, rx, sizeof(rx), 0);
	if (n < 0)
		return -errno;
	nlh = (struct nlmsghdr *)rx;
	if (!NLMSG_OK(nlh, (unsigned int)n) || nlh->nlmsg_type != GENL_ID_CTRL)
		return -ENOENT;
	a = (struct nlattr *)((uint8_t *)NLMSG_DATA(nlh) + GENL_HDRLEN);
	len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN) {
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			return *(uint16_t *)((uint8_t *)a + NLA_HDRLEN);
		len -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((uint8_t *)a + NLA_ALIGN(a->nla_len));
	}
	return -ENOENT;
}

/* Any 8 consecutive canary bytes in buf? */
static bool has_canary(const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i + 8 <= canary_len; i++)
		if (memmem(buf, len, canary + i, 8))
			return true;
	return false;
}

/* What the material attribute of the echoed request (nlh) holds. */
static const char *echoed_material(const struct nlmsghdr *nlh)
{
	const struct nlattr *a;
	int len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	size_t i, n;

	a = (const struct nlattr *)((const uint8_t *)NLMSG_DATA(nlh) +
				    GENL_HDRLEN);
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= len) {
		if ((a->nla_type & NLA_TYPE_MASK) == KSF_A_KEY_MATERIAL) {
			const uint8_t *d = (const uint8_t *)a + NLA_HDRLEN;

			n = a->nla_len - NLA_HDRLEN;
			for (i = 0; i < n && !d[i]; i++)
				;
			if (i == n)
				return "zeroed";
			if (n == canary_len && !memcmp(d, canary, n))
				return "canary";
			return "other";
		}
		len -= NLA_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const uint8_t *)a +
					    NLA_ALIGN(a->nla_len));
	}
	return "none";
}

static void ext_msg(const struct nlmsghdr *nlh, size_t off, char *msg,
		    size_t size)
{
	int len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - (int)off;
	const struct nlattr *a;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	a = (const struct nlattr *)((const uint8_t *)NLMSG_DATA(nlh) + off);
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= len) {
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
			snprintf(msg, size, "%.*s", a->nla_len - NLA_HDRLEN,
				 (const char *)a + NLA_HDRLEN);
		len -= NLA_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const uint8_t *)a +
					    NLA_ALIGN(a->nla_len));
	}
}

static void set_canary(size_t len)
{
	static const char pat[] = "nlSecretCanary#Q7x";
	size_t i;

	for (i = 0; i < len; i++)
		canary[i] = pat[i % (sizeof(pat) - 1)];
	canary_len = len;
}

/* Builds the key-new request of a case; false if the case is unknown. */
static bool build(int family, const char *owner, const char *c)
{
	uint32_t type = KSF_KEY_TYPE_GENERIC;
	int i;

	set_canary(32);
	if (!strcmp(c, "too-long"))
		set_canary(65);
	else if (!strcmp(c, "aes-len"))
		set_canary(24);
	start(family, KSF_CMD_KEY_NEW, KSF_FAMILY_VERSION);
	if (!strcmp(c, "aes-len"))
		type = KSF_KEY_TYPE_AES;
	if (strcmp(c, "no-type"))
		put_u32(KSF_A_KEY_TYPE, type);
	if (!strcmp(c, "unknown-owner") || !strcmp(c, "two-materials"))
		put_str(KSF_A_KEY_OWNER, "nl-secret-no-such-peer");
	else if (strcmp(c, "no-owner"))
		put_str(KSF_A_KEY_OWNER, owner);
	if (!strcmp(c, "past"))
		put_u64(KSF_A_KEY_NOT_AFTER, 1);
	if (!strcmp(c, "two-sources"))
		put_u32(KSF_A_KEY_KEYRING_SERIAL, 1);
	if (!strcmp(c, "len-mismatch"))
		put_u32(KSF_A_KEY_LEN, 16);
	if (!strcmp(c, "too-many-peers"))
		for (i = 0; i < 17; i++)
			put_str(KSF_A_KEY_PEER, owner);
	if (!strcmp(c, "empty-peer"))
		put_str(KSF_A_KEY_PEER, "");
	if (!strcmp(c, "two-materials"))
		put(KSF_A_KEY_MATERIAL, canary, canary_len);
	put(KSF_A_KEY_MATERIAL, canary, canary_len);
	return !strcmp(c, "two-materials") || !strcmp(c, "ok") || !strcmp(c, "no-type") ||
	       !strcmp(c, "no-owner") || !strcmp(c, "unknown-owner") ||
	       !strcmp(c, "past") || !strcmp(c, "two-sources") ||
	       !strcmp(c, "len-mismatch") || !strcmp(c, "too-long") ||
	       !strcmp(c, "aes-len") || !strcmp(c, "too-many-peers") ||
	       !strcmp(c, "empty-peer");
}

int main(int argc, char **argv)
{
	struct timeval tv = { .tv_sec = 10 };
	const char *material = "none", *echo = "no";
	bool leaked = false, done = false;
	int one = 1, zero = 0, family, err = 0;
	char msg[256] = "";

	if (argc != 3) {
		fprintf(stderr, "usage: nl-secret OWNER CASE\n");
		return 2;
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0) {
		perror("nl-secret: socket");
		return 2;
	}
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &zero, sizeof(zero)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		perror("nl-secret: setsockopt");
		return 2;
	}
	family = resolve();
	if (family < 0) {
		fprintf(stderr, "nl-secret: ksf family: %s\n", strerror(-family));
		return 2;
	}
	if (!build(family, argv[1], argv[2])) {
		fprintf(stderr, "nl-secret: unknown case %s\n", argv[2]);
		return 2;
	}
	if (send_tx()) {
		perror("nl-secret: send");
		return 2;
	}
	while (!done) {
		int n = recv(fd, rx, sizeof(rx), 0);
		struct nlmsghdr *r;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			perror("nl-secret: recv");
			return 2;
		}
		leaked |= has_canary(rx, n);
		for (r = (struct nlmsghdr *)rx; NLMSG_OK(r, (unsigned int)n);
		     r = NLMSG_NEXT(r, n)) {
			struct nlmsgerr *e = NLMSG_DATA(r);
			size_t off = sizeof(*e);

			if (r->nlmsg_seq != seq || r->nlmsg_type != NLMSG_ERROR)
				continue;
			err = e->error;
			done = true;
			if (r->nlmsg_flags & NLM_F_CAPPED) {
				echo = err ? "capped" : "no";
			} else {
				off += e->msg.nlmsg_len - NLMSG_HDRLEN;
				if (err) {
					echo = "yes";
					material = echoed_material(&e->msg);
				}
			}
			ext_msg(r, off, msg, sizeof(msg));
			break;
		}
	}
	printf("errno %d echo %s canary %s material %s msg \"%s\"\n", err,
	       echo, leaked ? "PRESENT" : "absent", material, msg);
	return 0;
}
