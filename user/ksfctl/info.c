// SPDX-License-Identifier: GPL-2.0-only
/* ksfctl info: the instance. */
#include <inttypes.h>
#include <stdio.h>

#include "ksfctl.h"

static void info_print(const struct ksf_info *info,
		       const uint8_t pub[KSF_PUBLIC_KEY_LEN], uint64_t key_id)
{
	char buf[64];

	open_json_object(NULL);
	snprintf(buf, sizeof(buf), "%016" PRIx64, info->instance_id);
	print_string(PRINT_ANY, "instance_id", "instance: %s\n", buf);
	print_string(PRINT_ANY, "version", "  version: %s\n", info->version);
	key_b64(pub, buf);
	print_string(PRINT_ANY, "public_key", "  public key: %s\n", buf);
	snprintf(buf, sizeof(buf), "%016" PRIx64, key_id);
	print_string(PRINT_ANY, "key_id", "  key id: %s\n", buf);
	print_uint(PRINT_ANY, "peers", "  peers: %s\n", info->peers);
	print_uint(PRINT_ANY, "keys", "  keys: %s\n", info->keys);
	print_uint(PRINT_ANY, "contexts", "  contexts: %s\n", info->contexts);
	print_uint(PRINT_JSON, "peer_size", NULL, info->peer_size);
	print_uint(PRINT_JSON, "key_size", NULL, info->key_size);
	print_uint(PRINT_JSON, "context_size", NULL, info->context_size);
	print_uint(PRINT_JSON, "mem", NULL, info->mem);
	print_int(PRINT_JSON, "family_id", NULL, ksf_family_id(h));
	print_text("  memory: %" PRIu64 " bytes (peer %u B, key %u B)\n",
		   info->mem, info->peer_size, info->key_size);
	print_text("  context-size: %u B\n", info->context_size);
	close_json_line();
}

int cmd_info(int argc, char **argv)
{
	uint8_t pub[KSF_PUBLIC_KEY_LEN];
	struct ksf_info info;
	uint64_t key_id;
	int err;

	(void)argv;
	if (argc > 1)
		die_usage("info takes no arguments");
	open_handle();
	err = ksf_get_info(h, &info);
	if (!err)
		err = ksf_get_public_key(h, pub);
	if (!err)
		err = ksf_get_key_id(h, &key_id);
	if (err)
		return fail("info", err);
	info_print(&info, pub, key_id);
	return 0;
}
