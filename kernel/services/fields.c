// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fields of each service family, read from the generated layout
 * tables (fields.h): names, presence, deep copy of args, release of outs.
 */
#include <linux/bitops.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ksf-svc-args.h"

const struct ksf_family_layout *ksf_family_layout(u32 family)
{
	if (!family || family >= __KSF_FAMILY_MAX)
		return NULL;
	return &ksf_family_layouts[family];
}

u32 ksf_service_family(u32 service)
{
	return service < __KSF_SERVICE_MAX ? ksf_service_families[service] : 0;
}

const char *ksf_service_name(u32 service)
{
	return service < __KSF_SERVICE_MAX ? ksf_service_names[service] : NULL;
}

const char *ksf_family_name(u32 family)
{
	const struct ksf_family_layout *l = ksf_family_layout(family);

	return l ? l->name : NULL;
}

const char *ksf_arg_name(u32 family, u32 bit)
{
	const struct ksf_family_layout *l = ksf_family_layout(family);

	return l && bit < l->n_args ? l->args[bit].name : NULL;
}

u32 ksf_args_fields(u32 family)
{
	const struct ksf_family_layout *l = ksf_family_layout(family);
	u32 i, bits = 0;

	for (i = 1; l && i < l->n_args; i++)
		if (l->args[i].type != KSF_FIELD_NONE)
			bits |= BIT(i);
	return bits;
}

u32 ksf_args_present(u32 family, const union ksf_args *args)
{
	const struct ksf_family_layout *l = ksf_family_layout(family);

	return l ? *(const u32 *)((const u8 *)args + l->present_off) : 0;
}

/*
 * The bytes field @f at @p points at; with @buf, they move there (an
 * empty one points nowhere).
 */
static size_t field_bytes(const struct ksf_field *f, void *p, u8 *buf)
{
	struct ksf_bytes *b = p;
	const char **s = p;
	size_t n;

	if (f->type == KSF_FIELD_BYTES) {
		if (buf && b->len)
			b->data = memcpy(buf, b->data, b->len);
		else if (buf)
			b->data = NULL;
		return b->len;
	}
	if (f->type != KSF_FIELD_STRING || !*s)
		return 0;
	n = strlen(*s) + 1;
	if (buf)
		*s = memcpy(buf, *s, n);
	return n;
}

/*
 * The bytes every field of @args points at (repeated ones in each seq
 * entry); with @buf, they move there one after another.
 */
static size_t args_bytes(const struct ksf_family_layout *l, u8 *args,
			 u8 *buf)
{
	u32 n_seq = l->seq_size ? *(u32 *)(args + l->n_seq_off) : 0;
	size_t n = 0;
	u32 i, j;

	for (i = 1; i < l->n_args; i++) {
		const struct ksf_field *f = &l->args[i];

		if (!f->multi) {
			n += field_bytes(f, args + f->off, buf ? buf + n : NULL);
			continue;
		}
		for (j = 0; j < n_seq; j++)
			n += field_bytes(f, args + l->seq_off + j * l->seq_size +
					 f->off, buf ? buf + n : NULL);
	}
	return n;
}

size_t ksf_args_bytes(u32 family, const union ksf_args *src)
{
	const struct ksf_family_layout *l = ksf_family_layout(family);

	/* Without a buffer, args_bytes() only reads. */
	return l ? args_bytes(l, (u8 *)src, NULL) : 0;
}

void ksf_args_copy(u32 family, union ksf_args *dst,
		   const union ksf_args *src, u8 *buf)
{
	const struct ksf_family_layout *l = ksf_family_layout(family);

	if (dst != src)
		*dst = *src;
	if (l)
		args_bytes(l, (u8 *)dst, buf);
}

size_t ksf_out_nest_max(u32 family)
{
	const struct ksf_family_layout *l = ksf_family_layout(family);

	return l ? l->out_nest_max : 0;
}

void ksf_out_release(u32 family, union ksf_out *out)
{
	const struct ksf_family_layout *l = ksf_family_layout(family);
	u32 i;

	for (i = 1; l && i < l->n_out; i++)
		if (l->out[i].type == KSF_FIELD_OWNED)
			kfree_sensitive(*(u8 **)((u8 *)out + l->out[i].off));
	memzero_explicit(out, sizeof(*out));
}
