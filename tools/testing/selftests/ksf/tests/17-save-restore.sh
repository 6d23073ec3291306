#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Persistence: ksfctl save seals the instance under a KEK from the kernel
# keyring; ksfctl restore rebuilds it in a fresh instance (another netns)
# with the same peers, policies, handles and key bytes (same MACs); the
# blob carries no key in clear; a wrong KEK, a tampered blob or a
# non-empty target is refused without effect.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n sh "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
TMP=$(mktemp -d)
if ! command -v keyctl >/dev/null 2>&1; then
	ksft_ok "# SKIP keyctl not available"
	ksft_done
	exit 0
fi
S="ksfctl service"
D=7768617420646f2079612077616e7420666f72206e6f7468696e673f
MAT=4b736643616e617279233751322d5a7839774c6d345674385270335968364e63	# "KsfCanary#7Q2-..."
head -c 32 /dev/urandom >"$TMP/kek"
kek=$(keyctl padd user ksf:kek @u <"$TMP/kek")
head -c 32 /dev/urandom >"$TMP/kek2"
kek2=$(keyctl padd user ksf:kek2 @u <"$TMP/kek2")
keyctl padd logon ksf:keklogon @u <"$TMP/kek" >/dev/null
rm -f "$TMP/kek" "$TMP/kek2"

ksfctl peer add amf kind nf uid 0 services all algs all key-len 8-64 batch-max 100 mac-fcs 0x6a \
	notify deregistered "mac-generate alg hmac-sha256 key 0x1 data 00"
ksfctl peer add ue-1 kind ue
ki=$(echo $MAT | ksfctl key add type generic usage mac owner amf peer ue-1 material-hex -)
kdv=$(ksfctl key add type generic len 32 usage derive owner amf)
kg=$(ksfctl key add type aes len 32 usage mac owner amf)
kd=$($S kdf key "$kdv" fc 0x6a param 01 out-usage mac | sed -n 's/^0 ok key //p')
t1=$($S mac-generate alg hmac-sha256 key "$ki" data $D)
t2=$($S mac-generate alg aes-cmac key "$kg" data $D)
t3=$($S mac-generate alg hmac-sha256 key "$kd" data $D)
# the largest key record: 16 allowed peers of 127-byte IDs
pad=$(printf '%0124d' 0)
plist=
for i in $(seq 10 25); do
	ksfctl peer add "p$i$pad" kind ue >/dev/null
	plist="$plist peer p$i$pad"
done
kbig=$(ksfctl key add type generic len 64 usage mac owner amf $plist)
t_true "a key with 16 peers of 127-byte IDs" [ "$(ksfctl key show "$kbig" | grep -o "p[12][0-9]$pad" | wc -l)" = 16 ]
ksfctl peer show | sort >"$TMP/peers.before"
ksfctl key show >"$TMP/keys.before"

t_true "save to a file" ksfctl save keyring "$kek" file "$TMP/blob"
size=$(wc -c <"$TMP/blob")
[ "$size" -gt 100 ] && ksft_ok "saved state of $size bytes" || ksft_fail "saved state not empty" "$size"
cp "$TMP/blob" "$TMP/blob.old"
t_true "save again replaces the file" ksfctl save keyring "$kek" file "$TMP/blob"
cmp -s "$TMP/blob" "$TMP/blob.old" && ksft_fail "the new file is a new save" || ksft_ok "the new file is a new save"
[ "$(ls "$TMP" | grep -c '^blob\.')" = 1 ] && ksft_ok "no temporary file left behind" ||
	ksft_fail "no temporary file left behind" "$(ls "$TMP")"
size=$(wc -c <"$TMP/blob")
ksfctl save desc ksf:keklogon >"$TMP/blob2" && ksft_ok "save to stdout, KEK by description" ||
	ksft_fail "save to stdout, KEK by description"
cmp -s "$TMP/blob" "$TMP/blob2" && ksft_fail "two saves are sealed differently (fresh nonce)" ||
	ksft_ok "two saves are sealed differently (fresh nonce)"
printf 'KsfCanary\n%s\n' $MAT >"$TMP/pat"
grep -qaF -f "$TMP/pat" "$TMP/blob" && ksft_fail "no key material in clear in the blob" ||
	ksft_ok "no key material in clear in the blob"
t_fail "save with an unknown KEK" 1 'save: ' ksfctl save keyring 12345678 file "$TMP/x"
t_fail "save needs a KEK (usage)" 2 'needs the KEK' ksfctl save file "$TMP/x"
t_fail "save needs CAP_NET_ADMIN" 1 'Operation not permitted' \
	ksf-runas 1000 1000 ksfctl save keyring "$kek" file "$TMP/x"

# restore into fresh instances
cat >"$TMP/check.sh" <<EOC
set -u
ksfctl restore keyring $kek file $TMP/blob || exit 1
ksfctl peer show | sort >$TMP/peers.after
ksfctl key show >$TMP/keys.after
$S mac-generate alg hmac-sha256 key $ki data $D >$TMP/t1
$S mac-generate alg aes-cmac key $kg data $D >$TMP/t2
$S mac-generate alg hmac-sha256 key $kd data $D >$TMP/t3
ksfctl restore keyring $kek file $TMP/blob 2>$TMP/again && echo "restored twice"
exit 0
EOC
t_true "restore into a fresh instance" unshare -n sh "$TMP/check.sh"
cmp -s "$TMP/peers.before" "$TMP/peers.after" && ksft_ok "same peers and policies" ||
	{ ksft_fail "same peers and policies"; diff "$TMP/peers.before" "$TMP/peers.after" | head | sed 's/^/#   | /'; }
sort "$TMP/keys.before" >"$TMP/a"; sort "$TMP/keys.after" >"$TMP/b"
cmp -s "$TMP/a" "$TMP/b" && ksft_ok "same keys, handles and metadata" ||
	{ ksft_fail "same keys, handles and metadata"; diff "$TMP/a" "$TMP/b" | head | sed 's/^/#   | /'; }
[ "$(cat "$TMP/t1")" = "$t1" ] && ksft_ok "imported key: same MAC after restore" ||
	ksft_fail "imported key: same MAC after restore" "$(cat "$TMP/t1")" "$t1"
[ "$(cat "$TMP/t2")" = "$t2" ] && ksft_ok "generated key: same MAC after restore" ||
	ksft_fail "generated key: same MAC after restore" "$(cat "$TMP/t2")" "$t2"
[ "$(cat "$TMP/t3")" = "$t3" ] && ksft_ok "derived key: same MAC after restore" ||
	ksft_fail "derived key: same MAC after restore" "$(cat "$TMP/t3")" "$t3"
grep -q 'restore needs an empty instance' "$TMP/again" &&
	ksft_ok "restore into a non-empty instance is refused" ||
	ksft_fail "restore into a non-empty instance is refused" "$(cat "$TMP/again")"

# refusals leave the instance empty
t_fail "restore under another KEK" 1 'restore: ' \
	unshare -n sh -c "ksfctl restore keyring $kek2 file $TMP/blob; rc=\$?; ksfctl info | grep -q 'peers: 0' && exit \$rc"
cp "$TMP/blob" "$TMP/bad"
printf '\001' | dd of="$TMP/bad" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
t_fail "restore of a tampered blob" 1 'restore: ' \
	unshare -n sh -c "ksfctl restore keyring $kek file $TMP/bad; rc=\$?; ksfctl info | grep -q 'keys: 0' && exit \$rc"
head -c $((size - 7)) "$TMP/blob" >"$TMP/short"
t_fail "restore of a truncated blob" 1 'restore: ' \
	unshare -n sh -c "ksfctl restore keyring $kek file $TMP/short; rc=\$?; ksfctl info | grep -q 'keys: 0' && exit \$rc"
t_fail "restore of an empty blob" 1 'restore: ' \
	unshare -n sh -c "ksfctl restore keyring $kek file /dev/null"
t_fail "restore needs CAP_NET_ADMIN" 1 'Operation not permitted' \
	unshare -n sh -c "ksf-runas 1000 1000 ksfctl restore keyring $kek <$TMP/blob"
t_match "restore from stdin, KEK by description" 'peers: 18$' \
	unshare -n sh -c "ksfctl restore desc ksf:keklogon <$TMP/blob2 && ksfctl info"

rm -rf "$TMP"
ksft_dmesg_check "no kernel report"
ksft_done
