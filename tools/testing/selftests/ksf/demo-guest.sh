#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The ksf demo scenario, run inside the test VM by demo.sh (make demo).
# Every "host" is a network namespace with its own ksf instance; hosts are
# linked by veth pairs.  To extend: add hosts/links in setup(), and a
# function per scenario step called from main().
set -euo pipefail

HOSTS=(amf ausf)
LINKS=("amf ausf 10.5.0.1 10.5.0.2")

say() { printf '\n=== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
on() {	# on HOST CMD...: run CMD on a host, showing it
	local h=$1
	shift
	printf '[%s]$ %s\n' "$h" "$*"
	ip netns exec "$h" "$@"
}
instance() { ip netns exec "$1" ksfctl info | sed -n 's/^instance: *//p'; }

add_host() {
	ip netns add "$1"
	ip netns exec "$1" ip link set lo up
}

# link A B ADDR_A ADDR_B: a veth pair between two hosts (/24 addresses).
link() {
	ip link add "v-$1-$2" type veth peer name "v-$2-$1"
	ip link set "v-$1-$2" netns "$1"
	ip link set "v-$2-$1" netns "$2"
	ip netns exec "$1" ip addr add "$3/24" dev "v-$1-$2"
	ip netns exec "$2" ip addr add "$4/24" dev "v-$2-$1"
	ip netns exec "$1" ip link set "v-$1-$2" up
	ip netns exec "$2" ip link set "v-$2-$1" up
}

setup() {
	local h l
	for h in "${HOSTS[@]}"; do add_host "$h"; done
	for l in "${LINKS[@]}"; do link $l; done
}

cleanup() {
	local h
	for h in "${HOSTS[@]}"; do ip netns del "$h" 2>/dev/null || true; done
}

step_vm_instance() {
	say "ksf in the VM's initial network namespace"
	run ksfctl info
}

step_hosts() {
	local h ids=()
	say "hosts ${HOSTS[*]}: one network namespace each, each with its own ksf instance"
	for h in "${HOSTS[@]}"; do
		on "$h" ksfctl info
		ids+=("$h=$(instance "$h")")
	done
	echo "instance ids: ${ids[*]} (initial netns: $(ksfctl info | sed -n 's/^instance: *//p'))"
}

step_network() {
	say "the hosts reach each other over their veth link"
	on amf ping -c 1 -W 2 10.5.0.2
}

step_ynl() {
	say "the same instance through the kernel's generic YNL client (tools/net/ynl/cli.py)"
	on ausf ynl --do get-info
	echo "(ausf instance: $(instance ausf))"
}

# The multi-host 5G AKA scenario (its own hosts ue, amf, home).
. "${KSF_ROOT:-.}/tools/testing/selftests/ksf/demo-aka.sh"

main() {
	trap cleanup EXIT
	setup
	step_vm_instance
	step_hosts
	step_network
	step_ynl
	cleanup
	step_5g_aka
	say "demo done"
}

main "$@"
