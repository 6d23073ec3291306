/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A libksf handle on a second ksf instance: the instance of a new network
 * namespace, while the calling thread stays in its own (a netlink socket
 * keeps the namespace it was made in).  For programs that play both ends
 * of the channel between instances.
 */
#ifndef KSF_OTHER_INSTANCE_H
#define KSF_OTHER_INSTANCE_H

#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "libksf.h"

/* NULL: no namespace or no handle (errno says why). */
static inline struct ksf *ksf_open_other(void)
{
	int self = open("/proc/thread-self/ns/net", O_RDONLY);
	struct ksf *o = NULL;

	if (self < 0)
		return NULL;
	if (!unshare(CLONE_NEWNET)) {
		o = ksf_open();
		if (setns(self, CLONE_NEWNET)) {
			perror("setns back");
			exit(1);
		}
	}
	close(self);
	return o;
}

#endif /* KSF_OTHER_INSTANCE_H */
