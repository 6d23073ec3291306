// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksfctl: the POLICY keywords of peer add and peer set, and the policy
 * printer, on libksf's opaque struct ksf_policy.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ksfctl.h"

#define LIST_MAX 256	/* values of a services or algs list (the bitmap's bits) */

const char policy_keywords[] =
	"services algs key-len lifetime-max batch-max caller-rand mac-len-min "
	"mac-fcs encrypt-fcs keys-max contexts-max notify timer carry "
	"ask-services ask-algs";

/* The scalar keywords: the policy field of the same name. */
static const char *const policy_u32[] = {
	"lifetime-max", "batch-max", "mac-len-min", "keys-max", "contexts-max",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* "0x20,0x6d" or "none" into a 256-bit FC map. */
static int parse_fcs(const char *list, uint8_t map[32])
{
	char buf[1024], *tok, *save = NULL;
	uint32_t fc;

	memset(map, 0, 32);
	if (!strcmp(list, "none"))
		return 0;
	if (snprintf(buf, sizeof(buf), "%s", list) >= (int)sizeof(buf))
		return -1;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (parse_u32(tok, &fc) || fc > 255)
			return -1;
		map[fc / 8] |= 1 << (fc % 8);
	}
	return 0;
}

static void format_fcs(const uint8_t *map, size_t len, char *buf, size_t size)
{
	size_t n = 0, fc;

	buf[0] = '\0';
	for (fc = 0; fc < 8 * len && n + 6 < size; fc++)
		if (map[fc / 8] & (1 << (fc % 8)))
			n += snprintf(buf + n, size - n, "%s0x%02zx",
				      n ? "," : "", fc);
	if (!n)
		snprintf(buf, size, "none");
}

static void set_u32(struct ksf_policy *pol, const char *k, uint32_t v)
{
	if (ksf_policy_set_u32(pol, k, v))
		die_usage("%s: %s", k, ksf_last_error(NULL));
}

/* The policy's lists of names: services and algs, and what a ksf peer asks. */
static bool is_list(const char *k)
{
	return !strcmp(k, "services") || !strcmp(k, "algs") ||
	       !strcmp(k, "ask-services") || !strcmp(k, "ask-algs");
}

static void parse_list(struct ksf_policy *pol, const char *k, const char *v)
{
	bool svc = !strcmp(k, "services") || !strcmp(k, "ask-services");
	uint32_t vals[LIST_MAX];
	int n;

	n = ksf_list_parse(svc ? KSF_NAMES_SERVICE : KSF_NAMES_ALG, v, vals,
			   LIST_MAX);
	if (n < 0 || n > LIST_MAX)
		die_usage("bad %s list \"%s\"", svc ? "service" : "alg", v);
	if (ksf_policy_set_list(pol, k, vals, n))
		die_usage("%s: %s", k, ksf_last_error(NULL));
}

static void parse_key_len(struct ksf_policy *pol, const char *v)
{
	char *dash, buf[64];
	uint32_t min, max;

	snprintf(buf, sizeof(buf), "%s", v);
	dash = strchr(buf, '-');
	if (dash)
		*dash++ = '\0';
	if (parse_u32(buf, &min) || parse_u32(dash ? dash : buf, &max))
		die_usage("bad key-len \"%s\" (MIN-MAX)", v);
	set_u32(pol, "key-len-min", min);
	set_u32(pol, "key-len-max", max);
}

/* notify STATUS "ITEM"... | timer MS "ITEM"...; returns the last index used */
static int parse_list_of_items(struct policy_parse *pp, int argc, char **argv,
			       int i)
{
	bool notify = !strcmp(argv[i], "notify");
	struct ksf_items *items = ksf_items_new();
	uint32_t v;
	int err;

	if (!items)
		die_usage("out of memory");
	need(argc, i, argv[i]);
	i++;
	if (notify && ksf_value(KSF_NAMES_NOTIFY_STATUS, argv[i], &v))
		die_usage("unknown notify status \"%s\"", argv[i]);
	if (!notify && parse_u32(argv[i], &v))
		die_usage("bad timer period \"%s\" (ms)", argv[i]);
	i = collect_items(argc, argv, i + 1, items);
	/* the policy owns items from here, also on error */
	err = ksf_policy_add_trigger(pp->pol, notify ? KSF_TRIGGER_NOTIFY :
							KSF_TRIGGER_TIMER, v, items);
	if (err)
		die_usage("%s: %s", notify ? "notify" : "timer",
			  ksf_last_error(NULL));
	if (notify)
		pp->notify_lists = true;
	else
		pp->timer_lists = true;
	return i - 1;
}

/* notify none | timer none */
static bool parse_none(struct policy_parse *pp, int argc, char **argv, int *i)
{
	const char *k = argv[*i];

	if (*i + 1 >= argc || strcmp(argv[*i + 1], "none"))
		return false;
	if (!strcmp(k, "notify")) {
		pp->notify_none = true;
		ksf_policy_clear_triggers(pp->pol, KSF_TRIGGER_NOTIFY);
	} else {
		pp->timer_none = true;
		ksf_policy_clear_triggers(pp->pol, KSF_TRIGGER_TIMER);
	}
	(*i)++;
	return true;
}

bool policy_parse(struct policy_parse *pp, int argc, char **argv, int *i)
{
	const char *k = argv[*i];
	uint8_t map[32];
	uint32_t v;
	size_t j;
	bool b;

	if (!strcmp(k, "notify") || !strcmp(k, "timer")) {
		if (!parse_none(pp, argc, argv, i))
			*i = parse_list_of_items(pp, argc, argv, *i);
		return true;
	}
	for (j = 0; j < ARRAY_SIZE(policy_u32); j++)
		if (!strcmp(k, policy_u32[j]))
			break;
	if (j == ARRAY_SIZE(policy_u32) && !is_list(k) && strcmp(k, "key-len") &&
	    strcmp(k, "caller-rand") && strcmp(k, "mac-fcs") &&
	    strcmp(k, "encrypt-fcs") && strcmp(k, "carry"))
		return false;
	need(argc, *i, k);
	(*i)++;
	if (j < ARRAY_SIZE(policy_u32)) {
		if (parse_u32(argv[*i], &v))
			die_usage("bad %s \"%s\"", k, argv[*i]);
		set_u32(pp->pol, k, v);
	} else if (is_list(k)) {
		parse_list(pp->pol, k, argv[*i]);
	} else if (!strcmp(k, "key-len")) {
		parse_key_len(pp->pol, argv[*i]);
	} else if (!strcmp(k, "caller-rand")) {
		if (parse_bool(argv[*i], &b))
			die_usage("caller-rand takes on or off");
		set_u32(pp->pol, k, b);
	} else if (!strcmp(k, "carry")) {
		/* "none": the empty list, which clears it */
		if (ksf_policy_set_str(pp->pol, k, strcmp(argv[*i], "none") ?
				       argv[*i] : ""))
			die_usage("%s: %s", k, ksf_last_error(NULL));
	} else {
		if (parse_fcs(argv[*i], map))
			die_usage("bad %s \"%s\" (a list of FCs 0..255, or none)",
				  k, argv[*i]);
		if (ksf_policy_set_bin(pp->pol, k, map, sizeof(map)))
			die_usage("%s: %s", k, ksf_last_error(NULL));
	}
	return true;
}

void policy_parse_end(struct policy_parse *pp)
{
	/* "notify none": an empty list, which clears the presets */
	if (pp->notify_none && pp->notify_lists)
		die_usage("\"notify none\" and notify presets exclude each other");
	if (pp->timer_none && pp->timer_lists)
		die_usage("\"timer none\" and timers exclude each other");
}

/* ---- printing -------------------------------------------------------------- */

/* The bitmap of a list as a decimal number of any width (JSON *_mask). */
static void mask_decimal(const uint32_t *v, int n, char *out, size_t size)
{
	uint8_t map[LIST_MAX / 8] = { 0 };
	char digits[96];
	size_t nd = 0, k;
	bool zero;
	int i;

	for (i = 0; i < n; i++)
		if (v[i] < LIST_MAX)
			map[v[i] / 8] |= 1 << (v[i] % 8);
	do {
		unsigned int rem = 0;

		zero = true;
		for (i = sizeof(map) - 1; i >= 0; i--) {
			unsigned int cur = rem << 8 | map[i];

			map[i] = cur / 10;
			rem = cur % 10;
			zero &= !map[i];
		}
		digits[nd++] = '0' + rem;
	} while (!zero && nd < sizeof(digits));
	for (k = 0; k < nd && k + 1 < size; k++)
		out[k] = digits[nd - 1 - k];
	out[k] = '\0';
}

static void print_list(const struct ksf_policy *pol, const char *k,
		       enum ksf_name_table t)
{
	uint32_t vals[LIST_MAX];
	char buf[2048], key[32], fmt[32], *p;
	int n = ksf_policy_get_list(pol, k, vals, LIST_MAX);

	if (n < 0)
		return;
	if (n > LIST_MAX)
		n = LIST_MAX;
	ksf_list_format(t, vals, n, buf, sizeof(buf));
	snprintf(fmt, sizeof(fmt), "    %s: %%s\n", k);
	snprintf(key, sizeof(key), "%s", k);
	for (p = key; (p = strchr(p, '-')); )
		*p = '_';
	print_string(PRINT_ANY, key, fmt, buf);
	mask_decimal(vals, n, buf, sizeof(buf));
	snprintf(key + strlen(key), sizeof(key) - strlen(key), "_mask");
	print_json_raw(key, buf);
}

static void print_u32(const struct ksf_policy *pol, const char *k)
{
	char key[32], fmt[48];
	uint32_t v;
	size_t i;

	if (ksf_policy_get_u32(pol, k, &v))
		return;
	snprintf(key, sizeof(key), "%s", k);
	for (i = 0; key[i]; i++)
		if (key[i] == '-')
			key[i] = '_';
	snprintf(fmt, sizeof(fmt), "    %s: %%s%s\n", k,
		 !strcmp(k, "mac-len-min") && !v ? " (full tag)" : "");
	print_uint(PRINT_ANY, key, fmt, v);
}

static void print_fcs(const struct ksf_policy *pol, const char *k)
{
	char buf[2048], key[32], fmt[48];
	const void *map;
	size_t n;

	if (ksf_policy_get_bin(pol, k, &map, &n))
		return;
	format_fcs(map, n, buf, sizeof(buf));
	snprintf(key, sizeof(key), "%s", k);
	key[strcspn(key, "-")] = '_';
	snprintf(fmt, sizeof(fmt), "    %s: %%s\n", k);
	print_string(PRINT_ANY, key, fmt, buf);
}

static void print_items(const struct ksf_items *items)
{
	size_t j;

	open_json_array("items");
	for (j = 0; j < ksf_items_count(items); j++) {
		print_text("      ");
		item_print(ksf_items_get(items, j));
		print_text("\n");
	}
	close_json_array();
}

static void print_lists(const struct ksf_policy *pol)
{
	const struct ksf_items *items;
	uint32_t v;
	size_t i;

	open_json_array("notify");
	for (i = 0; !ksf_policy_trigger(pol, KSF_TRIGGER_NOTIFY, i, &v, &items); i++) {
		open_json_object(NULL);
		print_name(PRINT_ANY, "status", "    notify %s:\n",
			   KSF_NAMES_NOTIFY_STATUS, v);
		print_items(items);
		close_json_object();
	}
	close_json_array();
	open_json_array("timers");
	for (i = 0; !ksf_policy_trigger(pol, KSF_TRIGGER_TIMER, i, &v, &items); i++) {
		open_json_object(NULL);
		print_uint(PRINT_ANY, "period", "    timer %s ms:\n", v);
		print_items(items);
		close_json_object();
	}
	close_json_array();
}

/* A policy's fields under @title (text) and @json (the object's key). */
void policy_print_as(const struct ksf_policy *pol, const char *json,
		     const char *title)
{
	uint32_t min = 0, max = 0;
	const char *carry;
	int has_min, has_max;

	open_json_object(json);
	print_text("%s", title);
	print_list(pol, "services", KSF_NAMES_SERVICE);
	print_list(pol, "algs", KSF_NAMES_ALG);
	print_list(pol, "ask-services", KSF_NAMES_SERVICE);
	print_list(pol, "ask-algs", KSF_NAMES_ALG);
	has_min = !ksf_policy_get_u32(pol, "key-len-min", &min);
	has_max = !ksf_policy_get_u32(pol, "key-len-max", &max);
	if (has_min || has_max) {
		print_text("    key-len: %u-%u\n", min, max);
		if (has_min)
			print_uint(PRINT_JSON, "key_len_min", NULL, min);
		if (has_max)
			print_uint(PRINT_JSON, "key_len_max", NULL, max);
	}
	print_u32(pol, "lifetime-max");
	print_u32(pol, "batch-max");
	if (!ksf_policy_get_u32(pol, "caller-rand", &min))
		print_bool(PRINT_ANY, "caller_rand", "    caller-rand: %s\n", min);
	print_u32(pol, "mac-len-min");
	print_u32(pol, "keys-max");
	print_u32(pol, "contexts-max");
	print_fcs(pol, "mac-fcs");
	print_fcs(pol, "encrypt-fcs");
	if (!ksf_policy_get_str(pol, "carry", &carry) && *carry)
		print_string(PRINT_ANY, "carry", "    carry: %s\n", carry);
	print_lists(pol);
	close_json_object();
}

void policy_print(const struct ksf_policy *pol)
{
	policy_print_as(pol, "policy", "  policy:\n");
}
