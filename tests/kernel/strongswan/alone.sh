#!/bin/bash
# A real IKE daemon in the qemu lab: two charons (Debian's strongswan-charon and
# strongswan-swanctl) in two network namespaces of the VM bring up an AES-GCM/ESN tunnel
# and a route-based one (xfrm interface, marks). This runs the suite alone: payload.sh's
# files, one boot of guest.sh through each backend, then verify.sh (compare.py: setkey's
# -D/-DP, -o json against ip's view, field by field) on what the guest printed.
#   alone.sh [-b 'pfkey xfrm'] BUILD_DIR
# Prints PASS/FAIL per check, then "N passed, M failed"; exits non-zero on any failure.
# Takes /tmp/setkey-vm.lock for the boot only (not again if a caller already holds it).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
backends="pfkey xfrm"
while getopts 'b:' o; do
  case $o in b) backends=$OPTARG ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
(($# == 1)) || { echo "usage: ${0##*/} [-b BACKENDS] BUILD_DIR" >&2; exit 2; }
[[ -x $1/setkey ]] || { echo "${0##*/}: no executable $1/setkey" >&2; exit 2; }

payload=$(mktemp -d /tmp/strongswan-vm.XXXXXX)
out=$(mktemp /tmp/strongswan-vm.out.XXXXXX)
trap 'rm -rf "$payload" "$out"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# The suite's folder is the payload (guest.sh runs from it), with payload.sh's files.
cp "$1/setkey" "$here"/guest.sh "$here"/strongswan-?.conf "$here"/swanctl-?.conf "$payload/"
bash "$here/payload.sh" "$payload" "$1"
if [[ -f $payload/skip ]]; then exit 0; fi

# Is the VM lock held by one of our ancestors (flock ... alone.sh)? Then do not wait for it.
lock=/tmp/setkey-vm.lock
lock_held_by_caller() {
  [[ -e $lock ]] || return 1
  local ino pid p
  ino=$(stat -c %i "$lock")
  for pid in $(awk -v ino="$ino" '{ split($6, f, ":"); if (f[3] == ino) print $5 }' /proc/locks); do
    p=$$
    while ((p > 1)); do
      ((p == pid)) && return 0
      p=$(awk '/^PPid:/ { print $2 }' "/proc/$p/status" 2>/dev/null || echo 1)
    done
  done
  return 1
}
boot() {
  # $backends is a word list on purpose: one argument per backend.
  # shellcheck disable=SC2086
  "$here/../../vm/run-in-vm.sh" -L -t 560 "$payload" -- bash ./guest.sh $backends
}
rc=0
t_wait=$SECONDS
if ! lock_held_by_caller; then
  exec 8>"$lock"
  flock 8
fi
t0=$SECONDS
boot >"$out" || rc=$?
exec 8>&-
echo "TIME waiting for the VM lock: $((t0 - t_wait)) s; boot and guest: $((SECONDS - t0)) s"
# SETKEY_SWAN_KEEP=FILE keeps the guest's whole output (dumps included) for a look.
[[ -z ${SETKEY_SWAN_KEEP:-} ]] || cp "$out" "$SETKEY_SWAN_KEEP"
# The guest's own lines (PASS/FAIL, diffs, events), without the dumps.
awk '/^=== BEGIN /{ skip = 1 } !skip { print } /^=== END /{ skip = 0 }' "$out"
((rc == 0 || rc == 1)) || echo "FAIL strongswan: the VM run ended with status $rc (124 timeout, 125 VM failure)"
bash "$here/verify.sh" "$out" >"$out.compare" || rc=1
cat "$out.compare"
passed=$(( $(grep -c '^PASS ' "$out" || true) + $(grep -c '^PASS ' "$out.compare" || true) ))
failed=$(( $(grep -c '^FAIL ' "$out" || true) + $(grep -c '^FAIL ' "$out.compare" || true) ))
rm -f "$out.compare"
((rc == 0 && failed == 0)) || rc=1
echo "strongswan: $passed passed, $failed failed"
exit $rc
