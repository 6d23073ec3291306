/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What ksf needs from kernels older than the one it is written for
 * (6.12).  Debian 12's 6.1 is the oldest supported.
 */
#ifndef _KSF_COMPAT_H
#define _KSF_COMPAT_H

/*
 * genl_split_ops arrived in 6.2; Kbuild looks for it in the target's
 * headers and sets KSF_HAVE_SPLIT_OPS.  See nl-gen.c for the older path.
 */
#ifndef KSF_HAVE_SPLIT_OPS
#define KSF_HAVE_SPLIT_OPS 0
#endif

#include <net/genetlink.h>

#if !KSF_HAVE_SPLIT_OPS
/*
 * A look-alike of 6.2's genl_split_ops: the generated ops table
 * (ksf-nl-gen.c) is compiled against it, and nl-gen.c merges it into
 * classic genl_ops when the module loads.
 */
struct ksf_split_op {
	u8 cmd;
	u8 flags;
	int (*doit)(struct sk_buff *skb, struct genl_info *info);
	int (*dumpit)(struct sk_buff *skb, struct netlink_callback *cb);
	int (*start)(struct netlink_callback *cb);
	int (*done)(struct netlink_callback *cb);
	const struct nla_policy *policy;
	unsigned int maxattr;
};

#define genl_split_ops ksf_split_op
#endif

/* The request attributes of a dump (6.7 moved them into a genl_info). */
static inline struct nlattr **ksf_dump_attrs(struct netlink_callback *cb)
{
#ifdef KSF_HAVE_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * The generator's full-range policies point to const ranges; before 6.2
 * (no split ops) nla_policy.range is not const (never written through).
 */
#if !KSF_HAVE_SPLIT_OPS
#undef NLA_POLICY_FULL_RANGE
#define NLA_POLICY_FULL_RANGE(tp, _range) {				\
	.type = NLA_ENSURE_UINT_OR_BINARY_TYPE(tp),			\
	.validation_type = NLA_VALIDATE_RANGE_PTR,			\
	.range = (struct netlink_range_validation *)(_range),		\
}
#endif

/*
 * A formatted extack message naming @attr (6.2+: extack's own buffer);
 * before 6.2, @fallback (a string that lives as long as the module).
 */
static inline __printf(4, 5)
void ksf_err_attr_fmt(struct netlink_ext_ack *extack, const struct nlattr *attr,
		      const char *fallback, const char *fmt, ...)
{
#ifdef NL_SET_ERR_MSG_FMT
	va_list ap;

	if (!extack)
		return;
	va_start(ap, fmt);
	vsnprintf(extack->_msg_buf, NETLINK_MAX_FMTMSG_LEN, fmt, ap);
	va_end(ap);
	extack->_msg = extack->_msg_buf;
#else
	if (!extack)
		return;
	extack->_msg = fallback;
#endif
	NL_SET_BAD_ATTR(extack, attr);
}

#endif /* _KSF_COMPAT_H */
