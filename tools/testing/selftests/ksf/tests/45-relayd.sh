#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# ksf-relayd, the reference relay: three hosts (network namespaces a, b,
# c, linked a-b and b-c by veth pairs), each relay unprivileged (uid
# 1000).  A full handshake carried by the relays over UDP (a -> b), over
# TCP (b -> a), and from a to c through b, whose relay only forwards (no
# nf peer, the hop count going down); peer show confirms the sessions at
# both ends.  Garbage, a truncated TCP frame, an oversized TCP length, a
# frame with hops 0, a blob for no route and a blob the kernel refuses
# each give one log line, no blob bytes, and the relay carries on; it
# exits 0 on SIGTERM, and survives a reload of ksf.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n bash "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
. "$(dirname "${KSF_TESTLIB:-/ksf/lib/ksft.sh}")/ksft-chan.sh"
ksft_dmesg_mark
A=ksf-t45a B=ksf-t45b C=ksf-t45c
IPA=10.45.1.1 IPB1=10.45.1.2 IPB2=10.45.2.2 IPC=10.45.2.3
UP=4270 TP=4271		# UDP and TCP ports of every relay
TMP=$(mktemp -d)
chmod 0777 "$TMP"	# the carriers (uid 1000) write their blobs here
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for ns in $A $B $C; do ksft_ns_del $ns; done
	rm -rf "$TMP"
}
trap cleanup EXIT

host() {
	ksft_ns_add "$1"
	ip netns exec "$1" ip link set lo up
}
# link X Y ADDR_X ADDR_Y: a veth pair between two hosts (/24)
link() {
	ip link add "v-$1" type veth peer name "v-$2"
	ip link set "v-$1" netns "$1"
	ip link set "v-$2" netns "$2"
	ip -n "$1" addr add "$3/24" dev "v-$1"
	ip -n "$2" addr add "$4/24" dev "v-$2"
	ip -n "$1" link set "v-$1" up
	ip -n "$2" link set "v-$2" up
}
for ns in $A $B $C; do host $ns; done
link $A $B $IPA $IPB1
ip link add "v-${B}2" type veth peer name "v-$C"
ip link set "v-${B}2" netns $B
ip link set "v-$C" netns $C
ip -n $B addr add $IPB2/24 dev "v-${B}2"
ip -n $C addr add $IPC/24 dev "v-$C"
ip -n $B link set "v-${B}2" up
ip -n $C link set "v-$C" up

a() { ip netns exec $A ksfctl "$@"; }
b() { ip netns exec $B ksfctl "$@"; }
c() { ip netns exec $C ksfctl "$@"; }
# a carrier: uid 1000 in netns $1
carrier() {
	local ns=$1
	shift
	ip netns exec "$ns" ksf-runas 1000 1000 "$@"
}
sessions() { "$1" peer show "$2" | grep '^  session '; }

# relay NS NAME ARGS...: ksf-relayd as uid $RUID (1000) in NS, logging
# to $TMP/NAME.log; its pid in $RPID (waits until it listens)
relay() {
	local ns=$1 name=$2 i
	shift 2
	: >"$TMP/$name.log"
	ip netns exec "$ns" ksf-runas "${RUID:-1000}" "${RUID:-1000}" ksf-relayd --foreground \
		--verbose "$@" 2>>"$TMP/$name.log" &
	RPID=$!
	PIDS+=("$RPID")
	for i in $(seq 100); do
		grep -q 'relaying:' "$TMP/$name.log" && return 0
		kill -0 "$RPID" 2>/dev/null || break
		sleep 0.1
	done
	ksft_diag "relay $name did not start:" "$(cat "$TMP/$name.log")"
	return 1
}
relay_as() {
	local RUID=$1
	shift
	relay "$@"
}
# stop DESC PID NAME: SIGTERM, it exits 0 and says so
stop() {
	local rc
	kill -TERM "$2"
	wait "$2" && rc=0 || rc=$?
	if [ "$rc" = 0 ] && grep -q 'exiting on a signal' "$TMP/$3.log"; then
		ksft_ok "$1"
	else
		ksft_fail "$1" "exit status $rc"
		sed 's/^/#   | /' "$TMP/$3.log"
	fi
}
# wait_match DESC REGEX CMD...: CMD's output matches REGEX within 20 s
wait_match() {
	local desc=$1 re=$2 i out
	shift 2
	for i in $(seq 100); do
		out=$("$@" 2>&1)
		printf '%s\n' "$out" | grep -qE -- "$re" && break
		sleep 0.2
	done
	if printf '%s\n' "$out" | grep -qE -- "$re"; then
		ksft_ok "$desc"
	else
		ksft_fail "$desc" "command: $*" "wanted /$re/ within 20 s"
		printf '%s\n' "$out" | sed 's/^/#   | /'
	fi
}
# logged DESC NAME REGEX: the relay's log gets a line matching REGEX
logged() { wait_match "$1" "$3" cat "$TMP/$2.log"; }
# handshake NS PEER FILE: the carrier in NS starts one, raw blob to FILE
handshake() { carrier "$1" ksfctl msg handshake "$2" out "$3" >/dev/null; }
# udp NS ADDR PORT FILE: FILE's bytes as one datagram, from NS
udp() { ip netns exec "$1" bash -c 'cat "$3" >/dev/udp/$1/$2' _ "$2" "$3" "$4"; }
# fake TYPE SENDER RECEIVER OUT: a 56-byte blob whose header parses
# (ids: 16 hex digits), but which no instance would accept
fake() {
	local hex
	hex=$(printf '%s%s' "$2" "$3" | sed 's/../\\x&/g')
	{ printf 'KSFC\x01'; printf "\\x$(printf %02x "$1")"; printf '\0\0\0\0\0\x38'
	  printf "$hex"; head -c 28 /dev/zero; } >"$4"
}
# frame HOPS BLOBFILE OUT: a relay frame of the blob
frame() { { printf 'KSFR\x01'; printf "\\x$(printf %02x "$1")"; printf '\0\0'; cat "$2"; } >"$3"; }

KA=$(keyid a) KB=$(keyid b) KC=$(keyid c)
a peer add b kind ksf public-key "$(pub b)" >/dev/null
a peer add c kind ksf public-key "$(pub c)" >/dev/null
b peer add a kind ksf public-key "$(pub a)" >/dev/null
c peer add a kind ksf public-key "$(pub a)" >/dev/null
t_true "nf peer relay (uid 1000) carries for b and c at a" \
	a peer add relay kind nf uid 1000 carry b,c
t_true "... for a at b" b peer add relay kind nf uid 1000 carry a
t_true "... and at c" c peer add relay kind nf uid 1000 carry a

# --- usage and send's own checks
t_fail "ksf-relayd without --listen is a usage error" 2 'no --listen' ksf-relayd
t_fail "a route with a short key id is refused" 2 '16 hex digits' \
	ksf-relayd -f -l udp:127.0.0.1:$UP -r 12345=udp:127.0.0.1:1
t_fail "send refuses a file that is no blob" 1 'not a ksf channel blob' \
	ksf-relayd send udp:127.0.0.1:$UP /proc/version

# --- UDP: a -> b
t_true "a's relay listens on UDP" relay $A ra -l udp:$IPA:$UP -l udp:127.0.0.1:$UP \
	-r "$KB=udp:$IPB1:$UP"
RA=$RPID
t_true "b's relay listens on UDP" relay $B rb -l udp:$IPB1:$UP -r "$KA=udp:$IPA:$UP"
RB=$RPID
t_true "a's carrier starts a handshake with b" handshake $A b "$TMP/init-ab"
t_true "ksf-relayd send hands it to a's relay" \
	ip netns exec $A ksf-relayd send udp:127.0.0.1:$UP "$TMP/init-ab"
wait_match "b's session with a is current: init, response and confirm carried over UDP" \
	'^  session [0-9]+: responder current, age [0-9]+ s, sent 0, received 1$' sessions b a
t_match "a's session with b is current" '^  session [0-9]+: initiator current' sessions a b
logged "a's relay forwarded the init (hops 7)" ra "handshake-init for $KB sent to udp:$IPB1:$UP \(hops 7\)"
logged "b's relay handed it in and sent the response back" rb \
	"handshake-response for $KA sent to udp:$IPA:$UP \(hops 8\)"
logged "a's relay handed the response in and sent the confirm" ra \
	"confirm for $KB sent to udp:$IPB1:$UP"
logged "b's relay handed the confirm in" rb "confirm from $KA accepted"

# --- garbage at a's relay (UDP), then refusals
printf 'KS' >"$TMP/g1"
udp $A $IPA $UP "$TMP/g1"
logged "a 2-byte datagram: dropped, logged" ra "frame dropped: shorter than a frame header"
head -c 300 /dev/urandom >"$TMP/g2"
udp $A $IPA $UP "$TMP/g2"
logged "300 random bytes: dropped, logged" ra 'frame dropped: not a ksf-relayd frame'
printf 'KSFR\x02\x08\0\0xxxxxxxx' >"$TMP/g3"
udp $A $IPA $UP "$TMP/g3"
logged "frame version 2: dropped" ra 'frame dropped: frame version not supported'
printf 'KSFR\x01\x08\0\0not a blob at all, just bytes' >"$TMP/g4"
udp $A $IPA $UP "$TMP/g4"
logged "a frame whose blob is no blob: dropped" ra 'frame dropped: not a ksf channel blob'
{ printf 'KSFR\x01\x08\0\0'; head -c 32769 /dev/zero; } >"$TMP/g5"
udp $A $IPA $UP "$TMP/g5"
logged "a frame longer than msg-max + 8: dropped" ra 'frame dropped: longer than a frame of msg-max'
fake 1 "$KA" "$KC" "$TMP/for-c"
t_res "a blob for c, made up: 56 bytes" 56 eval "wc -c <$TMP/for-c"
frame 0 "$TMP/for-c" "$TMP/f-hops0"
udp $A $IPA $UP "$TMP/f-hops0"
logged "a blob for c with hops 0: dropped, logged" ra \
	"handshake-init for $KC dropped: hops 0"
frame 3 "$TMP/for-c" "$TMP/f-noroute"
udp $A $IPA $UP "$TMP/f-noroute"
logged "a blob for c, to which a's relay has no route: dropped, logged" ra \
	"handshake-init for $KC dropped: no route"
# a blob for a from an instance a does not know: the kernel's reason
fake 3 1111111111111111 "$KA" "$TMP/unknown"
t_true "send frames a blob from an unknown sender" \
	ip netns exec $A ksf-relayd send udp:127.0.0.1:$UP "$TMP/unknown"
logged "a's kernel refuses it: one line with the reason" ra \
	"confirm from 1111111111111111 refused: unknown sender \(key id 1111111111111111\)"
udp $A $IPA $UP "$TMP/unknown" # no frame: a raw blob
logged "a raw blob without a frame: dropped" ra 'frame dropped: not a ksf-relayd frame'
t_true "a's relay is still running" kill -0 $RA
t_true "b's relay is still running" kill -0 $RB
stop "a's relay exits 0 on SIGTERM" $RA ra
stop "b's relay exits 0 on SIGTERM" $RB rb

# --- TCP: b -> a
t_true "a's relay listens on TCP" relay $A ra -l tcp:$IPA:$TP -r "$KB=tcp:$IPB1:$TP"
RA=$RPID
t_true "b's relay listens on TCP" relay $B rb -l tcp:$IPB1:$TP -l tcp:127.0.0.1:$TP \
	-r "$KA=tcp:$IPA:$TP"
RB=$RPID
t_true "b's carrier starts a handshake with a" handshake $B a "$TMP/init-ba"
t_true "... and sends it to b's relay over TCP" \
	ip netns exec $B ksf-relayd send tcp:127.0.0.1:$TP "$TMP/init-ba"
wait_match "a's session with b is now a current responder one: carried over TCP" \
	'^  session [0-9]+: responder current, age [0-9]+ s, sent 0, received 1$' sessions a b
t_match "b's session with a is a current initiator one" \
	'^  session [0-9]+: initiator current' sessions b a
logged "b's relay forwarded the init over TCP" rb "handshake-init for $KA sent to tcp:$IPA:$TP \(hops 7\)"
# a TCP frame cut short, a length beyond msg-max, garbage
ip netns exec $A bash -c 'exec 3<>/dev/tcp/$1/$2; printf "\0\0\0\x64KSFR\x01\x08" >&3; exec 3>&-' \
	_ $IPA $TP
logged "a TCP peer closing mid-frame: logged" ra 'closed mid-frame \(10 of 104 bytes\)'
ip netns exec $A bash -c 'exec 3<>/dev/tcp/$1/$2; printf "\x7f\xff\xff\xffKSFR" >&3; sleep 0.5' \
	_ $IPA $TP
logged "a TCP length beyond msg-max: connection closed, logged" ra \
	'frame length over msg-max, connection closed'
ip netns exec $A bash -c 'exec 3<>/dev/tcp/$1/$2; printf "\0\0\0\x0cJUNKgarbage!" >&3; exec 3>&-' \
	_ $IPA $TP
logged "a TCP frame of garbage: dropped" ra 'frame dropped: not a ksf-relayd frame'
t_true "a's TCP relay is still running" kill -0 $RA
t_true "a blob from an unknown sender, sent to a's relay over TCP" \
	ip netns exec $A ksf-relayd send tcp:$IPA:$TP "$TMP/unknown"
logged "... is still handed in, and refused by the kernel" ra \
	"^ksf-relayd: tcp:$IPA:[0-9]+: confirm from 1111111111111111 refused: unknown sender"
stop "a's TCP relay exits 0 on SIGTERM" $RA ra
stop "b's TCP relay exits 0 on SIGTERM" $RB rb

# --- a -> b -> c: b's relay has no nf peer and only forwards
t_true "a's relay: c's key id through b" relay $A ra -l udp:$IPA:$UP \
	-l udp:127.0.0.1:$UP -r "$KC=udp:$IPB1:$UP"
RA=$RPID
t_true "b's relay (uid 1001, no nf peer) forwards both ways" \
	relay_as 1001 $B rb -l udp:$IPB1:$UP -l udp:$IPB2:$UP -r "$KA=udp:$IPA:$UP" \
	-r "$KC=udp:$IPC:$UP"
RB=$RPID
t_true "c's relay: everything else back through b" relay $C rc -l udp:$IPC:$UP \
	-r "default=udp:$IPB2:$UP"
RC=$RPID
t_true "a's carrier starts a handshake with c" handshake $A c "$TMP/init-ac"
t_true "... sent to a's relay" ip netns exec $A ksf-relayd send udp:127.0.0.1:$UP "$TMP/init-ac"
wait_match "c's session with a is current: every blob went through b" \
	'^  session [0-9]+: responder current, age [0-9]+ s, sent 0, received 1$' sessions c a
t_match "a's session with c is current" '^  session [0-9]+: initiator current' sessions a c
logged "b forwarded the init with hops 6" rb "handshake-init for $KC sent to udp:$IPC:$UP \(hops 6\)"
logged "b forwarded the response with hops 7" rb "handshake-response for $KA sent to udp:$IPA:$UP \(hops 7\)"
logged "b forwarded the confirm with hops 7" rb "confirm for $KC sent to udp:$IPC:$UP \(hops 7\)"
t_res "b handed nothing to its own instance" "" grep -E 'accepted|refused' "$TMP/rb.log"
frame 1 "$TMP/for-c" "$TMP/f-hops1"
udp $A $IPA $UP "$TMP/f-hops1"
logged "a frame with hops 1 leaves a with hops 0 ..." ra "handshake-init for $KC sent to udp:$IPB1:$UP \(hops 0\)"
logged "... and b drops it" rb "handshake-init for $KC dropped: hops 0"
stop "c's relay exits 0 on SIGTERM" $RC rc
stop "b's relay exits 0 on SIGTERM" $RB rb
stop "a's relay exits 0 on SIGTERM" $RA ra

# ksf reloaded under a running relay: it opens the new family
t_true "a's relay, once more" relay $A ra -l udp:$IPA:$UP
RA=$RPID
t_true "ksf unloaded and loaded again" eval 'rmmod ksf && insmod "${KSF_KO:-/ksf/ksf.ko}"'
KA2=$(keyid a)
t_true "a's new instance has a new key id" [ -n "$KA2" -a "$KA2" != "$KA" ]
fake 3 1111111111111111 "$KA2" "$TMP/unknown2"
frame 8 "$TMP/unknown2" "$TMP/f-unknown2"
udp $A $IPA $UP "$TMP/f-unknown2"
logged "the relay hands a blob to the new instance, where it is no carrier yet" ra \
	"confirm from 1111111111111111: msg commands need CAP_NET_ADMIN or an nf peer that carries"
t_true "nf peer relay at a's new instance" a peer add relay kind nf uid 1000 carry b
udp $A $IPA $UP "$TMP/f-unknown2"
logged "... now it is: the instance refuses the blob itself" ra \
	"confirm from 1111111111111111 refused: unknown sender \(key id 1111111111111111\)"
stop "... and exits 0 on SIGTERM" $RA ra

# the logs: text lines, no blob bytes (base64 or hex of any blob)
t_res "the logs hold text only" 0 eval "cat $TMP/*.log | LC_ALL=C grep -c '[^ -~]'"
leak=
for f in "$TMP"/init-*; do
	for s in "$(base64 "$f" | tr -d '\n' | head -c 24)" "$(od -An -tx1 -j 32 -N 12 "$f" | tr -d ' \n')"; do
		grep -qF "$s" "$TMP"/*.log && leak="$leak $f"
	done
done
t_res "... and no blob's bytes" "" echo $leak
ksft_dmesg_check "no kernel warnings"
ksft_done
