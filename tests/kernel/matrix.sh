#!/bin/bash
# Real-kernel command matrix: one VM boot runs guest-matrix.sh (every setkey command on
# ESP/AH/IPComp, v4/v6, transport/tunnel, NAT-T, lifetimes, reqids, priorities, AEAD,
# exit statuses) through each backend.
#   matrix.sh [-b 'pfkey xfrm'] BUILD_DIR
# Prints PASS/FAIL per check, then "N passed, M failed"; exits non-zero on any failure.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/kernel/vm-lib.sh
. "$here/vm-lib.sh"
run_guest_script guest-matrix.sh 600 "$@"
