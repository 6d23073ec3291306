// SPDX-License-Identifier: GPL-2.0-only
/*
 * The netlink policies and ops generated from the YNL spec
 * (ksf-nl-gen.c), and the family, written here: the spec's
 * genetlink-legacy protocol (needed for uns-admin-perm) makes the
 * generator leave the family struct to us.  Kernels before 6.2 have no
 * split ops: there the generated table is compiled against look-alike
 * types (compat.h) and merged into classic genl_ops, one per command,
 * when the module loads.  Both paths put the restore gate (netlink.c)
 * around every doit: as each split op's pre_doit/post_doit on 6.2+, as
 * the family's pre_doit/post_doit before.
 */
#include <linux/slab.h>
#include <net/netlink.h>
#include <net/genetlink.h>
#include <uapi/linux/ksf.h>

#include "compat.h"
#include "ksf-nl-gen.h"
#include "netlink.h"

/* The generated groups carry no flags (the 6.12 generator drops them). */
#define ksf_nl_mcgrps ksf_nl_mcgrps_gen
#include "ksf-nl-gen.c"
#undef ksf_nl_mcgrps

/*
 * Every group needs CAP_NET_ADMIN over the user namespace that owns the
 * network namespace to join, as the admin commands do
 * (GENL_UNS_ADMIN_PERM): events carry other peers' names, rejections and
 * timer results.  A peer hears its own timer results by listen instead.
 */
static struct genl_multicast_group ksf_nl_mcgrps[ARRAY_SIZE(ksf_nl_mcgrps_gen)]
	__ro_after_init;

#if KSF_HAVE_SPLIT_OPS

/* The generated ops with the gate hooks on every doit. */
static struct genl_split_ops ksf_gated_ops[ARRAY_SIZE(ksf_nl_ops)] __ro_after_init;

static int ksf_split_pre_doit(const struct genl_split_ops *ops,
			      struct sk_buff *skb, struct genl_info *info)
{
	return ksf_nl_pre_doit(ops->cmd, info);
}

static void ksf_split_post_doit(const struct genl_split_ops *ops,
				struct sk_buff *skb, struct genl_info *info)
{
	ksf_nl_post_doit(ops->cmd, info);
}

struct genl_family ksf_nl_family __ro_after_init = {
	.name		= KSF_FAMILY_NAME,
	.version	= KSF_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= ksf_gated_ops,
	.n_split_ops	= ARRAY_SIZE(ksf_gated_ops),
	.mcgrps		= ksf_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(ksf_nl_mcgrps),
};

static int ksf_nl_ops_prepare(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ksf_nl_ops); i++) {
		ksf_gated_ops[i] = ksf_nl_ops[i];
		/* pre_doit/post_doit share a union with start/done */
		if (ksf_gated_ops[i].flags & GENL_CMD_CAP_DO) {
			ksf_gated_ops[i].pre_doit = ksf_split_pre_doit;
			ksf_gated_ops[i].post_doit = ksf_split_post_doit;
		}
	}
	return 0;
}

#else

static struct genl_ops ksf_compat_ops[ARRAY_SIZE(ksf_nl_ops)] __ro_after_init;

/*
 * A dump's start gets no extack before 6.7 (netlink_dump_control has
 * none, cb->extack is NULL in start), so the message of a start that
 * fails would be lost and the caller would get a bare errno.  The start
 * runs with an extack of ours instead; when it fails, the dump begins
 * anyway and its first dumpit call, which has the kernel's extack, returns
 * the error with the message and attribute: the caller gets them in
 * NLMSG_DONE.  The op's own dumpit and done are then not called (its start
 * failed and cleaned up).  The deferred error lives in cb->args[5], which
 * no ksf dump uses.
 */
#define KSF_CB_START_ERR	5

struct ksf_start_err {
	int err;
	struct netlink_ext_ack extack;
};

static const struct ksf_split_op *ksf_dump_op(struct netlink_callback *cb)
{
	u8 cmd = genl_dumpit_info(cb)->op.cmd;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ksf_nl_ops); i++)
		if (ksf_nl_ops[i].cmd == cmd && ksf_nl_ops[i].dumpit)
			return &ksf_nl_ops[i];
	return NULL;	/* not reached: only ksf's dump ops get here */
}

static int ksf_compat_start(struct netlink_callback *cb)
{
	const struct ksf_split_op *op = ksf_dump_op(cb);
	struct ksf_start_err *e;
	int ret;

	if (cb->extack)
		return op->start(cb);
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	cb->extack = &e->extack;
	ret = op->start(cb);
	cb->extack = NULL;
	if (!ret) {
		kfree(e);
		return 0;
	}
	e->err = ret;
	cb->args[KSF_CB_START_ERR] = (long)e;
	return 0;
}

static int ksf_compat_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ksf_start_err *e = (void *)cb->args[KSF_CB_START_ERR];

	if (!e)
		return ksf_dump_op(cb)->dumpit(skb, cb);
	if (cb->extack)
		*cb->extack = e->extack;
	return e->err;
}

static int ksf_compat_done(struct netlink_callback *cb)
{
	struct ksf_start_err *e = (void *)cb->args[KSF_CB_START_ERR];
	const struct ksf_split_op *op;

	if (!e) {
		op = ksf_dump_op(cb);
		return op->done ? op->done(cb) : 0;
	}
	kfree(e);
	cb->args[KSF_CB_START_ERR] = 0;
	return 0;
}

/* Before 6.2 pre_doit and post_doit are the family's, for every doit. */
static int ksf_compat_pre_doit(const struct genl_ops *ops,
			       struct sk_buff *skb, struct genl_info *info)
{
	return ksf_nl_pre_doit(ops->cmd, info);
}

static void ksf_compat_post_doit(const struct genl_ops *ops,
				 struct sk_buff *skb, struct genl_info *info)
{
	ksf_nl_post_doit(ops->cmd, info);
}

struct genl_family ksf_nl_family __ro_after_init = {
	.name		= KSF_FAMILY_NAME,
	.version	= KSF_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.pre_doit	= ksf_compat_pre_doit,
	.post_doit	= ksf_compat_post_doit,
	.ops		= ksf_compat_ops,
	.mcgrps		= ksf_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(ksf_nl_mcgrps),
};

static int ksf_nl_ops_prepare(void)
{
	const u8 caps = GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP;
	unsigned int i, j, n = 0;

	for (i = 0; i < ARRAY_SIZE(ksf_nl_ops); i++) {
		const struct ksf_split_op *s = &ksf_nl_ops[i];
		struct genl_ops *o = NULL;

		for (j = 0; j < n; j++)
			if (ksf_compat_ops[j].cmd == s->cmd)
				o = &ksf_compat_ops[j];
		if (!o) {
			o = &ksf_compat_ops[n++];
			o->cmd = s->cmd;
		}
		/* GENL_ADMIN_PERM, GENL_UNS_ADMIN_PERM pass as they are. */
		o->flags |= s->flags & ~caps;
		if (s->doit || !o->policy) {
			o->policy = s->policy;
			o->maxattr = s->maxattr;
		}
		if (s->doit)
			o->doit = s->doit;
		if (s->dumpit && s->start) {
			o->start = ksf_compat_start;
			o->dumpit = ksf_compat_dumpit;
			o->done = ksf_compat_done;
		} else if (s->dumpit) {
			o->dumpit = s->dumpit;
			o->done = s->done;
		}
	}
	ksf_nl_family.n_ops = n;
	return 0;
}

#endif

static int ksf_nl_family_prepare(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ksf_nl_mcgrps); i++) {
		ksf_nl_mcgrps[i] = ksf_nl_mcgrps_gen[i];
		ksf_nl_mcgrps[i].flags = GENL_MCAST_CAP_NET_ADMIN;
	}
	return ksf_nl_ops_prepare();
}

int ksf_nl_init(void)
{
	int ret = ksf_nl_family_prepare();

	if (ret)
		return ret;
	ret = ksf_nl_watch_closes();
	if (ret)
		return ret;
	ret = genl_register_family(&ksf_nl_family);
	if (ret)
		ksf_nl_unwatch_closes();
	return ret;
}

void ksf_nl_exit(void)
{
	genl_unregister_family(&ksf_nl_family);
	ksf_nl_unwatch_closes();
}
