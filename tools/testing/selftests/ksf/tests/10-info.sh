#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# ksfctl info / --json info in a fresh network namespace: fields, counters
# that follow peers and keys, memory accounting, one instance per netns,
# GET_INFO without privileges, usage errors.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n sh "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark

# field NAME: value of "  NAME: value" in ksfctl info
field() { ksfctl info | sed -n "s/^ *$1: *//p"; }
jfield() { ksfctl -j info | sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p"; }

t_match "info prints instance, version, counters and memory" \
	'^instance: [0-9a-f]{16}$' ksfctl info
out=$(ksfctl info)
ok=1
for f in version peers keys contexts memory; do
	printf '%s\n' "$out" | grep -qE "^  $f: [^ ]" || ok=0
done
[ $ok = 1 ] && ksft_ok "info has version/peers/keys/contexts/memory lines" ||
	ksft_fail "info has version/peers/keys/contexts/memory lines" "$out"
t_match "a fresh instance has no peers, keys or contexts" \
	'peers: 0' ksfctl info
[ "$(field keys)" = 0 ] && [ "$(field contexts)" = 0 ] &&
	ksft_ok "keys and contexts are 0" || ksft_fail "keys and contexts are 0"
t_match "memory line shows per-object sizes" \
	'^  memory: 0 bytes \(peer [1-9][0-9]* B, key [1-9][0-9]* B\)$' ksfctl info

json=$(ksfctl -j info)
ok=1
for k in instance_id version peers keys contexts peer_size key_size mem; do
	printf '%s' "$json" | grep -q "\"$k\":" || ok=0
done
[ $ok = 1 ] && [ "$(printf '%s\n' "$json" | wc -l)" = 1 ] &&
	ksft_ok "--json info: one line with every field" ||
	ksft_fail "--json info: one line with every field" "$json"
check=$(printf '%s' "$json" | ksft_py -c '
import json, sys
d = json.load(sys.stdin)
assert isinstance(d["peers"], int) and isinstance(d["mem"], int)
assert isinstance(d["version"], str)
print(d["instance_id"])' 2>&1)
id=$(ksfctl info | sed -n 's/^instance: //p')
[ "$check" = "$id" ] && ksft_ok "--json info is valid JSON, same instance id" ||
	ksft_fail "--json info is valid JSON, same instance id" "$check" "$id"
[ "$(ksfctl --json info | sed -n 's/.*"instance_id":"\([0-9a-f]*\)".*/\1/p')" = "$id" ] &&
	ksft_ok "--json and -j are the same option" || ksft_fail "--json and -j are the same option"

# counters follow objects; memory grows by the reported object sizes
psize=$(jfield peer_size)
ksize=$(jfield key_size)
ksfctl peer add info-a kind nf uid 4001 >/dev/null
ksfctl peer add info-b kind ue >/dev/null
h=$(ksfctl key add type generic len 32 usage mac owner info-a)
[ "$(field peers)" = 2 ] && [ "$(field keys)" = 1 ] &&
	ksft_ok "peers 2 and keys 1 after adding them" ||
	ksft_fail "peers 2 and keys 1 after adding them" "$(ksfctl info)"
mem=$(jfield mem)
if [ "$mem" -ge $((2 * psize + ksize)) ] 2>/dev/null; then
	ksft_ok "mem ($mem) >= 2 peers + 1 key ($psize, $ksize)"
else
	ksft_fail "mem ($mem) >= 2 peers + 1 key ($psize, $ksize)"
fi
ksfctl key del "$h"
ksfctl peer del info-b
[ "$(field peers)" = 1 ] && [ "$(field keys)" = 0 ] &&
	ksft_ok "counters drop after key del and peer del" ||
	ksft_fail "counters drop after key del and peer del" "$(ksfctl info)"
ksfctl peer del info-a
[ "$(jfield mem)" = 0 ] && ksft_ok "mem back to 0 when everything is gone" ||
	ksft_fail "mem back to 0 when everything is gone" "$(ksfctl -j info)"
[ "$(ksfctl info | sed -n 's/^instance: //p')" = "$id" ] &&
	ksft_ok "instance id is stable" || ksft_fail "instance id is stable"

# one instance per network namespace
other=$(unshare -n ksfctl info | sed -n 's/^instance: //p')
[ -n "$other" ] && [ "$other" != "$id" ] &&
	ksft_ok "another netns has another instance ($other)" ||
	ksft_fail "another netns has another instance" "$other"

# GET_INFO needs no privilege
t_match "info works as an unprivileged user" "^instance: $id\$" \
	ksf-runas 65534 65534 ksfctl info

# usage errors: exit 2, no kernel involved
t_fail "unknown command: exit 2" 2 'unknown command' ksfctl frobnicate
t_fail "info with an argument: exit 2" 2 'no arguments' ksfctl info extra
t_fail "unknown option: exit 2" 2 'unknown option' ksfctl --frob info
t_match "help lists the commands" 'peer add ID kind' ksfctl help

ksft_dmesg_check "no kernel report"
ksft_done
