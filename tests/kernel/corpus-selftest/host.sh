#!/bin/bash
# Proves the corpus checker itself (corpus-vm.sh + guest-both.sh + guest-corpus.sh) with
# fake-setkey.sh, which replays 0.8.2's recordings with fresh pids and times whatever the
# --backend: it must pass in native and compat modes through both backends and the
# cross-backend check, and a corrupted copy must fail exactly the files it lies about
# (per backend), apart from those listed as known differences; one lying in the xfrm
# dumps only must fail the xfrm and cross checks of exactly those files. Four boots.
# It replays the corpus' recordings: without the corpus it prints the skip line, exit 0.
set -Eeuo pipefail
# Any unexpected failure says where, instead of ending the run without a word.
trap 'echo "corpus-selftest: line $LINENO: \"$BASH_COMMAND\" failed (exit $?)" >&2' ERR
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../support/corpus.sh"
corpus=$(corpus_dir "$here/../..")
corpus_present "$corpus" || exit 0
T=$(mktemp -d /tmp/corpus-selftest.XXXXXX)
trap 'rm -rf "$T"' EXIT

# A few kinds: kernel refusals, SAs and SPs, SPs only, a flush-only script, dumps inside -f.
names=(quirks_netbsd-esp-keys-invalid-aesctr-168.conf
       scripts_ltp-output-ipsec-conf-src-esp-tunnel-ipv6.conf
       scripts_it-sample-policy01.conf
       scripts_ltp-output-ipsec-conf-flush.conf
       scripts_it-sample-linux-subset.conf)
pats=()
for n in "${names[@]}"; do pats+=(-p "$n"); done
mkdir -p "$T/good" "$T/bad" "$T/xbad" "$T/noknown" "$T/known"
cp "$here/fake-setkey.sh" "$T/good/setkey"
sed 's/^corrupt=0$/corrupt=1/' "$here/fake-setkey.sh" >"$T/bad/setkey"
sed 's/^corrupt=0$/corrupt=xfrm/' "$here/fake-setkey.sh" >"$T/xbad/setkey"
chmod +x "$T/bad/setkey" "$T/xbad/setkey"
# The corrupted fake shifts refusal lines, replay=0 and "prio def": these files must fail,
# through each backend.
want_fail=$(cd "$corpus/expected/vm" && for b in pfkey xfrm; do for n in "${names[@]}"; do
  if grep -qE '^The result of line|replay=0|prio def' "$n.txt"; then echo "FAIL $b $n: output differs"; fi
done; done | sort)
nw=$(grep -c pfkey <<<"$want_fail" || true)

pass=0 fail=0
check() {
  local name=$1; shift
  if "$@"; then pass=$((pass + 1)); echo "ok - $name"
  else fail=$((fail + 1)); echo "FAIL - $name"; fi
}
corpus_run() {  # corpus_run OUTFILE ARGS...: leaves the exit status in $rc
  local out=$1; shift
  rc=0
  SETKEY_CORPUS_KNOWN_DIR=${known_dir:-$T/noknown} "$here/corpus-vm.sh" "${pats[@]}" "$@" >"$out" 2>&1 ||
    rc=$?
}

corpus_run "$T/native" "$T/good"
check "native mode: replayed 0.8.2 output passes" test $rc = 0
n=${#names[@]}
for b in pfkey xfrm cross; do
  check "... $b: all $n files" grep -qx "$b $n passed, 0 failed.*" "$T/native"
done
check "... total" grep -qx "$((3 * n)) passed, 0 failed" "$T/native"
corpus_run "$T/compat" -c "$T/good"
check "compat mode: replayed 0.8.2 output passes" test $rc = 0
check "... all $n files, twice, and cross" grep -qx "$((3 * n)) passed, 0 failed" "$T/compat"
# Known differences: a failing listed file is XFAIL (not counted), a passing one XPASS.
for b in pfkey xfrm; do
  printf '# test list\n%s xfail because\n%s xfail because\n' "${names[0]}" "${names[3]}" \
    >"$T/known/known-differences-$b.txt"
done
known_dir=$T/known corpus_run "$T/bad.out" "$T/bad"
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
want_x=$(cd "$corpus/expected/vm" && for n in "${names[@]}"; do
  if sed '1,/^-----D$/d' "$n.txt" | grep -E 'replay=0|prio def' >/dev/null; then echo "$n"; fi
done | sort)
corpus_run "$T/xbad.out" "$T/xbad"
check "xfrm-only lie fails" test $rc != 0
check "... pfkey still passes" grep -qx "pfkey $n passed, 0 failed" "$T/xbad.out"
check "... xfrm fails exactly those files" \
  test "$(sed -n 's/^FAIL xfrm \([^:]*\): .*/\1/p' "$T/xbad.out" | sort)" = "$want_x"
check "... cross fails exactly those files" \
  test "$(sed -n 's/^FAIL cross \([^:]*\): .*/\1/p' "$T/xbad.out" | sort)" = "$want_x"
if ((fail)); then
  for f in native compat bad.out xbad.out; do echo "--- $f"; cat "$T/$f"; done
fi
echo "$pass passed, $fail failed"
((fail == 0))
