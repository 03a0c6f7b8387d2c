#!/usr/bin/env bash
# Runs every Swift test (make unit-test) and, when one fails, repeats the failures at the end of the output, where a
# CI log's tail shows them: the run's own closing line only says how many.
set -uo pipefail
cd "$(dirname "$0")/.."
swift=${SWIFT:-swift}
log=${LOG:-.build/test-output.log}
mkdir -p .build
"$swift" test --skip-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
  echo "unit-test: failed (exit $status); the failures:" >&2
  grep -E '✘|recorded an issue|error:|Fatal error|Crash|signal' "$log" | grep -v 'with [0-9]* issue' | head -60 >&2
  grep -E '✘ Test run' "$log" >&2
fi
exit "$status"
