/* SPDX-License-Identifier: GPL-2.0-only */
/* The objects' records on the wire (objects.c) and the policy's (policy.c). */
#ifndef _KSF_NETLINK_OBJECTS_H
#define _KSF_NETLINK_OBJECTS_H

#include <linux/types.h>

#include "codec.h"

struct ksf_ctx;
struct ksf_key;
struct ksf_key_spec;
struct ksf_pair;
struct ksf_peer;
struct ksf_peer_spec;
struct ksf_policy;
struct netlink_ext_ack;
struct nlattr;
struct sk_buff;

/* A peer ID attribute: ksf_id_check(), the attribute named on error. */
int ksf_nl_id_check(const struct nlattr *a, struct netlink_ext_ack *extack);

/*
 * A peer-new (-restore) or, with @set, a peer-set request into @spec;
 * tb[KSF_A_PEER_ID] is given.  Its policy nest is parsed when the core
 * asks for it, under the instance lock, on top of the old policy.
 */
int ksf_nl_peer_spec(struct nlattr **tb, struct ksf_peer_spec *spec,
		     bool set, struct netlink_ext_ack *extack);
size_t ksf_nl_peer_msg_max(void);
int ksf_nl_peer_fill(struct sk_buff *skb, struct ksf_peer *p);
int ksf_nl_peer_fill_saved(struct sk_buff *skb, struct ksf_peer *p);

/*
 * A key's scalar attributes into struct ksf_key_spec: key-new reads the
 * first KSF_NL_KEY_NEW_N, a saved key record those from
 * KSF_NL_KEY_SAVED_FROM (besides handle, type, material and usage).
 */
extern const struct ksf_nl_attr ksf_nl_key_attrs[];
#define KSF_NL_KEY_NEW_N	4
#define KSF_NL_KEY_SAVED_FROM	2
#define KSF_NL_KEY_ATTRS_N	8

int ksf_nl_key_fill(struct sk_buff *skb, struct ksf_key *key);
int ksf_nl_key_peers(struct ksf_key_spec *spec, const struct nlattr *head,
		     int len, struct netlink_ext_ack *extack);
int ksf_nl_keyring_read(const struct nlattr *serial, const struct nlattr *desc,
			u8 *buf, u32 *len, struct netlink_ext_ack *extack);

int ksf_nl_ctx_fill(struct sk_buff *skb, struct ksf_ctx *ctx, bool save);

/*
 * policy.c: a policy nest (NULL: none) on top of @old (NULL: the
 * defaults); fill one; the most bytes a fill of @pol (NULL: of any
 * policy the kernel accepts) takes.
 */
struct ksf_policy *ksf_nl_policy_parse(const struct nlattr *nest,
				       const struct ksf_policy *old,
				       struct netlink_ext_ack *extack);
int ksf_nl_policy_fill(struct sk_buff *skb, const struct ksf_policy *pol);
size_t ksf_nl_policy_fill_size(const struct ksf_policy *pol);
size_t ksf_nl_terms_size(void);
struct ksf_pair *ksf_nl_pair_parse(const struct nlattr *gen,
				   const struct nlattr *we_run,
				   const struct nlattr *they_run,
				   const char **why);
int ksf_nl_terms_fill(struct sk_buff *skb, int type,
		      const struct ksf_policy *pol, bool ask);
struct ksf_policy *ksf_nl_terms_parse(const struct nlattr *nest, bool ask,
				      const char **why);

#endif /* _KSF_NETLINK_OBJECTS_H */
