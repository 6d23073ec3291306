/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/ksf.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_KSF_H
#define _UAPI_LINUX_KSF_H

#define KSF_FAMILY_NAME		"ksf"
#define KSF_FAMILY_VERSION	2

#define KSF_PEER_ID_LEN		128
#define KSF_KEY_MAX_LEN		64
#define KSF_DATA_MAX_LEN	16384
#define KSF_BATCH_MAX		1024
#define KSF_NAME_MAX_LEN	256
#define KSF_POLICY_LISTS_MAX	57344
#define KSF_MSG_MAX		32768
#define KSF_MSG_BATCH_MAX	64
#define KSF_CARRY_MAX		16

/**
 * enum ksf_peer_kind - What a peer is.
 * @KSF_PEER_KIND_NF: A local network function process, bound to a uid and/or
 *   gid.
 * @KSF_PEER_KIND_KSF: A ksf instance on another host.
 * @KSF_PEER_KIND_UE: A user equipment (subscriber), identified by its SUPI.
 */
enum ksf_peer_kind {
	KSF_PEER_KIND_NF = 1,
	KSF_PEER_KIND_KSF,
	KSF_PEER_KIND_UE,
};

/**
 * enum ksf_key_type - What a key is for. The type bounds the length and the
 *   algorithms.
 * @KSF_KEY_TYPE_GENERIC: A secret usable as HMAC or KDF key (1 to key-max-len
 *   bytes).
 * @KSF_KEY_TYPE_AES: An AES key (16 or 32 bytes), for CMAC and GCM.
 * @KSF_KEY_TYPE_KEK: A key-encryption key (32 bytes) wrapping saved state.
 * @KSF_KEY_TYPE_NAS: A 128-bit NAS/AS algorithm key (K_NASint, K_NASenc, ...)
 *   for NIA/NEA 1-3.
 * @KSF_KEY_TYPE_K: A subscriber's long-term key K (16 bytes), for Milenage.
 * @KSF_KEY_TYPE_OPC: A subscriber's OPc (16 bytes), for Milenage.
 * @KSF_KEY_TYPE_PSK: A pre-shared key (32 bytes, usage seal) a ksf peer mixes
 *   into its handshakes (peer psk); no service takes it.
 * @KSF_KEY_TYPE_SUCI_A: A home network private key of SUCI Profile A (X25519,
 *   32 bytes, usage decrypt): suci-deconceal opens the SUCIs concealed to its
 *   public key, which suci-public-key returns.
 * @KSF_KEY_TYPE_SUCI_B: A home network private key of SUCI Profile B (a P-256
 *   scalar, 32 bytes, 1 <= d < n, usage decrypt), as suci-a.
 */
enum ksf_key_type {
	KSF_KEY_TYPE_GENERIC = 1,
	KSF_KEY_TYPE_AES,
	KSF_KEY_TYPE_KEK,
	KSF_KEY_TYPE_NAS,
	KSF_KEY_TYPE_K,
	KSF_KEY_TYPE_OPC,
	KSF_KEY_TYPE_PSK,
	KSF_KEY_TYPE_SUCI_A,
	KSF_KEY_TYPE_SUCI_B,
};

/**
 * enum ksf_key_usage - What a key may be used for. Usages come in four
 *   families that never mix on one key: derive; mac and verify; encrypt and
 *   decrypt; seal and wrap (the KDF is HMAC: a key that could both derive and
 *   MAC would hand its children's bytes to whoever may MAC with it).
 * @KSF_KEY_USAGE_DERIVE: Input of a key derivation.
 * @KSF_KEY_USAGE_MAC: Generate a MAC.
 * @KSF_KEY_USAGE_VERIFY: Verify a MAC.
 * @KSF_KEY_USAGE_ENCRYPT: Encrypt data.
 * @KSF_KEY_USAGE_DECRYPT: Decrypt data.
 * @KSF_KEY_USAGE_SEAL: Seal messages to a peer ksf.
 * @KSF_KEY_USAGE_WRAP: Wrap other keys for persistence.
 */
enum ksf_key_usage {
	KSF_KEY_USAGE_DERIVE = 1,
	KSF_KEY_USAGE_MAC = 2,
	KSF_KEY_USAGE_VERIFY = 4,
	KSF_KEY_USAGE_ENCRYPT = 8,
	KSF_KEY_USAGE_DECRYPT = 16,
	KSF_KEY_USAGE_SEAL = 32,
	KSF_KEY_USAGE_WRAP = 64,
};

/**
 * enum ksf_key_flag - Facts about a key that ksf sets; never set by a request.
 * @KSF_KEY_FLAG_CONTEXT: A key of a NAS security context (K_NASint, K_NASenc):
 *   usable only through nas-protect and nas-unprotect, where ksf owns the
 *   COUNTs.
 * @KSF_KEY_FLAG_SPENT: A K_AMF that has keyed a NAS security context: it keys
 *   no other, since the COUNTs of a new one would start again at 0.
 * @KSF_KEY_FLAG_RAW_NAS: A key from which kdf derived NAS keys (FC 0x69 with
 *   distinguisher 0x01 or 0x02) directly: it keys no NAS security context,
 *   whose keys would be the same bytes outside ksf's COUNTs.
 */
enum ksf_key_flag {
	KSF_KEY_FLAG_CONTEXT = 1,
	KSF_KEY_FLAG_SPENT = 2,
	KSF_KEY_FLAG_RAW_NAS = 4,
};

/**
 * enum ksf_key_source - Where a key came from.
 * @KSF_KEY_SOURCE_GENERATE: Generated in the kernel from the kernel RNG.
 * @KSF_KEY_SOURCE_KEYRING: Copied from a key in the kernel keyring (logon,
 *   user, encrypted, trusted).
 * @KSF_KEY_SOURCE_IMPORT: Imported once over netlink by an administrator.
 * @KSF_KEY_SOURCE_DERIVE: Derived in the kernel from a parent key.
 */
enum ksf_key_source {
	KSF_KEY_SOURCE_GENERATE = 1,
	KSF_KEY_SOURCE_KEYRING,
	KSF_KEY_SOURCE_IMPORT,
	KSF_KEY_SOURCE_DERIVE,
};

/**
 * enum ksf_context_state - Procedure state a context holds.
 * @KSF_CONTEXT_STATE_AKA_HE: The subscriber's SQN in the home environment
 *   (UDM).
 * @KSF_CONTEXT_STATE_AKA_MS: The USIM's SQN state (UE).
 * @KSF_CONTEXT_STATE_NAS: A NAS security context.
 */
enum ksf_context_state {
	KSF_CONTEXT_STATE_AKA_HE = 1,
	KSF_CONTEXT_STATE_AKA_MS = 2,
	KSF_CONTEXT_STATE_NAS = 4,
};

/**
 * enum ksf_service - Security services. A policy allows a service s when bit s
 *   is set in its services bitmap. Each service belongs to one family, whose
 *   nest in an item carries its arguments (see the item attribute set).
 * @KSF_SERVICE_MAC_GENERATE: MAC over data under a key (alg hmac-sha256 or
 *   aes-cmac); returns the tag.
 * @KSF_SERVICE_MAC_VERIFY: Verify a tag over data under a key; ok or error
 *   EBADMSG.
 * @KSF_SERVICE_KDF: TS 33.220 B.2 KDF (fc, params) from a key; returns a new
 *   key handle.
 * @KSF_SERVICE_ENCRYPT: AES-GCM encryption of data under a key; returns IV,
 *   ciphertext and tag.
 * @KSF_SERVICE_DECRYPT: AES-GCM decryption of IV, ciphertext and tag under a
 *   key; returns data.
 * @KSF_SERVICE_NAS_MAC: 128-NIA1/2/3 over the first bits bits of data with
 *   count, bearer and direction; returns the 32-bit MAC.
 * @KSF_SERVICE_NAS_VERIFY: Verify a 128-NIA MAC given in mac; ok or error
 *   EBADMSG.
 * @KSF_SERVICE_NAS_CIPHER: 128-NEA1/2/3 of the first bits bits of data;
 *   returns them.
 * @KSF_SERVICE_NAS_DECIPHER: 128-NEA1/2/3 deciphering (the same keystream);
 *   returns the plaintext.
 * @KSF_SERVICE_AKA_VECTOR: 5G HE AV (UDM/ARPF role, TS 33.501 6.1.3.2):
 *   Milenage under K (key) and OPc (key2) with the next SQN of the subscriber
 *   and a fresh RAND; returns RAND, AUTN, XRES*, HXRES* and the handle of
 *   K_AUSF. The SQN is kept in the context of the item's subscriber (created
 *   on first use).
 * @KSF_SERVICE_AKA_RESPONSE: USIM and ME role: checks AUTN (MAC and SQN
 *   freshness, TS 33.102 Annex C) under K and OPc; returns RES* and the handle
 *   of K_AUSF, or, on a synchronisation failure, error EAGAIN with AUTS. The
 *   USIM's SQN state is kept in the context of the item's subscriber.
 * @KSF_SERVICE_AKA_RESYNC: UDM role: verifies AUTS for RAND and resets the
 *   subscriber's SQN to SQN_MS; returns the SQN.
 * @KSF_SERVICE_NAS_CONTEXT: Establish the NAS security context of the item's
 *   subscriber (TS 33.501 6.7): K_NASint and K_NASenc are derived from K_AMF
 *   (key) with FC 0x69 for int-alg and enc-alg (A.8), kept as keys of the
 *   caller, and the COUNTs start at 0. direction is the one this side sends (0
 *   on a UE, 1, the default, on an AMF). bearer is the NAS connection
 *   identifier the context protects with (TS 33.501 6.4: 1, the default, for
 *   3GPP access, 2 for non-3GPP access); any other value is refused. Replaces
 *   an earlier NAS context of the subscriber (its keys are destroyed). Returns
 *   the context handle.
 * @KSF_SERVICE_NAS_PROTECT: Protect an outgoing NAS message under a context
 *   (TS 24.501 4.4): take the next COUNT of this side, cipher data with
 *   enc-alg (none with nea0), then MAC the sequence number and the ciphertext
 *   with int-alg, both with the context's bearer and direction (the request
 *   names neither: "nas-protect takes no bearer"). Returns the ciphertext, the
 *   4-byte MAC and the COUNT (its low 8 bits are the sequence number to send).
 * @KSF_SERVICE_NAS_UNPROTECT: Check an incoming NAS message under a context:
 *   estimate COUNT from the received sequence number (seq) and the last
 *   accepted COUNT, verify mac over seq and data, refuse a replayed or older
 *   COUNT, decipher, with the context's bearer and the opposite of its
 *   direction. Returns the plaintext and the COUNT; the context's receive
 *   COUNT moves only on success.
 * @KSF_SERVICE_HRES_STAR: HRES* (SEAF role, TS 33.501 A.5): the low 128 bits
 *   of SHA-256(rand || res), res being RES* (16 bytes); returned in hres.
 *   Needs no key.
 * @KSF_SERVICE_SUCI_CONCEAL: SUCI concealment (UE side, TS 33.501 6.12.2 and
 *   Annex C): the scheme input in data (the MSIN as BCD or the NAI username)
 *   under the home network public key hn-pub with the scheme alg (suci-null,
 *   suci-profile-a, suci-profile-b). The ephemeral key pair is made in the
 *   kernel; eph-key fixes its private key only with policy caller-rand
 *   (known-answer tests). Returns the scheme output in data (ephemeral public
 *   key || ciphertext || 8-byte MAC tag; the scheme input itself with
 *   suci-null) and hn-key-id as given. Needs no key.
 * @KSF_SERVICE_SUCI_DECONCEAL: SUCI de-concealment (SIDF role): the scheme
 *   output in data under the home network private key (key, of type suci-a for
 *   suci-profile-a, suci-b for suci-profile-b, usage decrypt). Checks the MAC
 *   tag before deciphering; returns the scheme input in data. With suci-null
 *   it takes no key and returns data.
 * @KSF_SERVICE_SUCI_PUBLIC_KEY: The public key of a home network private key
 *   (key, type suci-a or suci-b, usage decrypt): 32 bytes (X25519) or the
 *   compressed 33-byte P-256 point, in hn-pub, to provision UEs with.
 */
enum ksf_service {
	KSF_SERVICE_MAC_GENERATE = 1,
	KSF_SERVICE_MAC_VERIFY,
	KSF_SERVICE_KDF,
	KSF_SERVICE_ENCRYPT,
	KSF_SERVICE_DECRYPT,
	KSF_SERVICE_NAS_MAC,
	KSF_SERVICE_NAS_VERIFY,
	KSF_SERVICE_NAS_CIPHER,
	KSF_SERVICE_NAS_DECIPHER,
	KSF_SERVICE_AKA_VECTOR,
	KSF_SERVICE_AKA_RESPONSE,
	KSF_SERVICE_AKA_RESYNC,
	KSF_SERVICE_NAS_CONTEXT,
	KSF_SERVICE_NAS_PROTECT,
	KSF_SERVICE_NAS_UNPROTECT,
	KSF_SERVICE_HRES_STAR,
	KSF_SERVICE_SUCI_CONCEAL,
	KSF_SERVICE_SUCI_DECONCEAL,
	KSF_SERVICE_SUCI_PUBLIC_KEY,

	/* private: */
	__KSF_SERVICE_MAX,
	KSF_SERVICE_MAX = (__KSF_SERVICE_MAX - 1)
};

/**
 * enum ksf_alg - Algorithms. A policy allows an algorithm a when bit a is set
 *   in its algs bitmap.
 * @KSF_ALG_HMAC_SHA256: HMAC-SHA-256 (RFC 2104, FIPS 180-4).
 * @KSF_ALG_AES_CMAC: AES-CMAC (RFC 4493).
 * @KSF_ALG_KDF_SHA256: The generic 3GPP KDF of TS 33.220 Annex B.2.
 * @KSF_ALG_AES_GCM: AES-GCM with a 96-bit IV and a 128-bit tag.
 * @KSF_ALG_NIA1: 128-NIA1 (SNOW 3G f9).
 * @KSF_ALG_NIA2: 128-NIA2 (AES-CMAC).
 * @KSF_ALG_NIA3: 128-NIA3 (ZUC EIA3).
 * @KSF_ALG_NEA1: 128-NEA1 (SNOW 3G f8).
 * @KSF_ALG_NEA2: 128-NEA2 (AES-CTR).
 * @KSF_ALG_NEA3: 128-NEA3 (ZUC EEA3).
 * @KSF_ALG_MILENAGE: Milenage (TS 35.205/35.206) with the 5G key derivations
 *   of TS 33.501 Annex A.
 * @KSF_ALG_NEA0: Null ciphering (TS 33.501 D.1): a NAS context without
 *   confidentiality; a policy must allow it explicitly.
 * @KSF_ALG_SHA256: SHA-256 (FIPS 180-4) of non-secret inputs (hres-star).
 * @KSF_ALG_SUCI_NULL: The SUCI null scheme (TS 33.501 C.2): the scheme output
 *   is the scheme input.
 * @KSF_ALG_SUCI_PROFILE_A: SUCI ECIES Profile A (TS 33.501 C.3.4.1): X25519,
 *   the ANSI X9.63 KDF with SHA-256, AES-128-CTR, HMAC-SHA-256 tag of 8 bytes.
 * @KSF_ALG_SUCI_PROFILE_B: SUCI ECIES Profile B (TS 33.501 C.3.4.2): as
 *   Profile A over P-256 (secp256r1), the ephemeral public key a compressed
 *   point.
 */
enum ksf_alg {
	KSF_ALG_HMAC_SHA256 = 1,
	KSF_ALG_AES_CMAC,
	KSF_ALG_KDF_SHA256,
	KSF_ALG_AES_GCM,
	KSF_ALG_NIA1,
	KSF_ALG_NIA2,
	KSF_ALG_NIA3,
	KSF_ALG_NEA1,
	KSF_ALG_NEA2,
	KSF_ALG_NEA3,
	KSF_ALG_MILENAGE,
	KSF_ALG_NEA0,
	KSF_ALG_SHA256,
	KSF_ALG_SUCI_NULL,
	KSF_ALG_SUCI_PROFILE_A,
	KSF_ALG_SUCI_PROFILE_B,

	/* private: */
	__KSF_ALG_MAX,
	KSF_ALG_MAX = (__KSF_ALG_MAX - 1)
};

/**
 * enum ksf_status - Outcome of one service item.
 * @KSF_STATUS_OK: The service ran; its outputs follow.
 * @KSF_STATUS_REJECTED: Security service rejection: the service, algorithm or
 *   a parameter is outside the trusted policy of the requesting peer.
 * @KSF_STATUS_ERROR: The service failed; error and reason say why.
 */
enum ksf_status {
	KSF_STATUS_OK = 1,
	KSF_STATUS_REJECTED,
	KSF_STATUS_ERROR,
};

/**
 * enum ksf_notify_status - Status changes an NF reports with the notify
 *   command.
 * @KSF_NOTIFY_STATUS_REGISTERED: A subscriber registered.
 * @KSF_NOTIFY_STATUS_DEREGISTERED: A subscriber deregistered.
 * @KSF_NOTIFY_STATUS_KEY_COMPROMISED: A key is suspected compromised.
 * @KSF_NOTIFY_STATUS_RELOCATED: A context moved to another host.
 * @KSF_NOTIFY_STATUS_KEY_REPLACE: Replace the key key by the key new-key (same
 *   type, length and usage family; the owner of both or an admin): new-key's
 *   object takes key's handle, new-key's handle is retired.
 */
enum ksf_notify_status {
	KSF_NOTIFY_STATUS_REGISTERED = 1,
	KSF_NOTIFY_STATUS_DEREGISTERED,
	KSF_NOTIFY_STATUS_KEY_COMPROMISED,
	KSF_NOTIFY_STATUS_RELOCATED,
	KSF_NOTIFY_STATUS_KEY_REPLACE,
};

/**
 * enum ksf_event - Kinds of messages on the events multicast group.
 * @KSF_EVENT_KEY_EXPIRED: A key reached its not-after time or max age and was
 *   destroyed.
 * @KSF_EVENT_KEY_DESTROYED: A key was destroyed by a command.
 * @KSF_EVENT_REJECTION: A service item was rejected by policy (audit).
 * @KSF_EVENT_POLICY_CHANGE: The trusted policy of a peer changed.
 * @KSF_EVENT_TIMER_RESULT: A policy timer ran its service list.
 * @KSF_EVENT_PEER_CHANGE: A peer was created, changed or deleted.
 * @KSF_EVENT_VERIFY_FAILURE: A MAC or NAS MAC verification failed (audit,
 *   rate-limited per instance: at most 10 events per 5 seconds; the peer's
 *   verify-failures counter counts them all).
 * @KSF_EVENT_MSG_REFUSED: A blob handed in was refused (audit, rate-limited
 *   like verify-failure; the peer's msg-refused counter counts them all).
 * @KSF_EVENT_SESSION_UP: A session with a ksf peer came up (its peer and
 *   role).
 * @KSF_EVENT_KEY_REPLACED: A key was replaced (notify key-replace): key is the
 *   handle that now holds the new key, new-key the handle retired.
 */
enum ksf_event {
	KSF_EVENT_KEY_EXPIRED = 1,
	KSF_EVENT_KEY_DESTROYED,
	KSF_EVENT_REJECTION,
	KSF_EVENT_POLICY_CHANGE,
	KSF_EVENT_TIMER_RESULT,
	KSF_EVENT_PEER_CHANGE,
	KSF_EVENT_VERIFY_FAILURE,
	KSF_EVENT_MSG_REFUSED,
	KSF_EVENT_SESSION_UP,
	KSF_EVENT_KEY_REPLACED,
};

/**
 * enum ksf_msg_type - What a blob between instances carries (its header's type
 *   byte; Documentation/channel.rst).
 * @KSF_MSG_TYPE_HANDSHAKE_INIT: The initiator's handshake message (Noise
 *   IKpsk2 message 1).
 * @KSF_MSG_TYPE_HANDSHAKE_RESPONSE: The responder's handshake message (message
 *   2).
 * @KSF_MSG_TYPE_CONFIRM: Sealed under a new session, no body: confirms the
 *   session to its responder (or says nothing more).
 * @KSF_MSG_TYPE_OFFER: Sealed: what the sender will run for the receiver and
 *   what it asks of it (negotiation, msg-negotiate).
 * @KSF_MSG_TYPE_ANSWER: Sealed: the pair policy the receiver of an offer
 *   computed and stored, both directions.
 */
enum ksf_msg_type {
	KSF_MSG_TYPE_HANDSHAKE_INIT = 1,
	KSF_MSG_TYPE_HANDSHAKE_RESPONSE,
	KSF_MSG_TYPE_CONFIRM,
	KSF_MSG_TYPE_OFFER,
	KSF_MSG_TYPE_ANSWER,
};

/**
 * enum ksf_msg_status - What became of a blob handed in with msg-receive.
 * @KSF_MSG_STATUS_ACCEPTED: It authenticated and was processed.
 * @KSF_MSG_STATUS_REFUSED: It was refused before it changed anything; error
 *   and reason say why.
 */
enum ksf_msg_status {
	KSF_MSG_STATUS_ACCEPTED = 1,
	KSF_MSG_STATUS_REFUSED,
};

enum ksf_session_role {
	KSF_SESSION_ROLE_INITIATOR = 1,
	KSF_SESSION_ROLE_RESPONDER,
};

/**
 * enum ksf_session_state - Where a session is in its life.
 * @KSF_SESSION_STATE_UNCONFIRMED: A responder's new session: it opens, and
 *   becomes current when the first blob sealed under it authenticates.
 * @KSF_SESSION_STATE_CURRENT: The session this side seals with.
 * @KSF_SESSION_STATE_PREVIOUS: Replaced by a newer one; still opens until it
 *   expires.
 */
enum ksf_session_state {
	KSF_SESSION_STATE_UNCONFIRMED = 1,
	KSF_SESSION_STATE_CURRENT,
	KSF_SESSION_STATE_PREVIOUS,
};

enum {
	KSF_A_INFO_VERSION = 1,
	KSF_A_INFO_INSTANCE_ID,
	KSF_A_INFO_PEERS,
	KSF_A_INFO_KEYS,
	KSF_A_INFO_CONTEXTS,
	KSF_A_INFO_PEER_SIZE,
	KSF_A_INFO_KEY_SIZE,
	KSF_A_INFO_MEM,
	KSF_A_INFO_PAD,
	KSF_A_INFO_CONTEXT_SIZE,
	KSF_A_INFO_PUBLIC_KEY,
	KSF_A_INFO_KEY_ID,

	__KSF_A_INFO_MAX,
	KSF_A_INFO_MAX = (__KSF_A_INFO_MAX - 1)
};

enum {
	KSF_A_POLICY_SERVICES = 1,
	KSF_A_POLICY_ALGS,
	KSF_A_POLICY_KEY_LEN_MIN,
	KSF_A_POLICY_KEY_LEN_MAX,
	KSF_A_POLICY_LIFETIME_MAX,
	KSF_A_POLICY_BATCH_MAX,
	KSF_A_POLICY_CALLER_RAND,
	KSF_A_POLICY_NOTIFY,
	KSF_A_POLICY_TIMER,
	KSF_A_POLICY_PAD,
	KSF_A_POLICY_MAC_LEN_MIN,
	KSF_A_POLICY_MAC_FCS,
	KSF_A_POLICY_ENCRYPT_FCS,
	KSF_A_POLICY_KEYS_MAX,
	KSF_A_POLICY_CONTEXTS_MAX,
	KSF_A_POLICY_NOTIFY_CLEAR,
	KSF_A_POLICY_TIMER_CLEAR,
	KSF_A_POLICY_CARRY,
	KSF_A_POLICY_ASK_SERVICES,
	KSF_A_POLICY_ASK_ALGS,

	__KSF_A_POLICY_MAX,
	KSF_A_POLICY_MAX = (__KSF_A_POLICY_MAX - 1)
};

enum {
	KSF_A_NOTIFY_PRESET_STATUS = 1,
	KSF_A_NOTIFY_PRESET_ITEM,

	__KSF_A_NOTIFY_PRESET_MAX,
	KSF_A_NOTIFY_PRESET_MAX = (__KSF_A_NOTIFY_PRESET_MAX - 1)
};

enum {
	KSF_A_TIMER_PERIOD = 1,
	KSF_A_TIMER_ITEM,

	__KSF_A_TIMER_MAX,
	KSF_A_TIMER_MAX = (__KSF_A_TIMER_MAX - 1)
};

enum {
	KSF_A_PEER_ID = 1,
	KSF_A_PEER_KIND,
	KSF_A_PEER_UID,
	KSF_A_PEER_GID,
	KSF_A_PEER_POLICY,
	KSF_A_PEER_KEYS,
	KSF_A_PEER_VERIFY_FAILURES,
	KSF_A_PEER_CONTEXTS,
	KSF_A_PEER_PUBLIC_KEY,
	KSF_A_PEER_KEY_ID,
	KSF_A_PEER_SESSION,
	KSF_A_PEER_MSG_REFUSED,
	KSF_A_PEER_PAD,
	KSF_A_PEER_PSK,
	KSF_A_PEER_HANDSHAKE_MARK,
	KSF_A_PEER_RESET_TIMESTAMP,
	KSF_A_PEER_PAIR,

	__KSF_A_PEER_MAX,
	KSF_A_PEER_MAX = (__KSF_A_PEER_MAX - 1)
};

enum {
	KSF_A_PAIR_GENERATION = 1,
	KSF_A_PAIR_WE_RUN,
	KSF_A_PAIR_THEY_RUN,

	__KSF_A_PAIR_MAX,
	KSF_A_PAIR_MAX = (__KSF_A_PAIR_MAX - 1)
};

enum {
	KSF_A_MSG_BODY_OFFER_ID = 1,
	KSF_A_MSG_BODY_GENERATION,
	KSF_A_MSG_BODY_SERVE,
	KSF_A_MSG_BODY_ASK,
	KSF_A_MSG_BODY_OFFERER_RUNS,
	KSF_A_MSG_BODY_ANSWERER_RUNS,
	KSF_A_MSG_BODY_PAD,

	__KSF_A_MSG_BODY_MAX,
	KSF_A_MSG_BODY_MAX = (__KSF_A_MSG_BODY_MAX - 1)
};

enum {
	KSF_A_SESSION_INDEX = 1,
	KSF_A_SESSION_ROLE,
	KSF_A_SESSION_STATE,
	KSF_A_SESSION_AGE,
	KSF_A_SESSION_SENT,
	KSF_A_SESSION_RECEIVED,
	KSF_A_SESSION_PAD,

	__KSF_A_SESSION_MAX,
	KSF_A_SESSION_MAX = (__KSF_A_SESSION_MAX - 1)
};

enum {
	KSF_A_KEY_HANDLE = 1,
	KSF_A_KEY_TYPE,
	KSF_A_KEY_LEN,
	KSF_A_KEY_USAGE,
	KSF_A_KEY_OWNER,
	KSF_A_KEY_PEER,
	KSF_A_KEY_PARENT,
	KSF_A_KEY_CREATED,
	KSF_A_KEY_NOT_AFTER,
	KSF_A_KEY_MAX_AGE,
	KSF_A_KEY_SOURCE,
	KSF_A_KEY_KEYRING_SERIAL,
	KSF_A_KEY_KEYRING_DESC,
	KSF_A_KEY_MATERIAL,
	KSF_A_KEY_USES,
	KSF_A_KEY_PAD,
	KSF_A_KEY_FLAGS,

	__KSF_A_KEY_MAX,
	KSF_A_KEY_MAX = (__KSF_A_KEY_MAX - 1)
};

enum {
	KSF_A_ITEM_SERVICE = 1,
	KSF_A_ITEM_ALG,
	KSF_A_ITEM_KEY,
	KSF_A_ITEM_KEY2,
	KSF_A_ITEM_PEER,
	KSF_A_ITEM_SUBSCRIBER,
	KSF_A_ITEM_CONTEXT,
	KSF_A_ITEM_PAD,
	KSF_A_ITEM_MAC,
	KSF_A_ITEM_KDF,
	KSF_A_ITEM_AEAD,
	KSF_A_ITEM_NAS,
	KSF_A_ITEM_AKA,
	KSF_A_ITEM_SUCI,

	__KSF_A_ITEM_MAX,
	KSF_A_ITEM_MAX = (__KSF_A_ITEM_MAX - 1)
};

enum {
	KSF_A_ITEM_MAC_DATA = 1,
	KSF_A_ITEM_MAC_MAC,
	KSF_A_ITEM_MAC_MAC_LEN,

	__KSF_A_ITEM_MAC_MAX,
	KSF_A_ITEM_MAC_MAX = (__KSF_A_ITEM_MAC_MAX - 1)
};

enum {
	KSF_A_ITEM_KDF_FC = 1,
	KSF_A_ITEM_KDF_PARAM,
	KSF_A_ITEM_KDF_PARAM_KEY,
	KSF_A_ITEM_KDF_OUT_TYPE,
	KSF_A_ITEM_KDF_OUT_LEN,
	KSF_A_ITEM_KDF_OUT_USAGE,
	KSF_A_ITEM_KDF_OUT_MAX_AGE,

	__KSF_A_ITEM_KDF_MAX,
	KSF_A_ITEM_KDF_MAX = (__KSF_A_ITEM_KDF_MAX - 1)
};

enum {
	KSF_A_ITEM_AEAD_DATA = 1,
	KSF_A_ITEM_AEAD_MAC,
	KSF_A_ITEM_AEAD_IV,
	KSF_A_ITEM_AEAD_AAD,

	__KSF_A_ITEM_AEAD_MAX,
	KSF_A_ITEM_AEAD_MAX = (__KSF_A_ITEM_AEAD_MAX - 1)
};

enum {
	KSF_A_ITEM_NAS_DATA = 1,
	KSF_A_ITEM_NAS_MAC,
	KSF_A_ITEM_NAS_COUNT,
	KSF_A_ITEM_NAS_BEARER,
	KSF_A_ITEM_NAS_DIRECTION,
	KSF_A_ITEM_NAS_BITS,
	KSF_A_ITEM_NAS_SEQ,
	KSF_A_ITEM_NAS_INT_ALG,
	KSF_A_ITEM_NAS_ENC_ALG,

	__KSF_A_ITEM_NAS_MAX,
	KSF_A_ITEM_NAS_MAX = (__KSF_A_ITEM_NAS_MAX - 1)
};

enum {
	KSF_A_ITEM_AKA_RAND = 1,
	KSF_A_ITEM_AKA_AUTN,
	KSF_A_ITEM_AKA_AUTS,
	KSF_A_ITEM_AKA_AMF,
	KSF_A_ITEM_AKA_SNN,
	KSF_A_ITEM_AKA_SQN,
	KSF_A_ITEM_AKA_RES,
	KSF_A_ITEM_AKA_PAD,

	__KSF_A_ITEM_AKA_MAX,
	KSF_A_ITEM_AKA_MAX = (__KSF_A_ITEM_AKA_MAX - 1)
};

enum {
	KSF_A_RESULT_INDEX = 1,
	KSF_A_RESULT_STATUS,
	KSF_A_RESULT_ERROR,
	KSF_A_RESULT_REASON,
	KSF_A_RESULT_KEY,
	KSF_A_RESULT_CONTEXT,
	KSF_A_RESULT_PAD,
	KSF_A_RESULT_MAC,
	KSF_A_RESULT_AEAD,
	KSF_A_RESULT_NAS,
	KSF_A_RESULT_AKA,
	KSF_A_RESULT_SUCI,

	__KSF_A_RESULT_MAX,
	KSF_A_RESULT_MAX = (__KSF_A_RESULT_MAX - 1)
};

enum {
	KSF_A_RESULT_MAC_DATA = 1,

	__KSF_A_RESULT_MAC_MAX,
	KSF_A_RESULT_MAC_MAX = (__KSF_A_RESULT_MAC_MAX - 1)
};

enum {
	KSF_A_RESULT_AEAD_DATA = 1,
	KSF_A_RESULT_AEAD_MAC,
	KSF_A_RESULT_AEAD_IV,

	__KSF_A_RESULT_AEAD_MAX,
	KSF_A_RESULT_AEAD_MAX = (__KSF_A_RESULT_AEAD_MAX - 1)
};

enum {
	KSF_A_RESULT_NAS_DATA = 1,
	KSF_A_RESULT_NAS_MAC,
	KSF_A_RESULT_NAS_COUNT,

	__KSF_A_RESULT_NAS_MAX,
	KSF_A_RESULT_NAS_MAX = (__KSF_A_RESULT_NAS_MAX - 1)
};

enum {
	KSF_A_RESULT_AKA_RAND = 1,
	KSF_A_RESULT_AKA_AUTN,
	KSF_A_RESULT_AKA_RES,
	KSF_A_RESULT_AKA_HRES,
	KSF_A_RESULT_AKA_AUTS,
	KSF_A_RESULT_AKA_SQN,
	KSF_A_RESULT_AKA_PAD,

	__KSF_A_RESULT_AKA_MAX,
	KSF_A_RESULT_AKA_MAX = (__KSF_A_RESULT_AKA_MAX - 1)
};

enum {
	KSF_A_CONTEXT_HANDLE = 1,
	KSF_A_CONTEXT_PEER,
	KSF_A_CONTEXT_SUBSCRIBER,
	KSF_A_CONTEXT_CREATED,
	KSF_A_CONTEXT_STATE,
	KSF_A_CONTEXT_SQN_HE,
	KSF_A_CONTEXT_SQN_MS,
	KSF_A_CONTEXT_NAS_INT_ALG,
	KSF_A_CONTEXT_NAS_ENC_ALG,
	KSF_A_CONTEXT_NAS_INT_KEY,
	KSF_A_CONTEXT_NAS_ENC_KEY,
	KSF_A_CONTEXT_NAS_DIRECTION,
	KSF_A_CONTEXT_NAS_TX_COUNT,
	KSF_A_CONTEXT_NAS_RX_COUNT,
	KSF_A_CONTEXT_PAD,
	KSF_A_CONTEXT_NAS_BEARER,

	__KSF_A_CONTEXT_MAX,
	KSF_A_CONTEXT_MAX = (__KSF_A_CONTEXT_MAX - 1)
};

enum {
	KSF_A_REQUEST_ITEM = 1,
	KSF_A_REQUEST_RESULT,
	KSF_A_REQUEST_PEER,
	KSF_A_REQUEST_STATUS,
	KSF_A_REQUEST_KEY,
	KSF_A_REQUEST_NEW_KEY,

	__KSF_A_REQUEST_MAX,
	KSF_A_REQUEST_MAX = (__KSF_A_REQUEST_MAX - 1)
};

enum {
	KSF_A_STATE_KEK_SERIAL = 1,
	KSF_A_STATE_KEK_DESC,
	KSF_A_STATE_CHUNK,
	KSF_A_STATE_END,

	__KSF_A_STATE_MAX,
	KSF_A_STATE_MAX = (__KSF_A_STATE_MAX - 1)
};

enum {
	KSF_A_EVENT_TYPE = 1,
	KSF_A_EVENT_PEER,
	KSF_A_EVENT_KEY,
	KSF_A_EVENT_SERVICE,
	KSF_A_EVENT_REASON,
	KSF_A_EVENT_RESULT,
	KSF_A_EVENT_PAD,
	KSF_A_EVENT_NEW_KEY,

	__KSF_A_EVENT_MAX,
	KSF_A_EVENT_MAX = (__KSF_A_EVENT_MAX - 1)
};

enum {
	KSF_A_MSG_PEER = 1,
	KSF_A_MSG_TYPE,
	KSF_A_MSG_BLOB,

	__KSF_A_MSG_MAX,
	KSF_A_MSG_MAX = (__KSF_A_MSG_MAX - 1)
};

enum {
	KSF_A_OUTCOME_INDEX = 1,
	KSF_A_OUTCOME_STATUS,
	KSF_A_OUTCOME_ERROR,
	KSF_A_OUTCOME_REASON,
	KSF_A_OUTCOME_TYPE,
	KSF_A_OUTCOME_PEER,

	__KSF_A_OUTCOME_MAX,
	KSF_A_OUTCOME_MAX = (__KSF_A_OUTCOME_MAX - 1)
};

enum {
	KSF_A_CHANNEL_PEER = 1,
	KSF_A_CHANNEL_BLOB,
	KSF_A_CHANNEL_MSG,
	KSF_A_CHANNEL_OUTCOME,

	__KSF_A_CHANNEL_MAX,
	KSF_A_CHANNEL_MAX = (__KSF_A_CHANNEL_MAX - 1)
};

enum {
	KSF_A_ITEM_SUCI_DATA = 1,
	KSF_A_ITEM_SUCI_HN_PUB,
	KSF_A_ITEM_SUCI_HN_KEY_ID,
	KSF_A_ITEM_SUCI_EPH_KEY,

	__KSF_A_ITEM_SUCI_MAX,
	KSF_A_ITEM_SUCI_MAX = (__KSF_A_ITEM_SUCI_MAX - 1)
};

enum {
	KSF_A_RESULT_SUCI_DATA = 1,
	KSF_A_RESULT_SUCI_HN_PUB,
	KSF_A_RESULT_SUCI_HN_KEY_ID,

	__KSF_A_RESULT_SUCI_MAX,
	KSF_A_RESULT_SUCI_MAX = (__KSF_A_RESULT_SUCI_MAX - 1)
};

enum {
	KSF_CMD_GET_INFO = 1,
	KSF_CMD_PEER_NEW,
	KSF_CMD_PEER_SET,
	KSF_CMD_PEER_DEL,
	KSF_CMD_PEER_GET,
	KSF_CMD_KEY_NEW,
	KSF_CMD_KEY_DEL,
	KSF_CMD_KEY_GET,
	KSF_CMD_SERVICE_REQUEST,
	KSF_CMD_NOTIFY,
	KSF_CMD_SAVE,
	KSF_CMD_RESTORE,
	KSF_CMD_EVENT,
	KSF_CMD_CONTEXT_NEW,
	KSF_CMD_CONTEXT_DEL,
	KSF_CMD_CONTEXT_GET,
	KSF_CMD_LISTEN,
	KSF_CMD_MSG_HANDSHAKE,
	KSF_CMD_MSG_RECEIVE,
	KSF_CMD_MSG_NEGOTIATE,

	__KSF_CMD_MAX,
	KSF_CMD_MAX = (__KSF_CMD_MAX - 1)
};

#define KSF_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_KSF_H */
