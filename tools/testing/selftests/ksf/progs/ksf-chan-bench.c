// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksf-chan-bench [SECONDS]
 *
 * The channel between two ksf instances (this network namespace's and a
 * new one's), measured through libksf, beside the same cryptography done
 * in this process with OpenSSL's libcrypto, in one run, with the ratios:
 *
 *   handshake  a whole handshake (msg-handshake, the init handed in at the
 *              other instance, its response here, the confirm there), in
 *              turn with OTHERS other instances: a responder refuses a
 *              second handshake-init from one initiator within the 2^24 ns
 *              its timestamps are rounded to (channel.rst), so one pair
 *              does at most ~60 a second by design; OpenSSL: the X25519
 *              operations of one (2 key generations, 8 shared secrets)
 *   offers     sealed offers handed in 64 per msg-receive, each opened,
 *              met with the policy and answered with a sealed answer;
 *              OpenSSL: ChaCha20-Poly1305 open of the offer and seal of the
 *              answer, of the same sizes
 *
 * ksf does netlink, the Noise transcript hashing and the policy work too,
 * so the ratios are in OpenSSL's favour.  Sealed requests of 64 B to
 * 16 KiB (channel.rst's plan) come with the remote requests.  Not a test:
 * it prints figures.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "libksf.h"
#include "other-instance.h"

#define BATCH		64
#define X25519_PER_HS	10	/* 2 key generations, 8 DH */
#define OTHERS		8

static double budget = 1.0;
static struct ksf *h;		/* this instance ("a") */
static struct ksf *other[OTHERS];	/* "b0".."b7"; b0 answers the offers */
#define h2 other[0]

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, int ret)
{
	fprintf(stderr, "ksf-chan-bench: %s: %s (%s)\n", what,
		strerror(ret < 0 ? -ret : ret), ksf_last_error(NULL));
	exit(1);
}

/* Runs fn until the budget is spent; returns operations per second. */
static double rate(int (*fn)(void), int ops_per_call)
{
	double t0 = now(), t;
	long calls = 0;

	do {
		if (fn())
			die("operation", EIO);
		calls++;
		t = now();
	} while (t - t0 < budget);
	return calls * ops_per_call / (t - t0);
}

/* ---- ksf side ---- */

static void peer_add(struct ksf *on, const char *id, struct ksf *of)
{
	struct ksf_peer p = { .kind = KSF_PEER_KIND_KSF };
	uint8_t pub[KSF_PUBLIC_KEY_LEN];
	int ret;

	snprintf(p.id, sizeof(p.id), "%s", id);
	ret = ksf_get_public_key(of, pub);
	if (!ret)
		ret = ksf_peer_set_public_key(&p, pub);
	p.policy = ksf_policy_new();
	if (!ret && p.policy)
		ret = ksf_policy_set_list(p.policy, "ask-services",
					  (uint32_t[]){ KSF_SERVICE_KDF }, 1);
	if (!ret)
		ret = ksf_peer_new(on, &p);
	ksf_peer_clear(&p);
	if (ret)
		die("peer add", ret);
}

/* Hands every blob of @in to @to; *out (may be NULL) gets what it gives. */
static int carry(struct ksf *to, struct ksf_msgs *in, struct ksf_msgs **out)
{
	const void *blobs[BATCH];
	struct ksf_msg_outcome oc[BATCH];
	size_t lens[BATCH], i, n = ksf_msgs_count(in);
	const uint8_t *b;
	const char *peer;
	uint32_t type;
	int ret;

	for (i = 0; i < n && i < BATCH; i++) {
		if (ksf_msgs_get(in, i, &peer, &type, &b, &lens[i]))
			return -EINVAL;
		blobs[i] = b;
	}
	ret = ksf_msg_receive(to, blobs, lens, i, oc, out);
	ksf_msgs_free(in);
	return ret;
}

static int ksf_handshake(void)
{
	static unsigned int next;
	unsigned int i = next++ % OTHERS;
	struct ksf_msgs *m = NULL;
	char id[8];
	int ret;

	snprintf(id, sizeof(id), "b%u", i);
	ret = ksf_msg_handshake(h, id, &m);
	ret = ret ?: carry(other[i], m, &m);
	ret = ret ?: carry(h, m, &m);
	ret = ret ?: carry(other[i], m, NULL);
	return ret;
}

static uint8_t *offer[BATCH];	/* a batch of offers from a to b */
static size_t offer_lens[BATCH], answer_len;

/* BATCH offers from a, copied out (outside the timing). */
static void make_offers(void)
{
	struct ksf_msgs *m;
	const uint8_t *b;
	const char *p;
	uint32_t t;
	size_t i;

	for (i = 0; i < BATCH; i++) {
		m = NULL;
		if (ksf_msg_negotiate(h, "b0", &m) ||
		    ksf_msgs_get(m, 0, &p, &t, &b, &offer_lens[i]))
			die("negotiate", EIO);
		free(offer[i]);
		offer[i] = malloc(offer_lens[i]);
		if (!offer[i])
			die("offer", ENOMEM);
		memcpy(offer[i], b, offer_lens[i]);
		ksf_msgs_free(m);
	}
}

/*
 * Offers answered per second: b hands in batches of BATCH offers; only
 * the msg-receive calls are timed.
 */
static double ksf_offers_rate(void)
{
	struct ksf_msg_outcome oc[BATCH];
	struct ksf_msgs *answers;
	double spent = 0, t0;
	const uint8_t *b;
	const char *p;
	uint32_t t;
	long n = 0;
	int ret;

	do {
		make_offers();
		answers = NULL;
		t0 = now();
		ret = ksf_msg_receive(h2, (const void *const *)offer, offer_lens,
				      BATCH, oc, &answers);
		spent += now() - t0;
		if (ret || ksf_msgs_count(answers) != BATCH)
			die("offers", ret ? ret : EPROTO);
		if (!answer_len)
			ksf_msgs_get(answers, 0, &p, &t, &b, &answer_len);
		ksf_msgs_free(answers);
		n += BATCH;
	} while (spent < budget);
	return n / spent;
}

/* ---- OpenSSL side ---- */

static EVP_PKEY *x_priv, *x_peer;

static int ossl_handshake(void)
{
	EVP_PKEY_CTX *g;
	EVP_PKEY *k = NULL;
	uint8_t secret[32];
	size_t len;
	int i, ok = 1;

	for (i = 0; i < 2 && ok; i++) {	/* the two ephemerals */
		g = EVP_PKEY_CTX_new_id(EVP_PKEY_X25519, NULL);
		ok = g && EVP_PKEY_keygen_init(g) > 0 &&
		     EVP_PKEY_keygen(g, &k) > 0;
		EVP_PKEY_CTX_free(g);
		EVP_PKEY_free(k);
		k = NULL;
	}
	for (i = 0; i < X25519_PER_HS - 2 && ok; i++) {
		g = EVP_PKEY_CTX_new(x_priv, NULL);
		len = sizeof(secret);
		ok = g && EVP_PKEY_derive_init(g) > 0 &&
		     EVP_PKEY_derive_set_peer(g, x_peer) > 0 &&
		     EVP_PKEY_derive(g, secret, &len) > 0;
		EVP_PKEY_CTX_free(g);
	}
	return !ok;
}

static EVP_CIPHER *chacha;
static uint8_t aead_key[32], text[2048], sealed[2048 + 16];

/* Seals (or opens, checking the tag) @len bytes: one direction's AEAD. */
static int ossl_aead(int enc, size_t len)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	uint8_t nonce[12] = { 0 }, ad[40] = { 0 };
	int n, ok;

	ok = c && EVP_CipherInit_ex(c, chacha, NULL, aead_key, nonce, enc) &&
	     EVP_CipherUpdate(c, NULL, &n, ad, sizeof(ad)) &&
	     (enc || EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, 16,
					 sealed + len)) &&
	     EVP_CipherUpdate(c, enc ? sealed : text, &n, enc ? text : sealed,
			      (int)len) &&
	     EVP_CipherFinal_ex(c, text, &n) &&
	     (!enc || EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, 16,
					  sealed + len));
	EVP_CIPHER_CTX_free(c);
	return !ok;
}

/* One offer opened and one answer sealed, BATCH times. */
static int ossl_offers(void)
{
	size_t o = offer_lens[0] - 56, a = answer_len - 56;
	int i;

	for (i = 0; i < BATCH; i++)
		if (ossl_aead(1, o) || ossl_aead(0, o) || ossl_aead(1, a))
			return 1;
	return 0;
}

static void ossl_setup(void)
{
	EVP_PKEY_CTX *g = EVP_PKEY_CTX_new_id(EVP_PKEY_X25519, NULL);

	if (!g || EVP_PKEY_keygen_init(g) <= 0 ||
	    EVP_PKEY_keygen(g, &x_priv) <= 0 ||
	    EVP_PKEY_keygen(g, &x_peer) <= 0)
		die("OpenSSL X25519", EINVAL);
	EVP_PKEY_CTX_free(g);
	chacha = EVP_CIPHER_fetch(NULL, "ChaCha20-Poly1305", NULL);
	if (!chacha)
		die("OpenSSL ChaCha20-Poly1305", EINVAL);
}

static void row(const char *name, const char *unit, double k, double o)
{
	printf("%-10s %10.0f %10.0f %6.2f  %s\n", name, k, o, k / o, unit);
}

int main(int argc, char **argv)
{
	double k, o;
	int i;

	if (argc > 1)
		budget = atof(argv[1]);
	if (budget <= 0)
		budget = 1.0;
	h = ksf_open();
	if (!h)
		die("ksf_open", errno);
	for (i = 0; i < OTHERS; i++) {
		char id[8];

		other[i] = ksf_open_other();
		if (!other[i])
			die("ksf_open (another namespace)", errno);
		snprintf(id, sizeof(id), "b%d", i);
		ksf_peer_del(h, id);
		peer_add(h, id, other[i]);
		peer_add(other[i], "a", h);
	}
	ossl_setup();
	for (i = 0; i < OTHERS; i++)
		if (ksf_handshake())
			die("first handshakes", EIO);
	printf("%-10s %10s %10s %6s  %s\n", "", "ksf/s", "OpenSSL/s", "ratio",
	       "per");
	k = rate(ksf_handshake, 1);
	o = rate(ossl_handshake, 1);
	row("handshake", "handshake (X25519 only on the OpenSSL side)", k, o);
	k = ksf_offers_rate();
	o = rate(ossl_offers, BATCH);
	printf("# offers of %zu B answered with %zu B, %d per msg-receive\n",
	       offer_lens[0], answer_len, BATCH);
	row("offers", "offer opened, answered, sealed (target >= 0.5)", k, o);
	for (i = 0; i < OTHERS; i++) {
		char id[8];

		snprintf(id, sizeof(id), "b%d", i);
		ksf_peer_del(h, id);
		ksf_close(other[i]);	/* its instance goes with its namespace */
	}
	ksf_close(h);
	EVP_PKEY_free(x_priv);
	EVP_PKEY_free(x_peer);
	EVP_CIPHER_free(chacha);
	for (i = 0; i < BATCH; i++)
		free(offer[i]);
	return 0;
}
