#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Prove that the harness fails what it must fail.  Each case provokes one
# failure on purpose; the case passes when the harness reports it:
#   1. a module that WARNs on load (stock kernel, and Debian 12's 6.1)
#                                                    -> vm-run fails, WARNING shown
#   2. a command exiting 3                           -> vm-run exits 3
#   3. a command outliving --timeout                 -> vm-run exits 124
#   4. a module leaking memory (debug kernel)        -> kmemleak report fails the run
#   4b. a module shifting 1 << 40 (debug kernel)     -> UBSAN report fails the run
#   4c. a module racing on a plain int (KCSAN kernel) -> KCSAN report with a frame
#      in the module ([ksf_warn_test]) fails the run
#   5. a failing TAP case                            -> run-selftests.sh fails, counts it
#   6. a failing KUnit case                          -> kunit.sh fails, counts it
#   7. make install DESTDIR=D (host, stock headers)  -> everything under D, the
#      module in D/lib/modules/KVER/updates with D's modules.dep; the host's
#      /lib/modules/KVER unchanged
#   harness-selftest.sh [--no-build] [--no-debug] [--counts FILE]
# (--no-debug: without the cases of the debug and KCSAN kernels)
# The output of each deliberate failure is kept in build/harness-selftest/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

OUT=$KSF_BUILD/harness-selftest
BUILD=1 DEBUG=1 COUNTS='' PASS=0 FAIL=0

case_ok() { PASS=$((PASS + 1)); echo "  ok      harness: $1"; }
case_fail() { FAIL=$((FAIL + 1)); echo "  NOT OK  harness: $1"; }

# Build the misbehaving module for one kernel: build/harness/<kernel>/.
build_warn() {
	local kernel=$1 kdir=$2
	make -C "$KSF_ST/modules/warn" KDIR="$kdir" OUT="$KSF_BUILD/harness/$kernel" \
		>"$OUT/build-$kernel.log" 2>&1 \
		|| { cat "$OUT/build-$kernel.log"; die "harness test module does not build for $kernel"; }
}

# vm-run "$@" into $OUT/$name.out (stdout+stderr), its status in $RC.
vm() {
	local name=$1
	shift
	RC=0
	"$KSF_ST/vm-run" --no-build --log-dir "$OUT/$name" "$@" >"$OUT/$name.out" 2>&1 || RC=$?
}

# t_warn KERNEL (stock or 6.1)
t_warn() {
	local k=$1 n=warn-$1
	vm "$n" --kernel "$k" --no-ksf --extra-ko "$KSF_BUILD/harness/$k/ksf_warn_test.ko" \
		-- insmod /ksf/ko/ksf_warn_test.ko
	if [ "$RC" != 0 ] && grep -q 'WARNING:' "$OUT/$n/problems.txt" \
	   && grep -q "kernel=$(kver_of "$k")" "$OUT/$n/result" \
	   && grep -q 'vm-run: FAIL: kernel problems' "$OUT/$n.out"; then
		case_ok "a WARN_ON in a module fails the run ($k kernel, status $RC)"
	else
		case_fail "a WARN_ON in a module fails the run ($k kernel, status $RC, see $OUT/$n.out)"
	fi
}

kver_of() { if [ "$1" = 6.1 ]; then kver_6_1; else stock_kver; fi; }

t_status() {
	vm status --no-ksf -- 'echo about to fail; exit 3'
	if [ "$RC" = 3 ] && grep -q 'about to fail' "$OUT/status.out"; then
		case_ok "the command's exit status (3) is vm-run's"
	else
		case_fail "the command's exit status (3) is vm-run's (got $RC)"
	fi
}

t_timeout() {
	vm timeout --no-ksf --timeout 40 -- 'sleep 600'
	if [ "$RC" = 124 ] && grep -q 'FAIL: timeout' "$OUT/timeout.out"; then
		case_ok "a hung command is killed at --timeout (status 124)"
	else
		case_fail "a hung command is killed at --timeout (got $RC)"
	fi
}

t_leak() {
	vm leak --debug-kernel --no-ksf --extra-ko "$KSF_BUILD/harness/debug/ksf_warn_test.ko" \
		-- insmod /ksf/ko/ksf_warn_test.ko warn=0 leak=1
	# (the allocating init function is freed by then: no symbol in the trace)
	if [ "$RC" != 0 ] && grep -q 'unreferenced object .* (size 256)' "$OUT/leak/kmemleak.txt" \
	   && grep -q 'comm "insmod"' "$OUT/leak/kmemleak.txt" \
	   && [ ! -s "$OUT/leak/problems.txt" ]; then
		case_ok "a leaked allocation is reported by kmemleak and fails the run"
	else
		case_fail "a leaked allocation is reported by kmemleak and fails the run (status $RC, see $OUT/leak.out)"
	fi
}

t_ubsan() {
	vm ubsan --debug-kernel --no-ksf --extra-ko "$KSF_BUILD/harness/debug/ksf_warn_test.ko" \
		-- insmod /ksf/ko/ksf_warn_test.ko warn=0 shift=40
	if [ "$RC" != 0 ] && grep -q 'UBSAN: shift-out-of-bounds in .*ksf_warn_test.c' "$OUT/ubsan/problems.txt" \
	   && grep -q 'vm-run: FAIL: kernel problems' "$OUT/ubsan.out"; then
		case_ok "a UBSAN report (shift out of bounds) fails the run (debug kernel)"
	else
		case_fail "a UBSAN report (shift out of bounds) fails the run (status $RC, see $OUT/ubsan.out)"
	fi
}

t_kcsan() {
	vm kcsan --kernel kcsan --no-ksf --extra-ko "$KSF_BUILD/harness/kcsan/ksf_warn_test.ko" \
		-- insmod /ksf/ko/ksf_warn_test.ko warn=0 race=1
	if [ "$RC" != 0 ] && grep -q 'BUG: KCSAN: data-race in ksf_warn_test' "$OUT/kcsan/kcsan-ksf.txt" \
	   && grep -q 'kcsan_ksf=[1-9]' "$OUT/kcsan/result" \
	   && grep -q 'vm-run: FAIL: KCSAN' "$OUT/kcsan.out" && [ ! -s "$OUT/kcsan/problems.txt" ]; then
		case_ok "a KCSAN data race in a ksf module fails the run (KCSAN kernel)"
	else
		case_fail "a KCSAN data race in a ksf module fails the run (status $RC, see $OUT/kcsan.out)"
	fi
}

t_tap() {
	local d=$OUT/tap rc=0
	rm -rf "$d"; mkdir -p "$d"
	printf '%s\n' '# KSF-TEST-BEGIN 99-fake.sh' 'ok 1 fine' 'not ok 2 broken on purpose' \
		'# KSF-TEST-END 99-fake.sh rc=1' >"$d/output.log"
	printf 'status=ok\n' >"$d/result"
	: >"$d/console.log"; : >"$d/problems.txt"
	"$KSF_ST/run-selftests.sh" --from-log "$d" >"$OUT/tap.out" 2>&1 || rc=$?
	if [ "$rc" != 0 ] && tail -n1 "$OUT/tap.out" | grep -q ': 3 passed, 1 failed$'; then
		case_ok "a failing TAP case fails run-selftests.sh and is counted"
	else
		case_fail "a failing TAP case fails run-selftests.sh and is counted (see $OUT/tap.out)"
	fi
}

t_kunit() {
	local c=$OUT/kunit-console.log rc=0
	printf '%s\n' '[    1.000000] Run /init as init process' \
		'[    2.000000] KTAP version 1' '[    2.000001] 1..1' \
		'[    2.000002]     KTAP version 1' '[    2.000003]     # Subtest: fake' \
		'[    2.000004]     1..2' '[    2.000005]     ok 1 fine' \
		'[    2.000006]     # broken: EXPECTATION FAILED at fake.c:1' \
		'[    2.000007]     not ok 2 broken' '[    2.000008] not ok 1 fake' >"$c"
	"$KSF_ST/kunit.sh" --log "$c" >"$OUT/kunit.out" 2>&1 || rc=$?
	if [ "$rc" != 0 ] && tail -n1 "$OUT/kunit.out" | grep -q '^kunit: 1 passed, 1 failed$'; then
		case_ok "a failing KUnit case fails kunit.sh and is counted"
	else
		case_fail "a failing KUnit case fails kunit.sh and is counted (see $OUT/kunit.out)"
	fi
}

# Snapshot of a directory tree: path, size, mtime of every entry.
tree_state() { find "$1" -printf '%p %s %T@\n' 2>/dev/null | sort; }

t_install() {
	local d=$OUT/install src dest kver mods before rc=0 bad=
	kver=$(stock_kver)
	mods=/lib/modules/$kver
	src=$d/src dest=$d/dest
	rm -rf "$d"; mkdir -p "$src" "$dest"
	# a copy of the tree: the in-tree module build leaves objects behind
	rsync -a --exclude=/build --exclude=/.git "$KSF_ROOT/" "$src/"
	before=$(tree_state "$mods")
	make -C "$src" install KDIR="/usr/src/linux-headers-$kver" \
		DESTDIR="$dest" PREFIX=/usr >"$OUT/install.out" 2>&1 || rc=$?
	[ "$rc" = 0 ] || bad="make install failed (status $rc)"
	[ -n "$bad" ] || ls "$dest$mods/updates/"ksf.ko* >/dev/null 2>&1 \
		|| bad="no ksf.ko under DESTDIR$mods/updates"
	[ -n "$bad" ] || grep -q '^updates/ksf\.ko[^:]*:' "$dest$mods/modules.dep" \
		|| bad="DESTDIR's modules.dep does not list updates/ksf.ko"
	if [ -z "$bad" ] && { [ ! -x "$dest/usr/sbin/ksfctl" ] ||
			      [ ! -f "$dest/usr/include/linux/ksf.h" ]; }; then
		bad="ksfctl or the uapi header not under DESTDIR/usr"
	fi
	[ "$(tree_state "$mods")" = "$before" ] \
		|| bad="${bad:+$bad; }the host's $mods changed"
	if [ -z "$bad" ]; then
		case_ok "make install DESTDIR= writes only under DESTDIR (module, depmod -b)"
		rm -rf "$src"
	else
		case_fail "make install DESTDIR= writes only under DESTDIR: $bad (see $OUT/install.out)"
	fi
}

main() {
	while [ $# -gt 0 ]; do
		case $1 in
		--no-build) BUILD=0 ;;
		--no-debug) DEBUG=0 ;;
		--counts) COUNTS=$2; shift ;;
		*) die "unknown option $1" ;;
		esac
		shift
	done
	rm -rf "$OUT"; mkdir -p "$OUT"
	if [ "$BUILD" = 1 ]; then
		build_warn stock "/usr/src/linux-headers-$(stock_kver)"
		build_warn 6.1 "/usr/src/linux-headers-$(kver_6_1)"
		[ "$DEBUG" = 0 ] || build_warn debug "$("$KSF_ST/build-debug-kernel.sh")"
		[ "$DEBUG" = 0 ] || build_warn kcsan "$("$KSF_ST/build-debug-kernel.sh" --kcsan)"
	fi
	echo "harness self-test (each case provokes a failure on purpose):"
	t_tap
	t_kunit
	t_install
	t_warn stock
	t_warn 6.1
	t_status
	t_timeout
	[ "$DEBUG" = 0 ] || t_leak
	[ "$DEBUG" = 0 ] || t_ubsan
	[ "$DEBUG" = 0 ] || t_kcsan
	[ -z "$COUNTS" ] || printf 'passed=%s\nfailed=%s\nskipped=0\n' $PASS $FAIL >"$COUNTS"
	echo "harness-selftest: $PASS passed, $FAIL failed"
	[ $FAIL = 0 ]
}

main "$@"
