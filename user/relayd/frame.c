// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksf-relayd: frames and addresses (frame.h).  Nothing here allocates
 * or logs: callers get a reason and decide.
 */
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

static const uint8_t magic[4] = { 'K', 'S', 'F', 'R' };

static int fail(char *eb, size_t es, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(eb, es, fmt, ap);
	va_end(ap);
	return -1;
}

int frame_parse(const uint8_t *p, size_t n, struct frame *f, const char **why)
{
	if (n < FRAME_HDR_LEN)
		*why = "shorter than a frame header";
	else if (memcmp(p, magic, sizeof(magic)))
		*why = "not a ksf-relayd frame (no \"KSFR\")";
	else if (p[4] != FRAME_VERSION)
		*why = "frame version not supported";
	else if (p[6] || p[7])
		*why = "reserved frame bytes not zero";
	else if (n > FRAME_MAX)
		*why = "longer than a frame of msg-max";
	else if (n == FRAME_HDR_LEN)
		*why = "a frame without a blob";
	else
		*why = NULL;
	if (*why)
		return -1;
	f->hops = p[5];
	f->blob = p + FRAME_HDR_LEN;
	f->len = n - FRAME_HDR_LEN;
	return 0;
}

void frame_header(uint8_t *out, uint8_t hops)
{
	memcpy(out, magic, sizeof(magic));
	out[4] = FRAME_VERSION;
	out[5] = hops;
	out[6] = 0;
	out[7] = 0;
}

int frame_tcp_len(const uint8_t p[FRAME_TCP_LEN], uint32_t *len,
		  const char **why)
{
	*len = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
	if (*len <= FRAME_HDR_LEN)
		*why = "frame length too short";
	else if (*len > FRAME_MAX)
		*why = "frame length over msg-max";
	else
		return 0;
	return -1;
}

void frame_tcp_prefix(uint8_t out[FRAME_TCP_LEN], uint32_t len)
{
	out[0] = len >> 24;
	out[1] = len >> 16;
	out[2] = len >> 8;
	out[3] = len;
}

/* HOST:PORT or [HOST]:PORT split in place; NULL host or port: malformed. */
static void host_port(char *s, char **host, char **port)
{
	char *c = strrchr(s, ':');

	*host = NULL;
	*port = NULL;
	if (!c || c == s || !c[1])
		return;
	*c = '\0';
	*port = c + 1;
	if (*s != '[') {
		*host = strchr(s, ':') ? NULL : s;	/* v6 needs brackets */
		return;
	}
	if (c[-1] == ']' && c - s > 2) {
		c[-1] = '\0';
		*host = s + 1;
	}
}

static int resolve(const char *host, const char *port, struct relay_addr *a,
		   char *eb, size_t es)
{
	struct addrinfo hints = {
		.ai_flags = AI_NUMERICSERV,
		.ai_socktype = a->proto == PROTO_UDP ? SOCK_DGRAM : SOCK_STREAM,
	};
	struct addrinfo *res;
	char *end;
	long n;
	int err;

	n = strtol(port, &end, 10);
	if (*end || n < 1 || n > 65535)
		return fail(eb, es, "%s: bad port \"%s\"", a->name, port);
	err = getaddrinfo(host, port, &hints, &res);
	if (err)
		return fail(eb, es, "%s: %s", a->name, gai_strerror(err));
	memcpy(&a->ss, res->ai_addr, res->ai_addrlen);
	a->len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

int addr_parse(const char *s, struct relay_addr *a, char *eb, size_t es)
{
	char buf[sizeof(a->name)], *host, *port;

	memset(a, 0, sizeof(*a));
	if (strlen(s) >= sizeof(a->name))
		return fail(eb, es, "address too long: \"%.20s...\"", s);
	strcpy(a->name, s);
	if (!strncmp(s, "udp:", 4))
		a->proto = PROTO_UDP;
	else if (!strncmp(s, "tcp:", 4))
		a->proto = PROTO_TCP;
	else
		return fail(eb, es, "%s: not udp:HOST:PORT or tcp:HOST:PORT", s);
	strcpy(buf, s + 4);
	host_port(buf, &host, &port);
	if (!host || !port)
		return fail(eb, es, "%s: not udp:HOST:PORT or tcp:HOST:PORT", s);
	return resolve(host, port, a, eb, es);
}

static int key_id_parse(const char *s, size_t n, uint64_t *id)
{
	size_t i;

	if (n != 16)
		return -1;
	for (i = 0; i < n; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
			return -1;
	*id = strtoull(s, NULL, 16);
	return 0;
}

int route_parse(const char *s, struct route *r, char *eb, size_t es)
{
	const char *eq = strchr(s, '=');
	size_t n;

	memset(r, 0, sizeof(*r));
	if (!eq)
		return fail(eb, es, "route \"%s\": not KEYID=ADDR or default=ADDR",
			    s);
	n = eq - s;
	if (n == 7 && !strncmp(s, "default", 7))
		r->is_default = true;
	else if (key_id_parse(s, n, &r->key_id))
		return fail(eb, es, "route \"%s\": a key id is 16 hex digits", s);
	return addr_parse(eq + 1, &r->to, eb, es);
}
