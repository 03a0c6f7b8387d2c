#!/usr/bin/env bash
# The dashboard at scale (README, "Performance"): a local server (scripts/bench/scale_server.py) answers 10,000
# series to every query and 5,000 firing alerts; lookout watch runs in tmux at 200x60 with --refresh 1s. After a
# warm-up it prints peak RSS, CPU over SECONDS_MEASURED, and how long keys take to show their answer (`?` opens the
# help, Escape closes it; polled with tmux capture-pane every 5 ms, which the figure includes).
#   scripts/bench/scale.sh [lookout binary] [series] [alerts]
set -euo pipefail
cd "$(dirname "$0")/../.."
lookout=${1:-dist/lookout}
series=${2:-10000}
alerts=${3:-5000}
measured=${SECONDS_MEASURED:-60}
warmup=${WARMUP:-20}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
session="lookout-scale-$$"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2> /dev/null; tmux kill-session -t "$session" 2> /dev/null || true; }
trap cleanup EXIT

port=$(free_port)
python3 scripts/bench/scale_server.py "$port" "$series" "$alerts" &
server_pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/-/ready" > /dev/null && break; sleep 0.1; done

tmux new-session -d -s "$session" -x 200 -y 60 "${LOOKOUT_ENV:-} $lookout watch --url http://127.0.0.1:$port --refresh 1s --range 1h"
sleep 1
pid=$(pgrep -n -f "watch --url http://127.0.0.1:$port")
sleep "$warmup"
hz=$(getconf CLK_TCK)
ticks0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
sleep "$measured"
ticks1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
wait_screen() {  # until the pane does (yes) or does not (no) contain the text; prints the milliseconds it took
  local want=$1 text=$2 started
  started=$(now_ms)
  for _ in $(seq 1 2000); do
    if tmux capture-pane -p -t "$session" | grep -q "$text"; then [ "$want" = yes ] && break; else [ "$want" = no ] && break; fi
    sleep 0.005
  done
  echo $(( $(now_ms) - started ))
}
latencies=()
for _ in $(seq 1 10); do
  tmux send-keys -t "$session" "?"
  latencies+=("$(wait_screen yes 'this help')")
  tmux send-keys -t "$session" Escape
  latencies+=("$(wait_screen no 'this help')")
  sleep 0.3
done
sorted=$(printf '%s\n' "${latencies[@]}" | sort -n)
median=$(echo "$sorted" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
worst=$(echo "$sorted" | tail -1)
hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
more=$(tmux capture-pane -p -t "$session" | grep -o '+[0-9]* more[^│┃]*' | head -1 || true)
awk -v s="$series" -v a="$alerts" -v m="$measured" -v t0="$ticks0" -v t1="$ticks1" -v hz="$hz" -v h="$hwm" -v med="$median" -v w="$worst" -v more="$more" 'BEGIN {
  printf "%d series per query, %d alerts, --refresh 1s at 200x60: peak RSS %.1f MB, CPU %.1f %% of a core over %ds, keys answered in %d ms (median) / %d ms (worst of 20)\n", s, a, h / 1024, 100 * (t1 - t0) / hz / m, m, med, w
  if (more != "") printf "a graph panel says: %s\n", more
}'
