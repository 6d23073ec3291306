#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The channel between instances, its first part: two instances (network
# namespaces) that know each other's public keys shake hands through
# blobs carried by ksfctl (msg handshake, msg receive); each side's
# session shows in peer show, and the responder's becomes current only
# when the initiator's confirm authenticates.  Blobs that are replayed,
# truncated, tampered, for another instance, from an unknown one or not
# blobs at all are refused with their reason and change nothing.  An
# independent implementation in Python (41-channel.py, on Debian's
# python3-cryptography) shakes hands with the kernel in both roles.
# Sessions are never saved, and (debug kernel) expired ones are wiped.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n bash "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
. "$(dirname "${KSF_TESTLIB:-/ksf/lib/ksft.sh}")/ksft-chan.sh"
ksft_dmesg_mark
A=ksf-t41a B=ksf-t41b C=ksf-t41c D=ksf-t41d
PYST=/tmp/ksf-t41-py.json PYST2=/tmp/ksf-t41-py2.json
TMP=$(mktemp -d)
cleanup() {
	for ns in $A $B $C $D; do ksft_ns_del $ns; done
	rm -f "/host$PYST" "/host$PYST2"
	rm -rf "$TMP"
	[ -z "${kek:-}" ] || keyctl unlink "$kek" @u >/dev/null 2>&1
}
trap cleanup EXIT
for ns in $A $B $C $D; do ksft_ns_add $ns; done

py=$KSF_ROOT/tools/testing/selftests/ksf/tests/41-channel.py
if [ ! -r "/host$py" ]; then
	cp "$py" /host/tmp/ksf-t41.py
	py=/tmp/ksf-t41.py
fi
noise() { ksft_py "$py" "$@"; }

a() { ip netns exec $A ksfctl "$@"; }
b() { ip netns exec $B ksfctl "$@"; }
c() { ip netns exec $C ksfctl "$@"; }
d() { ip netns exec $D ksfctl "$@"; }
sessions() { "$1" peer show "$2" | grep '^  session '; }

PA=$(pub a) PB=$(pub b) PC=$(pub c)
KA=$(keyid a)
t_match "info shows the key id, 16 hex digits" '^[0-9a-f]{16}$' echo "$KA"
t_res "the key id is SHA-256(\"ksf key id\" || public key), as Python computes it" \
	"$KA" noise keyid "$PA"
t_true "peer add a kind ksf (at b)" b peer add a kind ksf public-key "$PA"
t_true "peer add b kind ksf (at a)" a peer add b kind ksf public-key "$PB"
t_match "peer show names a ksf peer's key id" "^  key id: $KA\$" b peer show a

# the handshake, carried by ksfctl
hs=$(a msg handshake b) && rc=0 || rc=$?
init=$(blob_of "$hs" handshake-init)
t_true "msg handshake b gives one handshake-init for b" [ "$rc" = 0 -a -n "$init" ]
t_res "the handshake-init is 156 bytes" 156 bytes "$init"
t_res "no session yet at a" "" sessions a b
recv b "$init"
t_true "b accepts it" [ "$rc" = 0 ]
t_match "... as a handshake-init from a" '^accepted handshake-init from a$' echo "$out"
resp=$(blob_of "$out" handshake-response)
t_res "... and answers with a 100-byte handshake-response" 100 bytes "$resp"
t_match "b's session with a is unconfirmed" '^  session [0-9]+: responder unconfirmed' sessions b a
recv a "$resp"
t_match "a accepts the response" '^accepted handshake-response from b$' echo "$out"
confirm=$(blob_of "$out" confirm)
t_res "... and gives a 56-byte confirm to carry" 56 bytes "$confirm"
t_match "a's session with b is current, one blob sealed" \
	'^  session [0-9]+: initiator current, age [0-9]+ s, sent 1, received 0$' sessions a b
recv b "$confirm"
t_match "b accepts the confirm" '^accepted confirm from a$' echo "$out"
t_match "b's session is now current, one blob opened" \
	'^  session [0-9]+: responder current, age [0-9]+ s, sent 0, received 1$' sessions b a
t_refused "a replayed handshake-response is refused (its handshake is over)" a "$resp" \
	'refused: no handshake in progress with index [0-9]+'
t_refused "a handshake-response with a byte flipped is refused (mac1)" a "$(flip "$resp" 50 1)" \
	'refused: handshake: mac1 does not verify'
before=$(sessions b a | sed 's/age [0-9]* s, //')

# refusals: each with its reason, nothing changed
t_refused "a replayed confirm is refused" b "$confirm" 'refused: replayed message \(session [0-9]+, counter 0\)'
t_refused "a replayed handshake-init is refused" b "$init" 'refused: handshake replayed \(timestamp not newer\)'
t_refused "a truncated blob is refused" b "$(printf '%s' "$init" | base64 -d | head -c 155 | base64 -w0)" \
	'refused: truncated: header says 156 bytes, 155 given'
t_refused "bytes that are no blob are refused" b "$(head -c 64 /dev/urandom | base64 -w0)" \
	'refused: not a ksf channel blob'
t_refused "another version is refused" b "$(flip "$init" 4 3)" 'refused: channel version 2 not supported'
t_refused "an unknown type is refused" b "$(flip "$init" 5 64)" 'refused: unknown type 65'
t_refused "a blob for another instance is refused" c "$init" "refused: for another receiver \\(key id $(keyid b)\\)"
t_refused "a flipped sender id is refused" b "$(flip "$init" 19 1)" 'refused: unknown sender \(key id [0-9a-f]{16}\)'
for at in 28 40 80 130 150; do
	t_refused "a handshake-init with byte $at flipped is refused (mac1)" b "$(flip "$init" $at 1)" \
		'refused: handshake: mac1 does not verify'
done
for at in 0 27 31 39 50; do
	t_refused "a confirm with byte $at flipped is refused" b "$(flip "$confirm" $at 1)" 'refused: '
done
t_res "none of that changed b's sessions with a" "$before" \
	eval "sessions b a | sed 's/age [0-9]* s, //'"
t_match "b counts the 10 refusals of blobs from a" '^  msg-refused: 10$' b peer show a

# an instance b does not know
c peer add b kind ksf public-key "$PB" >/dev/null
cinit=$(blob_of "$(c msg handshake b)" handshake-init)
t_refused "a handshake from an unknown instance is refused" b "$cinit" \
	"refused: unknown sender \\(key id $(keyid c)\\)"

# several blobs at once: each its outcome, in order
batch=$(printf '%s\n%s\n' "$(head -c 40 /dev/urandom | base64 -w0)" \
	"$(blob_of "$(a msg handshake b)" handshake-init)" | b msg receive -) && rc=0 || rc=$?
t_true "a batch with a refused blob exits non-zero" [ "$rc" != 0 ]
t_match "... its first outcome is the refusal" '^refused: not a ksf channel blob' \
	echo "$(printf '%s\n' "$batch" | sed -n 1p)"
t_match "... the second an acceptance" '^accepted handshake-init from a$' \
	echo "$(printf '%s\n' "$batch" | sed -n 2p)"
t_match "... with its response to carry" '^a handshake-response ' echo "$batch"
recv a "$(blob_of "$batch" handshake-response)"
recv b "$(blob_of "$out" confirm)"
t_match "a rekeyed session: b has it current and the old one previous" \
	'responder current.*responder previous' echo $(sessions b a)

# permissions and kinds
t_fail "an unprivileged user may not start a handshake" 1 'Operation not permitted|permission' \
	ip netns exec $A ksf-runas 65534 65534 ksfctl msg handshake b
a peer add smf kind nf uid 0 >/dev/null
t_fail "an nf peer has no channel" 1 'not a ksf peer with a public key' a msg handshake smf
t_fail "msg handshake of no peer" 1 'no such peer' a msg handshake nobody

# A pre-shared key (Noise's psk2): both ends hold the same 32 bytes as a
# key of type psk; an instance without them cannot complete a handshake.
# The handle is all user space sees; the bytes are read per handshake.
# shake A B N: a full handshake from A to B; "ok" or the first refusal
# (A's name for B is $3)
shake() {
	recv "$2" "$(blob_of "$("$1" msg handshake "$3")" handshake-init)"
	[ "$rc" = 0 ] || { refusal; return; }
	recv "$1" "$(blob_of "$out" handshake-response)"
	[ "$rc" = 0 ] || { refusal; return; }
	recv "$2" "$(blob_of "$out" confirm)"
	[ "$rc" = 0 ] && echo ok || refusal
}
refusal() { printf '%s\n' "$out" | sed -n '/^refused: /{p;q}'; }
PSK=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
HA=$(echo "$PSK" | a key add type psk owner b material-hex -)
HB=$(echo "$PSK" | b key add type psk owner a material-hex -)
HB2=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | b key add type psk owner a material-hex -)
t_match "key add type psk gives a handle" '^0x[0-9a-f]{16}$' echo "$HB"
t_true "peer set b psk (at a)" a peer set b psk "$HA"
t_true "peer set a psk (at b)" b peer set a psk "$HB"
t_match "peer show names the psk's handle" "^  psk: key $HB\$" b peer show a
t_match "... and JSON too" "\"psk\":\"$HB\"" b -j peer show a
t_res "a handshake with the same psk at both ends completes" ok shake a b b
t_match "... and its session is current at both" 'initiator current' sessions a b
b peer set a psk "$HB2" >/dev/null
t_res "with another psk at b, a refuses b's response" \
	"refused: handshake does not authenticate" shake a b b
b peer set a psk 0 >/dev/null
t_res "psk 0 removes it: b shows none" "" eval "b peer show a | grep '^  psk:'"
t_res "... and a, which has one, refuses b's response" \
	"refused: handshake does not authenticate" shake a b b
b peer set a psk "$HB2" >/dev/null
b key del "$HB2" >/dev/null
t_res "a deleted psk key: b refuses the handshake-init, naming the key" \
	"refused: psk key $HB2 is gone or expired" shake a b b
t_fail "peer set with a handle that names no key" 1 'psk: no live key of type psk has that handle' \
	b peer set a psk 0x1234
HAES=$(b key add type aes len 16 owner a)
t_fail "peer set with a key of another type" 1 'psk: no live key of type psk has that handle' \
	b peer set a psk "$HAES"
b peer add smf2 kind nf uid 4242 >/dev/null
t_fail "an nf peer has no psk" 1 'only ksf peers with a public key have a psk' \
	b peer set smf2 psk "$HB"
t_fail "... nor a handshake timestamp" 1 'only ksf peers with a public key have a handshake timestamp' \
	b peer set smf2 reset-timestamp
t_true "peer set a psk (at b) again" b peer set a psk "$HB"
t_res "... and the handshake completes again" ok shake a b b
HA2=$(echo "$PSK" | a key add type psk owner b material-hex -)
a peer set b psk "$HA2" >/dev/null
recv b "$(blob_of "$(a msg handshake b)" handshake-init)"
a key del "$HA2" >/dev/null
t_refused "the initiator's psk key deleted before the response: a refuses it, naming the key" \
	a "$(blob_of "$out" handshake-response)" "refused: psk key $HA2 is gone or expired"
a peer set b psk "$HA" >/dev/null

# Sessions are never saved: b's save restored into a fresh instance d
# has b's identity and peers but no session, so a blob captured on the
# way to b opens nowhere; a new handshake works.
head -c 32 /dev/urandom >"$TMP/kek"
kek=$(keyctl padd user ksf:kek41 @u <"$TMP/kek")
rm -f "$TMP/kek"
oldinit=$(blob_of "$(a msg handshake b)" handshake-init)
recv b "$oldinit"
recv a "$(blob_of "$out" handshake-response)"
captured=$(blob_of "$out" confirm)
t_true "save b" b save keyring "$kek" file "$TMP/b.sealed"
t_true "restore it into a fresh instance d" d restore keyring "$kek" file "$TMP/b.sealed"
t_res "d has b's public key" "$PB" pub d
t_res "d has no session" "" eval "d peer show a | grep '^  session '"
t_refused "a confirm captured on its way to b opens nowhere in d" d "$captured" \
	'refused: unknown session [0-9]+$'
recv b "$captured"
t_match "b, which has the session, opens it" '^accepted confirm from a$' echo "$out"
t_match "d has b's psk handle for a" "^  psk: key $HB\$" d peer show a
t_refused "d refuses a handshake-init b accepted before the save (the timestamp mark is saved)" \
	d "$oldinit" 'refused: handshake replayed \(timestamp not newer\)'
t_true "peer set a reset-timestamp (at d)" d peer set a reset-timestamp
recv d "$oldinit"
t_match "... then d accepts it" '^accepted handshake-init from a$' echo "$out"
t_res "d shakes hands as b with a, with b's psk restored" ok shake a d b

# Python as the initiator, then as the responder
PP=$(noise keygen "$PYST")
t_true "peer add py kind ksf (at b)" b peer add py kind ksf public-key "$PP"
t_match "b's key id of py is Python's" "^  key id: $(noise keyid "$PP")\$" b peer show py
pinit=$(noise init "$PYST" "$PB")
recv b "$pinit"
t_match "b accepts Python's handshake-init" '^accepted handshake-init from py$' echo "$out"
presp=$(blob_of "$out" handshake-response)
pconf=$(noise response "$PYST" "$presp" 2>&1) && rc=0 || rc=$?
t_true "Python checks b's response (mac1, AEAD, the transcript) and seals a confirm" \
	[ "$rc" = 0 -a "$(bytes "$pconf" 2>/dev/null)" = 56 ]
recv b "$pconf"
t_match "b opens Python's confirm" '^accepted confirm from py$' echo "$out"
t_match "b's session with py is current" 'responder current, age [0-9]+ s, sent 0, received 1' sessions b py
t_refused "b refuses Python's confirm replayed" b "$pconf" 'replayed message'
c5=$(noise seal "$PYST" 5)
recv b "$c5"
t_match "b accepts Python's blob of counter 5 (order is free)" '^accepted confirm from py$' echo "$out"
t_refused "... once" b "$c5" 'replayed message \(session [0-9]+, counter 5\)'
kinit=$(blob_of "$(b msg handshake py)" handshake-init)
cp "/host$PYST" "/host$PYST2"
kresp=$(noise respond "$PYST2" "$kinit" 2>&1) && rc=0 || rc=$?
t_true "Python answers b's handshake-init (checks mac1, AEAD, b's static key, the timestamp)" \
	[ "$rc" = 0 -a "$(bytes "$kresp" 2>/dev/null)" = 100 ]
recv b "$kresp"
t_match "b accepts Python's response" '^accepted handshake-response from py$' echo "$out"
kconf=$(blob_of "$out" confirm)
t_match "Python opens b's confirm" '^opened type 3 counter 0, 0 bytes$' noise open "$PYST2" "$kconf"

# Python with a psk: the same bytes at both ends, then other bytes
PSKP=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
b peer set py psk "$(echo "$PSKP" | b key add type psk owner py material-hex -)" >/dev/null
noise psk "$PYST" "$PSKP"
recv b "$(noise init "$PYST" "$PB")"
pconf=$(noise response "$PYST" "$(blob_of "$out" handshake-response)" 2>&1) && rc=0 || rc=$?
t_true "Python, with b's psk for it, checks b's response and seals a confirm" \
	[ "$rc" = 0 -a "$(bytes "$pconf" 2>/dev/null)" = 56 ]
recv b "$pconf"
t_match "b opens it" '^accepted confirm from py$' echo "$out"
noise psk "$PYST" "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
recv b "$(noise init "$PYST" "$PB")"
t_fail "Python with other psk bytes cannot open b's response" 1 'InvalidTag' \
	noise response "$PYST" "$(blob_of "$out" handshake-response)"

# Expiry (the debug kernel shortens a session's life): the reaper wipes
# expired sessions of idle peers too, and a blob under one is refused.
LIFE=/sys/module/ksf/parameters/dbg_chan_reject_secs
if [ -w "$LIFE" ]; then
	echo 5 >"$LIFE"	# the handshake below must finish within it
	recv b "$(blob_of "$(a msg handshake b)" handshake-init)"
	recv a "$(blob_of "$out" handshake-response)"
	late=$(blob_of "$out" confirm)
	t_match "a fresh session at a" 'initiator current' sessions a b
	# life 5 s; the reaper looks every second once its next run (armed
	# with 30 s while sessions lived 180 s) came; peer show does not wipe
	for i in $(seq 40); do
		[ -z "$(sessions a b)$(sessions b a)" ] && break
		sleep 1
	done
	ksft_diag "sessions gone after ${i} s"
	t_res "the reaper wiped every expired session at a, idle" "" sessions a b
	t_res "... and at b" "" sessions b a
	t_refused "a confirm delivered after its session expired is refused" b "$late" \
		'refused: unknown session [0-9]+$'
	echo 180 >"$LIFE"
fi

ksft_dmesg_check "no kernel warnings"
ksft_done
