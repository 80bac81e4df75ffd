#!/bin/bash
# Runs INSIDE the VM (tests/kernel/guest.sh runs it from its folder):  guest.sh BACKEND...
# Per backend: flush, `setkey -f big.conf` (N SAs + N policies), then -D and -DP must
# lose nothing: entry counts, and the SPIs / selectors as sets equal the script's
# (spis.txt, sels.txt, made by payload.sh). Also -o json (jq lengths, when ./jq is here
# and N <= 100,000: jq holds the whole document; above, distinct SPIs and selectors
# counted in the text), -o jsonl (one line per record, distinct SPIs) and -o prometheus
# (one setkey_sa_bytes_total series per SPI, setkey_sad_entries and setkey_spd_entries
# sum to N). Then a -D while another setkey adds and deletes CHURN more SAs must exit 0
# with every stable SPI once, or exit 2 with one line. Prints wall times as
# "TIME backend what: S s" and, with ./bench_rusage_run, peak RSS as
# "RSS backend what: K KiB" figures (also for the raw dumper, when built, and `ip xfrm`), PASS/FAIL per check and "N passed, M failed".
# Output stays small: counting happens here.
set -uo pipefail   # no -e: a failing setkey call is a result to check
# Scripts written here hold keys: keep them private, as setkey warns otherwise.
umask 077
n=$(cat n)   # written by payload.sh
W=/tmp/big
mkdir -p "$W"
. "${SETKEY_TEST_LIB:?run by tests/kernel/guest.sh}"   # tests/lib/check.sh
TIMEFORMAT=%R
CHURN=1000
# The churn's SAs: SPIs above the script's (gen-script.py counts up from 0x1000).
awk -v c=$CHURN 'BEGIN { for (i = 0; i < c; i++) printf "add 10.9.0.1 10.9.0.2 esp %d -E null;\n", 0x40000000 + i
                         for (i = 0; i < c; i++) printf "delete 10.9.0.1 10.9.0.2 esp %d;\n", 0x40000000 + i }' >"$W/churn.conf"

# timed B WHAT OUT CMD...: runs CMD with stdout to OUT, prints its wall time (and peak
# RSS when bench_rusage_run is in the payload); returns CMD's status.
timed() {
  local b=$1 what=$2 out=$3 t rc
  shift 3
  if [[ -x ./bench_rusage_run ]]; then
    ./bench_rusage_run "$W/ru" "$what" "$@" >"$out" 2>"$W/stderr"; rc=$?
    echo "TIME $b $what: $(tail -1 "$W/ru" | sed -n 's/.* wall=\([^ ]*\) .*/\1/p') s"
    echo "RSS $b $what: $(tail -1 "$W/ru" | sed -n 's/.* maxrss_kib=\([^ ]*\) .*/\1/p') KiB"
  else
    { t=$( { time "$@" >"$out" 2>"$W/stderr"; } 2>&1 ); }; rc=$?
    echo "TIME $b $what: $t s"
  fi
  return $rc
}

for B in "$@"; do
  CHECK_LABEL=$B
  sk=(timeout 1800 ./setkey --backend "$B")
  "${sk[@]}" -F >/dev/null 2>&1; "${sk[@]}" -FP >/dev/null 2>&1
  t0=$SECONDS
  timed "$B" "apply $n SAs + $n SPs (-f)" "$W/out" "${sk[@]}" -f big.conf
  check_eq "apply: lines on stderr" "$(wc -l <"$W/stderr")" 0
  timed "$B" -D "$W/D" "${sk[@]}" -D
  check_eq "-D SA entries" "$(grep -c $'^\tesp mode=' "$W/D")" "$n"
  check_eq "-D SPIs as a set" "$(grep -o 'spi=[0-9]*' "$W/D" | sort -u | cmp - spis.txt && echo same)" same
  # Figures beside the kernel's own limit and iproute2, on the same table.
  if [[ -x ./bench_raw_dumper ]]; then
    timed "$B" "-D by the raw dumper process" /dev/null ./bench_raw_dumper "$B" sad
    timed "$B" "-DP by the raw dumper process" /dev/null ./bench_raw_dumper "$B" spd
  fi
  timed "$B" "ip xfrm state" /dev/null ip xfrm state
  timed "$B" "ip xfrm policy" /dev/null ip xfrm policy
  timed "$B" -DP "$W/DP" "${sk[@]}" -DP
  check_eq "-DP SP entries" "$(grep -c $'^\tout prio' "$W/DP")" "$n"
  check_eq "-DP selectors as a set" "$(grep -v $'^\t' "$W/DP" | sort -u | cmp - sels.txt && echo same)" same
  rm -f "$W/D" "$W/DP"
  timed "$B" "-D -o json" "$W/J" "${sk[@]}" -D -o json
  if [[ -x ./jq ]] && ((n <= 100000)); then
    check_eq "-D -o json | jq '.sa|length'" "$(./jq '.sa | length' <"$W/J")" "$n"
  else
    check_eq "-D -o json distinct SPIs" "$(grep -oE '"spi": ?[0-9]+' "$W/J" | sort -u | wc -l)" "$n"
  fi
  timed "$B" "-DP -o json" "$W/J" "${sk[@]}" -DP -o json
  if [[ -x ./jq ]] && ((n <= 100000)); then
    check_eq "-DP -o json | jq '.sp|length'" "$(./jq '.sp | length' <"$W/J")" "$n"
  else
    check_eq "-DP -o json distinct sources" "$(grep -oE '"src": ?"172[^"]*"' "$W/J" | sort -u | wc -l)" "$n"
  fi
  timed "$B" "-D -o jsonl" "$W/J" "${sk[@]}" -D -o jsonl
  check_eq "-D -o jsonl lines" "$(wc -l <"$W/J")" "$n"
  check_eq "-D -o jsonl distinct SPIs" "$(grep -oE '"spi": ?[0-9]+' "$W/J" | tr -d ' ' | sort -u | wc -l)" "$n"
  timed "$B" "-DP -o jsonl" "$W/J" "${sk[@]}" -DP -o jsonl
  check_eq "-DP -o jsonl lines" "$(wc -l <"$W/J")" "$n"
  timed "$B" "-D -o prometheus" "$W/J" "${sk[@]}" -D -o prometheus
  check_eq "-D -o prometheus SPIs of setkey_sa_bytes_total" \
    "$(grep -o '^setkey_sa_bytes_total{[^}]*spi="[^"]*"' "$W/J" | sort -u | wc -l)" "$n"
  check_eq "-D -o prometheus setkey_sad_entries" \
    "$(awk '/^setkey_sad_entries[ {]/ { s += $2 } END { print s + 0 }' "$W/J")" "$n"
  timed "$B" "-DP -o prometheus" "$W/J" "${sk[@]}" -DP -o prometheus
  check_eq "-DP -o prometheus setkey_spd_entries" \
    "$(awk '/^setkey_spd_entries[ {]/ { s += $2 } END { print s + 0 }' "$W/J")" "$n"
  rm -f "$W/J"

  # A -D while the SAD changes: another setkey adds and deletes CHURN SAs in a loop.
  repeat_until_term ./setkey --backend "$B" -f "$W/churn.conf" & churner=$!
  timed "$B" "-D while $CHURN SAs come and go" "$W/D" "${sk[@]}" -D; rc=$?
  kill "$churner"; wait "$churner" 2>/dev/null
  ./setkey --backend "$B" -f "$W/churn.conf" >/dev/null 2>&1   # leaves none of them
  if ((rc == 0)); then
    got=$(grep -c $'^\tesp mode=' "$W/D")
    if ((got >= n && got <= n + CHURN)); then ok "-D while SAs change: $got entries, within [$n, $((n + CHURN))]"
    else ko "-D while SAs change: $got entries, not within [$n, $((n + CHURN))]"; fi
    check_eq "-D while SAs change: the stable SPIs, each once" \
      "$(grep -o 'spi=[0-9]*' "$W/D" | awk -F= '$2 < 1073741824' | sort | cmp - spis.txt && echo same)" same
  elif ((rc == 2)) && [[ $(wc -l <"$W/stderr") == 1 ]]; then
    ok "-D while SAs change: a one-line error ($(cat "$W/stderr"))"
  else
    ko "-D while SAs change: exit $rc, stderr: $(head -3 "$W/stderr")"
  fi
  rm -f "$W/D"
  { t=$( { time "${sk[@]}" -F >/dev/null 2>&1; } 2>&1 ); }; echo "TIME $B -F: $t s"
  { t=$( { time "${sk[@]}" -FP >/dev/null 2>&1; } 2>&1 ); }; echo "TIME $B -FP: $t s"
  echo "TIME $B total: $((SECONDS - t0)) s"
done
summary
