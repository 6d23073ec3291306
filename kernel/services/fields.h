/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The layout of the typed args and outs of each service family, as data.
 *
 * ksf-svc-gen.py writes one table per family (ksf-svc-args.c) from the
 * spec; fields.c (copy, release, names) and the transport's codec
 * (netlink/codec.c) are one loop over it each, whatever the family.  A
 * field's index in a table is its attribute number in the family's nest,
 * which is also its presence bit: KSF_ARG_<FAMILY>_<FIELD> == BIT(index).
 */
#ifndef _KSF_SERVICES_FIELDS_H
#define _KSF_SERVICES_FIELDS_H

#include <linux/types.h>

union ksf_args;
union ksf_out;

enum ksf_field_type {
	KSF_FIELD_NONE,		/* no field has this index */
	KSF_FIELD_U8,
	KSF_FIELD_U32,
	KSF_FIELD_U64,
	KSF_FIELD_BYTES,	/* args: struct ksf_bytes */
	KSF_FIELD_STRING,	/* args: const char *, NUL-terminated */
	KSF_FIELD_INLINE,	/* out: u8 [max] at off, u32 length at len_off */
	KSF_FIELD_OWNED,	/* out: u8 * (kmalloc) at off, u32 at len_off */
};

struct ksf_field {
	const char *name;	/* the spec's name */
	u8 type;		/* enum ksf_field_type */
	bool multi;		/* repeated: each one an entry of seq[] */
	u16 off;		/* of the value: in the args, seq entry or out */
	u16 len_off;		/* out bytes: of their length */
	u32 max;		/* bytes: the most (args: 0, the policy's) */
	const char *max_name;	/* args: the spec limit max is, or NULL */
};

struct ksf_family_layout {
	const char *name;
	const struct ksf_field *args;	/* item-<family>, by index */
	u32 n_args;
	u16 present_off;
	/* Repeated fields: entries of seq_size bytes, u32 field bit first. */
	u16 seq_off, seq_size, n_seq_off, seq_max;
	const char *seq_names;		/* "param and param-key" */
	const struct ksf_field *out;	/* result-<family>; NULL: none */
	u32 n_out;
	u16 out_present_off;
	u32 out_nest_max;
};

/* Generated (ksf-svc-args.c): by family and by service number. */
extern const struct ksf_family_layout ksf_family_layouts[];
extern const u8 ksf_service_families[];
extern const char *const ksf_service_names[];

/* Family @family's layout; NULL: no such family. */
const struct ksf_family_layout *ksf_family_layout(u32 family);
/* The family of each service (ksf-services.yaml); 0: no such service. */
u32 ksf_service_family(u32 service);
/* A service's name in the spec; NULL: no such service. */
const char *ksf_service_name(u32 service);
const char *ksf_family_name(u32 family);
/* The spec name of field bit @bit of item-<family>. */
const char *ksf_arg_name(u32 family, u32 bit);
/* Every field bit of item-<family>. */
u32 ksf_args_fields(u32 family);
/* The field bits @args of @family holds. */
u32 ksf_args_present(u32 family, const union ksf_args *args);
/* Deep copy: the bytes @src points at, in one block after @dst. */
size_t ksf_args_bytes(u32 family, const union ksf_args *src);
/*
 * @dst gets @src with every pointer moved into @buf, which holds
 * ksf_args_bytes() bytes; @dst and @src may be the same.
 */
void ksf_args_copy(u32 family, union ksf_args *dst,
		   const union ksf_args *src, u8 *buf);
/* Bytes of the largest result nest of @family (0: it has none). */
size_t ksf_out_nest_max(u32 family);
/* Frees what an out owns and wipes it. */
void ksf_out_release(u32 family, union ksf_out *out);

#endif /* _KSF_SERVICES_FIELDS_H */
