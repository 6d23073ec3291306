#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The instance identity: each instance has its own static X25519 key pair,
# generated in the kernel; info shows the public key (base64, as wg does)
# to anyone, in text and JSON; a save carries the key pair sealed and a
# restore brings it back in a fresh instance, installed only when the
# whole restore succeeds (an undone restore keeps the instance's own).
# A ksf peer holds another instance's public key: shown, saved, fixed for
# the peer's life, unique, never the instance's own or of small order.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n bash "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
NS=ksf-t40
TMP=$(mktemp -d)
cleanup() {
	ksft_ns_del $NS
	rm -rf "$TMP"
	[ -z "${kek:-}" ] || keyctl unlink "$kek" @u >/dev/null 2>&1
}
trap cleanup EXIT

pub() { ksfctl info | sed -n 's/^  public key: //p'; }
B64='^[A-Za-z0-9+/]{43}=$'

t_match "info shows a 32-byte public key in base64" "^  public key: [A-Za-z0-9+/]{43}=\$" \
	ksfctl info
me=$(pub)
j=$(ksfctl -j info | sed -n 's/.*"public_key":"\([^"]*\)".*/\1/p')
[ "$j" = "$me" ] && ksft_ok "--json info has the same public_key" ||
	ksft_fail "--json info has the same public_key" "$j" "$me"
[ "$(pub)" = "$me" ] && ksft_ok "the public key is stable" ||
	ksft_fail "the public key is stable"
n=$(printf '%s' "$me" | ksft_py -c 'import base64,sys; print(len(base64.b64decode(sys.stdin.read(), validate=True)))' 2>&1)
[ "$n" = 32 ] && ksft_ok "it decodes to 32 bytes" || ksft_fail "it decodes to 32 bytes" "$n"
u=$(ksf-runas 65534 65534 ksfctl info | sed -n 's/^  public key: //p')
[ "$u" = "$me" ] && ksft_ok "an unprivileged user reads it" ||
	ksft_fail "an unprivileged user reads it" "$u"
other=$(unshare -n ksfctl info | sed -n 's/^  public key: //p')
printf '%s' "$other" | grep -qE "$B64" && [ "$other" != "$me" ] &&
	ksft_ok "another instance has another key pair" ||
	ksft_fail "another instance has another key pair" "$other" "$me"

# save and restore carry the key pair
head -c 32 /dev/urandom >"$TMP/kek"
kek=$(keyctl padd user ksf:kek40 @u <"$TMP/kek")
rm -f "$TMP/kek"
ksfctl peer add amf kind nf uid 0 >/dev/null
ksf-state fill amf 3000 >/dev/null 2>&1
t_true "save" ksfctl save keyring "$kek" file "$TMP/blob"
ksft_ns_add $NS
fresh=$(ksft_ns_exec $NS ksfctl info | sed -n 's/^  public key: //p')
[ -n "$fresh" ] && [ "$fresh" != "$me" ] &&
	ksft_ok "a fresh instance starts with a key pair of its own" ||
	ksft_fail "a fresh instance starts with a key pair of its own" "$fresh"

# an undone restore: header and first segment (with the identity), then
# the socket closes before the last segment
t_match "a partial restore (header + first segment) is acked" '^ack' \
	ksft_ns_exec $NS ksf-state restore-partial "$TMP/blob" 2 "$kek"
after=$(ksft_ns_exec $NS ksfctl info | sed -n 's/^  public key: //p')
[ "$after" = "$fresh" ] && ksft_ok "an undone restore keeps the instance's own key pair" ||
	ksft_fail "an undone restore keeps the instance's own key pair" "$after" "$fresh"
ksft_diag "save of $(wc -c <"$TMP/blob") bytes"

t_true "restore into the fresh instance" \
	ksft_ns_exec $NS ksfctl restore keyring "$kek" file "$TMP/blob"
back=$(ksft_ns_exec $NS ksfctl info | sed -n 's/^  public key: //p')
[ "$back" = "$me" ] && ksft_ok "the restored instance has the saved key pair's public key" ||
	ksft_fail "the restored instance has the saved key pair's public key" "$back" "$me"
ksft_py -c '
import base64, sys
pub = base64.b64decode(sys.argv[1])
sys.exit(1 if len(pub) != 32 or pub in sys.stdin.buffer.read() else 0)' "$me" <"$TMP/blob" &&
	ksft_ok "the save does not carry the key pair in clear (not even the public key)" ||
	ksft_fail "the save does not carry the key pair in clear"

# ksf peers: the other instance's public key
t_true "a ksf peer with the other instance's public key" \
	ksfctl peer add hostb kind ksf public-key "$other"
t_match "peer show shows it" "^  public key: [A-Za-z0-9+/]{43}=\$" ksfctl peer show hostb
[ "$(ksfctl peer show hostb | sed -n 's/^  public key: //p')" = "$other" ] &&
	ksft_ok "the same key" || ksft_fail "the same key" "$(ksfctl peer show hostb)"
[ "$(ksfctl -j peer show hostb | sed -n 's/.*"public_key":"\([^"]*\)".*/\1/p')" = "$other" ] &&
	ksft_ok "--json peer show has public_key" || ksft_fail "--json peer show has public_key"
t_true "a ksf peer without a key (trust not configured yet)" ksfctl peer add hostc kind ksf
ksfctl peer show hostc | grep -q "public key" &&
	ksft_fail "a peer without a key shows none" || ksft_ok "a peer without a key shows none"
t_fail "the same key for a second ksf peer" 1 'another ksf peer has the same public key' \
	ksfctl peer add hostb2 kind ksf public-key "$other"
t_fail "the instance's own key" 1 "public key is this instance's own" \
	ksfctl peer add self kind ksf public-key "$me"
zero=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
t_fail "a point of small order (0)" 1 'public key of small order' \
	ksfctl peer add zero kind ksf public-key $zero
t_fail "a point of small order (1)" 1 'public key of small order' \
	ksfctl peer add one kind ksf public-key AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
t_fail "a public key for an nf peer" 1 'only ksf peers have a public key' \
	ksfctl peer add nf1 kind nf uid 7 public-key "$other"
t_fail "a public key for a ue peer" 1 'only ksf peers have a public key' \
	ksfctl peer add ue1 kind ue public-key "$other"
t_fail "peer set does not change a public key" 2 'unknown peer keyword "public-key"' \
	ksfctl peer set hostb public-key "$me"
t_fail "not base64" 2 'not 32 bytes of base64' ksfctl peer add x kind ksf public-key 'not-base64!'
t_fail "too short" 2 'not 32 bytes of base64' ksfctl peer add x kind ksf public-key AAAA
t_fail "44 characters, bad last bits" 2 'not 32 bytes of base64' \
	ksfctl peer add x kind ksf public-key AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=
t_fail "no peer was left by the refusals" 1 'no such peer' ksfctl peer show self
t_fail "needs CAP_NET_ADMIN" 1 '' ksf-runas 65534 65534 ksfctl peer add hostd kind ksf public-key "$other"
t_true "save with the ksf peers" ksfctl save keyring "$kek" file "$TMP/blob2"
ksft_ns_del $NS
ksft_ns_add $NS
t_true "restore them" ksft_ns_exec $NS ksfctl restore keyring "$kek" file "$TMP/blob2"
[ "$(ksft_ns_exec $NS ksfctl peer show hostb | sed -n 's/^  public key: //p')" = "$other" ] &&
	ksft_ok "a restored ksf peer keeps its public key" ||
	ksft_fail "a restored ksf peer keeps its public key" "$(ksft_ns_exec $NS ksfctl peer show hostb)"
t_true "peer del and add with another key" sh -c "ksfctl peer del hostb && ksfctl peer add hostb kind ksf public-key $fresh"

t_fail "info takes no arguments" 2 'no arguments' ksfctl info public-key
ksft_dmesg_check "no kernel report"
ksft_done
