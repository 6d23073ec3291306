#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Keys through ksfctl: generate, import (material from stdin or a file,
# kernel keyring by serial and by description), metadata, type/length/usage
# rules, expiry (max-age) with its event, delete, multi-part dumps, keys
# destroyed with their owner, admin permission.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n sh "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
TMP=$(mktemp -d)
HRE='^0x[0-9a-f]{16}$'
kfield() { ksfctl key show "$1" | sed -n "s/^  $2: *//p"; }

ksfctl monitor >"$TMP/mon" 2>&1 &
MON=$!
ksft_wait_netlink $MON || ksft_diag "monitor did not open its socket"
# the events socket opens after the request socket: let it subscribe
sleep 0.5

ksfctl peer add own-1 kind nf uid 3000
ksfctl peer add other-1 kind ue

# generate
t_match "key add generates a key and prints its handle" "$HRE" \
	ksfctl key add type generic len 32 usage mac,verify owner own-1
h=$(ksfctl key add type generic len 32 usage mac,verify owner own-1 peer other-1 peer ue-x)
now=$(date +%s)
[ "$h" != 0x0000000000000000 ] && ksft_ok "handle is not 0" || ksft_fail "handle is not 0"
out=$(ksfctl key show "$h")
ok=1
for l in "^key $h\$" '^  type: generic$' '^  len: 32$' '^  usage: mac,verify$' \
	 '^  owner: own-1$' '^  peers: other-1,ue-x$' '^  source: generate$' '^  uses: 0$'; do
	printf '%s\n' "$out" | grep -qE "$l" || { ok=0; ksft_diag "missing /$l/"; }
done
[ $ok = 1 ] && ksft_ok "key show: type, len, usage, owner, peers, source, uses" ||
	{ ksft_fail "key show: type, len, usage, owner, peers, source, uses"; printf '%s\n' "$out" | sed 's/^/#   | /'; }
created=$(kfield "$h" created | cut -d' ' -f1)
d=$((now - created))
[ "$d" -ge 0 ] && [ "$d" -le 60 ] && ksft_ok "created is now ($created)" ||
	ksft_fail "created is now" "created $created now $now"
check=$(ksfctl -j key show "$h" | ksft_py -c '
import json, sys
d = json.load(sys.stdin)
assert d["handle"] == sys.argv[1] and d["type"] == "generic" and d["len"] == 32, d
assert d["usage"] == "mac,verify" and d["owner"] == "own-1", d
assert d["peers"] == ["other-1", "ue-x"] and d["source"] == "generate", d
print("ok")' "$h" 2>&1)
[ "$check" = ok ] && ksft_ok "--json key show" || ksft_fail "--json key show" "$check"
t_match "default usage of a generic key: derive (one family)" 'usage: derive$' \
	sh -c 'ksfctl key show $(ksfctl key add type generic len 8 owner own-1)'
t_match "default usage of an aes key: encrypt,decrypt" 'usage: encrypt,decrypt$' \
	sh -c 'ksfctl key show $(ksfctl key add type aes len 16 owner own-1)'
t_match "aes 32-byte key" "$HRE" ksfctl key add type aes len 32 owner own-1
t_match "kek 32-byte key, usage wrap" 'usage: wrap' \
	sh -c 'ksfctl key show $(ksfctl key add type kek len 32 usage wrap owner own-1)'
t_fail "aes key of 20 bytes" 1 'key length not valid for the key type' \
	ksfctl key add type aes len 20 owner own-1
t_fail "kek key of 16 bytes" 1 'key length not valid' ksfctl key add type kek len 16 owner own-1
t_fail "generic key of 65 bytes" 1 'key add: .*\((Numerical result out of range|Invalid argument)\)' \
	ksfctl key add type generic len 65 owner own-1
t_fail "kek with usage mac" 1 'usage not allowed for the key type' \
	ksfctl key add type kek len 32 usage mac owner own-1
t_fail "generic with usage encrypt" 1 'usage not allowed' \
	ksfctl key add type generic len 16 usage encrypt owner own-1
t_fail "generate without len" 1 'len is required' ksfctl key add type generic owner own-1
t_fail "unknown owner" 1 'key add: no such peer \(No such file or directory\)' \
	ksfctl key add type generic len 16 owner nobody
t_fail "no owner" 1 'key add' ksfctl key add type generic len 16
t_fail "no type" 1 'key add' ksfctl key add len 16 owner own-1
t_fail "not-after in the past" 1 'not-after is in the past' \
	ksfctl key add type generic len 16 owner own-1 not-after 1000
t_fail "17 peers" 1 'too many peers' ksfctl key add type generic len 16 owner own-1 \
	peer a peer b peer c peer d peer e peer f peer g peer h peer i peer j \
	peer k peer l peer m peer n peer o peer p peer q
t_fail "unknown usage name (usage)" 2 'bad usage list' \
	ksfctl key add type generic len 16 usage mac,fly owner own-1
t_fail "unknown key type (usage)" 2 'unknown key type' ksfctl key add type rsa owner own-1
future=$((now + 86400))
t_match "not-after in the future is kept" "^  not-after: $future " \
	sh -c "ksfctl key show \$(ksfctl key add type generic len 16 owner own-1 not-after $future)"

# import from stdin and from a file
hi=$(echo 00112233445566778899aabbccddeeff | ksfctl key add type aes owner own-1 material-hex -)
t_match "import from stdin: len and source" '^  source: import$' ksfctl key show "$hi"
[ "$(kfield "$hi" len)" = 16 ] && ksft_ok "import from stdin: len 16" || ksft_fail "import from stdin: len 16"
printf 'twenty-byte-secret!!' >"$TMP/mat"
hf=$(ksfctl key add type generic usage mac owner own-1 material-file "$TMP/mat")
[ "$(kfield "$hf" len)" = 20 ] && ksft_ok "import from a file: len 20" ||
	ksft_fail "import from a file: len 20" "$hf"
t_fail "material length differs from len" 1 "len differs from the material's length" \
	sh -c 'echo 0011 | ksfctl key add type generic len 32 owner own-1 material-hex -'
t_fail "65 bytes of material" 1 'material must be 1 to key-max-len bytes' \
	sh -c "printf '%0130d\n' 0 | ksfctl key add type generic owner own-1 material-hex -"
t_fail "empty material" 1 'material|Invalid' \
	sh -c ': | ksfctl key add type generic owner own-1 material-hex -'
t_fail "material that is not hex (usage)" 2 'not hex' \
	sh -c 'echo xyz | ksfctl key add type generic owner own-1 material-hex -'
t_fail "material on the command line is refused (usage)" 2 'cmdline' \
	ksfctl key add type generic owner own-1 material-hex 00112233
t_fail "material-file that does not exist" 1 'No such file' \
	ksfctl key add type generic owner own-1 material-file "$TMP/none"
t_fail "material and keyring together" 1 'at most one of material, keyring-serial, keyring-desc' \
	sh -c 'echo 0011 | ksfctl key add type generic owner own-1 keyring 5 material-hex -'

# kernel keyring
if command -v keyctl >/dev/null 2>&1; then
	printf 'keyring-secret-16' >"$TMP/kr"
	ser=$(keyctl padd user ksf:user1 @u <"$TMP/kr")
	hk=$(ksfctl key add type generic usage mac owner own-1 keyring "$ser")
	t_match "import a user key by serial" '^  source: keyring$' ksfctl key show "$hk"
	[ "$(kfield "$hk" len)" = 17 ] && ksft_ok "keyring import: len of the payload (17)" ||
		ksft_fail "keyring import: len of the payload (17)" "$(ksfctl key show "$hk" 2>&1)"
	lser=$(keyctl padd logon ksf:logon1 @u <"$TMP/kr")
	t_match "import a logon key by description" "$HRE" \
		ksfctl key add type generic usage mac owner own-1 desc ksf:logon1
	t_match "import a logon key by serial" "$HRE" \
		ksfctl key add type generic usage mac owner own-1 keyring "$lser"
	t_fail "keyring key of another length than len" 1 "len differs from the keyring key" \
		ksfctl key add type generic len 16 owner own-1 keyring "$ser"
	t_fail "unknown keyring serial" 1 'no such keyring key' \
		ksfctl key add type generic owner own-1 keyring 12345678
	t_fail "unknown logon description" 1 'no logon key with this description' \
		ksfctl key add type generic owner own-1 desc ksf:nothere
	head -c 65 /dev/zero | tr '\0' k >"$TMP/kr65"
	ser65=$(keyctl padd user ksf:user65 @u <"$TMP/kr65")
	t_fail "keyring key longer than 64 bytes" 1 'keyring key payload empty or too long' \
		ksfctl key add type generic owner own-1 keyring "$ser65"
	kser=$(keyctl newring ksf-ring @u)
	t_fail "a keyring is not a key" 1 'keyring key type must be|Invalid|not' \
		ksfctl key add type generic owner own-1 keyring "$kser"
	keyctl revoke "$ser"
	t_fail "revoked keyring key" 1 'revoked|expired|Key has been revoked' \
		ksfctl key add type generic owner own-1 keyring "$ser"
else
	ksft_ok "# SKIP keyctl not available"
fi

# delete
t_match "key del" '^$' ksfctl key del "$h"
t_fail "key show of a deleted key" 1 'key show: no such key \(No such file or directory\)' \
	ksfctl key show "$h"
t_fail "key del twice" 1 'no such key' ksfctl key del "$h"
t_fail "key del 0" 1 'no such key|Invalid' ksfctl key del 0
t_fail "bad handle syntax (usage)" 2 'bad key handle' ksfctl key del zz

# expiry
he=$(ksfctl key add type generic len 16 owner own-1 max-age 2)
[ "$(kfield "$he" max-age)" = 2 ] && ksft_ok "max-age shown" || ksft_fail "max-age shown"
sleep 4
t_fail "key gone after max-age" 1 'no such key' ksfctl key show "$he"

# dumps: 300 more keys, several dump messages
n0=$(ksfctl key show | grep -c '^key ')
[ "$n0" = "$(ksfctl info | sed -n 's/^  keys: //p')" ] && ksft_ok "dump count = info count ($n0)" ||
	ksft_fail "dump count = info count" "$n0 vs $(ksfctl info)"
i=0
while [ $i -lt 300 ]; do
	ksfctl key add type generic len 64 owner other-1 peer "peer-with-a-long-name-$i" >/dev/null || echo FAIL
	i=$((i + 1))
done >"$TMP/add" 2>&1
[ ! -s "$TMP/add" ] && ksft_ok "300 keys added" || ksft_fail "300 keys added" "$(head -3 "$TMP/add")"
n=$(ksfctl key show | grep '^key ' | sort -u | wc -l)
[ "$n" = $((n0 + 300)) ] && ksft_ok "multi-part key dump: $n distinct keys" ||
	ksft_fail "multi-part key dump" "got $n, wanted $((n0 + 300))"
check=$(ksfctl -j key show | ksft_py -c '
import json, sys
h = [json.loads(l)["handle"] for l in sys.stdin]
print(len(set(h)))' 2>&1)
[ "$check" = $((n0 + 300)) ] && ksft_ok "--json key dump" || ksft_fail "--json key dump" "$check"

# owner deletion destroys its keys
ksfctl peer del other-1
n=$(ksfctl key show | grep -c '^key ')
[ "$n" = "$n0" ] && ksft_ok "peer del destroys the keys it owns" ||
	ksft_fail "peer del destroys the keys it owns" "$n keys left, wanted $n0"

# admin permission
t_fail "key add needs CAP_NET_ADMIN" 1 'Operation not permitted' \
	ksf-runas 3000 3000 ksfctl key add type generic len 16 owner own-1
t_fail "key show needs CAP_NET_ADMIN" 1 'Operation not permitted' \
	ksf-runas 3000 3000 ksfctl key show "$hi"
t_fail "key del needs CAP_NET_ADMIN" 1 'Operation not permitted' \
	ksf-runas 3000 3000 ksfctl key del "$hi"

# events
sleep 0.5
kill $MON 2>/dev/null
wait $MON 2>/dev/null
grep -q "^key-destroyed peer own-1 key $h" "$TMP/mon" && ksft_ok "monitor: key-destroyed for key del" ||
	{ ksft_fail "monitor: key-destroyed for key del"; grep "$h" "$TMP/mon" | sed 's/^/#   | /'; }
grep -q "^key-expired peer own-1 key $he" "$TMP/mon" && ksft_ok "monitor: key-expired after max-age" ||
	{ ksft_fail "monitor: key-expired after max-age"; grep "$he" "$TMP/mon" | sed 's/^/#   | /'; }
n=$(grep -c '^key-destroyed peer other-1 ' "$TMP/mon")
[ "$n" = 300 ] && ksft_ok "monitor: 300 key-destroyed events for the owner's keys" ||
	ksft_fail "monitor: 300 key-destroyed events for the owner's keys" "got $n"

rm -rf "$TMP"
ksft_dmesg_check "no kernel report"
ksft_done
