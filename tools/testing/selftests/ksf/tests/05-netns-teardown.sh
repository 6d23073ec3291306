#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Network namespaces destroyed while their instance is in use: request
# loops in unshare -n killed mid-flight, a named netns deleted under a
# monitor.  ksf must stay usable and unload cleanly afterwards.
set -u
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"

cleanup() { ksft_ns_del ksft-td; ksft_ksf_load; }
trap cleanup EXIT
ksft_dmesg_mark

ksft_killed_loops "5 namespaces killed during request loops" 5 \
	'while :; do ksfctl info >/dev/null 2>&1; done'

ip netns add ksft-td
ip netns exec ksft-td ksfctl monitor >/tmp/td-mon.out 2>&1 &
MON=$!
ksft_check "monitor running in ksft-td" ksft_wait_netlink $MON
ksft_check "ip netns del while the monitor runs" ip netns del ksft-td
ksft_check "ksft-td instance still answers through the monitor's netns" \
	nsenter --net=/proc/$MON/ns/net ksfctl info
kill $MON
wait $MON 2>/dev/null
ksft_ok "monitor killed: last user of ksft-td gone"

ksft_check "the initial instance still answers" ksfctl info
# Namespace cleanup is asynchronous; rmmod waits for it (pernet ops).
ksft_check "rmmod ksf after the teardowns" rmmod ksf
ksft_check "insmod ksf again" insmod "$KSF_KO"
ksft_check "ksfctl info after reload" ksfctl info
ksft_dmesg_check "no kernel report"
ksft_done
