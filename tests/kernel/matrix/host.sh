#!/bin/bash
# Real-kernel command matrix: one VM boot runs guest-matrix.sh (every setkey command on
# ESP/AH/IPComp, v4/v6, transport/tunnel, NAT-T, lifetimes, reqids, priorities, AEAD,
# exit statuses) through each backend.
#   matrix.sh [-b 'pfkey xfrm'] BUILD_DIR
# Prints PASS/FAIL per check, then "N passed, M failed", then the JSON the guest printed
# checked against docs/schema; exits non-zero on any failure.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/kernel/vm-lib.sh
. "$here/vm-lib.sh"
# The guest prints the JSON of its real tables and -x events as "SCHEMA FILE BACKEND
# LINE" lines; they are validated here against docs/schema (python3-jsonschema) and
# kept out of the log.
capture=$(mktemp)
trap 'rm -rf "$capture" "$capture".d' EXIT
rc=0
run_guest_script guest-matrix.sh 600 "$@" | tee "$capture" | grep -v '^SCHEMA ' || rc=$?
mkdir "$capture.d"
schema_failed=0
for schema in dump.schema.json record.schema.json event.schema.json; do
  { grep "^SCHEMA $schema " "$capture" || true; } | cut -d' ' -f4- >"$capture.d/$schema"
  n=$(wc -l <"$capture.d/$schema")
  if /usr/bin/python3 "$here/../unit/output/validate_json.py" "$here/../../docs/schema/$schema"        "$capture.d/$schema" >"$capture.d/why"; then
    echo "PASS schema: $n lines from the VM validate against $schema"
  else
    echo "FAIL schema: $n lines from the VM against $schema"; head -20 "$capture.d/why"
    schema_failed=1
  fi
done
((rc == 0 && schema_failed == 0))
