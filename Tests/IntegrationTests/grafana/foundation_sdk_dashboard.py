"""A dashboard written with Grafana's own grafana-foundation-sdk: timeseries (one drawing its thresholds as a line),
stat and gauge panels, a row, a label_values variable, $__rate_interval. Prints the JSON on stdout."""
import json

from grafana_foundation_sdk.builders import common, dashboard, gauge, prometheus, stat, timeseries
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models.common import GraphThresholdsStyleMode
from grafana_foundation_sdk.models.dashboard import ThresholdsMode, Threshold


def thresholds(warning, critical):
    return dashboard.ThresholdsConfig().mode(ThresholdsMode.ABSOLUTE).steps(
        [Threshold(color="green", value=None), Threshold(color="orange", value=warning), Threshold(color="red", value=critical)])


board = (
    dashboard.Dashboard("Checkout (SDK)")
    .uid("checkout-sdk")
    .with_variable(dashboard.QueryVariable("service").label("Service").query("label_values(http_requests_total, service)"))
    .with_panel(
        timeseries.Panel().title("Requests").unit("reqps")
        .with_target(prometheus.Dataquery().expr('sum(rate(http_requests_total{service=~"$service"}[$__rate_interval])) by (service)').legend_format("{{service}}")))
    .with_row(dashboard.Row("Errors and latency"))
    .with_panel(
        timeseries.Panel().title("Error ratio").unit("percentunit").thresholds(thresholds(0.01, 0.05))
        .thresholds_style(common.GraphThresholdsStyleConfig().mode(GraphThresholdsStyleMode.LINE))
        .with_target(prometheus.Dataquery().expr('sum(rate(http_requests_total{status_code=~"5.."}[5m])) by (service) / sum(rate(http_requests_total[5m])) by (service)').legend_format("{{service}}")))
    .with_panel(
        gauge.Panel().title("p95").unit("s").thresholds(thresholds(0.5, 1))
        .with_target(prometheus.Dataquery().expr("histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket[5m])) by (le))")))
    .with_panel(
        stat.Panel().title("Up").with_target(prometheus.Dataquery().expr('up{job="microservices"}').legend_format("{{service}}")))
)
print(json.dumps(board.build(), cls=JSONEncoder, indent=2))
