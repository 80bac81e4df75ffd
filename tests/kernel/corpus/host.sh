#!/bin/bash
# Real-kernel golden test: one VM boot runs BUILD_DIR/setkey over every corpus script that
# has a 0.8.2 recording in expected/vm/, once per backend (--backend pfkey, then xfrm),
# compares with 0.8.2 (guest-corpus.sh) and the two backends' dumps with each other
# (guest-both.sh).
#   corpus-vm.sh [-c] [-b 'pfkey xfrm'] [-n LINES] [-t secs] [-p GLOB]... BUILD_DIR
#   -c  compat mode (--compat-exit, full -----F comparison); -b  backends to run;
#   -n  diff lines shown per failing file (default 30);
#   -p  only names matching GLOB (NAME is the expected file without .txt, e.g.
#   'scripts_netbsd-transport-*').
# Prints PASS/FAIL per file and backend, then "N passed, M failed"; exits non-zero on any
# failure.
# Without the corpus it prints one "skipped: no ipsec-tools corpus at ..." line, exit 0.
# Env: SETKEY_CORPUS_DIR (default: ../shared/corpus beside the repository),
#      SETKEY_CORPUS_KNOWN_DIR (default: here; holds known-differences-BACKEND.txt).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$repo/tests/support/corpus.sh"
corpus=$(corpus_dir "$repo")

usage() { echo "usage: ${0##*/} [-c] [-b BACKENDS] [-n LINES] [-t secs] [-p GLOB]... BUILD_DIR" >&2; exit 2; }
gargs=() globs=() timeout_s=1800
while getopts 'cb:n:t:p:' o; do
  case $o in
    c) gargs+=(-c) ;; b) gargs+=(-b "$OPTARG") ;; n) gargs+=(-n "$OPTARG") ;; t) timeout_s=$OPTARG ;;
    p) globs+=("$OPTARG") ;; *) usage ;;
  esac
done
shift $((OPTIND - 1))
(($# == 1)) || usage
corpus_present "$corpus" || exit 0
bin=$1/setkey
[[ -x $bin ]] || { echo "corpus-vm: no executable $bin" >&2; exit 2; }
[[ -d $corpus/expected/vm ]] || { echo "corpus-vm: no $corpus/expected/vm" >&2; exit 2; }

P=$(mktemp -d /tmp/corpus-vm.XXXXXX)
trap 'rm -rf "$P"' EXIT
cp "$bin" "$P/setkey"
cp "$here/guest-corpus.sh" "$here/guest-both.sh" "$P/"
# Deliberate differences, decided by the team (format: see guest-corpus.sh).
for f in "${SETKEY_CORPUS_KNOWN_DIR:-$here}"/known-differences-*.txt; do
  if [[ -f $f ]]; then cp "$f" "$P/"; fi
done
mkdir -p "$P/expected"
for exp in "$corpus"/expected/vm/*.txt; do
  name=$(basename "$exp" .txt)
  src=$corpus/${name%%_*}/${name#*_}
  [[ -f $src ]] || { echo "corpus-vm: $name has no script $src" >&2; exit 2; }
  # 0600: the scripts hold keys, and setkey warns about keys others can read.
  install -D -m 0600 "$src" "$P/corpus/${name%%_*}/${name#*_}"
  cp "$exp" "$P/expected/"
done

# -L: our setkey is dynamic (libfmt, libmnl, libstdc++...); its libraries go in too.
"$repo/tests/vm/run-in-vm.sh" -L -t "$timeout_s" "$P" -- \
  bash ./guest-both.sh "${gargs[@]}" -- "${globs[@]}"
