#!/bin/bash
# The bash completion installed next to setkey.service: flags, --backend and -o values,
# and file names after -f. Sources packaging/setkey.bash-completion and calls it as
# bash would. No kernel needed; lives here with the other packaging checks.
# With BUILD_DIR, also checks that every option `setkey -h` lists completes.
# Usage: tests/kernel/completion/host.sh [BUILD_DIR]
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib/check.sh
. "$here/../../lib/check.sh"
# shellcheck source=/dev/null  # packaging/setkey.bash-completion
. "$here/../../../packaging/setkey.bash-completion"
complete_words() { # complete_words WORD...: COMPREPLY for the last word, sorted, one line
    COMP_WORDS=(setkey "$@"); COMP_CWORD=$#; COMPREPLY=()
    _setkey
    printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | tr '\n' ' '
}
expect() { # expect WANT WORD...
    local want=$1; shift
    local got; got=$(complete_words "$@")
    if [ "$got" = "$want" ]; then ok "setkey $* -> $got"; else ko "setkey $* -> [$got], want [$want]"; fi
}
expect "auto pfkey xfrm " --backend ""
expect "json jsonl " -o j
expect "classic json jsonl prometheus script " --output ""
expect "--atomic " --at
expect "--commands --compat-exit " --com
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
touch "$T/ipsec-tools.conf" "$T/other.conf"
expect "$T/ipsec-tools.conf " -f "$T/ips"
expect "$T/ipsec-tools.conf $T/other.conf " --file "$T/"
if [ -n "${1:-}" ]; then
    missing=0
    for opt in $("$1/setkey" -h | sed -n 's/^  \(-[^ :]*\).*/\1/p' | tr ',' ' '); do
        [ "$opt" = "-?" ] && continue # a glob character; -h and --help cover it
        case " $(complete_words "$opt") " in
            *" $opt "*) ;;
            *) ko "$opt (from setkey -h) does not complete"; missing=1 ;;
        esac
    done
    [ $missing = 0 ] && ok "every option of setkey -h completes"
fi
summary
