#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Security service rejection: every bound of the trusted policy (service,
# algorithm, key length, derived-key length and lifetime, batch size,
# caller-supplied IVs) turns an item into "rejected" (EPERM) while the
# items inside the policy run; policy changes apply at once; every
# rejection is audited on the events group; each caller gets its own
# peer's policy.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n sh "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
TMP=$(mktemp -d)
S="ksfctl service"
D=7768617420646f2079612077616e7420666f72206e6f7468696e673f
REJ='rejected EPERM reason'

ksfctl monitor >"$TMP/mon" 2>&1 &
MON=$!
ksft_wait_netlink $MON || ksft_diag "monitor did not open its socket"
# the events socket opens after the request socket: let it subscribe
sleep 0.5

ksfctl peer add pol kind nf uid 0 services mac-generate,kdf algs hmac-sha256,kdf-sha256 \
	key-len 16-32 lifetime-max 60 batch-max 3 caller-rand off mac-fcs 0x6a
# One key per usage family: MAC (k32), derive (kdv), CMAC, encrypt (kaes).
k32=$(ksfctl key add type generic len 32 usage mac,verify owner pol)
kdv=$(ksfctl key add type generic len 32 usage derive owner pol)
k8=$(ksfctl key add type generic len 8 usage mac owner pol)
kcm=$(ksfctl key add type aes len 16 usage mac owner pol)
kaes=$(ksfctl key add type aes len 16 usage encrypt owner pol)
nrej=0

t_match "inside the policy: ok" '^0 ok data [0-9a-f]{64}$' \
	$S mac-generate alg hmac-sha256 key "$k32" data $D
t_res "service outside the policy" "0 $REJ \"service not in the trusted policy\"" \
	$S mac-verify alg hmac-sha256 key "$k32" data $D mac 00000000
nrej=$((nrej + 1))
t_fail "a rejected item: exit status 3" 3 '^$' \
	$S mac-verify alg hmac-sha256 key "$k32" data $D mac 00000000
nrej=$((nrej + 1))
t_res "algorithm outside the policy" "0 $REJ \"algorithm not in the trusted policy\"" \
	$S mac-generate alg aes-cmac key "$kcm" data $D
nrej=$((nrej + 1))
t_res "key shorter than key-len-min" "0 $REJ \"key length outside the trusted policy\"" \
	$S mac-generate alg hmac-sha256 key "$k8" data $D
nrej=$((nrej + 1))
t_res "encrypt outside the policy" "0 $REJ \"service not in the trusted policy\"" \
	$S encrypt key "$kaes" data 00
nrej=$((nrej + 1))
t_match "kdf inside the policy (lifetime defaults to lifetime-max)" '^0 ok key 0x' \
	$S kdf key "$kdv" fc 0x6a param 01 out-usage mac
kd=$($S kdf key "$kdv" fc 0x6a param 01 out-usage mac | sed -n 's/^0 ok key //p')
t_match "derived key gets max-age = lifetime-max" '^  max-age: 60$' ksfctl key show "$kd"
t_res "derived lifetime beyond lifetime-max" "0 $REJ \"derived key lifetime beyond the trusted policy\"" \
	$S kdf key "$kdv" fc 0x6a param 01 out-max-age 120
nrej=$((nrej + 1))
t_res "derived key shorter than key-len-min" "0 $REJ \"derived key length outside the trusted policy\"" \
	$S kdf key "$kdv" fc 0x6a param 01 out-len 8
nrej=$((nrej + 1))

# batch-max 3: the 4th item is rejected, the first three run
i=0
while [ $i -lt 4 ]; do
	echo "mac-generate alg hmac-sha256 key $k32 data $D"
	i=$((i + 1))
done >"$TMP/b4"
$S batch "$TMP/b4" >"$TMP/got" 2>&1
rc=$?
if [ $rc = 3 ] && [ "$(grep -c '^[012] ok data ' "$TMP/got")" = 3 ] &&
   grep -q "^3 $REJ \"batch larger than the trusted policy allows\"\$" "$TMP/got"; then
	ksft_ok "batch-max 3: items 0-2 run, item 3 rejected"
else
	ksft_fail "batch-max 3: items 0-2 run, item 3 rejected" "exit $rc"
	sed 's/^/#   | /' "$TMP/got"
fi
nrej=$((nrej + 1))

# JSON form of a rejection
check=$(ksfctl -j service mac-verify alg hmac-sha256 key "$k32" data 00 mac 00000000 | ksft_py -c '
import json, sys
r = json.loads(sys.stdin.read())
assert r["status"] == "rejected" and r["error"] == -1 and r["errno"] == "EPERM", r
assert "not in the trusted policy" in r["reason"] and "data" not in r, r
print("ok")' 2>&1)
[ "$check" = ok ] && ksft_ok "--json rejection: status, error, reason, no output" ||
	ksft_fail "--json rejection" "$check"
nrej=$((nrej + 1))

# caller-supplied IVs
ksfctl peer set pol services mac-generate,kdf,encrypt algs hmac-sha256,kdf-sha256,aes-gcm
t_res "caller IV without caller-rand" \
	"0 $REJ \"caller-supplied IV needs caller-rand in the trusted policy\"" \
	$S encrypt key "$kaes" iv 000000000000000000000000 data 00
nrej=$((nrej + 1))
t_match "kernel IV without caller-rand: ok" '^0 ok iv ' $S encrypt key "$kaes" data 00
ksfctl peer set pol caller-rand on
t_match "caller IV with caller-rand on: ok" '^0 ok iv 000000000000000000000000 ' \
	$S encrypt key "$kaes" iv 000000000000000000000000 data 00

# policy changes apply to the next request
ksfctl peer set pol services none
t_res "services none: everything rejected" "0 $REJ \"service not in the trusted policy\"" \
	$S mac-generate alg hmac-sha256 key "$k32" data $D
nrej=$((nrej + 1))
ksfctl peer set pol services mac-generate key-len 8-8
t_match "key-len 8-8: the 8-byte key runs" '^0 ok data ' \
	$S mac-generate alg hmac-sha256 key "$k8" data $D
t_res "key-len 8-8: the 32-byte key is rejected" "0 $REJ \"key length outside the trusted policy\"" \
	$S mac-generate alg hmac-sha256 key "$k32" data $D
nrej=$((nrej + 1))

# each caller gets its own peer's policy
ksfctl peer add verifier kind nf uid 3500 services mac-verify algs hmac-sha256
ks=$(ksfctl key add type generic len 16 usage mac,verify owner pol peer verifier)
t_res "another peer: its policy, not root's" "0 $REJ \"service not in the trusted policy\"" \
	ksf-runas 3500 3500 $S mac-generate alg hmac-sha256 key "$ks" data $D
nrej=$((nrej + 1))
t_res "another peer: its own service runs" '0 error EBADMSG reason "MAC mismatch"' \
	ksf-runas 3500 3500 $S mac-verify alg hmac-sha256 key "$ks" data $D mac 0000000000000000000000000000000000000000000000000000000000000000

# audit: one rejection event per rejected item
sleep 0.5
kill $MON 2>/dev/null
wait $MON 2>/dev/null
n=$(grep -c '^rejection ' "$TMP/mon")
[ "$n" = $nrej ] && ksft_ok "one rejection event per rejected item ($n)" ||
	{ ksft_fail "one rejection event per rejected item" "got $n, wanted $nrej"; grep '^rejection' "$TMP/mon" | sed 's/^/#   | /'; }
grep -q "^rejection peer pol key $k32 service mac-verify reason \"service not in the trusted policy\"\$" "$TMP/mon" &&
	ksft_ok "rejection event names peer, key, service and reason" ||
	{ ksft_fail "rejection event names peer, key, service and reason"; grep '^rejection' "$TMP/mon" | head -3 | sed 's/^/#   | /'; }
grep -q '^rejection peer verifier .* service mac-generate ' "$TMP/mon" &&
	ksft_ok "rejection event of the other peer" || ksft_fail "rejection event of the other peer"

rm -rf "$TMP"
ksft_dmesg_check "no kernel report"
ksft_done
