#!/bin/bash
# Runs INSIDE the VM, from its suite folder (tests/kernel/run.sh boots it):
#   guest.sh BACKEND...
# --sync on a live tunnel. Two gateways in two network namespaces, a (10.0.0.1) and b
# (10.0.0.2), joined by a veth pair; their inner addresses 10.1.0.1 and 10.2.0.1 talk
# through an ESP tunnel that setkey loads on both sides. Per backend, while a pings b
# at 10 packets/s (100 packets; the tunnel SAs have a replay window of 32):
#  - `setkey --sync -f` in a, with a file that changes the key of one unrelated SA and
#    adds one policy: exits 0, reports "1 added, 1 replaced", loses no ping, and the
#    tunnel's two SAs keep their creation times while their byte counters go on growing;
#  - a second --sync of the same file reports 0 changes;
#  - the same edit as a plain flush-and-reload (`setkey -f`) under the same ping: the
#    packets it loses are printed as a FIGURE line (a measurement, not a pass/fail).
set -uo pipefail   # no -e: failing commands are results to check
# shellcheck source=tests/lib/check.sh
. "$SETKEY_TEST_LIB"
here=$(pwd)
[ -f skip ] && { cat skip; exit 0; }
K16=0x00112233445566778899aabbccddeeff
K20=0x00112233445566778899aabbccddeeff00112233
K20B=0xffeeddccbbaa99887766554433221100ffeeddcc
W=/tmp/sync-tunnel
umask 077 # the scripts hold keys
mkdir -p "$W"
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

setup_net() {
  ip netns add a && ip netns add b || return 1
  ip link add dev va netns a type veth peer name vb netns b || return 1
  local ns me peer inner remote
  for ns in a b; do
    if [ $ns = a ]; then me=10.0.0.1 peer=10.0.0.2 inner=10.1.0.1 remote=10.2.0.1
    else me=10.0.0.2 peer=10.0.0.1 inner=10.2.0.1 remote=10.1.0.1; fi
    in_ns $ns ip link set lo up
    in_ns $ns ip addr add $me/24 dev v$ns
    in_ns $ns ip link set v$ns up
    in_ns $ns ip addr add $inner/32 dev lo
    in_ns $ns ip route add $remote/32 via $peer src $inner || return 1
  done
}

# tunnel_conf SIDE UNRELATED_AUTH_KEY EXTRA_LINE: the script for gateway SIDE (a or b).
tunnel_conf() {
  local side=$1 key=$2 extra=${3:-}
  local out=out in=in
  [ "$side" = b ] && { out=in; in=out; }
  echo "flush;"
  echo "spdflush;"
  echo "add 10.0.0.1 10.0.0.2 esp 0x1001 -m tunnel -r 32 -E aes-cbc $K16 -A hmac-sha1 $K20;"
  echo "add 10.0.0.2 10.0.0.1 esp 0x1002 -m tunnel -r 32 -E aes-cbc $K16 -A hmac-sha1 $K20;"
  echo "add 10.0.0.1 10.0.0.9 esp 0x2001 -m tunnel -E aes-cbc $K16 -A hmac-sha1 $key;"
  echo "spdadd 10.1.0.1 10.2.0.1 any -P $out ipsec esp/tunnel/10.0.0.1-10.0.0.2/require;"
  echo "spdadd 10.2.0.1 10.1.0.1 any -P $in ipsec esp/tunnel/10.0.0.2-10.0.0.1/require;"
  [ -n "$extra" ] && echo "$extra"
}

# sa_field SPI_HEX FIELD < classic -D: the `created:` date or the `current: N(bytes)` count.
sa_field() {
  awk -v spi="(0x$1)" -v field="$2" '
    /^[^\t]/ { mine = 0 }
    index($0, spi) { mine = 1 }
    mine && field == "created" && /^\tcreated:/ { sub(/^\tcreated: /, ""); sub(/\t.*/, ""); print }
    mine && field == "bytes" && /^\tcurrent: [0-9]+\(bytes\)/ { sub(/^\tcurrent: /, ""); sub(/\(bytes\).*/, ""); print }'
}

# received LOG: the number of echo replies ping reported.
received() { sed -n 's/.* \([0-9]*\) received.*/\1/p' "$1"; }

for B in "$@"; do
  CHECK_LABEL=$B
  S=(./setkey --backend "$B")
  ip netns del a 2>/dev/null; ip netns del b 2>/dev/null
  if ! setup_net; then ko "network namespaces and veth"; continue; fi
  tunnel_conf a "$K20" > "$W/a.conf"; tunnel_conf b "$K20" > "$W/b.conf"
  in_ns a "${S[@]}" -f "$W/a.conf" && in_ns b "${S[@]}" -f "$W/b.conf"
  check "both gateways load their tunnel" test $? = 0
  in_ns a "$here/ping" -c 3 -W 2 -I 10.1.0.1 10.2.0.1 > "$W/ping0" 2>&1
  check_eq "a ping through the tunnel before anything: replies" "$(received "$W/ping0")" 3

  in_ns a "${S[@]}" -D > "$W/d0"
  created_out=$(sa_field 00001001 created < "$W/d0") created_in=$(sa_field 00001002 created < "$W/d0")
  bytes_out=$(sa_field 00001001 bytes < "$W/d0")

  tunnel_conf a "$K20B" "spdadd 10.5.0.0/16 10.6.0.0/16 any -P out discard;" > "$W/a2.conf"
  in_ns a "$here/ping" -c 100 -i 0.1 -W 1 -I 10.1.0.1 10.2.0.1 > "$W/ping1" 2>&1 &
  pinger=$!
  sleep 3
  in_ns a "${S[@]}" --sync -v -f "$W/a2.conf" > "$W/sync1" 2>&1; rc=$?
  check_eq "--sync during the ping: exit" "$rc" 0
  check_eq "--sync's summary" "$(grep '^setkey: sync:' "$W/sync1")" \
    "setkey: sync: 1 added, 1 replaced, 0 deleted, 5 unchanged"
  wait "$pinger"
  check_eq "--sync during 100 pings at 10/s: replies" "$(received "$W/ping1")" 100

  in_ns a "${S[@]}" -D > "$W/d1"
  check_eq "the outbound tunnel SA keeps its creation time" "$(sa_field 00001001 created < "$W/d1")" "$created_out"
  check_eq "the inbound tunnel SA keeps its creation time" "$(sa_field 00001002 created < "$W/d1")" "$created_in"
  now_bytes=$(sa_field 00001001 bytes < "$W/d1")
  check "the outbound SA's byte count went on from $bytes_out (now $now_bytes)" \
    test "${now_bytes:-0}" -gt "${bytes_out:-0}"
  check "the unrelated SA has its new key" grep -q "ffeeddcc bbaa9988" "$W/d1"
  in_ns a "${S[@]}" -DP > "$W/p1"
  check "the new policy is there" grep -q '^10.5.0.0/16' "$W/p1"

  in_ns a "${S[@]}" --sync -v -f "$W/a2.conf" > "$W/sync2" 2>&1; rc=$?
  check_eq "a second --sync of the same file: exit" "$rc" 0
  check_eq "a second --sync of the same file: summary" "$(grep '^setkey: sync:' "$W/sync2")" \
    "setkey: sync: 0 added, 0 replaced, 0 deleted, 7 unchanged"

  # The same edit the old way: flush and reload, back to the first file, under the ping.
  in_ns a "$here/ping" -c 100 -i 0.1 -W 1 -I 10.1.0.1 10.2.0.1 > "$W/ping2" 2>&1 &
  pinger=$!
  sleep 3
  in_ns a "${S[@]}" -f "$W/a.conf"; rc=$?
  check_eq "plain -f (flush and reload) during the ping: exit" "$rc" 0
  wait "$pinger"
  got=$(received "$W/ping2")
  echo "FIGURE $B: --sync lost $((100 - $(received "$W/ping1"))) of 100 pings; flush-and-reload -f lost $((100 - ${got:-0})) of 100"
  in_ns a "${S[@]}" -D > "$W/d2"
  if [ "$(sa_field 00001001 created < "$W/d2")" != "$created_out" ] || [ "$(sa_field 00001001 bytes < "$W/d2")" -lt "${now_bytes:-0}" ]; then
    echo "FIGURE $B: flush-and-reload re-created the tunnel SAs (counters from 0, new creation time)"
  fi
  ip netns del a; ip netns del b
done
summary
