#!/bin/bash
# Every test that needs a real kernel, for CI and by hand:
#   tests/kernel/run.sh [-b BACKENDS] [-H | -V] BUILD_DIR [SUITE...]
# A suite is a folder of tests/kernel, found by directory (README.md), holding:
#   host.sh BUILD_DIR         runs on the host: in a private netns (tests/lib/netns.sh),
#                             or without a kernel
#   guest.sh BACKEND...       runs in the qemu lab; the guest.sh of every chosen suite runs
#                             in ONE boot, through tests/kernel/guest.sh
#   payload.sh DIR BUILD_DIR  optional: files the guest needs besides its folder and
#                             ./setkey, made on the host before the boot
#   verify.sh OUTPUT          optional: checks on the host what guest.sh printed
# Order: the lab's own self-test (tests/vm/selftest.sh, when no SUITE is named), every
# host.sh, then the boot. -b: backends for the guests (default 'pfkey xfrm'); -H: host
# suites only; -V: VM suites only. Env: SETKEY_VM_TIMEOUT (the boot, 5400 s),
# SETKEY_SUITE_TIMEOUT (each guest, 1800 s), and the suites' own (README.md).
# Every stage runs even if one fails; ends with one PASS/FAIL line per stage and suite;
# exits 1 if anything failed.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib/check.sh
. "$here/../lib/check.sh"
usage() { echo "usage: ${0##*/} [-b BACKENDS] [-H | -V] BUILD_DIR [SUITE...]" >&2; exit 2; }
backends="pfkey xfrm" host=1 vm=1
while getopts 'b:HV' o; do
  case $o in b) backends=$OPTARG ;; H) vm=0 ;; V) host=0 ;; *) usage ;; esac
done
shift $((OPTIND - 1))
(($# >= 1)) || usage
build=$(cd "$1" && pwd) || exit 2
shift
[[ -x $build/setkey ]] || { echo "${0##*/}: no executable $build/setkey" >&2; exit 2; }
if (($#)); then
  suites=("$@")
  for s in "${suites[@]}"; do [[ -d $here/$s ]] || { echo "${0##*/}: no suite $s" >&2; exit 2; }; done
else
  suites=()
  for d in "$here"/*/; do
    d=${d%/}
    [[ -f $d/host.sh || -f $d/guest.sh ]] || continue
    # A suite that cannot pass yet names what it waits for in not-in-ci; it still runs
    # when named on the command line.
    if [[ -f $d/not-in-ci ]]; then echo "SKIP ${d##*/}: $(head -1 "$d/not-in-ci")"; continue; fi
    suites+=("${d##*/}")
  done
fi

# The one boot: every chosen guest.sh in its own payload folder, ./setkey a link to the
# one binary; the guests' stdout is cut per suite for verify.sh.
boot() {  # boot CAPTURE SUITE...
  local capture=$1 payload s rc=0 ready=()
  shift
  payload=$(mktemp -d /tmp/setkey-vm-suites.XXXXXX)
  cp "$build/setkey" "$payload/"
  mkdir "$payload/lib"
  cp "$here/../lib/check.sh" "$payload/lib/"
  cp "$here/guest.sh" "$payload/"
  for s in "$@"; do
    cp -r "$here/$s" "$payload/$s"
    ln -s ../setkey "$payload/$s/setkey"
    if [[ -f $here/$s/payload.sh ]] && ! bash "$here/$s/payload.sh" "$payload/$s" "$build"; then
      echo "FAIL $s: payload.sh failed; the suite stays out of the boot"
      rc=1
      continue
    fi
    ready+=("$s")
  done
  # SCHEMA lines are data for matrix/verify.sh, kept out of the log.
  "$here/../vm/run-in-vm.sh" -L -t "${SETKEY_VM_TIMEOUT:-5400}" \
    -e "SETKEY_SUITE_TIMEOUT=${SETKEY_SUITE_TIMEOUT:-1800}" "$payload" -- \
    bash ./guest.sh "$backends" "${ready[@]}" | tee "$capture" | grep -v '^SCHEMA ' || rc=$?
  rm -rf "$payload"
  return $rc
}
section() {  # section SUITE CAPTURE: what that suite's guest.sh printed
  awk -v b="=== vm suite $1" '$0 == b { on = 1; next } index($0, b ": exit ") == 1 { on = 0 } on' "$2"
}

if ((host && vm && $# == 0)); then
  "$here/../vm/setup.sh" >/dev/null
  step "vm harness selftest" "$here/../vm/selftest.sh"
fi
if ((host)); then
  for s in "${suites[@]}"; do
    [[ -f $here/$s/host.sh ]] && step "$s (host)" bash "$here/$s/host.sh" "$build"
  done
fi
if ((vm)); then
  work=$(mktemp -d /tmp/setkey-vm-run.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  guests=()
  for s in "${suites[@]}"; do
    [[ -f $here/$s/guest.sh ]] && guests+=("$s")
  done
  if ((${#guests[@]})); then
    step "one boot: ${guests[*]}" boot "$work/capture" "${guests[@]}"
    for s in "${guests[@]}"; do
      end=$(grep -m1 "^=== vm suite $s: exit " "$work/capture")
      if [[ $end =~ exit\ ([0-9]+),\ ([0-9]+)\ s$ ]]; then
        rc=${BASH_REMATCH[1]} secs=${BASH_REMATCH[2]}
      else
        rc="none (the boot ended first)" secs=0
      fi
      if [[ $rc == 0 ]]; then
        step_results+=("PASS  $s (vm, ${secs}s)")
      else
        step_results+=("FAIL  $s (vm, exit $rc, ${secs}s)")
        step_failed=1
      fi
      if [[ -f $here/$s/verify.sh ]]; then
        section "$s" "$work/capture" >"$work/$s.out"
        step "$s (verify)" bash "$here/$s/verify.sh" "$work/$s.out"
      fi
    done
  fi
fi
echo "===== kernel suites"
step_summary
