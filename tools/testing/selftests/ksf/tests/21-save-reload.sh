#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Persistence across a module reload: save the instance under a keyring
# KEK, rmmod (every key destroyed), insmod, restore: the same peers, the
# same key handles, and the same MACs under them.  Also imports a key of
# the kernel keyring's "encrypted" type, whose payload user space never
# sees at all.  NAS contexts on SNOW 3G and ZUC (ksf's own crypto API
# algorithms, whose transforms the keys keep) must not pin the module, and
# carry on with their COUNTs after the reload.
set -u
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"

TMP=$(mktemp -d)
cleanup() { rm -rf "$TMP"; ksft_ksf_load; ksfctl peer del sr >/dev/null 2>&1; }
trap cleanup EXIT
ksft_dmesg_mark
mac() { ksfctl service mac-generate alg hmac-sha256 key "$1" data 6b7366 |
	sed -n 's/^0 ok data //p'; }

ksfctl peer add sr kind nf uid 0 \
	services mac-generate,kdf,nas-context,nas-protect \
	algs hmac-sha256,kdf-sha256,nia1,nea1,nia3,nea3 lifetime-max 86400 mac-fcs 0x6c >/dev/null
k1=$(echo 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b | ksfctl key add type generic usage mac owner sr material-hex -)
k2=$(ksfctl key add type generic len 32 usage mac owner sr max-age 3600)
kp=$(ksfctl key add type generic len 32 owner sr max-age 3600)
k3=$(ksfctl service kdf key "$kp" fc 0x6c param 00 | sed -n 's/.* key \(0x[0-9a-f]*\).*/\1/p')
master=$(keyctl add user ksf:master "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" @u)
enc=$(keyctl add encrypted ksf:enc "new user:ksf:master 32" @u)
k4=$(ksfctl key add type generic usage mac owner sr keyring "$enc")
if ksfctl key show "$k4" | grep -q '^  len: 32$'; then
	ksft_ok "import of an encrypted keyring key (32 bytes, never in user space)"
else
	ksft_fail "import of an encrypted keyring key" "$(ksfctl key show "$k4" 2>&1)"
fi
kamf=$(ksfctl key add type generic len 32 owner sr)
kamf3=$(ksfctl key add type generic len 32 owner sr)
count() { ksfctl service nas-protect subscriber "$1" data 7e0041 |
	sed -n 's/^0 ok .* count \([0-9]*\)$/\1/p'; }
ksfctl service nas-context key "$kamf" subscriber imsi-1 int-alg nia1 enc-alg nea1 >/dev/null
ksfctl service nas-context key "$kamf3" subscriber imsi-3 int-alg nia3 enc-alg nea3 >/dev/null
c="$(count imsi-1) $(count imsi-3) $(count imsi-3)"
[ "$c" = "0 0 1" ] && ksft_ok "NAS contexts on SNOW 3G and ZUC protect (COUNTs 0, 0 1)" ||
	ksft_fail "NAS contexts on SNOW 3G and ZUC protect" "counts: $c"
refs=$(awk '$1 == "ksf" { print $3 }' /proc/modules)
[ "$refs" = 0 ] && ksft_ok "keys holding SNOW 3G and ZUC transforms do not pin ksf" ||
	ksft_fail "keys holding SNOW 3G and ZUC transforms do not pin ksf" "use count $refs"
before=""
for k in "$k1" "$k2" "$k3" "$k4"; do before="$before $(mac "$k")"; done
ksfctl context show | grep -v '^  nas-tx-count' | sort >"$TMP/ctx.before"
ksfctl peer show sr >"$TMP/peer.before"
ksfctl key show | grep -v '^  uses:' | sort >"$TMP/keys.before"

head -c 32 /dev/urandom >"$TMP/kek"
kek=$(keyctl padd user ksf:reload-kek @u <"$TMP/kek")
ksft_check "save" ksfctl save keyring "$kek" file "$TMP/state"
ksft_check "rmmod ksf with the keys live" rmmod ksf
ksft_check "insmod ksf" insmod "$KSF_KO"
n=$(ksfctl info | sed -n 's/^ *keys: *//p')
[ "$n" = 0 ] && ksft_ok "the new instance is empty" || ksft_fail "the new instance is empty" "keys: $n"
ksft_check "restore" ksfctl restore keyring "$kek" file "$TMP/state"
ksfctl peer show sr >"$TMP/peer.after"
ksfctl key show | grep -v '^  uses:' | sort >"$TMP/keys.after"
cmp -s "$TMP/peer.before" "$TMP/peer.after" && ksft_ok "same peer and policy" ||
	ksft_fail "same peer and policy" "$(diff "$TMP/peer.before" "$TMP/peer.after" | head -5)"
cmp -s "$TMP/keys.before" "$TMP/keys.after" && ksft_ok "same key handles and metadata" ||
	ksft_fail "same key handles and metadata" "$(diff "$TMP/keys.before" "$TMP/keys.after" | head -5)"
ksfctl context show | grep -v '^  nas-tx-count' | sort >"$TMP/ctx.after"
cmp -s "$TMP/ctx.before" "$TMP/ctx.after" && ksft_ok "same contexts (handles, keys, algorithms)" ||
	ksft_fail "same contexts" "$(diff "$TMP/ctx.before" "$TMP/ctx.after" | head -5)"
# Nothing is reused: a restored NAS context protects nothing until a new
# security mode (a new K_AMF) replaces it.
c="$(count imsi-1)$(count imsi-3)"
out=$(ksfctl service nas-protect subscriber imsi-3 data 7e0041 2>&1)
[ -z "$c" ] && printf '%s\n' "$out" | grep -q '^0 error ESTALE reason "NAS context restored from a save' &&
	ksft_ok "restored NAS contexts protect nothing (no COUNT reused)" ||
	ksft_fail "restored NAS contexts protect nothing (no COUNT reused)" "counts: $c" "$out"
after=""
for k in "$k1" "$k2" "$k3" "$k4"; do after="$after $(mac "$k")"; done
if [ "$before" = "$after" ] && [ "$(echo $after | wc -w)" = 4 ]; then
	ksft_ok "imported, generated, derived and keyring keys give the same MACs"
else
	ksft_fail "the same MACs after the reload" "before:$before" "after:$after"
fi
keyctl unlink "$enc" @u >/dev/null; keyctl unlink "$master" @u >/dev/null
keyctl unlink "$kek" @u >/dev/null
ksft_dmesg_check "no kernel report"
ksft_done
