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
backends="pfkey xfrm"
while getopts 'b:' o; do
  case $o in b) backends=$OPTARG ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
(($# == 1)) || { echo "usage: ${0##*/} [-b BACKENDS] BUILD_DIR" >&2; exit 2; }
[[ -x $1/setkey ]] || { echo "atomic-vm: no executable $1/setkey" >&2; exit 2; }
P=$(mktemp -d /tmp/atomic-vm.XXXXXX)
trap 'rm -rf "$P"' EXIT
cp "$1/setkey" "$here/atomic-guest.sh" "$P/"
# shellcheck disable=SC2086  # one argument per backend
"$here/../vm/run-in-vm.sh" -L -t 300 "$P" -- bash ./atomic-guest.sh $backends
