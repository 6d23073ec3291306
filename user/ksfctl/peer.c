// SPDX-License-Identifier: GPL-2.0-only
/* ksfctl peer add|set|del|show: peers and their policies. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ksfctl.h"

void session_print(const struct ksf_session_info *si)
{
	open_json_object(NULL);
	print_uint(PRINT_ANY, "index", "  session %s: ", si->index);
	print_name(PRINT_ANY, "role", "%s ", KSF_NAMES_SESSION_ROLE, si->role);
	print_name(PRINT_ANY, "state", "%s", KSF_NAMES_SESSION_STATE, si->state);
	print_uint(PRINT_ANY, "age", ", age %s s", si->age);
	print_uint(PRINT_ANY, "sent", ", sent %s", si->sent);
	print_uint(PRINT_ANY, "received", ", received %s\n", si->received);
	close_json_object();
}

/* The pair policy the last negotiation stored, if any. */
static void pair_print(const struct ksf_peer *p)
{
	const struct ksf_policy *we, *they;
	uint32_t gen;

	if (ksf_peer_pair(p, &gen, &we, &they))
		return;
	open_json_object("pair");
	print_uint(PRINT_ANY, "generation", "  pair: generation %s\n", gen);
	policy_print_as(we, "we_run", "  we run:\n");
	policy_print_as(they, "they_run", "  they run:\n");
	close_json_object();
}

/* A ksf peer's channel: key id, psk, refusals, sessions (admin's view). */
static void channel_print(const struct ksf_peer *p)
{
	struct ksf_session_info si;
	uint64_t id, psk;
	char buf[24];
	size_t i;

	if (ksf_peer_key_id(p, &id))
		return;
	snprintf(buf, sizeof(buf), "%016" PRIx64, id);
	print_string(PRINT_ANY, "key_id", "  key id: %s\n", buf);
	if (!ksf_peer_psk(p, &psk))
		print_handle(PRINT_ANY, "psk", "  psk: key %s\n", psk);
	print_uint(PRINT_ANY, "msg_refused", "  msg-refused: %s\n",
		   ksf_peer_msg_refused(p));
	open_json_array("sessions");
	for (i = 0; !ksf_peer_session(p, i, &si); i++)
		session_print(&si);
	close_json_array();
	pair_print(p);
}

static int peer_print(const struct ksf_peer *p, void *arg)
{
	uint8_t pub[KSF_PUBLIC_KEY_LEN];
	char b64[KEY_B64_LEN + 1];

	(void)arg;
	open_json_object(NULL);
	print_string(PRINT_ANY, "id", "peer %s\n", p->id);
	print_name(PRINT_ANY, "kind", "  kind: %s\n", KSF_NAMES_PEER_KIND,
		   p->kind);
	if (p->has_uid)
		print_uint(PRINT_ANY, "uid", "  uid: %s\n", p->uid);
	if (p->has_gid)
		print_uint(PRINT_ANY, "gid", "  gid: %s\n", p->gid);
	if (!ksf_peer_public_key(p, pub)) {
		key_b64(pub, b64);
		print_string(PRINT_ANY, "public_key", "  public key: %s\n", b64);
	}
	channel_print(p);
	if (p->has_keys) {
		print_uint(PRINT_ANY, "keys", "  keys: %s\n", p->keys);
		print_uint(PRINT_ANY, "contexts", "  contexts: %s\n",
			   p->contexts);
		print_uint(PRINT_ANY, "verify_failures",
			   "  verify-failures: %s\n", p->verify_failures);
	}
	if (p->policy)
		policy_print(p->policy);
	close_json_line();
	return 0;
}

/*
 * Peer keywords from argv[3] on into p (uid, gid, psk, policy); kind and
 * public-key only for peer add, reset-timestamp (into *reset) only for
 * peer set.  True if anything but reset-timestamp was given.
 */
static bool peer_parse(int argc, char **argv, struct ksf_peer *p, bool add,
		       bool *reset)
{
	struct policy_parse pp = { .pol = ksf_policy_new() };
	struct kw_seen seen = { .n = 0 };
	bool any = false, other = false;
	int i;

	if (!pp.pol)
		die_usage("out of memory");
	for (i = 3; i < argc; i++) {
		const char *k = argv[i];

		/* notify and timer come once per list */
		if (strcmp(k, "notify") && strcmp(k, "timer") &&
		    kw_repeated(&seen, k))
			die_usage("keyword \"%s\" given twice", k);
		other |= strcmp(k, "reset-timestamp") != 0;
		if (!strcmp(k, "kind") && add) {
			need(argc, i, k);
			if (ksf_value(KSF_NAMES_PEER_KIND, argv[++i], &p->kind))
				die_usage("unknown peer kind \"%s\"", argv[i]);
		} else if (!strcmp(k, "public-key") && add) {
			uint8_t pub[KSF_PUBLIC_KEY_LEN];

			need(argc, i, k);
			if (key_from_b64(argv[++i], pub))
				die_usage("public-key \"%s\" is not 32 bytes of base64 (44 characters, as ksfctl info shows it)",
					  argv[i]);
			if (ksf_peer_set_public_key(p, pub))
				die_usage("out of memory");
		} else if (!strcmp(k, "psk")) {
			need(argc, i, k);
			if (ksf_peer_set_psk(p, parse_handle("psk", argv[++i])))
				die_usage("out of memory");
		} else if (!strcmp(k, "reset-timestamp") && !add) {
			*reset = true;
			continue;
		} else if (!strcmp(k, "uid") || !strcmp(k, "gid")) {
			uint32_t *v = k[0] == 'u' ? &p->uid : &p->gid;

			need(argc, i, k);
			if (parse_u32(argv[++i], v))
				die_usage("bad %s \"%s\"", k, argv[i]);
			*(k[0] == 'u' ? &p->has_uid : &p->has_gid) = true;
		} else if (policy_parse(&pp, argc, argv, &i)) {
			any = true;
		} else {
			die_usage("unknown peer keyword \"%s\"", k);
		}
	}
	policy_parse_end(&pp);
	if (any)
		p->policy = pp.pol;
	else
		ksf_policy_free(pp.pol);
	return other;
}

static int peer_change(int argc, char **argv, bool add)
{
	bool reset = false, other;
	struct ksf_peer p;
	int err;

	memset(&p, 0, sizeof(p));
	if (argc < 3)
		die_usage("peer %s needs an ID", argv[1]);
	if (strlen(argv[2]) >= sizeof(p.id))
		die_usage("peer ID longer than %zu bytes", sizeof(p.id) - 1);
	snprintf(p.id, sizeof(p.id), "%s", argv[2]);
	other = peer_parse(argc, argv, &p, add, &reset);
	open_handle();
	/*
	 * peer set: the kernel keeps the policy fields not given (notify
	 * presets and timers are replaced as a whole when any is given).
	 */
	if (add)
		err = ksf_peer_new(h, &p);
	else
		err = other || !reset ? ksf_peer_set(h, &p) : 0;
	if (!err && reset)
		err = ksf_peer_reset_timestamp(h, p.id);
	ksf_peer_clear(&p);
	return err ? fail(add ? "peer add" : "peer set", err) : 0;
}

int cmd_peer_add(int argc, char **argv)
{
	return peer_change(argc, argv, true);
}

int cmd_peer_set(int argc, char **argv)
{
	return peer_change(argc, argv, false);
}

int cmd_peer_del(int argc, char **argv)
{
	const char *id = one_arg(argc, argv, "peer del ID");

	open_handle();
	return done("peer del", ksf_peer_del(h, id));
}

int cmd_peer_show(int argc, char **argv)
{
	struct ksf_peer p;
	int err;

	if (show_one(argc, "peer show [ID]")) {
		memset(&p, 0, sizeof(p));
		err = ksf_peer_get(h, argv[2], &p);
		if (err)
			return fail("peer show", err);
		peer_print(&p, NULL);
		ksf_peer_clear(&p);
		return 0;
	}
	return done("peer show", ksf_peer_dump(h, peer_print, NULL));
}
