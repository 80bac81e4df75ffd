#!/bin/bash
# Install everything the build and every test need on a fresh Debian 12, then prepare
# the qemu lab (tests/vm/setup.sh) when it is present. Idempotent: installs only what
# is missing. Run as root (CI does); otherwise sudo is used for apt-get.
#   SETKEY_SKIP_VM=1  skip the qemu lab (no kernel download)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

packages=(
  cmake ninja-build g++ clang libclang-rt-14-dev pkg-config
  libcli11-dev tao-pegtl-dev libfmt-dev nlohmann-json3-dev libmnl-dev
  libgtest-dev libgmock-dev
  mandoc jq iproute2 util-linux
  prometheus  # promtool: tests/unit/cli/promtool_test.cpp checks real -o prometheus output
  zsh  # tests/packaging/completion-options.sh loads packaging/_setkey
  dpkg-dev debhelper lintian man-db systemd  # scripts/build-deb.sh, deb-install-check.sh
  python3-jsonschema  # draft 2020-12 validator for docs/schema (tests/unit/output/validate_json.py)
)

sudo_cmd=()
if ((EUID != 0)); then
  command -v sudo >/dev/null || { echo "setup: run as root (or install sudo)" >&2; exit 1; }
  sudo_cmd=(sudo)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

if [[ ${SETKEY_SKIP_VM:-0} != 1 && -f $root/tests/vm/setup.sh ]]; then
  echo "setup: preparing the qemu lab (tests/vm/setup.sh)" >&2
  # It prints the kernel cache directory on stdout; keep stdout for callers' results.
  "${sudo_cmd[@]}" bash "$root/tests/vm/setup.sh" >&2
fi
echo "setup: done" >&2
