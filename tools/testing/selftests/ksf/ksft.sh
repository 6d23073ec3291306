# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
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

# ksft_killed_loops DESC N SCRIPT [ARG...]: N times, bash -c SCRIPT in a
# new network namespace (its own ksf instance), killed 0.2-0.9 s in; ok
# if every run was still going when killed.
ksft_killed_loops() {
	local desc=$1 n=$2 script=$3 bad=0 pid i
	shift 3
	for i in $(seq "$n"); do
		unshare -n bash -c "$script" _ "$@" &
		pid=$!
		sleep 0.$((RANDOM % 8 + 2))
		kill -9 $pid 2>/dev/null || bad=1
		wait $pid 2>/dev/null
	done
	if [ $bad = 0 ]; then
		ksft_ok "$desc"
	else
		ksft_fail "$desc" "a loop exited early"
	fi
}

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

# The host's python3 (yaml, json) through the 9p share of the host's /.
ksft_py() { chroot /host /usr/bin/python3 "$@"; }

# Instance id (16 hex digits) printed by "ksfctl info" (in netns $1 if given).
ksft_instance() {
	if [ $# -gt 0 ]; then
		ip netns exec "$1" ksfctl info
	else
		ksfctl info
	fi 2>/dev/null | sed -n 's/^instance: *\([0-9a-f]\{16\}\)$/\1/p'
}

# Kernel log since ksft_dmesg_mark must hold no kernel report.  KCSAN
# reports (KCSAN kernel) are judged by the host (vm-run): those with a ksf
# frame fail the run, those of the rest of the kernel are listed.
KSFT_DMESG_BAD='WARNING:|BUG:|Oops|KASAN|Call Trace|general protection|circular locking|inconsistent lock state|DEBUG_LOCKS_WARN|recursive locking|suspicious RCU|UBSAN|refcount_t'
ksft_dmesg_mark() { KSFT_DMESG_LINES=$(dmesg | wc -l); }
ksft_dmesg_check() {
	local new
	new=$(dmesg | tail -n +$((${KSFT_DMESG_LINES:-0} + 1)) | { grep -v 'BUG: KCSAN: ' || true; })
	if printf '%s\n' "$new" | grep -qE "$KSFT_DMESG_BAD"; then
		ksft_fail "$1" "kernel log:"
		printf '%s\n' "$new" | grep -E -A12 "$KSFT_DMESG_BAD" | head -n 40 | sed 's/^/#   | /'
	else
		ksft_ok "$1"
	fi
}

# Wait (up to $2 s, default 20) until process $1 holds a netlink socket.
ksft_wait_netlink() {
	local pid=$1 n=$((${2:-20} * 10)) ino
	while [ $n -gt 0 ]; do
		kill -0 "$pid" 2>/dev/null || return 1
		for ino in $(ls -l /proc/"$pid"/fd 2>/dev/null | sed -n 's/.*socket:\[\([0-9]*\)\]/\1/p'); do
			awk -v i="$ino" '$2 == 16 && $NF == i { f = 1 } END { exit !f }' \
				/proc/"$pid"/net/netlink && return 0
		done
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# Checks shared by the tests: one TAP case each.
# t_match DESC REGEX CMD...: CMD succeeds and its output matches REGEX
t_match() {
	d=$1 re=$2
	shift 2
	o=$("$@" 2>&1) && r=0 || r=$?
	if [ "$r" = 0 ] && printf '%s\n' "$o" | grep -qE -- "$re"; then
		ksft_ok "$d"
	else
		ksft_fail "$d" "command: $*" "exit $r, wanted /$re/"
		printf '%s\n' "$o" | sed 's/^/#   | /'
	fi
}
# t_fail DESC STATUS REGEX CMD...: CMD exits STATUS, stderr matches REGEX
t_fail() {
	d=$1 st=$2 re=$3
	shift 3
	o=$("$@" 2>&1 >/dev/null) && r=0 || r=$?
	if [ "$r" = "$st" ] && printf '%s\n' "$o" | grep -qE -- "$re"; then
		ksft_ok "$d"
	else
		ksft_fail "$d" "command: $*" "exit $r (wanted $st), wanted /$re/"
		printf '%s\n' "$o" | sed 's/^/#   | /'
	fi
}
# t_true DESC CMD...: CMD (a test) succeeds
t_true() {
	d=$1
	shift
	if "$@"; then ksft_ok "$d"; else ksft_fail "$d" "failed: $*"; fi
}
# t_res DESC EXPECTED-LINE CMD...: CMD prints exactly EXPECTED-LINE
# t_eq NAME GOT WANTED: ok iff the two strings are equal.
t_eq() {
	if [ "$2" = "$3" ]; then
		ksft_ok "$1"
	else
		ksft_fail "$1" "got:    $2" "wanted: $3"
	fi
}

t_res() {
	d=$1 want=$2
	shift 2
	o=$("$@" 2>&1) && r=0 || r=$?
	if [ "$o" = "$want" ]; then
		ksft_ok "$d"
	else
		ksft_fail "$d" "command: $(printf '%.200s' "$*")" "exit $r, wanted: $want"
		printf '%s\n' "$o" | sed 's/^/#   | /'
	fi
}
