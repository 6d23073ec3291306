#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Carriers: an nf peer whose policy lists ksf peers under carry may run
# msg handshake and msg receive for them without CAP_NET_ADMIN, and for
# no other peer; a caller with no nf peer may not at all.  The
# handshake-inits a carrier hands in are rate-limited before any DH (10
# per half second).  The carry list is shown, validated, saved and
# restored.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n bash "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
. "$(dirname "${KSF_TESTLIB:-/ksf/lib/ksft.sh}")/ksft-chan.sh"
ksft_dmesg_mark
A=ksf-t44a B=ksf-t44b C=ksf-t44c D=ksf-t44d
TMP=$(mktemp -d)
cleanup() {
	for ns in $A $B $C $D; do ksft_ns_del $ns; done
	rm -rf "$TMP"
	[ -z "${kek:-}" ] || keyctl unlink "$kek" @u >/dev/null 2>&1
}
trap cleanup EXIT
for ns in $A $B $C $D; do ksft_ns_add $ns; done

a() { ip netns exec $A ksfctl "$@"; }
b() { ip netns exec $B ksfctl "$@"; }
c() { ip netns exec $C ksfctl "$@"; }
d() { ip netns exec $D ksfctl "$@"; }
# relay: uid 1000 in a's netns, the nf peer "relay"
relay() { ip netns exec $A ksf-runas 1000 1000 ksfctl "$@"; }
# recv WHO BLOB...: the blobs handed in by WHO; output in $out, status $rc
recv() {
	local who=$1
	shift
	out=$(printf '%s\n' "$@" | "$who" msg receive - 2>&1) && rc=0 || rc=$?
}

a peer add b kind ksf public-key "$(pub b)" >/dev/null
a peer add c kind ksf public-key "$(pub c)" >/dev/null
b peer add a kind ksf public-key "$(pub a)" >/dev/null
c peer add a kind ksf public-key "$(pub a)" >/dev/null
t_true "an nf peer that carries for b" a peer add relay kind nf uid 1000 carry b
t_match "peer show names its carry list" '^    carry: b$' a peer show relay
t_match "... and JSON too" '"carry":"b"' a -j peer show relay
t_fail "a carry list with an empty ID is refused" 1 'peer ID empty' \
	a peer set relay carry b,,c
t_fail "... and one of 17 peers" 1 'at most carry-max \(16\)' \
	a peer set relay carry "$(seq -s, 17)"
t_match "... which leave it as it was" '^    carry: b$' a peer show relay

# the carrier shakes hands with b; a does not need to
t_fail "a caller with no nf peer may not start a handshake" 1 \
	'need CAP_NET_ADMIN or an nf peer that carries' \
	ip netns exec $A ksf-runas 1001 1001 ksfctl msg handshake b
init=$(blob_of "$(relay msg handshake b)" handshake-init)
t_true "the carrier starts a handshake with b" [ -n "$init" ]
recv b "$init"
resp=$(blob_of "$out" handshake-response)
recv relay "$resp"
t_match "the carrier hands b's response in" '^accepted handshake-response from b$' echo "$out"
recv b "$(blob_of "$out" confirm)"
t_match "... and b opens a's confirm: the channel is up, carried by an nf peer" \
	'^accepted confirm from a$' echo "$out"
t_fail "the carrier may not start a handshake with c" 1 'may not carry for this peer' \
	relay msg handshake c
recv relay "$(blob_of "$(c msg handshake a)" handshake-init)"
t_true "a blob from c handed in by the carrier is refused" [ "$rc" != 0 ]
t_match "... with its reason, naming c only by the key id the blob shows" \
	"^refused: the caller may not carry for key id $(c info | sed -n 's/^  key id: //p')\$" echo "$out"
t_true "... and no peer in the outcome" eval '! relay -j msg receive - <<<"$(blob_of "$(c msg handshake a)" handshake-init)" | grep -q "\"peer\""'
t_true "peer set relay carry b,c" a peer set relay carry b,c
recv relay "$(blob_of "$(c msg handshake a)" handshake-init)"
t_match "now the carrier hands c's handshake-init in" '^accepted handshake-init from c$' echo "$out"

# rate: 30 handshake-inits of b in one batch, carried in by the relay
for i in $(seq 30); do
	blob_of "$(b msg handshake a)" handshake-init
	sleep 0.02	# TAI64N is rounded to 2^24 ns: each init newer
done >"$TMP/inits"
t0=${EPOCHREALTIME/./}	# microseconds
out=$(relay msg receive - <"$TMP/inits" 2>&1)
ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
acc=$(printf '%s\n' "$out" | grep -c '^accepted handshake-init from b$')
lim=$(printf '%s\n' "$out" | grep -c '^refused: handshake rate limit (carrier or instance)$')
ksft_diag "30 inits in ${ms} ms: $acc accepted, $lim refused by the rate limit"
t_true "no more than 10 a half second were accepted" \
	[ "$acc" -ge 1 -a "$acc" -le $((10 * (ms / 500 + 1))) ]
t_res "every other init was refused by the rate limit" 30 echo $((acc + lim))
if [ "$ms" -lt 450 ]; then
	t_res "all within half a second: exactly the burst of 10 accepted" 10 echo "$acc"
fi
# the handshakes a carrier starts take from the same share
sleep 1
t0=${EPOCHREALTIME/./}
out=$(for i in $(seq 15); do relay msg handshake b 2>&1 >/dev/null; done)
ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
ksft_diag "15 handshakes started in ${ms} ms: $(printf '%s\n' "$out" | grep -c 'rate limit') refused"
if [ "$ms" -lt 450 ]; then
	t_match "a carrier starting 15 handshakes at once is refused past 10" \
		'handshake rate limit \(carrier\)' echo "$out"
fi
sleep 1
recv a "$(blob_of "$(b msg handshake a)" handshake-init)"
t_match "an admin's inits still pass (the instance allows 200 a second)" \
	'^accepted handshake-init from b$' echo "$out"

# saved and restored
head -c 32 /dev/urandom >"$TMP/kek"
kek=$(keyctl padd user ksf:kek44 @u <"$TMP/kek")
t_true "save a" a save keyring "$kek" file "$TMP/a.sealed"
t_true "restore it into d" d restore keyring "$kek" file "$TMP/a.sealed"
t_match "d's relay carries for b and c" '^    carry: b,c$' d peer show relay
t_true "peer set relay carry none" a peer set relay carry none
t_res "... clears it" "" eval "a peer show relay | grep carry"
t_fail "... and the carrier may carry for b no more" 1 'may not carry for this peer' \
	relay msg handshake b

ksft_dmesg_check "no kernel warnings"
ksft_done
