#!/bin/bash
# Proves the corpus checker itself (corpus-vm.sh + guest-corpus.sh) with fake-setkey.sh,
# which replays 0.8.2's recordings with fresh pids and times: it must pass in native and
# compat modes, and a corrupted copy must fail exactly the files it lies about, apart from
# those listed as known differences. Three boots.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
corpus=${SETKEY_CORPUS_DIR:-$here/../../../shared/corpus}
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
mkdir -p "$T/good" "$T/bad"
cp "$here/fake-setkey.sh" "$T/good/setkey"
sed 's/^corrupt=0$/corrupt=1/' "$here/fake-setkey.sh" >"$T/bad/setkey"
chmod +x "$T/bad/setkey"
# The corrupted fake shifts refusal lines, replay=0 and "prio def": these files must fail.
want_fail=$(cd "$corpus/expected/vm" && for n in "${names[@]}"; do
  grep -qE '^The result of line|replay=0|prio def' "$n.txt" && echo "FAIL $n: output differs"
done | sort)

pass=0 fail=0
check() {
  local name=$1; shift
  if "$@"; then pass=$((pass + 1)); echo "ok - $name"
  else fail=$((fail + 1)); echo "FAIL - $name"; fi
}
corpus_run() {  # corpus_run OUTFILE ARGS...: leaves the exit status in $rc
  local out=$1; shift
  set +e; "$here/corpus-vm.sh" "${pats[@]}" "$@" >"$out" 2>&1; rc=$?; set -e
}

corpus_run "$T/native" "$T/good"
check "native mode: replayed 0.8.2 output passes" test $rc = 0
check "... all ${#names[@]} files" grep -qx "${#names[@]} passed, 0 failed" "$T/native"
corpus_run "$T/compat" -c "$T/good"
check "compat mode: replayed 0.8.2 output passes" test $rc = 0
check "... all ${#names[@]} files" grep -qx "${#names[@]} passed, 0 failed" "$T/compat"
# Known differences: a failing listed file is XFAIL (not counted), a passing one XPASS.
printf '# test list\n%s because\n%s because\n' "${names[0]}" "${names[3]}" >"$T/known"
SETKEY_CORPUS_KNOWN=$T/known corpus_run "$T/bad.out" "$T/bad"
check "corrupted output fails" test $rc != 0
check "... exactly the corrupted files" \
  test "$(grep '^FAIL' "$T/bad.out" | sort)" = "$(grep -v "${names[0]}" <<<"$want_fail")"
check "... a listed known difference is XFAIL" grep -qx "XFAIL ${names[0]}: output differs" "$T/bad.out"
check "... a listed file that matches is XPASS" grep -q "^XPASS ${names[3]}: " "$T/bad.out"
check "... and is counted as a failure" \
  grep -qx "0 passed, $(($(wc -l <<<"$want_fail"))) failed, 1 known differences" "$T/bad.out"
check "... with a diff showing the lie" grep -q '^    +	seq=0x00000000 replay=4' "$T/bad.out"
if ((fail)); then
  for f in native compat bad.out; do echo "--- $f"; cat "$T/$f"; done
fi
echo "$pass passed, $fail failed"
((fail == 0))
