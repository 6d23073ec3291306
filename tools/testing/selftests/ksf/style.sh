#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Style gate of the kernel module (make style):
#   - W=1 build with sparse (C=2) against the stock 6.12 headers: no warning
#   - scripts/checkpatch.pl --strict on the hand-written kernel sources
#     (kernel/**/*.[ch] but the KUnit vector tables, the harness test
#     module; not the generated kernel/netlink/ksf-nl-gen.[ch]): no
#     error, warning or check
# Every finding is printed; any finding fails.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

FAIL=0

w1_sparse() {
	local out=$KSF_BUILD/style kdir blog=$KSF_BUILD/style.log
	kdir=/usr/src/linux-headers-$(stock_kver)
	command -v sparse >/dev/null || die "sparse missing (install-deps.sh)"
	rm -rf "$out"
	log "W=1 + sparse (C=2) build against $kdir"
	if ! make -C "$KSF_ROOT" module KDIR="$kdir" KSF_OUT=build/style W=1 C=2 >"$blog" 2>&1; then
		tail -n 40 "$blog"
		echo "style: W=1/sparse build failed"
		FAIL=1
		return
	fi
	if grep -E 'warning:|error:|sparse:' "$blog" >/dev/null; then
		echo "style: W=1/sparse findings:"
		grep -E -A3 'warning:|error:|sparse:' "$blog" | sed 's/^/  /'
		FAIL=1
	else
		echo "style: W=1 and sparse clean"
	fi
}

checkpatch() {
	local files=() f out
	for f in $(find "$KSF_ROOT"/kernel -name '*.[ch]' ! -path '*/tests/*.h' | sort) \
		 "$KSF_ST"/modules/*/*.c; do
		[ -f "$f" ] || continue
		case $(basename "$f") in ksf-nl-gen.[ch]) continue ;; esac
		files+=("$f")
	done
	[ ${#files[@]} -gt 0 ] || { echo "style: no kernel source to check"; FAIL=1; return; }
	log "checkpatch --strict on ${#files[@]} files"
	if out=$(cd "$KSF_ROOT" && perl "$KSF_KSRC/scripts/checkpatch.pl" --strict --no-tree \
			--terse --show-types -f "${files[@]#"$KSF_ROOT"/}" 2>&1); then
		echo "style: checkpatch clean (${#files[@]} files)"
	else
		echo "style: checkpatch findings:"
		printf '%s\n' "$out" | grep -vE '^total: 0 errors, 0 warnings, 0 checks' | sed 's/^/  /'
		FAIL=1
	fi
}

main() {
	w1_sparse
	checkpatch
	[ $FAIL = 0 ] && echo "style: ok" || echo "style: FAILED"
	return $FAIL
}

main "$@"
