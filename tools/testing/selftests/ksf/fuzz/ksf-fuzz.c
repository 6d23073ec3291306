// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksf-fuzz [--seed N] [--count M] [--duration SEC] [--replay FILE]
 *          [--out FILE] [--plant OP] [--procs N [--chaos] [--reload KO]]
 *          [--shrink-time SEC] [--kcsan-by-harness] [-v]
 *
 * Spec-driven fuzzer of the ksf Generic Netlink family.  The table of ops,
 * attribute sets, checks and enums (ksf-fuzz-table.h) is generated from
 * Documentation/netlink/specs/ksf.yaml by gen-table.py at build time.
 *
 * Every step builds one message (or a short macro: wipe the instance and
 * restore a saved blob) from a 64-bit step seed derived from --seed:
 * valid messages, messages mutated at the boundaries of the spec's checks
 * (values at min-1/min/max/max+1, lengths around exact-len and max-len,
 * wrong integer widths, nesting flag missing or added, unknown and
 * duplicate attributes, unterminated strings, truncation), service items
 * for every service (its arguments in its family's nest; now and then a
 * foreign family's nest or an argument the service does not take: both
 * refused), reusing the peers, key handles, contexts and saved
 * chunks earlier replies returned.  Invariants:
 *   - no canary byte (key material imported over netlink and through the
 *     kernel keyring) in any reply, error or event (events group joined);
 *   - no kernel report in the kernel log (/dev/kmsg);
 *   - ksf answers get-info (not wedged);
 *   - every 2000 steps and at the end, get-info's peers/keys/contexts
 *     equal what the dumps list; at the end, after deleting every object,
 *     all counters and mem are 0.
 * On a failure it prints the steps sent, shrinks them (delta debugging,
 * each candidate replayed on an emptied instance) and writes the shortest
 * failing sequence to --out (default /tmp/ksf-fuzz.replay; shrinking stops
 * after --shrink-time seconds, default 180, with the shortest so far), which
 * --replay FILE runs again.  Exit status 0 iff no invariant broke.
 * --plant OP writes the canary to the kernel log after every OP message:
 * a self-check of the harness (it must fail, shrink to one step, replay).
 * --procs N runs N fuzzing processes at once (see child_run), with --chaos
 * two actors beside them while they have requests in flight: a netns
 * churner (a namespace with a ksf instance, a requester SIGKILLed in
 * flight, the namespace dropped; cycles counted) and an admin actor
 * (policy changes, deletion and re-creation of the nf peers the fuzzing
 * processes act as, saves, save+wipe+restore); --reload KO adds a third:
 * rmmod/insmod of ksf.ko (KO) in a loop, after which the fuzzing processes
 * find the family again (ENOENT of a gone family is normal; ksf is loaded
 * when the run ends, and the final empty check holds).  Every process and
 * actor logs its seed and what it did, in order, to OUT.K / OUT.ACTOR,
 * stamped with CLOCK_MONOTONIC (the kernel log's clock in the VM).
 * --kcsan-by-harness leaves KCSAN reports to the harness (vm-run fails a
 * run on one with a ksf frame and lists the others).
 * Run it as root in its own network namespace (unshare -n).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/ksf.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

enum fz_type { FT_U8, FT_U16, FT_U32, FT_U64, FT_S32, FT_STRING, FT_BINARY,
	       FT_FLAG, FT_NEST, FT_PAD };
struct fz_enum_val { const char *name; long long v; };
struct fz_enum { const char *name; int flags, n; const struct fz_enum_val *vals; };
struct fz_attr {
	int id; const char *name; int t;
	long long min, max;
	int exact_len, max_len, nest, multi, en;
};
struct fz_set { const char *name; int maxattr, n; const struct fz_attr *attrs; };
struct fz_op {
	int cmd; const char *name; int set, has_do, has_dump, is_event, admin, nreq;
	const int *req;
};

#include "ksf-fuzz-table.h"

/* ---- random ---- */

static uint64_t rs;

static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t rnd(void)
{
	rs = splitmix(rs);
	return rs;
}

static uint32_t rn(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static bool chance(int pct)
{
	return (int)rn(100) < pct;
}

/* ---- state: objects earlier replies returned ---- */

#define POOL 64
#define NPEERS 12

static uint64_t keys[POOL], ctxs[POOL];
static int key_class[POOL], last_slot;
static int nkeys, nctxs;
static char peers[NPEERS][32];
static int npeers;
static struct blob { uint8_t *b[64]; int len[64]; int n; } saved, cur_save;
static int32_t kek_serial, canary_serial;
static const char canary[] = "KsfFzCn#KsfFzCn#KsfFzCn#KsfFzCn#KsfFzCn#KsfFzCn#KsfFzCn#KsfFzCn#";

static void pool_add(uint64_t *p, int *n, uint64_t v)
{
	int i;

	if (!v)
		return;
	for (i = 0; i < *n; i++)
		if (p[i] == v)
			return;
	last_slot = *n < POOL ? (*n)++ : (int)rn(POOL);
	p[last_slot] = v;
	if (p == keys)
		key_class[last_slot] = 0;
}

static void pool_del(uint64_t *p, int *n, uint64_t v)
{
	int i;

	for (i = 0; i < *n; i++)
		if (p[i] == v) {
			p[i] = p[--(*n)];
			if (p == keys)
				key_class[i] = key_class[*n];
			return;
		}
}

static void blob_clear(struct blob *b)
{
	int i;

	for (i = 0; i < b->n; i++)
		free(b->b[i]);
	b->n = 0;
}

/* ---- statistics ---- */

static unsigned long msgs, op_sent[FZ_N_OPS + 1], op_ok[FZ_N_OPS + 1];
static unsigned long svc_sent[64], svc_ok[64], mutated, events_seen;
static int verbose;

/* ---- message building ---- */

struct msg {
	uint8_t buf[1 << 17];
	size_t len;
};

static void put_attr(struct msg *m, uint16_t type, const void *d, size_t len)
{
	struct nlattr *a = (struct nlattr *)(m->buf + m->len);

	if (m->len + NLA_ALIGN(NLA_HDRLEN + len) > sizeof(m->buf) - 64)
		return;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((uint8_t *)a + NLA_HDRLEN, d, len);
	memset((uint8_t *)a + NLA_HDRLEN + len, 0,
	       NLA_ALIGN(NLA_HDRLEN + len) - NLA_HDRLEN - len);
	m->len += NLA_ALIGN(NLA_HDRLEN + len);
}

static size_t nest_start(struct msg *m, uint16_t type)
{
	size_t start = m->len;

	put_attr(m, type | NLA_F_NESTED, NULL, 0);
	return start;
}

static void nest_end(struct msg *m, size_t start)
{
	((struct nlattr *)(m->buf + start))->nla_len = m->len - start;
}

/* generation context of one message */
static int mut_target, attr_counter, cur_service, item_svc[4096], n_items, cur_index;
static uint32_t last_len;

enum mut { MU_VALUE, MU_LEN, MU_WIDTH, MU_NESTFLAG, MU_UNKNOWN, MU_DUP,
	   MU_NOTERM, MU_BADNLA, MU_NMUT };

static const char *const svc_hint[] = {
	[KSF_SERVICE_MAC_GENERATE] = ",alg,key,data,mac-len,",
	[KSF_SERVICE_MAC_VERIFY] = ",alg,key,data,mac,",
	[KSF_SERVICE_KDF] = ",key,fc,param,out-len,",
	[KSF_SERVICE_ENCRYPT] = ",key,data,aad,iv,",
	[KSF_SERVICE_DECRYPT] = ",key,data,aad,iv,mac,",
	[KSF_SERVICE_NAS_MAC] = ",alg,key,count,bearer,direction,bits,data,",
	[KSF_SERVICE_NAS_VERIFY] = ",alg,key,count,bearer,direction,bits,data,mac,",
	[KSF_SERVICE_NAS_CIPHER] = ",alg,key,count,bearer,direction,bits,data,",
	[KSF_SERVICE_NAS_DECIPHER] = ",alg,key,count,bearer,direction,bits,data,",
	[KSF_SERVICE_AKA_VECTOR] = ",alg,key,key2,snn,subscriber,rand,sqn,amf,",
	[KSF_SERVICE_AKA_RESPONSE] = ",alg,key,key2,snn,subscriber,rand,autn,amf,",
	[KSF_SERVICE_AKA_RESYNC] = ",alg,key,key2,snn,subscriber,rand,auts,amf,",
	[KSF_SERVICE_NAS_CONTEXT] = ",key,subscriber,int-alg,enc-alg,direction,bearer,",
	[KSF_SERVICE_NAS_PROTECT] = ",context,data,",
	[KSF_SERVICE_NAS_UNPROTECT] = ",context,data,seq,mac,",
	[KSF_SERVICE_HRES_STAR] = ",rand,res,",
	[KSF_SERVICE_SUCI_CONCEAL] = ",alg,data,hn-pub,hn-key-id,eph-key,",
	[KSF_SERVICE_SUCI_DECONCEAL] = ",alg,key,data,",
	[KSF_SERVICE_SUCI_PUBLIC_KEY] = ",alg,key,",
};

static bool hinted(const char *name)
{
	char pat[40];

	if (cur_service <= 0 || cur_service > KSF_SERVICE_MAX ||
	    !svc_hint[cur_service])
		return false;
	snprintf(pat, sizeof(pat), ",%s,", name);
	return strstr(svc_hint[cur_service], pat);
}

static uint32_t alg_for_service(int s)
{
	switch (s) {
	case KSF_SERVICE_MAC_GENERATE:
	case KSF_SERVICE_MAC_VERIFY:
		return chance(50) ? KSF_ALG_HMAC_SHA256 : KSF_ALG_AES_CMAC;
	case KSF_SERVICE_NAS_MAC:
	case KSF_SERVICE_NAS_VERIFY:
		return KSF_ALG_NIA1 + rn(3);
	case KSF_SERVICE_NAS_CIPHER:
	case KSF_SERVICE_NAS_DECIPHER:
		return KSF_ALG_NEA1 + rn(3);
	case KSF_SERVICE_AKA_VECTOR:
	case KSF_SERVICE_AKA_RESPONSE:
	case KSF_SERVICE_AKA_RESYNC:
		return KSF_ALG_MILENAGE;
	case KSF_SERVICE_SUCI_CONCEAL:
	case KSF_SERVICE_SUCI_DECONCEAL:
	case KSF_SERVICE_SUCI_PUBLIC_KEY:
		return KSF_ALG_SUCI_NULL + rn(3);
	}
	return 1 + rn(KSF_ALG_MAX);
}

static long long enum_value(const struct fz_enum *e)
{
	long long v = 0;
	int i;

	if (!e->flags)
		return e->vals[rn(e->n)].v;
	if (chance(70))
		return e->vals[rn(e->n)].v;
	for (i = 0; i < e->n; i++)
		if (chance(30))
			v |= e->vals[i].v;
	return v;
}

static const char *pick_peer(void)
{
	static char buf[40];

	if (npeers && chance(85))
		return peers[rn(npeers)];
	snprintf(buf, sizeof(buf), "fz-%u", rn(NPEERS));
	return buf;
}

static uint64_t pick_key(void);

/* The class of base key (base_keys() order, from 1) a service wants. */
static int wanted_class(const char *attr)
{
	bool k2 = !strcmp(attr, "key2");

	switch (cur_service) {
	case KSF_SERVICE_MAC_GENERATE:
	case KSF_SERVICE_MAC_VERIFY:
		return chance(50) ? 2 : 4;
	case KSF_SERVICE_KDF:
		return 1;
	case KSF_SERVICE_ENCRYPT:
	case KSF_SERVICE_DECRYPT:
		return 3;
	case KSF_SERVICE_NAS_MAC:
	case KSF_SERVICE_NAS_VERIFY:
		return 5;
	case KSF_SERVICE_NAS_CIPHER:
	case KSF_SERVICE_NAS_DECIPHER:
		return 6;
	case KSF_SERVICE_AKA_VECTOR:
	case KSF_SERVICE_AKA_RESPONSE:
	case KSF_SERVICE_AKA_RESYNC:
		return k2 ? 8 : 7;
	case KSF_SERVICE_NAS_CONTEXT:
		return 9;
	}
	return 0;
}

static uint64_t pick_key_for(const char *attr)
{
	int want = wanted_class(attr), i, start;

	if (want && nkeys && chance(75)) {
		start = rn(nkeys);
		for (i = 0; i < nkeys; i++)
			if (key_class[(start + i) % nkeys] == want)
				return keys[(start + i) % nkeys];
	}
	return pick_key();
}

static uint64_t pick_key(void)
{
	if (nkeys && chance(90))
		return keys[rn(nkeys)];
	return chance(50) ? rnd() : rn(4);
}

static uint64_t pick_ctx(void)
{
	if (nctxs && chance(90))
		return ctxs[rn(nctxs)];
	return chance(50) ? rnd() : rn(4);
}

static uint64_t interesting_int(const struct fz_attr *a, int width)
{
	static const uint64_t v[] = { 0, 1, 2, 16, 32, 100, 255, 256, 0x7fffffff,
				      0xffffffff, 0xffff, 0x7f };
	uint64_t x;

	if (a->min >= 0 || a->max >= 0) {
		long long lo = a->min >= 0 ? a->min : 0;
		long long hi = a->max >= 0 ? a->max : lo + 1000;

		x = lo + rnd() % (uint64_t)(hi - lo + 1);
	} else if (a->en >= 0) {
		x = enum_value(&fz_enums[a->en]);
	} else {
		x = chance(70) ? v[rn(sizeof(v) / sizeof(v[0]))] : rnd();
	}
	if (width < 8)
		x &= (1ULL << (8 * width)) - 1;
	return x;
}

/* Semantic value of an integer attribute (by its name), else a random one. */
static uint64_t int_value(const struct fz_attr *a, const struct fz_set *s, int width)
{
	const char *n = a->name;

	if (!strcmp(n, "handle"))
		return !strcmp(s->name, "context") ? pick_ctx() : pick_key();
	if (!strcmp(n, "key") || !strcmp(n, "key2"))
		return pick_key_for(n);
	if (!strcmp(n, "param-key") ||
	    !strcmp(n, "parent") || !strcmp(n, "nas-int-key") ||
	    !strcmp(n, "nas-enc-key"))
		return pick_key();
	if (!strcmp(n, "context"))
		return pick_ctx();
	if (!strcmp(n, "kek-serial") || !strcmp(n, "keyring-serial"))
		return chance(80) ? (uint32_t)(chance(50) ? kek_serial : canary_serial) :
				    (uint32_t)rnd();
	if (!strcmp(n, "uid") || !strcmp(n, "gid"))
		return chance(70) ? 0 : 1000 + rn(4);
	if (!strcmp(n, "service"))
		return cur_service;
	if (!strcmp(n, "alg"))
		return alg_for_service(cur_service);
	if (!strcmp(n, "int-alg"))
		return KSF_ALG_NIA1 + rn(3);
	if (!strcmp(n, "enc-alg"))
		return chance(20) ? KSF_ALG_NEA0 : KSF_ALG_NEA1 + rn(3);
	if (!strcmp(n, "kind"))
		return chance(60) ? KSF_PEER_KIND_NF : 1 + rn(3);
	if (!strcmp(n, "len"))
		return last_len = chance(70) ? (chance(50) ? 16 : 32) : 1 + rn(64);
	if (!strcmp(n, "fc"))
		return chance(50) ? 0x69 + rn(2) : rn(256);
	if (!strcmp(n, "period"))
		return 100 + rn(2000);
	if (!strcmp(n, "bits"))
		return rn(256);
	if (!strcmp(n, "not-after"))
		return chance(50) ? 0 : (uint64_t)time(NULL) + rn(5);
	if (!strcmp(n, "max-age") || !strcmp(n, "out-max-age") ||
	    !strcmp(n, "lifetime-max"))
		return chance(60) ? 0 : rn(5);
	if (!strcmp(n, "keys-max") || !strcmp(n, "contexts-max"))
		return rn(100);
	if ((!strcmp(n, "usage") || !strcmp(n, "out-usage")) && chance(70)) {
		static const uint32_t fam[] = {
			KSF_KEY_USAGE_DERIVE,
			KSF_KEY_USAGE_MAC | KSF_KEY_USAGE_VERIFY,
			KSF_KEY_USAGE_ENCRYPT | KSF_KEY_USAGE_DECRYPT,
			KSF_KEY_USAGE_WRAP,
		};
		return fam[rn(4)];
	}
	return interesting_int(a, width);
}

/*
 * A policy's services or algs: a bitmap (bit v = byte v/8, bit v%8), mostly
 * every value of the enum, else some of them, empty, unknown bits or longer
 * than the 32 bytes ksf takes.
 */
static size_t bitmap_value(const struct fz_attr *a, uint8_t *d, size_t cap)
{
	const struct fz_enum *e = &fz_enums[!strcmp(a->name, "services") ?
					     FZ_ENUM_SERVICE : FZ_ENUM_ALG];
	size_t len = 0, i;
	int r = rn(100);

	memset(d, 0, 40 < cap ? 40 : cap);
	for (i = 0; i < (size_t)e->n; i++) {
		long long v = e->vals[i].v;

		if (r < 80 || (r < 90 && chance(50)))
			d[v / 8] |= 1 << (v % 8);
		if ((size_t)v / 8 + 1 > len)
			len = v / 8 + 1;
	}
	if (r >= 90 && r < 95)
		len = chance(50) ? 0 : 32;	/* no service, or a wide empty one */
	else if (r >= 95)
		for (len = rn(34), i = 0; i < len; i++)
			d[i] = (uint8_t)rnd();
	return len < cap ? len : cap;
}

static size_t bin_value(const struct fz_attr *a, uint8_t *d, size_t cap)
{
	size_t len, i;

	if (!strcmp(a->name, "services") || !strcmp(a->name, "algs"))
		return bitmap_value(a, d, cap);
	if (!strcmp(a->name, "material")) {
		len = last_len && chance(90) ? last_len :
		      chance(70) ? (chance(50) ? 16 : 32) : 1 + rn(64);
		if (chance(60)) {
			memcpy(d, canary, len);
			return len;
		}
	} else if (!strcmp(a->name, "chunk") && saved.n) {
		i = rn(saved.n);
		len = (size_t)saved.len[i] < cap ? (size_t)saved.len[i] : cap;
		memcpy(d, saved.b[i], len);
		return len;
	} else if (!strcmp(a->name, "mac") && chance(80)) {
		len = cur_service == KSF_SERVICE_DECRYPT ? 16 :
		      cur_service >= KSF_SERVICE_NAS_MAC ? 4 : 4 + rn(29);
	} else if (!strcmp(a->name, "data") && chance(30)) {
		len = 16;
	} else if (a->exact_len >= 0) {
		len = a->exact_len;
	} else if (a->max_len >= 0) {
		len = rn(a->max_len + 1);
	} else if (!strcmp(a->name, "mac-fcs") || !strcmp(a->name, "encrypt-fcs")) {
		len = 32;
	} else {
		len = chance(90) ? rn(65) : rn(KSF_DATA_MAX_LEN + 2);
	}
	if (len > cap)
		len = cap;
	for (i = 0; i < len; i++)
		d[i] = (uint8_t)rnd();
	if (!strcmp(a->name, "mac-fcs") || !strcmp(a->name, "encrypt-fcs"))
		for (i = 0; i < len; i++)
			d[i] = chance(80) ? 0 : d[i];
	return len;
}

static size_t str_value(const struct fz_attr *a, char *d, size_t cap)
{
	const char *n = a->name;
	size_t len, i;

	if (!strcmp(n, "id") || !strcmp(n, "owner") || !strcmp(n, "peer"))
		snprintf(d, cap, "%s", pick_peer());
	else if (!strcmp(n, "subscriber"))
		snprintf(d, cap, "imsi-00101000000000%u", rn(4));
	else if (!strcmp(n, "snn"))
		snprintf(d, cap, "5G:mnc001.mcc001.3gppnetwork.org");
	else if (!strcmp(n, "kek-desc") || !strcmp(n, "keyring-desc"))
		snprintf(d, cap, "%s", chance(70) ? "ksf:fuzz-kek" : "ksf:fuzz-canary");
	else {
		len = a->max_len > 0 ? rn(a->max_len) : rn(40);
		if (len >= cap)
			len = cap - 1;
		for (i = 0; i < len; i++)
			d[i] = 'a' + rn(26);
		d[len] = 0;
	}
	return strlen(d) + 1;
}

static void gen_set(struct msg *m, int set, const int *only, int nonly, int depth);

/*
 * Chaining: what a top-level mac-generate or encrypt item sent, and what its
 * result returned, so that a later mac-verify or decrypt checks a real tag.
 */
struct item_rec { uint64_t key; uint32_t alg; uint8_t data[256]; int dlen; bool aad; };
static struct item_rec irec[64];
static int cur_rec = -1;
static struct chain {
	bool ok; uint64_t key; uint32_t alg;
	uint8_t in[256], out[256], iv[12], tag[16];
	int inlen, outlen, taglen;
	bool has_iv, has_tag;
} ch_mac, ch_enc, ch_tmp;

static void rec_scalar(const struct fz_attr *a, const uint8_t *d, size_t len)
{
	struct item_rec *r;

	if (cur_rec < 0 || cur_rec >= 64)
		return;
	r = &irec[cur_rec];
	if (!strcmp(a->name, "key") && len == 8)
		memcpy(&r->key, d, 8);
	else if (!strcmp(a->name, "alg") && len == 4)
		memcpy(&r->alg, d, 4);
	else if (!strcmp(a->name, "data") && len <= sizeof(r->data)) {
		memcpy(r->data, d, len);
		r->dlen = len;
	} else if (!strcmp(a->name, "aad"))
		r->aad = true;
}

/* A mac-verify or decrypt item built from an earlier result. */
static bool chained_item(struct msg *m)
{
	uint32_t svc = cur_service;
	struct chain *c = svc == KSF_SERVICE_MAC_VERIFY ? &ch_mac :
			  svc == KSF_SERVICE_DECRYPT ? &ch_enc : NULL;
	size_t nest;

	if (!c || !c->ok || !chance(60))
		return false;
	put_attr(m, KSF_A_ITEM_SERVICE, &svc, 4);
	put_attr(m, KSF_A_ITEM_KEY, &c->key, 8);
	if (svc == KSF_SERVICE_MAC_VERIFY) {
		put_attr(m, KSF_A_ITEM_ALG, &c->alg, 4);
		nest = nest_start(m, KSF_A_ITEM_MAC);
		put_attr(m, KSF_A_ITEM_MAC_DATA, c->in, c->inlen);
		put_attr(m, KSF_A_ITEM_MAC_MAC, c->out, chance(90) ? (uint32_t)c->outlen : rn(c->outlen + 1));
	} else {
		nest = nest_start(m, KSF_A_ITEM_AEAD);
		put_attr(m, KSF_A_ITEM_AEAD_IV, c->iv, 12);
		put_attr(m, KSF_A_ITEM_AEAD_DATA, c->out, c->outlen);
		if (chance(10))
			c->tag[rn(16)] ^= 1;	/* a forged tag now and then */
		put_attr(m, KSF_A_ITEM_AEAD_MAC, c->tag, 16);
	}
	nest_end(m, nest);
	return true;
}

static void gen_scalar(struct msg *m, const struct fz_attr *a, const struct fz_set *s,
		       uint16_t type, bool mutate)
{
	static uint8_t d[KSF_DATA_MAX_LEN + 512];
	int width = 0, mu = mutate ? (int)rn(MU_NMUT) : -1;
	size_t len = 0;
	uint64_t v;

	switch (a->t) {
	case FT_U8: width = 1; break;
	case FT_U16: width = 2; break;
	case FT_U32: case FT_S32: width = 4; break;
	case FT_U64: width = 8; break;
	}
	if (width) {
		v = int_value(a, s, width);
		if (mu == MU_VALUE) {
			long long b[] = { a->min - 1, a->min, a->max, a->max + 1, -1, 0 };

			v = (uint64_t)b[rn(6)];
			if (width < 8)
				v &= (1ULL << (8 * width)) - 1;
		}
		memcpy(d, &v, 8);
		len = width;
		if (mu == MU_WIDTH) {
			static const int w[] = { 0, 1, 2, 3, 4, 8, 12 };

			len = w[rn(7)];
		}
	} else if (a->t == FT_STRING) {
		len = str_value(a, (char *)d, 512);
		if (mu == MU_LEN) {
			size_t want = a->max_len >= 0 ? a->max_len + rn(2) : rn(600);

			memset(d, 'x', want);
			d[want] = 0;
			len = want + 1;
		} else if (mu == MU_NOTERM && len > 1) {
			len--;
		}
	} else if (a->t == FT_BINARY) {
		len = bin_value(a, d, sizeof(d));
		if (mu == MU_LEN) {
			int base = a->exact_len >= 0 ? a->exact_len :
				   a->max_len >= 0 ? a->max_len : KSF_DATA_MAX_LEN;

			len = base + (int)rn(3) - 1;
			if (len > sizeof(d))
				len = sizeof(d);
			memset(d, 0xa5, len);
		}
	} else if (a->t == FT_FLAG) {
		len = mu == MU_LEN ? 1 + rn(8) : 0;
		memset(d, 0, len);
	} else if (a->t == FT_PAD) {
		len = rn(8);
		memset(d, 0, len);
	}
	if (mu == MU_NESTFLAG)
		type |= NLA_F_NESTED;
	if (mu == MU_BADNLA) {
		struct nlattr *at = (struct nlattr *)(m->buf + m->len);

		put_attr(m, type, d, len);
		at->nla_len = rn(4) ? (uint16_t)rn(8) : (uint16_t)(len + 100);
		return;
	}
	put_attr(m, type, d, len);
	rec_scalar(a, d, len);
	if (mu == MU_DUP)
		put_attr(m, type, d, len);
	if (mu == MU_UNKNOWN)
		put_attr(m, chance(50) ? s->maxattr + 1 + rn(3) : rn(0x4000), d, len);
}

static void gen_attr(struct msg *m, int set, int idx, int depth)
{
	const struct fz_set *s = &fz_sets[set];
	const struct fz_attr *a = &s->attrs[idx];
	bool mutate = attr_counter++ == mut_target;
	int copies = a->multi ? 1 + rn(3) : 1, c, mu;
	size_t start;

	if (a->multi && !strcmp(a->name, "item") && !strcmp(s->name, "request"))
		copies = chance(80) ? 1 + rn(4) : 1 + rn(40);
	for (c = 0; c < copies; c++) {
		if (a->t != FT_NEST) {
			gen_scalar(m, a, s, a->id, mutate && c == 0);
			continue;
		}
		mu = mutate && c == 0 ? (int)rn(4) : -1;
		start = m->len;
		put_attr(m, a->id | (mu == 0 ? 0 : NLA_F_NESTED), NULL, 0);
		if (!strcmp(fz_sets[a->nest].name, "item")) {
			cur_service = chance(97) ? 1 + rn(KSF_SERVICE_MAX) : rn(40);
			if (cur_service < 64)
				svc_sent[cur_service]++;
			if (!depth && n_items < 4096)
				item_svc[n_items++] = cur_service;
			cur_rec = !depth && n_items <= 64 ? n_items - 1 : -1;
			if (cur_rec >= 0)
				memset(&irec[cur_rec], 0, sizeof(irec[0]));
		}
		if (mu != 1 && depth < 4 && !(cur_rec >= 0 && chained_item(m)))
			gen_set(m, a->nest, NULL, 0, depth + 1);
		cur_rec = -1;
		if (mu == 1) { /* scalar payload in a nest */
			uint32_t v = rnd();

			put_attr(m, 0, NULL, 0);
			memcpy(m->buf + m->len - 4, &v, 4);
		}
		((struct nlattr *)(m->buf + start))->nla_len = m->len - start;
		if (mu == 2) /* nest duplicated */
			put_attr(m, a->id | NLA_F_NESTED, NULL, 0);
		if (mu == 3) /* unknown attribute inside the nest's parent */
			put_attr(m, s->maxattr + 1, NULL, 0);
	}
}

/* Attribute @i of @set is the nest of the current service's family. */
static bool own_nest(int set, int i)
{
	return !strcmp(fz_sets[set].name, "item") && cur_service > 0 &&
	       cur_service < FZ_N_SVC_NEST && fz_svc_nest[cur_service] == i;
}

static void gen_set(struct msg *m, int set, const int *only, int nonly, int depth)
{
	const struct fz_set *s = &fz_sets[set];
	bool item = !strncmp(s->name, "item", 4);	/* item, item-<family> */
	int i, p;

	if (only) {
		/* key sources and context names exclude each other: mostly one */
		int pick = rn(3);
		static const char *const excl[] = {
			",material,keyring-serial,keyring-desc,",
			",handle,peer,subscriber,",
		};

		for (i = 0; i < nonly; i++) {
			const char *n = only[i] >= 0 ? s->attrs[only[i]].name : NULL;
			char pat[40];
			bool ex = false;
			int e, k;

			if (!n)
				continue;
			snprintf(pat, sizeof(pat), ",%s,", n);
			for (e = 0; e < 2; e++) {
				const char *at = strstr(excl[e], pat);

				if (!at || nonly < 3)
					continue;
				/* the position of n in the exclusive list */
				for (k = 0; at > excl[e]; at--)
					k += *at == ',';
				ex = true;
				p = e == 1 && k > 0 ? (pick > 0 ? 90 : 3) :
				    (k == pick ? 90 : 3);
			}
			if (!ex)
				p = 75;
			if (chance(p))
				gen_attr(m, set, only[i], depth);
		}
		return;
	}
	for (i = 0; i < s->n; i++) {
		if (s->attrs[i].t == FT_PAD)
			continue;
		if (item && s->attrs[i].t == FT_NEST)
			p = own_nest(set, i) ? 95 : 4;	/* else a foreign one */
		else if (item)
			p = !strcmp(s->attrs[i].name, "service") ? 97 :
			    hinted(s->attrs[i].name) ? 85 : 4;
		else if (!strcmp(s->attrs[i].name, "services") ||
			 !strcmp(s->attrs[i].name, "algs"))
			p = 90;
		else
			p = i == 0 ? 92 : 45;
		if (chance(p))
			gen_attr(m, set, i, depth);
	}
}

static int family, ev_group;

static void gen_message(struct msg *m, const struct fz_op *op)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;
	struct genlmsghdr *g;

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	if (op->has_dump && (!op->has_do || chance(30)))
		nlh->nlmsg_flags |= NLM_F_DUMP;
	g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
	g->cmd = op->cmd;
	g->version = chance(98) ? KSF_FAMILY_VERSION : rn(256);
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	attr_counter = 0;
	last_len = 0;
	cur_service = 0;
	mut_target = chance(20) ? (int)rn(6) : -1;
	n_items = 0;
	gen_set(m, op->set, op->req, op->nreq, 0);
	if (mut_target >= 0 && attr_counter <= mut_target && chance(50))
		put_attr(m, rn(0x4000), NULL, 0);	/* unknown type, empty */
	nlh->nlmsg_len = m->len;
	if (mut_target >= 0)
		mutated++;
}

/* ---- exchange ---- */

static int fd, evfd, kmsgfd;
static uint32_t seqno = 1;
static uint8_t rx[1 << 18];
static char failure[512];

__attribute__((format(printf, 1, 2)))
static void fail(const char *fmt, ...)
{
	va_list ap;

	if (failure[0])
		return;
	va_start(ap, fmt);
	vsnprintf(failure, sizeof(failure), fmt, ap);
	va_end(ap);
}

static bool has_canary(const uint8_t *b, size_t n)
{
	return memmem(b, n, canary, 7) != NULL;
}

static bool res_ok;

/* Keep the outputs of a successful mac-generate or encrypt for later items. */
static void note_chain(int idx)
{
	struct item_rec *r = &irec[idx];
	int svc = item_svc[idx];

	if (svc == KSF_SERVICE_MAC_GENERATE && ch_tmp.outlen && r->dlen) {
		ch_mac = ch_tmp;
		ch_mac.key = r->key;
		ch_mac.alg = r->alg;
		memcpy(ch_mac.in, r->data, r->dlen);
		ch_mac.inlen = r->dlen;
		ch_mac.ok = true;
	} else if (svc == KSF_SERVICE_ENCRYPT && ch_tmp.has_iv && ch_tmp.has_tag &&
		   !r->aad && ch_tmp.outlen) {
		ch_enc = ch_tmp;
		ch_enc.key = r->key;
		ch_enc.ok = true;
	}
}

/* Walk the attributes of a reply of `set`, collecting handles and blobs. */
static void harvest(const uint8_t *p, int len, int set, int depth)
{
	const struct nlattr *a = (const void *)p;
	bool fam_out = set >= 0 && !strncmp(fz_sets[set].name, "result-", 7);

	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		int t = a->nla_type & NLA_TYPE_MASK, pl = a->nla_len - NLA_HDRLEN;
		const uint8_t *d = (const uint8_t *)a + NLA_HDRLEN;
		const struct fz_attr *fa = NULL;
		uint64_t v;
		int i;

		for (i = 0; set >= 0 && i < fz_sets[set].n; i++)
			if (fz_sets[set].attrs[i].id == t)
				fa = &fz_sets[set].attrs[i];
		if (fa && fa->t == FT_NEST && depth < 4) {
			bool result = !strcmp(fz_sets[fa->nest].name, "result");

			if (result) {
				memset(&ch_tmp, 0, sizeof(ch_tmp));
				res_ok = false;
				cur_index = -1;
			}
			harvest(d, pl, fa->nest, depth + 1);
			if (result && res_ok && cur_index >= 0 && cur_index < 64 &&
			    cur_index < n_items)
				note_chain(cur_index);
		}
		if (fa && fa->t == FT_U64 && pl == 8) {
			memcpy(&v, d, 8);
			if ((!strcmp(fa->name, "handle") && !strcmp(fz_sets[set].name, "key")) ||
			    (!strcmp(fa->name, "key") && !strcmp(fz_sets[set].name, "result")))
				pool_add(keys, &nkeys, v);
			if ((!strcmp(fa->name, "handle") && !strcmp(fz_sets[set].name, "context")) ||
			    (!strcmp(fa->name, "context") && !strcmp(fz_sets[set].name, "result")))
				pool_add(ctxs, &nctxs, v);
		}
		if (fa && !strcmp(fa->name, "chunk") && cur_save.n < 64) {
			cur_save.b[cur_save.n] = malloc(pl);
			memcpy(cur_save.b[cur_save.n], d, pl);
			cur_save.len[cur_save.n++] = pl;
		}
		if (fa && verbose > 2 && !strcmp(fa->name, "reason"))
			printf("#   reason %.*s (service %d)\n", pl, (const char *)d,
			       cur_index >= 0 && cur_index < n_items ? item_svc[cur_index] : -1);
		if (fa && !strcmp(fz_sets[set].name, "result") && pl == 4 &&
		    !strcmp(fa->name, "index")) {
			memcpy(&cur_index, d, 4);
		}
		/* the outputs, in the result's family nest (result-<family>) */
		if (fa && fam_out && pl <= 256 && !strcmp(fa->name, "data")) {
			memcpy(ch_tmp.out, d, pl);
			ch_tmp.outlen = pl;
		}
		if (fa && fam_out && pl == 12 && !strcmp(fa->name, "iv")) {
			memcpy(ch_tmp.iv, d, 12);
			ch_tmp.has_iv = true;
		}
		if (fa && fam_out && pl == 16 && !strcmp(fa->name, "mac")) {
			memcpy(ch_tmp.tag, d, 16);
			ch_tmp.has_tag = true;
		}
		if (fa && !strcmp(fz_sets[set].name, "result") && pl == 4 &&
		    !strcmp(fa->name, "status")) {
			memcpy(&i, d, 4);
			if (i == KSF_STATUS_OK && cur_index >= 0 && cur_index < n_items &&
			    item_svc[cur_index] > 0 && item_svc[cur_index] < 64)
				svc_ok[item_svc[cur_index]]++;
			res_ok = i == KSF_STATUS_OK;
		}
		len -= NLA_ALIGN(a->nla_len);
		a = (const void *)((const uint8_t *)a + NLA_ALIGN(a->nla_len));
	}
}

struct answer {
	int error;	/* 0 ok, <0 errno, 1 no answer */
	int replies;
};

static void drain_events(void)
{
	int n;

	while ((n = recv(evfd, rx, sizeof(rx), MSG_DONTWAIT)) > 0) {
		events_seen++;
		if (has_canary(rx, n))
			fail("canary bytes in an event");
	}
}

static const char *const bad_re[] = {
	"WARNING:", "BUG:", "Oops", "KASAN", "Call Trace", "general protection",
	"circular locking", "inconsistent lock state", "DEBUG_LOCKS_WARN",
	"recursive locking", "suspicious RCU", "UBSAN", "refcount_t", "KCSAN",
};

static int kcsan_by_harness;	/* --kcsan-by-harness */

static void check_kmsg(void)
{
	char b[2048];
	int n;
	size_t i;

	if (kmsgfd < 0)
		return;
	for (;;) {
		n = read(kmsgfd, b, sizeof(b) - 1);
		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			break;
		b[n] = 0;
		if (has_canary((uint8_t *)b, n))
			fail("canary bytes in the kernel log");
		if (kcsan_by_harness && strstr(b, "KCSAN"))
			continue;	/* judged by the harness: a ksf frame fails */
		for (i = 0; i < sizeof(bad_re) / sizeof(bad_re[0]); i++)
			if (strstr(b, bad_re[i])) {
				char *l = strchr(b, ';');

				fail("kernel report: %.300s", l ? l + 1 : b);
			}
	}
}

static const char *step_name = "setup", *plant_op;
static int procs;	/* > 0: one of several fuzzing processes */
static const char *base_name = "fz-0";	/* the peer the fuzzer is */
static uint32_t base_uid;

static void print_ext(struct nlmsghdr *r, int err)
{
	struct nlmsgerr *e = NLMSG_DATA(r);
	struct genlmsghdr *g = (void *)((uint8_t *)&e->msg + NLMSG_HDRLEN);
	int len = (int)r->nlmsg_len - NLMSG_HDRLEN - (int)sizeof(*e);
	struct nlattr *a = (void *)(e + 1);

	(void)g;
	printf("#   %s: error %d", step_name, err);
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		if (a->nla_type == NLMSGERR_ATTR_MSG)
			printf(" \"%.*s\"", a->nla_len - NLA_HDRLEN, (char *)a + NLA_HDRLEN);
		len -= NLA_ALIGN(a->nla_len);
		a = (void *)((uint8_t *)a + NLA_ALIGN(a->nla_len));
	}
	printf("\n");
}

static struct answer exchange(const uint8_t *buf, size_t len, int set)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct answer an = { .error = 1 };
	uint32_t s = nlh->nlmsg_seq;

	msgs++;
	if (sendto(fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		an.error = -errno;
		return an;
	}
	if (len < NLMSG_HDRLEN || nlh->nlmsg_len > len ||
	    nlh->nlmsg_len < NLMSG_HDRLEN)
		return an; /* the kernel drops it silently */
	for (;;) {
		int n = recv(fd, rx, sizeof(rx), 0);
		struct nlmsghdr *r;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS)
				continue;
			return an;	/* timeout */
		}
		if (has_canary(rx, n))
			fail("canary bytes in a reply");
		for (r = (struct nlmsghdr *)rx; NLMSG_OK(r, (unsigned int)n);
		     r = NLMSG_NEXT(r, n)) {
			if (r->nlmsg_seq != s)
				continue;
			if (r->nlmsg_type == NLMSG_ERROR) {
				an.error = ((struct nlmsgerr *)NLMSG_DATA(r))->error;
				if (verbose > 1)
					print_ext(r, an.error);
				return an;
			}
			if (r->nlmsg_type == NLMSG_DONE) {
				memcpy(&an.error, NLMSG_DATA(r), 4);
				return an;
			}
			an.replies++;
			if (set >= 0)
				harvest((uint8_t *)NLMSG_DATA(r) + GENL_HDRLEN,
					r->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, set, 0);
		}
	}
}

/* A simple request built by hand (cleanup, invariants). */
static struct answer simple(int cmd, bool dump, int set, uint16_t at, int t,
			    const void *d, size_t dl)
{
	static struct msg m;
	struct nlmsghdr *nlh = (struct nlmsghdr *)m.buf;
	struct genlmsghdr *g;

	memset(m.buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0);
	nlh->nlmsg_seq = ++seqno;
	g = (struct genlmsghdr *)(m.buf + NLMSG_HDRLEN);
	g->cmd = cmd;
	g->version = KSF_FAMILY_VERSION;
	m.len = NLMSG_HDRLEN + GENL_HDRLEN;
	if (at)
		put_attr(&m, at | t, d, dl);
	nlh->nlmsg_len = m.len;
	return exchange(m.buf, m.len, set);
}

/* ---- info and dumps ---- */

struct info { uint32_t peers, keys, contexts; uint64_t mem; bool ok; };

static struct info last_info;

static void info_harvest(const uint8_t *p, int len)
{
	const struct nlattr *a = (const void *)p;

	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		const uint8_t *d = (const uint8_t *)a + NLA_HDRLEN;

		switch (a->nla_type & NLA_TYPE_MASK) {
		case KSF_A_INFO_PEERS: memcpy(&last_info.peers, d, 4); break;
		case KSF_A_INFO_KEYS: memcpy(&last_info.keys, d, 4); break;
		case KSF_A_INFO_CONTEXTS: memcpy(&last_info.contexts, d, 4); break;
		case KSF_A_INFO_MEM: memcpy(&last_info.mem, d, 8); break;
		}
		len -= NLA_ALIGN(a->nla_len);
		a = (const void *)((const uint8_t *)a + NLA_ALIGN(a->nla_len));
	}
}

static struct info get_info(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct { struct nlmsghdr n; struct genlmsghdr g; } req = {
		.n = { .nlmsg_len = sizeof(req), .nlmsg_type = family,
		       .nlmsg_flags = NLM_F_REQUEST, .nlmsg_seq = ++seqno },
		.g = { .cmd = KSF_CMD_GET_INFO, .version = KSF_FAMILY_VERSION },
	};
	int n;

	memset(&last_info, 0, sizeof(last_info));
	msgs++;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return last_info;
	for (;;) {
		struct nlmsghdr *r;

		n = recv(fd, rx, sizeof(rx), 0);
		if (n < 0)
			return last_info;
		for (r = (struct nlmsghdr *)rx; NLMSG_OK(r, (unsigned int)n);
		     r = NLMSG_NEXT(r, n)) {
			if (r->nlmsg_seq != req.n.nlmsg_seq)
				continue;
			if (r->nlmsg_type == NLMSG_ERROR)
				return last_info;	/* e.g. the family is gone */
			if (r->nlmsg_type != family)
				continue;
			info_harvest((uint8_t *)NLMSG_DATA(r) + GENL_HDRLEN,
				     r->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN);
			last_info.ok = true;
			return last_info;
		}
	}
}

/* Dump cmd; returns the number of objects, ids in out (strings or u64). */
#define MAXOBJ 4096
static char dump_ids[MAXOBJ][KSF_PEER_ID_LEN];
static uint64_t dump_handles[MAXOBJ];

static int dump_list(int cmd, uint16_t idattr, bool str)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct { struct nlmsghdr n; struct genlmsghdr g; } req = {
		.n = { .nlmsg_len = sizeof(req), .nlmsg_type = family,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK,
		       .nlmsg_seq = ++seqno },
		.g = { .cmd = cmd, .version = KSF_FAMILY_VERSION },
	};
	int n, cnt = 0;

	msgs++;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -1;
	for (;;) {
		struct nlmsghdr *r;

		n = recv(fd, rx, sizeof(rx), 0);
		if (n < 0)
			return -1;
		if (has_canary(rx, n))
			fail("canary bytes in a dump");
		for (r = (struct nlmsghdr *)rx; NLMSG_OK(r, (unsigned int)n);
		     r = NLMSG_NEXT(r, n)) {
			struct nlattr *a;
			int len;

			if (r->nlmsg_seq != req.n.nlmsg_seq)
				continue;
			if (r->nlmsg_type == NLMSG_DONE || r->nlmsg_type == NLMSG_ERROR)
				return cnt;
			a = (void *)((uint8_t *)NLMSG_DATA(r) + GENL_HDRLEN);
			len = r->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
			while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
			       a->nla_len <= len) {
				if ((a->nla_type & NLA_TYPE_MASK) == idattr && cnt < MAXOBJ) {
					if (str)
						snprintf(dump_ids[cnt], KSF_PEER_ID_LEN, "%s",
							 (char *)a + NLA_HDRLEN);
					else
						memcpy(&dump_handles[cnt], (char *)a + NLA_HDRLEN, 8);
				}
				len -= NLA_ALIGN(a->nla_len);
				a = (void *)((uint8_t *)a + NLA_ALIGN(a->nla_len));
			}
			cnt++;
		}
	}
}

static bool counts_match(char *why, size_t wl)
{
	struct info in = get_info();
	int p = dump_list(KSF_CMD_PEER_GET, KSF_A_PEER_ID, true);
	int k = dump_list(KSF_CMD_KEY_GET, KSF_A_KEY_HANDLE, false);
	int c = dump_list(KSF_CMD_CONTEXT_GET, KSF_A_CONTEXT_HANDLE, false);

	snprintf(why, wl, "get-info peers %u keys %u contexts %u; dumps list %d peers, %d keys, %d contexts",
		 in.peers, in.keys, in.contexts, p, k, c);
	return in.ok && (int)in.peers == p && (int)in.keys == k && (int)in.contexts == c;
}

static void check_counts(void)
{
	char why[256];
	int i;

	/* timers and expiry change the counts while we look: retry */
	for (i = 0; i < 5; i++) {
		if (counts_match(why, sizeof(why)))
			return;
		usleep(20000);
	}
	fail("counters differ from the dumps: %s", why);
}

/* Delete every object the dumps list; the pools are emptied. */
static void wipe(void)
{
	int i, n, round;

	for (round = 0; round < 3; round++) {
		n = dump_list(KSF_CMD_CONTEXT_GET, KSF_A_CONTEXT_HANDLE, false);
		for (i = 0; i < n && i < MAXOBJ; i++)
			simple(KSF_CMD_CONTEXT_DEL, false, -1, KSF_A_CONTEXT_HANDLE, 0,
			       &dump_handles[i], 8);
		n = dump_list(KSF_CMD_KEY_GET, KSF_A_KEY_HANDLE, false);
		for (i = 0; i < n && i < MAXOBJ; i++)
			simple(KSF_CMD_KEY_DEL, false, -1, KSF_A_KEY_HANDLE, 0,
			       &dump_handles[i], 8);
		n = dump_list(KSF_CMD_PEER_GET, KSF_A_PEER_ID, true);
		for (i = 0; i < n && i < MAXOBJ; i++)
			simple(KSF_CMD_PEER_DEL, false, -1, KSF_A_PEER_ID, 0,
			       dump_ids[i], strlen(dump_ids[i]) + 1);
		if (!n)
			break;
	}
	nkeys = nctxs = npeers = 0;
}

static void check_empty(void)
{
	struct info in;
	int i;

	wipe();
	for (i = 0; i < 10; i++) {
		in = get_info();
		if (in.ok && !in.peers && !in.keys && !in.contexts && !in.mem)
			return;
		usleep(50000);
	}
	fail("not empty after deleting every object: peers %u keys %u contexts %u mem %llu",
	     in.peers, in.keys, in.contexts, (unsigned long long)in.mem);
}

/*
 * The invariants at the end of a run: after @settle_us for the last events
 * and kernel log lines (0: none), the counters equal the dumps, and once
 * every object is deleted all of them and mem are 0.
 */
static void end_checks(useconds_t settle_us)
{
	if (!failure[0] && settle_us) {
		usleep(settle_us);
		drain_events();
		check_kmsg();
	}
	if (!failure[0])
		check_counts();
	if (!failure[0])
		check_empty();
}

/* ---- steps ---- */

static int set_of(const char *name)
{
	int i;

	for (i = 0; i < FZ_N_SETS; i++)
		if (!strcmp(fz_sets[i].name, name))
			return i;
	return -1;
}

/* Keys of every type of the base peer, their material the canary. */
static void base_keys(void)
{
	static const struct { uint32_t type, len, usage; } k[] = {
		{ KSF_KEY_TYPE_GENERIC, 32, KSF_KEY_USAGE_DERIVE },
		{ KSF_KEY_TYPE_GENERIC, 32, KSF_KEY_USAGE_MAC | KSF_KEY_USAGE_VERIFY },
		{ KSF_KEY_TYPE_AES, 16, KSF_KEY_USAGE_ENCRYPT | KSF_KEY_USAGE_DECRYPT },
		{ KSF_KEY_TYPE_AES, 32, KSF_KEY_USAGE_MAC | KSF_KEY_USAGE_VERIFY },
		{ KSF_KEY_TYPE_NAS, 16, KSF_KEY_USAGE_MAC | KSF_KEY_USAGE_VERIFY },
		{ KSF_KEY_TYPE_NAS, 16, KSF_KEY_USAGE_ENCRYPT | KSF_KEY_USAGE_DECRYPT },
		{ KSF_KEY_TYPE_K, 16, 0 },
		{ KSF_KEY_TYPE_OPC, 16, 0 },
		{ KSF_KEY_TYPE_GENERIC, 32, KSF_KEY_USAGE_DERIVE }, /* K_AMF */
	};
	static struct msg m;
	struct nlmsghdr *nlh = (struct nlmsghdr *)m.buf;
	size_t i;
	int e;

	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		memset(m.buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
		nlh->nlmsg_type = family;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
		nlh->nlmsg_seq = ++seqno;
		((struct genlmsghdr *)(m.buf + NLMSG_HDRLEN))->cmd = KSF_CMD_KEY_NEW;
		((struct genlmsghdr *)(m.buf + NLMSG_HDRLEN))->version = KSF_FAMILY_VERSION;
		m.len = NLMSG_HDRLEN + GENL_HDRLEN;
		put_attr(&m, KSF_A_KEY_TYPE, &k[i].type, 4);
		put_attr(&m, KSF_A_KEY_LEN, &k[i].len, 4);
		if (k[i].usage)
			put_attr(&m, KSF_A_KEY_USAGE, &k[i].usage, 4);
		put_attr(&m, KSF_A_KEY_OWNER, base_name, strlen(base_name) + 1);
		put_attr(&m, KSF_A_KEY_MATERIAL, canary, k[i].len);
		nlh->nlmsg_len = m.len;
		last_slot = -1;
		e = exchange(m.buf, m.len, set_of("key")).error;
		if (!e && last_slot >= 0)
			key_class[last_slot] = i + 1;
		if (e && verbose)
			printf("# base key %zu: error %d\n", i, e);
	}
}

static uint64_t all_of(int en)
{
	uint64_t all = 0;
	int i;

	for (i = 0; i < fz_enums[en].n; i++)
		all |= 1ULL << fz_enums[en].vals[i].v;
	return all;
}

/* The policy bitmap of a mask: bit v is bit v % 8 of byte v / 8. */
static void bitmap8(uint8_t b[8], uint64_t mask)
{
	int i;

	for (i = 0; i < 8; i++)
		b[i] = mask >> (8 * i);
}

/* peer-new (nf, uid) or peer-set of peer id with a policy; the error */
static int peer_op(int cmd, const char *id, uint32_t uid, uint64_t svcs, uint64_t algs)
{
	static struct msg m;
	struct nlmsghdr *nlh = (struct nlmsghdr *)m.buf;
	uint32_t v = KSF_PEER_KIND_NF;
	size_t nest;
	uint8_t one = 1, b[8];

	memset(m.buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++seqno;
	((struct genlmsghdr *)(m.buf + NLMSG_HDRLEN))->cmd = cmd;
	((struct genlmsghdr *)(m.buf + NLMSG_HDRLEN))->version = KSF_FAMILY_VERSION;
	m.len = NLMSG_HDRLEN + GENL_HDRLEN;
	put_attr(&m, KSF_A_PEER_ID, id, strlen(id) + 1);
	if (cmd == KSF_CMD_PEER_NEW)
		put_attr(&m, KSF_A_PEER_KIND, &v, 4);
	put_attr(&m, KSF_A_PEER_UID, &uid, 4);
	nest = m.len;
	put_attr(&m, KSF_A_PEER_POLICY | NLA_F_NESTED, NULL, 0);
	bitmap8(b, svcs);
	put_attr(&m, KSF_A_POLICY_SERVICES, b, 8);
	bitmap8(b, algs);
	put_attr(&m, KSF_A_POLICY_ALGS, b, 8);
	put_attr(&m, KSF_A_POLICY_CALLER_RAND, &one, 1);
	((struct nlattr *)(m.buf + nest))->nla_len = m.len - nest;
	nlh->nlmsg_len = m.len;
	return exchange(m.buf, m.len, -1).error;
}

/* The peer the fuzzer itself is (nf, uid 0, every service and alg). */
static int base_peer(void)
{
	int i;

	i = peer_op(KSF_CMD_PEER_NEW, base_name, base_uid, all_of(FZ_ENUM_SERVICE),
		    all_of(FZ_ENUM_ALG));
	if (i && verbose)
		printf("# base peer: error %d\n", i);
	snprintf(peers[0], 32, "%s", base_name);
	npeers = 1;
	base_keys();
	return i;
}

/* Restore the last save into an emptied instance, in one or more requests. */
static void macro_restore(void)
{
	static struct msg m;
	struct nlmsghdr *nlh = (struct nlmsghdr *)m.buf;
	int i = 0, per;
	bool first = true;

	if (!saved.n)
		return;
	wipe();
	per = 1 + rn(saved.n);
	while (i < saved.n) {
		int j;

		memset(m.buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
		nlh->nlmsg_type = family;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
		nlh->nlmsg_seq = ++seqno;
		((struct genlmsghdr *)(m.buf + NLMSG_HDRLEN))->cmd = KSF_CMD_RESTORE;
		((struct genlmsghdr *)(m.buf + NLMSG_HDRLEN))->version = KSF_FAMILY_VERSION;
		m.len = NLMSG_HDRLEN + GENL_HDRLEN;
		if (first)
			put_attr(&m, KSF_A_STATE_KEK_SERIAL, &kek_serial, 4);
		first = false;
		for (j = 0; j < per && i < saved.n; j++, i++)
			put_attr(&m, KSF_A_STATE_CHUNK, saved.b[i], saved.len[i]);
		if (i == saved.n && chance(90))
			put_attr(&m, KSF_A_STATE_END, NULL, 0);
		nlh->nlmsg_len = m.len;
		if (exchange(m.buf, m.len, -1).error)
			break;
	}
	/* learn the restored objects */
	i = dump_list(KSF_CMD_KEY_GET, KSF_A_KEY_HANDLE, false);
	while (i-- > 0)
		pool_add(keys, &nkeys, dump_handles[i]);
	i = dump_list(KSF_CMD_CONTEXT_GET, KSF_A_CONTEXT_HANDLE, false);
	while (i-- > 0)
		pool_add(ctxs, &nctxs, dump_handles[i]);
}

/* A peer went with its keys and contexts: learn what is left. */
static void refresh_pools(void)
{
	int i;

	if (chance(20))
		return;	/* keep stale handles: use after delete */
	nkeys = nctxs = 0;
	i = dump_list(KSF_CMD_KEY_GET, KSF_A_KEY_HANDLE, false);
	while (i-- > 0)
		pool_add(keys, &nkeys, dump_handles[i]);
	i = dump_list(KSF_CMD_CONTEXT_GET, KSF_A_CONTEXT_HANDLE, false);
	while (i-- > 0)
		pool_add(ctxs, &nctxs, dump_handles[i]);
}

static void note_peer(const struct msg *m)
{
	const struct nlattr *a = (const void *)(m->buf + NLMSG_HDRLEN + GENL_HDRLEN);
	int len = m->len - NLMSG_HDRLEN - GENL_HDRLEN, i;

	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		if (a->nla_type == KSF_A_PEER_ID && a->nla_len > NLA_HDRLEN &&
		    a->nla_len - NLA_HDRLEN < 32) {
			const char *id = (const char *)a + NLA_HDRLEN;

			if (!memchr(id, 0, a->nla_len - NLA_HDRLEN))
				return;
			for (i = 0; i < npeers; i++)
				if (!strcmp(peers[i], id))
					return;
			if (npeers < NPEERS)
				snprintf(peers[npeers++], 32, "%s", id);
			return;
		}
		len -= NLA_ALIGN(a->nla_len);
		a = (const void *)((const uint8_t *)a + NLA_ALIGN(a->nla_len));
	}
}

static void forget(const struct msg *m, int cmd)
{
	const struct nlattr *a = (const void *)(m->buf + NLMSG_HDRLEN + GENL_HDRLEN);
	uint64_t v;

	if (m->len < NLMSG_HDRLEN + GENL_HDRLEN + 12 || a->nla_len != 12)
		return;
	memcpy(&v, (const uint8_t *)a + NLA_HDRLEN, 8);
	if (cmd == KSF_CMD_KEY_DEL && chance(70))
		pool_del(keys, &nkeys, v);
	if (cmd == KSF_CMD_CONTEXT_DEL && chance(70))
		pool_del(ctxs, &nctxs, v);
}

static int only_service;	/* the netns churner's requesters */

/* Every op; a quarter of the steps are service requests (the deep paths). */
static int pick_op(void)
{
	int i;

	if (only_service || chance(25))
		for (i = 0; i < FZ_N_OPS; i++)
			if (fz_ops[i].cmd == KSF_CMD_SERVICE_REQUEST)
				return i;
	return rn(FZ_N_OPS);
}

static const char *reload_ko;	/* --reload KO: a reload actor runs */
#define FAMILY_WAIT 60	/* s: an insmod waits for namespaces dying */
static bool refamily(void);
static int resolve(void);
static double now(void);

static void step(uint64_t sseed)
{
	static struct msg m;
	const struct fz_op *op;
	struct nlmsghdr *nlh = (struct nlmsghdr *)m.buf;
	struct answer an;
	size_t send_len;
	int oi;

	rs = sseed;
	if (chance(1) && rn(4) == 0) {
		step_name = "macro: wipe and restore the last save";
		macro_restore();
		return;
	}
	oi = pick_op();
	op = &fz_ops[oi];
	step_name = op->name;
	gen_message(&m, op);
	nlh->nlmsg_seq = ++seqno;
	send_len = m.len;
	if (chance(3)) { /* truncation */
		send_len = rn(m.len + 1);
		if (chance(50))
			nlh->nlmsg_len = send_len;
		mutated++;
	}
	op_sent[oi]++;
	cur_save.n = 0;
	an = exchange(m.buf, send_len, op->set);
	if (an.error == -ENOENT && reload_ko && refamily())
		return;	/* ksf was unloaded or reloaded: normal here */
	if (!an.error) {
		op_ok[oi]++;
		if (op->cmd == KSF_CMD_PEER_DEL)
			refresh_pools();
		if (op->cmd == KSF_CMD_PEER_DEL && !base_uid &&
		    memmem(m.buf, m.len, base_name, strlen(base_name) + 1))
			base_peer();
		if (op->cmd == KSF_CMD_PEER_NEW)
			note_peer(&m);
		if (op->cmd == KSF_CMD_KEY_DEL || op->cmd == KSF_CMD_CONTEXT_DEL)
			forget(&m, op->cmd);
	}
	if (plant_op && !strcmp(plant_op, op->name)) {
		/* harness self-check: a planted "leak" must be found and shrunk */
		int k = open("/dev/kmsg", O_WRONLY);
		char line[64];
		int ll = snprintf(line, sizeof(line), "ksf-fuzz planted canary: %.16s\n", canary);

		/* one write(2): dprintf would seek, which /dev/kmsg refuses */
		if (k < 0 || write(k, line, ll) != ll)
			perror("ksf-fuzz: /dev/kmsg");
		if (k >= 0)
			close(k);
	}
	if (op->cmd == KSF_CMD_SAVE && !an.error && cur_save.n) {
		blob_clear(&saved);
		saved = cur_save;
		cur_save.n = 0;
	} else {
		blob_clear(&cur_save);
	}
	if (an.error == 1 && send_len == m.len && nlh->nlmsg_len == m.len &&
	    !get_info().ok && !(reload_ko && refamily()))
		fail("ksf does not answer (wedged) after %s", op->name);
}

/* ---- set-up ---- */

static int resolve(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	static struct msg m;
	struct nlmsghdr *nlh = (struct nlmsghdr *)m.buf;
	struct genlmsghdr *g;
	struct nlattr *a;
	int n, len, id = -ENOENT;
	uint32_t seq;

	memset(m.buf, 0, 64);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++seqno;
	g = (struct genlmsghdr *)(m.buf + NLMSG_HDRLEN);
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	m.len = NLMSG_HDRLEN + GENL_HDRLEN;
	put_attr(&m, CTRL_ATTR_FAMILY_NAME, KSF_FAMILY_NAME, strlen(KSF_FAMILY_NAME) + 1);
	nlh->nlmsg_len = m.len;
	seq = nlh->nlmsg_seq;
	if (sendto(fd, m.buf, m.len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	do {	/* skip late answers to earlier requests */
		n = recv(fd, rx, sizeof(rx), 0);
		if (n < 0)
			return -errno;
		nlh = (struct nlmsghdr *)rx;
	} while (NLMSG_OK(nlh, (unsigned int)n) && nlh->nlmsg_seq != seq);
	if (!NLMSG_OK(nlh, (unsigned int)n) || nlh->nlmsg_type != GENL_ID_CTRL)
		return -ENOENT;
	a = (struct nlattr *)((uint8_t *)NLMSG_DATA(nlh) + GENL_HDRLEN);
	len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			id = *(uint16_t *)((uint8_t *)a + NLA_HDRLEN);
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GROUPS) {
			/* nests of (id, name): the first group is events */
			struct nlattr *g1 = (void *)((uint8_t *)a + NLA_HDRLEN);
			struct nlattr *x = (void *)((uint8_t *)g1 + NLA_HDRLEN);
			int gl = g1->nla_len - NLA_HDRLEN;

			while (gl >= NLA_HDRLEN && x->nla_len >= NLA_HDRLEN) {
				if (x->nla_type == CTRL_ATTR_MCAST_GRP_ID)
					memcpy(&ev_group, (uint8_t *)x + NLA_HDRLEN, 4);
				gl -= NLA_ALIGN(x->nla_len);
				x = (void *)((uint8_t *)x + NLA_ALIGN(x->nla_len));
			}
		}
		len -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((uint8_t *)a + NLA_ALIGN(a->nla_len));
	}
	return id;
}

static int open_sock(void)
{
	struct timeval tv = { .tv_sec = 5 };
	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC), one = 1;
	int sz = 1 << 20;

	if (s < 0)
		return -1;
	setsockopt(s, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(s, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(s, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	return s;
}

static int32_t add_logon(const char *desc, const void *d, size_t len)
{
	return syscall(SYS_add_key, "logon", desc, d, len, -4 /* user keyring */);
}

static bool quiet_setup;	/* no message if ksf is not there */

static int setup(void)
{
	uint8_t kek[32];
	double t;
	size_t i;

	fd = open_sock();
	evfd = open_sock();
	if (fd < 0 || evfd < 0)
		return -1;
	family = resolve();
	/* a reload actor may have ksf unloaded right now: wait for it */
	for (t = now(); family < 0 && reload_ko && !quiet_setup &&
	     now() - t < FAMILY_WAIT; family = resolve())
		usleep(5000);
	if (family < 0) {
		if (quiet_setup)
			return -1;
		fprintf(stderr, "ksf-fuzz: no ksf family: %s\n", strerror(-family));
		return -1;
	}
	{
		struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

		bind(evfd, (struct sockaddr *)&sa, sizeof(sa));
	}
	if (ev_group && setsockopt(evfd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				   &ev_group, sizeof(ev_group)) < 0)
		fprintf(stderr, "ksf-fuzz: cannot join events: %s\n", strerror(errno));
	for (i = 0; i < sizeof(kek); i++)
		kek[i] = 0x40 + i;
	kek_serial = add_logon("ksf:fuzz-kek", kek, 32);
	canary_serial = add_logon("ksf:fuzz-canary", canary, 32);
	kmsgfd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (kmsgfd >= 0)
		lseek(kmsgfd, 0, SEEK_END);
	return 0;
}


/* ---- the family going away (--reload) ---- */

static bool rebase;	/* a fuzzing process: re-create its peer after a reload */
static unsigned long family_changes;
static double last_resolve;

/* What happened to a fuzzing process besides its steps (its log). */
#define NEVENTS 512
static struct { size_t step; double t; char what[96]; } evlog[NEVENTS];
static int nevlog;
static size_t nsteps;

__attribute__((format(printf, 1, 2)))
static void note_event(const char *fmt, ...)
{
	va_list ap;

	if (nevlog >= NEVENTS)
		return;
	evlog[nevlog].step = nsteps;
	evlog[nevlog].t = now();
	va_start(ap, fmt);
	vsnprintf(evlog[nevlog].what, sizeof(evlog[0].what), fmt, ap);
	va_end(ap);
	nevlog++;
}

/*
 * With a reload actor running: true if ksf's family is gone or has another
 * id than ours (then an ENOENT or a missing answer means nothing).  Waits
 * up to FAMILY_WAIT s for it to come back, takes its new id, joins its
 * events group again and (fuzzing admins) re-creates its peer and keys.
 */
static bool refamily(void)
{
	double t = now(), t1, longest = 0;
	int f, n = 1;

	if (t - last_resolve < 0.02)
		return false;
	last_resolve = t;
	f = resolve();
	if (f == family)
		return false;
	while (f < 0 && now() - t < FAMILY_WAIT) {
		usleep(5000);
		t1 = now();
		f = resolve();
		n++;
		if (now() - t1 > longest)
			longest = now() - t1;
	}
	if (f < 0) {
		fail("the ksf family did not come back within %d s (%d lookups, the longest %.1f s, last %s)",
		     FAMILY_WAIT, n, longest, strerror(-f));
		return true;
	}
	note_event("ksf family %d gone, now %d after %.3f s: %s", family, f, now() - t,
		   rebase && !base_uid ? "peer and keys re-created" : "pools kept (stale)");
	family = f;
	family_changes++;
	if (ev_group)
		setsockopt(evfd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &ev_group,
			   sizeof(ev_group));
	if (rebase && !base_uid) {
		nkeys = nctxs = 0;
		base_peer();
	}
	return true;
}

/* ---- runs, replay, shrinking ---- */

static uint64_t *steps;
static size_t capsteps;

static void record(uint64_t s)
{
	if (nsteps == capsteps) {
		capsteps = capsteps ? 2 * capsteps : 4096;
		steps = realloc(steps, capsteps * sizeof(*steps));
	}
	steps[nsteps++] = s;
}

static void reset_state(void)
{
	failure[0] = 0;
	wipe();
	blob_clear(&saved);
	check_kmsg();
	failure[0] = 0;
}

/* Replay a list of steps on an emptied instance; true if it fails. */
static bool replay_fails(const uint64_t *l, size_t n)
{
	size_t i;

	reset_state();
	base_peer();
	for (i = 0; i < n && !failure[0]; i++) {
		step(l[i]);
		drain_events();
		check_kmsg();
	}
	end_checks(100000);
	return failure[0];
}

static double now(void);
static double shrink_deadline, shrink_secs = 180;

static size_t ddmin(uint64_t *l, size_t n)
{
	uint64_t *t = malloc(n * sizeof(*t));
	size_t gran = 2, tries = 0;

	while (n >= 2 && tries < 400 && now() < shrink_deadline) {
		size_t chunk = (n + gran - 1) / gran, start;
		bool reduced = false;

		for (start = 0; start < n; start += chunk) {
			size_t end = start + chunk < n ? start + chunk : n, k = 0, i;

			for (i = 0; i < n; i++)
				if (i < start || i >= end)
					t[k++] = l[i];
			tries++;
			if (k && replay_fails(t, k)) {
				memcpy(l, t, k * sizeof(*t));
				n = k;
				gran = gran > 2 ? gran - 1 : 2;
				reduced = true;
				break;
			}
		}
		if (!reduced) {
			if (gran >= n)
				break;
			gran = 2 * gran < n ? 2 * gran : n;
		}
	}
	free(t);
	return n;
}

static void print_steps(FILE *f, const uint64_t *l, size_t n, uint64_t seed)
{
	size_t i;

	fprintf(f, "# ksf-fuzz replay file: ksf-fuzz --replay FILE\nseed %llu\n",
		(unsigned long long)seed);
	for (i = 0; i < n; i++) {
		uint64_t save = rs;

		rs = l[i];
		/* the op name, for the reader (same draw as step()) */
		if (chance(1) && rn(4) == 0)
			fprintf(f, "step 0x%016llx # macro restore\n", (unsigned long long)l[i]);
		else
			fprintf(f, "step 0x%016llx # %s\n", (unsigned long long)l[i],
				fz_ops[pick_op()].name);
		rs = save;
	}
}

static const char *out_path = "/tmp/ksf-fuzz.replay";

static int report_failure(uint64_t seed)
{
	char first[512];
	size_t n, win;
	uint64_t *l;
	FILE *f;

	snprintf(first, sizeof(first), "%s", failure);
	printf("FAIL after %zu steps (%lu messages): %s\n", nsteps, msgs, first);
	printf("# the last steps sent (of %zu):\n", nsteps);
	print_steps(stdout, steps + (nsteps > 30 ? nsteps - 30 : 0),
		    nsteps > 30 ? 30 : nsteps, seed);
	/* the shortest suffix window that fails, then delta debugging */
	l = NULL;
	n = 0;
	shrink_deadline = now() + shrink_secs;
	for (win = 16; now() < shrink_deadline; win *= 4) {
		if (win > nsteps)
			win = nsteps;
		l = steps + nsteps - win;
		printf("# shrinking: replaying the last %zu steps\n", win);
		fflush(stdout);
		if (replay_fails(l, win)) {
			n = win;
			break;
		}
		if (win == nsteps)
			break;
	}
	if (!n) {
		printf("# the failure did not reproduce on replay (timing?): full sequence in %s\n",
		       out_path);
		l = steps;
		n = nsteps;
	} else {
		n = ddmin(l, n);
		replay_fails(l, n);
		printf("# shortest failing sequence: %zu steps (%s)\n", n, failure);
	}
	if (n <= 60)
		print_steps(stdout, l, n, seed);
	f = fopen(out_path, "w");
	if (f) {
		print_steps(f, l, n, seed);
		fclose(f);
		printf("# replay file: %s\n", out_path);
	}
	return 1;
}

static double now(void);
static void stats(double secs);

/* ---- chaos actors (--procs with --chaos, --reload) ---- */

static int chaos;
static volatile sig_atomic_t stop_actor;
static FILE *alog;

static void on_term(int sig)
{
	(void)sig;
	stop_actor = 1;
}

/* One line of an actor's log: CLOCK_MONOTONIC seconds (the kernel log's
 * timestamps in the guest) and what it did, in order.
 */
__attribute__((format(printf, 1, 2)))
static void act(const char *fmt, ...)
{
	va_list ap;

	if (!alog)
		return;
	fprintf(alog, "%.6f ", now());
	va_start(ap, fmt);
	vfprintf(alog, fmt, ap);
	va_end(ap);
	fputc('\n', alog);
}

static void actor_start(const char *name, uint64_t seed)
{
	char path[300];

	snprintf(path, sizeof(path), "%s.%s", out_path, name);
	alog = fopen(path, "w");
	if (alog)
		setvbuf(alog, NULL, _IOLBF, 0);
	printf("# actor %s pid %d seed %llu (log %s)\n", name, getpid(),
	       (unsigned long long)seed, path);
	fflush(stdout);
	act("actor %s seed %llu", name, (unsigned long long)seed);
	rs = seed;
}

/* context-new of peer for subscriber; the error */
static int ctx_new(const char *peer, const char *sub)
{
	static struct msg m;
	struct nlmsghdr *nlh = (struct nlmsghdr *)m.buf;

	memset(m.buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++seqno;
	((struct genlmsghdr *)(m.buf + NLMSG_HDRLEN))->cmd = KSF_CMD_CONTEXT_NEW;
	((struct genlmsghdr *)(m.buf + NLMSG_HDRLEN))->version = KSF_FAMILY_VERSION;
	m.len = NLMSG_HDRLEN + GENL_HDRLEN;
	put_attr(&m, KSF_A_CONTEXT_PEER, peer, strlen(peer) + 1);
	put_attr(&m, KSF_A_CONTEXT_SUBSCRIBER, sub, strlen(sub) + 1);
	nlh->nlmsg_len = m.len;
	return exchange(m.buf, m.len, set_of("context")).error;
}

/*
 * One netns churner cycle (a process of its own): a new network namespace,
 * a ksf instance in it (peer fz-ns, its keys, a context), a child sending
 * service requests in a loop, SIGKILLed after live_ms; then this process
 * exits and the namespace dies (pernet exit) with requests just cut off.
 */
static int churn_cycle(uint64_t cseed, int live_ms)
{
	uint64_t i;
	pid_t req;
	int st;

	if (unshare(CLONE_NEWNET)) {
		perror("ksf-fuzz: unshare");
		return 2;
	}
	quiet_setup = reload_ko != NULL;
	if (setup())
		return reload_ko ? 0 : 2;	/* unloaded right now */
	base_name = "fz-ns";
	base_uid = 0;
	base_peer();
	ctx_new(base_name, "imsi-001010123456789");
	fflush(stdout);
	req = fork();
	if (req == 0) {
		only_service = 1;
		for (i = 0; !failure[0]; i++)
			step(splitmix(cseed + i));
		printf("# actor netns: requester FAIL after %llu steps (seed 0x%016llx): %s\n",
		       (unsigned long long)i, (unsigned long long)cseed, failure);
		fflush(stdout);
		_exit(1);
	}
	usleep(live_ms * 1000);
	kill(req, SIGKILL);
	while (waitpid(req, &st, 0) < 0 && errno == EINTR)
		;
	return WIFSIGNALED(st) ? 0 : 1;
}

static int actor_netns(uint64_t seed)
{
	unsigned long cycles = 0, bad = 0;

	actor_start("netns", seed);
	while (!stop_actor) {
		uint64_t cseed = rnd();
		int live = 20 + rn(400), st;
		pid_t p;

		act("cycle %lu: new netns, peer fz-ns, keys, a context; requester seed 0x%016llx SIGKILLed after %d ms, netns dropped",
		    cycles, (unsigned long long)cseed, live);
		p = fork();
		if (p == 0) {
			st = churn_cycle(cseed, live);
			fflush(stdout);
			_exit(st);
		}
		while (waitpid(p, &st, 0) < 0 && errno == EINTR)
			;
		cycles++;
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			bad++;
			act("cycle %lu FAILED: status 0x%x", cycles - 1, st);
		}
	}
	act("stop: %lu cycles, %lu failed", cycles, bad);
	printf("# actor netns: %lu cycles (netns created, ksf used, requester killed mid-flight, netns dropped), %lu failed\n",
	       cycles, bad);
	return bad ? 1 : 0;
}

/* The nf peers the fuzzing processes in the first namespace act as. */
static int nf_targets(int nproc, char (*id)[32], uint32_t *uid)
{
	int k, n = 0;

	for (k = 0; k < nproc && n < 16; k++)
		if (k % 3 == 2 && k % 2 == 0) {
			snprintf(id[n], 32, "fz-p%d", k);
			uid[n++] = 1000 + k;
		}
	return n;
}

static int save_all(void)
{
	struct answer an;

	blob_clear(&cur_save);
	an = simple(KSF_CMD_SAVE, true, set_of("state"), KSF_A_STATE_KEK_SERIAL, 0,
		    &kek_serial, 4);
	if (!an.error && cur_save.n) {
		blob_clear(&saved);
		saved = cur_save;
		cur_save.n = 0;
	} else {
		blob_clear(&cur_save);
	}
	return an.error;
}

/*
 * The key handles the admin actor created for the nf peer of fuzzing
 * process K (shared memory): that process takes them up, so that its
 * requests use live keys again, which the next deletion cuts off.
 */
static struct nf_keys {
	unsigned int gen;
	int n;
	uint64_t h[POOL];
	int cls[POOL];
} *nf_keys;

/* An nf peer (re-)created with its keys, as its fuzzing process had it. */
static int recreate(const char *id, uint32_t uid)
{
	const char *b = base_name;
	uint32_t u = base_uid, k = uid - 1000;
	int e, i;

	base_name = id;
	base_uid = uid;
	nkeys = 0;
	e = base_peer();
	base_name = b;
	base_uid = u;
	if (!e && nf_keys && k < 64) {
		for (i = 0; i < nkeys; i++) {
			nf_keys[k].h[i] = keys[i];
			nf_keys[k].cls[i] = key_class[i];
		}
		nf_keys[k].n = nkeys;
		__atomic_add_fetch(&nf_keys[k].gen, 1, __ATOMIC_RELEASE);
	}
	return e;
}

/* An nf fuzzing process: take up the keys the admin actor re-created. */
static void take_nf_keys(int k)
{
	static unsigned int seen;
	unsigned int g;
	int i;

	if (!nf_keys)
		return;
	g = __atomic_load_n(&nf_keys[k].gen, __ATOMIC_ACQUIRE);
	if (g == seen)
		return;
	seen = g;
	nkeys = 0;
	for (i = 0; i < nf_keys[k].n && i < POOL; i++) {
		pool_add(keys, &nkeys, nf_keys[k].h[i]);
		key_class[last_slot] = nf_keys[k].cls[i];
	}
	note_event("took up %d keys the admin actor re-created (generation %u)", nkeys, g);
}

static void admin_one(const char *id, uint32_t uid, unsigned long *errs)
{
	int a = rn(100), e;

	if (a < 30) {
		uint64_t s = all_of(FZ_ENUM_SERVICE) & rnd(), al = all_of(FZ_ENUM_ALG) & rnd();

		e = peer_op(KSF_CMD_PEER_SET, id, uid, s, al);
		act("peer-set %s policy services 0x%llx algs 0x%llx: %d", id,
		    (unsigned long long)s, (unsigned long long)al, e);
	} else if (a < 45) {
		e = simple(KSF_CMD_PEER_DEL, false, -1, KSF_A_PEER_ID, 0, id,
			   strlen(id) + 1).error;
		act("peer-del %s: %d", id, e);
		usleep(rn(20000));
		e = recreate(id, uid);
		act("peer-new %s uid %u + its keys: %d", id, uid, e);
	} else if (a < 65) {
		e = save_all();
		act("save: %d (%d chunks)", e, saved.n);
	} else if (a < 72) {
		e = save_all();
		act("save: %d (%d chunks); wipe the instance; restore", e, saved.n);
		macro_restore();
		act("restored: %d keys, %d contexts listed", nkeys, nctxs);
		e = recreate(id, uid);
		act("peer-new %s uid %u + its keys (if gone): %d", id, uid, e);
	} else if (a < 85) {
		e = recreate(id, uid);
		act("peer-new %s uid %u + its keys (if gone): %d", id, uid, e);
	} else {
		e = peer_op(KSF_CMD_PEER_SET, id, uid, all_of(FZ_ENUM_SERVICE),
			    all_of(FZ_ENUM_ALG));
		act("peer-set %s full policy: %d", id, e);
	}
	if (e == -ENOENT && reload_ko)
		refamily();	/* ksf unloaded or reloaded */
	if (e == 1 && !(reload_ko && refamily()) && !get_info().ok)
		fail("ksf does not answer (wedged) after an admin action on %s", id);
	if (e && e != 1)
		(*errs)++;
}

/*
 * Admin chaos in the first namespace: policy changes, deletion and
 * re-creation of the peers the nf fuzzing processes act as, saves while
 * they serve, and now and then a save, wipe and restore of the whole
 * instance.
 */
static int actor_admin(uint64_t seed, int nproc)
{
	char id[16][32];
	uint32_t uid[16];
	unsigned long n = 0, errs = 0;
	int nt = nf_targets(nproc, id, uid), t;

	actor_start("admin", seed);
	if (setup())
		return 2;
	if (!nt) {	/* no nf fuzzing process here: an own target */
		snprintf(id[0], 32, "fz-chaos");
		uid[0] = 4242;
		nt = 1;
	}
	while (!stop_actor && !failure[0]) {
		usleep(rn(20000));
		t = rn(nt);
		admin_one(id[t], uid[t], &errs);
		n++;
		check_kmsg();
	}
	act("stop: %lu actions, %lu refused%s%s", n, errs, failure[0] ? ": FAIL " : "", failure);
	printf("# actor admin: %lu actions (policies, peer deletions, saves, wipe+restore) on %d nf peers, %lu refused (clean errors)%s%s\n",
	       n, nt, errs, failure[0] ? ": FAIL " : "", failure);
	return failure[0] ? 1 : 0;
}

static int load_ko(void)
{
	int kfd = open(reload_ko, O_RDONLY | O_CLOEXEC), e;

	if (kfd < 0)
		return errno;
	e = syscall(SYS_finit_module, kfd, "", 0) ? errno : 0;
	close(kfd);
	return e;
}

static int unload_ko(unsigned long *busy)
{
	int e, i;

	for (i = 0; i < 400; i++) {
		e = syscall(SYS_delete_module, "ksf", O_NONBLOCK) ? errno : 0;
		if (e != EAGAIN && e != EBUSY && e != EINTR)
			return e;
		(*busy)++;
		usleep(5000);
	}
	return e;
}

/* rmmod/insmod of ksf.ko in a loop; ksf is loaded when it stops. */
static int actor_reload(uint64_t seed)
{
	unsigned long n = 0, busy = 0;
	double t;
	int e, i;

	actor_start("reload", seed);
	while (!stop_actor && !failure[0]) {
		/* fuzzing between reloads; the first one soon */
		usleep(n ? 1000000 + rn(2000000) : 300000 + rn(700000));
		if (stop_actor)
			break;
		t = now();
		e = unload_ko(&busy);
		act("rmmod ksf: %s (%.3f s)", e ? strerror(e) : "ok", now() - t);
		if (e && e != EBUSY && e != EAGAIN)
			fail("rmmod ksf: %s", strerror(e));
		usleep(rn(300000));
		t = now();
		e = load_ko();
		act("insmod %s: %s (%.3f s)", reload_ko, e ? strerror(e) : "ok", now() - t);
		if (e && e != EEXIST && e != EINTR)
			fail("insmod %s: %s", reload_ko, strerror(e));
		n += !e;
	}
	for (i = 0, e = EINTR; i < 5 && e == EINTR; i++)
		e = load_ko();
	act("stop: insmod %s", e ? strerror(e) : "ok");
	if (e && e != EEXIST)
		fail("insmod %s at the end: %s", reload_ko, strerror(e));
	printf("# actor reload: %lu rmmod+insmod cycles (rmmod busy %lu times)%s%s\n",
	       n, busy, failure[0] ? ": FAIL " : "", failure);
	return failure[0] ? 1 : 0;
}


/*
 * Several processes at once: odd ones in a network namespace of their own
 * (two or more instances), every third one an nf peer acting under its own
 * uid (1000 + k) with sockets opened after setresuid; the others admins
 * (peers, policies, keys, save/restore, deletions) racing with them.  Each
 * logs its seed and the steps it sent to OUT.K.  No shrinking here.
 */
static int child_run(int k, uint64_t seed, uint64_t count, double duration)
{
	char name[32], path[300];
	bool as_peer = k % 3 == 2;
	double t0 = now();
	uint64_t i;
	FILE *f;

	if (k % 2 == 1 && unshare(CLONE_NEWNET)) {
		perror("ksf-fuzz: unshare");
		return 2;
	}
	snprintf(name, sizeof(name), "fz-p%d", k);
	base_name = name;
	rebase = true;
	base_uid = as_peer ? 1000 + k : 0;
	if (setup())
		return 2;
	printf("# proc %d pid %d seed %llu: %s, %s\n", k, getpid(),
	       (unsigned long long)seed, k % 2 ? "own netns" : "first netns",
	       as_peer ? "nf peer with its own uid" : "admin");
	fflush(stdout);
	base_peer();
	/* opened as root: an nf peer's uid may not write where root does */
	snprintf(path, sizeof(path), "%s.%d", out_path, k);
	f = fopen(path, "w");
	if (as_peer) {
		uid_t u = base_uid;

		close(fd);
		close(evfd);
		if (setresgid(u, u, u) || setresuid(u, u, u)) {
			perror("ksf-fuzz: setresuid");
			return 2;
		}
		if (setup())
			return 2;
	}
	for (i = 0; ; i++) {
		uint64_t st = splitmix(splitmix(seed) + i);

		if (duration > 0 ? now() - t0 >= duration : msgs >= count)
			break;
		record(st);
		step(st);
		drain_events();
		check_kmsg();
		if (failure[0])
			break;
		if (chaos && as_peer && i % 64 == 63)
			take_nf_keys(k);
	}
	stats(now() - t0);
	if (f) {
		int j;

		print_steps(f, steps, nsteps, seed);
		for (j = 0; j < nevlog; j++)
			fprintf(f, "# %.6f before step %zu: %s\n", evlog[j].t,
				evlog[j].step, evlog[j].what);
		fclose(f);
	}
	printf("# proc %d: %lu messages, %zu steps, %lu family reloads seen (log %s)%s%s\n",
	       k, msgs, nsteps, family_changes, path, failure[0] ? ": FAIL " : "", failure);
	return failure[0] ? 1 : 0;
}

/* The chaos actors, each a process with a seed of its own. */
static int start_actors(pid_t *pids, int nproc, uint64_t seed)
{
	struct sigaction sa = { .sa_handler = on_term };
	int na = 0, j;

	sigaction(SIGTERM, &sa, NULL);	/* inherited: stop at the next step */
	for (j = 0; j < 3; j++) {
		uint64_t as = splitmix(seed ^ (0xa000ULL * (j + 1)));

		if ((j < 2 && !chaos) || (j == 2 && !reload_ko))
			continue;
		fflush(stdout);
		pids[na] = fork();
		if (pids[na] == 0) {
			int rc = j == 0 ? actor_netns(as) :
				 j == 1 ? actor_admin(as, nproc) : actor_reload(as);

			fflush(stdout);
			_exit(rc);
		}
		na++;
	}
	return na;
}

static int run_procs(int n, uint64_t seed, uint64_t count, double duration)
{
	pid_t pids[64], apids[3];
	int k, st, bad = 0, na, kfd;
	double t0 = now();

	kmsgfd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (kmsgfd >= 0)
		lseek(kmsgfd, 0, SEEK_END);
	if (chaos) {
		nf_keys = mmap(NULL, 64 * sizeof(*nf_keys), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (nf_keys == MAP_FAILED)
			nf_keys = NULL;
	}
	fflush(stdout);
	for (k = 0; k < n && k < 64; k++) {
		pids[k] = fork();
		if (pids[k] == 0) {
			procs = n;
			st = child_run(k, splitmix(seed ^ (0x1000ULL * (k + 1))),
				       count / n, duration);
			fflush(stdout);
			_exit(st);
		}
	}
	na = start_actors(apids, n, seed);
	for (k = 0; k < n && k < 64; k++)
		if (waitpid(pids[k], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			bad++;
	for (k = 0; k < na; k++) {
		kill(apids[k], SIGTERM);
		if (waitpid(apids[k], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			bad++;
	}
	if (na)
		printf("# fuzzing with %d chaos actors: %.1f s\n", na, now() - t0);
	/* the first namespace: every object deleted, counters and mem at 0 */
	kfd = kmsgfd;	/* the whole run's kernel log, not from now on */
	if (setup())
		return 2;
	close(kmsgfd);
	kmsgfd = kfd;
	check_kmsg();
	end_checks(0);
	check_kmsg();
	if (failure[0])
		printf("FAIL: %s\n", failure);
	printf("# %d processes, %d actors: %d failed\n", n, na, bad);
	return bad || failure[0] ? 1 : 0;
}

static void stats(double secs)
{
	int i, dops = 0, svcs = 0, okd = 0;

	for (i = 0; i < FZ_N_OPS; i++)
		dops += op_sent[i] > 0;
	for (i = 1; i <= KSF_SERVICE_MAX; i++)
		svcs += svc_sent[i] > 0;
	printf("# %lu messages in %.1f s (%.0f/s), %lu mutated, %lu events\n",
	       msgs, secs, msgs / (secs > 0 ? secs : 1), mutated, events_seen);
	printf("# ops sent %d/%d:", dops, FZ_N_OPS);
	for (i = 0; i < FZ_N_OPS; i++)
		printf(" %s=%lu/%lu", fz_ops[i].name, op_ok[i], op_sent[i]);
	for (i = 1; i < 64; i++)
		okd += svc_ok[i] > 0;
	printf("\n# services sent %d/%d, succeeded %d (ok/sent):", svcs,
	       KSF_SERVICE_MAX, okd);
	for (i = 1; i <= KSF_SERVICE_MAX; i++)
		printf(" %s=%lu/%lu", fz_enums[FZ_ENUM_SERVICE].vals[i - 1].name,
		       svc_ok[i], svc_sent[i]);
	printf("\n");
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int load_replay(const char *path, uint64_t *seed)
{
	char line[256];
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v;

		if (sscanf(line, "seed %llu", &v) == 1)
			*seed = v;
		else if (sscanf(line, "step %llx", &v) == 1)
			record(v);
	}
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t seed = 0, count = 10000, i;
	double duration = 0, t0;
	const char *replay = NULL;
	int c, nproc = 1;

	seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	for (c = 1; c < argc; c++) {
		if (!strcmp(argv[c], "--seed") && c + 1 < argc)
			seed = strtoull(argv[++c], NULL, 0);
		else if (!strcmp(argv[c], "--count") && c + 1 < argc)
			count = strtoull(argv[++c], NULL, 0);
		else if (!strcmp(argv[c], "--duration") && c + 1 < argc)
			duration = atof(argv[++c]);
		else if (!strcmp(argv[c], "--replay") && c + 1 < argc)
			replay = argv[++c];
		else if (!strcmp(argv[c], "--out") && c + 1 < argc)
			out_path = argv[++c];
		else if (!strcmp(argv[c], "--shrink-time") && c + 1 < argc)
			shrink_secs = atof(argv[++c]);
		else if (!strcmp(argv[c], "--procs") && c + 1 < argc)
			nproc = atoi(argv[++c]);
		else if (!strcmp(argv[c], "--plant") && c + 1 < argc)
			plant_op = argv[++c];
		else if (!strcmp(argv[c], "--chaos"))
			chaos = 1;
		else if (!strcmp(argv[c], "--reload") && c + 1 < argc)
			reload_ko = argv[++c];
		else if (!strcmp(argv[c], "--kcsan-by-harness"))
			kcsan_by_harness = 1;
		else if (!strcmp(argv[c], "-v"))
			verbose++;
		else {
			fprintf(stderr, "usage: ksf-fuzz [--seed N] [--count M] [--duration SEC] [--replay FILE] [--out FILE] [--plant OP] [--procs N [--chaos] [--reload KO]] [--shrink-time SEC] [--kcsan-by-harness] [-v]\n");
			return 2;
		}
	}
	if (replay && load_replay(replay, &seed)) {
		perror(replay);
		return 2;
	}
	printf("# ksf-fuzz seed %llu\n", (unsigned long long)seed);
	fflush(stdout);
	if ((chaos || reload_ko) && nproc < 2) {
		fprintf(stderr, "ksf-fuzz: --chaos and --reload need --procs N (N >= 2)\n");
		return 2;
	}
	if (nproc > 1)
		return run_procs(nproc, seed, count, duration);
	if (setup())
		return 2;
	t0 = now();
	if (replay) {
		uint64_t *l = malloc(nsteps * sizeof(*l));

		memcpy(l, steps, nsteps * sizeof(*l));
		if (replay_fails(l, nsteps)) {
			printf("FAIL on replay of %zu steps: %s\n", nsteps, failure);
			return 1;
		}
		printf("# replay of %zu steps: no failure\n", nsteps);
		return 0;
	}
	wipe();
	check_kmsg();
	failure[0] = 0;
	base_peer();
	if (verbose)
		printf("# family %d, events group %d\n", family, ev_group);
	for (i = 0; ; i++) {
		uint64_t s = splitmix(splitmix(seed) + i);

		if (duration > 0 ? now() - t0 >= duration : msgs >= count)
			break;
		record(s);
		step(s);
		drain_events();
		check_kmsg();
		if (!failure[0] && i % 2000 == 1999)
			check_counts();
		if (verbose && i % 1000 == 999) {
			printf("# %llu steps, %lu messages, %.0f/s\n",
			       (unsigned long long)i + 1, msgs, msgs / (now() - t0));
			fflush(stdout);
		}
		if (failure[0])
			break;
	}
	end_checks(200000);
	check_kmsg();
	stats(now() - t0);
	if (failure[0])
		return report_failure(seed);
	printf("# ok: no kernel report, no canary, counters match the dumps, empty at the end\n");
	return 0;
}
