#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The channel when instances go away mid-exchange: a netns deleted
# between the handshake's messages (its peer hands in what is left), an
# instance deleted with live sessions, a handshake in progress and its
# reaper armed, handshake loops killed mid-flight, and rmmod with live
# sessions in several instances.  Each ends cleanly: the survivors
# refuse or accept with a reason, the module unloads and loads again, and
# the kernel log stays clean (the debug kernel adds kmemleak and KASAN).
set -u
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
A=ksf-t42a B=ksf-t42b C=ksf-t42c
cleanup() {
	for ns in $A $B $C; do ksft_ns_del $ns; done
	ksft_ksf_load
}
trap cleanup EXIT
ksft_dmesg_mark

x() { local ns=$1; shift; ip netns exec "$ns" ksfctl "$@"; }
pub() { x "$1" info | sed -n 's/^  public key: //p'; }
blob_of() { printf '%s\n' "$1" | sed -n "s/^[^ ]* $2 \([A-Za-z0-9+/=]*\)\$/\1/p"; }
recv() { out=$(printf '%s\n' "$2" | x "$1" msg receive - 2>&1) && rc=0 || rc=$?; }
# pair NS1 NS2: each a ksf peer of the other, named by the other's netns
pair() {
	x "$1" peer add "$2" kind ksf public-key "$(pub "$2")" >/dev/null &&
	x "$2" peer add "$1" kind ksf public-key "$(pub "$1")" >/dev/null
}
# shake NS1 NS2: a full handshake from NS1 to NS2
shake() {
	recv "$2" "$(blob_of "$(x "$1" msg handshake "$2")" handshake-init)"
	[ "$rc" = 0 ] || return 1
	recv "$1" "$(blob_of "$out" handshake-response)"
	[ "$rc" = 0 ] || return 1
	recv "$2" "$(blob_of "$out" confirm)"
	[ "$rc" = 0 ]
}

ksft_check "load ksf" ksft_ksf_load
for ns in $A $B $C; do ksft_ns_add $ns; done
ksft_check "pair a-b and a-c" eval "pair $A $B && pair $A $C"
ksft_check "a and b shake hands" shake $A $B

# b's netns goes between a's handshake-init and b's response reaching a
init=$(blob_of "$(x $A msg handshake $B)" handshake-init)
recv $B "$init"
resp=$(blob_of "$out" handshake-response)
ksft_check "b answers a new handshake-init" [ "$rc" = 0 -a -n "$resp" ]
ksft_check "ip netns del b, with sessions and an unconfirmed one" ip netns del $B
recv $A "$resp"
got=$out	# ksft_check's own locals hide $out
ksft_check "a still completes the handshake from b's response" \
	eval 'printf "%s\n" "$got" | grep -q "^accepted handshake-response from $B\$"'
ksft_check "a's peer b shows the new session current" \
	eval "x $A peer show $B | grep -q 'initiator current'"

# c's netns goes with a handshake of its own in progress (and a's with c)
x $C msg handshake $A >/dev/null
x $A msg handshake $C >/dev/null
ksft_check "ip netns del c, its handshake in progress" ip netns del $C
ksft_check "a still shows its peer c" x $A peer show $C
ksft_check "peer del c at a, its handshake in progress" x $A peer del $C

# handshake loops in namespaces killed mid-flight
ksft_killed_loops "3 namespaces killed during handshake loops" 3 '
	ksfctl peer add x kind ksf public-key "$1" >/dev/null || exit 1
	while :; do ksfctl msg handshake x >/dev/null; done' "$(pub $A)"

# rmmod with live sessions: a's with b (its reaper armed) and the initial
# netns's own, with a handshake in progress
ksfctl peer add t42 kind ksf public-key "$(pub $A)" >/dev/null
x $A peer add init kind ksf public-key "$(ksfctl info | sed -n 's/^  public key: //p')" >/dev/null
recv $A "$(blob_of "$(ksfctl msg handshake t42)" handshake-init)"
ksft_check "the initial instance's handshake with a is answered" [ "$rc" = 0 ]
ksfctl msg handshake t42 >/dev/null
ip netns del $A
ksft_check "rmmod ksf with live sessions, handshakes and deleted netns" rmmod ksf
ksft_check "insmod ksf again" insmod "$KSF_KO"
ksft_check "ksfctl info after reload" ksfctl info
ksft_check "no peer survived the reload" eval '[ -z "$(ksfctl peer show)" ]'
ksft_dmesg_check "no kernel report"
ksft_done
