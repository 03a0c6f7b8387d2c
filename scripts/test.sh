#!/usr/bin/env bash
# make test: every test, in steps that each do one thing once, with their durations at the end.
#
#   build        the debug build of the package and its tests
#   unit         the tests that need no outside process: the pure model, the views, the run loop and the fetcher in
#                process (scripted transports, a clock the test moves), parsers, the mock in process
#   integration  the tests against Debian's Prometheus, Alertmanager, blackbox exporter, promtool and tmux, at most
#                three at once (each starts what it needs on free loopback ports and stops it)
#   fuzz         a short pass of every libFuzzer target (FUZZ_SECONDS each, a debug build; make fuzz runs longer,
#                built for speed)
#   package      the release build and its checks (make package-test)
#
# Every step runs even when an earlier test step failed (a build that fails stops the rest); the exit code is
# non-zero when any failed. STEPS="unit integration" runs only those.
set -uo pipefail
cd "$(dirname "$0")/.."
swift=${SWIFT:-swift}
steps=${STEPS:-build unit integration fuzz package}
export FUZZ_SECONDS=${FUZZ_SECONDS:-5}
summary=()
failed=0

run_step() {
  local name=$1; shift
  local start=$SECONDS
  echo "=== test step: $name"
  "$@"
  local status=$?
  local took=$((SECONDS - start))
  if [ "$status" -eq 0 ]; then
    summary+=("$(printf '  %-12s %4d s  ok' "$name" "$took")")
  else
    summary+=("$(printf '  %-12s %4d s  FAILED (exit %d)' "$name" "$took" "$status")")
    failed=$((failed + 1))
  fi
  return "$status"
}

for step in $steps; do
  case $step in
    build) run_step build "$swift" build --build-tests || { steps=""; break; } ;;
    # The run loop in process first, on its own: its waits are for frames, and a processor busy with the size sweep's
    # renders (which hold the cooperative pool's two threads for seconds) would only delay them.
    unit) run_step unit bash -c 'LOG=.build/unit-tests-run-loop.log scripts/unit-test.sh --filter LookoutAppTests; first=$?
            LOG=.build/unit-tests.log scripts/unit-test.sh --skip IntegrationTests --skip LookoutAppTests || exit 1
            exit $first' ;;
    integration)
      # Three tests at once at most: each may run a Prometheus, an Alertmanager pair or a tmux session.
      run_step integration env SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=3 LOG=.build/integration-tests.log scripts/unit-test.sh --filter IntegrationTests ;;
    fuzz) run_step fuzz env FUZZ_CONFIG=${FUZZ_CONFIG:-debug} scripts/fuzz.sh ;;
    package) run_step package make --no-print-directory package-test ;;
    *) echo "test: unknown step '$step'" >&2; exit 2 ;;
  esac
done

echo "=== make test: the steps and how long each took"
printf '%s\n' "${summary[@]}"
total=${#summary[@]}
echo "steps: $((total - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
