#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# No secret ever leaves ksf: canary key material is imported (stdin, file,
# kernel keyring) and used by every command and service; the canaries must
# then be absent, as hex (either case) and as raw bytes, from every reply
# and error ksfctl printed (text and JSON), the events group (ksfctl
# monitor, text and JSON), the kernel log, /sys and the /proc files that
# describe keys, networking and processes.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n sh "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
TOP=$(mktemp -d)
OUT=$TOP/out
mkdir "$OUT"
# ASCII canaries: easy to find as raw bytes and as hex
C1=KsfCanary#7Q2-Zx9wLm4Vt8Rp3Yh6Nc	# 32 bytes, generic
C2=KsfCanaryAES-16b			# 16 bytes, aes
C3=KsfCanaryKeyring!			# 17 bytes, from the keyring
C4=KsfCanaryK-16byt			# 16 bytes, Milenage K
C5=KsfCanaryOPc16by			# 16 bytes, Milenage OPc
hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }
H1=$(hex "$C1") H2=$(hex "$C2")
[ ${#H1} = 64 ] && [ ${#H2} = 32 ] && ksft_ok "canaries prepared" || ksft_fail "canaries prepared" "$H1"
S="ksfctl service"
n=0
run() { # capture stdout+stderr of every command into $OUT
	n=$((n + 1))
	"$@" >"$OUT/cmd.$n" 2>&1
}

ksfctl monitor >"$OUT/mon.txt" 2>&1 &
M1=$!
ksfctl -j monitor >"$OUT/mon.json" 2>&1 &
M2=$!
ksft_wait_netlink $M1 && ksft_wait_netlink $M2 || ksft_diag "monitors not ready"
# the events socket opens after the request socket: let it subscribe
sleep 0.5

run ksfctl peer add can kind nf uid 0 services all algs all caller-rand on mac-fcs 0x6a \
	notify key-compromised "mac-generate alg hmac-sha256 key 1 data 00" \
	timer 200 "mac-generate alg hmac-sha256 key 2 data 00"
# Each canary in every usage family it can have (families never share a key).
k1=$(echo "$H1" | ksfctl key add type generic usage mac,verify owner can material-hex -)
k1d=$(echo "$H1" | ksfctl key add type generic usage derive owner can material-hex -)
k1j=$(echo "$H1" | ksfctl -j key add type generic usage mac owner can material-hex -)
printf '%s' "$C2" >"$TOP/c2.bin"
k2=$(ksfctl key add type aes usage encrypt,decrypt owner can material-file "$TOP/c2.bin")
k2m=$(ksfctl key add type aes usage mac,verify owner can material-file "$TOP/c2.bin")
rm -f "$TOP/c2.bin"
printf '%s\n%s\n%s\n%s\n%s\n' "$k1" "$k1d" "$k1j" "$k2" "$k2m" >"$OUT/handles"
k3=
if command -v keyctl >/dev/null 2>&1; then
	ser=$(printf '%s' "$C3" | keyctl padd logon ksf:canary @u)
	k3=$(ksfctl key add type generic usage mac owner can keyring "$ser")
	keyctl unlink "$ser" @u >/dev/null 2>&1
fi
[ -n "$k1" ] && [ -n "$k1d" ] && [ -n "$k2" ] && [ -n "$k2m" ] && ksft_ok "canary keys imported" ||
	ksft_fail "canary keys imported"
k4=$(echo "$(hex "$C4")" | ksfctl key add type k owner can material-hex -)
k5=$(echo "$(hex "$C5")" | ksfctl key add type opc owner can material-hex -)
SNN=5G:mnc001.mcc001.3gppnetwork.org
for j in "" -j; do
	run ksfctl $j key show "$k4"
	run ksfctl $j service aka-vector subscriber imsi-001010000000001 alg milenage key "$k4" key2 "$k5" snn $SNN
	run ksfctl $j service aka-vector subscriber imsi-001010000000001 alg milenage key "$k4" key2 "$k5" snn $SNN \
		rand 000102030405060708090a0b0c0d0e0f sqn 0x40
	run ksfctl $j service aka-response subscriber imsi-001010000000001 alg milenage key "$k4" key2 "$k5" snn $SNN \
		rand 000102030405060708090a0b0c0d0e0f autn 00000000000000000000000000000000
	run ksfctl $j service aka-resync subscriber imsi-001010000000001 alg milenage key "$k4" key2 "$k5" snn $SNN \
		rand 000102030405060708090a0b0c0d0e0f auts 0000000000000000000000000000
done
# the presets/timers above reference handles 1 and 2; point them at the canaries
run ksfctl peer set can notify key-compromised "mac-generate alg hmac-sha256 key $k1 data 00" \
	timer 200 "mac-generate alg hmac-sha256 key $k1 data 00" "encrypt key $k2 data 00"

# every command, both output formats
for j in "" -j; do
	run ksfctl $j info
	run ksfctl $j peer show
	run ksfctl $j peer show can
	run ksfctl $j key show
	for h in $k1 $k1d $k2 $k2m $k3; do
		run ksfctl $j key show "$h"
		run $S mac-generate alg hmac-sha256 key "$h" data 00
		run $S mac-generate alg aes-cmac key "$h" data 00
		run $S mac-verify alg hmac-sha256 key "$h" data 00 mac 00000000
		run $S kdf key "$h" fc 0x6a param 00 out-usage mac
		run $S encrypt key "$h" data 00
		run $S decrypt key "$h" iv 000000000000000000000000 data 00 mac 00000000000000000000000000000000
	done
	run $S encrypt key "$k2" iv 000000000000000000000000 data 00000000000000000000000000000000
	run ksfctl $j notify - key-compromised
	# errors that concern a canary-carrying request
	run sh -c "echo $H1 | ksfctl $j key add type generic owner nobody material-hex -"
	run sh -c "echo $H1 | ksfctl $j key add type aes owner can material-hex -"
	run sh -c "echo $H1 | ksfctl $j key add type generic len 16 owner can material-hex -"
done
# derived keys, then destroy everything (events)
kd=$($S kdf key "$k1d" fc 0x6a param 00 out-usage mac | sed -n 's/^0 ok key //p')
run $S mac-generate alg hmac-sha256 key "$kd" data 00
run ksfctl key del "$k1j"
sleep 0.5
run ksfctl peer del can
sleep 0.3
kill $M1 $M2 2>/dev/null
wait $M1 $M2 2>/dev/null
printf '%s\n%s\n' "$C1" "$C2" >"$TOP/pat"
[ -n "$k3" ] && printf '%s\n' "$C3" >>"$TOP/pat"
H3=$(hex "$C3")
upper() { printf '%s' "$1" | tr a-f A-F; }
printf '%s\n%s\n' "$C4" "$C5" >>"$TOP/pat"
for h in "$H1" "$H2" "$H3" "$(hex "$C4")" "$(hex "$C5")"; do
	printf '%s\n%s\n' "$h" "$(upper "$h")" >>"$TOP/pat"
	# a leak of a prefix is a leak too: the first 8 bytes
	printf '%.16s\n' "$h" >>"$TOP/pat"
done
printf 'KsfCanary\n' >>"$TOP/pat"
PAT="$TOP/pat"

[ "$n" -ge 60 ] && ksft_ok "$n commands run" || ksft_fail "$n commands run"
grep -q '^0 ok data ' "$OUT"/cmd.* && grep -q '^0 ok key ' "$OUT"/cmd.* &&
	grep -q '^0 ok iv ' "$OUT"/cmd.* && grep -q '^0 ok key .* autn ' "$OUT"/cmd.* &&
	ksft_ok "the services did run on the canary keys" ||
	ksft_fail "the services did run on the canary keys"
grep -q '^timer-result peer can' "$OUT/mon.txt" && grep -q '"key-destroyed"' "$OUT/mon.json" &&
	ksft_ok "the monitors saw timer results and key events" ||
	ksft_fail "the monitors saw timer results and key events"

hits=$(grep -laF -f "$PAT" "$OUT"/cmd.* 2>/dev/null)
[ -z "$hits" ] && ksft_ok "no canary in any ksfctl reply or error" ||
	{ ksft_fail "no canary in any ksfctl reply or error" $hits; grep -aF -f "$PAT" $hits | head -5 | sed 's/^/#   | /'; }
hits=$(grep -laF -f "$PAT" "$OUT/mon.txt" "$OUT/mon.json")
[ -z "$hits" ] && ksft_ok "no canary on the events group" || ksft_fail "no canary on the events group" $hits
hits=$(grep -laF -f "$PAT" "$OUT/handles")
[ -z "$hits" ] && ksft_ok "no canary in the handles" || ksft_fail "no canary in the handles"
dmesg >"$TOP/dmesg"
grep -qaF -f "$PAT" "$TOP/dmesg" && ksft_fail "no canary in the kernel log" ||
	ksft_ok "no canary in the kernel log"
hits=$(timeout 240 grep -rlaF -D skip -f "$PAT" /sys 2>/dev/null | head -5)
[ -z "$hits" ] && ksft_ok "no canary in /sys" || ksft_fail "no canary in /sys" $hits
set --
for f in /proc/keys /proc/key-users /proc/net /proc/sys /proc/modules /proc/slabinfo /proc/*/cmdline /proc/*/environ /proc/*/net/netlink; do
	[ -e "$f" ] && set -- "$@" "$f"
done
hits=$(timeout 240 grep -rlaF -D skip -f "$PAT" "$@" 2>/dev/null | head -5)
[ -z "$hits" ] && ksft_ok "no canary in /proc (keys, net, sys, processes)" ||
	ksft_fail "no canary in /proc (keys, net, sys, processes)" $hits
if [ -d /sys/kernel/debug/ksf ] || [ -d /sys/kernel/tracing/events/ksf ]; then
	hits=$(grep -rlaF -D skip -f "$PAT" /sys/kernel/debug/ksf /sys/kernel/tracing/events/ksf 2>/dev/null)
	[ -z "$hits" ] && ksft_ok "no canary in ksf's debugfs/tracing" || ksft_fail "no canary in ksf's debugfs/tracing" $hits
fi
# the test can find what it looks for (a test that cannot fail is worthless)
printf 'x%sy\n' "$H1" >"$TOP/probe"
grep -qaF -f "$PAT" "$TOP/probe" && printf 'zz%s\n' "$C2" | grep -qaF -f "$PAT" &&
	ksft_ok "self-check: the patterns match a planted canary" ||
	ksft_fail "self-check: the patterns match a planted canary"

rm -rf "$TOP"
ksft_dmesg_check "no kernel report"
ksft_done
