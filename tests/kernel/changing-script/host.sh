#!/bin/bash
# Scripts that change while they load, on the host kernel in a private network (and
# mount) namespace, policies only. setkey reads a script once: a 100,000-policy load
# whose file is truncated or rewritten in place, or whose host name stops resolving,
# must still apply exactly what was checked (exit 0). A load that does fail after
# its first statement was sent (an interface named in a %scope vanishes) exits 2, and
# with --atomic leaves the SPD as it was. Never a partial load with exit 0 or 1, never
# a partial --atomic load. Also: -f from a FIFO, process substitution and /dev/stdin
# applies the script.
# Usage: tests/kernel/changing-script/host.sh BUILD_DIR   (as root; re-executes itself
# in `unshare -n -m`: the mount namespace for a private /etc/hosts)
set -u
BUILD=${1:?usage: $0 BUILD_DIR}
SETKEY=$(realpath "$BUILD/setkey")
# shellcheck source=tests/lib/netns.sh
NETNS_MOUNTS=1 . "$(dirname "$0")/../../lib/netns.sh"
ip link set lo up

N=100000
policies() { # policies COUNT [DST]: that many distinct out policies, one per line
    local dst=${2:-172.16.0.1}
    python3 -c '
import sys
n, dst = int(sys.argv[1]), sys.argv[2]
sys.stdout.write("".join("spdadd 10.%d.%d.%d %s any -P out none;\n" % (i >> 16, i >> 8 & 255, i & 255, dst)
                         for i in range(n)))' "$1" "$dst"
}
spd_count() { ip xfrm policy count | sed -n 's/.* OUT \([0-9]*\) .*/\1/p'; }
has_policy() { "$SETKEY" -DP | grep -q "^$1\[any\] $2\[any\] 255$"; }

# load_while CHANGE [--atomic]: loads $OUT/load.conf in the background, runs CHANGE once
# the first policies are in the kernel (the check pass is over), waits; sets $rc.
load_while() {
    local change=$1 pid _; shift
    "$SETKEY" -FP
    "$SETKEY" "$@" -f "$OUT/load.conf" >"$OUT/out" 2>"$OUT/err" &
    pid=$!
    for _ in $(seq 2000); do
        [[ $(spd_count) -gt 0 ]] && break
        sleep 0.005
    done
    loaded_at_change=$(spd_count)
    $change
    wait "$pid"; rc=$?
}
# Whatever happened, never a partial load that says "done" or "nothing applied".
check_no_silent_partial() { # check_no_silent_partial WHAT EXPECTED_FULL_COUNT [--atomic]
    local n; n=$(spd_count)
    check "$1: no partial load with exit 0 or 1 (exit $rc, $n policies)" \
        test "$rc" != 0 -a "$rc" != 1 -o "$rc" = 0 -a "$n" = "$2" -o "$rc" = 1 -a "$n" = 0
    if [[ ${3:-} == --atomic ]]; then
        check "$1: --atomic: all or nothing ($n policies)" test "$n" = 0 -o "$rc" = 0 -a "$n" = "$2"
    fi
}

# --- file kinds: each applies the script
policies 3 >"$OUT/small.conf"
"$SETKEY" -FP
mkfifo "$OUT/fifo"
cat "$OUT/small.conf" >"$OUT/fifo" &
"$SETKEY" -f "$OUT/fifo"; rc=$?
check "-f FIFO: exit 0 (got $rc)" test "$rc" = 0
check "-f FIFO: the 3 policies are in the kernel ($(spd_count))" test "$(spd_count)" = 3
"$SETKEY" -FP
"$SETKEY" -f <(cat "$OUT/small.conf"); rc=$?
check "-f <(...): exit 0 (got $rc)" test "$rc" = 0
check "-f <(...): the 3 policies are in the kernel ($(spd_count))" test "$(spd_count)" = 3
"$SETKEY" -FP
cat "$OUT/small.conf" | "$SETKEY" -f /dev/stdin; rc=$?
check "-f /dev/stdin from a pipe: exit 0 (got $rc)" test "$rc" = 0
check "-f /dev/stdin from a pipe: the 3 policies are in the kernel ($(spd_count))" test "$(spd_count)" = 3
"$SETKEY" -FP
echo 'bogus;' | "$SETKEY" -f /dev/stdin 2>/dev/null; rc=$?
check "-f /dev/stdin holding an error: exit 1 (got $rc)" test "$rc" = 1
"$SETKEY" -f /proc/self/status 2>/dev/null; rc=$?
check "-f /proc/self/status is read (and refused: exit 1, got $rc)" test "$rc" = 1

# --- truncated during the load
truncate_script() { : >"$OUT/load.conf"; }
for atomic in "" --atomic; do
    policies $N >"$OUT/load.conf"
    load_while truncate_script $atomic
    check "truncated $atomic (at $loaded_at_change): exit 0 (got $rc)" test "$rc" = 0
    check "truncated $atomic: all $N policies applied ($(spd_count))" test "$(spd_count)" = $N
    check_no_silent_partial "truncated $atomic" $N $atomic
done

# --- rewritten in place: same length, other destinations, an error at the end
rewrite_script() {
    python3 - "$OUT/load.conf" <<'PY'
import sys
with open(sys.argv[1], "r+b") as f:  # same inode, no truncation
    text = f.read().replace(b"172.16.0.1", b"172.16.0.9")
    text = text[:-8] + b"bogus;\n\n"[: 8]
    f.seek(0)
    f.write(text)
PY
}
for atomic in "" --atomic; do
    policies $N >"$OUT/load.conf"
    load_while rewrite_script $atomic
    check "rewritten $atomic (at $loaded_at_change): exit 0 (got $rc)" test "$rc" = 0
    check "rewritten $atomic: all $N policies applied ($(spd_count))" test "$(spd_count)" = $N
    check "rewritten $atomic: none from the new text" \
        test "$("$SETKEY" -DP | grep -c '172\.16\.0\.9')" = 0
    check_no_silent_partial "rewritten $atomic" $N $atomic
done

# --- a host name that stops resolving between the passes (a private /etc/hosts)
cp /etc/hosts "$OUT/hosts"
echo "10.99.0.1 vanishing.test" >>"$OUT/hosts"
mount --bind "$OUT/hosts" /etc/hosts
forget_name() { grep -v vanishing.test "$OUT/hosts" >"$OUT/hosts.less"; cat "$OUT/hosts.less" >"$OUT/hosts"; }
for atomic in "" --atomic; do
    cp "$OUT/hosts" "$OUT/hosts.orig"
    { policies $N; echo "spdadd vanishing.test 172.16.0.2 any -P out none;"; } >"$OUT/load.conf"
    load_while forget_name $atomic
    check "name gone $atomic (at $loaded_at_change): exit 0 (got $rc)" test "$rc" = 0
    check "name gone $atomic: all $((N + 1)) policies applied ($(spd_count))" test "$(spd_count)" = $((N + 1))
    check "name gone $atomic: the last one with the address checked" has_policy 10.99.0.1 172.16.0.2
    check_no_silent_partial "name gone $atomic" $((N + 1)) $atomic
    echo "10.99.0.1 vanishing.test" >>"$OUT/hosts"
done
umount /etc/hosts

# --- an interface that vanishes: the load fails after statements were sent
ip link add v0 type veth peer name v1
rename_link() { ip link set v0 name v9; }
for atomic in "" --atomic; do
    ip link set v9 name v0 2>/dev/null
    { policies $N; echo "spdadd fe80::1%v0 fe80::2%v0 any -P out none;"; } >"$OUT/load.conf"
    load_while rename_link $atomic
    check "interface gone $atomic (at $loaded_at_change): exit 2 (got $rc)" test "$rc" = 2
    check "interface gone $atomic: the error names the line" grep -q "load.conf:$((N + 1)):" "$OUT/err"
    if [[ -z $atomic ]]; then
        check "interface gone: what was sent stays ($(spd_count))" test "$(spd_count)" = $N
    else
        check "interface gone --atomic: rolled back to an empty SPD ($(spd_count))" test "$(spd_count)" = 0
    fi
    check_no_silent_partial "interface gone $atomic" $((N + 1)) $atomic
done
"$SETKEY" -FP
summary
