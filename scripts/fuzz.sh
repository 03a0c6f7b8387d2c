#!/usr/bin/env bash
# Coverage-guided fuzzing of lookout's parsers with libFuzzer and AddressSanitizer (make fuzz; README, "Reliability").
#
#   FUZZ_SECONDS=60 scripts/fuzz.sh            every target for 60 s (the default)
#   FUZZ_SECONDS=15 scripts/fuzz.sh promql     one target
#
# Seeds come from Fuzz/corpus/<target> (the recorded fixtures, the example dashboards and themes); new inputs are
# kept in .build-fuzz/corpus/<target>. A crash, a leak or an input slower than 10 s is written to
# Fuzz/crashes/<target>-…: commit it, and the unit tests replay it as a regression test. Exits 1 when one is found.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
swift=${SWIFT:-swift}
if [ $# -gt 0 ]; then targets=("$@"); else
  targets=(prometheus-answer alertmanager-answer dashboard-yaml grafana-import theme safetext promql legend alert-detail keys exposition)
fi
# -Xswiftc as well as --sanitize: SwiftPM's flag alone leaves the Swift modules of the dependency (lookout itself) without
# coverage instrumentation, and libFuzzer would fuzz blind.
# FUZZ_CONFIG=debug (make test's short pass) builds faster and fuzzes slower; make fuzz builds for speed (release).
config=${FUZZ_CONFIG:-release}
build=(--package-path Fuzz --scratch-path ".build-fuzz-$config" -c "$config" --sanitize fuzzer --sanitize address -Xswiftc -sanitize=fuzzer,address)
echo "fuzz: building the targets with libFuzzer and AddressSanitizer ($config, .build-fuzz-$config)"
"$swift" build "${build[@]}" --product lookout-fuzz
binary="$("$swift" build "${build[@]}" --show-bin-path)/lookout-fuzz"
mkdir -p Fuzz/crashes
# FUZZ_JOBS targets at once (default: one per core); each prints its result once it has finished, in order.
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
run_target() {
  local target=$1 work=".build-fuzz/corpus/$1"
  mkdir -p "$work" "Fuzz/corpus/$target"
  local before after status=0
  before=$(find Fuzz/crashes -name "$target-*" | wc -l)
  LOOKOUT_FUZZ_TARGET="$target" ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no "$binary" "$work" "Fuzz/corpus/$target" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -artifact_prefix="Fuzz/crashes/$target-" -print_final_stats=1 >".build-fuzz/$target.log" 2>&1 || status=1
  after=$(find Fuzz/crashes -name "$target-*" | wc -l)
  [ "$after" -gt "$before" ] && status=1
  echo "$status" > ".build-fuzz/$target.status"
}
echo "fuzz: ${#targets[@]} targets for ${seconds}s each, $jobs at once"
for target in "${targets[@]}"; do
  rm -f ".build-fuzz/$target.status"
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run_target "$target" &
done
wait
failed=0
for target in "${targets[@]}"; do
  if [ "$(cat ".build-fuzz/$target.status" 2>/dev/null || echo 1)" != 0 ]; then
    failed=$((failed + 1))
    echo "fuzz: $target FAILED; the input is in Fuzz/crashes/, the log in .build-fuzz/$target.log:"
    grep -E 'ERROR|SUMMARY|Fatal error|Test unit written' ".build-fuzz/$target.log" | head -5 || true
  else
    echo "fuzz: $target: $(grep -E '^stat::number_of_executed_units|^stat::new_units_added' ".build-fuzz/$target.log" | tr '\n' ' ' || true)"
  fi
done
echo "fuzz: ${#targets[@]} targets, ${seconds}s each"
echo "fuzz: $((${#targets[@]} - failed)) passed, $failed failed"
[ "$failed" -eq 0 ] || { echo "fuzz: crashes found (Fuzz/crashes)"; exit 1; }
