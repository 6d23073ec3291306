// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksf-failnth: fail the Nth slab allocation of each ksf command, for N = 1,
 * 2, ... until the command no longer reaches its Nth allocation, and check
 * that every failure is clean: an error (or a per-item error status), and
 * nothing half-created (the instance's counts are as before).  Leaks,
 * use-after-free and lock bugs on these paths are caught by kmemleak,
 * KASAN and lockdep in the debug kernel the harness runs this on.
 *
 * Needs CONFIG_FAILSLAB and CONFIG_FAULT_INJECTION_DEBUG_FS.  TAP output.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/keyctl.h>

#include "libksf.h"

#define MAX_N 400

static struct ksf *h;
static int tap;
static int failed;

static void write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, val, strlen(val)) < 0) {
		printf("Bail out! %s: %s\n", path, strerror(errno));
		exit(1);
	}
	close(fd);
}

static int fail_nth_fd;

static void fail_nth_set(int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d", n);

	if (pwrite(fail_nth_fd, buf, len, 0) != len) {
		printf("Bail out! fail-nth: %s\n", strerror(errno));
		exit(1);
	}
}

/* Non-zero when the injected failure was not reached. */
static int fail_nth_left(void)
{
	char buf[16] = "";

	if (pread(fail_nth_fd, buf, sizeof(buf) - 1, 0) < 0)
		return -1;
	return atoi(buf);
}

static void on_alarm(int sig)
{
	(void)sig;
	printf("Bail out! a command hung under fault injection\n");
	exit(1);
}

static void must(int ret, const char *what)
{
	if (ret < 0) {
		printf("Bail out! %s: %s (%s)\n", what, strerror(-ret),
		       ksf_last_error(h));
		exit(1);
	}
}

static struct ksf_info info(void)
{
	struct ksf_info i;

	must(ksf_get_info(h, &i), "get-info");
	return i;
}

/* ---- the commands under test, each with its set-up and clean-up ---- */

static uint64_t hkey, akey, nkey, kkey, okey;

static void setup_peer(void)
{
	struct ksf_peer p = { .kind = KSF_PEER_KIND_NF, .has_uid = true,
			      .uid = 0, .has_policy = true };

	strcpy(p.id, "amf");
	p.policy.fields = KSF_POLICY_SERVICES | KSF_POLICY_ALGS;
	p.policy.services = 1ULL << KSF_SERVICE_MAC_GENERATE |
			    1ULL << KSF_SERVICE_KDF | 1ULL << KSF_SERVICE_ENCRYPT |
			    1ULL << KSF_SERVICE_NAS_MAC |
			    1ULL << KSF_SERVICE_NAS_CIPHER |
			    1ULL << KSF_SERVICE_AKA_VECTOR;
	p.policy.algs = 1ULL << KSF_ALG_HMAC_SHA256 | 1ULL << KSF_ALG_AES_CMAC |
			1ULL << KSF_ALG_KDF_SHA256 | 1ULL << KSF_ALG_AES_GCM |
			1ULL << KSF_ALG_NIA1 | 1ULL << KSF_ALG_NEA3 |
			1ULL << KSF_ALG_MILENAGE;
	must(ksf_peer_new(h, &p), "peer new");
}

static void setup_keys(void)
{
	struct ksf_key_spec g = { .type = KSF_KEY_TYPE_GENERIC, .len = 32,
				  .owner = "amf" };
	struct ksf_key_spec a = { .type = KSF_KEY_TYPE_AES, .len = 16,
				  .owner = "amf" };

	struct ksf_key_spec n = { .type = KSF_KEY_TYPE_NAS, .len = 16,
				  .owner = "amf" };
	struct ksf_key_spec k = { .type = KSF_KEY_TYPE_K, .len = 16,
				  .owner = "amf" };
	struct ksf_key_spec o = { .type = KSF_KEY_TYPE_OPC, .len = 16,
				  .owner = "amf" };

	must(ksf_key_new(h, &g, &hkey), "key new");
	must(ksf_key_new(h, &a, &akey), "key new");
	must(ksf_key_new(h, &n, &nkey), "key new");
	must(ksf_key_new(h, &k, &kkey), "key new");
	must(ksf_key_new(h, &o, &okey), "key new");
}

static void teardown(void)
{
	int a = ksf_peer_del(h, "amf"), b = ksf_peer_del(h, "smf");

	if ((a && a != -ENOENT) || (b && b != -ENOENT))
		printf("# clean-up: %d %d (%s)\n", a, b, ksf_last_error(h));
}

static int cmd_peer_new(void)
{
	struct ksf_peer p = { .kind = KSF_PEER_KIND_NF, .has_uid = true,
			      .uid = 1234, .has_policy = true };

	strcpy(p.id, "smf");
	p.policy.fields = KSF_POLICY_SERVICES;
	p.policy.services = 0x2;
	return ksf_peer_new(h, &p);
}

static int cmd_key_generate(void)
{
	struct ksf_key_spec s = { .type = KSF_KEY_TYPE_AES, .len = 32,
				  .owner = "amf", .max_age = 3600 };
	uint64_t handle;

	return ksf_key_new(h, &s, &handle);
}

static int cmd_key_import(void)
{
	static const unsigned char m[20] = { 0x0b, 0x0b, 0x0b };
	struct ksf_key_spec s = { .type = KSF_KEY_TYPE_GENERIC,
				  .owner = "amf",
				  .material = { m, sizeof(m) } };
	uint64_t handle;

	return ksf_key_new(h, &s, &handle);
}

/* A batch of every service: item failures are statuses, not errors. */
static int cmd_services(void)
{
	static const unsigned char msg[] = "Hi There";
	struct ksf_buf data = { msg, sizeof(msg) - 1 };
	struct ksf_buf p0 = { msg, 2 };
	struct ksf_item it[7] = {
		{ .service = KSF_SERVICE_MAC_GENERATE,
		  .alg = KSF_ALG_HMAC_SHA256, .key = hkey, .data = data },
		{ .service = KSF_SERVICE_MAC_GENERATE,
		  .alg = KSF_ALG_AES_CMAC, .key = akey, .data = data },
		{ .service = KSF_SERVICE_KDF, .key = hkey, .has_fc = true,
		  .fc = 0x6b, .params = &p0, .n_params = 1 },
		{ .service = KSF_SERVICE_ENCRYPT, .key = akey, .data = data },
		{ .service = KSF_SERVICE_NAS_MAC, .alg = KSF_ALG_NIA1,
		  .key = nkey, .data = data, .bits = 61 },
		{ .service = KSF_SERVICE_NAS_CIPHER, .alg = KSF_ALG_NEA3,
		  .key = nkey, .data = data },
		{ .service = KSF_SERVICE_AKA_VECTOR, .key = kkey, .key2 = okey,
		  .snn = "5G:mnc001.mcc001.3gppnetwork.org",
		  .subscriber = "imsi-001010000000001" },
	};
	struct ksf_result res[7];
	int n = ksf_service_request(h, it, 7, res);

	if (n > 0)
		ksf_results_free(res, n);
	return n < 0 ? n : 0;
}

static int cmd_peer_del(void)
{
	return ksf_peer_del(h, "amf");
}

static int cmd_peer_set(void)
{
	struct ksf_peer p = { .has_gid = true, .gid = 77, .has_policy = true };
	struct ksf_item it = { .service = KSF_SERVICE_MAC_GENERATE,
			       .alg = KSF_ALG_HMAC_SHA256, .key = 1 };
	struct ksf_notify_preset pre = {
		.status = KSF_NOTIFY_STATUS_DEREGISTERED, .items = &it,
		.n_items = 1 };

	strcpy(p.id, "amf");
	p.policy.fields = KSF_POLICY_SERVICES | KSF_POLICY_NOTIFY;
	p.policy.services = 0x2;
	p.policy.notify = &pre;
	p.policy.n_notify = 1;
	return ksf_peer_set(h, &p);
}

static int cmd_key_del(void)
{
	return ksf_key_del(h, hkey);
}

static int cmd_key_get(void)
{
	struct ksf_key k;
	int ret = ksf_key_get(h, akey, &k);

	if (!ret)
		ksf_key_clear(&k);
	return ret;
}

static void setup_preset(void)
{
	struct ksf_peer p = { .has_policy = true };
	struct ksf_item it = { .service = KSF_SERVICE_KDF, .has_fc = true,
			       .fc = 0x6c };
	struct ksf_notify_preset pre = {
		.status = KSF_NOTIFY_STATUS_DEREGISTERED, .items = &it,
		.n_items = 1 };

	setup_peer();
	setup_keys();
	it.key = hkey;
	strcpy(p.id, "amf");
	p.policy.fields = KSF_POLICY_NOTIFY;
	p.policy.notify = &pre;
	p.policy.n_notify = 1;
	must(ksf_peer_set(h, &p), "peer set");
}

static int cmd_notify(void)
{
	struct ksf_result res[1];
	int n = ksf_notify(h, "imsi-001010000000001",
			   KSF_NOTIFY_STATUS_DEREGISTERED, res, 1);

	if (n > 0)
		ksf_results_free(res, n);
	return n < 0 ? n : 0;
}

static int32_t kek_serial;

static int cmd_save(void)
{
	struct ksf_kek kek = { .serial = kek_serial };
	size_t size;
	void *blob;
	int ret = ksf_save(h, &kek, &blob, &size);

	if (!ret)
		free(blob);
	return ret;
}

/* A saved instance, restored into the emptied instance under test. */
static void *saved;
static size_t saved_size;

static void setup_empty(void)
{
}

static int cmd_restore(void)
{
	struct ksf_kek kek = { .serial = kek_serial };

	return ksf_restore(h, &kek, saved, saved_size);
}

struct cmd {
	const char *name;
	int (*run)(void);
	void (*setup)(void);
	int peers_delta;	/* change of peers on success */
	int keys_delta;		/* change of keys on success, or ANY */
};

#define ANY 0x7fff

static void setup_peer_keys(void)
{
	setup_peer();
	setup_keys();
}

static const struct cmd cmds[] = {
	{ "peer-new", cmd_peer_new, setup_peer, 1, 0 },
	{ "key-new (generate)", cmd_key_generate, setup_peer, 0, 1 },
	{ "key-new (import)", cmd_key_import, setup_peer, 0, 1 },
	/* a KDF item may fail alone (status error): one key more or not */
	{ "service-request (mac, cmac, kdf, gcm, nia1, nea3, aka-vector)",
	  cmd_services,
	  setup_peer_keys, 0, ANY },
	{ "peer-del", cmd_peer_del, setup_peer_keys, -1, -5 },
	{ "peer-set (binding, policy, preset)", cmd_peer_set, setup_peer_keys,
	  0, 0 },
	{ "key-del", cmd_key_del, setup_peer_keys, 0, -1 },
	{ "key-get", cmd_key_get, setup_peer_keys, 0, 0 },
	{ "notify (preset kdf)", cmd_notify, setup_preset, 0, ANY },
	{ "save", cmd_save, setup_peer_keys, 0, 0 },
	{ "restore", cmd_restore, setup_empty, 1, ANY },
};

static int run_one(const struct cmd *c, int n, int *reached)
{
	struct ksf_info before, after;
	int ret, left;

	c->setup();
	before = info();
	alarm(90);
	fail_nth_set(n);
	ret = c->run();
	left = fail_nth_left();
	fail_nth_set(0);
	alarm(0);
	after = info();
	*reached = left == 0;

	if (ret < 0 && ret != -ENOMEM && ret != -ENOBUFS && ret != -EAGAIN) {
		printf("# %s, fault %d: unexpected error %d (%s)\n", c->name,
		       n, ret, ksf_last_error(h));
		return -1;
	}
	/*
	 * -ENOBUFS may come from the ack after the command took effect (the
	 * socket layer could not tell us): the caller must re-read.  Any
	 * other error must leave the instance as it was.
	 */
	if (ret < 0 && ret != -ENOBUFS && (after.peers != before.peers ||
					   after.keys != before.keys)) {
		printf("# %s, fault %d failed (%d) but changed the instance: "
		       "peers %u->%u keys %u->%u\n", c->name, n, ret,
		       before.peers, after.peers, before.keys, after.keys);
		return -1;
	}
	if (!ret && (int)(after.peers - before.peers) != c->peers_delta) {
		printf("# %s, fault %d: succeeded with peers %u->%u\n",
		       c->name, n, before.peers, after.peers);
		return -1;
	}
	if (!ret && c->keys_delta != ANY &&
	    (int)(after.keys - before.keys) != c->keys_delta) {
		printf("# %s, fault %d: succeeded with keys %u->%u\n",
		       c->name, n, before.keys, after.keys);
		return -1;
	}
	teardown();
	if (info().peers || info().keys) {
		printf("# %s, fault %d (ret %d): objects left after clean-up: "
		       "%u peers %u keys\n", c->name, n, ret, info().peers,
		       info().keys);
		return -1;
	}
	return 0;
}

int main(void)
{
	size_t i;

	signal(SIGALRM, on_alarm);
	setvbuf(stdout, NULL, _IOLBF, 0);
	write_file("/sys/kernel/debug/failslab/ignore-gfp-wait", "N");
	write_file("/sys/kernel/debug/failslab/verbose", "0");
	write_file("/sys/kernel/debug/failslab/probability", "0");
	write_file("/sys/kernel/debug/failslab/times", "-1");
	fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fail_nth_fd < 0) {
		printf("Bail out! /proc/thread-self/fail-nth: %s\n",
		       strerror(errno));
		return 1;
	}
	h = ksf_open();
	if (!h) {
		printf("Bail out! ksf_open: %s\n", strerror(errno));
		return 1;
	}
	teardown();
	/*
	 * Instantiate hmac(sha256), cmac(aes), gcm(aes) once: a template
	 * instantiation failing under injection makes the crypto API wait
	 * up to a minute for a larval algorithm, which is not ksf's path.
	 */
	setup_peer_keys();
	must(cmd_services(), "warm-up request");
	kek_serial = syscall(SYS_add_key, "user", "ksf:failnth-kek",
			     "0123456789abcdef0123456789abcdef", 32,
			     KEY_SPEC_PROCESS_KEYRING);
	if (kek_serial < 0) {
		printf("Bail out! add_key: %s\n", strerror(errno));
		return 1;
	}
	{
		struct ksf_kek kek = { .serial = kek_serial };

		must(ksf_save(h, &kek, &saved, &saved_size), "save");
	}
	teardown();
	printf("1..%zu\n", sizeof(cmds) / sizeof(cmds[0]));
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		int n, reached = 1, bad = 0;

		for (n = 1; n <= MAX_N && reached && !bad; n++)
			bad = run_one(&cmds[i], n, &reached);
		if (!bad && reached) {
			printf("# %s: still failing at fault %d\n",
			       cmds[i].name, MAX_N);
			bad = 1;
		}
		printf("%sok %d - %s: %d allocations failed one by one, "
		       "all clean\n", bad ? "not " : "", ++tap, cmds[i].name,
		       n - 2);
		failed |= bad;
	}
	ksf_close(h);
	return failed;
}
