// SPDX-License-Identifier: GPL-2.0-only
/*
 * A channel session: one ChaCha20-Poly1305 transform per direction,
 * keyed once from the handshake's split; sealed messages carry their
 * counter in the clear (in the associated data) and as the nonce,
 * Noise's 0^32 || le64(counter).  Opening checks the counter against the
 * window first, authenticates, then commits it: two opens of one counter
 * race to the commit and the second is a replay; a message that does not
 * authenticate leaves the window as it was.
 */
#include <crypto/aead.h>
#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "../crypto/aead.h"
#include "session.h"

/* A session of the keys @send and @recv (the caller wipes them). */
struct ksf_session *ksf_session_new(const u8 send[KSF_NOISE_LEN],
				    const u8 recv[KSF_NOISE_LEN])
{
	struct ksf_session *s = kzalloc(sizeof(*s), GFP_KERNEL);
	int ret;

	if (!s)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&s->lock);
	s->created = jiffies;
	s->send = ksf_chachapoly_tfm(send);
	if (IS_ERR(s->send)) {
		ret = PTR_ERR(s->send);
		goto err;
	}
	s->recv = ksf_chachapoly_tfm(recv);
	if (IS_ERR(s->recv)) {
		ret = PTR_ERR(s->recv);
		crypto_free_aead(s->send);
		goto err;
	}
	return s;
err:
	kfree(s);
	return ERR_PTR(ret);
}

/* The transforms' contexts hold the keys: crypto_free_aead() wipes them. */
void ksf_session_free(struct ksf_session *s)
{
	if (IS_ERR_OR_NULL(s))
		return;
	crypto_free_aead(s->send);
	crypto_free_aead(s->recv);
	kfree_sensitive(s);
}

#if IS_ENABLED(CONFIG_FAULT_INJECTION_DEBUG_FS)	/* debug kernel only */
static unsigned int dbg_chan_reject_secs = KSF_SESSION_REJECT_AFTER_SECS;
module_param(dbg_chan_reject_secs, uint, 0644);
MODULE_PARM_DESC(dbg_chan_reject_secs,
		 "debug kernel only: a session's life in seconds (1..180), for tests of expiry");

unsigned int ksf_session_reject_secs(void)
{
	return clamp(READ_ONCE(dbg_chan_reject_secs), 1U,
		     (unsigned int)KSF_SESSION_REJECT_AFTER_SECS);
}

static unsigned long long dbg_chan_rekey_msgs = KSF_SESSION_REKEY_AFTER_MSGS;
module_param(dbg_chan_rekey_msgs, ullong, 0644);
MODULE_PARM_DESC(dbg_chan_rekey_msgs,
		 "debug kernel only: blobs sealed under a session before a seal starts a rekey (1..2^20)");

static u64 rekey_msgs(void)
{
	return clamp(READ_ONCE(dbg_chan_rekey_msgs), 1ULL,
		     KSF_SESSION_REKEY_AFTER_MSGS);
}
#else
unsigned int ksf_session_reject_secs(void)
{
	return KSF_SESSION_REJECT_AFTER_SECS;
}

static u64 rekey_msgs(void)
{
	return KSF_SESSION_REKEY_AFTER_MSGS;
}
#endif

bool ksf_session_expired(const struct ksf_session *s)
{
	return time_after(jiffies, s->created + ksf_session_reject_secs() * HZ);
}

/*
 * Time for a new session (REKEY_AFTER_MESSAGES, REKEY_AFTER_TIME): after
 * 2^20 seals, or two thirds of its life for its initiator (120 s) and
 * five sixths for its responder (150 s), so that the initiator's comes
 * first and the two rarely cross.  The debug kernel's shorter life
 * scales the ages.
 */
bool ksf_session_rekey_due(const struct ksf_session *s, bool initiator)
{
	unsigned int life = ksf_session_reject_secs();
	unsigned int after = initiator ? life * 2 / 3 : life * 5 / 6;

	return (u64)atomic64_read(&s->next) >= rekey_msgs() ||
	       time_after(jiffies, s->created + after * HZ);
}

/* The next send counter; -EKEYEXPIRED once the session may send no more. */
int ksf_session_counter(struct ksf_session *s, u64 *counter)
{
	u64 n = atomic64_inc_return(&s->next) - 1;

	if (n >= KSF_REPLAY_LIMIT || ksf_session_expired(s))
		return -EKEYEXPIRED;
	*counter = n;
	return 0;
}

static void nonce_of(u64 counter, u8 nonce[KSF_AEAD_NONCE_LEN])
{
	int i;

	memset(nonce, 0, KSF_AEAD_NONCE_LEN);
	for (i = 0; i < 8; i++)
		nonce[4 + i] = counter >> (8 * i);
}

/*
 * Seals @buf in place: @ad_len bytes of header (holding @counter), then
 * @len bytes of text, then room for the tag.
 */
int ksf_session_seal(struct ksf_session *s, u64 counter, u8 *buf,
		     unsigned int ad_len, unsigned int len)
{
	u8 nonce[KSF_AEAD_NONCE_LEN];

	nonce_of(counter, nonce);
	return ksf_aead_crypt(s->send, true, buf, ad_len, len, nonce);
}

/*
 * Opens @buf in place (@len bytes of ciphertext and tag after @ad_len of
 * header); on refusal *@reason says why: -EALREADY, the window refuses
 * the counter (a replay, too old, the limit); -EBADMSG, it does not
 * authenticate; -EKEYEXPIRED, the session is too old.
 */
int ksf_session_open(struct ksf_session *s, u64 counter, u8 *buf,
		     unsigned int ad_len, unsigned int len,
		     const char **reason)
{
	u8 nonce[KSF_AEAD_NONCE_LEN];
	enum ksf_replay_verdict v;
	int ret;

	if (ksf_session_expired(s)) {
		*reason = "session expired";
		return -EKEYEXPIRED;
	}
	if (len < KSF_AEAD_TAG_LEN) {
		*reason = "message truncated";
		return -EBADMSG;
	}
	spin_lock_bh(&s->lock);
	v = ksf_replay_check(&s->window, counter);
	spin_unlock_bh(&s->lock);
	if (v != KSF_REPLAY_NEW)
		goto refused;
	nonce_of(counter, nonce);
	ret = ksf_aead_crypt(s->recv, false, buf, ad_len,
			     len - KSF_AEAD_TAG_LEN, nonce);
	if (ret) {
		*reason = "message does not authenticate";
		return ret;
	}
	spin_lock_bh(&s->lock);
	v = ksf_replay_commit(&s->window, counter);
	spin_unlock_bh(&s->lock);
	if (v == KSF_REPLAY_NEW)
		return 0;
refused:
	*reason = ksf_replay_reason(v);
	return -EALREADY;
}
