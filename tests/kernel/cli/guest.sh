#!/bin/bash
# Runs INSIDE the VM (tests/kernel/guest.sh runs it from its folder):  guest.sh BACKEND...
# The CLI's Linux rules against a real kernel, over each backend: fwd twins, -k, deleteall
# with several SAs, refusals and exit status, --compat-exit, names with several addresses
# from the hosts file, and when PF_KEY registers (before scripts only). Prints PASS/FAIL
# per check, then "N passed, M failed".
# Scripts written here hold keys: keep them private, as setkey warns otherwise.
umask 077
. "${SETKEY_TEST_LIB:?run by tests/kernel/guest.sh}"   # tests/lib/check.sh
count() { # count PATTERN FILE: matching lines
  grep -c -- "$1" "$2" || true
}
clean() { ./setkey -F; ./setkey -FP; }

cat >in-policy.conf <<'CONF'
spdadd 192.0.2.0/24 198.51.100.0/24 any -P in ipsec esp/transport//require;
CONF
cat >three-sas.conf <<'CONF'
add 203.0.113.1 203.0.113.2 esp 0x100 -E 3des-cbc 0x000102030405060708090a0b0c0d0e0f1011121314151617;
add 203.0.113.1 203.0.113.2 esp 0x101 -E 3des-cbc 0x000102030405060708090a0b0c0d0e0f1011121314151617;
add 203.0.113.1 203.0.113.2 esp 0x102 -E 3des-cbc 0x000102030405060708090a0b0c0d0e0f1011121314151617;
add 203.0.113.1 203.0.113.3 esp 0x103 -E 3des-cbc 0x000102030405060708090a0b0c0d0e0f1011121314151617;
CONF
cat >twice.conf <<'CONF'
add 203.0.113.1 203.0.113.2 ah 0x200 -A hmac-sha1 0x000102030405060708090a0b0c0d0e0f10111213;
add 203.0.113.1 203.0.113.2 ah 0x200 -A hmac-sha1 0x000102030405060708090a0b0c0d0e0f10111213;
spdflush;
CONF

for backend in "$@"; do
  b="--backend $backend"
  clean
  ./setkey $b -f in-policy.conf; rc=$?
  ./setkey -DP >dp.txt
  check "$backend: spdadd in applies (exit $rc)" test "$rc" = 0
  check "$backend: RFC mode adds the fwd twin" test "$(count '	fwd ' dp.txt)" = 1
  check "$backend: the in policy is there" test "$(count '	in ' dp.txt)" = 1

  clean
  ./setkey $b -k -f in-policy.conf
  ./setkey -DP >dp.txt
  check "$backend: -k adds no fwd policy" test "$(count '	fwd ' dp.txt)" = 0

  clean
  ./setkey $b -f three-sas.conf
  ./setkey -D >d.txt
  check "$backend: the three SAs to delete are there" test "$(count 'spi=25[678](' d.txt)" = 3
  echo 'deleteall 203.0.113.1 203.0.113.2 esp;' | ./setkey $b -c; rc=$?
  ./setkey -D >d.txt
  check "$backend: deleteall exits 0 (got $rc)" test "$rc" = 0
  check "$backend: deleteall removes all three SAs" test "$(count 'spi=25[678](' d.txt)" = 0
  check "$backend: deleteall keeps the other pair" test "$(count 'spi=259(' d.txt)" = 1

  clean
  ./setkey $b -f twice.conf >out.txt 2>err.txt; rc=$?
  check "$backend: a refused add exits 2 (got $rc)" test "$rc" = 2
  check "$backend: the refusal names file and line" \
    grep -qx 'setkey: twice.conf:2: add failed: SA already exists' err.txt
  check "$backend: processing went on after the refusal" test "$(./setkey -DP)" = "No SPD entries."

  clean
  ./setkey $b --compat-exit -f twice.conf >out.txt 2>err.txt; rc=$?
  check "$backend: --compat-exit exits 0 (got $rc)" test "$rc" = 0
  check "$backend: --compat-exit prints 0.8.2's result line" \
    grep -qx 'The result of line 2: File exists.' out.txt

  clean
  echo 'get 203.0.113.1 203.0.113.2 esp 0x999;' | ./setkey $b -c >out.txt 2>err.txt; rc=$?
  check "$backend: get of a missing SA exits 2 (got $rc)" test "$rc" = 2
  check "$backend: get of a missing SA says no such SA" \
    grep -qx 'setkey: -:1: get failed: no such SA' err.txt
done

# Names resolved through the system resolver (the guest's own hosts file): an add to a
# name with two addresses installs one SA per address pair, as 0.8.2 does; a policy
# selector naming it is refused with its position, and nothing is applied.
[ -e /etc/nsswitch.conf ] || echo 'hosts: files' >/etc/nsswitch.conf
echo 'multi on' >/etc/host.conf   # Debian's: every address a name has in /etc/hosts
printf '10.7.0.1 multi\n10.7.0.2 multi\n10.8.0.1 peer\n' >>/etc/hosts
# (The name is the destination: SAs are keyed by destination and SPI, so two sources
# with one SPI would be the same SA to the kernel.)
cat >names.conf <<'CONF'
add peer multi esp 0x300 -E 3des-cbc 0x000102030405060708090a0b0c0d0e0f1011121314151617;
CONF
cat >names-sp.conf <<'CONF'
add peer multi esp 0x301 -E 3des-cbc 0x000102030405060708090a0b0c0d0e0f1011121314151617;
spdadd multi/32 peer any -P out none;
CONF
for backend in "$@"; do
  clean
  ./setkey --backend $backend -f names.conf; rc=$?
  ./setkey -D >d.txt
  check "$backend: add to a two-address name exits 0 (got $rc)" test "$rc" = 0
  check "$backend: ... one SA to each address" \
    test "$(grep -c '^10\.8\.0\.1 10\.7\.0\.[12] ' d.txt)" = 2
  clean
  ./setkey --backend $backend -f names-sp.conf 2>err.txt; rc=$?
  check "$backend: a two-address policy selector is a parse error (exit $rc)" test "$rc" = 1
  check "$backend: ... naming the place" grep -q '^setkey: names-sp.conf:2:[0-9]*: multiple address specified' err.txt
  check "$backend: ... and nothing applied" test "$(./setkey -D)" = "No SAD entries."
done

# PF_KEY registers before a script, as 0.8.2 does, and only then (-v shows every message).
clean
./setkey --backend pfkey -v -D >v.txt 2>&1
check "pfkey: -D sends no SADB_REGISTER" test "$(count 'type=7 ' v.txt)" = 0
check "pfkey: -D -v shows its SADB_DUMP" test "$(count 'type=10 ' v.txt)" -ge 1
./setkey --backend pfkey -v -FP >v.txt 2>&1
check "pfkey: -FP sends no SADB_REGISTER" test "$(count 'type=7 ' v.txt)" = 0
./setkey --backend pfkey -v -f in-policy.conf >v.txt 2>&1
check "pfkey: -f registers first" \
  test "$(grep -m1 -o 'sadb_msg{ version=2 type=[0-9]*' v.txt)" = "sadb_msg{ version=2 type=7"
clean
summary
