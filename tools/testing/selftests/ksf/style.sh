#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Style gate of the kernel module (make style):
#   - W=1 build with sparse (C=2) against the stock 6.12 headers: no warning
#   - scripts/checkpatch.pl --strict on the hand-written kernel sources
#     (kernel/**/*.[ch] but the KUnit vector tables, the harness test
#     module; not the generated kernel/netlink/ksf-nl-gen.[ch]): no
#     error, warning or check
#   - layering of kernel/ (Documentation/architecture.rst): an #include
#     that goes upward fails.  Layers, bottom to top: crypto/ < core/
#     (and ksf.h, the instance) < services/ < engine/ < state/ = netlink/
#     < main.c.  state/ is above core; today it shares the transport's
#     rank (save and restore are netlink commands whose records are
#     attributes).  LAYER_KNOWN lists upward includes still allowed
#     (none today).
#   - netlink confinement: a use of nlattr/KSF_A_ outside the transport
#     (kernel/netlink/, its generated code), the save-record codec
#     (kernel/state/) and the KUnit suites fails.  The objects' records
#     are the transport's (netlink/objects.c); the core reports errors
#     through an extack's message only.
#   style.sh --layers: only the two kernel/ checks (no build).
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
		case $(basename "$f") in ksf-nl-gen.[ch] | ksf-svc-gen.[ch] | ksf-svc-args.[ch] | ksf-registry-gen.c) continue ;; esac
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

# The rank of a file of kernel/ (empty: not in a layer, e.g. KUnit suites).
layer_rank() {
	case $1 in
	kernel/crypto/*) echo 0 ;;
	kernel/ksf.h | kernel/core/*) echo 1 ;;
	kernel/services/*) echo 2 ;;
	kernel/engine/*) echo 3 ;;
	kernel/state/* | kernel/netlink/*) echo 4 ;;
	kernel/main.c) echo 5 ;;
	esac
}

# Upward includes still allowed, as "includer -> included": none since
# the typed requests (issue 12 phase B) moved policy parsing into the
# transport.
LAYER_KNOWN=()

# The file an #include "..." of @1 names, relative to the root, if ksf's.
include_target() {
	local dir=${1%/*} inc=$2 t
	for t in "$dir/$inc" "kernel/$inc" "$inc"; do
		t=$(realpath -m --relative-to="$KSF_ROOT" "$KSF_ROOT/$t")
		[ -f "$KSF_ROOT/$t" ] && { echo "$t"; return; }
	done
}

layering() {
	local f rf inc t r rt bad=0 known=0 n=0 k edge
	while IFS= read -r f; do
		rf=${f#"$KSF_ROOT"/}
		r=$(layer_rank "$rf")
		[ -n "$r" ] || continue
		n=$((n + 1))
		while IFS= read -r inc; do
			t=$(include_target "$rf" "$inc")
			[ -n "$t" ] || continue
			rt=$(layer_rank "$t")
			[ -n "$rt" ] && [ "$rt" -gt "$r" ] || continue
			edge="$rf -> $t"
			k=
			for k in "${LAYER_KNOWN[@]}"; do
				[ "$k" = "$edge" ] && break
			done
			if [ -n "$k" ] && [ "$k" = "$edge" ]; then
				echo "style: known upward include (phase B removes it): $edge"
				known=$((known + 1))
			else
				echo "style: upward include: $edge"
				bad=$((bad + 1))
			fi
		done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
	done < <(find "$KSF_ROOT/kernel" -name '*.[ch]' | sort)
	if [ $bad -gt 0 ]; then
		echo "style: layering FAILED ($bad upward includes)"
		FAIL=1
	else
		echo "style: layering clean ($n files, $known known upward includes)"
	fi
}

# Netlink (nlattr, KSF_A_*) outside the transport, its generated code and
# the save-record codec fails.
netlink_confined() {
	local f rf c bad=0
	while IFS= read -r f; do
		rf=${f#"$KSF_ROOT"/}
		case $rf in kernel/netlink/* | kernel/state/* | kernel/tests/*) continue ;; esac
		c=$(grep -cE 'nlattr|KSF_A_' "$f" || true)
		[ "$c" -gt 0 ] || continue
		echo "style: netlink outside the transport: $rf: $c lines"
		grep -nE 'nlattr|KSF_A_' "$f" | head -5 | sed 's/^/  /'
		bad=$((bad + 1))
	done < <(find "$KSF_ROOT/kernel" -name '*.[ch]' | sort)
	if [ $bad -gt 0 ]; then
		echo "style: netlink confinement FAILED ($bad files)"
		FAIL=1
	else
		echo "style: netlink confined to the transport and the save records"
	fi
}

main() {
	if [ "${1:-}" = --layers ]; then
		layering
		netlink_confined
		return $FAIL
	fi
	layering
	netlink_confined
	w1_sparse
	checkpatch
	[ $FAIL = 0 ] && echo "style: ok" || echo "style: FAILED"
	return $FAIL
}

main "$@"
