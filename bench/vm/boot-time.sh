#!/bin/bash
# Figure, not a test: wall time of `run-in-vm.sh DIR -- true` (boot, run, power off),
# N runs one after another (default 10). Prints min / median / max and every sample.
set -euo pipefail
n=${1:-10}
run=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../tests/vm" && pwd)/run-in-vm.sh
"$(dirname "$run")/setup.sh" >/dev/null
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
for _ in $(seq "$n"); do
  t0=$EPOCHREALTIME
  "$run" "$d" -- true
  awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f\n", b - a }'
done | sort -n | awk '{ s[NR] = $1 } END {
  printf "boot+true over %d runs: min %.2f s, median %.2f s, max %.2f s\n",
         NR, s[1], (NR % 2 ? s[(NR + 1) / 2] : (s[NR / 2] + s[NR / 2 + 1]) / 2), s[NR]
  for (i = 1; i <= NR; i++) printf "%s%s", s[i], (i < NR ? " " : "\n") }'
