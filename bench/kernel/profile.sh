#!/bin/bash
# Where a load's time goes, in one qemu boot: per backend, `setkey -n -f` (parsing
# alone), `setkey -f` against the raw sender (REPS times each), then one `setkey -f`
# under `perf record` (the guest has no PMU under TCG: the cpu-clock software event),
# and perf's report by symbol, self and with children, kernel and user space together.
# Run from the repository root after a Release build (see run.sh):
#   bench/kernel/profile.sh build-bench [N]        (N: gen-script.py size, default 30000)
# Env: REPS (default 2), BACKENDS (default "xfrm pfkey"), TOP (report lines, default 40),
# VM_MEM (default 2G), VM_TIMEOUT (s, default 1800).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=$(cd "${1:?usage: profile.sh BUILD_DIR [N]}" && pwd)
n=${2:-30000}
command -v perf >/dev/null || apt-get install -y -q linux-perf >/dev/null

P=$(mktemp -d /tmp/setkey-kprof.XXXXXX)
trap 'rm -rf "$P"' EXIT
cp "$build/setkey" "$build/bench/kernel/bench_raw_pfkey_sender" "$build/bench/kernel/bench_raw_xfrm_sender" \
   "$build/bench/kernel/bench_rusage_run" "$here/guest-profile.sh" "$(command -v perf)" "$P/"
python3 "${GEN_SCRIPT:-$repo/bench/gen-script.py}" "$n" >"$P/s$n.conf"
chmod 600 "$P/s$n.conf" # it holds keys

echo "# $(date -u +%FT%TZ) host: $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"
RUN_IN_VM_QEMU_ARGS="-m ${VM_MEM:-2G}" "$repo/tests/vm/run-in-vm.sh" -t "${VM_TIMEOUT:-1800}" \
  -e REPS="${REPS:-2}" -e BACKENDS="${BACKENDS:-xfrm pfkey}" -e TOP="${TOP:-40}" -L "$P" -- \
  sh ./guest-profile.sh "/payload/s$n.conf"
