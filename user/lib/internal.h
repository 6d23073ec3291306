/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libksf internals, shared by its files: the handle, the message builder,
 * the exchange, attribute getters and the generated field tables' types.
 * Every name here is hidden (-fvisibility=hidden and the version script)
 * and prefixed with ksfl_ (by the defines below), so that it cannot clash
 * with the program's own names when libksf.a is linked statically.
 */
#ifndef LIBKSF_INTERNAL_H
#define LIBKSF_INTERNAL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
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

#define KSF_EXPORT __attribute__((visibility("default")))

/* A peer message: the policy's lists (at most policy-lists-max) and room */
#define KSF_PEER_RX	(KSF_POLICY_LISTS_MAX + 8192)

struct ksf {
	pthread_mutex_t lock;		/* request socket and buffers */
	struct nl_sock *sk;
	int fd;
	uint32_t seq;
	int family;
	int version;
	int mcgrp;			/* events group ID, 0 if none */
	uint8_t op_perm[256];		/* GENL_*ADMIN_PERM of each command */
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

/* ---- Internal names ----------------------------------------------------- */

#define tls_err		ksfl_tls_err
#define err_clear	ksfl_err_clear
#define err_set		ksfl_err_set
#define buf_grow	ksfl_buf_grow
#define mb_reserve	ksfl_mb_reserve
#define mb_room		ksfl_mb_room
#define mb_put		ksfl_mb_put
#define mb_u8		ksfl_mb_u8
#define mb_u32		ksfl_mb_u32
#define mb_s32		ksfl_mb_s32
#define mb_u64		ksfl_mb_u64
#define mb_str		ksfl_mb_str
#define mb_buf		ksfl_mb_buf
#define mb_nest		ksfl_mb_nest
#define mb_nest_end	ksfl_mb_nest_end
#define mb_init		ksfl_mb_init
#define a_u8		ksfl_a_u8
#define a_u32		ksfl_a_u32
#define a_u64		ksfl_a_u64
#define a_str		ksfl_a_str
#define a_strcpy	ksfl_a_strcpy
#define xchg		ksfl_xchg
#define msg_attrs	ksfl_msg_attrs
#define msg_parse	ksfl_msg_parse
#define arena_alloc	ksfl_arena_alloc
#define arena_free	ksfl_arena_free
#define begin		ksfl_begin
#define end		ksfl_end

/* ---- Errors (per thread) ------------------------------------------------ */

extern __thread char tls_err[512];
void err_clear(void);
__attribute__((format(printf, 2, 3)))
int err_set(int err, const char *fmt, ...);

#define CHECK_HANDLE(h)						\
	do {							\
		if (!(h)) {					\
			err_clear();				\
			return err_set(-EINVAL, "no handle");	\
		}						\
	} while (0)

/* ---- Message builder (in the handle's tx buffer) ------------------------- */

struct mb {
	struct ksf *h;
	size_t len;
	int err;
};

int buf_grow(uint8_t **buf, size_t *cap, size_t need, size_t used);
/* NLMSG_ALIGN(n) bytes at the end of the message, for the caller to fill */
void *mb_room(struct mb *m, size_t n);
/* The same, zeroed */
void *mb_reserve(struct mb *m, size_t n);
void mb_put(struct mb *m, uint16_t type, const void *data, size_t len);
void mb_u8(struct mb *m, uint16_t type, uint8_t v);
void mb_u32(struct mb *m, uint16_t type, uint32_t v);
void mb_s32(struct mb *m, uint16_t type, int32_t v);
void mb_u64(struct mb *m, uint16_t type, uint64_t v);
void mb_str(struct mb *m, uint16_t type, const char *s);
void mb_buf(struct mb *m, uint16_t type, const struct ksf_buf *b);
size_t mb_nest(struct mb *m, uint16_t type);
void mb_nest_end(struct mb *m, size_t off);
void mb_init(struct mb *m, struct ksf *h, uint8_t cmd);

/*
 * Writes an attribute of len bytes of data (and its padding, zeroed) at p,
 * which has room for NLA_ALIGN(NLA_HDRLEN + len); returns the end.
 * Inline, so that a constant len becomes plain stores.
 */
static inline uint8_t *attr_write(uint8_t *p, uint16_t type, const void *data,
				  size_t len)
{
	struct nlattr *a = (struct nlattr *)p;
	size_t pad = NLA_ALIGN(len) - len;

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	p += NLA_HDRLEN;
	if (len)
		memcpy(p, data, len);
	if (pad)
		memset(p + len, 0, pad);
	return p + NLA_ALIGN(len);
}

/* The header of a nest of size bytes (header included) at p; returns the end. */
static inline uint8_t *nest_write(uint8_t *p, uint16_t type, size_t size)
{
	struct nlattr *a = (struct nlattr *)p;

	a->nla_type = type | NLA_F_NESTED;
	a->nla_len = size;
	return p + NLA_HDRLEN;
}

/* Lock the handle, clear the thread's error, start a ksf message. */
void begin(struct ksf *h, struct mb *m, uint8_t cmd);
/* Unlock; returns ret. */
int end(struct ksf *h, int ret);

/* ---- Exchange ------------------------------------------------------------ */

enum xmode { X_ACK, X_REPLY, X_DUMP };

typedef int (*msg_fn)(struct ksf *h, struct nlmsghdr *nlh, void *arg);

#define KSF_CAP_MSG "needs CAP_NET_ADMIN over the network namespace's user namespace"

/* One recv into *buf (grown as needed); @peek sizes it first. */
int sock_recv(int fd, uint8_t **buf, size_t *cap, bool peek);
/* The extended ack of error reply @nlh (its TLVs from @off) into the error. */
void parse_extack(struct nlmsghdr *nlh, size_t off, int err);

/*
 * Send the built message and process replies until the exchange ends.
 * rx_bound: upper bound of one reply message's size (0: small).
 */
int xchg(struct mb *m, enum xmode mode, uint16_t type, size_t rx_bound,
	 msg_fn fn, void *arg);
/* The attributes of a generic netlink message, and their length. */
static inline struct nlattr *msg_attrs(struct nlmsghdr *nlh, int *len)
{
	*len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	return (struct nlattr *)((uint8_t *)nlh + NLMSG_HDRLEN + GENL_HDRLEN);
}

int msg_parse(struct nlmsghdr *nlh, struct nlattr **tb, int max);

/* ---- Attribute getters (length-checked) ---------------------------------- */

/* Inline: result decoding calls them for every attribute. */
static inline bool a_u8(const struct nlattr *a, uint8_t *v)
{
	if (!a || a->nla_len != NLA_HDRLEN + 1)
		return false;
	*v = *((const uint8_t *)a + NLA_HDRLEN);
	return true;
}

static inline bool a_u32(const struct nlattr *a, uint32_t *v)
{
	if (!a || a->nla_len != NLA_HDRLEN + 4)
		return false;
	memcpy(v, (const uint8_t *)a + NLA_HDRLEN, 4);
	return true;
}

static inline bool a_u64(const struct nlattr *a, uint64_t *v)
{
	if (!a || a->nla_len != NLA_HDRLEN + 8)
		return false;
	memcpy(v, (const uint8_t *)a + NLA_HDRLEN, 8);
	return true;
}
const char *a_str(const struct nlattr *a);
void a_strcpy(const struct nlattr *a, char *dst, size_t size);

/*
 * Walking attributes without a call per step (the hot path of result
 * decoding; libnl's nla_ok/nla_next are out-of-line calls).
 */
#define attr_for_each(pos, head, len, rem)				\
	for (pos = (head), rem = (len);					\
	     rem >= (int)NLA_HDRLEN && pos->nla_len >= NLA_HDRLEN &&	\
	     pos->nla_len <= rem;					\
	     rem -= NLA_ALIGN(pos->nla_len),				\
	     pos = (struct nlattr *)((uint8_t *)pos + NLA_ALIGN(pos->nla_len)))

#define attr_for_each_nested(pos, nest, rem)				\
	attr_for_each(pos, (struct nlattr *)((uint8_t *)(nest) + NLA_HDRLEN), \
		      (int)(nest)->nla_len - NLA_HDRLEN, rem)

static inline int attr_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}

struct arena {
	struct arena *next;
	max_align_t data[];
};

void *arena_alloc(struct arena **ar, size_t size);
void arena_free(struct arena **ar);

/* ---- Field tables (generated: ksf-fields.h, included by fields.c) -------- */

struct ksfl_name_table {
	const char *const *names;
	size_t n;
	int flags;		/* name i is the value 1 << i */
};

/* One field of an item, a result or a policy. */
struct ksfl_fdesc {
	const char *name;	/* NULL: a hole in the table */
	uint8_t kind;		/* enum ksf_kind */
	uint8_t names;		/* enum ksf_name_table + 1, or 0 */
	uint8_t multi;
	uint8_t fam;		/* 0: common, else the family's index */
	uint16_t attr;		/* attribute type in its set */
};

struct ksfl_family {
	const char *name;
	uint16_t item_nest;	/* KSF_A_ITEM_<family> */
	const struct ksfl_fdesc *item;	/* indexed by attribute type */
	size_t n_item;
	uint16_t result_nest;	/* KSF_A_RESULT_<family>, 0: none */
	const struct ksfl_fdesc *result;
	size_t n_result;
	size_t result_max;	/* largest "result" attribute, with header */
};

/* The table of t, or NULL. */
const struct ksfl_name_table *ksfl_names(enum ksf_name_table t);
/* The family (index >= 1) of service s, 0 when unknown. */
unsigned int ksfl_service_fam(uint32_t service);
const struct ksfl_family *ksfl_family(unsigned int fam);
/* The common fields of items and results, the fields of policies. */
const struct ksfl_fdesc *ksfl_item_common(size_t *n);
const struct ksfl_fdesc *ksfl_result_common(size_t *n);
const struct ksfl_fdesc *ksfl_policy_fields(size_t *n);
/* The field of a table by name (NULL: none) and by type (NULL: none). */
const struct ksfl_fdesc *ksfl_find(const struct ksfl_fdesc *t, size_t n,
				   const char *name);
/* Inline: decoding looks up every attribute it meets. */
static inline const struct ksfl_fdesc *ksfl_at(const struct ksfl_fdesc *t,
					       size_t n, unsigned int type)
{
	return type < n && t[type].name ? &t[type] : NULL;
}
/* Largest result attribute of any service. */
size_t ksfl_result_max(void);
/* The family whose result nest is attribute `type`, or NULL. */
const struct ksfl_family *ksfl_result_family(unsigned int type);
/* Fill f's description from d (value zero). */
static inline void ksfl_field_desc(const struct ksfl_fdesc *d,
				   struct ksf_field *f)
{
	memset(f, 0, sizeof(*f));
	f->name = d->name;
	f->kind = d->kind;
	f->names = d->names;
	f->multi = d->multi;
}
/* 0, or -EINVAL with the error set when v does not fit d (a u8 field). */
/* The i-th of n fields of obj into f: 0, -EINVAL (no obj or f), -ENOENT. */
int ksfl_nth(const void *obj, const void *f, size_t i, size_t n);
int ksfl_fits(const struct ksfl_fdesc *d, uint64_t v, const char *what);

/* ---- Items, results, policies (item.c, result.c, policy.c) ---------------- */

/* Put every item of l as an attribute of type `type`. */
void ksfl_put_items(struct mb *m, uint16_t type, const struct ksf_items *l);
/* Decode the item children of type `type` of a nest into a new list. */
int ksfl_get_items(const struct nlattr *nest, uint16_t type,
		   struct ksf_items **out);
/* Largest reply to a service request of these items. */
size_t ksfl_items_reply_bound(const struct ksf_items *l);

/* Decode the result attributes of type `type` among attrs (NULL: none). */
int ksfl_decode_results(struct nlattr *attrs, int len, uint16_t type,
			struct ksf_results **out);

void ksfl_put_policy(struct mb *m, uint16_t type, const struct ksf_policy *p);
int ksfl_decode_policy(struct nlattr *nest, struct ksf_policy **out);

/* ---- Peers' extensions, the channel (policy.c, channel.c) ------------------ */

#define KSFL_SESSIONS_MAX	3	/* unconfirmed, current, previous */

/* What struct ksf_peer keeps behind _priv (its ABI is fixed): one block. */
struct peer_ext {
	bool has_public_key, has_key_id;
	bool has_psk, send_psk;		/* send: set by ksf_peer_set_psk() */
	uint8_t public_key[KSF_PUBLIC_KEY_LEN];
	uint64_t psk;
	uint64_t key_id;
	uint32_t msg_refused;
	size_t n_sessions;
	struct ksf_session_info sessions[KSFL_SESSIONS_MAX];
	bool has_pair;
	uint32_t pair_generation;
	struct ksf_policy *we_run, *they_run;
};


/* The peer's extension, allocated on first use (NULL: no memory). */
static inline struct peer_ext *ksfl_peer_ext(struct ksf_peer *peer)
{
	if (!peer->_priv)
		peer->_priv = calloc(1, sizeof(struct peer_ext));
	return peer->_priv;
}

/* A peer reply's channel attributes (tb: its parsed top level). */
/* A peer-get reply into @peer (policy.c): its fields, policy and pair. */
int ksfl_decode_peer(struct nlmsghdr *nlh, struct ksf_peer *peer);
int ksfl_decode_peer_chan(struct nlmsghdr *nlh, struct nlattr **tb,
			  struct ksf_peer *peer);

/* What a msg-handshake or msg-receive reply is decoded into. */
struct ksfl_chan_reply {
	struct ksf_msgs *msgs;
	struct ksf_msg_outcome *oc;	/* NULL: no outcome expected */
	size_t n;			/* outcomes expected */
	size_t outcomes;		/* outcomes decoded */
};

/* An empty list of blobs to carry (NULL: no memory). */
struct ksf_msgs *ksfl_msgs_new(void);
/* Decode a reply's msg and outcome attributes into r. */
int ksfl_decode_chan(struct nlattr *attrs, int len, struct ksfl_chan_reply *r);

#endif
