#!/bin/bash
# Stand-in for the setkey binary, used only to test the corpus checker (../corpus) before
# the real binary talks to PF_KEY. It replays 0.8.2's recorded output from
# ./expected, behaving like our tool: native mode splits "The result of line N"
# into stderr refusals and exits 2. Dumps get this run's pid and the current time, so
# the masking is exercised. With corrupt=1 (set by sed in the test) it lies in every
# section; with corrupt=xfrm only when run with --backend xfrm, and only in the dumps
# (the cross-backend check must catch it).
# section, and the comparison must fail.
set -euo pipefail
corrupt=0
state=/tmp/fake-setkey.last
section() { awk -v want="-----$1" '/^-----/ { on = ($0 == want); next } on' "$2"; }
now=$(date '+%b %e %T %Y')
replay() {  # replay SECTION: the dump of the last applied file, made to look fresh
  local exp none=$2
  exp=$(cat "$state" 2>/dev/null || true)
  if [[ -z $exp ]]; then echo "$none"; return; fi
  section "$1" "$exp" | sed -E -e "s/(^|[^a-z_])pid=[0-9]+/\1pid=$$/g" \
                              -e "s/[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} [0-9]{4}/$now/g" |
    if ((lie)); then sed -e 's/replay=0/replay=4/' -e 's/prio def/prio 0/'; else cat; fi
}

compat=0
backend=
[[ ${1:-} == --backend ]] && { backend=$2; shift 2; }   # both replay the same recording
lie=0; [[ $corrupt == 1 || $corrupt == "$backend" ]] && lie=1
[[ ${1:-} == --compat-exit ]] && { compat=1; shift; }
case ${1:-} in
  -F | -FP) rm -f "$state" ;;
  -D) replay D "No SAD entries." ;;
  -DP) replay DP "No SPD entries." ;;
  -f)
    src=$2 d=${2#corpus/}
    exp=$PWD/expected/${d%%/*}_${d#*/}.txt   # the checker runs from its folder
    echo "$exp" >"$state"
    body=$(section F "$exp")
    rc=${body##*rc=}
    refused=0
    while IFS= read -r l; do
      [[ $l == rc=* ]] && continue
      if ((compat)); then echo "$l"; continue; fi
      if [[ $l =~ ^The\ result\ of\ line\ [0-9]+:\ (No\ S[AP]D\ entries\.)$ ]]; then
        echo "${BASH_REMATCH[1]}"   # an empty dump is output, not a refusal
      elif [[ $l =~ ^The\ result\ of\ line\ ([0-9]+):\ (.*)\.$ ]]; then
        n=${BASH_REMATCH[1]}
        [[ $corrupt == 1 ]] && n=$((n + 1))
        echo "setkey: $src:$n: add failed: ${BASH_REMATCH[2]}" >&2
        refused=1
      else
        echo "$l"
      fi
    done <<<"$body"
    ((refused)) && rc=2
    exit "$rc" ;;
  *) echo "fake-setkey: unsupported: $*" >&2; exit 1 ;;
esac
