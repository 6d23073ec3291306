#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Bad input: ksfctl refuses what it can check itself (exit 2, nothing
# sent); what only the kernel checks comes back as a clean error with the
# kernel's extack text (exit 1); then nl-malformed sends malformed,
# unknown, oversized, wrong-type and truncated messages to every command
# over a raw socket and fuzzes, each case a TAP line here.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n sh "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
S="ksfctl service"
ksfctl peer add bad kind nf uid 0 services all algs all
k=$(ksfctl key add type generic len 32 owner bad)

# refused by ksfctl itself
t_fail "odd number of hex digits" 2 'bad hex for data' $S mac-generate key "$k" data 123
t_fail "non-hex data" 2 'bad hex for data' $S mac-generate key "$k" data 12zz
t_fail "handle beyond 64 bits" 2 'bad key handle' $S mac-generate key 0x1ffffffffffffffff data 00
t_fail "negative handle" 2 'bad key handle' ksfctl key del -5
t_fail "negative uid" 2 'bad uid' ksfctl peer add n1 kind nf uid -1
t_fail "uid beyond 32 bits" 2 'bad uid' ksfctl peer add n1 kind nf uid 4294967296
t_fail "fc beyond 255" 2 'bad fc' $S kdf key "$k" fc 256
t_fail "unknown service" 2 'unknown service' $S mac-frobnicate key "$k"
t_fail "unknown alg" 2 'unknown alg' $S mac-generate alg sha1 key "$k"
t_fail "item keyword without value" 2 'needs a value' $S mac-generate key
t_fail "unknown item keyword" 2 'unknown item keyword' $S mac-generate key "$k" colour red
t_fail "peer ID longer than 128 bytes" 2 'longer than' ksfctl peer add "$(printf 'x%0128d' 0)" kind ue
t_fail "unknown peer kind" 2 'unknown peer kind' ksfctl peer add n1 kind router
t_fail "unknown notify status in a preset" 2 'unknown notify status' \
	ksfctl peer set bad notify rebooted "mac-generate key 1"
t_fail "batch file that does not exist" 1 'No such file' $S batch /nonexistent
t_fail "key show with two handles" 2 'usage' ksfctl key show 1 2

# checked by the kernel: exit 1 and the extack text
# wire 2: mac-len is in the item's mac nest
t_fail "mac-len 2: out of range" 1 '^ksfctl: service: item 0 > mac > mac-len: integer out of range \(4\.\.32\) \(Numerical result out of range\)$' \
	$S mac-generate alg hmac-sha256 key "$k" data 00 mac-len 2
t_fail "11-byte IV" 1 'binary attribute size out of range' $S encrypt key "$k" iv 0000000000000000000000
t_fail "out-len 33" 1 'integer out of range' $S kdf key "$k" fc 1 out-len 33
t_fail "out-usage with an unknown bit" 1 'reserved bit set' $S kdf key "$k" fc 1 out-usage 0x80
t_fail "policy batch-max 0" 1 'integer out of range' ksfctl peer set bad batch-max 0
t_fail "policy batch-max 1025" 1 'integer out of range' ksfctl peer set bad batch-max 1025
t_fail "policy key-len-max 65" 1 'integer out of range' ksfctl peer set bad key-len 1-65
t_fail "timer period 99 ms" 1 'integer out of range' ksfctl peer set bad timer 99 "mac-generate key 1"
# libksf.so.1 knows each service's family: an unknown one is refused before sending
t_fail "preset item with service number 200 (usage)" 2 'unknown service "200"' \
	ksfctl peer set bad notify registered "200 key 1"
t_fail "key len 65" 1 'integer out of range' ksfctl key add type generic len 65 owner bad
t_fail "key usage with an unknown bit" 1 'reserved bit set' ksfctl key add type generic len 8 usage 0x100 owner bad
t_fail "128-byte peer ID (kernel limit, 127 + NUL)" 1 'peer ID empty or too long' \
	ksfctl peer add "$(printf 'x%0127d' 0)" kind ue
t_fail "keyring desc of 300 bytes" 1 'failed policy validation' \
	ksfctl key add type generic owner bad desc "$(printf 'd%0299d' 0)"
t_match "ksf still answers" '^instance: ' ksfctl info

# raw malformed messages
if command -v nl-malformed >/dev/null 2>&1; then
	# its own netns: no peer bound to root there
	unshare -n nl-malformed -n 2000 >/tmp/nl-malformed.out 2>&1
	rc=$?
	while IFS= read -r line; do
		case $line in
		"not ok "*"# TODO"*)
			KSFT_N=$((KSFT_N + 1))
			desc=${line#not ok * - }
			echo "not ok $KSFT_N nl-malformed: $desc"
			;;
		"ok "*)
			ksft_ok "nl-malformed: ${line#ok * - }"
			;;
		"not ok "*)
			ksft_fail "nl-malformed: ${line#not ok * - }"
			;;
		"#"*)
			echo "$line"
			;;
		esac
	done </tmp/nl-malformed.out
	[ $rc = 0 ] && ksft_ok "nl-malformed exits 0" || ksft_fail "nl-malformed exits 0" "exit $rc"
	rm -f /tmp/nl-malformed.out
else
	ksft_fail "nl-malformed is on PATH"
fi

ksft_dmesg_check "no kernel report"
ksft_done
