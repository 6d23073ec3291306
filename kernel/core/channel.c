// SPDX-License-Identifier: GPL-2.0-only
/*
 * The channel between instances (Documentation/channel.rst): blobs with
 * a clear header, the handshake that makes a session, and messages
 * sealed under it.  Every blob is checked cheapest first, and one that
 * fails a check is refused with its reason before it changes anything.
 *
 * Per ksf peer, under chan->lock: our handshake in progress (as
 * initiator) and up to three sessions, the unconfirmed one a handshake
 * we answered made, the current one (we seal with it), the previous one
 * (still opens).  Nothing of it is saved.
 */
#include <crypto/algapi.h>	/* also the unaligned accessors, which 6.12 moved */
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <net/netlink.h>	/* extack messages */

#include "../ksf.h"
#include "../crypto/kdf.h"
#include "../crypto/noise.h"
#include "../crypto/x25519.h"
#include "audit.h"
#include "chan.h"
#include "channel.h"
#include "identity.h"
#include "keystore.h"
#include "peer.h"
#include "policy.h"
#include "session.h"

/* The header every blob starts with (big-endian integers). */
#define HDR_LEN			28
#define OFF_VERSION		4
#define OFF_TYPE		5
#define OFF_RESERVED		6
#define OFF_LEN			8
#define OFF_SENDER		12
#define OFF_RECEIVER		20
#define OFF_INDEX		28	/* sender (init) or receiver index */
#define OFF_BODY		32
#define CHAN_VERSION		1
#define MAC1_LEN		16
#define INIT_LEN		(OFF_BODY + KSF_NOISE_INIT_LEN + MAC1_LEN)
#define RESP_LEN		(OFF_BODY + KSF_NOISE_RESP_LEN + MAC1_LEN)
/* A sealed message: header, receiver index, counter, body, tag. */
#define OFF_COUNTER		32
#define SEALED_AD_LEN		40
#define CONFIRM_LEN		(SEALED_AD_LEN + KSF_AEAD_TAG_LEN)

/* How often the reaper looks for expired sessions, at most. */
#define REAP_SECS		30

static const u8 chan_magic[4] = { 'K', 'S', 'F', 'C' };
static const char prologue_label[] = "ksf-channel-1";

/* Wiped: a blob that failed to seal may hold its body in clear. */
void ksf_msg_free(struct ksf_msg *m)
{
	kfree_sensitive(m->blob);
	memset(m, 0, sizeof(*m));
}

void ksf_chan_outcome_release(struct ksf_chan_outcome *oc)
{
	ksf_msg_free(&oc->out);
	ksf_msg_free(&oc->rekey);
	kfree_sensitive(oc->opened);
	oc->opened = NULL;
	oc->body = NULL;
	oc->body_len = 0;
	ksf_peer_put(oc->peer);
	oc->peer = NULL;
}

/*
 * The reaper: while any ksf peer has a session or a handshake, it looks
 * every REAP_SECS (at most half a session's life) and wipes what
 * expired, so that an idle peer's old keys do not stay in memory.
 */
static unsigned long reap_delay(void)
{
	return min(REAP_SECS, max(ksf_session_reject_secs() / 2, 1U)) * HZ;
}

static void reap(struct work_struct *work)
{
	struct ksf_net *kn = container_of(to_delayed_work(work),
					  struct ksf_net, chan_reaper);
	struct ksf_peer *p;
	bool live = false;

	mutex_lock(&kn->lock);		/* the ksf peers list, then each chan */
	list_for_each_entry(p, &kn->ksf_peers, kind_node) {
		if (!p->chan)
			continue;
		mutex_lock(&p->chan->lock);
		live |= ksf_chan_prune(p->chan);
		mutex_unlock(&p->chan->lock);
	}
	if (live && !kn->dead)
		queue_delayed_work(ksf_wq, &kn->chan_reaper, reap_delay());
	mutex_unlock(&kn->lock);
}

/* Something to reap later: a session or a handshake came up. */
static void reaper_arm(struct ksf_net *kn)
{
	queue_delayed_work(ksf_wq, &kn->chan_reaper, reap_delay());
}

void ksf_chan_reaper_init(struct ksf_net *kn)
{
	INIT_DELAYED_WORK(&kn->chan_reaper, reap);
}

/* Teardown (kn->dead set): no request can arm it again. */
void ksf_chan_reaper_stop(struct ksf_net *kn)
{
	cancel_delayed_work_sync(&kn->chan_reaper);
}

static u8 *blob_new(struct ksf_msg *m, u32 type, u32 len, u64 sender,
		    u64 receiver)
{
	u8 *b = kzalloc(len, GFP_KERNEL);

	if (!b)
		return NULL;
	memcpy(b, chan_magic, sizeof(chan_magic));
	b[OFF_VERSION] = CHAN_VERSION;
	b[OFF_TYPE] = type;
	put_unaligned_be32(len, b + OFF_LEN);
	put_unaligned_be64(sender, b + OFF_SENDER);
	put_unaligned_be64(receiver, b + OFF_RECEIVER);
	m->type = type;
	m->len = len;
	m->blob = b;
	return b;
}

/*
 * mac1: the first 16 bytes of HMAC(SHA-256("ksf-mac1" || the receiver's
 * static key), the blob before it).  No secret: it refuses a flipped or
 * misrouted handshake before any DH.
 */
static int mac1(const u8 receiver[KSF_X25519_LEN], const u8 *b, u32 len,
		u8 out[MAC1_LEN])
{
	static const char label[] = { 'k', 's', 'f', '-', 'm', 'a', 'c', '1' };
	u8 buf[sizeof(label) + KSF_X25519_LEN], key[32], mac[32];
	int ret;

	memcpy(buf, label, sizeof(label));
	memcpy(buf + sizeof(label), receiver, KSF_X25519_LEN);
	ret = ksf_sha256_digest(buf, sizeof(buf), key);
	if (!ret)
		ret = ksf_hmac_sha256(key, sizeof(key), b, len, NULL, 0, mac);
	memcpy(out, mac, MAC1_LEN);
	return ret;
}

/* The handshake's prologue: the label, then the first message's header. */
static struct ksf_noise *noise_for(const u8 *init,
				   const u8 responder[KSF_X25519_LEN])
{
	u8 p[sizeof(prologue_label) - 1 + OFF_BODY];

	memcpy(p, prologue_label, sizeof(prologue_label) - 1);
	memcpy(p + sizeof(prologue_label) - 1, init, OFF_BODY);
	return ksf_noise_new(p, sizeof(p), responder);
}

/*
 * TAI64N of now: be64(2^62 + 10 + seconds) || be32(nanoseconds rounded
 * down to a multiple of 2^24, as WireGuard: the timestamp then says
 * little about the host's clock).
 */
static void tai64n(u8 ts[KSF_NOISE_TS_LEN])
{
	struct timespec64 now;

	ktime_get_real_ts64(&now);
	put_unaligned_be64(0x400000000000000aULL + now.tv_sec, ts);
	put_unaligned_be32(now.tv_nsec & ~(BIT(24) - 1), ts + 8);
}

/*
 * Under the chan's mutex: a new handshake with @peer, its handshake-init
 * in @out.  One in progress is dropped (its response will find none).
 */
static int hs_start(struct ksf_net *kn, struct ksf_peer *peer,
		    struct ksf_msg *out, const char **reason)
{
	u8 priv[KSF_X25519_LEN], pub[KSF_X25519_LEN], ts[KSF_NOISE_TS_LEN];
	struct ksf_chan *c = peer->chan;
	struct ksf_noise *n;
	u8 *b;
	int ret;

	lockdep_assert_held(&c->lock);
	ksf_chan_hs_drop(c);
	*reason = "out of memory";
	b = blob_new(out, KSF_MSG_TYPE_HANDSHAKE_INIT, INIT_LEN,
		     ksf_identity_key_id(kn), peer->key_id);
	if (!b)
		return -ENOMEM;
	c->hs_index = ksf_chan_new_index(c);
	put_unaligned_be32(c->hs_index, b + OFF_INDEX);
	n = noise_for(b, peer->public_key);
	if (IS_ERR(n)) {
		ret = PTR_ERR(n);
		goto err;
	}
	ksf_identity_private(kn, priv);
	ksf_identity_public(kn, pub);
	tai64n(ts);
	ret = ksf_noise_init_write(n, priv, pub, ts, b + OFF_BODY);
	memzero_explicit(priv, sizeof(priv));
	if (!ret)
		ret = mac1(peer->public_key, b, INIT_LEN - MAC1_LEN,
			   b + INIT_LEN - MAC1_LEN);
	if (ret) {
		ksf_noise_free(n);
		*reason = "handshake failed";
		goto err;
	}
	c->hs = n;
	c->hs_started = jiffies;
	reaper_arm(kn);
	return 0;
err:
	c->hs_index = 0;
	ksf_msg_free(out);
	return ret;
}

/* The chan of @peer, locked and open; NULL with *@err and *@reason. */
static struct ksf_chan *chan_lock(struct ksf_peer *peer, int *err,
				  const char **reason)
{
	struct ksf_chan *c = peer->chan;

	if (!c) {
		*err = -EINVAL;
		*reason = "peer is not a ksf peer with a public key";
		return NULL;
	}
	mutex_lock(&c->lock);
	if (c->closed) {
		mutex_unlock(&c->lock);
		*err = -ENOENT;
		*reason = "peer deleted";
		return NULL;
	}
	ksf_chan_prune(c);
	return c;
}

/* Starts a handshake with @peer: the handshake-init in @out. */
int ksf_chan_handshake(struct ksf_net *kn, struct ksf_peer *peer,
		       struct ksf_msg *out, const char **reason)
{
	struct ksf_chan *c;
	int ret;

	c = chan_lock(peer, &ret, reason);
	if (!c)
		return ret;
	ret = hs_start(kn, peer, out, reason);
	mutex_unlock(&c->lock);
	return ret;
}

/* Refuses the blob of @oc: @err, and why (public values only). */
static __printf(3, 4)
void refuse(struct ksf_chan_outcome *oc, int err, const char *fmt, ...)
{
	va_list ap;

	oc->err = err;
	va_start(ap, fmt);
	vsnprintf(oc->reason, sizeof(oc->reason), fmt, ap);
	va_end(ap);
}

/* The ksf peer whose key id is @id, a reference; NULL: none. */
static struct ksf_peer *peer_of_key_id(struct ksf_net *kn, u64 id)
{
	struct ksf_peer *p, *found = NULL;

	rcu_read_lock();
	list_for_each_entry_rcu(p, &kn->ksf_peers, kind_node) {
		if (p->chan && p->key_id == id &&
		    refcount_inc_not_zero(&p->ref)) {
			found = p;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/* The key @handle if a handshake may mix it in as its psk (a reference). */
static struct ksf_key *psk_key_get(struct ksf_net *kn, u64 handle)
{
	struct ksf_key *key = ksf_key_get(kn, handle);

	if (key && (key->type != KSF_KEY_TYPE_PSK || key->len != KSF_NOISE_LEN ||
		    ksf_key_expired(key))) {
		ksf_key_put(key);
		key = NULL;
	}
	return key;
}

/* For a peer-new or peer-set that names a psk (0: none, always fine). */
int ksf_chan_psk_check(struct ksf_net *kn, u64 handle,
		       struct netlink_ext_ack *extack)
{
	struct ksf_key *key;

	if (!handle)
		return 0;
	key = psk_key_get(kn, handle);
	if (!key) {
		NL_SET_ERR_MSG(extack, "psk: no live key of type psk has that handle");
		return -ENOKEY;
	}
	ksf_key_put(key);
	return 0;
}

/* Some ksf peer's handshakes mix in the key @handle as their psk. */
bool ksf_chan_psk_in_use(struct ksf_net *kn, u64 handle)
{
	struct ksf_peer *p;
	bool used = false;

	rcu_read_lock();
	list_for_each_entry_rcu(p, &kn->ksf_peers, kind_node) {
		if (p->chan && ksf_chan_psk(p->chan) == handle) {
			used = true;
			break;
		}
	}
	rcu_read_unlock();
	return used;
}

/*
 * The psk @peer's handshakes mix in, into @psk (zeros without one); the
 * caller wipes it.  Read per handshake: the key is only ever a handle.
 */
static int chan_psk(struct ksf_net *kn, struct ksf_peer *peer,
		    u8 psk[KSF_NOISE_LEN], struct ksf_chan_outcome *oc)
{
	u64 handle = ksf_chan_psk(peer->chan);
	struct ksf_key *key;

	memset(psk, 0, KSF_NOISE_LEN);
	if (!handle)
		return 0;
	key = psk_key_get(kn, handle);
	if (!key) {
		refuse(oc, -ENOKEY, "psk key 0x%016llx is gone or expired", handle);
		return -ENOKEY;
	}
	memcpy(psk, key->material, KSF_NOISE_LEN);
	atomic64_inc(&key->uses);
	ksf_key_put(key);
	return 0;
}

/* A session from a handshake's split, or an error. */
static struct ksf_session *split(struct ksf_noise *n, bool initiator)
{
	u8 send[KSF_NOISE_LEN], recv[KSF_NOISE_LEN];
	struct ksf_session *s;
	int ret;

	ret = ksf_noise_split(n, initiator, send, recv);
	s = ret ? ERR_PTR(ret) : ksf_session_new(send, recv);
	memzero_explicit(send, sizeof(send));
	memzero_explicit(recv, sizeof(recv));
	return s;
}

/*
 * A handshake-init for us from @peer: answer it with a response, keep
 * the session unconfirmed until the initiator's first sealed blob.
 */
static void recv_init(struct ksf_net *kn, struct ksf_peer *peer, const u8 *b,
		      struct ksf_peer *carrier, struct ksf_chan_outcome *oc)
{
	u8 priv[KSF_X25519_LEN], pub[KSF_X25519_LEN], ts[KSF_NOISE_TS_LEN];
	u8 psk[KSF_NOISE_LEN], payload[KSF_NOISE_PAYLOAD_LEN];
	struct ksf_chan *c = peer->chan;
	struct chan_slot sl = { .role = KSF_SESSION_ROLE_RESPONDER };
	struct ksf_noise *n;
	u8 m[MAC1_LEN], *r;
	int ret;

	ksf_identity_public(kn, pub);
	ret = mac1(pub, b, INIT_LEN - MAC1_LEN, m);
	if (ret || crypto_memneq(m, b + INIT_LEN - MAC1_LEN, MAC1_LEN)) {
		refuse(oc, -EBADMSG, "handshake: mac1 does not verify");
		return;
	}
	/* Before any DH: a carrier's share, then the instance's. */
	if ((carrier && !__ratelimit(&carrier->hs_rs)) ||
	    !__ratelimit(&kn->hs_rs)) {
		refuse(oc, -EAGAIN, "handshake rate limit (%s)",
		       carrier ? "carrier or instance" : "instance");
		return;
	}
	n = noise_for(b, pub);
	if (IS_ERR(n)) {
		refuse(oc, PTR_ERR(n), "out of memory");
		return;
	}
	ksf_identity_private(kn, priv);
	ret = ksf_noise_init_read(n, priv, b + OFF_BODY, ts);
	memzero_explicit(priv, sizeof(priv));
	if (ret) {
		refuse(oc, ret, ret == -EBADMSG ? "handshake does not authenticate" :
		       "handshake failed");
		goto out;
	}
	if (crypto_memneq(n->rs, peer->public_key, KSF_X25519_LEN)) {
		refuse(oc, -EBADMSG, "sender id does not match its static key");
		goto out;
	}
	if (chan_psk(kn, peer, psk, oc))
		goto out;
	mutex_lock(&c->lock);
	if (c->closed) {
		refuse(oc, -ENOENT, "peer deleted");
		goto unlock;
	}
	if (memcmp(ts, c->ts_mark, sizeof(ts)) <= 0) {
		refuse(oc, -EBADMSG, "handshake replayed (timestamp not newer)");
		goto unlock;
	}
	ksf_chan_prune(c);
	sl.index = ksf_chan_new_index(c);
	sl.remote = get_unaligned_be32(b + OFF_INDEX);
	put_unaligned_be32(sl.index, payload);
	r = blob_new(&oc->out, KSF_MSG_TYPE_HANDSHAKE_RESPONSE, RESP_LEN,
		     ksf_identity_key_id(kn), peer->key_id);
	ret = r ? ksf_noise_resp_write(n, psk, payload, r + OFF_BODY) : -ENOMEM;
	if (!ret) {
		put_unaligned_be32(sl.remote, r + OFF_INDEX);
		ret = mac1(peer->public_key, r, RESP_LEN - MAC1_LEN,
			   r + RESP_LEN - MAC1_LEN);
	}
	sl.s = ret ? ERR_PTR(ret) : split(n, false);
	if (IS_ERR(sl.s)) {
		ksf_msg_free(&oc->out);
		refuse(oc, PTR_ERR(sl.s), "handshake response failed");
		goto unlock;
	}
	ksf_chan_slot_set(c, SLOT_NEXT, &sl);
	ksf_chan_mark_set_locked(c, ts);
	reaper_arm(kn);
unlock:
	mutex_unlock(&c->lock);
out:
	memzero_explicit(psk, sizeof(psk));
	ksf_noise_free(n);
}

/* Seals @len bytes of @body as a blob of @type under @sl into @m. */
static int seal_blob(struct ksf_net *kn, struct ksf_peer *peer,
		     struct chan_slot *sl, u32 type, const void *body, u32 len,
		     struct ksf_msg *m)
{
	u64 counter;
	u8 *b;
	int ret;

	ret = ksf_session_counter(sl->s, &counter);
	if (ret)
		return ret;
	b = blob_new(m, type, CONFIRM_LEN + len, ksf_identity_key_id(kn),
		     peer->key_id);
	if (!b)
		return -ENOMEM;
	put_unaligned_be32(sl->remote, b + OFF_INDEX);
	put_unaligned_be64(counter, b + OFF_COUNTER);
	if (len)
		memcpy(b + SEALED_AD_LEN, body, len);
	ret = ksf_session_seal(sl->s, counter, b, SEALED_AD_LEN, len);
	if (ret)
		ksf_msg_free(m);
	return ret;
}

/*
 * Is it time to rekey the current session @sl?  Not while a handshake
 * we started is younger than REKEY_TIMEOUT: its response may be coming.
 */
static bool rekey_due(const struct ksf_chan *c, const struct chan_slot *sl)
{
	if (!ksf_session_rekey_due(sl->s,
				   sl->role == KSF_SESSION_ROLE_INITIATOR))
		return false;
	return !c->hs || time_after(jiffies, c->hs_started +
				    KSF_SESSION_REKEY_TIMEOUT_SECS * HZ);
}

/*
 * Seals @body as a blob of @type to @peer under the current session, into
 * @out.  When that session is due for a rekey, @rekey gets a new
 * handshake-init to carry with it (@rekey NULL: never); the session still
 * seals until it expires, and the new one takes over once its handshake
 * completes.
 */
int ksf_chan_seal(struct ksf_net *kn, struct ksf_peer *peer, u32 type,
		  const void *body, u32 len, struct ksf_msg *out,
		  struct ksf_msg *rekey, const char **reason)
{
	const char *why;
	struct chan_slot *sl;
	struct ksf_chan *c;
	int ret;

	if (len > KSF_MSG_MAX - CONFIRM_LEN) {
		*reason = "body longer than a blob may carry";
		return -EMSGSIZE;
	}
	c = chan_lock(peer, &ret, reason);
	if (!c)
		return ret;
	sl = &c->slot[SLOT_CURRENT];
	ret = -ENOTCONN;
	*reason = "no session with the peer (msg handshake first)";
	if (!sl->s)
		goto unlock;
	ret = seal_blob(kn, peer, sl, type, body, len, out);
	if (ret) {
		*reason = ret == -ENOMEM ? "out of memory" :
			  "the session may seal no more (rekey: msg handshake)";
		goto unlock;
	}
	/* a failed rekey leaves the session as it was, sealing */
	if (rekey && rekey_due(c, sl))
		hs_start(kn, peer, rekey, &why);
unlock:
	mutex_unlock(&c->lock);
	return ret;
}

/*
 * The response to our handshake: the session is confirmed for us, and
 * a confirm goes back so that it is for the responder too.
 */
static void recv_resp(struct ksf_net *kn, struct ksf_peer *peer, const u8 *b,
		      struct ksf_chan_outcome *oc)
{
	u8 priv[KSF_X25519_LEN], pub[KSF_X25519_LEN], psk[KSF_NOISE_LEN];
	u8 payload[KSF_NOISE_PAYLOAD_LEN], m[MAC1_LEN];
	struct chan_slot sl = { .role = KSF_SESSION_ROLE_INITIATOR };
	struct ksf_chan *c = peer->chan;
	struct ksf_noise *n;
	int ret;

	ksf_identity_public(kn, pub);
	ret = mac1(pub, b, RESP_LEN - MAC1_LEN, m);
	if (ret || crypto_memneq(m, b + RESP_LEN - MAC1_LEN, MAC1_LEN)) {
		refuse(oc, -EBADMSG, "handshake: mac1 does not verify");
		return;
	}
	mutex_lock(&c->lock);
	ksf_chan_prune(c);
	if (c->closed || !c->hs ||
	    c->hs_index != get_unaligned_be32(b + OFF_INDEX)) {
		refuse(oc, -ENOENT, "no handshake in progress with index %u",
		       get_unaligned_be32(b + OFF_INDEX));
		goto unlock;
	}
	/* On a copy: a forged response must not end the real handshake. */
	n = kmemdup(c->hs, sizeof(*n), GFP_KERNEL);
	if (!n) {
		refuse(oc, -ENOMEM, "out of memory");
		goto unlock;
	}
	if (chan_psk(kn, peer, psk, oc))
		goto free;
	ksf_identity_private(kn, priv);
	ret = ksf_noise_resp_read(n, priv, psk, b + OFF_BODY, payload);
	memzero_explicit(priv, sizeof(priv));
	memzero_explicit(psk, sizeof(psk));
	if (ret) {
		refuse(oc, ret, ret == -EBADMSG ? "handshake does not authenticate" :
		       "handshake failed");
		goto free;
	}
	sl.index = c->hs_index;
	sl.remote = get_unaligned_be32(payload);
	sl.s = split(n, true);
	if (IS_ERR(sl.s)) {
		refuse(oc, PTR_ERR(sl.s), "out of memory");
		goto free;
	}
	ret = seal_blob(kn, peer, &sl, KSF_MSG_TYPE_CONFIRM, NULL, 0,
			&oc->out);
	if (ret) {
		ksf_session_free(sl.s);
		refuse(oc, ret, "confirm not sealed");
		goto free;
	}
	ksf_chan_hs_drop(c);
	ksf_chan_make_current(c, &sl);
	reaper_arm(kn);
	ksf_event(kn, KSF_EVENT_SESSION_UP, peer->id, 0, 0, "initiator");
free:
	ksf_noise_free(n);
unlock:
	mutex_unlock(&c->lock);
}

/*
 * A sealed blob: opened under the session it names (a copy: the
 * request's bytes stay as they were).  The first one opened under an
 * unconfirmed session confirms it: it becomes current.
 */
static void recv_sealed(struct ksf_net *kn, struct ksf_peer *peer,
			const u8 *b, u32 len, struct ksf_chan_outcome *oc)
{
	u32 idx = get_unaligned_be32(b + OFF_INDEX);
	u64 counter = get_unaligned_be64(b + OFF_COUNTER);
	struct ksf_chan *c = peer->chan;
	const char *why;
	struct chan_slot *sl;
	u8 *copy;
	int ret;

	copy = kmemdup(b, len, GFP_KERNEL);
	if (!copy) {
		refuse(oc, -ENOMEM, "out of memory");
		return;
	}
	mutex_lock(&c->lock);
	ksf_chan_prune(c);
	sl = c->closed ? NULL : ksf_chan_slot_of(c, idx);
	if (!sl) {
		refuse(oc, -ENOENT, "unknown session %u", idx);
		goto unlock;
	}
	ret = ksf_session_open(sl->s, counter, copy, SEALED_AD_LEN,
			       len - SEALED_AD_LEN, &why);
	if (ret) {
		refuse(oc, ret, "%s (session %u, counter %llu)", why, idx,
		       counter);
		goto unlock;
	}
	sl->received++;
	if (sl == &c->slot[SLOT_NEXT]) {
		ksf_chan_make_current(c, sl);
		memset(sl, 0, sizeof(*sl));
		ksf_event(kn, KSF_EVENT_SESSION_UP, peer->id, 0, 0,
			  "responder");
	}
	if (len > CONFIRM_LEN) {	/* the transport reads the body */
		oc->opened = copy;
		oc->body = copy + SEALED_AD_LEN;
		oc->body_len = len - CONFIRM_LEN;
		copy = NULL;
	}
unlock:
	mutex_unlock(&c->lock);
	kfree_sensitive(copy);
}

/* Checks 1 to 4 of channel.rst: length, version and type, the ids. */
static struct ksf_peer *check_header(struct ksf_net *kn, const u8 *b, u32 len,
				     struct ksf_chan_outcome *oc)
{
	/* a type's length, or with a body its least (body of 1 byte) */
	static const u32 type_len[] = {
		[KSF_MSG_TYPE_HANDSHAKE_INIT] = INIT_LEN,
		[KSF_MSG_TYPE_HANDSHAKE_RESPONSE] = RESP_LEN,
		[KSF_MSG_TYPE_CONFIRM] = CONFIRM_LEN,
		[KSF_MSG_TYPE_OFFER] = CONFIRM_LEN + 1,
		[KSF_MSG_TYPE_ANSWER] = CONFIRM_LEN + 1,
	};
	u64 sender, receiver;
	struct ksf_peer *p;
	u32 hlen;

	if (len > KSF_MSG_MAX) {
		refuse(oc, -EMSGSIZE, "blob longer than msg-max (%u bytes)",
		       KSF_MSG_MAX);
		return NULL;
	}
	if (len < HDR_LEN || memcmp(b, chan_magic, sizeof(chan_magic))) {
		refuse(oc, -EBADMSG, "not a ksf channel blob");
		return NULL;
	}
	hlen = get_unaligned_be32(b + OFF_LEN);
	if (hlen != len) {
		refuse(oc, -EBADMSG, "truncated: header says %u bytes, %u given",
		       hlen, len);
		return NULL;
	}
	if (b[OFF_VERSION] != CHAN_VERSION || get_unaligned_be16(b + OFF_RESERVED)) {
		refuse(oc, -EPROTO, "channel version %u not supported",
		       b[OFF_VERSION]);
		return NULL;
	}
	if (!b[OFF_TYPE] || b[OFF_TYPE] >= ARRAY_SIZE(type_len)) {
		refuse(oc, -EPROTO, "unknown type %u", b[OFF_TYPE]);
		return NULL;
	}
	oc->type = b[OFF_TYPE];
	if (oc->type > KSF_MSG_TYPE_CONFIRM ? len < type_len[oc->type] :
					      len != type_len[oc->type]) {
		refuse(oc, -EBADMSG, "%u bytes: not a valid length for its type",
		       len);
		return NULL;
	}
	sender = get_unaligned_be64(b + OFF_SENDER);
	receiver = get_unaligned_be64(b + OFF_RECEIVER);
	if (receiver != ksf_identity_key_id(kn)) {
		refuse(oc, -EXDEV, "for another receiver (key id %016llx)",
		       receiver);
		return NULL;
	}
	p = peer_of_key_id(kn, sender);
	if (!p)
		refuse(oc, -ENOKEY, "unknown sender (key id %016llx)", sender);
	return p;
}

/* A refusal is counted for its sender, if known, and audited. */
static void audit_refused(struct ksf_net *kn, struct ksf_peer *p,
			  const struct ksf_chan_outcome *oc)
{
	if (p)
		atomic_inc(&p->chan->refused);
	if (__ratelimit(&kn->msg_rs))
		ksf_event(kn, KSF_EVENT_MSG_REFUSED, p ? p->id : NULL, 0, 0,
			  oc->reason);
}

/*
 * The transport refuses the body of a blob the channel accepted (its
 * counter is spent: the sender sends anew): nothing it called for goes
 * out, and the refusal is audited as any other.
 */
void ksf_chan_refuse_body(struct ksf_net *kn, struct ksf_chan_outcome *oc,
			  int err, const char *why)
{
	oc->err = err;
	strscpy(oc->reason, why, sizeof(oc->reason));
	ksf_msg_free(&oc->out);
	ksf_msg_free(&oc->rekey);
	audit_refused(kn, oc->peer, oc);
}

/*
 * Hands in one blob: @oc says what became of it, and holds the blob it
 * calls for.  A refused blob changed nothing; it is audited.  @carrier:
 * the nf peer handing it in (NULL: an admin), which must carry for the
 * blob's sender.
 */
void ksf_chan_receive(struct ksf_net *kn, const u8 *blob, u32 len,
		      struct ksf_peer *carrier, struct ksf_chan_outcome *oc)
{
	struct ksf_peer *p;

	memset(oc, 0, sizeof(*oc));
	p = check_header(kn, blob, len, oc);
	oc->peer = p;
	if (p && carrier && !ksf_peer_carries(carrier, p->id)) {
		/* the carrier learns no name of a peer it does not carry for */
		oc->peer = NULL;
		refuse(oc, -EPERM, "the caller may not carry for key id %016llx",
		       p->key_id);
	} else if (p && oc->type == KSF_MSG_TYPE_HANDSHAKE_INIT) {
		recv_init(kn, p, blob, carrier, oc);
	} else if (p && oc->type == KSF_MSG_TYPE_HANDSHAKE_RESPONSE) {
		recv_resp(kn, p, blob, oc);
	} else if (p) {
		recv_sealed(kn, p, blob, len, oc);
	}
	if (!oc->err)
		return;
	audit_refused(kn, p, oc);
	if (p && !oc->peer)	/* not the outcome's: ours to drop */
		ksf_peer_put(p);
}
