// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of ksf-relayd's frames, TCP prefixes, addresses and routes
 * (user/relayd/frame.c): every field at and around its bounds.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "tap.h"

static uint8_t buf[FRAME_MAX + 2];

/* A frame of blob_len bytes (0x5a) with hops, in buf; its length. */
static size_t mkframe(uint8_t hops, size_t blob_len)
{
	frame_header(buf, hops);
	memset(buf + FRAME_HDR_LEN, 0x5a, blob_len);
	return FRAME_HDR_LEN + blob_len;
}

static int parse(size_t len, struct frame *f, const char **why)
{
	return frame_parse(buf, len, f, why);
}

static void test_frame(void)
{
	struct frame f;
	const char *why;
	size_t i, len;

	len = mkframe(7, 100);
	CHECK(!memcmp(buf, "KSFR\x01\x07\x00\x00", 8));
	CHECK(!parse(len, &f, &why) && f.hops == 7 && f.len == 100 &&
	      f.blob == buf + 8 && !why);
	CHECK(!parse(mkframe(0, 1), &f, &why) && f.hops == 0 && f.len == 1);
	CHECK(!parse(mkframe(255, KSF_MSG_MAX), &f, &why) &&
	      f.len == KSF_MSG_MAX);
	CHECK(parse(mkframe(8, KSF_MSG_MAX + 1), &f, &why) &&
	      strstr(why, "msg-max"));
	CHECK(parse(mkframe(8, 0), &f, &why) && strstr(why, "without a blob"));
	for (i = 0; i < FRAME_HDR_LEN; i++)
		CHECK(parse(i, &f, &why) && strstr(why, "shorter"));
	len = mkframe(8, 10);
	for (i = 0; i < 4; i++) {
		buf[i] ^= 0x20;
		CHECK(parse(len, &f, &why) && strstr(why, "KSFR"));
		buf[i] ^= 0x20;
	}
	buf[4] = 2;
	CHECK(parse(len, &f, &why) && strstr(why, "version"));
	buf[4] = 0;
	CHECK(parse(len, &f, &why) && strstr(why, "version"));
	buf[4] = 1;
	buf[6] = 1;
	CHECK(parse(len, &f, &why) && strstr(why, "reserved"));
	buf[6] = 0;
	buf[7] = 0x80;
	CHECK(parse(len, &f, &why) && strstr(why, "reserved"));
	buf[7] = 0;
	CHECK(!parse(len, &f, &why));
}

static void test_tcp_len(void)
{
	uint8_t p[FRAME_TCP_LEN];
	const char *why;
	uint32_t len;

	frame_tcp_prefix(p, 0x01020304);
	CHECK(!memcmp(p, "\x01\x02\x03\x04", 4));
	CHECK(frame_tcp_len(p, &len, &why) && len == 0x01020304 &&
	      strstr(why, "msg-max"));
	frame_tcp_prefix(p, FRAME_MAX);
	CHECK(!frame_tcp_len(p, &len, &why) && len == FRAME_MAX);
	frame_tcp_prefix(p, FRAME_MAX + 1);
	CHECK(frame_tcp_len(p, &len, &why));
	frame_tcp_prefix(p, FRAME_HDR_LEN + 1);
	CHECK(!frame_tcp_len(p, &len, &why) && len == FRAME_HDR_LEN + 1);
	frame_tcp_prefix(p, FRAME_HDR_LEN);
	CHECK(frame_tcp_len(p, &len, &why) && strstr(why, "short"));
	frame_tcp_prefix(p, 0);
	CHECK(frame_tcp_len(p, &len, &why));
	memset(p, 0xff, sizeof(p));
	CHECK(frame_tcp_len(p, &len, &why) && len == 0xffffffff);
}

static void test_addr(void)
{
	const struct sockaddr_in6 *s6;
	const struct sockaddr_in *s4;
	struct relay_addr a;
	char eb[160];

	CHECK(!addr_parse("udp:10.1.2.3:4242", &a, eb, sizeof(eb)));
	s4 = (const struct sockaddr_in *)&a.ss;
	CHECK(a.proto == PROTO_UDP && s4->sin_family == AF_INET &&
	      ntohs(s4->sin_port) == 4242 &&
	      s4->sin_addr.s_addr == htonl(0x0a010203) &&
	      !strcmp(a.name, "udp:10.1.2.3:4242"));
	CHECK(!addr_parse("tcp:[::1]:1", &a, eb, sizeof(eb)));
	s6 = (const struct sockaddr_in6 *)&a.ss;
	CHECK(a.proto == PROTO_TCP && s6->sin6_family == AF_INET6 &&
	      ntohs(s6->sin6_port) == 1 &&
	      IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr));
	CHECK(!addr_parse("udp:0.0.0.0:65535", &a, eb, sizeof(eb)));
	CHECK(addr_parse("udp:10.0.0.1:65536", &a, eb, sizeof(eb)) &&
	      strstr(eb, "bad port"));
	CHECK(addr_parse("udp:10.0.0.1:0", &a, eb, sizeof(eb)));
	CHECK(addr_parse("udp:10.0.0.1:12x", &a, eb, sizeof(eb)));
	CHECK(addr_parse("udp:10.0.0.1:", &a, eb, sizeof(eb)));
	CHECK(addr_parse("udp:10.0.0.1", &a, eb, sizeof(eb)));
	CHECK(addr_parse("udp::53", &a, eb, sizeof(eb)));
	CHECK(addr_parse("sctp:10.0.0.1:5", &a, eb, sizeof(eb)) &&
	      strstr(eb, "udp:HOST:PORT"));
	CHECK(addr_parse("udp:::1:5", &a, eb, sizeof(eb)));
	CHECK(addr_parse("udp:[]:5", &a, eb, sizeof(eb)));
	CHECK(addr_parse("udp:[::1:5", &a, eb, sizeof(eb)));
	CHECK(addr_parse("udp:10.0.0.256:5", &a, eb, sizeof(eb)));
	memset(eb, 'x', 100);
	eb[100] = '\0';
	CHECK(addr_parse(eb, &a, eb, sizeof(eb)) && strstr(eb, "too long"));
}

static void test_route(void)
{
	struct route r;
	char eb[160];

	CHECK(!route_parse("0123456789abcdef=udp:10.0.0.2:7", &r, eb, sizeof(eb)));
	CHECK(!r.is_default && r.key_id == 0x0123456789abcdefull &&
	      r.to.proto == PROTO_UDP);
	CHECK(!route_parse("FFFFFFFFFFFFFFFF=tcp:10.0.0.2:7", &r, eb, sizeof(eb)) &&
	      r.key_id == UINT64_MAX && r.to.proto == PROTO_TCP);
	CHECK(!route_parse("default=tcp:10.0.0.2:7", &r, eb, sizeof(eb)) &&
	      r.is_default);
	CHECK(route_parse("0123456789abcde=udp:10.0.0.2:7", &r, eb, sizeof(eb)) &&
	      strstr(eb, "16 hex digits"));
	CHECK(route_parse("0123456789abcdef0=udp:10.0.0.2:7", &r, eb, sizeof(eb)));
	CHECK(route_parse("0123456789abcdeg=udp:10.0.0.2:7", &r, eb, sizeof(eb)));
	CHECK(route_parse("+123456789abcdef=udp:10.0.0.2:7", &r, eb, sizeof(eb)));
	CHECK(route_parse("defaults=udp:10.0.0.2:7", &r, eb, sizeof(eb)));
	CHECK(route_parse("udp:10.0.0.2:7", &r, eb, sizeof(eb)) &&
	      strstr(eb, "KEYID=ADDR"));
	CHECK(route_parse("default=udp:10.0.0.2", &r, eb, sizeof(eb)));
}

int main(void)
{
	test_frame();
	test_tcp_len();
	test_addr();
	test_route();
	return tap_done();
}
