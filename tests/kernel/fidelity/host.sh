#!/bin/bash
# --atomic restores XFRM-only policy state exactly (issue 9, policy-only variant on the
# host kernel, in a private netns): policies made by `ip xfrm policy add` with marks and
# masks, if_id, action block, flag icmp/localok, lifetimes (bytes, packets, add and use
# times), a port selector and level use. A failing `setkey --atomic -c` script that
# starts with `spdflush;` must bring back what `ip -d -s xfrm policy` printed before,
# with index (spid) and the current lifetime's times masked (the kernel sets them anew).
# Usage: tests/kernel/fidelity/host.sh BUILD_DIR   (as root; re-executes itself in `unshare -n`)
set -u
BUILD=${1:?usage: $0 BUILD_DIR}
SETKEY=$(realpath "$BUILD/setkey")
# shellcheck source=tests/lib/netns.sh
. "$(dirname "$0")/../../lib/netns.sh"
ipmask() { sed -E -e 's/ index [0-9]+ / index <n> /' -e 's/^(\t  add ).*/\1<time>/'; }

T=(tmpl src 192.0.2.1 dst 192.0.2.2 proto esp mode tunnel)
base() {
    ip xfrm policy flush
    # Two policies that differ by mark alone, then the rest (newest last in the dump).
    ip xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir out mark 0x5 mask 0xff if_id 0x7 "${T[@]}"
    ip xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir out mark 0x6 mask 0xff "${T[@]}"
    ip xfrm policy add src 10.3.0.0/16 dst 10.4.0.0/16 dir in action block priority 50
    ip xfrm policy add src 10.5.0.0/16 dst 10.6.0.0/16 dir out flag icmp flag localok \
        limit time-hard 3600 limit time-soft 1800 limit byte-hard 1000000 \
        limit packet-soft 500 limit time-use-hard 700 "${T[@]}"
    ip xfrm policy add src 10.7.0.0/16 dst 10.8.0.0/16 proto tcp dport 80 dir fwd if_id 0x9 "${T[@]}" level use
}

for via in -c -f; do
    CHECK_LABEL="--atomic $via"
    base
    check "base: 5 policies" test "$(ip xfrm policy | grep -c '^src')" = 5
    ip -d -s xfrm policy | ipmask > "$OUT/before"
    cat > "$OUT/load.conf" <<'X'
spdflush;
spdadd 10.9.0.0/24 10.8.0.0/24 any -P out none;
spdadd 10.9.0.0/24 10.8.0.0/24 any -P out none;
X
    if [ "$via" = -c ]; then
        "$SETKEY" --backend xfrm --atomic -c < "$OUT/load.conf" > "$OUT/out" 2> "$OUT/err"; rc=$?
    else
        "$SETKEY" --backend xfrm --atomic -f "$OUT/load.conf" > "$OUT/out" 2> "$OUT/err"; rc=$?
    fi
    ip -d -s xfrm policy | ipmask > "$OUT/after"
    check_eq "exit status" "$rc" 2
    check "the third statement is refused" grep -q "spdadd failed" "$OUT/err"
    check "nothing failed to roll back" test "$(grep -c 'rollback:' "$OUT/err")" = 0
    check "ip -d -s xfrm policy as before" cmp -s "$OUT/before" "$OUT/after"
    diff "$OUT/before" "$OUT/after" | head -30
    sed 's/^/  stderr: /' "$OUT/err" | head -5
done
CHECK_LABEL=
summary
