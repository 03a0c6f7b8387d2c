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
# With both build and package among the steps, the release build (make deb) starts at once in the background at the
# lowest priority (nice 19): it takes the cycles the debug build, the tests and the servers leave idle (linking, a
# module waiting for the one it imports, a test waiting for Prometheus), and the tests keep the processors whenever
# they want them. The package step waits for it and then runs the checks. PIPELINE=0 runs it in the package step.
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
release_pid=""
release_log=.build-release/pipeline.log

# The release build in the background (see above); its own scratch path (.build-release), so it shares no lock with
# the debug build.
if [ "${PIPELINE:-1}" = 1 ] && [[ " $steps " == *" build "* ]] && [[ " $steps " == *" package "* ]]; then
  echo "=== the release build starts in the background (nice 19), its output in $release_log"
  mkdir -p .build-release
  # A session of its own, so that an early exit (a failed debug build) stops the whole build, swift's children too.
  setsid nice -n 19 make --no-print-directory deb > "$release_log" 2>&1 &
  release_pid=$!
  trap '[ -n "$release_pid" ] && kill -- "-$release_pid" 2>/dev/null' EXIT
fi

# The package step: the background release build's outcome first (its output when it failed), then the checks (make
# package-test builds again only what changed since).
package_step() {
  if [ -n "$release_pid" ]; then
    echo "waiting for the release build in the background"
    wait "$release_pid"
    local status=$?
    release_pid=""
    if [ "$status" -ne 0 ]; then
      echo "the release build failed (exit $status); its output:" >&2
      tail -n 60 "$release_log" >&2
      return "$status"
    fi
  fi
  make --no-print-directory package-test
}

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
    unit) run_step unit env LOG=.build/unit-tests.log scripts/unit-test.sh --skip IntegrationTests ;;
    integration)
      # Three tests at once at most: each may run a Prometheus, an Alertmanager pair or a tmux session.
      run_step integration env SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=3 LOG=.build/integration-tests.log scripts/unit-test.sh --filter IntegrationTests ;;
    fuzz) run_step fuzz env FUZZ_CONFIG=${FUZZ_CONFIG:-debug} scripts/fuzz.sh ;;
    package) run_step package package_step ;;
    *) echo "test: unknown step '$step'" >&2; exit 2 ;;
  esac
done

echo "=== make test: the steps and how long each took"
printf '%s\n' "${summary[@]}"
total=${#summary[@]}
echo "steps: $((total - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
