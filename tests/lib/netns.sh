# shellcheck shell=bash
# Sourced by the host suites that need a kernel of their own (tests/kernel/<suite>/host.sh
# BUILD_DIR): runs the calling script again inside a private network namespace (as
# root), where XFRM policies can be changed without touching the machine's, and gives it
# a scratch directory $OUT and tests/lib/check.sh (the script ends with `summary`),
# and mixed_spd (below). A suite that also needs a mount namespace of its own (a private
# /etc/hosts, tmpfs mounts) sources it as `NETNS_MOUNTS=1 . .../netns.sh`.
if [ -z "${SETKEY_TEST_IN_NETNS:-}" ]; then
    SETKEY_TEST_IN_NETNS=1 exec unshare -n ${NETNS_MOUNTS:+-m} "$0" "$@"
fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
# shellcheck source=tests/lib/check.sh
. "$(dirname "${BASH_SOURCE[0]}")/check.sh"

# mixed_spd: spdadd statements for an SPD of mixed directions, priorities, families and
# templates (tunnel, transport pair, unique:N; discard and none), which suites load,
# change and compare again.
mixed_spd() {
  cat <<'X'
spdadd 10.1.0.0/16 10.2.0.0/16 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
spdadd 10.2.0.0/16 10.1.0.0/16 any -P in ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;
spdadd 10.3.0.0/16[80] 10.4.0.0/16 tcp -P out prio 100 ipsec esp/transport//use ah/transport//require;
spdadd fd00::/64 fd01::/64 any -P out prio def -5 discard;
spdadd fd01::/64 fd00::/64 icmp6 135,0 -P in none;
spdadd 10.9.0.0/24 10.8.0.0/24 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.9/unique:5;
X
}
