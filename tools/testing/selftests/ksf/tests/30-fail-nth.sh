#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Allocation failure on every step of each command (fail-nth, failslab):
# each failure must give a clean error and leave nothing half-created;
# kmemleak, KASAN and lockdep watch the error paths.  Fault injection is
# only built into the debug kernel: on the stock kernel this test has
# nothing to run and plans no case.
set -u
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"

if [ ! -d /sys/kernel/debug/failslab ]; then
	echo "1..0 # fault injection needs the debug kernel (make check runs it there)"
	exit 0
fi
exec ksf-failnth
