#!/bin/bash
# Large tables on the real kernel: N SAs and N policies (default 10000, made by
# bench/gen-script.py) loaded with `setkey -f` through each backend in one VM
# boot; -D/-DP/-o json/-o jsonl must lose nothing (see guest-bigtable.sh).
#   bigtable.sh [-n N] [-b 'pfkey xfrm'] BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
gen=${SETKEY_BENCH_GEN:-$here/../../bench/gen-script.py}
n=10000 backends="pfkey xfrm"
while getopts 'n:b:' o; do
  case $o in n) n=$OPTARG ;; b) backends=$OPTARG ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
(($# == 1)) || { echo "usage: ${0##*/} [-n N] [-b BACKENDS] BUILD_DIR" >&2; exit 2; }
[[ -x $1/setkey ]] || { echo "bigtable: no executable $1/setkey" >&2; exit 2; }
P=$(mktemp -d /tmp/bigtable.XXXXXX)
trap 'rm -rf "$P"' EXIT
cp "$1/setkey" "$here/guest-bigtable.sh" "$P/"
if [[ -x /usr/bin/jq ]]; then cp /usr/bin/jq "$P/"; fi   # -L brings its libraries
python3 "$gen" "$n" >"$P/big.conf"
chmod 600 "$P/big.conf" # it holds keys; setkey warns about keys others can read
# The sets the dumps must give back: SPIs in decimal as -D prints them, and each
# policy's selector line as -DP prints it (a /32 prefix is not shown).
grep -o 'esp 0x[0-9a-f]*' "$P/big.conf" | while read -r _ h; do echo "spi=$((h))"; done |
  sort -u >"$P/spis.txt"
sed -n 's|^spdadd \([0-9.]*\)/32\(\[any\]\) \([0-9.]*\)/32\(\[any\]\) any .*|\1\2 \3\4 255|p' \
  "$P/big.conf" | sort -u >"$P/sels.txt"
[[ $(wc -l <"$P/spis.txt") == "$n" && $(wc -l <"$P/sels.txt") == "$n" ]] ||
  { echo "bigtable: expected sets are not $n long" >&2; exit 2; }
# shellcheck disable=SC2086  # one argument per backend
"$here/../vm/run-in-vm.sh" -L -t 1800 "$P" -- bash ./guest-bigtable.sh "$n" $backends
