import DashboardCore
import SafeText
import TerminalCanvas

/// The dashboard laid out for the area. A dashboard with Grafana's grid (`gridPos`, rows) is laid out as Grafana
/// lays it out (`GridPlacement`) and scrolls under a fixed alert section. Any other:
/// - 160 columns and more: the panels four to a row, the alerts below;
/// - 80 to 159 columns: two to a row, the alerts below;
/// - narrower: compact stacked rows without frames;
/// and when its panels do not fit even three rows each, it is placed on the grid too and scrolls.
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
    /// layout) and the alert section's. Drawing and mouse clicks use the same answer. A scrolled dashboard's panels
    /// are where they are on the screen, some partly or wholly outside `viewport` (they are drawn clipped to it).
    struct Geometry {
        var panels: [(index: Int, rect: Rect)]
        var alerts: Rect
        var framed: Bool
        /// Where panels are drawn.
        var viewport: Rect
        /// The rows all the panels take (more than the viewport's height when the dashboard scrolls).
        var contentHeight: Int
        /// Rows scrolled past, clamped.
        var scroll = 0

        var scrolls: Bool { contentHeight > viewport.height }
        var maxScroll: Int { max(0, contentHeight - viewport.height) }

        /// The panels (not rows) at least partly inside `rows` of the content (in content rows).
        func panels(within rows: Range<Int>) -> [Int] {
            panels.filter { _, rect in
                let top = rect.y - viewport.y + scroll
                return top < rows.upperBound && top + rect.height > rows.lowerBound
            }.map(\.index)
        }

        /// The alert row (an index into the visible alerts) at a point, if one is drawn there.
        func alertRow(at x: Int, _ y: Int, count: Int) -> Int? {
            let row = y - alerts.y - 1
            guard alerts.contains(x: x, y: y), row >= 0, row < min(count, alerts.height - 1) else { return nil }
            return row
        }

        func panel(at x: Int, _ y: Int) -> Int? {
            guard viewport.contains(x: x, y: y) else { return nil }
            return panels.first { $0.rect.contains(x: x, y: y) }?.index
        }
    }

    func geometry(_ area: Rect) -> Geometry {
        if model.dashboard.hasGrid || model.dashboard.panels.contains(where: \.isRow) { return scrolledGeometry(area) }
        let fitted = area.width >= 80 ? gridGeometry(area, perRow: area.width >= 160 ? 4 : 2) : compactGeometry(area)
        // Too many panels for the screen: on the grid, scrolled.
        return fitted.panels.count < model.dashboard.panels.count ? scrolledGeometry(area) : fitted
    }

    /// The grid's placement under which the alert section stays (its header and up to three alerts); when the
    /// panels take less than the screen, the alerts have the rest.
    func scrolledGeometry(_ area: Rect) -> Geometry {
        let alertsHeight = min(area.height / 3, 1 + max(1, min(model.visibleAlerts.count, 3)))
        let viewport = area.splitTop(area.height - alertsHeight).0
        let placement = GridPlacement(model.dashboard, width: viewport.width, closed: model.closedRows)
        let scroll = min(max(0, model.scrollTop), max(0, placement.height - viewport.height))
        let panels = placement.panels.map { index, rect in
            (index: index, rect: Rect(x: viewport.x + rect.x, y: viewport.y + rect.y - scroll, width: rect.width, height: rect.height))
        }
        let used = min(viewport.height, placement.height)
        let alerts = Rect(x: area.x, y: area.y + used, width: area.width, height: area.height - used)
        return Geometry(
            panels: panels, alerts: alerts, framed: true, viewport: Rect(x: viewport.x, y: viewport.y, width: viewport.width, height: used),
            contentHeight: placement.height, scroll: scroll)
    }

    /// Where the dashboard screen is drawn in the terminal the model knows of.
    static func screenArea(_ model: DashboardState) -> Rect {
        AppView.mainArea(width: model.columns, height: model.rows, bottomLine: !model.filter.isEmpty)
    }

    static func geometry(of model: DashboardState) -> Geometry {
        DashboardLayout(model: model, focusedPanel: -1, ascii: false).geometry(screenArea(model))
    }

    /// The panels worth asking for when the dashboard scrolls: those on screen and a screen above and below; nil
    /// when everything is on screen.
    static func wanted(_ model: DashboardState) -> Set<Int>? {
        let geometry = geometry(of: model)
        guard geometry.scrolls else { return nil }
        let h = geometry.viewport.height
        return Set(geometry.panels(within: (geometry.scroll - h)..<(geometry.scroll + 2 * h)).filter { !model.dashboard.panels[$0].isRow })
    }

    /// `top` made a scroll the dashboard can have (0 when it does not scroll).
    static func clampedScroll(_ model: DashboardState, _ top: Int) -> Int {
        min(max(0, top), geometry(of: model).maxScroll)
    }

    /// The widest graph on a dashboard laid out on the grid, in columns; nil for lookout's own layouts.
    static func widestGraph(_ model: DashboardState) -> Int? {
        let geometry = geometry(of: model)
        guard geometry.scrolls || model.dashboard.hasGrid else { return nil }
        return geometry.panels.filter { model.dashboard.panels[$0.index].kind == .graph }.map(\.rect.width).max()
    }

    /// "rows 3–5 of 12" (the dashboard's rows on screen) or "panels 5–12 of 40", when the dashboard scrolls.
    static func position(_ model: DashboardState, ascii: Bool) -> String? {
        let geometry = geometry(of: model)
        guard geometry.scrolls else { return nil }
        let dash = ascii ? "-" : "–"
        let onScreen = geometry.panels(within: geometry.scroll..<(geometry.scroll + geometry.viewport.height))
        let rows = model.dashboard.panels.indices.filter { model.dashboard.panels[$0].isRow }
        if !rows.isEmpty {
            let owner = model.dashboard.owningRows
            // A row is on screen when its header or one of its panels is.
            let shown = Set(onScreen.map { model.dashboard.panels[$0].isRow ? $0 : owner[$0] ?? -1 })
            let numbers = rows.enumerated().filter { shown.contains($0.element) }.map { $0.offset + 1 }
            guard let first = numbers.first, let last = numbers.last else { return "rows 0 of \(rows.count)" }
            return first == last ? "row \(first) of \(rows.count)" : "rows \(first)\(dash)\(last) of \(rows.count)"
        }
        let order = geometry.panels.map(\.index)
        let positions = onScreen.compactMap { order.firstIndex(of: $0) }
        guard let first = positions.min(), let last = positions.max() else { return nil }
        return "panels \(first + 1)\(dash)\(last + 1) of \(order.count)"
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
        return Geometry(
            panels: panels, alerts: Rect(x: area.x, y: y, width: area.width, height: area.maxY - y), framed: true,
            viewport: Rect(x: area.x, y: area.y, width: area.width, height: y - area.y), contentHeight: y - area.y)
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
        return Geometry(
            panels: panels, alerts: Rect(x: area.x, y: y, width: area.width, height: area.maxY - y), framed: false,
            viewport: Rect(x: area.x, y: area.y, width: area.width, height: y - area.y), contentHeight: y - area.y)
    }

    func render(_ geometry: Geometry, into canvas: inout Canvas) {
        for (index, rect) in geometry.panels {
            let visible = rect.intersection(geometry.viewport)
            guard !visible.isEmpty else { continue }
            if visible != rect {
                // Partly scrolled out: drawn whole aside, and the part on screen copied.
                var aside = Canvas(width: rect.width, height: rect.height)
                render(index, at: Rect(x: 0, y: 0, width: rect.width, height: rect.height), framed: geometry.framed, into: &aside)
                canvas.paste(aside, from: Rect(x: visible.x - rect.x, y: visible.y - rect.y, width: visible.width, height: visible.height), x: visible.x, y: visible.y)
            } else {
                render(index, at: rect, framed: geometry.framed, into: &canvas)
            }
        }
        AlertSection(model: model, focused: focusedAlert, ascii: ascii).render(into: &canvas, area: geometry.alerts)
    }

    func render(_ index: Int, at rect: Rect, framed: Bool, into canvas: inout Canvas) {
        let panel = model.dashboard.panels[index]
        if panel.isRow {
            let hidden = model.dashboard.owningRows.count { $0 == index }
            RowHeader(
                title: Variable.substitute(panel.title, model.resolvedVariables, display: true), closed: model.closedRows.contains(index),
                panels: hidden, focused: focusedPanel == index, ascii: ascii
            ).render(into: &canvas, area: rect)
            return
        }
        let view = panelView(index)
        if framed {
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
