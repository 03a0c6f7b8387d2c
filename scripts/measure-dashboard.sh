#!/usr/bin/env bash
# Measures the interactive dashboard as a user runs it: a release build in tmux at 160x45 against a local, real
# Prometheus (Debian's) that scrapes lookout's mock every second. Prints CPU over 60 s at 5 s and at 1 s refresh,
# peak RSS, bytes written to the terminal per steady refresh against a full redraw, and the first frame's delay.
# Usage: scripts/measure-dashboard.sh   (about 2.5 minutes; needs prometheus and tmux: make deps)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product lookout >/dev/null
bin=$PWD/.build/release/lookout
work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
mock_port=$(free_port); prom_port=$(free_port); sock="lookout-measure-$$"
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  kill "$mock_pid" "$prom_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
"$bin" mock --listen "127.0.0.1:$mock_port" >"$work/mock.log" 2>&1 & mock_pid=$!
cat >"$work/prometheus.yml" <<YAML
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
- job_name: microservices
  honor_labels: true
  static_configs: [{targets: ["127.0.0.1:$mock_port"]}]
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus.log" 2>&1 & prom_pid=$!
until curl -sf "http://127.0.0.1:$prom_port/-/ready" >/dev/null; do sleep 0.5; done
sleep 10  # some history to draw

measure() {  # $1 refresh interval
  local refresh=$1 out="$work/pane-$1.bytes" log="$work/lookout-$1.log"
  tmux -L "$sock" -f /dev/null new-session -d -s m -x 160 -y 45 \
    "env LANG=C.UTF-8 $bin --url http://127.0.0.1:$prom_port --refresh $refresh --log-file $log"
  tmux -L "$sock" pipe-pane -o -t m "cat >> $out"
  local pid=""
  for _ in $(seq 50); do pid=$(pgrep -f "^$bin --url http://127.0.0.1:$prom_port --refresh $refresh" || true); [ -n "$pid" ] && break; sleep 0.1; done
  sleep 5
  local hz ticks0 ticks1 bytes0 bytes1
  hz=$(getconf CLK_TCK)
  ticks0=$(awk '{print $14+$15}' "/proc/$pid/stat"); bytes0=$(stat -c %s "$out")
  sleep 60
  ticks1=$(awk '{print $14+$15}' "/proc/$pid/stat"); bytes1=$(stat -c %s "$out")
  local refreshes; refreshes=$(( 60 / ${refresh%s} ))
  # A full redraw: a resize makes lookout repaint every cell.
  local before after
  before=$(stat -c %s "$out"); tmux -L "$sock" resize-window -t m -x 160 -y 44; sleep 1
  tmux -L "$sock" resize-window -t m -x 160 -y 45; sleep 1; after=$(stat -c %s "$out")
  local rss anon; rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status"); anon=$(awk '/^Anonymous/ {print $2}' "/proc/$pid/smaps_rollup")
  printf 'refresh %-3s CPU %.2f %% over 60 s, peak RSS %.1f MB (anonymous %.1f MB), %d bytes per refresh vs %d per full redraw (%.0f %%)\n' \
    "$refresh" "$(echo "($ticks1 - $ticks0) * 100 / $hz / 60" | bc -l)" "$(echo "$rss / 1024" | bc -l)" "$(echo "$anon / 1024" | bc -l)" \
    $(( (bytes1 - bytes0) / refreshes )) $(( (after - before) / 2 )) \
    "$(echo "($bytes1 - $bytes0) / $refreshes * 100 / (($after - $before) / 2)" | bc -l)"
  grep -h "first frame" "$log" | sed 's/^.*lookout: /  /' || true
  tmux -L "$sock" send-keys -t m q; sleep 1
  tmux -L "$sock" kill-server 2>/dev/null || true
}
measure 5s
measure 1s
