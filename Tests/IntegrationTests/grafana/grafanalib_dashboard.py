"""A dashboard written with grafanalib: the old graph panel (yaxes, thresholds list), stat, gauge, timeseries,
rows with panels inside them, a template variable, and a text panel lookout cannot show. Prints the JSON."""
import json

from grafanalib.core import (Dashboard, GaugePanel, Graph, Row, Stat, Target, Template,
                             Templating, Text, TimeSeries, YAxes, YAxis, Threshold, SECONDS_FORMAT, OPS_FORMAT)
from grafanalib._gen import DashboardEncoder

board = Dashboard(
    title="Checkout (grafanalib)",
    templating=Templating(list=[Template(name="service", query="label_values(service)", dataSource="Prometheus")]),
    rows=[
        Row(panels=[
            Graph(title="Old graph", dataSource="Prometheus",
                  targets=[Target(expr='sum(rate(http_requests_total[$__interval])) by (service)', legendFormat="{{service}}", refId="A")],
                  yAxes=YAxes(YAxis(format=OPS_FORMAT))),
            TimeSeries(title="Latency", dataSource="Prometheus", unit=SECONDS_FORMAT,
                       targets=[Target(expr='histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket{service=~"$service"}[5m])) by (service, le))', legendFormat="{{service}}", refId="A")],
                       thresholds=[Threshold("green", 0, 0.0), Threshold("orange", 1, 0.5), Threshold("red", 2, 1.0)]),
        ]),
        Row(panels=[
            Stat(title="Up", dataSource="Prometheus", targets=[Target(expr='up{job="microservices"}', legendFormat="{{service}}", refId="A")]),
            GaugePanel(title="Error ratio", dataSource="Prometheus", format="percentunit",
                       targets=[Target(expr='sum(rate(http_requests_total{status_code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))', refId="A")]),
            Text(title="Runbook", content="Call the on-call."),
        ]),
    ],
).auto_panel_ids()
print(json.dumps(board.to_json_data(), cls=DashboardEncoder, indent=2))
