// SPDX-License-Identifier: GPL-2.0-only
/* ksfctl context new|del|show: per-subscriber procedure state. */
#include <stdlib.h>
#include <string.h>

#include "ksfctl.h"

void context_print(const struct ksf_context *c)
{
	char state[128];

	ksf_mask_format(KSF_NAMES_CONTEXT_STATE, c->state, state,
			sizeof(state));
	open_json_object(NULL);
	print_handle(PRINT_ANY, "handle", "context %s\n", c->handle);
	print_string(PRINT_ANY, "peer", "  peer: %s\n", c->peer);
	print_string(PRINT_ANY, "subscriber", "  subscriber: %s\n",
		     c->subscriber);
	print_time(PRINT_ANY, "created", "created", c->created);
	print_string(PRINT_ANY, "state", "  state: %s\n", state);
	if (c->state & KSF_CONTEXT_STATE_NAS) {
		print_name(PRINT_ANY, "nas_int_alg", "  nas-int-alg: %s\n",
			   KSF_NAMES_ALG, c->nas_int_alg);
		print_name(PRINT_ANY, "nas_enc_alg", "  nas-enc-alg: %s\n",
			   KSF_NAMES_ALG, c->nas_enc_alg);
		print_handle(PRINT_ANY, "nas_int_key", "  nas-int-key: %s\n",
			     c->nas_int_key);
		if (c->nas_enc_key)
			print_handle(PRINT_ANY, "nas_enc_key",
				     "  nas-enc-key: %s\n", c->nas_enc_key);
		print_uint(PRINT_ANY, "nas_direction", "  nas-direction: %s",
			   c->nas_direction);
		print_text(" (%s)\n", c->nas_direction ? "downlink" : "uplink");
		if (c->nas_bearer) {
			print_uint(PRINT_ANY, "nas_bearer",
				   "  nas-bearer: %s", c->nas_bearer);
			print_text(" (%s)\n", c->nas_bearer == 2 ?
				   "non-3GPP access" : c->nas_bearer == 1 ?
				   "3GPP access" : "unknown");
		}
		print_uint(PRINT_ANY, "nas_tx_count", "  nas-tx-count: %s\n",
			   c->nas_tx_count);
		print_uint(PRINT_ANY, "nas_rx_count", "  nas-rx-count: %s\n",
			   c->nas_rx_count);
	}
	close_json_line();
}

static int context_cb(const struct ksf_context *c, void *arg)
{
	(void)arg;
	context_print(c);
	return 0;
}

/* context new PEER SUBSCRIBER [sqn N] */
int cmd_context_new(int argc, char **argv)
{
	struct ksf_context_spec spec = { 0 };
	uint64_t handle;
	int i, err;

	if (argc < 4)
		die_usage("usage: context new PEER SUBSCRIBER [sqn N]");
	spec.peer = argv[2];
	spec.subscriber = argv[3];
	for (i = 4; i < argc; i++) {
		const char *k = argv[i];

		need(argc, i, k);
		if (!strcmp(k, "sqn") || !strcmp(k, "sqn-he")) {
			if (spec.has_sqn_he)
				die_usage("keyword \"%s\" given twice", k);
			if (ksf_parse_u64(argv[++i], &spec.sqn_he))
				die_usage("bad sqn \"%s\"", argv[i]);
			spec.has_sqn_he = true;
		} else {
			die_usage("unknown context keyword \"%s\"", k);
		}
	}
	open_handle();
	err = ksf_context_new(h, &spec, &handle);
	return created("context new", err, handle);
}

int cmd_context_del(int argc, char **argv)
{
	uint64_t handle;

	handle = parse_handle("context",
			      one_arg(argc, argv, "context del HANDLE"));
	open_handle();
	return done("context del", ksf_context_del(h, handle));
}

/* context [show] [HANDLE | PEER SUBSCRIBER] */
int cmd_context_show(int argc, char **argv)
{
	struct ksf_context c;
	uint64_t handle;
	int i = 1, err;

	if (argc > 1 && (!strcmp(argv[1], "show") || !strcmp(argv[1], "get") ||
			 !strcmp(argv[1], "list")))
		i = 2;
	if (argc - i > 2)
		die_usage("usage: context show [HANDLE | PEER SUBSCRIBER]");
	if (argc - i == 0) {
		open_handle();
		err = ksf_context_dump(h, context_cb, NULL);
		return err ? fail("context show", err) : 0;
	}
	if (argc - i == 1) {
		handle = parse_handle("context", argv[i]);
		open_handle();
		err = ksf_context_get(h, handle, &c);
	} else {
		open_handle();
		err = ksf_context_get_by_subscriber(h, argv[i], argv[i + 1], &c);
	}
	if (err)
		return fail("context show", err);
	context_print(&c);
	return 0;
}
