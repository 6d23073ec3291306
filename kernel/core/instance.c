// SPDX-License-Identifier: GPL-2.0-only
/*
 * The instance of a network namespace, as every layer finds it: its
 * pernet ID and the module's workqueue live here, low, so that the
 * transport and save/restore reach the instance without calling up into
 * main.c (which sets them at module init).
 */
#include <net/netns/generic.h>

#include "../ksf.h"

unsigned int ksf_net_id __read_mostly;
struct workqueue_struct *ksf_wq;

struct ksf_net *ksf_net(const struct net *net)
{
	return net_generic(net, ksf_net_id);
}
