#!/bin/bash
# The version lives in CMakeLists.txt's project(); debian/changelog's newest entry and,
# given a built binary, `setkey -V` must say the same.
#   version-check.sh REPO_ROOT [SETKEY_BINARY]
set -euo pipefail
root=${1:?usage: version-check.sh REPO_ROOT [SETKEY_BINARY]}
cmake_version=$(sed -n 's/^project(setkey VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
deb_version=$(sed -n '1s/^setkey (\([^)]*\)).*/\1/p' "$root/debian/changelog")
[[ -n $cmake_version ]] || { echo "FAIL: no project(setkey VERSION ...) in CMakeLists.txt"; exit 1; }
# A native package: the Debian version is the upstream version itself.
if [[ $deb_version != "$cmake_version" ]]; then
  echo "FAIL: debian/changelog says $deb_version, CMakeLists.txt $cmake_version (add a changelog entry: dch -v $cmake_version)"
  exit 1
fi
if (($# > 1)); then
  v=$("$2" -V | sed -n '1s/^setkey \([^ ]*\).*/\1/p')
  [[ $v == "$cmake_version" ]] || { echo "FAIL: setkey -V says $v, CMakeLists.txt $cmake_version"; exit 1; }
fi
echo "PASS version $cmake_version in CMakeLists.txt, debian/changelog${2:+ and setkey -V}"
