#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# SUCI (TS 33.501 6.12, Annex C) through ksfctl: a UE host (netns
# ksf-t46ue) conceals, the home network's SIDF (this test's instance)
# de-conceals under home network private keys that never leave the
# kernel (imported from hex, from the keyring, generated).  Every case of
# suci_ecies.json both ways (the UE with the case's ephemeral key needs
# caller-rand), random ephemeral keys, the null scheme, each refusal
# (unknown key, wrong type, wrong tag, truncated, not a point, small
# order, keys that are no keys), the policy's schemes, no private key in
# any output, and save/restore keeping the home network keys.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n bash "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
UE=ksf-t46ue
NS=ksf-t46r
TMP=$(mktemp -d)
cleanup() {
	ksft_ns_del $UE
	ksft_ns_del $NS
	rm -rf "$TMP"
	[ -z "${kek:-}" ] || keyctl unlink "$kek" @u >/dev/null 2>&1
	[ -z "${kb:-}" ] || keyctl unlink "$kb" @u >/dev/null 2>&1
}
trap cleanup EXIT

# TS 33.501 C.4.3 (Profile A), C.4.4 (Profile B: IMSI, NAI)
A_PRIV=c53c22208b61860b06c62e5406a7b330c2b577aa5558981510d128247d38bd1d
A_PUB=5a8d38864820197c3394b92613b20b91633cbd897119273bf8e4a6f4eec0a650
A_EPH=c80949f13ebe61af4ebdbd293ea4f942696b9e815d7e8f0096bbf6ed7de62256
A_OUT=b2e92f836055a255837debf850b528997ce0201cb82adfe4be1f587d07d8457dcb02352410cddd9e730ef3fa87
B_PRIV=f1ab1074477ebcc7f554ea1c5fc368b1616730155e0041ac447d6301975fecda
B_PUB=0272da71976234ce833a6907425867b82e074d44ef907dfb4b3e21c1c2256ebcd1
B_PUBU=0472da71976234ce833a6907425867b82e074d44ef907dfb4b3e21c1c2256ebcd15a7ded52fcbb097a4ed250e036c7b9c8c7004c4eedc4f068cd7bf8d3f900e3b4
B_EPH=99798858a1dc6a2c68637149a4b1dbfd1fdff5addd62a2142f06699ed7602529
B_OUT=039aab8376597021e855679a9778ea0b67396e68c66df32c0f41e9acca2da9b9d146a33fc2716ac7dae96aa30a4d
N_EPH=90a5898bd29ffa3f261e00e980067c70a2b1b992a21f5b4fef6d4df69fe804ad
N_IN=766572796c6f6e67757365726e616d6531
N_OUT=03759bb22c563d9f4a6b3c1419e543fc2f39d6823f02a9d71162b39399218b244bbe22d8b9f856a52ed381cd7eaf4cf2d5253cddc61a0a7882eb
MSIN=00012080f6
ALL=suci-null,suci-profile-a,suci-profile-b

# Every output goes to $TMP/all for the canary check at the end.
sidf() { ksfctl service "$@" 2>&1 | tee -a "$TMP/all"; }
ue() { ksft_ns_exec $UE ksfctl service "$@" 2>&1 | tee -a "$TMP/all"; }
kadm() { ksfctl "$@" 2>&1 | tee -a "$TMP/all"; }
# the scheme output of a result line "0 ok data HEX ..."
data_of() { sed -n 's/^0 ok data \([0-9a-f]*\).*/\1/p'; }

# ---- the home network (this instance): SIDF keys ----
t_true "the SIDF's nf peer: suci-deconceal, suci-public-key, every scheme" \
	ksfctl peer add udm kind nf uid 0 \
	services suci-deconceal,suci-public-key algs $ALL
ka=$(echo $A_PRIV | ksfctl key add type suci-a owner udm material-hex - 2>&1)
t_true "a Profile A home network key from hex" test -n "$ka"
printf '%s' $B_PRIV | ksft_py -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read()))' >"$TMP/b.bin"
kb=$(keyctl padd user ksf:t46-hnb @u <"$TMP/b.bin")
rm -f "$TMP/b.bin"
kbh=$(ksfctl key add type suci-b owner udm keyring "$kb" 2>&1)
t_true "a Profile B home network key from the keyring" test -n "$kbh"
kg=$(ksfctl key add type suci-b len 32 owner udm 2>&1)
t_true "a Profile B home network key generated in the kernel" test -n "$kg"
kga=$(ksfctl key add type suci-a len 32 owner udm 2>&1)
t_match "key show: type suci-a" 'suci-a' \
	kadm key show "$ka"

t_fail "a suci-b key of 16 bytes is refused" 1 "key length not valid for the key type" \
	ksfctl key add type suci-b len 16 owner udm
t_fail "a suci-a key with usage encrypt is refused" 1 "usage not allowed for the key type" \
	ksfctl key add type suci-a len 32 usage encrypt owner udm
t_fail "a suci-b key of zeros (no P-256 scalar) is refused" 1 \
	"key bytes not valid for the key type" \
	sh -c "echo 0000000000000000000000000000000000000000000000000000000000000000 |
		ksfctl key add type suci-b owner udm material-hex -"
t_fail "a suci-b key of n (the group order) is refused" 1 \
	"key bytes not valid for the key type" \
	sh -c "echo ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551 |
		ksfctl key add type suci-b owner udm material-hex -"

t_res "suci-public-key of the Profile A key: the case's public key" \
	"0 ok hn-pub $A_PUB" sidf suci-public-key alg suci-profile-a key "$ka"
t_res "suci-public-key of the Profile B key: the compressed point" \
	"0 ok hn-pub $B_PUB" sidf suci-public-key alg suci-profile-b key "$kbh"
gpub=$(sidf suci-public-key alg suci-profile-b key "$kg" | sed -n 's/^0 ok hn-pub //p')
t_true "a generated Profile B key has a compressed public point" \
	sh -c "echo '$gpub' | grep -qE '^0[23][0-9a-f]{64}\$'"
gapub=$(sidf suci-public-key alg suci-profile-a key "$kga" | sed -n 's/^0 ok hn-pub //p')
t_true "a generated Profile A key has a 32-byte public key" \
	sh -c "echo '$gapub' | grep -qE '^[0-9a-f]{64}\$'"

# ---- the UE host ----
ksft_ns_add $UE
t_true "the UE's nf peer: suci-conceal, every scheme, no caller-rand" \
	ksft_ns_exec $UE ksfctl peer add usim kind nf uid 0 services suci-conceal algs $ALL

t_res "the UE may not choose the ephemeral key without caller-rand" \
	'0 rejected EPERM reason "caller-supplied eph-key needs caller-rand in the trusted policy"' \
	ue suci-conceal alg suci-profile-a hn-pub $A_PUB data $MSIN eph-key $A_EPH
for p in a b; do
	if [ $p = a ]; then pub=$A_PUB key=$ka; else pub=$B_PUB key=$kbh; fi
	out=$(ue suci-conceal alg suci-profile-$p hn-pub $pub hn-key-id 7 data $MSIN)
	t_match "Profile ${p^^}: the UE conceals with a kernel-made ephemeral key" \
		"^0 ok data [0-9a-f]+ hn-key-id 7\$" echo "$out"
	o1=$(echo "$out" | data_of)
	o2=$(ue suci-conceal alg suci-profile-$p hn-pub $pub data $MSIN | data_of)
	[ -n "$o1" ] && [ "$o1" != "$o2" ] &&
		ksft_ok "Profile ${p^^}: two concealments differ (fresh ephemeral keys)" ||
		ksft_fail "Profile ${p^^}: two concealments differ" "$o1" "$o2"
	t_res "Profile ${p^^}: the SIDF de-conceals the UE's output" "0 ok data $MSIN" \
		sidf suci-deconceal alg suci-profile-$p key "$key" data "$o1"
	eval "UE_OUT_$p=\$o1"
done
bu=$(ue suci-conceal alg suci-profile-b hn-pub $B_PUBU data $N_IN | data_of)
t_res "Profile B: an uncompressed hn-pub conceals as well (NAI)" "0 ok data $N_IN" \
	sidf suci-deconceal alg suci-profile-b key "$kbh" data "$bu"
go=$(ue suci-conceal alg suci-profile-b hn-pub "$gpub" data $MSIN | data_of)
t_res "Profile B: under the generated key's public key" "0 ok data $MSIN" \
	sidf suci-deconceal alg suci-profile-b key "$kg" data "$go"
go=$(ue suci-conceal alg suci-profile-a hn-pub "$gapub" data $N_IN | data_of)
t_res "Profile A: under the generated key's public key" "0 ok data $N_IN" \
	sidf suci-deconceal alg suci-profile-a key "$kga" data "$go"

t_true "caller-rand on for the UE (known-answer tests)" \
	ksft_ns_exec $UE ksfctl peer set usim caller-rand on
t_res "C.4.3 (Profile A, IMSI): the case's scheme output" "0 ok data $A_OUT hn-key-id 0" \
	ue suci-conceal alg suci-profile-a hn-pub $A_PUB data $MSIN eph-key $A_EPH
t_res "C.4.4 (Profile B, IMSI): the case's scheme output" "0 ok data $B_OUT hn-key-id 0" \
	ue suci-conceal alg suci-profile-b hn-pub $B_PUBU data $MSIN eph-key $B_EPH
t_res "C.4.4 (Profile B, NAI): the case's scheme output" "0 ok data $N_OUT hn-key-id 0" \
	ue suci-conceal alg suci-profile-b hn-pub $B_PUB data $N_IN eph-key $N_EPH
t_res "C.4.3 de-concealed" "0 ok data $MSIN" \
	sidf suci-deconceal alg suci-profile-a key "$ka" data $A_OUT
t_res "C.4.4 (IMSI) de-concealed" "0 ok data $MSIN" \
	sidf suci-deconceal alg suci-profile-b key "$kbh" data $B_OUT
t_res "C.4.4 (NAI) de-concealed" "0 ok data $N_IN" \
	sidf suci-deconceal alg suci-profile-b key "$kbh" data $N_OUT
t_res "an eph-key that is no P-256 scalar" \
	'0 error EKEYREJECTED reason "eph-key is not a P-256 private key"' \
	ue suci-conceal alg suci-profile-b hn-pub $B_PUB data $MSIN \
	eph-key 0000000000000000000000000000000000000000000000000000000000000000

# ---- the null scheme ----
t_res "null scheme: the scheme output is the input" "0 ok data $MSIN hn-key-id 0" \
	ue suci-conceal alg suci-null data $MSIN
t_res "null scheme: hn-key-id must be 0" \
	'0 error EINVAL reason "suci-null: hn-key-id must be 0 (TS 23.003 2.2B)"' \
	ue suci-conceal alg suci-null data $MSIN hn-key-id 1
t_res "null scheme: no hn-pub" \
	'0 error EINVAL reason "suci-null takes no hn-pub and no eph-key"' \
	ue suci-conceal alg suci-null data $MSIN hn-pub $A_PUB
t_res "null scheme: the SIDF needs no key" "0 ok data $MSIN" \
	sidf suci-deconceal alg suci-null data $MSIN
t_res "null scheme: the SIDF takes no key" \
	'0 error EINVAL reason "suci-deconceal takes no key"' \
	sidf suci-deconceal alg suci-null key "$ka" data $MSIN

# ---- refusals ----
t_res "unknown key" '0 error ENOENT reason "unknown key handle"' \
	sidf suci-deconceal alg suci-profile-a key 0x1234 data $A_OUT
t_res "a Profile A key for Profile B: wrong type" \
	'0 error EKEYREJECTED reason "key type does not fit the algorithm"' \
	sidf suci-deconceal alg suci-profile-b key "$ka" data $B_OUT
t_res "no key" '0 error EINVAL reason "item has no key"' \
	sidf suci-deconceal alg suci-profile-a data $A_OUT
bad=${A_OUT%?}0
[ "$bad" != "$A_OUT" ] || bad=${A_OUT%?}1
t_res "a wrong MAC tag" '0 error EBADMSG reason "MAC tag mismatch"' \
	sidf suci-deconceal alg suci-profile-a key "$ka" data "$bad"
t_match "the wrong tag counts as a verify failure" '^  verify-failures: [1-9]' \
	ksfctl peer show udm
bad=${B_OUT:0:70}ff${B_OUT:72}
t_res "a changed ciphertext" '0 error EBADMSG reason "MAC tag mismatch"' \
	sidf suci-deconceal alg suci-profile-b key "$kbh" data "$bad"
t_res "truncated (Profile A): eph key and tag only" \
	'0 error EINVAL reason "scheme output shorter than 32 + 1 + 8 bytes"' \
	sidf suci-deconceal alg suci-profile-a key "$ka" data ${A_OUT:0:64}cddd9e730ef3fa87
t_res "truncated (Profile B)" \
	'0 error EINVAL reason "scheme output shorter than 33 + 1 + 8 bytes"' \
	sidf suci-deconceal alg suci-profile-b key "$kbh" data ${B_OUT:0:80}
x1=020000000000000000000000000000000000000000000000000000000000000001
t_res "Profile B: an ephemeral key that is no point (x = 1)" \
	'0 error EINVAL reason "ephemeral public key is not a point of P-256"' \
	sidf suci-deconceal alg suci-profile-b key "$kbh" data ${x1}46a33fc2716ac7dae96aa30a4d
xp=02ffffffff00000001000000000000000000000000ffffffffffffffffffffffff
t_res "Profile B: an ephemeral key with x = p" \
	'0 error EINVAL reason "ephemeral public key is not a point of P-256"' \
	sidf suci-deconceal alg suci-profile-b key "$kbh" data ${xp}46a33fc2716ac7dae96aa30a4d
z32=0000000000000000000000000000000000000000000000000000000000000000
t_res "Profile A: an ephemeral key of small order" \
	'0 error EKEYREJECTED reason "ephemeral public key of small order"' \
	sidf suci-deconceal alg suci-profile-a key "$ka" data ${z32}cb02352410cddd9e730ef3fa87
t_res "conceal: a Profile B hn-pub that is no point" \
	'0 error EINVAL reason "hn-pub is not a point of P-256"' \
	ue suci-conceal alg suci-profile-b hn-pub $x1 data $MSIN
t_res "conceal: a Profile B hn-pub of 32 bytes" \
	'0 error EINVAL reason "hn-pub of Profile B: a 33-byte or 65-byte P-256 point"' \
	ue suci-conceal alg suci-profile-b hn-pub $A_PUB data $MSIN
x0=020000000000000000000000000000000000000000000000000000000000000000
t_res "conceal: the Profile B hn-pub (0, y), which the kernel's P-256 refuses" \
	'0 error EINVAL reason "hn-pub refused by the P-256 key agreement"' \
	ue suci-conceal alg suci-profile-b hn-pub $x0 data $MSIN
t_res "Profile B: the ephemeral key (0, y)" \
	'0 error EINVAL reason "ephemeral public key refused by the P-256 key agreement"' \
	sidf suci-deconceal alg suci-profile-b key "$kbh" data ${x0}46a33fc2716ac7dae96aa30a4d
t_res "de-conceal: no scheme output" \
	'0 error EINVAL reason "suci-deconceal needs the scheme output in data"' \
	sidf suci-deconceal alg suci-profile-a key "$ka" data ""
t_res "null scheme: a scheme input of 256 bytes" \
	'0 error EINVAL reason "scheme input longer than 255 bytes"' \
	sidf suci-deconceal alg suci-null data "$(printf '%0512d' 0)"
t_res "conceal: a Profile A hn-pub of 33 bytes" \
	'0 error EINVAL reason "hn-pub of Profile A: 32 bytes"' \
	ue suci-conceal alg suci-profile-a hn-pub $B_PUB data $MSIN
t_res "conceal: a Profile A hn-pub of small order" \
	'0 error EKEYREJECTED reason "hn-pub is a point of small order"' \
	ue suci-conceal alg suci-profile-a hn-pub $z32 data $MSIN
t_res "conceal: no hn-pub" \
	'0 error EINVAL reason "suci-conceal needs hn-pub, the home network public key"' \
	ue suci-conceal alg suci-profile-a data $MSIN
t_res "conceal: no scheme input" \
	'0 error EINVAL reason "suci-conceal needs the scheme input in data"' \
	ue suci-conceal alg suci-profile-a hn-pub $A_PUB
long=$(printf '%0512d' 0)
t_res "conceal: a scheme input of 256 bytes" \
	'0 error EINVAL reason "scheme input longer than 255 bytes"' \
	ue suci-conceal alg suci-profile-a hn-pub $A_PUB data "$long"
t_res "conceal takes no key" '0 error EINVAL reason "suci-conceal takes no key"' \
	ue suci-conceal alg suci-profile-a key 0x1234 hn-pub $A_PUB data $MSIN
t_res "de-conceal takes no hn-pub" '0 error EINVAL reason "suci-deconceal takes no hn-pub"' \
	sidf suci-deconceal alg suci-profile-a key "$ka" data $A_OUT hn-pub $A_PUB
t_res "a scheme is needed" '0 error EINVAL reason "item has no alg"' \
	sidf suci-deconceal key "$ka" data $A_OUT

# ---- the policy ----
t_res "the UE may not de-conceal (service not in its policy)" \
	'0 rejected EPERM reason "service not in the trusted policy"' \
	ue suci-deconceal alg suci-null data $MSIN
t_true "the SIDF's policy: Profile A only" ksfctl peer set udm algs suci-profile-a
t_res "Profile B outside the policy is rejected" \
	'0 rejected EPERM reason "algorithm not in the trusted policy"' \
	sidf suci-deconceal alg suci-profile-b key "$kbh" data $B_OUT
t_true "every scheme again" ksfctl peer set udm algs $ALL

# ---- save and restore keep the home network keys ----
head -c 32 /dev/urandom >"$TMP/kek"
kek=$(keyctl padd user ksf:kek46 @u <"$TMP/kek")
rm -f "$TMP/kek"
t_true "save" ksfctl save keyring "$kek" file "$TMP/blob"
ksft_ns_add $NS
t_true "restore into a fresh instance" \
	ksft_ns_exec $NS ksfctl restore keyring "$kek" file "$TMP/blob"
t_res "the restored Profile A key de-conceals the UE's output" "0 ok data $MSIN" \
	ksft_ns_exec $NS ksfctl service suci-deconceal alg suci-profile-a key "$ka" data "$UE_OUT_a"
t_res "the restored Profile B key (from the keyring) too" "0 ok data $MSIN" \
	ksft_ns_exec $NS ksfctl service suci-deconceal alg suci-profile-b key "$kbh" data "$UE_OUT_b"
t_res "the restored generated key has the same public key" "0 ok hn-pub $gpub" \
	ksft_ns_exec $NS ksfctl service suci-public-key alg suci-profile-b key "$kg"
ksft_py -c '
import sys
blob = sys.stdin.buffer.read()
sys.exit(1 if any(bytes.fromhex(k) in blob for k in sys.argv[1:]) else 0)' \
	$A_PRIV $B_PRIV <"$TMP/blob" &&
	ksft_ok "the save does not carry the home network keys in clear" ||
	ksft_fail "the save does not carry the home network keys in clear"

# ---- canary: no private key in any output ----
kadm key show >/dev/null
kadm -j key show >/dev/null
kadm peer show >/dev/null
kadm info >/dev/null
ksft_ns_exec $NS ksfctl key show 2>&1 >>"$TMP/all"
dmesg >>"$TMP/all"
for k in $A_PRIV $B_PRIV; do
	if grep -qi "$k" "$TMP/all" || grep -qi "${k:0:16}" "$TMP/all"; then
		ksft_fail "private key ${k:0:8}... in an output"
	else
		ksft_ok "private key ${k:0:8}... in no output ($(wc -l <"$TMP/all") lines)"
	fi
done
# the keyring copy of B's key is the admin's; ksf's outputs were grepped
ksft_dmesg_check "no kernel report"
ksft_done
