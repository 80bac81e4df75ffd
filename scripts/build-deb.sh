#!/bin/bash
# Builds the Debian package from the working tree and checks it with lintian:
#   bash scripts/build-deb.sh [OUT_DIR]      (default: build-deb/)
# prints the path of setkey_<version>_<arch>.deb on stdout. The tree is copied to a
# scratch directory first: dpkg-buildpackage writes beside the source, and the checkout's
# own build directories must not end up in the package.
# Env: SETKEY_DEB_CHECK=1 runs the unit tests during the build (default: nocheck, since
# scripts/test.sh runs them in its Release and ASan builds anyway).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$(mkdir -p "${1:-$root/build-deb}" && cd "${1:-$root/build-deb}" && pwd)

bash "$root/tests/packaging/version-check.sh" "$root" >&2
version=$(sed -n '1s/^setkey (\([^)]*\)).*/\1/p' "$root/debian/changelog")

work=$(mktemp -d /tmp/setkey-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
src=$work/setkey-$version
mkdir "$src"
# Tracked and new (not ignored) files: what a clone of this tree would hold.
(cd "$root" && git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do if [[ -e $f ]]; then printf '%s\0' "$f"; fi; done |
  tar --null -T - -cf -) | tar -xf - -C "$src"

export DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS:-$([[ ${SETKEY_DEB_CHECK:-0} == 1 ]] || echo nocheck)}
# ccache when present (CMake reads the launcher from the environment).
if command -v ccache >/dev/null && [[ -z ${CMAKE_CXX_COMPILER_LAUNCHER:-} ]]; then
  export CMAKE_CXX_COMPILER_LAUNCHER=ccache
fi
(cd "$src" && dpkg-checkbuilddeps && dpkg-buildpackage -us -uc -b -j"${SETKEY_JOBS:-$(nproc)}") >&2

arch=$(dpkg-architecture -qDEB_HOST_ARCH)
changes=$work/setkey_${version}_${arch}.changes
# --fail-on warning: warnings fail the build like errors (overrides carry their reason).
lintian --fail-on error,warning --info "$changes" >&2
cp "$work/setkey_${version}_${arch}.deb" "$out/"
echo "$out/setkey_${version}_${arch}.deb"
