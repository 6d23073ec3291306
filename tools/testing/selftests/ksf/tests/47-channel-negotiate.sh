#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Negotiation of the pair policy over the channel (channel.rst
# "Negotiation"), and rekeying: a offers b what its policy for b lets it
# run and what it asks b to run; b answers with the intersection of that
# and its own policy for a and stores it; a stores the answer.  Both ends
# then hold the same pair, mirrored.  A replayed, tampered, stale or
# malformed offer or answer is refused with its reason and stores
# nothing; an answer that exceeds the offer (sealed by an independent
# implementation in Python) too.  A renegotiation replaces the pair; a
# save keeps it.  On the debug kernel, a seal past the rekey count or age
# comes with a new handshake-init, and the new session takes over.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n bash "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
. "$(dirname "${KSF_TESTLIB:-/ksf/lib/ksft.sh}")/ksft-chan.sh"
ksft_dmesg_mark
A=ksf-t47a B=ksf-t47b D=ksf-t47d
PYST=/tmp/ksf-t47-py.json
TMP=$(mktemp -d)
cleanup() {
	for ns in $A $B $D; do ksft_ns_del $ns; done
	rm -f "/host$PYST"
	rm -rf "$TMP"
	[ -z "${kek:-}" ] || keyctl unlink "$kek" @u >/dev/null 2>&1
}
trap cleanup EXIT
for ns in $A $B $D; do ksft_ns_add $ns; done

py=$KSF_ROOT/tools/testing/selftests/ksf/tests/41-channel.py
if [ ! -r "/host$py" ]; then
	cp "$py" /host/tmp/ksf-t47.py
	py=/tmp/ksf-t47.py
fi
noise() { ksft_py "$py" "$@"; }

a() { ip netns exec $A ksfctl "$@"; }
b() { ip netns exec $B ksfctl "$@"; }
d() { ip netns exec $D ksfctl "$@"; }
shake() {
	recv "$2" "$(blob_of "$("$1" msg handshake "$3")" handshake-init)"
	recv "$1" "$(blob_of "$out" handshake-response)"
	recv "$2" "$(blob_of "$out" confirm)"
	[ "$rc" = 0 ] && echo ok || echo "$out"
}
# The pair as peer show prints it, from "pair:" on.
pair() { "$1" peer show "$2" | sed -n '/^  pair: /,$p'; }
# One direction's line of a pair: pairline INSTANCE PEER "we run"|"they run" FIELD
pairline() {
	"$1" peer show "$2" | sed -n "/^  $3:/,/^  [a-z]/p" | sed -n "s/^    $4: //p" | head -1
}
# A direction's JSON: pj INSTANCE PEER we_run|they_run
# The instance's memory (bytes) as info -j gives it.
mem() { "$1" -j info | ksft_py -c 'import sys, json; print(json.load(sys.stdin)["mem"])'; }
pj() {
	"$1" -j peer show "$2" | ksft_py -c '
import sys, json
p = json.load(sys.stdin)
p = p[0] if isinstance(p, list) else p
print(json.dumps(p["pair"][sys.argv[1]], sort_keys=True))' "$3"
}

PA=$(pub a) PB=$(pub b)
t_true "peer add b (at a): runs kdf and mac-generate for b, asks mac-verify and kdf" \
	a peer add b kind ksf public-key "$PB" services kdf,mac-generate \
	algs hmac-sha256,kdf-sha256 ask-services mac-verify,kdf ask-algs hmac-sha256,kdf-sha256 \
	batch-max 10
t_true "peer add a (at b): runs kdf and mac-verify for a, asks kdf, mac-generate, nas-protect" \
	b peer add a kind ksf public-key "$PA" services kdf,mac-verify algs hmac-sha256,kdf-sha256 \
	ask-services kdf,mac-generate,nas-protect ask-algs kdf-sha256 key-len 16-32
t_match "peer show lists what a asks of b" '^    ask-services: (kdf,mac-verify|mac-verify,kdf)$' \
	a peer show b
t_res "no pair before any negotiation" "" pair a b
t_fail "no negotiation without a session" 1 'no session with the peer \(msg handshake first\)' \
	a msg negotiate b
b peer add smf kind nf uid 4242 >/dev/null
t_fail "an nf peer asks nothing" 1 'ask-services and ask-algs are for ksf peers only' \
	b peer set smf ask-services kdf
t_fail "... from its creation on" 1 'ask-services and ask-algs are for ksf peers only' \
	b peer add smf2 kind nf uid 4243 ask-algs hmac-sha256
t_fail "an nf peer has no channel to negotiate over" 1 'not a ksf peer with a public key' \
	b msg negotiate smf
t_fail "msg negotiate of no peer" 1 'no such peer' b msg negotiate nobody
t_fail "an unprivileged user may not negotiate" 1 'Operation not permitted|permission' \
	ip netns exec $A ksf-runas 65534 65534 ksfctl msg negotiate b

t_res "a handshake from a to b" ok shake a b b
neg=$(a msg negotiate b) && rc=0 || rc=$?
offer=$(blob_of "$neg" offer)
t_true "msg negotiate b gives a sealed offer" [ "$rc" = 0 -a -n "$offer" ]
t_res "no pair at a until the answer" "" pair a b
mem0=$(mem b)
recv b "$offer"
t_match "b accepts the offer" '^accepted offer from a$' echo "$out"
answer=$(blob_of "$out" answer)
t_true "... and answers it" [ -n "$answer" ]
t_match "b stored the pair, generation 1" '^  pair: generation 1$' b peer show a
t_true "b's memory counts the pair" [ "$(mem b)" -gt "$mem0" ]
recv a "$answer"
t_match "a accepts the answer" '^accepted answer from b$' echo "$out"
t_match "a stored the pair, generation 1" '^  pair: generation 1$' a peer show b
t_res "a runs for b: its services AND what b asks" "kdf,mac-generate" \
	eval "pairline a b 'we run' services | tr , '\n' | sort | paste -sd,"
t_res "b runs for a: b's services AND what a asks" "kdf,mac-verify" \
	eval "pairline a b 'they run' services | tr , '\n' | sort | paste -sd,"
t_res "a's algs for b: its algs AND b's ask" "kdf-sha256" pairline a b 'we run' algs
t_res "the bounds of each direction are its runner's: a's batch-max" 10 \
	pairline a b 'we run' batch-max
t_res "... and b's key-len" 16-32 pairline a b 'they run' key-len
t_res "both ends hold the same pair: a's we-run is b's they-run" "$(pj a b we_run)" \
	pj b a they_run
t_res "... and a's they-run is b's we-run" "$(pj a b they_run)" pj b a we_run

# refusals: replays, tampering, staleness; nothing stored
t_refused "a replayed offer is refused" b "$offer" 'refused: replayed message'
t_refused "a replayed answer is refused" a "$answer" 'refused: replayed message'
o2=$(blob_of "$(a msg negotiate b)" offer)
t_refused "an offer with a byte of its body flipped is refused" b "$(flip "$o2" 60 4)" \
	'refused: message does not authenticate'
o3=$(blob_of "$(a msg negotiate b)" offer)
recv b "$o2"
stale=$(blob_of "$out" answer)
t_match "b answers the older offer (generation 2)" '^  pair: generation 2$' b peer show a
t_refused "a refuses the answer to its older offer" a "$stale" \
	'refused: stale answer: not to our latest offer'
t_match "... and keeps its pair" '^  pair: generation 1$' a peer show b
recv b "$o3"
recv a "$(blob_of "$out" answer)"
t_match "the answer to the latest offer is stored at a: generation 3" \
	'^  pair: generation 3$' a peer show b

# a relay that drops and reorders: each sealed blob stands alone
a msg negotiate b >/dev/null	# lost on the way
late=$(blob_of "$(a msg negotiate b)" offer)
last=$(blob_of "$(a msg negotiate b)" offer)
recv b "$last"
t_match "an offer overtaking a lost one and a late one is accepted" '^accepted offer from a$' echo "$out"
recv a "$(blob_of "$out" answer)"
t_match "... and its answer stored at a" '^accepted answer from b$' echo "$out"
recv b "$late"
t_match "an earlier offer arriving late (within the window) is accepted" \
	'^accepted offer from a$' echo "$out"
t_refused "... its answer is stale at a" a "$(blob_of "$out" answer)" \
	'refused: stale answer: not to our latest offer'

# renegotiation after a change of policy replaces the pair whole
t_true "b stops running mac-verify for a" b peer set a services kdf
recv b "$(blob_of "$(a msg negotiate b)" offer)"
recv a "$(blob_of "$out" answer)"
t_res "renegotiated: b runs only kdf for a" kdf pairline a b 'they run' services
t_match "... generation 6 at a" '^  pair: generation 6$' a peer show b
t_res "... and the ends agree" "$(pj a b they_run)" pj b a we_run

# An independent implementation (Python) as instance py, which b knows:
# bodies the kernel would never seal, sealed under a real session.
PP=$(noise keygen "$PYST")
b peer add py kind ksf public-key "$PP" services kdf ask-services kdf >/dev/null
recv b "$(noise init "$PYST" "$PB")"
conf=$(noise response "$PYST" "$(blob_of "$out" handshake-response)")
recv b "$conf"
t_match "b has a session with py" '^accepted confirm from py$' echo "$out"
# body EXPR: netlink attributes in hex, from nla(type, bytes), nest(type,
# bytes) (NLA_F_NESTED: strict parsing wants it), u32(), u64()
body() {
	ksft_py -c '
import sys, struct
def nla(t, p): return struct.pack("<HH", 4 + len(p), t) + p + b"\0" * (-len(p) % 4)
def nest(t, p): return nla(t | 0x8000, p)
def u32(v): return struct.pack("<I", v)
def u64(v): return struct.pack("<Q", v)
print(eval(sys.argv[1]).hex())' "$1"
}
# pyseal TYPE HEXBODY: sealed by py, each under the next counter (the
# count kept in a file: pyseal runs in command substitutions)
echo 1 >"$TMP/n"
pyseal() {
	local n=$(($(cat "$TMP/n") + 1))
	echo $n >"$TMP/n"
	noise seal "$PYST" "$n" "$1" "$2"
}
t_refused "an offer that is no netlink attributes is refused" b "$(pyseal 4 ffffffff)" \
	'refused: malformed body'
t_refused "an offer without an id is refused" b \
	"$(pyseal 4 "$(body 'nla(2, u32(0)) + nest(3, b"") + nest(4, b"")')")" \
	'refused: malformed offer: no offer-id or generation'
t_refused "an offer with a field that is not negotiable (keys-max) is refused" b \
	"$(pyseal 4 "$(body 'nla(1, u64(7)) + nla(2, u32(0)) + nest(3, nla(14, u32(5))) + nest(4, b"")')")" \
	'refused: terms carry a field that is not negotiable'
t_refused "an offer asking with a bound (batch-max) is refused" b \
	"$(pyseal 4 "$(body 'nla(1, u64(7)) + nla(2, u32(0)) + nest(3, b"") + nest(4, nla(6, u32(5)))')")" \
	'refused: terms carry a field that is not negotiable'
t_refused "offer terms that do not parse are refused (key-len-min of 2 bytes)" b \
	"$(pyseal 4 "$(body 'nla(1, u64(7)) + nla(2, u32(0)) + nest(3, nla(3, b"\x01\x00")) + nest(4, b"")')")" \
	'refused: malformed terms'
t_refused "offer terms with key-len-min above key-len-max are refused" b \
	"$(pyseal 4 "$(body 'nla(1, u64(7)) + nla(2, u32(0)) + nest(3, nla(3, u32(32)) + nla(4, u32(16))) + nest(4, b"")')")" \
	'refused: malformed terms'
t_refused "a services bitmap longer than 32 bytes is refused" b \
	"$(pyseal 4 "$(body 'nla(1, u64(7)) + nla(2, u32(0)) + nest(3, b"") + nest(4, nla(1, bytes(33)))')")" \
	'refused: malformed terms'
t_refused "an answer without a generation is refused" b \
	"$(pyseal 5 "$(body 'nla(1, u64(7)) + nest(5, b"") + nest(6, b"")')")" \
	'refused: malformed pair: no generation'
t_refused "an answer whose offerer-runs is malformed is refused" b \
	"$(pyseal 5 "$(body 'nla(1, u64(7)) + nla(2, u32(1)) + nest(5, nla(14, u32(5))) + nest(6, b"")')")" \
	'refused: terms carry a field that is not negotiable'
t_refused "an answer whose answerer-runs is malformed is refused" b \
	"$(pyseal 5 "$(body 'nla(1, u64(7)) + nla(2, u32(1)) + nest(5, b"") + nest(6, nla(14, u32(5)))')")" \
	'refused: terms carry a field that is not negotiable'
t_refused "an answer to no offer of b's is refused" b \
	"$(pyseal 5 "$(body 'nla(1, u64(7)) + nla(2, u32(1)) + nest(5, b"") + nest(6, b"")')")" \
	'refused: stale answer: not to our latest offer'
t_res "none of that gave b a pair with py" "" pair b py
# b offers py; py answers claiming b runs more than b offered
pyoffer=$(blob_of "$(b msg negotiate py)" offer)
opened=$(noise open "$PYST" "$pyoffer")
t_match "Python opens b's offer" '^opened type 4 counter [0-9]+, [0-9]+ bytes$' echo "$(printf '%s\n' "$opened" | head -1)"
oid=$(printf '%s\n' "$opened" | sed -n 's/^body 0c000100\(................\).*/\1/p')
t_true "... whose body starts with the offer id" [ -n "$oid" ]
OID=$(ksft_py -c 'import sys,struct; print(struct.unpack("<Q", bytes.fromhex(sys.argv[1]))[0])' "$oid")
# services bitmap with every bit of the first 4 bytes: more than b offered
t_refused "an answer that gives b more to run than it offered is refused" b \
	"$(pyseal 5 "$(body "nla(1, u64($OID)) + nla(2, u32(1)) + nest(5, nla(1, b'\\xfe\\xff\\xff\\xff')) + nest(6, b'')")")" \
	'refused: answer exceeds the offer'
t_refused "an answer in which py runs what b never asked is refused" b \
	"$(pyseal 5 "$(body "nla(1, u64($OID)) + nla(2, u32(1)) + nest(5, b'') + nest(6, nla(1, b'\\xfe\\xff\\xff\\xff'))")")" \
	'refused: answer exceeds the offer'
t_res "... and b stores no pair with py" "" pair b py
recv b "$(pyseal 5 "$(body "nla(1, u64($OID)) + nla(2, u32(9)) + nest(5, b'') + nest(6, b'')")")"
t_match "an answer within the offer is accepted" '^accepted answer from py$' echo "$out"
t_match "... with its generation" '^  pair: generation 9$' b peer show py

# a save keeps the pair; sessions are not saved
head -c 32 /dev/urandom >"$TMP/kek"
kek=$(keyctl padd user ksf:kek47 @u <"$TMP/kek")
rm -f "$TMP/kek"
t_true "save a" a save keyring "$kek" file "$TMP/a.sealed"
t_true "restore it into a fresh instance d" d restore keyring "$kek" file "$TMP/a.sealed"
t_res "d has a's pair with b" "$(pair a b)" pair d b
t_res "... and no session" "" eval "d peer show b | grep '^  session '"

# rekeying (the debug kernel lowers the count and shortens the life)
MSGS=/sys/module/ksf/parameters/dbg_chan_rekey_msgs
LIFE=/sys/module/ksf/parameters/dbg_chan_reject_secs
if [ -w "$MSGS" ]; then
	t_res "a fresh session from a to b" ok shake a b b
	echo 3 >"$MSGS"
	neg=$(a msg negotiate b)
	t_res "two seals under a fresh session: no rekey yet" "" blob_of "$neg" handshake-init
	recv b "$(blob_of "$neg" offer)"; recv a "$(blob_of "$out" answer)"
	neg=$(a msg negotiate b)
	rk=$(blob_of "$neg" handshake-init)
	t_true "the third seal comes with a handshake-init (rekey after 3 messages)" [ -n "$rk" ]
	old=$(a peer show b | sed -n 's/^  session \([0-9]*\): initiator current.*/\1/p')
	recv b "$rk"
	recv a "$(blob_of "$out" handshake-response)"
	t_match "a's new session is current, the old one previous" \
		"initiator current.* $old: initiator previous" echo $(a peer show b | grep '^  session ')
	recv b "$(blob_of "$out" confirm)"
	recv b "$(blob_of "$neg" offer)"
	t_match "b opens the offer sealed under the old session" '^accepted offer from a$' echo "$out"
	recv a "$(blob_of "$out" answer)"
	t_match "a accepts the answer sealed under b's new current session" '^accepted answer from b$' \
		echo "$out"
	echo 1048576 >"$MSGS"
	t_res "a second handshake" ok shake a b b
	t_res "the first session's keys are gone at a" "" \
		eval "a peer show b | grep '^  session $old:'"
	echo 9 >"$LIFE"	# rekey at 6 s for the initiator
	t_res "a handshake under a 9 s life" ok shake a b b
	neg=$(a msg negotiate b)
	t_res "a young session: no rekey" "" blob_of "$neg" handshake-init
	sleep 7
	neg=$(a msg negotiate b)
	t_true "after two thirds of its life, a seal comes with a handshake-init" \
		[ -n "$(blob_of "$neg" handshake-init)" ]
	echo 180 >"$LIFE"
fi

for p in $(b peer show | sed -n 's/^peer //p'); do
	b peer del "$p"
done
# (a peer's last reference, and its uncounting, may wait for a grace period)
for i in $(seq 30); do [ "$(mem b)" = 0 ] && break; sleep 0.1; done
t_res "b's memory is back to 0 with its peers gone (pairs uncounted too)" 0 mem b

ksft_dmesg_check "no kernel warnings"
ksft_done
