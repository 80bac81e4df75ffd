#!/bin/sh
# Parser acceptance figures: a 100k-statement script (13.9 MB) through bench_parse and
# through `setkey -n -f`, with wall time and peak RSS. Run from a Release build dir:
#   cmake -S . -B build-rel -G Ninja -DCMAKE_BUILD_TYPE=Release && ninja -C build-rel setkey bench_parse
#   bench/parse_bench.sh build-rel
# Targets: setkey -n -f under 0.11 s and 35 MiB on a 2-core machine.
set -eu
build=${1:?usage: parse_bench.sh BUILD_DIR}
here=$(dirname "$0")
script=${TMPDIR:-/tmp}/setkey-parse-bench.conf
python3 "$here/gen-script.py" 50000 > "$script"
"$build/bench/bench_parse" "$script" 5
for i in 1 2 3; do
    /usr/bin/time -f "setkey -n -f: %e s, peak RSS %M KiB" "$build/setkey" -n -f "$script"
done
