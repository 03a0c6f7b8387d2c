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
# When the steps include both build and package, the release build starts beside the debug build at the lowest
# priority (nice 19, and its scheduling group's weight the same): it takes the processor time that the debug build, the tests and the fuzz pass leave idle (their
# link steps, servers starting, waits for a screen), and the package step waits for what is left of it. The tests
# themselves run at the usual priority, so the release build slows them by little.
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

# The release build beside the others (see above): its log, and its exit code and duration when it has finished.
release_pid=""
release_log=.build/release-build.log
release_status=.build/release-build.status
start_release_build() {
  mkdir -p .build
  rm -f "$release_status"
  # A session of its own, so that it can be stopped as a whole; and so a scheduling group of its own (autogroup),
  # whose weight is set to nice 19's too: a plain nice would rank it only within its own group.
  setsid bash -c 'start=$SECONDS; echo 19 > /proc/self/autogroup 2>/dev/null; nice -n 19 make --no-print-directory release-binary SWIFT="$1" > "$2" 2>&1; echo "$? $((SECONDS - start))" > "$3"' \
    release-build "$swift" "$release_log" "$release_status" < /dev/null &
  release_pid=$!
}
stop_release_build() {
  if [ -n "$release_pid" ] && kill -0 "$release_pid" 2>/dev/null; then kill -- "-$release_pid" 2>/dev/null; wait "$release_pid" 2>/dev/null; fi
  release_pid=""
}
trap stop_release_build EXIT
trap "exit 130" INT TERM HUP
package_step() {
  if [ -n "$release_pid" ]; then
    wait "$release_pid"
    release_pid=""
    read -r code took < "$release_status" 2>/dev/null || { code=1; took=0; }
    echo "package: the release build ran beside the earlier steps for $took s (nice 19)"
    if [ "$code" -ne 0 ]; then
      echo "package: the release build failed (exit $code); the end of $release_log:"
      tail -30 "$release_log"
      return "$code"
    fi
  fi
  make --no-print-directory package-test
}

case " $steps " in
  *" build "*" package "*)
    # Dependencies resolved once, before the two builds read the package cache.
    "$swift" package resolve > /dev/null && start_release_build ;;
esac

for step in $steps; do
  case $step in
    build) run_step build "$swift" build --build-tests || { steps=""; stop_release_build; break; } ;;
    # The run loop in process first, on its own: its waits are for frames, and a processor busy with the size sweep's
    # renders (which hold the cooperative pool's two threads for seconds) would only delay them.
    unit) run_step unit bash -c 'LOG=.build/unit-tests-run-loop.log scripts/unit-test.sh --filter LookoutAppTests; first=$?
            LOG=.build/unit-tests.log scripts/unit-test.sh --skip IntegrationTests --skip LookoutAppTests || exit 1
            exit $first' ;;
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
