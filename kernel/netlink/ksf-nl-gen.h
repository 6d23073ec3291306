/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/ksf.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_KSF_GEN_H
#define _LINUX_KSF_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/ksf.h>

/* Common nested types */
extern const struct nla_policy ksf_item_nl_policy[KSF_A_ITEM_SUCI + 1];
extern const struct nla_policy ksf_item_aead_nl_policy[KSF_A_ITEM_AEAD_AAD + 1];
extern const struct nla_policy ksf_item_aka_nl_policy[KSF_A_ITEM_AKA_PAD + 1];
extern const struct nla_policy ksf_item_kdf_nl_policy[KSF_A_ITEM_KDF_OUT_MAX_AGE + 1];
extern const struct nla_policy ksf_item_mac_nl_policy[KSF_A_ITEM_MAC_MAC_LEN + 1];
extern const struct nla_policy ksf_item_nas_nl_policy[KSF_A_ITEM_NAS_ENC_ALG + 1];
extern const struct nla_policy ksf_item_suci_nl_policy[KSF_A_ITEM_SUCI_EPH_KEY + 1];
extern const struct nla_policy ksf_notify_preset_nl_policy[KSF_A_NOTIFY_PRESET_ITEM + 1];
extern const struct nla_policy ksf_policy_nl_policy[KSF_A_POLICY_ASK_ALGS + 1];
extern const struct nla_policy ksf_timer_nl_policy[KSF_A_TIMER_ITEM + 1];

/* Ops table for ksf */
extern const struct genl_split_ops ksf_nl_ops[22];

int ksf_nl_peer_dump_start(struct netlink_callback *cb);
int ksf_nl_key_dump_start(struct netlink_callback *cb);
int ksf_nl_save_start(struct netlink_callback *cb);
int ksf_nl_context_dump_start(struct netlink_callback *cb);
int ksf_nl_dump_done(struct netlink_callback *cb);
int ksf_nl_save_done(struct netlink_callback *cb);

int ksf_nl_get_info_doit(struct sk_buff *skb, struct genl_info *info);
int ksf_nl_peer_new_doit(struct sk_buff *skb, struct genl_info *info);
int ksf_nl_peer_set_doit(struct sk_buff *skb, struct genl_info *info);
int ksf_nl_peer_del_doit(struct sk_buff *skb, struct genl_info *info);
int ksf_nl_peer_get_doit(struct sk_buff *skb, struct genl_info *info);
int ksf_nl_peer_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int ksf_nl_key_new_doit(struct sk_buff *skb, struct genl_info *info);
int ksf_nl_key_del_doit(struct sk_buff *skb, struct genl_info *info);
int ksf_nl_key_get_doit(struct sk_buff *skb, struct genl_info *info);
int ksf_nl_key_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int ksf_nl_service_request_doit(struct sk_buff *skb, struct genl_info *info);
int ksf_nl_notify_doit(struct sk_buff *skb, struct genl_info *info);
int ksf_nl_save_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int ksf_nl_restore_doit(struct sk_buff *skb, struct genl_info *info);
int ksf_nl_context_new_doit(struct sk_buff *skb, struct genl_info *info);
int ksf_nl_context_del_doit(struct sk_buff *skb, struct genl_info *info);
int ksf_nl_context_get_doit(struct sk_buff *skb, struct genl_info *info);
int ksf_nl_context_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int ksf_nl_listen_doit(struct sk_buff *skb, struct genl_info *info);
int ksf_nl_msg_handshake_doit(struct sk_buff *skb, struct genl_info *info);
int ksf_nl_msg_receive_doit(struct sk_buff *skb, struct genl_info *info);
int ksf_nl_msg_negotiate_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	KSF_NLGRP_EVENTS,
};

#endif /* _LINUX_KSF_GEN_H */
