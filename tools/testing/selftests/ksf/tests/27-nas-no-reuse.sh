#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# No keystream reuse and no replay (hardening issue, finding 2), black box
# through ksfctl.  The keys of a NAS security context serve only
# nas-protect/nas-unprotect, where ksf owns the COUNTs: the raw nas-*
# services refuse them.  A K_AMF keys one NAS context: a second one, or a
# kdf copy of its NAS keys, would restart the COUNTs under the same keys.
# A restored NAS context protects nothing until a new security mode (a new
# K_AMF) replaces it, so a message sent after the save never verifies in
# the restored instance.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n bash "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
TMP=$(mktemp -d)
S="ksfctl service"
KAMF=5ac1a4f2d8e07b3c19644e0dd1a2b3c400112233445566778899aabbccddeeff
SUB=imsi-001010000000777
P1=7e004179000d0100f110ff00000000000001
P2=7e005d020004f0f0f0f0
get() { printf '%s\n' "$2" | sed -n "s/.* $1 \([0-9a-fx]*\).*/\1/p"; }
key_of() { sed -n 's/^0 ok key \(0x[0-9a-f]\{16\}\)$/\1/p'; }

ksfctl peer add amf kind nf uid 0 services all algs all >/dev/null
ka=$(echo $KAMF | ksfctl key add type generic owner amf material-hex -)
r=$($S nas-context key "$ka" subscriber $SUB int-alg nia2 enc-alg nea2 2>&1)
ca=$(get context "$r")
t_match "nas-context on K_AMF" '^0 ok context 0x[0-9a-f]{16}$' echo "$r"
t_match "K_AMF is marked spent" '^  flags: spent$' ksfctl key show "$ka"
ki=$(ksfctl -j context show "$ca" | sed -n 's/.*"nas_int_key":"\(0x[0-9a-f]*\)".*/\1/p')
ke=$(ksfctl -j context show "$ca" | sed -n 's/.*"nas_enc_key":"\(0x[0-9a-f]*\)".*/\1/p')
t_match "K_NASint is a context key" '^  flags: context$' ksfctl key show "$ki"

# ---- raw services refuse the context's keys ----
CTXK='0 error EKEYREJECTED reason "key of a NAS security context: only nas-protect/nas-unprotect use it"'
t_res "raw nas-cipher with K_NASenc (caller COUNT) is refused" "$CTXK" \
	$S nas-cipher alg nea2 key "$ke" count 0 bearer 0 direction 1 data $P1
t_res "raw nas-decipher with K_NASenc is refused" "$CTXK" \
	$S nas-decipher alg nea2 key "$ke" count 0 bearer 0 direction 1 data $P1
t_res "raw nas-mac with K_NASint is refused" "$CTXK" \
	$S nas-mac alg nia2 key "$ki" count 0 bearer 0 direction 1 data $P1
t_res "raw nas-verify with K_NASint is refused" "$CTXK" \
	$S nas-verify alg nia2 key "$ki" count 0 bearer 0 direction 1 data $P1 mac 00000000
# ---- one NAS context per K_AMF ----
t_res "a second nas-context on the same K_AMF is refused (COUNTs would restart)" \
	'0 rejected EPERM reason "K_AMF has keyed NAS keys before: a new NAS context needs a new K_AMF"' \
	$S nas-context key "$ka" subscriber $SUB int-alg nia2 enc-alg nea2
t_res "so is one for another subscriber" \
	'0 rejected EPERM reason "K_AMF has keyed NAS keys before: a new NAS context needs a new K_AMF"' \
	$S nas-context key "$ka" subscriber imsi-2 int-alg nia2 enc-alg nea2
t_res "a kdf copy of its K_NASenc (0x69, 0x01) is refused" \
	'0 rejected EPERM reason "this key keyed a NAS security context: its NAS keys stay there"' \
	$S kdf key "$ka" fc 0x69 param 01 param 02
t_res "a kdf copy of its K_NASint (0x69, 0x02) is refused" \
	'0 rejected EPERM reason "this key keyed a NAS security context: its NAS keys stay there"' \
	$S kdf key "$ka" fc 0x69 param 02 param 02
kb=$(echo $KAMF | ksfctl key add type generic owner amf material-hex -)
kraw=$($S kdf key "$kb" fc 0x69 param 02 param 02 | key_of)
t_true "NAS keys derived by kdf from another K_AMF (for raw use)" [ -n "$kraw" ]
t_match "raw nas-mac takes such a key" '^0 ok data [0-9a-f]{8}$' \
	$S nas-mac alg nia2 key "$kraw" count 0 bearer 0 direction 1 data $P1
t_res "that K_AMF keys no NAS context afterwards" \
	'0 rejected EPERM reason "K_AMF has keyed NAS keys before: a new NAS context needs a new K_AMF"' \
	$S nas-context key "$kb" subscriber imsi-3 int-alg nia2 enc-alg nea2

# ---- save while the context is in use; restore elsewhere ----
head -c 32 /dev/urandom >"$TMP/kek"
kek=$(keyctl padd user ksf:nas-kek @u <"$TMP/kek")
r1=$($S nas-protect context "$ca" data $P1)
t_match "protect P1 (count 0)" 'count 0$' echo "$r1"
t_true "save" ksfctl save keyring "$kek" file "$TMP/blob"
r2=$($S nas-protect context "$ca" data $P2)
t_match "protect P2 after the save (count 1)" 'count 1$' echo "$r2"
d2=$(get data "$r2") m2=$(get mac "$r2")

cat >"$TMP/restored.sh" <<EOC
set -u
S="ksfctl service"
ksfctl restore keyring $kek file $TMP/blob || exit 1
echo "protect: \$(\$S nas-protect context $ca data $P2)"
echo "unprotect-p2: \$(\$S nas-unprotect context $ca data $d2 mac $m2 seq 1)"
echo "same-kamf: \$(\$S nas-context key $ka subscriber $SUB int-alg nia2 enc-alg nea2)"
echo "raw: \$(\$S nas-cipher alg nea2 key $ke count 1 bearer 0 direction 1 data $P2)"
echo "show: \$(ksfctl key show $ka | sed -n 's/^  flags: //p')"
kn=\$(\$S kdf key $ka fc 0x6d param 0001 | sed -n 's/^0 ok key //p')
echo "new: \$(\$S nas-context key \$kn subscriber $SUB int-alg nia2 enc-alg nea2 | cut -d' ' -f2)"
echo "after-new: \$(\$S nas-unprotect context $ca data $d2 mac $m2 seq 1)"
echo "protect-new: \$(\$S nas-protect context $ca data $P2)"
EOC
out=$(unshare -n bash "$TMP/restored.sh" 2>&1)
printf '%s\n' "$out" | sed 's/^/# restored: /'
STALE='0 error ESTALE reason "NAS context restored from a save: run a new security mode first"'
t_true "restored: nas-protect is refused until a new security mode" \
	grep -qxF "protect: $STALE" <<<"$out"
t_true "restored: P2 (sent after the save) is refused" \
	grep -qxF "unprotect-p2: $STALE" <<<"$out"
t_true "restored: the spent K_AMF keys no new NAS context" \
	grep -qF "same-kamf: 0 rejected EPERM" <<<"$out"
t_true "restored: the context keys stay refused to raw nas-cipher" \
	grep -qxF "raw: $CTXK" <<<"$out"
t_true "restored: K_AMF is still marked spent" grep -qx "show: spent" <<<"$out"
t_true "restored: a new K_AMF sets up a new NAS context" grep -qx "new: ok" <<<"$out"
t_true "restored: P2 never verifies under the new context" \
	grep -q "^after-new: 0 error EBADMSG" <<<"$out"
t_true "restored: the new context protects from count 0" \
	grep -q "^protect-new: 0 ok .* count 0$" <<<"$out"

keyctl unlink "$kek" @u >/dev/null 2>&1
ksfctl peer del amf
ksft_dmesg_check "no kernel report"
ksft_done
