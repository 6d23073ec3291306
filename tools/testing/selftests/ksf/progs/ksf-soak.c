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

static void count(const struct ksf_item *it, const struct ksf_result *r)
{
	uint32_t s = it->service < N_SVC ? it->service : 0;

	if (r->status == KSF_STATUS_OK) {
		n_ok++;
		svc_ok[s]++;
	} else if (r->status == KSF_STATUS_REJECTED) {
		n_rej++;
		svc_rej[s]++;
	} else {
		n_err++;
		svc_err[s]++;
		last_errno[s] = r->error;
	}
	if (r->status != KSF_STATUS_OK && r->reason)
		snprintf(last_reason[s], sizeof(last_reason[s]), "%s", r->reason);
}

/*
 * Send n items, count their results; res[] is sorted by item index (0 ok
 * in res[i].status only when that item's result came back).  Returns the
 * number of results, or a negative errno; release with ksf_results_free().
 */
static int request(const struct ksf_item *it, size_t n,
		   struct ksf_result *res)
{
	struct ksf_result got[8];
	size_t i;
	int ret;

	memset(res, 0, n * sizeof(*res));
	for (i = 0; i < n; i++)
		res[i].status = KSF_STATUS_ERROR;
	n_req++;
	ret = ksf_service_request(h, it, n, got);
	if (ret < 0) {
		n_req_fail++;
		snprintf(last_req_error, sizeof(last_req_error), "%s: %s",
			 strerror(-ret), ksf_last_error(h));
		return ret;
	}
	for (i = 0; i < (size_t)ret; i++) {
		if (got[i].index < n) {
			count(&it[got[i].index], &got[i]);
			res[got[i].index] = got[i];
		}
	}
	return ret;
}

/* The results of one request share their buffers: free them together. */
static void release(struct ksf_result *res, size_t n)
{
	ksf_results_free(res, n);
}

static int same(const struct ksf_buf *a, const struct ksf_buf *b)
{
	return a->size == b->size && !memcmp(a->ptr, b->ptr, a->size);
}

static void bad(const char *what, const struct ksf_result *r)
{
	n_bad++;
	fprintf(stderr, "ksf-soak %s: BAD %s (status %u error %d %s)\n", name,
		what, r->status, r->error, r->reason ? r->reason : "");
}

/*
 * Check step 2 of a pair (same key handles as step 1): ok and right, or an
 * error because a key, context or peer went away meanwhile; never a failed
 * check of what step 1 just made (-EBADMSG).
 */
static void check2(const char *what, const struct ksf_result *r, int right)
{
	if (r->status == KSF_STATUS_OK && !right)
		bad(what, r);
	if (r->status == KSF_STATUS_ERROR && r->error == -EBADMSG)
		bad(what, r);
	if (r->status == KSF_STATUS_REJECTED && r->error != -EPERM)
		bad(what, r);
}

static void do_mac_kdf_exp(unsigned int i)
{
	uint8_t msg[48], p0[4];
	struct ksf_buf p = { p0, sizeof(p0) };
	struct ksf_item it[3] = {
		{ .service = KSF_SERVICE_MAC_GENERATE,
		  .alg = KSF_ALG_HMAC_SHA256, .key = keys[K_MAC],
		  .data = { msg, sizeof(msg) } },
		{ .service = KSF_SERVICE_KDF, .key = keys[K_DERIVE],
		  .has_fc = true, .fc = 0x6b, .params = &p, .n_params = 1,
		  .out_max_age = 2 },
		{ .service = KSF_SERVICE_MAC_GENERATE,
		  .alg = KSF_ALG_HMAC_SHA256, .key = keys[K_EXP],
		  .data = { msg, 16 } },
	};
	struct ksf_item v = { .service = KSF_SERVICE_MAC_VERIFY,
			      .alg = KSF_ALG_HMAC_SHA256, .key = keys[K_MAC],
			      .data = { msg, sizeof(msg) } };
	struct ksf_result res[3], vr;

	memset(msg, i & 0xff, sizeof(msg));
	memcpy(p0, &i, sizeof(p0));
	if (request(it, 3, res) < 0)
		return;
	if (res[0].status == KSF_STATUS_OK) {
		v.mac = res[0].data;
		if (request(&v, 1, &vr) >= 0) {
			check2("mac-verify of a fresh tag", &vr, 1);
			release(&vr, 1);
		}
	}
	release(res, 3);
}

static void do_crypt(unsigned int i)
{
	uint8_t msg[64];
	struct ksf_item e = { .service = KSF_SERVICE_ENCRYPT,
			      .key = keys[K_AES],
			      .data = { msg, sizeof(msg) } };
	struct ksf_item d = { .service = KSF_SERVICE_DECRYPT,
			      .key = keys[K_AES] };
	struct ksf_buf pt = { msg, sizeof(msg) };
	struct ksf_result er, dr;

	memset(msg, ~i & 0xff, sizeof(msg));
	if (request(&e, 1, &er) < 0)
		return;
	if (er.status == KSF_STATUS_OK) {
		d.data = er.data;
		d.iv = er.iv;
		d.mac = er.mac;
		if (request(&d, 1, &dr) >= 0) {
			check2("decrypt gives the plaintext", &dr,
			       same(&dr.data, &pt));
			release(&dr, 1);
		}
	}
	release(&er, 1);
}

/*
 * A NAS connection with itself: two K_AMFs of the same bytes (a KDF of
 * the same input twice: a NAS context needs a K_AMF that never keyed one),
 * whose NAS contexts are its downlink (network) and uplink (UE) sides.
 */
static void nas_setup(unsigned int i)
{
	uint8_t p0[8] = "kamf";
	struct ksf_buf p = { p0, sizeof(p0) };
	struct ksf_item kdf = { .service = KSF_SERVICE_KDF,
				.key = keys[K_DERIVE], .has_fc = true,
				.fc = 0x6d, .params = &p, .n_params = 1 };
	struct ksf_item it[2] = {
		{ .service = KSF_SERVICE_NAS_CONTEXT, .subscriber = subs_dl,
		  .int_alg = KSF_ALG_NIA2, .enc_alg = KSF_ALG_NEA2 },
		{ .service = KSF_SERVICE_NAS_CONTEXT, .subscriber = subs_ul,
		  .int_alg = KSF_ALG_NIA2, .enc_alg = KSF_ALG_NEA2,
		  .has_direction = true, .direction = 0 },
	};
	struct ksf_item kdfs[2] = { kdf, kdf };
	struct ksf_result kr[2], res[2];

	memcpy(p0 + 4, &i, sizeof(i));
	if (request(kdfs, 2, kr) < 0)
		return;
	if (kr[0].status == KSF_STATUS_OK && kr[1].status == KSF_STATUS_OK) {
		it[0].key = kr[0].key;
		it[1].key = kr[1].key;
		if (request(it, 2, res) >= 0) {
			nas_ready = res[0].status == KSF_STATUS_OK &&
				    res[1].status == KSF_STATUS_OK;
			release(res, 2);
		}
	}
	release(kr, 2);
}

static void do_nas(unsigned int i)
{
	uint8_t msg[24];
	struct ksf_item p = { .service = KSF_SERVICE_NAS_PROTECT,
			      .subscriber = subs_ul,
			      .data = { msg, sizeof(msg) } };
	struct ksf_item u = { .service = KSF_SERVICE_NAS_UNPROTECT,
			      .subscriber = subs_dl, .has_seq = true };
	struct ksf_buf pt = { msg, sizeof(msg) };
	struct ksf_result pr, ur;

	if (!nas_ready || i % 64 == 0) {
		nas_setup(i);
		if (!nas_ready)
			return;
	}
	memset(msg, i & 0xff, sizeof(msg));
	msg[0] = 0x7e;
	if (request(&p, 1, &pr) < 0)
		return;
	if (pr.status == KSF_STATUS_OK) {
		u.data = pr.data;
		u.mac = pr.mac;
		u.seq = pr.count & 0xff;
		if (request(&u, 1, &ur) >= 0) {
			check2("nas-unprotect gives the plaintext", &ur,
			       same(&ur.data, &pt));
			if (ur.status != KSF_STATUS_OK)
				nas_ready = 0;
			release(&ur, 1);
		}
	} else {
		nas_ready = 0;
	}
	release(&pr, 1);
}

/* A synchronisation failure (AUTS): the UDM resynchronises. */
static void aka_resync(const struct ksf_item *v, const struct ksf_result *vr,
		       const struct ksf_result *rr)
{
	struct ksf_item s = *v;
	struct ksf_result sr;

	s.service = KSF_SERVICE_AKA_RESYNC;
	s.rand = vr->rand;
	s.auts = rr->auts;
	if (request(&s, 1, &sr) >= 0) {
		check2("aka-resync of a fresh AUTS", &sr, 1);
		release(&sr, 1);
	}
}

static void do_aka(void)
{
	struct ksf_item v = { .service = KSF_SERVICE_AKA_VECTOR,
			      .alg = KSF_ALG_MILENAGE, .key = keys[K_K],
			      .key2 = keys[K_OPC], .snn = snn,
			      .subscriber = subs_he };
	struct ksf_item r = v;
	struct ksf_result vr, rr;

	r.service = KSF_SERVICE_AKA_RESPONSE;
	if (request(&v, 1, &vr) < 0)
		return;
	if (vr.status == KSF_STATUS_OK) {
		r.rand = vr.rand;
		r.autn = vr.autn;
		if (request(&r, 1, &rr) >= 0) {
			check2("aka-response gives XRES*", &rr,
			       same(&rr.res, &vr.res));
			if (rr.status == KSF_STATUS_ERROR && rr.auts.size)
				aka_resync(&v, &vr, &rr);
			release(&rr, 1);
		}
	}
	release(&vr, 1);
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
