#!/bin/sh
# Runs inside the qemu lab (see profile.sh): times and a perf profile of `setkey -f SCRIPT`.
set -u
s=$1 reps=${REPS:-2} top=${TOP:-40}
R=/tmp/results
: >"$R"
flush() {
  ./setkey --backend "$1" -F >/dev/null 2>&1; ./setkey --backend "$1" -FP >/dev/null 2>&1
  sleep 3 # the kernel frees the old states late: not charged to the next figure
}
report() { ./perf report -i "$1" --stdio -g none "$2" --sort sym 2>/dev/null | grep -v -e '^#' -e '^$' | head -n "$top" | cut -c1-160; }
./bench_rusage_run "$R" "parse setkey -n" ./setkey -n -f "$s"
for b in ${BACKENDS:-xfrm pfkey}; do
  for r in $(seq 1 "$reps"); do
    flush "$b"; ./bench_rusage_run "$R" "apply $b" ./setkey --backend "$b" -f "$s"
    flush "$b"; echo "raw $b $(./bench_raw_${b}_sender "$s")" >>"$R"
  done
  flush "$b"
  ./perf record -q -e cpu-clock -F 1000 -g -o "/tmp/perf.$b" ./setkey --backend "$b" -f "$s"
  echo "=== $b: setkey -f, self time by object"
  ./perf report -i "/tmp/perf.$b" --stdio -g none --no-children --sort dso 2>/dev/null | grep -v -e '^#' -e '^$' | head -n 8
  echo "=== $b: setkey -f, self time by symbol ([k] kernel, [.] user)"; report "/tmp/perf.$b" --no-children
  echo "=== $b: with children"; report "/tmp/perf.$b" --children
done
echo "=== times"
cat "$R"
