#!/bin/bash
# Kernel-limit figures for loads and dumps, in one qemu boot (TCG: compare ratios, not
# absolute times). Run from the repository root after a Release build:
#   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release
#   ninja -C build-bench setkey bench_raw_pfkey_sender bench_raw_xfrm_sender bench_raw_dumper \
#     bench_rusage_run
#   bench/kernel/run.sh build-bench 10000 [100000 ...]
# Env: REPS (repetitions per N and backend, default 2), SETTLE (s to wait after each
# flush, default 3), VARIANTS (other setkey binaries whose apply time to measure too,
# e.g. a build of the previous commit: "/tmp/setkey-base"), BACKENDS (default "pfkey xfrm"), VM_TIMEOUT (s, default 3000),
# VM_MEM (guest memory, default 2G: 100k SAs do not fit in the lab's 512M), GUEST (the
# guest script: guest.sh, or guest-dumps.sh for the dumps alone, every format, beside
# each VARIANT; REPS defaults to 3 there), LOAD_RAW (guest-dumps.sh: 1 to time the raw
# senders' load of s$N before setkey's own, timed load).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=$(cd "${1:?usage: run.sh BUILD_DIR N...}" && pwd)
shift
(($#)) || set -- 10000
gen=${GEN_SCRIPT:-$repo/bench/gen-script.py}

P=$(mktemp -d /tmp/setkey-kbench.XXXXXX)
trap 'rm -rf "$P"' EXIT
cp "$build/setkey" "$build/bench/kernel/bench_raw_pfkey_sender" \
   "$build/bench/kernel/bench_raw_xfrm_sender" "$build/bench/kernel/bench_raw_dumper" \
   "$build/bench/kernel/bench_rusage_run" \
   "$here/guest.sh" "$here/guest-dumps.sh" "$P/"
names=
for v in ${VARIANTS:-}; do cp "$v" "$P/"; names+=" ${v##*/}"; done
# 0600: the scripts hold keys (setkey warns about keys others can read).
# c$n: the same entries under flush; spdflush; (--sync's scope) with every 100th SA's
# encryption key and every 100th policy's priority changed; r$n: s$n under the flushes
# (a variant's --sync back from c$n).
for n in "$@"; do
  python3 "$gen" "$n" >"$P/s$n.conf"
  chmod 600 "$P/s$n.conf"
  # guest-dumps.sh reads s$n only (at 10^6 each script is 270 MB of guest memory).
  [ "${GUEST:-guest.sh}" = guest.sh ] || continue
  { printf 'flush;\nspdflush;\n'; cat "$P/s$n.conf"; } >"$P/r$n.conf"
  { printf 'flush;\nspdflush;\n'
    awk '/^add / && ++a % 100 == 0 { sub(/-E aes-cbc 0x../, "-E aes-cbc 0xff") }
         /^spdadd / && ++p % 100 == 0 { sub(/ -P out ipsec/, " -P out prio 10 ipsec"); sub(/ -P in ipsec/, " -P in prio 10 ipsec") }
         { print }' "$P/s$n.conf"; } >"$P/c$n.conf"
  chmod 600 "$P/c$n.conf" "$P/r$n.conf"
done

echo "# $(date -u +%FT%TZ) host: $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"
RUN_IN_VM_QEMU_ARGS="-m ${VM_MEM:-2G}" "$repo/tests/vm/run-in-vm.sh" -t "${VM_TIMEOUT:-3000}" \
  -e REPS="${REPS:-$([ "${GUEST:-guest.sh}" = guest.sh ] && echo 2 || echo 3)}" -e BACKENDS="${BACKENDS:-pfkey xfrm}" -e SETTLE="${SETTLE:-3}" -e LOAD_RAW="${LOAD_RAW:-}" -e VARIANTS="${names# }" -L "$P" -- sh "./${GUEST:-guest.sh}" "$@" | tee "$P/results"
echo "# host load after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${GUEST:-guest.sh}" = guest.sh ]; then python3 "$here/table.py" <"$P/results"; fi
