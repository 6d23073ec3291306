#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Peers and policies through ksfctl: add/set/del/show (text and JSON),
# policy round trip (services, algs, bounds, notify presets, timers),
# binding rules, multi-part dumps, admin permission, peer events.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n sh "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
TMP=$(mktemp -d)

# events seen while the test runs
ksfctl monitor >"$TMP/mon" 2>&1 &
MON=$!
ksft_wait_netlink $MON || ksft_diag "monitor did not open its socket"
# the events socket opens after the request socket: let it subscribe
sleep 0.5

t_match "peer add nf with a full policy" '^$' \
	ksfctl peer add amf-1 kind nf uid 1000 gid 1000 \
	services mac-generate,mac-verify algs hmac-sha256 key-len 16-32 \
	lifetime-max 3600 batch-max 64 caller-rand off
out=$(ksfctl peer show amf-1)
ok=1
for l in '^peer amf-1$' '^  kind: nf$' '^  uid: 1000$' '^  gid: 1000$' \
	 '^  keys: 0$' '^    services: mac-generate,mac-verify$' \
	 '^    algs: hmac-sha256$' '^    key-len: 16-32$' \
	 '^    lifetime-max: 3600$' '^    batch-max: 64$' '^    caller-rand: off$'; do
	printf '%s\n' "$out" | grep -qE "$l" || { ok=0; ksft_diag "missing /$l/"; }
done
[ $ok = 1 ] && ksft_ok "peer show prints the binding and the policy" ||
	{ ksft_fail "peer show prints the binding and the policy"; printf '%s\n' "$out" | sed 's/^/#   | /'; }

check=$(ksfctl -j peer show amf-1 | ksft_py -c '
import json, sys
d = json.load(sys.stdin)
p = d["policy"]
assert d["id"] == "amf-1" and d["kind"] == "nf" and d["uid"] == 1000, d
assert p["services_mask"] == (1 << 1) | (1 << 2), p
assert p["algs_mask"] == 1 << 1, p
assert (p["key_len_min"], p["key_len_max"], p["batch_max"]) == (16, 32, 64), p
assert p["caller_rand"] is False and p["lifetime_max"] == 3600, p
print("ok")' 2>&1)
[ "$check" = ok ] && ksft_ok "--json peer show: masks and bounds as set" ||
	ksft_fail "--json peer show: masks and bounds as set" "$check"

t_match "defaults: a peer without policy denies every service" \
	'services: none' sh -c 'ksfctl peer add ue-1 kind ue && ksfctl peer show ue-1'
t_match "defaults: batch-max 1024, key-len 1-64" 'batch-max: 1024' ksfctl peer show ue-1
t_match "defaults: key-len 1-64" 'key-len: 1-64' ksfctl peer show ue-1

t_fail "duplicate peer ID" 1 '^ksfctl: peer add: peer exists \(File exists\)$' \
	ksfctl peer add amf-1 kind ue
t_fail "ue peer with a uid" 1 'only nf peers are bound' \
	ksfctl peer add ue-2 kind ue uid 5
t_fail "nf peer without uid/gid" 1 'needs a uid or a gid' \
	ksfctl peer add nf-x kind nf
t_fail "nf peer with another peer's binding" 1 'same uid/gid binding' \
	ksfctl peer add nf-y kind nf uid 1000 gid 1000
t_match "same uid, other gid is another binding" '^$' \
	ksfctl peer add nf-y kind nf uid 1000 gid 1001
t_fail "peer add without kind" 1 'kind|Missing|missing' ksfctl peer add nf-z
t_fail "peer set cannot change the kind (usage)" 2 'unknown peer keyword "kind"' \
	ksfctl peer set amf-1 kind ue
t_fail "unknown service name (usage)" 2 'bad service list' \
	ksfctl peer add x kind ue services mac-generate,teleport
t_fail "bad key-len syntax (usage)" 2 'key-len' ksfctl peer add x kind ue key-len 16-
t_fail "caller-rand needs on/off (usage)" 2 'on or off' \
	ksfctl peer add x kind ue caller-rand maybe

# peer set changes only what it is given
ksfctl peer set amf-1 batch-max 8
t_match "peer set batch-max keeps the services" 'services: mac-generate,mac-verify' \
	ksfctl peer show amf-1
t_match "peer set batch-max changed it" 'batch-max: 8$' ksfctl peer show amf-1
ksfctl peer set amf-1 uid 1002
t_match "peer set uid rebinds" '^  uid: 1002$' ksfctl peer show amf-1
t_match "peer set uid keeps the policy" 'lifetime-max: 3600' ksfctl peer show amf-1
t_true "peer set uid replaces the whole binding (gid gone)" \
	sh -c '! ksfctl peer show amf-1 | grep -q "gid:"'
t_fail "peer set of an unknown peer" 1 'no such peer' ksfctl peer set nobody batch-max 2
t_fail "peer set to a taken binding" 1 'same uid/gid binding' \
	ksfctl peer set nf-y uid 1002
t_fail "key-len-min above key-len-max" 1 'key-len-min is larger' \
	ksfctl peer set amf-1 key-len 32-16

# notify presets and timers
t_match "peer add with a notify preset and a timer" '^$' \
	ksfctl peer add smf-1 kind nf uid 2000 services kdf,mac-generate \
	notify deregistered "kdf alg kdf-sha256 key 0x11 fc 0x6a param 0102 out-len 16" \
	"mac-generate alg hmac-sha256 key 0x12 data 00ff mac-len 16" \
	timer 60000 "mac-generate alg hmac-sha256 key 0x13 data 41"
out=$(ksfctl peer show smf-1)
ok=1
for l in '^    notify deregistered:$' \
	 '^      kdf alg kdf-sha256 key 0x0000000000000011 fc 0x6a param 0102 out-len 16$' \
	 '^      mac-generate alg hmac-sha256 key 0x0000000000000012 data 00ff mac-len 16$' \
	 '^    timer 60000 ms:$' \
	 '^      mac-generate alg hmac-sha256 key 0x0000000000000013 data 41$'; do
	printf '%s\n' "$out" | grep -qE "$l" || { ok=0; ksft_diag "missing /$l/"; }
done
[ $ok = 1 ] && ksft_ok "presets and timers round-trip item by item" ||
	{ ksft_fail "presets and timers round-trip item by item"; printf '%s\n' "$out" | sed 's/^/#   | /'; }
check=$(ksfctl -j peer show smf-1 | ksft_py -c '
import json, sys
p = json.load(sys.stdin)["policy"]
n = p["notify"]; t = p["timers"]
assert len(n) == 1 and n[0]["status"] == "deregistered" and len(n[0]["items"]) == 2, n
assert n[0]["items"][0]["params"] == ["0102"] and n[0]["items"][0]["fc"] == 0x6a, n
assert len(t) == 1 and t[0]["period"] == 60000 and t[0]["items"][0]["data"] == "41", t
print("ok")' 2>&1)
[ "$check" = ok ] && ksft_ok "--json: presets and timers" || ksft_fail "--json: presets and timers" "$check"
ksfctl peer set smf-1 notify registered "mac-verify alg aes-cmac key 0x14 data 00 mac 0011223344556677"
out=$(ksfctl peer show smf-1)
if printf '%s\n' "$out" | grep -q 'notify registered:' &&
   ! printf '%s\n' "$out" | grep -q 'notify deregistered:' &&
   printf '%s\n' "$out" | grep -q 'timer 60000 ms:'; then
	ksft_ok "peer set notify replaces the presets, keeps the timers"
else
	ksft_fail "peer set notify replaces the presets, keeps the timers"
	printf '%s\n' "$out" | sed 's/^/#   | /'
fi
t_fail "preset with an unparsable item (usage)" 2 'item' \
	ksfctl peer set smf-1 notify registered "kdf fc 300"
t_fail "timer period below 100 ms" 1 '.' \
	ksfctl peer set smf-1 timer 50 "mac-generate key 1"

# keys owned
h=$(ksfctl key add type generic len 16 owner amf-1)
t_match "peer show counts owned keys" '^  keys: 1$' ksfctl peer show amf-1
ksfctl key del "$h"

# dumps, including multi-part ones: 300 peers with 120-byte IDs
n0=$(ksfctl peer show | grep -c '^peer ')
[ "$n0" = 4 ] && ksft_ok "peer show dumps all 4 peers" ||
	ksft_fail "peer show dumps all 4 peers" "got $n0"
pad=$(printf '%0100d' 0)
i=0
while [ $i -lt 300 ]; do
	printf 'peer add p%s-%05d kind ue services kdf\n' "$pad" $i
	i=$((i + 1))
done | while read -r line; do
	# shellcheck disable=SC2086
	ksfctl $line || echo FAIL
done >"$TMP/add" 2>&1
[ ! -s "$TMP/add" ] && ksft_ok "300 more peers added" ||
	ksft_fail "300 more peers added" "$(head -3 "$TMP/add")"
n=$(ksfctl peer show | grep -c '^peer ')
[ "$n" = 304 ] && ksft_ok "multi-part dump: 304 peers" ||
	ksft_fail "multi-part dump: 304 peers" "got $n"
n=$(ksfctl peer show | grep '^peer ' | sort -u | wc -l)
[ "$n" = 304 ] && ksft_ok "multi-part dump: no duplicates" ||
	ksft_fail "multi-part dump: no duplicates" "got $n unique"
check=$(ksfctl -j peer show | ksft_py -c '
import json, sys
ids = [json.loads(l)["id"] for l in sys.stdin]
print(len(ids), len(set(ids)))' 2>&1)
[ "$check" = "304 304" ] && ksft_ok "--json dump: one valid object per line" ||
	ksft_fail "--json dump: one valid object per line" "$check"
[ "$(ksfctl info | sed -n 's/^  peers: //p')" = 304 ] &&
	ksft_ok "info counts 304 peers" || ksft_fail "info counts 304 peers"

# peer ID length: 127 bytes + NUL is the limit
id127=$(printf 'i%0126d' 0)
t_match "127-byte peer ID accepted" '^$' ksfctl peer add "$id127" kind ue
t_match "127-byte peer ID shown whole" "^peer $id127\$" ksfctl peer show "$id127"
t_fail "128-byte peer ID rejected" 1 'peer ID|too long|Numerical result' \
	ksfctl peer add "${id127}x" kind ue

# delete
t_match "peer del" '^$' ksfctl peer del ue-1
t_fail "peer show of a deleted peer" 1 'peer show: no such peer' ksfctl peer show ue-1
t_fail "peer del twice" 1 'no such peer' ksfctl peer del ue-1

# admin permission
t_fail "peer add needs CAP_NET_ADMIN" 1 'Operation not permitted' \
	ksf-runas 1000 1000 ksfctl peer add x kind ue
t_fail "peer show needs CAP_NET_ADMIN" 1 'Operation not permitted' \
	ksf-runas 1000 1000 ksfctl peer show
t_fail "peer del needs CAP_NET_ADMIN" 1 'Operation not permitted' \
	ksf-runas 1000 1000 ksfctl peer del amf-1
t_match "amf-1 is still there" '^peer amf-1$' ksfctl peer show amf-1

# events
ksfctl peer add mon-1 kind ue
ksfctl peer set mon-1 services kdf
ksfctl peer del mon-1
sleep 0.5
kill $MON 2>/dev/null
wait $MON 2>/dev/null
for e in 'peer-change peer mon-1 reason "created"' \
	 'policy-change peer mon-1 reason "changed"' \
	 'peer-change peer mon-1 reason "deleted"'; do
	grep -qF "$e" "$TMP/mon" && ksft_ok "monitor: $e" ||
		{ ksft_fail "monitor: $e"; sed 's/^/#   | /' "$TMP/mon" | tail -5; }
done

rm -rf "$TMP"
ksft_dmesg_check "no kernel report"
ksft_done
