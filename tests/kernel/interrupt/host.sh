#!/bin/bash
# Signals during a load, on the host kernel in a private network namespace (policies).
# -c from a pipe we control is deterministic: 500 statements are applied, SIGINT (or
# SIGTERM) arrives, 500 more follow; setkey must stop before them, exit 128+signal, say
# how far it got, and that count must be the kernel's. With --atomic the SPD must be
# back to what it was. -c must also stop while it waits on an idle pipe. -f is
# interrupted while a 100,000-policy load runs, and by SIGPIPE when an in-script dump's
# reader goes away. A SIGINT ignored from the start (a script's background job) stays
# ignored.
# Usage: tests/kernel/interrupt/host.sh BUILD_DIR   (as root; re-executes itself in `unshare -n`)
set -u
BUILD=${1:?usage: $0 BUILD_DIR}
SETKEY=$(realpath "$BUILD/setkey")
# shellcheck source=tests/lib/netns.sh
. "$(dirname "$0")/../../lib/netns.sh"

policies() { # policies FIRST COUNT: that many distinct out policies, one per line
    local i
    for ((i = $1; i < $1 + $2; i++)); do
        echo "spdadd 10.$((i / 65536)).$((i / 256 % 256)).$((i % 256)) 172.16.0.1 any -P out none;"
    done
}
spd_count() { "$SETKEY" -DP | grep -c '^	out '; }
wait_for_count() { # wait_for_count N: until the SPD holds N out policies (10 s at most)
    local _
    for _ in $(seq 1000); do [[ $(spd_count) == "$1" ]] && return 0; sleep 0.01; done
    return 1
}

# interrupted_c SIGNAL [--atomic]: the controlled -c session; leaves rc, err in $OUT/err
interrupted_c() {
    local sig=$1; shift
    local fifo=$OUT/fifo pid
    rm -f "$fifo"; mkfifo "$fifo"
    # (A script's background job starts with SIGINT ignored, which setkey respects:
    # env --default-signal gives it the disposition an interactive user's has.)
    env --default-signal=INT "$SETKEY" "$@" -c <"$fifo" >"$OUT/out" 2>"$OUT/err" &
    pid=$!
    exec 3>"$fifo"
    policies 0 500 >&3
    wait_for_count $((500 + before)) || echo "(the first 500 did not arrive)"
    kill -"$sig" "$pid"
    sleep 0.2
    # setkey may already have stopped reading: the writer may die of SIGPIPE, not us.
    (policies 500 500 >&3) 2>/dev/null
    exec 3>&-
    wait "$pid"; rc=$?
}

"$SETKEY" -FP
"$SETKEY" -c <<<"spdadd 192.0.2.1 198.51.100.1 any -P out none;"
before=1

interrupted_c INT
check "-c, SIGINT: exit 130 (got $rc)" test "$rc" = 130
check "... says where it stopped" \
    grep -qx 'setkey: -: interrupted by SIGINT after 500 statements; the rest was not applied' "$OUT/err"
check "... and the kernel holds exactly those ($(spd_count) out policies)" test "$(spd_count)" = 501
check "... nothing else on stderr" test "$(wc -l <"$OUT/err")" = 1

"$SETKEY" -FP
"$SETKEY" -c <<<"spdadd 192.0.2.1 198.51.100.1 any -P out none;"
interrupted_c TERM --atomic
check "-c --atomic, SIGTERM: exit 143 (got $rc)" test "$rc" = 143
check "... says where it stopped" grep -q 'interrupted by SIGTERM after 500 statements' "$OUT/err"
check "... rolls back the 500" grep -qx 'setkey: --atomic: rolled back 500 changes to the SAD/SPD' "$OUT/err"
check "... and the SPD is as before ($(spd_count) out policy)" test "$(spd_count)" = 1
check "... with the policy it had" test "$("$SETKEY" -DP | grep -c '^192.0.2.1')" = 1

# A producer that stays connected but idle: the signal must stop setkey while it waits
# for input (it used to sleep on in read() until more came).
"$SETKEY" -FP
rm -f "$OUT/fifo"; mkfifo "$OUT/fifo"
"$SETKEY" -c <"$OUT/fifo" >"$OUT/out" 2>"$OUT/err" &
pid=$!
exec 3>"$OUT/fifo"
policies 0 1 >&3
wait_for_count 1 || echo "(the first policy did not arrive)"
kill -TERM "$pid"
stuck=yes
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || { stuck=; break; }; sleep 0.05; done
[[ -n $stuck ]] && kill -KILL "$pid"
exec 3>&-
wait "$pid"; rc=$?
check "-c, SIGTERM while the pipe is open and silent: stops within 5 s" test -z "$stuck"
check "... exit 143 (got $rc)" test "$rc" = 143
check "... says where it stopped" \
    grep -qx 'setkey: -: interrupted by SIGTERM after 1 statement; the rest was not applied' "$OUT/err"

# An in-script dump piped into `head`: SIGPIPE stops the load as the others do, and
# --atomic rolls it back (it used to kill setkey with the first half applied). The dump
# is bigger than a pipe's buffer, so a write fails once head has gone.
{ policies 0 2000; echo 'spddump;'; policies 2000 2000; } >"$OUT/piped.conf"
for atomic in "" --atomic; do
    "$SETKEY" -FP
    env --default-signal=PIPE "$SETKEY" $atomic -f "$OUT/piped.conf" 2>"$OUT/err" | head -n 1 >/dev/null
    rc=${PIPESTATUS[0]}
    check "-f $atomic, its dump's reader gone: exit 141 (got $rc)" test "$rc" = 141
    check "-f $atomic: ... says it stopped after the dump" \
        grep -q '^setkey: .*piped.conf: interrupted by SIGPIPE after 2001 statements; the rest was not applied$' "$OUT/err"
    if [[ -z $atomic ]]; then
        check "-f: ... the kernel holds the 2000 before it ($(spd_count))" test "$(spd_count)" = 2000
    else
        check "-f --atomic: ... rolled back to an empty SPD ($(spd_count))" test "$(spd_count)" = 0
    fi
done

# Started with SIGINT ignored (as `setkey ... &` in a script is): the signal stays ignored.
"$SETKEY" -FP
"$SETKEY" -c <<<"spdadd 192.0.2.1 198.51.100.1 any -P out none;"
rm -f "$OUT/fifo"; mkfifo "$OUT/fifo"
"$SETKEY" -c <"$OUT/fifo" >"$OUT/out" 2>"$OUT/err" &
pid=$!
exec 3>"$OUT/fifo"
policies 0 500 >&3
wait_for_count 501
kill -INT "$pid"
sleep 0.2
policies 500 500 >&3
exec 3>&-
wait "$pid"; rc=$?
check "-c with SIGINT ignored from the start: runs to the end (exit $rc)" test "$rc" = 0
check "... all 1000 applied ($(spd_count) out policies)" test "$(spd_count)" = 1001

# -f: a long load, interrupted once policies are arriving.
policies 0 100000 >"$OUT/big.conf"
for atomic in "" --atomic; do
    "$SETKEY" -FP
    env --default-signal=INT "$SETKEY" $atomic -f "$OUT/big.conf" >"$OUT/out" 2>"$OUT/err" &
    pid=$!
    for _ in $(seq 2000); do   # `ip xfrm policy count`: "SPD IN 0 OUT n FWD 0"
        [[ $(ip xfrm policy count | sed -n 's/.* OUT \([0-9]*\) .*/\1/p') -gt 0 ]] && break
        sleep 0.005
    done
    kill -INT "$pid"
    wait "$pid"; rc=$?
    n=$(sed -n 's/.*interrupted by SIGINT after \([0-9]*\) statements.*/\1/p' "$OUT/err")
    check "-f $atomic: SIGINT mid-load exits 130 (got $rc)" test "$rc" = 130
    check "-f $atomic: ... says after how many statements (${n:-none})" test -n "$n"
    check "-f $atomic: ... stopped before the end" test "${n:-100000}" -lt 100000
    if [[ -z $atomic ]]; then
        check "-f: ... and the kernel holds exactly those ($(spd_count))" test "$(spd_count)" = "${n:-x}"
    else
        check "-f --atomic: ... rolled back to an empty SPD ($(spd_count))" test "$(spd_count)" = 0
        check "-f --atomic: ... and says so" grep -q "^setkey: --atomic: rolled back ${n:-x} changes" "$OUT/err"
    fi
done
"$SETKEY" -FP
summary
