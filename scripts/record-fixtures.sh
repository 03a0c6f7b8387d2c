#!/usr/bin/env bash
# Records the JSON fixtures of Sources/TestSupport/Fixtures from a real Prometheus (Debian's 2.42).
# Usage: scripts/record-fixtures.sh   (needs prometheus and curl; binds a free loopback port)
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/Sources/TestSupport/Fixtures"
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/rules.yml" <<'YAML'
groups:
- name: fixtures
  interval: 1s
  rules:
  - alert: AlwaysFiring
    expr: vector(0.1142699905737749)
    labels: {severity: critical, service: payment-service}
    annotations:
      summary: "High error rate detected"
      description: "payment-service has an error rate of {{ $value | humanizePercentage }}"
  - alert: SlowToFire
    expr: vector(1)
    for: 1h
    labels: {severity: warning}
    annotations: {summary: "Pending for an hour"}
  - record: job:up:sum
    expr: sum(up) by (job)
YAML
cat > "$work/prometheus.yml" <<YAML
global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: ["$work/rules.yml"]
scrape_configs:
- job_name: prometheus
  static_configs: [{targets: ["127.0.0.1:$port"], labels: {service: prometheus}}]
- job_name: microservices
  static_configs: [{targets: ["127.0.0.1:1"], labels: {service: payment-service}}]
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:$port" >"$work/log" 2>&1 &
pid=$!
trap 'kill $pid; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"
until curl -sf "$base/-/ready" >/dev/null; do sleep 0.5; done
sleep 12
get() { curl -s "$base$2" > "$out/$1.json"; echo "$1: $(head -c 120 "$out/$1.json")"; }
now=$(date +%s); start=$((now - 10))
enc() { python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
get query_vector "/api/v1/query?query=$(enc 'up')"
get query_scalar "/api/v1/query?query=$(enc 'scalar(vector(1.5e-7))')"
get query_string "/api/v1/query?query=$(enc '"hello"')"
get query_specials "/api/v1/query?query=$(enc 'label_replace(vector(0/0), "v", "nan", "", "") or label_replace(vector(1/0), "v", "+inf", "", "") or label_replace(vector(-1/0), "v", "-inf", "", "") or label_replace(vector(1.1426999057377495e-21), "v", "tiny", "", "") or label_replace(vector(6.02e+23), "v", "huge", "", "")')"
get query_range_matrix "/api/v1/query_range?query=$(enc 'up')&start=$start&end=$now&step=1"
get query_range_gaps "/api/v1/query_range?query=$(enc 'vector(time()) and on() (vector(time()) % 4 < 2)')&start=$start&end=$now&step=1"
get query_range_nan "/api/v1/query_range?query=$(enc 'vector(0/0) or label_replace(vector(1/0), "v", "inf", "", "")')&start=$start&end=$now&step=2"
get query_empty "/api/v1/query?query=$(enc 'up{job="nope"}')"
get error_bad_data "/api/v1/query?query=$(enc 'sum(rate(http_requests_total[5m])) by (service')"
get error_bad_step "/api/v1/query_range?query=up&start=$start&end=$now&step=0"
get error_too_many_points "/api/v1/query_range?query=up&start=0&end=$now&step=1"
get alerts "/api/v1/alerts"
get rules "/api/v1/rules"
get targets "/api/v1/targets"
get buildinfo "/api/v1/status/buildinfo"
curl -s -o /dev/null -w '%{http_code}\n' "$base/api/v1/nope" > "$out/unknown_path_status.txt"
for q in 'sum(rate(x[5m])) by (service' ; do
  curl -s -o /dev/null -w '%{http_code}\n' "$base/api/v1/query?query=$(enc "$q")" > "$out/error_bad_data_status.txt"
done
