/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The transport: the generic netlink family, its requests, replies,
 * dumps and events.
 */
#ifndef _KSF_NETLINK_NETLINK_H
#define _KSF_NETLINK_NETLINK_H

#include <linux/types.h>
#include <net/genetlink.h>

struct ksf_list;
struct ksf_net;
struct ksf_peer;
struct ksf_req;
struct nlattr;

extern struct genl_family ksf_nl_family;
int ksf_nl_init(void);
void ksf_nl_exit(void);
int ksf_nl_watch_closes(void);
void ksf_nl_unwatch_closes(void);
/* netlink.c: a reply to @info of @size bytes, its header in @hdr */
struct sk_buff *ksf_nl_reply_new(struct genl_info *info, size_t size,
				 void **hdr);
/* netlink.c: the restore gate around the doit of command @cmd */
int ksf_nl_pre_doit(u8 cmd, struct genl_info *info);
void ksf_nl_post_doit(u8 cmd, struct genl_info *info);

/* request.c */
void ksf_nl_event(struct ksf_net *kn, u32 type, const char *peer, u64 key,
		  u64 new_key, u32 service, const char *reason);
void ksf_nl_timer_run(struct ksf_peer *peer, const struct ksf_list *timer);
int ksf_nl_req_decode(const struct nlattr *nest, struct ksf_req *req,
		      char *reason, size_t len);
int ksf_nl_req_encode(struct sk_buff *skb, int attr, const struct ksf_req *req);
struct ksf_batch;
struct ksf_batch *ksf_batch_decode(const struct nlattr *head, int len,
				   int item_type);
void ksf_batch_free(struct ksf_batch *b);
size_t ksf_batch_size(const struct ksf_batch *b);
size_t ksf_list_size(const struct ksf_list *l);
int ksf_run_batch(struct ksf_net *kn, struct ksf_peer *peer,
		  const struct ksf_batch *b, struct sk_buff *msg,
		  int result_type);
int ksf_run_list(struct ksf_net *kn, struct ksf_peer *peer,
		 const struct ksf_list *l, struct sk_buff *msg,
		 int result_type);

#endif /* _KSF_NETLINK_NETLINK_H */
