import DashboardCore
import SafeText
import TerminalCanvas

/// The dashboard laid out for the area:
/// - 160 columns and more: the panels four to a row, the alerts below;
/// - 80 to 159 columns: two to a row, the alerts below;
/// - narrower: compact stacked rows without frames.
/// A panel with the `wide` hint takes a row of its own.
struct DashboardLayout: Widget {
    var model: DashboardState
    var focusedPanel: Int
    /// The alert row with the keyboard focus, if one has it.
    var focusedAlert: Int? = nil
    var ascii: Bool
    /// Series told apart by characters (the mono theme).
    var marks = false

    func render(into canvas: inout Canvas, area: Rect) {
        render(geometry(area), into: &canvas)
    }

    func panelView(_ index: Int) -> PanelView { PanelView(model: model, index: index, ascii: ascii, marks: marks) }

    /// The panels of each grid row: `perRow` at a time, except that a `wide` panel takes a row of its own, and stat
    /// panels (tiles, numbers) and graphs never share a row: a stat row is as tall as its tiles, a graph row takes
    /// what is left for its charts.
    static func gridRows(_ dashboard: Dashboard, perRow: Int) -> [[Int]] {
        var rows: [[Int]] = []
        var current: [Int] = []
        for (index, panel) in dashboard.panels.enumerated() {
            if panel.wide {
                if !current.isEmpty { rows.append(current) }
                rows.append([index])
                current = []
                continue
            }
            if let first = current.first, dashboard.panels[first].kind != panel.kind {
                rows.append(current)
                current = []
            }
            current.append(index)
            if current.count == perRow {
                rows.append(current)
                current = []
            }
        }
        if !current.isEmpty { rows.append(current) }
        return rows
    }

    /// Where everything goes: each panel's rectangle (with its frame in the grid, title row first in the compact
    /// layout) and the alert section's. Drawing and mouse clicks use the same answer.
    struct Geometry {
        var panels: [(index: Int, rect: Rect)]
        var alerts: Rect
        var framed: Bool

        /// The alert row (an index into the visible alerts) at a point, if one is drawn there.
        func alertRow(at x: Int, _ y: Int, count: Int) -> Int? {
            let row = y - alerts.y - 1
            guard alerts.contains(x: x, y: y), row >= 0, row < min(count, alerts.height - 1) else { return nil }
            return row
        }

        func panel(at x: Int, _ y: Int) -> Int? {
            panels.first { $0.rect.contains(x: x, y: y) }?.index
        }
    }

    func geometry(_ area: Rect) -> Geometry {
        area.width >= 80 ? gridGeometry(area, perRow: area.width >= 160 ? 4 : 2) : compactGeometry(area)
    }

    func gridGeometry(_ area: Rect, perRow: Int) -> Geometry {
        let gridRows = Self.gridRows(model.dashboard, perRow: perRow)
        // A row's panels share its width: a short row (a kind or a wide panel ended it) leaves no empty column.
        func cells(_ row: [Int], in rect: Rect) -> [(Int, Rect)] {
            zip(row, rect.columns(max(1, row.count))).map { ($0, $1) }
        }
        let wanted = gridRows.map { row in
            (cells(row, in: area).map { panelView($0.0).contentRows(width: $0.1.width - 2) }.max() ?? 1) + 2
        }
        // The alerts get at least their header and a few lines; panels shrink (with "+N more") to make room.
        let alertsWanted = 1 + max(1, min(model.visibleAlerts.count, 3))
        let budget = area.height - alertsWanted
        var heights = wanted
        while heights.reduce(0, +) > budget, let i = heights.indices.max(by: { heights[$0] < heights[$1] }), heights[i] > 3 {
            heights[i] -= 1
        }
        // Every row to spare after the alert list (what it needs, up to a third of the screen) goes to the panels:
        // graph panels with five rows more than their series show a chart above them, and no band stays empty.
        let alertsFull = min(2 + max(1, model.visibleAlerts.count), max(alertsWanted, area.height / 3))
        // Rows of graphs take it (a stat row stays as tall as its tiles), or every row when there is no graph.
        let spare = area.height - heights.reduce(0, +) - alertsFull
        let charted = gridRows.indices.filter { r in gridRows[r].contains { model.dashboard.panels[$0].kind == .graph } }
        let growing = charted.isEmpty ? Array(gridRows.indices) : charted
        if spare > 0, let last = growing.last {
            for r in growing { heights[r] += spare / growing.count }
            heights[last] += spare % growing.count
        }
        var y = area.y
        var panels: [(index: Int, rect: Rect)] = []
        for (r, row) in gridRows.enumerated() {
            let h = min(heights[r], area.maxY - y)
            guard h >= 3 else { break }
            panels += cells(row, in: Rect(x: area.x, y: y, width: area.width, height: h)).map { (index: $0.0, rect: $0.1) }
            y += h
        }
        return Geometry(panels: panels, alerts: Rect(x: area.x, y: y, width: area.width, height: area.maxY - y), framed: true)
    }

    /// Narrower than 80 columns: each panel a title line and what it needs under it, stacked. Every panel keeps at
    /// least its title line; the rows it needs go first to the health panels (a service down is named there), then
    /// to the others in order; what is left is shared by the graphs (a chart when a panel gets five rows more than
    /// its series).
    func compactGeometry(_ area: Rect) -> Geometry {
        let count = model.dashboard.panels.count
        let alertsWanted = 1 + min(model.visibleAlerts.count, 3)
        let panelBudget = min(area.height, max(area.height - alertsWanted, count + 1, area.height / 2))
        let wanted = (0..<count).map { 1 + panelView($0).contentRows(width: area.width - 1) }
        var heights = Array(repeating: 1, count: count)
        var left = panelBudget - count
        let order = (0..<count).sorted { a, b in
            let (ha, hb) = (model.dashboard.panels[a].isHealth, model.dashboard.panels[b].isHealth)
            return ha != hb ? ha : a < b
        }
        while left > 0 {
            var grew = false
            for i in order where left > 0 && heights[i] < wanted[i] {
                heights[i] += 1
                left -= 1
                grew = true
            }
            if !grew { break }
        }
        let graphs = (0..<count).filter { model.dashboard.panels[$0].kind == .graph }
        if left > 0, !graphs.isEmpty {
            for (n, i) in graphs.enumerated() { heights[i] += left / graphs.count + (n < left % graphs.count ? 1 : 0) }
        }
        var y = area.y
        var panels: [(index: Int, rect: Rect)] = []
        for index in 0..<count {
            guard y < area.y + panelBudget else { break }
            let height = min(heights[index], area.y + panelBudget - y)
            panels.append((index, Rect(x: area.x, y: y, width: area.width, height: height)))
            y += height
        }
        return Geometry(panels: panels, alerts: Rect(x: area.x, y: y, width: area.width, height: area.maxY - y), framed: false)
    }

    func render(_ geometry: Geometry, into canvas: inout Canvas) {
        for (index, rect) in geometry.panels {
            let view = panelView(index)
            if geometry.framed {
                let inner = PanelFrame(
                    title: view.title, badge: view.badge, focused: focusedPanel == index, ascii: ascii
                ).draw(into: &canvas, area: rect)
                view.renderContent(into: &canvas, area: inner)
            } else {
                let titleRow = Rect(x: rect.x, y: rect.y, width: rect.width, height: 1)
                var end = canvas.put(view.title, x: rect.x, y: rect.y, style: Style(focusedPanel == index ? .focus : .title), clip: titleRow)
                if let (badge, role) = view.badge {
                    end = canvas.put("  " + badge, x: end, y: rect.y, style: Style(role), clip: titleRow)
                }
                view.renderContent(into: &canvas, area: Rect(x: rect.x + 1, y: rect.y + 1, width: rect.width - 1, height: rect.height - 1))
            }
        }
        AlertSection(model: model, focused: focusedAlert, ascii: ascii).render(into: &canvas, area: geometry.alerts)
    }
}

/// The alerts under the panels: a header that counts them (or says why there are none), then one row each.
struct AlertSection: Widget {
    var model: DashboardState
    /// The row with the keyboard focus.
    var focused: Int?
    var ascii: Bool

    func render(into canvas: inout Canvas, area: Rect) {
        guard !area.isEmpty else { return }
        let alerts = model.alerts
        let (headerRow, list) = area.splitTop(1)
        if let error = alerts.error, alerts.updatedAt == nil {
            canvas.put(" alerts unavailable: " + TextLayout.truncate(error, to: area.width - 22, ascii: ascii), x: area.x, y: area.y, style: Style(.critical), clip: headerRow)
            return
        }
        guard let updatedAt = alerts.updatedAt else {
            canvas.put(" alerts: loading…", x: area.x, y: area.y, style: Style(.dim), clip: headerRow)
            return
        }
        let (header, role) = AlertRows.header(alerts.items, ascii: ascii, suppressedHidden: model.hideSuppressed, pipeline: model.pipelineSummary?.state)
        var end = canvas.put(" " + header, x: area.x, y: area.y, style: Style(role), clip: headerRow)
        if let error = alerts.error {
            end = canvas.put("   ! " + TextLayout.truncate(error, to: max(0, area.maxX - end - 6), ascii: ascii), x: end, y: area.y, style: Style(.critical), clip: headerRow)
        } else if model.now.timeIntervalSince(updatedAt) > model.staleAfter {
            end = canvas.put("   stale \(ValueFormat.age(model.now.timeIntervalSince(updatedAt)))", x: end, y: area.y, style: Style(.warning), clip: headerRow)
        }
        if let unreadable = AlertsState.summary(ofUnreadable: alerts.unreadable) {
            canvas.put("   ! " + TextLayout.truncate(unreadable, to: max(0, area.maxX - end - 6), ascii: ascii), x: end, y: area.y, style: Style(.warning), clip: headerRow)
        }
        AlertRows(items: model.visibleAlerts, now: model.now, selected: focused, silences: model.silences.items, ascii: ascii)
            .render(into: &canvas, area: Rect(x: list.x + 1, y: list.y, width: list.width - 1, height: list.height))
    }
}
