import LookoutUI
import SafeText
import DashboardCore
import Foundation
import PrometheusModels
import Testing
import TerminalCanvas

/// Stale, missing, future, out-of-order and malformed data are shown as what they are (the rules, pure).
@Suite("Never lie")
struct NeverLieTests {
    static let t0 = Date(timeIntervalSince1970: 1_764_000_000)

    @Test func samplesAreOrderedByTimeWithOnePerTimestamp() throws {
        let json = #"{"metric":{"service":"s"},"values":[[30,"3"],[10,"1"],[20,"2"],[20,"2.5"],[10,"1"]]}"#
        let stream = try JSONDecoder().decode(SampleStream.self, from: Data(json.utf8))
        #expect(stream.values == [SamplePair(timestamp: 10, value: 1), SamplePair(timestamp: 20, value: 2.5), SamplePair(timestamp: 30, value: 3)])
        let summary = SeriesSummary(legend: "s", labels: [:], points: stream.values, thresholds: nil)
        #expect(summary.last == 3, "last is the newest sample, not the last element sent")
        let gaps = #"{"metric":{},"values":[[10,"1"],[40,"4"]]}"#
        #expect(try JSONDecoder().decode(SampleStream.self, from: Data(gaps.utf8)).values.count == 2, "gaps stay gaps")
    }

    @Test func aWindowPastTheServersRetentionSaysThereIsNoDataBeforeIt() {
        var app = AppState(model: DashboardState(dashboard: .microservices, server: "p:9090", now: Self.t0))
        _ = app.update(.dashboard(.resize(width: 160, height: 40)))
        for index in 0..<4 {
            _ = app.update(.dashboard(.panelLoaded(index: index, generation: 0, outcome: .loaded(PanelData()), at: Self.t0)))
        }
        _ = app.update(.dashboard(.retention(2 * 3600)))
        func screen() -> [String] {
            var canvas = Canvas(width: 160, height: 40)
            AppView.render(app, into: &canvas)
            return canvas.lines
        }
        #expect(!screen().joined().contains("no data before"), "live, the last hour is inside two hours of retention")
        for _ in 0..<4 { _ = app.update(.key(.char("["))) }
        let note = "no data before " + ClockFormat.short(Self.t0.addingTimeInterval(-7200), now: Self.t0, utc: false) + " (retention 2h)"
        let lines = screen()
        #expect(lines[0].contains(note), "\(lines[0])")
        #expect(lines.map { $0.components(separatedBy: note).count - 1 }.reduce(0, +) == 5, "the status bar and each empty panel")
    }

    @Test func theStaleRuleIsTwoIntervalsAndAtLeastFiveSeconds() {
        #expect(Staleness.limit(interval: 1) == 5)
        #expect(Staleness.limit(interval: 15) == 30)
        var state = DashboardState(dashboard: .microservices, server: "x", rangeSeconds: 3600, refreshSeconds: 1)
        state.now = Self.t0
        state.panels[1].updatedAt = Self.t0.addingTimeInterval(-4)
        #expect(state.staleAge(ofPanel: 1) == nil)
        state.panels[1].updatedAt = Self.t0.addingTimeInterval(-6)
        #expect(state.staleAge(ofPanel: 1) == 6, "at --refresh 1s the badge comes after 5 s, not 28")
    }

    @Test func aSeriesThatStoppedIsStaleInTheDashboard() {
        var state = DashboardState(dashboard: .microservices, server: "x", rangeSeconds: 3600, refreshSeconds: 15)
        state.now = Self.t0
        state.panels[1].updatedAt = Self.t0
        let stopped = SeriesSummary(legend: "payment-service", labels: [:], points: [SamplePair(timestamp: Self.t0.timeIntervalSince1970 - 600, value: 43.3)], thresholds: nil)
        let live = SeriesSummary(legend: "user-service", labels: [:], points: [SamplePair(timestamp: Self.t0.timeIntervalSince1970, value: 1)], thresholds: nil)
        let ahead = SeriesSummary(legend: "x", labels: [:], points: [SamplePair(timestamp: Self.t0.timeIntervalSince1970 + 7200, value: 1)], thresholds: nil)
        #expect(state.freshness(of: stopped, panel: 1) == .stale(age: 600))
        #expect(state.freshness(of: live, panel: 1) == .fresh)
        #expect(state.freshness(of: ahead, panel: 1) == .ahead(by: 7200))
    }

    @Test func aRefreshPastItsDeadlineFailsWhatIsMissingAndSchedulesTheNext() {
        var state = DashboardState(dashboard: .microservices, server: "x", rangeSeconds: 3600, refreshSeconds: 1)
        state.requestTimeout = 3
        state.now = Self.t0
        _ = state.perform(.refresh)
        let generation = state.generation
        _ = state.update(.panelLoaded(index: 0, generation: generation, outcome: .loaded(PanelData()), at: Self.t0.addingTimeInterval(1)))
        #expect(state.update(.tick(Self.t0.addingTimeInterval(4))).isEmpty, "before the deadline nothing happens")
        _ = state.update(.tick(Self.t0.addingTimeInterval(5)))
        #expect(state.panels[0].error == nil, "the panel that answered keeps its data")
        #expect(state.panels[1].error == "no answer within 5s")
        #expect(state.alerts.error == "no answer within 5s")
        guard case .unreachable(let message, let retryAt) = state.connection else {
            Issue.record("the status bar does not say the refresh failed")
            return
        }
        #expect(message == "refresh timed out: no answer within 5s")
        #expect(retryAt == Self.t0.addingTimeInterval(10), "the back-off of one failure: 5 s")
        let effects = state.update(.tick(Self.t0.addingTimeInterval(10)))
        #expect(effects.contains { if case .fetch = $0 { true } else { false } }, "the next refresh starts")

        // With a refresh every minute, the retry still comes after the back-off, not a minute later.
        var slow = DashboardState(dashboard: .microservices, server: "x", rangeSeconds: 3600, refreshSeconds: 60)
        slow.requestTimeout = 3
        slow.now = Self.t0
        _ = slow.perform(.refresh)
        _ = slow.update(.tick(Self.t0.addingTimeInterval(5)))
        #expect(slow.nextRefreshAt == Self.t0.addingTimeInterval(10))
        #expect(slow.update(.tick(Self.t0.addingTimeInterval(10))).contains { if case .fetch = $0 { true } else { false } })
    }

    @Test func aServiceSeenInTheRangeAndAbsentNowIsGone() {
        let services = HealthEvaluator.evaluate(
            present: [["service": "a"]], expected: [["service": "a"], ["service": "b"]],
            seen: [["service": "a"], ["service": "b"], ["service": "c"]], legendFormat: "{{service}}")
        #expect(services == [
            ServiceHealth(name: "b", status: .down), ServiceHealth(name: "c", status: .gone), ServiceHealth(name: "a", status: .up),
        ])
    }

    @Test func oneMalformedAlertDoesNotHideTheOthers() throws {
        let json = #"{"alerts":[{"labels":{"alertname":"A","severity":"critical"},"state":"Firing"},{"labels":{"alertname":"B","severity":"critical"},"state":"firing","value":1.5},{"labels":{"alertname":"C","severity":"critical"},"state":"firing","activeAt":"2026-11-25T14:00:00Z","value":"1"}]}"#
        let data = try JSONDecoder().decode(AlertsData.self, from: Data(json.utf8))
        #expect(data.alerts.map(\.name) == ["C"])
        #expect(data.unreadable == [
            "state 'Firing' (expected pending or firing) at .alerts[0].state",
            "value 1.5 is a number (expected a string such as \"1.5\") at .alerts[1].value",
        ])
        #expect(AlertCounts(AlertItem.sorted(data.alerts)).exitCode == 2, "the valid critical alert still counts")
        #expect(AlertsState.summary(ofUnreadable: data.unreadable) == "2 alerts could not be read: state 'Firing' (expected pending or firing) at .alerts[0].state (and 1 more)")
    }
}
