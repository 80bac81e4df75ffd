#!/bin/bash
# The bash completion installed next to setkey.service: flags, --backend and -o values,
# and file names after -f. Sources packaging/setkey.bash-completion and calls it as
# bash would. No kernel needed; lives here with the other packaging checks.
# With BUILD_DIR, also checks that every option `setkey -h` lists completes.
# Usage: tests/kernel/service-completion.sh [BUILD_DIR]
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=/dev/null  # packaging/setkey.bash-completion
. "$here/../../packaging/setkey.bash-completion"
fail=0
complete_words() { # complete_words WORD...: COMPREPLY for the last word, sorted, one line
    COMP_WORDS=(setkey "$@"); COMP_CWORD=$#; COMPREPLY=()
    _setkey
    printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | tr '\n' ' '
}
expect() { # expect WANT WORD...
    local want=$1; shift
    local got; got=$(complete_words "$@")
    if [ "$got" = "$want" ]; then echo "PASS setkey $* -> $got"; else echo "FAIL setkey $* -> [$got], want [$want]"; fail=1; fi
}
expect "auto pfkey xfrm " --backend ""
expect "json jsonl " -o j
expect "classic json jsonl prometheus " --output ""
expect "--atomic " --at
expect "--commands --compat-exit " --com
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
touch "$T/ipsec-tools.conf" "$T/other.conf"
expect "$T/ipsec-tools.conf " -f "$T/ips"
expect "$T/ipsec-tools.conf $T/other.conf " --file "$T/"
if [ -n "${1:-}" ]; then
    for opt in $("$1/setkey" -h | sed -n 's/^  \(-[^ :]*\).*/\1/p' | tr ',' ' '); do
        [ "$opt" = "-?" ] && continue # a glob character; -h and --help cover it
        case " $(complete_words "$opt") " in
            *" $opt "*) ;;
            *) echo "FAIL $opt (from setkey -h) does not complete"; fail=1 ;;
        esac
    done
    [ $fail = 0 ] && echo "PASS every option of setkey -h completes"
fi
exit $fail
