import DashboardCore
import Foundation
@testable import LookoutUI
import PrometheusModels
import TerminalCanvas
import Testing

/// The dashboard's views, each drawn alone: the data turned into widgets.
@Suite("Dashboard views")
struct ViewTests {
    func canvas(_ width: Int, _ height: Int) -> Canvas { Canvas(width: width, height: height, fill: Cell("x")) }
    func points(_ values: [Double]) -> [SamplePair] {
        values.enumerated().map { SamplePair(timestamp: Double($0.offset + 1), value: $0.element) }
    }

    @Test func aSeriesSparklineBucketsClampsAndColoursByThreshold() {
        let data = [SamplePair(timestamp: 1, value: 0), SamplePair(timestamp: 2, value: 7), SamplePair(timestamp: 4, value: .nan),
                    SamplePair(timestamp: 5, value: .infinity), SamplePair(timestamp: 6, value: 3.5)]
        var c = canvas(8, 1)
        SeriesGraphics.sparkline(data, range: (0, 6), width: 6, thresholds: nil, ascii: false).render(into: &c, area: Rect(x: 1, y: 0, width: 6, height: 1))
        #expect(c.lines == ["x▁█  ↑▅x"])
        #expect(c[5, 0].style.role == .clamped)
        var t = canvas(3, 1)
        SeriesGraphics.sparkline(points([0.001, 0.02, 0.2]), range: (0, 3), width: 3, thresholds: Thresholds(warning: 0.01, critical: 0.05), ascii: false)
            .render(into: &t, area: t.bounds)
        #expect([t[0, 0], t[1, 0], t[2, 0]].map(\.style.role) == [.sparkline, .warning, .critical])
    }

    @Test func healthTilesPutDownServicesFirst() {
        var c = canvas(52, 2)
        let services = [ServiceHealth(name: "payment-service", status: .down), ServiceHealth(name: "order-service", status: .up),
                        ServiceHealth(name: "user-service", status: .partial(up: 1, total: 2))]
        HealthTiles.grid(services, ascii: false).render(into: &c, area: c.bounds)
        #expect(c.trimmedLines == ["✖ payment-service DOWN    ◐ user-service    1/2 UP", "● order-service   UP"])
        #expect(HealthTiles.summary(services) == "1/3 up")
    }

    @Test func aSeriesRowShowsLegendSparklineValueAndState() {
        var c = canvas(40, 1)
        let thresholds = Thresholds(warning: 0.01, critical: 0.05)
        let s = SeriesSummary(legend: "payment-service", labels: [:], points: points([0.01, 0.05, 0.114]), thresholds: thresholds)
        SeriesRows(series: [s], markers: [nil], unit: .percent, thresholds: thresholds, range: (0, 3), stale: false, ascii: false)
            .render(into: &c, area: c.bounds)
        // Three points over a twelve-column range: one column in four has data.
        #expect(c.lines == ["payment-service    ▁   ▄   █ 11.4 % CRIT"])
        #expect(c[36, 0].style.role == .critical)
        #expect(SeriesRowLayout.fit(width: 40, series: [s], unit: .percent, hasThresholds: true)
            == SeriesRowLayout(legendWidth: 15, sparklineWidth: 12, valueWidth: 6, stateWidth: 4))
    }

    @Test func aNarrowRowKeepsTheValueAndDropsTheSparkline() {
        let s = SeriesSummary(legend: "inventory-service", labels: [:], points: points([1]), thresholds: nil)
        let layout = SeriesRowLayout.fit(width: 20, series: [s], unit: .seconds, hasThresholds: true)
        #expect(layout.sparklineWidth == 0 && layout.stateWidth == 0)
        var c = canvas(20, 1)
        SeriesRows(series: [s], markers: [nil], unit: .seconds, thresholds: nil, range: (0, 1), stale: false, ascii: false).render(into: &c, area: c.bounds)
        #expect(c.lines == ["inventory-se… 1.00 s"])
    }

    @Test func hiddenSeriesNameTheWorstOfThem() {
        let thresholds = Thresholds(warning: 1, critical: 5)
        let series = [0.5, 0.6, 2, 9].enumerated().map { SeriesSummary(legend: "s\($0.offset)", labels: [:], points: points([$0.element]), thresholds: thresholds) }
        var c = canvas(40, 2)
        SeriesRows(series: series, markers: [], unit: .none, thresholds: thresholds, range: (0, 1), stale: false, moreHint: "(/ filters)", ascii: false)
            .render(into: &c, area: c.bounds)
        #expect(c.trimmedLines[1] == "+3 more (s3 CRIT) (/ filters)")
        #expect(c[0, 1].style.role == .critical)
    }

    @Test func alertRowsDimPendingAndCountTheOverflow() {
        let now = Date(timeIntervalSince1970: 10_000)
        let items = AlertItem.sorted([
            Alert(labels: ["alertname": "HighErrorRate", "severity": "critical", "service": "payment-service"], annotations: ["summary": "errors"], state: .firing, activeAt: now.addingTimeInterval(-720)),
            Alert(labels: ["alertname": "Slow", "severity": "warning", "service": "inventory-service"], annotations: ["summary": "slow"], state: .pending, activeAt: now.addingTimeInterval(-30)),
            Alert(labels: ["alertname": "Third", "severity": "warning"], state: .firing, activeAt: now),
        ])
        var c = canvas(60, 2)
        AlertRows(items: items, now: now, ascii: false).render(into: &c, area: c.bounds)
        #expect(c.trimmedLines == ["CRIT  HighErrorRate  payment-service  12m  errors", "+2 more (a: all alerts)"])
        var all = canvas(60, 3)
        AlertRows(items: items, now: now, selected: 1, ascii: false).render(into: &all, area: all.bounds)
        #expect(all.trimmedLines[2].hasPrefix("PEND  Slow"))
        #expect(all[0, 2].style.role == .alertPending)
        #expect(all[0, 1].style.attributes.contains(.reverse), "the selected row's badge is reversed")
        #expect(AlertRows.header(items, ascii: false) == ("FIRING 1 critical · 1 warning · 1 pending", .critical))
        #expect(AlertRows.header([], ascii: false) == ("No alerts firing", .ok))
    }

    @Test func theStatusBarDropsTheLeastImportantPartsFirst() {
        var state = DashboardState(dashboard: .microservices, server: "prometheus:9090", now: Date(timeIntervalSince1970: 100))
        state.connection = .connected
        state.panels[0].updatedAt = Date(timeIntervalSince1970: 97)
        var wide = Canvas(width: 100, height: 1)
        StatusBar.line(state, breadcrumbs: ["x"], ascii: false).render(into: &wide, area: wide.bounds)
        #expect(wide.trimmedLines == [" Microservices Health Dashboard   prometheus:9090   range 1h   LIVE   updated 3s ago         ? help"])
        var pinned = state
        pinned.pinnedEnd = Date(timeIntervalSince1970: 100 - 7200)
        pinned.utc = true
        pinned.now = Date(timeIntervalSince1970: 100)
        var past = Canvas(width: 160, height: 1)
        StatusBar.line(pinned, breadcrumbs: ["x"], ascii: false).render(into: &past, area: past.bounds)
        #expect(past.trimmedLines.first?.contains("range 1h   Dec 31 21:01 → Dec 31 22:01 UTC (paused; 0: live)") == true, "\(past.trimmedLines)")
        let column = past.lines[0].distance(from: past.lines[0].startIndex, to: past.lines[0].range(of: "Dec")?.lowerBound ?? past.lines[0].startIndex)
        #expect(past[column, 0].style.role == .statusError, "a window in the past stands out")
        var narrow = Canvas(width: 50, height: 1)
        StatusBar.line(state, breadcrumbs: ["x"], ascii: false).render(into: &narrow, area: narrow.bounds)
        #expect(narrow.trimmedLines == [" prometheus:9090   range 1h   updated 3s ago"])
        state.connection = .unreachable(message: "connection refused", retryAt: Date(timeIntervalSince1970: 105))
        StatusBar.line(state, breadcrumbs: ["x"], ascii: false).render(into: &narrow, area: narrow.bounds)
        #expect(narrow.trimmedLines == [" prometheus:9090   cannot reach prometheus:9090 …"])
    }
}
