#!/bin/bash
# The corpus checker's self-test, before the boot:  payload.sh DIR BUILD_DIR
# Puts into DIR the corpus suite's guest scripts with five corpus files and their 0.8.2
# recordings (checker/), fake-setkey.sh as it is and corrupted two ways, a known-
# differences list for the test, and what the corrupted runs must report (made here from
# the recordings). guest.sh then runs the checker with each fake. BUILD_DIR is not used:
# the fakes replay the recordings.
# It replays the corpus' recordings: without the corpus the payload holds a `skip` file.
set -euo pipefail
(($# == 2)) || { echo "usage: ${0##*/} DIR BUILD_DIR" >&2; exit 2; }
P=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../../lib/corpus.sh"
corpus=$(corpus_dir "$here/../../..")
if ! corpus_present "$corpus" >"$P/skip"; then exit 0; fi
rm -f "$P/skip"

# A few kinds: kernel refusals, SAs and SPs, SPs only, a flush-only script, dumps inside -f.
names=(quirks_netbsd-esp-keys-invalid-aesctr-168.conf
       scripts_ltp-output-ipsec-conf-src-esp-tunnel-ipv6.conf
       scripts_it-sample-policy01.conf
       scripts_ltp-output-ipsec-conf-flush.conf
       scripts_it-sample-linux-subset.conf)
printf '%s\n' "${names[@]}" >"$P/names"
mkdir -p "$P/checker" "$P/known"
SETKEY_CORPUS_GLOBS="${names[*]}" SETKEY_CORPUS_KNOWN_DIR=$P/no-known-differences \
  "$here/../corpus/payload.sh" "$P/checker" "$2"
cp "$here/../corpus/guest.sh" "$here/../corpus/check-backend.sh" "$P/checker/"
cp "$here/fake-setkey.sh" "$P/good-setkey"
sed 's/^corrupt=0$/corrupt=1/' "$here/fake-setkey.sh" >"$P/bad-setkey"
sed 's/^corrupt=0$/corrupt=xfrm/' "$here/fake-setkey.sh" >"$P/xbad-setkey"
chmod +x "$P/good-setkey" "$P/bad-setkey" "$P/xbad-setkey"
# Known differences: a failing listed file is XFAIL (not counted), a passing one XPASS.
for b in pfkey xfrm; do
  printf '# test list\n%s xfail because\n%s xfail because\n' "${names[0]}" "${names[3]}" \
    >"$P/known/known-differences-$b.txt"
done
# The corrupted fake shifts refusal lines, replay=0 and "prio def": these files must fail,
# through each backend.
(cd "$corpus/expected/vm" && for b in pfkey xfrm; do for n in "${names[@]}"; do
  if grep -qE '^The result of line|replay=0|prio def' "$n.txt"; then echo "FAIL $b $n: output differs"; fi
done; done | sort) >"$P/want-fail"
# Lying in the xfrm dumps only: xfrm and cross must fail on these files.
(cd "$corpus/expected/vm" && for n in "${names[@]}"; do
  if sed '1,/^-----D$/d' "$n.txt" | grep -E 'replay=0|prio def' >/dev/null; then echo "$n"; fi
done | sort) >"$P/want-xfrm-fail"
