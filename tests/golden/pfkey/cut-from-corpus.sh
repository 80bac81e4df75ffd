#!/bin/bash
# Re-cuts this folder's recordings from the ipsec-tools corpus (see README.md):
#   bash tests/golden/pfkey/cut-from-corpus.sh [CORPUS_DIR]
# With the corpus present, tests/unit/pfkey/corpus_cut_test.cpp checks they still match.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
corpus=${1:-${SETKEY_CORPUS_DIR:-$here/../../../../shared/corpus}}
# The XXH section of small.out: what the kernel sent to `setkey -xx -H`.
awk '/^=====/ { inside = ($0 == "=====XXH"); next } inside' \
  "$corpus/expected/vm-modes/small.out" >"$here/small-xxh.txt"
# The requests 0.8.2 built for the statements tests/unit/pfkey/encode_test.cpp rebuilds.
{
  echo "# PF_KEY requests of ipsec-tools 0.8.2 (pid 4242, seq 0), cut from the corpus'"
  echo "# expected/requests-H/scripts__NAME.txt: '# NAME INDEX' names the script and the"
  echo "# message's position in it; the hex dump follows."
  while read -r name indexes; do
    for i in $indexes; do
      echo "# $name $i"
      awk -v want="$i" '/^00000000:/ { n++ } /^[0-9a-f]+: / && n == want + 1' \
        "$corpus/expected/requests-H/scripts__$name.txt"
    done
  done <<'LIST'
man-it-setkey8-natt-ports.conf 0
it-sample-linux-subset.conf 1 2 3 23 24 25 26 27 28 29 30 31 35 36 37 45 50
gh-audit-test-lspp-setkey.conf 2
netbsd-natt-ipv4-local-sa-rijndaelcbc.conf 0
LIST
} >"$here/requests-082.txt"
