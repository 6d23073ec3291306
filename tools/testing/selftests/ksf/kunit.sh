#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run ksf.ko's KUnit suites: boot the debug kernel (CONFIG_KUNIT=y), load
# ksf.ko (its suites run on load and print KTAP on the console), take the
# KTAP out of the console log and parse it with the kernel's
# tools/testing/kunit/kunit.py parse.
#   kunit.sh [--no-build] [--counts FILE] [--log FILE]
# --log FILE: parse this console log instead of booting a VM.
# Fails if a case fails, if no KTAP is found, or on any kernel report.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

VMARGS=() COUNTS='' CONSOLE=''

parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		--no-build) VMARGS+=(--no-build) ;;
		--counts) COUNTS=$2; shift ;;
		--log) CONSOLE=$2; shift ;;
		*) die "unknown option $1" ;;
		esac
		shift
	done
}

# Kernel log lines after boot (the built-in, empty "1..0" KTAP document of
# the boot is skipped) without their timestamps: the module's KTAP.
extract_ktap() {
	tr -d '\r' <"$1" | sed -n '/Run \/init as init process/,$p' \
		| sed -n 's/^\[ *[0-9]*\.[0-9]*\] //p' >"$2"
	grep -q 'KTAP version' "$2"
}

# Count the cases of kunit.py's JSON (KernelCI format), recursively.
count_json() {
	"$KSF_PY" - "$1" <<-'PY'
	import json, sys
	c = {"PASS": 0, "FAIL": 0, "SKIP": 0, "ERROR": 0}
	def walk(g):
	    for t in g.get("test_cases", []):
	        c[t["status"]] = c.get(t["status"], 0) + 1
	    for s in g.get("sub_groups", []):
	        walk(s)
	walk(json.load(open(sys.argv[1])))
	print(c["PASS"], c["FAIL"] + c["ERROR"], c["SKIP"])
	PY
}

main() {
	local dir ktap json pass=0 fail=0 skip=0 rc=0 vmrc=0
	parse_args "$@"
	dir=$KSF_BUILD/vm-logs/kunit
	[ -z "$CONSOLE" ] || { CONSOLE=$(readlink -f "$CONSOLE"); dir=$(dirname "$CONSOLE"); }
	if [ -z "$CONSOLE" ]; then
		rm -rf "$dir"
		"$KSF_ST/vm-run" --debug-kernel "${VMARGS[@]}" --quiet --log-dir "$dir" \
			-- true || vmrc=$?
		CONSOLE=$dir/console.log
	fi
	mkdir -p "$dir"
	ktap=$dir/ktap.txt json=$dir/kunit.json
	if ! extract_ktap "$CONSOLE" "$ktap"; then
		echo "kunit: no KTAP output in $CONSOLE (suites not linked into ksf.ko? kernel without CONFIG_KUNIT?)"
		fail=1
	else
		"$KSF_PY" "$KSF_KSRC/tools/testing/kunit/kunit.py" parse --json="$json" "$ktap" \
			| sed 's/^/  /' || rc=$?
		read -r pass fail skip < <(count_json "$json")
		[ "$rc" = 0 ] || [ "$fail" != 0 ] || { echo "kunit: kunit.py parse failed (status $rc)"; fail=1; }
		[ $((pass + fail + skip)) -gt 0 ] || { echo "kunit: KTAP without any test case"; fail=1; }
	fi
	if [ "$vmrc" != 0 ]; then
		echo "kunit: the VM run failed (status $vmrc, see $dir)"
		fail=$((fail + 1))
	fi
	[ -z "$COUNTS" ] || printf 'passed=%s\nfailed=%s\nskipped=%s\n' "$pass" "$fail" "$skip" >"$COUNTS"
	[ "$skip" = 0 ] || echo "kunit: $skip skipped (not counted as passed)"
	echo "kunit: $pass passed, $fail failed"
	[ "$fail" = 0 ]
}

main "$@"
