#!/usr/bin/env python3
"""A Prometheus look-alike at scale, for lookout's scale benchmark (scripts/bench/scale.sh; README, "Performance").

    scale_server.py PORT [SERIES] [ALERTS]

Every instant query answers SERIES series (`service` svc-000 … svc-199, `instance` pod-N; `count(…)` answers
SERIES, `count by (service) (…)` one sample per service), every range query SERIES series with a point at each step
of the asked grid (`topk(K, …)` K of them, `count by (service) (…)` one per service), and /api/v1/alerts ALERTS
firing alerts. Values are a function of the series and the time, so a grid asked twice is
answered the same. Loopback only."""
import http.server
import json
import re
import sys
import urllib.parse

port = int(sys.argv[1])
SERIES = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
ALERTS = int(sys.argv[3]) if len(sys.argv) > 3 else 5_000


def labels(i):
    return '{"__name__":"up","job":"microservices","service":"svc-%03d","instance":"pod-%05d:3000"}' % (i % 200, i)


def value(i, t):
    return ((i * 7919 + int(t)) % 1000) / 1000.0


def alerts_json():
    items = []
    for i in range(ALERTS):
        items.append(
            '{"labels":{"alertname":"HighErrorRate","severity":"%s","service":"svc-%03d","instance":"pod-%05d:3000"},'
            '"annotations":{"summary":"High error rate detected","description":"svc-%03d has an error rate of 7.5%%"},'
            '"state":"firing","activeAt":"2026-11-26T10:00:00Z","value":"7.5e-02"}'
            % ("critical" if i % 3 == 0 else "warning", i % 200, i, i % 200))
    return ('{"status":"success","data":{"alerts":[%s]}}' % ",".join(items)).encode()


ALERTS_BODY = alerts_json()
TOPK = re.compile(r"^\s*topk\((\d+),")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def params(self):
        url = urllib.parse.urlsplit(self.path)
        form = dict(urllib.parse.parse_qsl(url.query))
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            form.update(dict(urllib.parse.parse_qsl(self.rfile.read(length).decode())))
        return url.path, form

    def send(self, body, status=200):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self):
        path, form = self.params()
        query = form.get("query", "")
        if path == "/api/v1/query":
            t = float(form.get("time") or 0)
            if query.startswith("count("):
                result = '[{"metric":{},"value":[%s,"%d"]}]' % (t, SERIES)
            elif query.startswith("count by (service)"):
                result = "[" + ",".join('{"metric":{"service":"svc-%03d"},"value":[%s,"%d"]}' % (k, t, len(range(k, SERIES, 200))) for k in range(min(200, SERIES))) + "]"
            else:
                result = "[" + ",".join('{"metric":%s,"value":[%s,"%s"]}' % (labels(i), t, value(i, t)) for i in range(SERIES)) + "]"
            self.send(('{"status":"success","data":{"resultType":"vector","result":%s}}' % result).encode())
        elif path == "/api/v1/query_range":
            start, end, step = float(form["start"]), float(form["end"]), float(form["step"])
            match = TOPK.match(query)
            count = min(int(match.group(1)), SERIES) if match else SERIES
            steps = []
            t = start
            while t <= end + 1e-9:
                steps.append(t)
                t += step
            streams = []
            if query.startswith("count by (service)"):
                for k in range(min(200, SERIES)):
                    points = ",".join('[%s,"%d"]' % (t, len(range(k, SERIES, 200))) for t in steps)
                    streams.append('{"metric":{"service":"svc-%03d"},"values":[%s]}' % (k, points))
                count = 0
            for i in range(count):
                points = ",".join('[%s,"%s"]' % (t, value(i, t)) for t in steps)
                streams.append('{"metric":%s,"values":[%s]}' % (labels(i), points))
            self.send(('{"status":"success","data":{"resultType":"matrix","result":[%s]}}' % ",".join(streams)).encode())
        elif path == "/api/v1/alerts":
            self.send(ALERTS_BODY)
        elif path == "/api/v1/status/buildinfo":
            self.send(b'{"status":"success","data":{"version":"2.42.0-scale","revision":"","branch":"","buildUser":"","buildDate":"","goVersion":""}}')
        elif path == "/api/v1/rules":
            self.send(b'{"status":"success","data":{"groups":[]}}')
        elif path.startswith("/api/v1/label/"):
            self.send(b'{"status":"success","data":["svc-000","svc-001"]}')
        elif path in ("/-/ready", "/-/healthy"):
            self.send(b"ok")
        else:
            self.send(b'{"status":"error","errorType":"not_found","error":"not served by the scale server"}', 404)

    do_GET = handle_any
    do_POST = handle_any

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
