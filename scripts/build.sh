#!/bin/bash
# Configure and build one build directory: build.sh BUILD_DIR [cmake args...]
# Parallelism: SETKEY_JOBS (default: number of CPUs).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=$1
shift
cmake -S "$root" -B "$dir" -G Ninja "$@" >/dev/null
ninja -C "$dir" -j "${SETKEY_JOBS:-$(nproc)}"
