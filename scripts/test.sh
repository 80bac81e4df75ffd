#!/bin/bash
# Everything CI checks, in order; every step runs even when an earlier one failed, and
# a summary ends the run. Exit status: 0 only if every step passed.
#   1. setup (packages, qemu lab)      4. clang libFuzzer build, each fuzz_* target ~20 s
#   2. Release build + ctest           5. mandoc -Tlint man/setkey.8
#   3. ASan+UBSan build + ctest        6. real-kernel tests: tests/kernel/run.sh (host suites,
#                                         then every VM suite in one qemu boot)
#   7. Debian package: scripts/build-deb.sh (lintian), tests/packaging/deb-install-check.sh
# Env: SETKEY_JOBS (parallel jobs, default nproc), SETKEY_FUZZ_SECONDS (default 20),
#      SETKEY_SKIP_VM=1 (no qemu lab, no kernel tests).
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
jobs=${SETKEY_JOBS:-$(nproc)}
fuzz_seconds=${SETKEY_FUZZ_SECONDS:-20}
. "$root/tests/lib/corpus.sh"
corpus=$(corpus_dir "$root")  # optional: the steps that need it say they skip it
release=$root/build-release
asan=$root/build-asan
fuzz=$root/build-fuzz

# shellcheck source=tests/lib/check.sh
. "$root/tests/lib/check.sh"   # step, step_summary

build_and_test() { # build_and_test DIR [cmake args...]
  local dir=$1
  shift
  bash scripts/build.sh "$dir" "$@" && ctest --test-dir "$dir" --output-on-failure -j "$jobs"
}

run_fuzzers() {
  local targets=("$fuzz"/fuzz/fuzz_*) t name work rc=0
  [[ -e ${targets[0]} ]] || { echo "no fuzz_* targets built" >&2; return 0; }
  for t in "${targets[@]}"; do
    [[ -x $t ]] || continue
    name=${t##*/}
    work=$(mktemp -d)
    # Seeds: recorded kernel messages for codec fuzzers; for the others the project's
    # example scripts, plus the ipsec-tools corpus when it is there.
    local seeds=()
    case $name in
      *pfkey*) # the PF_KEY recordings are hex dumps: their bytes as seed files
        local dumps=("$root"/tests/golden/pfkey/*.txt)
        if corpus_present "$corpus" >/dev/null 2>&1; then
          dumps+=("$corpus"/expected/requests-H/*.txt "$corpus"/expected/vm-modes/*.out)
        fi
        python3 "$root/fuzz/hexdump_seeds.py" "$work.seeds" "${dumps[@]}" >&2 || rc=1
        seeds=("$root/tests/golden" "$work.seeds") ;;
      *xfrm*|*codec*|*decode*) seeds=("$root/tests/golden") ;;
      *) seeds=("$root/examples")
         if corpus_present "$corpus" >&2; then
           seeds+=("$corpus/scripts" "$corpus/invalid" "$corpus/quirks")
         fi ;;
    esac
    local existing=()
    for s in "${seeds[@]}"; do [[ -d $s ]] && existing+=("$s"); done
    echo "--- $name (${fuzz_seconds}s)" >&2
    # Crashing inputs go to the build directory, never into the source tree.
    mkdir -p "$fuzz/artifacts"
    if ! "$t" -max_total_time="$fuzz_seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 \
        -artifact_prefix="$fuzz/artifacts/$name-" "$work" "${existing[@]}" >"$work.log" 2>&1; then
      grep -E 'ERROR|SUMMARY|Test unit written' "$work.log" >&2
      rc=1
    fi
    rm -rf "$work" "$work.log" "$work.seeds"
  done
  return $rc
}

lint_man() {
  local out
  out=$(mandoc -Tlint -Wwarning man/setkey.8 2>&1)
  [[ -z $out ]] || { echo "$out" >&2; return 1; }
}

kernel_tests() {
  if [[ ${SETKEY_SKIP_VM:-0} == 1 ]]; then echo "skipped (SETKEY_SKIP_VM=1)" >&2; return 0; fi
  bash tests/kernel/run.sh "$release"
}

deb_package() { # build it (lintian-clean), install, check, purge
  local deb
  deb=$(bash scripts/build-deb.sh "$root/build-deb") && bash tests/packaging/deb-install-check.sh "$deb"
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

step "setup" bash scripts/setup.sh
step "release build + unit/e2e tests" build_and_test "$release" -DCMAKE_BUILD_TYPE=Release
step "asan+ubsan build + unit/e2e tests" build_and_test "$asan" -DCMAKE_BUILD_TYPE=Debug -DSETKEY_SANITIZE=ON
step "fuzz build (clang)" bash scripts/build.sh "$fuzz" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DSETKEY_FUZZ=ON -DSETKEY_TESTS=OFF
step "fuzz targets (${fuzz_seconds}s each)" run_fuzzers
step "mandoc -Tlint man/setkey.8" lint_man
step "real-kernel tests (qemu)" kernel_tests
step "debian package (build, lintian, install, purge)" deb_package

echo
echo "===== summary (${SECONDS}s)"
step_summary
passed_steps=$(printf '%s\n' "${step_results[@]}" | grep -c '^PASS')
failed_steps=$(printf '%s\n' "${step_results[@]}" | grep -c '^FAIL')
if ((step_failed)); then echo "RESULT: FAILED"; else echo "RESULT: all steps passed"; fi
echo "steps: $passed_steps passed, $failed_steps failed"
exit $step_failed
