#!/bin/bash
# Runs the gtests that need the qemu lab's kernel (test_lab: ESP/AH/IPComp and af_key,
# which our hosts lack, so they skip there) and the netns ones (test_root) in one boot.
# ctest runs it as `lab_gtests` (label vm) only when asked, so a plain ctest never boots:
#   SETKEY_LAB=1 ctest -L vm      or      tests/lab/run-in-vm.sh BUILD_DIR [gtest args...]
# One VM at a time on a shared machine: it waits for /tmp/setkey-vm.lock.
set -euo pipefail
if [[ -n ${CTEST_LAB_GATE:-} && ${SETKEY_LAB:-0} != 1 ]]; then
  echo "skipped: boots the qemu lab; set SETKEY_LAB=1"
  exit 77
fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:?usage: run-in-vm.sh BUILD_DIR [gtest args...]}
shift
T=$(mktemp -d /tmp/lab-gtests.XXXXXX)
trap 'rm -rf "$T"' EXIT
cp "$build/tests/test_lab" "$build/tests/test_root" "$T/"
q=$(printf ' %q' "$@")
flock /tmp/setkey-vm.lock "$root/tests/vm/run-in-vm.sh" -t 600 -L "$T" -- sh -c "./test_lab$q && ./test_root$q"
