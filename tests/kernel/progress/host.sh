#!/bin/bash
# The progress line and the summary of a load, on the host kernel in a private network
# namespace (policies only). Through a pseudo-terminal (`script -qc`) stderr is a smart
# terminal: an overprinted line (\r ESC[K) and one summary line, nothing on stdout.
# A refusal's message starts on a cleared line. -c reading a file does the same; -c typed
# at the terminal gets only the summary.
# TERM=dumb, a pipe or a file: no progress, no summary — unless -v asks for the summary.
# Usage: tests/kernel/progress/host.sh BUILD_DIR   (as root; re-executes itself in `unshare -n`)
set -u
BUILD=${1:?usage: $0 BUILD_DIR}
SETKEY=$(realpath "$BUILD/setkey")
# shellcheck source=tests/lib/netns.sh
. "$(dirname "$0")/../../lib/netns.sh"
CR=$'\r'; CLEAR=$'\r\e[K'

for i in $(seq 2000); do
    echo "spdadd 10.$((i / 250)).$((i % 250)).0/24 172.16.0.0/16 any -P out none;"
done > "$OUT/load.conf"
{ echo "spdadd 10.200.0.0/24 10.201.0.0/16 any -P out none;"
  echo "spdadd 10.200.0.0/24 10.201.0.0/16 any -P out none;"; } > "$OUT/bad.conf"
tty_run() { # tty_run TERM ARGS...: setkey on a pty, stdout to a file; prints what the pty got
    local term=$1; shift
    TERM=$term script -qec "$SETKEY $* > $OUT/stdout" /dev/null
}

"$SETKEY" -FP
tty_run xterm -f "$OUT/load.conf" > "$OUT/tty"; rc=$?
check "terminal: exit 0 (got $rc)" test "$rc" = 0
check "terminal: progress is overprinted (\\r ESC[K)" grep -qF "${CLEAR}setkey: 1 statement${CLEAR}" "$OUT/tty"
check "terminal: the live line is cleared before the summary" grep -qF "${CLEAR}setkey: applied 2000, failed 0, rolled back 0" "$OUT/tty"
# The pty turns the one \n into \r\n.
check "terminal: exactly one line ends in a newline" test "$(tr -cd '\n' < "$OUT/tty" | wc -c)" = 1
check "terminal: nothing on stdout" test ! -s "$OUT/stdout"
draws=$(($(grep -oF "${CLEAR}setkey: " "$OUT/tty" | wc -l) - 1)) # less the summary
check "terminal: throttled ($draws draws for 2000 statements)" test "$draws" -ge 1 -a "$draws" -lt 200

"$SETKEY" -FP
tty_run xterm --atomic -f "$OUT/bad.conf" > "$OUT/tty-bad"; rc=$?
check "terminal --atomic: exit 2 (got $rc)" test "$rc" = 2
check "terminal --atomic: summary counts the rollback" grep -q "applied 1, failed 1, rolled back 1" "$OUT/tty-bad"

# A refusal in the middle of a long load: its message starts on a cleared line.
{ head -n 1000 "$OUT/load.conf"; head -n 1 "$OUT/load.conf"; tail -n 1000 "$OUT/load.conf"; } > "$OUT/mid.conf"
"$SETKEY" -FP
tty_run xterm -f "$OUT/mid.conf" > "$OUT/tty-mid"; rc=$?
check "terminal, refusal mid-load: exit 2 (got $rc)" test "$rc" = 2
check "... the message starts on a cleared line" \
    grep -qF "${CLEAR}setkey: $OUT/mid.conf:1001: spdadd failed: policy already exists" "$OUT/tty-mid"
check "... and never runs on from the live line" test "$(grep -c "statementssetkey" "$OUT/tty-mid")" = 0
check "... summary" grep -qF "${CLEAR}setkey: applied 2000, failed 1, rolled back 0" "$OUT/tty-mid"

# -c reading a file, stderr on the terminal: the same live line and summary.
"$SETKEY" -FP
tty_run xterm -c "< $OUT/load.conf" > "$OUT/tty-c"; rc=$?
check "terminal -c < file: exit 0 (got $rc)" test "$rc" = 0
check "... progress is overprinted" grep -qF "${CLEAR}setkey: 1 statement${CLEAR}" "$OUT/tty-c"
check "... summary" grep -qF "${CLEAR}setkey: applied 2000, failed 0, rolled back 0" "$OUT/tty-c"
check "... all 2000 applied" test "$("$SETKEY" -DP | grep -c '^10\.')" = 2000
# -c typed at the terminal: no live line on the user's input, the summary at the end.
"$SETKEY" -FP
head -n 3 "$OUT/load.conf" | TERM=xterm script -qec "$SETKEY -c > $OUT/stdout" /dev/null > "$OUT/tty-typed"
check "terminal -c typed: no live line" test "$(grep -c "statements" "$OUT/tty-typed")" = 0
check "... the summary" grep -qF "setkey: applied 3, failed 0, rolled back 0" "$OUT/tty-typed"

"$SETKEY" -FP
tty_run dumb -f "$OUT/load.conf" > "$OUT/dumb"; rc=$?
check "TERM=dumb: exit 0 (got $rc) and nothing at all" test "$rc" = 0 -a ! -s "$OUT/dumb"

"$SETKEY" -FP
"$SETKEY" -f "$OUT/load.conf" 2>&1 | cat > "$OUT/pipe"
check "pipe: nothing at all" test ! -s "$OUT/pipe"

"$SETKEY" -FP
"$SETKEY" -v -f "$OUT/load.conf" 2> "$OUT/verbose.err" > /dev/null
check "pipe with -v: only the summary, no \\r" \
    test "$(grep -v '^$' "$OUT/verbose.err" | tail -1)" = "setkey: applied 2000, failed 0, rolled back 0" -a \
    "$(grep -c "$CR" "$OUT/verbose.err")" = 0
"$SETKEY" -FP
summary
