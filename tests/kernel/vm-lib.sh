# Sourced by the tests that run a guest script in the qemu lab: parses
# `[-b BACKENDS] BUILD_DIR`, copies BUILD_DIR/setkey and the guest script into a payload
# and runs it there with the backends as arguments.
#   run_guest_script GUEST_SCRIPT TIMEOUT_SECONDS "$@"
run_guest_script() {
  local guest=$1 timeout=$2 backends="pfkey xfrm" name=${0##*/} o OPTIND=1
  shift 2
  while getopts 'b:' o; do
    case $o in b) backends=$OPTARG ;; *) return 2 ;; esac
  done
  shift $((OPTIND - 1))
  (($# == 1)) || { echo "usage: $name [-b BACKENDS] BUILD_DIR" >&2; return 2; }
  [[ -x $1/setkey ]] || { echo "$name: no executable $1/setkey" >&2; return 2; }
  local here payload
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  payload=$(mktemp -d "/tmp/${name%.sh}.XXXXXX")
  cp "$1/setkey" "$here/$guest" "$payload/"
  local rc=0
  # $backends is a word list on purpose: one argument per backend.
  # shellcheck disable=SC2086
  "$here/../vm/run-in-vm.sh" -L -t "$timeout" "$payload" -- bash "./$guest" $backends || rc=$?
  rm -rf "$payload"
  return $rc
}
