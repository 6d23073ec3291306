// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libksf: results, and the commands that return them (service-request,
 * notify).  A result's attributes and its family nest's are decoded
 * generically into fields, by the spec's tables; the results of one
 * message live in one allocation.
 */
#include "internal.h"

struct ksf_result {
	uint32_t index;
	uint32_t status;
	int32_t error;
	const char *reason;
	struct ksf_field *f;
	size_t n;
};

struct ksf_results {
	size_t n;
	struct ksf_result *r;
	uint8_t *bytes;		/* outputs and reasons, wiped when freed */
	size_t n_bytes;
};

KSF_EXPORT size_t ksf_results_count(const struct ksf_results *r)
{
	return r ? r->n : 0;
}

KSF_EXPORT const struct ksf_result *ksf_results_get(const struct ksf_results *r,
						    size_t i)
{
	return r && i < r->n ? &r->r[i] : NULL;
}

KSF_EXPORT void ksf_results_free(struct ksf_results *r)
{
	if (!r)
		return;
	/* plaintexts and RES* are not for the next user of this memory */
	explicit_bzero(r->bytes, r->n_bytes);
	free(r);
}

KSF_EXPORT uint32_t ksf_result_index(const struct ksf_result *r)
{
	return r ? r->index : 0;
}

KSF_EXPORT uint32_t ksf_result_status(const struct ksf_result *r)
{
	return r ? r->status : 0;
}

KSF_EXPORT int32_t ksf_result_error(const struct ksf_result *r)
{
	return r ? r->error : 0;
}

KSF_EXPORT const char *ksf_result_reason(const struct ksf_result *r)
{
	return r ? r->reason : NULL;
}

static const struct ksf_field *result_find(const struct ksf_result *r,
					   const char *field)
{
	size_t i;

	if (!r || !field)
		return NULL;
	for (i = 0; i < r->n; i++)
		if (!strcmp(r->f[i].name, field))
			return &r->f[i];
	return NULL;
}

KSF_EXPORT int ksf_result_get_u32(const struct ksf_result *r,
				  const char *field, uint32_t *v)
{
	const struct ksf_field *f = result_find(r, field);

	if (!f || f->kind == KSF_KIND_STRING || f->kind == KSF_KIND_BINARY ||
	    f->kind == KSF_KIND_U64)
		return -ENOENT;
	if (v)
		*v = (uint32_t)f->u;
	return 0;
}

KSF_EXPORT int ksf_result_get_u64(const struct ksf_result *r,
				  const char *field, uint64_t *v)
{
	const struct ksf_field *f = result_find(r, field);

	if (!f || f->kind == KSF_KIND_STRING || f->kind == KSF_KIND_BINARY)
		return -ENOENT;
	if (v)
		*v = f->u;
	return 0;
}

KSF_EXPORT int ksf_result_get_bin(const struct ksf_result *r,
				  const char *field, const void **p, size_t *n)
{
	const struct ksf_field *f = result_find(r, field);

	if (!f || (f->kind != KSF_KIND_STRING && f->kind != KSF_KIND_BINARY))
		return -ENOENT;
	if (p)
		*p = f->ptr;
	if (n)
		*n = f->len;
	return 0;
}

KSF_EXPORT int ksf_result_field(const struct ksf_result *r, size_t i,
				struct ksf_field *f)
{
	int ret = ksfl_nth(r, f, i, r ? r->n : 0);

	if (!ret)
		*f = r->f[i];
	return ret;
}

/* ---- Decoding ---------------------------------------------------------------- */

/* Sizes of the decoded results: counts first, then the fill pass. */
struct rsize {
	size_t results, fields, bytes;
	/* the results' common fields, looked up once per message */
	const struct ksfl_fdesc *common;
	size_t n_common;
};

struct rfill {
	struct ksf_result *r;
	struct ksf_field *f;	/* next free field */
	uint8_t *p;		/* next free byte */
};

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/*
 * Both passes run the same code, so that they agree on every field: forced
 * inline into one_result() and that into ksfl_decode_results(), the
 * compiler makes a sizing and a filling copy without a test of fill at
 * every attribute.
 */
#define decode_inline inline __attribute__((always_inline))

/* One attribute as a field (sizing: fill is NULL).  Malformed ones are skipped. */
static decode_inline void one_field(const struct ksfl_fdesc *d, const struct nlattr *a,
		      struct rsize *sz, struct rfill *fill)
{
	struct ksf_field *f;
	uint32_t u32 = 0;
	uint64_t u = 0;
	uint8_t u8 = 0;
	const char *s = NULL;
	size_t len;

	switch (d->kind) {
	case KSF_KIND_U8:
		if (!a_u8(a, &u8))
			return;
		u = u8;
		break;
	case KSF_KIND_U32:
	case KSF_KIND_S32:
		if (!a_u32(a, &u32))
			return;
		u = d->kind == KSF_KIND_S32 ? (uint64_t)(int64_t)(int32_t)u32 :
		    u32;
		break;
	case KSF_KIND_U64:
		if (!a_u64(a, &u))
			return;
		break;
	case KSF_KIND_STRING:
		s = a_str(a);
		if (!s)
			return;
		break;
	default:
		break;
	}
	len = d->kind == KSF_KIND_STRING ? strlen(s) + 1 :
	      d->kind == KSF_KIND_BINARY ? (size_t)a->nla_len - NLA_HDRLEN : 0;
	if (!fill) {
		sz->fields++;
		sz->bytes += align8(len);
		return;
	}
	f = fill->f++;
	ksfl_field_desc(d, f);
	fill->r->n++;
	f->u = u;
	if (len) {
		memcpy(fill->p, (const uint8_t *)a + NLA_HDRLEN, len);
		f->ptr = fill->p;
		f->len = d->kind == KSF_KIND_STRING ? len - 1 : len;
		fill->p += align8(len);
	}
}

static decode_inline void one_result(const struct nlattr *nest, struct rsize *sz,
		       struct rfill *fill)
{
	const struct ksfl_fdesc *d;
	const struct ksfl_family *fam;
	struct nlattr *a, *b;
	int rem, rem2;
	size_t n;

	attr_for_each_nested(a, nest, rem) {
		switch (attr_type(a)) {
		case KSF_A_RESULT_INDEX:
			if (fill)
				a_u32(a, &fill->r->index);
			continue;
		case KSF_A_RESULT_STATUS:
			if (fill)
				a_u32(a, &fill->r->status);
			continue;
		case KSF_A_RESULT_ERROR:
			if (fill)
				a_u32(a, (uint32_t *)&fill->r->error);
			continue;
		case KSF_A_RESULT_REASON:
			if (!a_str(a))
				continue;
			n = strlen(a_str(a)) + 1;
			if (!fill) {
				sz->bytes += align8(n);
				continue;
			}
			memcpy(fill->p, a_str(a), n);
			fill->r->reason = (const char *)fill->p;
			fill->p += align8(n);
			continue;
		}
		d = ksfl_at(sz->common, sz->n_common, attr_type(a));
		if (d) {
			one_field(d, a, sz, fill);
			continue;
		}
		fam = ksfl_result_family(attr_type(a));
		if (!fam)
			continue;	/* a newer kernel's attribute */
		attr_for_each_nested(b, a, rem2) {
			d = ksfl_at(fam->result, fam->n_result, attr_type(b));
			if (d)
				one_field(d, b, sz, fill);
		}
	}
}

int ksfl_decode_results(struct nlattr *attrs, int len, uint16_t type,
			struct ksf_results **out)
{
	struct rsize sz = { 0 };
	struct ksf_results *res;
	struct rfill fill;
	struct nlattr *a;
	size_t size, i = 0;
	int rem;

	*out = NULL;
	sz.common = ksfl_result_common(&sz.n_common);
	attr_for_each(a, attrs, len, rem) {
		if (attr_type(a) != type)
			continue;
		sz.results++;
		one_result(a, &sz, NULL);
	}
	if (!sz.results)
		return 0;
	size = align8(sizeof(*res)) + align8(sz.results * sizeof(*res->r)) +
	       sz.fields * sizeof(struct ksf_field) + sz.bytes;
	/* one block: header, results, fields, bytes (fields are all set) */
	res = malloc(size);
	if (!res)
		return err_set(-ENOMEM, NULL);
	res->r = (struct ksf_result *)((uint8_t *)res + align8(sizeof(*res)));
	memset(res->r, 0, sz.results * sizeof(*res->r));
	fill.f = (struct ksf_field *)((uint8_t *)res->r +
				      align8(sz.results * sizeof(*res->r)));
	fill.p = (uint8_t *)(fill.f + sz.fields);
	res->bytes = fill.p;
	res->n_bytes = sz.bytes;
	attr_for_each(a, attrs, len, rem) {
		if (attr_type(a) != type)
			continue;
		fill.r = &res->r[i++];
		fill.r->f = fill.f;
		one_result(a, &sz, &fill);
	}
	res->n = i;
	*out = res;
	return (int)i;
}

/* ---- Service requests and notify ------------------------------------------ */

struct results_arg {
	struct ksf_results *res;
	int n;
};

static int results_cb(struct ksf *h, struct nlmsghdr *nlh, void *arg)
{
	struct results_arg *ra = arg;
	struct nlattr *attrs;
	int len, n;

	(void)h;
	attrs = msg_attrs(nlh, &len);
	n = ksfl_decode_results(attrs, len, KSF_A_REQUEST_RESULT, &ra->res);
	if (n < 0)
		return n;
	ra->n = n;
	return 1;
}

KSF_EXPORT int ksf_service_request(struct ksf *h, const struct ksf_items *items,
				   struct ksf_results **res)
{
	struct results_arg ra = { NULL, 0 };
	struct mb m;
	int ret;

	CHECK_HANDLE(h);
	if (!items || !res)
		return err_set(-EINVAL, "no items or no results pointer");
	*res = NULL;
	begin(h, &m, KSF_CMD_SERVICE_REQUEST);
	ksfl_put_items(&m, KSF_A_REQUEST_ITEM, items);
	ret = xchg(&m, X_REPLY, h->family, ksfl_items_reply_bound(items),
		   results_cb, &ra);
	if (ret == 0)
		ret = err_set(-EPROTO, "no reply from the kernel");
	if (ret < 0) {
		ksf_results_free(ra.res);
		return end(h, ret);
	}
	*res = ra.res;
	return end(h, ra.n);
}

KSF_EXPORT int ksf_notify(struct ksf *h, const char *subject, uint32_t status,
			  struct ksf_results **res)
{
	struct results_arg ra = { NULL, 0 };
	struct mb m;
	int ret;

	CHECK_HANDLE(h);
	if (res)
		*res = NULL;
	begin(h, &m, KSF_CMD_NOTIFY);
	if (subject)
		mb_str(&m, KSF_A_REQUEST_PEER, subject);
	if (status)
		mb_u32(&m, KSF_A_REQUEST_STATUS, status);
	/*
	 * The preset list is the kernel's: up to a batch of items of any
	 * family (xchg sizes a reply this large by peeking at it).
	 */
	ret = xchg(&m, X_REPLY, h->family,
		   NLMSG_HDRLEN + GENL_HDRLEN +
		   (size_t)KSF_BATCH_MAX * ksfl_result_max(), results_cb, &ra);
	if (ret == 0)
		ret = err_set(-EPROTO, "no reply from the kernel");
	if (ret < 0 || !res) {
		ksf_results_free(ra.res);
		return end(h, ret < 0 ? ret : ra.n);
	}
	*res = ra.res;
	return end(h, ra.n);
}

KSF_EXPORT int ksf_notify_key_replace(struct ksf *h, uint64_t old_key,
				      uint64_t new_key)
{
	struct mb m;

	CHECK_HANDLE(h);
	begin(h, &m, KSF_CMD_NOTIFY);
	mb_u32(&m, KSF_A_REQUEST_STATUS, KSF_NOTIFY_STATUS_KEY_REPLACE);
	mb_u64(&m, KSF_A_REQUEST_KEY, old_key);
	mb_u64(&m, KSF_A_REQUEST_NEW_KEY, new_key);
	return end(h, xchg(&m, X_ACK, h->family, 0, NULL, NULL));
}
