import DashboardCore
import Foundation
import PrometheusAPI
import Testing

@Suite("The built-in dashboard is the source design's")
struct MicroservicesDashboardTests {
    let dashboard = Dashboard.microservices

    @Test func titleAndPanelsAreVerbatim() {
        #expect(dashboard.title == "Microservices Health Dashboard")
        #expect(dashboard.panels.map(\.title) == [
            "Service Health Status", "Request Rate", "Error Rate", "Response Time (95th percentile)",
        ])
        #expect(dashboard.panels.map(\.kind) == [.stat, .graph, .graph, .graph])
        #expect(dashboard.panels.allSatisfy { $0.targets.count == 1 && $0.targets[0].legendFormat == "{{service}}" })
    }

    @Test func queriesAreVerbatim() {
        #expect(dashboard.panels.map { $0.targets[0].expr } == [
            #"up{job="microservices"} == 1"#,
            "sum(rate(http_requests_total[5m])) by (service)",
            #"sum(rate(http_requests_total{status_code=~"4..|5.."}[5m])) by (service) / sum(rate(http_requests_total[5m])) by (service)"#,
            "histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket[5m])) by (service, le))",
        ])
    }

    @Test func unitsAndThresholdsFollowTheAlertRules() {
        #expect(dashboard.panels.map(\.unit) == [.none, .requestsPerSecond, .percent, .seconds])
        #expect(dashboard.panels[2].thresholds == Thresholds(warning: 0.01, critical: 0.05))
        #expect(dashboard.panels[3].thresholds == Thresholds(warning: 0.5, critical: 1))
        #expect(dashboard.panels[0].isHealth)
        #expect(dashboard.panels[0].expectedSeries == #"up{job="microservices"}"#)
    }

    @Test func thresholdStates() {
        let t = Thresholds(warning: 0.01, critical: 0.05)
        #expect(t.state(of: 0.001) == .ok)
        #expect(t.state(of: 0.01) == .warning)
        #expect(t.state(of: 0.114) == .critical)
        #expect(t.state(of: .nan) == .unknown)
        #expect(t.state(of: .infinity) == .critical)
    }
}

@Suite("Legend templates render like Grafana's")
struct LegendTests {
    let labels: Labels = ["__name__": "up", "service": "payment-service", "job": "microservices", "instance": "10.0.0.1:3000"]

    @Test(arguments: [
        ("{{service}}", "payment-service"),
        ("{{ service }}", "payment-service"),
        ("{{service}} on {{instance}}", "payment-service on 10.0.0.1:3000"),
        ("{{service}}/{{missing}}", "payment-service/"),
        ("plain text", "plain text"),
        ("{{unclosed", "{{unclosed"),
        ("", #"up{instance="10.0.0.1:3000", job="microservices", service="payment-service"}"#),
        ("{{missing}}", #"up{instance="10.0.0.1:3000", job="microservices", service="payment-service"}"#),
        // Grafana's default legend since v9: the series as Prometheus names it, not the word.
        ("__auto", #"up{instance="10.0.0.1:3000", job="microservices", service="payment-service"}"#),
    ])
    func templates(template: String, expected: String) {
        #expect(LegendTemplate.render(template, labels: labels) == expected)
    }

    @Test("too long for a column, series named by their label sets keep what tells them apart, not the first characters")
    func distinguishing() {
        let sets: [Labels] = [
            ["__name__": "node_filesystem_avail_bytes", "instance": "host:9100", "job": "node", "device": "/dev/sda1", "mountpoint": "/"],
            ["__name__": "node_filesystem_avail_bytes", "instance": "host:9100", "job": "node", "device": "/dev/sda2", "mountpoint": "/boot"],
        ]
        #expect(LegendTemplate.distinguishing(sets) == [#"{device="/dev/sda1", mountpoint="/"}"#, #"{device="/dev/sda2", mountpoint="/boot"}"#])
        // Different metrics: the name tells them apart.
        #expect(LegendTemplate.distinguishing([["__name__": "a", "job": "x"], ["__name__": "b", "job": "x"]]) == ["a", "b"])
        // One series: its whole name.
        #expect(LegendTemplate.distinguishing([["__name__": "up", "job": "x"]]) == [#"up{job="x"}"#])
    }

    @Test func seriesNamesWithoutAMetricName() {
        #expect(LegendTemplate.seriesName([:]) == "{}")
        #expect(LegendTemplate.seriesName(["service": "a"]) == #"{service="a"}"#)
        #expect(LegendTemplate.seriesName(["__name__": "up"]) == "up")
    }

    @Test func labelValuesAreSanitised() {
        #expect(LegendTemplate.render("{{service}}", labels: ["service": "evil\u{1B}[2Jservice\u{202E}"]) == "evilservice")
    }
}

@Suite("Numbers are short and carry their unit")
struct ValueFormatTests {
    @Test(arguments: [
        (48.2, Unit.requestsPerSecond, "48.2 req/s"),
        (1234, .requestsPerSecond, "1.2k req/s"),
        (12_345, .requestsPerSecond, "12.3k req/s"),
        (1_234_567, .requestsPerSecond, "1.2M req/s"),
        (999_999, .requestsPerSecond, "1.0M req/s"),
        (4.05, .requestsPerSecond, "4.05 req/s"),
        (0.5, .requestsPerSecond, "0.5 req/s"),
        (0.013, .requestsPerSecond, "0.013 req/s"),
        (0, .requestsPerSecond, "0 req/s"),
        (0.114, .percent, "11.4 %"),
        (0.05, .percent, "5.0 %"),
        (0.0042, .percent, "0.42 %"),
        (1, .percent, "100 %"),
        (0, .percent, "0 %"),
        (0.85, .seconds, "850 ms"),
        (4.05, .seconds, "4.05 s"),
        (2.4189189, .seconds, "2.42 s"),
        (12.5, .seconds, "12.5 s"),
        (0.0123, .seconds, "12.3 ms"),
        (0.00005, .seconds, "50.0 µs"),
        (90, .seconds, "90 s"),
        (120, .seconds, "2.0 min"),
        (7200, .seconds, "2.0 h"),
        (108_000, .seconds, "30.0 h"),
        (180_000, .seconds, "2.1 d"),
        (.nan, .seconds, "–"),
        (.infinity, .percent, "+Inf"),
        (-.infinity, .none, "-Inf"),
        (-3.5, .none, "-3.50"),
        (1e-7, .none, "1e-07"),
    ])
    func formats(value: Double, unit: DashboardCore.Unit, expected: String) {
        #expect(ValueFormat.format(value, unit: unit) == expected)
    }

    @Test func ages() {
        #expect(ValueFormat.age(3) == "3s")
        #expect(ValueFormat.age(12 * 60 + 5) == "12m")
        #expect(ValueFormat.age(3 * 3600) == "3h")
        #expect(ValueFormat.age(2 * 86_400 + 5) == "2d")
        #expect(ValueFormat.age(-5) == "0s")
    }

    @Test func durations() {
        #expect(ValueFormat.parseDuration("5m") == 300)
        #expect(ValueFormat.parseDuration("1h") == 3600)
        #expect(ValueFormat.parseDuration("7d") == 604_800)
        #expect(ValueFormat.parseDuration("1.5h") == 5400)
        #expect(ValueFormat.parseDuration("90") == 90)
        for bad in ["", "h", "5x", "-5m", "0m", "nanm", "infm"] { #expect(ValueFormat.parseDuration(bad) == nil, "\(bad)") }
        #expect(ValueFormat.rangeLabel(3600) == "1h")
        #expect(ValueFormat.rangeLabel(900) == "15m")
        #expect(ValueFormat.rangeLabel(604_800) == "7d")
        // Half of 15m on a chart's axis, and other ranges that are no whole unit.
        #expect(ValueFormat.rangeLabel(450) == "7m30s")
        #expect(ValueFormat.rangeLabel(5400) == "1h30m")
        #expect(ValueFormat.rangeLabel(86_400 + 6 * 3600) == "1d6h")
        #expect(ValueFormat.rangeLabel(86_400) == "1d")
        #expect(ValueFormat.rangeLabel(45) == "45s")
        #expect(ValueFormat.rangeLabel(0) == "0s")
    }
}
