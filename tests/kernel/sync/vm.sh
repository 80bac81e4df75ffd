#!/bin/bash
# --sync/--diff/-o script with SAs on the real kernel in the qemu lab: one boot runs
# guest.sh through each backend. Run it under the lab's lock:
#   flock /tmp/setkey-vm.lock tests/kernel/sync/vm.sh [-b 'pfkey xfrm'] BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
backends="pfkey xfrm"
if [ "${1:-}" = -b ]; then backends=$2; shift 2; fi
build=${1:?usage: vm.sh [-b BACKENDS] BUILD_DIR}
payload=$(mktemp -d /tmp/sync-vm.XXXXXX)
trap 'rm -rf "$payload"' EXIT
cp "$build/setkey" "$here/guest.sh" "$payload/"
# shellcheck disable=SC2086  # one argument per backend
"$here/../../vm/run-in-vm.sh" -L -t 300 "$payload" -- bash ./guest.sh $backends
