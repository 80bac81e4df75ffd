#!/bin/bash
# setkey.service as installed: `cmake --install` into a temporary prefix, then the
# unit's own ExecStart/ExecStop lines run for real in a private network namespace
# (policies only: the host kernel has no ESP/AH), with the installed sbindir and
# /etc/ipsec-tools.conf substituted by temporary paths. Checks the SPD after start
# and after stop, that a config the kernel refuses (and one that does not parse)
# leaves the tables as they were, and `systemd-analyze verify` when it is installed.
# Usage: tests/kernel/service/host.sh BUILD_DIR   (as root; re-executes itself in `unshare -n`)
set -u
BUILD=${1:?usage: $0 BUILD_DIR}
BUILD=$(realpath "$BUILD")
# shellcheck source=tests/lib/netns.sh
. "$(dirname "$0")/../../lib/netns.sh"
TMP=$OUT

cmake --install "$BUILD" --prefix "$TMP/prefix" > "$TMP/install.log" || { cat "$TMP/install.log"; exit 1; }
UNIT=$TMP/prefix/lib/systemd/system/setkey.service
check "unit installed" test -f "$UNIT"
check "binary installed in sbin" test -x "$TMP/prefix/sbin/setkey"
check "man page installed" test -f "$TMP/prefix/share/man/man8/setkey.8"
check "completion installed" test -f "$TMP/prefix/share/bash-completion/completions/setkey"
for line in Type=oneshot RemainAfterExit=yes ConditionPathExists=/etc/ipsec-tools.conf \
            After=network-pre.target Before=network.target; do
    check "unit has $line" grep -qx "$line" "$UNIT"
done
start=$(sed -n 's/^ExecStart=//p' "$UNIT")
mapfile -t stops < <(sed -n 's/^ExecStop=//p' "$UNIT")
check "ExecStart loads the config atomically: $start" test "${start#*/setkey }" = "--atomic -f /etc/ipsec-tools.conf"
check "two ExecStop lines: ${stops[*]}" test "${#stops[@]}" = 2 -a "${stops[0]##*/setkey }" = "-F" -a "${stops[1]##*/setkey }" = "-FP"
mapfile -t reloads < <(sed -n 's/^ExecReload=//p' "$UNIT")
check "one ExecReload line, a sync (got ${#reloads[@]}: ${reloads[*]})" \
    test "${#reloads[@]}" = 1 -a "${reloads[0]##*/setkey }" = "--atomic --sync -f /etc/ipsec-tools.conf"
sbindir=$(dirname "${start%% *}")
check "sbindir configured in as an absolute path ($sbindir)" test "${sbindir#/}" != "$sbindir"

CONF=$TMP/ipsec-tools.conf
run() { # run UNIT-COMMAND-LINE: as systemd would, with our prefix and config path
    local cmd=${1//$sbindir/$TMP/prefix/sbin}
    cmd=${cmd//\/etc\/ipsec-tools.conf/$CONF}
    $cmd # ExecStart/ExecStop lines are plain words, no shell
}
SETKEY=$TMP/prefix/sbin/setkey
dump() { "$SETKEY" -DP | mask; }

cat > "$CONF" <<'X'
#!/usr/sbin/setkey -f
flush;
spdflush;
spdadd 10.1.0.0/16 10.2.0.0/16 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
spdadd 10.2.0.0/16 10.1.0.0/16 any -P in ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;
X
run "$start"; rc=$?
check "ExecStart exits 0 (got $rc)" test "$rc" = 0
check "after start: out, in and its fwd copy ($(grep -c spid= <("$SETKEY" -DP)))" test "$("$SETKEY" -DP | grep -c spid=)" = 3
started=$(dump)

# A config whose 3rd policy the kernel refuses (it already exists): nothing changes,
# although the config starts with flush/spdflush.
cat > "$CONF" <<'X'
flush;
spdflush;
spdadd 10.5.0.0/16 10.6.0.0/16 any -P out none;
spdadd 10.5.0.0/16 10.6.0.0/16 any -P out none;
X
run "$start" 2> "$TMP/bad.err"; rc=$?
check "refused config: ExecStart exits 2 (got $rc)" test "$rc" = 2
check "refused config: the SPD is as it was" test "$(dump)" = "$started"
check "refused config: rollback reported" grep -q "rolled back" "$TMP/bad.err"

printf 'spdadd 10.5.0.0/16 10.6.0.0/16 any -P out nonsense;\n' > "$CONF"
run "$start" 2> /dev/null; rc=$?
check "unparsable config: ExecStart exits 1 (got $rc), SPD unchanged" test "$rc" = 1 -a "$(dump)" = "$started"

for s in "${stops[@]}"; do run "$s"; done
check "after stop: SPD empty" test "$("$SETKEY" -DP)" = "No SPD entries."
check "after stop: SAD empty" test "$("$SETKEY" -D)" = "No SAD entries."

if command -v systemd-analyze > /dev/null; then
    # verify wants the executables to exist: check a copy pointing at our prefix.
    mkdir -p "$TMP/units"
    sed "s#$sbindir#$TMP/prefix/sbin#g" "$UNIT" > "$TMP/units/setkey.service"
    # --man=no: the man page is in our prefix, not where man(1) looks.
    check "systemd-analyze verify" systemd-analyze verify --man=no "$TMP/units/setkey.service"
else
    echo "SKIP systemd-analyze verify: systemd-analyze is not installed"
fi
summary
