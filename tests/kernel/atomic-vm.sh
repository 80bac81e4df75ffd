#!/bin/bash
# --atomic with SAs and policies on the real kernel in the qemu lab (ESP/AH/IPComp need
# Debian's kernel): one boot runs atomic-guest.sh through each backend. A 100-statement
# script (delete, deleteall, flush, spdflush, then adds) whose 50th statement the
# kernel refuses must leave `setkey -D` and `setkey -DP` as they were, times, pid and
# spids masked.
#   atomic-vm.sh [-b 'pfkey xfrm'] BUILD_DIR
# Prints PASS/FAIL per check, then "N passed, M failed"; exits non-zero on any failure.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/kernel/vm-lib.sh
. "$here/vm-lib.sh"
run_guest_script atomic-guest.sh 300 "$@"
