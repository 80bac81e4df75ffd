#!/bin/bash
# Runs INSIDE the VM, from /payload (tests/kernel/run.sh boots it):  guest.sh BACKEND...
# Per backend, with SAs on Debian's kernel (ESP tunnel/transport, AH, IPComp, NAT-T,
# IPv6, lifetimes, reqids) and policies:
#  - `dump; spddump;` under -c with -o script --show-keys, flush, -f of that script:
#    -D and -DP come back the same (times, pid, spid masked);
#  - --diff of the loading script exits 0 (real records equal the script's entries);
#    --sync of it sends nothing (ip xfrm monitor silent) and reports 0 changes;
#  - after `ip xfrm state delete` of one SA --diff exits 3 printing exactly its add;
#  - an edit changing one SA's key: --sync replaces that SA only, the others keep their
#    creation times; a second --diff exits 0;
#  - -o script of fwd policies that differ from the copies -r adds loads back the same;
#  - esp-old/ah-old SAs: a --sync of their script changes nothing.
set -uo pipefail   # no -e: failing commands are results to check
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $B: $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $B: $1"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else ko "$what"; fi; }
mask() {
  sed -E -e 's/ pid=[0-9]+/ pid=P/' -e 's/spid=[0-9]+/spid=N/' \
    -e 's/created: .*/created: T/' -e 's/lastused: .*/lastused: T/' \
    -e 's/diff: [0-9]+\(s\)/diff: D(s)/' -e 's/^(\s*)last: .{20,24}(\s)/\1last: L\2/'
}
unstamped() { sed -E -e 's/ pid=[0-9]+/ pid=P/' -e 's/diff: [0-9]+\(s\)/diff: D(s)/' -e 's/current: .{20}/current: C/'; }
K16=0x00112233445566778899aabbccddeeff
K20=0x00112233445566778899aabbccddeeff00112233
umask 077 # the scripts hold keys
W=/tmp/sync
mkdir -p "$W"

for B in "$@"; do
  S=(./setkey --backend "$B")
  "${S[@]}" -F; "${S[@]}" -FP
  {
    echo "flush;"
    echo "spdflush;"
    echo "add 10.0.0.1 10.0.0.2 esp 0x1001 -m tunnel -u 5 -r 32 -E aes-cbc $K16 -A hmac-sha1 $K20;"
    echo "add 10.0.0.2 10.0.0.1 esp 0x1002 -m tunnel -u 6 -E aes-cbc $K16 -A hmac-sha1 $K20;"
    echo "add 10.0.0.1 10.0.0.2 esp 0x1003 -lh 3600 -ls 1800 -bh 1000000 -E aes-cbc $K16 -A hmac-sha256 ${K16}${K16#0x};"
    echo "add 10.0.0.3 10.0.0.4 ah 0x2001 -A hmac-sha1 $K20;"
    echo "add 10.0.0.5 10.0.0.6 ipcomp 0x4001 -C deflate;"
    echo "add fd00::1 fd00::2 esp 0x3001 -E aes-cbc $K16 -A hmac-sha1 $K20;"
    echo "add 10.0.0.7[4500] 10.0.0.8[4500] esp-udp 0x5001 -m tunnel -E aes-cbc $K16 -A hmac-sha1 $K20;"
    echo "add 10.0.0.1 10.0.0.9 esp 0x6001 -E null -A hmac-sha1 $K20;"
    echo "spdadd 10.1.0.0/16 10.2.0.0/16 any -P out ipsec esp/tunnel/10.0.0.1-10.0.0.2/unique:5;"
    echo "spdadd 10.2.0.0/16 10.1.0.0/16 any -P in ipsec esp/tunnel/10.0.0.2-10.0.0.1/require;"
    echo "spdadd 10.3.0.0/16[80] 10.4.0.0/16 tcp -P out prio 100 ipsec esp/transport//use ah/transport//require;"
    echo "spdadd fd00::/64 fd01::/64 any -P out discard;"
  } > "$W/base.conf"
  "${S[@]}" -f "$W/base.conf"; rc=$?
  check "base load exits 0 (got $rc)" test "$rc" = 0
  "${S[@]}" -D | mask > "$W/d1"; "${S[@]}" -DP | mask > "$W/p1"

  printf 'dump;\nspddump;\n' | "${S[@]}" -o script --show-keys -c > "$W/saved.conf"; rc=$?
  check "dump;spddump; -o script exits 0 (got $rc)" test "$rc" = 0
  check "the saved script names 8 SAs" test "$(grep -c '^add ' "$W/saved.conf")" = 8
  "${S[@]}" -F; "${S[@]}" -FP
  "${S[@]}" -f "$W/saved.conf"; rc=$?
  check "-f of the saved script exits 0 (got $rc)" test "$rc" = 0
  "${S[@]}" -D | mask > "$W/d2"; "${S[@]}" -DP | mask > "$W/p2"
  check "-D after the round trip is the same" cmp -s "$W/d1" "$W/d2"
  check "-DP after the round trip is the same" cmp -s "$W/p1" "$W/p2"
  diff "$W/d1" "$W/d2" | head -20; diff "$W/p1" "$W/p2" | head -20

  "${S[@]}" --diff -f "$W/base.conf" > "$W/diff0"; rc=$?
  check "--diff of the loading script exits 0 (got $rc)" test "$rc" = 0
  head -20 "$W/diff0"
  "${S[@]}" -D | unstamped > "$W/stamped1"
  ip xfrm monitor > "$W/monitor" 2>&1 &
  mon=$!
  sleep 1
  "${S[@]}" -v --sync -f "$W/base.conf" > /dev/null 2> "$W/sync0.err"; rc=$?
  sleep 1
  kill "$mon"; wait "$mon" 2>/dev/null
  check "--sync of the same script exits 0 (got $rc)" test "$rc" = 0
  check "it reports 0 changes" grep -q '^setkey: sync: 0 added, 0 replaced, 0 deleted, 13 unchanged$' "$W/sync0.err"
  grep '^setkey: sync' "$W/sync0.err"
  check "ip xfrm monitor saw no change" test ! -s "$W/monitor"
  head -5 "$W/monitor"
  check "SAs keep their creation times" cmp -s "$W/stamped1" <("${S[@]}" -D | unstamped)

  ip xfrm state delete src 10.0.0.3 dst 10.0.0.4 proto ah spi 0x2001
  "${S[@]}" --diff -f "$W/base.conf" > "$W/diff1"; rc=$?
  check "--diff after ip xfrm state delete exits 3 (got $rc)" test "$rc" = 3
  check "it prints exactly that SA" test "$(cat "$W/diff1")" = "+ add 10.0.0.3 10.0.0.4 ah 0x2001 -A hmac-sha1 hidden-key;"
  cat "$W/diff1"

  sed "s/esp 0x1002 -m tunnel -u 6 -E aes-cbc $K16/esp 0x1002 -m tunnel -u 6 -E aes-cbc 0xffeeddccbbaa99887766554433221100/" \
    "$W/base.conf" > "$W/edited.conf"
  "${S[@]}" -D | unstamped > "$W/stamped2"
  "${S[@]}" -v --sync -f "$W/edited.conf" > /dev/null 2> "$W/sync1.err"; rc=$?
  check "--sync of the edit exits 0 (got $rc)" test "$rc" = 0
  check "it adds 1 and replaces 1" grep -q '^setkey: sync: 1 added, 1 replaced, 0 deleted, 11 unchanged$' "$W/sync1.err"
  grep '^setkey: sync' "$W/sync1.err"
  # Untouched SAs: their blocks unchanged, creation times included.
  check "0x1001 keeps its creation time" test "$(grep -A12 '^10.0.0.1 10.0.0.2' "$W/stamped2" | grep -m1 created)" = "$("${S[@]}" -D | unstamped | grep -A12 '^10.0.0.1 10.0.0.2' | grep -m1 created)"
  "${S[@]}" --diff -f "$W/edited.conf" > /dev/null; rc=$?
  check "--diff after it exits 0 (got $rc)" test "$rc" = 0

  # A policy foreign to the script (under its spdflush) goes, by the kernel's id
  # (PF_KEY: SADB_X_SPDDELETE2; XFRM: the index), and nothing else does.
  ip xfrm policy add src 10.99.0.0/24 dst 10.98.0.0/24 dir out action block priority 7
  "${S[@]}" -v --sync -f "$W/edited.conf" > /dev/null 2> "$W/sync2.err"; rc=$?
  check "--sync deleting a foreign policy exits 0 (got $rc)" test "$rc" = 0
  check "it deletes 1" grep -q '^setkey: sync: 0 added, 0 replaced, 1 deleted, 13 unchanged$' "$W/sync2.err"
  grep '^setkey: sync' "$W/sync2.err"
  check "the foreign policy is gone" test -z "$(ip xfrm policy list | grep 10.99.0.0)"
  "${S[@]}" --diff -f "$W/edited.conf" > /dev/null; rc=$?
  check "--diff after it exits 0 (got $rc)" test "$rc" = 0

  # -o script of fwd policies that are not the copies -r adds (one deleted, one
  # changed, one without an in): -f of it gives the same SPD back.
  "${S[@]}" -FP
  printf 'spdadd 10.11.0.0/24 10.12.0.0/24 any -P in ipsec esp/tunnel/10.0.0.2-10.0.0.1/require;\nspdadd 10.13.0.0/24 10.14.0.0/24 any -P in ipsec esp/tunnel/10.0.0.2-10.0.0.1/require;\n' |
    "${S[@]}" -c
  ip xfrm policy delete src 10.11.0.0/24 dst 10.12.0.0/24 dir fwd
  ip xfrm policy update src 10.13.0.0/24 dst 10.14.0.0/24 dir fwd action block priority 5
  ip xfrm policy add src 10.19.0.0/24 dst 10.19.1.0/24 dir fwd action allow
  "${S[@]}" -DP | mask > "$W/f1"
  "${S[@]}" -DP -o script > "$W/fwds.conf"
  "${S[@]}" -FP
  "${S[@]}" -f "$W/fwds.conf"; rc=$?
  check "-f of a script with changed fwd policies exits 0 (got $rc)" test "$rc" = 0
  "${S[@]}" -DP | mask > "$W/f2"
  check "... and -DP is the same as before" cmp -s "$W/f1" "$W/f2"
  diff "$W/f1" "$W/f2" | head -20

  # esp-old and ah-old SAs are the plain ones Linux makes of them (no kernel keeps
  # SADB_X_EXT_OLD): a second --sync leaves them alone.
  printf 'flush;\nadd 10.0.0.1 10.0.0.2 esp-old 0x7001 -E aes-cbc %s;\nadd 10.0.0.1 10.0.0.2 ah-old 0x7002 -A hmac-sha1 %s;\n' \
    "$K16" "$K20" > "$W/old.conf"
  "${S[@]}" -f "$W/old.conf"; rc=$?
  check "-f of esp-old and ah-old SAs exits 0 (got $rc)" test "$rc" = 0
  "${S[@]}" -v --sync -f "$W/old.conf" > /dev/null 2> "$W/sync3.err"; rc=$?
  check "their --sync reports 0 changes (got $rc)" \
    grep -q '^setkey: sync: 0 added, 0 replaced, 0 deleted, 2 unchanged$' "$W/sync3.err"
  grep '^setkey: sync' "$W/sync3.err"
  "${S[@]}" --diff -f "$W/old.conf" > /dev/null; rc=$?
  check "their --diff exits 0 (got $rc)" test "$rc" = 0
  "${S[@]}" -F; "${S[@]}" -FP
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
