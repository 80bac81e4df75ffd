#!/bin/bash
# The bash and zsh completions offer exactly the options `setkey -h` lists (no more, no
# fewer) and the same --backend and -o values, so a flag added to cli/options.cpp
# without its completions fails here. The zsh side really completes: zsh -f, compinit
# and a TAB under a pseudo-terminal (zsh-complete.zsh).
#   completion-options.sh SETKEY_BINARY     exit 0 pass, 1 fail, 77 no zsh (skipped)
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
packaging=$here/../../packaging
bin=${1:?usage: completion-options.sh SETKEY_BINARY}
command -v zsh >/dev/null || { echo "skipped: no zsh"; exit 77; }
# shellcheck source=/dev/null  # packaging/setkey.bash-completion
. "$packaging/setkey.bash-completion"
fail=0

bash_matches() { # bash_matches WORD...: what _setkey offers for the last word
  COMP_WORDS=(setkey "$@"); COMP_CWORD=$#; COMPREPLY=()
  _setkey
  printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort -u
}
zsh_matches() { # zsh_matches 'LINE': what zsh offers at the end of LINE
  timeout 30 zsh -f "$here/zsh-complete.zsh" "$packaging" "$1" | LC_ALL=C sort -u
}
same() { # same WHAT WANT GOT
  if [[ $2 == "$3" ]]; then
    echo "PASS $1: $(tr "\n" " " <<<"$2")"
  else
    echo "FAIL $1"; diff <(echo "$2") <(echo "$3") | sed -n 's/^[<>]/  &/p'
    echo "  (<: setkey -h only, >: the completion only)"
    fail=1
  fi
}

help=$("$bin" -h) || { echo "FAIL: $bin -h"; exit 1; }
# "  -o,--output classic|json|..." -> -o --output; the value lists follow a long name.
options=$(sed -n 's/^  \(-[^ ]*\).*/\1/p' <<<"$help" | tr ',' '\n' | LC_ALL=C sort -u)
values() { sed -n "s/^  \(-[^ ]*,\)\?$1 \([a-z|]*\).*/\2/p" <<<"$help" | tr '|' '\n' | LC_ALL=C sort -u; }
[[ $(wc -l <<<"$options") -gt 20 ]] || { echo "FAIL: too few options read from setkey -h"; exit 1; }

# bash's compgen -W '-? ...' would glob -? against file names: compare without it.
same "bash: options" "$(grep -vx -- '-?' <<<"$options")" "$(cd / && bash_matches - | grep -vx -- '-?')"
same "zsh: options" "$options" "$(zsh_matches 'setkey -')"
for opt in --backend --output; do
  same "bash: $opt values" "$(values "$opt")" "$(bash_matches "$opt" "")"
  same "zsh: $opt values" "$(values "$opt")" "$(zsh_matches "setkey $opt ")"
done
same "zsh: -f completes file names" "_setkey" "$(zsh_matches "setkey -f $packaging/_")"
exit $fail
