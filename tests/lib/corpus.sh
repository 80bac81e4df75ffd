# The external ipsec-tools corpus for shell steps; source this file.
#   corpus_dir REPO_ROOT        prints SETKEY_CORPUS_DIR, or REPO_ROOT/../shared/corpus
#   corpus_present DIR || ...   true when DIR holds the corpus; otherwise prints the skip
#                               line (the same words as tests/support/corpus.hpp)
corpus_dir() { realpath -m "${SETKEY_CORPUS_DIR:-$1/../shared/corpus}"; }
corpus_present() {
  [[ -d $1 ]] && return 0
  echo "skipped: no ipsec-tools corpus at $1 (set SETKEY_CORPUS_DIR)"
  return 1
}
