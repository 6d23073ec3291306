#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Isolation between network namespaces (hosts) and unloading with live
# keys: a key handle of one instance means nothing in another; rmmod with
# peers and keys in several instances succeeds, and after insmod every
# instance starts empty (the keys were destroyed, and their material wiped,
# by the instance teardown; kmemleak and KASAN watch it on the debug
# kernel).
set -u
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"

cleanup() { ksft_ns_del iso-a; ksft_ns_del iso-b; ksft_ksf_load; }
trap cleanup EXIT
ksft_dmesg_mark
ip netns add iso-a
ip netns add iso-b
a() { ip netns exec iso-a "$@"; }
b() { ip netns exec iso-b "$@"; }

for ns in iso-a iso-b; do
	ip netns exec $ns ksfctl peer add nf kind nf uid 0 \
		services mac-generate algs hmac-sha256 >/dev/null
done
ha=$(a ksfctl key add type generic len 32 usage mac owner nf)
hb=$(b ksfctl key add type generic len 32 usage mac owner nf)
ksft_check "a key in each host" test -n "$ha" -a -n "$hb"

out=$(b ksfctl service mac-generate alg hmac-sha256 key "$ha" data 00 2>&1)
if printf '%s\n' "$out" | grep -q 'error ENOENT reason "unknown key handle"'; then
	ksft_ok "host b cannot use host a's handle"
else
	ksft_fail "host b cannot use host a's handle" "got: $out"
fi
ksft_check_fails "host b cannot see host a's key" b ksfctl key show "$ha"
ksft_check_fails "host b cannot delete host a's key" b ksfctl key del "$ha"
ksft_check "host a still has its key" a ksfctl key show "$ha"
out=$(a ksfctl service mac-generate alg hmac-sha256 key "$ha" data 00 2>&1)
if printf '%s\n' "$out" | grep -q '^0 ok data '; then
	ksft_ok "host a uses its own handle"
else
	ksft_fail "host a uses its own handle" "got: $out"
fi

# live keys everywhere, then unload
ksfctl peer add nf0 kind nf uid 0 >/dev/null
for i in 1 2 3 4 5; do
	ksfctl key add type aes len 32 owner nf0 max-age 3600 >/dev/null
	a ksfctl key add type generic len 16 owner nf >/dev/null
done
ksft_check "rmmod ksf with live keys in three instances" rmmod ksf
ksft_check "insmod ksf" insmod "$KSF_KO"
for ns in "" iso-a iso-b; do
	if [ -n "$ns" ]; then x="ip netns exec $ns"; else x=; fi
	keys=$($x ksfctl info | sed -n 's/^ *keys: *//p')
	peers=$($x ksfctl info | sed -n 's/^ *peers: *//p')
	if [ "$keys" = 0 ] && [ "$peers" = 0 ]; then
		ksft_ok "after reload, ${ns:-the initial netns} starts empty"
	else
		ksft_fail "after reload, ${ns:-the initial netns} starts empty" \
			"peers '$peers' keys '$keys'"
	fi
done
ksft_dmesg_check "no kernel report"
ksft_done
