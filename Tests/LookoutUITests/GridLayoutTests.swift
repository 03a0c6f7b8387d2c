import DashboardCore
import Foundation
import LookoutUI
import Testing
import TerminalCanvas
@testable import LookoutUI

/// Grafana's grid on a terminal (#24): `gridPos` mapped onto the width, rows open and closed, a dashboard taller than
/// the screen scrolled with the focus kept in view, and only what is on screen (and a screen around it) asked for.
@Suite("Grafana's grid and scrolling")
struct GridLayoutTests {
    let board = GridSamples.dashboard

    @Test("gridPos columns map onto the width; panels move up past a closed row, as Grafana's grid compacts")
    func placement() throws {
        let placed = GridPlacement(board, width: 160, closed: [7])
        let rects = Dictionary(placed.panels.map { ($0.index, $0.rect) }, uniquingKeysWith: { a, _ in a })
        #expect(rects[0] == Rect(x: 0, y: 0, width: 160, height: 1))
        #expect(rects[1] == Rect(x: 0, y: 1, width: 40, height: 4))
        #expect(rects[4] == Rect(x: 120, y: 1, width: 40, height: 4))
        #expect(rects[5] == Rect(x: 0, y: 5, width: 80, height: 9))
        // The closed row's header right under the graphs, its panels not placed, the next row under it.
        #expect(rects[7] == Rect(x: 0, y: 14, width: 160, height: 1))
        #expect(rects[8] == nil && rects[9] == nil)
        #expect(rects[10] == Rect(x: 0, y: 15, width: 160, height: 1))
        // A third of the width for w = 8.
        #expect(rects[13] == Rect(x: 0, y: 24, width: 53, height: 8))
        #expect(rects[14]?.x == 53)
        #expect(placed.height == 47)
        // Opened, the row's panels take their rows and push the rest down.
        let opened = GridPlacement(board, width: 160, closed: [])
        #expect(opened.panels.first { $0.index == 8 }?.rect == Rect(x: 0, y: 15, width: 80, height: 8))
        #expect(opened.height == 55)
    }

    @Test("narrower than 80 columns every panel takes the whole width, in Grafana's order")
    func stacked() {
        let placed = GridPlacement(board, width: 60, closed: [7])
        #expect(placed.panels.allSatisfy { $0.rect.x == 0 && $0.rect.width == 60 })
        let tops = placed.panels.map(\.rect.y)
        #expect(tops == tops.sorted())
        #expect(placed.panels.map(\.index) == [0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19])
    }

    @Test("a dashboard taller than the screen asks for the panels on screen and a screen around them, never the rows")
    func askedPanels() throws {
        var model = GridSamples.app(160, 14).model
        let top = try #require(DashboardLayout.wanted(model))
        #expect(top.contains(1) && top.contains(5))
        #expect(!top.contains(0) && !top.contains(10), "rows are not asked for")
        #expect(!top.contains(16) && !top.contains(13), "the panels more than a screen below")
        #expect(!top.contains(8), "a closed row's panels are not asked for")
        _ = model.perform(.scroll(1000))
        #expect(model.scrollTop == DashboardLayout.geometry(of: model).maxScroll)
        let end = try #require(DashboardLayout.wanted(model))
        #expect(end.contains(16) && !end.contains(1))
        // Everything on one tall screen: nil, every panel is asked for.
        #expect(DashboardLayout.wanted(GridSamples.app(160, 120).model) == nil)
    }

    @Test("a refresh asks for the panels on screen only; scrolling to panels without data asks for them at once")
    func fetchFollowsTheScreen() throws {
        var model = GridSamples.app(160, 14).model
        let effects = model.perform(.refresh)
        guard case .fetch(_, _, _, _, _, let panels) = try #require(effects.first) else { Issue.record("no fetch"); return }
        #expect(panels == DashboardLayout.wanted(model))
        #expect(model.panels[16].isLoading == false, "a panel off screen is not waiting for an answer")
        _ = model.update(.fetchFinished(generation: model.generation, unreachable: nil, at: model.now))
        // The closed row opened: its panels have no data, so they are asked for now, not at the next refresh.
        let opened = model.perform(.toggleRow(7))
        guard case .fetch(_, _, _, _, _, let asked) = try #require(opened.first) else { Issue.record("no fetch on opening"); return }
        #expect(asked?.contains(8) == true && asked?.contains(9) == true)
        // Closed again while that fetch runs, and a refresh that no longer asks for them supersedes it: they are not
        // left waiting for an answer that will not come, and opening the row asks for them again.
        _ = model.perform(.toggleRow(7))
        _ = model.perform(.refresh)
        #expect(!model.panels[8].isLoading)
        let reopened = model.perform(.toggleRow(7))
        guard case .fetch(_, _, _, _, _, let again) = try #require(reopened.first) else { Issue.record("no fetch on reopening"); return }
        #expect(again?.contains(8) == true)
        _ = model.update(.fetchFinished(generation: model.generation, unreachable: nil, at: model.now))
        // Scrolling back to panels that have fresh data asks for nothing.
        model.panels[8].updatedAt = model.now
        model.panels[9].updatedAt = model.now
        #expect(model.perform(.scroll(0)).isEmpty)
    }

    @Test("PgDn, End and Home scroll; the arrows go to the panel that way; Tab scrolls the focus into view")
    func keys() throws {
        var app = GridSamples.app(160, 24)
        _ = app.update(.key(.pageDown))
        #expect(app.model.scrollTop > 0)
        _ = app.update(.key(.home))
        #expect(app.model.scrollTop == 0)
        _ = app.update(.key(.end))
        #expect(app.model.scrollTop == DashboardLayout.geometry(of: app.model).maxScroll)
        // From the first row header down: a stat, then the graph under it, then the one right of that.
        app = GridSamples.app(160, 24)
        var screen = try #require(app.top as? DashboardScreen)
        #expect(screen.focusedPanel == 0)
        _ = app.update(.key(.down))
        screen = try #require(app.top as? DashboardScreen)
        #expect(app.model.dashboard.panels[screen.focusedPanel].kind == .stat)
        _ = app.update(.key(.down))
        _ = app.update(.key(.right))
        screen = try #require(app.top as? DashboardScreen)
        #expect(screen.focusedPanel == 6)
        // Tab through to the last panel: the dashboard scrolls so that it is on screen.
        for _ in 0..<20 where (app.top as? DashboardScreen)?.focusedPanel != 16 { _ = app.update(.key(.tab)) }
        #expect((app.top as? DashboardScreen)?.focusedPanel == 16)
        let geometry = DashboardLayout.geometry(of: app.model)
        let last = try #require(geometry.panels.first { $0.index == 16 })
        #expect(geometry.viewport.intersection(last.rect) == last.rect)
    }

    @Test("Enter on a row opens and closes it; the status bar says which rows are on screen")
    func rows() throws {
        var app = GridSamples.app(160, 24, [.down, .down, .down])
        #expect((app.top as? DashboardScreen)?.focusedPanel == 7)
        _ = app.update(.key(.enter))
        #expect(!app.model.closedRows.contains(7))
        _ = app.update(.key(.enter))
        #expect(app.model.closedRows.contains(7))
        #expect(DashboardLayout.position(app.model, ascii: false) == "rows 1–3 of 3")
        #expect(DashboardLayout.position(app.model, ascii: true) == "rows 1-3 of 3")
        _ = app.update(.key(.end))
        #expect(DashboardLayout.position(app.model, ascii: false) == "row 3 of 3")
    }

    @Test("a panel partly scrolled off is drawn clipped, never over the status bar or the alerts")
    func clipped() throws {
        var app = GridSamples.app(120, 30)
        _ = app.update(.key(.down))
        app.model.scrollTop = 2
        var canvas = Canvas(width: 120, height: 30)
        AppView.render(app, into: &canvas)
        #expect(canvas.lines[0].contains("Node Exporter Full"))
        // The stats' frames start above the screen: their last line is the first one drawn.
        #expect(canvas.lines[1].hasPrefix("┃") && canvas.lines[1].contains("44.9 %"), "the focused stat's value line, its top border scrolled off: \(canvas.lines.prefix(3))")
        #expect(!canvas.lines[1].contains("┌") && !canvas.lines[1].contains("┏"))
        #expect(canvas.lines.contains { $0.hasPrefix(" No alerts firing") })
    }
}

/// Repeats on the dashboard (#24): a panel repeated per value of its variable follows the values on offer.
@Suite("Repeated panels on the dashboard")
struct RepeatOnDashboardTests {
    @Test("the values on offer arriving draw the copies and ask for them at once; a value picked draws one")
    func followsTheVariable() throws {
        var model = GridSamples.repeatedApp(160, 45).model
        #expect(model.dashboard.panels.map(\.title) == ["Nodes", "CPU of $instance"], "before the values are known, the panel once, as written")
        let effects = model.update(.variableOptions(name: "instance", values: ["a:9100", "b:9100", "c:9100"]))
        #expect(model.dashboard.panels.map(\.title) == ["Nodes", "CPU of a:9100", "CPU of b:9100", "CPU of c:9100"])
        #expect(model.panels.count == 4)
        #expect(effects.contains { if case .fetch = $0 { true } else { false } }, "the copies are asked for")
        #expect(model.update(.variableOptions(name: "instance", values: ["a:9100", "b:9100", "c:9100"])).isEmpty, "the same values: nothing again")
        _ = model.perform(.setVariable(name: "instance", value: "b:9100"))
        #expect(model.dashboard.panels.map(\.title) == ["Nodes", "CPU of b:9100"])
        #expect(model.repeatSource?.panels.count == 2)
    }
}
