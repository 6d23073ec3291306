// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libksf: service items.  An item is its service and a list of fields in
 * the order they were set; each field is described by the spec's tables
 * (ksf-fields.h).  Encoding puts the common fields into the item nest and
 * the family's into the family's nest, both in the order they were set
 * (so param and param-key keep their interleaving).
 */
#include "internal.h"

struct val {
	const struct ksfl_fdesc *d;
	uint64_t u;
	uint8_t *p;		/* STRING (with its NUL) or BINARY */
	size_t len;		/* BINARY length, STRING length without NUL */
	size_t cap;		/* bytes allocated at p */
};

struct ksf_item {
	uint32_t service;
	const struct ksfl_family *fam;	/* the service's, looked up once */
	size_t n, cap;
	struct val *v;
};

struct ksf_items {
	size_t n, cap;
	struct ksf_item **it;
};

static void val_wipe(struct val *v)
{
	if (v->p) {
		explicit_bzero(v->p, v->cap);
		free(v->p);
	}
	memset(v, 0, sizeof(*v));
}

static void item_free(struct ksf_item *it)
{
	size_t i;

	if (!it)
		return;
	for (i = 0; i < it->n; i++)
		val_wipe(&it->v[i]);
	free(it->v);
	free(it);
}

KSF_EXPORT struct ksf_items *ksf_items_new(void)
{
	return calloc(1, sizeof(struct ksf_items));
}

KSF_EXPORT void ksf_items_free(struct ksf_items *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		item_free(l->it[i]);
	free(l->it);
	free(l);
}

KSF_EXPORT size_t ksf_items_count(const struct ksf_items *l)
{
	return l ? l->n : 0;
}

KSF_EXPORT struct ksf_item *ksf_items_add(struct ksf_items *l,
					  uint32_t service)
{
	const struct ksfl_family *fam = ksfl_family(ksfl_service_fam(service));
	struct ksf_item *it;

	if (!l || !fam) {
		err_set(-EINVAL, "unknown service %" PRIu32, service);
		errno = EINVAL;
		return NULL;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 4;
		struct ksf_item **n = realloc(l->it, cap * sizeof(*n));

		if (!n) {
			errno = ENOMEM;
			return NULL;
		}
		l->it = n;
		l->cap = cap;
	}
	it = calloc(1, sizeof(*it));
	if (!it) {
		errno = ENOMEM;
		return NULL;
	}
	it->service = service;
	it->fam = fam;
	l->it[l->n++] = it;
	return it;
}

KSF_EXPORT struct ksf_item *ksf_items_get(const struct ksf_items *l, size_t i)
{
	return l && i < l->n ? l->it[i] : NULL;
}

KSF_EXPORT uint32_t ksf_item_service(const struct ksf_item *it)
{
	return it ? it->service : 0;
}

/* The description of a field of the item's service, or NULL. */
static const struct ksfl_fdesc *item_desc(const struct ksf_item *it,
					  const char *field)
{
	const struct ksfl_family *f = it->fam;
	const struct ksfl_fdesc *d, *t;
	size_t n;

	t = ksfl_item_common(&n);
	d = ksfl_find(t, n, field);
	if (!d && f)
		d = ksfl_find(f->item, f->n_item, field);
	return d;
}

/* The value of a field to set: the existing one, unless multi; or a new one. */
static struct val *val_slot(struct ksf_item *it, const struct ksfl_fdesc *d)
{
	size_t i;

	if (!d->multi)
		for (i = 0; i < it->n; i++)
			if (it->v[i].d == d)
				return &it->v[i];
	if (it->n == it->cap) {
		size_t cap = it->cap ? 2 * it->cap : 8;
		struct val *n = realloc(it->v, cap * sizeof(*n));

		if (!n)
			return NULL;
		it->v = n;
		it->cap = cap;
	}
	memset(&it->v[it->n], 0, sizeof(it->v[0]));
	it->v[it->n].d = d;
	return &it->v[it->n++];
}

/* Copy n bytes (+ a NUL for a string) into v, reusing its buffer. */
static int val_bytes(struct val *v, const void *p, size_t n, bool str)
{
	size_t need = n + (str ? 1 : 0);

	if (need > v->cap || !v->p) {
		uint8_t *b = malloc(need ? need : 1);

		if (!b)
			return -ENOMEM;
		if (v->p) {
			explicit_bzero(v->p, v->cap);
			free(v->p);
		}
		v->p = b;
		v->cap = need ? need : 1;
	} else if (v->len > n) {
		explicit_bzero(v->p + n, v->len - n);
	}
	if (n)
		memcpy(v->p, p, n);
	if (str)
		v->p[n] = '\0';
	v->len = n;
	return 0;
}

static const char *kind_name(int kind)
{
	static const char *const names[] = {
		[KSF_KIND_U8] = "u8", [KSF_KIND_U32] = "u32",
		[KSF_KIND_S32] = "s32", [KSF_KIND_U64] = "u64",
		[KSF_KIND_STRING] = "string", [KSF_KIND_BINARY] = "binary",
	};

	return kind > 0 && kind <= KSF_KIND_BINARY ? names[kind] : "?";
}

/* The field's description, if it exists and has one of the kinds. */
static const struct ksfl_fdesc *item_field(const struct ksf_item *it,
					   const char *field, int kind,
					   int kind2)
{
	const struct ksfl_fdesc *d;

	err_clear();
	if (!it) {
		err_set(-EINVAL, "no item");
		return NULL;
	}
	d = item_desc(it, field);
	if (!d) {
		err_set(-EINVAL, "%s has no field %s",
			ksf_name(KSF_NAMES_SERVICE, it->service),
			field ? field : "(null)");
		return NULL;
	}
	if (d->kind != kind && d->kind != kind2) {
		err_set(-EINVAL, "field %s is a %s, not a %s", d->name,
			kind_name(d->kind), kind_name(kind));
		return NULL;
	}
	return d;
}

static int set_int(struct ksf_item *it, const struct ksfl_fdesc *d,
		   uint64_t u)
{
	struct val *v = val_slot(it, d);

	if (!v)
		return err_set(-ENOMEM, NULL);
	v->u = u;
	return 0;
}

static int set_bytes(struct ksf_item *it, const struct ksfl_fdesc *d,
		     const void *p, size_t n)
{
	struct val *v = val_slot(it, d);
	bool str = d->kind == KSF_KIND_STRING;

	if (!v)
		return err_set(-ENOMEM, NULL);
	if (val_bytes(v, p, n, str)) {
		/* a new slot without its bytes is not a field */
		if (!v->p)
			it->n--;
		return err_set(-ENOMEM, NULL);
	}
	return 0;
}

static int set_num(struct ksf_item *it, const char *field, int kind,
		   int kind2, uint64_t v)
{
	const struct ksfl_fdesc *d = item_field(it, field, kind, kind2);

	if (!d || ksfl_fits(d, v, "field"))
		return -EINVAL;
	return set_int(it, d, v);
}

/* A string or bytes field; missing: no s / no p for n bytes. */
static int set_ptr(struct ksf_item *it, const char *field, int kind,
		   const void *p, size_t n, bool missing)
{
	const struct ksfl_fdesc *d = item_field(it, field, kind, kind);

	if (!d)
		return -EINVAL;
	if (missing)
		return err_set(-EINVAL, "field %s: no %s", d->name,
			       kind == KSF_KIND_STRING ? "string" : "bytes");
	return set_bytes(it, d, p, n);
}

KSF_EXPORT int ksf_item_set_u32(struct ksf_item *it, const char *field,
				uint32_t v)
{
	return set_num(it, field, KSF_KIND_U32, KSF_KIND_U8, v);
}

KSF_EXPORT int ksf_item_set_u64(struct ksf_item *it, const char *field,
				uint64_t v)
{
	return set_num(it, field, KSF_KIND_U64, KSF_KIND_U64, v);
}

KSF_EXPORT int ksf_item_set_str(struct ksf_item *it, const char *field,
				const char *s)
{
	return set_ptr(it, field, KSF_KIND_STRING, s, s ? strlen(s) : 0, !s);
}

KSF_EXPORT int ksf_item_set_bin(struct ksf_item *it, const char *field,
				const void *p, size_t n)
{
	return set_ptr(it, field, KSF_KIND_BINARY, p, n, !p && n);
}

KSF_EXPORT void ksf_item_unset(struct ksf_item *it, const char *field)
{
	const struct ksfl_fdesc *d;
	size_t i, j = 0;

	if (!it)
		return;
	d = item_desc(it, field);
	if (!d)
		return;
	for (i = 0; i < it->n; i++) {
		if (it->v[i].d == d)
			val_wipe(&it->v[i]);
		else
			it->v[j++] = it->v[i];
	}
	it->n = j;
}

static void val_field(const struct val *v, struct ksf_field *f)
{
	ksfl_field_desc(v->d, f);
	switch (v->d->kind) {
	case KSF_KIND_STRING:
	case KSF_KIND_BINARY:
		f->ptr = v->p;
		f->len = v->len;
		break;
	default:
		f->u = v->u;
	}
}

KSF_EXPORT int ksf_item_field(const struct ksf_item *it, size_t i,
			      struct ksf_field *f)
{
	int ret = ksfl_nth(it, f, i, it ? it->n : 0);

	if (!ret)
		val_field(&it->v[i], f);
	return ret;
}

KSF_EXPORT int ksf_item_field_info(uint32_t service, size_t i,
				   struct ksf_field *f)
{
	const struct ksfl_family *fam = ksfl_family(ksfl_service_fam(service));
	const struct ksfl_fdesc *t;
	size_t n, k;

	if (!fam || !f)
		return -EINVAL;
	t = ksfl_item_common(&n);
	for (k = 0; k < n; k++)
		if (t[k].name && !i--)
			goto found;
	t = fam->item;
	n = fam->n_item;
	for (k = 0; k < n; k++)
		if (t[k].name && !i--)
			goto found;
	return -ENOENT;
found:
	ksfl_field_desc(&t[k], f);
	return 0;
}

/* ---- Encoding ------------------------------------------------------------- */

/* The payload bytes of v's attribute. */
static size_t val_len(const struct val *v)
{
	switch (v->d->kind) {
	case KSF_KIND_U8:
		return 1;
	case KSF_KIND_U32:
	case KSF_KIND_S32:
		return 4;
	case KSF_KIND_U64:
		return 8;
	case KSF_KIND_STRING:
		return v->len + 1;
	default:
		return v->len;
	}
}

/* v as an attribute at p (room made by put_item); returns the end. */
static uint8_t *put_val(uint8_t *p, const struct val *v)
{
	uint16_t type = v->d->attr;
	uint32_t u32 = (uint32_t)v->u;
	uint8_t u8 = (uint8_t)v->u;

	switch (v->d->kind) {
	case KSF_KIND_U8:
		return attr_write(p, type, &u8, 1);
	case KSF_KIND_U32:
	case KSF_KIND_S32:
		return attr_write(p, type, &u32, 4);
	case KSF_KIND_U64:
		return attr_write(p, type, &v->u, 8);
	default:
		return attr_write(p, type, v->p, val_len(v));
	}
}

/*
 * The sizes of an item's nest and of its family's nest inside (0: none),
 * headers included; false when a value or a nest is too large for an
 * attribute.
 */
static bool item_size(const struct ksf_item *it, size_t *size, size_t *fsize)
{
	size_t common = NLA_HDRLEN + NLA_ALIGN(NLA_HDRLEN + 4), fam = 0, len, i;

	for (i = 0; i < it->n; i++) {
		len = val_len(&it->v[i]);
		if (len > 0xffff - NLA_HDRLEN)
			return false;
		if (it->v[i].d->fam)
			fam += NLA_ALIGN(NLA_HDRLEN + len);
		else
			common += NLA_ALIGN(NLA_HDRLEN + len);
	}
	if (fam)
		fam += NLA_HDRLEN;
	*fsize = fam;
	*size = common + fam;
	return fam <= 0xffff && *size <= 0xffff;
}

/*
 * The item nest: its service and common fields, then the family's nest,
 * each in the order set.  Sized first, so that the message grows once and
 * every attribute is written in place.
 */
static void put_item(struct mb *m, uint16_t type, const struct ksf_item *it)
{
	size_t size, fsize, i;
	uint8_t *p;

	if (!item_size(it, &size, &fsize)) {
		if (!m->err)
			m->err = -EMSGSIZE;
		return;
	}
	p = mb_room(m, size);
	if (!p)
		return;
	p = nest_write(p, type, size);
	p = attr_write(p, KSF_A_ITEM_SERVICE, &it->service, 4);
	for (i = 0; i < it->n; i++)
		if (!it->v[i].d->fam)
			p = put_val(p, &it->v[i]);
	if (!fsize)
		return;
	p = nest_write(p, it->fam->item_nest, fsize);
	for (i = 0; i < it->n; i++)
		if (it->v[i].d->fam)
			p = put_val(p, &it->v[i]);
}

void ksfl_put_items(struct mb *m, uint16_t type, const struct ksf_items *l)
{
	size_t i;

	for (i = 0; l && i < l->n; i++)
		put_item(m, type, l->it[i]);
}

size_t ksfl_items_reply_bound(const struct ksf_items *l)
{
	size_t n = NLMSG_HDRLEN + GENL_HDRLEN, i;

	for (i = 0; l && i < l->n; i++)
		n += l->it[i]->fam->result_max;
	return n;
}

/* ---- Decoding (policies' presets and timers) ---------------------------- */

static int get_val(struct ksf_item *it, const struct ksfl_fdesc *d,
		   const struct nlattr *a)
{
	uint64_t u = 0;
	uint32_t u32;
	uint8_t u8;

	switch (d->kind) {
	case KSF_KIND_U8:
		if (!a_u8(a, &u8))
			return -EPROTO;
		return set_int(it, d, u8);
	case KSF_KIND_U32:
	case KSF_KIND_S32:
		if (!a_u32(a, &u32))
			return -EPROTO;
		u = d->kind == KSF_KIND_S32 ? (uint64_t)(int64_t)(int32_t)u32 :
		    u32;
		return set_int(it, d, u);
	case KSF_KIND_U64:
		if (!a_u64(a, &u))
			return -EPROTO;
		return set_int(it, d, u);
	case KSF_KIND_STRING:
		if (!a_str(a))
			return -EPROTO;
		return set_bytes(it, d, nla_data(a), strlen(a_str(a)));
	default:
		return set_bytes(it, d, nla_data(a), nla_len(a));
	}
}

static int get_fam(struct ksf_item *it, const struct nlattr *nest)
{
	const struct ksfl_family *f = it->fam;
	const struct ksfl_fdesc *d;
	struct nlattr *a;
	int rem, err;

	nla_for_each_nested(a, (struct nlattr *)nest, rem) {
		d = ksfl_at(f->item, f->n_item, nla_type(a));
		if (!d)
			continue;	/* a newer kernel's field */
		err = get_val(it, d, a);
		if (err)
			return err;
	}
	return 0;
}

static int get_item(struct ksf_items *l, const struct nlattr *nest)
{
	const struct ksfl_fdesc *t, *d;
	const struct ksfl_family *f;
	struct ksf_item *it;
	uint32_t service;
	struct nlattr *a;
	int rem, err;
	size_t n;

	a = nla_find(nla_data(nest), nla_len(nest), KSF_A_ITEM_SERVICE);
	if (!a_u32(a, &service))
		return err_set(-EPROTO, "an item without a service");
	it = ksf_items_add(l, service);
	if (!it)
		return err_set(errno == EINVAL ? -EPROTO : -ENOMEM,
			       errno == EINVAL ? "an item of an unknown service" :
			       NULL);
	f = it->fam;
	t = ksfl_item_common(&n);
	nla_for_each_nested(a, (struct nlattr *)nest, rem) {
		if (nla_type(a) == f->item_nest) {
			err = get_fam(it, a);
		} else {
			d = ksfl_at(t, n, nla_type(a));
			err = d ? get_val(it, d, a) : 0;
		}
		if (err)
			return err;
	}
	return 0;
}

int ksfl_get_items(const struct nlattr *nest, uint16_t type,
		   struct ksf_items **out)
{
	struct ksf_items *l = ksf_items_new();
	struct nlattr *a;
	int rem, err;

	*out = NULL;
	if (!l)
		return -ENOMEM;
	nla_for_each_nested(a, (struct nlattr *)nest, rem) {
		if (nla_type(a) != type)
			continue;
		err = get_item(l, a);
		if (err) {
			ksf_items_free(l);
			return err;
		}
	}
	*out = l;
	return 0;
}
