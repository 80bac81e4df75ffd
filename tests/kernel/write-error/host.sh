#!/bin/bash
# Output that cannot be written is an error, in every mode and format: the real binary
# on the host kernel, in a private network (policies via XFRM) and mount namespace,
# with stdout to /dev/full, to a full tmpfs, closed, and to a pipe nobody reads while
# SIGPIPE is ignored (systemd's default). Each run must exit 4 (--diff too, whose 3
# would say the changes were printed) and say
# `setkey: write error: <reason>` once on stderr; -x and -l must stop at once.
# Usage: tests/kernel/write-error/host.sh BUILD_DIR   (as root; re-executes itself in
# `unshare -n -m`: the mount namespace for the full tmpfs)
set -u
BUILD=${1:?usage: $0 BUILD_DIR}
SETKEY=$(realpath "$BUILD/setkey")
# shellcheck source=tests/lib/netns.sh
NETNS_MOUNTS=1 . "$(dirname "$0")/../../lib/netns.sh"

# A one-page tmpfs holding one page: any further data gets ENOSPC.
mkdir "$OUT/full"
mount -t tmpfs -o size=4k tmpfs "$OUT/full" || { echo "FAIL cannot mount a tmpfs"; exit 1; }
trap 'umount "$OUT/full"; rm -rf "$OUT"' EXIT
head -c 4096 /dev/zero > "$OUT/full/filler" 2>/dev/null
# A FIFO whose only reader is gone: writes fail with EPIPE (SIGPIPE being ignored).
mkfifo "$OUT/fifo"

"$SETKEY" -c <<'X' || { echo "FAIL cannot add policies"; exit 1; }
spdadd 10.1.0.0/16 10.2.0.0/16 any -P out ipsec esp/tunnel/10.0.0.1-10.0.0.2/require;
spdadd 10.2.0.0/16 10.1.0.0/16 any -P in ipsec esp/tunnel/10.0.0.2-10.0.0.1/require;
X
printf 'spddump;\n' > "$OUT/dump.conf"
# A policy the kernel lacks: --diff has a change to print (exit 3 when it can).
printf 'spdadd 10.5.0.0/16 10.6.0.0/16 any -P out none;\n' > "$OUT/drift.conf"

# to TARGET CMD...: runs CMD with stdout to TARGET (devfull, tmpfs, closed, pipe),
# stderr to $OUT/err, at most 10 s; prints the exit status.
to() {
    local target=$1; shift
    case $target in
    devfull) timeout 10 "$@" > /dev/full 2> "$OUT/err" ;;
    tmpfs) timeout 10 "$@" > "$OUT/full/out" 2> "$OUT/err" ;;
    closed) timeout 10 "$@" >&- 2> "$OUT/err" ;;
    pipe)
        exec 3<> "$OUT/fifo" 4> "$OUT/fifo" 3<&-
        (trap '' PIPE; exec timeout 10 "$@" >&4 2> "$OUT/err" 4>&-)
        local rc=$?
        exec 4>&-
        return $rc ;;
    esac
}
# One line on stderr, the write error, and nothing else.
one_message() { [ "$(wc -l < "$OUT/err")" = 1 ] && grep -qE '^setkey: write error: .+$' "$OUT/err"; }

expect_write_error() { # expect_write_error TARGET ARGS...
    local target=$1; shift
    to "$target" "$SETKEY" "$@"; local rc=$?
    check "$target: setkey $* exits 4 (rc=$rc: $(head -c 80 "$OUT/err"))" test "$rc" = 4
    check "$target: setkey $* says it once" one_message
}

# -x prints only when an event arrives: make events until the monitor gives up.
monitor_to() { # monitor_to TARGET ARGS...
    local target=$1; shift
    to "$target" "$SETKEY" "$@" & local pid=$!
    for _ in $(seq 50); do
        "$SETKEY" -c <<< 'spdadd 10.9.0.0/16 10.8.0.0/16 any -P out none; spddelete 10.9.0.0/16 10.8.0.0/16 any -P out;' > /dev/null
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    wait "$pid"
}
expect_monitor_error() { # expect_monitor_error TARGET ARGS...
    local target=$1; shift
    monitor_to "$target" "$@"; local rc=$?
    check "$target: setkey $* stops with 4 at the first event (rc=$rc: $(head -c 80 "$OUT/err"))" test "$rc" = 4
    check "$target: setkey $* says it once" one_message
}

for target in devfull tmpfs closed pipe; do
    for format in classic json prometheus; do
        expect_write_error "$target" -D -o "$format"
    done
    for format in classic json jsonl prometheus; do
        expect_write_error "$target" -DP -o "$format"
        expect_write_error "$target" -f "$OUT/dump.conf" -o "$format"
    done
    expect_write_error "$target" --diff -f "$OUT/drift.conf"
    expect_write_error "$target" --diff -o json -f "$OUT/drift.conf"
    expect_write_error "$target" -V
    expect_write_error "$target" --help
    expect_write_error "$target" -D -l
    expect_write_error "$target" -DP -l
    expect_monitor_error "$target" -x
    expect_monitor_error "$target" -x -o jsonl
done

# A disk that fills up half way: the JSON document is cut at the tmpfs size, and said so.
for i in $(seq 200); do echo "spdadd 10.3.$((i / 250)).$((i % 250))/32 10.4.0.1/32 any -P out none;"; done > "$OUT/many.conf"
"$SETKEY" -f "$OUT/many.conf" || fail=1
mkdir "$OUT/part"
mount -t tmpfs -o size=8k tmpfs "$OUT/part" || { echo "FAIL cannot mount a tmpfs"; exit 1; }
trap 'umount "$OUT/full" "$OUT/part"; rm -rf "$OUT"' EXIT
"$SETKEY" -DP -o json > "$OUT/part/dump.json" 2> "$OUT/err"; rc=$?
size=$(stat -c %s "$OUT/part/dump.json")
check "part-full tmpfs: -DP -o json exits 4 (rc=$rc) with the document cut at $size bytes" test "$rc" = 4 -a "$size" -le 8192
check "part-full tmpfs: says it once" one_message
"$SETKEY" -FP

# Nothing to write is no error, even with stdout closed; -D -o jsonl of the empty SAD
# (the host has no ESP/AH for an SA) writes nothing.
to closed "$SETKEY" -D -o jsonl; rc=$?
check "closed: -D -o jsonl of an empty SAD writes nothing and exits 0 (rc=$rc)" test "$rc" = 0 -a ! -s "$OUT/err"
to devfull "$SETKEY" -n -f "$OUT/dump.conf"; rc=$?
check "devfull: -n -f prints nothing and exits 0 (rc=$rc)" test "$rc" = 0 -a ! -s "$OUT/err"
# A kernel refusal keeps status 2 beside the write error.
to devfull "$SETKEY" -c <<< 'spddelete 10.7.0.0/16 10.6.0.0/16 any -P out; spddump;'; rc=$?
check "devfull: a refusal and a write error exit 2 (rc=$rc)" test "$rc" = 2
check "devfull: ... and the write error is still said" grep -q '^setkey: write error: No space left on device$' "$OUT/err"

summary
