#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Who may administer an instance and hear its events, and secrets left in
# requests (issue 10, items 5, 10 and 13):
# - admin commands need CAP_NET_ADMIN over the user namespace that owns the
#   instance's network namespace: an unprivileged user is refused with a
#   message naming it; root of a rootless container (unshare -r -n) runs
#   its own instance; root of a user namespace in another's network
#   namespace can neither see nor change that instance;
# - the events group needs the same capability to join; an nf peer gets
#   its own timer results, and only those, on a socket it registers
#   (ksfctl listen);
# - key-new requests with canary material that fail anywhere in ksf (the
#   restore gate included) come back in error acks that echo the request
#   with the material wiped, and carry the canary nowhere.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n bash "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"

NS=ksf-t31
TMP=$(mktemp -d)
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	ksft_ns_del $NS
	[ -z "${kek:-}" ] || keyctl unlink "$kek" @u >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT
ksft_dmesg_mark
chmod 755 "$TMP"
mkdir -m 1777 "$TMP/pub"

NOBODY="ksf-runas 65534 65534"
CAP='needs CAP_NET_ADMIN over the network namespace.s user namespace'
bg() { "$@" & PIDS="$PIDS $!"; }
# wait up to 10 s for file $1 to match regex $2
wait_for() {
	local n=100
	while [ $n -gt 0 ] && ! grep -qE -- "$2" "$1" 2>/dev/null; do
		sleep 0.1
		n=$((n - 1))
	done
}

# ---- item 13: an unprivileged user outside ----

t_match "nobody may read the instance's info (not an admin command)" '^instance:' \
	$NOBODY ksfctl info
t_fail "nobody: peer add refused, naming the capability" 1 "$CAP" \
	$NOBODY ksfctl peer add intruder kind nf uid 65534
t_fail "nobody: key add refused, naming the capability" 1 "$CAP" \
	$NOBODY ksfctl key add type generic len 32 owner intruder
t_fail "nobody: peer show (a dump) refused, naming the capability" 1 "$CAP" \
	$NOBODY ksfctl peer show
t_fail "nobody: key show refused, naming the capability" 1 "$CAP" \
	$NOBODY ksfctl -j key show
t_fail "nobody: the message says the kernel's errno too" 1 'Operation not permitted' \
	$NOBODY ksfctl context show

# ---- item 5: the events group ----

t_fail "nobody: monitor refused (EPERM), naming the capability" 1 \
	"CAP_NET_ADMIN.*Operation not permitted" timeout 10 $NOBODY ksfctl monitor
t_fail "nobody: monitor -j refused too" 1 "Operation not permitted" \
	timeout 10 $NOBODY ksfctl -j monitor

bg ksfctl monitor >"$TMP/mon" 2>&1
MON=$!
ksft_wait_netlink $MON || ksft_diag "monitor not ready"
sleep 0.5
ksfctl peer add nf1 kind nf uid 1001 services mac-generate algs hmac-sha256 >/dev/null &&
ksfctl peer add nf2 kind nf uid 1002 services mac-generate algs hmac-sha256 >/dev/null ||
	ksft_diag "peers not created"
k1=$(ksfctl key add type generic len 32 usage mac owner nf1)
k2=$(ksfctl key add type generic len 32 usage mac owner nf2)
bg ksf-runas 1001 1001 ksfctl listen >"$TMP/l1" 2>&1
L1=$!
bg ksf-runas 1002 1002 ksfctl -j listen >"$TMP/l2" 2>&1
L2=$!
ksft_wait_netlink $L1 && ksft_wait_netlink $L2 || ksft_diag "listeners not ready"
sleep 0.5
ksfctl peer set nf1 timer 200 "mac-generate alg hmac-sha256 key $k1 data 01" >/dev/null
ksfctl peer set nf2 timer 200 "mac-generate alg hmac-sha256 key $k2 data 02" >/dev/null
wait_for "$TMP/mon" 'timer-result peer nf2'
wait_for "$TMP/l1" 'timer-result peer nf1'
wait_for "$TMP/l2" '"peer":"nf2"'
sleep 1
t_match "root's monitor hears both peers' timer results" 'timer-result peer nf1' cat "$TMP/mon"
t_match "... nf2's too" 'timer-result peer nf2' cat "$TMP/mon"
t_match "nf1's listen gets its own timer results" '^timer-result peer nf1' cat "$TMP/l1"
t_match "... with the result of its item" '^  .*(ok|mac)' cat "$TMP/l1"
t_true "... and no other peer's" eval "! grep -q nf2 '$TMP/l1'"
t_match "nf2's listen (JSON) gets its own" '"event":"timer-result","peer":"nf2"' cat "$TMP/l2"
t_true "... and no other peer's" eval "! grep -q nf1 '$TMP/l2'"
t_fail "listen without a bound nf peer is refused" 1 'no nf peer is bound' \
	timeout 10 ksf-runas 1003 1003 ksfctl listen
t_fail "listen takes no arguments" 2 'no arguments' ksfctl listen now
# nf2 is bound to another uid: the old process's socket hears nothing more
ksfctl peer set nf2 uid 1004 >/dev/null
sleep 0.3
n2=$(grep -c 'timer-result' "$TMP/l2")
sleep 1
t_true "nf2 rebound to uid 1004: the old process (uid 1002) hears no more of nf2's results" \
	test "$(grep -c 'timer-result' "$TMP/l2")" = "$n2"
bg ksf-runas 1004 1004 ksfctl listen >"$TMP/l4" 2>&1
L4=$!
wait_for "$TMP/l4" 'timer-result peer nf2'
t_match "... its new process does" '^timer-result peer nf2' cat "$TMP/l4"
kill $L1 $L2 $L4 2>/dev/null
wait $L1 $L2 $L4 2>/dev/null
n1=$(grep -c 'timer-result peer nf1' "$TMP/mon")
sleep 1
t_true "timers still run after the listeners closed (monitor)" \
	test "$(grep -c 'timer-result peer nf1' "$TMP/mon")" -gt "$n1"
ksfctl peer del nf1 >/dev/null
ksfctl peer del nf2 >/dev/null

# ---- item 13: user namespaces ----

t_fail "root of a user namespace, in another's netns: peer add refused" 1 "$CAP" \
	unshare -r ksfctl peer add intruder kind nf uid 0
t_fail "... peer show refused (cannot see it)" 1 "$CAP" unshare -r ksfctl peer show
t_fail "... monitor refused" 1 "Operation not permitted" timeout 10 unshare -r ksfctl monitor

cat >"$TMP/pub/ct.sh" <<'EOF'
# root of a rootless container: its own user and network namespace
set -u
out=$1
ksfctl monitor >"$out/ct-mon" 2>&1 &
m=$!
sleep 1
ksfctl peer add c1 kind nf uid 0 services mac-generate algs hmac-sha256 >"$out/ct-peer" 2>&1
echo "peer add: $?" >>"$out/ct-peer"
k=$(ksfctl key add type generic len 32 usage mac owner c1 2>>"$out/ct-peer")
echo "key add: $? $k" >>"$out/ct-peer"
ksfctl peer show >"$out/ct-show" 2>&1
ksfctl key show >>"$out/ct-show" 2>&1
ksfctl peer set c1 timer 200 "mac-generate alg hmac-sha256 key $k data 00" >/dev/null 2>&1
sleep 1.5
kill $m
EOF
ksfctl peer add hostpeer kind nf uid 4000 >/dev/null
if [ "$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo 1)" != 1 ]; then
	ksft_diag "kernel.unprivileged_userns_clone is off"
fi
t_check_ct() { ksf-runas 1000 1000 unshare -r -n bash "$TMP/pub/ct.sh" "$TMP/pub"; }
ksft_check "a rootless container (uid 1000: unshare -r -n) runs" t_check_ct
t_match "its root creates a peer in its own instance" '^peer add: 0$' cat "$TMP/pub/ct-peer"
t_match "... and a key" '^key add: 0 0x' cat "$TMP/pub/ct-peer"
t_match "... and sees them" 'c1' cat "$TMP/pub/ct-show"
t_true "... and none of the host's peers" eval "! grep -q hostpeer '$TMP/pub/ct-show'"
t_match "... and hears its own instance's events" 'timer-result peer c1' cat "$TMP/pub/ct-mon"
t_match "the host's instance is unchanged" 'hostpeer' ksfctl peer show
t_true "... no container peer in it" eval "! ksfctl peer show | grep -q c1"

# ---- item 10: secrets left in requests ----

ksfctl peer add sec kind nf uid 4242 >/dev/null
for c in no-type no-owner unknown-owner past two-sources len-mismatch too-long \
	 aes-len too-many-peers empty-peer two-materials; do
	t_match "key-new ($c): refused; the echoed request holds the material wiped, no canary in the ack" \
		'^errno -[0-9]+ echo yes canary absent material zeroed ' nl-secret sec "$c"
done
t_match "key-new (valid): the handle, no canary in the reply or the ack" \
	'^errno 0 echo no canary absent ' nl-secret sec ok

if command -v keyctl >/dev/null 2>&1; then
	head -c 32 /dev/urandom >"$TMP/kek"
	kek=$(keyctl padd user ksf:t31-kek @u <"$TMP/kek")
	ksfctl save keyring "$kek" file "$TMP/blob" >/dev/null
	ksft_ns_add $NS
	bg ip netns exec $NS ksf-state restore-partial "$TMP/blob" 1 "$kek" --hold 60 >"$TMP/hold" 2>&1
	HOLD=$!
	wait_for "$TMP/hold" .
	t_match "a restore is in progress in $NS" '^ack' cat "$TMP/hold"
	t_match "key-new during a restore: refused (EBUSY); material wiped in the echo, no canary" \
		'^errno -16 echo yes canary absent material zeroed msg ".*restore' \
		ip netns exec $NS nl-secret sec ok
	kill $HOLD 2>/dev/null
	wait $HOLD 2>/dev/null
else
	ksft_fail "keyctl is needed to hold a restore open"
fi
# The genetlink core refuses a non-admin before ksf runs: the whole
# request goes back to its sender only (see the admin guide).
t_match "key-new by nobody: EPERM from the genetlink core" '^errno -1 echo yes ' \
	$NOBODY nl-secret sec ok

ksft_dmesg_check "kernel log clean"
ksft_done
