#!/bin/bash
# The CLI against a real kernel: boots the qemu lab once and runs kernel-guest.sh
# (fwd twins, -k, deleteall with several SAs, refusals and exit status, --compat-exit,
# names with several addresses from the hosts file) over the XFRM and PF_KEY backends,
# and when PF_KEY registers (before scripts only).
#   kernel-cli.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
(($# == 1)) || { echo "usage: ${0##*/} BUILD_DIR" >&2; exit 2; }
[[ -x $1/setkey ]] || { echo "kernel-cli: no executable $1/setkey" >&2; exit 2; }
payload=$(mktemp -d /tmp/setkey-kernel-cli.XXXXXX)
trap 'rm -rf "$payload"' EXIT
cp "$1/setkey" "$here/kernel-guest.sh" "$payload/"
bash "$here/../vm/run-in-vm.sh" -t 300 -L "$payload" -- sh ./kernel-guest.sh
