// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksfctl: the item grammar and the result printer.
 *
 * An item's keywords are its fields as libksf names them
 * (ksf_item_field_info(): the spec's attribute names of item and of the
 * service's family nest), their kind and their name table: parse and
 * print come from there, so a new service or field in the spec needs no
 * change here.  What the spec cannot say is in the small tables below:
 * how a few numbers read (fc in hex, sqn a number and not a handle, the
 * fields where 0 would be a default), and the order of the result line.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ksfctl.h"

enum {
	F_HEX2 = 1,		/* text 0x%02x (fc) */
	F_NUMBER = 2,		/* a u64 that is a number, not a handle: 0x%x */
	F_NONZERO = 4,		/* 0 is refused: omitting the field is the default */
};

static const struct field_fmt {
	const char *name;
	unsigned int flags;
	const char *hint;	/* of a refused 0 */
} field_fmts[] = {
	{ "fc", F_HEX2, NULL },
	{ "sqn", F_NUMBER, NULL },
	{ "mac-len", F_NONZERO, "4..32; omit it for the full tag" },
	{ "out-len", F_NONZERO, "1..32; omit it for 32" },
	{ "bits", F_NONZERO, "from 1; omit it for the whole data" },
	{ "context", F_NONZERO, NULL },
	{ "param-key", F_NONZERO, NULL },
};

/* The order of the result line (and of its JSON keys); others follow. */
static const char *const result_order[] = {
	"key", "iv", "data", "mac", "rand", "autn", "res", "hres", "auts",
	"sqn", "context", "count",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define RESULT_FIELDS_MAX 64

static unsigned int fmt_flags(const char *name, const char **hint)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(field_fmts); i++) {
		if (!strcmp(field_fmts[i].name, name)) {
			if (hint)
				*hint = field_fmts[i].hint;
			return field_fmts[i].flags;
		}
	}
	if (hint)
		*hint = NULL;
	return 0;
}

uint32_t service_nth(size_t i)
{
	return ksf_name(KSF_NAMES_SERVICE, (uint32_t)i + 1) ? (uint32_t)i + 1 : 0;
}

/* The field named name of service svc, in f; -ENOENT when it has none. */
static int field_info(uint32_t svc, const char *name, struct ksf_field *f)
{
	size_t i;

	for (i = 0; !ksf_item_field_info(svc, i, f); i++)
		if (!strcmp(f->name, name))
			return 0;
	return -ENOENT;
}

/* A keyword no field of svc has: say whose it is, if any service's. */
static int unknown_keyword(uint32_t svc, const char *k, char *eb, size_t es)
{
	struct ksf_field f;
	uint32_t s;
	size_t i;

	for (i = 0; (s = service_nth(i)); i++)
		if (s != svc && !field_info(s, k, &f))
			return errf(eb, es, "unknown item keyword \"%s\" for %s (a keyword of %s)",
					k, ksf_name(KSF_NAMES_SERVICE, svc),
					ksf_name(KSF_NAMES_SERVICE, s));
	return errf(eb, es, "unknown item keyword \"%s\"", k);
}

static int lib_err(int err, const char *k, char *eb, size_t es)
{
	const char *msg = ksf_last_error(NULL);

	return errf(eb, es, "%s: %s", k, msg[0] ? msg : strerror(-err));
}

/* U8 and U32 fields: a name, a list of flags or a number. */
static int set_u32(struct ksf_item *it, const struct ksf_field *fi,
		   const char *v, char *eb, size_t es)
{
	const char *k = fi->name, *hint;
	uint32_t x;
	uint64_t m;
	int err;

	if (fi->names && names_are_flags(fi->names - 1)) {
		if (ksf_mask_parse(fi->names - 1, v, &m) || m > UINT32_MAX)
			return errf(eb, es, "bad %s list \"%s\"", k, v);
		x = (uint32_t)m;
	} else if (fi->names) {
		if (ksf_value(fi->names - 1, v, &x))
			return errf(eb, es, "unknown %s \"%s\"", k, v);
	} else if (parse_u32(v, &x) ||
		   (fi->kind == KSF_KIND_U8 && x > 255)) {
		return errf(eb, es, fi->kind == KSF_KIND_U8 ?
				"bad %s \"%s\" (0..255)" : "bad %s \"%s\"", k, v);
	} else if (!x && (fmt_flags(k, &hint) & F_NONZERO)) {
		return errf(eb, es, "bad %s \"%s\" (%s)", k, v,
				hint ? hint : "from 1");
	}
	err = ksf_item_set_u32(it, k, x);
	return err ? lib_err(err, k, eb, es) : 0;
}

static int set_u64(struct ksf_item *it, const struct ksf_field *fi,
		   const char *v, char *eb, size_t es)
{
	unsigned int fl = fmt_flags(fi->name, NULL);
	uint64_t x;
	int err;

	if (ksf_parse_u64(v, &x) || (!x && (fl & F_NONZERO)))
		return errf(eb, es, fl & F_NUMBER ? "bad %s \"%s\"" :
				"bad %s handle \"%s\"", fi->name, v);
	err = ksf_item_set_u64(it, fi->name, x);
	return err ? lib_err(err, fi->name, eb, es) : 0;
}

static int set_bin(struct ksf_item *it, const struct ksf_field *fi,
		   const char *v, char *eb, size_t es)
{
	struct ksf_buf b;
	int err;

	if (hex_arg(v, &b))
		return errf(eb, es, "bad hex for %s: \"%s\"", fi->name, v);
	err = ksf_item_set_bin(it, fi->name, b.ptr, b.size);
	free((void *)b.ptr);
	return err ? lib_err(err, fi->name, eb, es) : 0;
}

static int set_field(struct ksf_item *it, const struct ksf_field *fi,
		     const char *v, char *eb, size_t es)
{
	int err;

	switch (fi->kind) {
	case KSF_KIND_U8:
	case KSF_KIND_U32:
		return set_u32(it, fi, v, eb, es);
	case KSF_KIND_U64:
		return set_u64(it, fi, v, eb, es);
	case KSF_KIND_STRING:
		err = ksf_item_set_str(it, fi->name, v);
		return err ? lib_err(err, fi->name, eb, es) : 0;
	case KSF_KIND_BINARY:
		return set_bin(it, fi, v, eb, es);
	default:
		return errf(eb, es, "%s: a field ksfctl cannot set", fi->name);
	}
}

int item_parse(struct ksf_items *l, int argc, char **argv, char *eb,
	       size_t es)
{
	struct kw_seen seen = { .n = 0 };
	struct ksf_field fi;
	struct ksf_item *it;
	uint32_t svc;
	int i;

	if (argc < 1)
		return errf(eb, es, "missing service name");
	if (ksf_value(KSF_NAMES_SERVICE, argv[0], &svc))
		return errf(eb, es, "unknown service \"%s\"", argv[0]);
	it = ksf_items_add(l, svc);
	if (!it)
		return errf(eb, es, errno == ENOMEM ? "out of memory" :
				"unknown service \"%s\"", argv[0]);
	for (i = 1; i < argc; i += 2) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			return errf(eb, es, "\"%s\" needs a value", k);
		if (field_info(svc, k, &fi))
			return unknown_keyword(svc, k, eb, es);
		if (!fi.multi && kw_repeated(&seen, k))
			return errf(eb, es, "keyword \"%s\" given twice", k);
		if (set_field(it, &fi, v, eb, es))
			return -1;
	}
	return 0;
}

/* ---- printing fields ------------------------------------------------------- */

/* The JSON key of a spec name: '-' becomes '_' ("out-usage" -> "out_usage"). */
static const char *json_key(const char *name, char *buf, size_t size)
{
	size_t i;

	snprintf(buf, size, "%s", name);
	for (i = 0; buf[i]; i++)
		if (buf[i] == '-')
			buf[i] = '_';
	return buf;
}

/* U8/U32: a name, flags or a number */
static void print_u32_field(const struct ksf_field *f, const char *key,
			    const char *fmt)
{
	char buf[256];

	if (f->names && names_are_flags(f->names - 1)) {
		ksf_mask_format(f->names - 1, f->u, buf, sizeof(buf));
		print_string(PRINT_ANY, key, fmt, buf);
	} else if (f->names) {
		print_name(PRINT_ANY, key, fmt, f->names - 1, (uint32_t)f->u);
	} else if (fmt_flags(f->name, NULL) & F_HEX2) {
		snprintf(buf, sizeof(buf), "0x%02" PRIx64, f->u);
		print_string(PRINT_FP, key, fmt, buf);
		print_uint(PRINT_JSON, key, fmt, f->u);
	} else {
		print_uint(PRINT_ANY, key, fmt, f->u);
	}
}

/*
 * One field: text " NAME VALUE" (fmt is " NAME %s"), JSON key:VALUE
 * (key NULL in an array).
 */
static void print_field(const struct ksf_field *f, const char *key)
{
	char fmt[96], buf[32];

	snprintf(fmt, sizeof(fmt), " %s %%s", f->name);
	switch (f->kind) {
	case KSF_KIND_U8:
	case KSF_KIND_U32:
		print_u32_field(f, key, fmt);
		break;
	case KSF_KIND_S32:
		print_int(PRINT_ANY, key, fmt, (int32_t)f->u);
		break;
	case KSF_KIND_U64:
		if (fmt_flags(f->name, NULL) & F_NUMBER) {
			snprintf(buf, sizeof(buf), "0x%" PRIx64, f->u);
			print_string(PRINT_ANY, key, fmt, buf);
		} else {
			print_handle(PRINT_ANY, key, fmt, f->u);
		}
		break;
	case KSF_KIND_STRING:
		print_string(PRINT_ANY, key, fmt, f->ptr ? f->ptr : "");
		break;
	case KSF_KIND_BINARY:
		print_hex(PRINT_ANY, key, fmt, f->ptr, f->len);
		break;
	}
}

static int item_get(const struct ksf_item *it, const char *name,
		    struct ksf_field *f)
{
	size_t i;

	for (i = 0; !ksf_item_field(it, i, f); i++)
		if (!strcmp(f->name, name))
			return 0;
	return -ENOENT;
}

/*
 * The multi fields of an item are one sequence ("param", "param-key"):
 * printed in their order, in JSON one array named after the first
 * ("params"), whose other fields are objects keyed by the rest of their
 * name (a param-key is {"key":"0x..."}).
 */
static void print_multi(const struct ksf_item *it, const char *first)
{
	size_t i, n = strlen(first), count = 0;
	char key[96], name[96];
	struct ksf_field f;

	for (i = 0; !ksf_item_field(it, i, &f); i++)
		count += f.multi;
	if (!count)
		return;
	snprintf(name, sizeof(name), "%ss", first);
	open_json_array(json_key(name, key, sizeof(key)));
	for (i = 0; !ksf_item_field(it, i, &f); i++) {
		if (!f.multi)
			continue;
		if (!strcmp(f.name, first)) {
			print_field(&f, NULL);
			continue;
		}
		open_json_object(NULL);
		if (!strncmp(f.name, first, n) && f.name[n] == '-')
			print_field(&f, json_key(f.name + n + 1, key, sizeof(key)));
		else
			print_field(&f, json_key(f.name, key, sizeof(key)));
		close_json_object();
	}
	close_json_array();
}

void item_print(const struct ksf_item *it)
{
	uint32_t svc = ksf_item_service(it);
	struct ksf_field fi, f;
	bool multi_done = false;
	char key[96];
	size_t i;

	open_json_object(NULL);
	print_name(PRINT_ANY, "service", "%s", KSF_NAMES_SERVICE, svc);
	for (i = 0; !ksf_item_field_info(svc, i, &fi); i++) {
		if (fi.multi) {
			if (!multi_done)
				print_multi(it, fi.name);
			multi_done = true;
			continue;
		}
		if (!item_get(it, fi.name, &f))
			print_field(&f, json_key(f.name, key, sizeof(key)));
	}
	close_json_object();
}

/* ---- results ------------------------------------------------------------------ */

static bool in_result_order(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(result_order); i++)
		if (!strcmp(result_order[i], name))
			return true;
	return false;
}

static void result_status(const struct result_view *v)
{
	const char *st = ksf_name(KSF_NAMES_STATUS, v->status);
	char eb[16], buf[32];

	print_uint(PRINT_ANY, "index", "%s ", v->index);
	if (st) {
		print_string(PRINT_ANY, "status", "%s", st);
	} else {
		snprintf(buf, sizeof(buf), "status-%u", v->status);
		print_string(PRINT_FP, "status", "%s", buf);
		print_uint(PRINT_JSON, "status", NULL, v->status);
	}
	if (!v->error)
		return;
	print_int(PRINT_JSON, "error", NULL, v->error);
	print_string(PRINT_ANY, "errno", " %s",
		     errno_name(v->error, eb, sizeof(eb)));
}

void result_view_print(const struct result_view *v)
{
	char key[96];
	size_t i, j;

	open_json_object(NULL);
	result_status(v);
	for (i = 0; i < ARRAY_SIZE(result_order); i++)
		for (j = 0; j < v->n_fields; j++)
			if (!strcmp(v->fields[j].name, result_order[i]))
				print_field(&v->fields[j],
					    json_key(v->fields[j].name, key,
						     sizeof(key)));
	for (j = 0; j < v->n_fields; j++)
		if (!in_result_order(v->fields[j].name))
			print_field(&v->fields[j],
				    json_key(v->fields[j].name, key, sizeof(key)));
	if (v->reason)
		print_quoted(PRINT_ANY, "reason", " reason %s", v->reason);
	close_json_object();
}

void result_print(const struct ksf_result *r)
{
	struct ksf_field f[RESULT_FIELDS_MAX];
	struct result_view v = {
		.index = ksf_result_index(r),
		.status = ksf_result_status(r),
		.error = ksf_result_error(r),
		.reason = ksf_result_reason(r),
		.fields = f,
	};

	while (v.n_fields < RESULT_FIELDS_MAX &&
	       !ksf_result_field(r, v.n_fields, &f[v.n_fields]))
		v.n_fields++;
	result_view_print(&v);
}

int results_print(const struct ksf_results *res, const char *indent)
{
	size_t i, n = res ? ksf_results_count(res) : 0;
	int ret = 0;

	for (i = 0; i < n; i++) {
		const struct ksf_result *r = ksf_results_get(res, i);

		print_text("%s", indent);
		result_print(r);
		fputc('\n', print_fp());
		if (ksf_result_status(r) != KSF_STATUS_OK)
			ret = EXIT_ITEMS;
	}
	return ret;
}
