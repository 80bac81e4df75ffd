#!/bin/sh
# Input-layout figures (issue 8, items 5 and 6): the same policies one per line and
# all on one line, through `setkey -n -f` (time and peak RSS should not depend on the
# layout) and `setkey -n -c` (peak RSS on one long line should stay near the -f
# figure). Prints figures; asserts nothing. Run from a Release build dir:
#   ninja -C build setkey && bench/line_layout_bench.sh build [F_MB] [C_MB]
# F_MB (default 10) sizes the -f script, C_MB (default 2.6) the -c one.
# Figures (2-core machine, Release, bench/line_layout_bench.sh build 10 2.6):
#   at 786d9b9: -n -f 10 MB one per line 0.04 s, on one line 23.5 s (both 13.5 MiB);
#               -n -c 168 kB on one line 0.44 s, 330 MiB (2.6 MB: OOM-killed)
#   now:        -n -f 10 MB one per line 0.04-0.07 s, on one line 0.04-0.07 s (13.4 MiB);
#               -n -c 2.6 MB on one line 0.03 s, 7.7 MiB
set -eu
build=${1:?usage: line_layout_bench.sh BUILD_DIR [F_MB] [C_MB]}
f_mb=${2:-10}
c_mb=${3:-2.6}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# generate MB SEPARATOR > FILE: distinct out policies (~48 bytes each) up to MB megabytes.
generate() {
    python3 - "$1" "$2" <<'PY'
import sys
limit, sep = float(sys.argv[1]) * 1e6, sys.argv[2].encode().decode("unicode_escape")
out, size, i = [], 0, 0
while size < limit:
    s = "spdadd 10.%d.%d.%d 172.16.0.1 any -P out none;" % (i >> 16 & 255, i >> 8 & 255, i & 255)
    out.append(s)
    size += len(s) + len(sep)
    i += 1
sys.stdout.write(sep.join(out) + "\n")
PY
}

run() { # run LABEL ARGS...: one line of figures from /usr/bin/time -v
    label=$1; shift
    /usr/bin/time -v "$build/setkey" "$@" >/dev/null 2>"$dir/time" || true
    awk -v label="$label" -F': ' '
        /Elapsed \(wall clock\)/ { wall = $2 }
        /Maximum resident set size/ { rss = $2 }
        /Exit status/ { rc = $2 }
        END { printf "%-34s wall %s  peak RSS %6.1f MiB  exit %s\n", label, wall, rss / 1024, rc }' "$dir/time"
}

generate "$f_mb" '\n' >"$dir/lines.conf"
generate "$f_mb" ' ' >"$dir/one-line.conf"
echo "-f: $(wc -l <"$dir/lines.conf") statements, $(wc -c <"$dir/one-line.conf") bytes"
for i in 1 2 3; do
    run "-n -f, one statement per line" -n -f "$dir/lines.conf"
    run "-n -f, all on one line" -n -f "$dir/one-line.conf"
done

generate "$c_mb" ' ' >"$dir/c-line.conf"
echo "-c: $(wc -c <"$dir/c-line.conf") bytes on one line"
run "-n -c, one line" -n -c <"$dir/c-line.conf"
cat "$dir/c-line.conf" | run "-n -c, one line, from a pipe" -n -c
