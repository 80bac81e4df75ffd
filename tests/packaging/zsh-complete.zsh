#!/bin/zsh -f
# Prints the matches zsh's completion system offers for a command line, one a line:
#   zsh -f tests/packaging/zsh-complete.zsh FUNCTION_DIR 'setkey --backend '
# FUNCTION_DIR holds _setkey. zsh completes only inside an interactive line editor, so
# a child `zsh -f -i` runs under a pseudo-terminal (zsh/zpty): compinit loads the
# function, compadd is wrapped to print what it adds, and TAB is typed after the line.
emulate -L zsh
zmodload zsh/zpty || exit 77
local dir=$1 line=$2
zpty child zsh -f -i
zpty -w child "PROMPT=; fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D"
# The markers are printed split ("<do""ne>") so that the echo of the typed lines
# cannot be taken for them.
# Calls that only collect matches into arrays (-O, -A, -D) are internal: pass them on.
zpty -w child 'compadd() {
  if (( ${@[(I)-[OAD]]} )); then builtin compadd "$@"; return; fi
  local -a added; builtin compadd -A added "$@"
  (( $#added )) && print -rl -- "<mat""ch>"${^added} >/dev/tty
  builtin compadd "$@"; }'
zpty -w child 'comppostfuncs=(_setkey_test_done); _setkey_test_done() { print -r -- "<do""ne>" >/dev/tty; exit }'
zpty -w child 'zstyle ":completion:*" list-prompt ""; zstyle ":completion:*" menu no'
zpty -n -w child "$line"$'\t'
local out= chunk
while zpty -r -t child chunk || { sleep 0.05; zpty -r child chunk; }; do
  out+=$chunk
  [[ $out == *'<done>'* ]] && break
done
zpty -d child
# A match may follow the echoed line on the same terminal line: take what follows the
# marker, drop carriage returns, unquote (-\? is -?), sort, once each.
local -a matches
local l
for l in ${(f)out//$'\r'/}; do
  [[ $l == *'<match>'* ]] && matches+=(${(Q)l##*<match>})
done
print -rl -- ${(ou)matches}
