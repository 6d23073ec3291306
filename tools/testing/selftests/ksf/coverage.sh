#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make coverage: line and function coverage of kernel/ by the selftests.
#   coverage.sh [--no-build] [--from DIR] [--check] [TEST...]
# Builds ksf.ko for the debug kernel (CONFIG_GCOV_KERNEL: Kbuild sets
# GCOV_PROFILE, build/debug), runs the selftests (default: all; TEST as in
# run-selftests.sh) in one debug-kernel VM, copies the guest's gcov counts
# (/sys/kernel/debug/gcov, kept across the reloads of ksf.ko) to
# build/coverage/gcda, and with lcov prints the coverage per file of kernel/
# (KUnit suites excluded: they do not run here) and writes the HTML report
# to build/coverage/html/index.html.  --from DIR: only the report, from the
# counts of an earlier run in DIR.  A failing selftest does not stop the
# report; the status is the run's.  --check: also fail unless at least
# KSF_COVERAGE_MIN percent (default 90) of kernel/'s lines are reached and
# every line not reached is named with its reason in coverage-unreached.txt
# (coverage-check.py; make check runs --from the debug selftests' counts
# with --check).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

OUT=$KSF_BUILD/coverage
OBJ=$KSF_BUILD/debug
BUILD=1 FROM= CHECK=0 TESTS=()

parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		--no-build) BUILD=0 ;;
		--from) FROM=$2; shift ;;
		--check) CHECK=1 ;;
		-*) die "unknown option $1" ;;
		*) TESTS+=("$1") ;;
		esac
		shift
	done
}

build() {
	local kdir
	kdir=$("$KSF_ST/build-debug-kernel.sh")
	grep -qx 'CONFIG_GCOV_KERNEL=y' "$kdir/.config" \
		|| die "the debug kernel has no CONFIG_GCOV_KERNEL (debug.config)"
	make -C "$KSF_ROOT" module KDIR="$kdir" KSF_OUT=build/debug >"$OUT/build.log" 2>&1 \
		|| { tail -n 30 "$OUT/build.log"; die "ksf.ko does not build for the debug kernel"; }
	[ -n "$(find "$OBJ"/kernel -name '*.gcno' 2>/dev/null)" ] \
		|| die "no .gcno in $OBJ/kernel: ksf.ko not built with gcov (Kbuild GCOV_PROFILE)"
}

# Run the selftests with ksf's gcov counts saved to $OUT/gcda.
run() {
	local args=(--kernel debug --gcov "$OUT/gcda")
	[ "$BUILD" = 1 ] || args+=(--no-build)
	log "selftests on the debug kernel with gcov"
	"$KSF_ST/run-selftests.sh" "${args[@]}" "${TESTS[@]}" | tail -n 1
	return "${PIPESTATUS[0]}"
}

report() {
	local gcda=$1 tmp
	[ -n "$(find "$gcda"/kernel -name '*.gcda' 2>/dev/null)" ] || die "no counts in $gcda/kernel"
	tmp=$OUT/obj
	rm -rf "$tmp"; mkdir -p "$tmp"
	# the objects' notes (.gcno) and the run's counts (.gcda) side by side
	(cd "$OBJ" && find . -name '*.gcno' | cpio -pdm --quiet "$tmp")
	(cd "$gcda" && find . -name '*.gcda' | cpio -pdm --quiet "$tmp")
	lcov --quiet --capture --directory "$tmp" --base-directory "$OBJ" --gcov-tool gcov \
		--output-file "$OUT/all.info" 2>"$OUT/lcov.log" || { cat "$OUT/lcov.log"; die "lcov failed"; }
	lcov --quiet --extract "$OUT/all.info" "$OBJ/kernel/*" --output-file "$OUT/k.info" >>"$OUT/lcov.log" 2>&1
	lcov --quiet --remove "$OUT/k.info" "$OBJ/kernel/tests/*" --output-file "$OUT/kernel.info" \
		>>"$OUT/lcov.log" 2>&1
	genhtml --quiet --title "ksf kernel/ coverage" --prefix "$OBJ" --output-directory "$OUT/html" \
		"$OUT/kernel.info" >>"$OUT/lcov.log" 2>&1 || { tail "$OUT/lcov.log"; die "genhtml failed"; }
	per_file "$OUT/kernel.info"
	echo "HTML report: $OUT/html/index.html"
}

# Lines and functions hit/found per source file of an lcov trace, and total.
per_file() {
	printf '%-28s %17s %17s\n' file lines functions
	awk -v pre="$OBJ/" '
		function pct(h, n) { return n + 0 ? sprintf("%5.1f%%", 100 * h / n) : "    -" }
		function row(f, lh, lf, fh, ff) {
			printf "%-28s %s %5d/%-5d %s %4d/%-4d\n", f, pct(lh, lf), lh, lf, pct(fh, ff), fh, ff
		}
		/^SF:/ { f = substr($0, 4); sub(pre, "", f) }
		/^LF:/ { lf = substr($0, 4) } /^LH:/ { lh = substr($0, 4) }
		/^FNF:/ { ff = substr($0, 5) } /^FNH:/ { fh = substr($0, 5) }
		/^end_of_record/ { row(f, lh, lf, fh, ff); LH += lh; LF += lf; FH += fh; FF += ff
				   lh = lf = fh = ff = 0 }
		END { row("total", LH, LF, FH, FF) > "/dev/stderr" }' "$1" 2>"$OUT/total.txt" | sort
	cat "$OUT/total.txt"
}

main() {
	local rc=0
	parse_args "$@"
	command -v lcov >/dev/null && command -v genhtml >/dev/null \
		|| die "lcov missing (install-deps.sh)"
	cd "$KSF_ROOT"	# (the VM shares the current directory: $OUT must be in it)
	mkdir -p "$OUT"
	if [ -n "$FROM" ]; then
		report "$FROM"
	else
		[ "$BUILD" = 0 ] || build
		run || rc=$?
		report "$OUT/gcda"
	fi
	[ "$CHECK" = 0 ] || "$KSF_ST/coverage-check.py" "$OUT/kernel.info" "$KSF_ROOT" "$OBJ" \
		"$KSF_ST/coverage-unreached.txt" "${KSF_COVERAGE_MIN:-90}" || rc=1
	return $rc
}

main "$@"
