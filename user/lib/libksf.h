/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libksf: C API of the ksf (kernel security function) Generic Netlink
 * family.  One call per netlink command; see libksf(3).
 *
 * Conventions
 *  - Every call returning int returns 0 (or a count) on success and a
 *    negative errno on failure.  ksf_last_error() then returns the
 *    kernel's extended-ack message (or a library message) for the last
 *    failed call of the calling thread.
 *  - A handle (struct ksf) may be shared by threads: every call takes the
 *    handle's mutex for the duration of its netlink exchange.
 *  - Optional integer fields are sent only when non-zero, unless a has_
 *    flag says otherwise; optional pointers are sent only when non-NULL.
 *  - Key material never comes back from the kernel.  Material passed to
 *    ksf_key_new() is copied into the request, which the library wipes
 *    (explicit_bzero) after sending; wiping the caller's copy is the
 *    caller's job.
 */
#ifndef LIBKSF_H
#define LIBKSF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/ksf.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LIBKSF_VERSION "0.2.0"

struct ksf;

/* A byte string: ptr may be NULL only when size is 0 (attribute omitted). */
struct ksf_buf {
	const void *ptr;
	size_t size;
};

/* ---- Handles and errors ------------------------------------------------ */

/*
 * Open a Generic Netlink socket, resolve the "ksf" family (once) and
 * enable extended acks.  Returns NULL with errno set (ENOENT: the ksf
 * module is not loaded in this kernel / network namespace).
 */
struct ksf *ksf_open(void);
void ksf_close(struct ksf *h);

/*
 * Message of the last failed call made by the calling thread (kernel
 * extack text if the kernel gave one, else a library message or
 * strerror()).  Never NULL; "" when there is nothing to say.  h may be
 * NULL (e.g. after ksf_open() failed).
 */
const char *ksf_last_error(const struct ksf *h);

/*
 * Offset of the offending attribute in the last failed request
 * (NLMSGERR_ATTR_OFFS) and, when the kernel reported a missing
 * attribute, its type; -1 when not reported.
 */
int ksf_last_error_offset(const struct ksf *h);
int ksf_last_error_missing(const struct ksf *h);

/* Family ID and version the kernel reported; events multicast group ID. */
int ksf_family_id(const struct ksf *h);
int ksf_family_version(const struct ksf *h);

/* ---- Names of enum values (spec names, e.g. "mac-generate") ------------- */

enum ksf_name_table {
	KSF_NAMES_PEER_KIND,
	KSF_NAMES_KEY_TYPE,
	KSF_NAMES_KEY_USAGE,	/* bit values: 1 << n */
	KSF_NAMES_KEY_SOURCE,
	KSF_NAMES_SERVICE,
	KSF_NAMES_ALG,
	KSF_NAMES_STATUS,
	KSF_NAMES_NOTIFY_STATUS,
	KSF_NAMES_EVENT,
	KSF_NAMES_CONTEXT_STATE,	/* bit values: 1 << n */
	KSF_NAMES_KEY_FLAG,	/* bit values: 1 << n */
};

/* Name of value v, or NULL when unknown. */
const char *ksf_name(enum ksf_name_table t, uint32_t v);
/* Value of a name (or a decimal/0x number); -EINVAL when unknown. */
int ksf_value(enum ksf_name_table t, const char *name, uint32_t *v);
/*
 * Comma-separated lists.  For KEY_USAGE and CONTEXT_STATE the mask is the
 * OR of the flag values; for SERVICE and ALG it is the OR of (1 << value) as the policy
 * masks use.  "none" is 0, "all" every known name; numbers are accepted.
 */
int ksf_mask_parse(enum ksf_name_table t, const char *list, uint64_t *mask);
/* Format a mask as a comma list ("none" for 0); returns snprintf's value. */
int ksf_mask_format(enum ksf_name_table t, uint64_t mask, char *buf,
		    size_t size);

/* ---- GET_INFO ----------------------------------------------------------- */

struct ksf_info {
	char version[32];
	uint64_t instance_id;
	uint32_t peers;
	uint32_t keys;
	uint32_t contexts;
	uint32_t peer_size;
	uint32_t key_size;
	uint64_t mem;
	uint32_t context_size;	/* per context, without subscriber and state */
};

int ksf_get_info(struct ksf *h, struct ksf_info *info);

/* ---- Service items (requests, notify presets, timers) -------------------- */

struct ksf_item {
	uint32_t service;	/* enum ksf_service (required) */
	uint32_t alg;		/* enum ksf_alg */
	uint64_t key;		/* key handle */
	const char *peer;	/* counterpart peer ID */
	struct ksf_buf data;	/* message, plaintext or ciphertext */
	struct ksf_buf mac;	/* tag to verify / GCM tag to check */
	uint32_t mac_len;	/* length of a generated tag (truncation) */
	struct ksf_buf iv;	/* GCM IV (12 bytes) */
	struct ksf_buf aad;	/* GCM additional authenticated data */
	bool has_fc;
	uint8_t fc;		/* KDF function code */
	const struct ksf_buf *params;	/* KDF P0..Pn */
	/*
	 * If non-NULL, n_params handles: where param_keys[i] != 0, Pi is the
	 * key with that handle (its bytes never leave the kernel) and
	 * params[i] is ignored.
	 */
	const uint64_t *param_keys;
	size_t n_params;
	uint32_t out_type;	/* enum ksf_key_type of a derived key */
	uint32_t out_len;
	uint32_t out_usage;	/* enum ksf_key_usage flags */
	uint32_t out_max_age;
	/* NAS (nas-*) and 5G AKA (aka-*) services */
	uint64_t key2;		/* second key handle (OPc for Milenage) */
	bool has_count, has_bearer, has_direction, has_sqn;
	uint32_t count;		/* NAS COUNT */
	uint8_t bearer;		/* 5 bits */
	uint8_t direction;	/* 0 uplink, 1 downlink */
	uint32_t bits;		/* message LENGTH in bits (0: omitted) */
	struct ksf_buf rand;	/* 16 bytes */
	struct ksf_buf autn;	/* 16 bytes */
	struct ksf_buf auts;	/* 14 bytes */
	struct ksf_buf amf;	/* 2 bytes */
	const char *snn;	/* serving network name */
	uint64_t sqn;
	/* contexts: AKA SQN state, NAS security contexts (nas-context ...) */
	const char *subscriber;	/* whose context of the caller (AKA: required) */
	uint64_t context;	/* context handle (nas-protect, nas-unprotect) */
	bool has_seq;
	uint8_t seq;		/* NAS sequence number received (nas-unprotect) */
	uint32_t int_alg;	/* NAS integrity alg of a new context (nia1..3) */
	uint32_t enc_alg;	/* NAS ciphering alg of a new context (nea0..3) */
};

/*
 * One result.  Buffers (reason, data, mac, iv) live in one block owned
 * by the result array: release it with ksf_results_free().
 */
struct ksf_result {
	uint32_t index;
	uint32_t status;	/* KSF_STATUS_OK / _REJECTED / _ERROR */
	int32_t error;		/* negative errno when status is error */
	const char *reason;	/* NULL when none */
	struct ksf_buf data;	/* tag, ciphertext, plaintext or HRES* */
	struct ksf_buf mac;	/* GCM tag of an encryption, NAS MAC */
	struct ksf_buf iv;	/* GCM IV of an encryption */
	uint64_t key;		/* handle of a key the service created */
	/* 5G AKA outputs */
	struct ksf_buf rand, autn;	/* of an authentication vector */
	struct ksf_buf res;	/* XRES* (aka-vector) or RES* (aka-response) */
	struct ksf_buf hres;	/* HXRES* (aka-vector) */
	struct ksf_buf auts;	/* of a synchronisation failure */
	bool has_sqn;
	uint64_t sqn;		/* SQN used (aka-vector) or restored (aka-resync) */
	uint64_t context;	/* context used or created (0: none) */
	bool has_count;
	uint32_t count;		/* NAS COUNT of a protected or accepted message */
	void *_block;		/* private */
};

/* ---- Peers and policies ------------------------------------------------- */

struct ksf_notify_preset {
	uint32_t status;	/* enum ksf_notify_status */
	struct ksf_item *items;
	size_t n_items;
};

struct ksf_timer {
	uint32_t period;	/* milliseconds, >= 100 */
	struct ksf_item *items;
	size_t n_items;
};

/* Which policy fields are present (sent / received). */
enum {
	KSF_POLICY_SERVICES = 1 << 0,
	KSF_POLICY_ALGS = 1 << 1,
	KSF_POLICY_KEY_LEN_MIN = 1 << 2,
	KSF_POLICY_KEY_LEN_MAX = 1 << 3,
	KSF_POLICY_LIFETIME_MAX = 1 << 4,
	KSF_POLICY_BATCH_MAX = 1 << 5,
	KSF_POLICY_CALLER_RAND = 1 << 6,
	KSF_POLICY_NOTIFY = 1 << 7,	/* notify[] (may be empty) */
	KSF_POLICY_TIMER = 1 << 8,	/* timers[] (may be empty) */
	KSF_POLICY_MAC_LEN_MIN = 1 << 9,
	KSF_POLICY_MAC_FCS = 1 << 10,
	KSF_POLICY_ENCRYPT_FCS = 1 << 11,
	KSF_POLICY_KEYS_MAX = 1 << 12,
	KSF_POLICY_CONTEXTS_MAX = 1 << 13,
};

struct ksf_policy {
	uint32_t fields;	/* KSF_POLICY_* present */
	uint64_t services;	/* bit (1 << enum ksf_service) */
	uint64_t algs;		/* bit (1 << enum ksf_alg) */
	uint32_t key_len_min;
	uint32_t key_len_max;
	uint32_t lifetime_max;
	uint32_t batch_max;
	uint8_t caller_rand;
	struct ksf_notify_preset *notify;
	size_t n_notify;
	struct ksf_timer *timers;
	size_t n_timers;
	uint32_t mac_len_min;	/* shortest tag mac-verify takes; 0: full */
	uint8_t mac_fcs[32];	/* KDF FCs giving MAC keys: bit fc */
	uint8_t encrypt_fcs[32];	/* KDF FCs giving encryption keys */
	uint32_t keys_max;	/* keys the peer's requests may create */
	uint32_t contexts_max;	/* contexts the peer's requests may create */
};

struct ksf_peer {
	char id[KSF_PEER_ID_LEN + 1];
	uint32_t kind;		/* enum ksf_peer_kind */
	bool has_uid, has_gid, has_policy, has_keys;
	uint32_t uid;
	uint32_t gid;
	struct ksf_policy policy;
	uint32_t keys;		/* number of keys owned (get only) */
	uint32_t contexts;	/* number of contexts owned (get only) */
	uint32_t verify_failures;	/* failed verifications (get only) */
	void *_priv;		/* private: allocations of a decoded peer */
};

/* Create a peer: id, kind, uid/gid (if has_), policy (if has_policy). */
int ksf_peer_new(struct ksf *h, const struct ksf_peer *peer);
/* Change a peer: id, uid/gid (if has_), policy (if has_policy). */
int ksf_peer_set(struct ksf *h, const struct ksf_peer *peer);
int ksf_peer_del(struct ksf *h, const char *id);
/*
 * Get one peer.  The policy's notify/timer arrays are allocated: release
 * them with ksf_peer_clear().
 */
int ksf_peer_get(struct ksf *h, const char *id, struct ksf_peer *peer);
void ksf_peer_clear(struct ksf_peer *peer);

/*
 * Dump all peers; cb is called for each, with a peer valid only during
 * the call.  A non-zero return of cb stops the callbacks (the dump is
 * still drained) and is returned.  Returns 0 or a negative errno;
 * -EINTR when the kernel flagged the dump as interrupted by a change.
 */
typedef int (*ksf_peer_cb)(const struct ksf_peer *peer, void *arg);
int ksf_peer_dump(struct ksf *h, ksf_peer_cb cb, void *arg);

/* ---- Keys ---------------------------------------------------------------- */

struct ksf_key_spec {
	uint32_t type;		/* enum ksf_key_type */
	uint32_t len;		/* bytes */
	uint32_t usage;		/* enum ksf_key_usage flags */
	const char *owner;	/* owning peer ID */
	const char *const *peers;	/* other peers allowed to use it */
	size_t n_peers;
	uint64_t not_after;	/* absolute expiry, epoch seconds */
	uint32_t max_age;	/* seconds */
	bool has_keyring_serial;
	int32_t keyring_serial;	/* import from this keyring key */
	const char *keyring_desc;	/* or from a logon key with this description */
	struct ksf_buf material;	/* or import these bytes (write-only) */
};

/*
 * Create a key: generated in the kernel when no keyring and no material
 * is given.  *handle receives the new handle.
 */
int ksf_key_new(struct ksf *h, const struct ksf_key_spec *spec,
		uint64_t *handle);
int ksf_key_del(struct ksf *h, uint64_t handle);

struct ksf_key {
	uint64_t handle;
	uint32_t type;
	uint32_t len;
	uint32_t usage;
	char owner[KSF_PEER_ID_LEN + 1];
	char **peers;		/* NUL-terminated strings */
	size_t n_peers;
	uint64_t parent;
	uint64_t created;
	uint64_t not_after;
	uint32_t max_age;
	uint32_t source;	/* enum ksf_key_source */
	uint64_t uses;
	uint32_t flags;		/* enum ksf_key_flag flags (get only) */
};

/* Get a key's metadata; release its peers[] with ksf_key_clear(). */
int ksf_key_get(struct ksf *h, uint64_t handle, struct ksf_key *key);
void ksf_key_clear(struct ksf_key *key);

/* Dump all keys (key valid only during the callback; see ksf_peer_dump). */
typedef int (*ksf_key_cb)(const struct ksf_key *key, void *arg);
int ksf_key_dump(struct ksf *h, ksf_key_cb cb, void *arg);

/* ---- Contexts ------------------------------------------------------------ */

/*
 * A context holds the procedure state of one peer for one subscriber
 * (AKA SQN, NAS security context).  Services create contexts on first
 * use; an administrator may create one beforehand, e.g. to carry the
 * subscriber's SQN over from another UDM.
 */
struct ksf_context_spec {
	const char *peer;	/* owning peer ID (required) */
	const char *subscriber;	/* subscriber ID (required) */
	bool has_sqn_he;
	uint64_t sqn_he;	/* initial SQN in the home environment */
};

/* Create a context; *handle receives its handle. */
int ksf_context_new(struct ksf *h, const struct ksf_context_spec *spec,
		    uint64_t *handle);
/* Delete a context (its NAS keys are destroyed with it). */
int ksf_context_del(struct ksf *h, uint64_t handle);

struct ksf_context {
	uint64_t handle;
	char peer[KSF_PEER_ID_LEN + 1];
	char subscriber[KSF_PEER_ID_LEN + 1];
	uint64_t created;	/* epoch seconds */
	uint32_t state;		/* KSF_CONTEXT_STATE_* flags */
	/* NAS security context: valid when state has KSF_CONTEXT_STATE_NAS */
	uint32_t nas_int_alg;	/* enum ksf_alg */
	uint32_t nas_enc_alg;	/* enum ksf_alg */
	uint64_t nas_int_key;	/* handle of K_NASint */
	uint64_t nas_enc_key;	/* handle of K_NASenc (0 with nea0) */
	uint8_t nas_direction;	/* direction this side sends */
	uint32_t nas_tx_count;	/* next COUNT this side sends with */
	uint32_t nas_rx_count;	/* lowest COUNT this side still accepts */
};

/* Get one context by handle, or by owning peer and subscriber. */
int ksf_context_get(struct ksf *h, uint64_t handle, struct ksf_context *ctx);
int ksf_context_get_by_subscriber(struct ksf *h, const char *peer,
				  const char *subscriber,
				  struct ksf_context *ctx);

/* Dump all contexts (ctx valid only during the callback; see ksf_peer_dump). */
typedef int (*ksf_context_cb)(const struct ksf_context *ctx, void *arg);
int ksf_context_dump(struct ksf *h, ksf_context_cb cb, void *arg);

/* ---- Services ------------------------------------------------------------ */

/*
 * Run n items (1..KSF_BATCH_MAX) as the peer bound to the caller's
 * credentials.  results must have room for n entries; on success it
 * holds the kernel's results in the order received (result.index says
 * which item) and the number of results is returned.  Release the
 * buffers with ksf_results_free(results, returned count) even when an
 * individual item failed; nothing needs freeing on a negative return.
 */
int ksf_service_request(struct ksf *h, const struct ksf_item *items,
			size_t n, struct ksf_result *results);
void ksf_results_free(struct ksf_result *results, size_t n);

/*
 * Report a status change (peer: subject, e.g. SUPI, may be NULL).  Runs
 * the preset list of the caller's policy; results (may be NULL when
 * max_results is 0) receive up to max_results results, the return value
 * being their number.  Release them with ksf_results_free().
 */
int ksf_notify(struct ksf *h, const char *peer, uint32_t status,
	       struct ksf_result *results, size_t max_results);

/* ---- Persistence ------------------------------------------------------------ */

/*
 * The key-encryption key, from the kernel keyring: a key by serial
 * (logon, user, encrypted or trusted; 32 bytes) when serial is non-zero,
 * else the logon key with description desc.
 */
struct ksf_kek {
	int32_t serial;
	const char *desc;
};

/*
 * Save the whole instance (peers, policies, keys, contexts) sealed with
 * AES-256-GCM under the KEK.  *blob receives a malloc'd buffer (free() it)
 * of *size bytes: opaque, useless without the KEK, safe to store.
 */
int ksf_save(struct ksf *h, const struct ksf_kek *kek, void **blob,
	     size_t *size);
/*
 * Rebuild a saved instance into this (empty) instance: several requests
 * for a large state; on any error the kernel undoes the whole restore.
 */
int ksf_restore(struct ksf *h, const struct ksf_kek *kek, const void *blob,
		size_t size);

/* ---- Events ---------------------------------------------------------------- */

struct ksf_event_msg {
	uint32_t type;		/* enum ksf_event */
	const char *peer;	/* NULL when absent */
	uint64_t key;		/* 0 when absent */
	uint32_t service;	/* 0 when absent */
	const char *reason;	/* NULL when absent */
	struct ksf_result *results;
	size_t n_results;
};

/* Event valid only during the callback; non-zero stops ksf_monitor(). */
typedef int (*ksf_event_cb)(const struct ksf_event_msg *ev, void *arg);

/*
 * Subscribe to the events multicast group (a second socket of the
 * handle) and return its file descriptor, for poll().
 */
int ksf_monitor_fd(struct ksf *h);
/*
 * Read and dispatch the events waiting on the events socket without
 * blocking.  Returns the callback's non-zero value, 0 when no event is
 * left, or a negative errno (-ENOBUFS: events were lost, the socket
 * stays usable).
 */
int ksf_monitor_dispatch(struct ksf *h, ksf_event_cb cb, void *arg);
/* Block and dispatch events until cb returns non-zero or an error. */
int ksf_monitor(struct ksf *h, ksf_event_cb cb, void *arg);
/*
 * As the nf peer bound to the caller's credentials: have the handle's
 * events socket receive that peer's own timer results (instead of
 * joining the events group, which needs CAP_NET_ADMIN); then read them
 * with ksf_monitor(), ksf_monitor_fd() and ksf_monitor_dispatch().
 */
int ksf_listen(struct ksf *h);

#ifdef __cplusplus
}
#endif

#endif /* LIBKSF_H */
