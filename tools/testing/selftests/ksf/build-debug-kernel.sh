#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build (once) the ksf debug kernel: tinyconfig + debug.config (KUnit, KASAN,
# lockdep, kmemleak, fault injection, 9p) from ~/.cache/ksf/linux-source-6.12
# into ~/.cache/ksf/debug-<hash>.  That directory is also the KDIR to build
# ksf.ko for this kernel:  make module KDIR=<dir> KSF_OUT=build/debug
#   build-debug-kernel.sh [--print-dir] [--force]
# Prints the directory on stdout when done.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

FRAG=$KSF_ST/debug.config
KMAKE=(make -C "$KSF_KSRC" ARCH=x86_64)

configure() {
	local o=$1
	log "configuring $o (tinyconfig + debug.config)"
	"${KMAKE[@]}" O="$o" tinyconfig >"$o/config.log" 2>&1 \
		|| { tail -n 30 "$o/config.log"; die "tinyconfig failed"; }
	"$KSF_KSRC/scripts/kconfig/merge_config.sh" -m -O "$o" "$o/.config" "$FRAG" \
		>>"$o/config.log" 2>&1 \
		|| { tail -n 30 "$o/config.log"; die "merge_config failed"; }
	"${KMAKE[@]}" O="$o" olddefconfig >>"$o/config.log" 2>&1 \
		|| { tail -n 30 "$o/config.log"; die "olddefconfig failed"; }
	verify_config "$o/.config"
}

# Every option of the fragment must have its value in the final .config.
verify_config() {
	local cfg=$1 bad=0 opt line
	while read -r line; do
		case $line in
		CONFIG_*=y)
			opt=${line%%=*}
			grep -qx "$opt=y" "$cfg" || { echo "  wanted $line, got: $(grep -E "^(# )?${opt}[= ]" "$cfg" || echo absent)" >&2; bad=1; } ;;
		"# CONFIG_"*" is not set")
			opt=${line#\# }; opt=${opt%% *}
			! grep -qx "$opt=y" "$cfg" || { echo "  wanted $opt off, got $opt=y" >&2; bad=1; } ;;
		esac
	done <"$FRAG"
	[ $bad = 0 ] || die "debug kernel config does not have the options of debug.config (dependencies missing from the fragment?)"
	log "config verified: every option of debug.config is set"
}

build() {
	local o=$1 t0=$SECONDS
	log "building debug kernel in $o (-j$(nproc_), log: $o/build.log)"
	"${KMAKE[@]}" O="$o" -j"$(nproc_)" all >"$o/build.log" 2>&1 \
		|| { grep -E 'error|Error' "$o/build.log" | head -n 30; tail -n 20 "$o/build.log"; die "debug kernel build failed"; }
	log "debug kernel built in $((SECONDS - t0)) s: $o/arch/x86/boot/bzImage"
}

# Other debug-* builds are for an older fragment or source: ~400 MB each.
prune_old() {
	local d
	for d in "$KSF_CACHE"/debug-*/; do
		d=${d%/}
		[ "$d" = "$1" ] || { log "removing stale $d"; rm -rf "$d"; }
	done
}

main() {
	local o force=
	o=$(debug_kdir)
	case ${1:-} in
	--print-dir) echo "$o"; return 0 ;;
	--force) force=1 ;;
	esac
	mkdir -p "$KSF_CACHE"
	exec 9>"$KSF_CACHE/debug-build.lock"
	flock 9
	if [ -z "$force" ] && [ -f "$o/.ksf-built" ] && [ -f "$o/arch/x86/boot/bzImage" ]; then
		log "debug kernel up to date: $o"
	else
		rm -rf "$o"
		mkdir -p "$o"
		configure "$o"
		build "$o"
		touch "$o/.ksf-built"
		prune_old "$o"
	fi
	echo "$o"
}

main "$@"
