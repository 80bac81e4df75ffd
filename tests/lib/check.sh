# shellcheck shell=bash
# The one shell library of the test suites and CI (bash; sourced, never run): assertions,
# the dump mask, and timed steps with a summary.
#
# Assertions print one line each and count:
#   ok WHAT / ko WHAT          "PASS [LABEL: ]WHAT" / "FAIL [LABEL: ]WHAT"
#   check WHAT COMMAND...      ok when COMMAND succeeds, else ko
#   check_eq WHAT GOT WANT     "PASS WHAT = WANT" or "FAIL WHAT = GOT, want WANT"
#   summary                    "N passed, M failed"; its status is 0 when nothing failed
# repeat_until_term (below) runs a churner in the background.
# CHECK_LABEL (e.g. the backend under test) prefixes every line when it is set.
pass=0 fail=0
CHECK_LABEL=${CHECK_LABEL:-}
ok() { pass=$((pass + 1)); echo "PASS ${CHECK_LABEL:+$CHECK_LABEL: }$1"; }
ko() { fail=$((fail + 1)); echo "FAIL ${CHECK_LABEL:+$CHECK_LABEL: }$1"; }
check() {
  local what="$1"
  shift
  if "$@"; then ok "$what"; else ko "$what"; fi
}
check_eq() {
  if [ "$2" = "$3" ]; then ok "$1 = $3"; else ko "$1 = $2, want $3"; fi
}
summary() {
  echo "$pass passed, $fail failed"
  [ "$fail" = 0 ]
}

# repeat_until_term CMD... &: runs CMD again and again (output discarded) until TERM,
# which also stops the CMD then running and waits for it: killing only a loop leaves
# its running child changing the tables after the test's cleanup.
repeat_until_term() {
  local child=
  trap 'kill "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 0' TERM
  while :; do
    "$@" >/dev/null 2>&1 &
    child=$!
    wait "$child"
  done
}

# mask [positions] < DUMP: a classic -D/-DP dump with what the moment, the process and
# the kernel's counters decide replaced by one placeholder set: dates -> <time>,
# `diff: N` -> `diff: <n>`, pid=/spid= -> <n>, a policy's own `refcnt=N` line -> <n>
# (an SA's refcnt= stays: Linux always reports 0). With "positions", also sadb_seq= and
# seq= (an entry's place in the dump), for expected entries written by hand.
# mask_files FILE...: the same, in place.
mask_expressions='
s/[A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9] [0-9][0-9][0-9][0-9]/<time>/g
s/diff: [0-9]+/diff: <n>/g
s/(s?pid)=[0-9]+/\1=<n>/g
s/^(\t)refcnt=[0-9]+$/\1refcnt=<n>/'
mask_positions='s/(sadb_seq|seq)=[0-9]+( |$)/\1=<n>\2/g'
mask() {
  if [ "${1:-}" = positions ]; then
    sed -E -e "$mask_expressions" -e "$mask_positions"
  else
    sed -E -e "$mask_expressions"
  fi
}
mask_files() { sed -i -E -e "$mask_expressions" "$@"; }

# step NAME COMMAND...: one stage of a run (a CI step, a kernel suite), timed, output
# kept; every stage runs even when an earlier one failed. Records "PASS  NAME (Ns)" or
# "FAIL  NAME (exit N, Ns)" in step_results and, for a failure, its first failure lines
# in step_excerpts (a CI log is often read from its tail only: say there what failed).
# step_summary: the excerpts, then the results; its status is 0 when every step passed.
step_results=() step_excerpts=() step_failed=0
step() {
  local name=$1 start=$SECONDS rc took log
  shift
  log=$(mktemp /tmp/setkey-step.XXXXXX)
  echo "=== $name"
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  took=$((SECONDS - start))
  echo "=== $name: ${took} s"
  if ((rc == 0)); then
    step_results+=("PASS  $name (${took}s)")
  else
    step_results+=("FAIL  $name (exit $rc, ${took}s)")
    step_failed=1
    step_excerpts+=("--- $name: first failures")
    mapfile -t -O ${#step_excerpts[@]} step_excerpts < <(grep -m 8 -E \
      '^(FAIL|XPASS|not ok)|FAILED|: error:|timed out|run-in-vm:' "$log" | cut -c1-200)
  fi
  rm -f "$log"
  return 0
}
step_summary() {
  ((${#step_excerpts[@]} == 0)) || printf '%s\n' "${step_excerpts[@]}"
  printf '%s\n' "${step_results[@]}"
  ((step_failed == 0))
}
