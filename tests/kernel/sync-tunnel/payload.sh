#!/bin/bash
# Files the guest needs besides this folder and ./setkey:  payload.sh DIR BUILD_DIR
# iputils' ping (busybox's has no sub-second -i); run-in-vm.sh -L adds its libraries.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/vm/common.sh
. "$here/../../vm/common.sh"
(($# == 2)) || { echo "usage: ${0##*/} DIR BUILD_DIR" >&2; exit 2; }
if ! vm_install iputils-ping || [[ ! -x /usr/bin/ping ]]; then
  echo "SKIP sync-tunnel: iputils-ping not installable here" | tee "$1/skip"
  exit 0
fi
cp /usr/bin/ping "$1/"
