#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# rmmod ksf while clients hold netlink sockets (a monitor in the initial
# netns, one in another netns, a loop of requests) is clean; the clients get
# errors, not crashes; the module loads again and works.
set -u
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"

PIDS=()
cleanup() {
	kill "${PIDS[@]}" 2>/dev/null
	wait 2>/dev/null
	ksft_ns_del ksft-rm
	ksft_ksf_load
}
trap cleanup EXIT
ksft_dmesg_mark
ip netns add ksft-rm

ksfctl monitor >/tmp/mon0.out 2>&1 &
MON0=$!
ip netns exec ksft-rm ksfctl monitor >/tmp/mon1.out 2>&1 &
MON1=$!
(while :; do ksfctl info >/dev/null 2>&1; done) &
LOOP=$!
PIDS=($MON0 $MON1 $LOOP)

if ksft_wait_netlink $MON0 && ksft_wait_netlink $MON1; then
	ksft_ok "two monitors hold ksf sockets"
else
	ksft_fail "two monitors hold ksf sockets" "$(cat /tmp/mon0.out /tmp/mon1.out)"
fi
sleep 1

ksft_check "rmmod ksf with clients running" rmmod ksf
ksft_check_fails "ksf is unloaded" ksft_ksf_loaded
ksft_check_fails "ksfctl info fails while ksf is unloaded" ksfctl info
out=$(ksfctl info 2>&1)
rc=$?
if [ $rc -lt 128 ]; then
	ksft_ok "ksfctl fails with an error, not a signal (status $rc)"
else
	ksft_fail "ksfctl fails with an error, not a signal" "status $rc: $out"
fi

for p in $MON0 $MON1; do
	if kill -0 $p 2>/dev/null; then
		ksft_ok "monitor $p still alive or exited cleanly (alive)"
	else
		wait $p
		rc=$?
		if [ $rc -lt 128 ]; then
			ksft_ok "monitor $p still alive or exited cleanly (status $rc)"
		else
			ksft_fail "monitor $p still alive or exited cleanly" "killed by signal $((rc - 128))"
		fi
	fi
done
kill "${PIDS[@]}" 2>/dev/null
wait 2>/dev/null
PIDS=()

ksft_check "insmod ksf again" insmod "$KSF_KO"
ksft_check "ksfctl info works after reload" ksfctl info
ksft_check "ksfctl info works in the other netns after reload" ip netns exec ksft-rm ksfctl info
ksft_dmesg_check "no kernel report"
ksft_done
