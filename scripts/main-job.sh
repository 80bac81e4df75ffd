#!/bin/bash
# The main job: set up a fresh Debian 12, build setkey (Release), check the example
# tunnel configuration (-n: parse and validate, no socket, no privileges), then load
# it for real inside the qemu lab's kernel (tests/vm) and dump the SAD and SPD.
#   SETKEY_SKIP_VM=1  stop after the dry run (no qemu lab)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SETKEY_BUILD_DIR:-$root/build-release}
example=$root/examples/racoon-tunnel.conf

bash "$root/scripts/setup.sh"
SETKEY_TARGETS=setkey bash "$root/scripts/build.sh" "$build" -DCMAKE_BUILD_TYPE=Release

echo "main-job: setkey -n -f examples/racoon-tunnel.conf" >&2
"$build/setkey" -n -f "$example"
echo "main-job: the example parses and validates" >&2

if [[ ${SETKEY_SKIP_VM:-0} == 1 || ! -f $root/tests/vm/run-in-vm.sh ]]; then
  echo "main-job: no qemu lab; done after the dry run" >&2
  exit 0
fi
payload=$(mktemp -d /tmp/setkey-main-job.XXXXXX)
trap 'rm -rf "$payload"' EXIT
cp "$build/setkey" "$example" "$root/scripts/main-job-guest.sh" "$payload/"
# The example holds keys; installed as a real /etc/ipsec-tools.conf would be (0600).
chmod 600 "$payload/${example##*/}"
echo "main-job: setkey -f, -D and -DP in the qemu lab" >&2
bash "$root/tests/vm/run-in-vm.sh" -t 300 -L "$payload" -- sh ./main-job-guest.sh
