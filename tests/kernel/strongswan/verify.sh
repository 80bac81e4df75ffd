#!/bin/bash
# Checks on the host what guest.sh printed (python3 is not in the guest):
#   verify.sh OUTPUT
# compare.py matches ip's dumps to setkey's JSON and classic dumps, field by field.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
(($# == 1)) || { echo "usage: ${0##*/} OUTPUT" >&2; exit 2; }
if grep -q '^SKIP strongswan:' "$1"; then grep '^SKIP strongswan:' "$1"; exit 0; fi
exec python3 "$here/compare.py" "$1"
