#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Subscriber contexts through ksfctl: context new/show/del (by handle, by
# peer and subscriber, dumps, errors, admin permission, info counts); NAS
# security contexts between an "amf" and a "ue" peer holding the same
# K_AMF (nas-context, nas-protect, nas-unprotect both ways, COUNTs),
# checked independently with nas-cipher/nas-mac on the context's keys and
# a K_NASint derived by kdf (TS 33.501 A.8); replays, tampering, skipped
# messages and the COUNT estimate across a SN wrap; NEA0; policy checks;
# keys destroyed with their context, contexts with their peer; hres-star
# (TS 33.501 A.5); the context's BEARER (1 by default, 1 or 2, never from
# the item); contexts, COUNTs and SQN state kept across a save, the
# deletion of everything and a restore; an instance torn down with live
# contexts.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n bash "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"

TMP=$(mktemp -d)
cleanup() { rm -rf "$TMP"; }
trap cleanup EXIT
ksft_dmesg_mark
S="ksfctl service"
UE_UID=2001
UE() { ksf-runas $UE_UID $UE_UID "$@"; }
# CMD with its exit status ignored (a failed item exits 3)
anyrc() { "$@"; true; }
# value after keyword $1 in the result line $2
get() { printf '%s\n' "$2" | sed -n "s/^.* $1 \([^ ]*\).*\$/\1/p" | head -n 1; }
# field $2 of context $1 ("nas-tx-count", ...) as ksfctl context show prints it
cfield() { ksfctl context show "$1" 2>/dev/null | sed -n "s/^  $2: //p"; }
info() { ksfctl info | sed -n "s/^ *$1: *//p"; }
mem() { ksfctl info | sed -n 's/^ *memory: \([0-9]*\) bytes.*/\1/p'; }
# the byte $1 (0..255) as two hex digits
hex8() { printf '%02x' $(($1 & 0xff)); }
# flip the low bit of the first byte of hex string $1
flip() { printf '%02x%s' $((0x${1:0:2} ^ 1)) "${1:2}"; }

KAMF=5ac1a4f2d8e07b3c19644e0dd1a2b3c400112233445566778899aabbccddeeff
SUB=imsi-001010000000123
SNN=5G:mnc001.mcc001.3gppnetwork.org
K=465b5ce8b199b49faa5f0a2ee238a6bc			# TS 35.208 test set 1
OPC=cd63cb71954a9f4e48a5994e37a02baf

ksfctl peer add amf kind nf uid 0 \
	services nas-context,nas-protect,nas-unprotect,nas-mac,nas-cipher,kdf,hres-star,aka-vector \
	algs all >/dev/null
ksfctl peer add ue kind nf uid $UE_UID \
	services nas-context,nas-protect,nas-unprotect,aka-response algs all >/dev/null

# ---- context new / show / dump / del ----

c0=$(info contexts)
h1=$(ksfctl context new amf imsi-001010000000001 2>&1)
t_match "context new prints a handle" '^0x[0-9a-f]{16}$' echo "$h1"
t_eq "info counts the new context" "$(info contexts)" $((c0 + 1))
t_match "context show HANDLE" '^  subscriber: imsi-001010000000001$' ksfctl context show "$h1"
t_match "context show PEER SUBSCRIBER names the same context" "^context $h1\$" \
	ksfctl context show amf imsi-001010000000001
t_match "context PEER SUBSCRIBER (no show) too" "^context $h1\$" \
	ksfctl context amf imsi-001010000000001
out=$(ksfctl context show "$h1")
if printf '%s\n' "$out" | grep -qx '  peer: amf' &&
   printf '%s\n' "$out" | grep -qx '  state: none' &&
   printf '%s\n' "$out" | grep -qE '^  created: [0-9]+ ' &&
   ! printf '%s\n' "$out" | grep -q 'nas-'; then
	ksft_ok "a new context: owner, creation time, no state"
else
	ksft_fail "a new context: owner, creation time, no state"
	printf '%s\n' "$out" | sed 's/^/#   | /'
fi
t_match "context show -j" "^\{\"handle\":\"$h1\",\"peer\":\"amf\",\"subscriber\":\"imsi-001010000000001\",\"created\":[0-9]+,\"state\":\"none\"\}\$" \
	ksfctl -j context show "$h1"
t_fail "a second context of the same peer for the same subscriber is refused" 1 \
	'context new: the peer has a context for this subscriber' \
	ksfctl context new amf imsi-001010000000001
h2=$(ksfctl context new ue imsi-001010000000001 2>&1)
if [[ $h2 =~ ^0x[0-9a-f]{16}$ ]] && [ "$h2" != "$h1" ]; then
	ksft_ok "the same subscriber under another peer has a context of its own"
else
	ksft_fail "the same subscriber under another peer has a context of its own" "$h2"
fi
t_match "context show ue SUBSCRIBER finds the ue's one" "^context $h2\$" \
	ksfctl context show ue imsi-001010000000001
h3=$(ksfctl context new amf imsi-001010000000002 sqn 0x1000 2>&1)
t_match "context new with sqn: state aka-he" '^  state: aka-he$' ksfctl context show "$h3"
out=$(ksfctl context show)
n=$(printf '%s\n' "$out" | grep -c '^context 0x')
if [ "$n" = 3 ] && printf '%s\n' "$out" | grep -qx "context $h1" &&
   printf '%s\n' "$out" | grep -qx "context $h2" && printf '%s\n' "$out" | grep -qx "context $h3"; then
	ksft_ok "context show (dump) lists the 3 contexts"
else
	ksft_fail "context show (dump) lists the 3 contexts" "$n listed"
	printf '%s\n' "$out" | sed 's/^/#   | /'
fi
t_eq "context (no arguments) dumps the same" "$(ksfctl context | grep -c '^context 0x')" 3
t_fail "context show of an unknown handle" 1 'context show: no such context' \
	ksfctl context show 0x1234
t_fail "context show of an unknown subscriber" 1 'context show: no such context' \
	ksfctl context show amf imsi-999
t_fail "context show of an unknown peer" 1 'context show: no such context' \
	ksfctl context show nobody imsi-001010000000001
t_fail "context del of an unknown handle" 1 'context del: no such context' \
	ksfctl context del 0x1234
t_fail "context del of a bad handle (usage)" 2 'bad context handle' \
	ksfctl context del zz
t_fail "context new for an unknown peer" 1 'context new: no such peer' \
	ksfctl context new nobody imsi-1
long=$(printf 'x%.0s' $(seq 128))
t_fail "a subscriber of 128 characters is refused" 1 'subscriber ID empty or too long|too long' \
	ksfctl context new amf "$long"
h127=$(ksfctl context new amf "${long:1}" 2>&1)
t_match "a subscriber of 127 characters is accepted" "^  subscriber: ${long:1}\$" \
	ksfctl context show amf "${long:1}"
t_fail "an empty subscriber is refused" 1 'context new: subscriber ID empty or too long' \
	ksfctl context new amf ""
t_fail "context new needs CAP_NET_ADMIN" 1 'context new: .*Operation not permitted' \
	ksf-runas 1000 1000 ksfctl context new amf imsi-001010000000003
t_fail "context show needs CAP_NET_ADMIN" 1 'Operation not permitted' \
	ksf-runas 1000 1000 ksfctl context show "$h1"
t_fail "context del needs CAP_NET_ADMIN" 1 'Operation not permitted' \
	ksf-runas 1000 1000 ksfctl context del "$h1"
t_eq "info: 4 contexts, none added by the refused commands" "$(info contexts)" $((c0 + 4))
ksft_check "context del" ksfctl context del "$h127"
t_fail "the deleted context is gone" 1 'no such context' ksfctl context show "$h127"
t_fail "context del twice" 1 'context del: no such context' ksfctl context del "$h127"
t_eq "info counts the deleted context out" "$(info contexts)" $((c0 + 3))

# ---- NAS security contexts: amf (downlink) and ue (uplink), same K_AMF ----

ka=$(echo $KAMF | ksfctl key add type generic usage derive owner amf material-hex -)
ku=$(echo $KAMF | ksfctl key add type generic usage derive owner ue material-hex -)
keys0=$(info keys)
ra=$(anyrc $S nas-context key "$ka" subscriber $SUB int-alg nia2 enc-alg nea2 2>&1)
ca=$(get context "$ra")
t_match "nas-context on amf returns the context handle" '^0 ok context 0x[0-9a-f]{16}$' echo "$ra"
ru=$(anyrc UE $S nas-context key "$ku" subscriber $SUB int-alg nia2 enc-alg nea2 direction 0 2>&1)
cu=$(get context "$ru")
t_match "nas-context on ue (direction 0)" '^0 ok context 0x[0-9a-f]{16}$' echo "$ru"
t_eq "K_NASint and K_NASenc are new keys of each side" "$(info keys)" $((keys0 + 4))
t_match "context show: the amf's NAS context" '^  nas-direction: 1 \(downlink\)$' \
	ksfctl context show amf $SUB
t_match "context show: the ue's NAS context" '^  nas-direction: 0 \(uplink\)$' \
	ksfctl context show ue $SUB
out=$(ksfctl context show "$ca")
ok=1
for l in '^  state: nas$' '^  nas-int-alg: nia2$' '^  nas-enc-alg: nea2$' \
	 '^  nas-int-key: 0x[0-9a-f]{16}$' '^  nas-enc-key: 0x[0-9a-f]{16}$' \
	 '^  nas-tx-count: 0$' '^  nas-rx-count: 0$'; do
	printf '%s\n' "$out" | grep -qE "$l" || { ok=0; ksft_diag "missing /$l/"; }
done
[ $ok = 1 ] && ksft_ok "a fresh NAS context: algorithms, key handles, COUNTs at 0" ||
	{ ksft_fail "a fresh NAS context: algorithms, key handles, COUNTs at 0"; printf '%s\n' "$out" | sed 's/^/#   | /'; }
kint=$(cfield "$ca" nas-int-key)
kenc=$(cfield "$ca" nas-enc-key)
out=$(ksfctl key show "$kint" 2>&1; ksfctl key show "$kenc" 2>&1)
if [ "$(printf '%s\n' "$out" | grep -cE '^  (type: nas|owner: amf|source: derive|len: 16)$')" = 8 ] &&
   [ "$(printf '%s\n' "$out" | grep -cx "  parent: $ka")" = 2 ] &&
   printf '%s\n' "$out" | grep -qx '  usage: mac,verify' &&
   printf '%s\n' "$out" | grep -qx '  usage: encrypt,decrypt'; then
	ksft_ok "K_NASint, K_NASenc: 16-byte nas keys of the owner, derived from K_AMF"
else
	ksft_fail "K_NASint, K_NASenc: 16-byte nas keys of the owner, derived from K_AMF"
	printf '%s\n' "$out" | sed 's/^/#   | /'
fi

P1=7e005d020004f0f0f0f0e1360102
P2=7e0054010203
U1=7e0043
res=$(anyrc $S nas-protect context "$ca" data $P1 2>&1)
d1=$(get data "$res") m1=$(get mac "$res")
t_match "nas-protect: ciphertext, 4-byte MAC, the context, count 0" \
	"^0 ok data [0-9a-f]{${#P1}} mac [0-9a-f]{8} context $ca count 0\$" echo "$res"
[ -n "$d1" ] && [ "$d1" != $P1 ] && ksft_ok "nas-protect ciphers the message (nea2)" ||
	ksft_fail "nas-protect ciphers the message (nea2)" "$res"
t_res "ue: nas-unprotect gives the plaintext back, count 0" "0 ok data $P1 context $cu count 0" \
	anyrc UE $S nas-unprotect context "$cu" data "$d1" mac "$m1" seq 0
res=$(anyrc $S nas-protect subscriber $SUB data $P2 2>&1)
t_match "nas-protect by subscriber: count 1" "^0 ok data [0-9a-f]+ mac [0-9a-f]{8} context $ca count 1\$" echo "$res"
t_res "ue: nas-unprotect by subscriber, count 1" "0 ok data $P2 context $cu count 1" \
	anyrc UE $S nas-unprotect subscriber $SUB data "$(get data "$res")" mac "$(get mac "$res")" seq 1
res=$(anyrc UE $S nas-protect context "$cu" data $U1 2>&1)
t_match "ue: nas-protect uplink, count 0" "^0 ok data [0-9a-f]{6} mac [0-9a-f]{8} context $cu count 0\$" echo "$res"
t_res "amf: nas-unprotect the uplink message" "0 ok data $U1 context $ca count 0" \
	anyrc $S nas-unprotect context "$ca" data "$(get data "$res")" mac "$(get mac "$res")" seq 0
t_eq "amf COUNTs in context show: tx 2, rx 1" \
	"$(cfield "$ca" nas-tx-count) $(cfield "$ca" nas-rx-count)" "2 1"
t_eq "ue COUNTs in context show: tx 1, rx 2" \
	"$(cfield "$cu" nas-tx-count) $(cfield "$cu" nas-rx-count)" "1 2"
res=$(anyrc $S nas-protect context "$ca" data $P2 2>&1)
t_match "the amf's own downlink message does not verify as uplink" \
	'^0 error EBADMSG reason "NAS MAC mismatch' \
	anyrc $S nas-unprotect context "$ca" data "$(get data "$res")" mac "$(get mac "$res")" seq 2
t_res "the ue accepts it (count 2)" "0 ok data $P2 context $cu count 2" \
	anyrc UE $S nas-unprotect context "$cu" data "$(get data "$res")" mac "$(get mac "$res")" seq 2
# BEARER is the context's (the NAS connection identifier): an item naming
# one is refused before it takes a COUNT
t_res "nas-protect refuses a bearer in the item (the context's applies)" \
	'0 error EINVAL reason "nas-protect takes no bearer"' \
	anyrc $S nas-protect context "$ca" data $P2 bearer 1
res=$(anyrc $S nas-protect context "$ca" data $P2 2>&1)
t_match "the refused item took no COUNT: the next is 3" "count 3\$" echo "$res"
t_res "nas-unprotect refuses a bearer in the item" \
	'0 error EINVAL reason "nas-unprotect takes no bearer"' \
	anyrc UE $S nas-unprotect context "$cu" data "$(get data "$res")" mac "$(get mac "$res")" seq 3 bearer 1
t_res "and the refusal moved no COUNT: accepted (count 3)" "0 ok data $P2 context $cu count 3" \
	anyrc UE $S nas-unprotect context "$cu" data "$(get data "$res")" mac "$(get mac "$res")" seq 3
t_match "context show: the default bearer, 1 (3GPP access)" '^  nas-bearer: 1 \(3GPP access\)$' \
	ksfctl context show "$ca"
t_match "context show -j: nas_bearer 1" '"nas_bearer":1,' ksfctl -j context show "$cu"
for b in 0 3 31; do
	t_res "nas-context bearer $b is refused (1 or 2 only)" \
		'0 error EINVAL reason "nas-context bearer: 1 (3GPP access) or 2 (non-3GPP access)"' \
		anyrc $S nas-context key "$ka" subscriber imsi-bearer-$b int-alg nia2 enc-alg nea2 bearer $b
done
t_match "nas-context bearer 32 is refused by the policy of the nest" 'out of range|Numerical' \
	sh -c "$S nas-context key $ka subscriber imsi-bearer-32 int-alg nia2 enc-alg nea2 bearer 32 2>&1; true"
t_true "the refused nas-contexts created no context" \
	sh -c "! ksfctl context show amf imsi-bearer-0 >/dev/null 2>&1"
t_match "an empty message is protected too (count 4)" "^0 ok data \"\" mac [0-9a-f]{8} context $ca count 4\$" \
	anyrc $S nas-protect context "$ca" data '""'

# ---- the composition, recomputed with the low-level services ----

P5=7e00560100021000
res=$(anyrc $S nas-protect context "$ca" data $P5 2>&1)
c5=$(get count "$res") d5=$(get data "$res") m5=$(get mac "$res")
t_eq "nas-protect of P5: count 5" "$c5" 5
# K_NASint and K_NASenc by the generic KDF, from a copy of K_AMF: FC 0x69,
# P0 = 0x02 / 0x01, P1 = the algorithm identity, the low 16 bytes (TS
# 33.501 A.8).  The context's K_AMF gives no other NAS keys, and the
# context's own keys serve nas-protect/nas-unprotect only.
kx=$(echo $KAMF | ksfctl key add type generic owner amf material-hex -)
kint2=$($S kdf key "$kx" fc 0x69 param 02 param 02 out-type nas out-len 16 out-usage mac |
	sed -n 's/^0 ok key //p')
kenc2=$($S kdf key "$kx" fc 0x69 param 01 param 02 out-type nas out-len 16 out-usage encrypt |
	sed -n 's/^0 ok key //p')
t_res "ciphertext = NEA2(KDF(K_AMF, 0x69, 01, 02), COUNT, bearer 1, direction 1, P5)" "0 ok data $d5" \
	$S nas-cipher alg nea2 key "$kenc2" count "$c5" bearer 1 direction 1 data $P5
t_res "MAC = NIA2(KDF(K_AMF, 0x69, 02, 02), COUNT, bearer 1, direction 1, SN || ciphertext)" "0 ok data $m5" \
	$S nas-mac alg nia2 key "$kint2" count "$c5" bearer 1 direction 1 data "$(hex8 "$c5")$d5"
m0=$(anyrc $S nas-mac alg nia2 key "$kint2" count "$c5" bearer 0 direction 1 data "$(hex8 "$c5")$d5")
t_match "the raw nas-mac still takes bearer 0" '^0 ok data [0-9a-f]{8}$' echo "$m0"
t_true "and under bearer 0 the MAC is not the context's" [ "$m0" != "0 ok data $m5" ]
t_match "the context's K_NASint refuses raw nas-mac" '^0 error EKEYREJECTED reason "key of a NAS security context' \
	anyrc $S nas-mac alg nia2 key "$kint" count "$c5" bearer 0 direction 1 data 00
t_match "the context's K_NASenc refuses raw nas-cipher" '^0 error EKEYREJECTED reason "key of a NAS security context' \
	anyrc $S nas-cipher alg nea2 key "$kenc" count "$c5" bearer 0 direction 1 data 00
t_match "the context's key uses are counted" '^  uses: [1-9]' ksfctl key show "$kint"
ksfctl key del "$kint2"; ksfctl key del "$kenc2"

# ---- replays, tampering, skipped messages, the SN wrap ----

# the ue has not seen counts 4 and 5 yet: it takes 5 (skipping 4)
t_res "ue: nas-unprotect P5 (count 5)" "0 ok data $P5 context $cu count 5" \
	anyrc UE $S nas-unprotect context "$cu" data "$d5" mac "$m5" seq 5
t_match "the same message again: refused (EBADMSG, MAC mismatch)" \
	'^0 error EBADMSG reason "NAS MAC mismatch' \
	anyrc UE $S nas-unprotect context "$cu" data "$d5" mac "$m5" seq 5
t_eq "the refused replay leaves the rx COUNT at 6" "$(cfield "$cu" nas-rx-count)" 6
res=$(anyrc $S nas-protect context "$ca" data $P1 2>&1)
d6=$(get data "$res") m6=$(get mac "$res")
t_match "a tampered MAC is refused" '^0 error EBADMSG ' \
	anyrc UE $S nas-unprotect context "$cu" data "$d6" mac "$(flip "$m6")" seq 6
t_match "a tampered ciphertext is refused" '^0 error EBADMSG ' \
	anyrc UE $S nas-unprotect context "$cu" data "$(flip "$d6")" mac "$m6" seq 6
t_match "a wrong sequence number is refused" '^0 error EBADMSG ' \
	anyrc UE $S nas-unprotect context "$cu" data "$d6" mac "$m6" seq 7
t_eq "the refusals leave the rx COUNT at 6" "$(cfield "$cu" nas-rx-count)" 6
t_res "the genuine message is still accepted (count 6)" "0 ok data $P1 context $cu count 6" \
	anyrc UE $S nas-unprotect context "$cu" data "$d6" mac "$m6" seq 6
r7=$(anyrc $S nas-protect context "$ca" data $P2 2>&1)
anyrc $S nas-protect context "$ca" data $P2 >/dev/null
r9=$(anyrc $S nas-protect context "$ca" data $P2 2>&1)
d7=$(get data "$r7") m7=$(get mac "$r7") d9=$(get data "$r9") m9=$(get mac "$r9")
t_res "a skipped message: seq 9 accepted after 6" "0 ok data $P2 context $cu count 9" \
	anyrc UE $S nas-unprotect context "$cu" data "$d9" mac "$m9" seq 9
t_match "an older message (seq 7) is refused after it" '^0 error EBADMSG ' \
	anyrc UE $S nas-unprotect context "$cu" data "$d7" mac "$m7" seq 7
t_eq "rx COUNT 10" "$(cfield "$cu" nas-rx-count)" 10
# 300 messages in one batch: counts 10..309 cross the 8-bit SN
for i in $(seq 300); do echo "nas-protect context $ca data $P2"; done >"$TMP/batch"
$S batch "$TMP/batch" >"$TMP/batch.out" 2>&1
t_eq "a batch of 300 nas-protect: counts 10 to 309" \
	"$(grep -c ' ok data ' "$TMP/batch.out") $(sed -n '1s/.* count //p;$s/.* count //p' "$TMP/batch.out" | tr '\n' ' ')" \
	"300 10 309 "
l=$(grep ' count 258$' "$TMP/batch.out")
t_res "SN wrap: seq 2 after rx 10 is COUNT 258" "0 ok data $P2 context $cu count 258" \
	anyrc UE $S nas-unprotect context "$cu" data "$(get data "$l")" mac "$(get mac "$l")" seq 2
l=$(grep ' count 300$' "$TMP/batch.out")
t_res "then seq 44 is COUNT 300" "0 ok data $P2 context $cu count 300" \
	anyrc UE $S nas-unprotect context "$cu" data "$(get data "$l")" mac "$(get mac "$l")" seq 44
t_eq "amf tx COUNT 310, ue rx COUNT 301" \
	"$(cfield "$ca" nas-tx-count) $(cfield "$cu" nas-rx-count)" "310 301"

# ---- NEA0 ----

SUB0=imsi-001010000000200
t_match "nea0 is refused while the policy does not name it" \
	'^0 rejected EPERM reason "NAS algorithm not in the trusted policy"$' \
	anyrc $S nas-context key "$ka" subscriber $SUB0 int-alg nia1 enc-alg nea0
ksfctl peer set amf algs all,nea0
ksfctl peer set ue algs all,nea0
# One NAS context per K_AMF: the nea0 contexts get K_AMFs of their own.
ka0=$(echo $KAMF | ksfctl key add type generic owner amf material-hex -)
ku0=$(echo $KAMF | ksfctl key add type generic owner ue material-hex -)
res=$(anyrc $S nas-context key "$ka0" subscriber $SUB0 int-alg nia1 enc-alg nea0 2>&1)
c0a=$(get context "$res")
t_match "nea0 named by the policy: nas-context ok" '^0 ok context 0x[0-9a-f]{16}$' echo "$res"
c0u=$(get context "$(anyrc UE $S nas-context key "$ku0" subscriber $SUB0 int-alg nia1 enc-alg nea0 direction 0 2>&1)")
out=$(ksfctl context show "$c0a")
if printf '%s\n' "$out" | grep -qx '  nas-enc-alg: nea0' &&
   ! printf '%s\n' "$out" | grep -q 'nas-enc-key'; then
	ksft_ok "a nea0 context has no K_NASenc"
else
	ksft_fail "a nea0 context has no K_NASenc"; printf '%s\n' "$out" | sed 's/^/#   | /'
fi
res=$(anyrc $S nas-protect context "$c0a" data $P1 2>&1)
t_match "nea0: nas-protect returns the plaintext and a MAC" \
	"^0 ok data $P1 mac [0-9a-f]{8} context $c0a count 0\$" echo "$res"
kint1=$($S kdf key "$kx" fc 0x69 param 02 param 01 out-type nas out-len 16 out-usage mac |
	sed -n 's/^0 ok key //p')
t_res "nea0: the MAC is NIA1 (K_NASint = KDF(K_AMF, 0x69, 02, 01)) over SN || plaintext" \
	"0 ok data $(get mac "$res")" \
	$S nas-mac alg nia1 key "$kint1" count 0 bearer 1 direction 1 data "00$P1"
t_res "nea0: the ue unprotects it" "0 ok data $P1 context $c0u count 0" \
	anyrc UE $S nas-unprotect context "$c0u" data $P1 mac "$(get mac "$res")" seq 0
t_match "nas-protect -j: data, mac, context and count" \
	"^\{\"index\":0,\"status\":\"ok\",\"data\":\"$P1\",\"mac\":\"[0-9a-f]{8}\",\"context\":\"$c0a\",\"count\":1\}\$" \
	ksfctl -j service nas-protect context "$c0a" data $P1
ksfctl key del "$kint1"
t_match "nea0: a changed plaintext is refused" '^0 error EBADMSG ' \
	anyrc UE $S nas-unprotect context "$c0u" data "$(flip $P1)" mac "$(get mac "$res")" seq 1

# ---- policy and errors ----

ksfctl peer set amf algs all
t_match "nea0 context used after the policy dropped nea0: rejected" \
	'^0 rejected EPERM reason "NAS algorithm not in the trusted policy"$' \
	anyrc $S nas-protect context "$c0a" data $P1
ksfctl peer set amf algs hmac-sha256,aes-cmac,kdf-sha256,nia1,nia3,nea1,nea2,nea3,milenage,sha256
t_match "nia2 context used after the policy dropped nia2: rejected" \
	'^0 rejected EPERM reason "NAS algorithm not in the trusted policy"$' \
	anyrc $S nas-protect context "$ca" data $P1
t_match "nas-unprotect too" '^0 rejected EPERM reason "NAS algorithm not in the trusted policy"$' \
	anyrc $S nas-unprotect context "$ca" data $P1 mac 00000000 seq 1
t_eq "the rejections used no COUNT" "$(cfield "$ca" nas-tx-count) $(cfield "$ca" nas-rx-count)" "310 1"
ksfctl peer set amf algs all,nea0
ksfctl peer set amf services nas-context,nas-unprotect,nas-mac,nas-cipher,kdf,hres-star,aka-vector
t_match "nas-protect outside the policy's services: rejected" \
	'^0 rejected EPERM reason "service not in the trusted policy"$' \
	anyrc $S nas-protect context "$ca" data $P1
ksfctl peer set amf services nas-context,nas-protect,nas-unprotect,nas-mac,nas-cipher,kdf,hres-star,aka-vector
t_match "a context handle of another peer: no such context of this peer" \
	'^0 error ENOENT reason "no such context of this peer"$' \
	anyrc $S nas-protect context "$cu" data $P1
t_match "the ue cannot use the amf's context either" \
	'^0 error ENOENT reason "no such context of this peer"$' \
	anyrc UE $S nas-unprotect context "$ca" data $P1 mac 00000000 seq 0
t_match "an unknown context handle" '^0 error ENOENT reason "no such context of this peer"$' \
	anyrc $S nas-protect context 0x1234 data $P1
n=$(info contexts)
t_match "nas-protect of an unknown subscriber" '^0 error ENOENT reason "no such context of this peer"$' \
	anyrc $S nas-protect subscriber imsi-001010000000999 data $P1
t_eq "... creates no context" "$(info contexts)" "$n"
t_match "nas-protect on a context without NAS state" \
	'^0 error ENOENT reason "context has no NAS security context"$' \
	anyrc $S nas-protect context "$h1" data $P1
t_match "nas-protect without context or subscriber" \
	'^0 error EINVAL reason "item needs a context or a subscriber"$' anyrc $S nas-protect data $P1
t_match "nas-unprotect without seq" '^0 error EINVAL reason "nas-unprotect needs seq and a 4-byte mac"$' \
	anyrc $S nas-unprotect context "$ca" data $P1 mac 00000000
t_match "nas-unprotect with a 3-byte mac" '^0 error EINVAL reason "nas-unprotect needs seq and a 4-byte mac"$' \
	anyrc $S nas-unprotect context "$ca" data $P1 mac 000000 seq 0
t_fail "seq 256 (usage)" 2 'bad seq' $S nas-unprotect context "$ca" data $P1 mac 00000000 seq 256
t_match "nas-context with int-alg nea1" '^0 error EINVAL reason "int-alg must be nia1..3, enc-alg nea0..3"$' \
	anyrc $S nas-context key "$ka" subscriber $SUB int-alg nea1 enc-alg nea2
t_match "nas-context without enc-alg" '^0 error EINVAL reason "nas-context needs int-alg and enc-alg"$' \
	anyrc $S nas-context key "$ka" subscriber $SUB int-alg nia2
t_match "nas-context without subscriber" '^0 error EINVAL reason "item needs a subscriber"$' \
	anyrc $S nas-context key "$ka" int-alg nia2 enc-alg nea2
t_match "nas-context on a key of another peer" '^0 error EACCES reason "key not usable by this peer"$' \
	anyrc $S nas-context key "$ku" subscriber $SUB int-alg nia2 enc-alg nea2
t_match "nas-context on a nas key (not a derive key)" \
	'^0 error EKEYREJECTED reason "key usage does not allow the service"$' \
	anyrc $S nas-context key "$kint" subscriber $SUB int-alg nia2 enc-alg nea2
t_match "nas-context on an unknown key" '^0 error ENOENT reason "unknown key handle"$' \
	anyrc $S nas-context key 0x1234 subscriber $SUB int-alg nia2 enc-alg nea2
t_fail "nas-context with direction 2 (usage of the attribute)" 1 'integer out of range|Numerical' \
	$S nas-context key "$ka" subscriber $SUB int-alg nia2 enc-alg nea2 direction 2
t_match "nas-context with a subscriber of 128 characters" '^0 error EINVAL reason "subscriber ID too long"$' \
	anyrc $S nas-context key "$ka" subscriber "$long" int-alg nia2 enc-alg nea2
t_eq "the failed nas-contexts kept the amf's NAS context" \
	"$(cfield "$ca" nas-int-key) $(cfield "$ca" nas-tx-count)" "$kint 310"

# ---- hres-star ----

RAND=23553cbe9637a89d218ae64dae47bf35
XRES=f236a7417272bfb2d66d4d670733b527
HXRES=20a71900b01776bfd773e8c15a825446
# wire 2: RES* goes in res (was data), HRES* comes back in hres (was data)
t_res "hres-star: HXRES* of TS 35.208 test set 1 (as in 18-aka)" "0 ok hres $HXRES" \
	$S hres-star rand $RAND res $XRES
# res has an exact length in the spec now: the policy refuses other lengths
t_fail "hres-star with a 15-byte RES* (usage of the attribute)" 1 'binary attribute size out of range|Numerical|Invalid' \
	$S hres-star rand $RAND res ${XRES:2}
t_fail "hres-star with a 17-byte RES* (usage of the attribute)" 1 'binary attribute size out of range|Numerical|Invalid' \
	$S hres-star rand $RAND res ${XRES}00
t_match "hres-star without rand" '^0 error EINVAL reason "hres-star needs rand' \
	anyrc $S hres-star res $XRES
t_fail "hres-star with a 15-byte RAND (usage of the attribute)" 1 'binary attribute size out of range|Numerical|Invalid' \
	$S hres-star rand ${RAND:2} res $XRES
t_match "hres-star without res" '^0 error EINVAL reason "hres-star needs rand' \
	anyrc $S hres-star rand $RAND
t_match "hres-star outside the policy: rejected" '^0 rejected EPERM reason "service not in the trusted policy"$' \
	anyrc UE $S hres-star rand $RAND res $XRES

# ---- save, delete everything, restore: contexts, COUNTs, SQN state ----

SR=imsi-001010000000300
kk=$(echo $K | ksfctl key add type k owner amf material-hex -)
ko=$(echo $OPC | ksfctl key add type opc owner amf material-hex -)
uk=$(echo $K | ksfctl key add type k owner ue material-hex -)
uo=$(echo $OPC | ksfctl key add type opc owner ue material-hex -)
# a K_AMF keys one NAS context: each new one gets its own K_AMF (a copy)
newkamf() { echo $KAMF | ksfctl key add type generic owner "$1" material-hex -; }
# the non-3GPP NAS connection (bearer 2): saved and restored with it
sa=$(get context "$(anyrc $S nas-context key "$(newkamf amf)" subscriber $SR int-alg nia3 enc-alg nea1 bearer 2 2>&1)")
su=$(get context "$(anyrc UE $S nas-context key "$(newkamf ue)" subscriber $SR int-alg nia3 enc-alg nea1 direction 0 bearer 2 2>&1)")
t_match "nas-context bearer 2: shown as non-3GPP access" '^  nas-bearer: 2 \(non-3GPP access\)$' \
	ksfctl context show "$sa"
r0=$(anyrc $S nas-protect context "$sa" data $P1 2>&1)
anyrc $S nas-protect context "$sa" data $P2 >/dev/null	# count 1, never delivered
t_res "before the save: the ue takes count 0" "0 ok data $P1 context $su count 0" \
	anyrc UE $S nas-unprotect context "$su" data "$(get data "$r0")" mac "$(get mac "$r0")" seq 0
v1=$(anyrc $S aka-vector subscriber $SR alg milenage key "$kk" key2 "$ko" snn $SNN 2>&1)
v2=$(anyrc $S aka-vector subscriber $SR alg milenage key "$kk" key2 "$ko" snn $SNN 2>&1)
sqn2=$(get sqn "$v2")
t_match "aka-vector on the subscriber (sqn $(get sqn "$v1"), then $sqn2)" "^0 ok .* sqn 0x[0-9a-f]+ context $sa\$" echo "$v2"
t_match "the USIM (ue) accepts the first vector" "^0 ok key 0x[0-9a-f]{16} res $(get res "$v1") context 0x[0-9a-f]{16}\$" \
	anyrc UE $S aka-response subscriber $SR alg milenage key "$uk" key2 "$uo" \
	rand "$(get rand "$v1")" autn "$(get autn "$v1")" snn $SNN
t_match "the amf's context: aka-he and nas" '^  state: aka-he,nas$' ksfctl context show "$sa"
t_match "the ue's context: nas" '^  state: nas$' ksfctl context show "$su"
t_match "the USIM's SQN state is K's context: aka-ms" '^  state: aka-ms$' ksfctl context show ue "usim-${uk#0x}"
# a NAS context whose K_NASenc was deleted is saved too
hb=$(get context "$(anyrc $S nas-context key "$(newkamf amf)" subscriber imsi-001010000000500 int-alg nia2 enc-alg nea2 2>&1)")
ksfctl key del "$(cfield "$hb" nas-enc-key)"
handles=$(ksfctl context show | sed -n 's/^context //p' | sort)
for h in $handles; do [ "$h" = "$hb" ] || ksfctl context show "$h"; done >"$TMP/ctx.before"
nc=$(info contexts)
head -c 32 /dev/urandom >"$TMP/kek"
kek=$(keyctl padd user ksf:ctx-kek @u <"$TMP/kek")
ksft_check "save with $nc contexts" ksfctl save keyring "$kek" file "$TMP/state"
ksfctl peer del amf
ksfctl peer del ue
t_eq "both peers deleted: no peer, key or context left, no memory held" \
	"$(info peers) $(info keys) $(info contexts) $(mem)" "0 0 0 0"
ksft_check "restore" ksfctl restore keyring "$kek" file "$TMP/state"
t_eq "restored: the same number of contexts" "$(info contexts)" "$nc"
t_eq "restored: the same context handles" "$(ksfctl context show | sed -n 's/^context //p' | sort)" "$handles"
for h in $handles; do [ "$h" = "$hb" ] || ksfctl context show "$h"; done >"$TMP/ctx.after"
cmp -s "$TMP/ctx.before" "$TMP/ctx.after" &&
	ksft_ok "restored: the same subscribers, times, states, keys and COUNTs" ||
	{ ksft_fail "restored: the same subscribers, times, states, keys and COUNTs"
	  diff "$TMP/ctx.before" "$TMP/ctx.after" | head -n 20 | sed 's/^/#   | /'; }
t_match "restored: the non-3GPP context keeps bearer 2" '^  nas-bearer: 2 \(non-3GPP access\)$' \
	ksfctl context show "$su"
ksft_check "the context whose K_NASenc was deleted is restored" ksfctl context show "$hb"
t_match "... and protects nothing" '^0 error E[A-Z]+ ' anyrc $S nas-protect context "$hb" data $P1
# Nothing is reused: restored NAS contexts protect nothing until a new
# security mode; a message sent after the save never verifies here.
STALE='0 error ESTALE reason "NAS context restored from a save: run a new security mode first"'
t_res "restored: nas-protect is refused until a new NAS context" "$STALE" \
	anyrc $S nas-protect context "$sa" data $P5
t_res "restored: the ue's context refuses unprotect too" "$STALE" \
	anyrc UE $S nas-unprotect context "$su" data "$(get data "$r0")" mac "$(get mac "$r0")" seq 0
t_res "restored: the first NAS context too" "$STALE" anyrc $S nas-protect context "$ca" data $P1
v3=$(anyrc $S aka-vector subscriber $SR alg milenage key "$kk" key2 "$ko" snn $SNN 2>&1)
sqn3=$(get sqn "$v3")
if [ -n "$sqn2" ] && [ -n "$sqn3" ] && [ $((sqn3 >> 5)) = $(((sqn2 >> 5) + 1)) ]; then
	ksft_ok "the next aka-vector's SQN follows the saved one ($sqn2 -> $sqn3)"
else
	ksft_fail "the next aka-vector's SQN follows the saved one" "before: $v2" "after: $v3"
fi
t_match "the USIM's SQN state survived: the first vector again is a synchronisation failure" \
	'^0 error EAGAIN auts [0-9a-f]{28} ' \
	anyrc UE $S aka-response subscriber $SR alg milenage key "$uk" key2 "$uo" \
	rand "$(get rand "$v1")" autn "$(get autn "$v1")" snn $SNN
t_match "and the next vector is accepted" "^0 ok key 0x[0-9a-f]{16} res $(get res "$v3") context 0x[0-9a-f]{16}\$" \
	anyrc UE $S aka-response subscriber $SR alg milenage key "$uk" key2 "$uo" \
	rand "$(get rand "$v3")" autn "$(get autn "$v3")" snn $SNN
t_match "context new's sqn 0x1000 was restored too: the next vector has SQN 0x1021" \
	"^0 ok .* sqn 0x1021 context $h3\$" \
	anyrc $S aka-vector subscriber imsi-001010000000002 alg milenage key "$kk" key2 "$ko" snn $SNN
keyctl unlink "$kek" @u >/dev/null

# ---- deletion ----

n=$(info contexts) nk=$(info keys)
ksft_check "context del of a NAS context" ksfctl context del "$ca"
t_fail "its K_NASint is destroyed" 1 'no such key' ksfctl key show "$kint"
t_fail "its K_NASenc is destroyed" 1 'no such key' ksfctl key show "$kenc"
t_eq "info: one context and two keys less" "$(info contexts) $(info keys)" "$((n - 1)) $((nk - 2))"
t_match "nas-protect on the deleted context" '^0 error ENOENT reason "no such context of this peer"$' \
	anyrc $S nas-protect context "$ca" data $P1
ksft_check "the K_AMF stays" ksfctl key show "$ka"

old=$(cfield "$sa" nas-int-key)
res=$(anyrc $S nas-context key "$(newkamf amf)" subscriber $SR int-alg nia2 enc-alg nea2 2>&1)
t_eq "a new nas-context of the subscriber keeps its context" "$(get context "$res")" "$sa"
t_fail "... destroys the old K_NASint" 1 'no such key' ksfctl key show "$old"
t_eq "... and restarts the COUNTs with the new algorithms" \
	"$(cfield "$sa" nas-int-alg) $(cfield "$sa" nas-tx-count) $(cfield "$sa" nas-rx-count)" "nia2 0 0"
t_match "... and keeps the SQN state" '^  state: aka-he,nas$' ksfctl context show "$sa"

su=$(get context "$(anyrc UE $S nas-context key "$(newkamf ue)" subscriber $SR int-alg nia2 enc-alg nea2 direction 0 2>&1)")
ksfctl key del "$(cfield "$su" nas-enc-key)"
t_match "a NAS context whose key was deleted: error" \
	'^0 error EKEYEXPIRED reason "NAS key destroyed or expired"$' \
	anyrc UE $S nas-protect context "$su" data $P1
ksft_check "and it can still be deleted" ksfctl context del "$su"

nu=$(ksfctl context show | grep -c '^  peer: ue$')
n=$(info contexts)
ksfctl peer del ue
t_fail "peer del deletes the peer's contexts" 1 'no such context' ksfctl context show "$c0u"
t_eq "info counts the $nu contexts of ue out" "$(info contexts)" $((n - nu))
ksft_check "the amf's contexts stay" ksfctl context show "$c0a"

# three requesters protecting with one context at once: no COUNT used twice
cp=$(get context "$(anyrc $S nas-context key "$(newkamf amf)" subscriber imsi-001010000000400 int-alg nia2 enc-alg nea2 2>&1)")
for i in $(seq 100); do echo "nas-protect context $cp data $P2"; done >"$TMP/batch"
for i in 1 2 3; do $S batch "$TMP/batch" >"$TMP/par.$i" 2>&1 & done
wait
counts=$(cat "$TMP"/par.* | sed -n 's/^[0-9]* ok .* count //p' | sort -n)
t_eq "three parallel batches of 100 nas-protect: COUNTs 0 to 299, each once" \
	"$(($(printf '%s\n' "$counts" | uniq | wc -l))) $(printf '%s\n' "$counts" | sed -n '1p;$p' | tr '\n' ' ')" "300 0 299 "
t_eq "tx COUNT 300" "$(cfield "$cp" nas-tx-count)" 300

# many contexts: a dump in several messages, then gone with their peer
for i in $(seq 200); do ksfctl context new amf "imsi-0010100001$(printf %05d "$i")"; done >"$TMP/many"
n=$(info contexts)
t_eq "200 more contexts" "$(sort -u "$TMP/many" | grep -c '^0x')" 200
t_eq "a dump lists each context once" "$(ksfctl context show | grep '^context ' | sort | uniq | wc -l) $(ksfctl context show | grep -c '^context ')" "$n $n"
ksfctl peer del amf
t_eq "peer del of amf: no context left" "$(info contexts)" 0
t_eq "no key left, no memory held" "$(info keys) $(mem)" "0 0"

# a namespace torn down with live contexts (AKA state, NAS keys of every algorithm)
cat >"$TMP/ns.sh" <<EOS
set -eu
ksfctl peer add amf kind nf uid 0 services nas-context,nas-protect,aka-vector algs all,nea0
kk=\$(echo $K | ksfctl key add type k owner amf material-hex -)
ko=\$(echo $OPC | ksfctl key add type opc owner amf material-hex -)
for a in "nia1 nea0" "nia1 nea1" "nia2 nea2" "nia3 nea3"; do
	set -- \$a
	k=\$(echo $KAMF | ksfctl key add type generic usage derive owner amf material-hex -)
	ksfctl service nas-context key \$k subscriber "imsi-\$1-\$2" int-alg \$1 enc-alg \$2 >/dev/null
	ksfctl service nas-protect subscriber "imsi-\$1-\$2" data 00 >/dev/null
	ksfctl service aka-vector subscriber "imsi-\$1-\$2" key \$kk key2 \$ko snn $SNN >/dev/null
done
ksfctl context new amf imsi-empty >/dev/null
ksfctl info | grep -x '  contexts: 5'
EOS
ksft_check "a namespace with 5 live contexts goes away" unshare -n bash "$TMP/ns.sh"

ksft_dmesg_check "no kernel report"
ksft_done
