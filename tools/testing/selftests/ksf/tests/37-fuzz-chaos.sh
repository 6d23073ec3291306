#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Fuzzing under chaos (fuzz/, issue 11): ksf-fuzz --procs with its chaos
# actors running while the fuzzing processes (admins in two network
# namespaces, an nf peer under its own uid) have requests in flight:
#   - a netns churner: a new namespace, a ksf instance in it (peer, keys, a
#     context), a child sending service requests, SIGKILLed mid-flight, the
#     namespace dropped (pernet exit racing with the other namespaces);
#   - an admin actor: policy changes, deletion and re-creation of the nf
#     peer the fuzzer acts as, saves while it serves, save+wipe+restore;
#   - a reload actor: rmmod/insmod of ksf.ko in a loop (the fuzzers find
#     the family again, ENOENT of a gone family is normal).
# Invariants as in 36-fuzz: no kernel report, no canary byte, and once the
# actors stopped and every object is deleted, counters and mem are 0.
# Every process and actor logs its seed and what it did, in order.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n sh "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
trap 'ksft_ksf_load' EXIT

SEED=${KSF_FUZZ_SEED:-37}
case ${KSF_KERNEL:-stock} in
debug) N=${KSF_FUZZ_CHAOS_COUNT:-10000} ;;
kcsan) N=${KSF_FUZZ_CHAOS_COUNT:-12000} ;;
*) N=${KSF_FUZZ_CHAOS_COUNT:-20000} ;;
esac
KC=
[ "${KSF_KERNEL:-stock}" = kcsan ] && KC=--kcsan-by-harness
KO=${KSF_KO:-/ksf/ksf.ko}
T=$(mktemp -d)

if ! command -v ksf-fuzz >/dev/null 2>&1; then
	ksft_fail "ksf-fuzz is on PATH"
	ksft_done
fi
ksft_ksf_load

t0=$(date +%s)
ksf-fuzz --seed "$SEED" --procs 4 --chaos --reload "$KO" --count "$N" \
	--out "$T/chaos" $KC >"$T/out" 2>&1
rc=$?
t1=$(date +%s)
grep '^# proc [0-9]*:\|^# actor\|^# [0-9]* processes\|^# fuzzing with' "$T/out"
ksft_diag "chaos run: $((t1 - t0)) s"
what="4 fuzzing processes with a netns churner, admin chaos and rmmod/insmod, $N messages: no kernel report, no canary, empty at the end"
if [ $rc = 0 ]; then
	ksft_ok "$what"
else
	ksft_fail "$what" "exit $rc; output:"
	grep -v '^#   ' "$T/out" | tail -n 60 | sed 's/^/#   | /'
	for a in netns admin reload; do
		tail -n 15 "$T/chaos.$a" 2>/dev/null | sed "s/^/#   $a | /"
	done
fi

num() { sed -n "s/$1/\\1/p" "$T/out" | head -n 1; }
cyc=$(num '^# actor netns: \([0-9]*\) cycles.*')
[ "${cyc:-0}" -ge 3 ] && ksft_ok "netns churner: $cyc namespaces created, used, killed mid-flight, dropped" ||
	ksft_fail "netns churner: at least 3 cycles" "${cyc:-none}"
adm=$(num '^# actor admin: \([0-9]*\) actions.*')
[ "${adm:-0}" -ge 20 ] && ksft_ok "admin actor: $adm policy changes, peer deletions, saves, restores" ||
	ksft_fail "admin actor: at least 20 actions" "${adm:-none}"
rel=$(num '^# actor reload: \([0-9]*\) rmmod.*')
[ "${rel:-0}" -ge 1 ] && ksft_ok "reload actor: ksf.ko unloaded and loaded $rel times" ||
	ksft_fail "reload actor: at least one rmmod/insmod cycle" "${rel:-none}"
seen=$(sed -n 's/^# proc [0-9]*: .* \([0-9]*\) family reloads seen.*/\1/p' "$T/out" |
	awk '{ s += $1 } END { print s + 0 }')
[ "$seen" -ge 1 ] && ksft_ok "the fuzzing processes found the family again after reloads ($seen)" ||
	ksft_fail "the fuzzing processes found the family again after a reload" "$seen"
sent=$(sed -n 's/^# proc [0-9]*: \([0-9]*\) messages.*/\1/p' "$T/out" |
	awk '{ s += $1 } END { print s + 0 }')
[ "$sent" -ge "$N" ] && ksft_ok "at least $N messages sent ($sent)" ||
	ksft_fail "at least $N messages sent" "$sent"

logs=0
for f in 0 1 2 3; do
	grep -q '^seed ' "$T/chaos.$f" 2>/dev/null && grep -q '^step 0x' "$T/chaos.$f" &&
		logs=$((logs + 1))
done
for a in netns admin reload; do
	grep -q "^[0-9.]* actor $a seed " "$T/chaos.$a" 2>/dev/null &&
		[ "$(wc -l <"$T/chaos.$a")" -ge 3 ] && logs=$((logs + 1))
done
[ $logs = 7 ] && ksft_ok "every process and actor logged its seed and what it did" ||
	ksft_fail "every process and actor logged its seed and what it did" "$logs of 7 logs"
grep -q '^[0-9.]* rmmod ksf: ok' "$T/chaos.reload" 2>/dev/null &&
	grep -q '^[0-9.]* cycle 0: ' "$T/chaos.netns" 2>/dev/null &&
	grep -q '^[0-9.]* \(peer-set\|peer-del\|save\)' "$T/chaos.admin" 2>/dev/null &&
	ksft_ok "the actor logs list their actions in order" ||
	ksft_fail "the actor logs list their actions in order" "$(head -n 3 "$T/chaos.reload" "$T/chaos.netns" "$T/chaos.admin" 2>&1)"

ksft_check "ksf is loaded and answers after the run" ksfctl info
rm -rf "$T"
ksft_dmesg_check "no kernel report"
ksft_done
