#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# run-fuzz.sh DURATION [SEED] [KERNEL]  (make fuzz DURATION=1h [SEED=N] [FUZZ_KERNEL=debug])
#
# Boots the debug kernel (default; FUZZ_KERNEL=stock or 6.1 for the others) and
# runs ksf-fuzz in a fresh network namespace for DURATION (90s, 30m, 1h).
# SEED defaults to a new random one (printed first).  On a failure the
# shortest failing sequence is written to build/fuzz/ksf-fuzz.replay:
#   vm-run --debug-kernel -- ksf-fuzz --replay build/fuzz/ksf-fuzz.replay
set -euo pipefail
ST=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
TOP=$(cd "$ST/../../../.." && pwd)
dur=${1:-10m}
seed=${2:-}
kernel=${3:-debug}
case $dur in
*h) secs=$((${dur%h} * 3600)) ;;
*m) secs=$((${dur%m} * 60)) ;;
*s) secs=${dur%s} ;;
*) secs=$dur ;;
esac
[ "$secs" -gt 0 ] 2>/dev/null || { echo "run-fuzz: bad DURATION '$dur'" >&2; exit 2; }
[ -n "$seed" ] || seed=$(od -An -N6 -tu8 /dev/urandom | tr -d ' ')
out=$TOP/build/fuzz
mkdir -p "$out"
echo "==> fuzzing for ${secs} s on the $kernel kernel, seed $seed"
cd "$TOP"
exec "$ST/vm-run" --kernel "$kernel" --timeout $((secs + 900)) -- \
	"unshare -n ksf-fuzz --seed $seed --duration $secs -v --out $out/ksf-fuzz.replay"
