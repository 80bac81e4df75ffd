# shellcheck shell=bash
# Sourced by the host suites that need a kernel of their own (tests/kernel/<suite>/host.sh
# BUILD_DIR): runs the calling script again inside a private network namespace (as
# root), where XFRM policies can be changed without touching the machine's, and gives it
# a scratch directory $OUT and tests/lib/check.sh (the script ends with `summary`).
if [ -z "${SETKEY_TEST_IN_NETNS:-}" ]; then
    SETKEY_TEST_IN_NETNS=1 exec unshare -n "$0" "$@"
fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
# shellcheck source=tests/lib/check.sh
. "$(dirname "${BASH_SOURCE[0]}")/check.sh"
