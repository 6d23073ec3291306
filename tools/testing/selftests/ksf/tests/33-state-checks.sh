#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# What a save holds and what a restore and a request accept (issue 10,
# item 12):
# - a restore checks every field of a saved state as strictly as a
#   request: saves crafted under the KEK (which the test holds) with one
#   field out of range are refused and leave the instance empty;
# - uids and gids of a save are those the instance's user namespace sees,
#   whoever saves or restores: a container's state restored into another
#   container binds the same in-container uid;
# - an allowed-peer name of a key longer than a peer ID is refused, not
#   cut to another peer's name;
# - an AES-GCM key refuses encryptions past the SP 800-38D limit (2^32
#   with random IVs; the debug kernel's knob lowers it), also after a
#   save and restore.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n bash "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
TMP=$(mktemp -d)
PARM=/sys/module/ksf/parameters
PIDS=
cleanup() {
	[ -w "$PARM/dbg_gcm_limit" ] && echo 0 >"$PARM/dbg_gcm_limit"
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for n in 1 2 3; do ksft_ns_del ksft-sc$n; done
	rm -rf "$TMP"
}
trap cleanup EXIT
S="ksfctl service"
if ! command -v keyctl >/dev/null 2>&1; then
	ksft_ok "# SKIP keyctl not available"
	ksft_done
	exit 0
fi
head -c 32 /dev/urandom >"$TMP/kek"
KEKHEX=$(od -An -v -tx1 <"$TMP/kek" | tr -d ' \n')
kek=$(keyctl padd user ksf:sc-kek @u <"$TMP/kek")
rm -f "$TMP/kek"

# ---- restored fields are checked ----
# reseal REC ATTR TYPE:VALUE <blob >blob: opens the save with the KEK,
# sets attribute ATTR of every record REC (1 peer, 2 key, 3 context) to
# VALUE (u8, u32 or u64, the attribute keeps its size), or with type:N
# makes it an attribute of type N, and seals it again.
# Attribute numbers are those of uapi/linux/ksf.h.
reseal() {
	ksft_py -c '
import struct, sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
kek = bytes.fromhex(sys.argv[1])
rec, attr = int(sys.argv[2]), int(sys.argv[3])
kind, val = sys.argv[4].split(":") if sys.argv[4] != "none" else ("", "")
blob = sys.stdin.buffer.read()

def attrs(buf, off, end):
    while off + 4 <= end:
        ln, typ = struct.unpack_from("<HH", buf, off)
        if ln < 4:
            break
        yield off, ln, typ & 0x3fff
        off += (ln + 3) & ~3

hits = 0
def edit(pt):
    global hits
    for off, ln, typ in attrs(pt, 0, len(pt)):
        if typ != rec:
            continue
        for o, l, t in attrs(pt, off + 4, off + ln):
            if t != attr:
                continue
            hits += 1
            if kind == "type":
                struct.pack_into("<H", pt, o + 2, int(val, 0))
                continue
            fmt = {"u8": "<B", "u32": "<I", "u64": "<Q"}[kind]
            assert l - 4 == struct.calcsize(fmt), (t, l)
            struct.pack_into(fmt, pt, o + 4, int(val, 0))

out, off, dk, sid = bytearray(), 0, None, None
while off < len(blob):
    magic, ln, seq, _ = struct.unpack_from(">IIII", blob, off)
    unit = bytearray(blob[off:off + ln])
    off += ln
    if magic == 0x4b534632:
        sid = bytes(unit[16:32])
        dk = AESGCM(kek).decrypt(bytes(unit[32:44]), bytes(unit[44:92]), bytes(unit[:32]))
    else:
        ad = sid + bytes(unit[:16])
        nonce = bytes(4) + struct.pack(">Q", seq)
        pt = bytearray(AESGCM(dk).decrypt(nonce, bytes(unit[16:]), ad))
        if kind:
            edit(pt)
        unit[16:] = AESGCM(dk).encrypt(nonce, bytes(pt), ad)
    out += unit
if kind and not hits:
    sys.exit("reseal: no attribute %d in a record %d" % (attr, rec))
sys.stdout.buffer.write(out)
' "$KEKHEX" "$@"
}
ip netns add ksft-sc1
X="ip netns exec ksft-sc1"
$X ksfctl peer add amf kind nf uid 0 services all algs all >/dev/null
kamf=$($X ksfctl key add type generic len 32 usage derive owner amf)
$X $S nas-context key "$kamf" subscriber imsi-1 int-alg nia2 enc-alg nea2 bearer 2 >/dev/null
$X ksfctl context new amf imsi-2 sqn-he 64 >/dev/null
$X ksfctl key add type generic len 32 usage mac owner amf >/dev/null
$X ksfctl save keyring "$kek" file "$TMP/blob"
restore_ok() { # BLOB: restores into a fresh instance, which holds keys then
	ip netns add ksft-sc2
	ip netns exec ksft-sc2 ksfctl restore keyring "$kek" file "$1" &&
		ip netns exec ksft-sc2 ksfctl key show | grep -q .
	local rc=$?
	ip netns del ksft-sc2
	return $rc
}
# crafted DESC REC ATTR TYPE:VALUE: refused, and nothing restored
crafted() {
	local d=$1 out rc
	shift
	if ! reseal "$@" <"$TMP/blob" >"$TMP/bad" 2>"$TMP/reseal.err"; then
		ksft_fail "$d: crafted" "$(cat "$TMP/reseal.err")"
		return
	fi
	ip netns add ksft-sc2
	out=$(ip netns exec ksft-sc2 ksfctl restore keyring "$kek" file "$TMP/bad" 2>&1) && rc=0 || rc=$?
	local left
	left=$(ip netns exec ksft-sc2 ksfctl info | grep -E '^ *(peers|keys|contexts): *[1-9]')
	ip netns del ksft-sc2
	if [ $rc != 0 ] && [ -z "$left" ]; then
		ksft_ok "$d: refused ($out)"
	else
		ksft_fail "$d: refused, nothing restored" "exit $rc: $out" "left: $left"
	fi
}
t_true "the save restores as it is" restore_ok "$TMP/blob"
# A save of ksf 0.2 (state version 2 in its header): refused whole,
# naming the version and where the admin guide says what to do.
old_version() {
	local out rc left
	cp "$TMP/blob" "$TMP/v2"
	printf '\000\000\000\002' | dd of="$TMP/v2" bs=1 seek=8 conv=notrunc 2>/dev/null
	ip netns add ksft-sc2
	out=$(ip netns exec ksft-sc2 ksfctl restore keyring "$kek" file "$TMP/v2" 2>&1) && rc=0 || rc=$?
	left=$(ip netns exec ksft-sc2 ksfctl info | grep -E '^ *(peers|keys|contexts): *[1-9]')
	ip netns del ksft-sc2
	if [ $rc != 0 ] && [ -z "$left" ] &&
	   printf '%s\n' "$out" | grep -q 'saved by ksf 0.1/0.2 (state version 1/2).*Upgrading to 0.3'; then
		ksft_ok "a save of state version 2 (ksf 0.2) is refused, naming the version"
	else
		ksft_fail "a save of state version 2 (ksf 0.2) is refused, naming the version" \
			"exit $rc: $out" "left: $left"
	fi
}
old_version
reseal 0 0 none <"$TMP/blob" >"$TMP/same" && t_true "the save opened and sealed again restores" \
	restore_ok "$TMP/same" || ksft_fail "the save opened and sealed again restores"
crafted "NAS enc-alg 200" 3 9 u32:200
crafted "NAS enc-alg milenage" 3 9 u32:11
crafted "NAS int-alg nea1" 3 8 u32:8
crafted "NAS COUNT past 2^24" 3 13 u32:0x2000000
crafted "NAS bearer 0 (1 or 2 only)" 3 16 u8:0
crafted "NAS bearer 3" 3 16 u8:3
# restored_bearer BLOB: the nas-bearer line of imsi-1's restored context
restored_bearer() {
	ip netns add ksft-sc2
	ip netns exec ksft-sc2 ksfctl restore keyring "$kek" file "$1" >/dev/null 2>&1 &&
		ip netns exec ksft-sc2 ksfctl context show amf imsi-1 | sed -n 's/^  nas-bearer: //p'
	ip netns del ksft-sc2
}
t_true "a saved NAS context keeps its bearer (2)" \
	[ "$(restored_bearer "$TMP/blob")" = "2 (non-3GPP access)" ]
# A save older than the bearer has none: KSF_A_CONTEXT_NAS_BEARER (16)
# made a pad attribute (15), which a restore ignores
if reseal 3 16 type:15 <"$TMP/blob" >"$TMP/nobearer" 2>"$TMP/reseal.err"; then
	t_true "a saved NAS context without a bearer (an older save) restores with 1" \
		[ "$(restored_bearer "$TMP/nobearer")" = "1 (3GPP access)" ]
else
	ksft_fail "a saved NAS context without a bearer: crafted" "$(cat "$TMP/reseal.err")"
fi
crafted "SQN of the home environment past 2^48" 3 6 u64:0x1000000000000
crafted "context handle 0" 3 1 u64:0
crafted "key length other than its material's" 2 3 u32:16
crafted "key usage with an unknown bit" 2 4 u32:0x80000002
crafted "key handle 0" 2 1 u64:0
crafted "key source 9" 2 11 u32:9
crafted "peer kind 9" 1 2 u32:9
ip netns del ksft-sc1

# ---- uids and gids as the instance's user namespace sees them ----
# Containers A and B: a user and a network namespace each, uid 0..65535
# inside being 100000.. (A) and 200000.. (B) outside.  The admin (here,
# outside both) binds A's nf peer to uid 5 of A and saves A; restored
# into B, the peer is bound to uid 5 of B.
container() { # VAR BASE: VAR = pid of a process in new user+net namespaces
	unshare -U -n sleep 600 >/dev/null 2>&1 &
	local pid=$!
	PIDS="$PIDS $pid"
	sleep 0.3
	echo "0 $2 65536" >/proc/$pid/uid_map && echo "0 $2 65536" >/proc/$pid/gid_map ||
		return 1
	eval "$1=$pid"
}
uid_of() { nsenter --net=/proc/$1/ns/net ksfctl peer show nf1 | sed -n 's/^ *uid: //p'; }
A= B= C=
if container A 100000 && container B 200000 && container C 100000; then
	NA="nsenter --net=/proc/$A/ns/net"
	$NA ksfctl peer add nf1 kind nf uid 100005 gid 100007 services all algs all >/dev/null
	ka=$($NA ksfctl key add type generic len 32 usage mac owner nf1)
	t_res "A's peer is bound to uid 100005 (5 in A)" 100005 uid_of "$A"
	$NA ksfctl save keyring "$kek" file "$TMP/ablob"
	nsenter --net=/proc/$B/ns/net ksfctl restore keyring "$kek" file "$TMP/ablob"
	t_res "restored into B: bound to uid 200005 (5 in B)" 200005 uid_of "$B"
	t_match "restored into B: gid 200007 (7 in B)" '^ *gid: 200007$' \
		nsenter --net=/proc/$B/ns/net ksfctl peer show nf1
	nsenter --net=/proc/$C/ns/net ksfctl restore keyring "$kek" file "$TMP/ablob"
	t_res "restored into C (mapped as A): uid 100005 again" 100005 uid_of "$C"
	t_match "uid 5 gid 7 of B acts as nf1 there" '^0 ok data [0-9a-f]{64}$' \
		nsenter --net=/proc/$B/ns/net ksf-runas 200005 200007 \
		ksfctl service mac-generate alg hmac-sha256 key "$ka" data 00
else
	ksft_fail "containers with their own user namespace"
fi
# A binding to an id that the container's user namespace does not map
# (uid 5 outside, given by the admin outside) is not saved as "nobody"
# of the container: restoring it is refused.
D= E=
if container D 300000 && container E 300000; then
	nsenter --net=/proc/$D/ns/net ksfctl peer add nf2 kind nf uid 5 services all algs all >/dev/null
	nsenter --net=/proc/$D/ns/net ksfctl save keyring "$kek" file "$TMP/dblob"
	t_fail "a binding the container does not map: its restore is refused" 1 'not mapped' \
		nsenter --net=/proc/$E/ns/net ksfctl restore keyring "$kek" file "$TMP/dblob"
	t_match "and leaves nothing behind" '^ *peers: 0$' nsenter --net=/proc/$E/ns/net ksfctl info
else
	ksft_fail "containers D and E"
fi

# ---- allowed-peer names of a key ----
ksfctl peer add amf kind nf uid 0 services all algs all >/dev/null
id127=$(printf 'p%.0s' $(seq 1 127))
ksfctl peer add "$id127" kind ue >/dev/null
t_match "a key may name a peer of 127 bytes" '^0x[0-9a-f]{16}$' \
	ksfctl key add type generic len 32 usage mac owner amf peer "$id127"
t_fail "a peer name of 128 bytes is refused, not cut to 127" 1 '.' \
	ksfctl key add type generic len 32 usage mac owner amf peer "${id127}q"
n=$(ksfctl key show | grep -c "$id127")
[ "$n" = 1 ] && ksft_ok "only the 127-byte name is among the keys' peers" ||
	ksft_fail "only the 127-byte name is among the keys' peers" "$n"

# ---- AES-GCM invocation limit ----
t_gcm() { # DESC CMD...: the item fails (exit 3) and its reason names the limit
	local d=$1 o r
	shift
	o=$("$@" 2>&1) && r=0 || r=$?
	if [ $r = 3 ] && printf '%s\n' "$o" | grep -q '^0 error .*SP 800-38D'; then
		ksft_ok "$d"
	else
		ksft_fail "$d" "exit $r" "$o"
	fi
}
# The debug knobs are module parameters of a kernel with fault injection
# (CONFIG_FAULT_INJECTION_DEBUG_FS, the debug kernel); there all of them
# must exist, or the cases that need them would skip without a word.
if [ -d /sys/kernel/debug/failslab ]; then
	missing=
	for k in dbg_arm_delay_ms dbg_save_delay_ms dbg_bind_delay_ms dbg_gcm_limit; do
		[ -w "$PARM/$k" ] || missing="$missing $k"
	done
	[ -z "$missing" ] && ksft_ok "a kernel with fault injection has every debug knob" ||
		ksft_fail "a kernel with fault injection has every debug knob" "missing:$missing"
fi
if [ -w "$PARM/dbg_gcm_limit" ]; then
	echo 4 >"$PARM/dbg_gcm_limit"
	kg=$(ksfctl key add type aes len 32 usage encrypt,decrypt owner amf)
	ok=0
	for i in 1 2 3 4; do
		$S encrypt key "$kg" data 00112233 >"$TMP/enc" 2>&1 && ok=$((ok + 1))
	done
	[ $ok = 4 ] && ksft_ok "4 encryptions up to the (lowered) limit" ||
		ksft_fail "4 encryptions up to the (lowered) limit" "$ok" "$(cat "$TMP/enc")"
	t_gcm "the 5th encryption is refused with its reason" $S encrypt key "$kg" data 00112233
	ip netns add ksft-sc3
	ksfctl save keyring "$kek" file "$TMP/gblob"
	ip netns exec ksft-sc3 ksfctl restore keyring "$kek" file "$TMP/gblob"
	t_gcm "after a restore the key still refuses" \
		ip netns exec ksft-sc3 $S encrypt key "$kg" data 00112233
	ip netns del ksft-sc3
	echo 0 >"$PARM/dbg_gcm_limit"
	t_match "with the limit at 2^32 the key encrypts" '^0 ok' $S encrypt key "$kg" data 00112233
else
	ksft_ok "# SKIP the GCM limit needs the debug kernel's knob (2^32 encryptions otherwise)"
fi
ksfctl peer del "$id127"
ksfctl peer del amf
keyctl unlink "$kek" @u >/dev/null 2>&1
ksft_dmesg_check "no kernel report"
ksft_done
