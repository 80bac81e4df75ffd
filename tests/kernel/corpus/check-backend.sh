#!/bin/bash
# Runs INSIDE the VM, from the corpus suite's folder (guest.sh calls it per backend):
#   check-backend.sh [-c] [-b BACKEND] [-k KNOWN] [-s DIR] [-n LINES] [-x FILES] [GLOB...]
# For each expected/NAME.txt (NAME = <folder>_<file>, the script is corpus/<folder>/<file>):
# flush, apply the script with ./setkey, dump SAD and SPD, and compare with 0.8.2's output
# after masking what depends on the moment, the process and kernel counters. Diffing is done
# here because the serial line is slow: only PASS/FAIL lines and short diffs go out.
#   -c  compat: run `setkey --compat-exit -f` with stderr merged and compare the -----F
#       section byte for byte, 0.8.2's "The result of line N: ..." messages included.
#   default (native): the -----F section is compared as stdout, then rc (2 when 0.8.2
#       reported any kernel refusal, else 0.8.2's rc), then one "refused line N: REASON" per
#       refusal, taken from 0.8.2's "The result of line N: REASON." and from our stderr's
#       "setkey: FILE:N: <command> failed: REASON[ (extack detail)]" (our own words for
#       ESRCH/ENOENT/EEXIST mapped back to strerror's, see native_f); any other stderr
#       line is a difference. Exception: "The result of line N: No SAD entries." (or SPD),
#       0.8.2's report of an empty in-script dump, is expected as stdout "No SAD entries.".
#   Parse-time warnings (`setkey: FILE:L:C: warning: ...`, then the source line and a
#       caret line) are not kernel refusals and 0.8.2 printed none for these inputs: they
#       are left out of the comparison and listed as "WARN NAME: line L: ..." lines.
#       A parse error (same form without "warning:") becomes "parse error line L: MSG".
#   -b  run every setkey call with --backend BACKEND (also the label of every result line)
#   -k  known-differences file (default: none); -s  save each masked -D/-DP in DIR/NAME
#   -n  diff lines shown per failing file (30); -x  failing files shown with a diff (20).
# Known-differences lines are "NAME KIND reason": KIND "xfail" is a deliberate difference
# (failure reported as XFAIL, not counted; a pass is XPASS, a failure: the list must stay
# true); KIND "parse-error:L" replaces 0.8.2's result by ours on purpose: no stdout, rc=1,
# one "parse error line L: ...", empty SAD and SPD (checked as PASS). KIND "cross" is read
# by guest.sh only.
# Every process costs ~10-60 ms under TCG, so the loop avoids them where bash can do it.
set -uo pipefail   # no -e: a failing setkey call is a result to report, not a reason to stop
compat=0 lines=30 maxshown=20 backend='' knownf='' save=''
while getopts 'cb:k:s:n:x:' o; do
  case $o in
    c) compat=1 ;; b) backend=$OPTARG ;; k) knownf=$OPTARG ;; s) save=$OPTARG ;;
    n) lines=$OPTARG ;; x) maxshown=$OPTARG ;; *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
(($#)) || set -- '*'
w=/tmp/corpus${backend:+-$backend}
mkdir -p "$w/exp"
[[ -z $save ]] || mkdir -p "$save"
label=${backend:+$backend }   # prefix of every result line
exec 3>&1                       # WARN lines go to our stdout, not into the compared text

# Masks (tests/lib/check.sh `mask`): dates, diff: seconds, spid=/pid=, a policy's refcnt=.
. "${SETKEY_TEST_LIB:?run by tests/kernel/guest.sh}"
rm -rf "$w/masked"; mkdir -p "$w/masked"
cp expected/*.txt "$w/masked/"
mask_files "$w/masked"/*.txt

# All expected files at once, one awk: exp/NAME = masked comparison form (see header).
awk -v compat=$compat -v out="$w/exp" '
  function flush() {
    if (name == "") return
    if (!compat) {
      print "-----F" > (out "/" name)
      printf "%s", fout > (out "/" name)
      print "rc=" (nref ? 2 : rc) > (out "/" name)
      printf "%s", refs > (out "/" name)
    }
    printf "%s", rest > (out "/" name)
    close(out "/" name)
  }
  FNR == 1 { flush(); name = FILENAME; sub(/.*\//, "", name); sub(/\.txt$/, "", name)
             sec = ""; fout = refs = rest = ""; nref = 0; rc = "" }
  /^-----(F|D|DP)$/ { sec = $0; if (compat || sec != "-----F") rest = rest $0 "\n"; next }
  compat || sec != "-----F" { rest = rest $0 "\n"; next }
  /^rc=[0-9]+$/ { rc = substr($0, 4); next }
  /^The result of line [0-9]+: No S[AP]D entries\.$/ {   # an empty in-script dump: output
    sub(/^The result of line [0-9]+: /, ""); fout = fout $0 "\n"; next }
  /^The result of line [0-9]+: / {
    r = $0; sub(/^The result of line /, "", r); sub(/\.$/, "", r)
    refs = refs "refused line " r "\n"; nref++; next }
  { fout = fout $0 "\n" }
  END { flush() }
' "$w/masked"/*.txt

declare -A known=()
if [[ -n $knownf ]]; then
  while read -r k kind _; do
    [[ -z $k || $k == \#* || $kind == cross ]] && continue
    case $kind in
      xfail) known[$k]=1 ;;
      parse-error:[0-9]*)   # our deliberate result replaces 0.8.2's (see header)
        ((compat)) && continue
        printf -- '-----F\nrc=1\nparse error line %s\n-----D\nNo SAD entries.\n-----DP\nNo SPD entries.\n' \
          "${kind#parse-error:}" >"$w/exp/$k" ;;
      *) echo "check-backend: $knownf: bad kind '$kind' for $k" >&2; exit 2 ;;
    esac
  done <"$knownf"
fi

bopt=(${backend:+--backend "$backend"})
sk() { timeout 20 ./setkey "${bopt[@]}" "$@"; }   # a hung binary costs one file, not the boot

# Our native -----F section: stdout, rc, then stderr mapped to refusals (or kept verbatim).
native_f() {
  local src=$1 rc l n r skip=0
  echo "-----F"
  sk -f "$src" 2>"$w/err"
  rc=$?
  echo "rc=$rc"
  while IFS= read -r l || [[ -n $l ]]; do
    if ((skip)); then skip=$((skip - 1)); continue; fi   # source line and caret
    if [[ $l =~ ^setkey:\ "$src":([0-9]+):[0-9]+:\ (warning:\ )?(.*)$ ]]; then
      skip=2
      if [[ -n ${BASH_REMATCH[2]} ]]; then
        echo "WARN $label$name: line ${BASH_REMATCH[1]}: ${BASH_REMATCH[3]}" >&3
      else
        echo "parse error line ${BASH_REMATCH[1]}"   # the text is the grammar tests' job
      fi
    elif [[ $l == "setkey: $src:"* && $l == *" failed: "* ]]; then
      n=${l#"setkey: $src:"} r=${l##*" failed: "}
      r=${r% (*)}   # drop XFRM's extack detail: 0.8.2 (PF_KEY) only had the errno
      # Our own words for four errnos (cli/executor.cpp failure_reason; README: "no such
      # SA" where 0.8.2 printed Linux's "No such process"): compare the errno, i.e.
      # 0.8.2's strerror text, not the wording.
      case $r in
        "no such SA") r="No such process" ;;              # ESRCH (Linux)
        "no such policy") r="No such file or directory" ;; # ENOENT
        "SA already exists" | "policy already exists") r="File exists" ;;  # EEXIST
      esac
      echo "refused line ${n%%:*}: ${r%.}"
    else
      echo "stderr: $l"
    fi
  done <"$w/err"
}

pass=0 fail=0 xfail=0 shown=0
for exp in expected/*.txt; do
  name=${exp#expected/} name=${name%.txt}
  matched=0
  for g in "$@"; do [[ $name == $g ]] && matched=1; done
  ((matched)) || continue
  src=corpus/${name%%_*}/${name#*_}
  why=

  # Clean SAD/SPD with our binary; verify through XFRM netlink, and force it if needed
  # so one bad file does not spoil the next ones.
  sk -F >/dev/null 2>&1 || why+="setkey -F failed; "
  sk -FP >/dev/null 2>&1 || why+="setkey -FP failed; "
  if [[ -n $(printf 'xfrm state list\nxfrm policy list\n' | ip -batch -) ]]; then
    why+="flush left entries; "
    ip xfrm state flush; ip xfrm policy flush
  fi

  {
    if ((compat)); then
      echo "-----F"; sk --compat-exit -f "$src" 2>&1; echo "rc=$?"
    else
      native_f "$src"
    fi
    echo "-----D"; sk -D 2>&1; echo "-----DP"; sk -DP 2>&1
  } | mask >"$w/actual"

  cmp -s "$w/exp/$name" "$w/actual" || why+="output differs; "
  [[ -z $save ]] || sed -n '/^-----D$/,$p' "$w/actual" >"$save/$name"
  if [[ -n ${known[$name]:-} ]]; then
    if [[ -z $why ]]; then
      fail=$((fail + 1)); echo "XPASS $label$name: listed as a known difference but matches"
    else
      xfail=$((xfail + 1)); echo "XFAIL $label$name: ${why%; }"
    fi
  elif [[ -z $why ]]; then
    pass=$((pass + 1)); echo "PASS $label$name"
  else
    fail=$((fail + 1)); echo "FAIL $label$name: ${why%; }"
    if ((shown < maxshown)); then
      shown=$((shown + 1))
      diff -u "$w/exp/$name" "$w/actual" | tail -n +3 | head -n "$lines" | sed 's/^/    /'
    fi
  fi
done
# Leave the kernel clean for whatever runs next in this boot.
ip xfrm state flush; ip xfrm policy flush
echo "$label$pass passed, $fail failed${known[*]:+, $xfail known differences}"
((fail == 0 && pass + xfail > 0))
