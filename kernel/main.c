// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksf module entry: one instance per network namespace.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/random.h>
#include <net/netns/generic.h>

#include "ksf.h"
#include "core/audit.h"
#include "core/chan.h"
#include "core/channel.h"
#include "core/context.h"
#include "core/identity.h"
#include "core/keystore.h"
#include "core/peer.h"
#include "core/policy.h"
#include "crypto/kdf.h"
#include "crypto/nas_alg.h"
#include "engine/engine.h"
#include "state/state.h"
#include "netlink/netlink.h"

/* An instance's init (pernet init; the KUnit suites use it too). */
int ksf_instance_init(struct ksf_net *kn, struct net *net)
{
	int ret;

	kn->net = net;
	kn->instance_id = get_random_u64();
	mutex_init(&kn->lock);
	mutex_init(&kn->expire_lock);
	mutex_init(&kn->restore_lock);
	INIT_LIST_HEAD(&kn->nf_peers);
	INIT_LIST_HEAD(&kn->ksf_peers);
	ratelimit_state_init(&kn->verify_rs, 5 * HZ, 10);
	ratelimit_set_flags(&kn->verify_rs, RATELIMIT_MSG_ON_RELEASE);
	ksf_chan_reaper_init(kn);
	ratelimit_state_init(&kn->msg_rs, 5 * HZ, 10);
	ratelimit_set_flags(&kn->msg_rs, RATELIMIT_MSG_ON_RELEASE);
	ratelimit_state_init(&kn->hs_rs, HZ, KSF_HS_RATE_INSTANCE);
	ratelimit_set_flags(&kn->hs_rs, RATELIMIT_MSG_ON_RELEASE);

	ret = percpu_init_rwsem(&kn->gate);
	if (ret)
		return ret;
	ret = ksf_peers_init(kn);
	if (ret)
		goto err_gate;
	ret = ksf_keys_init(kn);
	if (ret)
		goto err_peers;
	ret = ksf_contexts_init(kn);
	if (ret)
		goto err_keys;
	ret = ksf_identity_init(kn);
	if (ret)
		goto err_contexts;
	return 0;

err_contexts:
	ksf_contexts_destroy(kn);
err_keys:
	ksf_keys_destroy(kn);
err_peers:
	ksf_peers_destroy(kn);
err_gate:
	percpu_free_rwsem(&kn->gate);
	return ret;
}

static int __net_init ksf_net_init(struct net *net)
{
	return ksf_instance_init(ksf_net(net), net);
}

void ksf_instance_exit(struct ksf_net *kn)
{
	mutex_lock(&kn->lock);
	kn->dead = true;
	mutex_unlock(&kn->lock);
	/* Peers first: they stop their timers and destroy their keys. */
	ksf_chan_reaper_stop(kn);
	ksf_restore_exit(kn);
	ksf_peers_destroy(kn);
	ksf_contexts_destroy(kn);
	ksf_keys_destroy(kn);
	ksf_identity_destroy(kn);
	percpu_free_rwsem(&kn->gate);
}

static void __net_exit ksf_net_exit(struct net *net)
{
	ksf_instance_exit(ksf_net(net));
}

static struct pernet_operations ksf_net_ops = {
	.init = ksf_net_init,
	.exit = ksf_net_exit,
	.id   = &ksf_net_id,
	.size = sizeof(struct ksf_net),
};

static int __init ksf_init(void)
{
	int ret;

	/* Every service of the spec has a sound descriptor. */
	ret = ksf_registry_check();
	if (ret)
		return ret;
	ksf_wq = alloc_workqueue("ksf", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!ksf_wq)
		return -ENOMEM;
	/* SNOW 3G and ZUC for the NAS algorithms (nas_alg.c). */
	ret = ksf_algs_init();
	if (ret)
		goto err_wq;
	ret = ksf_kdf_init();
	if (ret)
		goto err_algs;
	/* Upward needs of the core, served by the transport. */
	ksf_audit_set_sink(ksf_nl_event);
	ksf_timers_set_runner(ksf_nl_timer_run);
	ret = register_pernet_subsys(&ksf_net_ops);
	if (ret)
		goto err_kdf;
	ret = ksf_nl_init();
	if (ret)
		goto err_pernet;
	pr_info("version %s loaded\n", KSF_VERSION);
	return 0;

err_pernet:
	unregister_pernet_subsys(&ksf_net_ops);
err_kdf:
	ksf_timers_set_runner(NULL);
	ksf_audit_set_sink(NULL);
	ksf_kdf_exit();
err_algs:
	ksf_algs_exit();
err_wq:
	destroy_workqueue(ksf_wq);
	return ret;
}

static void __exit ksf_exit(void)
{
	/* No request can run once the family is gone. */
	ksf_nl_exit();
	unregister_pernet_subsys(&ksf_net_ops);
	ksf_timers_set_runner(NULL);
	ksf_audit_set_sink(NULL);
	ksf_kdf_exit();
	ksf_algs_exit();
	destroy_workqueue(ksf_wq);
	rcu_barrier();	/* objects freed by call_rcu */
	pr_info("unloaded\n");
}

module_init(ksf_init);
module_exit(ksf_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksf: kernel security function for 5G network-function hosts");
MODULE_AUTHOR("ksf developers <ksf-dev@example.org>");
MODULE_VERSION(KSF_VERSION);
MODULE_ALIAS_GENL_FAMILY(KSF_FAMILY_NAME);
