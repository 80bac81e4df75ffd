#!/bin/bash
# Runs INSIDE the VM (tests/kernel/guest.sh runs it from its folder):  guest.sh [BACKEND...]
# Proves the corpus checker itself (../corpus: guest.sh + check-backend.sh) with
# fake-setkey.sh, which replays 0.8.2's recordings with fresh pids and times whatever the
# --backend: it must pass in native and compat modes through both backends and the
# cross-backend check, and a corrupted copy must fail exactly the files it lies about
# (per backend), apart from those listed as known differences; one lying in the xfrm
# dumps only must fail the xfrm and cross checks of exactly those files. Always both
# backends (the fakes stand for the kernel): the BACKEND arguments are not used.
set -uo pipefail   # no -e: a failing run is a result to check
. "${SETKEY_TEST_LIB:?run by tests/kernel/guest.sh}"   # tests/lib/check.sh
mapfile -t names <names
want_fail=$(cat want-fail)
want_x=$(cat want-xfrm-fail)
nw=$(grep -c pfkey <<<"$want_fail" || true)
T=$(mktemp -d /tmp/corpus-selftest.XXXXXX)

corpus_run() {  # corpus_run OUTFILE FAKE KNOWN_DIR [ARGS...]: the checker with that setkey; sets $rc
  local out=$1 fake=$2 known=$3 d
  shift 3
  d=$(mktemp -d "$T/run.XXXXXX")
  cp -r checker/. "$d/"
  cp "$fake" "$d/setkey"
  if [[ -n $known ]]; then cp "$known"/known-differences-*.txt "$d/"; fi
  rc=0
  (cd "$d" && bash ./guest.sh "$@" pfkey xfrm) >"$out" 2>&1 || rc=$?
}

corpus_run "$T/native" good-setkey ''
check "native mode: replayed 0.8.2 output passes" test $rc = 0
n=${#names[@]}
for b in pfkey xfrm cross; do
  check "... $b: all $n files" grep -qx "$b $n passed, 0 failed.*" "$T/native"
done
check "... total" grep -qx "$((3 * n)) passed, 0 failed" "$T/native"
corpus_run "$T/compat" good-setkey '' -c
check "compat mode: replayed 0.8.2 output passes" test $rc = 0
check "... all $n files, twice, and cross" grep -qx "$((3 * n)) passed, 0 failed" "$T/compat"
corpus_run "$T/bad.out" bad-setkey known
check "corrupted output fails" test $rc != 0
check "... exactly the corrupted files" \
  test "$(grep '^FAIL' "$T/bad.out" | sort)" = "$(grep -v "${names[0]}" <<<"$want_fail")"
for b in pfkey xfrm; do
  check "... $b: a listed known difference is XFAIL" \
    grep -qx "XFAIL $b ${names[0]}: output differs" "$T/bad.out"
  check "... $b: a listed file that matches is XPASS" grep -q "^XPASS $b ${names[3]}: " "$T/bad.out"
  check "... $b: and is counted as a failure" \
    grep -qx "$b 0 passed, $nw failed, 1 known differences" "$T/bad.out"
done
check "... the same lie through both backends passes the cross check" \
  grep -qx "cross $n passed, 0 failed, 0 known differences" "$T/bad.out"
check "... with a diff showing the lie" grep -q '^    +	seq=0x00000000 replay=4' "$T/bad.out"
# Lying in the xfrm dumps only: pfkey passes; xfrm and cross fail on the same files.
corpus_run "$T/xbad.out" xbad-setkey ''
check "xfrm-only lie fails" test $rc != 0
check "... pfkey still passes" grep -qx "pfkey $n passed, 0 failed" "$T/xbad.out"
check "... xfrm fails exactly those files" \
  test "$(sed -n 's/^FAIL xfrm \([^:]*\): .*/\1/p' "$T/xbad.out" | sort)" = "$want_x"
check "... cross fails exactly those files" \
  test "$(sed -n 's/^FAIL cross \([^:]*\): .*/\1/p' "$T/xbad.out" | sort)" = "$want_x"
if ((fail)); then
  for f in native compat bad.out xbad.out; do echo "--- $f"; cat "$T/$f"; done
fi
rm -rf "$T"
summary
