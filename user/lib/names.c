// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libksf: names of enum values, flag masks and lists of enum values, as
 * the spec names them ("mac-generate", "derive,mac", ...).
 */
#include "internal.h"

KSF_EXPORT const char *ksf_name(enum ksf_name_table t, uint32_t v)
{
	const struct ksfl_name_table *nt = ksfl_names(t);

	if (!nt)
		return NULL;
	if (nt->flags) {
		if (!v || (v & (v - 1)))
			return NULL;
		v = __builtin_ctz(v);
	}
	return v < nt->n ? nt->names[v] : NULL;
}

/*
 * Numbers are decimal, or hexadecimal after 0x: a leading zero is not
 * octal ("010" is ten), and nothing else (sign, space, 0b) is taken.
 */
KSF_EXPORT int ksf_parse_u64(const char *s, uint64_t *v)
{
	const char *p;
	int base = 10;
	char *end;

	if (!s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -EINVAL;
	for (p = s; *p; p++)
		if (base == 10 ? !isdigit((unsigned char)*p) :
				 !isxdigit((unsigned char)*p))
			return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, base);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

KSF_EXPORT int ksf_value(enum ksf_name_table t, const char *name, uint32_t *v)
{
	const struct ksfl_name_table *nt = ksfl_names(t);
	uint64_t n;
	size_t i;

	if (!nt || !name)
		return -EINVAL;
	for (i = 0; i < nt->n; i++) {
		if (nt->names[i] && !strcmp(nt->names[i], name)) {
			*v = nt->flags ? 1u << i : (uint32_t)i;
			return 0;
		}
	}
	if (ksf_parse_u64(name, &n) || n > UINT32_MAX)
		return -EINVAL;
	*v = n;
	return 0;
}

/* "all": every known value; null ciphering must be named ("nea0"). */
static bool in_all(enum ksf_name_table t, size_t i)
{
	return !(t == KSF_NAMES_ALG && i == KSF_ALG_NEA0);
}

/*
 * Calls fn for each value of a comma list: "none" gives none, "all" every
 * named value of the table (as `all`), a name its value, a number itself.
 */
typedef int (*token_fn)(const struct ksfl_name_table *nt, uint64_t v,
			bool number, void *arg);

static int for_each_value(enum ksf_name_table t, const char *list,
			  token_fn fn, void *arg)
{
	const struct ksfl_name_table *nt = ksfl_names(t);
	char *copy, *tok, *save = NULL;
	uint64_t n;
	uint32_t v;
	int ret = 0;
	size_t i;

	if (!nt || !list)
		return -EINVAL;
	copy = strdup(list);
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok && !ret;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "none"))
			continue;
		if (!strcmp(tok, "all")) {
			for (i = 0; i < nt->n && !ret; i++)
				if (nt->names[i] && in_all(t, i))
					ret = fn(nt, nt->flags ? 1ull << i : i,
						 false, arg);
		} else if (!ksf_parse_u64(tok, &n)) {
			ret = fn(nt, n, true, arg);
		} else if (!ksf_value(t, tok, &v)) {
			ret = fn(nt, v, false, arg);
		} else {
			ret = -EINVAL;
		}
	}
	free(copy);
	return ret;
}

/* Masks: a bare number is the mask itself; enum values are bits 1 << v. */
static int mask_add(const struct ksfl_name_table *nt, uint64_t v,
		    bool number, void *arg)
{
	uint64_t *m = arg;

	if (number || nt->flags)
		*m |= v;
	else if (v < 64)
		*m |= 1ull << v;
	return 0;
}

KSF_EXPORT int ksf_mask_parse(enum ksf_name_table t, const char *list,
			      uint64_t *mask)
{
	uint64_t m = 0;
	int ret = for_each_value(t, list, mask_add, &m);

	if (!ret)
		*mask = m;
	return ret;
}

KSF_EXPORT int ksf_mask_format(enum ksf_name_table t, uint64_t mask,
			       char *buf, size_t size)
{
	const struct ksfl_name_table *nt = ksfl_names(t);
	size_t len = 0;
	int bit, n;

	if (!size)
		return 0;
	buf[0] = '\0';
	if (!mask)
		return snprintf(buf, size, "none");
	for (bit = 0; bit < 64; bit++) {
		const char *name = NULL;

		if (!(mask & (1ull << bit)))
			continue;
		if (nt && (size_t)bit < nt->n)
			name = nt->names[bit];
		if (name)
			n = snprintf(buf + len, len < size ? size - len : 0,
				     "%s%s", len ? "," : "", name);
		else
			n = snprintf(buf + len, len < size ? size - len : 0,
				     "%s0x%" PRIx64, len ? "," : "",
				     (uint64_t)1 << bit);
		len += n;
	}
	return (int)len;
}

struct list_arg {
	uint32_t *v;
	size_t max, n;
};

static int list_add(const struct ksfl_name_table *nt, uint64_t v,
		    bool number, void *arg)
{
	struct list_arg *l = arg;

	(void)nt;
	(void)number;
	if (v > UINT32_MAX)
		return -EINVAL;
	if (l->n < l->max)
		l->v[l->n] = (uint32_t)v;
	l->n++;
	return 0;
}

KSF_EXPORT int ksf_list_parse(enum ksf_name_table t, const char *list,
			      uint32_t *v, size_t max)
{
	const struct ksfl_name_table *nt = ksfl_names(t);
	struct list_arg l = { v, v ? max : 0, 0 };
	int ret;

	if (!nt || nt->flags)
		return -EINVAL;
	ret = for_each_value(t, list, list_add, &l);
	if (ret)
		return ret;
	return l.n > INT_MAX ? -E2BIG : (int)l.n;
}

KSF_EXPORT int ksf_list_format(enum ksf_name_table t, const uint32_t *v,
			       size_t n, char *buf, size_t size)
{
	size_t len = 0, i;
	int k;

	if (!size)
		return 0;
	buf[0] = '\0';
	if (!n)
		return snprintf(buf, size, "none");
	for (i = 0; i < n; i++) {
		const char *name = ksf_name(t, v[i]);

		if (name)
			k = snprintf(buf + len, len < size ? size - len : 0,
				     "%s%s", len ? "," : "", name);
		else
			k = snprintf(buf + len, len < size ? size - len : 0,
				     "%s%" PRIu32, len ? "," : "", v[i]);
		len += k;
	}
	return (int)len;
}
