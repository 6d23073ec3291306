#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Loading ksf.ko a second time fails cleanly (EEXIST) and leaves the
# loaded module alone.
set -u
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"

ksft_dmesg_mark
ksft_check "ksf is loaded" ksft_ksf_loaded
id=$(ksft_instance)

out=$(insmod "$KSF_KO" 2>&1) && rc=0 || rc=$?
if [ $rc != 0 ] && printf '%s' "$out" | grep -q 'File exists'; then
	ksft_ok "second insmod fails with EEXIST"
else
	ksft_fail "second insmod fails with EEXIST" "exit status $rc" "$out"
fi
ksft_check "ksf is still loaded" ksft_ksf_loaded
if [ -n "$id" ] && [ "$(ksft_instance)" = "$id" ]; then
	ksft_ok "the loaded instance is untouched (same instance id)"
else
	ksft_fail "the loaded instance is untouched (same instance id)" "before '$id' after '$(ksft_instance)'"
fi
ksft_dmesg_check "no kernel report"
ksft_done
