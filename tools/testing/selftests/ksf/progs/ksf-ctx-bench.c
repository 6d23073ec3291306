// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksf-ctx-bench [quick] [SECONDS]
 *
 * The scale figures of DESIGN.md section 7, measured in one run:
 *
 *   memory   per context at N = 10^3 .. 10^6 contexts (context-new, one
 *            peer), as deltas from a baseline taken before the first
 *            context, divided by N: ksf's own accounting (info `mem`), the
 *            kernel's Slab:, Slab: + VmallocUsed: (the real cost: the
 *            contexts are kmalloc'ed, the two rhashtables' bucket arrays
 *            are kvmalloc'ed, vmalloc once large) and MemTotal - MemFree
 *            (everything, but moved by the per-CPU page lists: noisy
 *            below 10^5)
 *   lookup   at each N: batches of 1000 nas-unprotect items, each naming a
 *            random existing subscriber that has no NAS security context:
 *            the kernel finds the context in its table, takes its lock and
 *            fails the item ("context has no NAS security context");
 *            every result is checked to be exactly that, so the figure
 *            is a found-context lookup.  Also one context-get per lookup
 *            (a round trip each: syscall-dominated)
 *   threads  mac-generate (HMAC-SHA-256, 64 bytes, 100 items per request,
 *            no key created) from 1 thread, then 2 threads with a handle
 *            each: ops/s and the ratio
 *
 * Times are the best of several short rounds (a noisy emulated CPU).
 * `quick` stops at 10^4 contexts with short rounds (a smoke check);
 * SECONDS scales the time spent per figure (default 1, quick 0.3).
 * Creates its own peer bound to the caller's uid and deletes it at the
 * end.  Not a test: it prints figures, never judges them.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libksf.h"

#define PEER		"ctxbench"
#define SUB_FMT		"imsi-0010100%08u"
#define BATCH		1000
#define POOL		(4 * BATCH)
#define MAC_ITEMS	100
#define LAT_MAX		200000	/* latency samples per client */
#define ROUNDS		5
#define MAX_STEPS	4
#define NO_NAS		"context has no NAS security context"

struct step {
	unsigned int n;
	double create_rate;		/* contexts per second */
	double ksf_mem, slab, kernel, used;	/* bytes per context */
	double batched_ns;		/* per nas-unprotect item */
	double get_us;			/* per context-get round trip */
};

struct mem {
	long long ksf, slab, vmalloc, used, avail;	/* bytes */
};

static struct ksf *h;
static uint64_t key;
static double budget = 1.0;
static unsigned int n_max = 1000000;
static char pool[POOL][32];
static struct ksf_items *items;		/* BATCH nas-unprotect items */
static const char *subs[BATCH];		/* their subscribers */
static struct ksf_results *res;
static const uint8_t nas_data[1], nas_mac[4];
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(struct ksf *hh, const char *what, int ret)
{
	fprintf(stderr, "ksf-ctx-bench: %s: %s (%s)\n", what,
		strerror(ret < 0 ? -ret : ret), ksf_last_error(hh));
	exit(1);
}

/* xorshift64*: reproducible subscriber picks. */
static unsigned int pick(unsigned int n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (rng * 0x2545f4914f6cdd1dULL >> 32) % n;
}

/* ---- set-up ---- */

static void setup(void)
{
	static const uint32_t services[] = { KSF_SERVICE_NAS_UNPROTECT,
					     KSF_SERVICE_MAC_GENERATE };
	static const uint32_t algs[] = { KSF_ALG_HMAC_SHA256 };
	struct ksf_peer p = { .kind = KSF_PEER_KIND_NF, .has_uid = true,
			      .uid = getuid() };
	struct ksf_key_spec s = { .type = KSF_KEY_TYPE_GENERIC, .len = 32,
				  .usage = KSF_KEY_USAGE_MAC, .owner = PEER };
	int ret;

	snprintf(p.id, sizeof(p.id), "%s", PEER);
	p.policy = ksf_policy_new();
	if (!p.policy || ksf_policy_set_list(p.policy, "services", services, 2) ||
	    ksf_policy_set_list(p.policy, "algs", algs, 1))
		die(h, "policy", EINVAL);
	ksf_peer_del(h, PEER);
	ret = ksf_peer_new(h, &p);
	ksf_policy_free(p.policy);
	if (ret)
		die(h, "peer new", ret);
	ret = ksf_key_new(h, &s, &key);
	if (ret)
		die(h, "key new", ret);
}

/* ---- memory ---- */

static long long meminfo_kb(const char *want)
{
	char name[64];
	long long kb, val = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		die(h, "/proc/meminfo", errno);
	while (fscanf(f, "%63s %lld%*[^\n]", name, &kb) == 2)
		if (!strcmp(name, want))
			val = kb;
	fclose(f);
	if (val < 0)
		die(h, want, ENOENT);
	return val;
}

/*
 * Lets the table resizes (deferred work) and RCU frees of old bucket
 * tables finish, then reads the figures.
 */
static void mem_read(struct mem *m, unsigned int want_contexts)
{
	struct ksf_info info;
	int ret;

	sleep(2);
	ret = ksf_get_info(h, &info);
	if (ret)
		die(h, "get-info", ret);
	if (info.contexts != want_contexts) {
		fprintf(stderr, "ksf-ctx-bench: %u contexts, expected %u\n",
			info.contexts, want_contexts);
		exit(1);
	}
	m->ksf = info.mem;
	m->slab = meminfo_kb("Slab:") * 1024;
	m->vmalloc = meminfo_kb("VmallocUsed:") * 1024;
	m->used = (meminfo_kb("MemTotal:") - meminfo_kb("MemFree:")) * 1024;
	m->avail = meminfo_kb("MemAvailable:") * 1024;
}

static void mem_step(struct step *s, const struct mem *base,
		     const struct mem *m)
{
	s->ksf_mem = (double)(m->ksf - base->ksf) / s->n;
	s->slab = (double)(m->slab - base->slab) / s->n;
	s->kernel = (double)(m->slab + m->vmalloc - base->slab -
			     base->vmalloc) / s->n;
	s->used = (double)(m->used - base->used) / s->n;
}

/*
 * Room for n - done more contexts (at a generous 400 B each, plus 64 MiB
 * for the table resizes and the rest)?
 */
static bool mem_room(const struct mem *m, unsigned int done, unsigned int n)
{
	long long need = (long long)(n - done) * 400 + (64LL << 20);

	if (m->avail >= need)
		return true;
	fprintf(stderr, "ksf-ctx-bench: %lld MiB available, %u contexts need about %lld: stopping at %u (give the VM more: vm-run --mem MB)\n",
		m->avail >> 20, n, need >> 20, done);
	return false;
}

/* Creates contexts [from, to); returns contexts per second. */
static double create_contexts(unsigned int from, unsigned int to)
{
	struct ksf_context_spec s = { .peer = PEER };
	double t0 = now(), last = t0, t;
	uint64_t handle;
	char sub[32];
	unsigned int i;
	int ret;

	s.subscriber = sub;
	for (i = from; i < to; i++) {
		snprintf(sub, sizeof(sub), SUB_FMT, i);
		ret = ksf_context_new(h, &s, &handle);
		if (ret)
			die(h, "context-new", ret);
		if (i % 1000)
			continue;
		t = now();
		if (t - last < 5)
			continue;
		fprintf(stderr, "ksf-ctx-bench: %u/%u contexts (%.0f/s)\n",
			i, to, (i - from) / (t - t0));
		last = t;
	}
	return (to - from) / (now() - t0);
}

/* ---- lookups ---- */

/* Fills the pool with random subscribers among the n existing ones. */
static void pool_fill(unsigned int n)
{
	int i;

	for (i = 0; i < POOL; i++)
		snprintf(pool[i], sizeof(pool[i]), SUB_FMT, pick(n));
}

static void items_init(void)
{
	struct ksf_item *it;
	int i;

	items = ksf_items_new();
	if (!items)
		die(NULL, "items", ENOMEM);
	for (i = 0; i < BATCH; i++) {
		it = ksf_items_add(items, KSF_SERVICE_NAS_UNPROTECT);
		/* subscriber first: replaced per batch, in place */
		if (!it || ksf_item_set_str(it, "subscriber", "") ||
		    ksf_item_set_bin(it, "data", nas_data, sizeof(nas_data)) ||
		    ksf_item_set_bin(it, "mac", nas_mac, sizeof(nas_mac)) ||
		    ksf_item_set_u32(it, "seq", 0))
			die(NULL, "item", EINVAL);
	}
}

/* Every item must have found its context, which has no NAS context. */
static void check_unprotect(int n)
{
	const struct ksf_result *r;
	int i;

	for (i = 0; i < n; i++) {
		uint32_t idx;

		r = ksf_results_get(res, i);
		idx = ksf_result_index(r);
		if (idx < BATCH && ksf_result_status(r) == KSF_STATUS_ERROR &&
		    ksf_result_error(r) == -ENOENT && ksf_result_reason(r) &&
		    !strcmp(ksf_result_reason(r), NO_NAS))
			continue;
		fprintf(stderr,
			"ksf-ctx-bench: nas-unprotect item %u (%s): status %u error %d reason \"%s\", expected \"" NO_NAS "\": the figure would not measure a context lookup\n",
			idx, idx < BATCH ? subs[idx] : "?",
			ksf_result_status(r), ksf_result_error(r),
			ksf_result_reason(r) ? ksf_result_reason(r) : "");
		exit(1);
	}
}

/* One batch of BATCH items from pool slice b; returns the seconds taken. */
static double unprotect_batch(unsigned int b, unsigned int *ops)
{
	double t0, t;
	int i, n;

	for (i = 0; i < BATCH; i++) {
		subs[i] = pool[(b % (POOL / BATCH)) * BATCH + i];
		if (ksf_item_set_str(ksf_items_get(items, i), "subscriber",
				     subs[i]))
			die(NULL, "subscriber", EINVAL);
	}
	t0 = now();
	n = ksf_service_request(h, items, &res);
	t = now() - t0;
	if (n < 0)
		die(h, "service request (nas-unprotect)", n);
	if (n != BATCH) {
		fprintf(stderr, "ksf-ctx-bench: %d results for %d items\n",
			n, BATCH);
		exit(1);
	}
	check_unprotect(n);
	ksf_results_free(res);
	res = NULL;
	*ops = BATCH;
	return t;
}

/* 50 context-get round trips; returns the seconds taken. */
static double get_group(unsigned int g, unsigned int *ops)
{
	struct ksf_context c;
	const char *sub;
	double t0 = now();
	int i, ret;

	for (i = 0; i < 50; i++) {
		sub = pool[(g * 50 + i) % POOL];
		ret = ksf_context_get_by_subscriber(h, PEER, sub, &c);
		if (ret)
			die(h, sub, ret);
		if (strcmp(c.subscriber, sub)) {
			fprintf(stderr, "ksf-ctx-bench: context-get %s gave %s\n",
				sub, c.subscriber);
			exit(1);
		}
	}
	*ops = 50;
	return now() - t0;
}

/*
 * Best of ROUNDS rounds of about `secs` each (after one warm-up call):
 * seconds per operation of the timed part of fn.
 */
static double best_of(double (*fn)(unsigned int, unsigned int *), double secs)
{
	double best = 1e30, spent, t0;
	unsigned int call = 0, ops, total;
	int r;

	fn(call++, &ops);
	for (r = 0; r < ROUNDS; r++) {
		spent = 0;
		total = 0;
		t0 = now();
		do {
			spent += fn(call++, &ops);
			total += ops;
		} while (now() - t0 < secs / ROUNDS);
		if (spent / total < best)
			best = spent / total;
	}
	return best;
}

static void lookups(struct step *s)
{
	pool_fill(s->n);
	s->batched_ns = best_of(unprotect_batch, budget) * 1e9;
	s->get_us = best_of(get_group, budget) * 1e6;
}

/* ---- throughput with 1 and 2 threads ---- */

struct worker {
	pthread_t tid;
	struct ksf *h;
	struct ksf_items *items;	/* MAC_ITEMS mac-generate items */
	int n_items;			/* per request */
	double secs, rate;
	double *lat;			/* seconds per request, when set */
	long n_lat;
};

static uint8_t mac_data[64];
static pthread_barrier_t start_line;

static void mac_batch(struct worker *w)
{
	struct ksf_results *r;
	const char *reason;
	int i, n = ksf_service_request(w->h, w->items, &r);

	if (n < 0)
		die(w->h, "service request (mac-generate)", n);
	for (i = 0; i < n; i++)
		if (ksf_result_status(ksf_results_get(r, i)) != KSF_STATUS_OK)
			break;
	if (n != w->n_items || i < n) {
		reason = i < n ? ksf_result_reason(ksf_results_get(r, i)) : NULL;
		fprintf(stderr, "ksf-ctx-bench: mac-generate: %d results, item %d: %s\n",
			n, i, reason ? reason : "");
		exit(1);
	}
	ksf_results_free(r);
}

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	double t0, t;
	long calls = 0;

	pthread_barrier_wait(&start_line);
	t0 = t = now();
	w->n_lat = 0;
	do {
		double t1 = t;

		mac_batch(w);
		calls++;
		t = now();
		if (w->lat && w->n_lat < LAT_MAX)
			w->lat[w->n_lat++] = t - t1;
	} while (t - t0 < w->secs);
	w->rate = calls * w->n_items / (t - t0);
	return NULL;
}

static void worker_init(struct worker *w)
{
	int i;

	w->h = ksf_open();
	if (!w->h)
		die(NULL, "open", errno);
	w->n_items = MAC_ITEMS;
	w->items = ksf_items_new();
	if (!w->items)
		die(NULL, "items", ENOMEM);
	for (i = 0; i < MAC_ITEMS; i++) {
		struct ksf_item *it = ksf_items_add(w->items,
						    KSF_SERVICE_MAC_GENERATE);

		if (!it || ksf_item_set_u32(it, "alg", KSF_ALG_HMAC_SHA256) ||
		    ksf_item_set_u64(it, "key", key) ||
		    ksf_item_set_bin(it, "data", mac_data, sizeof(mac_data)))
			die(NULL, "item", EINVAL);
	}
}

/* nt threads at once for secs; returns their summed ops/s. */
static double threads_run(struct worker *w, int nt, double secs)
{
	double sum = 0;
	int i, ret;

	ret = pthread_barrier_init(&start_line, NULL, nt);
	if (ret)
		die(NULL, "pthread_barrier_init", ret);
	for (i = 0; i < nt; i++) {
		w[i].secs = secs;
		ret = pthread_create(&w[i].tid, NULL, worker_run, &w[i]);
		if (ret)
			die(NULL, "pthread_create", ret);
	}
	for (i = 0; i < nt; i++) {
		pthread_join(w[i].tid, NULL);
		sum += w[i].rate;
	}
	pthread_barrier_destroy(&start_line);
	return sum;
}

/* Alternates 1- and 2-thread runs, keeps each one's best. */
static void throughput(double *r1, double *r2)
{
	struct worker *w = calloc(2, sizeof(*w));
	double x;
	int r;

	if (!w)
		die(NULL, "calloc", ENOMEM);
	worker_init(&w[0]);
	worker_init(&w[1]);
	threads_run(w, 2, 0.1);		/* warm-up */
	*r1 = *r2 = 0;
	for (r = 0; r < 3; r++) {
		x = threads_run(w, 1, budget);
		if (x > *r1)
			*r1 = x;
		x = threads_run(w, 2, budget);
		if (x > *r2)
			*r2 = x;
	}
	ksf_close(w[0].h);
	ksf_items_free(w[0].items);
	ksf_close(w[1].h);
	ksf_items_free(w[1].items);
	free(w);
}

/* ---- latency of one-item requests from concurrent clients ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* nt clients, one mac-generate per request: p50 and p99 over all. */
static void latency(int nt, double *p50, double *p99)
{
	struct worker *w = calloc(nt, sizeof(*w));
	double *all;
	long n = 0;
	int i;

	all = malloc((size_t)nt * LAT_MAX * sizeof(*all));
	if (!w || !all)
		die(NULL, "calloc", ENOMEM);
	for (i = 0; i < nt; i++) {
		worker_init(&w[i]);
		w[i].n_items = 1;
		w[i].lat = all + (size_t)i * LAT_MAX;
	}
	threads_run(w, nt, budget);
	for (i = 0; i < nt; i++) {
		memmove(all + n, w[i].lat, w[i].n_lat * sizeof(*all));
		n += w[i].n_lat;
		ksf_close(w[i].h);
		ksf_items_free(w[i].items);
	}
	qsort(all, n, sizeof(*all), cmp_double);
	*p50 = all[n / 2] * 1e6;
	*p99 = all[n * 99 / 100] * 1e6;
	free(all);
	free(w);
}

/* ---- report ---- */

static void print_head(void)
{
	printf("%9s %9s | %8s %8s %8s %8s | %10s %11s\n", "contexts",
	       "create/s", "ksf mem", "slab", "slab+vm", "used",
	       "unprotect", "context-get");
	printf("%9s %9s | %8s %8s %8s %8s | %10s %11s\n", "", "",
	       "B/ctx", "B/ctx", "B/ctx", "B/ctx", "ns/item", "us/call");
}

static void print_step(const struct step *s)
{
	printf("%9u %9.0f | %8.1f %8.1f %8.1f %8.1f | %10.0f %11.2f\n", s->n,
	       s->create_rate, s->ksf_mem, s->slab, s->kernel, s->used,
	       s->batched_ns, s->get_us);
}

static void print_ratios(const struct step *lo, const struct step *hi)
{
	printf("lookup %u/%u contexts: nas-unprotect batched %.2fx (target <= 1.30), context-get %.2fx\n",
	       hi->n, lo->n, hi->batched_ns / lo->batched_ns,
	       hi->get_us / lo->get_us);
	printf("memory at %u contexts: kernel (slab+vmalloc) %.0f B per context (target <= 320); ksf's own count %.0f\n",
	       hi->n, hi->kernel, hi->ksf_mem);
}

static void usage(void)
{
	fprintf(stderr, "usage: ksf-ctx-bench [quick] [SECONDS]\n");
	exit(2);
}

static void parse_args(int argc, char **argv)
{
	bool have_budget = false;
	char *end;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "quick")) {
			n_max = 10000;
			if (!have_budget)
				budget = 0.3;
			continue;
		}
		budget = strtod(argv[i], &end);
		if (*end || budget <= 0)
			usage();
		have_budget = true;
	}
}

int main(int argc, char **argv)
{
	struct step steps[MAX_STEPS];
	struct ksf_info info;
	unsigned int n, done = 0;
	struct mem base, m;
	double r1, r2;
	int k = 0, ret;

	parse_args(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	h = ksf_open();
	if (!h)
		die(NULL, "open", errno);
	setup();
	items_init();
	ret = ksf_get_info(h, &info);
	if (ret)
		die(h, "get-info", ret);
	printf("ksf-ctx-bench: %ld CPUs online, context_size %u B (+ subscriber ID, %zu B here), %.1f s per figure\n",
	       sysconf(_SC_NPROCESSORS_ONLN), info.context_size,
	       (size_t)snprintf(NULL, 0, SUB_FMT, 0) + 1, budget);
	mem_read(&base, 0);
	printf("VM memory: MemTotal %lld MiB, MemAvailable %lld MiB\n",
	       meminfo_kb("MemTotal:") >> 10, base.avail >> 20);
	printf("memory: deltas from before the first context / N: ksf = info mem; slab = Slab:; slab+vm = Slab: + VmallocUsed:; used = MemTotal - MemFree (noisy below 10^5)\n");
	printf("lookup: nas-unprotect, %d items/request, random subscriber, context found without NAS context; context-get: 1 per request\n",
	       BATCH);
	print_head();
	m = base;
	for (n = 1000; n <= n_max && k < MAX_STEPS; n *= 10, k++) {
		struct step *s = &steps[k];

		if (!mem_room(&m, done, n))
			break;
		s->n = n;
		s->create_rate = create_contexts(done, n);
		done = n;
		mem_read(&m, n);
		mem_step(s, &base, &m);
		lookups(s);
		print_step(s);
	}
	if (!k) {
		fprintf(stderr, "ksf-ctx-bench: not even 1000 contexts fit\n");
		return 1;
	}
	print_ratios(&steps[0], &steps[k - 1]);

	throughput(&r1, &r2);
	printf("mac-generate hmac-sha256 64 B, %d items/request (no key created; kdf would store one per op):\n",
	       MAC_ITEMS);
	printf("  1 thread %10.0f ops/s\n  2 threads %9.0f ops/s   ratio %.2fx (target >= 1.90, %ld CPUs)\n",
	       r1, r2, r2 / r1, sysconf(_SC_NPROCESSORS_ONLN));

	printf("latency of one-item mac-generate requests, concurrent clients (each its own socket):\n");
	for (k = 1; k <= 4; k *= 2) {
		double p50, p99;

		latency(k, &p50, &p99);
		printf("  %d client%s  p50 %7.1f us  p99 %7.1f us\n", k,
		       k > 1 ? "s" : " ", p50, p99);
	}

	fprintf(stderr, "ksf-ctx-bench: deleting the peer and its %u contexts\n", done);
	ret = ksf_peer_del(h, PEER);
	if (ret)
		die(h, "peer del", ret);
	ksf_close(h);
	return 0;
}
