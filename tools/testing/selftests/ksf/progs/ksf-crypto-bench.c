// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksf-crypto-bench [SECONDS]
 *
 * Operations per second of the 3GPP computations through ksf (one item per
 * request, and batches of 10 and 100 items) and the same computations in
 * this process with OpenSSL's libcrypto, measured side by side in one run,
 * and their ratios (DESIGN.md section 7: batched >= 0.5x OpenSSL):
 *
 *   kdf        TS 33.220 KDF (HMAC-SHA-256 over FC || P0 || L0), new key
 *   nia2       128-NIA2 MAC of a 64-byte NAS message
 *   milenage   a 5G HE AV: f1, f2-f5, AUTN, XRES*, K_AUSF, HXRES* (OpenSSL:
 *              the same AES calls, two HMAC-SHA-256 KDFs and a SHA-256)
 *
 * ksf derives real keys (the KDF and AKA outputs are stored as keys and
 * the handles returned); the OpenSSL side computes only the bytes, so the
 * ratio is in OpenSSL's favour.  Creates its own peer bound to the
 * caller's uid, and deletes it at the end.  Not a test: it prints figures.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "libksf.h"

#define PEER "bench"

static double budget = 1.0;
static struct ksf *h;
static uint64_t kdf_key, nas_key, k_key, opc_key;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, int ret)
{
	fprintf(stderr, "ksf-crypto-bench: %s: %s (%s)\n", what,
		strerror(ret < 0 ? -ret : ret), ksf_last_error(h));
	exit(1);
}

/* Runs fn until the budget is spent; returns operations per second. */
static double rate(int (*fn)(void *), void *arg, int ops_per_call)
{
	double t0 = now(), t;
	long calls = 0;

	do {
		if (fn(arg))
			die("operation", EIO);
		calls++;
		t = now();
	} while (t - t0 < budget);
	return calls * ops_per_call / (t - t0);
}

/* ---- ksf side ---- */

static const char snn[] = "5G:mnc001.mcc001.3gppnetwork.org";
static uint8_t msg[64], p0[32];

/* A request of n items, built once before it is timed. */
struct batch {
	struct ksf_items *items;
	int n;
};

static int ksf_run(void *arg)
{
	struct batch *b = arg;
	struct ksf_results *res;
	const struct ksf_result *r;
	int i, n = ksf_service_request(h, b->items, &res);

	if (n < 0)
		return -1;
	/* Keys made by KDF/AKA items go when the peer is deleted. */
	for (i = 0; i < n; i++) {
		r = ksf_results_get(res, i);
		if (ksf_result_status(r) != KSF_STATUS_OK) {
			fprintf(stderr, "ksf-crypto-bench: item %d: %s\n", i,
				ksf_result_reason(r) ? ksf_result_reason(r) :
				"no reason");
			n = -1;
			break;
		}
	}
	ksf_results_free(res);
	return n == b->n ? 0 : -1;
}

/* Sets an item's fields (the same for every item of a row). */
typedef int (*item_fn)(struct ksf_item *it);

static void fill(struct batch *b, uint32_t service, item_fn build, int n)
{
	int i;

	ksf_items_free(b->items);
	b->items = ksf_items_new();
	if (!b->items)
		die("items", ENOMEM);
	for (i = 0; i < n; i++) {
		struct ksf_item *it = ksf_items_add(b->items, service);

		if (!it || build(it))
			die("item", EINVAL);
	}
	b->n = n;
}

/* ---- OpenSSL side ---- */

static EVP_MAC *hmac, *cmac;
static EVP_CIPHER *ecb;
static uint8_t kdf_secret[32], nas_secret[16], k_secret[16], opc[16];

static int ossl_kdf(void *arg)
{
	OSSL_PARAM prm[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						 "SHA256", 0),
		OSSL_PARAM_construct_end(),
	};
	EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(hmac);
	uint8_t fc = 0x6c, l[2] = { 0, sizeof(p0) }, out[32];
	size_t len;
	int ok;

	(void)arg;
	ok = ctx && EVP_MAC_init(ctx, kdf_secret, sizeof(kdf_secret), prm) &&
	     EVP_MAC_update(ctx, &fc, 1) &&
	     EVP_MAC_update(ctx, p0, sizeof(p0)) &&
	     EVP_MAC_update(ctx, l, 2) &&
	     EVP_MAC_final(ctx, out, &len, sizeof(out));
	EVP_MAC_CTX_free(ctx);
	return !ok;
}

static int ossl_nia2(void *arg)
{
	OSSL_PARAM prm[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER,
						 "AES-128-CBC", 0),
		OSSL_PARAM_construct_end(),
	};
	EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(cmac);
	uint8_t hdr[8] = { 0x38, 0xa6, 0xf0, 0x56, 24 << 3 }, out[16];
	size_t len;
	int ok;

	(void)arg;
	ok = ctx && EVP_MAC_init(ctx, nas_secret, sizeof(nas_secret), prm) &&
	     EVP_MAC_update(ctx, hdr, sizeof(hdr)) &&
	     EVP_MAC_update(ctx, msg, sizeof(msg)) &&
	     EVP_MAC_final(ctx, out, &len, sizeof(out));
	EVP_MAC_CTX_free(ctx);
	return !ok;
}

/* Milenage f1..f5 for one vector: the six AES calls of TS 35.206. */
static EVP_CIPHER_CTX *aes_k;

static void aes(const uint8_t in[16], uint8_t out[16])
{
	int len;

	EVP_EncryptUpdate(aes_k, out, &len, in, 16);
}

static void rot_xor(const uint8_t *temp, int r, uint8_t c, uint8_t *out)
{
	uint8_t in[16];
	int i;

	for (i = 0; i < 16; i++)
		in[(i + 16 - r / 8) % 16] = temp[i] ^ opc[i];
	in[15] ^= c;
	aes(in, out);
	for (i = 0; i < 16; i++)
		out[i] ^= opc[i];
}

static int ossl_milenage(void *arg)
{
	static const uint8_t rand[16] = { 0x23, 0x55 };
	uint8_t in[16], temp[16], out1[16], out[16], autn[16];
	uint8_t sqn[6] = { 0, 0, 0, 0, 0, 0x21 }, amf[2] = { 0x80, 0 };
	int i;

	(void)arg;
	for (i = 0; i < 16; i++)
		in[i] = rand[i] ^ opc[i];
	aes(in, temp);
	/* f1 */
	memcpy(in, sqn, 6);
	memcpy(in + 6, amf, 2);
	memcpy(in + 8, sqn, 6);
	memcpy(in + 14, amf, 2);
	for (i = 0; i < 16; i++)
		in[(i + 8) % 16] ^= opc[i];
	for (i = 0; i < 16; i++)
		in[i] ^= temp[i];
	aes(in, out1);
	/* f2, f5 (c2, r2 = 0), f3 (r3 = 32, c3 = 2), f4 (r4 = 64, c4 = 4) */
	rot_xor(temp, 0, 1, out);
	for (i = 0; i < 6; i++)
		autn[i] = sqn[i] ^ out[i];
	rot_xor(temp, 32, 2, out);
	rot_xor(temp, 64, 4, out);
	memcpy(autn + 6, amf, 2);
	for (i = 0; i < 8; i++)
		autn[8 + i] = out1[i] ^ opc[i];
	/* XRES*, K_AUSF (two KDFs keyed with CK||IK) and HXRES*, as ksf does */
	if (ossl_kdf(NULL) || ossl_kdf(NULL))
		return 1;
	{
		uint8_t d[32];
		unsigned int dl;

		EVP_Digest(autn, 16, d, &dl, EVP_sha256(), NULL);
	}
	return autn[0] == 0x5a && autn[15] == 0x5a;	/* keep the work */
}

/* ---- set-up ---- */

static uint64_t key_new(uint32_t type, uint32_t usage, const uint8_t *m,
		       size_t len)
{
	struct ksf_key_spec s = { .type = type, .usage = usage, .owner = PEER,
				  .material = { m, len } };
	uint64_t handle;
	int ret = ksf_key_new(h, &s, &handle);

	if (ret)
		die("key new", ret);
	return handle;
}

static void setup(void)
{
	static const uint32_t services[] = { KSF_SERVICE_KDF,
		KSF_SERVICE_NAS_MAC, KSF_SERVICE_AKA_VECTOR };
	static const uint32_t algs[] = { KSF_ALG_KDF_SHA256, KSF_ALG_NIA2,
		KSF_ALG_MILENAGE };
	struct ksf_peer p = { .kind = KSF_PEER_KIND_NF, .has_uid = true,
			      .uid = getuid() };
	int ret;

	strcpy(p.id, PEER);
	p.policy = ksf_policy_new();
	/* Every KDF and vector stores a key: no keys-max (0) for the run. */
	if (!p.policy || ksf_policy_set_u32(p.policy, "keys-max", 0) ||
	    ksf_policy_set_list(p.policy, "services", services, 3) ||
	    ksf_policy_set_list(p.policy, "algs", algs, 3))
		die("policy", EINVAL);
	ksf_peer_del(h, PEER);
	ret = ksf_peer_new(h, &p);
	ksf_policy_free(p.policy);
	if (ret)
		die("peer new", ret);
	memset(kdf_secret, 0x0b, sizeof(kdf_secret));
	memset(nas_secret, 0x2b, sizeof(nas_secret));
	memset(k_secret, 0x46, sizeof(k_secret));
	memset(opc, 0xcd, sizeof(opc));
	kdf_key = key_new(KSF_KEY_TYPE_GENERIC, 0, kdf_secret, 32);	/* derive */
	nas_key = key_new(KSF_KEY_TYPE_NAS, KSF_KEY_USAGE_MAC, nas_secret, 16);
	k_key = key_new(KSF_KEY_TYPE_K, 0, k_secret, 16);
	opc_key = key_new(KSF_KEY_TYPE_OPC, 0, opc, 16);

	hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	cmac = EVP_MAC_fetch(NULL, "CMAC", NULL);
	ecb = EVP_CIPHER_fetch(NULL, "AES-128-ECB", NULL);
	aes_k = EVP_CIPHER_CTX_new();
	if (!hmac || !cmac || !ecb || !aes_k ||
	    !EVP_EncryptInit_ex2(aes_k, ecb, k_secret, NULL, NULL))
		die("OpenSSL set-up", EINVAL);
	EVP_CIPHER_CTX_set_padding(aes_k, 0);
}

static void row(const char *name, uint32_t service, item_fn build,
		int (*ossl)(void *))
{
	static struct batch b;
	double r1, r10, r100, ro;

	fill(&b, service, build, 1);
	r1 = rate(ksf_run, &b, 1);
	fill(&b, service, build, 10);
	r10 = rate(ksf_run, &b, 10);
	fill(&b, service, build, 100);
	r100 = rate(ksf_run, &b, 100);
	ksf_items_free(b.items);
	b.items = NULL;
	ro = rate(ossl, NULL, 1);
	printf("%-9s %11.0f %11.0f %11.0f %11.0f   %5.2fx %5.2fx\n", name,
	       r1, r10, r100, ro, r1 / ro, r100 / ro);
}

static int kdf_item(struct ksf_item *it)
{
	return ksf_item_set_u64(it, "key", kdf_key) ||
	       ksf_item_set_u32(it, "fc", 0x6c) ||
	       ksf_item_set_bin(it, "param", p0, sizeof(p0));
}

static int nia2_item(struct ksf_item *it)
{
	return ksf_item_set_u32(it, "alg", KSF_ALG_NIA2) ||
	       ksf_item_set_u64(it, "key", nas_key) ||
	       ksf_item_set_bin(it, "data", msg, sizeof(msg)) ||
	       ksf_item_set_u32(it, "count", 0) ||
	       ksf_item_set_u32(it, "bearer", 0) ||
	       ksf_item_set_u32(it, "direction", 0);
}

static int av_item(struct ksf_item *it)
{
	return ksf_item_set_u64(it, "key", k_key) ||
	       ksf_item_set_u64(it, "key2", opc_key) ||
	       ksf_item_set_str(it, "subscriber", "imsi-001010000000001") ||
	       ksf_item_set_str(it, "snn", snn);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		budget = atof(argv[1]);
	h = ksf_open();
	if (!h)
		die("open", errno);
	setup();

	printf("ops/s, %.1f s per figure      ksf: 1/req   10/req  100/req"
	       "     OpenSSL   ratio: 1/req 100/req\n", budget);
	row("kdf", KSF_SERVICE_KDF, kdf_item, ossl_kdf);
	row("nia2", KSF_SERVICE_NAS_MAC, nia2_item, ossl_nia2);
	row("milenage", KSF_SERVICE_AKA_VECTOR, av_item, ossl_milenage);
	printf("(ksf KDF and AKA store a key per op; OpenSSL computes bytes "
	       "only.  Target: batched >= 0.5x)\n");
	ksf_peer_del(h, PEER);
	ksf_close(h);
	return 0;
}
