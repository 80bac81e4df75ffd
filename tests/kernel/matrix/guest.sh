#!/bin/bash
# Runs INSIDE the VM (tests/kernel/guest.sh runs it from its folder):  guest.sh BACKEND...
# The command matrix against the real kernel, once per backend: every script command on
# ESP, AH, IPComp, IPv4/IPv6, transport/tunnel, NAT-T, lifetimes, reqids, priorities, the
# dump commands and the exit-status contract. Each check compares exact output (a whole
# SA/SP block of the classic dump, masked, or one exact line) or an exit status, and
# prints "PASS BACKEND: what" or "FAIL BACKEND: what" with the difference.
# Ends with "N passed, M failed".
set -uo pipefail   # no -e: a failing setkey call is a result to check
# Scripts written here hold keys: keep them private, as setkey warns otherwise.
umask 077
W=/tmp/matrix
mkdir -p "$W"
. "${SETKEY_TEST_LIB:?run by tests/kernel/guest.sh}"   # tests/lib/check.sh

# block FILE LINE: the dump entry (first line + its TAB-indented lines) holding LINE
block() {
  awk -v want="$2" '
    /^[^\t]/ { if (hit) exit; n = 0 }
    { b[n++] = $0; if ($0 == want) hit = 1 }
    END { if (hit) for (i = 0; i < n; i++) print b[i] }' "$1"
}
# run NAME [ARGS...] < SCRIPT: writes $W/NAME.conf from stdin and runs setkey -f on it;
# leaves stdout in $W/out, stderr in $W/err, status in $rc
run() {
  local n=$1; shift
  f=$W/$n.conf
  cat >"$f"
  timeout 30 ./setkey --backend "$B" "$@" -f "$f" >"$W/out" 2>"$W/err"; rc=$?
}
sk() { timeout 30 ./setkey --backend "$B" "$@" >"$W/out" 2>"$W/err"; rc=$?; }
want_rc() {  # want_rc WHAT N
  if [[ $rc == "$2" ]]; then ok "$1: exit $2"
  else ko "$1: exit $rc, want $2"; sed 's/^/    err: /' "$W/err" | head -5; fi
}
want_line() {  # want_line WHAT FILE LINE: FILE has exactly this line
  if grep -qxF -- "$3" "$2"; then ok "$1"
  else ko "$1: no line '$3' in ${2##*/}"; sed 's/^/    /' "$2" | head -8; fi
}
no_line() {  # no_line WHAT FILE FIXED: no line of FILE contains FIXED
  if grep -qF -- "$3" "$2"; then ko "$1: '$3' still in ${2##*/}"; else ok "$1"; fi
}
want_err() {  # want_err WHAT ERE: stderr is exactly one line matching ERE
  if [[ $(wc -l <"$W/err") == 1 ]] && grep -qxE -- "$2" "$W/err"; then ok "$1"
  else ko "$1: stderr is not /$2/"; sed 's/^/    err: /' "$W/err" | head -5; fi
}
want_block() {  # want_block WHAT DUMPFILE: the masked entry holding stdin's 2nd line
  local exp got key
  exp=$(cat)
  key=$(sed -n 2p <<<"$exp")
  got=$(block "$2" "$key" | mask positions)
  if [[ $got == "$exp" ]]; then ok "$1"
  else ko "$1"; diff <(echo "$exp") <(echo "$got") | sed 's/^/    /' | head -20; fi
}
dumps() { sk -D; cp "$W/out" "$W/D"; sk -DP; cp "$W/out" "$W/DP"; }
# The machine formats of the real tables, for matrix/verify.sh to validate against docs/schema
# on the host (the guest has no python): each JSON line as "SCHEMA FILE BACKEND LINE".
schema_lines() {  # schema_lines SCHEMA-FILE SETKEY-ARGS...
  local s=$1; shift
  timeout 30 ./setkey --backend "$B" "$@" 2>/dev/null | sed "s|^|SCHEMA $s $B |"
}
clean() { ./setkey --backend "$B" -F >/dev/null 2>&1; ./setkey --backend "$B" -FP >/dev/null 2>&1; }

K1=0x00112233445566778899aabbccddeeff          # aes-cbc 128
K1H='00112233 44556677 8899aabb ccddeeff'
A1=0x0123456789abcdef0123456789abcdef01234567  # hmac-sha1 160
A1H='01234567 89abcdef 01234567 89abcdef 01234567'
T=$'\t'

for B in "$@"; do
  CHECK_LABEL=$B
  echo "=== backend $B"
  clean
  # -x -o jsonl watches the whole run; its events are validated on the host.
  timeout 300 ./setkey --backend "$B" -x -o jsonl >"$W/events" 2>/dev/null & monitor=$!
  sleep 1
  sk -F; want_rc "-F on an empty SAD" 0
  sk -FP; want_rc "-FP on an empty SPD" 0
  sk -D; want_line "-D of an empty SAD" "$W/out" "No SAD entries."
  sk -DP; want_line "-DP of an empty SPD" "$W/out" "No SPD entries."

  # --- SAs: every protocol, family and mode; reqids, lifetimes, NAT-T ports.
  run sa <<EOF
add 10.1.0.1 10.1.0.2 esp 0x1001 -m transport -u 7 -lh 600 -ls 300 -bh 200000 -bs 100000
    -E aes-cbc $K1 -A hmac-sha1 $A1;
add fd00::1 fd00::2 esp 0x1002 -m tunnel -u 8 -E aes-cbc $K1 -A hmac-sha1 $A1;
add 10.1.0.1 10.1.0.2 ah 0x1003 -m tunnel -A hmac-sha1 $A1;
add fd00::1 fd00::2 ah 0x1004 -m transport -A hmac-md5 0x00112233445566778899aabbccddeeff;
add 10.1.0.1 10.1.0.2 ipcomp 0x1005 -m tunnel -C deflate;
add fd00::1 fd00::2 ipcomp 0x1006 -C deflate;
add 10.2.0.1[4500] 10.2.0.2[4501] esp-udp 0x1007 -m tunnel -E aes-cbc $K1 -A hmac-sha1 $A1;
EOF
  want_rc "add: 7 SAs (esp/ah/ipcomp, v4/v6, transport/tunnel, esp-udp)" 0
  dumps
  schema_lines dump.schema.json -D -o json
  schema_lines dump.schema.json -D -o json --show-keys
  schema_lines record.schema.json -D -o jsonl
  want_block "-D: esp v4 transport, reqid 7, -lh/-ls/-bh/-bs" "$W/D" <<EOF
10.1.0.1 10.1.0.2 
${T}esp mode=transport spi=4097(0x00001001) reqid=7(0x00000007)
${T}E: aes-cbc  $K1H
${T}A: hmac-sha1  $A1H
${T}seq=0x00000000 replay=0 flags=0x00000000 state=mature 
${T}created: <time>${T}current: <time>
${T}diff: <n>(s)${T}hard: 600(s)${T}soft: 300(s)
${T}last:                     ${T}hard: 0(s)${T}soft: 0(s)
${T}current: 0(bytes)${T}hard: 200000(bytes)${T}soft: 100000(bytes)
${T}allocated: 0${T}hard: 0${T}soft: 0
${T}sadb_seq=<n> pid=<n> refcnt=0
EOF
  want_block "-D: esp v6 tunnel, reqid 8" "$W/D" <<EOF
fd00::1 fd00::2 
${T}esp mode=tunnel spi=4098(0x00001002) reqid=8(0x00000008)
${T}E: aes-cbc  $K1H
${T}A: hmac-sha1  $A1H
${T}seq=0x00000000 replay=0 flags=0x00000000 state=mature 
${T}created: <time>${T}current: <time>
${T}diff: <n>(s)${T}hard: 0(s)${T}soft: 0(s)
${T}last:                     ${T}hard: 0(s)${T}soft: 0(s)
${T}current: 0(bytes)${T}hard: 0(bytes)${T}soft: 0(bytes)
${T}allocated: 0${T}hard: 0${T}soft: 0
${T}sadb_seq=<n> pid=<n> refcnt=0
EOF
  want_block "-D: ah v4 tunnel" "$W/D" <<EOF
10.1.0.1 10.1.0.2 
${T}ah mode=tunnel spi=4099(0x00001003) reqid=0(0x00000000)
${T}A: hmac-sha1  $A1H
${T}seq=0x00000000 replay=0 flags=0x00000000 state=mature 
${T}created: <time>${T}current: <time>
${T}diff: <n>(s)${T}hard: 0(s)${T}soft: 0(s)
${T}last:                     ${T}hard: 0(s)${T}soft: 0(s)
${T}current: 0(bytes)${T}hard: 0(bytes)${T}soft: 0(bytes)
${T}allocated: 0${T}hard: 0${T}soft: 0
${T}sadb_seq=<n> pid=<n> refcnt=0
EOF
  want_block "-D: ah v6 transport (hmac-md5)" "$W/D" <<EOF
fd00::1 fd00::2 
${T}ah mode=transport spi=4100(0x00001004) reqid=0(0x00000000)
${T}A: hmac-md5  $K1H
${T}seq=0x00000000 replay=0 flags=0x00000000 state=mature 
${T}created: <time>${T}current: <time>
${T}diff: <n>(s)${T}hard: 0(s)${T}soft: 0(s)
${T}last:                     ${T}hard: 0(s)${T}soft: 0(s)
${T}current: 0(bytes)${T}hard: 0(bytes)${T}soft: 0(bytes)
${T}allocated: 0${T}hard: 0${T}soft: 0
${T}sadb_seq=<n> pid=<n> refcnt=0
EOF
  for spec in "10.1.0.1 10.1.0.2:tunnel:4101:00001005" "fd00::1 fd00::2:transport:4102:00001006"; do
    IFS=: read -r ad mode dec hex <<<"${spec/fd00::1 fd00::2/FD}"
    [[ $ad == FD ]] && ad="fd00::1 fd00::2"
    want_block "-D: ipcomp $mode ($ad)" "$W/D" <<EOF
$ad 
${T}ipcomp mode=$mode spi=$dec(0x$hex) reqid=0(0x00000000)
${T}C: deflate ${T}seq=0x00000000 replay=0 flags=0x00000000 state=mature 
${T}created: <time>${T}current: <time>
${T}diff: <n>(s)${T}hard: 0(s)${T}soft: 0(s)
${T}last:                     ${T}hard: 0(s)${T}soft: 0(s)
${T}current: 0(bytes)${T}hard: 0(bytes)${T}soft: 0(bytes)
${T}allocated: 0${T}hard: 0${T}soft: 0
${T}sadb_seq=<n> pid=<n> refcnt=0
EOF
  done
  want_block "-D: esp-udp NAT-T with ports 4500/4501" "$W/D" <<EOF
10.2.0.1[4500] 10.2.0.2[4501] 
${T}esp-udp mode=tunnel spi=4103(0x00001007) reqid=0(0x00000000)
${T}E: aes-cbc  $K1H
${T}A: hmac-sha1  $A1H
${T}seq=0x00000000 replay=0 flags=0x00000000 state=mature 
${T}created: <time>${T}current: <time>
${T}diff: <n>(s)${T}hard: 0(s)${T}soft: 0(s)
${T}last:                     ${T}hard: 0(s)${T}soft: 0(s)
${T}current: 0(bytes)${T}hard: 0(bytes)${T}soft: 0(bytes)
${T}allocated: 0${T}hard: 0${T}soft: 0
${T}sadb_seq=<n> pid=<n> refcnt=0
EOF
  n=$(grep -c $'^\t.* spi=' "$W/D"); [[ $n == 7 ]] && ok "-D lists 7 SAs" || ko "-D lists $n SAs, want 7"

  # get / delete / dump inside a script; missing SAs.
  run get <<<"get fd00::1 fd00::2 esp 0x1002;"
  want_rc "get of an existing SA" 0
  want_line "get prints the SA" "$W/out" "${T}esp mode=tunnel spi=4098(0x00001002) reqid=8(0x00000008)"
  run getmiss <<<"get 10.1.0.1 10.1.0.2 esp 0x9999;"
  want_rc "get of a missing SA" 2
  want_err "get of a missing SA: FILE:LINE and reason" "setkey: $f:1: get failed: no such SA( \(.*\))?"
  run del <<<"delete 10.1.0.1 10.1.0.2 ah 0x1003;"
  want_rc "delete of an existing SA" 0
  sk -D; no_line "delete removed ah 0x1003" "$W/out" "spi=4099(0x00001003)"
  run delmiss <<<"delete 10.1.0.1 10.1.0.2 ah 0x1003;"
  want_rc "delete of a missing SA" 2
  want_err "delete of a missing SA: FILE:LINE and reason" "setkey: $f:1: delete failed: no such SA( \(.*\))?"
  run dump <<<"dump ipcomp;"
  want_rc "dump ipcomp inside a script" 0
  n=$(grep -c 'ipcomp mode=' "$W/out"); [[ $n == 2 ]] && ok "dump ipcomp lists 2 SAs" || ko "dump ipcomp lists $n SAs, want 2"

  # deleteall with several matching SAs; others stay.
  run da <<EOF
add 10.3.0.1 10.3.0.2 esp 0x3001 -E aes-cbc $K1;
add 10.3.0.1 10.3.0.2 esp 0x3002 -E aes-cbc $K1;
add 10.3.0.1 10.3.0.2 esp 0x3003 -E aes-cbc $K1;
add 10.3.0.2 10.3.0.1 esp 0x3004 -E aes-cbc $K1;
deleteall 10.3.0.1 10.3.0.2 esp;
EOF
  want_rc "deleteall of 3 matching SAs" 0
  sk -D
  n=$(grep -cE 'spi=[0-9]+\(0x0000300[123]\)' "$W/out")
  [[ $n == 0 ]] && ok "deleteall removed all 3" || ko "deleteall left $n of 3"
  want_line "deleteall kept the reverse SA" "$W/out" "${T}esp mode=transport spi=12292(0x00003004) reqid=0(0x00000000)"

  # Duplicate add; one refusal in the middle of a script.
  run dup <<<"add 10.1.0.1 10.1.0.2 esp 0x1001 -E aes-cbc $K1;"
  want_rc "duplicate add" 2
  want_err "duplicate add: FILE:LINE and reason" "setkey: $f:1: add failed: SA already exists( \(.*\))?"
  run mid <<EOF
add 10.4.0.1 10.4.0.2 esp 0x4001 -E aes-cbc $K1;
add 10.1.0.1 10.1.0.2 esp 0x1001 -E aes-cbc $K1;
add 10.4.0.1 10.4.0.2 esp 0x4003 -E aes-cbc $K1;
EOF
  want_rc "script with a refusal on line 2" 2
  want_err "... names FILE:2" "setkey: $f:2: add failed: SA already exists( \(.*\))?"
  sk -D
  want_line "... line 1 applied" "$W/out" "${T}esp mode=transport spi=16385(0x00004001) reqid=0(0x00000000)"
  want_line "... line 3 applied" "$W/out" "${T}esp mode=transport spi=16387(0x00004003) reqid=0(0x00000000)"

  # Replay window above 32: XFRM keeps it (ESN replay state); PF_KEY's kernel clamps to 32.
  run replay <<<"add 10.5.0.1 10.5.0.2 esp 0x5001 -r 64 -E aes-cbc $K1;"
  want_rc "add with -r 64" 0
  sk -D
  r=64; [[ $B == pfkey ]] && r=32
  want_line "-r 64 reads back as $r" "$W/out" "${T}seq=0x00000000 replay=$r flags=0x00000000 state=mature "

  # AEAD: XFRM installs and dumps them; PF_KEY cannot, and the script is refused while it
  # is checked (exit 1, nothing sent), at the first one, naming the backend to use.
  run aead <<EOF
add 10.6.0.1 10.6.0.2 esp 0x6001 -E aes-gcm-16 0x00112233445566778899aabbccddeeff01020304;
add 10.6.0.1 10.6.0.2 esp 0x6002 -E aes-gcm-16 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff01020304;
add 10.6.0.1 10.6.0.2 esp 0x6003 -E chacha20-poly1305 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff01020304;
EOF
  if [[ $B == xfrm ]]; then
    want_rc "aes-gcm-16 160/288-bit and chacha20-poly1305 SAs" 0
    sk -D
    want_line "-D: aes-gcm-16 160-bit key" "$W/out" "${T}E: aes-gcm-16  00112233 44556677 8899aabb ccddeeff 01020304"
    want_line "-D: aes-gcm-16 288-bit key" "$W/out" "${T}E: aes-gcm-16  00112233 44556677 8899aabb ccddeeff 00112233 44556677 8899aabb ccddeeff"
    want_line "-D: chacha20-poly1305" "$W/out" "${T}E: chacha20-poly1305  00112233 44556677 8899aabb ccddeeff 00112233 44556677 8899aabb ccddeeff"
  else
    if [[ $rc == 1 ]] && grep -q '^setkey: .*aead.conf:1:37: aes-gcm-16 needs the XFRM backend: .*PF_KEY.*--backend xfrm$' "$W/err"; then
      ok "AEAD SAs refused before anything is sent (exit $rc), at the first, naming PF_KEY and --backend xfrm"
      sed 's/^/    /' "$W/err" | head -1
    else ko "AEAD SAs over pfkey: exit $rc"; sed 's/^/    err: /' "$W/err" | head -5; fi
    sk -D; no_line "no AEAD SA installed" "$W/out" "spi=2457"
  fi

  # --- Policies: spdadd (v4 tunnel with priority and unique:N, in → in+fwd, v6 transport),
  # spdupdate, spddelete, spdflush, spddump.
  run sp <<EOF
spdadd 10.10.0.0/16[any] 10.20.0.0/16[any] any -P out prio def + 10 ipsec
    esp/tunnel/10.1.0.1-10.1.0.2/unique:5;
spdadd 10.20.0.0/16[any] 10.10.0.0/16[any] any -P in prio low - 3 ipsec
    esp/tunnel/10.1.0.2-10.1.0.1/require;
spdadd fd00::1[any] fd00::2[443] tcp -P out ipsec ah/transport//require esp/transport//use;
spdadd fd00::1 fd00::2 ipv6-icmp 135,0 -P out none;
EOF
  want_rc "spdadd: 4 policies" 0
  dumps
  schema_lines dump.schema.json -DP -o json
  schema_lines record.schema.json -DP -o jsonl
  want_block "-DP: v4 out tunnel, prio def + 10, unique:5" "$W/DP" <<EOF
10.10.0.0/16[any] 10.20.0.0/16[any] 255
${T}out prio def + 10 ipsec
${T}esp/tunnel/10.1.0.1-10.1.0.2/unique:5
${T}created: <time>  lastused:                     
${T}lifetime: 0(s) validtime: 0(s)
${T}spid=<n> seq=<n> pid=<n>
${T}refcnt=<n>
EOF
  for d in in fwd; do
    want_block "-DP: v4 $d tunnel, prio low - 3" "$W/DP" <<EOF
10.20.0.0/16[any] 10.10.0.0/16[any] 255
${T}$d prio low - 3 ipsec
${T}esp/tunnel/10.1.0.2-10.1.0.1/require
${T}created: <time>  lastused:                     
${T}lifetime: 0(s) validtime: 0(s)
${T}spid=<n> seq=<n> pid=<n>
${T}refcnt=<n>
EOF
  done
  want_block "-DP: v6 tcp port, two transport requests" "$W/DP" <<EOF
fd00::1[any] fd00::2[443] tcp
${T}out prio def ipsec
${T}ah/transport//require
${T}esp/transport//use
${T}created: <time>  lastused:                     
${T}lifetime: 0(s) validtime: 0(s)
${T}spid=<n> seq=<n> pid=<n>
${T}refcnt=<n>
EOF
  want_line "-DP: icmp6 type,code selector" "$W/DP" "fd00::1 fd00::2 ipv6-icmp 135,0"
  run spdup <<EOF
spdupdate 10.10.0.0/16[any] 10.20.0.0/16[any] any -P out prio high ipsec
    esp/tunnel/10.1.0.1-10.1.0.2/require;
EOF
  want_rc "spdupdate" 0
  sk -DP
  want_block "-DP after spdupdate: prio high, require" "$W/out" <<EOF
10.10.0.0/16[any] 10.20.0.0/16[any] 255
${T}out prio high ipsec
${T}esp/tunnel/10.1.0.1-10.1.0.2/require
${T}created: <time>  lastused:                     
${T}lifetime: 0(s) validtime: 0(s)
${T}spid=<n> seq=<n> pid=<n>
${T}refcnt=<n>
EOF
  run spdup2 <<<"spdadd fd00::1 fd00::2 ipv6-icmp 135,0 -P out none;"
  want_rc "duplicate spdadd" 2
  want_err "duplicate spdadd: FILE:LINE and reason" "setkey: $f:1: spdadd failed: policy already exists( \(.*\))?"
  run spdd <<<"spddelete fd00::1[any] fd00::2[443] tcp -P out;"
  want_rc "spddelete" 0
  sk -DP; no_line "spddelete removed the tcp policy" "$W/out" "fd00::2[443] tcp"
  run spdd2 <<<"spddelete fd00::1[any] fd00::2[443] tcp -P out;"
  want_rc "spddelete of a missing policy" 2
  want_err "spddelete of a missing policy: FILE:LINE and reason" \
    "setkey: $f:1: spddelete failed: no such policy( \(.*\))?"
  run spdump <<<"spddump;"
  want_rc "spddump inside a script" 0
  n=$(grep -cE $'^\t(in|out|fwd) ' "$W/out"); [[ $n == 4 ]] && ok "spddump lists 4 policies" || ko "spddump lists $n policies, want 4"
  run spdf <<<"spdflush;"
  want_rc "spdflush" 0
  sk -DP; want_line "-DP after spdflush" "$W/out" "No SPD entries."
  run fl <<<"flush esp;"
  want_rc "flush esp" 0
  sk -D
  n=$(grep -c $'^\tesp' "$W/out"); [[ $n == 0 ]] && ok "flush esp removed every ESP SA" || ko "flush esp left $n"
  n=$(grep -c $'^\tah\|^\tipcomp' "$W/out"); [[ $n == 3 ]] && ok "flush esp kept ah/ipcomp (3)" || ko "flush esp: $n ah/ipcomp left, want 3"
  sk -F; want_rc "-F" 0
  sk -D; want_line "-D after -F" "$W/out" "No SAD entries."
  clean
  sleep 1
  kill -INT "$monitor"; wait "$monitor"
  sed "s|^|SCHEMA event.schema.json $B |" "$W/events"
done

# The same record over both backends: counters and lifetime limits of one SA read
# through PF_KEY and through XFRM agree (af_key sends the packet count and the packet
# limits as sadb_lifetime_allocations). The SA comes from ip, since setkey's language
# has no packet limit.
if [[ " $* " == *" pfkey "* && " $* " == *" xfrm "* ]]; then
  B=both CHECK_LABEL=both
  ip xfrm state add src 10.9.0.1 dst 10.9.0.2 proto esp spi 0x9001 mode tunnel \
    enc 'cbc(aes)' 0x00112233445566778899aabbccddeeff auth 'hmac(sha1)' \
    0x00112233445566778899aabbccddeeff00112233 \
    limit packet-hard 1000 limit packet-soft 800 limit byte-hard 100000
  counters() {  # the counter and limit members of the one SA's JSON line
    timeout 30 ./setkey --backend "$1" -D -o jsonl | sed -nE \
      's/.*("bytes":[^,]*,"packets":[^,]*,"allocations":[^,]*).*("hard":\{[^}]*\},"soft":\{[^}]*\}).*/\1 \2/p'
  }
  via_pfkey=$(counters pfkey) via_xfrm=$(counters xfrm)
  if [[ -n $via_xfrm && $via_pfkey == "$via_xfrm" ]]; then ok "-o jsonl counters and limits equal over pfkey and xfrm"
  else ko "-o jsonl counters differ: pfkey '$via_pfkey', xfrm '$via_xfrm'"; fi
  want='"bytes":0,"packets":0,"allocations":0 "hard":{"bytes":100000,"packets":1000,"allocations":1000,'
  want+='"add_seconds":null,"use_seconds":null},"soft":{"bytes":null,"packets":800,"allocations":800,'
  want+='"add_seconds":null,"use_seconds":null}'
  [[ $via_pfkey == "$want" ]] && ok "-o jsonl packets are the kernel's over pfkey" \
    || ko "-o jsonl over pfkey: '$via_pfkey', want '$want'"
  ip xfrm state flush
fi
summary
