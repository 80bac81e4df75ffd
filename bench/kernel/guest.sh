#!/bin/sh
# Runs inside the qemu lab (see run.sh): for each N given, over PF_KEY and XFRM, times
# `setkey -n -f` and `setkey -f` (parse and apply; also for every extra binary named in
# VARIANTS), `setkey -D`/`-DP`
# (to /dev/null and to a file, counting entries), `-D`/`-DP -o json`, `ip xfrm state`/`ip
# xfrm policy` on the same table, `--sync` to a 1%-changed file against its flush and
# reload, the raw dumper and the raw sender, REPS
# times each, and prints one result line per measurement. After each flush it waits SETTLE seconds
# so the kernel's deferred freeing of the old states does not land in the next figure.
set -u
reps=${REPS:-2} settle=${SETTLE:-3}
R=/tmp/results
: >"$R"
out() { echo "$*" >>"$R"; }
flush() {
  ./setkey --backend "$1" -F >/dev/null 2>&1; ./setkey --backend "$1" -FP >/dev/null 2>&1
  sleep "$settle"
}
echo "kernel $(uname -r) cpus $(grep -c ^processor /proc/cpuinfo) mem_kib $(awk '/MemTotal/{print $2}' /proc/meminfo)" | tee -a "$R" >&2
for n in "$@"; do
  s=/payload/s$n.conf
  for r in $(seq 1 "$reps"); do
    ./bench_rusage_run "$R" "parse setkey-n $n" ./setkey -n -f "$s"
    for v in ${VARIANTS:-}; do ./bench_rusage_run "$R" "parse $v-n $n" "./$v" -n -f "$s"; done
  done
  for b in ${BACKENDS:-pfkey xfrm}; do
    for r in $(seq 1 "$reps"); do
      for v in ${VARIANTS:-}; do
        flush "$b"
        ./bench_rusage_run "$R" "apply-$v $b $n" "./$v" --backend "$b" -f "$s" || out "# $v apply $b $n failed"
      done
      flush "$b"
      # Start-up floor: a dump of the empty tables.
      ./bench_rusage_run "$R" "dump-empty -D $b $n" ./setkey --backend "$b" -D >/dev/null
      ./bench_rusage_run "$R" "apply $b $n" ./setkey --backend "$b" -f "$s" || out "# apply $b $n failed"
      for d in D DP; do
        ./bench_rusage_run "$R" "dump-null -$d $b $n" ./setkey --backend "$b" -$d >/dev/null
        ./bench_rusage_run "$R" "dump-file -$d $b $n" ./setkey --backend "$b" -$d >/tmp/dump
        if [ "$d" = D ]; then c=$(grep -c 'mode=' /tmp/dump); else c=$(grep -c 'spid=' /tmp/dump); fi
        out "count -$d $b $n entries=$c bytes=$(wc -c </tmp/dump)"
        t=sad; [ "$d" = DP ] && t=spd
        line=$(./bench_raw_dumper "$b" $t) || out "# raw dump -$d $b $n failed"
        out "rawdump -$d $b $n $line"
        # The same as a whole process (exec, libraries, socket), as setkey is timed.
        ./bench_rusage_run "$R" "rawdump-proc -$d $b $n" ./bench_raw_dumper "$b" $t >/dev/null
        ./bench_rusage_run "$R" "dump-null -$d-json $b $n" ./setkey --backend "$b" -$d -o json >/dev/null
        # iproute2 on the same table (it always reads XFRM, whichever backend loaded it).
        o=state; [ "$d" = DP ] && o=policy
        ./bench_rusage_run "$R" "iproute2 -$d $b $n" ip xfrm $o >/dev/null
      done
      # The table s$N made, brought to c$N (1% of its SAs and policies changed) by
      # --sync, against the flush and reload of that same file.
      ./bench_rusage_run "$R" "sync $b $n" ./setkey --backend "$b" --sync -f "/payload/c$n.conf" || out "# sync $b $n failed"
      # Each VARIANT syncs back to r$N (s$N under flush; spdflush;: the same 1% changed
      # back), and this build then to c$N again: both directions change the same entries.
      for v in ${VARIANTS:-}; do
        ./bench_rusage_run "$R" "sync-$v $b $n" "./$v" --backend "$b" --sync -f "/payload/r$n.conf" || out "# $v sync $b $n failed"
        ./bench_rusage_run "$R" "sync $b $n" ./setkey --backend "$b" --sync -f "/payload/c$n.conf" || out "# sync $b $n failed"
      done
      ./bench_rusage_run "$R" "reload $b $n" ./setkey --backend "$b" -f "/payload/c$n.conf" || out "# reload $b $n failed"
      flush "$b"
      line=$(./bench_raw_${b}_sender "$s") || out "# raw $b $n failed"
      out "raw $b $n $line"
      echo "done $b $n rep $r" >&2
    done
    flush "$b"
  done
done
cat "$R"
