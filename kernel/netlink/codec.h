/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The service families on the wire: an item's family nest to typed args
 * and back, a typed out to a result's family nest.  One loop over each
 * family's field table (services/fields.h) and its netlink side below.
 */
#ifndef _KSF_NETLINK_CODEC_H
#define _KSF_NETLINK_CODEC_H

#include <net/netlink.h>

#include "../services/ksf-svc-args.h"

/* A family's nests (ksf-svc-gen.c, generated from the spec). */
struct ksf_family_nl {
	u16 item_attr;			/* its nest in an item */
	u16 item_max;			/* the nest's highest attribute */
	u16 item_pad;			/* 0: it has no pad */
	u16 result_attr;		/* its nest in a result; 0: none */
	u16 result_pad;
};

extern const struct ksf_family_nl ksf_family_nls[];

/* An attribute that holds one scalar or string of a struct. */
struct ksf_nl_attr {
	u16 attr;
	u8 type;			/* KSF_FIELD_U8, U32, U64 or STRING */
	u16 off;			/* of the value in the struct */
	u32 bit;			/* its presence bit; 0: none */
};

/* Attribute @attr holds @member (a KSF_FIELD_@type) of struct @st. */
#define KSF_NL_ATTR(attr, type, st, member) \
	{ attr, KSF_FIELD_##type, offsetof(struct st, member) }

/*
 * The attributes of @nest into @tb (the last of a type wins, types above
 * @max are skipped), without validating them again: only for a nest its
 * enclosing message or record was validated against, by the same
 * nested policies (genetlink does that for a request).
 */
void ksf_nl_split(struct nlattr **tb, int max, const struct nlattr *nest);

/*
 * Stores each of @attrs given in @tb into the struct at @base (strings:
 * a pointer into the message) and returns their presence bits.
 */
u32 ksf_nl_get_attrs(struct nlattr **tb, const struct ksf_nl_attr *attrs,
		     size_t n, void *base);
/* Puts each of @attrs whose bit is in @present (or has none). */
int ksf_nl_put_attrs(struct sk_buff *skb, const struct ksf_nl_attr *attrs,
		     size_t n, const void *base, u32 present, u16 pad);

/*
 * Decodes the family nests of an item whose service is @service (tb:
 * the item's attributes, validated with ksf_item_nl_policy): refuses
 * the nest of another family, checks the lengths the policies do not,
 * fills @args.  On error, @reason says which field, and the return
 * value is a negative errno.
 */
int ksf_args_decode(u32 service, struct nlattr **tb, union ksf_args *args,
		    char *reason, size_t len);
/* Puts @args as the item's nest of @family; empty args put no nest. */
int ksf_args_encode(struct sk_buff *skb, u32 family,
		    const union ksf_args *args);
/* Puts @out as the result's nest of @family; an empty out puts none. */
int ksf_out_encode(struct sk_buff *skb, u32 family,
		   const union ksf_out *out);

#endif /* _KSF_NETLINK_CODEC_H */
