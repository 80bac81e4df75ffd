#!/bin/bash
# The SPD half of the large-table figures on the host's own kernel: XFRM policies need
# no ESP/AH module, so N policies (gen-script.py N, its spdadd lines) load in a private
# network namespace, no VM needed. Per N: apply with setkey -f and with ip -batch, then
# setkey -DP in every format beside the raw dumper and `ip xfrm policy`, each as a whole
# process (wall seconds, peak RSS), and the counts each dump gave. Prints figures;
# asserts nothing but the counts. As root, after a Release build:
#   ninja -C build setkey bench_raw_dumper bench_rusage_run
#   bench/kernel/netns-spd.sh build 10000 100000 1000000
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: netns-spd.sh BUILD_DIR N...}" && pwd)
shift
(($#)) || set -- 10000
W=$(mktemp -d /tmp/setkey-netns-spd.XXXXXX)
trap 'rm -rf "$W"' EXIT

for n in "$@"; do
  python3 "$here/../gen-script.py" "$n" | grep '^spdadd' >"$W/s$n.conf"
  # The same policies for ip -batch: spdadd SRC[any] DST[any] any -P DIR ipsec P/M/A-B/L;
  awk '{ gsub(/\[any\]/, ""); split($8, t, "/"); split(t[3], e, "-"); sub(/;$/, "", t[4])
         printf "xfrm policy add src %s dst %s dir %s tmpl src %s dst %s proto %s mode %s level %s\n",
                $2, $3, $6, e[1], e[2], t[1], t[2], (t[4] == "require" ? "required" : t[4]) }' \
      "$W/s$n.conf" >"$W/ip$n.batch"
done

export W BUILD=$build
unshare -n bash -c '
  set -euo pipefail
  ip link set lo up
  run() { "$BUILD/bench/kernel/bench_rusage_run" "$W/r" "$@"; }
  count() { awk -v l="$1" "{ print \"count \" l \" \" \$0 }" >>"$W/r"; }
  for s in "$W"/s*.conf; do
    n=${s##*/s}; n=${n%.conf}
    run "apply setkey $n" "$BUILD/setkey" --backend xfrm -f "$s"
    "$BUILD/setkey" --backend xfrm -DP | grep -c "spid=" | count "setkey-DP $n"
    "$BUILD/setkey" --backend xfrm -DP -o jsonl | wc -l | count "setkey-jsonl $n"
    ip xfrm policy count | tr "\n" " " | sed "s/ *$/\n/" | count "ip $n"
    for f in classic json jsonl prometheus script; do
      run "dump -DP -o $f $n" "$BUILD/setkey" --backend xfrm -DP -o $f >/dev/null
    done
    run "rawdump-proc $n" "$BUILD/bench/kernel/bench_raw_dumper" xfrm spd >/dev/null
    run "ip-xfrm-policy $n" ip xfrm policy >/dev/null
    run "flush setkey $n" "$BUILD/setkey" --backend xfrm -FP
    run "apply ip-batch $n" ip -batch "$W/ip$n.batch"
    ip xfrm policy count | tr "\n" " " | sed "s/ *$/\n/" | count "ip-batch $n"
    ip xfrm policy flush
  done
'
cat "$W/r"
