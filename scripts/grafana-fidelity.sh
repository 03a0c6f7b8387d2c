#!/usr/bin/env bash
# The Grafana fidelity benchmark (#23): the real dashboards in ../shared/grafana (Node Exporter Full, kube-prometheus'
# Prometheus and Alertmanager overviews; ../shared/grafana/SOURCES.md says where each came from), imported with
# `lookout dashboard import grafana` and read with `lookout snapshot --output json` against a lab of Debian's
# Prometheus, node exporter and Alertmanager scraped as kube-prometheus names them (node-exporter, prometheus-k8s,
# alertmanager-main; namespace monitoring, a cluster label). For each dashboard, of the panels Grafana would fill (every panel with a Prometheus query):
#   imported   lookout shows the panel (its type and query kept)
#   data       the snapshot has series (or services) for it, without an error
#   unit       its unit is one lookout prints as Grafana does (or it has none)
#   legend     no series is named by an unrendered template ({{…}}, __auto, {}) and the title has no $variable left
#   state      no series is WARN or CRIT unless Grafana colours that panel (its thresholds drawn, or a mapping's colour)
# and "right" is a panel with all five. Unit, legend and state are checked against Grafana's rules as lookout knows
# them, not against a Grafana: the figures say what lookout does, not what Grafana would draw.
# Usage: scripts/grafana-fidelity.sh   (about 20 seconds once built; the debug build is used)
#        FIDELITY_DETAILS=1 scripts/grafana-fidelity.sh   also names each panel that is not right, and why
# Needs ../shared/grafana (a developer's checkout; a user's clone has none) and Debian's prometheus,
# prometheus-node-exporter and prometheus-alertmanager (installed when run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${LOOKOUT_GRAFANA_DASHBOARDS:-../shared/grafana}
if [ ! -d "$shared" ]; then
  echo "grafana-fidelity: $shared is missing: the benchmark's dashboards are in the project's shared folder, which a clone of the repository does not have (set LOOKOUT_GRAFANA_DASHBOARDS to a folder of Grafana JSON files)" >&2
  exit 2
fi
for p in prometheus prometheus-node-exporter prometheus-alertmanager; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    if [ "$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p" >/dev/null
    else echo "grafana-fidelity: needs $p: sudo apt-get install $p" >&2; exit 2; fi
  fi
done
swift build --product lookout >/dev/null
bin=$PWD/.build/debug/lookout
work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
node_port=$(free_port); am_port=$(free_port); prom_port=$(free_port)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
prometheus-node-exporter --web.listen-address="127.0.0.1:$node_port" >"$work/node.log" 2>&1 & pids+=($!)
printf 'route: {receiver: none}\nreceivers: [{name: none}]\n' >"$work/am.yml"
prometheus-alertmanager --config.file="$work/am.yml" --storage.path="$work/am" --web.listen-address="127.0.0.1:$am_port" \
  --cluster.listen-address= >"$work/am.log" 2>&1 & pids+=($!)
cat >"$work/prometheus.yml" <<YAML
global: {scrape_interval: 2s, evaluation_interval: 2s}
alerting: {alertmanagers: [{static_configs: [{targets: ["127.0.0.1:$am_port"]}]}]}
scrape_configs:
- {job_name: node-exporter, static_configs: [{targets: ["127.0.0.1:$node_port"], labels: {cluster: lab}}]}
- {job_name: prometheus-k8s, static_configs: [{targets: ["127.0.0.1:$prom_port"], labels: {cluster: lab, namespace: monitoring, pod: prometheus-k8s-0}}]}
- {job_name: alertmanager-main, static_configs: [{targets: ["127.0.0.1:$am_port"], labels: {cluster: lab, namespace: monitoring, service: alertmanager-main, pod: alertmanager-main-0}}]}
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus.log" 2>&1 & pids+=($!)
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$prom_port/-/ready" >/dev/null && break; sleep 0.5; done
url=http://127.0.0.1:$prom_port
# Rates need two scrapes of each target in their window: wait until every target has been scraped four times (at
# most a minute).
for _ in $(seq 120); do
  curl -sf "$url/api/v1/query" --data-urlencode 'query=min(count_over_time(up[1m])) >= 4 and count(up) == 3' | grep -q '"value"' && break
  sleep 0.5
done
for f in "$shared"/*.json; do
  name=$(basename "$f" .json)
  "$bin" dashboard import grafana "$f" >"$work/$name.yaml" 2>"$work/$name.warnings" || true
  "$bin" snapshot --url "$url" --alertmanager-url "http://127.0.0.1:$am_port" --dashboard "$work/$name.yaml" \
    --output json >"$work/$name.snapshot.json" 2>"$work/$name.snapshot.err" || true
done
curl -sf "$url/api/v1/label/__name__/values" >"$work/names.json"
python3 - "$shared" "$work" <<'PY'
import json, os, re, sys
shared, work = sys.argv[1], sys.argv[2]
details = os.environ.get("FIDELITY_DETAILS") == "1"
known_units = None
def panels(board):
    out = []
    def walk(items):
        for p in items or []:
            if p.get("type") == "row":
                walk(p.get("panels")); continue
            out.append(p)
    walk(board.get("panels"))
    for row in board.get("rows") or []: walk(row.get("panels"))
    return out
def prometheus(p):
    ds = json.dumps(p.get("datasource") or "")
    if any(k in ds.lower() for k in ("loki", "testdata", "cloudwatch", "elasticsearch")): return False
    return any(t.get("expr") and not t.get("hide") for t in p.get("targets") or [])
names = set(json.load(open(os.path.join(work, "names.json"))).get("data") or [])
def uses_existing(p):
    words = set()
    for t in p.get("targets") or []:
        if t.get("expr") and not t.get("hide"): words |= set(re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", t["expr"]))
    return bool(words & names)
def colours(p):
    d = (p.get("fieldConfig") or {}).get("defaults") or {}
    if any(((m.get("options") or {}).get("result") or {}).get("color") or any((r or {}).get("color") for r in (m.get("options") or {}).values() if isinstance(r, dict))
           for m in d.get("mappings") or []):
        return True
    steps = ((d.get("thresholds") or {}).get("steps")) or []
    alarming = any(not str(s.get("color", "")).endswith("green") for s in steps) or bool(p.get("thresholds"))
    t = p.get("type")
    if t == "timeseries": return alarming and ((d.get("custom") or {}).get("thresholdsStyle") or {}).get("mode", "off") != "off"
    if t == "stat": return alarming and (p.get("options") or {}).get("colorMode", "value") != "none"
    if t == "singlestat": return bool(p.get("colorValue") or p.get("colorBackground"))
    return alarming
total = {k: 0 for k in ("fill", "imported", "data", "unit", "legend", "state", "right")}
print(f"{'dashboard':42} {'fill':>5} {'imported':>9} {'data':>6} {'unit':>6} {'legend':>7} {'state':>6} {'right':>6}")
for f in sorted(os.listdir(shared)):
    if not f.endswith(".json"): continue
    name = f[:-5]
    board = json.load(open(os.path.join(shared, f)))
    board = board.get("dashboard", board)
    # Panels Grafana would fill: a Prometheus query over at least one metric the lab's Prometheus has (temperature,
    # fans or systemd are not collected here, and Grafana would draw them empty too).
    fill = [p for p in panels(board) if prometheus(p) and uses_existing(p)]
    by_title = {}
    for p in fill: by_title.setdefault(p.get("title", ""), p)
    try: snap = json.load(open(os.path.join(work, name + ".snapshot.json")))
    except Exception: snap = {"panels": []}
    got = snap.get("panels") or []
    counts = {"fill": len(fill), "imported": len(got), "data": 0, "unit": 0, "legend": 0, "state": 0, "right": 0}
    # Each panel lookout drew, matched to the panel of the file it comes from by its title (the variables in it
    # match any text, so a repeated panel's copies match it); a panel counts once, right when all its copies are.
    def pattern(title):
        parts = re.split(r"\$\{?\w+(?::\w+)?\}?|\[\[\w+\]\]", title)
        return re.compile("^" + ".+".join(re.escape(x) for x in parts) + "$", re.S)
    sources = [(pattern(p.get("title", "")), p) for p in fill]
    verdicts = {}
    warned = open(os.path.join(work, name + ".warnings")).read()
    for p in got:
        if p.get("type") == "row": continue  # a section header
        source = next((s for pat, s in sources if pat.match(p.get("title", ""))), None)
        if source is None: continue  # a panel Grafana would not fill here
        series = p.get("series") or []
        has = (bool(series) or bool(p.get("services"))) and not p.get("error")
        unit_ok = f"panel '{source.get('title')}': unit" not in warned  # an unknown unit is named in a warning
        legends = [s.get("legend", "") for s in series]
        legend_ok = not any(("{{" in l) or l in ("__auto", "{}") for l in legends) and not re.search(r"\$\w", p.get("title", ""))
        # WARN or CRIT only where Grafana colours the panel: its thresholds drawn (a stat or gauge colouring its value
        # with a step that is not green, a time series whose thresholdsStyle is on), or a value mapping's colour.
        alarmed = any(s.get("state") in ("warning", "critical") for s in series)
        state_ok = not alarmed or colours(source)
        mine = (has, unit_ok, legend_ok, state_ok)
        before = verdicts.get(id(source), (True, True, True, True))
        verdicts[id(source)] = tuple(a and b for a, b in zip(before, mine))
        if details and not all(mine):
            why = [w for w, ok in (("no data: " + (p.get("error") or "no series"), has), ("unit", unit_ok), ("legend " + ", ".join(legends[:2]), legend_ok), ("state", state_ok)) if not ok]
            print(f"  {name}: {p['title'][:50]}: {'; '.join(why)[:150]}")
    counts["imported"] = len(verdicts)
    for has, unit_ok, legend_ok, state_ok in verdicts.values():
        counts["data"] += has; counts["unit"] += unit_ok; counts["legend"] += legend_ok; counts["state"] += state_ok
        counts["right"] += has and unit_ok and legend_ok and state_ok
    for k in total: total[k] += counts[k]
    print(f"{name:42} {counts['fill']:>5} {counts['imported']:>9} {counts['data']:>6} {counts['unit']:>6} {counts['legend']:>7} {counts['state']:>6} {counts['right']:>6}")
print(f"{'all':42} {total['fill']:>5} {total['imported']:>9} {total['data']:>6} {total['unit']:>6} {total['legend']:>7} {total['state']:>6} {total['right']:>6}")
if total["fill"]:
    print(f"grafana-fidelity: {total['right']} of {total['fill']} panels Grafana would fill are right ({100 * total['right'] / total['fill']:.0f} %); "
          f"{total['data']} have data ({100 * total['data'] / total['fill']:.0f} %)")
PY
