#!/bin/sh
# Runs inside the qemu lab (see run.sh, GUEST=guest-dumps.sh): dumps. Loads s$N once
# (timed; with LOAD_RAW=1 over each backend beside the raw sender's load of it), then
# REPS times, in turn: for this build and every VARIANTS binary, over both backends
# (one table: af_key and XFRM netlink show the same kernel state), `-D` and `-DP` in
# classic, json, jsonl and prometheus to /dev/null; then the raw dumper process
# and `ip xfrm state`/`policy`. Interleaved, so host load drifts alike over every binary.
# One line per run (bench_rusage_run), then a summary of best times by label.
set -u
reps=${REPS:-3}
R=/tmp/results
: >"$R"
echo "kernel $(uname -r) cpus $(grep -c ^processor /proc/cpuinfo) mem_kib $(awk '/MemTotal/{print $2}' /proc/meminfo)" | tee -a "$R" >&2
for n in "$@"; do
  ./setkey -F >/dev/null 2>&1; ./setkey -FP >/dev/null 2>&1
  # LOAD_RAW=1: per backend, the raw sender's load of the same script (the kernel's
  # limit) and setkey's, each into empty tables; the kernel frees flushed states
  # later, hence the waits. The last backend's load stays for the dumps.
  loads=xfrm; [ -n "${LOAD_RAW:-}" ] && loads=${BACKENDS:-pfkey xfrm}
  for b in $loads; do
    if [ -n "${LOAD_RAW:-}" ]; then
      sleep "${SETTLE:-3}"
      line=$(./bench_raw_${b}_sender "/payload/s$n.conf") || echo "# raw $b $n failed" >>"$R"
      echo "raw $b $n $line" | tee -a "$R" >&2
      ./setkey -F >/dev/null 2>&1; ./setkey -FP >/dev/null 2>&1
      sleep "${SETTLE:-3}"
    fi
    ./bench_rusage_run "$R" "load $b $n" ./setkey --backend "$b" -f "/payload/s$n.conf" || echo "# load $b $n failed" >>"$R"
    [ "$b" = "${loads##* }" ] || { ./setkey -F >/dev/null 2>&1; ./setkey -FP >/dev/null 2>&1; }
  done
  echo "loaded $n: $(./setkey -D | grep -c 'mode=') SAs, $(./setkey -DP | grep -c 'spid=') policies" | tee -a "$R" >&2
  for r in $(seq 1 "$reps"); do
    for b in ${BACKENDS:-pfkey xfrm}; do
      for d in D DP; do
        for f in classic json jsonl prometheus; do
          for v in setkey ${VARIANTS:-}; do
            ./bench_rusage_run "$R" "$v -$d -o $f $b $n" "./$v" --backend "$b" -$d -o "$f" >/dev/null
          done
        done
        t=sad; [ "$d" = DP ] && t=spd
        ./bench_rusage_run "$R" "rawdump-proc -$d $b $n" ./bench_raw_dumper "$b" $t >/dev/null
      done
    done
    ./bench_rusage_run "$R" "iproute2 -D $n" ip xfrm state >/dev/null
    ./bench_rusage_run "$R" "iproute2 -DP $n" ip xfrm policy >/dev/null
    echo "done rep $r" >&2
  done
done
cat "$R"
echo "# best of $reps, seconds"
grep ' wall=' "$R" | sed 's/ wall=\([0-9.]*\).*/|\1/' |
  awk -F'|' '!($1 in best) || $2 < best[$1] { best[$1] = $2 } END { for (k in best) print k, best[k] }' | sort
