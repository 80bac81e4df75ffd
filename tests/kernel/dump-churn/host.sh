#!/bin/bash
# A dump while the table changes (issue 12): -DP in every output format, over XFRM, in a
# private network namespace on the host, while another process adds and deletes
# policies as fast as it can. Every dump must end on its own (no hang: each run has a
# timeout), exit 0 with a complete, well-formed document whose entry count lies between
# the table's smallest and largest size, or exit 2 with a one-line reason; never a crash.
# Usage: tests/kernel/dump-churn/host.sh BUILD_DIR [ENTRIES]   (as root)
set -u
BUILD=${1:?usage: $0 BUILD_DIR [ENTRIES]}
N=${2:-20000}
SETKEY=$(realpath "$BUILD/setkey")
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/netns.sh
. "$HERE/../../lib/netns.sh"
ip link set lo up

# N stable policies 10.1.x.y -> 10.2.0.0/16; the churn adds and deletes up to CHURN more
# (10.9.x.y), so the table holds between N and N + CHURN entries at any moment.
CHURN=2000
python3 - "$N" > "$OUT/stable.conf" <<'EOF'
import sys
for i in range(int(sys.argv[1])):
    print(f"spdadd 10.1.{i >> 8 & 255}.{i & 255}/32 10.2.0.0/16 any -P out ipsec esp/transport//require;")
EOF
"$SETKEY" -f "$OUT/stable.conf" || { echo "FAIL loading $N policies"; exit 1; }
python3 - "$CHURN" > "$OUT/churn.batch" <<'EOF'
import sys
n = int(sys.argv[1])
for i in range(n):
    print(f"xfrm policy add src 10.9.{i >> 8}.{i & 255}/32 dst 10.2.0.0/16 dir out")
for i in range(n):
    print(f"xfrm policy delete src 10.9.{i >> 8}.{i & 255}/32 dst 10.2.0.0/16 dir out")
EOF
# TERM stops the loop and its running batch (tests/lib/check.sh).
repeat_until_term ip -batch "$OUT/churn.batch" & CHURNER=$!
trap 'kill "$CHURNER" 2>/dev/null; wait "$CHURNER" 2>/dev/null; rm -rf "$OUT"' EXIT
lo=$N hi=$((N + CHURN))

in_range() { (($1 >= lo && $1 <= hi)); }
# classic: one "\tout ..." direction line per policy
count_classic() { grep -c $'^\tout ' "$1"; }
# The stable policies a dump holds: each must appear exactly once, whatever the churn did.
stable_classic() { grep -o '^10\.1\.[0-9.]*' "$1"; }
stable_json() { python3 -c '
import json, sys
for p in json.load(open(sys.argv[1]))["sp"]:
    if p["src"].startswith("10.1."): print(p["src"])' "$1"; }
count_json() { python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["sp"]))' "$1"; }
count_jsonl() { python3 -c '
import json, sys
print(sum(1 for l in open(sys.argv[1]) if json.loads(l).get("type") == "sp"))' "$1"; }
count_prometheus() { awk '/^setkey_spd_entries\{/ { s += $2 } END { print s + 0 }' "$1"; }

for round in 1 2 3; do
    for format in classic json jsonl prometheus; do
        opt=()
        [[ $format != classic ]] && opt=(-o "$format")
        timeout 60 "$SETKEY" -DP "${opt[@]}" > "$OUT/dump" 2> "$OUT/err"
        rc=$?
        what="round $round -DP ${opt[*]:-classic} while policies change"
        case $rc in
            0) n=$("count_$format" "$OUT/dump" 2>"$OUT/count.err") || n=unreadable
               if [[ $format == classic || $format == json ]]; then
                   read -r all uniq < <("stable_$format" "$OUT/dump" | sort | uniq -c |
                                        awk '{ a += $1; u++ } END { print a + 0, u + 0 }')
                   if [[ $all == "$N" && $uniq == "$N" ]]; then
                       ok "$what: each of the $N stable policies exactly once"
                   else
                       ko "$what: stable policies seen $all times, $uniq distinct, want $N"
                   fi
               fi
               if [[ $n =~ ^[0-9]+$ ]] && in_range "$n"; then
                   ok "$what: $n entries, within [$lo, $hi]"
               else
                   ko "$what: entry count $n not within [$lo, $hi] ($(head -c 200 "$OUT/count.err"))"
               fi ;;
            2) if [[ $(wc -l < "$OUT/err") -ge 1 && $(head -1 "$OUT/err") == setkey:* ]]; then
                   ok "$what: refused with a reason: $(head -1 "$OUT/err")"
               else
                   ko "$what: exit 2 without a 'setkey: ...' reason"
               fi ;;
            124) ko "$what: still running after 60 s (hang)" ;;
            *) ko "$what: exit $rc: $(head -c 300 "$OUT/err")" ;;
        esac
    done
done

kill "$CHURNER" 2>/dev/null; wait "$CHURNER" 2>/dev/null
# The churn stopped mid-batch: remove what it left, then the stable table is whole again.
ip xfrm policy list | awk '$1 == "src" && $2 ~ /^10\.9\./ { print "xfrm policy delete src " $2 " dst " $4 " dir out" }' \
    > "$OUT/cleanup.batch"
ip -batch "$OUT/cleanup.batch" >/dev/null 2>&1
"$SETKEY" -DP > "$OUT/final"
n=$(count_classic "$OUT/final")
check "after the churn: exactly the $N stable policies ($n)" test "$n" = "$N"
summary
