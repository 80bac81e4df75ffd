#!/bin/bash
# The main job: set up a fresh Debian 12, build setkey (Release) and load the example
# tunnel configuration. Without a kernel that has af_key/esp/xfrm_user this is a dry
# run (-n: parse and validate, no socket, no privileges).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SETKEY_BUILD_DIR:-$root/build-release}

bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh" "$build" -DCMAKE_BUILD_TYPE=Release -DSETKEY_TESTS=OFF

echo "main-job: setkey -n -f examples/racoon-tunnel.conf" >&2
"$build/setkey" -n -f "$root/examples/racoon-tunnel.conf"
echo "main-job: the example script parses and validates (exit 0)" >&2
