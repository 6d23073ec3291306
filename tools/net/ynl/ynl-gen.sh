#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Generate uapi/linux/ksf.h, kernel/netlink/ksf-nl-gen.[ch] and the reference
# page Documentation/netlink/ksf.rst from the YNL spec with the kernel's own
# ynl-gen-c.py and ynl-gen-rst.py (from linux-source-6.12).
#   ynl-gen.sh [--check]   --check: fail if the committed files are stale
set -euo pipefail

here=$(cd "$(dirname "$0")/../../.." && pwd)
ksrc=${KSRC:-$HOME/.cache/ksf/linux-source-6.12}
gen=$ksrc/tools/net/ynl/ynl-gen-c.py
[ -f "$gen" ] || { echo "ynl-gen: $gen missing (make deps)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/Documentation/netlink/specs" "$tmp/out"
touch "$tmp/MAINTAINERS"
# The generator validates the spec against the schema its protocol names
# (genetlink-legacy: the one with uns-admin-perm), next to specs/.
cp "$ksrc"/Documentation/netlink/genetlink*.yaml "$tmp/Documentation/netlink/"
cp "$here/Documentation/netlink/specs/ksf.yaml" "$tmp/Documentation/netlink/specs/"
spec=$tmp/Documentation/netlink/specs/ksf.yaml

run() { /usr/bin/python3 "$gen" --spec "$spec" "$@"; }
run --mode uapi --header -o "$tmp/out/ksf.h"
run --mode kernel --header -o "$tmp/out/ksf-nl-gen.h"
run --mode kernel --source -o "$tmp/out/ksf-nl-gen.c"
/usr/bin/python3 "$ksrc/tools/net/ynl/ynl-gen-rst.py" -i "$spec" -o "$tmp/out/ksf.rst"

rc=0
for f in uapi/linux/ksf.h kernel/netlink/ksf-nl-gen.h kernel/netlink/ksf-nl-gen.c \
	 Documentation/netlink/ksf.rst; do
	new=$tmp/out/$(basename "$f")
	if [ "${1:-}" = --check ]; then
		if ! cmp -s "$new" "$here/$f"; then
			echo "ynl-gen: $f differs from what the spec generates:" >&2
			diff -u "$here/$f" "$new" >&2 || true
			rc=1
		fi
	elif ! cmp -s "$new" "$here/$f"; then
		cp "$new" "$here/$f"
		echo "  GEN     $f"
	fi
done
exit $rc
