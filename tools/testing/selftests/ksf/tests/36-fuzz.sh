#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Spec-driven fuzzing (fuzz/, issue 11): ksf-fuzz sends messages built from
# the YNL spec (every op; valid ones, ones mutated at the boundaries of the
# spec's checks, truncated ones; service items of every service; sequences
# that reuse the peers, keys, contexts and saved chunks of earlier replies)
# and checks its invariants: no kernel report, no canary byte in any reply,
# event or the kernel log, ksf answering, get-info's counters equal to the
# dumps, every counter and mem back to 0 once every object is deleted.
#
# Messages: 100,000 on every kernel (KSF_FUZZ_COUNT overrides): ~100 s on
# the debug kernel (KASAN, lockdep, kmemleak; ~1,000 messages/s under TCG),
# ~15 s on the stock and 6.1 kernels (~7,000/s).  The seed is fixed
# (KSF_FUZZ_SEED overrides) so that make check is reproducible; `make fuzz`
# runs new seeds.  On a failure the shortest failing sequence is printed and
# can be replayed with ksf-fuzz --replay FILE.
#
# Then 4 processes at once (--procs; 8,000 messages on the debug kernel,
# 20,000 elsewhere): admins in two network namespaces and an nf peer under
# its own uid.  Then a self-check of the harness: a canary planted in the kernel log after
# every key-get must fail the run, shrink to one step and fail on replay.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n sh "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark

N=${KSF_FUZZ_COUNT:-100000}
SEED=${KSF_FUZZ_SEED:-11}
T=$(mktemp -d)

if ! command -v ksf-fuzz >/dev/null 2>&1; then
	ksft_fail "ksf-fuzz is on PATH"
	ksft_done
fi

t0=$(date +%s)
ksf-fuzz --seed "$SEED" --count "$N" --out "$T/replay" >"$T/out" 2>&1
rc=$?
t1=$(date +%s)
grep '^# [0-9]* messages\|^# ops\|^# services' "$T/out"
ksft_diag "fuzz run: $((t1 - t0)) s"
if [ $rc = 0 ]; then
	ksft_ok "ksf-fuzz seed $SEED, $N messages: no kernel report, no canary, counters match the dumps, empty at the end"
else
	ksft_fail "ksf-fuzz seed $SEED, $N messages: no kernel report, no canary, counters match the dumps, empty at the end" \
		"exit $rc; output:"
	grep -v '^#   ' "$T/out" | tail -n 80 | sed 's/^/#   | /'
	[ -f "$T/replay" ] && head -n 60 "$T/replay" | sed 's/^/#   replay | /'
fi
sent=$(sed -n 's/^# \([0-9]*\) messages.*/\1/p' "$T/out")
[ "${sent:-0}" -ge "$N" ] && ksft_ok "at least $N messages sent ($sent)" ||
	ksft_fail "at least $N messages sent" "${sent:-none}"
grep -qE '^# ops sent ([0-9]+)/\1([: ]|$)' "$T/out" && ksft_ok "every op of the spec was sent" ||
	ksft_fail "every op of the spec was sent" "$(grep '^# ops' "$T/out")"
grep -qE '^# services sent ([0-9]+)/\1,' "$T/out" && ksft_ok "every service was sent" ||
	ksft_fail "every service was sent" "$(grep '^# services' "$T/out")"
okd=$(sed -n 's/^# services sent [0-9]*\/[0-9]*, succeeded \([0-9]*\).*/\1/p' "$T/out")
[ "${okd:-0}" -ge 10 ] && ksft_ok "fuzzed items reached $okd services (>= 10 succeeded)" ||
	ksft_fail "fuzzed items reached >= 10 services" "${okd:-none}"

# several processes at once: admins in two network namespaces, an nf peer
# acting under its own uid; each logs its seed and steps
if [ "${KSF_KERNEL:-stock}" = debug ]; then
	P=${KSF_FUZZ_PROCS_COUNT:-8000}
else
	P=${KSF_FUZZ_PROCS_COUNT:-20000}
fi
ksf-fuzz --seed "$SEED" --procs 4 --count "$P" --out "$T/procs" >"$T/pout" 2>&1
prc=$?
grep '^# proc\|^# [0-9]* processes' "$T/pout"
[ $prc = 0 ] && [ -s "$T/procs.3" ] &&
	ksft_ok "4 processes, 2 namespaces, $P messages: no kernel report, no canary, empty at the end" ||
	{ ksft_fail "4 processes, 2 namespaces, $P messages: no kernel report, no canary, empty at the end" "exit $prc";
	  grep -v '^#   ' "$T/pout" | tail -n 30 | sed 's/^/#   | /'; }

# harness self-check: planted failure -> detected, shrunk, replayable
ksf-fuzz --seed "$SEED" --count 3000 --plant key-get --out "$T/plant" >"$T/pout" 2>&1
prc=$?
[ $prc = 1 ] && grep -q 'canary bytes in the kernel log' "$T/pout" &&
	ksft_ok "self-check: a planted canary fails the run" ||
	{ ksft_fail "self-check: a planted canary fails the run" "exit $prc"; tail -n 20 "$T/pout" | sed 's/^/#   | /'; }
steps=$(grep -c '^step ' "$T/plant" 2>/dev/null)
[ "${steps:-0}" = 1 ] && grep -q '^step .*# key-get' "$T/plant" &&
	ksft_ok "self-check: shrunk to the one key-get step" ||
	{ ksft_fail "self-check: shrunk to the one key-get step" "${steps:-no} steps"; sed 's/^/#   | /' "$T/plant" 2>/dev/null | head -20; }
ksf-fuzz --replay "$T/plant" --plant key-get >"$T/r1" 2>&1
r1=$?
ksf-fuzz --replay "$T/plant" >"$T/r2" 2>&1
r2=$?
[ $r1 = 1 ] && [ $r2 = 0 ] && ksft_ok "self-check: the replay file fails with the plant, passes without" ||
	ksft_fail "self-check: the replay file fails with the plant, passes without" "exit $r1 and $r2"
rm -rf "$T"
ksft_dmesg_check "no kernel report"
ksft_done
