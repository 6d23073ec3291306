#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make check: the whole gate, on a fresh Debian 12 as root.
#   deps -> build (stock 6.12, Debian 12's 6.1, debug and KCSAN kernels +
#   module, user, progs, harness module) -> style -> spec-check -> user
#   unit tests (libksf, ksfctl) -> libksf ABI (abidiff) -> KUnit
#   (debug kernel) -> selftests (stock kernel) -> selftests (6.1 kernel)
#   -> selftests (debug kernel: KASAN, UBSAN, lockdep, kmemleak; gcov)
#   -> coverage of kernel/ by them (>= 90% of lines, every line not
#   reached named with its reason: coverage-unreached.txt)
#   -> concurrency selftests (KCSAN kernel) -> harness self-test
# Counts every KUnit case, every selftest TAP case of all three kernels, the
# harness cases and one case per step; ends with "total: N passed, N failed"
# and a non-zero status on any failure.  Logs: build/check/.
#   check.sh [--no-debug]   --no-debug: skip the debug-kernel stages (quick)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

LOGS=$KSF_BUILD/check
PASS=0 FAIL=0 SKIPPED=0 DEBUG=1
SUMMARY=() FAILED=()

record() {	# record NAME PASSED FAILED SKIPPED SECONDS
	PASS=$((PASS + $2)) FAIL=$((FAIL + $3)) SKIPPED=$((SKIPPED + $4))
	SUMMARY+=("$(printf '%-28s %4s passed %4s failed%s  (%ss)' "$1" "$2" "$3" \
		"$([ "$4" = 0 ] && echo || echo " $4 skipped")" "$5")")
}

banner() { printf '\n######## %s ########\n' "$*"; }

# A step: one case, passed iff the command succeeds; output to the console
# and to build/check/<name>.log.
step() {
	local name=$1 t0=$SECONDS rc=0
	shift
	banner "$name"
	"$@" 2>&1 | tee "$LOGS/$name.log" || rc=$?
	if [ $rc = 0 ]; then
		record "$name" 1 0 0 $((SECONDS - t0))
	else
		echo "check: step $name FAILED (status $rc, log: $LOGS/$name.log)"
		record "$name" 0 1 0 $((SECONDS - t0))
		FAILED+=("$name")
	fi
	return $rc
}

# A counted stage: its cases come from the --counts file it writes.
counted() {
	local name=$1 t0=$SECONDS rc=0 c=$LOGS/$1.counts p=0 f=0 s=0
	shift
	banner "$name"
	rm -f "$c"
	"$@" --counts "$c" 2>&1 | tee "$LOGS/$name.log" || rc=$?
	if [ -f "$c" ]; then
		p=$(sed -n 's/^passed=//p' "$c") f=$(sed -n 's/^failed=//p' "$c")
		s=$(sed -n 's/^skipped=//p' "$c")
	fi
	if [ $rc != 0 ] && [ "$f" = 0 ]; then
		f=1	# failed without a counted case: count the stage itself
		echo "check: $name FAILED (status $rc, log: $LOGS/$name.log)"
	fi
	[ "$f" = 0 ] || FAILED+=("$name")
	record "$name" "$p" "$f" "$s" $((SECONDS - t0))
}

not_run() { record "$1" 0 1 0 0; echo "check: $1 not run: $2"; }

mk() { make -C "$KSF_ROOT" "$@"; }

# (set -e does not apply in functions run as part of "||": chain explicitly.)
build_all() {
	local kver kdir61
	# the 6.1 module is built against the headers of the 6.1 VM kernel
	kver=$(stock_kver) && kdir61=/usr/src/linux-headers-$(kver_6_1) || return 1
	mk module KDIR="/usr/src/linux-headers-$kver" KSF_OUT=build/stock || return 1
	mk module KDIR="$kdir61" KSF_OUT=build/6.1 || return 1
	mk user || return 1
	if [ -f "$KSF_ST/progs/Makefile" ]; then make -C "$KSF_ST/progs" || return 1; fi
	make -C "$KSF_ST/modules/warn" KDIR="/usr/src/linux-headers-$kver" \
		OUT="$KSF_BUILD/harness/stock" || return 1
	make -C "$KSF_ST/modules/warn" KDIR="$kdir61" OUT="$KSF_BUILD/harness/6.1"
}

build_debug() {
	local dkdir
	dkdir=$("$KSF_ST/build-debug-kernel.sh") || return 1
	mk module KDIR="$dkdir" KSF_OUT=build/debug || return 1
	make -C "$KSF_ST/modules/warn" KDIR="$dkdir" OUT="$KSF_BUILD/harness/debug"
}

build_kcsan() {
	local kkdir
	kkdir=$("$KSF_ST/build-debug-kernel.sh" --kcsan) || return 1
	mk module KDIR="$kkdir" KSF_OUT=build/kcsan || return 1
	make -C "$KSF_ST/modules/warn" KDIR="$kkdir" OUT="$KSF_BUILD/harness/kcsan"
}

# The concurrency selftests on the KCSAN kernel (see README: a race with a
# ksf frame fails, the others are listed).
KCSAN_TESTS=(04-rmmod-clients 05-netns-teardown 13-service 23-aka-concurrent 32-races 37-fuzz-chaos)

main() {
	local t0=$SECONDS built=1 dbuilt=1 kbuilt=1
	[ "${1:-}" = --no-debug ] && DEBUG=0
	mkdir -p "$LOGS"
	step deps "$KSF_ST/install-deps.sh" || { not_run build "no dependencies"; finish; }
	step build build_all || built=0
	if [ $DEBUG = 1 ]; then
		step build-debug build_debug || dbuilt=0
		step build-kcsan build_kcsan || kbuilt=0
	fi
	step style "$KSF_ST/style.sh" || true
	step spec-check mk spec-check || true
	# libksf: its unit tests and its ABI against the committed baseline
	step user-check make -C "$KSF_ROOT/user" check || true
	step abi-check make -C "$KSF_ROOT/user" abi-check || true
	if [ $DEBUG = 1 ]; then
		if [ $dbuilt = 1 ]; then
			counted kunit "$KSF_ST/kunit.sh" --no-build
		else
			not_run kunit "debug build failed"
		fi
	fi
	if [ $built = 1 ]; then
		counted selftests-stock "$KSF_ST/run-selftests.sh" --no-build
	else
		not_run selftests-stock "build failed"
	fi
	if [ $built = 1 ]; then
		counted selftests-6.1 "$KSF_ST/run-selftests.sh" --kernel 6.1 --no-build
	else
		not_run selftests-6.1 "build failed"
	fi
	if [ $DEBUG = 1 ]; then
		if [ $built = 1 ] && [ $dbuilt = 1 ]; then
			counted selftests-debug "$KSF_ST/run-selftests.sh" --debug-kernel --no-build \
				--gcov "$KSF_BUILD/coverage/gcda"
			step coverage "$KSF_ST/coverage.sh" --from "$KSF_BUILD/coverage/gcda" --check \
				|| true
		else
			not_run selftests-debug "build failed"
		fi
	fi
	if [ $DEBUG = 1 ]; then
		if [ $built = 1 ] && [ $kbuilt = 1 ]; then
			counted selftests-kcsan "$KSF_ST/run-selftests.sh" --kernel kcsan --no-build \
				"${KCSAN_TESTS[@]}"
		else
			not_run selftests-kcsan "build failed"
		fi
	fi
	if [ $built = 1 ] && [ $dbuilt = 1 ] && [ $kbuilt = 1 ]; then
		local hs=(--no-build)
		[ $DEBUG = 1 ] || hs+=(--no-debug)
		counted harness-selftest "$KSF_ST/harness-selftest.sh" "${hs[@]}"
	else
		not_run harness-selftest "build failed"
	fi
	finish $((SECONDS - t0))
}

# The lines that say why a failed step failed, repeated next to the summary
# (a CI page that shows only the end of the output still shows them).
why_failed() {
	local log=$LOGS/$1.log
	[ -f "$log" ] || return 0
	echo "  -- $1 failed; from $log:"
	{ grep -E '^ *(NOT OK|not ok|coverage: FAIL| +kernel/|check: )' "$log" \
		|| tail -n 5 "$log"; } | head -n 20 | sed 's/^/     /'
}

finish() {
	local s
	banner "summary"
	printf '  %s\n' "${SUMMARY[@]}"
	for s in "${FAILED[@]}"; do why_failed "$s"; done
	[ $SKIPPED = 0 ] || echo "  ($SKIPPED skipped cases, not counted as passed)"
	echo "  logs: $LOGS, VM logs: $KSF_BUILD/vm-logs"
	[ -z "${1:-}" ] || echo "  time: ${1}s"
	echo "total: $PASS passed, $FAIL failed"
	[ $FAIL = 0 ] && exit 0 || exit 1
}

main "$@"
