#!/bin/bash
# Proves the VM harness: exit statuses, separate and byte-exact stdout/stderr, argv/env
# passing, -L library copying, timeouts and panics, and that the guest kernel really
# speaks PF_KEY (SADB_REGISTER algorithms) and XFRM (ip xfrm state). Eight boots, ~30 s.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/common.sh"
run=$here/run-in-vm.sh

vm_install gcc g++ libc6-dev
"$here/setup.sh" >/dev/null
echo "kernel: $(cat "$VM_CACHE/current") $(cat "$VM_CACHE/$(cat "$VM_CACHE/current")/version")"

T=$(mktemp -d /tmp/vm-selftest.XXXXXX)
trap 'rm -rf "$T"' EXIT
# shellcheck source=tests/lib/check.sh
. "$here/../lib/check.sh"
vm() {     # vm RUNNER-ARGS...: one boot; leaves $T/out, $T/err, $rc, $secs
  local t0=$EPOCHREALTIME
  set +e; "$run" "$@" >"$T/out" 2>"$T/err"; rc=$?; set -e
  secs=$(since "$t0")
}
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }
has() { grep -qxF -- "$1" "$T/out"; }   # an exact stdout line

# Payload: a static PF_KEY probe, a dynamic C++ program, all 256 byte values, a script.
P=$T/payload
mkdir -p "$P"
gcc -static -O2 -o "$P/pfkey-probe" "$here/pfkey-probe.c"
printf '#include <iostream>\nint main() { std::cout << "hello from c++" << std::endl; }\n' >"$T/hello.cpp"
g++ -O2 -o "$P/hello" "$T/hello.cpp"
for i in $(seq 0 255); do printf "\\$(printf %o "$i")"; done >"$P/bytes.bin"
cat >"$P/main.sh" <<'SH'
printf 'argc=%s\n' "$#"; for a in "$@"; do printf 'arg=[%s]\n' "$a"; done
echo "cwd=$(pwd) user=$(id -u) tz=$(date +%Z) foo=[$FOO] vm=$RUN_IN_VM"
./pfkey-probe register
ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1000 reqid 42 mode tunnel \
  auth sha1 0x0123456789abcdef0123456789abcdef01234567 enc aes 0x0123456789abcdef0123456789abcdef
ip xfrm state | sed -n 's/^\t*\(proto esp spi [^ ]*\).*/\1/p'
./pfkey-probe dump
./hello
echo to-stderr >&2
exit 3
SH

vm "$P" -- true
echo "boot+run of true: ${secs}s"
check "true exits 0 with no output" test "$rc" = 0 -a ! -s "$T/out" -a ! -s "$T/err"

vm -L -e "FOO=it's a b" "$P" -- sh ./main.sh "two  words" "it's" ""
check "exit status 3 propagates" test "$rc" = 3
check "stderr carries only stderr" test "$(cat "$T/err")" = to-stderr
check "argv survives quoting" has "argc=3"
check "argv survives quoting (values)" \
  test "$(grep '^arg=' "$T/out")" = "$(printf 'arg=[two  words]\narg=[it'\''s]\narg=[]')"
check "cwd /payload, root, TZ=UTC, -e env" has "cwd=/payload user=0 tz=UTC foo=[it's a b] vm=1"
check "PF_KEY REGISTER lists the preloaded auth algorithms" has "auth 251 2 3 5 6 7 8 9"
check "PF_KEY REGISTER lists the preloaded ciphers" has "encrypt 11 2 3 6 7 12 252 22 253 13"
check "ip xfrm state lists the ESP SA" has "proto esp spi 0x00001000"
check "PF_KEY dump sees the XFRM-made SA" has "sa 3 0x00001000"
check "-L runs a dynamic C++ binary" has "hello from c++"

vm "$P" -- sh -c 'cat bytes.bin; exit 42'
check "exit 42 propagates" test "$rc" = 42
check "stdout is byte-exact (all 256 values)" cmp -s "$T/out" "$P/bytes.bin"

vm "$P" -- no-such-command
check "missing command gives 127" test "$rc" = 127
vm "$P" -- sh -c 'kill -9 $$'
check "SIGKILL gives 137" test "$rc" = 137
vm "$P" -- ./hello
check "dynamic binary without -L fails cleanly (127)" test "$rc" = 127
check "... naming the missing library" grep -q 'libstdc++' "$T/err"
vm -t 6 "$P" -- sleep 100
check "timeout gives 124 (in ${secs}s)" test "$rc" = 124
vm "$P" -- sh -c 'echo c >/proc/sysrq-trigger'
check "kernel panic gives 125" test "$rc" = 125
vm
check "usage error gives 125" test "$rc" = 125
RUN_IN_VM_QEMU_ARGS=-no-such-option vm "$P" -- true
check "qemu failing to start gives 125, no hang (${secs}s)" test "$rc" = 125

t0=$EPOCHREALTIME
"$here/setup.sh" >/dev/null 2>"$T/setup.err"
check "setup.sh again is a quiet no-op ($(since "$t0")s)" test ! -s "$T/setup.err"

summary
