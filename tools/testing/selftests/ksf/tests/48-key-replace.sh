#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# notify key-replace OLD NEW (Documentation/channel.rst, "Lifecycle through
# notify"): OLD then MACs as NEW did, NEW's handle is gone, the instance
# has one key fewer (count and memory), the event key-replaced names both
# handles; the new key keeps NEW's lifetime (OLD's expiry does not fire,
# NEW's retired expiry neither); NEW's flags come along (spent); every
# refusal (foreign keys, unbound caller, one key twice, unknown handles,
# type, length, usage family, two owners, NAS context keys, a ksf peer's
# psk as NEW, wire-level misuse) changes nothing; notify PEER STATUS works
# as before; a mac-generate loop on OLD never misses it while OLD is
# replaced again and again (progs/ksf-replace-race).
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n bash "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
TMP=$(mktemp -d)
NS2=ksf-rep-$$
cleanup() {
	[ -z "${MON:-}" ] || kill "$MON" 2>/dev/null
	ksft_ns_del "$NS2"
	rm -rf "$TMP"
}
trap cleanup EXIT
S="ksfctl service"
R="ksfctl notify key-replace"
info() { ksfctl info | sed -n "s/^ *$1: *//p"; }
mem() { ksfctl info | sed -n 's/^ *memory: \([0-9]*\) bytes.*/\1/p'; }
# imp HEX TYPE OWNER [ARGS]: import a key, print its handle
imp() {
	local hex=$1 type=$2 owner=$3
	shift 3
	echo "$hex" | ksfctl key add type "$type" owner "$owner" "$@" material-hex -
}
hexkey() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
mac() { $S mac-generate alg hmac-sha256 key "$1" data 4869205468657265 2>&1; }
A32=0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b
B32=4a656665a4a656665a4a656665a4a656665a4a656665a4a656665a4a656665a4

ksfctl monitor >"$TMP/mon" 2>&1 &
MON=$!
ksft_wait_netlink $MON || ksft_diag "monitor did not open its socket"
sleep 0.5

ksfctl peer add rep kind nf uid 0 \
	services mac-generate,mac-verify,kdf,nas-context algs all >/dev/null
ksfctl peer add own kind nf uid 3000 services mac-generate algs all >/dev/null
ksfctl peer add oth kind nf uid 3001 services mac-generate algs all >/dev/null

# ---- success ----
old=$(imp $A32 generic rep usage mac,verify)
new=$(imp $B32 generic rep usage mac,verify peer own)
mac_old=$(mac "$old")
mac_new=$(mac "$new")
t_match "OLD and NEW MAC" '^0 ok ' echo "$mac_old"
[ "$mac_old" != "$mac_new" ] && ksft_ok "OLD and NEW MAC differently" ||
	ksft_fail "OLD and NEW MAC differently" "$mac_old"
k0=$(info keys)
m0=$(mem)
spare=$(imp "$(hexkey 32)" generic rep usage mac,verify)
msize=$(($(mem) - m0))
ksfctl key del "$spare"
t_res "notify key-replace OLD NEW succeeds silently" "" $R "$old" "$new"
t_res "OLD now MACs as NEW did" "$mac_new" mac "$old"
t_fail "NEW's handle is gone" 1 'no such key' ksfctl key show "$new"
t_res "a service on NEW's handle: unknown key handle" \
	'0 error ENOENT reason "unknown key handle"' mac "$new"
t_eq "one key fewer" "$(info keys)" $((k0 - 1))
t_eq "memory down by one key ($msize bytes)" "$(mem)" $((m0 - msize))
t_match "OLD keeps its handle and takes NEW's peers" '^  peers: own$' \
	ksfctl key show "$old"
t_match "OLD's owner is unchanged" '^  owner: rep$' ksfctl key show "$old"
sleep 0.5
t_match "event key-replaced: key OLD, new-key NEW" \
	"^key-replaced peer rep key $old new-key $new" cat "$TMP/mon"
json=$(ksfctl -j key show "$old")
if printf '%s' "$json" | grep -qiE "$B32|$A32"; then
	ksft_fail "no key bytes in key show"
else
	ksft_ok "no key bytes in key show"
fi

# ---- lifetime: the new key keeps NEW's; OLD's and NEW's old expiries never fire ----
lo=$(imp "$(hexkey 32)" generic rep usage mac,verify max-age 3)
ln=$(imp "$(hexkey 32)" generic rep usage mac,verify max-age 10)
t_res "replace a key of max-age 3 by one of max-age 10" "" $R "$lo" "$ln"
t_match "max-age 10 under OLD's handle" '^  max-age: 10' ksfctl key show "$lo"
sleep 5
t_match "5 s later OLD's handle still holds a key (OLD's expiry cancelled)" \
	"^key $lo\$" ksfctl key show "$lo"
sleep 7
t_fail "12 s later it expired (NEW's lifetime)" 1 'no such key' ksfctl key show "$lo"
t_match "event key-expired for OLD's handle" "^key-expired peer rep key $lo" cat "$TMP/mon"
t_eq "no event names NEW's retired handle but key-replaced" \
	"$(grep -c "key $ln" "$TMP/mon")" 1

# ---- flags: NEW's come along (a spent K_AMF) ----
KAMF=5ac1a4f2d8e07b3c19644e0dd1a2b3c400112233445566778899aabbccddeeff
ka=$(imp $KAMF generic rep usage derive)
# (not $r: t_match sets it)
nc=$($S nas-context key "$ka" subscriber imsi-001010000000048 int-alg nia2 enc-alg nea2 2>&1)
t_match "nas-context keys a NAS context with K_AMF" '^0 ok context 0x' echo "$nc"
ctx=$(printf '%s\n' "$nc" | sed -n 's/^0 ok context \(0x[0-9a-f]*\).*/\1/p')
nint=$(ksfctl context show "$ctx" | sed -n 's/^  nas-int-key: //p')
t_match "the NAS context names its K_NASint" '^0x[0-9a-f]{16}$' echo "$nint"
fresh=$(imp "$(hexkey 32)" generic rep usage derive)
t_res "replace a fresh derive key by the spent K_AMF" "" $R "$fresh" "$ka"
t_match "the spent flag comes along" '^  flags: .*spent' ksfctl key show "$fresh"
nc=$($S nas-context key "$fresh" subscriber imsi-001010000000049 int-alg nia2 enc-alg nea2 2>&1)
t_match "the replaced key keys no second NAS context (spent)" \
	'^0 rejected EPERM reason "K_AMF has keyed NAS keys before' echo "$nc"

# ---- refusals: each changes nothing ----
a=$(imp "$(hexkey 32)" generic rep usage mac,verify)
b=$(imp "$(hexkey 32)" generic rep usage mac,verify)
g16=$(imp "$(hexkey 16)" generic rep usage mac,verify)
aes=$(imp "$(hexkey 16)" aes rep usage mac,verify)
nas=$(imp "$(hexkey 16)" nas rep usage mac,verify)
der=$(imp "$(hexkey 32)" generic rep usage derive)
own=$(imp "$(hexkey 32)" generic own usage mac,verify)
oa=$(imp "$(hexkey 32)" generic own usage mac,verify)
ob=$(imp "$(hexkey 32)" generic own usage mac,verify)
xa=$(imp "$(hexkey 32)" generic oth usage mac,verify)
k1=$(info keys)
m1=$(mem)
mac1=$(mac "$old")
t_fail "OLD == NEW is refused" 1 'key-replace: the new key is the key' $R "$a" "$a"
t_fail "an unknown OLD is refused" 1 'key-replace: no such key \(No such file' \
	$R 0x0123456789abcdef "$b"
t_fail "an unknown NEW is refused" 1 'key-replace: no such new key \(No such file' \
	$R "$a" 0x0123456789abcdef
t_fail "keys of two lengths are refused" 1 'the keys differ in type or length' \
	$R "$a" "$g16"
t_fail "keys of two types are refused" 1 'the keys differ in type or length' \
	$R "$aes" "$nas"
t_fail "keys of two usage families are refused" 1 'the keys differ in usage family' \
	$R "$a" "$der"
t_fail "keys of two owners are refused, even for an admin" 1 'the keys have two owners' \
	$R "$a" "$own"
t_fail "a key of a NAS context as OLD is refused" 1 'a key of a NAS security context' \
	$R "$nint" "$nas"
t_fail "a key of a NAS context as NEW is refused" 1 'a key of a NAS security context' \
	$R "$nas" "$nint"
t_fail "missing NEW (usage)" 2 'usage: notify key-replace OLD NEW' $R "$a"
t_fail "notify - key-replace (usage)" 2 'usage: notify key-replace OLD NEW' \
	ksfctl notify - key-replace
t_fail "a preset for key-replace is refused" 1 'key-replace runs no preset' \
	ksfctl peer set rep notify key-replace "mac-generate alg hmac-sha256 key $a data 00"
t_fail "a foreign nf peer is refused" 1 'owns not both keys.*\(Permission denied\)' \
	ksf-runas 3001 3001 $R "$oa" "$ob"
t_fail "an nf peer owning only NEW is refused" 1 'owns not both keys' \
	ksf-runas 3000 3000 $R "$xa" "$ob"
t_fail "an nf peer owning only OLD is refused" 1 'owns not both keys' \
	ksf-runas 3000 3000 $R "$oa" "$xa"
t_fail "an unbound caller is refused" 1 'no nf peer is bound' \
	ksf-runas 3002 3002 $R "$oa" "$ob"
t_eq "refusals: key count unchanged" "$(info keys)" "$k1"
t_eq "refusals: memory unchanged" "$(mem)" "$m1"
t_res "refusals: OLD MACs as before" "$mac1" mac "$old"
t_true "refusals: every key is still there" \
	sh -c "for k in $a $b $g16 $aes $nas $der $own $oa $ob $xa $nint; do ksfctl key show \$k >/dev/null || exit 1; done"
t_res "the owner itself (no capability) replaces its keys" "" \
	ksf-runas 3000 3000 $R "$oa" "$ob"
t_eq "one key fewer" "$(info keys)" $((k1 - 1))

# psk: NEW may not be a ksf peer's psk; OLD may (a rotation)
ksft_ns_add "$NS2"
pk=$(ksft_ns_exec "$NS2" ksfctl info | sed -n 's/^  public key: //p')
p1=$(imp "$(hexkey 32)" psk rep)
p2=$(imp "$(hexkey 32)" psk rep)
p3=$(imp "$(hexkey 32)" psk rep)
t_true "a ksf peer with psk P1" ksfctl peer add kp kind ksf public-key "$pk" psk "$p1"
t_fail "replacing by a ksf peer's psk is refused" 1 "the new key is a ksf peer's psk" \
	$R "$p2" "$p1"
op=$(imp "$(hexkey 32)" psk own)
t_fail "an NF replacing its key by another's psk learns only that it owns not both" 1 \
	"owns not both keys" ksf-runas 3000 3000 $R "$op" "$p1"
t_res "replacing a ksf peer's psk (rotation)" "" $R "$p1" "$p3"
t_match "the peer keeps its psk handle" "psk: key $p1" ksfctl peer show kp

# the wire: what ksfctl cannot send
spec=$KSF_ROOT/Documentation/netlink/specs/ksf.yaml
if [ ! -r "/host$spec" ]; then
	cp "$spec" /host/tmp/ksf-rep-spec.yaml
	spec=/tmp/ksf-rep-spec.yaml
fi
py=$KSF_ROOT/tools/testing/selftests/ksf/tests/48-key-replace.py
if [ ! -r "/host$py" ]; then
	cp "$KSF_ROOT/tools/testing/selftests/ksf/tests/48-key-replace.py" /host/tmp/ksf-rep.py
	py=/tmp/ksf-rep.py
fi
kw=$(info keys)
while IFS= read -r line; do
	case $line in
	"ok "*) ksft_ok "${line#ok }" ;;
	"fail "*) ksft_fail "${line#fail }" ;;
	*) ksft_diag "$line" ;;
	esac
done < <(ksft_py "$py" "${KSF_KSRC:-/root/.cache/ksf/linux-source-6.12}" "$spec" "$a" "$b" 2>&1)
t_eq "wire refusals: key count unchanged" "$(info keys)" "$kw"

# notify PEER STATUS as before
ksfctl peer set rep notify deregistered \
	"mac-generate alg hmac-sha256 key $old data 4869205468657265" >/dev/null
t_res "notify PEER STATUS still runs its preset" "$mac_new" \
	ksfctl notify imsi-001010000000001 deregistered
t_fail "notify of a status without a preset, as before" 1 'no service list for this status' \
	ksfctl notify - registered

# ---- concurrency: a mac-generate loop on OLD never misses it ----
race=$(imp "$(hexkey 32)" generic rep usage mac,verify)
k2=$(info keys)
out=$(ksf-replace-race rep "$race" 500 2>&1) && rc=0 || rc=$?
if [ $rc = 0 ]; then
	ksft_ok "mac-generate on OLD during 500 replaces: no item fails"
	ksft_diag "$out"
else
	ksft_fail "mac-generate on OLD during 500 replaces: no item fails" "exit $rc"
	printf '%s\n' "$out" | sed 's/^/#   | /'
fi
t_eq "after 500 replaces the key count is as before" "$(info keys)" "$k2"
t_match "OLD still MACs" '^0 ok ' mac "$race"

ksft_dmesg_check "no kernel report"
ksft_done
