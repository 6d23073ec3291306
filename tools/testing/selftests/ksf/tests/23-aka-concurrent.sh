#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# One AUTN presented twice at the same time to the USIM's ksf: at most one
# check may accept it (the other gets a synchronisation failure or a
# retry), or a replayed challenge could be answered twice.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n bash "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
SNN=5G:mnc001.mcc001.3gppnetwork.org
f() { sed -n "s/.* $1 \([^ ]*\).*/\1/p"; }

ksfctl peer add usim kind nf uid 0 services aka-vector,aka-response \
	algs milenage >/dev/null
k=$(echo 465b5ce8b199b49faa5f0a2ee238a6bc | ksfctl key add type k owner usim material-hex -)
o=$(echo cd63cb71954a9f4e48a5994e37a02baf | ksfctl key add type opc owner usim material-hex -)
bad=0 good=0
for i in $(seq 1 20); do
	av=$(ksfctl service aka-vector subscriber imsi-001010000000001 key "$k" key2 "$o" snn $SNN)
	r=$(echo "$av" | f rand) a=$(echo "$av" | f autn)
	for j in 1 2; do
		ksfctl service aka-response subscriber imsi-001010000000001 key "$k" key2 "$o" snn $SNN \
			rand "$r" autn "$a" >"$TMP/r$j" 2>&1 &
	done
	wait
	n=$(cat "$TMP/r1" "$TMP/r2" | grep -c '^0 ok ')
	[ "$n" -le 1 ] || bad=$((bad + 1))
	[ "$n" -ge 1 ] && good=$((good + 1))
done
[ $bad = 0 ] && ksft_ok "no AUTN accepted twice in 20 concurrent pairs" ||
	ksft_fail "no AUTN accepted twice" "$bad of 20 pairs accepted twice"
[ $good -ge 1 ] && ksft_ok "fresh vectors are still accepted ($good of 20 pairs had one ok)" ||
	ksft_fail "fresh vectors are still accepted" "no pair had an ok"
ksft_dmesg_check "no kernel report"
ksft_done
