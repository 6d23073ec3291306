/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A session of the channel between two instances (channel.rst
 * "Sessions"): the two transport keys a handshake gave, as prepared
 * ChaCha20-Poly1305 transforms, the send counter and the receive window.
 */
#ifndef _KSF_CORE_SESSION_H
#define _KSF_CORE_SESSION_H

#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "../crypto/noise.h"
#include "replay.h"

struct crypto_aead;

#define KSF_SESSION_REJECT_AFTER_SECS	180	/* REJECT_AFTER_TIME */
#define KSF_SESSION_REKEY_AFTER_MSGS	BIT_ULL(20)	/* REKEY_AFTER_MESSAGES */
#define KSF_SESSION_REKEY_TIMEOUT_SECS	5	/* REKEY_TIMEOUT */

struct ksf_session {
	struct crypto_aead *send;
	struct crypto_aead *recv;
	atomic64_t next;		/* the next send counter */
	unsigned long created;		/* jiffies */
	spinlock_t lock;		/* the window */
	struct ksf_replay window;
};

struct ksf_session *ksf_session_new(const u8 send[KSF_NOISE_LEN],
				    const u8 recv[KSF_NOISE_LEN]);
void ksf_session_free(struct ksf_session *s);
unsigned int ksf_session_reject_secs(void);
bool ksf_session_expired(const struct ksf_session *s);
bool ksf_session_rekey_due(const struct ksf_session *s, bool initiator);
int ksf_session_counter(struct ksf_session *s, u64 *counter);
int ksf_session_seal(struct ksf_session *s, u64 counter, u8 *buf,
		     unsigned int ad_len, unsigned int len);
int ksf_session_open(struct ksf_session *s, u64 counter, u8 *buf,
		     unsigned int ad_len, unsigned int len,
		     const char **reason);

#endif /* _KSF_CORE_SESSION_H */
