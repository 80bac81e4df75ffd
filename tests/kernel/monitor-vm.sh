#!/bin/bash
# -x against the real kernel in the qemu lab (ESP SAs need Debian's kernel): one boot
# runs monitor-guest.sh through each backend. SA add/delete, soft then hard expiry of an
# SA with `-lh 2 -ls 1`, flush; classic -xx and -xx -o jsonl; SIGTERM/SIGINT statuses.
#   monitor-vm.sh [-b 'pfkey xfrm'] BUILD_DIR
# Prints PASS/FAIL per check, then "N passed, M failed"; exits non-zero on any failure.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
backends="pfkey xfrm"
while getopts 'b:' o; do
  case $o in b) backends=$OPTARG ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
(($# == 1)) || { echo "usage: ${0##*/} [-b BACKENDS] BUILD_DIR" >&2; exit 2; }
[[ -x $1/setkey ]] || { echo "monitor-vm: no executable $1/setkey" >&2; exit 2; }
P=$(mktemp -d /tmp/monitor-vm.XXXXXX)
trap 'rm -rf "$P"' EXIT
cp "$1/setkey" "$here/monitor-guest.sh" "$P/"
# shellcheck disable=SC2086  # one argument per backend
"$here/../vm/run-in-vm.sh" -L -t 300 "$P" -- bash ./monitor-guest.sh $backends
