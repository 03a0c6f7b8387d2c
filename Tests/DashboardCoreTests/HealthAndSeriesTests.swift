import DashboardCore
import Foundation
import PrometheusAPI
import Testing

@Suite("Service health")
struct HealthTests {
    func up(_ service: String, instance: String = "i1") -> Labels {
        ["__name__": "up", "job": "microservices", "service": service, "instance": instance]
    }

    @Test func aServiceMissingFromTheUpEqualsOneResultIsDown() {
        let expected = [up("user-service"), up("order-service"), up("payment-service")]
        let present = [up("user-service"), up("order-service")]
        let health = HealthEvaluator.evaluate(present: present, expected: expected, legendFormat: "{{service}}")
        #expect(health == [
            ServiceHealth(name: "payment-service", status: .down),
            ServiceHealth(name: "order-service", status: .up),
            ServiceHealth(name: "user-service", status: .up),
        ])
    }

    @Test func oneInstanceDownOfTwoIsPartial() {
        let expected = [up("payment-service", instance: "a"), up("payment-service", instance: "b")]
        let present = [up("payment-service", instance: "a")]
        let health = HealthEvaluator.evaluate(present: present, expected: expected, legendFormat: "{{service}}")
        #expect(health == [ServiceHealth(name: "payment-service", status: .partial(up: 1, total: 2))])
        #expect(health[0].status.word == "1/2 UP")
    }

    @Test func aComparisonResultWithoutTheMetricNameStillMatches() {
        var present = up("user-service")
        present["__name__"] = nil
        let health = HealthEvaluator.evaluate(present: [present], expected: [up("user-service")], legendFormat: "{{service}}")
        #expect(health == [ServiceHealth(name: "user-service", status: .up)])
    }

    @Test func nothingExpectedAndNothingPresentIsEmpty() {
        #expect(HealthEvaluator.evaluate(present: [], expected: [], legendFormat: "{{service}}").isEmpty)
    }
}

@Suite("Series summaries and sparkline columns")
struct SeriesTests {
    func points(_ values: [Double], start: Double = 0, step: Double = 1) -> [SamplePair] {
        values.enumerated().map { SamplePair(timestamp: start + Double($0.offset) * step, value: $0.element) }
    }

    @Test func lastMinMaxAndStateIgnoreNaN() {
        let s = SeriesSummary(legend: "a", labels: [:], points: points([0.01, .nan, 0.2, 0.07]), thresholds: Thresholds(warning: 0.01, critical: 0.05))
        #expect(s.last == 0.07)
        #expect(s.min == 0.01)
        #expect(s.max == 0.2)
        #expect(s.state == .critical)
        let empty = SeriesSummary(legend: "a", labels: [:], points: [], thresholds: nil)
        #expect(empty.last.isNaN && empty.min.isNaN && empty.state == .unknown)
    }

    /// One rule: stale once older than two intervals, and at least 5 s; a sample beyond the clock-skew allowance
    /// after the query's end is from the future.
    @Test(arguments: [
        (150.0, 30.0, Freshness.fresh), (161.0, 30.0, .fresh), (162.0, 30.0, .stale(age: 61)), (401.0, 30.0, .stale(age: 300)),
        (106.0, 1.0, .fresh), (107.0, 1.0, .stale(age: 6)), (130.0, 1.0, .stale(age: 29)),
        (101.0, 60.0, .fresh), (71.0, 60.0, .fresh), (70.0, 60.0, .ahead(by: 31)), (101.0 - 7200, 60.0, .ahead(by: 7200)),
    ])
    func freshness(end: Double, interval: Double, expected: Freshness) {
        // Points at 100 and 101: the newest is 101.
        let s = SeriesSummary(legend: "a", labels: [:], points: points([1, 2], start: 100), thresholds: nil)
        #expect(s.freshness(at: end, interval: interval) == expected)
        #expect(Freshness.stale(age: 600).marker == "stale 10m")
        #expect(Freshness.ahead(by: 7200).marker == "clock ahead 2h")
    }

    @Test func aRisingSeriesFillsEveryLevel() {
        // A range query over 8 steps answers 9 points, from start to end: the first joins the first column.
        let columns = SparklineModel.columns(points([0, 0, 1, 2, 3, 4, 5, 6, 7]), start: 0, end: 8, width: 8)
        #expect(SparklineModel.text(columns) == "▁▂▃▄▅▆▇█")
        #expect(SparklineModel.text(columns, ascii: true) == "_.-~=+*#")
    }

    @Test func missingStepsAndNaNAreGaps() {
        let data = [SamplePair(timestamp: 0, value: 1), SamplePair(timestamp: 3, value: .nan), SamplePair(timestamp: 8, value: 2)]
        let columns = SparklineModel.columns(data, start: 0, end: 8, width: 8)
        #expect(SparklineModel.text(columns) == "▁      █")
    }

    @Test func infinitiesAreClampedAndMarked() {
        let columns = SparklineModel.columns(points([1, .infinity, 2, -.infinity], start: 1), start: 0, end: 4, width: 4)
        #expect(columns.map(\.level) == [0, 7, 7, 0])
        #expect(columns.map(\.clamped) == [false, true, false, true])
    }

    @Test func aFlatSeriesSitsInTheMiddleAndZeroAtTheBottom() {
        #expect(SparklineModel.text(SparklineModel.columns(points([5, 5, 5], start: 1), start: 0, end: 3, width: 3)) == "▅▅▅")
        #expect(SparklineModel.text(SparklineModel.columns(points([0, 0], start: 1), start: 0, end: 2, width: 2)) == "▁▁")
    }

    @Test func aColumnShowsItsMaximumSoSpikesStayVisible() {
        let columns = SparklineModel.columns(points([0, 0, 10, 0], start: 1), start: 0, end: 4, width: 2)
        #expect(SparklineModel.text(columns) == "▁█")
    }

    @Test func pointsOutsideTheWindowAreIgnoredAndWidthZeroIsEmpty() {
        let columns = SparklineModel.columns(points([9, 1, 2], start: -10, step: 15), start: 0, end: 20, width: 2)
        #expect(SparklineModel.text(columns) == "▁█")
        #expect(SparklineModel.columns(points([1]), start: 0, end: 1, width: 0).isEmpty)
    }

    @Test func summariesAreNamedByLegendAndSorted() {
        let streams = [
            SampleStream(metric: ["service": "user-service"], values: points([1])),
            SampleStream(metric: ["service": "inventory-service"], values: points([2])),
        ]
        let series = SeriesSummary.from(streams, legendFormat: "{{service}}", thresholds: nil)
        #expect(series.map(\.legend) == ["inventory-service", "user-service"])
    }
}

@Suite("Alerts: severity, order, counts and exit codes")
struct AlertTests {
    func alert(_ name: String, _ severity: String?, _ state: AlertState, ago: TimeInterval, labels: Labels = [:]) -> Alert {
        var all = labels
        all["alertname"] = name
        all["severity"] = severity
        return Alert(
            labels: all, annotations: ["summary": "\(name) summary"], state: state,
            activeAt: Date(timeIntervalSince1970: 1_000_000 - ago))
    }

    @Test func firingBeforePendingCriticalFirstOldestFirst() {
        let items = AlertItem.sorted([
            alert("HighLatency", "warning", .firing, ago: 900),
            alert("Pending", "critical", .pending, ago: 5000),
            alert("PodCrashLooping", "critical", .firing, ago: 60),
            alert("HighErrorRate", "critical", .firing, ago: 720),
            alert("Old", nil, .firing, ago: 9000),
        ])
        #expect(items.map(\.name) == ["HighErrorRate", "PodCrashLooping", "Old", "HighLatency", "Pending"])
    }

    @Test func severityLabels() {
        #expect(Severity(label: "critical") == .critical)
        #expect(Severity(label: "PAGE") == .critical)
        #expect(Severity(label: "warning") == .warning)
        #expect(Severity(label: nil) == .warning)
        #expect(Severity(label: "info") == .info)
    }

    @Test func theSubjectIsTheMostTellingLabel() {
        #expect(AlertItem(alert("A", "warning", .firing, ago: 0, labels: ["service": "s", "pod": "p"])).subject == "s")
        #expect(AlertItem(alert("A", "warning", .firing, ago: 0, labels: ["pod": "p", "namespace": "n"])).subject == "p")
        #expect(AlertItem(alert("A", "warning", .firing, ago: 0, labels: ["deployment": "d"])).subject == "d")
        #expect(AlertItem(alert("A", "warning", .firing, ago: 0)).subject == "")
    }

    @Test func textJoinsSummaryAndDescription() {
        var a = alert("A", "warning", .firing, ago: 0)
        a.annotations = ["summary": "High error rate detected", "description": "payment-service has an error rate of 11.43%"]
        #expect(AlertItem(a).text == "High error rate detected — payment-service has an error rate of 11.43%")
        a.annotations = ["description": "only\u{1B}[2J description"]
        #expect(AlertItem(a).text == "only description")
    }

    @Test func exitCodes() {
        #expect(AlertCounts([]).exitCode == 0)
        #expect(AlertCounts(AlertItem.sorted([alert("P", "critical", .pending, ago: 0)])).exitCode == 0)
        #expect(AlertCounts(AlertItem.sorted([alert("W", "warning", .firing, ago: 0)])).exitCode == 1)
        #expect(AlertCounts(AlertItem.sorted([alert("I", "info", .firing, ago: 0)])).exitCode == 1)
        let both = AlertCounts(AlertItem.sorted([alert("W", "warning", .firing, ago: 0), alert("C", "critical", .firing, ago: 0), alert("P", "warning", .pending, ago: 0)]))
        #expect(both.exitCode == 2)
        #expect(both.critical == 1 && both.warning == 1 && both.pending == 1 && both.firing == 2)
    }
}

@Suite("Alertmanager alerts: suppression and grouping")
struct AlertmanagerItemTests {
    static let json = """
        [{"annotations":{"summary":"slow"},"endsAt":"2026-11-25T15:00:00.000Z","fingerprint":"a1","receivers":[{"name":"null"}],
          "startsAt":"2026-11-25T14:00:00.000Z","status":{"inhibitedBy":[],"silencedBy":["s-1"],"state":"suppressed"},
          "updatedAt":"2026-11-25T14:00:01.000Z","labels":{"alertname":"HighLatency","service":"inventory-service","severity":"warning"}},
         {"annotations":{},"startsAt":"2026-11-25T14:05:00.000Z","status":{"inhibitedBy":["x"],"silencedBy":[],"state":"suppressed"},
          "labels":{"alertname":"Noise","severity":"info"}},
         {"annotations":{},"startsAt":"2026-11-25T14:10:00.000Z","status":{"inhibitedBy":[],"silencedBy":[],"state":"active"},
          "labels":{"alertname":"PodCrashLooping","service":"payment-service","pod":"p-1","severity":"critical"}},
         {"annotations":{},"startsAt":"2026-11-25T14:02:00.000Z","status":{"inhibitedBy":[],"silencedBy":[],"state":"active"},
          "labels":{"alertname":"PodCrashLooping","service":"payment-service","pod":"p-2","severity":"critical"}}]
        """

    @Test func silencesInhibitionsAndGroupsByNameAndService() throws {
        let alerts = try JSONDecoder().decode([AlertmanagerAlert].self, from: Data(Self.json.utf8))
        let items = AlertItem.arranged(alerts.map(AlertItem.init))
        #expect(items.map(\.name) == ["PodCrashLooping", "HighLatency", "Noise"])
        #expect(items[0].count == 2)
        #expect(items[0].activeAt == RFC3339.parse("2026-11-25T14:02:00.000Z"), "the group is as old as its oldest alert")
        #expect(items[1].suppression == .silenced && items[2].suppression == .inhibited)
        let counts = AlertCounts(items)
        #expect(counts.critical == 2 && counts.warning == 0 && counts.suppressed == 2)
        #expect(counts.exitCode == 2)
    }
}
