#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build (once) a cached test kernel from ~/.cache/ksf/linux-source-6.12:
#   debug (default): tinyconfig + debug.config (KUnit, KASAN, UBSAN, lockdep,
#                    kmemleak, fault injection, gcov support, 9p), in
#                    ~/.cache/ksf/debug-<hash>
#   kcsan (--kcsan): tinyconfig + debug.config + kcsan.config (KCSAN instead
#                    of KASAN, kmemleak, lockdep, UBSAN, gcov), in
#                    ~/.cache/ksf/kcsan-<hash>
# The directory is also the KDIR to build ksf.ko for that kernel:
#   make module KDIR=<dir> KSF_OUT=build/debug
#
#   build-debug-kernel.sh [--kcsan] [--print-dir] [--force]
# Prints the directory on stdout when done.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

KIND=debug
KMAKE=(make -C "$KSF_KSRC" ARCH=x86_64)
# A cached kernel of an older fragment or source (~400 MB) is removed when
# no run has used it for this many days (other worktrees may still use it).
PRUNE_DAYS=${KSF_PRUNE_DAYS:-2}

configure() {
	local o=$1 frags
	read -ra frags <<<"$(kernel_frags "$KIND")"
	log "configuring $o (tinyconfig + ${frags[*]##*/})"
	"${KMAKE[@]}" O="$o" tinyconfig >"$o/config.log" 2>&1 \
		|| { tail -n 30 "$o/config.log"; die "tinyconfig failed"; }
	"$KSF_KSRC/scripts/kconfig/merge_config.sh" -m -O "$o" "$o/.config" "${frags[@]}" \
		>>"$o/config.log" 2>&1 \
		|| { tail -n 30 "$o/config.log"; die "merge_config failed"; }
	"${KMAKE[@]}" O="$o" olddefconfig >>"$o/config.log" 2>&1 \
		|| { tail -n 30 "$o/config.log"; die "olddefconfig failed"; }
	verify_config "$o/.config" "${frags[@]}"
}

# The options the fragments ask for, the last one of each option winning:
# "CONFIG_X=value" or "CONFIG_X off".
wanted_options() {
	sed -nE 's/^(CONFIG_[A-Za-z0-9_]+=.*)$/\1/p; s/^# (CONFIG_[A-Za-z0-9_]+) is not set$/\1 off/p' "$@" \
		| awk '{ o = $0; sub(/[= ].*/, "", o); if (!(o in v)) k[n++] = o; v[o] = $0 }
		       END { for (i = 0; i < n; i++) print v[k[i]] }'
}

# Every option of the fragments must have its value in the final .config.
verify_config() {
	local cfg=$1 bad=0 opt line
	shift
	while read -r line; do
		case $line in
		*" off")
			opt=${line% off}
			! grep -qE "^$opt=[ym]$" "$cfg" || { echo "  wanted $opt off, got $(grep -E "^$opt=" "$cfg")" >&2; bad=1; } ;;
		*)
			opt=${line%%=*}
			grep -qxF "$line" "$cfg" || { echo "  wanted $line, got: $(grep -E "^(# )?${opt}[= ]" "$cfg" || echo absent)" >&2; bad=1; } ;;
		esac
	done < <(wanted_options "$@")
	[ $bad = 0 ] || die "$KIND kernel config does not have the options of its fragments (dependencies missing from a fragment?)"
	log "config verified: every option of ${*##*/} is set"
}

build() {
	local o=$1 t0=$SECONDS
	log "building $KIND kernel in $o (-j$(nproc_), log: $o/build.log)"
	"${KMAKE[@]}" O="$o" -j"$(nproc_)" all >"$o/build.log" 2>&1 \
		|| { grep -E 'error|Error' "$o/build.log" | head -n 30; tail -n 20 "$o/build.log"; die "$KIND kernel build failed"; }
	echo $((SECONDS - t0)) >"$o/.ksf-build-seconds"
	log "$KIND kernel built in $((SECONDS - t0)) s: $o/arch/x86/boot/bzImage"
}

# Other $KIND-* builds are for an older fragment or source: remove those
# that no run has used for PRUNE_DAYS days.
prune_old() {
	local d
	for d in "$KSF_CACHE/$KIND"-*/; do
		d=${d%/}
		[ "$d" != "$1" ] && [ -d "$d" ] || continue
		[ -n "$(find "$d" -maxdepth 0 -mtime -"$PRUNE_DAYS")" ] && continue
		log "removing stale $d (unused for $PRUNE_DAYS days)"
		rm -rf "$d"
	done
}

main() {
	local o force= print=
	while [ $# -gt 0 ]; do
		case $1 in
		--kcsan) KIND=kcsan ;;
		--print-dir) print=1 ;;
		--force) force=1 ;;
		*) die "usage: build-debug-kernel.sh [--kcsan] [--print-dir] [--force]" ;;
		esac
		shift
	done
	o=$(kernel_kdir "$KIND")
	[ -z "$print" ] || { echo "$o"; return 0; }
	mkdir -p "$KSF_CACHE"
	exec 9>"$KSF_CACHE/$KIND-build.lock"
	flock 9
	if [ -z "$force" ] && [ -f "$o/.ksf-built" ] && [ -f "$o/arch/x86/boot/bzImage" ]; then
		log "$KIND kernel up to date: $o"
	else
		rm -rf "$o"
		mkdir -p "$o"
		configure "$o"
		build "$o"
		touch "$o/.ksf-built"
	fi
	touch "$o"	# used now (see prune_old)
	prune_old "$o"
	echo "$o"
}

main "$@"
