# SPDX-License-Identifier: GPL-2.0-only
#
# Helpers of the channel's selftests (41, 44, 45, 47), sourced after
# ksft.sh.  An instance is named by a function that runs ksfctl in its
# namespace (a() { ip netns exec $A ksfctl "$@"; }).

# The instance's public key, its key id.
pub() { "$1" info | sed -n 's/^  public key: //p'; }
keyid() { "$1" info | sed -n 's/^  key id: //p'; }
# The base64 of the blob line(s) of type $2 in a msg command's output $1.
blob_of() { printf '%s\n' "$1" | sed -n "s/^[^ ]* $2 \([A-Za-z0-9+/=]*\)\$/\1/p"; }
# The length of a blob (base64).
bytes() { printf '%s' "$1" | base64 -d | wc -c; }
# A blob (base64) with byte $2 xor $3.
flip() {
	printf '%s' "$1" | base64 -d | ksft_py -c '
import sys, base64
b = bytearray(sys.stdin.buffer.read()); b[int(sys.argv[1])] ^= int(sys.argv[2])
print(base64.b64encode(bytes(b)).decode())' "$2" "$3"
}
# Hand blob $2 (base64) in to instance $1: its output in $out, status in
# $rc (not $o: t_match's own).
recv() { out=$(printf '%s\n' "$2" | "$1" msg receive - 2>&1) && rc=0 || rc=$?; }
# t_refused DESC INSTANCE BLOB REGEX: refused, with a reason matching REGEX
t_refused() {
	recv "$2" "$3"
	if [ "$rc" != 0 ] && printf '%s\n' "$out" | grep -qE -- "$4"; then
		ksft_ok "$1"
	else
		ksft_fail "$1" "exit $rc, wanted /$4/"
		printf '%s\n' "$out" | sed 's/^/#   | /'
	fi
}
