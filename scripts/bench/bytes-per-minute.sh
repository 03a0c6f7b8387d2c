#!/usr/bin/env bash
# Response bytes per minute that the dashboard reads from Prometheus, with incremental refresh and with
# --full-refresh, counted by a local proxy (scripts/bench/counting_proxy.py); README, "Performance".
#   scripts/bench/bytes-per-minute.sh [URL]
# Without URL, `lookout mock` serves (a Prometheus look-alike with history). The dashboard runs in tmux at 160x45 with
# --refresh 5s --range 1h; the first WARMUP seconds (the first, whole refresh) are not counted, then SECONDS_MEASURED.
set -euo pipefail
cd "$(dirname "$0")/../.."
lookout=${LOOKOUT:-dist/lookout}
[ -x "$lookout" ] || lookout=$(swift build --show-bin-path)/lookout
measured=${SECONDS_MEASURED:-60}
warmup=${WARMUP:-8}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done; tmux kill-session -t "lookout-bytes-$$" 2> /dev/null || true; }
trap cleanup EXIT

upstream=${1:-}
if [ -z "$upstream" ]; then
  port=$(free_port)
  "$lookout" mock --listen "127.0.0.1:$port" > /dev/null &
  pids+=($!)
  upstream="http://127.0.0.1:$port"
  for _ in $(seq 1 50); do curl -sf "$upstream/-/ready" > /dev/null && break; sleep 0.2; done
fi

measure() {  # mode flags...
  local mode=$1; shift
  local counts proxy
  counts=$(mktemp)
  proxy=$(free_port)
  python3 scripts/bench/counting_proxy.py "$proxy" "$upstream" "$counts" &
  local proxy_pid=$!
  pids+=("$proxy_pid")
  sleep 0.5
  local started
  started=$(date +%s.%N)
  tmux new-session -d -s "lookout-bytes-$$" -x 160 -y 45 \
    "$lookout watch --url http://127.0.0.1:$proxy --refresh 5s --range 1h $*"
  sleep $((warmup + measured))
  tmux kill-session -t "lookout-bytes-$$"
  kill "$proxy_pid"
  awk -v from="$started" -v warm="$warmup" -v secs="$measured" -v mode="$mode" '
    $1 >= from + warm && $1 < from + warm + secs {
      total += $3; n += 1
      if ($2 == "/api/v1/query_range") range += $3; else other += $3
    }
    END { printf "%-12s %8.1f KB/min  (query_range %7.1f KB/min, other queries and alerts %6.1f KB/min; %d answers)\n", mode, total * 60 / secs / 1024, range * 60 / secs / 1024, other * 60 / secs / 1024, n }
  ' "$counts" | tee -a "$counts.summary"
  awk -v from="$started" -v warm="$warmup" -v secs="$measured" '$1 >= from + warm && $1 < from + warm + secs { t += $3; if ($2 == "/api/v1/query_range") r += $3 } END { print t, r }' "$counts" > "$counts.totals"
  cat "$counts.totals" >> /tmp/lookout-bytes-$$.totals
  rm -f "$counts" "$counts.summary" "$counts.totals"
}

echo "lookout watch --refresh 5s --range 1h at 160x45 against $upstream, ${measured}s after ${warmup}s:"
rm -f /tmp/lookout-bytes-$$.totals
measure incremental
measure full --full-refresh
awk 'NR == 1 { t1 = $1; r1 = $2 } NR == 2 { t2 = $1; r2 = $2 }
  END { if (t2 > 0 && r2 > 0) printf "incremental / full: all answers %.3f (1/%.1f), range queries %.3f (1/%.1f)\n", t1 / t2, t2 / t1, r1 / r2, r2 / (r1 > 0 ? r1 : 1) }' /tmp/lookout-bytes-$$.totals
rm -f /tmp/lookout-bytes-$$.totals
