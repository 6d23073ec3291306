// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksf-failnth: fail the Nth slab allocation of each ksf command, for N = 1,
 * 2, ... until the command no longer reaches its Nth allocation, and check
 * that every failure is clean: an error (or a per-item error status), and
 * nothing half-created (the instance's peer, key and context counts are as
 * before).  Leaks,
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

/*
 * One key per usage family (they never share a key): hkey MACs, dkey
 * derives, akey encrypts, ckey CMACs, nkey NIA-MACs, ekey NEA-ciphers; a
 * K_AMF keys one NAS context, so kamf[] has one per nas-context item.
 */
static uint64_t hkey, dkey, akey, ckey, nkey, ekey, kkey, okey, kamf[4];

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
			    1ULL << KSF_SERVICE_AKA_VECTOR |
			    1ULL << KSF_SERVICE_NAS_CONTEXT |
			    1ULL << KSF_SERVICE_NAS_PROTECT |
			    1ULL << KSF_SERVICE_NAS_UNPROTECT |
			    1ULL << KSF_SERVICE_HRES_STAR;
	p.policy.algs = 1ULL << KSF_ALG_HMAC_SHA256 | 1ULL << KSF_ALG_AES_CMAC |
			1ULL << KSF_ALG_KDF_SHA256 | 1ULL << KSF_ALG_AES_GCM |
			1ULL << KSF_ALG_NIA1 | 1ULL << KSF_ALG_NEA3 |
			1ULL << KSF_ALG_MILENAGE | 1ULL << KSF_ALG_SHA256;
	must(ksf_peer_new(h, &p), "peer new");
}

static void key_new(uint32_t type, uint32_t len, uint32_t usage,
		    uint64_t *handle)
{
	struct ksf_key_spec s = { .type = type, .len = len, .usage = usage,
				  .owner = "amf" };

	must(ksf_key_new(h, &s, handle), "key new");
}

/*
 * A K_AMF of the same bytes each time: the two sides of a NAS connection
 * (imsi-amf and imsi-ue of setup_nas()) derive the same NAS keys.
 */
static void kamf_new(uint64_t *handle)
{
	static const unsigned char m[32] = { 0x5a, 0xc1, 0xa4, 0xf2 };
	struct ksf_key_spec s = { .type = KSF_KEY_TYPE_GENERIC,
				  .usage = KSF_KEY_USAGE_DERIVE, .owner = "amf",
				  .material = { m, sizeof(m) } };

	must(ksf_key_new(h, &s, handle), "key new");
}

#define N_KEYS	12	/* setup_keys() makes these */

static void setup_keys(void)
{
	const uint32_t mac = KSF_KEY_USAGE_MAC | KSF_KEY_USAGE_VERIFY;
	const uint32_t enc = KSF_KEY_USAGE_ENCRYPT | KSF_KEY_USAGE_DECRYPT;
	unsigned int i;

	key_new(KSF_KEY_TYPE_GENERIC, 32, mac, &hkey);
	key_new(KSF_KEY_TYPE_GENERIC, 32, KSF_KEY_USAGE_DERIVE, &dkey);
	key_new(KSF_KEY_TYPE_AES, 16, enc, &akey);
	key_new(KSF_KEY_TYPE_AES, 16, mac, &ckey);
	key_new(KSF_KEY_TYPE_NAS, 16, mac, &nkey);
	key_new(KSF_KEY_TYPE_NAS, 16, enc, &ekey);
	key_new(KSF_KEY_TYPE_K, 16, 0, &kkey);
	key_new(KSF_KEY_TYPE_OPC, 16, 0, &okey);
	for (i = 0; i < 4; i++)
		kamf_new(&kamf[i]);
}

static void setup_peer_keys(void)
{
	setup_peer();
	setup_keys();
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
		  .alg = KSF_ALG_AES_CMAC, .key = ckey, .data = data },
		{ .service = KSF_SERVICE_KDF, .key = dkey, .has_fc = true,
		  .fc = 0x6b, .params = &p0, .n_params = 1 },
		{ .service = KSF_SERVICE_ENCRYPT, .key = akey, .data = data },
		{ .service = KSF_SERVICE_NAS_MAC, .alg = KSF_ALG_NIA1,
		  .key = nkey, .data = data, .bits = 61, .has_count = true,
		  .has_bearer = true, .has_direction = true },
		{ .service = KSF_SERVICE_NAS_CIPHER, .alg = KSF_ALG_NEA3,
		  .key = ekey, .data = data, .has_count = true,
		  .has_bearer = true, .has_direction = true },
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
	it.key = dkey;
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

/* ---- contexts ---- */

static uint64_t ctx_handle;

/* An empty context, with the subscriber's SQN of a UDM. */
static void setup_context(void)
{
	struct ksf_context_spec c = { .peer = "amf",
				      .subscriber = "imsi-001010000000042",
				      .has_sqn_he = true, .sqn_he = 0x1000 };

	setup_peer_keys();
	must(ksf_context_new(h, &c, &ctx_handle), "context new");
}

/*
 * Two NAS contexts of "amf" from two K_AMFs: imsi-amf (downlink) and
 * imsi-ue (uplink, direction 0), and an uplink message imsi-amf accepts.
 */
static uint8_t ul_data[3], ul_mac[4], ul_seq;

static int items_failed;	/* items of the last request not ok */
static int injecting;		/* item failures are expected: quiet */

static int request(const struct ksf_item *it, size_t n,
		   struct ksf_result *res)
{
	int i, ret = ksf_service_request(h, it, n, res);

	items_failed = 0;
	for (i = 0; i < ret; i++) {
		if (res[i].status == KSF_STATUS_OK)
			continue;
		items_failed++;
		if (!injecting)
			printf("# item %u: status %u error %d (%s)\n",
			       res[i].index, res[i].status, res[i].error,
			       res[i].reason ? res[i].reason : "");
	}
	return ret;
}

static void setup_nas(void)
{
	static const unsigned char msg[] = { 0x7e, 0x00, 0x43 };
	struct ksf_item it[3] = {
		{ .service = KSF_SERVICE_NAS_CONTEXT, .subscriber = "imsi-amf",
		  .int_alg = KSF_ALG_NIA1, .enc_alg = KSF_ALG_NEA3 },
		{ .service = KSF_SERVICE_NAS_CONTEXT, .subscriber = "imsi-ue",
		  .int_alg = KSF_ALG_NIA1, .enc_alg = KSF_ALG_NEA3,
		  .has_direction = true, .direction = 0 },
		{ .service = KSF_SERVICE_NAS_PROTECT, .subscriber = "imsi-ue",
		  .data = { msg, sizeof(msg) } },
	};
	struct ksf_result res[3];
	int n;

	setup_peer_keys();
	it[0].key = kamf[0];
	it[1].key = kamf[1];
	n = request(it, 3, res);
	must(n, "nas-context");
	if (n != 3 || items_failed || res[2].data.size != sizeof(ul_data) ||
	    res[2].mac.size != sizeof(ul_mac)) {
		printf("Bail out! NAS set-up: %d results, %d failed\n", n,
		       items_failed);
		exit(1);
	}
	ctx_handle = res[0].context;
	memcpy(ul_data, res[2].data.ptr, sizeof(ul_data));
	memcpy(ul_mac, res[2].mac.ptr, sizeof(ul_mac));
	ul_seq = res[2].count & 0xff;
	ksf_results_free(res, n);
}

static int cmd_context_new(void)
{
	struct ksf_context_spec c = { .peer = "amf",
				      .subscriber = "imsi-001010000000043",
				      .has_sqn_he = true, .sqn_he = 0x2000 };
	uint64_t handle;

	return ksf_context_new(h, &c, &handle);
}

static int cmd_context_get(void)
{
	struct ksf_context c;

	return ksf_context_get(h, ctx_handle, &c);
}

static int cmd_context_get_sub(void)
{
	struct ksf_context c;

	return ksf_context_get_by_subscriber(h, "amf", "imsi-amf", &c);
}

static int cmd_context_del(void)
{
	return ksf_context_del(h, ctx_handle);
}

static int count_cb(const struct ksf_context *c, void *arg)
{
	(void)c;
	++*(int *)arg;
	return 0;
}

static int cmd_context_dump(void)
{
	int n = 0, ret = ksf_context_dump(h, count_cb, &n);

	if (!ret && n != 3) {
		printf("# context dump: %d contexts, not 3\n", n);
		return -EPROTO;
	}
	return ret;
}

static void setup_nas_context(void)
{
	struct ksf_context_spec c = { .peer = "amf",
				      .subscriber = "imsi-001010000000042" };
	uint64_t handle;

	setup_nas();
	must(ksf_context_new(h, &c, &handle), "context new");
}

/*
 * The NAS and SEAF services: protect (by handle), unprotect (the uplink
 * message), hres-star, nas-context for a new subscriber and one replacing
 * a NAS context (its keys destroyed).
 */
static int cmd_nas_services(void)
{
	static const unsigned char msg[] = { 0x7e, 0x00, 0x5d, 0x02, 0x00 };
	static const unsigned char rand[16] = {
		0x23, 0x55, 0x3c, 0xbe, 0x96, 0x37, 0xa8, 0x9d,
		0x21, 0x8a, 0xe6, 0x4d, 0xae, 0x47, 0xbf, 0x35 };
	static const unsigned char xres[16] = {
		0xf2, 0x36, 0xa7, 0x41, 0x72, 0x72, 0xbf, 0xb2,
		0xd6, 0x6d, 0x4d, 0x67, 0x07, 0x33, 0xb5, 0x27 };
	struct ksf_item it[5] = {
		{ .service = KSF_SERVICE_NAS_PROTECT, .context = ctx_handle,
		  .data = { msg, sizeof(msg) } },
		{ .service = KSF_SERVICE_NAS_UNPROTECT, .subscriber = "imsi-amf",
		  .data = { ul_data, sizeof(ul_data) },
		  .mac = { ul_mac, sizeof(ul_mac) },
		  .has_seq = true, .seq = ul_seq },
		{ .service = KSF_SERVICE_HRES_STAR, .rand = { rand, 16 },
		  .data = { xres, 16 } },
		{ .service = KSF_SERVICE_NAS_CONTEXT, .key = kamf[2],
		  .subscriber = "imsi-new", .int_alg = KSF_ALG_NIA1,
		  .enc_alg = KSF_ALG_NEA3 },
		{ .service = KSF_SERVICE_NAS_CONTEXT, .key = kamf[3],
		  .subscriber = "imsi-ue", .int_alg = KSF_ALG_NIA1,
		  .enc_alg = KSF_ALG_NEA3, .has_direction = true,
		  .direction = 0 },
	};
	struct ksf_result res[5];
	int n = request(it, 5, res);

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
	int ctx_delta;		/* change of contexts on success, or ANY */
};

#define ANY 0x7fff

static const struct cmd cmds[] = {
	{ "peer-new", cmd_peer_new, setup_peer, 1, 0, 0 },
	{ "key-new (generate)", cmd_key_generate, setup_peer, 0, 1, 0 },
	{ "key-new (import)", cmd_key_import, setup_peer, 0, 1, 0 },
	/*
	 * A KDF item may fail alone (status error): one key more or not;
	 * aka-vector creates the subscriber's context even if it fails.
	 */
	{ "service-request (mac, cmac, kdf, gcm, nia1, nea3, aka-vector)",
	  cmd_services,
	  setup_peer_keys, 0, ANY, ANY },
	{ "service-request (nas-protect, nas-unprotect, hres-star, nas-context)",
	  cmd_nas_services, setup_nas, 0, ANY, ANY },
	{ "peer-del", cmd_peer_del, setup_peer_keys, -1, -N_KEYS, 0 },
	/* its 3 contexts and their 4 NAS keys go with it */
	{ "peer-del (with contexts)", cmd_peer_del, setup_nas_context, -1,
	  -N_KEYS - 4,
	  -3 },
	{ "peer-set (binding, policy, preset)", cmd_peer_set, setup_peer_keys,
	  0, 0, 0 },
	{ "key-del", cmd_key_del, setup_peer_keys, 0, -1, 0 },
	{ "key-get", cmd_key_get, setup_peer_keys, 0, 0, 0 },
	{ "context-new", cmd_context_new, setup_context, 0, 0, 1 },
	{ "context-get (handle)", cmd_context_get, setup_nas, 0, 0, 0 },
	{ "context-get (peer, subscriber)", cmd_context_get_sub, setup_nas,
	  0, 0, 0 },
	{ "context-get (dump)", cmd_context_dump, setup_nas_context, 0, 0, 0 },
	/* the NAS context's two keys are destroyed with it */
	{ "context-del", cmd_context_del, setup_nas, 0, -2, -1 },
	{ "notify (preset kdf)", cmd_notify, setup_preset, 0, ANY, 0 },
	{ "save (peers, keys, contexts)", cmd_save, setup_nas_context, 0, 0,
	  0 },
	/* the saved state (main) holds the 4 contexts of a NAS request */
	{ "restore (peers, keys, contexts)", cmd_restore, setup_empty, 1, ANY,
	  4 },
};

static int run_one(const struct cmd *c, int n, int *reached)
{
	struct ksf_info before, after;
	int ret, left;

	c->setup();
	before = info();
	alarm(90);
	injecting = 1;
	fail_nth_set(n);
	ret = c->run();
	left = fail_nth_left();
	fail_nth_set(0);
	injecting = 0;
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
					   after.keys != before.keys ||
					   after.contexts != before.contexts)) {
		printf("# %s, fault %d failed (%d) but changed the instance: "
		       "peers %u->%u keys %u->%u contexts %u->%u\n", c->name,
		       n, ret, before.peers, after.peers, before.keys,
		       after.keys, before.contexts, after.contexts);
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
	if (!ret && c->ctx_delta != ANY &&
	    (int)(after.contexts - before.contexts) != c->ctx_delta) {
		printf("# %s, fault %d: succeeded with contexts %u->%u\n",
		       c->name, n, before.contexts, after.contexts);
		return -1;
	}
	teardown();
	after = info();
	if (after.peers || after.keys || after.contexts) {
		printf("# %s, fault %d (ret %d): objects left after clean-up: "
		       "%u peers %u keys %u contexts\n", c->name, n, ret,
		       after.peers, after.keys, after.contexts);
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
	teardown();
	/* and the NAS algorithms, SHA-256; the saved state has contexts */
	setup_nas_context();
	must(cmd_nas_services(), "warm-up NAS request");
	if (items_failed) {
		printf("Bail out! warm-up NAS request: %d items failed\n",
		       items_failed);
		return 1;
	}
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
