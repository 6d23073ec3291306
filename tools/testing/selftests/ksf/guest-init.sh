#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# /init of the ksf test VM (PID 1; /bin/sh is bash in the VM), configured by
# /ksf/run.conf (written by vm-run): mounts, loads the stock modules and
# ksf.ko, mounts the host over 9p, runs /ksf/cmd.sh with its output on ttyS1,
# unloads ksf, checks kmemleak, reports "KSF-EXIT=<status>" on the console
# (ttyS0) and reboots (QEMU runs with -no-reboot, so it exits).  Harness
# failures are "KSF-HARNESS: FAIL ..." lines, which fail the run.
# Never exits: PID 1 must not die.

PATH=/ksf/bin:/usr/bin:/bin:/usr/sbin:/sbin
export PATH

hlog() { echo "KSF-HARNESS: [$(cut -d' ' -f1 /proc/uptime)] $*" >/dev/ttyS0; }

mount_basics() {
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev 2>/dev/null
	mkdir -p /dev/pts /dev/shm /tmp /run /root
	mount -t devpts devpts /dev/pts
	mount -t tmpfs tmpfs /dev/shm
	mount -t tmpfs tmpfs /tmp
	mount -t tmpfs tmpfs /run
	[ -d /sys/kernel/debug ] && mount -t debugfs debugfs /sys/kernel/debug
	ln -sf /proc/self/fd /dev/fd
	hostname ksf-vm
	ip link set lo up 2>/dev/null
	# Log (rather than fail silently on) module requests of the kernel.
	echo /ksf/bin/modprobe-log >/proc/sys/kernel/modprobe
}

load_modules() {
	local m
	[ -f /ksf/modules.list ] || return 0
	while read -r m; do
		insmod "/ksf/modules/$m" || hlog "FAIL: insmod $m"
	done </ksf/modules.list
}

# The host's / read-only at /host (for chroot /host: python3, ynl), and the
# host's working directory read-write at the same path.
mount_host() {
	local o=trans=virtio,version=9p2000.L,msize=512000
	[ -n "$KSF_NINEP" ] || return 0
	mkdir -p /host
	# The read-only host / is cached (python's many small files); the
	# read-write working directory is not, so both sides see every write.
	if mount -t 9p -o "$o,ro,cache=${KSF_HOST_CACHE:-loose}" host /host; then
		for d in proc sys dev; do mount --bind /$d /host/$d; done
		mount -t tmpfs tmpfs /host/tmp
		mount -t tmpfs tmpfs /host/run
	else
		hlog "FAIL: cannot mount host / over 9p"
	fi
	mkdir -p "$KSF_CWD"
	if mount -t 9p -o "$o" cwd "$KSF_CWD"; then
		# under /tmp or /run the chroot has its own tmpfs: make the
		# mount point there first
		mkdir -p "/host$KSF_CWD" 2>/dev/null
		mount --bind "$KSF_CWD" "/host$KSF_CWD" 2>/dev/null
	else
		hlog "FAIL: cannot mount $KSF_CWD over 9p"
	fi
}

kmemleak_reset() {
	[ -w /sys/kernel/debug/kmemleak ] || return 0
	hlog "kmemleak: baseline scan"
	echo scan >/sys/kernel/debug/kmemleak
	echo clear >/sys/kernel/debug/kmemleak
}

load_ksf() {
	[ "$KSF_LOAD" = 1 ] || return 0
	insmod /ksf/ksf.ko && return 0
	hlog "FAIL: insmod ksf.ko"
	return 1
}

unload_ksf() {
	grep -q '^ksf ' /proc/modules || return 0
	rmmod ksf || hlog "FAIL: rmmod ksf at the end of the run"
}

# Objects must be older than kmemleak's minimum age (5 s) to be reported.
kmemleak_check() {
	local f=/sys/kernel/debug/kmemleak
	[ -w $f ] || return 0
	sleep "${KSF_LEAK_WAIT:-6}"
	hlog "kmemleak: scanning"
	echo scan >$f
	echo scan >$f
	echo "KSF-KMEMLEAK-BEGIN" >/dev/ttyS0
	cat $f >/dev/ttyS0
	echo "KSF-KMEMLEAK-END" >/dev/ttyS0
}

run_cmd() {
	stty -F /dev/ttyS1 raw -echo 2>/dev/null
	export HOME=/root TERM=dumb KSF_KO=/ksf/ksf.ko KSF_TESTLIB=/ksf/lib/ksft.sh
	export KSF_KERNEL KSF_ROOT KSF_CWD
	cd "$KSF_CWD" 2>/dev/null || cd /
	hlog "running /ksf/cmd.sh"
	/bin/bash /ksf/cmd.sh </dev/null >/dev/ttyS1 2>&1
}

main() {
	local rc
	. /ksf/run.conf
	mount_basics
	hlog "booted $(uname -r)"
	load_modules
	hlog "modules loaded"
	mount_host
	hlog "host mounted"
	kmemleak_reset
	if load_ksf; then
		run_cmd
		rc=$?
	else
		rc=125
	fi
	[ "$KSF_LOAD" = 1 ] && unload_ksf
	kmemleak_check
	sync
	echo "KSF-EXIT=$rc" >/dev/ttyS0
	reboot -f
	sleep 1000
}

main
