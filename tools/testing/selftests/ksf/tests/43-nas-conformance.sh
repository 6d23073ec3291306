#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# NAS conformance with the 5G cores and UEs (issue 14 item 3): ksf's NAS
# security contexts against an independent implementation in Python
# (43-nas-conformance.py, on Debian's python3-cryptography), which first
# reproduces the published 128-NEA2/128-NIA2/AES-CMAC/KDF vectors
# (../shared/vectors, else kernel/tests/vectors.h made of them).  From a
# K_AMF of known bytes, for BEARER 1 (3GPP access, nas-context's default)
# and 2 (non-3GPP access), both directions (an amf peer sends downlink, a
# ue peer uplink): 301 nas-protect each, COUNTs 0..300 across the 8-bit SN,
# compared byte for byte with Python's K_NASint/K_NASenc (TS 33.501 A.8),
# NEA2 ciphertext and NIA2 MAC over SN || ciphertext (TS 24.501 4.4.3), and
# the security protected message of TS 24.501 9.1.1 assembled from them;
# then nas-unprotect of messages Python protected (COUNTs 0, 7, 255, 300),
# and the refusal of those Python protected under bearer 0 (what ksf used
# before), the other bearer or the other direction, and of a replay.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n bash "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
# files the host's python reads: /host/tmp in here is its /tmp
HT=$(mktemp -d /host/tmp/ksf-t42.XXXXXX)
T=${HT#/host}
cleanup() { rm -rf "$HT"; }
trap cleanup EXIT
py=$KSF_ROOT/tools/testing/selftests/ksf/tests/43-nas-conformance.py
if [ ! -r "/host$py" ]; then
	cp "$py" "$HT/t42.py"
	py=$T/t42.py
fi
VEC=${KSF_VECTORS:-$KSF_ROOT/../shared/vectors}
nas() { ksft_py "$py" "$@"; }
S="ksfctl service"
UE_UID=2001
UE() { ksf-runas $UE_UID $UE_UID "$@"; }
anyrc() { "$@"; true; }
get() { printf '%s\n' "$2" | sed -n "s/^.* $1 \([^ ]*\).*\$/\1/p" | head -n 1; }
hex8() { printf '%02x' $(($1 & 0xff)); }

# checker DESC ARGS...: the PASS/FAIL lines of the Python checker as TAP
# cases; a checker that fails without saying why fails DESC
checker() {
	local d=$1 rc l
	shift
	nas "$@" >"$HT/out" 2>&1 && rc=0 || rc=$?
	while IFS= read -r l; do
		case $l in
		"PASS "*) ksft_ok "${l#PASS }" ;;
		"FAIL "*) ksft_fail "${l#FAIL }" ;;
		"INFO "*) ksft_diag "${l#INFO }" ;;
		*) ksft_diag "checker: $l" ;;
		esac
	done <"$HT/out"
	if [ "$rc" != 0 ] && ! grep -q '^FAIL ' "$HT/out"; then
		ksft_fail "$d: the checker exited $rc"
	elif [ ! -s "$HT/out" ]; then
		ksft_fail "$d: the checker said nothing"
	fi
}

# ---- the Python implementation against the published vectors ----

checker "self-check" selfcheck "$VEC" "$KSF_ROOT"

ksfctl peer add amf kind nf uid 0 services nas-context,nas-protect,nas-unprotect \
	algs all >/dev/null
ksfctl peer add ue kind nf uid $UE_UID services nas-context,nas-protect,nas-unprotect \
	algs all >/dev/null

# K_AMF of each bearer's NAS connection (test values)
KAMF1=5ac1a4f2d8e07b3c19644e0dd1a2b3c400112233445566778899aabbccddeeff
KAMF2=0f1e2d3c4b5a69788796a5b4c3d2e1f0c0ffee00deadbeef0123456789abcdef
N=301			# COUNTs 0..300: the SN wraps at 256

# plains FILE: N plaintexts, each its own length (3..33 bytes) and bytes
plains() {
	local i j p b
	for ((i = 0; i < N; i++)); do
		printf -v p '7e00%02x%04x' $((0x41 + i % 8)) $i
		for ((j = 0; j < i % 28; j++)); do
			printf -v b '%02x' $(((i * 7 + j * 13) & 0xff))
			p+=$b
		done
		echo "$p"
	done >"$1"
}
plains "$HT/plain"

for B in 1 2; do
	if [ $B = 1 ]; then kamf=$KAMF1; else kamf=$KAMF2; fi
	other=$((3 - B))
	ka=$(echo $kamf | ksfctl key add type generic owner amf material-hex -)
	ku=$(echo $kamf | ksfctl key add type generic owner ue material-hex -)
	# bearer 1 by nas-context's default, bearer 2 named
	barg=
	[ $B = 1 ] || barg="bearer $B"
	res=$(anyrc $S nas-context key "$ka" subscriber imsi-00101000000004$B \
		int-alg nia2 enc-alg nea2 $barg 2>&1)
	ca=$(get context "$res")
	t_match "bearer $B: nas-context at the amf (${barg:-the default})" \
		'^0 ok context 0x[0-9a-f]{16}$' echo "$res"
	res=$(anyrc UE $S nas-context key "$ku" subscriber imsi-00101000000004$B \
		int-alg nia2 enc-alg nea2 direction 0 $barg 2>&1)
	cu=$(get context "$res")
	t_match "bearer $B: nas-context at the ue" '^0 ok context 0x[0-9a-f]{16}$' echo "$res"
	t_match "bearer $B: context show says so (amf)" "^  nas-bearer: $B " ksfctl context show "$ca"
	t_match "bearer $B: context show says so (ue)" "^  nas-bearer: $B " ksfctl context show "$cu"
	t_res "bearer $B: nas-protect refuses a bearer, even the context's" \
		'0 error EINVAL reason "nas-protect takes no bearer"' \
		anyrc $S nas-protect context "$ca" data 7e00 bearer $B

	# nas-protect, both directions, against Python byte for byte
	sed "s/^/nas-protect context $ca data /" "$HT/plain" >"$HT/batch"
	anyrc $S batch "$HT/batch" >"$HT/dl.$B" 2>&1
	checker "bearer $B downlink" verify $kamf $B 1 "$T/plain" "$T/dl.$B" \
		"bearer $B downlink (amf, direction 1)"
	sed "s/^/nas-protect context $cu data /" "$HT/plain" >"$HT/batch"
	anyrc UE $S batch - <"$HT/batch" >"$HT/ul.$B" 2>&1
	checker "bearer $B uplink" verify $kamf $B 0 "$T/plain" "$T/ul.$B" \
		"bearer $B uplink (ue, direction 0)"
	# the security protected NAS message (TS 24.501 9.1.1) from ksf's
	# outputs: EPD, security header type 2, MAC, SN, ciphertext
	l=$(grep ' count 256$' "$HT/dl.$B")
	t_res "bearer $B: EPD || SHT || MAC || SN || ciphertext of COUNT 256 is the core's" \
		"$(nas header $kamf $B 1 256 "$(sed -n 257p "$HT/plain")")" \
		echo "7e02$(get mac "$l")$(hex8 256)$(get data "$l")"

	# nas-unprotect of messages Python protected
	for side in amf ue; do
		if [ $side = amf ]; then
			ctx=$ca d=0 run=anyrc	# the amf receives uplink
		else
			ctx=$cu d=1 run="anyrc UE"
		fi
		P=7e005c00$(hex8 $B)$(hex8 $d)
		nas build $kamf 0 $d 0 $P $other $d 0 $P $B $((1 - d)) 0 $P \
			$B $d 0 $P $B $d 7 ${P}07 $B $d 255 ${P}ff $B $d 300 ${P}012c \
			>"$HT/built" 2>&1 ||
			ksft_fail "bearer $B, $side: Python builds the messages" \
				"$(cat "$HT/built")"
		i=0
		for what in "under bearer 0 (ksf's old default)" "under bearer $other" \
			    "in the other direction"; do
			i=$((i + 1))
			read -r c m q <<<"$(sed -n ${i}p "$HT/built")"
			t_match "bearer $B, $side: a message Python protected $what is refused" \
				'^0 error EBADMSG reason "NAS MAC mismatch' \
				$run $S nas-unprotect context "$ctx" data "$c" mac "$m" seq "$q"
		done
		for n in 0 7 255 300; do
			i=$((i + 1))
			read -r c m q <<<"$(sed -n ${i}p "$HT/built")"
			case $n in
			0) p=$P ;;
			7) p=${P}07 ;;
			255) p=${P}ff ;;
			300) p=${P}012c ;;
			esac
			t_res "bearer $B, $side: Python's message of COUNT $n (SN $q) is accepted" \
				"0 ok data $p context $ctx count $n" \
				$run $S nas-unprotect context "$ctx" data "$c" mac "$m" seq "$q"
		done
		t_match "bearer $B, $side: ... once (a replay is refused)" \
			'^0 error EBADMSG ' \
			$run $S nas-unprotect context "$ctx" data "$c" mac "$m" seq "$q"
		t_res "bearer $B, $side: the receive COUNT is 301" 301 \
			sh -c "ksfctl context show $ctx | sed -n 's/^  nas-rx-count: //p'"
	done
done

ksft_dmesg_check "no kernel warnings"
ksft_done
