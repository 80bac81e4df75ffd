#!/bin/bash
# Runs INSIDE the VM (tests/kernel/guest.sh runs it from its folder):  guest.sh BACKEND...
# Per backend: a base state of SAs (ESP tunnel/transport, AH, IPComp, lifetimes) and
# policies, then `setkey --atomic -f` of a 100-statement script whose 50th statement
# re-adds an existing SA (EEXIST). -D and -DP must come back identical with creation
# and use times, pid= and spid= masked (the kernel assigns those anew on re-add).
set -uo pipefail   # no -e: failing commands are results to check
. "${SETKEY_TEST_LIB:?run by tests/kernel/guest.sh}"   # tests/lib/check.sh
K16=0x00112233445566778899aabbccddeeff
K20=0x00112233445566778899aabbccddeeff00112233
W=/tmp/atomic
mkdir -p "$W"
{
  echo "delete 10.0.0.1 10.0.0.2 esp 0x1001;"
  echo "deleteall 10.0.0.3 10.0.0.4 ah;"
  echo "flush esp;"
  echo "spdflush;"
  for i in $(seq 5 49); do
    if ((i % 2)); then
      echo "add 10.1.0.1 10.1.0.2 esp $((0x5000 + i)) -m tunnel -E aes-cbc $K16 -A hmac-sha1 $K20;"
    else
      echo "spdadd 10.$i.0.0/16 10.99.0.0/16 any -P in ipsec esp/tunnel/10.1.0.2-10.1.0.1/require;"
    fi
  done
  echo "add 10.0.0.5 10.0.0.6 ipcomp 0x4001 -C deflate;"   # 50th: exists (base)
  for i in $(seq 51 100); do
    echo "add 10.1.0.1 10.1.0.2 esp $((0x6000 + i)) -E aes-cbc $K16 -A hmac-sha1 $K20;"
  done
} > "$W/load.conf"

for B in "$@"; do
  CHECK_LABEL=$B
  S=(./setkey --backend "$B")
  "${S[@]}" -F; "${S[@]}" -FP
  "${S[@]}" -f - <<X
add 10.0.0.1 10.0.0.2 esp 0x1001 -m tunnel -u 5 -r 32 -E aes-cbc $K16 -A hmac-sha1 $K20;
add 10.0.0.1 10.0.0.2 esp 0x1002 -lh 3600 -ls 1800 -bh 1000000 -E aes-cbc $K16 -A hmac-sha256 ${K16}${K16#0x};
add 10.0.0.3 10.0.0.4 ah 0x2001 -A hmac-sha1 $K20;
add 10.0.0.3 10.0.0.4 ah 0x2002 -A hmac-sha1 $K20;
add 10.0.0.5 10.0.0.6 ipcomp 0x4001 -C deflate;
add fd00::1 fd00::2 esp 0x3001 -E aes-cbc $K16 -A hmac-sha1 $K20;
spdadd 10.1.0.0/16 10.2.0.0/16 any -P out ipsec esp/tunnel/10.0.0.1-10.0.0.2/unique:5;
spdadd 10.2.0.0/16 10.1.0.0/16 any -P in ipsec esp/tunnel/10.0.0.2-10.0.0.1/require;
spdadd 10.3.0.0/16[80] 10.4.0.0/16 tcp -P out prio 100 ipsec ah/transport//require;
spdadd fd01::/64 fd02::/64 any -P out discard;
X
  check "base state loaded (rc=$?)" test $? = 0
  "${S[@]}" -D | mask > "$W/$B.sad.before"
  "${S[@]}" -DP | mask > "$W/$B.spd.before"
  check "base: 6 SAs" test "$(grep -c 'sadb_seq=' "$W/$B.sad.before")" = 6
  "${S[@]}" --atomic -f "$W/load.conf" 2> "$W/$B.err"; rc=$?
  check "--atomic: exit 2 (got $rc)" test "$rc" = 2
  check "--atomic: refusal at line 50" grep -q "load.conf:50: add failed" "$W/$B.err"
  check "--atomic: nothing failed to roll back" test "$(grep -c 'rollback:' "$W/$B.err")" = 0
  grep 'rolled back\|rollback:' "$W/$B.err" | sed "s/^/  $B: /"
  "${S[@]}" -D | mask > "$W/$B.sad.after"
  "${S[@]}" -DP | mask > "$W/$B.spd.after"
  check "-D identical (times/pid masked)" test "$(cat "$W/$B.sad.before")" = "$(cat "$W/$B.sad.after")"
  check "-DP identical (times/pid/spid masked)" test "$(cat "$W/$B.spd.before")" = "$(cat "$W/$B.spd.after")"
  if command -v diff > /dev/null; then
    diff "$W/$B.sad.before" "$W/$B.sad.after" | head -30
    diff "$W/$B.spd.before" "$W/$B.spd.after" | head -30
  fi
  "${S[@]}" -F; "${S[@]}" -FP
done
summary
