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

# Config fragments of a cached kernel, in merge order: debug (debug.config)
# or kcsan (debug.config, then kcsan.config overriding it).
kernel_frags() {
	case $1 in
	debug) echo "$KSF_ST/debug.config" ;;
	kcsan) echo "$KSF_ST/debug.config $KSF_ST/kcsan.config" ;;
	*) die "unknown cached kernel '$1' (debug or kcsan)" ;;
	esac
}

# Cache directory (= KDIR) of a cached kernel (debug or kcsan): keyed by
# its config fragments and the source version.
kernel_kdir() {
	local h f
	h=$({ for f in $(kernel_frags "$1"); do cat "$f"; done; ksrc_version; } \
		| sha256sum | cut -c1-12)
	echo "$KSF_CACHE/$1-$h"
}

debug_kdir() { kernel_kdir debug; }

# Kernel console lines that fail a run.
KERNEL_BAD_RE='WARNING:|BUG:|Oops|KASAN|general protection fault|Call Trace|'\
'possible circular locking|inconsistent lock state|DEBUG_LOCKS_WARN|'\
'possible recursive locking|suspicious RCU usage|lock held when returning|'\
'held lock freed|Kernel panic|kernel BUG|UBSAN|refcount_t:|list_(add|del) corruption|'\
'soft lockup|hard LOCKUP|blocked for more than|rcu.*detected stall|'\
'sleeping function called from invalid context|stack-protector|KSF-HARNESS: FAIL'

# A KCSAN report's headline ("BUG: KCSAN: data-race in f / g"): KCSAN
# reports are judged by kcsan_split, not by console_clean.
KCSAN_RE='BUG: KCSAN: '

# Print the offending lines of a console log; status 0 iff there are none.
console_clean() {
	local log=$1 hits first
	hits=$(grep -naE "$KERNEL_BAD_RE" "$log" | grep -vE "$KCSAN_RE" || true)
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

# Split the KCSAN reports of a console log into DIR/kcsan-ksf.txt (reports
# with a frame of ksf.ko or of a ksf test module, "[ksf]" or "[ksf_...]", in
# either stack: they fail the run) and DIR/kcsan-other.txt (races of the
# rest of the kernel: listed, not failing, see README).  A report runs from
# its "BUG: KCSAN:" line to the "=====" line that closes it.
kcsan_split() {
	local log=$1 dir=$2
	tr -d '\r' <"$log" | awk -v ksf="$dir/kcsan-ksf.txt" -v other="$dir/kcsan-other.txt" '
		function flush() { if (n) { f = mine ? ksf : other; for (i = 0; i < n; i++) print b[i] > f; print "" > f } n = 0; mine = 0 }
		/BUG: KCSAN: / { flush(); inrep = 1 }
		inrep { b[n++] = $0; if ($0 ~ /\[ksf(_[a-z0-9_]+)?\]/) mine = 1 }
		inrep && /=================/ { inrep = 0; flush() }
		END { flush() }'
	touch "$dir/kcsan-ksf.txt" "$dir/kcsan-other.txt"
}

# Headlines of a kcsan_split file, one per report.
kcsan_headlines() {
	grep -aoE 'BUG: KCSAN: .*' "$1" | sed 's/^BUG: KCSAN: //' || true
}
