import DashboardCore
import TerminalCanvas

/// Where each panel of a dashboard laid out on Grafana's grid goes, in a band of `width` terminal columns that
/// starts at row 0 and is as tall as it needs (the dashboard scrolls through it):
/// - `gridPos` columns (24 across) are mapped onto the width, and a grid row is a terminal row, so a dashboard keeps
///   its shape; a panel is at least 3 rows tall (its frame and one line), a row header is one line;
/// - panels move up as far as the panels above them allow, as Grafana's grid does: a collapsed row's panels are
///   not drawn and those after it close the gap;
/// - narrower than 80 columns, every panel takes the whole width, stacked in Grafana's order.
/// Panels without a `gridPos` (in a dashboard where others have one) are half the width and 8 rows tall, after
/// the panel before them.
struct GridPlacement {
    /// Each drawn panel's rectangle, in the order they are laid out (top to bottom, left to right).
    var panels: [(index: Int, rect: Rect)]
    /// The rows the panels take.
    var height: Int

    static let narrow = 80
    static let defaultPos = GridPos(x: 0, y: 0, w: 12, h: 8)

    /// The panels hidden by a closed row: every panel after a row in `closed`, up to the next row.
    static func hidden(_ dashboard: Dashboard, closed: Set<Int>) -> Set<Int> {
        var out = Set<Int>()
        for (i, row) in dashboard.owningRows.enumerated() where row.map(closed.contains) ?? false { out.insert(i) }
        return out
    }

    init(_ dashboard: Dashboard, width: Int, closed: Set<Int>) {
        let hidden = Self.hidden(dashboard, closed: closed)
        var skyline = Array(repeating: 0, count: GridPos.columns)
        var placed: [(index: Int, rect: Rect)] = []
        var previous: GridPos?
        let stacked = width < Self.narrow
        for (index, panel) in dashboard.panels.enumerated() where !hidden.contains(index) {
            var pos = panel.gridPos ?? Self.defaultPos
            if panel.gridPos == nil, let previous {
                // After the panel before it, on its line when there is room.
                pos.x = previous.x + previous.w + pos.w <= GridPos.columns ? previous.x + previous.w : 0
            }
            previous = pos
            if panel.isRow || stacked { pos = GridPos(x: 0, y: pos.y, w: GridPos.columns, h: pos.h) }
            let columns = pos.x..<(pos.x + pos.w)
            let top = columns.map { skyline[$0] }.max() ?? 0
            let height = panel.isRow ? 1 : max(3, pos.h)
            for c in columns { skyline[c] = top + height }
            let x0 = pos.x * width / GridPos.columns
            let x1 = (pos.x + pos.w) * width / GridPos.columns
            placed.append((index, Rect(x: x0, y: top, width: max(1, x1 - x0), height: height)))
        }
        panels = placed
        height = skyline.max() ?? 0
    }
}
