#!/bin/bash
# Command matrix, after the boot:  verify.sh OUTPUT (what guest.sh printed)
# The guest prints the JSON of its real tables and -x events as "SCHEMA FILE BACKEND
# LINE" lines (the runner keeps them out of the log); they are validated here against
# docs/schema (python3-jsonschema; the guest has no python). One PASS/FAIL line per
# schema file, then "N passed, M failed".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib/check.sh
. "$here/../../lib/check.sh"
(($# == 1)) || { echo "usage: ${0##*/} OUTPUT" >&2; exit 2; }
capture=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for schema in dump.schema.json record.schema.json event.schema.json; do
  { grep "^SCHEMA $schema " "$capture" || true; } | cut -d' ' -f4- >"$work/$schema"
  n=$(wc -l <"$work/$schema")
  if /usr/bin/python3 "$here/../../unit/output/validate_json.py" "$here/../../../docs/schema/$schema" \
      "$work/$schema" >"$work/why"; then
    ok "schema: $n lines from the VM validate against $schema"
  else
    ko "schema: $n lines from the VM against $schema"; head -20 "$work/why"
  fi
done
summary
