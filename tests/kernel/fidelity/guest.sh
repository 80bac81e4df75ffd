#!/bin/bash
# Runs INSIDE the VM (tests/kernel/guest.sh runs it from its folder):  guest.sh BACKEND...
# Issue 9's iproute2-made state (an AEAD+ESN+NAT-T SA with mark, if_id, output mark,
# a 1024-packet window, an SA selector and a packet limit; a second SA with the same
# SPI and another mark; an hmac-sha256 SA with its 128-bit ICV; an espinudp-nonike SA;
# two policies that differ only by mark), then per backend `setkey --atomic -f` of
# `flush; spdflush; add X; add X;` (refused at line 4). `ip -d -s xfrm state` and
# `ip -d -s xfrm policy` must print what they printed before, with creation/use times
# and policy index masked (the kernel assigns them anew); counters are zero here (no
# traffic), so they are compared too, replay sequence numbers included.
# Over --backend pfkey the snapshot and the restore go over XFRM (xfrm_user is loaded).
# Then an SA whose selector is of another family: -D over both backends shows it.
set -uo pipefail   # no -e: failing commands are results to check
. "${SETKEY_TEST_LIB:?run by tests/kernel/guest.sh}"   # tests/lib/check.sh
K16=0x00112233445566778899aabbccddeeff
K20=0x00112233445566778899aabbccddeeff00112233
K32=${K16}${K16#0x}
W=/tmp/fidelity
mkdir -p "$W"
ipmask() { sed -E -e 's/ index [0-9]+ / index <n> /' -e 's/^(\t  add ).*/\1<time>/'; }

base() {
    ip xfrm state flush; ip xfrm policy flush
    ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1000 reqid 1 mode tunnel \
        mark 0x5 mask 0xff if_id 0x7 output-mark 0x9 mask 0xf replay-window 1024 flag esn \
        aead 'rfc4106(gcm(aes))' "$K20" 128 encap espinudp 4500 4500 0.0.0.0 \
        sel src 10.1.0.0/16 dst 10.2.0.0/16 limit packet-soft 1000 ||
        ko "ip: the marked AEAD SA"
    ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1000 reqid 2 mode tunnel \
        mark 0x6 mask 0xff enc 'cbc(aes)' "$K16" auth-trunc 'hmac(sha1)' "$K20" 96 ||
        ko "ip: the second SA with SPI 0x1000"
    ip xfrm state add src 192.0.2.1 dst 192.0.2.3 proto esp spi 0x2000 mode transport \
        enc 'cbc(aes)' "$K16" auth-trunc 'hmac(sha256)' "$K32" 128 ||
        ko "ip: the hmac-sha256 SA"
    # An IKE daemon's espinudp-nonike SA: restored as that (it came back as espinudp).
    ip xfrm state add src 192.0.2.1 dst 192.0.2.4 proto esp spi 0x4000 mode tunnel \
        enc 'cbc(aes)' "$K16" auth-trunc 'hmac(sha1)' "$K20" 96 encap espinudp-nonike 4501 4502 0.0.0.0 ||
        ko "ip: the espinudp-nonike SA"
    local T=(tmpl src 192.0.2.1 dst 192.0.2.2 proto esp mode tunnel)
    ip xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir out mark 0x5 mask 0xff if_id 0x7 "${T[@]}" ||
        ko "ip: policy mark 5"
    ip xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir out mark 0x6 mask 0xff "${T[@]}" ||
        ko "ip: policy mark 6"
}

# seen: what setkey's dumps show of the base over XFRM: every attribute in -o jsonl, ids
# unique, and the entries that differ only by mark print apart in classic text too.
seen() {
    ./setkey --backend xfrm -D -o jsonl > "$W/sa.jsonl"; ./setkey --backend xfrm -DP -o jsonl > "$W/sp.jsonl"
    ./setkey --backend xfrm -D > "$W/sa.txt"; ./setkey --backend xfrm -DP > "$W/sp.txt"
    local f want
    for f in sa sp; do
        check_eq "-o jsonl $f: distinct ids" "$(grep -o '"id":"[^"]*"' "$W/$f.jsonl" | sort -u | wc -l)" \
            "$(wc -l < "$W/$f.jsonl")"
    done
    for want in '"mark":{"value":5,"mask":255}' '"mark":{"value":6,"mask":255}' '"if_id":7' \
                '"output_mark":{"value":9,"mask":15}' '"src":"10.1.0.0/16","dst":"10.2.0.0/16"' \
                '"window":1024' '"esn"' '"aead_alg":"aes-gcm-16"'; do
        check "-D -o jsonl shows $want" grep -qF -- "$want" "$W/sa.jsonl"
    done
    for want in '"mark":{"value":5,"mask":255}' '"mark":{"value":6,"mask":255}' '"if_id":7'; do
        check "-DP -o jsonl shows $want" grep -qF -- "$want" "$W/sp.jsonl"
    done
    check_eq "-D: the two SPI 0x1000 SAs print their marks" \
        "$(grep -cE '^\s+mark=0x0000000[56]/0x000000ff' "$W/sa.txt")" 2
    check_eq "-DP: the two policies print their marks" \
        "$(grep -cE '^\s+mark=0x0000000[56]/0x000000ff' "$W/sp.txt")" 2
}

cat > "$W/load.conf" <<X
flush;
spdflush;
add 10.0.0.1 10.0.0.2 esp 0x3000 -E aes-cbc $K16 -A hmac-sha1 $K20;
add 10.0.0.1 10.0.0.2 esp 0x3000 -E aes-cbc $K16 -A hmac-sha1 $K20;
X
chmod 600 "$W/load.conf"

for B in "$@"; do
    CHECK_LABEL=$B
    base
    check "base: 4 SAs" test "$(ip xfrm state | grep -c '^src')" = 4
    check "base: 2 policies" test "$(ip xfrm policy | grep -c '^src')" = 2
    ip -d -s xfrm state | ipmask > "$W/$B.sad.before"
    ip -d -s xfrm policy | ipmask > "$W/$B.spd.before"
    # The base is what the issue describes (so an equal dump after means something).
    for want in 'mark 0x5/0xff' 'mark 0x6/0xff' 'if_id 0x7' 'output-mark 0x9/0xf' \
                'sel src 10.1.0.0/16 dst 10.2.0.0/16' 'rfc4106(gcm(aes))' 'replay_window 1024' \
                'flag esn' 'type espinudp sport 4500 dport 4500' '1000(packets)' \
                'hmac(sha256).* 128' 'type espinudp-nonike sport 4501 dport 4502'; do
        check "before: ip shows $want" grep -q -- "$want" "$W/$B.sad.before"
    done
    if [ "$B" = xfrm ]; then seen; else
        echo "NOTE $B: af_key has no extension for marks, if_id, output marks or SA selectors: its dumps cannot show them"
    fi
    ./setkey --backend "$B" --atomic -f "$W/load.conf" > "$W/$B.out" 2> "$W/$B.err"; rc=$?
    ip -d -s xfrm state | ipmask > "$W/$B.sad.after"
    ip -d -s xfrm policy | ipmask > "$W/$B.spd.after"
    check_eq "exit status" "$rc" 2
    check "refused at line 4" grep -q "load.conf:4: add failed" "$W/$B.err"
    check "nothing failed to roll back" test "$(grep -c 'rollback:' "$W/$B.err")" = 0
    check "ip -d -s xfrm state as before" cmp -s "$W/$B.sad.before" "$W/$B.sad.after"
    diff "$W/$B.sad.before" "$W/$B.sad.after" | head -40
    check "ip -d -s xfrm policy as before" cmp -s "$W/$B.spd.before" "$W/$B.spd.after"
    diff "$W/$B.spd.before" "$W/$B.spd.after" | head -20
    sed 's/^/  stderr: /' "$W/$B.err" | head -8
    # The two SAs with SPI 0x1000 are two entries for setkey too: get finds each by mark
    # only through the restore's delete key; here, both are still there after it.
    check "both SPI 0x1000 SAs back" test "$(ip xfrm state | grep -c 'spi 0x00001000')" = 2
done
CHECK_LABEL=

# af_key reports an IPv4 SA's IPv6 selector as ADDRESS_PROXY in the SA's family with the
# selector's prefix (10.0.3.x/48): the SA dumps, and so does the next one (the dump
# ended there with "prefix length 48 is too long" before).
ip xfrm state flush; ip xfrm policy flush
for spi in 0x6004 0x6005 0x6006; do
    sel=(); [ "$spi" = 0x6005 ] && sel=(sel src 2001:db8:5::/48 dst 2001:db8:6::/48)
    ip xfrm state add src 10.0.3.1 dst 10.0.3.2 proto esp spi "$spi" mode tunnel \
        enc 'cbc(aes)' "$K16" auth-trunc 'hmac(sha1)' "$K20" 96 "${sel[@]}" || ko "ip: SA $spi"
done
for B in "$@"; do
    ./setkey --backend "$B" -D > "$W/proxy.$B.txt" 2> "$W/proxy.$B.err"; rc=$?
    check_eq "$B: -D of an SA with a selector of another family exits 0" "$rc" 0
    check_eq "$B: it shows all 3 SAs" "$(grep -c '^10.0.3.1 10.0.3.2' "$W/proxy.$B.txt")" 3
    sed 's/^/  stderr: /' "$W/proxy.$B.err" | head -3
done
ip xfrm state flush; ip xfrm policy flush
summary
