# SPDX-License-Identifier: GPL-2.0-only
#
# TAP helpers for the ksf selftests (tests/*.sh), sourced inside the VM:
#   . "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
#   ksft_ok "desc" / ksft_fail "desc" [diag...]
#   ksft_check "desc" CMD...      ok if CMD succeeds (its output shown on failure)
#   ksft_check_fails "desc" CMD... ok if CMD fails
#   ksft_done                     exit status: 0 iff no case failed
# Network-namespace "hosts":
#   ksft_ns_add NAME / ksft_ns_exec NAME CMD... / ksft_ns_del NAME

KSFT_N=0
KSFT_FAILED=0

ksft_ok() {
	KSFT_N=$((KSFT_N + 1))
	echo "ok $KSFT_N $1"
}

ksft_fail() {
	local desc=$1
	shift
	KSFT_N=$((KSFT_N + 1))
	KSFT_FAILED=$((KSFT_FAILED + 1))
	echo "not ok $KSFT_N $desc"
	[ $# -eq 0 ] || printf '#   %s\n' "$@"
}

# Run CMD capturing its output; print the output as TAP diagnostics on failure.
ksft_check() {
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1) && rc=0 || rc=$?
	if [ "$rc" = 0 ]; then
		ksft_ok "$desc"
	else
		ksft_fail "$desc" "command: $*" "exit status: $rc"
		printf '%s\n' "$out" | sed 's/^/#   | /'
	fi
}

ksft_check_fails() {
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1) && rc=0 || rc=$?
	if [ "$rc" != 0 ]; then
		ksft_ok "$desc"
	else
		ksft_fail "$desc" "command unexpectedly succeeded: $*"
		printf '%s\n' "$out" | sed 's/^/#   | /'
	fi
}

ksft_diag() { printf '# %s\n' "$@"; }

ksft_done() {
	echo "1..$KSFT_N"
	[ "$KSFT_FAILED" = 0 ]
}

ksft_ns_add() { ip netns add "$1"; }
ksft_ns_exec() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
ksft_ns_del() { ip netns del "$1" 2>/dev/null || true; }

ksft_ksf_loaded() { grep -q '^ksf ' /proc/modules; }

# Load ksf.ko if it is not loaded (tests may unload it).
ksft_ksf_load() { ksft_ksf_loaded || insmod "${KSF_KO:-/ksf/ksf.ko}"; }
