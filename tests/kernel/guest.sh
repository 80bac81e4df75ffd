#!/bin/bash
# The one guest entry point: runs INSIDE the qemu lab, from /payload, the chosen VM suites
# one after the other in this one boot (run.sh builds the payload and boots):
#   guest.sh 'BACKEND...' SUITE...
# Each suite runs from its folder /payload/SUITE, where ./setkey is the binary under test,
# as `bash ./guest.sh [ARGS] BACKEND...` (ARGS: the words of ./args, when payload.sh wrote
# one), stderr merged, under SETKEY_SUITE_TIMEOUT seconds (1800); a folder with a `skip`
# file prints it instead (e.g. no corpus). The SAD and SPD are flushed after each suite.
# Prints "=== vm suite NAME" before and "=== vm suite NAME: exit N, S s" after each suite
# (run.sh cuts the output there), then "vm suites: N passed, M failed"; exits 1 if any failed.
set -uo pipefail   # no -e: a failing suite is a result to report
export SETKEY_TEST_LIB=/payload/lib/check.sh
read -r -a backends <<<"$1"
shift
limit=${SETKEY_SUITE_TIMEOUT:-1800}
passed=0 failed=0
for suite in "$@"; do
  echo "=== vm suite $suite"
  t0=$SECONDS
  dir=/payload/$suite
  if [[ -f $dir/skip ]]; then
    cat "$dir/skip"
    rc=0
  else
    args=()
    if [[ -f $dir/args ]]; then read -r -a args <"$dir/args"; fi
    (cd "$dir" && timeout "$limit" bash ./guest.sh "${args[@]}" "${backends[@]}" 2>&1)
    rc=$?
  fi
  ip xfrm state flush; ip xfrm policy flush   # the next suite starts from empty tables
  echo "=== vm suite $suite: exit $rc, $((SECONDS - t0)) s"
  if ((rc == 0)); then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "vm suites: $passed passed, $failed failed"
((failed == 0))
