/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The channel between two instances, the part of a ksf peer
 * (Documentation/channel.rst): its handshake in progress, its sessions,
 * and the blobs that carry them.  Blobs leave and enter as bytes; the
 * kernel opens no socket.
 */
#ifndef _KSF_CORE_CHANNEL_H
#define _KSF_CORE_CHANNEL_H

#include <linux/types.h>

#include "../crypto/x25519.h"

struct ksf_net;
struct ksf_peer;
struct netlink_ext_ack;

#define KSF_CHAN_REASON_LEN	80

/* A blob to carry to a ksf peer: kmalloc'd, freed with ksf_msg_free(). */
struct ksf_msg {
	u32 type;			/* KSF_MSG_TYPE_* */
	u32 len;
	u8 *blob;
};

/* What became of one blob handed in (ksf_chan_receive()). */
struct ksf_chan_outcome {
	int err;			/* 0: accepted */
	u32 type;			/* once the header parsed; 0 before */
	struct ksf_peer *peer;		/* its sender, once known (a reference) */
	char reason[KSF_CHAN_REASON_LEN];
	struct ksf_msg out;		/* the blob it calls for; len 0: none */
	struct ksf_msg rekey;		/* a handshake-init going with it */
	/* An accepted offer or answer: its opened body, for the transport. */
	const u8 *body;
	u32 body_len;
	u8 *opened;			/* the buffer body points in, wiped */
};

int ksf_chan_handshake(struct ksf_net *kn, struct ksf_peer *peer,
		       struct ksf_msg *out, const char **reason);
int ksf_chan_seal(struct ksf_net *kn, struct ksf_peer *peer, u32 type,
		  const void *body, u32 len, struct ksf_msg *out,
		  struct ksf_msg *rekey, const char **reason);
void ksf_chan_receive(struct ksf_net *kn, const u8 *blob, u32 len,
		      struct ksf_peer *carrier, struct ksf_chan_outcome *oc);
void ksf_chan_outcome_release(struct ksf_chan_outcome *oc);
void ksf_chan_refuse_body(struct ksf_net *kn, struct ksf_chan_outcome *oc,
			  int err, const char *why);
void ksf_chan_reaper_init(struct ksf_net *kn);
void ksf_chan_reaper_stop(struct ksf_net *kn);
void ksf_msg_free(struct ksf_msg *m);
bool ksf_chan_psk_in_use(struct ksf_net *kn, u64 handle);
int ksf_chan_psk_check(struct ksf_net *kn, u64 handle,
		       struct netlink_ext_ack *extack);

#endif /* _KSF_CORE_CHANNEL_H */
