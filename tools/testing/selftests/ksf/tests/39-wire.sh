#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Wire 2 through the kernel's own YNL library (no ksfctl, no libksf): an
# item carries its service's arguments in its family's nest, a result its
# outputs in its family's nest; the nest of another family, a field the
# service does not take and an over-long field are refused with a reason
# naming them; policy services/algs are bitmaps (an unknown bit refused);
# outputs are sized from the service descriptors (a reply far larger
# than its request); hres-star takes res and returns hres.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n bash "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark

spec=$KSF_ROOT/Documentation/netlink/specs/ksf.yaml
if [ ! -r "/host$spec" ]; then
	cp "$spec" /host/tmp/ksf-wire-spec.yaml
	spec=/tmp/ksf-wire-spec.yaml
fi
py=$KSF_ROOT/tools/testing/selftests/ksf/tests/39-wire.py
if [ ! -r "/host$py" ]; then
	cp "$KSF_ROOT/tools/testing/selftests/ksf/tests/39-wire.py" /host/tmp/ksf-wire.py
	py=/tmp/ksf-wire.py
fi

# An empty instance's save: its header opens a restore in 39-wire.py.
kek=
if command -v keyctl >/dev/null 2>&1; then
	head -c 32 /dev/urandom >"/tmp/ksf-wire.kek"
	kek=$(keyctl padd user ksf:wire-kek @u <"/tmp/ksf-wire.kek")
	ksfctl save keyring "$kek" file /host/tmp/ksf-wire.sealed ||
		ksft_fail "save of an empty instance"
fi

while IFS= read -r line; do
	case $line in
	"ok "*) ksft_ok "${line#ok }" ;;
	"fail "*) ksft_fail "${line#fail }" ;;
	*) ksft_diag "$line" ;;
	esac
done < <(ksft_py "$py" "${KSF_KSRC:-/root/.cache/ksf/linux-source-6.12}" "$spec" \
	 "${kek:-0}" /tmp/ksf-wire.sealed 2>&1)
[ -z "$kek" ] || keyctl unlink "$kek" @u >/dev/null 2>&1
rm -f /host/tmp/ksf-wire.sealed /tmp/ksf-wire.kek

ksft_dmesg_check "no kernel report"
ksft_done
