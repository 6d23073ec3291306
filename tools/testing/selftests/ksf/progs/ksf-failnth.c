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
 * Each command is swept several times (see passes).
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
#include "other-instance.h"

#define MAX_N 400
/*
 * The Nth allocation is not always the same site: the debug kernel's own
 * bookkeeping allocates now and then in the middle of a command (counts
 * differ by one or two between runs), so one sweep misses a site now and
 * then.  Each command is swept this many times (KSF_FAILNTH_PASSES).
 */
static int passes = 3;

static struct ksf *h;
static struct ksf *h2;	/* another instance (netns): the channel's other end */
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

/*
 * Requests and policies are built by the set-ups, before the fault is
 * armed: the library's own allocations (a malloc may take a brk or mmap
 * call into the kernel) must not use up the injected failure.  teardown()
 * frees them.
 */
static struct ksf_items *req;
static struct ksf_policy *pol;

static struct ksf_item *add(struct ksf_items **l, uint32_t service)
{
	struct ksf_item *it;

	if (!*l)
		*l = ksf_items_new();
	it = *l ? ksf_items_add(*l, service) : NULL;
	if (!it) {
		printf("Bail out! item: %s\n", strerror(errno));
		exit(1);
	}
	return it;
}

static void set32(struct ksf_item *it, const char *f, uint32_t v)
{
	must(ksf_item_set_u32(it, f, v), f);
}

static void set64(struct ksf_item *it, const char *f, uint64_t v)
{
	must(ksf_item_set_u64(it, f, v), f);
}

static void setstr(struct ksf_item *it, const char *f, const char *v)
{
	must(ksf_item_set_str(it, f, v), f);
}

static void setbin(struct ksf_item *it, const char *f, const void *p,
		   size_t n)
{
	must(ksf_item_set_bin(it, f, p, n), f);
}

static struct ksf_policy *policy_new(void)
{
	struct ksf_policy *p = ksf_policy_new();

	if (!p) {
		printf("Bail out! policy: %s\n", strerror(errno));
		exit(1);
	}
	return p;
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
static uint64_t suci_a, suci_b;	/* the home network keys of C.4.3, C.4.4 */

static void setup_peer(void)
{
	static const uint32_t services[] = {
		KSF_SERVICE_MAC_GENERATE, KSF_SERVICE_KDF, KSF_SERVICE_ENCRYPT,
		KSF_SERVICE_NAS_MAC, KSF_SERVICE_NAS_CIPHER,
		KSF_SERVICE_AKA_VECTOR, KSF_SERVICE_NAS_CONTEXT,
		KSF_SERVICE_NAS_PROTECT, KSF_SERVICE_NAS_UNPROTECT,
		KSF_SERVICE_HRES_STAR, KSF_SERVICE_SUCI_CONCEAL,
		KSF_SERVICE_SUCI_DECONCEAL, KSF_SERVICE_SUCI_PUBLIC_KEY,
	};
	static const uint32_t algs[] = {
		KSF_ALG_HMAC_SHA256, KSF_ALG_AES_CMAC, KSF_ALG_KDF_SHA256,
		KSF_ALG_AES_GCM, KSF_ALG_NIA1, KSF_ALG_NEA3, KSF_ALG_MILENAGE,
		KSF_ALG_SHA256, KSF_ALG_SUCI_NULL, KSF_ALG_SUCI_PROFILE_A,
		KSF_ALG_SUCI_PROFILE_B,
	};
	struct ksf_peer p = { .kind = KSF_PEER_KIND_NF, .has_uid = true,
			      .uid = 0 };

	strcpy(p.id, "amf");
	p.policy = policy_new();
	must(ksf_policy_set_list(p.policy, "services", services,
				 sizeof(services) / sizeof(services[0])),
	     "services");
	must(ksf_policy_set_list(p.policy, "algs", algs,
				 sizeof(algs) / sizeof(algs[0])), "algs");
	must(ksf_peer_new(h, &p), "peer new");
	ksf_policy_free(p.policy);
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

/* TS 33.501 C.4.3 and C.4.4: home network keys, public keys, outputs. */
static const unsigned char hn_a[32] = {
	0xc5, 0x3c, 0x22, 0x20, 0x8b, 0x61, 0x86, 0x0b, 0x06, 0xc6, 0x2e,
	0x54, 0x06, 0xa7, 0xb3, 0x30, 0xc2, 0xb5, 0x77, 0xaa, 0x55, 0x58,
	0x98, 0x15, 0x10, 0xd1, 0x28, 0x24, 0x7d, 0x38, 0xbd, 0x1d,
};
static const unsigned char hn_b[32] = {
	0xf1, 0xab, 0x10, 0x74, 0x47, 0x7e, 0xbc, 0xc7, 0xf5, 0x54, 0xea,
	0x1c, 0x5f, 0xc3, 0x68, 0xb1, 0x61, 0x67, 0x30, 0x15, 0x5e, 0x00,
	0x41, 0xac, 0x44, 0x7d, 0x63, 0x01, 0x97, 0x5f, 0xec, 0xda,
};
static const char hn_a_pub[] =
	"5a8d38864820197c3394b92613b20b91633cbd897119273bf8e4a6f4eec0a650";
static const char hn_b_pub[] =
	"0272da71976234ce833a6907425867b82e074d44ef907dfb4b3e21c1c2256ebcd1";
static const char suci_a_out[] =
	"b2e92f836055a255837debf850b528997ce0201cb82adfe4be1f587d07d8457d"
	"cb02352410cddd9e730ef3fa87";
static const char suci_b_out[] =
	"039aab8376597021e855679a9778ea0b67396e68c66df32c0f41e9acca2da9b9d1"
	"46a33fc2716ac7dae96aa30a4d";

static void key_import(uint32_t type, const unsigned char *m, size_t len,
		       uint64_t *handle)
{
	struct ksf_key_spec s = { .type = type, .owner = "amf",
				  .material = { m, len } };

	must(ksf_key_new(h, &s, handle), "key import");
}

#define N_KEYS	14	/* setup_keys() makes these */

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
	key_import(KSF_KEY_TYPE_SUCI_A, hn_a, sizeof(hn_a), &suci_a);
	key_import(KSF_KEY_TYPE_SUCI_B, hn_b, sizeof(hn_b), &suci_b);
}

static void setup_peer_keys(void)
{
	setup_peer();
	setup_keys();
}

static void teardown(void)
{
	int a = ksf_peer_del(h, "amf"), b = ksf_peer_del(h, "smf");
	int c = ksf_peer_del(h2, "main");

	if ((a && a != -ENOENT) || (b && b != -ENOENT) || (c && c != -ENOENT))
		printf("# clean-up: %d %d %d (%s)\n", a, b, c, ksf_last_error(h));
	ksf_items_free(req);
	req = NULL;
	ksf_policy_free(pol);
	pol = NULL;
}

static void setup_peer_new(void)
{
	static const uint32_t services[] = { KSF_SERVICE_MAC_GENERATE };

	setup_peer();
	pol = policy_new();
	must(ksf_policy_set_list(pol, "services", services, 1), "services");
}

static int cmd_peer_new(void)
{
	struct ksf_peer p = { .kind = KSF_PEER_KIND_NF, .has_uid = true,
			      .uid = 1234, .policy = pol };

	strcpy(p.id, "smf");
	return ksf_peer_new(h, &p);
}

/* Another instance's public key (TS 33.501 C.4.3's home network key). */
static const uint8_t other_pub[KSF_PUBLIC_KEY_LEN] = {
	0x5a, 0x8d, 0x38, 0x86, 0x48, 0x20, 0x19, 0x7c, 0x33, 0x94, 0xb9,
	0x26, 0x13, 0xb2, 0x0b, 0x91, 0x63, 0x3c, 0xbd, 0x89, 0x71, 0x19,
	0x27, 0x3b, 0xf8, 0xe4, 0xa6, 0xf4, 0xee, 0xc0, 0xa6, 0x50,
};

static int cmd_peer_new_ksf(void)
{
	struct ksf_peer p = { .kind = KSF_PEER_KIND_KSF };
	int ret;

	strcpy(p.id, "smf");	/* teardown deletes it */
	must(ksf_peer_set_public_key(&p, other_pub), "public key");
	ret = ksf_peer_new(h, &p);
	ksf_peer_clear(&p);
	return ret;
}

static void setup_ksf_peer(void)
{
	setup_peer();
	must(cmd_peer_new_ksf(), "ksf peer");
}

static uint64_t pskkey;

static void setup_psk(void)
{
	setup_peer();
	key_new(KSF_KEY_TYPE_PSK, 32, 0, &pskkey);
}

/* A ksf peer with a psk: the key is checked, its handle kept. */
static int cmd_peer_new_psk(void)
{
	struct ksf_peer p = { .kind = KSF_PEER_KIND_KSF };
	int ret;

	strcpy(p.id, "smf");
	must(ksf_peer_set_public_key(&p, other_pub), "public key");
	must(ksf_peer_set_psk(&p, pskkey), "psk");
	ret = ksf_peer_new(h, &p);
	ksf_peer_clear(&p);
	return ret;
}

static void setup_ksf_peer_psk(void)
{
	setup_ksf_peer();
	key_new(KSF_KEY_TYPE_PSK, 32, 0, &pskkey);
}

/* peer-set of a psk, then of reset-timestamp. */
static int cmd_peer_set_psk(void)
{
	struct ksf_peer p = { .kind = 0 };
	int ret;

	strcpy(p.id, "smf");
	must(ksf_peer_set_psk(&p, pskkey), "psk");
	ret = ksf_peer_set(h, &p);
	ksf_peer_clear(&p);
	return ret ? ret : ksf_peer_reset_timestamp(h, "smf");
}

/* A handshake with the ksf peer: its state, then the blob. */
static int cmd_msg_handshake(void)
{
	struct ksf_msgs *l = NULL;
	int ret = ksf_msg_handshake(h, "smf", &l);

	if (!ret && ksf_msgs_count(l) != 1)
		ret = -EPROTO;
	ksf_msgs_free(l);
	return ret;
}

/*
 * The channel with a second instance: "smf" here is h2, "main" there is
 * this instance.  Blobs are carried between the two handles.
 */
static struct ksf_msgs *carried;	/* the last blobs a step gave */

static void peer_ksf(struct ksf *on, const char *id, struct ksf *of)
{
	struct ksf_peer p = { .kind = KSF_PEER_KIND_KSF };
	uint8_t pub[KSF_PUBLIC_KEY_LEN];

	strcpy(p.id, id);
	must(ksf_get_public_key(of, pub), "public key");
	must(ksf_peer_set_public_key(&p, pub), "public key");
	must(ksf_policy_set_list(p.policy = ksf_policy_new(), "ask-services",
				 (uint32_t[]){ KSF_SERVICE_KDF }, 1), "ask");
	must(ksf_peer_new(on, &p), id);
	ksf_peer_clear(&p);
}

/* Hands the blob @i of the last step in to @to; the outputs replace it. */
static int carry(struct ksf *to, size_t i)
{
	const char *peer;
	const uint8_t *blob;
	struct ksf_msg_outcome oc;
	struct ksf_msgs *out = NULL;
	uint32_t type;
	size_t len;
	int ret;

	must(ksf_msgs_get(carried, i, &peer, &type, &blob, &len), "blob");
	ret = ksf_msg_receive(to, (const void *const *)&blob, &len, 1, &oc,
			      &out);
	ksf_msgs_free(carried);
	carried = out;
	return ret;
}

static void setup_channel(void)
{
	setup_peer();
	peer_ksf(h, "smf", h2);
	peer_ksf(h2, "main", h);
	ksf_msgs_free(carried);
	carried = NULL;
}

/* A session: h shook hands with h2. */
static void setup_session(void)
{
	setup_channel();
	must(ksf_msg_handshake(h, "smf", &carried), "handshake");
	must(carry(h2, 0), "init");
	must(carry(h, 0), "response");
	must(carry(h2, 0), "confirm");
}

/* h2's handshake-init, to hand in. */
static void setup_init(void)
{
	setup_channel();
	must(ksf_msg_handshake(h2, "main", &carried), "handshake");
}

/* h2's response to h's handshake-init, to hand in. */
static void setup_response(void)
{
	setup_channel();
	must(ksf_msg_handshake(h, "smf", &carried), "handshake");
	must(carry(h2, 0), "init");
}

/* h2's offer to h, to hand in. */
static void setup_offer(void)
{
	setup_session();
	must(ksf_msg_negotiate(h2, "main", &carried), "offer");
}

/* h2's answer to h's offer, to hand in. */
static void setup_answer(void)
{
	setup_session();
	must(ksf_msg_negotiate(h, "smf", &carried), "offer");
	must(carry(h2, 0), "answer");
}

static int cmd_msg_negotiate(void)
{
	struct ksf_msgs *l = NULL;
	int ret = ksf_msg_negotiate(h, "smf", &l);

	if (!ret && ksf_msgs_count(l) != 1)
		ret = -EPROTO;
	ksf_msgs_free(l);
	return ret;
}

/* What the blob handed in calls for must come out whole, or an error. */
static int cmd_msg_receive(void)
{
	int ret = carry(h, 0);

	if (!ret && ksf_msgs_count(carried) > 1)
		ret = -EPROTO;
	return ret;
}

static int cmd_key_generate(void)
{
	struct ksf_key_spec s = { .type = KSF_KEY_TYPE_AES, .len = 32,
				  .owner = "amf", .max_age = 3600 };
	uint64_t handle;

	return ksf_key_new(h, &s, &handle);
}

/* A P-256 private key: drawn again while the kpp refuses it. */
static int cmd_key_generate_suci(void)
{
	struct ksf_key_spec s = { .type = KSF_KEY_TYPE_SUCI_B, .len = 32,
				  .owner = "amf" };
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

/* NAS COUNT, bearer and direction 0; bits when non-zero. */
static void nas_params(struct ksf_item *it, uint32_t bits)
{
	set32(it, "count", 0);
	set32(it, "bearer", 0);
	set32(it, "direction", 0);
	if (bits)
		set32(it, "bits", bits);
}

/* An item of the batch: its alg (0: none) and key, then data if any. */
static struct ksf_item *batch_item(uint32_t service, uint32_t alg,
				   uint64_t key, const char *data)
{
	struct ksf_item *it = add(&req, service);

	if (alg)
		set32(it, "alg", alg);
	set64(it, "key", key);
	if (data)
		setbin(it, "data", data, strlen(data));
	return it;
}

/* A batch of every service: item failures are statuses, not errors. */
static void setup_services(void)
{
	static const char msg[] = "Hi There";
	struct ksf_item *it;

	setup_peer_keys();
	batch_item(KSF_SERVICE_MAC_GENERATE, KSF_ALG_HMAC_SHA256, hkey, msg);
	batch_item(KSF_SERVICE_MAC_GENERATE, KSF_ALG_AES_CMAC, ckey, msg);
	it = batch_item(KSF_SERVICE_KDF, 0, dkey, NULL);
	set32(it, "fc", 0x6b);
	setbin(it, "param", msg, 2);
	batch_item(KSF_SERVICE_ENCRYPT, 0, akey, msg);
	nas_params(batch_item(KSF_SERVICE_NAS_MAC, KSF_ALG_NIA1, nkey, msg), 61);
	nas_params(batch_item(KSF_SERVICE_NAS_CIPHER, KSF_ALG_NEA3, ekey, msg),
		   0);
	it = batch_item(KSF_SERVICE_AKA_VECTOR, 0, kkey, NULL);
	set64(it, "key2", okey);
	setstr(it, "snn", "5G:mnc001.mcc001.3gppnetwork.org");
	setstr(it, "subscriber", "imsi-001010000000001");
}

static void sethex(struct ksf_item *it, const char *f, const char *hex)
{
	unsigned char b[128];
	size_t i, n = strlen(hex) / 2;

	for (i = 0; i < n && i < sizeof(b); i++)
		sscanf(hex + 2 * i, "%2hhx", &b[i]);
	setbin(it, f, b, n);
}

/* Every SUCI service and scheme: public keys, conceal, de-conceal. */
static void setup_suci(void)
{
	struct ksf_item *it;

	setup_peer_keys();
	batch_item(KSF_SERVICE_SUCI_PUBLIC_KEY, KSF_ALG_SUCI_PROFILE_A,
		   suci_a, NULL);
	batch_item(KSF_SERVICE_SUCI_PUBLIC_KEY, KSF_ALG_SUCI_PROFILE_B,
		   suci_b, NULL);
	it = add(&req, KSF_SERVICE_SUCI_CONCEAL);
	set32(it, "alg", KSF_ALG_SUCI_PROFILE_A);
	sethex(it, "hn-pub", hn_a_pub);
	sethex(it, "data", "00012080f6");
	it = add(&req, KSF_SERVICE_SUCI_CONCEAL);
	set32(it, "alg", KSF_ALG_SUCI_PROFILE_B);
	sethex(it, "hn-pub", hn_b_pub);
	set32(it, "hn-key-id", 2);
	sethex(it, "data", "00012080f6");
	it = add(&req, KSF_SERVICE_SUCI_CONCEAL);
	set32(it, "alg", KSF_ALG_SUCI_NULL);
	sethex(it, "data", "00012080f6");
	it = batch_item(KSF_SERVICE_SUCI_DECONCEAL, KSF_ALG_SUCI_PROFILE_A,
			suci_a, NULL);
	sethex(it, "data", suci_a_out);
	it = batch_item(KSF_SERVICE_SUCI_DECONCEAL, KSF_ALG_SUCI_PROFILE_B,
			suci_b, NULL);
	sethex(it, "data", suci_b_out);
	it = add(&req, KSF_SERVICE_SUCI_DECONCEAL);
	set32(it, "alg", KSF_ALG_SUCI_NULL);
	sethex(it, "data", "00012080f6");
}

static int cmd_services(void)
{
	struct ksf_results *res;
	int n = ksf_service_request(h, req, &res);

	if (n >= 0)
		ksf_results_free(res);
	return n < 0 ? n : 0;
}

/*
 * key-replace of dkey by rkey, a derive key with a peer that derived
 * once (an FC record): the copy's allocations (key, peers, FC record).
 */
static uint64_t rkey;

static void setup_replace(void)
{
	static const char *const peers[] = { "smf" };
	struct ksf_key_spec s = { .type = KSF_KEY_TYPE_GENERIC, .len = 32,
				  .usage = KSF_KEY_USAGE_DERIVE, .owner = "amf",
				  .peers = peers, .n_peers = 1 };
	struct ksf_item *it;

	setup_peer_keys();
	must(ksf_key_new(h, &s, &rkey), "key new (replacement)");
	it = batch_item(KSF_SERVICE_KDF, 0, rkey, NULL);
	set32(it, "fc", 0x6b);
	setbin(it, "param", "ab", 2);
	must(cmd_services(), "kdf on the replacement");
	ksf_items_free(req);
	req = NULL;
}

static int cmd_key_replace(void)
{
	return ksf_notify_key_replace(h, dkey, rkey);
}

static int cmd_peer_del(void)
{
	return ksf_peer_del(h, "amf");
}

static void setup_peer_set(void)
{
	static const uint32_t services[] = { KSF_SERVICE_MAC_GENERATE };
	struct ksf_items *l = NULL;
	struct ksf_item *it;

	setup_peer_keys();
	pol = policy_new();
	must(ksf_policy_set_list(pol, "services", services, 1), "services");
	it = add(&l, KSF_SERVICE_MAC_GENERATE);
	set32(it, "alg", KSF_ALG_HMAC_SHA256);
	set64(it, "key", 1);
	must(ksf_policy_add_trigger(pol, KSF_TRIGGER_NOTIFY,
				    KSF_NOTIFY_STATUS_DEREGISTERED, l),
	     "preset");
	must(ksf_policy_set_str(pol, "carry", "home,ue-host"), "carry");
}

static int cmd_peer_set(void)
{
	struct ksf_peer p = { .has_gid = true, .gid = 77, .policy = pol };

	strcpy(p.id, "amf");
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
	struct ksf_peer p = { 0 };
	struct ksf_items *l = NULL;
	struct ksf_item *it;

	setup_peer();
	setup_keys();
	it = add(&l, KSF_SERVICE_KDF);
	set32(it, "fc", 0x6c);
	set64(it, "key", dkey);
	strcpy(p.id, "amf");
	p.policy = policy_new();
	must(ksf_policy_add_trigger(p.policy, KSF_TRIGGER_NOTIFY,
				    KSF_NOTIFY_STATUS_DEREGISTERED, l), "preset");
	must(ksf_peer_set(h, &p), "peer set");
	ksf_policy_free(p.policy);
}

static int cmd_notify(void)
{
	struct ksf_results *res;
	int n = ksf_notify(h, "imsi-001010000000001",
			   KSF_NOTIFY_STATUS_DEREGISTERED, &res);

	if (n >= 0)
		ksf_results_free(res);
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

static int request(const struct ksf_items *it, struct ksf_results **res)
{
	int i, ret = ksf_service_request(h, it, res);
	const struct ksf_result *r;

	items_failed = 0;
	for (i = 0; i < ret; i++) {
		r = ksf_results_get(*res, i);
		if (ksf_result_status(r) == KSF_STATUS_OK)
			continue;
		items_failed++;
		if (!injecting)
			printf("# item %u: status %u error %d (%s)\n",
			       ksf_result_index(r), ksf_result_status(r),
			       ksf_result_error(r),
			       ksf_result_reason(r) ? ksf_result_reason(r) : "");
	}
	return ret;
}

static void nas_context(struct ksf_items **l, uint64_t key, const char *sub,
			bool uplink)
{
	struct ksf_item *it = add(l, KSF_SERVICE_NAS_CONTEXT);

	set64(it, "key", key);
	setstr(it, "subscriber", sub);
	set32(it, "int-alg", KSF_ALG_NIA1);
	set32(it, "enc-alg", KSF_ALG_NEA3);
	set32(it, "bearer", 2);		/* non-3GPP access, both sides */
	if (uplink)
		set32(it, "direction", 0);
}

static void setup_nas(void)
{
	static const unsigned char msg[] = { 0x7e, 0x00, 0x43 };
	const struct ksf_result *r0, *r2;
	struct ksf_items *l = NULL;
	struct ksf_results *res;
	const void *data = NULL, *mac = NULL;
	size_t dlen = 0, mlen = 0;
	struct ksf_item *it;
	uint32_t count = 0;
	int n;

	setup_peer_keys();
	nas_context(&l, kamf[0], "imsi-amf", false);
	nas_context(&l, kamf[1], "imsi-ue", true);
	it = add(&l, KSF_SERVICE_NAS_PROTECT);
	setstr(it, "subscriber", "imsi-ue");
	setbin(it, "data", msg, sizeof(msg));
	n = request(l, &res);
	ksf_items_free(l);
	must(n, "nas-context");
	r0 = ksf_results_get(res, 0);
	r2 = ksf_results_get(res, 2);
	ksf_result_get_bin(r2, "data", &data, &dlen);
	ksf_result_get_bin(r2, "mac", &mac, &mlen);
	ksf_result_get_u32(r2, "count", &count);
	if (n != 3 || items_failed || dlen != sizeof(ul_data) ||
	    mlen != sizeof(ul_mac) ||
	    ksf_result_get_u64(r0, "context", &ctx_handle)) {
		printf("Bail out! NAS set-up: %d results, %d failed\n", n,
		       items_failed);
		exit(1);
	}
	memcpy(ul_data, data, sizeof(ul_data));
	memcpy(ul_mac, mac, sizeof(ul_mac));
	ul_seq = count & 0xff;
	ksf_results_free(res);
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
static void build_nas_services(void)
{
	static const unsigned char msg[] = { 0x7e, 0x00, 0x5d, 0x02, 0x00 };
	static const unsigned char rand[16] = {
		0x23, 0x55, 0x3c, 0xbe, 0x96, 0x37, 0xa8, 0x9d,
		0x21, 0x8a, 0xe6, 0x4d, 0xae, 0x47, 0xbf, 0x35 };
	static const unsigned char xres[16] = {
		0xf2, 0x36, 0xa7, 0x41, 0x72, 0x72, 0xbf, 0xb2,
		0xd6, 0x6d, 0x4d, 0x67, 0x07, 0x33, 0xb5, 0x27 };
	struct ksf_item *it;

	it = add(&req, KSF_SERVICE_NAS_PROTECT);
	set64(it, "context", ctx_handle);
	setbin(it, "data", msg, sizeof(msg));
	it = add(&req, KSF_SERVICE_NAS_UNPROTECT);
	setstr(it, "subscriber", "imsi-amf");
	setbin(it, "data", ul_data, sizeof(ul_data));
	setbin(it, "mac", ul_mac, sizeof(ul_mac));
	set32(it, "seq", ul_seq);
	it = add(&req, KSF_SERVICE_HRES_STAR);
	setbin(it, "rand", rand, 16);
	setbin(it, "res", xres, 16);
	nas_context(&req, kamf[2], "imsi-new", false);
	nas_context(&req, kamf[3], "imsi-ue", true);
}

static void setup_nas_services(void)
{
	setup_nas();
	build_nas_services();
}

static int cmd_nas_services(void)
{
	struct ksf_results *res;
	int n = request(req, &res);

	if (n >= 0)
		ksf_results_free(res);
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

static int suci_warm_up(void)
{
	struct ksf_results *res;
	int n = request(req, &res);

	if (n >= 0)
		ksf_results_free(res);
	return n;
}

static const struct cmd cmds[] = {
	{ "peer-new", cmd_peer_new, setup_peer_new, 1, 0, 0 },
	{ "peer-new (ksf, public key)", cmd_peer_new_ksf, setup_peer, 1, 0, 0 },
	{ "peer-new (ksf, psk)", cmd_peer_new_psk, setup_psk, 1, 0, 0 },
	{ "peer-set (psk, reset-timestamp)", cmd_peer_set_psk,
	  setup_ksf_peer_psk, 0, 0, 0 },
	{ "msg-handshake", cmd_msg_handshake, setup_ksf_peer, 0, 0, 0 },
	{ "msg-negotiate", cmd_msg_negotiate, setup_session, 0, 0, 0 },
	{ "msg-receive (handshake-init)", cmd_msg_receive, setup_init, 0, 0, 0 },
	{ "msg-receive (handshake-response)", cmd_msg_receive, setup_response,
	  0, 0, 0 },
	{ "msg-receive (offer)", cmd_msg_receive, setup_offer, 0, 0, 0 },
	{ "msg-receive (answer)", cmd_msg_receive, setup_answer, 0, 0, 0 },
	{ "key-new (generate)", cmd_key_generate, setup_peer, 0, 1, 0 },
	{ "key-new (import)", cmd_key_import, setup_peer, 0, 1, 0 },
	{ "key-new (generate suci-b)", cmd_key_generate_suci, setup_peer, 0, 1,
	  0 },
	/*
	 * A KDF item may fail alone (status error): one key more or not;
	 * aka-vector creates the subscriber's context even if it fails.
	 */
	{ "service-request (mac, cmac, kdf, gcm, nia1, nea3, aka-vector)",
	  cmd_services,
	  setup_services, 0, ANY, ANY },
	{ "service-request (nas-protect, nas-unprotect, hres-star, nas-context)",
	  cmd_nas_services, setup_nas_services, 0, ANY, ANY },
	{ "service-request (suci: public keys, conceal, de-conceal)",
	  cmd_services, setup_suci, 0, 0, 0 },
	{ "peer-del", cmd_peer_del, setup_peer_keys, -1, -N_KEYS, 0 },
	/* its 3 contexts and their 4 NAS keys go with it */
	{ "peer-del (with contexts)", cmd_peer_del, setup_nas_context, -1,
	  -N_KEYS - 4,
	  -3 },
	{ "peer-set (binding, policy, preset, carry)", cmd_peer_set,
	  setup_peer_set,
	  0, 0, 0 },
	{ "key-del", cmd_key_del, setup_peer_keys, 0, -1, 0 },
	/* NEW's handle is retired: one key fewer */
	{ "notify key-replace", cmd_key_replace, setup_replace, 0, -1, 0 },
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

	if (getenv("KSF_FAILNTH_PASSES"))
		passes = atoi(getenv("KSF_FAILNTH_PASSES"));
	if (passes < 1)
		passes = 1;
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
	h2 = ksf_open_other();
	if (!h || !h2) {
		printf("Bail out! ksf_open: %s\n", strerror(errno));
		return 1;
	}
	teardown();
	/*
	 * Instantiate hmac(sha256), cmac(aes), gcm(aes) once: a template
	 * instantiation failing under injection makes the crypto API wait
	 * up to a minute for a larval algorithm, which is not ksf's path.
	 */
	setup_services();
	must(cmd_services(), "warm-up request");
	teardown();
	/* ctr(aes), curve25519, ecdh-nist-p256 */
	setup_suci();
	if (suci_warm_up() < 0 || items_failed) {
		printf("Bail out! warm-up SUCI request: %d items failed\n",
		       items_failed);
		return 1;
	}
	teardown();
	/* and the NAS algorithms, SHA-256; the saved state has contexts */
	setup_nas_context();
	build_nas_services();
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
		int n, p, most = 0, reached = 1, bad = 0;

		for (p = 0; p < passes && !bad; p++) {
			reached = 1;
			for (n = 1; n <= MAX_N && reached && !bad; n++)
				bad = run_one(&cmds[i], n, &reached);
			if (!bad && reached) {
				printf("# %s: still failing at fault %d\n",
				       cmds[i].name, MAX_N);
				bad = 1;
			}
			if (n - 2 > most)
				most = n - 2;
		}
		printf("%sok %d - %s: up to %d allocations failed one by one "
		       "(%d passes), all clean\n", bad ? "not " : "", ++tap,
		       cmds[i].name, most, passes);
		failed |= bad;
	}
	ksf_close(h);
	return failed;
}
