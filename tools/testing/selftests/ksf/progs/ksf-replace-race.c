// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksf-replace-race OWNER OLD ROUNDS
 *   One thread loops batches of 8 HMAC-SHA-256 mac-generate items on the
 *   key OLD (as the nf peer bound to the caller) while the main thread,
 *   ROUNDS times, adds a fresh generic mac,verify key of 32 bytes owned
 *   by OWNER and replaces OLD by it (notify key-replace, as admin).
 *   Every item must succeed: a lookup of OLD never misses.  Exit 0 when
 *   no item failed, every replace succeeded, and the tags under OLD
 *   changed while the loop ran (it saw the replacements).
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libksf.h"

static uint64_t old_key;
static atomic_int stop;
static unsigned long requests, items_failed, enoent, changes;

static int build(struct ksf_items *items, const uint8_t *data, size_t len)
{
	struct ksf_item *it;
	int j;

	for (j = 0; j < 8; j++) {
		it = ksf_items_add(items, KSF_SERVICE_MAC_GENERATE);
		if (!it || ksf_item_set_u32(it, "alg", KSF_ALG_HMAC_SHA256) ||
		    ksf_item_set_u64(it, "key", old_key) ||
		    ksf_item_set_bin(it, "data", data, len))
			return -1;
	}
	return 0;
}

/* One batch: each item ok with a 32-byte tag; counts tag changes. */
static void check(const struct ksf_results *res, uint8_t last[32])
{
	const struct ksf_result *r;
	const void *tag;
	size_t j, len;

	for (j = 0; j < ksf_results_count(res); j++) {
		r = ksf_results_get(res, j);
		len = 0;
		if (ksf_result_status(r) != KSF_STATUS_OK ||
		    ksf_result_get_bin(r, "data", &tag, &len) || len != 32) {
			items_failed++;
			if (ksf_result_error(r) == -ENOENT)
				enoent++;
			if (items_failed <= 5)
				fprintf(stderr, "item %zu: error %d reason %s\n",
					j, ksf_result_error(r),
					ksf_result_reason(r) ?
					ksf_result_reason(r) : "-");
			continue;
		}
		if (memcmp(last, tag, 32)) {
			changes++;
			memcpy(last, tag, 32);
		}
	}
}

static void *mac_loop(void *arg)
{
	static const uint8_t data[] = "ksf key-replace race";
	struct ksf_items *items = ksf_items_new();
	struct ksf *h = arg;
	struct ksf_results *res;
	uint8_t last[32] = { 0 };
	int n;

	if (!items || build(items, data, sizeof(data))) {
		fprintf(stderr, "items: out of memory\n");
		items_failed++;
		goto out;
	}
	while (!atomic_load(&stop)) {
		n = ksf_service_request(h, items, &res);
		requests++;
		if (n != 8) {
			items_failed += 8;
			fprintf(stderr, "service_request: %d (%s)\n", n,
				ksf_last_error(h));
			if (n >= 0)
				ksf_results_free(res);
			continue;
		}
		check(res, last);
		ksf_results_free(res);
	}
out:
	ksf_items_free(items);
	return NULL;
}

int main(int argc, char **argv)
{
	struct ksf_key_spec spec = {
		.type = KSF_KEY_TYPE_GENERIC, .len = 32,
		.usage = KSF_KEY_USAGE_MAC | KSF_KEY_USAGE_VERIFY,
	};
	unsigned long replaced = 0, bad = 0;
	struct ksf *mh, *rh;
	int rounds, i, err;
	uint64_t new_key;
	pthread_t tid;

	if (argc != 4) {
		fprintf(stderr, "usage: ksf-replace-race OWNER OLD ROUNDS\n");
		return 2;
	}
	spec.owner = argv[1];
	old_key = strtoull(argv[2], NULL, 0);
	rounds = atoi(argv[3]);
	if (!old_key || rounds < 1)
		return 2;
	mh = ksf_open();
	rh = ksf_open();
	if (!mh || !rh) {
		fprintf(stderr, "ksf_open: %s\n", ksf_last_error(NULL));
		return 1;
	}
	pthread_create(&tid, NULL, mac_loop, mh);
	for (i = 0; i < rounds; i++) {
		err = ksf_key_new(rh, &spec, &new_key);
		if (!err)
			err = ksf_notify_key_replace(rh, old_key, new_key);
		if (err) {
			if (++bad <= 5)
				fprintf(stderr, "round %d: %d (%s)\n", i, err,
					ksf_last_error(rh));
			continue;
		}
		replaced++;
	}
	atomic_store(&stop, 1);
	pthread_join(tid, NULL);
	ksf_close(mh);
	ksf_close(rh);
	printf("%lu replaces (%lu failed), %lu requests, %lu items failed (%lu ENOENT), %lu tag changes\n",
	       replaced, bad, requests, items_failed, enoent, changes);
	return bad || items_failed || !changes ? 1 : 0;
}
