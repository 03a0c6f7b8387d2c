# Sourced by the benchmarks: a lab of `lookout mock` (the source design's services) scraped every 5 s by Debian's
# Prometheus with the seed's rules, on free loopback ports. The caller sets `dir` (a scratch directory) and `pids`
# (an array its cleanup kills); `start_lab <lookout binary for the mock>` sets `prom` to Prometheus' port and returns
# once a few scrapes and rule evaluations are in, so panels have data and alerts fire.

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start_lab() {
  local mock
  mock=$(free_port)
  "$1" mock --listen "127.0.0.1:$mock" > /dev/null &
  pids+=($!)
  prom=$(free_port)
  cp examples/microservices.rules.yml "$dir/rules.yml"
  cat > "$dir/prometheus.yml" <<CONFIG
global: {scrape_interval: 5s, evaluation_interval: 5s}
rule_files: [rules.yml]
scrape_configs:
  - job_name: microservices
    static_configs: [{targets: ["127.0.0.1:$mock"]}]
CONFIG
  prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --web.listen-address="127.0.0.1:$prom" > "$dir/prometheus.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$prom/-/ready" > /dev/null && break; sleep 0.2; done
  sleep 20
}
