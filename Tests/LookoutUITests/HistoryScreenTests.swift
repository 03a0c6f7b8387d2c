import DashboardCore
import Foundation
import LookoutUI
import PrometheusModels
import Testing
import TerminalCanvas
import TestSupport

@Suite("History: the night on one screen")
struct HistoryScreenTests {
    static func opened() -> AppState {
        var app = AppState(model: SampleStates.incident)
        let effects = app.update(.key(.char("h")))
        #expect(app.top is HistoryScreen)
        // It asks for the last 12 hours at once.
        let now = SampleStates.incident.now
        #expect(effects.contains { if case .request(_, 1, .alertHistory(let from, let to)) = $0 { from == now.addingTimeInterval(-43_200) && to == now } else { false } })
        let night = NightFixture(end: Int(now.timeIntervalSince1970))
        _ = app.update(.response(screen: app.screenIDs.last ?? 0, id: 1, .history(alerts: night.alertStreams, heartbeat: night.heartbeatStreams)))
        return app
    }

    static func screen(_ app: AppState) -> HistoryScreen? { app.top as? HistoryScreen }

    @Test func theWindowMovesAsTheDashboardsAndAsksAgain() throws {
        var app = Self.opened()
        let now = app.model.now
        var effects = app.update(.key(.char("+")))
        #expect(effects.contains { if case .request(_, 2, .alertHistory(let from, let to)) = $0 { to == now && to.timeIntervalSince(from) == 86_400 } else { false } })
        effects = app.update(.key(.char("[")))
        #expect(effects.contains { if case .request(_, 3, .alertHistory(let from, let to)) = $0 { to == now.addingTimeInterval(-43_200) && from == to.addingTimeInterval(-86_400) } else { false } })
        effects = app.update(.key(.char("0")))
        #expect(effects.contains { if case .request(_, 4, .alertHistory(_, let to)) = $0 { to == now } else { false } })
        // An answer to an older request is dropped; the dashboard's window never moved.
        _ = app.update(.response(screen: app.screenIDs.last ?? 0, id: 3, .failure("late")))
        #expect(Self.screen(app)?.problem == nil)
        #expect(app.model.pinnedEnd == nil && app.model.rangeSeconds == SampleStates.incident.rangeSeconds)
    }

    @Test func enterOpensTheAlertWithTheDashboardCentredOnTheChosenFiring() throws {
        var app = Self.opened()
        // The second row is HighErrorRate; ← twice chooses its first firing.
        for key in [Key.down, .left, .left] { _ = app.update(.key(key)) }
        let screen = try #require(Self.screen(app))
        let row = screen.night?.rows[1]
        #expect(row?.name == "HighErrorRate")
        #expect(screen.firing == 0)
        let firing = try #require(row?.firings.first)
        _ = app.update(.key(.enter))
        let detail = try #require(app.top as? AlertDetailScreen)
        #expect(detail.alert.name == "HighErrorRate" && detail.alert.labels["service"] == "payment-service")
        #expect(detail.alert.activeAt == firing.start)
        let end = try #require(app.model.pinnedEnd)
        let centre = end.addingTimeInterval(-app.model.rangeSeconds / 2)
        #expect(centre > firing.start && centre < firing.end)
        #expect(app.model.paused)
        // Esc comes back to the history as it was.
        _ = app.update(.key(.escape))
        #expect(Self.screen(app)?.firing == 0)
    }

    @Test func gGoesToTheDashboardAtTheFiring() throws {
        var app = Self.opened()
        _ = app.update(.key(.char("g")))
        #expect(app.stack.count == 1)
        let blip = NightFixture.blipAgo
        let end = try #require(app.model.pinnedEnd)
        #expect(abs(end.addingTimeInterval(-app.model.rangeSeconds / 2).timeIntervalSince(app.model.now.addingTimeInterval(-Double(blip)))) < 60)
    }

    @Test func theFilterAndSChooseTheRows() throws {
        var app = Self.opened()
        for key in "/latency".map({ Key.char($0) }) + [.enter] { _ = app.update(.key(key)) }
        var canvas = Canvas(width: 100, height: 30)
        AppView.render(app, into: &canvas)
        #expect(canvas.lines.joined(separator: "\n").contains("HighLatency"))
        #expect(!canvas.lines.joined(separator: "\n").contains("HighErrorRate"))
        _ = app.update(.key(.char("/")))
        _ = app.update(.key(.escape))
        #expect(app.model.filter.isEmpty && app.top is HistoryScreen)
        // ← on an alert that never fired says so.
        for key in [Key.end, .down, .down, .down] { _ = app.update(.key(key)) }
        _ = app.update(.key(.left))
        #expect(app.notice == "this alert never fired in the window")
    }

    @Test func anAnswerThatFailsIsSaidAndTheScreenKeepsWhatItHad() throws {
        var app = Self.opened()
        _ = app.update(.key(.char("r")))
        _ = app.update(.response(screen: app.screenIDs.last ?? 0, id: 2, .failure("cannot reach http://prometheus:9090: connection refused")))
        let screen = try #require(Self.screen(app))
        #expect(screen.night?.rows.count == 4)
        var canvas = Canvas(width: 80, height: 24)
        AppView.render(app, into: &canvas)
        #expect(canvas.lines.joined(separator: "\n").contains("stale"))
        #expect(canvas.lines.joined(separator: "\n").contains("history unavailable: cannot reach"))
    }
}
