#!/bin/bash
# -x over XFRM on the host kernel, in a private network namespace (policies only: the
# host has no ESP/AH). Starts `setkey -x` and `setkey -xx -o jsonl` in the background,
# changes the SPD with our own binary, stops the monitors with SIGTERM and SIGINT, and
# checks their exit statuses (0 and 130) and that every event arrived, in order; a
# stopped monitor whose buffer overflows reports the lost events.
# Usage: tests/kernel/monitor/host.sh BUILD_DIR   (as root; re-executes itself in `unshare -n`)
set -u
BUILD=${1:?usage: $0 BUILD_DIR}
SETKEY=$(realpath "$BUILD/setkey")
# shellcheck source=tests/lib/netns.sh
. "$(dirname "$0")/../../lib/netns.sh"

"$SETKEY" -x > "$OUT/classic" 2> "$OUT/classic.err" & P1=$!
"$SETKEY" -xx -o jsonl > "$OUT/jsonl" 2> "$OUT/jsonl.err" & P2=$!
# The monitors have joined the groups once a first event reaches them; poke until then.
for _ in $(seq 50); do
    "$SETKEY" -FP
    [ -s "$OUT/classic" ] && [ -s "$OUT/jsonl" ] && break
    sleep 0.1
done
: > "$OUT/start-marker"
"$SETKEY" -c <<'X'
spdadd 10.1.0.0/16 10.2.0.0/16 any -P out ipsec esp/tunnel/10.0.0.1-10.0.0.2/require;
spdadd fd00::/64[80] fd01::/64 tcp -P in ipsec esp/transport//require;
spdupdate 10.1.0.0/16 10.2.0.0/16 any -P out prio 7 ipsec esp/tunnel/10.0.0.1-10.0.0.2/require;
spddelete 10.1.0.0/16 10.2.0.0/16 any -P out;
spdflush;
X
rc=$?
check "setkey -c applied the changes (rc=$rc)" test "$rc" = 0
sleep 0.5
kill -TERM "$P1"; wait "$P1"; rc1=$?
kill -INT "$P2"; wait "$P2"; rc2=$?
check "SIGTERM ends -x with status 0 (got $rc1)" test "$rc1" = 0
check "SIGINT ends -x -o jsonl with status 130 (got $rc2)" test "$rc2" = 130
check "no errors from the monitors" test ! -s "$OUT/classic.err" -a ! -s "$OUT/jsonl.err"

# Events after the start-up flushes: drop the leading spdflush events.
# classic: the sadb_msg type of each message (14 spdadd, 13 spdupdate, 15 spddelete, 19 spdflush).
types=$(sed -n 's/^sadb_msg{ version=2 type=\([0-9]*\) .*/\1/p' "$OUT/classic" | awk 'f||$1!=19{f=1;print}' | tr '\n' ' ')
# spdadd out, spdadd in, spdadd fwd (RFC mode doubles `in`), spdupdate, spddelete, spdflush.
check "classic -x events in order: [$types]" test "$types" = "14 14 14 13 15 19 "
check "classic -x prints the timestamp line first" \
    grep -qE '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} $' "$OUT/classic"
# `prio 7` is 0.8.2's default priority minus 7 (0x80000000 - 7).
check "classic spdupdate carries the new priority" grep -q "sadb_x_policy{ type=2 dir=2 id=[0-9a-f]* priority=2147483641 }" "$OUT/classic"

events=$(sed -n 's/.*"event":"\([a-z_]*\)".*/\1/p' "$OUT/jsonl" | awk 'f||$1!="spdflush"{f=1;print}' | tr '\n' ' ')
check "jsonl events in order: [$events]" test "$events" = "spdadd spdadd spdadd spdupdate spddelete spdflush "
check "every jsonl line is a v1 xfrm event" \
    test "$(grep -c '^{"v":2,"type":"event","time":[0-9.]*,"backend":"xfrm","event":' "$OUT/jsonl")" = "$(wc -l < "$OUT/jsonl")"
check "jsonl spddelete carries the deleted policy" \
    grep -q '"event":"spddelete","sa":null,"sp":{"id":"out/[0-9]*",.*"src":"10.1.0.0/16","dst":"10.2.0.0/16"' "$OUT/jsonl"
if command -v jq >/dev/null; then
    check "jq parses every jsonl line" jq -e . "$OUT/jsonl" >/dev/null
fi

# SIGTERM while an event's write waits for a stalled reader: the event is finished once
# the reader goes on, and the exit status is 0, not a write error.
mkfifo "$OUT/fifo"
cat "$OUT/fifo" > "$OUT/stalled" & READER=$!
"$SETKEY" -x -o jsonl > "$OUT/fifo" 2> "$OUT/stalled.err" & P3=$!
for _ in $(seq 50); do "$SETKEY" -FP; [ -s "$OUT/stalled" ] && break; sleep 0.1; done
kill -STOP "$READER"
for i in $(seq 1 400); do echo "spdadd 10.5.$((i / 250)).$((i % 250)) 10.6.0.1 any -P out none;"; done | "$SETKEY" -c
sleep 0.5
kill -TERM "$P3"; sleep 0.5
kill -CONT "$READER"; wait "$P3"; rc3=$?; wait "$READER"
check "SIGTERM during a write to a stalled reader: status 0 (got $rc3: $(head -c 100 "$OUT/stalled.err"))" test "$rc3" = 0
check "... and every line written is whole JSON" python3 -c '
import json, sys
for line in open(sys.argv[1]): json.loads(line)' "$OUT/stalled"
"$SETKEY" -FP

# A sub policy: af_key sends nothing for it, so classic -x prints nothing; jsonl has it.
"$SETKEY" -x > "$OUT/sub.classic" 2>&1 & P4=$!
"$SETKEY" -x -o jsonl > "$OUT/sub.jsonl" 2>&1 & P5=$!
for _ in $(seq 50); do
    ip xfrm policy add src 10.9.9.9 dst 10.9.9.8 dir out action block
    ip xfrm policy flush
    [ -s "$OUT/sub.classic" ] && [ -s "$OUT/sub.jsonl" ] && break
    sleep 0.1
done
: > "$OUT/sub.classic"; sleep 0.2
ip xfrm policy add src 10.8.0.0/24 dst 10.9.0.0/24 dir out ptype sub action block
ip xfrm policy delete src 10.8.0.0/24 dst 10.9.0.0/24 dir out ptype sub
ip xfrm policy add src 10.8.1.0/24 dst 10.9.1.0/24 dir out action block
sleep 0.3
kill -TERM "$P4" "$P5"; wait "$P4" "$P5"
# (classic prints addresses in hex: 0a080100 is 10.8.1.0)
check "classic -x shows the main policy and not the sub one" \
    test "$(grep -c ' 0a080100 ' "$OUT/sub.classic")" = 1 -a "$(grep -c ' 0a080000 ' "$OUT/sub.classic")" = 0
check "... -x -o jsonl has the sub policy's add and delete" \
    test "$(grep -c '"sp":{"id":"out/[0-9]*/sub"' "$OUT/sub.jsonl")" = 2
ip xfrm policy flush

# Events the kernel dropped for a full receive buffer: a monitor stopped while 20,000
# policies come and go (its 4 MiB buffer holds a few thousand events) says so once it
# runs again, on stderr and, in jsonl, as a "lost" line in the stream, then goes on.
"$SETKEY" -x -o jsonl > "$OUT/lost.jsonl" 2> "$OUT/lost.err" & P6=$!
# (A flush of an empty SPD sends no event: poke with an add, then flush it again.)
for _ in $(seq 50); do
    echo 'spdadd 10.7.251.1 10.6.0.1 any -P out none;' | "$SETKEY" -c; "$SETKEY" -FP
    [ -s "$OUT/lost.jsonl" ] && break
    sleep 0.1
done
kill -STOP "$P6"
for i in $(seq 1 20000); do echo "spdadd 10.7.$((i / 250)).$((i % 250)) 10.6.0.1 any -P out none;"; done | "$SETKEY" -c
"$SETKEY" -FP
kill -CONT "$P6"
sleep 0.5
echo 'spdadd 10.7.250.1 10.6.0.1 any -P out none;' | "$SETKEY" -c
for _ in $(seq 50); do grep -q '"src":"10.7.250.1/32"' "$OUT/lost.jsonl" && break; sleep 0.1; done
kill -TERM "$P6"; wait "$P6"; rc6=$?
lost_at=$(grep -n '"event":"lost"' "$OUT/lost.jsonl" | head -1 | cut -d: -f1)
after_at=$(grep -n '"src":"10.7.250.1/32"' "$OUT/lost.jsonl" | head -1 | cut -d: -f1)
check "overrun: SIGTERM still ends -x -o jsonl with 0 (got $rc6)" test "$rc6" = 0
check "... the loss is said on stderr" grep -qx 'setkey: events were lost (receive buffer overrun)' "$OUT/lost.err"
check "... and in the stream: a lost event line" \
    grep -qx '{"v":2,"type":"event","time":[0-9.]*,"backend":"xfrm","event":"lost","sa":null,"sp":null}' "$OUT/lost.jsonl"
check "... before the event that came after it (lines ${lost_at:-none} < ${after_at:-none})" \
    test -n "$lost_at" -a -n "$after_at" -a "${lost_at:-0}" -lt "${after_at:-0}"
check "... fewer lines than events: the kernel did drop some ($(wc -l < "$OUT/lost.jsonl") lines)" \
    test "$(wc -l < "$OUT/lost.jsonl")" -lt 20000
"$SETKEY" -FP

# -o json cannot describe a stream: a usage error, nothing on stdout.
out=$("$SETKEY" -x -o json 2>"$OUT/json.err"); rc=$?
check "-x -o json is a usage error (rc=$rc)" test "$rc" = 1 -a -z "$out"

((fail == 0)) || cat "$OUT/classic.err" "$OUT/jsonl.err"
summary
