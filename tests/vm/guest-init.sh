#!/bin/sh
# PID 1 of the test VM (dash; the tools are busybox applet links). It runs the command in
# /run-in-vm/cmd once, streams its stdout/stderr to ttyS1/ttyS2 and reports the exit status
# as a marker line on the console (ttyS0), then powers off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/payload
con=/dev/ttyS0
mark() { echo "=== RUN-IN-VM: $* ===" >$con; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs shm /dev/shm
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr

# request_module() then uses busybox modprobe for anything not preloaded.
echo /sbin/modprobe >/proc/sys/kernel/modprobe
kmods=/lib/modules/$(uname -r)
while read -r m; do
  insmod "$kmods/$m" 2>/dev/null || mark "INSMOD FAILED $m"
done </etc/modules.load

ip link set lo up
hostname rivm
. /run-in-vm/env
cd /payload

# Raw ttys: no \n -> \r\n, no echo, so output is byte-exact (P5).
stty -F /dev/ttyS1 raw -echo
stty -F /dev/ttyS2 raw -echo
# The command writes to pipes, as under a host test runner (isatty false, same buffering).
mkfifo /run/out /run/err
cat /run/out >/dev/ttyS1 &
fwd_out=$!
cat /run/err >/dev/ttyS2 &
fwd_err=$!

dmesg -c >/dev/null
mark "START $(cut -d' ' -f1 /proc/uptime)"
/bin/sh /run-in-vm/cmd </dev/null >/run/out 2>/run/err
rc=$?
mark "END $(cut -d' ' -f1 /proc/uptime)"

# A leftover background process may keep the pipes open: give up on it after 5 s.
(sleep 5; kill $fwd_out $fwd_err 2>/dev/null) &
watchdog=$!
wait $fwd_out $fwd_err
kill $watchdog 2>/dev/null

msgs=$(dmesg -c)
if [ -n "$msgs" ]; then
  echo "--- kernel messages during the command ---" >$con
  echo "$msgs" >$con
  echo "--- end of kernel messages ---" >$con
fi
mark "EXIT STATUS $rc"
sync
poweroff -f
