// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksf-threads HANDLE [THREADS [ITERS]]
 *   Several threads share one libksf handle: each alternates GET_INFO and
 *   a batch of 8 HMAC-SHA-256 mac-generate items over thread-specific data
 *   with key HANDLE, and checks every tag against the one it got first.
 *   Exit 0 when every call succeeded with consistent results.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libksf.h"

static struct ksf *h;
static uint64_t key;
static int iters = 200;
static int failures;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void failed(int t, const char *what, int err)
{
	pthread_mutex_lock(&lock);
	failures++;
	fprintf(stderr, "thread %d: %s: %d (%s)\n", t, what, err,
		ksf_last_error(h));
	pthread_mutex_unlock(&lock);
}

static int build(struct ksf_items *items, uint8_t data[8][16], int t)
{
	struct ksf_item *it;
	int j;

	for (j = 0; j < 8; j++) {
		memset(data[j], t * 16 + j, sizeof(data[j]));
		it = ksf_items_add(items, KSF_SERVICE_MAC_GENERATE);
		if (!it || ksf_item_set_u32(it, "alg", KSF_ALG_HMAC_SHA256) ||
		    ksf_item_set_u64(it, "key", key) ||
		    ksf_item_set_bin(it, "data", data[j], sizeof(data[j])))
			return -1;
	}
	return 0;
}

/* Result j: index j, ok, a 32-byte tag equal to the first round's. */
static void check(int t, int i, int j, const struct ksf_result *r,
		  uint8_t first[8][32])
{
	const void *tag;
	size_t len = 0;

	if (ksf_result_index(r) != (uint32_t)j ||
	    ksf_result_status(r) != KSF_STATUS_OK ||
	    ksf_result_get_bin(r, "data", &tag, &len) || len != 32) {
		failed(t, ksf_result_reason(r) ? ksf_result_reason(r) :
		       "bad result", ksf_result_error(r));
		return;
	}
	if (!i)
		memcpy(first[j], tag, 32);
	else if (memcmp(first[j], tag, 32))
		failed(t, "tag changed", 0);
}

static void *worker(void *arg)
{
	int t = (int)(intptr_t)arg, i, j, n;
	uint8_t data[8][16], first[8][32];
	struct ksf_items *items = ksf_items_new();
	struct ksf_results *res;
	struct ksf_info info;

	if (!items || build(items, data, t)) {
		failed(t, "items", -ENOMEM);
		ksf_items_free(items);
		return NULL;
	}
	for (i = 0; i < iters; i++) {
		n = ksf_get_info(h, &info);
		if (n) {
			failed(t, "get_info", n);
			continue;
		}
		n = ksf_service_request(h, items, &res);
		if (n != 8) {
			failed(t, "service_request", n);
			if (n >= 0)
				ksf_results_free(res);
			continue;
		}
		for (j = 0; j < 8; j++)
			check(t, i, j, ksf_results_get(res, j), first);
		ksf_results_free(res);
	}
	ksf_items_free(items);
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = 4, t;
	pthread_t tid[64];

	if (argc < 2) {
		fprintf(stderr, "usage: ksf-threads HANDLE [THREADS [ITERS]]\n");
		return 2;
	}
	key = strtoull(argv[1], NULL, 0);
	if (argc > 2)
		threads = atoi(argv[2]);
	if (argc > 3)
		iters = atoi(argv[3]);
	if (threads < 1 || threads > 64 || iters < 1)
		return 2;
	h = ksf_open();
	if (!h) {
		fprintf(stderr, "ksf_open: %s\n", ksf_last_error(NULL));
		return 1;
	}
	for (t = 0; t < threads; t++)
		pthread_create(&tid[t], NULL, worker, (void *)(intptr_t)t);
	for (t = 0; t < threads; t++)
		pthread_join(tid[t], NULL);
	ksf_close(h);
	printf("%d threads x %d iterations: %d failures\n", threads, iters,
	       failures);
	return failures ? 1 : 0;
}
