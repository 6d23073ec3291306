// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/ksf.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "ksf-nl-gen.h"

#include <uapi/linux/ksf.h>

/* Integer value ranges */
static const struct netlink_range_validation ksf_a_item_aka_sqn_range = {
	.max	= 281474976710655ULL,
};

static const struct netlink_range_validation ksf_a_context_sqn_he_range = {
	.max	= 281474976710655ULL,
};

/* Common nested types */
const struct nla_policy ksf_item_nl_policy[KSF_A_ITEM_SUCI + 1] = {
	[KSF_A_ITEM_SERVICE] = NLA_POLICY_RANGE(NLA_U32, 1, 19),
	[KSF_A_ITEM_ALG] = NLA_POLICY_RANGE(NLA_U32, 1, 16),
	[KSF_A_ITEM_KEY] = { .type = NLA_U64, },
	[KSF_A_ITEM_KEY2] = { .type = NLA_U64, },
	[KSF_A_ITEM_PEER] = { .type = NLA_NUL_STRING, .len = KSF_PEER_ID_LEN, },
	[KSF_A_ITEM_SUBSCRIBER] = { .type = NLA_NUL_STRING, .len = KSF_PEER_ID_LEN, },
	[KSF_A_ITEM_CONTEXT] = { .type = NLA_U64, },
	[KSF_A_ITEM_MAC] = NLA_POLICY_NESTED(ksf_item_mac_nl_policy),
	[KSF_A_ITEM_KDF] = NLA_POLICY_NESTED(ksf_item_kdf_nl_policy),
	[KSF_A_ITEM_AEAD] = NLA_POLICY_NESTED(ksf_item_aead_nl_policy),
	[KSF_A_ITEM_NAS] = NLA_POLICY_NESTED(ksf_item_nas_nl_policy),
	[KSF_A_ITEM_AKA] = NLA_POLICY_NESTED(ksf_item_aka_nl_policy),
	[KSF_A_ITEM_SUCI] = NLA_POLICY_NESTED(ksf_item_suci_nl_policy),
};

const struct nla_policy ksf_item_aead_nl_policy[KSF_A_ITEM_AEAD_AAD + 1] = {
	[KSF_A_ITEM_AEAD_DATA] = { .type = NLA_BINARY, },
	[KSF_A_ITEM_AEAD_MAC] = { .type = NLA_BINARY, },
	[KSF_A_ITEM_AEAD_IV] = NLA_POLICY_EXACT_LEN(12),
	[KSF_A_ITEM_AEAD_AAD] = { .type = NLA_BINARY, },
};

const struct nla_policy ksf_item_aka_nl_policy[KSF_A_ITEM_AKA_PAD + 1] = {
	[KSF_A_ITEM_AKA_RAND] = NLA_POLICY_EXACT_LEN(16),
	[KSF_A_ITEM_AKA_AUTN] = NLA_POLICY_EXACT_LEN(16),
	[KSF_A_ITEM_AKA_AUTS] = NLA_POLICY_EXACT_LEN(14),
	[KSF_A_ITEM_AKA_AMF] = NLA_POLICY_EXACT_LEN(2),
	[KSF_A_ITEM_AKA_SNN] = { .type = NLA_NUL_STRING, .len = 255, },
	[KSF_A_ITEM_AKA_SQN] = NLA_POLICY_FULL_RANGE(NLA_U64, &ksf_a_item_aka_sqn_range),
	[KSF_A_ITEM_AKA_RES] = NLA_POLICY_EXACT_LEN(16),
};

const struct nla_policy ksf_item_kdf_nl_policy[KSF_A_ITEM_KDF_OUT_MAX_AGE + 1] = {
	[KSF_A_ITEM_KDF_FC] = { .type = NLA_U8, },
	[KSF_A_ITEM_KDF_PARAM] = { .type = NLA_BINARY, },
	[KSF_A_ITEM_KDF_PARAM_KEY] = { .type = NLA_U64, },
	[KSF_A_ITEM_KDF_OUT_TYPE] = NLA_POLICY_RANGE(NLA_U32, 1, 9),
	[KSF_A_ITEM_KDF_OUT_LEN] = NLA_POLICY_RANGE(NLA_U32, 1, 32),
	[KSF_A_ITEM_KDF_OUT_USAGE] = NLA_POLICY_MASK(NLA_U32, 0x7f),
	[KSF_A_ITEM_KDF_OUT_MAX_AGE] = { .type = NLA_U32, },
};

const struct nla_policy ksf_item_mac_nl_policy[KSF_A_ITEM_MAC_MAC_LEN + 1] = {
	[KSF_A_ITEM_MAC_DATA] = { .type = NLA_BINARY, },
	[KSF_A_ITEM_MAC_MAC] = { .type = NLA_BINARY, },
	[KSF_A_ITEM_MAC_MAC_LEN] = NLA_POLICY_RANGE(NLA_U32, 4, 32),
};

const struct nla_policy ksf_item_nas_nl_policy[KSF_A_ITEM_NAS_ENC_ALG + 1] = {
	[KSF_A_ITEM_NAS_DATA] = { .type = NLA_BINARY, },
	[KSF_A_ITEM_NAS_MAC] = { .type = NLA_BINARY, },
	[KSF_A_ITEM_NAS_COUNT] = { .type = NLA_U32, },
	[KSF_A_ITEM_NAS_BEARER] = NLA_POLICY_MAX(NLA_U8, 31),
	[KSF_A_ITEM_NAS_DIRECTION] = NLA_POLICY_MAX(NLA_U8, 1),
	[KSF_A_ITEM_NAS_BITS] = { .type = NLA_U32, },
	[KSF_A_ITEM_NAS_SEQ] = { .type = NLA_U8, },
	[KSF_A_ITEM_NAS_INT_ALG] = NLA_POLICY_RANGE(NLA_U32, 1, 16),
	[KSF_A_ITEM_NAS_ENC_ALG] = NLA_POLICY_RANGE(NLA_U32, 1, 16),
};

const struct nla_policy ksf_item_suci_nl_policy[KSF_A_ITEM_SUCI_EPH_KEY + 1] = {
	[KSF_A_ITEM_SUCI_DATA] = { .type = NLA_BINARY, },
	[KSF_A_ITEM_SUCI_HN_PUB] = { .type = NLA_BINARY, },
	[KSF_A_ITEM_SUCI_HN_KEY_ID] = { .type = NLA_U8, },
	[KSF_A_ITEM_SUCI_EPH_KEY] = NLA_POLICY_EXACT_LEN(32),
};

const struct nla_policy ksf_notify_preset_nl_policy[KSF_A_NOTIFY_PRESET_ITEM + 1] = {
	[KSF_A_NOTIFY_PRESET_STATUS] = NLA_POLICY_RANGE(NLA_U32, 1, 5),
	[KSF_A_NOTIFY_PRESET_ITEM] = NLA_POLICY_NESTED(ksf_item_nl_policy),
};

const struct nla_policy ksf_policy_nl_policy[KSF_A_POLICY_ASK_ALGS + 1] = {
	[KSF_A_POLICY_SERVICES] = { .type = NLA_BINARY, },
	[KSF_A_POLICY_ALGS] = { .type = NLA_BINARY, },
	[KSF_A_POLICY_KEY_LEN_MIN] = NLA_POLICY_MAX(NLA_U32, KSF_KEY_MAX_LEN),
	[KSF_A_POLICY_KEY_LEN_MAX] = NLA_POLICY_MAX(NLA_U32, KSF_KEY_MAX_LEN),
	[KSF_A_POLICY_LIFETIME_MAX] = { .type = NLA_U32, },
	[KSF_A_POLICY_BATCH_MAX] = NLA_POLICY_RANGE(NLA_U32, 1, KSF_BATCH_MAX),
	[KSF_A_POLICY_CALLER_RAND] = NLA_POLICY_MAX(NLA_U8, 1),
	[KSF_A_POLICY_NOTIFY] = NLA_POLICY_NESTED(ksf_notify_preset_nl_policy),
	[KSF_A_POLICY_TIMER] = NLA_POLICY_NESTED(ksf_timer_nl_policy),
	[KSF_A_POLICY_MAC_LEN_MIN] = NLA_POLICY_MAX(NLA_U32, 32),
	[KSF_A_POLICY_MAC_FCS] = NLA_POLICY_EXACT_LEN(32),
	[KSF_A_POLICY_ENCRYPT_FCS] = NLA_POLICY_EXACT_LEN(32),
	[KSF_A_POLICY_KEYS_MAX] = { .type = NLA_U32, },
	[KSF_A_POLICY_CONTEXTS_MAX] = { .type = NLA_U32, },
	[KSF_A_POLICY_NOTIFY_CLEAR] = { .type = NLA_FLAG, },
	[KSF_A_POLICY_TIMER_CLEAR] = { .type = NLA_FLAG, },
	[KSF_A_POLICY_CARRY] = { .type = NLA_NUL_STRING, .len = 2047, },
	[KSF_A_POLICY_ASK_SERVICES] = { .type = NLA_BINARY, },
	[KSF_A_POLICY_ASK_ALGS] = { .type = NLA_BINARY, },
};

const struct nla_policy ksf_timer_nl_policy[KSF_A_TIMER_ITEM + 1] = {
	[KSF_A_TIMER_PERIOD] = NLA_POLICY_MIN(NLA_U32, 100),
	[KSF_A_TIMER_ITEM] = NLA_POLICY_NESTED(ksf_item_nl_policy),
};

/* KSF_CMD_PEER_NEW - do */
static const struct nla_policy ksf_peer_new_nl_policy[KSF_A_PEER_PSK + 1] = {
	[KSF_A_PEER_ID] = { .type = NLA_NUL_STRING, .len = KSF_PEER_ID_LEN, },
	[KSF_A_PEER_KIND] = NLA_POLICY_RANGE(NLA_U32, 1, 3),
	[KSF_A_PEER_UID] = { .type = NLA_U32, },
	[KSF_A_PEER_GID] = { .type = NLA_U32, },
	[KSF_A_PEER_POLICY] = NLA_POLICY_NESTED(ksf_policy_nl_policy),
	[KSF_A_PEER_PUBLIC_KEY] = NLA_POLICY_EXACT_LEN(32),
	[KSF_A_PEER_PSK] = { .type = NLA_U64, },
};

/* KSF_CMD_PEER_SET - do */
static const struct nla_policy ksf_peer_set_nl_policy[KSF_A_PEER_RESET_TIMESTAMP + 1] = {
	[KSF_A_PEER_ID] = { .type = NLA_NUL_STRING, .len = KSF_PEER_ID_LEN, },
	[KSF_A_PEER_UID] = { .type = NLA_U32, },
	[KSF_A_PEER_GID] = { .type = NLA_U32, },
	[KSF_A_PEER_POLICY] = NLA_POLICY_NESTED(ksf_policy_nl_policy),
	[KSF_A_PEER_PSK] = { .type = NLA_U64, },
	[KSF_A_PEER_RESET_TIMESTAMP] = { .type = NLA_FLAG, },
};

/* KSF_CMD_PEER_DEL - do */
static const struct nla_policy ksf_peer_del_nl_policy[KSF_A_PEER_ID + 1] = {
	[KSF_A_PEER_ID] = { .type = NLA_NUL_STRING, .len = KSF_PEER_ID_LEN, },
};

/* KSF_CMD_PEER_GET - do */
static const struct nla_policy ksf_peer_get_nl_policy[KSF_A_PEER_ID + 1] = {
	[KSF_A_PEER_ID] = { .type = NLA_NUL_STRING, .len = KSF_PEER_ID_LEN, },
};

/* KSF_CMD_KEY_NEW - do */
static const struct nla_policy ksf_key_new_nl_policy[KSF_A_KEY_MATERIAL + 1] = {
	[KSF_A_KEY_TYPE] = NLA_POLICY_RANGE(NLA_U32, 1, 9),
	[KSF_A_KEY_LEN] = NLA_POLICY_RANGE(NLA_U32, 1, KSF_KEY_MAX_LEN),
	[KSF_A_KEY_USAGE] = NLA_POLICY_MASK(NLA_U32, 0x7f),
	[KSF_A_KEY_OWNER] = { .type = NLA_NUL_STRING, .len = KSF_PEER_ID_LEN, },
	[KSF_A_KEY_PEER] = { .type = NLA_STRING, .len = 127, },
	[KSF_A_KEY_NOT_AFTER] = { .type = NLA_U64, },
	[KSF_A_KEY_MAX_AGE] = { .type = NLA_U32, },
	[KSF_A_KEY_KEYRING_SERIAL] = { .type = NLA_S32, },
	[KSF_A_KEY_KEYRING_DESC] = { .type = NLA_NUL_STRING, .len = KSF_NAME_MAX_LEN, },
	[KSF_A_KEY_MATERIAL] = { .type = NLA_BINARY, },
};

/* KSF_CMD_KEY_DEL - do */
static const struct nla_policy ksf_key_del_nl_policy[KSF_A_KEY_HANDLE + 1] = {
	[KSF_A_KEY_HANDLE] = { .type = NLA_U64, },
};

/* KSF_CMD_KEY_GET - do */
static const struct nla_policy ksf_key_get_nl_policy[KSF_A_KEY_HANDLE + 1] = {
	[KSF_A_KEY_HANDLE] = { .type = NLA_U64, },
};

/* KSF_CMD_SERVICE_REQUEST - do */
static const struct nla_policy ksf_service_request_nl_policy[KSF_A_REQUEST_ITEM + 1] = {
	[KSF_A_REQUEST_ITEM] = NLA_POLICY_NESTED(ksf_item_nl_policy),
};

/* KSF_CMD_NOTIFY - do */
static const struct nla_policy ksf_notify_nl_policy[KSF_A_REQUEST_NEW_KEY + 1] = {
	[KSF_A_REQUEST_PEER] = { .type = NLA_NUL_STRING, .len = KSF_PEER_ID_LEN, },
	[KSF_A_REQUEST_STATUS] = NLA_POLICY_RANGE(NLA_U32, 1, 5),
	[KSF_A_REQUEST_KEY] = { .type = NLA_U64, },
	[KSF_A_REQUEST_NEW_KEY] = { .type = NLA_U64, },
};

/* KSF_CMD_SAVE - dump */
static const struct nla_policy ksf_save_nl_policy[KSF_A_STATE_KEK_DESC + 1] = {
	[KSF_A_STATE_KEK_SERIAL] = { .type = NLA_S32, },
	[KSF_A_STATE_KEK_DESC] = { .type = NLA_NUL_STRING, .len = KSF_NAME_MAX_LEN, },
};

/* KSF_CMD_RESTORE - do */
static const struct nla_policy ksf_restore_nl_policy[KSF_A_STATE_END + 1] = {
	[KSF_A_STATE_KEK_SERIAL] = { .type = NLA_S32, },
	[KSF_A_STATE_KEK_DESC] = { .type = NLA_NUL_STRING, .len = KSF_NAME_MAX_LEN, },
	[KSF_A_STATE_CHUNK] = { .type = NLA_BINARY, },
	[KSF_A_STATE_END] = { .type = NLA_FLAG, },
};

/* KSF_CMD_CONTEXT_NEW - do */
static const struct nla_policy ksf_context_new_nl_policy[KSF_A_CONTEXT_SQN_HE + 1] = {
	[KSF_A_CONTEXT_PEER] = { .type = NLA_NUL_STRING, .len = KSF_PEER_ID_LEN, },
	[KSF_A_CONTEXT_SUBSCRIBER] = { .type = NLA_NUL_STRING, .len = KSF_PEER_ID_LEN, },
	[KSF_A_CONTEXT_SQN_HE] = NLA_POLICY_FULL_RANGE(NLA_U64, &ksf_a_context_sqn_he_range),
};

/* KSF_CMD_CONTEXT_DEL - do */
static const struct nla_policy ksf_context_del_nl_policy[KSF_A_CONTEXT_HANDLE + 1] = {
	[KSF_A_CONTEXT_HANDLE] = { .type = NLA_U64, },
};

/* KSF_CMD_CONTEXT_GET - do */
static const struct nla_policy ksf_context_get_nl_policy[KSF_A_CONTEXT_SUBSCRIBER + 1] = {
	[KSF_A_CONTEXT_HANDLE] = { .type = NLA_U64, },
	[KSF_A_CONTEXT_PEER] = { .type = NLA_NUL_STRING, .len = KSF_PEER_ID_LEN, },
	[KSF_A_CONTEXT_SUBSCRIBER] = { .type = NLA_NUL_STRING, .len = KSF_PEER_ID_LEN, },
};

/* KSF_CMD_MSG_HANDSHAKE - do */
static const struct nla_policy ksf_msg_handshake_nl_policy[KSF_A_CHANNEL_PEER + 1] = {
	[KSF_A_CHANNEL_PEER] = { .type = NLA_NUL_STRING, .len = KSF_PEER_ID_LEN, },
};

/* KSF_CMD_MSG_RECEIVE - do */
static const struct nla_policy ksf_msg_receive_nl_policy[KSF_A_CHANNEL_BLOB + 1] = {
	[KSF_A_CHANNEL_BLOB] = { .type = NLA_BINARY, },
};

/* KSF_CMD_MSG_NEGOTIATE - do */
static const struct nla_policy ksf_msg_negotiate_nl_policy[KSF_A_CHANNEL_PEER + 1] = {
	[KSF_A_CHANNEL_PEER] = { .type = NLA_NUL_STRING, .len = KSF_PEER_ID_LEN, },
};

/* Ops table for ksf */
const struct genl_split_ops ksf_nl_ops[22] = {
	{
		.cmd	= KSF_CMD_GET_INFO,
		.doit	= ksf_nl_get_info_doit,
		.flags	= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KSF_CMD_PEER_NEW,
		.doit		= ksf_nl_peer_new_doit,
		.policy		= ksf_peer_new_nl_policy,
		.maxattr	= KSF_A_PEER_PSK,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KSF_CMD_PEER_SET,
		.doit		= ksf_nl_peer_set_doit,
		.policy		= ksf_peer_set_nl_policy,
		.maxattr	= KSF_A_PEER_RESET_TIMESTAMP,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KSF_CMD_PEER_DEL,
		.doit		= ksf_nl_peer_del_doit,
		.policy		= ksf_peer_del_nl_policy,
		.maxattr	= KSF_A_PEER_ID,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KSF_CMD_PEER_GET,
		.doit		= ksf_nl_peer_get_doit,
		.policy		= ksf_peer_get_nl_policy,
		.maxattr	= KSF_A_PEER_ID,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= KSF_CMD_PEER_GET,
		.start	= ksf_nl_peer_dump_start,
		.dumpit	= ksf_nl_peer_get_dumpit,
		.done	= ksf_nl_dump_done,
		.flags	= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= KSF_CMD_KEY_NEW,
		.doit		= ksf_nl_key_new_doit,
		.policy		= ksf_key_new_nl_policy,
		.maxattr	= KSF_A_KEY_MATERIAL,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KSF_CMD_KEY_DEL,
		.doit		= ksf_nl_key_del_doit,
		.policy		= ksf_key_del_nl_policy,
		.maxattr	= KSF_A_KEY_HANDLE,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KSF_CMD_KEY_GET,
		.doit		= ksf_nl_key_get_doit,
		.policy		= ksf_key_get_nl_policy,
		.maxattr	= KSF_A_KEY_HANDLE,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= KSF_CMD_KEY_GET,
		.start	= ksf_nl_key_dump_start,
		.dumpit	= ksf_nl_key_get_dumpit,
		.done	= ksf_nl_dump_done,
		.flags	= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= KSF_CMD_SERVICE_REQUEST,
		.doit		= ksf_nl_service_request_doit,
		.policy		= ksf_service_request_nl_policy,
		.maxattr	= KSF_A_REQUEST_ITEM,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KSF_CMD_NOTIFY,
		.doit		= ksf_nl_notify_doit,
		.policy		= ksf_notify_nl_policy,
		.maxattr	= KSF_A_REQUEST_NEW_KEY,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KSF_CMD_SAVE,
		.start		= ksf_nl_save_start,
		.dumpit		= ksf_nl_save_dumpit,
		.done		= ksf_nl_save_done,
		.policy		= ksf_save_nl_policy,
		.maxattr	= KSF_A_STATE_KEK_DESC,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= KSF_CMD_RESTORE,
		.doit		= ksf_nl_restore_doit,
		.policy		= ksf_restore_nl_policy,
		.maxattr	= KSF_A_STATE_END,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KSF_CMD_CONTEXT_NEW,
		.doit		= ksf_nl_context_new_doit,
		.policy		= ksf_context_new_nl_policy,
		.maxattr	= KSF_A_CONTEXT_SQN_HE,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KSF_CMD_CONTEXT_DEL,
		.doit		= ksf_nl_context_del_doit,
		.policy		= ksf_context_del_nl_policy,
		.maxattr	= KSF_A_CONTEXT_HANDLE,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KSF_CMD_CONTEXT_GET,
		.doit		= ksf_nl_context_get_doit,
		.policy		= ksf_context_get_nl_policy,
		.maxattr	= KSF_A_CONTEXT_SUBSCRIBER,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= KSF_CMD_CONTEXT_GET,
		.start	= ksf_nl_context_dump_start,
		.dumpit	= ksf_nl_context_get_dumpit,
		.done	= ksf_nl_dump_done,
		.flags	= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd	= KSF_CMD_LISTEN,
		.doit	= ksf_nl_listen_doit,
		.flags	= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KSF_CMD_MSG_HANDSHAKE,
		.doit		= ksf_nl_msg_handshake_doit,
		.policy		= ksf_msg_handshake_nl_policy,
		.maxattr	= KSF_A_CHANNEL_PEER,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KSF_CMD_MSG_RECEIVE,
		.doit		= ksf_nl_msg_receive_doit,
		.policy		= ksf_msg_receive_nl_policy,
		.maxattr	= KSF_A_CHANNEL_BLOB,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KSF_CMD_MSG_NEGOTIATE,
		.doit		= ksf_nl_msg_negotiate_doit,
		.policy		= ksf_msg_negotiate_nl_policy,
		.maxattr	= KSF_A_CHANNEL_PEER,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group ksf_nl_mcgrps[] = {
	[KSF_NLGRP_EVENTS] = { "events", },
};
