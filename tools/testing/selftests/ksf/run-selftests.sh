#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the ksf selftests (tests/*.sh, TAP) in one VM and aggregate them.
#   run-selftests.sh [--kernel stock|6.1|debug|kcsan] [--debug-kernel] [--no-build]
#                    [--counts FILE] [--gcov DIR] [TEST...]
#   run-selftests.sh --from-log DIR [--kernel K]   tally an earlier run
# --kernel: the VM kernel as in vm-run (default stock: Debian's 6.12; 6.1:
# Debian 12's default kernel; --debug-kernel = --kernel debug; kcsan: the
# KCSAN kernel).
# TEST: a file name under tests/ (with or without .sh); default: all.
# Besides the TAP cases of the tests, three harness cases are counted: the
# VM finished (no crash, no timeout), the kernel log is clean, and (debug
# kernel) kmemleak suspects no leak or (KCSAN kernel) no data race report
# has a frame in ksf; KCSAN reports without one are listed, not counted.  A test printing only the TAP plan
# "1..0 # reason" (and exiting 0) is reported as skipped: skips are listed,
# never counted as passed.  --counts FILE receives
# "passed=N failed=N skipped=N".  --gcov DIR (debug kernel, CONFIG_GCOV_KERNEL):
# after the tests, unload ksf and copy its gcov counts to DIR (under the
# current directory, which the VM shares) for coverage.sh --from DIR.
# The last line is "<label>: N passed, N failed".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

KERNEL=stock VMARGS=() COUNTS= TESTS=() FROM= GCOV=
PASS=0 FAIL=0 SKIP=0

parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		--debug-kernel) KERNEL=debug ;;
		--kernel) KERNEL=$2; shift ;;
		--no-build) VMARGS+=(--no-build) ;;
		--counts) COUNTS=$2; shift ;;
		--from-log) FROM=$2; shift ;;
		--gcov) GCOV=$(readlink -m "$2"); shift ;;
		-*) die "unknown option $1" ;;
		*) TESTS+=("$1") ;;
		esac
		shift
	done
	case $KERNEL in
	stock|6.1|debug|kcsan) VMARGS+=(--kernel "$KERNEL") ;;
	*) die "unknown kernel $KERNEL (stock, 6.1, debug or kcsan)" ;;
	esac
}

case_ok() { PASS=$((PASS + 1)); echo "  ok      $1"; }
case_fail() { FAIL=$((FAIL + 1)); echo "  NOT OK  $1"; }
case_skip() { SKIP=$((SKIP + 1)); echo "  SKIP    $1"; }

# Count one test's TAP lines (file $2) and print them; $1: test name, $3: rc.
tally_test() {
	local name=$1 out=$2 rc=$3 line n=0 bad=0
	echo "$name:"
	while IFS= read -r line; do
		case $line in
		"ok "*"# SKIP"*|"ok "*"# skip"*) case_skip "$name: ${line#ok }"; n=$((n + 1)) ;;
		"ok "*) case_ok "$name: ${line#ok }"; n=$((n + 1)) ;;
		"not ok "*) case_fail "$name: ${line#not ok }"; n=$((n + 1)); bad=1 ;;
		esac
	done <"$out"
	if [ "$bad" = 1 ]; then
		{ grep -E '^#' "$out" | grep -vE '^# KSF-TEST' | sed 's/^/          /' | head -n 40; } || true
	fi
	if [ $n = 0 ] && [ "$rc" = 0 ] && grep -qE '^1\.\.0 *#' "$out"; then
		# TAP "skip all" plan, e.g. a test that needs the debug kernel
		case_skip "$name: whole file: $(grep -E '^1\.\.0 *#' "$out" | head -n1 | sed 's/^1\.\.0 *# *//')"
	elif [ $n = 0 ]; then
		case_fail "$name: no TAP result (exit status $rc)"
		sed 's/^/          | /' "$out" | tail -n 20
	elif [ "$rc" != 0 ] && { [ $bad = 0 ] || [ "${rc#unfinished}" != "$rc" ]; }; then
		case_fail "$name: exited with status $rc after $n passing case(s)"
		sed 's/^/          | /' "$out" | tail -n 20
	fi
}

# Split the VM output into one file per test and tally each.
tally_output() {
	local out=$1 dir=$2 name= line rc
	while IFS= read -r line; do
		case $line in
		"# KSF-TEST-BEGIN "*) name=${line#\# KSF-TEST-BEGIN }; : >"$dir/$name.tap" ;;
		"# KSF-TEST-END "*)
			rc=${line##*rc=}
			tally_test "$name" "$dir/$name.tap" "$rc"
			name= ;;
		*) [ -z "$name" ] || printf '%s\n' "$line" >>"$dir/$name.tap" ;;
		esac
	done < <(tr -d '\r' <"$out")
	if [ -n "$name" ]; then
		tally_test "$name" "$dir/$name.tap" "unfinished (VM crashed or timed out)"
	fi
}

harness_cases() {
	local dir=$1 status
	status=$(sed -n 's/^status=//p' "$dir/result" 2>/dev/null || echo crash)
	echo "harness ($KERNEL kernel):"
	if grep -qE '^status=(timeout|crash)' "$dir/result" 2>/dev/null || [ ! -f "$dir/result" ]; then
		case_fail "vm: finished without crash or timeout ($status, see $dir/console.log)"
	else
		case_ok "vm: finished without crash or timeout"
	fi
	if [ -s "$dir/problems.txt" ]; then
		case_fail "vm: kernel log clean (no WARNING/BUG/KASAN/lockdep report)"
		echo "          reports by test:"
		awk -v re="$KERNEL_BAD_RE" '/ksf-selftest: begin /{ t = $NF } $0 ~ re && !/Call Trace/ && !/BUG: KCSAN: / {
			sub(/^\[ *[0-9.]*\] /, ""); print "            " (t == "" ? "(before the tests)" : t) ": " $0 }' \
			"$dir/console.log" | head -n 20
		sed 's/^/          /' "$dir/problems.txt" | head -n 60
	else
		case_ok "vm: kernel log clean (no WARNING/BUG/KASAN/lockdep report)"
	fi
	[ "$KERNEL" != kcsan ] || kcsan_cases "$dir"
	if [ "$KERNEL" = debug ]; then
		if [ -s "$dir/kmemleak.txt" ]; then
			case_fail "vm: kmemleak: no suspected leak"
			sed 's/^/          | /' "$dir/kmemleak.txt" | head -n 60
		elif grep -q '^KSF-KMEMLEAK-END' "$dir/console.log"; then
			case_ok "vm: kmemleak: no suspected leak"
		else
			case_fail "vm: kmemleak: scan did not complete"
		fi
	fi
}

# KCSAN kernel: the races with a ksf frame fail (one case), by test; the
# others are listed.
kcsan_cases() {
	local dir=$1
	[ -f "$dir/kcsan-ksf.txt" ] || kcsan_split "$dir/console.log" "$dir"
	if [ -s "$dir/kcsan-ksf.txt" ]; then
		case_fail "vm: KCSAN: no data race with a frame in ksf"
		echo "          reports by test:"
		kcsan_by_test "$dir/console.log" | head -n 20
		sed 's/^/          | /' "$dir/kcsan-ksf.txt" | head -n 80
	else
		case_ok "vm: KCSAN: no data race with a frame in ksf"
	fi
	if [ -s "$dir/kcsan-other.txt" ]; then
		echo "  note: KCSAN races without a ksf frame (not counted; $dir/kcsan-other.txt):"
		kcsan_headlines "$dir/kcsan-other.txt" | sort | uniq -c | sed 's/^/          /'
	fi
}

# "test: headline" of every KCSAN report of a console log.
kcsan_by_test() {
	tr -d '\r' <"$1" | awk '/ksf-selftest: begin /{ t = $NF } /BUG: KCSAN: /{
		sub(/^.*BUG: KCSAN: /, ""); print "            " (t == "" ? "(before the tests)" : t) ": " $0 }'
}

# The guest's commands after run-tests that save ksf's gcov counts (debugfs
# path = the objects' absolute path on the host) to $GCOV; status kept.
gcov_copy() {
	[ -n "$GCOV" ] || return 0
	case $GCOV in "$PWD"/*) ;; *) die "--gcov $GCOV: not under $PWD (shared with the VM)" ;; esac
	local g="/sys/kernel/debug/gcov$KSF_BUILD/$KERNEL"
	rm -rf "$GCOV"
	mkdir -p "$GCOV"
	printf '%s' "; rc=\$?
		rmmod ksf 2>/dev/null	# (counts of an unloaded module are kept)
		cd $g && for f in \$(find . -name '*.gcda'); do
			mkdir -p $GCOV/\${f%/*}; cat \$f >$GCOV/\$f; done
		exit \$rc"
}

main() {
	local dir rc=0
	parse_args "$@"
	if [ -n "$FROM" ]; then
		dir=$FROM
	else
		dir=$KSF_BUILD/vm-logs/selftests-$KERNEL
		rm -rf "$dir"
		[ -z "$GCOV" ] || cd "$KSF_ROOT"
		log "selftests on the $KERNEL kernel (logs: $dir)"
		# The whole suite runs in one VM: ~7 min (stock, 6.1) to
		# ~28 min (debug: KASAN, lockdep, kmemleak, gcov) on an idle
		# machine, more on a loaded one; a hung test is stopped by its
		# own timeout (600 s).
		local limit=2400
		[ "$KERNEL" != debug ] || limit=3600
		"$KSF_ST/vm-run" "${VMARGS[@]}" --no-kunit --quiet --log-dir "$dir" \
			--timeout "${KSF_SUITE_TIMEOUT:-$limit}" \
			-- "run-tests ${TESTS[*]}$(gcov_copy)" || rc=$?
	fi
	rm -rf "$dir/tap"
	mkdir -p "$dir/tap"
	[ -f "$dir/output.log" ] || die "the VM did not run (status $rc)"
	tally_output "$dir/output.log" "$dir/tap"
	harness_cases "$dir"
	[ -z "$COUNTS" ] || printf 'passed=%s\nfailed=%s\nskipped=%s\n' $PASS $FAIL $SKIP >"$COUNTS"
	[ $SKIP = 0 ] || echo "selftests($KERNEL): $SKIP skipped (not counted as passed)"
	echo "selftests($KERNEL): $PASS passed, $FAIL failed"
	[ $FAIL = 0 ]
}

main "$@"
