#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Every network namespace (= test host) has its own ksf instance.
set -u
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"

cleanup() { ksft_ns_del ksft-h1; ksft_ns_del ksft-h2; }
trap cleanup EXIT
ksft_dmesg_mark

ksft_check "create two network namespaces" sh -c 'ip netns add ksft-h1 && ip netns add ksft-h2'

id0=$(ksft_instance)
id1=$(ksft_instance ksft-h1)
id2=$(ksft_instance ksft-h2)
ksft_diag "instances: init=$id0 h1=$id1 h2=$id2"

if [ -n "$id0" ] && [ -n "$id1" ] && [ -n "$id2" ]; then
	ksft_ok "ksfctl info works in the initial netns and in both namespaces"
else
	ksft_fail "ksfctl info works in the initial netns and in both namespaces"
fi
if [ -n "$id1" ] && [ "$id0" != "$id1" ] && [ "$id0" != "$id2" ] && [ "$id1" != "$id2" ]; then
	ksft_ok "the three namespaces have different instance ids"
else
	ksft_fail "the three namespaces have different instance ids"
fi
if [ -n "$id1" ] && [ "$(ksft_instance ksft-h1)" = "$id1" ] && [ "$(ksft_instance)" = "$id0" ]; then
	ksft_ok "a namespace keeps its instance between requests"
else
	ksft_fail "a namespace keeps its instance between requests"
fi

id3=$(unshare -n ksfctl info 2>/dev/null | sed -n 's/^instance: *//p')
if [ -n "$id3" ] && [ "$id3" != "$id0" ] && [ "$id3" != "$id1" ] && [ "$id3" != "$id2" ]; then
	ksft_ok "a fresh unshare -n namespace gets a new instance"
else
	ksft_fail "a fresh unshare -n namespace gets a new instance" "got '$id3'"
fi

ksft_check "both namespaces can be deleted" sh -c 'ip netns del ksft-h1 && ip netns del ksft-h2'
ksft_check "the initial instance still answers" ksfctl info
ksft_dmesg_check "no kernel report"
ksft_done
