#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Service requests through ksfctl and libksf against known answers:
# HMAC-SHA-256 (RFC 4231), AES-CMAC (RFC 4493), the TS 33.220 KDF (RFC 5448
# test 1, checked through a MAC under the derived key), AES-GCM (GCM spec
# test 2); verify/decrypt failures; batches (file, stdin, 1024 items, large
# data); the caller's binding; notify presets; timers; concurrent threads.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n sh "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
TMP=$(mktemp -d)
imp() { # HEX TYPE USAGE [OWNER [ARGS]]: import, print the handle
	hex=$1 type=$2 usage=$3 owner=${4:-svc}
	shift 3
	[ $# -gt 0 ] && shift
	echo "$hex" | ksfctl key add type "$type" usage "$usage" owner "$owner" "$@" material-hex -
}
S="ksfctl service"
JEFE_DATA=7768617420646f2079612077616e7420666f72206e6f7468696e673f
JEFE_MAC=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843

t_true "root's nf peer (uid 0) with every service" \
	ksfctl peer add svc kind nf uid 0 services all algs all caller-rand on mac-fcs 0x20
khm=$(imp 4a656665 generic mac,verify)
kcm=$(imp 2b7e151628aed2a6abf7158809cf4f3c aes mac,verify)
kkdf=$(imp 5349fbe098649f948f5d2e973a81c00f9744871ad32bf9bbd1dd5ce54e3e2e5a generic derive)
kgcm=$(imp 00000000000000000000000000000000 aes encrypt,decrypt)

t_res "HMAC-SHA-256 RFC 4231 test 2" "0 ok data $JEFE_MAC" \
	$S mac-generate alg hmac-sha256 key "$khm" data $JEFE_DATA
t_res "HMAC-SHA-256 truncated to 16 bytes" "0 ok data 5bdcc146bf60754e6a042426089575c7" \
	$S mac-generate alg hmac-sha256 key "$khm" data $JEFE_DATA mac-len 16
t_res "mac-verify with the right tag" "0 ok" \
	$S mac-verify alg hmac-sha256 key "$khm" data $JEFE_DATA mac $JEFE_MAC
t_res "mac-verify with a wrong tag: EBADMSG" '0 error EBADMSG reason "MAC mismatch"' \
	$S mac-verify alg hmac-sha256 key "$khm" data $JEFE_DATA \
	mac 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3842
t_fail "an item that is not ok: exit status 3" 3 '^$' \
	$S mac-verify alg hmac-sha256 key "$khm" data 00 mac 00112233
t_res "mac-verify of a truncated tag: shorter than the policy allows" \
	"0 rejected EPERM reason \"tag shorter than the trusted policy's mac-len-min\"" \
	$S mac-verify alg hmac-sha256 key "$khm" data $JEFE_DATA mac 5bdcc146bf60754e6a042426089575c7
t_res "AES-CMAC RFC 4493 example 1 (empty message)" "0 ok data bb1d6929e95937287fa37d129b756746" \
	$S mac-generate alg aes-cmac key "$kcm" data ""
t_res "AES-CMAC RFC 4493 example 2" "0 ok data 070a16b46b4d4144f79bdd9dd04a287c" \
	$S mac-generate alg aes-cmac key "$kcm" data 6bc1bee22e409f96e93d7e117393172a
t_res "CMAC with a generic key: type mismatch" \
	'0 error EKEYREJECTED reason "key type does not fit the algorithm"' \
	$S mac-generate alg aes-cmac key "$khm" data 00
t_res "mac-generate without usage mac" \
	'0 error EKEYREJECTED reason "key usage does not allow the service"' \
	$S mac-generate alg hmac-sha256 key "$kkdf" data 00
t_res "mac-generate with kdf-sha256: wrong algorithm" \
	'0 error EINVAL reason "algorithm not valid for the service"' \
	$S mac-generate alg kdf-sha256 key "$khm" data 00
t_res "unknown key handle" '0 error ENOENT reason "unknown key handle"' \
	$S mac-generate alg hmac-sha256 key 0x1234 data 00
t_res "item without key" '0 error EINVAL reason "item has no key"' \
	$S mac-generate alg hmac-sha256 data 00

# KDF: RFC 5448 test 1 (FC 0x20, named by the policy as giving MAC keys);
# the derived key is checked through HMAC
out=$($S kdf alg kdf-sha256 key "$kkdf" fc 0x20 param 574c414e param bb52e91c747a \
	out-type generic out-len 32 out-usage mac)
kd=$(printf '%s\n' "$out" | sed -n 's/^0 ok key \(0x[0-9a-f]\{16\}\)$/\1/p')
[ -n "$kd" ] && ksft_ok "kdf returns a new key handle" || ksft_fail "kdf returns a new key handle" "$out"
t_res "derived key = RFC 5448 CK'||IK' (HMAC under it)" \
	"0 ok data 8dd8905ee33e0a29677956e137612c41106879fb2141a58f3b4e450756f68e16" \
	$S mac-generate alg hmac-sha256 key "$kd" data 00010203
out=$(ksfctl key show "$kd")
printf '%s\n' "$out" | grep -q '^  source: derive$' &&
	printf '%s\n' "$out" | grep -q "^  parent: $kkdf\$" &&
	printf '%s\n' "$out" | grep -q '^  owner: svc$' &&
	ksft_ok "derived key: source derive, parent, owner" ||
	{ ksft_fail "derived key: source derive, parent, owner"; printf '%s\n' "$out" | sed 's/^/#   | /'; }
kd16=$($S kdf key "$kkdf" fc 0x20 param 574c414e param bb52e91c747a out-len 16 out-usage mac |
	sed -n 's/^0 ok key //p')
t_res "16-byte derived key = the last 16 bytes (default alg kdf-sha256)" \
	"0 ok data 75f3a066fde7451a3ec942f0132e2824bce5e19348cb7bb356295d5edb23eced" \
	$S mac-generate alg hmac-sha256 key "$kd16" data 00010203
t_res "kdf without fc" '0 error EINVAL reason "kdf needs fc"' $S kdf key "$kkdf" param 00
t_res "kdf with a key without usage derive" \
	'0 error EKEYREJECTED reason "key usage does not allow the service"' \
	$S kdf key "$khm" fc 0x6a

# AES-GCM
t_res "AES-GCM test 2 (caller IV, caller-rand on)" \
	"0 ok iv 000000000000000000000000 data 0388dace60b6a392f328c2b971b2fe78 mac ab6e47d42cec13bdf53a67b21257bddf" \
	$S encrypt alg aes-gcm key "$kgcm" iv 000000000000000000000000 data 00000000000000000000000000000000
t_res "AES-GCM test 2 decrypt" "0 ok data 00000000000000000000000000000000" \
	$S decrypt key "$kgcm" iv 000000000000000000000000 data 0388dace60b6a392f328c2b971b2fe78 \
	mac ab6e47d42cec13bdf53a67b21257bddf
t_res "decrypt with a bad tag: EBADMSG" '0 error EBADMSG reason "authentication failed"' \
	$S decrypt key "$kgcm" iv 000000000000000000000000 data 0388dace60b6a392f328c2b971b2fe78 \
	mac ab6e47d42cec13bdf53a67b21257bdde
t_res "decrypt with other aad: EBADMSG" '0 error EBADMSG reason "authentication failed"' \
	$S decrypt key "$kgcm" iv 000000000000000000000000 data 0388dace60b6a392f328c2b971b2fe78 \
	mac ab6e47d42cec13bdf53a67b21257bddf aad 01
t_res "decrypt without iv" '0 error EINVAL reason "decrypt needs an iv"' \
	$S decrypt key "$kgcm" data 00 mac ab6e47d42cec13bdf53a67b21257bddf
e1=$($S encrypt key "$kgcm" data 48656c6c6f aad 0102)
e2=$($S encrypt key "$kgcm" data 48656c6c6f aad 0102)
iv=$(printf '%s\n' "$e1" | sed -n 's/^0 ok iv \([0-9a-f]\{24\}\) data \([0-9a-f]*\) mac \([0-9a-f]\{32\}\)$/\1/p')
ct=$(printf '%s\n' "$e1" | sed -n 's/^0 ok iv [0-9a-f]* data \([0-9a-f]*\) mac.*/\1/p')
tag=$(printf '%s\n' "$e1" | sed -n 's/.* mac \([0-9a-f]*\)$/\1/p')
[ -n "$iv" ] && [ ${#ct} = 10 ] && ksft_ok "encrypt: kernel IV, ciphertext, 16-byte tag" ||
	ksft_fail "encrypt: kernel IV, ciphertext, 16-byte tag" "$e1"
[ "$e1" != "$e2" ] && ksft_ok "two encryptions use two IVs" || ksft_fail "two encryptions use two IVs" "$e1"
t_res "decrypt what encrypt gave" "0 ok data 48656c6c6f" \
	$S decrypt key "$kgcm" iv "$iv" data "$ct" mac "$tag" aad 0102
t_fail "IV of 11 bytes: the kernel rejects the request" 1 'service: .*\(' \
	$S encrypt key "$kgcm" iv 0000000000000000000000 data 00

# batches
cat >"$TMP/batch" <<EOB
# comment lines and blank lines are skipped

mac-generate alg hmac-sha256 key $khm data $JEFE_DATA
mac-verify alg hmac-sha256 key $khm data $JEFE_DATA mac 0000000000000000000000000000000000000000000000000000000000000000
mac-generate alg aes-cmac key $kcm data 6bc1bee22e409f96e93d7e117393172a
decrypt key $kgcm iv 000000000000000000000000 data 0388dace60b6a392f328c2b971b2fe78 mac ab6e47d42cec13bdf53a67b21257bddf
mac-generate alg hmac-sha256 key 0x77 data 00
EOB
cat >"$TMP/want" <<EOB
0 ok data $JEFE_MAC
1 error EBADMSG reason "MAC mismatch"
2 ok data 070a16b46b4d4144f79bdd9dd04a287c
3 ok data 00000000000000000000000000000000
4 error ENOENT reason "unknown key handle"
EOB
$S batch "$TMP/batch" >"$TMP/got" 2>&1
rc=$?
cmp -s "$TMP/got" "$TMP/want" && [ $rc = 3 ] && ksft_ok "batch file: one result per item, in order (exit 3)" ||
	{ ksft_fail "batch file: one result per item, in order (exit 3)" "exit $rc"; sed 's/^/#   | /' "$TMP/got"; }
$S batch - <"$TMP/batch" >"$TMP/got2" 2>&1
cmp -s "$TMP/got" "$TMP/got2" && ksft_ok "batch from stdin" || ksft_fail "batch from stdin"
check=$(ksfctl -j service batch "$TMP/batch" | ksft_py -c '
import json, sys
r = [json.loads(l) for l in sys.stdin]
assert [x["index"] for x in r] == [0, 1, 2, 3, 4], r
assert r[0]["status"] == "ok" and r[0]["data"] == sys.argv[1], r[0]
assert r[1]["status"] == "error" and r[1]["errno"] == "EBADMSG" and r[1]["error"] == -74, r[1]
assert r[1]["reason"] == "MAC mismatch", r[1]
print("ok")' $JEFE_MAC 2>&1)
[ "$check" = ok ] && ksft_ok "--json batch results" || ksft_fail "--json batch results" "$check"
t_fail "batch file with a bad line (usage)" 2 ':2: unknown service' \
	sh -c "printf 'mac-generate key 1\nfly key 2\n' | $S batch -"
i=0
while [ $i -lt 1024 ]; do
	echo "mac-generate alg hmac-sha256 key $khm data $JEFE_DATA"
	i=$((i + 1))
done >"$TMP/b1024"
n=$($S batch "$TMP/b1024" | grep -c "ok data $JEFE_MAC\$")
[ "$n" = 1024 ] && ksft_ok "1024 items in one request" || ksft_fail "1024 items in one request" "got $n ok"
echo "mac-generate alg hmac-sha256 key $khm data 00" >>"$TMP/b1024"
t_match "item 1025 is rejected by the default batch-max" \
	'^1024 rejected EPERM reason "batch larger than the trusted policy allows"$' \
	sh -c "$S batch $TMP/b1024; true"
big=$(printf '%032768d' 0)
t_true "16384 bytes of data (data-max-len)" sh -c \
	"$S mac-generate alg hmac-sha256 key $khm data $big | grep -qE '^0 ok data [0-9a-f]{64}\$'"
# wire 2: the mac family has no aad, the kernel's reason names data only
t_res "16385 bytes of data: EMSGSIZE" '0 error EMSGSIZE reason "data longer than data-max-len"' \
	$S mac-generate alg hmac-sha256 key "$khm" data "${big}00"
# each family's decoder checks its own lengths (the op policy cannot)
t_res "encrypt with 16385 bytes of data: EMSGSIZE" \
	'0 error EMSGSIZE reason "data longer than data-max-len"' \
	$S encrypt key "$kgcm" data "${big}00"
t_res "encrypt with 16385 bytes of aad: EMSGSIZE" \
	'0 error EMSGSIZE reason "aad longer than data-max-len"' \
	$S encrypt key "$kgcm" data 00 aad "${big}00"
t_res "nas-mac with 16385 bytes of data: EMSGSIZE" \
	'0 error EMSGSIZE reason "data longer than data-max-len"' \
	$S nas-mac alg nia2 key "$khm" count 0 bearer 0 direction 0 data "${big}00"
t_res "kdf with 17 parameters: E2BIG" \
	'0 error E2BIG reason "more than 16 param and param-key"' \
	$S kdf key "$kkdf" fc 0x20 $(printf 'param 00 %.0s' $(seq 17))
i=0
while [ $i -lt 8 ]; do
	echo "encrypt key $kgcm data $big"
	i=$((i + 1))
done >"$TMP/b8"
n=$($S batch "$TMP/b8" | awk '$2 == "ok" && $3 == "iv" && length($4) == 24 && $5 == "data" &&
	length($6) == 32768 && $7 == "mac" && length($8) == 32 { n++ } END { print n + 0 }')
[ "$n" = 8 ] && ksft_ok "8 x 16 KiB encryptions in one request (128 KiB reply)" ||
	ksft_fail "8 x 16 KiB encryptions in one request (128 KiB reply)" "got $n"
uses=$(ksfctl key show "$khm" | sed -n 's/^  uses: //p')
[ "$uses" -ge 1029 ] 2>/dev/null && ksft_ok "key uses counted ($uses)" || ksft_fail "key uses counted" "$uses"

# the caller's binding decides the peer
ksfctl peer add nf2 kind nf uid 3100 services mac-generate algs hmac-sha256
t_res "a key not shared with the caller: EACCES" \
	'0 error EACCES reason "key not usable by this peer"' \
	ksf-runas 3100 3100 $S mac-generate alg hmac-sha256 key "$khm" data $JEFE_DATA
kshare=$(imp 4a656665 generic mac svc peer nf2)
t_res "a key shared with the caller (peer nf2)" "0 ok data $JEFE_MAC" \
	ksf-runas 3100 3100 $S mac-generate alg hmac-sha256 key "$kshare" data $JEFE_DATA
t_fail "a caller bound to no peer: EPERM" 1 \
	'^ksfctl: service: no nf peer is bound to the caller.s credentials \(Operation not permitted\)$' \
	ksf-runas 3200 3200 $S mac-generate alg hmac-sha256 key "$khm" data 00
ksfctl peer add nfg kind nf gid 3300 services mac-generate algs hmac-sha256
kg=$(imp 4a656665 generic mac nfg)
t_res "a gid binding matches a supplementary group" "0 ok data $JEFE_MAC" \
	ksf-runas 3400 3400,3300 $S mac-generate alg hmac-sha256 key "$kg" data $JEFE_DATA

# notify presets
ksfctl peer set svc notify deregistered "mac-generate alg hmac-sha256 key $khm data $JEFE_DATA" \
	"mac-verify alg hmac-sha256 key $khm data $JEFE_DATA mac 0000000000000000000000000000000000000000000000000000000000000000"
printf '0 ok data %s\n1 error EBADMSG reason "MAC mismatch"\n' $JEFE_MAC >"$TMP/want"
ksfctl notify imsi-001010000000001 deregistered >"$TMP/got" 2>&1
rc=$?
cmp -s "$TMP/got" "$TMP/want" && [ $rc = 3 ] && ksft_ok "notify runs the preset list" ||
	{ ksft_fail "notify runs the preset list" "exit $rc"; sed 's/^/#   | /' "$TMP/got"; }
t_fail "notify of a status without a preset" 1 'no service list for this status' \
	ksfctl notify - registered
t_fail "notify from an unbound caller" 1 'no nf peer is bound' \
	ksf-runas 3200 3200 ksfctl notify - deregistered
t_fail "notify with an unknown status (usage)" 2 'unknown notify status' ksfctl notify - gone

# timers: results arrive on the events group
ksfctl monitor >"$TMP/mon" 2>&1 &
MON=$!
ksft_wait_netlink $MON || ksft_diag "monitor did not open its socket"
# the events socket opens after the request socket: let it subscribe
sleep 0.5
ksfctl peer set nf2 timer 200 "mac-generate alg hmac-sha256 key $kshare data $JEFE_DATA"
sleep 1.5
ksfctl peer del nf2
sleep 0.3
kill $MON 2>/dev/null
wait $MON 2>/dev/null
n=$(grep -c '^timer-result peer nf2$' "$TMP/mon")
[ "$n" -ge 2 ] && ksft_ok "timer results on the events group ($n in 1.5 s)" ||
	{ ksft_fail "timer results on the events group" "got $n"; sed 's/^/#   | /' "$TMP/mon" | head; }
grep -q "^  0 ok data $JEFE_MAC\$" "$TMP/mon" && ksft_ok "timer result carries the MAC" ||
	ksft_fail "timer result carries the MAC"
n1=$(grep -c '^timer-result peer nf2$' "$TMP/mon")
sleep 0.6
[ "$(grep -c '^timer-result peer nf2$' "$TMP/mon")" = "$n1" ] &&
	ksft_ok "timers stop with their peer" || ksft_fail "timers stop with their peer"

# libksf from several threads on one handle
t_match "libksf: 4 threads share a handle" '0 failures' ksf-threads "$khm" 4 100

rm -rf "$TMP"
ksft_dmesg_check "no kernel report"
ksft_done
