#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# KDF parameters that are keys (param-key): NH = KDF(K_AMF, 0x6F,
# SYNC-input) with SYNC-input = K_gNB (TS 33.501 A.10) without the caller
# ever holding K_gNB.  Checked against the same KDF with K_gNB's bytes
# given as a plain param (a known test key), through a MAC under each
# result; and a param-key of another peer is refused.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n bash "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
key() { sed -n 's/.* key \(0x[0-9a-f]*\).*/\1/p'; }
mac() { ksfctl service mac-generate alg hmac-sha256 key "$1" data 4e48 |
	sed -n 's/^0 ok data //p'; }

# NH (fc 0x6f) is named as giving MAC keys, so that its bytes can be
# compared through a MAC.
ksfctl peer add amf kind nf uid 0 services kdf,mac-generate \
	algs kdf-sha256,hmac-sha256 mac-fcs 0x6f >/dev/null
ksfctl peer add other kind nf uid 4242 >/dev/null
KGNB=5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a
kamf=$(ksfctl key add type generic len 32 owner amf)
kgnb=$(echo $KGNB | ksfctl key add type generic owner amf material-hex -)
foreign=$(ksfctl key add type generic len 32 owner other)

nh1=$(ksfctl service kdf key "$kamf" fc 0x6f param-key "$kgnb" | key)
nh2=$(ksfctl service kdf key "$kamf" fc 0x6f param $KGNB | key)
ksft_check "NH from K_AMF with K_gNB as a param-key" test -n "$nh1"
m1=$(mac "$nh1") m2=$(mac "$nh2")
if [ -n "$m1" ] && [ "$m1" = "$m2" ]; then
	ksft_ok "param-key gives the KDF the key's bytes (same NH)"
else
	ksft_fail "param-key gives the KDF the key's bytes" "$m1 vs $m2"
fi
nh3=$(ksfctl service kdf key "$kamf" fc 0x6f param 00 param-key "$kgnb" | key)
[ "$(mac "$nh3")" != "$m1" ] && ksft_ok "params keep their order around a param-key" ||
	ksft_fail "params keep their order around a param-key"
out=$(ksfctl service kdf key "$kamf" fc 0x6f param-key "$foreign" 2>&1)
if printf '%s\n' "$out" | grep -q 'error EACCES reason "param-key not a derive key of this peer"'; then
	ksft_ok "a param-key of another peer is refused"
else
	ksft_fail "a param-key of another peer is refused" "$out"
fi
out=$(ksfctl service kdf key "$kamf" fc 0x6f param-key 0x1234 2>&1)
printf '%s\n' "$out" | grep -q 'error ENOENT reason "unknown param-key handle"' &&
	ksft_ok "an unknown param-key handle is refused" ||
	ksft_fail "an unknown param-key handle is refused" "$out"
ksft_dmesg_check "no kernel report"
ksft_done
