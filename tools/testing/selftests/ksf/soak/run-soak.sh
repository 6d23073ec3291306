#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# run-soak.sh DURATION [KERNEL]  (make soak DURATION=10m [SOAK_KERNEL=debug])
#
# Boots the debug kernel (KASAN, UBSAN, lockdep, kmemleak; default;
# SOAK_KERNEL=stock, 6.1 or kcsan for the others) and runs the soak
# (soak-guest.sh) for DURATION (90s, 30m, 1h; the short one: 60s): NF
# traffic, admin changes, save/restore and key expiry at once, a sample
# every 10 s (5 s under 2 min) of ops/s, Slab/SUnreclaim and ksf's memory,
# printed as a table and written to build/soak/soak.tsv; then everything is
# deleted and ksf's memory must be 0, kmemleak and the kernel log clean,
# memory flat over the second half, traffic never stopped.  The exit
# status is 0 only then (and when vm-run's own checks pass: kernel log,
# kmemleak after rmmod).  build/soak/verdict.txt, kmemleak.txt,
# kernel-reports.txt keep the details.
set -euo pipefail
ST=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
TOP=$(cd "$ST/../../../.." && pwd)
dur=${1:-10m}
kernel=${2:-debug}
case $dur in
*h) secs=$((${dur%h} * 3600)) ;;
*m) secs=$((${dur%m} * 60)) ;;
*s) secs=${dur%s} ;;
*) secs=$dur ;;
esac
[ "$secs" -gt 0 ] 2>/dev/null || { echo "run-soak: bad DURATION '$dur'" >&2; exit 2; }
case $kernel in
stock|6.1|debug|kcsan) ;;
*) echo "run-soak: unknown kernel '$kernel' (debug, stock, 6.1 or kcsan)" >&2; exit 2 ;;
esac
out=$TOP/build/soak
rm -rf "$out"
mkdir -p "$out"
echo "==> soak for ${secs} s on the $kernel kernel, results in $out"
cd "$TOP"
rc=0
"$ST/vm-run" --kernel "$kernel" --no-kunit --timeout $((secs + 900)) -- \
	"bash $ST/soak/soak-guest.sh $secs $out" || rc=$?
[ -s "$out/verdict.txt" ] || { echo "run-soak: FAIL: the soak did not finish (no verdict)" >&2; exit "$((rc ? rc : 1))"; }
echo "==> soak: $(head -n1 "$out/verdict.txt") (vm-run status $rc)"
exit "$rc"
