/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ksf-relayd's wire format and addresses, apart from the daemon so that
 * the unit tests can take them (user/tests/relayd.c).
 *
 * A frame: "KSFR" | version u8 (1) | hops u8 | reserved u16 (0) | blob.
 * One frame per UDP datagram; on TCP each frame follows its length, a
 * be32 that counts the frame (header and blob).
 */
#ifndef KSF_RELAYD_FRAME_H
#define KSF_RELAYD_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <linux/ksf.h>

#define FRAME_HDR_LEN	8
#define FRAME_VERSION	1
#define FRAME_HOPS	8		/* a new frame's hops */
#define FRAME_MAX	(FRAME_HDR_LEN + KSF_MSG_MAX)
#define FRAME_TCP_LEN	4		/* the be32 before a frame on TCP */

struct frame {
	uint8_t hops;
	const uint8_t *blob;
	size_t len;
};

/* 0, or -1 with *why the reason (a constant string); blob points into p. */
int frame_parse(const uint8_t *p, size_t n, struct frame *f, const char **why);
/* The header of a frame of blob_len bytes into out[FRAME_HDR_LEN]. */
void frame_header(uint8_t *out, uint8_t hops);
/* The frame length a TCP prefix announces: 0, or -1 with *why. */
int frame_tcp_len(const uint8_t p[FRAME_TCP_LEN], uint32_t *len,
		  const char **why);
void frame_tcp_prefix(uint8_t out[FRAME_TCP_LEN], uint32_t len);

enum relay_proto { PROTO_UDP = 1, PROTO_TCP };

struct relay_addr {
	enum relay_proto proto;
	struct sockaddr_storage ss;
	socklen_t len;
	char name[80];		/* "udp:ADDR:PORT" as given, for the logs */
};

/* "udp:HOST:PORT" or "tcp:HOST:PORT" (HOST may be [v6]): 0 or -1, eb set. */
int addr_parse(const char *s, struct relay_addr *a, char *eb, size_t es);

struct route {
	bool is_default;
	uint64_t key_id;
	struct relay_addr to;
};

/* "KEYID=ADDR" (16 hex digits) or "default=ADDR": 0 or -1, eb set. */
int route_parse(const char *s, struct route *r, char *eb, size_t es);

#endif
