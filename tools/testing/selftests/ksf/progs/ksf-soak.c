// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksf-soak: the NF traffic of the soak (soak/soak-guest.sh), through
 * libksf, as the nf peer bound to the caller's uid (run it with ksf-runas).
 *
 *   ksf-soak nf DIR NAME
 *   ksf-soak monitor DIR SECONDS INTERVAL TSV
 *
 * Until DIR/stop exists, sends batches of service requests with the key
 * handles the soak's admin loop publishes in DIR/keys.NAME (re-read when
 * it changes; keys are rotated, deleted and expire under it):
 *   - mac-generate (HMAC-SHA-256), then mac-verify of the tag;
 *   - kdf giving a key with a 2 s lifetime (expires while in use);
 *   - mac-generate with a key of a short lifetime (the admin's "exp" key);
 *   - encrypt (AES-GCM), then decrypt of the ciphertext;
 *   - two K_AMFs (kdf), nas-context for two subscribers (downlink and
 *     uplink sides), then nas-protect on the uplink side and nas-unprotect
 *     on the other;
 *   - aka-vector, then aka-response of its RAND and AUTN (aka-resync on a
 *     synchronisation failure).
 * Every item's result is counted (ok, rejected, error); a second step whose
 * first step was ok must give the first step's input back (tag verified,
 * plaintext, RES* = XRES*) unless it fails with an error: a mismatch is a
 * "bad" result.  Every 250 ms the counts go to DIR/ops.NAME (one line:
 * ok rejected error bad requests request-failures); at the end a summary
 * per service goes to stdout.  Exit status 1 when a result was bad.
 *
 * monitor: for SECONDS (then until DIR/stop exists), once a second reads
 * ksf's mem (get-info), Slab and SUnreclaim (/proc/meminfo); every
 * INTERVAL s appends a sample to TSV and prints it as a table row: time,
 * ops/s (the sum of the nf processes' ok counts), the means of the three
 * readings over the interval, ksf's peers, keys and contexts, the
 * save/restore cycles (DIR/save.count: "ok failed"), and ksf's mem per
 * object (mean mem / mean number of peers, keys and contexts).  One process without
 * forks: under KASAN in TCG a shell's forks would stretch the intervals.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "libksf.h"

#define N_SVC	32

enum { K_MAC, K_DERIVE, K_AES, K_K, K_OPC, K_EXP, K_N };

static const char *const key_names[K_N] = {
	"mac", "derive", "aes", "k", "opc", "exp",
};

static struct ksf *h;
static const char *dir, *name;
static uint64_t keys[K_N];
static struct timespec keys_mtime;
static unsigned long long n_ok, n_rej, n_err, n_bad, n_req, n_req_fail;
static unsigned long long svc_ok[N_SVC], svc_rej[N_SVC], svc_err[N_SVC];
static int last_errno[N_SVC];
static char last_reason[N_SVC][80], last_req_error[120];
static char subs_he[64], subs_dl[64], subs_ul[64];
static int nas_ready;

static const char snn[] = "5G:mnc001.mcc001.3gppnetwork.org";

static void path(char *buf, size_t size, const char *what)
{
	snprintf(buf, size, "%s/%s.%s", dir, what, name);
}

/* Re-read DIR/keys.NAME ("mac 0x..." lines) when it changed. */
static void load_keys(void)
{
	char p[512], line[128], kn[32];
	unsigned long long v;
	struct stat st;
	FILE *f;
	int i;

	path(p, sizeof(p), "keys");
	if (stat(p, &st) || (st.st_mtim.tv_sec == keys_mtime.tv_sec &&
			     st.st_mtim.tv_nsec == keys_mtime.tv_nsec))
		return;
	f = fopen(p, "r");
	if (!f)
		return;
	keys_mtime = st.st_mtim;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%31s %llx", kn, &v) != 2)
			continue;
		for (i = 0; i < K_N; i++)
			if (!strcmp(kn, key_names[i]))
				keys[i] = v;
	}
	fclose(f);
	nas_ready = 0;	/* new keys: new NAS contexts */
}

static void write_counts(void)
{
	char p[512], tmp[520];
	FILE *f;

	path(p, sizeof(p), "ops");
	snprintf(tmp, sizeof(tmp), "%s.tmp", p);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "%llu %llu %llu %llu %llu %llu\n", n_ok, n_rej, n_err,
		n_bad, n_req, n_req_fail);
	if (fclose(f) == 0)
		rename(tmp, p);
}

static void count(uint32_t service, const struct ksf_result *r)
{
	uint32_t s = service < N_SVC ? service : 0;
	uint32_t status = ksf_result_status(r);

	if (status == KSF_STATUS_OK) {
		n_ok++;
		svc_ok[s]++;
	} else if (status == KSF_STATUS_REJECTED) {
		n_rej++;
		svc_rej[s]++;
	} else {
		n_err++;
		svc_err[s]++;
		last_errno[s] = ksf_result_error(r);
	}
	if (status != KSF_STATUS_OK && ksf_result_reason(r))
		snprintf(last_reason[s], sizeof(last_reason[s]), "%s",
			 ksf_result_reason(r));
}

/*
 * One request: its items, and its results by item index (NULL when that
 * item's result did not come back: it counts as an error).
 */
#define REQ_MAX	8

struct req {
	struct ksf_items *l;
	struct ksf_results *res;
	const struct ksf_result *r[REQ_MAX];
	int err;		/* an item could not be built */
};

static struct ksf_item *add(struct req *q, uint32_t service)
{
	struct ksf_item *it;

	if (!q->l)
		q->l = ksf_items_new();
	it = q->l ? ksf_items_add(q->l, service) : NULL;
	if (!it)
		q->err = -ENOMEM;
	return it;
}

static void set32(struct req *q, struct ksf_item *it, const char *f,
		  uint32_t v)
{
	if (!it || ksf_item_set_u32(it, f, v))
		q->err = -EINVAL;
}

static void set64(struct req *q, struct ksf_item *it, const char *f,
		  uint64_t v)
{
	if (!it || ksf_item_set_u64(it, f, v))
		q->err = -EINVAL;
}

static void setstr(struct req *q, struct ksf_item *it, const char *f,
		   const char *v)
{
	if (!it || ksf_item_set_str(it, f, v))
		q->err = -EINVAL;
}

static void setbin(struct req *q, struct ksf_item *it, const char *f,
		   const void *p, size_t n)
{
	if (!it || ksf_item_set_bin(it, f, p, n))
		q->err = -EINVAL;
}

/* Copy field rf of result r (if it has it) into the item's field f. */
static void copy(struct req *q, struct ksf_item *it, const char *f,
		 const struct ksf_result *r, const char *rf)
{
	const void *p;
	size_t n;

	if (!ksf_result_get_bin(r, rf, &p, &n))
		setbin(q, it, f, p, n);
}

/*
 * Send the request's items, count their results and index them.  Returns
 * the number of results, or a negative errno; release() it in any case.
 */
static int request(struct req *q)
{
	const struct ksf_result *r;
	size_t i, n = ksf_items_count(q->l);
	uint32_t idx;
	int ret;

	memset(q->r, 0, sizeof(q->r));
	if (q->err || !n || n > REQ_MAX) {
		n_bad++;
		fprintf(stderr, "ksf-soak %s: BAD request not built (%d)\n",
			name, q->err);
		return -EINVAL;
	}
	n_req++;
	ret = ksf_service_request(h, q->l, &q->res);
	if (ret < 0) {
		n_req_fail++;
		snprintf(last_req_error, sizeof(last_req_error), "%s: %s",
			 strerror(-ret), ksf_last_error(h));
		return ret;
	}
	for (i = 0; i < (size_t)ret; i++) {
		r = ksf_results_get(q->res, i);
		idx = ksf_result_index(r);
		if (idx < n) {
			count(ksf_item_service(ksf_items_get(q->l, idx)), r);
			q->r[idx] = r;
		}
	}
	return ret;
}

static void release(struct req *q)
{
	ksf_results_free(q->res);
	ksf_items_free(q->l);
	memset(q, 0, sizeof(*q));
}

/* A missing result is an error without errno. */
static uint32_t status(const struct ksf_result *r)
{
	return r ? ksf_result_status(r) : KSF_STATUS_ERROR;
}

static int ok(const struct ksf_result *r)
{
	return status(r) == KSF_STATUS_OK;
}

/* Result r's field f holds exactly n bytes p. */
static int same(const struct ksf_result *r, const char *f, const void *p,
		size_t n)
{
	const void *b;
	size_t len;

	return !ksf_result_get_bin(r, f, &b, &len) && len == n &&
	       !memcmp(b, p, n);
}

static void bad(const char *what, const struct ksf_result *r)
{
	const char *reason = r ? ksf_result_reason(r) : NULL;

	n_bad++;
	fprintf(stderr, "ksf-soak %s: BAD %s (status %u error %d %s)\n", name,
		what, status(r), r ? ksf_result_error(r) : 0,
		reason ? reason : "");
}

/*
 * Check step 2 of a pair (same key handles as step 1): ok and right, or an
 * error because a key, context or peer went away meanwhile; never a failed
 * check of what step 1 just made (-EBADMSG).
 */
static void check2(const char *what, const struct ksf_result *r, int right)
{
	int32_t err = r ? ksf_result_error(r) : 0;

	if (status(r) == KSF_STATUS_OK && !right)
		bad(what, r);
	if (status(r) == KSF_STATUS_ERROR && err == -EBADMSG)
		bad(what, r);
	if (status(r) == KSF_STATUS_REJECTED && err != -EPERM)
		bad(what, r);
}

static struct ksf_item *mac_item(struct req *q, uint32_t service, int key,
				 const void *msg, size_t n)
{
	struct ksf_item *it = add(q, service);

	set32(q, it, "alg", KSF_ALG_HMAC_SHA256);
	set64(q, it, "key", keys[key]);
	setbin(q, it, "data", msg, n);
	return it;
}

static void do_mac_kdf_exp(unsigned int i)
{
	uint8_t msg[48], p0[4];
	struct req q = { 0 }, v = { 0 };
	struct ksf_item *it;

	memset(msg, i & 0xff, sizeof(msg));
	memcpy(p0, &i, sizeof(p0));
	mac_item(&q, KSF_SERVICE_MAC_GENERATE, K_MAC, msg, sizeof(msg));
	it = add(&q, KSF_SERVICE_KDF);
	set64(&q, it, "key", keys[K_DERIVE]);
	set32(&q, it, "fc", 0x6b);
	setbin(&q, it, "param", p0, sizeof(p0));
	set32(&q, it, "out-max-age", 2);
	mac_item(&q, KSF_SERVICE_MAC_GENERATE, K_EXP, msg, 16);
	if (request(&q) >= 0 && ok(q.r[0])) {
		it = mac_item(&v, KSF_SERVICE_MAC_VERIFY, K_MAC, msg,
			      sizeof(msg));
		copy(&v, it, "mac", q.r[0], "data");
		if (request(&v) >= 0)
			check2("mac-verify of a fresh tag", v.r[0], 1);
		release(&v);
	}
	release(&q);
}

static void do_crypt(unsigned int i)
{
	uint8_t msg[64];
	struct req e = { 0 }, d = { 0 };
	struct ksf_item *it;

	memset(msg, ~i & 0xff, sizeof(msg));
	it = add(&e, KSF_SERVICE_ENCRYPT);
	set64(&e, it, "key", keys[K_AES]);
	setbin(&e, it, "data", msg, sizeof(msg));
	if (request(&e) >= 0 && ok(e.r[0])) {
		it = add(&d, KSF_SERVICE_DECRYPT);
		set64(&d, it, "key", keys[K_AES]);
		copy(&d, it, "data", e.r[0], "data");
		copy(&d, it, "iv", e.r[0], "iv");
		copy(&d, it, "mac", e.r[0], "mac");
		if (request(&d) >= 0)
			check2("decrypt gives the plaintext", d.r[0],
			       same(d.r[0], "data", msg, sizeof(msg)));
		release(&d);
	}
	release(&e);
}

static void nas_context(struct req *q, uint64_t key, const char *sub,
			int uplink)
{
	struct ksf_item *it = add(q, KSF_SERVICE_NAS_CONTEXT);

	set64(q, it, "key", key);
	setstr(q, it, "subscriber", sub);
	set32(q, it, "int-alg", KSF_ALG_NIA2);
	set32(q, it, "enc-alg", KSF_ALG_NEA2);
	if (uplink)
		set32(q, it, "direction", 0);
}

/*
 * A NAS connection with itself: two K_AMFs of the same bytes (a KDF of
 * the same input twice: a NAS context needs a K_AMF that never keyed one),
 * whose NAS contexts are its downlink (network) and uplink (UE) sides.
 */
static void nas_setup(unsigned int i)
{
	uint8_t p0[8] = "kamf";
	struct req k = { 0 }, q = { 0 };
	uint64_t kamf[2];
	struct ksf_item *it;
	int j;

	memcpy(p0 + 4, &i, sizeof(i));
	for (j = 0; j < 2; j++) {
		it = add(&k, KSF_SERVICE_KDF);
		set64(&k, it, "key", keys[K_DERIVE]);
		set32(&k, it, "fc", 0x6d);
		setbin(&k, it, "param", p0, sizeof(p0));
	}
	if (request(&k) >= 0 && ok(k.r[0]) && ok(k.r[1]) &&
	    !ksf_result_get_u64(k.r[0], "key", &kamf[0]) &&
	    !ksf_result_get_u64(k.r[1], "key", &kamf[1])) {
		nas_context(&q, kamf[0], subs_dl, 0);
		nas_context(&q, kamf[1], subs_ul, 1);
		if (request(&q) >= 0)
			nas_ready = ok(q.r[0]) && ok(q.r[1]);
		release(&q);
	}
	release(&k);
}

static void do_nas(unsigned int i)
{
	uint8_t msg[24];
	struct req p = { 0 }, u = { 0 };
	struct ksf_item *it;
	uint32_t cnt = 0;

	if (!nas_ready || i % 64 == 0) {
		nas_setup(i);
		if (!nas_ready)
			return;
	}
	memset(msg, i & 0xff, sizeof(msg));
	msg[0] = 0x7e;
	it = add(&p, KSF_SERVICE_NAS_PROTECT);
	setstr(&p, it, "subscriber", subs_ul);
	setbin(&p, it, "data", msg, sizeof(msg));
	if (request(&p) < 0) {
		release(&p);
		return;
	}
	if (ok(p.r[0])) {
		it = add(&u, KSF_SERVICE_NAS_UNPROTECT);
		setstr(&u, it, "subscriber", subs_dl);
		copy(&u, it, "data", p.r[0], "data");
		copy(&u, it, "mac", p.r[0], "mac");
		ksf_result_get_u32(p.r[0], "count", &cnt);
		set32(&u, it, "seq", cnt & 0xff);
		if (request(&u) >= 0) {
			check2("nas-unprotect gives the plaintext", u.r[0],
			       same(u.r[0], "data", msg, sizeof(msg)));
			if (!ok(u.r[0]))
				nas_ready = 0;
		}
		release(&u);
	} else {
		nas_ready = 0;
	}
	release(&p);
}

/* An AKA item of service s for the HE subscriber. */
static struct ksf_item *aka_item(struct req *q, uint32_t s)
{
	struct ksf_item *it = add(q, s);

	set32(q, it, "alg", KSF_ALG_MILENAGE);
	set64(q, it, "key", keys[K_K]);
	set64(q, it, "key2", keys[K_OPC]);
	setstr(q, it, "snn", snn);
	setstr(q, it, "subscriber", subs_he);
	return it;
}

/* A synchronisation failure (AUTS): the UDM resynchronises. */
static void aka_resync(const struct ksf_result *vr,
		       const struct ksf_result *rr)
{
	struct req s = { 0 };
	struct ksf_item *it = aka_item(&s, KSF_SERVICE_AKA_RESYNC);

	copy(&s, it, "rand", vr, "rand");
	copy(&s, it, "auts", rr, "auts");
	if (request(&s) >= 0)
		check2("aka-resync of a fresh AUTS", s.r[0], 1);
	release(&s);
}

static void do_aka(void)
{
	struct req v = { 0 }, r = { 0 };
	const void *xres;
	struct ksf_item *it;
	size_t n;

	aka_item(&v, KSF_SERVICE_AKA_VECTOR);
	if (request(&v) >= 0 && ok(v.r[0])) {
		it = aka_item(&r, KSF_SERVICE_AKA_RESPONSE);
		copy(&r, it, "rand", v.r[0], "rand");
		copy(&r, it, "autn", v.r[0], "autn");
		if (request(&r) >= 0) {
			if (ksf_result_get_bin(v.r[0], "res", &xres, &n))
				n = 0;
			check2("aka-response gives XRES*", r.r[0],
			       n && same(r.r[0], "res", xres, n));
			if (status(r.r[0]) == KSF_STATUS_ERROR &&
			    !ksf_result_get_bin(r.r[0], "auts", NULL, NULL))
				aka_resync(v.r[0], r.r[0]);
		}
		release(&r);
	}
	release(&v);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int stopped(void)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/stop", dir);
	return access(p, F_OK) == 0;
}

static void summary(void)
{
	unsigned int s;

	printf("ksf-soak %s: ok %llu rejected %llu error %llu bad %llu, ",
	       name, n_ok, n_rej, n_err, n_bad);
	printf("%llu requests (%llu failed%s%s)\n", n_req, n_req_fail,
	       n_req_fail ? ", last: " : "", last_req_error);
	for (s = 0; s < N_SVC; s++) {
		if (!svc_ok[s] && !svc_rej[s] && !svc_err[s])
			continue;
		printf("  %-14s ok %llu rejected %llu error %llu",
		       ksf_name(KSF_NAMES_SERVICE, s) ?: "?", svc_ok[s],
		       svc_rej[s], svc_err[s]);
		if (last_errno[s])
			printf(" (last: %s)", strerror(-last_errno[s]));
		if (last_reason[s][0])
			printf(" (last reason: %s)", last_reason[s]);
		printf("\n");
	}
}

static int nf(void)
{
	double t_write = 0;
	unsigned int i;

	snprintf(subs_he, sizeof(subs_he), "imsi-he-%s", name);
	snprintf(subs_dl, sizeof(subs_dl), "imsi-dl-%s", name);
	snprintf(subs_ul, sizeof(subs_ul), "imsi-ul-%s", name);
	for (i = 0; !stopped(); i++) {
		load_keys();
		switch (i % 4) {
		case 0:
			do_mac_kdf_exp(i);
			break;
		case 1:
			do_crypt(i);
			break;
		case 2:
			do_nas(i);
			break;
		default:
			do_aka();
		}
		if (now() - t_write >= 0.25) {
			write_counts();
			t_write = now();
		}
	}
	write_counts();
	summary();
	return n_bad ? 1 : 0;
}

/* ---- monitor ---- */

static unsigned long long mem_field(const char *field)
{
	char line[128];
	unsigned long long v = 0, kb;
	size_t n = strlen(field);
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n) && line[n] == ':' &&
		    sscanf(line + n + 1, "%llu", &kb) == 1)
			v = kb * 1024;
	fclose(f);
	return v;
}

/* The sum of the ok counts in DIR/ops.* */
static unsigned long long ops_total(void)
{
	unsigned long long sum = 0, ok;
	struct dirent *e;
	char p[512];
	DIR *d = opendir(dir);
	FILE *f;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "ops.", 4) || strstr(e->d_name, ".tmp"))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		f = fopen(p, "r");
		if (!f)
			continue;
		if (fscanf(f, "%llu", &ok) == 1)
			sum += ok;
		fclose(f);
	}
	closedir(d);
	return sum;
}

static void save_count(char *buf, size_t size)
{
	char p[512];
	unsigned int ok = 0, failed = 0;
	FILE *f;

	snprintf(p, sizeof(p), "%s/save.count", dir);
	f = fopen(p, "r");
	if (f) {
		if (fscanf(f, "%u %u", &ok, &failed) != 2) {
			ok = 0;
			failed = 0;
		}
		fclose(f);
	}
	snprintf(buf, size, "%u %u", ok, failed);
}

struct means {
	double mem, slab, sunr, objs;
	unsigned int n;
	struct ksf_info info;
};

static void reading(struct means *m)
{
	if (ksf_get_info(h, &m->info))
		memset(&m->info, 0, sizeof(m->info));
	m->mem += m->info.mem;
	m->objs += m->info.peers + m->info.keys + m->info.contexts;
	m->slab += mem_field("Slab");
	m->sunr += mem_field("SUnreclaim");
	m->n++;
}

static void row(FILE *tsv, double t, double ops_s, struct means *m)
{
	double per_obj = m->objs ? m->mem / m->objs : 0;
	char sc[32];

	save_count(sc, sizeof(sc));
	fprintf(tsv, "%.0f\t%.1f\t%.0f\t%.0f\t%.0f\t%u\t%u\t%u\t%s\t%.1f\n",
		t, ops_s, m->slab / m->n, m->sunr / m->n, m->mem / m->n,
		m->info.peers, m->info.keys, m->info.contexts, sc, per_obj);
	fflush(tsv);
	printf("%6.0f %10.1f %10.1f %10.1f %10.0f %5u %5u %5u %9s %7.0f\n", t,
	       ops_s, m->slab / m->n / 1048576, m->sunr / m->n / 1048576,
	       m->mem / m->n, m->info.peers, m->info.keys,
	       m->info.contexts, sc, per_obj);
	memset(m, 0, sizeof(*m));
}

static void sleep_until(double t)
{
	double d = t - now();
	struct timespec ts;

	if (d <= 0)
		return;
	ts.tv_sec = (time_t)d;
	ts.tv_nsec = (long)((d - ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

static int monitor(double secs, double ivl, const char *path)
{
	unsigned long long ops, last_ops = ops_total();
	double t0 = now(), t_last = t0, next = t0 + 1, t;
	struct means m = { 0 };
	FILE *tsv = fopen(path, "a");

	if (!tsv) {
		perror(path);
		return 1;
	}
	printf("%6s %10s %10s %10s %10s %5s %5s %5s %9s %7s\n", "t/s", "ops/s",
	       "slab/MiB", "sunr/MiB", "ksf-mem", "peers", "keys", "ctxs",
	       "save-ok/f", "B/obj");
	reading(&m);
	row(tsv, 0, 0, &m);
	for (;;) {
		sleep_until(next);
		next += 1;
		reading(&m);
		t = now();
		if (t - t_last < ivl - 0.5)
			continue;
		ops = ops_total();
		row(tsv, t - t0, (ops - last_ops) / (t - t_last), &m);
		last_ops = ops;
		t_last = t;
		next = t + 1;
		if (t - t0 >= secs - 0.5)
			break;
	}
	fclose(tsv);
	return 0;
}

static int bad_args(void)
{
	fprintf(stderr, "usage: ksf-soak nf DIR NAME\n"
		"       ksf-soak monitor DIR SECONDS INTERVAL TSV\n");
	return 2;
}

int main(int argc, char **argv)
{
	int mon = argc == 6 && !strcmp(argv[1], "monitor");

	if (!mon && (argc != 4 || strcmp(argv[1], "nf")))
		return bad_args();
	dir = argv[2];
	name = argv[3];
	h = ksf_open();
	if (!h) {
		fprintf(stderr, "ksf-soak: ksf_open: %s\n", strerror(errno));
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (mon)
		return monitor(atof(argv[3]), atof(argv[4]), argv[5]);
	return nf() ? 1 : 0;
}
