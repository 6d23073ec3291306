#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The README's benchmark commands still run: ksf-crypto-bench, ksf-chan-bench
# and ksf-bench
# with a tiny budget per figure.  No figure is judged here (benchmarks
# print ratios measured in one VM run, never timed assertions); only that
# every row is printed and the programs exit 0.  ksf-crypto-bench stopped
# with EIO for a whole issue (its KDF keys hit the default keys-max of
# 65536) and nothing noticed: it runs 1 s per figure here, which on the
# stock and 6.1 kernels stores over 100,000 keys (on the debug kernel,
# ~10x slower, it is a smoke test only).
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n bash "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
T=$(mktemp -d)

ksf-crypto-bench 1 >"$T/crypto" 2>&1
rc=$?
rows=$(grep -cE '^(kdf|nia2|milenage) +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ ' "$T/crypto")
[ $rc = 0 ] && [ "$rows" = 3 ] && ksft_ok "ksf-crypto-bench runs: kdf, nia2 and milenage rows" ||
	{ ksft_fail "ksf-crypto-bench runs: kdf, nia2 and milenage rows" "exit $rc, $rows rows"
	  sed 's/^/#   | /' "$T/crypto" | tail -n 10; }

ksf-chan-bench 0.2 >"$T/chan" 2>&1
rc=$?
rows=$(grep -cE '^(handshake|offers) +[0-9]+ +[0-9]+ +[0-9.]+ ' "$T/chan")
[ $rc = 0 ] && [ "$rows" = 2 ] && ksft_ok "ksf-chan-bench runs: handshake and offers rows" ||
	{ ksft_fail "ksf-chan-bench runs: handshake and offers rows" "exit $rc, $rows rows"
	  sed 's/^/#   | /' "$T/chan" | tail -n 10; }

# the README's command
ksfctl peer add b kind nf uid 0 services mac-generate algs hmac-sha256 >/dev/null
ksf-bench "$(ksfctl key add type generic len 32 usage mac owner b)" 0.05 >"$T/bench" 2>&1
rc=$?
[ $rc = 0 ] && grep -q '^single request vs floor: ' "$T/bench" &&
	grep -q '^mac-generate x1 raw / libksf: ' "$T/bench" &&
	ksft_ok "ksf-bench runs: raw vs libksf and the floor" ||
	{ ksft_fail "ksf-bench runs: raw vs libksf and the floor" "exit $rc"
	  sed 's/^/#   | /' "$T/bench" | tail -n 10; }
ksfctl peer del b
rm -rf "$T"
ksft_dmesg_check "no kernel report"
ksft_done
