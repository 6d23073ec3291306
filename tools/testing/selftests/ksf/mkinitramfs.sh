#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the busybox-static initramfs of the ksf test VM.
#   mkinitramfs.sh OUT.cpio.gz STAGE_DIR KVER|debug|kcsan [KO]
# KVER: the release of a Debian kernel (6.12 or 6.1) whose modules go in.
# debug, kcsan: a cached kernel with everything built in (no modules).
# STAGE_DIR already holds ksf/run.conf and ksf/cmd.sh (from vm-run); this
# adds busybox, bash and a few host tools with their libraries, the stock
# kernel modules ksf needs (resolved with modules.dep, decompressed, listed
# in load order in ksf/modules.list), ksf.ko, ksfctl, ksf-relayd, the test programs,
# the tests and the init script.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# Modules of the Debian kernel (6.12 or 6.1) to load (with their
# dependencies) before ksf: the crypto it uses, veth for the test hosts, 9p
# for the host share (virtio_pci is a module on 6.1, built in on 6.12:
# without it 9p finds no channel).  Built-in ones are skipped.  drbg (and
# its hmac(sha512)) before ecdh_generic: on 6.1 they are modules, and the
# ecdh self-test generates a key from stdrng (without it the test fails:
# ELIBBAD, and a WARNING).
STOCK_MODULES=(cmac gcm ctr aesni_intel ghash_clmulni_intel sha256_ssse3
	       curve25519_generic curve25519_x86_64
	       sha512_ssse3 drbg ecdh_generic
	       chacha_generic chacha_x86_64 poly1305_generic poly1305_x86_64
	       chacha20poly1305
	       veth virtio_pci 9pnet_virtio 9p)
# Host binaries copied with their shared libraries.
HOST_BINS=(/bin/bash /usr/bin/ip /usr/bin/keyctl)

OUT=$1 STAGE=$2 KVER=$3 KO=${4:-}

# copy_with_libs BIN [DEST]: BIN at DEST (default: its own path) + its libraries.
copy_with_libs() {
	local bin=$1 dest=${2:-$1} lib
	install -D -m 0755 "$bin" "$STAGE$dest"
	for lib in $(ldd "$bin" 2>/dev/null | grep -oE '/[^ ]+\.so[^ ]*'); do
		[ -e "$STAGE$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$STAGE$lib"
	done
}

add_busybox() {
	local a
	install -D -m 0755 /bin/busybox "$STAGE/bin/busybox"
	for a in $(/bin/busybox --list); do
		[ -e "$STAGE/bin/$a" ] || [ -L "$STAGE/bin/$a" ] || ln -s busybox "$STAGE/bin/$a"
	done
	mkdir -p "$STAGE"/{proc,sys,dev,tmp,run,root,etc,usr/sbin,sbin}
	echo 'root:x:0:0:root:/root:/bin/sh' >"$STAGE/etc/passwd"
	echo 'root:x:0:' >"$STAGE/etc/group"
	for a in "${HOST_BINS[@]}"; do copy_with_libs "$a"; done
	# busybox sh runs its own applets before PATH (ip would not be
	# iproute2): sh is bash in the VM.
	ln -sfn bash "$STAGE/bin/sh"
}

norm() { echo "${1//-/_}"; }

# modules.dep line of a module name (dashes and underscores are equal).
dep_line() {
	local dep=$1 name=$2
	awk -v n="$name" -F: '{
		f = $1; sub(/.*\//, "", f); sub(/\.ko(\.(xz|zst|gz))?$/, "", f)
		gsub(/-/, "_", f)
		if (f == n) { print; exit }
	}' "$dep"
}

# Depth-first: dependencies before the module, each once.
resolve() {
	local dep=$1 name line path d
	name=$(norm "$2")
	[[ " ${SEEN[*]-} " == *" $name "* ]] && return 0
	SEEN+=("$name")
	line=$(dep_line "$dep" "$name")
	if [ -z "$line" ]; then
		grep -qE "/$name\.ko|/${name//_/-}\.ko" "$(dirname "$dep")/modules.builtin" \
			&& return 0
		die "module $name is neither in modules.dep nor built in ($dep)"
	fi
	path=${line%%:*}
	for d in ${line#*:}; do
		d=${d##*/}; resolve "$dep" "${d%%.ko*}"
	done
	ORDER+=("$path")
}

add_stock_modules() {
	local mdir=/lib/modules/$KVER p base
	SEEN=() ORDER=()
	for p in "${STOCK_MODULES[@]}"; do resolve "$mdir/modules.dep" "$p"; done
	mkdir -p "$STAGE/ksf/modules"
	: >"$STAGE/ksf/modules.list"
	for p in "${ORDER[@]}"; do
		base=$(basename "$p"); base=${base%.xz}; base=${base%.zst}
		case $p in
		*.xz) xz -dc "$mdir/$p" >"$STAGE/ksf/modules/$base" ;;
		*.zst) zstd -qdc "$mdir/$p" >"$STAGE/ksf/modules/$base" ;;
		*) cp "$mdir/$p" "$STAGE/ksf/modules/$base" ;;
		esac
		echo "$base" >>"$STAGE/ksf/modules.list"
	done
}

# Executables built by progs/Makefile (static ELF files under progs/).
add_progs() {
	local f
	[ -d "$KSF_ST/progs" ] || return 0
	while read -r f; do
		head -c4 "$f" | grep -q ELF || continue
		copy_with_libs "$f" "/ksf/bin/$(basename "$f")"
	done < <(find "$KSF_ST/progs" -type f -perm -u+x 2>/dev/null)
}

add_ksf() {
	local ksfctl=$KSF_ROOT/user/ksfctl/ksfctl f
	local relayd=$KSF_ROOT/user/relayd/ksf-relayd
	mkdir -p "$STAGE/ksf/bin" "$STAGE/ksf/lib" "$STAGE/ksf/tests" "$STAGE/ksf/ko"
	[ -z "$KO" ] || install -m 0644 "$KO" "$STAGE/ksf/ksf.ko"
	for f in ${KSF_EXTRA_KO:-}; do install -m 0644 "$f" "$STAGE/ksf/ko/"; done
	if [ -x "$ksfctl" ]; then
		copy_with_libs "$ksfctl" /ksf/bin/ksfctl
	fi
	if [ -x "$relayd" ]; then
		copy_with_libs "$relayd" /ksf/bin/ksf-relayd
	fi
	add_progs
	cp "$KSF_ST"/tests/*.sh "$STAGE/ksf/tests/" 2>/dev/null || true
	install -m 0755 "$KSF_ST/guest/"* "$KSF_ST/demo-guest.sh" "$STAGE/ksf/bin/"
	install -m 0644 "$KSF_ST/ksft.sh" "$STAGE/ksf/lib/ksft.sh"
	install -m 0644 "$KSF_ST/ksft-chan.sh" "$STAGE/ksf/lib/ksft-chan.sh"
	install -m 0755 "$KSF_ST/guest-init.sh" "$STAGE/init"
}

main() {
	add_busybox
	case $KVER in debug|kcsan) ;; *) add_stock_modules ;; esac
	add_ksf
	(cd "$STAGE" && find . -mindepth 1 | sort | cpio -o -H newc --quiet -R 0:0) \
		| gzip -1 >"$OUT"
}

main
