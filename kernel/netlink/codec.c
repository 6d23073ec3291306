// SPDX-License-Identifier: GPL-2.0-only
/*
 * The service families on the wire (codec.h).  A field's index in its
 * family's table is its attribute number in the nest and its presence
 * bit, so decoding is: parse the nest, store each attribute given at
 * its field's offset, set its bit.
 */
#include <linux/bitops.h>

#include "compat.h"
#include "codec.h"

static const struct ksf_family_nl *family_nl(u32 family)
{
	return ksf_family_layout(family) ? &ksf_family_nls[family] : NULL;
}

static u32 *u32_at(const void *base, u16 off)
{
	return (u32 *)((u8 *)base + off);
}

static int too_long(const struct ksf_field *f, char *reason, size_t len)
{
	if (f->max_name) {
		snprintf(reason, len, "%s longer than %s", f->name, f->max_name);
		return -EMSGSIZE;
	}
	snprintf(reason, len, "%s longer than %u bytes", f->name, f->max);
	return f->multi ? -E2BIG : -EINVAL;
}

/* Stores attribute @a, a scalar of @type or a string, at @p. */
static void get_value(u8 type, const struct nlattr *a, void *p)
{
	switch (type) {
	case KSF_FIELD_U8:
		*(u8 *)p = nla_get_u8(a);
		break;
	case KSF_FIELD_U32:
		*(u32 *)p = nla_get_u32(a);
		break;
	case KSF_FIELD_U64:
		*(u64 *)p = nla_get_u64(a);
		break;
	default:	/* KSF_FIELD_STRING */
		*(const char **)p = nla_data(a);
		break;
	}
}

/* Puts the scalar or string of @type at @p as attribute @attr. */
static int put_value(struct sk_buff *skb, u16 attr, u8 type, const void *p,
		     u16 pad)
{
	switch (type) {
	case KSF_FIELD_U8:
		return nla_put_u8(skb, attr, *(const u8 *)p);
	case KSF_FIELD_U32:
		return nla_put_u32(skb, attr, *(const u32 *)p);
	case KSF_FIELD_U64:
		return nla_put_u64_64bit(skb, attr, *(const u64 *)p, pad);
	default:	/* KSF_FIELD_STRING */
		return nla_put_string(skb, attr, *(const char *const *)p);
	}
}

void ksf_nl_split(struct nlattr **tb, int max, const struct nlattr *nest)
{
	const struct nlattr *a;
	int rem;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) <= max)
			tb[nla_type(a)] = (struct nlattr *)a;
}

u32 ksf_nl_get_attrs(struct nlattr **tb, const struct ksf_nl_attr *attrs,
		     size_t n, void *base)
{
	u32 present = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!tb[attrs[i].attr])
			continue;
		get_value(attrs[i].type, tb[attrs[i].attr],
			  (u8 *)base + attrs[i].off);
		present |= attrs[i].bit;
	}
	return present;
}

int ksf_nl_put_attrs(struct sk_buff *skb, const struct ksf_nl_attr *attrs,
		     size_t n, const void *base, u32 present, u16 pad)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (attrs[i].bit && !(present & attrs[i].bit))
			continue;
		if (put_value(skb, attrs[i].attr, attrs[i].type,
			      (const u8 *)base + attrs[i].off, pad))
			return -EMSGSIZE;
	}
	return 0;
}

/* Stores attribute @a as field @f at @p (the policy checked its type). */
static int get_field(const struct ksf_field *f, const struct nlattr *a,
		     void *p, char *reason, size_t len)
{
	struct ksf_bytes *b = p;

	if (f->type != KSF_FIELD_BYTES && f->type != KSF_FIELD_STRING) {
		get_value(f->type, a, p);
		return 0;
	}
	if (f->max && nla_len(a) > f->max)
		return too_long(f, reason, len);
	if (f->type == KSF_FIELD_STRING) {
		get_value(f->type, a, p);
		return 0;
	}
	b->data = nla_data(a);
	b->len = nla_len(a);
	return 0;
}

/* Repeated fields, in the order given: each one a seq entry. */
static int decode_seq(const struct ksf_family_layout *l,
		      const struct nlattr *nest, u8 *args,
		      char *reason, size_t len)
{
	u32 *n_seq = u32_at(args, l->n_seq_off);
	const struct nlattr *a;
	int rem, ret;

	nla_for_each_nested(a, nest, rem) {
		u32 type = nla_type(a);
		u8 *entry;

		if (type >= l->n_args || !l->args[type].multi)
			continue;
		if (*n_seq == l->seq_max) {
			snprintf(reason, len, "more than %u %s", l->seq_max,
				 l->seq_names);
			return -E2BIG;
		}
		entry = args + l->seq_off + *n_seq * l->seq_size;
		ret = get_field(&l->args[type], a, entry + l->args[type].off,
				reason, len);
		if (ret)
			return ret;
		*u32_at(entry, 0) = BIT(type);
		*u32_at(args, l->present_off) |= BIT(type);
		(*n_seq)++;
	}
	return 0;
}

static int decode_family(u32 family, const struct nlattr *nest, u8 *args,
			 char *reason, size_t len)
{
	const struct ksf_family_layout *l = ksf_family_layout(family);
	const struct ksf_family_nl *nl = &ksf_family_nls[family];
	struct nlattr *tb[KSF_ARGS_INDEX_MAX + 1];
	u32 i;
	int ret;

	ksf_nl_split(tb, nl->item_max, nest);
	for (i = 1; i < l->n_args; i++) {
		const struct ksf_field *f = &l->args[i];

		if (f->type == KSF_FIELD_NONE || f->multi || !tb[i])
			continue;
		ret = get_field(f, tb[i], args + f->off, reason, len);
		if (ret)
			return ret;
		*u32_at(args, l->present_off) |= BIT(i);
	}
	return l->seq_size ? decode_seq(l, nest, args, reason, len) : 0;
}

int ksf_args_decode(u32 service, struct nlattr **tb, union ksf_args *args,
		    char *reason, size_t len)
{
	u32 fam = ksf_service_family(service), i;

	memset(args, 0, sizeof(*args));
	for (i = 1; i < __KSF_FAMILY_MAX; i++) {
		if (i == fam || !tb[ksf_family_nls[i].item_attr])
			continue;
		snprintf(reason, len, "%s takes no %s nest",
			 ksf_service_name(service), ksf_family_name(i));
		return -EINVAL;
	}
	if (!fam || !tb[ksf_family_nls[fam].item_attr])
		return 0;
	return decode_family(fam, tb[ksf_family_nls[fam].item_attr],
			     (u8 *)args, reason, len);
}

/* Puts field @f of the struct at @base as attribute @attr. */
static int put_field(struct sk_buff *skb, u16 attr, const struct ksf_field *f,
		     const u8 *base, u16 pad)
{
	const void *p = base + f->off;
	const struct ksf_bytes *b = p;
	u32 n;

	switch (f->type) {
	case KSF_FIELD_BYTES:
		return nla_put(skb, attr, b->len, b->data);
	case KSF_FIELD_INLINE:
	case KSF_FIELD_OWNED:
		n = *u32_at(base, f->len_off);
		if (n > f->max)
			return -EMSGSIZE;
		if (f->type == KSF_FIELD_OWNED)
			p = *(const u8 *const *)p;
		return nla_put(skb, attr, n, p);
	}
	return put_value(skb, attr, f->type, p, pad);
}

static int put_seq(struct sk_buff *skb, const struct ksf_family_layout *l,
		   const u8 *args, u16 pad)
{
	u32 n_seq = *u32_at(args, l->n_seq_off), j;

	for (j = 0; j < n_seq; j++) {
		const u8 *entry = args + l->seq_off + j * l->seq_size;
		int i = ffs(*u32_at(entry, 0)) - 1;	/* -1: no field */

		if (i > 0 && i < l->n_args && l->args[i].multi &&
		    put_field(skb, i, &l->args[i], entry, pad))
			return -EMSGSIZE;
	}
	return 0;
}

/* Puts the fields @present names of the struct at @base, in a nest. */
static int put_nest(struct sk_buff *skb, u16 nest_attr, u16 pad,
		    const struct ksf_family_layout *l,
		    const struct ksf_field *fields, u32 n, const u8 *base,
		    u32 present)
{
	struct nlattr *nest;
	u32 i;

	if (!present)
		return 0;
	nest = nla_nest_start(skb, nest_attr);
	if (!nest)
		return -EMSGSIZE;
	for (i = 1; i < n; i++)
		if (!fields[i].multi && present & BIT(i) &&
		    put_field(skb, i, &fields[i], base, pad))
			break;
	if (i < n || (l && l->seq_size && put_seq(skb, l, base, pad))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

int ksf_args_encode(struct sk_buff *skb, u32 family,
		    const union ksf_args *args)
{
	const struct ksf_family_layout *l = ksf_family_layout(family);
	const struct ksf_family_nl *nl = family_nl(family);

	if (!l)
		return 0;
	return put_nest(skb, nl->item_attr, nl->item_pad, l, l->args,
			l->n_args, (const u8 *)args,
			*u32_at(args, l->present_off));
}

int ksf_out_encode(struct sk_buff *skb, u32 family, const union ksf_out *out)
{
	const struct ksf_family_layout *l = ksf_family_layout(family);
	const struct ksf_family_nl *nl = family_nl(family);

	if (!l || !l->out)
		return 0;
	return put_nest(skb, nl->result_attr, nl->result_pad, NULL, l->out,
			l->n_out, (const u8 *)out,
			*u32_at(out, l->out_present_off));
}
