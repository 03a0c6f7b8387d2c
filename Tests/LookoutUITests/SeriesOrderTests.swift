import DashboardCore
import Foundation
import PrometheusModels
@testable import LookoutUI
import TerminalCanvas
import Testing

/// Rows worst first (and `o`), and each series' colour kept by name.
@Suite("Series order and colours")
struct SeriesOrderTests {
    static func series(_ name: String, _ value: Double, _ state: ThresholdState) -> SeriesSummary {
        var s = SeriesSummary(legend: name, labels: [:], points: [SamplePair(timestamp: 0, value: value)], thresholds: nil)
        s.state = state
        return s
    }

    static let rows = [
        series("inventory", 0.006, .ok), series("order", 0.012, .ok), series("payment", 0.114, .critical),
        series("shipping", .nan, .unknown), series("user", 0.04, .warning),
    ]

    @Test func worstFirstThenByNameThenByValue() {
        #expect(SeriesOrder.worstFirst.apply(Self.rows).map(\.legend) == ["payment", "user", "order", "inventory", "shipping"])
        #expect(SeriesOrder.name.apply(Self.rows.reversed()).map(\.legend) == ["inventory", "order", "payment", "shipping", "user"])
        #expect(SeriesOrder.value.apply(Self.rows).map(\.legend) == ["payment", "user", "order", "inventory", "shipping"])
        #expect(SeriesOrder.worstFirst.next == .name && SeriesOrder.value.next == .worstFirst)
    }

    @Test func theCompactLayoutShowsTheWorstSeriesNotTheFirstByName() {
        var state = SampleStates.incident
        state.panels[2].data?.series = Self.rows
        #expect(state.visibleSeries(ofPanel: 2).first?.legend == "payment")
        _ = state.perform(.cycleOrder)
        #expect(state.visibleSeries(ofPanel: 2).first?.legend == "inventory")
    }

    @Test func aSeriesKeepsItsColourWhateverTheOrderAndFourServicesGetFourColours() {
        let names = ["user-service", "order-service", "inventory-service", "payment-service"]
        let colours = SeriesPalette.assign(names)
        #expect(Set(colours.values).count == 4)
        #expect(SeriesPalette.assign(names.reversed()) == colours)
        #expect(Set(SeriesPalette.assign(names + ["shipping-service"]).values).count == 5, "a fifth series takes a free colour")
        let many = (0..<12).map { "s\($0)" }
        #expect(Set(SeriesPalette.assign(many).values) == Set(0..<8), "past eight, colours repeat")
    }
}

@Suite("A window in the past that failed to load")
struct IncompleteWindowTests {
    @Test func isFetchedAgainAlthoughPaused() {
        var state = SampleStates.incident
        _ = state.perform(.panBack)
        #expect(state.paused)
        let generation = state.generation
        _ = state.update(.alertsLoaded(generation: generation, items: nil, error: "HTTP 503", at: state.now))
        _ = state.update(.fetchFinished(generation: generation, unreachable: nil, at: state.now))
        let due = state.nextRefreshAt ?? state.now
        let effects = state.update(.tick(due.addingTimeInterval(1)))
        #expect(effects.count == 1 && state.generation == generation + 1, "the failed part is asked again")
        _ = state.update(.alertsLoaded(generation: state.generation, items: [], error: nil, at: state.now))
        _ = state.update(.fetchFinished(generation: state.generation, unreachable: nil, at: state.now))
        #expect(state.update(.tick((state.nextRefreshAt ?? state.now).addingTimeInterval(1))) == [], "a complete window stays paused")
    }
}

@Suite("Zoom: inspect, log axis, mouse")
struct ZoomAndMouseTests {
    static func app(_ keys: [Key]) -> AppState {
        var model = SampleStates.incident
        model.utc = true
        model.columns = 120
        model.rows = 40
        var app = AppState(model: model)
        for key in keys { _ = app.update(.key(key)) }
        return app
    }

    func text(_ app: AppState, _ width: Int = 120, _ height: Int = 40) -> String {
        var canvas = Canvas(width: width, height: height)
        AppView.render(app, into: &canvas)
        return canvas.lines.joined(separator: "\n")
    }

    @Test func iPutsACursorWhoseInstantAndValuesTheRowsShow() {
        var app = Self.app([.char("3"), .char("i")])
        #expect((app.top as? PanelScreen)?.inspect == 1)
        var screen = text(app)
        #expect(screen.contains("▲ 14:13:19 UTC"), "the cursor's instant on the time axis")
        #expect(screen.contains("│"), "the cursor's line")
        for _ in 0..<50 { _ = app.update(.key(.left)) }
        screen = text(app)
        #expect(screen.contains("▲ 13:43:19 UTC"), "half the range back")
        #expect((app.top as? PanelScreen)?.panel == 2, "the arrows move the cursor, not the panel")
        _ = app.update(.key(.escape))
        #expect((app.top as? PanelScreen)?.inspect == nil && app.top is PanelScreen, "Esc ends inspecting first")
    }

    @Test func lMakesTheYAxisLogarithmic() {
        let app = Self.app([.char("4"), .char("l")])
        let screen = text(app)
        #expect(screen.contains(" log"), "the axis says so")
        #expect(screen.contains("10.0 s log") || screen.contains("10 s log"), "whole decades: \(screen.split(separator: "\n").dropFirst(2).first ?? "")")
    }

    @Test func aClickOnTheZoomedChartPutsTheCursorInThatColumn() {
        for column in [20, 60, 100] {
            var app = Self.app([.char("4")])
            _ = app.update(.mouse(MouseEvent(x: column, y: 6, action: .click)))
            #expect((app.top as? PanelScreen)?.inspect != nil)
            let lines = text(app).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            // The cursor is a vertical line: the column clicked holds `│` on most of the chart's rows.
            let marks = lines.dropFirst(2).prefix(15).filter { line in Array(line).indices.contains(column) && Array(line)[column] == "│" }
            #expect(marks.count >= 10, "column \(column): \(marks.count)")
        }
    }

    @Test func clicksFocusZoomAndOpenAndTheWheelPans() {
        var app = Self.app([])
        // 120 columns: the health panel has a row of its own, then two graphs to a row; the third panel starts at
        // column 60, on the row where the second's title is.
        let lines = text(app).split(separator: "\n", omittingEmptySubsequences: false)
        let second = lines.firstIndex { $0.contains("2 Request Rate") } ?? 0
        _ = app.update(.mouse(MouseEvent(x: 70, y: second + 1, action: .click)))
        #expect((app.top as? DashboardScreen)?.focusedPanel == 2)
        _ = app.update(.mouse(MouseEvent(x: 10, y: second + 1, action: .click)))
        #expect((app.top as? DashboardScreen)?.focusedPanel == 1)
        _ = app.update(.mouse(MouseEvent(x: 10, y: second + 1, action: .doubleClick)))
        #expect((app.top as? PanelScreen)?.panel == 1)
        _ = app.update(.key(.escape))
        let screen = text(app).split(separator: "\n", omittingEmptySubsequences: false)
        let row = screen.firstIndex { $0.contains("HighLatency") } ?? 0
        _ = app.update(.mouse(MouseEvent(x: 10, y: row, action: .click)))
        #expect((app.top as? AlertDetailScreen)?.alert.name == "HighLatency")
        _ = app.update(.key(.escape))
        _ = app.update(.mouse(MouseEvent(x: 10, y: 5, action: .wheelUp)))
        #expect(app.model.pinnedEnd != nil, "the wheel pans back in time")
        _ = app.update(.mouse(MouseEvent(x: 10, y: 5, action: .wheelDown)))
        #expect(app.model.pinnedEnd == nil)
    }
}

@Suite("A refresh that failed in part")
struct PartialFailureTests {
    @Test func isRetriedSoonerThanTheRefreshIntervalUntilItIsWhole() {
        var state = SampleStates.incident
        state.refreshSeconds = 60
        _ = state.perform(.refresh)
        _ = state.update(.alertsLoaded(generation: state.generation, items: nil, error: "HTTP 503: too many concurrent queries", at: state.now))
        _ = state.update(.fetchFinished(generation: state.generation, unreachable: nil, at: state.now))
        #expect(state.nextRefreshAt == state.now.addingTimeInterval(5), "the alerts are asked again in 5 s, not a minute")
        _ = state.perform(.refresh)
        _ = state.update(.alertsLoaded(generation: state.generation, items: nil, error: "HTTP 503", at: state.now))
        _ = state.update(.fetchFinished(generation: state.generation, unreachable: nil, at: state.now))
        #expect(state.nextRefreshAt == state.now.addingTimeInterval(10), "then 10 s")
        _ = state.perform(.refresh)
        _ = state.update(.alertsLoaded(generation: state.generation, items: [], error: nil, at: state.now))
        _ = state.update(.fetchFinished(generation: state.generation, unreachable: nil, at: state.now))
        #expect(state.nextRefreshAt == state.now.addingTimeInterval(60) && state.partialFailures == 0)
    }
}

/// In zoom, the rows are numbered and a digit takes its series off the chart (and puts it back); the other series
/// keep their colours.
@Suite("Series toggled in zoom")
struct SeriesToggleTests {
    func chartStyles(_ app: AppState) -> Set<StyleRole> {
        var canvas = Canvas(width: 100, height: 30)
        AppView.render(app, into: &canvas)
        var roles = Set<StyleRole>()
        // The chart's rows: between the frame's top and the numbered rows.
        for y in 2..<20 {
            for x in 10..<90 where canvas[x, y].text.unicodeScalars.first.map({ (0x2801...0x28FF).contains($0.value) }) == true {
                roles.insert(canvas[x, y].style.role)
            }
        }
        return roles
    }

    @Test func aDigitHidesItsSeriesAndShowsItAgain() throws {
        var app = SampleStates.app(SampleStates.incident, [.char("4")])
        let series = app.model.visibleSeries(ofPanel: 3)
        let colours = SeriesPalette.assign(series.map(\.legend))
        let first = StyleRole.series(try #require(colours[series[0].legend]))
        #expect(chartStyles(app).contains(first))
        var canvas = Canvas(width: 100, height: 30)
        AppView.render(app, into: &canvas)
        #expect(canvas.lines.contains { $0.contains("1 \(series[0].legend)") })
        _ = app.update(.key(.char("1")))
        #expect((app.top as? PanelScreen)?.hidden == [series[0].legend])
        let without = chartStyles(app)
        #expect(!without.contains(first), "the hidden series is off the chart")
        #expect(without.contains(.series(try #require(colours[series[1].legend]))), "the others keep their colours")
        canvas = Canvas(width: 100, height: 30)
        AppView.render(app, into: &canvas)
        #expect(canvas.lines.contains { $0.contains("1 \(series[0].legend)") && $0.contains("hidden") })
        _ = app.update(.key(.char("1")))
        #expect(chartStyles(app).contains(first))
        // A digit past the last series says so; Tab to another panel shows all of its series.
        _ = app.update(.key(.char("9")))
        #expect(app.notice == "no series 9 in this panel")
        _ = app.update(.key(.char("2")))
        _ = app.update(.key(.tab))
        #expect((app.top as? PanelScreen)?.hidden == [])
    }
}
