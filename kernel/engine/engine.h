/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The engine: runs one decoded item through the gate of its service,
 * algorithm, trusted policy, context and key, then the service.
 */
#ifndef _KSF_ENGINE_ENGINE_H
#define _KSF_ENGINE_ENGINE_H

struct ksf_item;
struct ksf_net;

void ksf_engine_run(struct ksf_net *kn, struct ksf_item *it);

#endif /* _KSF_ENGINE_ENGINE_H */
