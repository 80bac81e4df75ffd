#!/bin/bash
# Real-kernel command matrix: one VM boot runs guest-matrix.sh (every setkey command on
# ESP/AH/IPComp, v4/v6, transport/tunnel, NAT-T, lifetimes, reqids, priorities, AEAD,
# exit statuses) through each backend.
#   matrix.sh [-b 'pfkey xfrm'] BUILD_DIR
# Prints PASS/FAIL per check, then "N passed, M failed"; exits non-zero on any failure.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
backends="pfkey xfrm"
while getopts 'b:' o; do
  case $o in b) backends=$OPTARG ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
(($# == 1)) || { echo "usage: ${0##*/} [-b BACKENDS] BUILD_DIR" >&2; exit 2; }
[[ -x $1/setkey ]] || { echo "matrix: no executable $1/setkey" >&2; exit 2; }
P=$(mktemp -d /tmp/matrix.XXXXXX)
trap 'rm -rf "$P"' EXIT
cp "$1/setkey" "$here/guest-matrix.sh" "$P/"
# shellcheck disable=SC2086  # one argument per backend
"$here/../vm/run-in-vm.sh" -L -t 600 "$P" -- bash ./guest-matrix.sh $backends
