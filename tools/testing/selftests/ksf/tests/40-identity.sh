#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The instance identity: each instance has its own static X25519 key pair,
# generated in the kernel; info shows the public key (base64, as wg does)
# to anyone, in text and JSON; a save carries the key pair sealed and a
# restore brings it back in a fresh instance, installed only when the
# whole restore succeeds (an undone restore keeps the instance's own).
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

t_fail "info takes no arguments" 2 'no arguments' ksfctl info public-key
ksft_dmesg_check "no kernel report"
ksft_done
