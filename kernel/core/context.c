// SPDX-License-Identifier: GPL-2.0-only
/*
 * Contexts: the per-subscriber procedure state of one peer
 * (Documentation/architecture.rst, "Objects") -- the subscriber's SQN in
 * the home environment (UDM), the USIM's SQN state (UE), a NAS security
 * context (AMF, UE).
 *
 * A context sits in two tables: by owner and subscriber ID for services
 * that name a subscriber, by a random 64-bit handle for user space.  Both
 * are looked up under RCU.  A context is refcounted like a key: the tables
 * hold one reference, every user one more.  Its state is under its own
 * mutex, so no lock is shared between subscribers on the request path.
 */
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>

#include "../ksf.h"
#include "context.h"
#include "keystore.h"
#include "peer.h"
#include "../crypto/milenage.h"

/* A lookup key of the subscriber table. */
struct ctx_key {
	const struct ksf_peer *owner;
	const char *id;
	u32 len;
};

static u32 ctx_hash(const struct ksf_peer *owner, const char *id, u32 len,
		    u32 seed)
{
	return jhash(id, len, seed ^ hash_ptr(owner, 32));
}

static u32 ctx_key_hashfn(const void *data, u32 len, u32 seed)
{
	const struct ctx_key *k = data;

	return ctx_hash(k->owner, k->id, k->len, seed);
}

static u32 ctx_obj_hashfn(const void *data, u32 len, u32 seed)
{
	const struct ksf_ctx *ctx = data;

	return ctx_hash(ctx->owner, ctx->id, ctx->id_len, seed);
}

static int ctx_obj_cmpfn(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct ctx_key *k = arg->key;
	const struct ksf_ctx *ctx = obj;

	return k->owner != ctx->owner || k->len != ctx->id_len ||
	       memcmp(k->id, ctx->id, k->len);
}

static const struct rhashtable_params ctx_params = {
	.head_offset		= offsetof(struct ksf_ctx, node),
	.hashfn			= ctx_key_hashfn,
	.obj_hashfn		= ctx_obj_hashfn,
	.obj_cmpfn		= ctx_obj_cmpfn,
	.automatic_shrinking	= true,
};

static const struct rhashtable_params handle_params = {
	.head_offset		= offsetof(struct ksf_ctx, hnode),
	.key_offset		= offsetof(struct ksf_ctx, handle),
	.key_len		= sizeof(u64),
	.automatic_shrinking	= true,
};

size_t ksf_ctx_size(void)
{
	return sizeof(struct ksf_ctx);
}

static size_t ctx_mem(const struct ksf_ctx *ctx)
{
	return sizeof(*ctx) + ctx->id_len + 1;
}

struct ksf_ctx *ksf_ctx_get(struct ksf_net *kn, u64 handle)
{
	struct ksf_ctx *ctx;

	rcu_read_lock();
	ctx = rhashtable_lookup(&kn->ctx_handles, &handle, handle_params);
	if (ctx && !refcount_inc_not_zero(&ctx->ref))
		ctx = NULL;
	rcu_read_unlock();
	return ctx;
}

struct ksf_ctx *ksf_ctx_find(struct ksf_net *kn, const struct ksf_peer *owner,
			     const char *id)
{
	struct ctx_key k = { .owner = owner, .id = id, .len = strlen(id) };
	struct ksf_ctx *ctx;

	rcu_read_lock();
	ctx = rhashtable_lookup(&kn->contexts, &k, ctx_params);
	if (ctx && !refcount_inc_not_zero(&ctx->ref))
		ctx = NULL;
	rcu_read_unlock();
	return ctx;
}

/* Readers under RCU may still look at it (and at its keys' handles). */
void ksf_ctx_nas_free(struct ksf_nas_ctx *nas)
{
	if (!nas)
		return;
	ksf_key_put(nas->int_key);
	ksf_key_put(nas->enc_key);
	kfree_rcu(nas, rcu);
}

/* Frees a NAS context that was part of a context, and maybe its keys. */
static void nas_release(struct ksf_net *kn, struct ksf_nas_ctx *nas,
			bool destroy_keys)
{
	if (!nas)
		return;
	if (destroy_keys && nas->int_key)
		ksf_key_del(kn, nas->int_key->handle);
	if (destroy_keys && nas->enc_key)
		ksf_key_del(kn, nas->enc_key->handle);
	atomic64_sub(sizeof(*nas), &kn->mem);
	ksf_ctx_nas_free(nas);
}

static void ctx_free_rcu(struct rcu_head *rcu)
{
	struct ksf_ctx *ctx = container_of(rcu, struct ksf_ctx, rcu);

	kfree_sensitive(ctx->sqn_ms);
	kfree_sensitive(ctx);
}

void ksf_ctx_put(struct ksf_ctx *ctx)
{
	struct ksf_net *kn;

	if (!ctx || !refcount_dec_and_test(&ctx->ref))
		return;
	kn = ctx->kn;
	if (ctx->sqn_ms)
		atomic64_sub(sizeof(*ctx->sqn_ms), &kn->mem);
	nas_release(kn, rcu_dereference_protected(ctx->nas, true), false);
	atomic64_sub(ctx_mem(ctx), &kn->mem);
	ksf_peer_put(ctx->owner);
	call_rcu(&ctx->rcu, ctx_free_rcu);
}

/* Takes the context out of the tables; true if this call did it. */
static bool ctx_detach(struct ksf_ctx *ctx)
{
	struct ksf_net *kn = ctx->kn;
	struct ksf_nas_ctx *nas;

	if (rhashtable_remove_fast(&kn->contexts, &ctx->node, ctx_params))
		return false;
	rhashtable_remove_fast(&kn->ctx_handles, &ctx->hnode, handle_params);
	spin_lock_bh(&ctx->owner->key_lock);
	list_del_init(&ctx->owner_node);
	spin_unlock_bh(&ctx->owner->key_lock);
	atomic_dec(&kn->n_contexts);
	atomic_dec(&ctx->owner->n_contexts);
	mutex_lock(&ctx->lock);
	ctx->dead = true;
	nas = rcu_replace_pointer(ctx->nas, NULL, lockdep_is_held(&ctx->lock));
	mutex_unlock(&ctx->lock);
	nas_release(kn, nas, true);
	ksf_ctx_put(ctx);		/* the tables' reference */
	return true;
}

/* Links a new context under @want or a fresh random handle. */
static int ctx_insert(struct ksf_net *kn, struct ksf_ctx *ctx, u64 want)
{
	struct ctx_key k = { ctx->owner, ctx->id, ctx->id_len };
	struct ksf_peer *owner = ctx->owner;
	int ret = -EEXIST, tries;

	for (tries = 0; tries < 8 && ret == -EEXIST; tries++) {
		ctx->handle = want ? want : get_random_u64();
		if (!ctx->handle)
			continue;
		ret = rhashtable_lookup_insert_fast(&kn->ctx_handles,
						    &ctx->hnode, handle_params);
		if (want)
			break;
	}
	if (ret)
		return ret == -EEXIST ? -EADDRINUSE : ret;

	spin_lock_bh(&owner->key_lock);
	ret = -ENOENT;
	if (!owner->keys_closed) {
		ret = rhashtable_lookup_insert_key(&kn->contexts, &k,
						   &ctx->node, ctx_params);
		if (!ret)
			list_add_tail(&ctx->owner_node, &owner->contexts);
	}
	spin_unlock_bh(&owner->key_lock);
	if (ret)
		rhashtable_remove_fast(&kn->ctx_handles, &ctx->hnode,
				       handle_params);
	return ret;
}

/*
 * Creates the context of @owner for @id.  -EINVAL if the ID is empty, too
 * long or not printable, -ERANGE if the SQN is over 48 bits, -EEXIST if
 * there is one, -ENOENT if the owner was deleted, -EADDRINUSE if the
 * wanted handle is taken, -EDQUOT if the owner has spec->max contexts.
 */
int ksf_ctx_new(struct ksf_net *kn, struct ksf_peer *owner,
		const struct ksf_ctx_spec *spec, struct ksf_ctx **out)
{
	size_t len = strlen(spec->id);
	struct ksf_ctx *ctx;
	int ret;

	if (!len || len >= KSF_PEER_ID_LEN || !ksf_id_printable(spec->id))
		return -EINVAL;
	if (spec->has_sqn_he && spec->sqn_he > KSF_SQN_MAX)
		return -ERANGE;		/* never truncated */
	ctx = kzalloc(struct_size(ctx, id, len + 1), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return -ENOMEM;
	if (spec->sqn_ms) {
		ctx->sqn_ms = kmemdup(spec->sqn_ms, sizeof(*ctx->sqn_ms),
				      GFP_KERNEL_ACCOUNT);
		if (!ctx->sqn_ms) {
			kfree(ctx);
			return -ENOMEM;
		}
		atomic64_add(sizeof(*ctx->sqn_ms), &kn->mem);
	}
	if (spec->has_sqn_he) {
		ctx->sqn_he = spec->sqn_he;
		ctx->has_sqn_he = true;
	}
	refcount_set(&ctx->ref, 2);	/* the tables' and the caller's */
	ctx->kn = kn;
	ctx->owner = owner;
	ctx->created = spec->created ? spec->created :
				       ktime_get_real_seconds();
	ctx->id_len = len;
	memcpy(ctx->id, spec->id, len);
	mutex_init(&ctx->lock);
	INIT_LIST_HEAD(&ctx->owner_node);
	refcount_inc(&owner->ref);

	/* Counted before it is visible: a racing delete uncounts it. */
	atomic_inc(&kn->n_contexts);
	atomic64_add(ctx_mem(ctx), &kn->mem);
	ret = ksf_count_up_to(&owner->n_contexts, spec->max);
	if (!ret) {
		ret = ctx_insert(kn, ctx, spec->handle);
		if (ret)
			atomic_dec(&owner->n_contexts);
	}
	if (ret) {
		atomic_dec(&kn->n_contexts);
		/* A reader may have seen it by handle: drop refs, not set. */
		refcount_dec(&ctx->ref);	/* the tables' */
		ksf_ctx_put(ctx);
		return ret;
	}
	*out = ctx;
	return 0;
}

/* The context of @owner for @id, created if there is none. */
struct ksf_ctx *ksf_ctx_obtain(struct ksf_net *kn, struct ksf_peer *owner,
			       const char *id, u32 max)
{
	struct ksf_ctx_spec spec = { .id = id, .max = max };
	struct ksf_ctx *ctx;
	int ret, tries;

	for (tries = 0; tries < 4; tries++) {
		ctx = ksf_ctx_find(kn, owner, id);
		if (ctx)
			return ctx;
		ret = ksf_ctx_new(kn, owner, &spec, &ctx);
		if (!ret)
			return ctx;
		if (ret != -EEXIST)	/* else: a concurrent creator won */
			return ERR_PTR(ret);
	}
	return ERR_PTR(-EBUSY);
}

int ksf_ctx_del(struct ksf_net *kn, u64 handle)
{
	struct ksf_ctx *ctx = ksf_ctx_get(kn, handle);
	bool gone;

	if (!ctx)
		return -ENOENT;
	gone = ctx_detach(ctx);
	ksf_ctx_put(ctx);
	return gone ? 0 : -ENOENT;
}

/* The USIM's SQN state of the context, created on first use; under lock. */
struct ksf_sqn_ms *ksf_ctx_sqn_ms(struct ksf_ctx *ctx)
{
	lockdep_assert_held(&ctx->lock);
	if (!ctx->sqn_ms) {
		struct ksf_sqn_ms *ms = kzalloc(sizeof(*ms),
						GFP_KERNEL_ACCOUNT);

		if (!ms)
			return NULL;
		ksf_sqn_ms_init(ms);
		atomic64_add(sizeof(*ms), &ctx->kn->mem);
		smp_store_release(&ctx->sqn_ms, ms);	/* for readers */
	}
	return ctx->sqn_ms;
}

/*
 * Installs a NAS context, replacing an earlier one, whose keys are
 * destroyed.  -ENOENT if the context was deleted meanwhile.
 */
int ksf_ctx_set_nas(struct ksf_ctx *ctx, struct ksf_nas_ctx *nas)
{
	struct ksf_nas_ctx *old = NULL;
	int ret = -ENOENT;

	mutex_lock(&ctx->lock);
	if (!ctx->dead) {
		old = rcu_replace_pointer(ctx->nas, nas,
					  lockdep_is_held(&ctx->lock));
		atomic64_add(sizeof(*nas), &ctx->kn->mem);
		ret = 0;
	}
	mutex_unlock(&ctx->lock);
	nas_release(ctx->kn, old, true);
	return ret;
}

int ksf_contexts_init(struct ksf_net *kn)
{
	int ret = rhashtable_init(&kn->contexts, &ctx_params);

	if (ret)
		return ret;
	ret = rhashtable_init(&kn->ctx_handles, &handle_params);
	if (ret)
		rhashtable_destroy(&kn->contexts);
	return ret;
}

/* Destroys every context of a deleted peer; no new ones can appear. */
void ksf_contexts_destroy_owned(struct ksf_net *kn, struct ksf_peer *owner)
{
	struct ksf_ctx *ctx;

	spin_lock_bh(&owner->key_lock);
	owner->keys_closed = true;
	spin_unlock_bh(&owner->key_lock);

	for (;;) {
		spin_lock_bh(&owner->key_lock);
		ctx = list_first_entry_or_null(&owner->contexts,
					       struct ksf_ctx, owner_node);
		if (ctx)
			refcount_inc(&ctx->ref);	/* the tables' is held */
		spin_unlock_bh(&owner->key_lock);
		if (!ctx)
			break;
		ctx_detach(ctx);
		ksf_ctx_put(ctx);
	}
}

static void ctx_destroy(void *ptr, void *arg)
{
	struct ksf_ctx *ctx = ptr;

	atomic_dec(&ctx->kn->n_contexts);
	list_del_init(&ctx->owner_node);	/* nothing else runs now */
	ksf_ctx_put(ctx);
}

/* Instance teardown: every context is wiped. */
void ksf_contexts_destroy(struct ksf_net *kn)
{
	rhashtable_destroy(&kn->ctx_handles);
	rhashtable_free_and_destroy(&kn->contexts, ctx_destroy, NULL);
}
