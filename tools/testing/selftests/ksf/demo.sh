#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make demo: install the dependencies, build ksf, boot the stock Debian 6.12
# kernel in QEMU and run the demo scenario (demo-guest.sh) in it.
#   demo.sh [--kernel stock|6.1|debug] [--debug-kernel]   (vm-run options)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$KSF_ST/install-deps.sh"
cd "$KSF_ROOT"
exec "$KSF_ST/vm-run" "$@" -- demo-guest.sh
