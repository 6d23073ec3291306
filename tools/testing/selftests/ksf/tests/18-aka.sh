#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# 5G AKA through ksfctl, against TS 35.208 Milenage test set 1 and the
# TS 33.501 Annex A derivations computed independently: aka-vector (HE:
# RAND, AUTN, XRES*, HXRES*, SQN, K_AUSF checked through K_SEAF), aka-response
# (USIM: SQN freshness, AUTS with f5*, RES*, replay), aka-resync (HE: SQN from
# AUTS), then a fresh vector the USIM accepts; policy bounds on caller RAND/SQN.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n sh "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
S="ksfctl service"
K=465b5ce8b199b49faa5f0a2ee238a6bc
OPC=cd63cb71954a9f4e48a5994e37a02baf
RAND=23553cbe9637a89d218ae64dae47bf35
SQN=0xff9bb4d0b607
AMF=b9b9
SNN=5G:mnc001.mcc001.3gppnetwork.org
SUPI=imsi-001010000000001
SNNHEX=35473a6d6e633030312e6d63633030312e336770706e6574776f726b2e6f7267
AUTN=55f328b43577b9b94a9ffac354dfafb3		# (SQN ^ AK) || AMF || MAC-A
XRES=f236a7417272bfb2d66d4d670733b527		# A.4, low 128 bits
HXRES=20a71900b01776bfd773e8c15a825446		# A.5, low 128 bits
SEAF_MAC=5da9249def85b7b437f7171fccc378e8500b1506b45beb956f1cd2f3d3999499

ksfctl peer add hn kind nf uid 0 caller-rand on mac-fcs 0x6c \
	services aka-vector,aka-response,aka-resync,kdf,mac-generate \
	algs milenage,kdf-sha256,hmac-sha256
kk=$(echo $K | ksfctl key add type k owner hn material-hex -)
ko=$(echo $OPC | ksfctl key add type opc owner hn material-hex -)
t_match "K and OPc imported" '^  type: opc$' ksfctl key show "$ko"

out=$($S aka-vector subscriber $SUPI alg milenage key "$kk" key2 "$ko" rand $RAND sqn $SQN amf $AMF snn $SNN)
printf '%s\n' "$out" | sed 's/^/# /'
t_true "aka-vector: RAND, AUTN, XRES*, HXRES*, SQN of test set 1 (a caller SQN leaves the subscriber's state alone: no context)" sh -c \
	"printf '%s\n' '$out' | grep -qE '^0 ok key 0x[0-9a-f]{16} rand $RAND autn $AUTN res $XRES hres $HXRES sqn $SQN\$'"
kausf=$(printf '%s\n' "$out" | sed -n 's/^0 ok key \(0x[0-9a-f]*\) .*/\1/p')
t_match "K_AUSF is a derived key of K" "^  parent: $kk\$" ksfctl key show "$kausf"
kseaf=$($S kdf key "$kausf" fc 0x6c param $SNNHEX out-usage mac | sed -n 's/^0 ok key //p')
t_match "K_AUSF = A.2 (checked through K_SEAF = A.6)" "^0 ok data $SEAF_MAC\$" \
	$S mac-generate alg hmac-sha256 key "$kseaf" data 00

# the USIM side: a fresh USIM (SQN_MS 0) finds SQN far ahead (beyond the
# delta of TS 33.102 C.2) and answers with AUTS = (SQN_MS ^ AK*) || MAC-S,
# where AK* = f5* of test set 1 since SQN_MS is 0
out=$($S aka-response subscriber $SUPI alg milenage key "$kk" key2 "$ko" rand $RAND autn $AUTN snn $SNN)
printf '%s\n' "$out" | sed 's/^/# /'
t_true "a fresh USIM: synchronisation failure, AUTS starts with f5* (451e8beca43b)" sh -c \
	"printf '%s\n' '$out' | grep -qE '^0 error EAGAIN auts 451e8beca43b[0-9a-f]{16} reason \"synchronisation failure: AUTS returned\"\$'"
auts=$(printf '%s\n' "$out" | sed -n 's/.* auts \([0-9a-f]\{28\}\) .*/\1/p')
bad=${AUTN%?}0
[ "$bad" = "$AUTN" ] && bad=${AUTN%?}1
t_match "AUTN with a wrong MAC" '^0 error E[A-Z]+ reason "AUTN MAC failure"$' \
	sh -c "$S aka-response subscriber $SUPI alg milenage key $kk key2 $ko rand $RAND autn $bad snn $SNN; true"

# the HE resynchronises from AUTS, then a fresh vector passes the USIM
out=$($S aka-resync subscriber $SUPI alg milenage key "$kk" key2 "$ko" rand $RAND auts "$auts" snn $SNN)
t_true "aka-resync returns the new SQN" sh -c "printf '%s\n' '$out' | grep -qE '^0 ok sqn 0x[0-9a-f]+ context 0x[0-9a-f]{16}\$'"
v=$($S aka-vector subscriber $SUPI alg milenage key "$kk" key2 "$ko" snn $SNN)
vr=$(printf '%s\n' "$v" | sed -n 's/.* rand \([0-9a-f]\{32\}\) .*/\1/p')
va=$(printf '%s\n' "$v" | sed -n 's/.* autn \([0-9a-f]\{32\}\) .*/\1/p')
vx=$(printf '%s\n' "$v" | sed -n 's/.* res \([0-9a-f]\{32\}\) .*/\1/p')
[ -n "$vr" ] && [ "$vr" != $RAND ] && ksft_ok "a vector without caller RAND gets a kernel RAND" ||
	ksft_fail "a vector without caller RAND gets a kernel RAND" "$v"
t_match "the USIM accepts the vector after resync (RES* = XRES*)" "^0 ok key 0x[0-9a-f]{16} res $vx context 0x[0-9a-f]{16}\$" \
	$S aka-response subscriber $SUPI alg milenage key "$kk" key2 "$ko" rand "$vr" autn "$va" snn $SNN
t_match "a replayed vector: synchronisation failure" '^0 error EAGAIN auts [0-9a-f]{28} ' \
	sh -c "$S aka-response subscriber $SUPI alg milenage key $kk key2 $ko rand $vr autn $va snn $SNN; true"

# the HE behind the USIM (its SQN state lost: the subscriber's context
# deleted after the USIM took two more vectors): the USIM refuses the HE's
# next vector, and aka-resync moves the HE's SQN up to the USIM's, after
# which a new vector passes
for i in 1 2; do
	v=$($S aka-vector subscriber $SUPI alg milenage key "$kk" key2 "$ko" snn $SNN)
	vr=$(printf '%s\n' "$v" | sed -n 's/.* rand \([0-9a-f]\{32\}\) .*/\1/p')
	va=$(printf '%s\n' "$v" | sed -n 's/.* autn \([0-9a-f]\{32\}\) .*/\1/p')
	$S aka-response subscriber $SUPI alg milenage key "$kk" key2 "$ko" rand "$vr" autn "$va" snn $SNN >/dev/null
done
hctx=$(ksfctl context show hn $SUPI | sed -n 's/^context //p')
t_match "the HE's subscriber context deleted" '^$' ksfctl context del "$hctx"
v=$($S aka-vector subscriber $SUPI alg milenage key "$kk" key2 "$ko" snn $SNN)
vr=$(printf '%s\n' "$v" | sed -n 's/.* rand \([0-9a-f]\{32\}\) .*/\1/p')
va=$(printf '%s\n' "$v" | sed -n 's/.* autn \([0-9a-f]\{32\}\) .*/\1/p')
out=$($S aka-response subscriber $SUPI alg milenage key "$kk" key2 "$ko" rand "$vr" autn "$va" snn $SNN)
auts2=$(printf '%s\n' "$out" | sed -n 's/^0 error EAGAIN auts \([0-9a-f]\{28\}\) .*/\1/p')
[ -n "$auts2" ] && ksft_ok "the HE behind the USIM: synchronisation failure, AUTS returned" ||
	ksft_fail "the HE behind the USIM: synchronisation failure, AUTS returned" "$v" "$out"
s1=$($S aka-resync subscriber $SUPI alg milenage key "$kk" key2 "$ko" rand "$vr" auts "${auts2:-0}" snn $SNN |
	sed -n 's/^0 ok sqn \(0x[0-9a-f]*\) .*/\1/p')
v=$($S aka-vector subscriber $SUPI alg milenage key "$kk" key2 "$ko" snn $SNN)
s2=$(printf '%s\n' "$v" | sed -n 's/.* sqn \(0x[0-9a-f]*\).*/\1/p')
[ -n "$s1" ] && [ -n "$s2" ] && [ $((s1 >> 5)) -ge 3 ] && [ $((s2 >> 5)) -gt $((s1 >> 5)) ] &&
	ksft_ok "aka-resync took the USIM's SQN ($s1); the next vector's SQN is above it ($s2)" ||
	ksft_fail "aka-resync took the USIM's SQN; the next vector's SQN is above it" "resync: ${s1:-none}" "$v"
vr=$(printf '%s\n' "$v" | sed -n 's/.* rand \([0-9a-f]\{32\}\) .*/\1/p')
va=$(printf '%s\n' "$v" | sed -n 's/.* autn \([0-9a-f]\{32\}\) .*/\1/p')
t_match "the USIM accepts the vector after that resync" '^0 ok key 0x[0-9a-f]{16} res [0-9a-f]{32} context ' \
	$S aka-response subscriber $SUPI alg milenage key "$kk" key2 "$ko" rand "$vr" autn "$va" snn $SNN
t_fail "aka-resync with a bad AUTS" 3 'AUTS MAC failure' \
	sh -c "$S aka-resync subscriber $SUPI alg milenage key $kk key2 $ko rand $RAND auts 0000000000000000000000000000 snn $SNN >&2"

t_match "the HE's SQN is the subscriber's context" \
	'^  state: aka-he$' ksfctl context show hn $SUPI
t_match "the USIM's SQN state is K's (one USIM = one K)" \
	'^  state: aka-ms$' ksfctl context show hn "usim-${kk#0x}"
t_match "another subscriber name with the same K: the replay is still refused" '^0 error EAGAIN auts ' \
	sh -c "$S aka-response subscriber imsi-001010000000002 alg milenage key $kk key2 $ko rand $vr autn $va snn $SNN; true"

# errors and policy
t_match "AKA without a subscriber" '^0 error EINVAL reason "item needs a subscriber"$' \
	sh -c "$S aka-vector alg milenage key $kk key2 $ko snn $SNN; true"
t_match "AKA without snn" '^0 error EINVAL reason "AKA needs key2 \(OPc\) and snn"$' \
	sh -c "$S aka-vector subscriber $SUPI alg milenage key $kk key2 $ko; true"
t_match "key2 that is not an OPc" '^0 error EKEYREJECTED reason "key2 is not a usable OPc"$' \
	sh -c "$S aka-vector subscriber $SUPI alg milenage key $kk key2 $kk snn $SNN; true"
t_fail "RAND of 15 bytes (usage of the attribute)" 1 'binary attribute size out of range|Numerical' \
	$S aka-vector subscriber $SUPI alg milenage key "$kk" key2 "$ko" rand 000102030405060708090a0b0c0d0e snn $SNN
ksfctl peer set hn caller-rand off
t_match "caller RAND without caller-rand: rejected" \
	'^0 rejected EPERM reason "caller-supplied RAND needs caller-rand in the trusted policy"$' \
	sh -c "$S aka-vector subscriber $SUPI alg milenage key $kk key2 $ko rand $RAND snn $SNN; true"
t_match "caller SQN without caller-rand: rejected" \
	'^0 rejected EPERM reason "caller-supplied SQN needs caller-rand in the trusted policy"$' \
	sh -c "$S aka-vector subscriber $SUPI alg milenage key $kk key2 $ko sqn 5 snn $SNN; true"
ksfctl peer set hn services kdf
t_match "aka-vector outside the policy: rejected" '^0 rejected EPERM reason "service not in the trusted policy"$' \
	sh -c "$S aka-vector subscriber $SUPI alg milenage key $kk key2 $ko snn $SNN; true"

ksft_dmesg_check "no kernel report"
ksft_done
