#!/bin/bash
# --atomic over XFRM on the host kernel, in a private network namespace (policies only:
# the host has no ESP/AH). A 100-statement script whose 50th statement the kernel
# refuses must leave `setkey -DP` as it was:
#  A. the run only added policies: the dump text is byte-identical but for pid= (the
#     dumping process) — spids and creation times of untouched policies are kept;
#  B. the run also deleted, updated and flushed: the re-added policies get new spids
#     and creation times from the kernel, so those are masked; order, selectors,
#     priorities, templates and lifetimes must match exactly.
# Also -c --atomic, and that without --atomic the same script leaves the rest applied.
# Usage: tests/kernel/atomic/host.sh BUILD_DIR   (as root; re-executes itself in `unshare -n`)
set -u
BUILD=${1:?usage: $0 BUILD_DIR}
SETKEY=$(realpath "$BUILD/setkey")
# shellcheck source=tests/lib/netns.sh
. "$(dirname "$0")/../../lib/netns.sh"
pidless() { sed -E 's/ pid=[0-9]+/ pid=P/'; }

base() { # the state every scenario starts from: mixed directions, priorities, families
    "$SETKEY" -FP
    mixed_spd | "$SETKEY" -c
}

# SCRIPT: statements 1..49 from $1 (a prefix), the 50th re-adds an existing policy
# (EEXIST), then 50 more adds that must never reach the kernel.
script() {
    { cat "$1"
      n=$(grep -c ';' "$1")
      for i in $(seq $((n + 1)) 49); do
          echo "spdadd 172.16.$i.0/24 172.17.0.0/16 any -P $( ((i % 2)) && echo in || echo out) ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;"
      done
      echo "spdadd 10.1.0.0/16 10.2.0.0/16 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;"
      for i in $(seq 51 100); do
          echo "spdadd 172.18.$i.0/24 172.17.0.0/16 any -P out none;"
      done
    } > "$2"
    check "$(basename "$2") has 100 statements" test "$(grep -c ';' "$2")" = 100
}

# A: adds only.
: > "$OUT/prefix-a"
script "$OUT/prefix-a" "$OUT/a.conf"
base
"$SETKEY" -DP | pidless > "$OUT/a.before"
"$SETKEY" --atomic -f "$OUT/a.conf" 2> "$OUT/a.err"; rc=$?
"$SETKEY" -DP | pidless > "$OUT/a.after"
check "A: exit status 2 (got $rc)" test "$rc" = 2
check "A: the refusal names line 50" grep -q "a.conf:50: spdadd failed: policy already exists" "$OUT/a.err"
check "A: one summary line: $(grep -c 'rolled back' "$OUT/a.err") x 'rolled back'" test "$(grep -c 'rolled back' "$OUT/a.err")" = 1
check "A: nothing failed to roll back" test "$(grep -c 'rollback:' "$OUT/a.err")" = 0
check "A: -DP byte-identical but for pid=" cmp -s "$OUT/a.before" "$OUT/a.after"
diff "$OUT/a.before" "$OUT/a.after" | head -20

# B: delete, update and flush first, then adds.
cat > "$OUT/prefix-b" <<'X'
spddelete 10.3.0.0/16[80] 10.4.0.0/16 tcp -P out;
spdupdate 10.9.0.0/24 10.8.0.0/24 any -P out prio 7 ipsec esp/tunnel/192.0.2.1-192.0.2.9/require;
spdflush;
spdadd 10.1.0.0/16 10.2.0.0/16 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
X
script "$OUT/prefix-b" "$OUT/b.conf"
base
"$SETKEY" -DP > "$OUT/b.before"
"$SETKEY" --atomic -f "$OUT/b.conf" 2> "$OUT/b.err"; rc=$?
"$SETKEY" -DP > "$OUT/b.after"
check "B: exit status 2 (got $rc)" test "$rc" = 2
check "B: nothing failed to roll back" test "$(grep -c 'rollback:' "$OUT/b.err")" = 0
check "B: -DP identical with spid/created/lastused/pid masked" \
    cmp -s <(mask < "$OUT/b.before") <(mask < "$OUT/b.after")
diff <(mask < "$OUT/b.before") <(mask < "$OUT/b.after") | head -20
check "B: same number of entries" test "$(grep -c spid= "$OUT/b.before")" = "$(grep -c spid= "$OUT/b.after")"

# -c --atomic: same script on stdin.
base
"$SETKEY" -DP | mask > "$OUT/c.before"
"$SETKEY" --atomic -c < "$OUT/b.conf" 2> "$OUT/c.err"; rc=$?
"$SETKEY" -DP | mask > "$OUT/c.after"
check "-c --atomic: exit status 2 (got $rc)" test "$rc" = 2
check "-c --atomic: -DP identical (masked)" cmp -s "$OUT/c.before" "$OUT/c.after"

# Without --atomic the other 99 statements stay applied (3 base left + in/fwd pairs).
base
"$SETKEY" -f "$OUT/b.conf" 2> /dev/null; rc=$?
n=$("$SETKEY" -DP | grep -c spid=)
check "without --atomic: exit 2 (got $rc), the rest applied ($n policies)" test "$rc" = 2 -a "$n" -gt 100

# A script that applies cleanly with --atomic stays applied and prints nothing.
base
head -49 "$OUT/a.conf" > "$OUT/ok.conf"
"$SETKEY" --atomic -f "$OUT/ok.conf" 2> "$OUT/ok.err"; rc=$?
check "clean --atomic load: exit 0 (got $rc), silent stderr" test "$rc" = 0 -a ! -s "$OUT/ok.err"

"$SETKEY" -FP
summary
