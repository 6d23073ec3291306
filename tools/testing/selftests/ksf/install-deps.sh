#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install everything ksf needs to build, test and demo on Debian 12.
# Idempotent and non-interactive; a fast no-op when all is present.
#   install-deps.sh [--update]   --update: refresh the apt lists first
#
# Kernel packages are not pinned: the newest linux-headers-6.12.*+deb12-amd64
# (with its linux-image-…-unsigned) and linux-headers-6.1.0-*-amd64 (with
# its linux-image-6.1.0-N-amd64, Debian 12's default kernel, the third VM
# kernel) the mirror offers are computed at run time.  linux-source-6.12 is extracted to
# ~/.cache/ksf/linux-source-6.12 once per package version.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PKGS=(build-essential pkg-config
      qemu-system-x86 busybox-static
      libnl-3-dev libnl-genl-3-dev
      sparse python3-yaml python3-jsonschema python3-cryptography
      flex bison bc libelf-dev libssl-dev openssl cpio xz-utils zstd kmod
      dwarves rsync dkms keyutils
      swtpm swtpm-tools
      lcov
      abigail-tools
      linux-source-6.12)
APT_MAX_AGE=${KSF_APT_MAX_AGE:-21600}	# seconds before the lists are refreshed

installed() {
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

lists_age() {
	local now newest
	now=$(date +%s)
	newest=$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' \
		 -printf '%T@\n' 2>/dev/null | sort -n | tail -n1)
	[ -n "$newest" ] || { echo 999999999; return; }
	echo $((now - ${newest%.*}))
}

apt_update() {
	log "apt-get update"
	apt-get -o DPkg::Lock::Timeout=600 update -qq || die "apt-get update failed"
	UPDATED=1
}

# Newest package name matching an extended regex among those apt knows.
newest_pkg() {
	apt-cache pkgnames "$1" | grep -E "^$2\$" | sort -V | tail -n1
}

has_candidate() {
	local c
	c=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')
	[ -n "$c" ] && [ "$c" != "(none)" ]
}

kernel_pkgs() {
	local h612 h61 kver
	h612=$(newest_pkg linux-headers-6.12. 'linux-headers-6\.12\.[0-9]+\+deb12-amd64')
	h61=$(newest_pkg linux-headers-6.1.0- 'linux-headers-6\.1\.0-[0-9]+-amd64')
	[ -n "$h612" ] || die "the mirror offers no linux-headers-6.12.*+deb12-amd64 (is bookworm-updates/security enabled?)"
	[ -n "$h61" ] || die "the mirror offers no linux-headers-6.1.0-*-amd64"
	echo "$h612" "$h61"
	image_pkg "${h612#linux-headers-}"
	image_pkg "${h61#linux-headers-}"
}

# The image of kernel release $1.  The signed and the unsigned image of one
# version carry the same kernel and conflict: either satisfies us; a new
# install takes the unsigned one (6.12 has no other in bookworm-updates).
image_pkg() {
	if installed "linux-image-$1"; then
		echo "linux-image-$1"
	else
		echo "linux-image-$1-unsigned"
	fi
}

missing_pkgs() {
	local p
	for p in "${PKGS[@]}" $(kernel_pkgs); do
		installed "$p" || echo "$p"
	done
}

install_pkgs() {
	local missing
	missing=$(missing_pkgs)
	if [ -n "$missing" ] && [ -z "${UPDATED:-}" ]; then
		apt_update	# maybe only stale lists: retry with fresh ones
		missing=$(missing_pkgs)
	fi
	[ -n "$missing" ] || return 0
	for p in $missing; do
		has_candidate "$p" || die "package $p is not available from the mirror"
	done
	log "apt-get install" $missing
	apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing </dev/null \
		|| die "apt-get install failed"
}

# Extract linux-source-6.12 once per package version.
extract_source() {
	local tarball=/usr/src/linux-source-6.12.tar.xz ver have=
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
	[ -f "$tarball" ] || die "$tarball missing"
	[ -f "$KSF_KSRC/.ksf-version" ] && have=$(cat "$KSF_KSRC/.ksf-version")
	[ "$have" = "$ver" ] && return 0
	if [ -z "$have" ] && [ -f "$KSF_KSRC/Makefile" ] && adopt_source "$ver"; then
		return 0
	fi
	log "extracting $tarball ($ver) to $KSF_KSRC"
	local tmp
	mkdir -p "$KSF_CACHE"
	tmp=$(mktemp -d "$KSF_CACHE/src.XXXXXX")
	tar -xf "$tarball" -C "$tmp"
	rm -rf "$KSF_KSRC"
	mv "$tmp/linux-source-6.12" "$KSF_KSRC"
	rmdir "$tmp"
	echo "$ver" > "$KSF_KSRC/.ksf-version"
}

# A tree extracted earlier without our stamp: keep it if its upstream
# version is the package's and it is pristine (no build products).
adopt_source() {
	local mk up
	mk=$(awk '/^VERSION =/ {v=$3} /^PATCHLEVEL =/ {p=$3} /^SUBLEVEL =/ {s=$3}
		  END {print v"."p"."s}' "$KSF_KSRC/Makefile")
	up=${1%%-*}
	[ "$mk" = "$up" ] && [ ! -e "$KSF_KSRC/.config" ] || return 1
	log "adopting existing $KSF_KSRC ($mk) as linux-source-6.12 $1"
	echo "$1" > "$KSF_KSRC/.ksf-version"
}

main() {
	[ "$(id -u)" = 0 ] || die "run as root (apt-get)"
	[ "${1:-}" = --update ] && apt_update
	if [ -z "${UPDATED:-}" ] && [ "$(lists_age)" -gt "$APT_MAX_AGE" ]; then
		apt_update
	fi
	install_pkgs
	extract_source
	log "dependencies ok (stock kernel $(stock_kver), Debian 12 kernel $(kver_6_1), source $(ksrc_version))"
}

main "$@"
