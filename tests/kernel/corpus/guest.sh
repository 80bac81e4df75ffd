#!/bin/bash
# Runs INSIDE the VM (tests/kernel/guest.sh runs it from its folder, options from ./args):
#   guest.sh [-c] [-n LINES] BACKEND...   (-c: compat mode; -n: diff lines per file)
# The payload holds only the chosen files (payload.sh). Runs check-backend.sh once
# per backend, each against 0.8.2's
# recordings with its own known-differences-BACKEND.txt, then the cross-backend check:
# for every file, the masked -D/-DP after the xfrm run must equal the pfkey run's, byte for
# byte (same script, same kernel state, so the classic text must be the same). Entries
# "NAME cross reason" in known-differences-xfrm.txt are deliberate cross differences (XFAIL).
# Ends with one "N passed, M failed[, K known differences]" over everything.
set -uo pipefail   # no -e: a failing stage is a result to report
gargs=()
while getopts 'cn:' o; do
  case $o in c) gargs+=(-c) ;; n) gargs+=(-n "$OPTARG") ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
out=$(mktemp -d /tmp/corpus-dumps.XXXXXX)   # fresh: the cross check reads every file in it
tp=0 tf=0 tx=0
add() {  # add "N passed, M failed[, K known differences]" line to the totals
  local re='([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) known)?'
  [[ $1 =~ $re ]] || { tf=$((tf + 1)); return; }
  tp=$((tp + BASH_REMATCH[1])) tf=$((tf + BASH_REMATCH[2])) tx=$((tx + ${BASH_REMATCH[4]:-0}))
}
for b in "$@"; do
  echo "=== backend $b"
  k=(); [[ -f known-differences-$b.txt ]] && k=(-k "known-differences-$b.txt")
  bash ./check-backend.sh "${gargs[@]}" -b "$b" "${k[@]}" -s "$out/$b" | tee /tmp/stage.out
  add "$(tail -n 1 /tmp/stage.out)"
done

# Cross-backend check, when both ran.
if [[ -d $out/pfkey && -d $out/xfrm ]]; then
  echo "=== cross-backend: -D/-DP after --backend xfrm vs after --backend pfkey"
  declare -A cross=()
  if [[ -f known-differences-xfrm.txt ]]; then
    while read -r n kind _; do [[ $kind == cross ]] && cross[$n]=1; done <known-differences-xfrm.txt
  fi
  p=0 f=0 x=0
  for d in "$out"/pfkey/*; do
    n=${d##*/}
    if cmp -s "$d" "$out/xfrm/$n"; then
      if [[ -n ${cross[$n]:-} ]]; then f=$((f + 1)); echo "XPASS cross $n: listed but the same"
      else p=$((p + 1)); echo "PASS cross $n"; fi
    elif [[ -n ${cross[$n]:-} ]]; then
      x=$((x + 1)); echo "XFAIL cross $n"
    else
      f=$((f + 1)); echo "FAIL cross $n: xfrm dump differs from pfkey's"
      diff -u "$d" "$out/xfrm/$n" | tail -n +3 | head -n 20 | sed 's/^/    /'
    fi
  done
  echo "cross $p passed, $f failed, $x known differences"
  add "$p passed, $f failed, $x known"
fi
echo "$tp passed, $tf failed$( ((tx)) && echo ", $tx known differences")"
((tf == 0 && tp + tx > 0))
