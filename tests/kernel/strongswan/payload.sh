#!/bin/bash
# Files the guest needs besides this folder and ./setkey, made on the host:
#   payload.sh DIR BUILD_DIR
# Debian's charon, swanctl and the plugins named by the `load =` line of
# strongswan-a.conf go to DIR/sysroot at their packaged paths (run-in-vm.sh -L adds their
# libraries); iputils' ping (busybox's cannot set a mark, which the route tunnel needs)
# and jq go to DIR. The packages are installed when missing; when they cannot be,
# DIR/skip says so and the guest prints it instead of running.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/vm/common.sh
. "$here/../../vm/common.sh"
(($# == 2)) || { echo "usage: ${0##*/} DIR BUILD_DIR" >&2; exit 2; }
dir=$1
if ! vm_install strongswan-charon strongswan-swanctl iputils-ping jq ||
   [[ ! -x /usr/lib/ipsec/charon || ! -x /usr/sbin/swanctl ]]; then
  echo "SKIP strongswan: strongswan-charon/strongswan-swanctl not installable here" | tee "$dir/skip"
  exit 0
fi
dpkg-query -W -f='host: ${Package} ${Version}\n' strongswan-charon strongswan-swanctl
cp "$(command -v ping)" "$(command -v jq)" "$dir/"
sys=$dir/sysroot
install -D /usr/lib/ipsec/charon "$sys/usr/lib/ipsec/charon"
install -D /usr/sbin/swanctl "$sys/usr/sbin/swanctl"
for p in $(sed -n 's/^ *load = //p' "$here/strongswan-a.conf" | tr ' ' '\n' | sort -u); do
  install -D "/usr/lib/ipsec/plugins/libstrongswan-$p.so" "$sys/usr/lib/ipsec/plugins/libstrongswan-$p.so"
done
