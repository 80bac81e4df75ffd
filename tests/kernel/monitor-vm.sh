#!/bin/bash
# -x against the real kernel in the qemu lab (ESP SAs need Debian's kernel): one boot
# runs monitor-guest.sh through each backend. SA add/delete, soft then hard expiry of an
# SA with `-lh 2 -ls 1`, flush; classic -xx and -xx -o jsonl; SIGTERM/SIGINT statuses.
#   monitor-vm.sh [-b 'pfkey xfrm'] BUILD_DIR
# Prints PASS/FAIL per check, then "N passed, M failed"; exits non-zero on any failure.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/kernel/vm-lib.sh
. "$here/vm-lib.sh"
run_guest_script monitor-guest.sh 300 "$@"
