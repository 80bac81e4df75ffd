#!/bin/bash
# setkey-metrics (the wrapper setkey-metrics.timer runs every minute) on the host kernel
# in a private network namespace, installed with `cmake --install` into a temporary
# prefix: with policies present it writes ONE world-readable textfile that
# `promtool check metrics` accepts, holding both tables; a dump that fails (PF_KEY on a
# host without af_key, a setkey that dies after writing half its output) leaves the
# previous file byte for byte and no temporary file behind; `systemd-analyze verify` on
# the units. Also promtool on `-D -o prometheus` and `-DP -o prometheus` of this kernel.
# Usage: tests/kernel/metrics/host.sh BUILD_DIR   (as root; re-executes itself in `unshare -n`)
set -u
BUILD=${1:?usage: $0 BUILD_DIR}
BUILD=$(realpath "$BUILD")
# shellcheck source=tests/lib/netns.sh
. "$(dirname "$0")/../../lib/netns.sh"

cmake --install "$BUILD" --prefix "$OUT/prefix" > "$OUT/install.log" || { cat "$OUT/install.log"; exit 1; }
SETKEY=$OUT/prefix/sbin/setkey
WRAPPER=$OUT/prefix/libexec/setkey/setkey-metrics
SERVICE=$OUT/prefix/lib/systemd/system/setkey-metrics.service
TIMER=$OUT/prefix/lib/systemd/system/setkey-metrics.timer
check "wrapper installed, executable" test -x "$WRAPPER"
check "service and timer installed" test -f "$SERVICE" -a -f "$TIMER"
check "alert rules installed" test -f "$OUT/prefix/share/setkey/setkey-metrics.rules.yml"
check "the timer fires every minute" grep -qx 'OnCalendar=minutely' "$TIMER"
check "the service reads /etc/default/setkey-metrics" grep -qx 'EnvironmentFile=-/etc/default/setkey-metrics' "$SERVICE"
exec_start=$(sed -n 's/^ExecStart=//p' "$SERVICE")
check "ExecStart is the configured wrapper path ($exec_start)" test "${exec_start##*/}" = setkey-metrics -a "${exec_start#/}" != "$exec_start"

if ! command -v promtool > /dev/null; then
    echo "FAIL promtool not installed (apt-get install prometheus)"
    exit 1
fi
DIR=$OUT/textfile
mkdir "$DIR"
PROM=$DIR/setkey.prom
metrics() { # runs the wrapper as the service does, with our directory and binary
    env SETKEY_METRICS_DIR="$DIR" SETKEY="${FAKE:-$SETKEY}" "$@" "$WRAPPER"
}
only_the_file() { test "$(ls -A "$DIR")" = setkey.prom; }

"$SETKEY" -FP
"$SETKEY" -c <<'X'
spdadd 10.1.0.0/16 10.2.0.0/16 any -P out ipsec esp/tunnel/10.0.0.1-10.0.0.2/require;
spdadd 10.2.0.0/16 10.1.0.0/16 any -P in ipsec esp/tunnel/10.0.0.2-10.0.0.1/require;
X
metrics; rc=$?
check "with policies the wrapper exits 0 (got $rc)" test "$rc" = 0
check "the file appears" test -s "$PROM"
check "promtool check metrics passes on it" promtool check metrics < "$PROM"
check "it holds the SAD family" grep -qx 'setkey_sad_entries 0' "$PROM"
check "it holds the SPD family: out 1, in 1, fwd 1" \
    test "$(grep '^setkey_spd_entries' "$PROM" | tr '\n' ' ')" = \
    'setkey_spd_entries{dir="fwd"} 1 setkey_spd_entries{dir="in"} 1 setkey_spd_entries{dir="out"} 1 '
check "every family has one HELP and one TYPE" \
    test "$(grep -c '^# HELP' "$PROM")" = "$(grep '^# TYPE' "$PROM" | sort -u | wc -l)"
check "world-readable (mode $(stat -c %a "$PROM"))" test "$(stat -c %a "$PROM")" = 644
check "no temporary file left" only_the_file

"$SETKEY" -c <<< 'spdadd 10.3.0.0/16 10.4.0.0/16 any -P out discard;'
metrics
check "the next run replaces the file (out 2)" grep -qx 'setkey_spd_entries{dir="out"} 2' "$PROM"
cp -p "$PROM" "$OUT/previous"

# The kernel cannot be reached: PF_KEY on a host without af_key.
if "$SETKEY" --backend pfkey -DP > /dev/null 2>&1; then
    echo "SKIP unreachable kernel: this host has af_key"
else
    metrics SETKEY_METRICS_OPTIONS="--backend pfkey" 2> "$OUT/pfkey.err"; rc=$?
    check "unreachable kernel: the wrapper fails (got $rc)" test "$rc" = 2
    check "unreachable kernel: the previous file is byte-identical" cmp -s "$OUT/previous" "$PROM"
    check "unreachable kernel: ... and not even touched" test "$(stat -c %Y "$PROM")" = "$(stat -c %Y "$OUT/previous")"
    check "unreachable kernel: no temporary file left" only_the_file
    check "unreachable kernel: the wrapper says so" grep -q 'left as it was' "$OUT/pfkey.err"
fi

# A dump that fails after writing part of the exposition must not land either.
cat > "$OUT/half-setkey" <<X
#!/bin/sh
"$SETKEY" "\$@" | head -3
exit 2
X
chmod +x "$OUT/half-setkey"
FAKE=$OUT/half-setkey metrics 2> /dev/null; rc=$?
check "half a dump: the wrapper fails (got $rc)" test "$rc" = 2
check "half a dump: the previous file is byte-identical" cmp -s "$OUT/previous" "$PROM"
check "half a dump: no temporary file left" only_the_file

metrics SETKEY_METRICS_DIR="$OUT/missing" 2> /dev/null; rc=$?
check "a missing directory fails (got $rc) and creates nothing" test "$rc" != 0 -a ! -e "$OUT/missing"

# promtool on the two single-table dumps of this kernel, and side by side.
"$SETKEY" -D -o prometheus > "$OUT/D.prom"
"$SETKEY" -DP -o prometheus > "$OUT/DP.prom"
check "promtool check metrics: -D -o prometheus" promtool check metrics < "$OUT/D.prom"
check "promtool check metrics: -DP -o prometheus" promtool check metrics < "$OUT/DP.prom"

if command -v systemd-analyze > /dev/null; then
    # verify wants the executables to exist: check copies pointing at our prefix.
    mkdir -p "$OUT/units"
    sed "s#^ExecStart=.*#ExecStart=$WRAPPER#" "$SERVICE" > "$OUT/units/setkey-metrics.service"
    cp "$TIMER" "$OUT/units/"
    check "systemd-analyze verify the service and the timer" \
        systemd-analyze verify --man=no "$OUT/units/setkey-metrics.service" "$OUT/units/setkey-metrics.timer"
else
    echo "SKIP systemd-analyze verify: systemd-analyze is not installed"
fi
"$SETKEY" -FP
summary
