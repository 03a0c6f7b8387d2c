import DashboardCore
import Foundation
import PrometheusAPI
import Testing
import TerminalCanvas

/// Each widget drawn alone, with untouched cells filled with "x".
@Suite("Widgets")
struct WidgetTests {
    func canvas(_ width: Int, _ height: Int) -> Canvas { Canvas(width: width, height: height, fill: Cell("x")) }
    func points(_ values: [Double]) -> [SamplePair] {
        values.enumerated().map { SamplePair(timestamp: Double($0.offset + 1), value: $0.element) }
    }

    @Test func aPanelFrameHasItsTitleOnTheTopEdge() {
        var c = canvas(16, 4)
        let inner = PanelFrame.draw(into: &c, area: Rect(x: 0, y: 0, width: 16, height: 4), title: "Errors", badge: ("CRIT", .critical), options: RenderOptions())
        #expect(c.lines == ["┌ Errors  CRIT ┐", "│xxxxxxxxxxxxxx│", "│xxxxxxxxxxxxxx│", "└──────────────┘"])
        #expect(inner == Rect(x: 1, y: 1, width: 14, height: 2))
        var a = canvas(10, 3)
        PanelFrame.draw(into: &a, area: a.bounds, title: "A long title", focused: true, options: RenderOptions(ascii: true))
        #expect(a.lines == ["+ A long +", "|xxxxxxxx|", "+--------+"])
    }

    @Test func aFrameTooSmallDrawsNothing() {
        var c = canvas(3, 1)
        let inner = PanelFrame.draw(into: &c, area: c.bounds, title: "x", options: RenderOptions())
        #expect(inner.isEmpty)
        #expect(c.lines == ["xxx"])
    }

    @Test func blockSparklineWithGapsAndClampedInfinity() {
        var c = canvas(8, 1)
        let data = [SamplePair(timestamp: 1, value: 0), SamplePair(timestamp: 2, value: 7), SamplePair(timestamp: 4, value: .nan),
                    SamplePair(timestamp: 5, value: .infinity), SamplePair(timestamp: 6, value: 3.5)]
        Sparkline.draw(into: &c, x: 1, y: 0, width: 6, points: data, start: 0, end: 6, thresholds: nil, options: RenderOptions())
        #expect(c.lines == ["x▁█  ↑▅x"])
        #expect(c[5, 0].style.role == .clamped)
    }

    @Test func asciiAndBrailleSparklines() {
        var a = canvas(4, 1)
        Sparkline.draw(into: &a, x: 0, y: 0, width: 4, points: points([0, 1, 2, 3]), start: 0, end: 4, thresholds: nil, options: RenderOptions(ascii: true))
        #expect(a.lines == ["_-+#"])
        var b = canvas(2, 1)
        Sparkline.draw(into: &b, x: 0, y: 0, width: 2, points: points([0, 1, 2, 3]), start: 0, end: 4, thresholds: nil, options: RenderOptions(glyphs: .braille))
        #expect(b.lines == ["⣠⣾"])
    }

    @Test func sparklineColumnsAreColouredByThreshold() {
        var c = canvas(3, 1)
        Sparkline.draw(into: &c, x: 0, y: 0, width: 3, points: points([0.001, 0.02, 0.2]), start: 0, end: 3,
                       thresholds: Thresholds(warning: 0.01, critical: 0.05), options: RenderOptions())
        #expect([c[0, 0], c[1, 0], c[2, 0]].map(\.style.role) == [.sparkline, .warning, .critical])
    }

    @Test func statTilesPutDownServicesFirstInTheFirstColumn() {
        var c = canvas(52, 2)
        let services = [ServiceHealth(name: "payment-service", status: .down), ServiceHealth(name: "order-service", status: .up),
                        ServiceHealth(name: "user-service", status: .partial(up: 1, total: 2))]
        StatTile.draw(into: &c, area: c.bounds, services: services, options: RenderOptions())
        #expect(c.trimmedLines == ["✖ payment-service DOWN    ◐ user-service    1/2 UP", "● order-service   UP"])
        #expect(StatTile.summary(services) == "1/3 up")
    }

    @Test func statTilesOverflowIntoAMoreLine() {
        var c = canvas(28, 2)
        var services = (1...5).map { ServiceHealth(name: "svc-\($0)", status: .up) }
        services[4].status = .down
        StatTile.draw(into: &c, area: c.bounds, services: services, options: RenderOptions(ascii: true))
        #expect(c.trimmedLines == ["+ svc-1 UP    + svc-3 UP", "+ svc-2 UP    +2 more"])
        #expect(c[14, 1].style.role == .critical, "a hidden down service makes the overflow critical")
    }

    @Test func aSeriesRowShowsLegendSparklineValueAndState() {
        var c = canvas(40, 1)
        let s = SeriesSummary(legend: "payment-service", labels: [:], points: points([0.01, 0.05, 0.114]), thresholds: Thresholds(warning: 0.01, critical: 0.05))
        let layout = SeriesRowLayout.fit(width: 40, series: [s], unit: .percent, hasThresholds: true)
        SeriesRow.draw(into: &c, area: c.bounds, series: s, layout: layout, unit: .percent, thresholds: Thresholds(warning: 0.01, critical: 0.05),
                       range: (0, 3), stale: false, options: RenderOptions())
        // Three points over a twelve-column range: one column in four has data.
        #expect(c.lines == ["payment-service    ▁   ▄   █ 11.4 % CRIT"])
        #expect(layout == SeriesRowLayout(legendWidth: 15, sparklineWidth: 12, valueWidth: 6, stateWidth: 4))
    }

    @Test func aNarrowRowKeepsTheValueAndDropsTheSparkline() {
        let s = SeriesSummary(legend: "inventory-service", labels: [:], points: points([1]), thresholds: nil)
        let layout = SeriesRowLayout.fit(width: 20, series: [s], unit: .seconds, hasThresholds: true)
        #expect(layout.sparklineWidth == 0)
        #expect(layout.stateWidth == 0)
        var c = canvas(20, 1)
        SeriesRow.draw(into: &c, area: c.bounds, series: s, layout: layout, unit: .seconds, thresholds: nil, range: (0, 1), stale: false, options: RenderOptions())
        #expect(c.lines == ["inventory-se… 1.00 s"])
    }

    @Test func alertListDimsPendingAndCountsOverflow() {
        let now = Date(timeIntervalSince1970: 10_000)
        let items = AlertItem.sorted([
            Alert(labels: ["alertname": "HighErrorRate", "severity": "critical", "service": "payment-service"], annotations: ["summary": "errors"], state: .firing, activeAt: now.addingTimeInterval(-720)),
            Alert(labels: ["alertname": "Slow", "severity": "warning", "service": "inventory-service"], annotations: ["summary": "slow"], state: .pending, activeAt: now.addingTimeInterval(-30)),
            Alert(labels: ["alertname": "Third", "severity": "warning"], state: .firing, activeAt: now),
        ])
        var c = canvas(60, 2)
        AlertList.draw(into: &c, area: c.bounds, items: items, now: now, options: RenderOptions())
        #expect(c.trimmedLines == [
            "CRIT  HighErrorRate  payment-service  12m  errors",
            "+2 more (a: all alerts)",
        ])
        var all = canvas(60, 3)
        AlertList.draw(into: &all, area: all.bounds, items: items, now: now, options: RenderOptions())
        #expect(all.trimmedLines[2].hasPrefix("PEND  Slow"))
        #expect(all[0, 2].style.role == .alertPending)
        #expect(AlertList.header(items, ascii: false) == ("FIRING 1 critical · 1 warning · 1 pending", .critical))
        #expect(AlertList.header([], ascii: false) == ("No alerts firing", .ok))
    }

    @Test func theStatusBarDropsTheLeastImportantPartsFirst() {
        var state = DashboardState(dashboard: .microservices, server: "prometheus:9090", now: Date(timeIntervalSince1970: 100))
        state.connection = .connected
        state.panels[0].updatedAt = Date(timeIntervalSince1970: 97)
        var wide = Canvas(width: 100, height: 1)
        StatusBar.draw(into: &wide, area: wide.bounds, state: state, options: RenderOptions())
        #expect(wide.trimmedLines == [" Microservices Health Dashboard   prometheus:9090   range 1h   every 15s   updated 3s ago    ? help"])
        var narrow = Canvas(width: 50, height: 1)
        StatusBar.draw(into: &narrow, area: narrow.bounds, state: state, options: RenderOptions())
        #expect(narrow.trimmedLines == [" prometheus:9090   range 1h   updated 3s ago"])
        state.connection = .unreachable(message: "connection refused", retryAt: Date(timeIntervalSince1970: 105))
        StatusBar.draw(into: &narrow, area: narrow.bounds, state: state, options: RenderOptions())
        #expect(narrow.trimmedLines == [" prometheus:9090   cannot reach prometheus:9090 …"])
    }

    @Test func helpIsDrawnFromTheKeyMap() {
        var c = Canvas(width: 80, height: 24)
        HelpOverlay.draw(into: &c, area: c.bounds, options: RenderOptions())
        let text = c.lines.joined(separator: "\n")
        for binding in KeyMap.bindings { #expect(text.contains(binding.help), "\(binding.help)") }
        #expect(text.contains("q, Ctrl-C"))
    }
}
