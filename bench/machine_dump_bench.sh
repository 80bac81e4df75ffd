#!/bin/sh
# Peak RSS and time of a dump in each output format for N SAs + N policies, without a
# kernel (bench_machine_dump): flat memory means the same peak at every N. Prints
# figures; asserts nothing. Run from a Release build dir:
#   ninja -C build bench_machine_dump && bench/machine_dump_bench.sh build [N...]
# Figures (2-core machine shared with other builds, Release; peak MiB, N SAs + N policies):
#              N=10^4   10^5    3*10^5  10^6
#   at 543f78a json  112.7  1091.8  3266.6  -     prometheus 67.5  564.6  1506.4  -
#   now        json    4.3     4.3     -    4.3   prometheus  6.5    6.5     -    6.5
#   (classic and jsonl: 4.3 at every N, before and after; json 10^5: 6.6 s -> 2.8 s)
# On the host kernel (netns, 100,000 policies, setkey -DP): json 364 MiB -> 4.6 MiB,
# prometheus 45 MiB -> 4.5 MiB, classic 4.9 MiB both; output bytes identical.
# Records written from the field table without a tree (e1e3cdc, busy host, load 11),
# 10^5: classic 0.54 s, json 0.39 s (2.8 s before), jsonl 0.70 s, prometheus 1.37 s;
# peak 4.1-6.3 MiB as before.
set -eu
build=${1:?usage: machine_dump_bench.sh BUILD_DIR [N...]}
shift
[ $# -gt 0 ] || set -- 10000 100000 1000000
printf '%-11s %9s %9s %11s\n' format N seconds "peak MiB"
for format in classic json jsonl prometheus; do
    for n in "$@"; do
        /usr/bin/time -f '%e %M' -o /tmp/machine-dump-bench.$$ "$build/bench/bench_machine_dump" "$format" "$n"
        read -r secs kib < /tmp/machine-dump-bench.$$
        printf '%-11s %9s %9s %11.1f\n' "$format" "$n" "$secs" "$(awk "BEGIN { print $kib / 1024 }")"
    done
done
rm -f /tmp/machine-dump-bench.$$
