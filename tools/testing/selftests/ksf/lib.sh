# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Common helpers of the ksf test harness (sourced, not run).

KSF_ST=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KSF_ROOT=$(cd "$KSF_ST/../../../.." && pwd)
KSF_CACHE=${KSF_CACHE:-$HOME/.cache/ksf}
KSF_KSRC=${KSF_KSRC:-$KSF_CACHE/linux-source-6.12}
KSF_BUILD=${KSF_BUILD:-$KSF_ROOT/build}
KSF_PY=/usr/bin/python3		# Debian's python3 (yaml, jsonschema)

export DEBIAN_FRONTEND=noninteractive

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
nproc_() { nproc 2>/dev/null || echo 2; }

# Newest installed Debian 6.12 kernel release (e.g. 6.12.117+deb12-amd64)
# that has both an image and headers.
stock_kver() {
	local d k best=
	for d in /usr/src/linux-headers-6.12.*+deb12-amd64; do
		[ -d "$d" ] || continue
		k=${d#/usr/src/linux-headers-}
		[ -f "/boot/vmlinuz-$k" ] && [ -d "/lib/modules/$k/kernel" ] || continue
		best=$(printf '%s\n%s\n' "$best" "$k" | sed '/^$/d' | sort -V | tail -n1)
	done
	[ -n "$best" ] || die "no Debian 6.12 kernel image+headers installed (run install-deps.sh)"
	echo "$best"
}

# Newest installed Debian 12 default kernel release (e.g. 6.1.0-57-amd64)
# that has both an image and headers.
kver_6_1() {
	local d k best=
	for d in /usr/src/linux-headers-6.1.0-*-amd64; do
		[ -d "$d" ] || continue
		k=${d#/usr/src/linux-headers-}
		[[ $k =~ ^6\.1\.0-[0-9]+-amd64$ ]] || continue	# not -cloud, -rt
		[ -f "/boot/vmlinuz-$k" ] && [ -d "/lib/modules/$k/kernel" ] || continue
		best=$(printf '%s\n%s\n' "$best" "$k" | sed '/^$/d' | sort -V | tail -n1)
	done
	[ -n "$best" ] || die "no Debian 12 kernel 6.1.0-*-amd64 image+headers installed (run install-deps.sh)"
	echo "$best"
}

# Newest installed 6.1 headers directory.
headers_6_1() {
	local d
	d=$(ls -d /usr/src/linux-headers-6.1.0-*-amd64 2>/dev/null | sort -V | tail -n1)
	[ -n "$d" ] || die "no linux-headers-6.1.0-*-amd64 installed (run install-deps.sh)"
	echo "$d"
}

# Version of the extracted linux-source tree (written by install-deps.sh).
ksrc_version() {
	[ -f "$KSF_KSRC/.ksf-version" ] || die "$KSF_KSRC not prepared (run install-deps.sh)"
	cat "$KSF_KSRC/.ksf-version"
}

# Cache directory (= KDIR) of the debug kernel: keyed by the config
# fragment and the source version.
debug_kdir() {
	local h
	h=$({ cat "$KSF_ST/debug.config"; ksrc_version; } | sha256sum | cut -c1-12)
	echo "$KSF_CACHE/debug-$h"
}

# Kernel console lines that fail a run.
KERNEL_BAD_RE='WARNING:|BUG:|Oops|KASAN|general protection fault|Call Trace|'\
'possible circular locking|inconsistent lock state|DEBUG_LOCKS_WARN|'\
'possible recursive locking|suspicious RCU usage|lock held when returning|'\
'held lock freed|Kernel panic|kernel BUG|UBSAN|refcount_t:|list_(add|del) corruption|'\
'soft lockup|hard LOCKUP|blocked for more than|rcu.*detected stall|'\
'sleeping function called from invalid context|stack-protector|KSF-HARNESS: FAIL'

# Print the offending lines of a console log; status 0 iff there are none.
console_clean() {
	local log=$1 hits first
	hits=$(grep -naE "$KERNEL_BAD_RE" "$log" || true)
	[ -n "$hits" ] || return 0
	echo "kernel problems in $log:"
	printf '%s\n' "$hits" | head -n 40 | sed 's/^/  /'
	first=$(printf '%s\n' "$hits" | head -n1 | cut -d: -f1)
	echo "first report (from line $first):"
	sed -n "$((first > 5 ? first - 5 : 1)),$((first + 45))p" "$log" | sed 's/^/  | /'
	return 1
}

# Text between the kmemleak markers of a console log (empty: no leak).
kmemleak_report() {
	sed -n '/^KSF-KMEMLEAK-BEGIN/,/^KSF-KMEMLEAK-END/p' "$1" | sed '1d;$d' | tr -d '\r'
}
