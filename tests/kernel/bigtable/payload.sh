#!/bin/bash
# Large tables, before the boot:  payload.sh DIR BUILD_DIR
# Puts into DIR (the suite's payload folder) the script of N SAs and N policies made by
# bench/gen-script.py (N = SETKEY_BIGTABLE_N, default 10000), N itself, the SPI and
# selector sets the dumps must give back, and the host's jq (run-in-vm's -L brings its
# libraries) and bench_rusage_run and
# bench_raw_dumper when BUILD_DIR has them. guest.sh loads it with `setkey -f` through each backend; -D/-DP/-o json/
# -o jsonl must lose nothing.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
gen=${SETKEY_BENCH_GEN:-$here/../../../bench/gen-script.py}
n=${SETKEY_BIGTABLE_N:-10000}
(($# == 2)) || { echo "usage: ${0##*/} DIR BUILD_DIR" >&2; exit 2; }
P=$1
if [[ -x /usr/bin/jq ]]; then cp /usr/bin/jq "$P/"; fi
# Peak RSS figures, when the bench tools are built (guest.sh prints times without it).
for t in bench_rusage_run bench_raw_dumper; do
  if [[ -x $2/bench/kernel/$t ]]; then cp "$2/bench/kernel/$t" "$P/"; fi
done
echo "$n" >"$P/n"
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
