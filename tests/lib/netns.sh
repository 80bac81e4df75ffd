# Sourced by the host-side tests that need a kernel of their own: runs the calling
# script again inside a private network namespace (as root), where XFRM policies can be
# changed without touching the machine's, and gives it a scratch directory $OUT and a
# check helper. The caller's exit status comes from $fail (0 or 1).
if [ -z "${SETKEY_TEST_IN_NETNS:-}" ]; then
    SETKEY_TEST_IN_NETNS=1 exec unshare -n "$0" "$@"
fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
fail=0
check() { # check WHAT COMMAND...: PASS/FAIL line for one assertion
    local what=$1; shift
    if "$@"; then echo "PASS $what"; else echo "FAIL $what"; fail=1; fi
}
