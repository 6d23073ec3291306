// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksfctl monitor: the events group (admins); listen: the caller's nf
 * peer's own timer results, on a socket registered with the kernel.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ksfctl.h"

static int event_print(const struct ksf_event_msg *ev, void *arg)
{
	const struct ksf_results *res = ev->results;
	size_t i, n = res ? ksf_results_count(res) : 0;
	char buf[32];

	(void)arg;
	open_json_object(NULL);
	if (ksf_name(KSF_NAMES_EVENT, ev->type)) {
		print_name(PRINT_ANY, "event", "%s", KSF_NAMES_EVENT, ev->type);
	} else {
		snprintf(buf, sizeof(buf), "event-%u", ev->type);
		print_string(PRINT_FP, NULL, "%s", buf);
		print_uint(PRINT_JSON, "event", NULL, ev->type);
	}
	if (ev->peer)
		print_string(PRINT_ANY, "peer", " peer %s", ev->peer);
	if (ev->key)
		print_handle(PRINT_ANY, "key", " key %s", ev->key);
	if (ksf_event_new_key(ev))
		print_handle(PRINT_ANY, "new_key", " new-key %s",
			     ksf_event_new_key(ev));
	if (ev->service)
		print_name(PRINT_ANY, "service", " service %s",
			   KSF_NAMES_SERVICE, ev->service);
	if (ev->reason)
		print_quoted(PRINT_ANY, "reason", " reason %s", ev->reason);
	print_text("\n");
	if (n)
		open_json_array("results");
	for (i = 0; i < n; i++) {
		print_text("  ");
		result_print(ksf_results_get(res, i));
		print_text("\n");
	}
	if (n)
		close_json_array();
	close_json_line();
	fflush(stdout);
	return 0;
}

int cmd_monitor(int argc, char **argv)
{
	bool listen = !strcmp(argv[0], "listen");
	int err;

	if (argc > 1)
		die_usage("%s takes no arguments", argv[0]);
	open_handle();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (listen) {
		err = ksf_listen(h);
		if (err)
			return fail("listen", err);
	}
	for (;;) {
		err = ksf_monitor(h, event_print, NULL);
		if (err == -ENOBUFS) {
			fprintf(stderr, "ksfctl: monitor: events lost\n");
			continue;
		}
		return fail(argv[0], err);
	}
}
