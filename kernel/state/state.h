/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Save and restore of an instance (its commands are in the generated
 * ops table, netlink/ksf-nl-gen.h).
 */
#ifndef _KSF_STATE_STATE_H
#define _KSF_STATE_STATE_H

#include <linux/types.h>

struct ksf_net;

void ksf_restore_release(struct ksf_net *kn, u32 portid);
void ksf_restore_exit(struct ksf_net *kn);

#endif /* _KSF_STATE_STATE_H */
