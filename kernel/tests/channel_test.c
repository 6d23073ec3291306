// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the pieces of the channel between instances (channel.rst):
 * the replay window of a session; the Noise IKpsk2 handshake between two
 * key pairs, its transport keys, and what a tampered message, a wrong key
 * or a stolen static key do; the blob header at every length.
 */
#include <crypto/aead.h>
#include <crypto/algapi.h>	/* also the unaligned accessors */
#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include "../ksf.h"
#include "../core/chan.h"
#include "../core/channel.h"
#include "../core/identity.h"
#include "../core/pair.h"
#include "../core/peer.h"
#include "../core/policy.h"
#include "../core/replay.h"
#include "../core/session.h"
#include "../crypto/noise.h"

static struct ksf_replay *new_window(struct kunit *test)
{
	struct ksf_replay *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	return r;
}

/* In order, each once; a second time each is a replay. */
static void replay_in_order(struct kunit *test)
{
	struct ksf_replay *r = new_window(test);
	u64 n;

	for (n = 0; n < 3 * KSF_REPLAY_BITS; n++)
		KUNIT_ASSERT_EQ(test, ksf_replay_commit(r, n), KSF_REPLAY_NEW);
	for (n = 3 * KSF_REPLAY_BITS - KSF_REPLAY_WINDOW;
	     n < 3 * KSF_REPLAY_BITS; n++)
		KUNIT_ASSERT_EQ(test, ksf_replay_check(r, n), KSF_REPLAY_SEEN);
	KUNIT_EXPECT_EQ(test, ksf_replay_check(r, 0), KSF_REPLAY_OLD);
}

/* A check records nothing; out of order within the window is accepted. */
static void replay_reorder(struct kunit *test)
{
	struct ksf_replay *r = new_window(test);

	KUNIT_EXPECT_EQ(test, ksf_replay_check(r, 7), KSF_REPLAY_NEW);
	KUNIT_EXPECT_EQ(test, ksf_replay_check(r, 7), KSF_REPLAY_NEW);
	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, 1000), KSF_REPLAY_NEW);
	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, 7), KSF_REPLAY_NEW);
	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, 7), KSF_REPLAY_SEEN);
	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, 1000), KSF_REPLAY_SEEN);
	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, 0), KSF_REPLAY_NEW);
	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, 999), KSF_REPLAY_NEW);
	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, 1001), KSF_REPLAY_NEW);
}

/* The window's edge: WINDOW behind the greatest is in, one more is out. */
static void replay_edge(struct kunit *test)
{
	struct ksf_replay *r = new_window(test);
	u64 top = KSF_REPLAY_WINDOW + 500;

	KUNIT_ASSERT_EQ(test, ksf_replay_commit(r, top), KSF_REPLAY_NEW);
	KUNIT_EXPECT_EQ(test, ksf_replay_check(r, top - KSF_REPLAY_WINDOW),
			KSF_REPLAY_NEW);
	KUNIT_EXPECT_EQ(test, ksf_replay_check(r, top - KSF_REPLAY_WINDOW - 1),
			KSF_REPLAY_OLD);
	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, top - KSF_REPLAY_WINDOW - 1),
			KSF_REPLAY_OLD);
	KUNIT_EXPECT_STREQ(test, ksf_replay_reason(KSF_REPLAY_OLD),
			   "message too old for the replay window");
	KUNIT_EXPECT_NULL(test, ksf_replay_reason(KSF_REPLAY_NEW));
}

/* After a jump, bits of counters long gone mark nothing as seen. */
static void replay_jump(struct kunit *test)
{
	struct ksf_replay *r = new_window(test);
	u64 n;

	for (n = 0; n < 200; n++)
		ksf_replay_commit(r, n);
	/* the same bit positions, one and three maps later */
	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, KSF_REPLAY_BITS + 199),
			KSF_REPLAY_NEW);
	for (n = KSF_REPLAY_BITS; n < KSF_REPLAY_BITS + 199; n++)
		KUNIT_ASSERT_EQ(test, ksf_replay_check(r, n), KSF_REPLAY_NEW);
	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, 3 * KSF_REPLAY_BITS + 5),
			KSF_REPLAY_NEW);
	for (n = 3 * KSF_REPLAY_BITS + 5 - KSF_REPLAY_WINDOW;
	     n < 3 * KSF_REPLAY_BITS + 5; n++)
		KUNIT_ASSERT_EQ(test, ksf_replay_check(r, n), KSF_REPLAY_NEW);
	KUNIT_EXPECT_EQ(test, ksf_replay_check(r, KSF_REPLAY_BITS + 199),
			KSF_REPLAY_OLD);
}

static void replay_limit(struct kunit *test)
{
	struct ksf_replay *r = new_window(test);

	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, KSF_REPLAY_LIMIT - 1),
			KSF_REPLAY_NEW);
	KUNIT_EXPECT_EQ(test, ksf_replay_commit(r, KSF_REPLAY_LIMIT),
			KSF_REPLAY_LIMIT_HIT);
	KUNIT_EXPECT_EQ(test, ksf_replay_check(r, U64_MAX),
			KSF_REPLAY_LIMIT_HIT);
}

/*
 * Random walks against a plain model: every counter ever committed, and
 * the rule "new if above the greatest, else old if more than WINDOW
 * behind it, else seen or new".
 */
#define MODEL_N	(4 * KSF_REPLAY_BITS)

static void replay_model(struct kunit *test)
{
	unsigned long *seen = kunit_kzalloc(test, BITS_TO_LONGS(MODEL_N) *
					    sizeof(long), GFP_KERNEL);
	struct ksf_replay *r = new_window(test);
	struct rnd_state rnd;
	u64 n, top = 0, want;
	int i, round;

	KUNIT_ASSERT_NOT_NULL(test, seen);
	prandom_seed_state(&rnd, 42);
	for (round = 0; round < 4; round++) {
		memset(r, 0, sizeof(*r));
		bitmap_zero(seen, MODEL_N);
		top = 0;
		for (i = 0; i < 20000; i++) {
			u32 x = prandom_u32_state(&rnd);

			/* mostly near the top, sometimes far behind or ahead */
			n = top + (x % 64) - 48 + (x % 97 == 0 ? 3000 : 0) -
			    (x % 89 == 0 ? 9000 : 0);
			if ((s64)n < 0 || n >= MODEL_N)
				continue;
			want = n + 1 > top ? KSF_REPLAY_NEW :
			       n + 1 + KSF_REPLAY_WINDOW < top ? KSF_REPLAY_OLD :
			       test_bit(n, seen) ? KSF_REPLAY_SEEN :
			       KSF_REPLAY_NEW;
			KUNIT_ASSERT_EQ_MSG(test, ksf_replay_commit(r, n),
					    want, "round %d step %d counter %llu",
					    round, i, n);
			if (want == KSF_REPLAY_NEW) {
				__set_bit(n, seen);
				top = max(top, n + 1);
			}
		}
	}
}

/* ---- the handshake ---- */

struct party {
	u8 priv[KSF_X25519_LEN], pub[KSF_X25519_LEN];
};

struct hs {
	struct party i, r;
	u8 psk[KSF_NOISE_LEN];
	u8 ts[KSF_NOISE_TS_LEN], payload[KSF_NOISE_PAYLOAD_LEN];
	u8 m1[KSF_NOISE_INIT_LEN], m2[KSF_NOISE_RESP_LEN];
	u8 i_send[KSF_NOISE_LEN], i_recv[KSF_NOISE_LEN];
	u8 r_send[KSF_NOISE_LEN], r_recv[KSF_NOISE_LEN];
	struct ksf_noise *ni, *nr;
};

static const u8 prologue[] = "ksf-channel-1 test header";

static void new_party(struct kunit *test, struct party *p)
{
	ksf_x25519_generate(p->priv);
	KUNIT_ASSERT_EQ(test, ksf_x25519(p->pub, p->priv, NULL), 0);
}

static struct ksf_noise *noise(struct kunit *test, const u8 *responder)
{
	struct ksf_noise *n = ksf_noise_new(prologue, sizeof(prologue),
					    responder);

	KUNIT_ASSERT_FALSE(test, IS_ERR(n));
	return n;
}

static void hs_exit(void *arg)
{
	struct hs *h = arg;

	ksf_noise_free(h->ni);
	ksf_noise_free(h->nr);
}

/* Two parties and the first message, written by the initiator. */
static struct hs *hs_start(struct kunit *test)
{
	struct hs *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, hs_exit, h), 0);
	new_party(test, &h->i);
	new_party(test, &h->r);
	get_random_bytes(h->psk, sizeof(h->psk));
	get_random_bytes(h->ts, sizeof(h->ts));
	get_random_bytes(h->payload, sizeof(h->payload));
	h->ni = noise(test, h->r.pub);
	h->nr = noise(test, h->r.pub);
	KUNIT_ASSERT_EQ(test, ksf_noise_init_write(h->ni, h->i.priv, h->i.pub,
						   h->ts, h->m1), 0);
	return h;
}

static bool contains(const u8 *buf, size_t len, const u8 key[KSF_X25519_LEN])
{
	size_t i;

	for (i = 0; i + KSF_X25519_LEN <= len; i++)
		if (!memcmp(buf + i, key, KSF_X25519_LEN))
			return true;
	return false;
}

/* Seals a message with @key and counter @n, opens it with @key2. */
static int transport(struct kunit *test, const u8 *key, const u8 *key2,
		     u64 n)
{
	u8 *buf = kunit_kzalloc(test, 64 + KSF_AEAD_TAG_LEN, GFP_KERNEL);
	u8 nonce[KSF_AEAD_NONCE_LEN] = {};
	struct crypto_aead *a, *b;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (ret = 0; ret < 8; ret++)		/* Noise: 0^32 || le64(n) */
		nonce[4 + ret] = n >> (8 * ret);
	a = ksf_chachapoly_tfm(key);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	b = ksf_chachapoly_tfm(key2);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	memcpy(buf, "header..payload", 16);
	ret = ksf_aead_crypt(a, true, buf, 8, 56, nonce);
	if (!ret)
		ret = ksf_aead_crypt(b, false, buf, 8, 56, nonce);
	if (!ret && memcmp(buf + 8, "payload", 7))
		ret = -EIO;
	crypto_free_aead(a);
	crypto_free_aead(b);
	return ret;
}

/* Both sides end with the same pair of keys, one per direction. */
static void noise_handshake(struct kunit *test)
{
	struct hs *h = hs_start(test);
	u8 ts[KSF_NOISE_TS_LEN], payload[KSF_NOISE_PAYLOAD_LEN];

	KUNIT_ASSERT_EQ(test, ksf_noise_init_read(h->nr, h->r.priv, h->m1, ts),
			0);
	KUNIT_EXPECT_MEMEQ(test, ts, h->ts, sizeof(ts));
	KUNIT_EXPECT_MEMEQ(test, h->nr->rs, h->i.pub, KSF_X25519_LEN);
	KUNIT_ASSERT_EQ(test, ksf_noise_resp_write(h->nr, h->psk, h->payload,
						   h->m2), 0);
	KUNIT_ASSERT_EQ(test, ksf_noise_resp_read(h->ni, h->i.priv, h->psk,
						  h->m2, payload), 0);
	KUNIT_EXPECT_MEMEQ(test, payload, h->payload, sizeof(payload));
	KUNIT_ASSERT_EQ(test, ksf_noise_split(h->ni, true, h->i_send,
					      h->i_recv), 0);
	KUNIT_ASSERT_EQ(test, ksf_noise_split(h->nr, false, h->r_send,
					      h->r_recv), 0);
	KUNIT_EXPECT_MEMEQ(test, h->i_send, h->r_recv, KSF_NOISE_LEN);
	KUNIT_EXPECT_MEMEQ(test, h->i_recv, h->r_send, KSF_NOISE_LEN);
	KUNIT_EXPECT_MEMNEQ(test, h->i_send, h->i_recv, KSF_NOISE_LEN);
	/* the static public key never travels in clear */
	KUNIT_EXPECT_FALSE(test, contains(h->m1, sizeof(h->m1), h->i.pub));
	KUNIT_EXPECT_EQ(test, transport(test, h->i_send, h->r_recv, 7), 0);
	KUNIT_EXPECT_EQ(test, transport(test, h->r_send, h->i_recv, 0), 0);
	KUNIT_EXPECT_NE(test, transport(test, h->i_send, h->i_recv, 7), 0);
}

/* Any byte flipped in either message: refused. */
static void noise_tamper(struct kunit *test)
{
	static const unsigned int at1[] = { 0, 31, 32, 60, 79, 80, 95, 107 };
	static const unsigned int at2[] = { 0, 31, 32, 35, 36, 51 };
	u8 ts[KSF_NOISE_TS_LEN], payload[KSF_NOISE_PAYLOAD_LEN];
	struct hs *h;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(at1); i++) {
		h = hs_start(test);
		h->m1[at1[i]] ^= 0x01;
		KUNIT_EXPECT_NE_MSG(test, ksf_noise_init_read(h->nr, h->r.priv,
							      h->m1, ts),
				    0, "message 1, byte %u", at1[i]);
	}
	for (i = 0; i < ARRAY_SIZE(at2); i++) {
		h = hs_start(test);
		KUNIT_ASSERT_EQ(test, ksf_noise_init_read(h->nr, h->r.priv,
							  h->m1, ts), 0);
		KUNIT_ASSERT_EQ(test, ksf_noise_resp_write(h->nr, h->psk,
							   h->payload, h->m2),
				0);
		h->m2[at2[i]] ^= 0x80;
		KUNIT_EXPECT_NE_MSG(test, ksf_noise_resp_read(h->ni, h->i.priv,
							      h->psk, h->m2,
							      payload),
				    0, "message 2, byte %u", at2[i]);
	}
}

/* Another responder, another prologue, another psk: refused. */
static void noise_wrong_keys(struct kunit *test)
{
	u8 ts[KSF_NOISE_TS_LEN], payload[KSF_NOISE_PAYLOAD_LEN];
	struct hs *h = hs_start(test);
	struct party other;
	struct ksf_noise *n;

	new_party(test, &other);
	n = noise(test, other.pub);
	KUNIT_EXPECT_EQ(test, ksf_noise_init_read(n, other.priv, h->m1, ts),
			-EBADMSG);
	ksf_noise_free(n);
	n = ksf_noise_new(prologue, sizeof(prologue) - 2, h->r.pub);
	KUNIT_ASSERT_FALSE(test, IS_ERR(n));
	KUNIT_EXPECT_EQ(test, ksf_noise_init_read(n, h->r.priv, h->m1, ts),
			-EBADMSG);
	ksf_noise_free(n);
	KUNIT_EXPECT_TRUE(test, IS_ERR(ksf_noise_new(prologue,
						     KSF_NOISE_PROLOGUE_MAX + 1,
						     h->r.pub)));

	KUNIT_ASSERT_EQ(test, ksf_noise_init_read(h->nr, h->r.priv, h->m1, ts),
			0);
	KUNIT_ASSERT_EQ(test, ksf_noise_resp_write(h->nr, h->psk, h->payload,
						   h->m2), 0);
	h->psk[0] ^= 1;
	KUNIT_EXPECT_EQ(test, ksf_noise_resp_read(h->ni, h->i.priv, h->psk,
						  h->m2, payload), -EBADMSG);
}

/*
 * Forward secrecy: whoever later holds both static private keys and the
 * psk, and recorded both messages, still lacks the ephemeral keys: the
 * first message opens (IK's is not forward-secret against the
 * responder's static key, so it carries only a timestamp), the response
 * does not, and the transport keys differ.
 */
static void noise_forward_secrecy(struct kunit *test)
{
	u8 ts[KSF_NOISE_TS_LEN], payload[KSF_NOISE_PAYLOAD_LEN];
	u8 send[KSF_NOISE_LEN], recv[KSF_NOISE_LEN];
	struct hs *h = hs_start(test);
	struct ksf_noise *thief;

	KUNIT_ASSERT_EQ(test, ksf_noise_init_read(h->nr, h->r.priv, h->m1, ts),
			0);
	KUNIT_ASSERT_EQ(test, ksf_noise_resp_write(h->nr, h->psk, h->payload,
						   h->m2), 0);
	KUNIT_ASSERT_EQ(test, ksf_noise_split(h->nr, false, h->r_send,
					      h->r_recv), 0);

	thief = noise(test, h->r.pub);
	KUNIT_EXPECT_EQ(test, ksf_noise_init_read(thief, h->r.priv, h->m1, ts),
			0);
	/* as the initiator, with its static key but a guessed ephemeral */
	ksf_x25519_generate(thief->e_priv);
	KUNIT_EXPECT_EQ(test, ksf_noise_resp_read(thief, h->i.priv, h->psk,
						  h->m2, payload), -EBADMSG);
	KUNIT_ASSERT_EQ(test, ksf_noise_split(thief, true, send, recv), 0);
	KUNIT_EXPECT_MEMNEQ(test, send, h->r_recv, KSF_NOISE_LEN);
	KUNIT_EXPECT_MEMNEQ(test, recv, h->r_send, KSF_NOISE_LEN);
	ksf_noise_free(thief);
}

/* ---- sessions ---- */

#define HDR	16
#define TEXT	40
#define MSG	(HDR + TEXT + KSF_AEAD_TAG_LEN)

struct pair {
	struct ksf_session *a, *b;	/* initiator, responder */
};

static void pair_exit(void *arg)
{
	struct pair *p = arg;

	ksf_session_free(p->a);
	ksf_session_free(p->b);
}

/* The sessions of both sides of one handshake. */
static struct pair *new_pair(struct kunit *test)
{
	u8 ts[KSF_NOISE_TS_LEN], payload[KSF_NOISE_PAYLOAD_LEN];
	struct pair *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	struct hs *h = hs_start(test);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, pair_exit, p), 0);
	KUNIT_ASSERT_EQ(test, ksf_noise_init_read(h->nr, h->r.priv, h->m1, ts),
			0);
	KUNIT_ASSERT_EQ(test, ksf_noise_resp_write(h->nr, h->psk, h->payload,
						   h->m2), 0);
	KUNIT_ASSERT_EQ(test, ksf_noise_resp_read(h->ni, h->i.priv, h->psk,
						  h->m2, payload), 0);
	KUNIT_ASSERT_EQ(test, ksf_noise_split(h->ni, true, h->i_send,
					      h->i_recv), 0);
	KUNIT_ASSERT_EQ(test, ksf_noise_split(h->nr, false, h->r_send,
					      h->r_recv), 0);
	p->a = ksf_session_new(h->i_send, h->i_recv);
	KUNIT_ASSERT_FALSE(test, IS_ERR(p->a));
	p->b = ksf_session_new(h->r_send, h->r_recv);
	KUNIT_ASSERT_FALSE(test, IS_ERR(p->b));
	return p;
}

/* A sealed message of @s: its counter in the header, @fill as text. */
static u64 seal_msg(struct kunit *test, struct ksf_session *s, u8 *buf,
		    u8 fill)
{
	u64 n;

	KUNIT_ASSERT_EQ(test, ksf_session_counter(s, &n), 0);
	memset(buf, 0, MSG);
	memcpy(buf, &n, sizeof(n));
	memset(buf + HDR, fill, TEXT);
	KUNIT_ASSERT_EQ(test, ksf_session_seal(s, n, buf, HDR, TEXT), 0);
	return n;
}

static int open_msg(struct ksf_session *s, const u8 *msg, u8 *buf,
		    const char **reason)
{
	u64 n;

	memcpy(buf, msg, MSG);
	memcpy(&n, buf, sizeof(n));
	*reason = NULL;
	return ksf_session_open(s, n, buf, HDR, TEXT + KSF_AEAD_TAG_LEN,
				reason);
}

/* Room for @n messages. */
static u8 *msgs(struct kunit *test, int n)
{
	u8 *m = kunit_kzalloc(test, n * MSG, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	return m;
}

/* Messages both ways; a replay, a tampered one, a wrong direction. */
static void session_messages(struct kunit *test)
{
	struct pair *p = new_pair(test);
	u8 *m = msgs(test, 12), *buf = m + 11 * MSG;
	const char *why;
	int i;

	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_EQ(test, seal_msg(test, p->a, m + i * MSG, i), i);
	/* out of order, each once */
	for (i = 9; i >= 0; i -= 2) {
		KUNIT_EXPECT_EQ(test, open_msg(p->b, m + i * MSG, buf, &why), 0);
		KUNIT_EXPECT_EQ(test, buf[HDR + TEXT - 1], i);
	}
	KUNIT_EXPECT_EQ(test, open_msg(p->b, m + 9 * MSG, buf, &why), -EALREADY);
	KUNIT_EXPECT_STREQ(test, why, "replayed message");
	/* a flipped bit in the text, then in the header: refused ... */
	memcpy(m + 10 * MSG, m, MSG);
	m[10 * MSG + HDR + 3] ^= 4;
	KUNIT_EXPECT_EQ(test, open_msg(p->b, m + 10 * MSG, buf, &why), -EBADMSG);
	KUNIT_EXPECT_STREQ(test, why, "message does not authenticate");
	memcpy(m + 10 * MSG, m, MSG);
	m[10 * MSG + 12] ^= 1;
	KUNIT_EXPECT_EQ(test, open_msg(p->b, m + 10 * MSG, buf, &why), -EBADMSG);
	/* ... and the window did not move: the genuine one opens */
	KUNIT_EXPECT_EQ(test, open_msg(p->b, m, buf, &why), 0);
	/* the initiator cannot open its own messages */
	KUNIT_EXPECT_NE(test, open_msg(p->a, m + 2 * MSG, buf, &why), 0);
	/* the other direction has its own counter and key */
	KUNIT_EXPECT_EQ(test, seal_msg(test, p->b, m, 0x5a), 0);
	KUNIT_EXPECT_EQ(test, open_msg(p->a, m, buf, &why), 0);
	KUNIT_EXPECT_EQ(test, open_msg(p->b, m, buf, &why), -EALREADY);
}

/* Behind the window: too old; at the message limit: no more. */
static void session_limits(struct kunit *test)
{
	struct pair *p = new_pair(test);
	u8 *m = msgs(test, 3), *buf = m + 2 * MSG;
	const char *why;
	u64 n;

	seal_msg(test, p->a, m, 1);
	atomic64_set(&p->a->next, KSF_REPLAY_WINDOW + 1);
	seal_msg(test, p->a, m + MSG, 2);
	KUNIT_EXPECT_EQ(test, open_msg(p->b, m + MSG, buf, &why), 0);
	KUNIT_EXPECT_EQ(test, open_msg(p->b, m, buf, &why), -EALREADY);
	KUNIT_EXPECT_STREQ(test, why, "message too old for the replay window");
	atomic64_set(&p->a->next, KSF_REPLAY_LIMIT);
	KUNIT_EXPECT_EQ(test, ksf_session_counter(p->a, &n), -EKEYEXPIRED);
	p->b->created -= (KSF_SESSION_REJECT_AFTER_SECS + 1) * HZ;
	KUNIT_EXPECT_TRUE(test, ksf_session_expired(p->b));
	KUNIT_EXPECT_EQ(test, open_msg(p->b, m, buf, &why), -EKEYEXPIRED);
	KUNIT_EXPECT_STREQ(test, why, "session expired");
}

/* What check_header() must say of a blob of @type and @len (@len given). */
static const char *header_verdict(u32 type, u32 len)
{
	/* handshakes and confirm: exactly; offer, answer: a body of 1 or more */
	static const u32 type_len[] = { 0, 156, 100, 56, 57, 57 };

	if (len < 28)
		return "not a ksf channel blob";
	if (!type || type >= ARRAY_SIZE(type_len))
		return "unknown type";
	if (type > 3 ? len < type_len[type] : len != type_len[type])
		return "not a valid length for its type";
	return "unknown sender (key id 00000000000012ab)";
}

/*
 * Every length from 0 to 200 of every type (and two unknown ones), each
 * in an allocation of exactly that length (KASAN sees any over-read),
 * its header telling that length: refused for the reason the model says.
 * An unknown sender is the furthest a blob gets without a ksf peer.
 */
static void chan_header_lengths(struct kunit *test)
{
	struct ksf_net *kn = kunit_kzalloc(test, sizeof(*kn), GFP_KERNEL);
	struct ksf_chan_outcome oc;
	u8 hdr[28] = { 'K', 'S', 'F', 'C', 1 };
	u32 type, len;

	KUNIT_ASSERT_NOT_NULL(test, kn);
	KUNIT_ASSERT_EQ(test, ksf_instance_init(kn, &init_net), 0);
	put_unaligned_be64(0x12ab, hdr + 12);
	put_unaligned_be64(ksf_identity_key_id(kn), hdr + 20);
	for (type = 0; type <= 6; type++) {
		for (len = 0; len <= 200; len++) {
			u8 *b = kzalloc(len ?: 1, GFP_KERNEL);

			KUNIT_ASSERT_NOT_NULL(test, b);
			hdr[5] = type;
			put_unaligned_be32(len, hdr + 8);
			memcpy(b, hdr, min_t(u32, len, sizeof(hdr)));
			ksf_chan_receive(kn, b, len, NULL, &oc);
			KUNIT_EXPECT_NE(test, oc.err, 0);
			KUNIT_EXPECT_NULL(test, oc.peer);
			KUNIT_EXPECT_EQ(test, oc.out.len, 0);
			KUNIT_EXPECT_TRUE_MSG(test,
					      strstr(oc.reason,
						     header_verdict(type, len)),
					      "type %u len %u: %s", type, len,
					      oc.reason);
			ksf_chan_outcome_release(&oc);
			kfree(b);
		}
	}
	/* a header that says more or less than was given */
	hdr[5] = 1;
	put_unaligned_be32(157, hdr + 8);
	ksf_chan_receive(kn, hdr, sizeof(hdr), NULL, &oc);
	KUNIT_EXPECT_STREQ(test, oc.reason,
			   "truncated: header says 157 bytes, 28 given");
	ksf_instance_exit(kn);
}

/* ---- negotiation (core/pair.c) ---- */

struct pair_ctx {
	struct ksf_net *kn;
	struct ksf_peer *peer;		/* "b", a ksf peer of conf */
	struct ksf_policy *conf;
};

static struct ksf_policy *conf_of(const void *arg, const struct ksf_policy *old,
				  struct netlink_ext_ack *extack)
{
	struct ksf_policy *pol = (struct ksf_policy *)arg;

	refcount_inc(&pol->ref);
	return pol;
}

static void pair_ctx_exit(void *arg)
{
	struct pair_ctx *c = arg;

	ksf_peer_put(c->peer);
	ksf_policy_put(c->conf);
	ksf_instance_exit(c->kn);
}

static void set_bits(unsigned long *map, const u32 *bits, int n)
{
	while (n--)
		__set_bit(bits[n], map);
}

#define SET_BITS(map, ...) \
	set_bits(map, (const u32[]){ __VA_ARGS__ }, \
		 sizeof((const u32[]){ __VA_ARGS__ }) / sizeof(u32))

/*
 * An instance with a ksf peer "b" whose configured policy runs kdf and
 * mac-generate (hmac-sha256, kdf-sha256; keys of 16 to 32 bytes, batches
 * of 10) and asks mac-verify with hmac-sha256.
 */
static struct pair_ctx *pair_ctx(struct kunit *test)
{
	struct pair_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	u8 priv[KSF_X25519_LEN], pub[KSF_X25519_LEN];
	struct ksf_peer_spec spec = {
		.id = "b", .kind = KSF_PEER_KIND_KSF, .public_key = pub,
		.policy = conf_of,
	};

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->kn = kunit_kzalloc(test, sizeof(*c->kn), GFP_KERNEL);
	c->conf = ksf_policy_alloc(NULL);
	KUNIT_ASSERT_NOT_NULL(test, c->kn);
	KUNIT_ASSERT_NOT_NULL(test, c->conf);
	SET_BITS(c->conf->services, KSF_SERVICE_KDF, KSF_SERVICE_MAC_GENERATE);
	SET_BITS(c->conf->algs, KSF_ALG_HMAC_SHA256, KSF_ALG_KDF_SHA256);
	SET_BITS(c->conf->ask_services, KSF_SERVICE_MAC_VERIFY);
	SET_BITS(c->conf->ask_algs, KSF_ALG_HMAC_SHA256);
	c->conf->key_len_min = 16;
	c->conf->key_len_max = 32;
	c->conf->batch_max = 10;
	KUNIT_ASSERT_EQ(test, ksf_instance_init(c->kn, &init_net), 0);
	get_random_bytes(priv, sizeof(priv));
	KUNIT_ASSERT_EQ(test, ksf_x25519(pub, priv, NULL), 0);
	spec.policy_arg = c->conf;
	KUNIT_ASSERT_EQ(test, ksf_peer_new(c->kn, &spec, NULL), 0);
	c->peer = ksf_peer_get(c->kn, "b");
	KUNIT_ASSERT_NOT_NULL(test, c->peer);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, pair_ctx_exit, c),
			0);
	return c;
}

/* The answerer meets the offer with its policy, each direction its own. */
static void pair_answer_meets(struct kunit *test)
{
	struct pair_ctx *c = pair_ctx(test);
	struct ksf_policy *serve = ksf_policy_alloc(NULL);
	struct ksf_policy *ask = ksf_policy_alloc(NULL);
	struct ksf_offer o = { .id = 1, .generation = 7 };
	struct ksf_pair *pair;

	KUNIT_ASSERT_NOT_NULL(test, serve);
	KUNIT_ASSERT_NOT_NULL(test, ask);
	SET_BITS(serve->services, KSF_SERVICE_MAC_VERIFY, KSF_SERVICE_ENCRYPT);
	SET_BITS(serve->algs, KSF_ALG_HMAC_SHA256, KSF_ALG_AES_GCM);
	serve->key_len_min = 8;
	serve->lifetime_max = 100;
	serve->batch_max = 5;
	serve->caller_rand = true;
	SET_BITS(ask->services, KSF_SERVICE_KDF, KSF_SERVICE_NAS_MAC);
	SET_BITS(ask->algs, KSF_ALG_KDF_SHA256);
	o.serve = serve;
	o.ask = ask;
	pair = ksf_pair_answer(c->peer, &o);
	KUNIT_ASSERT_NOT_NULL(test, pair);
	KUNIT_EXPECT_EQ(test, pair->generation, 8);
	/* we run: ours AND its ask, our bounds */
	KUNIT_EXPECT_TRUE(test, test_bit(KSF_SERVICE_KDF, pair->we_run->services));
	KUNIT_EXPECT_EQ(test, bitmap_weight(pair->we_run->services,
					    __KSF_SERVICE_MAX), 1);
	KUNIT_EXPECT_TRUE(test, test_bit(KSF_ALG_KDF_SHA256, pair->we_run->algs));
	KUNIT_EXPECT_EQ(test, bitmap_weight(pair->we_run->algs, __KSF_ALG_MAX), 1);
	KUNIT_EXPECT_EQ(test, pair->we_run->key_len_min, 16);
	KUNIT_EXPECT_EQ(test, pair->we_run->batch_max, 10);
	KUNIT_EXPECT_FALSE(test, pair->we_run->caller_rand);
	/* they run: its serve AND our ask, its bounds */
	KUNIT_EXPECT_TRUE(test, test_bit(KSF_SERVICE_MAC_VERIFY,
					 pair->they_run->services));
	KUNIT_EXPECT_EQ(test, bitmap_weight(pair->they_run->services,
					    __KSF_SERVICE_MAX), 1);
	KUNIT_EXPECT_EQ(test, bitmap_weight(pair->they_run->algs, __KSF_ALG_MAX), 1);
	KUNIT_EXPECT_EQ(test, pair->they_run->key_len_min, 8);
	KUNIT_EXPECT_EQ(test, pair->they_run->lifetime_max, 100);
	KUNIT_EXPECT_EQ(test, pair->they_run->batch_max, 5);
	KUNIT_EXPECT_TRUE(test, pair->they_run->caller_rand);
	/* not stored until the caller says so */
	KUNIT_EXPECT_EQ(test, ksf_pair_generation(c->peer), 0);
	ksf_pair_store(c->peer, pair);
	KUNIT_EXPECT_EQ(test, ksf_pair_generation(c->peer), 8);
	ksf_policy_put(serve);
	ksf_policy_put(ask);
}

/* A pair of the configured terms (we run) and of @they services (they run). */
static struct ksf_pair *answer_of(struct kunit *test, struct pair_ctx *c,
				  u32 gen, u32 they)
{
	struct ksf_pair *pair = kzalloc(sizeof(*pair), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, pair);
	pair->generation = gen;
	pair->we_run = ksf_terms_new(c->conf);
	pair->they_run = ksf_policy_alloc(NULL);
	KUNIT_ASSERT_NOT_NULL(test, pair->we_run);
	KUNIT_ASSERT_NOT_NULL(test, pair->they_run);
	__set_bit(they, pair->they_run->services);
	return pair;
}

/* The offerer stores only an answer to its latest offer, within it. */
static void pair_accept_checks(struct kunit *test)
{
	struct pair_ctx *c = pair_ctx(test);
	struct ksf_offer o1, o2;
	struct ksf_pair *pair;
	const char *why;

	ksf_pair_offer_sent(c->peer, o1.id,
			    ksf_pair_offer_new(c->peer, &o1));
	ksf_pair_offer_sent(c->peer, o2.id,
			    ksf_pair_offer_new(c->peer, &o2));
	pair = answer_of(test, c, 3, KSF_SERVICE_MAC_VERIFY);
	KUNIT_EXPECT_EQ(test, ksf_pair_accept(c->peer, o1.id, pair, &why),
			-ESTALE);
	KUNIT_EXPECT_EQ(test, ksf_pair_accept(c->peer, 0, pair, &why), -ESTALE);
	__set_bit(KSF_SERVICE_ENCRYPT, pair->we_run->services);
	KUNIT_EXPECT_EQ(test, ksf_pair_accept(c->peer, o2.id, pair, &why),
			-EPROTO);
	KUNIT_EXPECT_STREQ(test, why, "answer exceeds the offer");
	__clear_bit(KSF_SERVICE_ENCRYPT, pair->we_run->services);
	pair->we_run->lifetime_max = 0;
	c->conf->lifetime_max = 60;	/* the offer bounded it: 0 is wider */
	KUNIT_EXPECT_EQ(test, ksf_pair_accept(c->peer, o2.id, pair, &why),
			-EPROTO);
	c->conf->lifetime_max = 0;
	ksf_pair_free(pair);
	pair = answer_of(test, c, 3, KSF_SERVICE_KDF);	/* not asked */
	KUNIT_EXPECT_EQ(test, ksf_pair_accept(c->peer, o2.id, pair, &why),
			-EPROTO);
	ksf_pair_free(pair);
	pair = answer_of(test, c, 3, KSF_SERVICE_MAC_VERIFY);
	KUNIT_EXPECT_EQ(test, ksf_pair_accept(c->peer, o2.id, pair, &why), 0);
	KUNIT_EXPECT_EQ(test, ksf_pair_generation(c->peer), 3);
	pair = answer_of(test, c, 4, KSF_SERVICE_MAC_VERIFY);
	KUNIT_EXPECT_EQ(test, ksf_pair_accept(c->peer, o2.id, pair, &why),
			-ESTALE);	/* answered once: no offer left */
	ksf_pair_free(pair);
}

static struct kunit_case ksf_channel_cases[] = {
	KUNIT_CASE(replay_in_order),
	KUNIT_CASE(replay_reorder),
	KUNIT_CASE(replay_edge),
	KUNIT_CASE(replay_jump),
	KUNIT_CASE(replay_limit),
	KUNIT_CASE(replay_model),
	KUNIT_CASE(noise_handshake),
	KUNIT_CASE(noise_tamper),
	KUNIT_CASE(noise_wrong_keys),
	KUNIT_CASE(noise_forward_secrecy),
	KUNIT_CASE(session_messages),
	KUNIT_CASE(session_limits),
	KUNIT_CASE(chan_header_lengths),
	KUNIT_CASE(pair_answer_meets),
	KUNIT_CASE(pair_accept_checks),
	{}
};

static struct kunit_suite ksf_channel_suite = {
	.name = "ksf-channel",
	.test_cases = ksf_channel_cases,
};

kunit_test_suite(ksf_channel_suite);
