#!/bin/bash
# Configure and build one build directory: build.sh BUILD_DIR [cmake args...]
# SETKEY_JOBS: parallel jobs (default: number of CPUs). SETKEY_TARGETS: what to build
# (default: everything).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=$1
shift
cmake -S "$root" -B "$dir" -G Ninja "$@" >/dev/null
# shellcheck disable=SC2086 # a space-separated target list
ninja -C "$dir" -j "${SETKEY_JOBS:-$(nproc)}" ${SETKEY_TARGETS:-}
