#!/bin/bash
# Boot Debian's kernel in qemu (TCG) and run one command as root in it.
#   run-in-vm.sh [-t secs] [-e NAME=VALUE]... [-L] [-l log] DIR -- CMD ARGS...
# DIR is copied to /payload (the cwd; it is last in PATH, so run payload programs as ./x).
# -L also copies the ldd closure of every dynamic ELF in DIR. The command's stdout and
# stderr stream back separately. Exit status: the command's; 124 timeout; 125 VM/harness.
# Env: SETKEY_VM_CACHE, KABI (kernel ABI), RUN_IN_VM_QEMU_ARGS (extra qemu arguments).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() { echo "usage: ${0##*/} [-t secs] [-e N=V]... [-L] [-l log] DIR -- CMD ARGS..." >&2; exit 125; }
timeout_s=120 libs=0 log= envs=()
while getopts 't:e:Ll:h' o; do
  case $o in
    t) timeout_s=$OPTARG ;;
    e) [[ $OPTARG =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || usage; envs+=("$OPTARG") ;;
    L) libs=1 ;;
    l) log=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
(($# >= 3)) && [[ $2 == -- && -d $1 ]] || usage
dir=$1
shift 2

# The lab is built by setup.sh; build it on first use (quiet and quick when it exists).
kver=${KABI:+$KABI-amd64}
[[ -n $kver ]] || kver=$(cat "$VM_CACHE/current" 2>/dev/null || true)
kdir=$VM_CACHE/$kver
if [[ -z $kver || ! -s $kdir/base.cpio.gz || ! -s $kdir/vmlinux ]]; then
  kdir=$("$VM_DIR/setup.sh") || exit 125
fi

T=$(mktemp -d /tmp/run-in-vm.XXXXXX)
pids=()
cleanup() {
  for f in con out err; do [[ -p $T/$f ]] && : <>"$T/$f"; done  # unblock readers (P7)
  ((${#pids[@]})) && wait "${pids[@]}" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT

# Per-run overlay: an uncompressed cpio appended to the (512-byte padded) base image.
ov=$T/ov
mkdir -p "$ov/payload" "$ov/run-in-vm"
cp -a "$dir/." "$ov/payload/"
if ((libs)); then
  while IFS= read -r -d '' f; do
    file -b "$f" | grep -q 'ELF.*dynamically linked' || continue
    for lib in $(ldd "$f" | grep -o '/[^ ]*'); do
      [[ -e $ov$lib ]] || install -D -m 0755 "$(readlink -f "$lib")" "$ov$lib"
    done
  done < <(find "$ov/payload" -type f -print0)
fi
q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }   # POSIX single quoting: any argv survives
{ printf 'exec'; for a in "$@"; do printf ' %s' "$(q "$a")"; done; echo; } >"$ov/run-in-vm/cmd"
{ echo 'export RUN_IN_VM=1 TZ=UTC'
  for e in "${envs[@]}"; do echo "export ${e%%=*}=$(q "${e#*=}")"; done; } >"$ov/run-in-vm/env"
(cd "$ov" && find . -mindepth 1 | sed 's|^\./||' | cpio -o -H newc -R 0:0 --quiet) >"$T/ov.cpio"
cat "$kdir/base.cpio.gz" "$T/ov.cpio" >"$T/initrd"

# Three serial ports into FIFOs, read before qemu starts so output streams live.
mkfifo "$T/con" "$T/out" "$T/err"
cat <"$T/out" & pids+=($!)
cat <"$T/err" >&2 & pids+=($!)
tr -d '\r' <"$T/con" >"$T/console.log" & pids+=($!)

set +e
# shellcheck disable=SC2086  # extra qemu arguments are word-split on purpose
timeout -k 5 "$timeout_s" qemu-system-x86_64 -accel tcg -M pc -m 512M -smp 1 \
  -nodefaults -no-user-config -display none -no-reboot \
  -chardev file,id=con,path="$T/con" -serial chardev:con \
  -chardev file,id=out,path="$T/out" -serial chardev:out \
  -chardev file,id=err,path="$T/err" -serial chardev:err \
  -kernel "$kdir/vmlinux" -initrd "$T/initrd" \
  -append "console=ttyS0 panic=-1 oops=panic cryptomgr.notests=1 quiet" \
  ${RUN_IN_VM_QEMU_ARGS:-} </dev/null >"$T/qemu.log" 2>&1
qrc=$?
set -e
for f in con out err; do : <>"$T/$f"; done
wait "${pids[@]}"
pids=()
[[ -n $log ]] && cp "$T/console.log" "$log"

con=$T/console.log
if grep -q '^=== RUN-IN-VM: INSMOD FAILED' "$con"; then
  grep '^=== RUN-IN-VM: INSMOD FAILED' "$con" | sed 's/^/run-in-vm: warning: /' >&2
fi
if sed -n '/^--- kernel messages during/,/^--- end of kernel/p' "$con" |
   grep -qE 'WARNING:|BUG:|Oops|Call Trace'; then
  echo "run-in-vm: kernel complained during the command:" >&2
  sed -n '/^--- kernel messages during/,/^--- end of kernel/p' "$con" >&2
fi
rc=$(sed -n 's/^=== RUN-IN-VM: EXIT STATUS \([0-9]*\) ===$/\1/p' "$con" | tail -1)
if [[ -n $rc ]]; then exit "$rc"; fi
if ((qrc == 124)); then
  echo "run-in-vm: timed out after ${timeout_s}s" >&2
  exit 124
fi
echo "run-in-vm: no exit status from the VM (qemu rc=$qrc); console tail:" >&2
tail -n 30 "$con" "$T/qemu.log" >&2
exit 125
