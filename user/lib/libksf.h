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

#define LIBKSF_VERSION "0.3.0"

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
	KSF_NAMES_MSG_TYPE,
	KSF_NAMES_MSG_STATUS,
	KSF_NAMES_SESSION_ROLE,
	KSF_NAMES_SESSION_STATE,
};

/* Name of value v, or NULL when unknown. */
const char *ksf_name(enum ksf_name_table t, uint32_t v);
/* Value of a name (or a decimal/0x number); -EINVAL when unknown. */
int ksf_value(enum ksf_name_table t, const char *name, uint32_t *v);
/*
 * A number as every libksf parser takes it: decimal, or hexadecimal after
 * 0x; a leading zero is not octal, and no sign or space is taken.
 * -EINVAL when s is not such a number or does not fit.
 */
int ksf_parse_u64(const char *s, uint64_t *v);
/*
 * Comma-separated lists of flags (KEY_USAGE, CONTEXT_STATE, KEY_FLAG):
 * the mask is the OR of the flag values.  "none" is 0, "all" every known
 * name; numbers are accepted.
 */
int ksf_mask_parse(enum ksf_name_table t, const char *list, uint64_t *mask);
/* Format a mask as a comma list ("none" for 0); returns snprintf's value. */
int ksf_mask_format(enum ksf_name_table t, uint64_t mask, char *buf,
		    size_t size);
/*
 * Comma-separated lists of enum values (SERVICE, ALG, ...): "none" is the
 * empty list, "all" every known value in order; numbers are accepted.
 * Returns the number of values (writing at most max) or -EINVAL.
 */
int ksf_list_parse(enum ksf_name_table t, const char *list, uint32_t *v,
		   size_t max);
/* Format a list as "a,b,c" ("none" when n is 0); returns snprintf's value. */
int ksf_list_format(enum ksf_name_table t, const uint32_t *v, size_t n,
		    char *buf, size_t size);

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

/*
 * The instance's static X25519 public key, its identity towards other ksf
 * instances (the private key never leaves the kernel).
 */
#define KSF_PUBLIC_KEY_LEN	32
int ksf_get_public_key(struct ksf *h, uint8_t pub[KSF_PUBLIC_KEY_LEN]);
/*
 * The instance's key id: the first 8 bytes of SHA-256("ksf key id" ||
 * public key), big endian; how blob headers name their sender and
 * receiver.
 */
int ksf_get_key_id(struct ksf *h, uint64_t *id);

/* ---- Fields of items and results ------------------------------------------ */

/*
 * Items and results are opaque: their fields are named by their names in
 * the YNL spec (Documentation/netlink/specs/ksf.yaml), as ynl names them:
 * "alg", "key", "key2", "subscriber", "context", "peer" for every service,
 * then the fields of the service's family ("data", "mac", "fc", "param",
 * "rand", ...), which the library puts into the family's nest.  A new
 * service or field is a new name, never a new symbol or struct layout.
 */
enum ksf_kind {
	KSF_KIND_U8 = 1,
	KSF_KIND_U32,
	KSF_KIND_S32,
	KSF_KIND_U64,
	KSF_KIND_STRING,
	KSF_KIND_BINARY,
};

/* A field: its description, and its value when read from an item or result. */
struct ksf_field {
	const char *name;	/* spec name, e.g. "out-usage" */
	int kind;		/* enum ksf_kind */
	int names;		/* enum ksf_name_table + 1 of an enum or flags field, else 0 */
	int multi;		/* the field may repeat ("param", "param-key") */
	uint64_t u;		/* U8, U32, S32 (sign-extended), U64 */
	const void *ptr;	/* STRING (NUL-terminated) or BINARY; NULL otherwise */
	size_t len;		/* BINARY length, STRING length without the NUL */
};

/*
 * The i-th field an item of service s may carry (the common fields first,
 * then its family's), with u/ptr/len zero: what a CLI's grammar or a
 * completion is built from.  -ENOENT past the last field, -EINVAL for an
 * unknown service.
 */
int ksf_item_field_info(uint32_t service, size_t i, struct ksf_field *f);

/* ---- Service items (requests, notify presets, timers) -------------------- */

struct ksf_item;	/* one service item */
struct ksf_items;	/* an ordered list of items: a request, a preset, a timer */

struct ksf_items *ksf_items_new(void);
void ksf_items_free(struct ksf_items *l);	/* and its items; NULL is fine */
size_t ksf_items_count(const struct ksf_items *l);
/* Append an item of service s; NULL with errno (EINVAL: unknown service). */
struct ksf_item *ksf_items_add(struct ksf_items *l, uint32_t service);
struct ksf_item *ksf_items_get(const struct ksf_items *l, size_t i);

uint32_t ksf_item_service(const struct ksf_item *it);
/*
 * Set a field.  -EINVAL when the service's family has no field of that
 * name (a field of the family that this service ignores is refused by
 * the kernel, with its reason) or the kind differs (set_u32 sets U8 and U32 fields, range-checked);
 * ksf_last_error(NULL) says which.  Setting a field again replaces it,
 * except a multi field ("param", "param-key"), which is appended: their
 * order is kept, param-key standing among the params where it was added.
 * Strings and binaries are copied; binaries are wiped when freed.
 */
int ksf_item_set_u32(struct ksf_item *it, const char *field, uint32_t v);
int ksf_item_set_u64(struct ksf_item *it, const char *field, uint64_t v);
int ksf_item_set_str(struct ksf_item *it, const char *field, const char *s);
int ksf_item_set_bin(struct ksf_item *it, const char *field, const void *p,
		     size_t n);
/* Remove every value of a field (not an error when it has none). */
void ksf_item_unset(struct ksf_item *it, const char *field);
/* The i-th field set on the item, in order; -ENOENT past the last one. */
int ksf_item_field(const struct ksf_item *it, size_t i, struct ksf_field *f);

/* ---- Results ---------------------------------------------------------------- */

struct ksf_result;	/* one result */
struct ksf_results;	/* the results of a request, a notify or an event */

size_t ksf_results_count(const struct ksf_results *r);
const struct ksf_result *ksf_results_get(const struct ksf_results *r,
					 size_t i);
void ksf_results_free(struct ksf_results *r);	/* NULL is fine */

uint32_t ksf_result_index(const struct ksf_result *r);
uint32_t ksf_result_status(const struct ksf_result *r);	/* KSF_STATUS_* */
int32_t ksf_result_error(const struct ksf_result *r);	/* -errno or 0 */
const char *ksf_result_reason(const struct ksf_result *r);	/* NULL: none */
/*
 * Outputs, by name ("key", "context", then the family's: "data", "mac",
 * "iv", "rand", "autn", "res", "hres", "auts", "sqn", "count").  0, or
 * -ENOENT when the result does not carry the field.  Binary pointers
 * live as long as the results.
 */
int ksf_result_get_u32(const struct ksf_result *r, const char *field,
		       uint32_t *v);
int ksf_result_get_u64(const struct ksf_result *r, const char *field,
		       uint64_t *v);
int ksf_result_get_bin(const struct ksf_result *r, const char *field,
		       const void **p, size_t *n);
/* The i-th output the result carries, in wire order; -ENOENT past the last. */
int ksf_result_field(const struct ksf_result *r, size_t i,
		     struct ksf_field *f);

/* ---- Policies ------------------------------------------------------------- */

struct ksf_policy;	/* opaque: fields are named by their spec names */

struct ksf_policy *ksf_policy_new(void);
void ksf_policy_free(struct ksf_policy *p);	/* NULL is fine */
/*
 * Scalar fields: "key-len-min", "key-len-max", "lifetime-max",
 * "batch-max", "caller-rand", "mac-len-min", "keys-max", "contexts-max".
 * Get: 0, or -ENOENT when the policy does not carry the field.
 */
int ksf_policy_set_u32(struct ksf_policy *p, const char *field, uint32_t v);
int ksf_policy_get_u32(const struct ksf_policy *p, const char *field,
		       uint32_t *v);
/*
 * Lists of enum values: "services" (enum ksf_service), "algs" (enum
 * ksf_alg); for a ksf peer also "ask-services" and "ask-algs", what it
 * is asked to run for us in a negotiation.  n may be 0 (an empty list is
 * present: nothing allowed).
 * Get returns the number of values (writing at most max) or -ENOENT.
 */
int ksf_policy_set_list(struct ksf_policy *p, const char *field,
			const uint32_t *v, size_t n);
int ksf_policy_get_list(const struct ksf_policy *p, const char *field,
			uint32_t *v, size_t max);
/* FC maps: "mac-fcs", "encrypt-fcs": 32 bytes, bit fc of the map. */
int ksf_policy_set_bin(struct ksf_policy *p, const char *field,
		       const void *b, size_t n);
int ksf_policy_get_bin(const struct ksf_policy *p, const char *field,
		       const void **b, size_t *n);
/*
 * Strings: "carry", the ksf peers an nf peer may carry blobs for, their
 * IDs separated by commas ("" clears it in ksf_peer_set()).  get: the
 * policy's own copy, valid until it is freed.
 */
int ksf_policy_set_str(struct ksf_policy *p, const char *field,
		       const char *s);
int ksf_policy_get_str(const struct ksf_policy *p, const char *field,
		       const char **s);
/*
 * Triggers: lists of items the kernel runs for the peer on a notify
 * status (KSF_NOTIFY_STATUS_*) or every period (milliseconds).  add takes
 * ownership of items (also on error).  clear empties the list and, in
 * ksf_peer_set(), removes every preset (timer) of the peer.  get: -ENOENT
 * past the last one.
 */
enum ksf_trigger {
	KSF_TRIGGER_NOTIFY = 1,		/* key: a notify status */
	KSF_TRIGGER_TIMER,		/* key: a period in ms */
};

int ksf_policy_add_trigger(struct ksf_policy *p, enum ksf_trigger t,
			   uint32_t key, struct ksf_items *items);
int ksf_policy_clear_triggers(struct ksf_policy *p, enum ksf_trigger t);
size_t ksf_policy_trigger_count(const struct ksf_policy *p,
				enum ksf_trigger t);
int ksf_policy_trigger(const struct ksf_policy *p, enum ksf_trigger t,
		       size_t i, uint32_t *key, const struct ksf_items **items);

/* ---- Peers ------------------------------------------------------------------ */

struct ksf_peer {
	char id[KSF_PEER_ID_LEN + 1];
	uint32_t kind;		/* enum ksf_peer_kind */
	bool has_uid, has_gid, has_keys;
	uint32_t uid;
	uint32_t gid;
	struct ksf_policy *policy;	/* NULL: none (ksf_peer_clear frees a got one) */
	uint32_t keys;		/* number of keys owned (get only) */
	uint32_t contexts;	/* number of contexts owned (get only) */
	uint32_t verify_failures;	/* failed verifications (get only) */
	void *_priv;		/* private: allocations of a decoded peer */
};

/*
 * A ksf peer's public key (the remote instance's identity), kept behind
 * _priv: a peer given one, or got with one, is released with
 * ksf_peer_clear().  ksf_peer_new() sends it; ksf_peer_set() does not (it
 * is fixed for the peer's life).  get: -ENOENT when the peer has none.
 */
int ksf_peer_set_public_key(struct ksf_peer *peer,
			    const uint8_t pub[KSF_PUBLIC_KEY_LEN]);
int ksf_peer_public_key(const struct ksf_peer *peer,
			uint8_t pub[KSF_PUBLIC_KEY_LEN]);

/*
 * A ksf peer's pre-shared key: the handle of a key of type psk (32
 * bytes) mixed into every handshake with that instance, which must use
 * the same bytes.  Behind _priv too.  set: sent by the next
 * ksf_peer_new() or ksf_peer_set() (0 removes it; a peer got and set
 * back leaves it as it is).  get: -ENOENT when the peer has none.
 */
int ksf_peer_set_psk(struct ksf_peer *peer, uint64_t handle);
int ksf_peer_psk(const struct ksf_peer *peer, uint64_t *handle);
/*
 * Forget the greatest handshake timestamp accepted from ksf peer @id,
 * after its clock stepped back (its handshakes are refused as replayed
 * until then).  Admin.
 */
int ksf_peer_reset_timestamp(struct ksf *h, const char *id);

/*
 * A ksf peer's channel, as the kernel shows it to an admin (get only),
 * kept behind _priv too: its key id (-ENOENT when it has none), the
 * number of its blobs refused, and its sessions (at most three, newest
 * first; -ENOENT past the last).
 */
struct ksf_session_info {
	uint32_t index;		/* this side's index of the session */
	uint32_t role;		/* enum ksf_session_role */
	uint32_t state;		/* enum ksf_session_state */
	uint32_t age;		/* seconds since its handshake */
	uint64_t sent;		/* blobs sealed under it */
	uint64_t received;	/* blobs opened under it */
};

int ksf_peer_key_id(const struct ksf_peer *p, uint64_t *id);
uint32_t ksf_peer_msg_refused(const struct ksf_peer *p);
size_t ksf_peer_session_count(const struct ksf_peer *p);
int ksf_peer_session(const struct ksf_peer *p, size_t i,
		     struct ksf_session_info *si);
/*
 * A ksf peer's pair policy, as the last negotiation stored it: its
 * generation, what we run for the peer and what it runs for us (policies
 * of services, algs, key-len-min/max, lifetime-max, batch-max and
 * caller-rand, valid until ksf_peer_clear()).  -ENOENT: never negotiated.
 */
int ksf_peer_pair(const struct ksf_peer *p, uint32_t *generation,
		  const struct ksf_policy **we_run,
		  const struct ksf_policy **they_run);

/* Create a peer: id, kind, uid/gid (if has_), policy (if non-NULL). */
int ksf_peer_new(struct ksf *h, const struct ksf_peer *peer);
/* Change a peer: id, uid/gid (if has_), the policy fields it carries. */
int ksf_peer_set(struct ksf *h, const struct ksf_peer *peer);
int ksf_peer_del(struct ksf *h, const char *id);
/* Get one peer; its policy is allocated: release it with ksf_peer_clear(). */
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
	uint8_t nas_bearer;	/* BEARER: NAS connection identifier, 1 or 2 */
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
 * Run the items (1..KSF_BATCH_MAX) as the peer bound to the caller's
 * credentials.  On success *res receives the results, in the order
 * received (ksf_result_index() says which item), and their number is
 * returned; free them with ksf_results_free() even when an item failed.
 * Nothing to free on a negative return.
 */
int ksf_service_request(struct ksf *h, const struct ksf_items *items,
			struct ksf_results **res);

/*
 * Report a status change (subject: e.g. a SUPI, may be NULL).  Runs the
 * preset list of the caller's policy; *res (res may be NULL) receives the
 * results, whose number is returned.
 */
int ksf_notify(struct ksf *h, const char *subject, uint32_t status,
	       struct ksf_results **res);

/*
 * notify key-replace: the key @old_key now holds the key @new_key (same type,
 * length and usage family; the caller's nf peer owns both, or the caller
 * has CAP_NET_ADMIN), and @new_key's handle is retired.  A lookup of @old_key
 * never fails meanwhile.  0 or a negative errno (ksf_last_error() says
 * why); a refusal changes nothing.  Since KSF_1.4.
 */
int ksf_notify_key_replace(struct ksf *h, uint64_t old_key,
			   uint64_t new_key);

/* ---- Channel between instances ------------------------------------------- */

/*
 * Blobs to carry to other ksf instances, as a reply gives them: each for
 * a ksf peer, of a type (enum ksf_msg_type), its bytes.  get: any output
 * pointer may be NULL; pointers live as long as the list; -ENOENT past
 * the last one.
 */
struct ksf_msgs;

size_t ksf_msgs_count(const struct ksf_msgs *l);	/* NULL: 0 */
int ksf_msgs_get(const struct ksf_msgs *l, size_t i, const char **peer,
		 uint32_t *type, const uint8_t **blob, size_t *len);
void ksf_msgs_free(struct ksf_msgs *l);	/* NULL is fine */

/*
 * Start a handshake with a ksf peer (admin): *out (out may be NULL)
 * receives the handshake-init blob to carry to it.
 */
int ksf_msg_handshake(struct ksf *h, const char *peer, struct ksf_msgs **out);
/*
 * Offer a ksf peer the pair policy (admin; needs a session): *out gets the
 * sealed offer to carry, and a handshake-init too when the session is due
 * for a rekey.  The answer, handed in with ksf_msg_receive(), stores the
 * pair at this end (it is stored at the other when it answers).
 */
int ksf_msg_negotiate(struct ksf *h, const char *peer, struct ksf_msgs **out);

/* What became of one blob handed in. */
struct ksf_msg_outcome {
	uint32_t status;	/* enum ksf_msg_status */
	int32_t error;		/* -errno of a refusal, else 0 */
	uint32_t type;		/* enum ksf_msg_type, 0 before the header parsed */
	char peer[KSF_PEER_ID_LEN + 1];	/* its sender, "" before it was known */
	char reason[128];	/* why it was refused, "" when accepted */
};

/*
 * Hand in n (1..KSF_MSG_BATCH_MAX) blobs from other instances (admin):
 * oc[0..n-1] receive their outcomes, in order, and *out (out may be
 * NULL) the blobs they call for (a handshake-response, a confirm), maybe
 * none.  Returns 0 when the kernel replied, even if some blobs were
 * refused; when every blob is refused (nothing changed), the first
 * one's negative errno with ksf_last_error() its reason (oc still holds
 * every outcome; *out is NULL).
 */
int ksf_msg_receive(struct ksf *h, const void *const *blobs,
		    const size_t *lens, size_t n, struct ksf_msg_outcome *oc,
		    struct ksf_msgs **out);

/*
 * The clear header of a blob (Documentation/channel.rst), read here
 * without the kernel (for a relay that routes by the receiver's key id):
 * "KSFC", version, type, reserved, length (be32), sender and receiver
 * key ids (be64).  -EBADMSG: no magic, shorter than the header or a
 * length that is not len; -EPROTO: a version other than 1 or reserved
 * bits set; -EMSGSIZE: longer than KSF_MSG_MAX.  The type is not checked.
 */
#define KSF_MSG_HEADER_LEN	28
struct ksf_msg_header {
	uint8_t version;
	uint8_t type;		/* enum ksf_msg_type */
	uint32_t length;
	uint64_t sender;	/* key id of the sending instance */
	uint64_t receiver;	/* key id of the receiving instance */
};

int ksf_msg_peek(const void *blob, size_t len, struct ksf_msg_header *hd);

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
	const struct ksf_results *results;	/* NULL when absent */
};

/*
 * key-replaced: the retired handle (the event's key holds the new key
 * now); 0 for other events.  Only for the event a ksf_event_cb is handed
 * (not a copy of it).  Since KSF_1.4.
 */
uint64_t ksf_event_new_key(const struct ksf_event_msg *ev);

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
