#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Key separation (hardening issue, findings 1, 7 and 9), black box through
# ksfctl.  The KDF is HMAC-SHA-256 on the key: a key that may both derive
# and MAC is a key oracle (mac-generate of FC || P0 || L0 under it returns
# the child's bytes).  Usages come in families that never share a key; the
# family of a derived key follows from the derivation (FC 0x69 by its
# distinguisher, other FCs derive-only unless the policy names them), the
# caller's out-usage only narrows; a tag shorter than the policy's minimum
# does not verify; a child never outlives its parent.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n bash "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
S="ksfctl service"
REJ='0 rejected EPERM reason'
imp() { # HEX TYPE [ARGS]: import for the peer "sep", print the handle
	hex=$1 type=$2
	shift 2
	echo "$hex" | ksfctl key add type "$type" owner sep "$@" material-hex -
}
key_of() { sed -n 's/^0 ok key \(0x[0-9a-f]\{16\}\)$/\1/p'; }
K32=5349fbe098649f948f5d2e973a81c00f9744871ad32bf9bbd1dd5ce54e3e2e5a

t_true "an nf peer with every service" \
	ksfctl peer add sep kind nf uid 0 services all algs all

# ---- families on keys created by the administrator ----
t_fail "derive,mac on one key is refused" 1 'usages of two families on one key' \
	ksfctl key add type generic len 32 usage derive,mac owner sep
t_fail "derive,verify on one key is refused" 1 'usages of two families' \
	ksfctl key add type generic len 32 usage derive,verify owner sep
t_fail "mac,encrypt on one aes key is refused" 1 'usages of two families' \
	ksfctl key add type aes len 16 usage mac,encrypt owner sep
t_fail "encrypt,seal on one aes key is refused" 1 'usages of two families' \
	ksfctl key add type aes len 16 usage encrypt,seal owner sep
t_fail "an imported key with two families is refused too" 1 'usages of two families' \
	imp $K32 generic usage derive,mac,verify
t_fail "a nas key needs its usage named" 1 'a nas key needs a usage' \
	ksfctl key add type nas len 16 owner sep
t_match "generic key: default usage derive only" '^  usage: derive$' \
	sh -c 'ksfctl key show $(ksfctl key add type generic len 32 owner sep)'
t_match "aes key: default usage encrypt,decrypt" '^  usage: encrypt,decrypt$' \
	sh -c 'ksfctl key show $(ksfctl key add type aes len 16 owner sep)'

# ---- the oracle of finding 1: the README's provisioning ----
k=$(imp $K32 generic)
t_res "mac-generate under a default-usage generic key is refused" \
	'0 error EKEYREJECTED reason "key usage does not allow the service"' \
	$S mac-generate alg hmac-sha256 key "$k" data 6d0004000000010004
t_res "mac-verify under it is refused as well (no verify oracle)" \
	'0 error EKEYREJECTED reason "key usage does not allow the service"' \
	$S mac-verify alg hmac-sha256 key "$k" data 6d00 mac 00000000000000000000000000000000
t_res "K_AMF (fc 0x6d) asked for as a MAC key: rejected" \
	"$REJ \"out-usage outside this derivation's family: derive\"" \
	$S kdf key "$k" fc 0x6d param 00000001 param 0000 out-usage mac
t_res "K_AMF asked for as mac,verify: rejected" \
	"$REJ \"out-usage outside this derivation's family: derive\"" \
	$S kdf key "$k" fc 0x6d param 00000001 param 0000 out-usage mac,verify
kamf=$($S kdf key "$k" fc 0x6d param 00000001 param 0000 | key_of)
t_true "K_AMF derived as a derive key" [ -n "$kamf" ]
t_match "K_AMF: usage derive" '^  usage: derive$' ksfctl key show "$kamf"
t_res "K_AMF cannot MAC its own children's input" \
	'0 error EKEYREJECTED reason "key usage does not allow the service"' \
	$S mac-generate alg hmac-sha256 key "$kamf" data 6e00000000000400
# The grandchild: a MAC-usage copy of K_gNB (fc 0x6e) would MAC 0x69 || ...
# and give away the RRC keys.
t_res "K_gNB asked for as a MAC key: rejected" \
	"$REJ \"out-usage outside this derivation's family: derive\"" \
	$S kdf key "$kamf" fc 0x6e param 00000000 param 01 out-usage mac
kgnb=$($S kdf key "$kamf" fc 0x6e param 00000000 param 01 | key_of)
t_true "K_gNB derived as a derive key" [ -n "$kgnb" ]
t_res "the same (parent, fc, params) under a second family is refused" \
	"$REJ \"out-usage outside this derivation's family: derive\"" \
	$S kdf key "$kamf" fc 0x6e param 00000000 param 01 out-type aes out-len 16 out-usage encrypt

# ---- FC 0x69: the distinguisher decides ----
krrci=$($S kdf key "$kgnb" fc 0x69 param 04 param 02 | key_of)
t_match "K_RRCint (0x69, 0x04): a 16-byte nas key, mac,verify" \
	'"type":"nas","len":16,"usage":"mac,verify"' ksfctl -j key show "$krrci"
t_res "K_RRCint asked for as an encryption key: rejected" \
	"$REJ \"out-usage outside this derivation's family: mac,verify\"" \
	$S kdf key "$kgnb" fc 0x69 param 04 param 02 out-usage encrypt
t_res "K_RRCint narrowed to verify only: allowed" "ok" \
	sh -c "$S kdf key $kgnb fc 0x69 param 04 param 02 out-usage verify | cut -d' ' -f2"
krrce=$($S kdf key "$kgnb" fc 0x69 param 03 param 02 | key_of)
t_match "K_RRCenc (0x69, 0x03): encrypt,decrypt" '^  usage: encrypt,decrypt$' \
	ksfctl key show "$krrce"
t_res "K_RRCenc asked for as a MAC key: rejected" \
	"$REJ \"out-usage outside this derivation's family: encrypt,decrypt\"" \
	$S kdf key "$kgnb" fc 0x69 param 03 param 02 out-usage mac
t_match "K_RRCint MACs with NIA2" '^0 ok data [0-9a-f]{8}$' \
	$S nas-mac alg nia2 key "$krrci" count 0 bearer 0 direction 0 data 00
t_res "K_RRCint cannot derive" \
	'0 error EKEYREJECTED reason "key usage does not allow the service"' \
	$S kdf key "$krrci" fc 0x6d
t_match "0x69 with an unknown distinguisher: derive only" '^  usage: derive$' \
	sh -c "ksfctl key show \$($S kdf key $kgnb fc 0x69 param 07 param 02 | sed -n 's/^0 ok key //p')"
t_res "a derived key of type generic cannot hold encrypt" \
	"0 error EINVAL reason \"out-type cannot hold this derivation's usage\"" \
	$S kdf key "$kgnb" fc 0x69 param 05 param 02 out-type generic

# ---- FCs the policy names ----
t_fail "policy: fc 0x69 cannot be named" 1 'fc 0x69 is not the policy' \
	ksfctl peer set sep mac-fcs 0x69
t_fail "policy: one fc in both maps is refused" 1 'both mac-fcs and encrypt-fcs' \
	ksfctl peer set sep mac-fcs 0x20 encrypt-fcs 0x20,0x21
k2=$(imp $K32 generic)
kd=$($S kdf key "$k2" fc 0x20 param 574c414e param bb52e91c747a | key_of)
t_match "fc 0x20 not named: derive only" '^  usage: derive$' ksfctl key show "$kd"
t_true "the admin names fc 0x20 as giving MAC keys" ksfctl peer set sep mac-fcs 0x20
t_match "peer show lists mac-fcs" '^    mac-fcs: 0x20$' ksfctl peer show sep
t_res "the same parent and fc now under mac: refused (it derived a derive key)" \
	'0 rejected EPERM reason "this key derived keys of another family with this fc"' \
	$S kdf key "$k2" fc 0x20 param 574c414e param bb52e91c747a
k3=$(imp $K32 generic)
km=$($S kdf key "$k3" fc 0x20 param 574c414e param bb52e91c747a | key_of)
t_match "fc 0x20 named: a mac,verify key" '^  usage: mac,verify$' ksfctl key show "$km"
# RFC 5448 test 1: CK'||IK' checked through a MAC under it (known answer).
t_res "its bytes are the KDF's (RFC 5448 test 1, HMAC under it)" \
	"0 ok data 8dd8905ee33e0a29677956e137612c41106879fb2141a58f3b4e450756f68e16" \
	$S mac-generate alg hmac-sha256 key "$km" data 00010203
t_true "the admin takes fc 0x20 back" ksfctl peer set sep mac-fcs none
t_res "a derive child of the same parent and fc: refused (it gave a MAC key)" \
	'0 rejected EPERM reason "this key derived keys of another family with this fc"' \
	$S kdf key "$k3" fc 0x20 param 574c414e param bb52e91c747a
t_true "the admin names fc 0x21 as giving encryption keys" ksfctl peer set sep encrypt-fcs 0x21
k4=$(imp $K32 generic)
ke=$($S kdf key "$k4" fc 0x21 param 574c414e | key_of)
t_match "fc 0x21 named: an encrypt,decrypt key" '^  usage: encrypt,decrypt$' ksfctl key show "$ke"
t_match "it encrypts" '^0 ok iv [0-9a-f]{24} data [0-9a-f]+ mac ' $S encrypt key "$ke" data 00010203
t_res "it does not MAC" '0 error EKEYREJECTED reason "key usage does not allow the service"' \
	$S mac-generate alg hmac-sha256 key "$ke" data 00
t_true "the admin takes fc 0x21 back" ksfctl peer set sep encrypt-fcs none

# ---- finding 7: truncated tags ----
kh=$(imp 4a656665 generic usage mac,verify)
DATA=7768617420646f2079612077616e7420666f72206e6f7468696e673f
TAG=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843
t_res "the full tag verifies" "0 ok" \
	$S mac-verify alg hmac-sha256 key "$kh" data $DATA mac $TAG
t_res "a correct 4-byte prefix is refused under the default policy" \
	"$REJ \"tag shorter than the trusted policy's mac-len-min\"" \
	$S mac-verify alg hmac-sha256 key "$kh" data $DATA mac 5bdcc146
t_res "a correct 16-byte prefix is refused under the default policy" \
	"$REJ \"tag shorter than the trusted policy's mac-len-min\"" \
	$S mac-verify alg hmac-sha256 key "$kh" data $DATA mac 5bdcc146bf60754e6a042426089575c7
t_res "mac-len 4 with a 4-byte tag: refused too" \
	"$REJ \"tag shorter than the trusted policy's mac-len-min\"" \
	$S mac-verify alg hmac-sha256 key "$kh" data $DATA mac 5bdcc146 mac-len 4
t_true "policy mac-len-min 8" ksfctl peer set sep mac-len-min 8
t_res "an 8-byte prefix verifies under mac-len-min 8" "0 ok" \
	$S mac-verify alg hmac-sha256 key "$kh" data $DATA mac 5bdcc146bf60754e
t_res "a 4-byte prefix does not" \
	"$REJ \"tag shorter than the trusted policy's mac-len-min\"" \
	$S mac-verify alg hmac-sha256 key "$kh" data $DATA mac 5bdcc146
t_fail "mac-len-min 2 is refused" 1 'mac-len-min is 0' ksfctl peer set sep mac-len-min 2
ksfctl monitor >/tmp/sep-mon.out 2>&1 &
mon=$!
ksft_wait_netlink $mon
before=$(ksfctl peer show sep | sed -n 's/^  verify-failures: //p')
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	$S mac-verify alg hmac-sha256 key "$kh" data $DATA mac 5bdcc146bf60754f >/dev/null
done
after=$(ksfctl peer show sep | sed -n 's/^  verify-failures: //p')
t_true "every failed verification is counted ($before -> $after)" \
	[ "$((after - before))" = 12 ]
sleep 0.5
kill $mon 2>/dev/null; wait $mon 2>/dev/null
n=$(grep -c 'verify-failure' /tmp/sep-mon.out)
t_true "failures are audited on the events group, rate-limited ($n of 12 events)" \
	[ "$n" -ge 1 ] && [ "$n" -le 10 ]
grep -q 'verify-failure' /tmp/sep-mon.out && grep -q 'MAC mismatch' /tmp/sep-mon.out ||
	cat /tmp/sep-mon.out | sed 's/^/# mon: /'

# ---- finding 9: a child never outlives its parent ----
T=$(( $(date +%s) + 3600 ))
kp=$(imp $K32 generic not-after $T)
kc=$($S kdf key "$kp" fc 0x6d param 01 out-max-age 86400 | key_of)
na=$(ksfctl -j key show "$kc" | sed -n 's/.*"not_after":\([0-9]*\).*/\1/p')
t_true "a kdf child expires by its parent's not-after ($na <= $T)" \
	[ -n "$na" ] && [ "$na" -gt 0 ] && [ "$na" -le $T ]
kg=$($S kdf key "$kc" fc 0x6e param 01 | key_of)
na=$(ksfctl -j key show "$kg" | sed -n 's/.*"not_after":\([0-9]*\).*/\1/p')
t_true "and so does the grandchild ($na <= $T)" [ -n "$na" ] && [ "$na" -gt 0 ] && [ "$na" -le $T ]
ka=$(imp $K32 generic max-age 600)
kc=$($S kdf key "$ka" fc 0x6d param 01 | key_of)
na=$(ksfctl -j key show "$kc" | sed -n 's/.*"not_after":\([0-9]*\).*/\1/p')
t_true "a parent's max-age bounds the child's not-after" \
	[ -n "$na" ] && [ "$na" -gt 0 ] && [ "$na" -le $(( $(date +%s) + 600 )) ]
# NAS keys of a context and K_AUSF (aka-vector) bounded by their parents.
kamf2=$($S kdf key "$kp" fc 0x6d param 02 | key_of)
out=$($S nas-context key "$kamf2" subscriber imsi-1 int-alg nia2 enc-alg nea2)
ki=$(ksfctl -j context show sep imsi-1 | sed -n 's/.*"nas_int_key":"\(0x[0-9a-f]*\)".*/\1/p')
na=$(ksfctl -j key show "$ki" 2>/dev/null | sed -n 's/.*"not_after":\([0-9]*\).*/\1/p')
t_true "K_NASint expires by K_AMF's parent's not-after ($na <= $T)" \
	[ -n "$na" ] && [ "$na" -gt 0 ] && [ "$na" -le $T ]
kk=$(echo 465b5ce8b199b49faa5f0a2ee238a6bc | ksfctl key add type k owner sep not-after $T material-hex -)
ko=$(echo cd63cb71954a9f4e48a5994e37a02baf | ksfctl key add type opc owner sep material-hex -)
kausf=$($S aka-vector key "$kk" key2 "$ko" snn 5G:mnc001.mcc001.3gppnetwork.org subscriber imsi-2 |
	sed -n 's/.* key \(0x[0-9a-f]\{16\}\).*/\1/p')
na=$(ksfctl -j key show "$kausf" 2>/dev/null | sed -n 's/.*"not_after":\([0-9]*\).*/\1/p')
t_true "K_AUSF expires by K's not-after ($na <= $T)" \
	[ -n "$na" ] && [ "$na" -gt 0 ] && [ "$na" -le $T ]

# ---- the README's provisioning example, as written there ----
ksfctl peer add amf-1 kind nf uid 1001 services mac-generate,mac-verify,kdf \
	algs hmac-sha256,kdf-sha256 key-len 16-32 lifetime-max 86400 >/dev/null
head -c 32 /dev/urandom | keyctl padd logon ksf:amf-1:kamf @u >/dev/null
kamf=$(ksfctl key add type generic owner amf-1 usage derive desc ksf:amf-1:kamf)
kmac=$(ksfctl key add type generic len 32 owner amf-1 usage mac,verify)
out=$(printf '%s\n' "mac-generate alg hmac-sha256 key $kmac data 4869205468657265" \
	"kdf key $kamf fc 0x6c param 35473a6d6e63" \
	"mac-generate alg hmac-sha256 key $kamf data 6c0006" \
	"encrypt key $kmac data 00" | ksf-runas 1001 1001 ksfctl service batch - 2>&1)
printf '%s\n' "$out" | sed 's/^/# readme: /'
t_true "README example: the MAC key MACs" grep -qE '^0 ok data [0-9a-f]{64}$' <<<"$out"
t_true "README example: K_AMF derives" grep -qE '^1 ok key 0x[0-9a-f]{16}$' <<<"$out"
t_true "README example: K_AMF does not MAC" \
	grep -qx '2 error EKEYREJECTED reason "key usage does not allow the service"' <<<"$out"
t_true "README example: encrypt is outside the policy" \
	grep -qx '3 rejected EPERM reason "service not in the trusted policy"' <<<"$out"
ksfctl peer del amf-1
keyctl purge logon ksf:amf-1:kamf >/dev/null 2>&1

# ---- ksfctl(8)'s example ----
ksfctl peer add amf-m kind nf uid 1002 services mac-generate,kdf \
	algs hmac-sha256,kdf-sha256 key-len 16-32 batch-max 64 mac-fcs 0x6a >/dev/null
head -c 32 /dev/urandom >/tmp/sep-k
km8=$(ksfctl key add type generic usage derive owner amf-m material-file /tmp/sep-k)
rm -f /tmp/sep-k
kd8=$(ksf-runas 1002 1002 ksfctl service kdf key "$km8" fc 0x6a param 0102 out-usage mac | key_of)
t_match "ksfctl(8) example: fc 0x6a, named by the policy, gives a MAC key" '^0 ok data [0-9a-f]{64}$' \
	ksf-runas 1002 1002 ksfctl service mac-generate alg hmac-sha256 key "$kd8" data 00ff
t_res "ksfctl(8) example: the derive key does not MAC" \
	'0 error EKEYREJECTED reason "key usage does not allow the service"' \
	sh -c "ksf-runas 1002 1002 ksfctl service mac-generate alg hmac-sha256 key $km8 data 6a01; true"
ksfctl peer del amf-m

ksfctl peer del sep
ksft_dmesg_check "no kernel report"
ksft_done
