#!/bin/bash
# Runs INSIDE the VM, from this suite's folder in the payload (host.sh, or the one-boot
# runner, with payload.sh's files beside it):  guest.sh BACKEND...
# Two network namespaces, a (10.0.0.1) and b (10.0.0.2), joined by a veth pair, each
# with its own charon. Tunnel "gcm": policy-based, 10.1.0.0/24 <-> 10.2.0.0/24, AES-GCM
# with ESN. Tunnel "route": 10.3.0.0/24 <-> 10.4.0.0/24 over xfrm interfaces (if_id 7),
# marks 0x5/0xff. Per backend, from namespace a: pings through both tunnels, dumps
# (ip and setkey, framed by "=== BEGIN/END name" for the host's field comparison),
# a forced rekey seen by `setkey -x -o jsonl`, and a failing --atomic load.
set -uo pipefail   # no -e: failing commands are results to check
here=$PWD
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $B: $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $B: $1"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else ko "$what"; fi; }
block() { echo "=== BEGIN $1"; cat; echo "=== END $1"; }   # one dump for compare.py

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
A() { in_ns a "$@"; }
vici() { echo "unix:///tmp/swan/$1/charon.vici"; }
swanctl_in() { local ns=$1; shift; STRONGSWAN_CONF=$here/strongswan-$ns.conf in_ns "$ns" swanctl "$@" --uri "$(vici "$ns")"; }
K16=0x00112233445566778899aabbccddeeff
K20=0x00112233445566778899aabbccddeeff00112233
W=/tmp/swan
mkdir -p "$W"

# strongSwan's files go to their packaged paths (charon finds plugins by absolute path).
cp -a "$here/sysroot/." /
mkdir -p /var/run

B=lab
net_up() {
  ip netns add a && ip netns add b || return 1
  ip link add dev va netns a type veth peer name vb netns b || return 1
  local ns me peer inner1 inner2 remote1 remote2
  for ns in a b; do
    if [[ $ns == a ]]; then me=10.0.0.1 peer=10.0.0.2 inner1=10.1.0.1 inner2=10.3.0.1 remote1=10.2.0.0/24 remote2=10.4.0.0/24
    else me=10.0.0.2 peer=10.0.0.1 inner1=10.2.0.1 inner2=10.4.0.1 remote1=10.1.0.0/24 remote2=10.3.0.0/24; fi
    in_ns $ns ip link set lo up
    in_ns $ns ip addr add $me/24 dev v$ns
    in_ns $ns ip link set v$ns up
    in_ns $ns ip addr add $inner1/32 dev lo
    in_ns $ns ip addr add $inner2/32 dev lo
    in_ns $ns ip route add $remote1 via $peer src $inner1 || return 1
    in_ns $ns ip link add xfrm7 type xfrm dev v$ns if_id 7 || return 1
    in_ns $ns ip link set xfrm7 up
    in_ns $ns ip route add $remote2 dev xfrm7 src $inner2 || return 1
  done
  # b answers a marked echo request with the same mark (its inbound SA set it).
  in_ns b sh -c 'echo 1 > /proc/sys/net/ipv4/fwmark_reflect'
}

charon_pids=()
charon_start() {  # charon_start NS: own /var/run (its pid file path is fixed) and config
  local ns=$1
  mkdir -p "/tmp/swan/$ns"
  rm -f "/tmp/swan/$ns/charon.vici"
  # exec all the way down: $! is charon itself, so charon_stop's signal reaches it.
  (exec ip netns exec "$ns" sh -c "mount -t tmpfs run /var/run && STRONGSWAN_CONF=$here/strongswan-$ns.conf exec /usr/lib/ipsec/charon") \
    >>"/tmp/swan/$ns/charon.out" 2>&1 &
  charon_pids+=($!)
  for _ in $(seq 120); do [[ -S /tmp/swan/$ns/charon.vici ]] && break; sleep 0.5; done
  [[ -S /tmp/swan/$ns/charon.vici ]] &&
    SWANCTL_DIR=/tmp/swan/$ns swanctl_in "$ns" --load-all --noprompt --file "$here/swanctl-$ns.conf" >>"$W/swanctl.log" 2>&1
}
# stop PID SIGNAL: send it, wait at most 20 s, then SIGKILL; the exit status goes to
# $stopped (not printed: wait only works in the shell that started the process).
stop() {
  local pid=$1 sig=$2
  kill -"$sig" "$pid" 2>/dev/null
  for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && { echo "guest: pid $pid ignored SIG$sig, killed" >&2; kill -KILL "$pid"; }
  wait "$pid" 2>/dev/null; stopped=$?
}
charon_stop() {
  local p
  for p in "${charon_pids[@]}"; do stop "$p" TERM; done
  charon_pids=()
}
# Fresh daemons and empty tables, then both tunnels initiated from a.
tunnels_up() {
  charon_stop
  local ns
  for ns in a b; do in_ns $ns ip xfrm state flush; in_ns $ns ip xfrm policy flush; done
  charon_start a && charon_start b || return 1
  swanctl_in a --initiate --child gcm --timeout 180 >>"$W/swanctl.log" 2>&1 &&
    swanctl_in a --initiate --child route --timeout 180 >>"$W/swanctl.log" 2>&1
}
# Sum of the packet counters of every SA in namespace a.
esp_packets() {
  A ip -s xfrm state | sed -n 's/.*(bytes), \([0-9]*\)(packets).*/\1/p' | awk '{ s += $1 } END { print s + 0 }'
}
# ping_through WHAT ARGS...: the ping answers and the SAs of a count its packets (without
# IPsec the gcm ping would also pass in the clear over the veth).
ping_through() {
  local what=$1 before after; shift
  before=$(esp_packets)
  A ./ping -q -c 3 -W 10 "$@" >"$W/ping.out" 2>&1; local rc=$?
  after=$(esp_packets)
  check "ping $what (rc=$rc, SA packets $before -> $after)" test "$rc" = 0 -a "$after" -ge $((before + 6))
  ((rc == 0)) || cat "$W/ping.out"
}
pings() {
  ping_through "through tunnel gcm ($1)" -I 10.1.0.1 10.2.0.1
  ping_through "through tunnel route, xfrm7 mark 5 ($1)" -m 5 -I 10.3.0.1 10.4.0.1
}
# The kernel's ESP SPIs of one tunnel, from ip (gcm: the AEAD ones).
gcm_spis() {
  A ip xfrm state | awk '/^src /{ spi = "" } /proto esp spi/{ spi = $4 } /aead rfc4106/{ print spi }' | sort
}
# Counters, times and replay state change with traffic and re-adds; everything else must not.
mask_ip() {
  sed -E -e 's/(seq|oseq|seq-hi|oseq-hi) 0x[0-9a-f]+/\1 N/g' -e 's/bitmap 0x[0-9a-f]+/bitmap N/' \
    -e '/^\s+[0-9a-f]{8}( [0-9a-f]{8})*\s*$/d' -e 's/(add|use) [0-9-]+ [0-9:]+/\1 T/g' \
    -e 's/[0-9]+\((bytes|packets)\)/N(\1)/g' -e 's/^(\s*)(replay-window [0-9]+ replay|stats:) .*/\1\2 N/'
}
# The dump order is the kernel's hash order, which a re-add may change: compare entries
# (a column-0 line and its indented lines) as a sorted set.
sorted_entries() {
  awk '/^[^ \t]/ && NR > 1 { print e; e = "" } { e = e (e == "" ? "" : "\001") $0 } END { if (e != "") print e }' |
    LC_ALL=C sort | tr '\001' '\n'
}

echo "guest: kernel $(cat /etc/lab-kernel)"
net_up || { ko "network namespaces, veth and xfrm interfaces"; exit 1; }
for B in "$@"; do
  S=(A ./setkey --backend "$B")
  if ! tunnels_up; then
    ko "tunnels up (IKEv2 PSK, children gcm and route)"
    tail -n 40 "$W/swanctl.log" /tmp/swan/a/charon.log
    continue
  fi
  ok "tunnels up (IKEv2 PSK, children gcm and route)"
  pings "after IKE"

  # Dumps for the field comparison (no traffic in between: counters stay put).
  A ip -d -s xfrm state | block "$B ip-state"
  A ip -d -s xfrm policy | block "$B ip-policy"
  "${S[@]}" -D -o json > "$W/sa.json"; rc1=$?
  "${S[@]}" -DP -o json > "$W/sp.json"; rc2=$?
  "${S[@]}" -D > "$W/sa.txt"; rc3=$?
  "${S[@]}" -DP > "$W/sp.txt"; rc4=$?
  check "setkey -D/-DP, -o json and classic exit 0 ($rc1 $rc2 $rc3 $rc4)" test "$rc1$rc2$rc3$rc4" = 0000
  block "$B json-sa" < "$W/sa.json"
  block "$B json-sp" < "$W/sp.json"
  block "$B classic-sa" < "$W/sa.txt"
  block "$B classic-sp" < "$W/sp.txt"

  # A forced rekey of the gcm child, seen by the monitor as adds and deletes.
  (exec ip netns exec a ./setkey --backend "$B" -x -o jsonl) > "$W/mon" 2> "$W/mon.err" & mon=$!
  for _ in $(seq 60); do   # the monitor listens once it reports our probe policy
    A ip xfrm policy add src 192.0.2.1 dst 192.0.2.2 dir out priority 9999
    A ip xfrm policy delete src 192.0.2.1 dst 192.0.2.2 dir out
    grep -q '"spddelete"' "$W/mon" && break
    sleep 0.5
  done
  old=$(gcm_spis | tr '\n' ' ')
  timeout 60 bash -c "STRONGSWAN_CONF=$here/strongswan-a.conf ip netns exec a swanctl --rekey --child gcm --uri $(vici a)" >>"$W/swanctl.log" 2>&1
  for _ in $(seq 120); do   # new SPIs in, old ones gone (delete_rekeyed_delay = 2 s)
    new=$(gcm_spis | tr '\n' ' ')
    [[ -n $new ]] && ! grep -qFxf <(tr ' ' '\n' <<<"$old" | sed '/^$/d') <(tr ' ' '\n' <<<"$new") && break
    sleep 1
  done
  sleep 2
  stop "$mon" INT; mrc=$stopped
  check "rekey: the kernel has two new gcm SAs [$old] -> [$new]" test "$(wc -w <<<"$new")" = 2 -a -n "$old"
  check "monitor ended by SIGINT with 130 (got $mrc), nothing on stderr" test "$mrc" = 130 -a ! -s "$W/mon.err"
  ./jq -r 'select(.type == "event") | "\(.event) \(.sa.spi_hex // "-")"' "$W/mon" > "$W/events"
  for spi in $old; do
    check "monitor: delete event for old SA $spi" grep -qx "delete $spi" "$W/events"
  done
  for spi in $new; do
    check "monitor: add (or update of the allocated SPI) event for new SA $spi" grep -qxE "(add|update) $spi" "$W/events"
  done
  grep -v '^spd' "$W/events" | sed 's/^/  event: /'
  # The event's SA record says what a dump says about the same SA (identity, algorithms).
  pick='def pick: .sa | {proto, src, dst, spi, mode, reqid, enc_alg, aead_alg, auth_alg, enc_key_bits, auth_key_bits, icv_bits, replay_window, flags};'
  "${S[@]}" -D -o json > "$W/after-rekey.json"
  for spi in $new; do
    ./jq -c --arg spi "$spi" "$pick"' select(.type == "event" and (.event == "add" or .event == "update") and .sa.spi_hex == $spi) | pick' "$W/mon" | tail -n 1 > "$W/event.sa"
    ./jq -c --arg spi "$spi" "$pick"' {sa: .sa[]} | select(.sa.spi_hex == $spi) | pick' "$W/after-rekey.json" > "$W/dump.sa"
    if [[ -s $W/event.sa ]] && cmp -s "$W/event.sa" "$W/dump.sa"; then ok "monitor: the event's record of $spi matches setkey -D -o json"
    else ko "monitor: the event's record of $spi matches setkey -D -o json"; echo "  event: $(cat "$W/event.sa")"; echo "  dump:  $(cat "$W/dump.sa")"; fi
  done
  pings "after rekey"

  # A failing --atomic load that starts by emptying both tables restores them exactly.
  A ip -d xfrm state | mask_ip | sorted_entries > "$W/state.before"
  A ip -d xfrm policy | mask_ip | sorted_entries > "$W/policy.before"
  cat > "$W/atomic.conf" <<X
flush;
spdflush;
add 192.0.2.1 192.0.2.2 esp 0x4242 -E aes-cbc $K16 -A hmac-sha1 $K20;
add 192.0.2.1 192.0.2.2 esp 0x4242 -E aes-cbc $K16 -A hmac-sha1 $K20;
X
  "${S[@]}" --atomic -f "$W/atomic.conf" 2> "$W/atomic.err"; rc=$?
  check "--atomic: exit 2 (got $rc)" test "$rc" = 2
  check "--atomic: refusal named at line 4" grep -q "atomic.conf:4: add failed" "$W/atomic.err"
  A ip -d xfrm state | mask_ip | sorted_entries > "$W/state.after"
  A ip -d xfrm policy | mask_ip | sorted_entries > "$W/policy.after"
  if diff -u "$W/state.before" "$W/state.after" > "$W/state.diff"; then ok "--atomic: ip -d xfrm state as before"
  else ko "--atomic: ip -d xfrm state as before"; head -n 60 "$W/state.diff"; fi
  if diff -u "$W/policy.before" "$W/policy.after" > "$W/policy.diff"; then ok "--atomic: ip -d xfrm policy as before"
  else ko "--atomic: ip -d xfrm policy as before"; head -n 60 "$W/policy.diff"; fi
  pings "after the failed --atomic load"
done
charon_stop
ip netns del a; ip netns del b   # the next suite of the boot starts clean
B=all
echo "guest: $pass passed, $fail failed"
((fail == 0))
