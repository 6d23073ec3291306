#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Streamed save and restore of a large instance: a peer with 120000
# contexts (some with SQN state), keys, a NAS security context and an AKA
# SQN is saved to a file beyond the old 4 MiB limit, made of units (header
# "KSF2", segments "KSFS", last "KSFE"); restored into a fresh instance
# with the same counts, contexts, NAS COUNTs and SQNs.  Refusals (a blob
# truncated at a unit boundary, segments swapped, a flipped byte, no last
# segment, the header or a segment of another save) say why and leave the
# instance empty.  A restore whose socket closes before the last segment
# is undone by the kernel on the close (not before: the instance holds the
# first segments while the socket is open); while it is held, a second
# restorer on another socket is refused and cannot undo it.
#
# The debug kernel (KASAN: slow) gets fewer contexts with 127-character
# subscriber IDs, so that the file still exceeds 4 MiB; KSF_SAVE_LARGE_N
# overrides the count.  Times are printed as diagnostics.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n bash "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"

NS=ksf-t25
TMP=$(mktemp -d)
HOLDER=
cleanup() {
	[ -z "$HOLDER" ] || kill "$HOLDER" 2>/dev/null
	ksft_ns_del $NS
	rm -rf "$TMP"
	[ -z "${kek:-}" ] || keyctl unlink "$kek" @u >/dev/null 2>&1
	[ -z "${keklogon:-}" ] || keyctl unlink "$keklogon" @u >/dev/null 2>&1
}
trap cleanup EXIT
ksft_dmesg_mark
if ! command -v keyctl >/dev/null 2>&1; then
	echo "1..0 # SKIP keyctl not available"
	exit 0
fi

if [ "${KSF_KERNEL:-stock}" = debug ]; then
	N=${KSF_SAVE_LARGE_N:-25000}
	PREFIX=imsi-00101-$(printf 'x%.0s' $(seq 107))-	# 119 + 8 digits = 127
else
	N=${KSF_SAVE_LARGE_N:-120000}
	PREFIX=imsi-00101
fi
OLD_LIMIT=$((4 << 20))
S="ksfctl service"
KAMF=5ac1a4f2d8e07b3c19644e0dd1a2b3c400112233445566778899aabbccddeeff
K=465b5ce8b199b49faa5f0a2ee238a6bc			# TS 35.208 test set 1
OPC=cd63cb71954a9f4e48a5994e37a02baf
SNN=5G:mnc001.mcc001.3gppnetwork.org
P1=7e005d020004f0f0f0f0e1360102

anyrc() { "$@"; true; }
get() { printf '%s\n' "$2" | sed -n "s/^.* $1 \([^ ]*\).*\$/\1/p" | head -n 1; }
sub() { printf '%s%08u' "$PREFIX" "$1"; }
# "peers keys contexts" of the instance (of netns $1 if given)
counts() {
	if [ $# -gt 0 ]; then ip netns exec "$1" ksfctl info; else ksfctl info; fi 2>&1 |
		awk '$1 == "peers:" { p = $2 } $1 == "keys:" { k = $2 }
		     $1 == "contexts:" { c = $2 } END { print p, k, c }'
}
now() { cut -d' ' -f1 /proc/uptime; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# The units of a saved state: "offset magic length seq" per unit; fails
# unless they tile the file exactly.
units() {
	local f=$1 size off=0 h magic len
	size=$(wc -c <"$f")
	while [ "$off" -lt "$size" ]; do
		h=$(od -An -tx1 -j "$off" -N 12 "$f")
		h=${h//[!0-9a-f]/}
		[ ${#h} = 24 ] || { echo "$off short"; return 1; }
		case ${h:0:8} in
		4b534632) magic=KSF2 ;;
		4b534653) magic=KSFS ;;
		4b534645) magic=KSFE ;;
		*) magic="?${h:0:8}" ;;
		esac
		len=$((0x${h:8:8}))
		echo "$off $magic $len $((0x${h:16:8}))"
		[ "$len" -ge 16 ] || return 1
		off=$((off + len))
	done
	[ "$off" = "$size" ]
}
# bytes [$2, $2 + $3) of file $1
bytes() { tail -c +$(($2 + 1)) "$1" | head -c "$3"; }
# offset and length of unit $2 (0: the header) in the unit list $1
uoff() { sed -n "$(($2 + 1))p" "$1" | cut -d' ' -f1; }
ulen() { sed -n "$(($2 + 1))p" "$1" | cut -d' ' -f3; }

# ---- a large instance ----

head -c 32 /dev/urandom >"$TMP/kek"
kek=$(keyctl padd user ksf:t25-kek @u <"$TMP/kek")
KEKDESC=ksf:t25-kek-logon		# the same bytes as a logon key, by description
keklogon=$(keyctl padd logon $KEKDESC @u <"$TMP/kek")
rm -f "$TMP/kek"
ksfctl peer add bulk kind nf uid 0 services nas-context,nas-protect,nas-unprotect,aka-vector \
	algs all >/dev/null
ksfctl peer add ue-1 kind ue >/dev/null
ka=$(echo $KAMF | ksfctl key add type generic usage derive owner bulk material-hex -)
kk=$(echo $K | ksfctl key add type k owner bulk material-hex -)
ko=$(echo $OPC | ksfctl key add type opc owner bulk material-hex -)
ksfctl key add type aes len 32 usage mac owner bulk peer ue-1 >/dev/null
t0=$(now)
t_match "ksf-state fill: $N contexts of one peer" "^$N contexts\$" ksf-state fill bulk "$N" "$PREFIX"
ksft_diag "fill: $N contexts in $(since "$t0") s"

NAS=$(sub 7)			# a filled context without SQN: gets a NAS context
AKA=$(sub 16)			# a filled context with SQN 512: one AKA vector
res=$(anyrc $S nas-context key "$ka" subscriber "$NAS" int-alg nia2 enc-alg nea2 2>&1)
cn=$(get context "$res")
t_match "nas-context on a filled context" '^0 ok context 0x[0-9a-f]{16}$' echo "$res"
for i in 0 1; do
	t_match "nas-protect before the save: count $i" "^0 ok .* context $cn count $i\$" \
		anyrc $S nas-protect subscriber "$NAS" data $P1
done
v1=$(anyrc $S aka-vector subscriber "$AKA" alg milenage key "$kk" key2 "$ko" snn $SNN 2>&1)
sqn1=$(get sqn "$v1")
t_match "aka-vector on a filled context with SQN 0x200" "^0 ok .* sqn 0x0*2[23][0-9a-f] context" echo "$v1"
before=$(counts)
t_eq "info: 2 peers, 7 keys (K_NASint, K_NASenc, K_AUSF), $N contexts" "$before" "2 7 $N"
SPOT="0 1 7 16 $((N / 2)) $((N / 2 + 1)) $((N - 1))"
for i in $SPOT; do ksfctl context show bulk "$(sub "$i")"; done >"$TMP/spot.before" 2>&1

# ---- save ----

t0=$(now)
ksft_check "save of $N contexts" ksfctl save keyring "$kek" file "$TMP/blob"
ksft_diag "save: $(since "$t0") s"
size=$(wc -c <"$TMP/blob")
[ "$size" -gt $OLD_LIMIT ] && ksft_ok "the saved state ($size bytes) exceeds the old 4 MiB limit" ||
	ksft_fail "the saved state exceeds the old 4 MiB limit" "$size bytes"
t0=$(now)
if units "$TMP/blob" >"$TMP/units"; then
	ksft_ok "the file is a sequence of units ($(wc -l <"$TMP/units") units)"
else
	ksft_fail "the file is a sequence of units" "$(tail -n 3 "$TMP/units")"
fi
ksft_diag "unit walk: $(since "$t0") s"
nu=$(wc -l <"$TMP/units")
nseg=$((nu - 1))
t_match "the first unit is the header KSF2 (version 3)" '^0 KSF2 [0-9]+ 3$' head -n 1 "$TMP/units"
t_match "the last unit is KSFE" "^[0-9]+ KSFE [0-9]+ $((nseg - 1))\$" tail -n 1 "$TMP/units"
bad=$(sed '1d;$d' "$TMP/units" | awk '$2 != "KSFS" || $4 != NR - 1 || $3 > 65531' | head -n 3)
[ -z "$bad" ] && [ "$nseg" -gt 64 ] &&
	ksft_ok "$((nseg - 1)) KSFS segments in between, numbered 0.. in order, each < 64 KiB" ||
	ksft_fail "KSFS segments in between, numbered in order" "$nseg segments" "$bad"

# ---- restore into a fresh instance ----

ksft_ns_add $NS
t0=$(now)
ksft_check "restore into a fresh instance (netns)" \
	ip netns exec $NS ksfctl restore keyring "$kek" file "$TMP/blob"
ksft_diag "restore: $(since "$t0") s"
t_eq "info: the same counts of peers, keys and contexts" "$(counts $NS)" "$before"
for i in $SPOT; do ip netns exec $NS ksfctl context show bulk "$(sub "$i")"; done >"$TMP/spot.after" 2>&1
cmp -s "$TMP/spot.before" "$TMP/spot.after" &&
	ksft_ok "contexts $SPOT: the same handles, times, states (NAS: keys and COUNTs)" ||
	{ ksft_fail "spot-checked contexts identical"
	  diff "$TMP/spot.before" "$TMP/spot.after" | head -n 20 | sed 's/^/#   | /'; }
nasblk=$(awk -v h="context $cn" '$0 == h { f = 1; print; next } /^context / { f = 0 } f' "$TMP/spot.after")
printf '%s\n' "$nasblk" | grep -qx '  nas-tx-count: 2' && printf '%s\n' "$nasblk" | grep -qx '  nas-rx-count: 0' &&
	printf '%s\n' "$nasblk" | grep -qx '  state: nas' &&
	ksft_ok "the NAS context: the same handle $cn, COUNTs tx 2 rx 0" ||
	{ ksft_fail "the NAS context: the same handle, COUNTs tx 2 rx 0"; printf '%s\n' "$nasblk" | sed 's/^/#   | /'; }
t_match "nas-protect after the restore is refused (no COUNT reused)" \
	'^0 error ESTALE reason "NAS context restored from a save' \
	anyrc ip netns exec $NS $S nas-protect subscriber "$NAS" data $P1
v2=$(anyrc ip netns exec $NS $S aka-vector subscriber "$AKA" alg milenage key "$kk" key2 "$ko" snn $SNN 2>&1)
sqn2=$(get sqn "$v2")
if [ -n "$sqn1" ] && [ -n "$sqn2" ] && [ $((sqn2 >> 5)) = $(((sqn1 >> 5) + 1)) ]; then
	ksft_ok "the next aka-vector's SQN follows the saved one ($sqn1 -> $sqn2)"
else
	ksft_fail "the next aka-vector's SQN follows the saved one" "before: $v1" "after: $v2"
fi
i=$(((N - 1) / 16 * 16))	# the last filled context with an initial SQN
v3=$(anyrc ip netns exec $NS $S aka-vector subscriber "$(sub $i)" alg milenage key "$kk" key2 "$ko" snn $SNN 2>&1)
sqn3=$(get sqn "$v3")
[ -n "$sqn3" ] && [ $((sqn3 >> 5)) = $((i + 1)) ] &&
	ksft_ok "a filled context's initial SQN was restored ($(sub $i | tail -c 8): $sqn3)" ||
	ksft_fail "a filled context's initial SQN was restored" "$v3"
ksft_ns_del $NS

# ---- refusals leave the instance empty and say why ----

# restore_refused DESC REGEX FILE
restore_refused() {
	local d=$1 re=$2 f=$3 out rc c
	out=$(unshare -n bash -c 'ksfctl restore keyring "$1" file "$2"; echo "rc=$?"
		ksfctl info' _ "$kek" "$f" 2>&1)
	rc=$(printf '%s\n' "$out" | sed -n 's/^rc=//p')
	c=$(printf '%s\n' "$out" | awk '$1 == "peers:" { p = $2 } $1 == "keys:" { k = $2 }
		$1 == "contexts:" { c = $2 } END { print p, k, c }')
	if [ "$rc" = 1 ] && [ "$c" = "0 0 0" ] && printf '%s\n' "$out" | grep -qE -- "$re"; then
		ksft_ok "$d: refused ($(printf '%s\n' "$out" | grep -m1 'restore:' | sed 's/^ksfctl: restore: //')), instance empty"
	else
		ksft_fail "$d: refused, instance empty" "exit $rc (wanted 1), counts $c (wanted 0 0 0), wanted /$re/"
		printf '%s\n' "$out" | sed 's/^/#   | /'
	fi
}

mid=$((nseg / 2))		# a middle segment, some requests into the restore
cut=$(uoff "$TMP/units" $((mid + 1)))
head -c "$cut" "$TMP/blob" >"$TMP/bad"
restore_refused "truncated after $mid of $nseg segments (a unit boundary)" \
	'saved state truncated' "$TMP/bad"

o1=$(uoff "$TMP/units" "$mid") o2=$(uoff "$TMP/units" $((mid + 1)))
o3=$(uoff "$TMP/units" $((mid + 2)))
{ head -c "$o1" "$TMP/blob"; bytes "$TMP/blob" "$o2" $((o3 - o2))
  bytes "$TMP/blob" "$o1" $((o2 - o1)); tail -c +$((o3 + 1)) "$TMP/blob"; } >"$TMP/bad"
t_eq "the swapped file has the same size" "$(wc -c <"$TMP/bad")" "$size"
restore_refused "segments $((mid - 1)) and $mid swapped" 'segment missing or out of order' "$TMP/bad"

{ head -c "$o2" "$TMP/blob"; bytes "$TMP/blob" "$o1" $((o2 - o1))
  tail -c +$((o2 + 1)) "$TMP/blob"; } >"$TMP/bad"
restore_refused "segment $((mid - 1)) repeated" 'segment missing or out of order' "$TMP/bad"

cp "$TMP/blob" "$TMP/bad"
pos=$((o1 + 16 + (o2 - o1 - 32) / 2))	# in the middle of segment mid-1's ciphertext
b=$(od -An -tu1 -j "$pos" -N 1 "$TMP/bad" | tr -d ' ')
printf "\\$(printf %03o $((b ^ 0x10)))" | dd of="$TMP/bad" bs=1 seek="$pos" conv=notrunc 2>/dev/null
cmp -s "$TMP/blob" "$TMP/bad" && ksft_fail "one byte flipped" "no change at $pos" ||
	restore_refused "one byte flipped in segment $((mid - 1))" 'segment does not authenticate' "$TMP/bad"

head -c "$(uoff "$TMP/units" "$nseg")" "$TMP/blob" >"$TMP/bad"
restore_refused "the KSFE unit dropped" 'saved state truncated' "$TMP/bad"

# Units the kernel checks before any decryption (libksf only splits the
# file at the units' lengths): MAGIC LEN SEQ, reserved 0, as bytes.
unit_hdr() {
	local v
	printf '%s' "$1"
	for v in "$2" "$3" 0; do
		printf "\\$(printf %03o $((v >> 24 & 255)))\\$(printf %03o $((v >> 16 & 255)))"
		printf "\\$(printf %03o $((v >> 8 & 255)))\\$(printf %03o $((v & 255)))"
	done
}
h0=$(ulen "$TMP/units" 0)
{ unit_hdr KSF2 "$h0" 4; bytes "$TMP/blob" 16 $((h0 - 16)); tail -c +$((h0 + 1)) "$TMP/blob"; } >"$TMP/bad"
restore_refused "the header says version 4" 'not a ksf saved state of this version' "$TMP/bad"
{ unit_hdr KSF2 "$h0" 2; bytes "$TMP/blob" 16 $((h0 - 16)); tail -c +$((h0 + 1)) "$TMP/blob"; } >"$TMP/bad"
restore_refused "the header says version 2 (ksf 0.2)" 'saved by ksf 0.1/0.2 \(state version 1/2\)' "$TMP/bad"
{ unit_hdr KSF2 16 3; tail -c +$((h0 + 1)) "$TMP/blob"; } >"$TMP/bad"
restore_refused "a header of 16 bytes" 'not a ksf saved state of this version' "$TMP/bad"
{ head -c "$h0" "$TMP/blob"; unit_hdr KSFS 16 0; } >"$TMP/bad"
restore_refused "a segment shorter than its header and tag" 'saved state truncated' "$TMP/bad"
{ head -c "$h0" "$TMP/blob"; unit_hdr KSFX 16 0; } >"$TMP/bad"
restore_refused "a unit of unknown type" 'not a unit of a saved state' "$TMP/bad"

ksfctl save keyring "$kek" file "$TMP/blob2"
if units "$TMP/blob2" >"$TMP/units2"; then
	h2=$(ulen "$TMP/units2" 0)
	{ head -c "$h2" "$TMP/blob2"; tail -c +$(($(ulen "$TMP/units" 0) + 1)) "$TMP/blob"; } >"$TMP/bad"
	restore_refused "the header of another save with these segments" \
		'segment does not authenticate' "$TMP/bad"
	p1=$(uoff "$TMP/units2" "$mid") p2=$(uoff "$TMP/units2" $((mid + 1)))
	{ head -c "$o1" "$TMP/blob"; bytes "$TMP/blob2" "$p1" $((p2 - p1))
	  tail -c +$((o2 + 1)) "$TMP/blob"; } >"$TMP/bad"
	restore_refused "segment $((mid - 1)) taken from another save" \
		'segment does not authenticate' "$TMP/bad"
else
	ksft_fail "a second save is a sequence of units"
fi
rm -f "$TMP/blob2" "$TMP/bad"

# ---- the restoring socket closes before the last segment ----

ksft_ns_add $NS
t_match "restore-partial (KEK by description): header and 2 segments, no end: ack" '^ack ' \
	ip netns exec $NS ksf-state restore-partial "$TMP/blob" 3 $KEKDESC
t_eq "its socket closed: the kernel undid the restore" "$(counts $NS)" "0 0 0"

ip netns exec $NS ksf-state restore-partial "$TMP/blob" 3 "$kek" --hold 300 \
	>"$TMP/hold" 2>&1 &
HOLDER=$!
n=600
while [ $n -gt 0 ] && ! grep -q . "$TMP/hold"; do sleep 0.1; n=$((n - 1)); done
t_match "restore-partial --hold: ack" '^ack ' cat "$TMP/hold"
held=$(counts $NS)
set -- $held
[ "${1:-0}" = 2 ] && [ "${3:-0}" -gt 0 ] &&
	ksft_ok "while its socket is open, the instance holds the first segments ($held)" ||
	ksft_fail "while its socket is open, the instance holds the first segments" "$held"
t_fail "a second restorer (ksfctl, another socket) is refused" 1 'another restore is in progress' \
	ip netns exec $NS ksfctl restore keyring "$kek" file "$TMP/blob"
t_match "the next segments from another socket are refused" \
	'^error 16: another restore is in progress$' \
	anyrc ip netns exec $NS ksf-state restore-partial "$TMP/blob" 2 "$kek" --from 3
t_match "an end request from another socket is refused" '^error 22: no saved state$' \
	anyrc ip netns exec $NS ksf-state restore-partial "$TMP/blob" 0 "$kek" --end
t_fail "no other writer while a restore runs: peer add" 1 'a restore is in progress' \
	ip netns exec $NS ksfctl peer add intruder kind ksf
t_fail "no other writer while a restore runs: context new" 1 'a restore is in progress' \
	ip netns exec $NS ksfctl context new bulk imsi-intruder
t_eq "the refused restorers did not undo the first one's progress" "$(counts $NS)" "$held"
kill "$HOLDER"
wait "$HOLDER" 2>/dev/null
HOLDER=
t_eq "the holder killed: its socket closed, the restore undone" "$(counts $NS)" "0 0 0"
t0=$(now)
ksft_check "a full restore after that" ip netns exec $NS ksfctl restore keyring "$kek" file "$TMP/blob"
ksft_diag "restore (again): $(since "$t0") s"
t_eq "... with the same counts" "$(counts $NS)" "$before"
ksft_ns_del $NS

ksft_dmesg_check "no kernel report"
ksft_done
