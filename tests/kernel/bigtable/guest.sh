#!/bin/bash
# Runs INSIDE the VM (tests/kernel/guest.sh runs it from its folder):  guest.sh BACKEND...
# Per backend: flush, `setkey -f big.conf` (N SAs + N policies), then -D and -DP must
# lose nothing: entry counts, and the SPIs / selectors as sets equal the script's
# (spis.txt, sels.txt, made by payload.sh). Also -o json (jq lengths, when ./jq is here) and
# -o jsonl (one line per record). Prints wall times as "TIME backend what: S s" figures,
# PASS/FAIL per check and "N passed, M failed". Output stays small: counting happens here.
set -uo pipefail   # no -e: a failing setkey call is a result to check
# Scripts written here hold keys: keep them private, as setkey warns otherwise.
umask 077
n=$(cat n)   # written by payload.sh
W=/tmp/big
mkdir -p "$W"
. "${SETKEY_TEST_LIB:?run by tests/kernel/guest.sh}"   # tests/lib/check.sh
TIMEFORMAT=%R
for B in "$@"; do
  CHECK_LABEL=$B
  sk=(timeout 900 ./setkey --backend "$B")
  "${sk[@]}" -F >/dev/null 2>&1; "${sk[@]}" -FP >/dev/null 2>&1
  t0=$SECONDS
  { t=$( { time "${sk[@]}" -f big.conf >"$W/out" 2>"$W/err"; } 2>&1 ); }; rc=$(wc -l <"$W/err")
  echo "TIME $B apply $n SAs + $n SPs (-f): $t s"
  check_eq "apply: lines on stderr" "$rc" 0
  { t=$( { time "${sk[@]}" -D >"$W/D" 2>&1; } 2>&1 ); }; echo "TIME $B -D: $t s"
  check_eq "-D SA entries" "$(grep -c $'^\tesp mode=' "$W/D")" "$n"
  check_eq "-D SPIs as a set" "$(grep -o 'spi=[0-9]*' "$W/D" | sort -u | cmp - spis.txt && echo same)" same
  { t=$( { time "${sk[@]}" -DP >"$W/DP" 2>&1; } 2>&1 ); }; echo "TIME $B -DP: $t s"
  check_eq "-DP SP entries" "$(grep -c $'^\tout prio' "$W/DP")" "$n"
  check_eq "-DP selectors as a set" "$(grep -v $'^\t' "$W/DP" | sort -u | cmp - sels.txt && echo same)" same
  if [[ -x ./jq ]]; then
    { t=$( { time "${sk[@]}" -D -o json >"$W/J" 2>&1; } 2>&1 ); }; echo "TIME $B -D -o json: $t s"
    check_eq "-D -o json | jq '.sa|length'" "$(./jq '.sa | length' <"$W/J")" "$n"
    "${sk[@]}" -DP -o json >"$W/J" 2>&1
    check_eq "-DP -o json | jq '.sp|length'" "$(./jq '.sp | length' <"$W/J")" "$n"
  else
    echo "NOTE $B: no jq in the payload, json lengths not checked"
  fi
  "${sk[@]}" -D -o jsonl >"$W/J" 2>&1
  check_eq "-D -o jsonl lines" "$(wc -l <"$W/J")" "$n"
  check_eq "-D -o jsonl distinct SPIs" "$(grep -oE '"spi": ?[0-9]+' "$W/J" | tr -d ' ' | sort -u | wc -l)" "$n"
  "${sk[@]}" -DP -o jsonl >"$W/J" 2>&1
  check_eq "-DP -o jsonl lines" "$(wc -l <"$W/J")" "$n"
  { t=$( { time "${sk[@]}" -F >/dev/null 2>&1; } 2>&1 ); }; echo "TIME $B -F: $t s"
  { t=$( { time "${sk[@]}" -FP >/dev/null 2>&1; } 2>&1 ); }; echo "TIME $B -FP: $t s"
  echo "TIME $B total: $((SECONDS - t0)) s"
done
summary
