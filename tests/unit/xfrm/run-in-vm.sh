#!/bin/bash
# Runs test_xfrm in the qemu lab, whose Debian kernel has ESP/AH/IPComp and af_key (our
# hosts lack them, so the SA and PF_KEY-equivalence tests skip there).
#   tests/unit/xfrm/run-in-vm.sh BUILD_DIR [gtest args...]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
build=${1:?usage: run-in-vm.sh BUILD_DIR [gtest args...]}
shift
T=$(mktemp -d /tmp/xfrm-vm.XXXXXX)
trap 'rm -rf "$T"' EXIT
cp "$build/tests/test_xfrm" "$T/"
# The golden tests read tests/golden from the source tree, which the VM does not have;
# they run on the host.
"$root/tests/vm/run-in-vm.sh" -t 600 -L "$T" -- ./test_xfrm --gtest_filter='-XfrmGolden*' "$@"
