#!/bin/bash
# Everything that needs a real kernel, for CI: the VM harness self-test, the corpus
# checker's self-test (fake setkey), the corpus golden test of BUILD_DIR/setkey through
# both backends, the command matrix, the 10,000-entry tables (both backends each), and
# the --atomic, progress, interrupted-load, changing-script, setkey.service, completion
# and -x monitor checks, output that cannot be written (every mode and format), the
# wire and kernel limits (templates, security context lengths), the machine formats
# against docs/schema, and the setkey-metrics textfile.
# Runs every stage even if one fails (more to read in the log); exits 1 if any failed.
set -euo pipefail
(($# == 1)) || { echo "usage: ${0##*/} BUILD_DIR" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(cd "$1" && pwd)

"$here/../vm/setup.sh" >/dev/null
failed=()
step() {  # step NAME CMD...: run one stage, timed, remembering failures
  local name=$1 t0=$SECONDS; shift
  echo "=== $name"
  "$@" || failed+=("$name")
  echo "=== $name: $((SECONDS - t0)) s"
}
step "vm selftest" "$here/../vm/selftest.sh"
step "corpus checker selftest" "$here/corpus-selftest.sh"
step "corpus on the real kernel" "$here/corpus-vm.sh" "$build"
step "command matrix" "$here/matrix.sh" "$build"
step "large tables" "$here/bigtable.sh" "$build"
step "atomic loads (host netns)" "$here/atomic-netns.sh" "$build"
step "load progress (host netns)" "$here/atomic-progress.sh" "$build"
step "interrupted loads (host netns)" "$here/interrupt-netns.sh" "$build"
step "scripts changing during a load (host netns)" "$here/changing-script-netns.sh" "$build"
step "setkey.service (host netns)" "$here/service-netns.sh" "$build"
step "bash completion" "$here/service-completion.sh" "$build"
step "atomic loads (SAs, both backends)" "$here/atomic-vm.sh" "$build"
step "monitor -x (host netns)" "$here/monitor-netns.sh" "$build"
step "write errors (host netns)" "$here/write-error-netns.sh" "$build"
step "wire and kernel limits (host netns)" "$here/limits-netns.sh" "$build"
step "JSON schema of real output (host netns)" "$here/schema-netns.sh" "$build"
step "setkey-metrics textfile (host netns)" "$here/metrics-netns.sh" "$build"
step "monitor -x (SAs, both backends)" "$here/monitor-vm.sh" "$build"
if ((${#failed[@]})); then
  printf 'kernel tests FAILED: %s\n' "${failed[*]}"
  exit 1
fi
echo "kernel tests passed"
