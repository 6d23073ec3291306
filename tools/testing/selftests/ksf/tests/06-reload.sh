#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Unload and reload ksf a few times, with a network namespace living across
# the reloads: every load creates fresh instances, every unload is clean.
set -u
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"

cleanup() { ksft_ns_del ksft-rl; ksft_ksf_load; }
trap cleanup EXIT
ksft_dmesg_mark
ip netns add ksft-rl

prev=$(ksft_instance ksft-rl)
for i in 1 2 3; do
	ksft_check "reload $i: rmmod ksf" rmmod ksf
	ksft_check_fails "reload $i: ksf gone from /proc/modules" ksft_ksf_loaded
	ksft_check "reload $i: insmod ksf" insmod "$KSF_KO"
	ksft_check "reload $i: ksfctl info in the initial netns" ksfctl info
	cur=$(ksft_instance ksft-rl)
	if [ -n "$cur" ] && [ "$cur" != "$prev" ]; then
		ksft_ok "reload $i: the existing netns has a new instance ($cur)"
	else
		ksft_fail "reload $i: the existing netns has a new instance" "before '$prev' now '$cur'"
	fi
	prev=$cur
done
ksft_dmesg_check "no kernel report"
ksft_done
