#!/bin/bash
# Real-kernel golden test, before the boot: `payload.sh DIR BUILD_DIR` puts every corpus
# script that has a 0.8.2 recording in expected/vm/ into DIR (the suite's payload folder),
# with the recordings and the known differences; in the boot, guest.sh runs ./setkey over
# them once per backend, compares with 0.8.2 (check-backend.sh) and the two backends'
# dumps with each other.
# Env: SETKEY_CORPUS_DIR (default: ../shared/corpus beside the repository),
#      SETKEY_CORPUS_KNOWN_DIR (default: here; holds known-differences-BACKEND.txt),
#      SETKEY_CORPUS_ARGS (guest.sh options: -c compat mode, -n LINES diff lines per file),
#      SETKEY_CORPUS_GLOBS (only names matching one of these globs, NAME being the expected
#      file without .txt, e.g. 'scripts_netbsd-transport-*').
# Without the corpus the payload holds a `skip` file: the boot prints "skipped: no
# ipsec-tools corpus at ..." for the suite, which passes.
set -euo pipefail
(($# == 2)) || { echo "usage: ${0##*/} DIR BUILD_DIR" >&2; exit 2; }
P=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
. "$repo/tests/lib/corpus.sh"
corpus=$(corpus_dir "$repo")
if ! corpus_present "$corpus" >"$P/skip"; then exit 0; fi
rm -f "$P/skip"
[[ -d $corpus/expected/vm ]] || { echo "corpus: no $corpus/expected/vm" >&2; exit 2; }

echo "${SETKEY_CORPUS_ARGS:-}" >"$P/args"
read -r -a globs <<<"${SETKEY_CORPUS_GLOBS:-*}"
# Deliberate differences, decided by the team (format: see check-backend.sh).
rm -f "$P"/known-differences-*.txt
for f in "${SETKEY_CORPUS_KNOWN_DIR:-$here}"/known-differences-*.txt; do
  if [[ -f $f ]]; then cp "$f" "$P/"; fi
done
mkdir -p "$P/expected"
for exp in "$corpus"/expected/vm/*.txt; do
  name=$(basename "$exp" .txt)
  matched=0
  for g in "${globs[@]}"; do [[ $name == $g ]] && matched=1; done
  ((matched)) || continue
  src=$corpus/${name%%_*}/${name#*_}
  [[ -f $src ]] || { echo "corpus: $name has no script $src" >&2; exit 2; }
  # 0600: the scripts hold keys, and setkey warns about keys others can read.
  install -D -m 0600 "$src" "$P/corpus/${name%%_*}/${name#*_}"
  cp "$exp" "$P/expected/"
done
