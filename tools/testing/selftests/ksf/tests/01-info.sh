#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# ksfctl info in the initial network namespace, cross-checked against the
# kernel's own YNL CLI (tools/net/ynl/cli.py) and ksfctl --json.
set -u
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"

ksft_dmesg_mark

out=$(ksfctl info 2>&1) && rc=0 || rc=$?
if [ $rc = 0 ]; then
	ksft_ok "ksfctl info succeeds"
else
	ksft_fail "ksfctl info succeeds" "exit status $rc" "$out"
fi
printf '%s\n' "$out" | sed 's/^/# /'

id=$(printf '%s\n' "$out" | sed -n 's/^instance: *\([0-9a-f]\{16\}\)$/\1/p')
if [ -n "$id" ] && [ "$id" != 0000000000000000 ]; then
	ksft_ok "ksfctl info prints a non-zero 64-bit instance id"
else
	ksft_fail "ksfctl info prints a non-zero 64-bit instance id"
fi

fields_ok=1
for f in version peers keys; do
	printf '%s\n' "$out" | grep -qE "^ +$f: +[^ ]" || fields_ok=0
done
if [ $fields_ok = 1 ]; then
	ksft_ok "ksfctl info prints version, peers and keys"
else
	ksft_fail "ksfctl info prints version, peers and keys"
fi

ver=$(printf '%s\n' "$out" | sed -n 's/^ *version: *//p')
if [ "$ver" = "$(cat /sys/module/ksf/version 2>/dev/null)" ]; then
	ksft_ok "reported version is the module's ($ver)"
else
	ksft_fail "reported version is the module's" \
		"info: '$ver', /sys/module/ksf/version: '$(cat /sys/module/ksf/version 2>&1)'"
fi

# ksfctl --json info: valid JSON with the same instance id.
json=$(ksfctl --json info 2>&1)
check=$(printf '%s' "$json" | ksft_py -c '
import json, sys
d = json.load(sys.stdin)
for k in ("instance_id", "version", "peers", "keys"):
    assert k in d, "missing " + k
print(d["instance_id"])' 2>&1)
if [ "$check" = "$id" ]; then
	ksft_ok "ksfctl --json info is valid JSON with the same instance id"
else
	ksft_fail "ksfctl --json info is valid JSON with the same instance id" \
		"json: $json" "check: $check"
fi

# The kernel's generic YNL client sees the same instance.
ynl_out=$(ynl --do get-info --output-json 2>&1)
yid=$(printf '%s' "$ynl_out" | ksft_py -c '
import json, sys
print("%016x" % json.load(sys.stdin)["instance-id"])' 2>&1)
if [ "$yid" = "$id" ]; then
	ksft_ok "ynl get-info reports the same instance id"
else
	ksft_fail "ynl get-info reports the same instance id" "ynl: $ynl_out" "id: $yid"
fi

ksft_dmesg_check "no kernel report"
ksft_done
