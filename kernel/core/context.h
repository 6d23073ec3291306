/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Contexts: the procedure state of one peer for one subscriber.
 */
#ifndef _KSF_CORE_CONTEXT_H
#define _KSF_CORE_CONTEXT_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rhashtable-types.h>
#include <linux/refcount.h>
#include <linux/time64.h>

struct ksf_key;
struct ksf_net;
struct ksf_peer;
struct ksf_sqn_ms;

/* A NAS security context (TS 33.501 6.7), part of a subscriber context. */
struct ksf_nas_ctx {
	struct rcu_head rcu;
	struct ksf_key *int_key;	/* K_NASint (a reference) */
	struct ksf_key *enc_key;	/* K_NASenc, NULL with NEA0 */
	u32 int_alg;			/* KSF_ALG_NIA* */
	u32 enc_alg;			/* KSF_ALG_NEA* */
	u32 tx_count;			/* next COUNT this side sends */
	u32 rx_count;			/* lowest COUNT still accepted */
	u8 direction;			/* this side sends: 0 up, 1 down */
	u8 bearer;			/* NAS connection identifier: 1, 2 */
	bool restored;			/* from a save: protects nothing */
};

/*
 * The procedure state of one peer for one subscriber (architecture.rst), in
 * two tables: by owner and subscriber ID, and by handle.  The state is
 * changed under lock; sub-states are allocated when a procedure first
 * needs them and freed after an RCU grace period, so that dumps and save
 * read them under RCU without the lock.
 */
struct ksf_ctx {
	struct rhash_head node;		/* kn->contexts */
	struct rhash_head hnode;	/* kn->ctx_handles */
	struct rcu_head rcu;
	refcount_t ref;
	u8 id_len;
	bool has_sqn_he;		/* under lock, like the state below */
	bool dead;			/* detached */
	struct ksf_net *kn;
	struct ksf_peer *owner;		/* holds a reference */
	struct list_head owner_node;	/* on owner->contexts while linked */
	u64 handle;
	time64_t created;
	struct mutex lock;		/* the state below, has_sqn_he, dead */
	u64 sqn_he;			/* UDM: the subscriber's SQN */
	struct ksf_sqn_ms *sqn_ms;	/* UE: the USIM's SQN state, set once */
	struct ksf_nas_ctx __rcu *nas;	/* AMF, UE */
	char id[];			/* subscriber ID, NUL-terminated */
};

/* What a new context starts with (context-new, restore). */
struct ksf_ctx_spec {
	const char *id;
	u64 handle;			/* wanted handle (restore), 0: random */
	time64_t created;		/* restore, 0: now */
	bool has_sqn_he;
	u64 sqn_he;
	const struct ksf_sqn_ms *sqn_ms;
	u32 max;			/* the owner's contexts-max, 0: none */
};

int ksf_contexts_init(struct ksf_net *kn);
void ksf_contexts_destroy(struct ksf_net *kn);
void ksf_contexts_destroy_owned(struct ksf_net *kn, struct ksf_peer *owner);
struct ksf_ctx *ksf_ctx_get(struct ksf_net *kn, u64 handle);
struct ksf_ctx *ksf_ctx_find(struct ksf_net *kn, const struct ksf_peer *owner,
			     const char *id);
struct ksf_ctx *ksf_ctx_obtain(struct ksf_net *kn, struct ksf_peer *owner,
			       const char *id, u32 max);
int ksf_ctx_new(struct ksf_net *kn, struct ksf_peer *owner,
		const struct ksf_ctx_spec *spec, struct ksf_ctx **out);
void ksf_ctx_put(struct ksf_ctx *ctx);
int ksf_ctx_del(struct ksf_net *kn, u64 handle);
struct ksf_sqn_ms *ksf_ctx_sqn_ms(struct ksf_ctx *ctx);
int ksf_ctx_set_nas(struct ksf_ctx *ctx, struct ksf_nas_ctx *nas);
void ksf_ctx_nas_free(struct ksf_nas_ctx *nas);
size_t ksf_ctx_size(void);

#endif /* _KSF_CORE_CONTEXT_H */
