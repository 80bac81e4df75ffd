#!/bin/bash
# The script language's XFRM-only policy options against the host kernel, in a private
# network namespace (policies only: the host has no ESP/AH): -mark and -if_id on
# spdadd/spdupdate/spddelete, checked with `ip xfrm policy` (iproute2 is the oracle),
# and --backend pfkey refusing them before anything is sent.
# Usage: tests/kernel/lang/host.sh BUILD_DIR   (as root; re-executes itself in `unshare -n`)
set -u
BUILD=${1:?usage: $0 BUILD_DIR}
SETKEY=$(realpath "$BUILD/setkey")
# shellcheck source=tests/lib/netns.sh
. "$(dirname "$0")/../../lib/netns.sh"

# `ip xfrm policy` as one line per policy: "SELECTOR dir D action A mark V/M if_id I".
policies() {
    ip xfrm policy | awk '
        /^src/ { if (p != "") print p; p = $1 " " $2 " " $3 " " $4; next }
        { for (i = 1; i <= NF; i++) {
              if ($i == "dir" || $i == "action" || $i == "mark" || $i == "if_id") p = p " " $i " " $(i + 1)
          } }
        END { if (p != "") print p }' | sort
}
count() { policies | wc -l; }
has() { policies | grep -qxF "$1"; }
sel="src 10.1.0.0/16 dst 10.2.0.0/16"
tmpl="ipsec esp/tunnel/192.0.2.1-192.0.2.2/require"

# 1. Three policies the kernel keeps apart only by mark and if_id.
"$SETKEY" -FP
"$SETKEY" --backend xfrm -f /dev/stdin 2> "$OUT/load.err" <<X; rc=$?
spdadd 10.1.0.0/16 10.2.0.0/16 any -mark 0x5/0xff -if_id 7 -P out $tmpl;
spdadd 10.1.0.0/16 10.2.0.0/16 any -mark 6/0xff -P out $tmpl;
spdadd 10.1.0.0/16 10.2.0.0/16 any -P out discard;
spdadd 10.3.0.0/16 10.4.0.0/16 any -if_id 0x9 -mark 0x10 -P in none;
X
check "load: exit 0 (got $rc: $(head -c 300 "$OUT/load.err"))" test "$rc" = 0
check_eq "load: policies (with the fwd copy of the in policy)" "$(count)" 5
check "load: mark 0x5/0xff with if_id 0x7" has "$sel dir out mark 0x5/0xff if_id 0x7"
check "load: mark 0x6/0xff, no if_id" has "$sel dir out mark 0x6/0xff"
check "load: the unmarked policy is a third entry" has "$sel dir out action block"
check "load: -if_id before -mark, mask defaults to 0xffffffff" \
    has "src 10.3.0.0/16 dst 10.4.0.0/16 dir in mark 0x10/0xffffffff if_id 0x9"
check "load: the fwd copy carries the mark and if_id too" \
    has "src 10.3.0.0/16 dst 10.4.0.0/16 dir fwd mark 0x10/0xffffffff if_id 0x9"
policies > "$OUT/loaded"

# 2. spdupdate reaches the marked policy only.
"$SETKEY" --backend xfrm -c 2> "$OUT/update.err" <<X; rc=$?
spdupdate 10.1.0.0/16 10.2.0.0/16 any -mark 0x5/0xff -if_id 7 -P out discard;
X
check "spdupdate: exit 0 (got $rc: $(head -c 300 "$OUT/update.err"))" test "$rc" = 0
check "spdupdate: the policy with mark 0x5 and if_id 7 now blocks" \
    has "$sel dir out action block mark 0x5/0xff if_id 0x7"
check "spdupdate: mark 0x6 untouched" has "$sel dir out mark 0x6/0xff"
check_eq "spdupdate: policies" "$(count)" 5

# 3. spddelete names the one it deletes; if_id takes part in the lookup.
"$SETKEY" --backend xfrm -c 2> "$OUT/delete6.err" <<X; rc=$?
spddelete 10.1.0.0/16 10.2.0.0/16 any -mark 0x6/0xff -P out;
X
check "spddelete -mark 6: exit 0 (got $rc: $(head -c 300 "$OUT/delete6.err"))" test "$rc" = 0
check "spddelete -mark 6: gone" sh -c "! ip xfrm policy | grep -q 'mark 0x6/0xff'"
check "spddelete -mark 6: mark 0x5 kept" has "$sel dir out action block mark 0x5/0xff if_id 0x7"
check "spddelete -mark 6: the unmarked one kept" has "$sel dir out action block"
"$SETKEY" --backend xfrm -c 2> "$OUT/delete5.err" <<X; rc=$?
spddelete 10.1.0.0/16 10.2.0.0/16 any -mark 0x5/0xff -P out;
X
check "spddelete -mark 5 without its if_id: refused, exit 2 (got $rc)" test "$rc" = 2
check "spddelete -mark 5 without its if_id: no such policy" grep -q "spddelete failed: no such policy" "$OUT/delete5.err"
"$SETKEY" --backend xfrm -c 2> "$OUT/delete5b.err" <<X; rc=$?
spddelete 10.1.0.0/16 10.2.0.0/16 any -mark 0x5/0xff -if_id 7 -P out;
X
check "spddelete -mark 5 -if_id 7: exit 0 (got $rc: $(head -c 300 "$OUT/delete5b.err"))" test "$rc" = 0
check "spddelete -mark 5 -if_id 7: gone" sh -c "! ip xfrm policy | grep -q 'mark 0x5/0xff'"
check_eq "spddelete: policies left" "$(count)" 3

# 4. Policies made by iproute2: setkey's spddelete -mark finds exactly each.
"$SETKEY" -FP
ip xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir in mark 0x1 mask 0xf action allow
ip xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir in mark 0x2 mask 0xf action allow
"$SETKEY" --backend xfrm -k -c 2> "$OUT/ipdel.err" <<X; rc=$?
spddelete 10.1.0.0/16 10.2.0.0/16 any -mark 2/0xf -P in;
X
check "iproute2's policy deleted by -mark 2/0xf: exit 0 (got $rc: $(head -c 300 "$OUT/ipdel.err"))" test "$rc" = 0
check_eq "iproute2's policies: the other one stays" "$(policies)" "$sel dir in mark 0x1/0xf"

# 5. Over PF_KEY each XFRM-only option is an error at the option; nothing is sent
#    (and PF_KEY, absent here, is not even opened: that would be exit 2).
"$SETKEY" -FP
policies > "$OUT/before"
printf 'spdadd 10.5.0.0/16 10.6.0.0/16 any -P out none;\nspdadd 10.1.0.0/16 10.2.0.0/16 any -if_id 7 -P out none;\n' > "$OUT/pfkey.conf"
"$SETKEY" --backend pfkey -f "$OUT/pfkey.conf" > "$OUT/pfkey.out" 2> "$OUT/pfkey.err"; rc=$?
check "pfkey: exit 1 (got $rc)" test "$rc" = 1
check_eq "pfkey: the error" "$(cat "$OUT/pfkey.err")" "setkey: $OUT/pfkey.conf:2:36: -if_id needs the XFRM backend: PF_KEY has no interface ids; use --backend xfrm
spdadd 10.1.0.0/16 10.2.0.0/16 any -if_id 7 -P out none;
                                   ^"
check "pfkey: nothing applied (not even line 1)" cmp -s "$OUT/before" <(policies)
"$SETKEY" --backend pfkey -n -f "$OUT/pfkey.conf" 2> "$OUT/pfkey-n.err"; rc=$?
check "pfkey -n: exit 1 and the same error (got $rc)" \
    sh -c "test $rc = 1 && cmp -s '$OUT/pfkey.err' '$OUT/pfkey-n.err'"
# auto opens XFRM here, so the script loads.
"$SETKEY" -f "$OUT/pfkey.conf" 2> "$OUT/auto.err"; rc=$?
check "auto (XFRM here): exit 0 (got $rc: $(head -c 300 "$OUT/auto.err"))" test "$rc" = 0
check "auto: the if_id policy is there" has "$sel dir out if_id 0x7"
"$SETKEY" -FP

summary
