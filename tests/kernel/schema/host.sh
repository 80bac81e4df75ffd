#!/bin/bash
# The machine formats of a real kernel against docs/schema, in a private network
# namespace on the host (policies only: the host has no ESP/AH, so SAs are validated
# from recorded replies in the unit tests and in the VM matrix): -DP and -D with
# -o json and -o jsonl, a script's dumps, and `-x -o jsonl` events while the SPD changes,
# through Debian's python3-jsonschema (tests/unit/output/validate_json.py).
# Usage: tests/kernel/schema/host.sh BUILD_DIR   (as root; re-executes itself in `unshare -n`)
set -u
BUILD=${1:?usage: $0 BUILD_DIR}
SETKEY=$(realpath "$BUILD/setkey")
HERE=$(cd "$(dirname "$0")" && pwd)
SCHEMA=$HERE/../../../docs/schema
PY=${SETKEY_PYTHON:-/usr/bin/python3}
# shellcheck source=tests/lib/netns.sh
. "$(dirname "$0")/../../lib/netns.sh"

if ! "$PY" -c 'from jsonschema import Draft202012Validator' 2>/dev/null; then
    echo "FAIL no draft 2020-12 validator for $PY (apt-get install python3-jsonschema)"
    exit 1
fi
valid() { # valid SCHEMA FILE: every JSON value of FILE validates (and there is one)
    "$PY" "$HERE/../../unit/output/validate_json.py" "$SCHEMA/$1" "$2"
}

"$SETKEY" -xx -o jsonl > "$OUT/events" 2> "$OUT/events.err" & MON=$!
for _ in $(seq 50); do # the monitor has joined once a first event reaches it
    "$SETKEY" -FP
    [ -s "$OUT/events" ] && break
    sleep 0.1
done
"$SETKEY" -c <<'X'
spdadd 10.1.0.0/16 10.2.0.0/16 any -P out ipsec esp/tunnel/10.0.0.1-10.0.0.2/unique:5;
spdadd fd00::/64[80] fd01::/64 tcp -P in prio high ipsec esp/transport//require ah/transport//use;
spdadd ::/0 ::/0 icmp6 135,0 -P out none;
spdadd 10.3.0.0/24 10.4.0.0/24 any -P out discard;
spdupdate 10.3.0.0/24 10.4.0.0/24 any -P out prio low + 3 discard;
X
rc=$?
check "setkey -c loaded the policies (rc=$rc)" test "$rc" = 0

"$SETKEY" -DP -o json > "$OUT/DP.json"
check "-DP -o json validates against dump.schema.json" valid dump.schema.json "$OUT/DP.json"
check "-DP -o json lists 5 policies" test "$(jq '.sp | length' "$OUT/DP.json")" = 5
"$SETKEY" -DP -o jsonl > "$OUT/DP.jsonl"
check "-DP -o jsonl validates against record.schema.json" valid record.schema.json "$OUT/DP.jsonl"
check "-DP -o jsonl has one line per policy" test "$(wc -l < "$OUT/DP.jsonl")" = 5
"$SETKEY" -D -o json > "$OUT/D.json"
check "-D -o json of the empty SAD validates" valid dump.schema.json "$OUT/D.json"
"$SETKEY" -o json -c <<<'dump; spddump; spddelete 10.3.0.0/24 10.4.0.0/24 any -P out; spddump;' > "$OUT/script.json"
check "a script's two documents validate" valid dump.schema.json "$OUT/script.json"
check "... and there are two" test "$(jq -s length "$OUT/script.json")" = 2

"$SETKEY" -c <<<'spddelete fd00::/64[80] fd01::/64 tcp -P in; spdflush;'

# XFRM-only state made by iproute2 (issue 9): two policies that differ only by mark, one
# with if_id and flag icmp; their records and events validate, their ids differ and the
# fields carry what ip set.
ip xfrm policy add src 10.9.0.0/16 dst 10.8.0.0/16 dir out mark 0x5 mask 0xff if_id 0x7 action block
ip xfrm policy add src 10.9.0.0/16 dst 10.8.0.0/16 dir out mark 0x6 mask 0xff action block
ip xfrm policy add src 10.9.0.0/16 dst 10.8.0.0/16 dir out flag icmp action block
"$SETKEY" -DP -o json > "$OUT/marked.json"
check "-DP -o json with marks and if_id validates" valid dump.schema.json "$OUT/marked.json"
# -v and -H trace to stderr under -o: stdout stays the document.
"$SETKEY" -DP -o json -v -H > "$OUT/traced.json" 2> "$OUT/traced.err"
check "-DP -o json -v -H: stdout is the same document (its policies)" test \
    "$(jq -c .sp "$OUT/traced.json" 2>&1)" = "$(jq -c .sp "$OUT/marked.json")"
check "... and the trace went to stderr" grep -q '^00000000: ' "$OUT/traced.err"
check "... three policies with three ids" \
    test "$(jq '[.sp[].id] | unique | length' "$OUT/marked.json")" = 3
check "... the marks and the if_id as ip set them" test \
    "$(jq -c '[.sp[] | [.mark, .if_id]] | sort' "$OUT/marked.json")" = \
    '[[null,null],[{"value":5,"mask":255},7],[{"value":6,"mask":255},null]]'
check "... the icmp flag" test "$(jq -c '[.sp[].flags] | sort' "$OUT/marked.json")" = '[[],[],["icmp"]]'
"$SETKEY" -DP > "$OUT/marked.txt"
# ICMP type 0 (echo reply) is port 0 with a full mask: a 0, not "any" (null).
ip xfrm policy add src 10.9.1.0/24 dst 10.8.1.0/24 proto icmp type 0 dir out action block
ip xfrm policy add src 10.9.2.0/24 dst 10.8.2.0/24 proto icmp dir out action block
"$SETKEY" -DP -o json > "$OUT/icmp.json"
check "ICMP type 0 is src_port 0, any ICMP src_port null" test \
    "$(jq -c '[.sp[] | select(.upperspec == "icmp") | [.src, .src_port]] | sort' "$OUT/icmp.json")" = \
    '[["10.9.1.0/24",0],["10.9.2.0/24",null]]'
check "classic -DP shows the mark and if_id line once" \
    test "$(grep -c $'^\tmark=0x00000005/0x000000ff if_id=7(0x00000007)$' "$OUT/marked.txt")" = 1
# A sub policy's flush is an spdflush saying ptype sub; a policy's expires say which
# limit they were (the hard one removes the policy).
ip xfrm policy add src 10.9.3.0/24 dst 10.8.3.0/24 dir out ptype sub action block
ip xfrm policy flush ptype sub
ip xfrm policy add src 10.9.4.0/24 dst 10.8.4.0/24 dir out action block limit time-soft 1 limit time-hard 2
sleep 3
ip xfrm policy flush
sleep 0.5
kill -INT "$MON"; wait "$MON"
check "a sub policies' flush is an spdflush with ptype sub, the main one's ptype main" test \
    "$(jq -r 'select(.event == "spdflush") | .ptype' "$OUT/events" | sort -u | tr '\n' ' ')" = "main sub "
check "the policy's soft and hard expires say which (false, then true)" test \
    "$(jq -s -c '[.[] | select(.event == "spdexpire") | .hard]' "$OUT/events")" = "[false,true]"
check "-x -o jsonl wrote no errors" test ! -s "$OUT/events.err"
check "-x -o jsonl events validate against event.schema.json" valid event.schema.json "$OUT/events"
check "... spdadd, spdupdate, spddelete, spdexpire and spdflush among them" \
    test "$(sed -n 's/.*"event":"\([a-z]*\)".*/\1/p' "$OUT/events" | sort -u | tr '\n' ' ')" = \
    "spdadd spddelete spdexpire spdflush spdupdate "

# The negative: a real line with a field removed must fail here too.
head -1 "$OUT/DP.jsonl" | sed 's/"priority":[0-9]*,//' > "$OUT/broken.jsonl"
check "a real line without its priority fails" eval '! valid record.schema.json "$OUT/broken.jsonl" >/dev/null'

summary
