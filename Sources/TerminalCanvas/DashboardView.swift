import DashboardCore
import Foundation
import PrometheusModels

/// Draws a `DashboardState` onto a canvas, laid out for the canvas' size:
/// - 160 columns and more: the four panels in one row, the alerts below;
/// - 80 to 159 columns: a 2x2 grid, the alerts below;
/// - narrower: compact stacked rows without frames;
/// - below 40x10: a message saying so.
/// A zoomed panel takes the whole screen with a multi-row chart, y-axis labels and a time axis.
public enum DashboardView {
    public static let minimumWidth = 40
    public static let minimumHeight = 10

    public static func render(_ state: DashboardState, into canvas: inout Canvas, options: RenderOptions = RenderOptions()) {
        canvas.fill(canvas.bounds)
        let area = canvas.bounds
        guard area.width >= minimumWidth, area.height >= minimumHeight else {
            let message = "terminal too small (need \(minimumWidth)x\(minimumHeight))"
            let y = area.height / 2
            canvas.put(truncate(message, to: area.width, ascii: options.ascii), x: max(0, (area.width - message.count) / 2), y: y, style: Style(.warning))
            return
        }
        let (statusArea, body) = area.splitTop(1)
        StatusBar.draw(into: &canvas, area: statusArea, state: state, options: options)
        let (main, filterLine) = state.filter.isEmpty && !state.isEditingFilter ? (body, nil) : { let (a, b) = body.splitTop(body.height - 1); return (a, Optional(b)) }()
        if let view = state.alertView {
            renderAlertView(state, view: view, into: &canvas, area: main, options: options)
        } else if let zoomed = state.zoomedPanel, state.dashboard.panels.indices.contains(zoomed) {
            renderZoomed(state, panel: zoomed, into: &canvas, area: main, options: options)
        } else if area.width >= 80 {
            renderGrid(state, into: &canvas, area: main, perRow: area.width >= 160 ? 4 : 2, options: options)
        } else {
            renderCompact(state, into: &canvas, area: main, options: options)
        }
        if let filterLine {
            canvas.fill(filterLine, with: Cell(" ", style: Style(.filter)))
            let hint = state.isEditingFilter ? "_   Enter: keep  Esc: clear" : "   Esc: clear"
            canvas.put(" filter: /\(state.filter)\(hint)", x: filterLine.x, y: filterLine.y, style: Style(.filter), clip: filterLine)
        }
        if state.showHelp { HelpOverlay.draw(into: &canvas, area: body, options: options) }
    }

    // MARK: - Panels

    /// Rows a panel's content wants.
    static func contentRows(_ state: DashboardState, panel index: Int, width: Int) -> Int {
        let panel = state.dashboard.panels[index]
        if panel.isHealth {
            return max(1, StatTile.grid(state.visibleServices(ofPanel: index), width: width).rows)
        }
        return max(1, state.visibleSeries(ofPanel: index).count + (state.panels[index].error != nil && state.panels[index].data != nil ? 1 : 0))
    }

    /// The panels of each grid row: `perRow` at a time, except that a panel with the `wide` layout hint takes a
    /// row of its own.
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
            current.append(index)
            if current.count == perRow {
                rows.append(current)
                current = []
            }
        }
        if !current.isEmpty { rows.append(current) }
        return rows
    }

    static func renderGrid(_ state: DashboardState, into canvas: inout Canvas, area: Rect, perRow: Int, options: RenderOptions) {
        let gridRows = gridRows(state.dashboard, perRow: perRow)
        let rowCount = gridRows.count
        func cells(_ row: [Int], in rect: Rect) -> [(Int, Rect)] {
            let columns = rect.columns(row.count == 1 && state.dashboard.panels[row[0]].wide ? 1 : perRow)
            return zip(row, columns).map { ($0, $1) }
        }
        let wanted = gridRows.map { row in
            (cells(row, in: area).map { contentRows(state, panel: $0.0, width: $0.1.width - 2) }.max() ?? 1) + 2
        }
        // The alerts get at least their header and a few lines; panels shrink (with "+N more") to make room.
        let alertsWanted = 1 + max(1, min(state.visibleAlerts.count, 3))
        var budget = area.height - alertsWanted
        var heights = wanted
        while heights.reduce(0, +) > budget, let i = heights.indices.max(by: { heights[$0] < heights[$1] }), heights[i] > 3 {
            heights[i] -= 1
        }
        if heights.reduce(0, +) > area.height { budget = area.height }
        // Room to spare after the whole alert list: graph panels grow and show a chart above their rows.
        let alertsFull = 2 + max(1, state.visibleAlerts.count)
        let spare = area.height - heights.reduce(0, +) - alertsFull
        if spare >= 5 * rowCount {
            let extra = min(spare / rowCount, 16)
            heights = heights.map { $0 + extra }
        }
        var y = area.y
        for (r, row) in gridRows.enumerated() {
            let h = min(heights[r], area.maxY - y)
            guard h >= 3 else { break }
            for (index, rect) in cells(row, in: Rect(x: area.x, y: y, width: area.width, height: h)) {
                renderPanel(state, panel: index, into: &canvas, area: rect, options: options)
            }
            y += h
        }
        renderAlerts(state, into: &canvas, area: Rect(x: area.x, y: y, width: area.width, height: area.maxY - y), options: options)
    }

    static func panelBadge(_ state: DashboardState, panel index: Int) -> (String, StyleRole)? {
        let panelState = state.panels[index]
        if let age = state.staleAge(ofPanel: index) { return ("stale \(ValueFormat.age(age))", .warning) }
        if panelState.error != nil && panelState.data != nil { return ("query failed", .critical) }
        if state.dashboard.panels[index].isHealth, panelState.data != nil, !state.visibleServices(ofPanel: index).isEmpty {
            let services = state.visibleServices(ofPanel: index)
            let allUp = services.allSatisfy { $0.status == .up }
            return (StatTile.summary(services), allUp ? .ok : .critical)
        }
        return nil
    }

    static func renderPanel(_ state: DashboardState, panel index: Int, into canvas: inout Canvas, area: Rect, options: RenderOptions) {
        let panel = state.dashboard.panels[index]
        let inner = PanelFrame.draw(
            into: &canvas, area: area, title: "\(index + 1) \(panel.title)", badge: panelBadge(state, panel: index),
            focused: state.focusedPanel == index, options: options)
        renderPanelContent(state, panel: index, into: &canvas, area: inner, options: options)
    }

    /// The inside of a panel: its data, or why there is none.
    static func renderPanelContent(_ state: DashboardState, panel index: Int, into canvas: inout Canvas, area: Rect, options: RenderOptions) {
        guard !area.isEmpty else { return }
        let panel = state.dashboard.panels[index]
        let panelState = state.panels[index]
        guard let data = panelState.data else {
            if let error = panelState.error {
                drawWrapped("query failed: " + error, into: &canvas, area: area, role: .critical)
            } else {
                canvas.put(state.connection == .connected || panelState.isLoading ? "loading…" : "waiting for \(state.server)…", x: area.x, y: area.y, style: Style(.dim), clip: area)
            }
            return
        }
        let stale = state.staleAge(ofPanel: index) != nil
        var content = area
        if let error = panelState.error, area.height > 1 {
            let (top, last) = area.splitTop(area.height - 1)
            canvas.put("! " + truncate(error, to: area.width - 2, ascii: options.ascii), x: last.x, y: last.y, style: Style(.critical), clip: last)
            content = top
        }
        if panel.isHealth {
            let services = state.visibleServices(ofPanel: index)
            if services.isEmpty {
                canvas.put(data.services.isEmpty ? "no data" : "no service matches /\(state.filter)", x: content.x, y: content.y, style: Style(.dim), clip: content)
            } else {
                StatTile.draw(into: &canvas, area: content, services: services, options: options)
            }
            return
        }
        let series = state.visibleSeries(ofPanel: index)
        guard !series.isEmpty else {
            canvas.put(data.series.isEmpty ? "no data" : "no series matches /\(state.filter)", x: content.x, y: content.y, style: Style(.dim), clip: content)
            return
        }
        let range = (state.now.timeIntervalSince1970 - state.rangeSeconds, state.now.timeIntervalSince1970)
        if content.height - series.count >= 5, content.width >= 24 {
            let (chartArea, rows) = content.splitTop(content.height - series.count)
            Chart.draw(
                into: &canvas, area: chartArea, series: series, unit: panel.unit, thresholds: panel.thresholds,
                range: range, rangeLabel: ValueFormat.rangeLabel(state.rangeSeconds), options: options)
            content = rows
        }
        let markers = series.map { state.freshness(of: $0, panel: index).marker }
        let layout = SeriesRowLayout.fit(
            width: content.width, series: series, unit: panel.unit, hasThresholds: panel.thresholds != nil,
            markerWidth: markers.map { $0?.count ?? 0 }.max() ?? 0)
        let fits = series.count <= content.height ? series.count : max(0, content.height - 1)
        for (i, s) in series.prefix(fits).enumerated() {
            SeriesRow.draw(
                into: &canvas, area: Rect(x: content.x, y: content.y + i, width: content.width, height: 1), series: s,
                layout: layout, unit: panel.unit, thresholds: panel.thresholds, range: range, stale: stale,
                marker: markers[i], options: options)
        }
        if fits < series.count {
            // The worst of the hidden series is named, so trouble is never hidden by the overflow.
            let hidden = series.dropFirst(fits)
            let worst = hidden.max { $0.state < $1.state }
            var text = "+\(hidden.count) more"
            if let worst, worst.state >= .warning { text += " (\(worst.legend) \(StateWord.word(worst.state)))" }
            canvas.put(truncate(text, to: content.width, ascii: options.ascii), x: content.x, y: content.y + fits, style: Style(worst.map { $0.state >= .warning ? StateWord.role($0.state) : .dim } ?? .dim), clip: content)
        }
    }

    static func drawWrapped(_ text: String, into canvas: inout Canvas, area: Rect, role: StyleRole) {
        var line = ""
        var y = area.y
        for word in text.split(separator: " ") {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if DisplayWidth.of(candidate) > area.width, !line.isEmpty {
                guard y < area.maxY else { return }
                canvas.put(line, x: area.x, y: y, style: Style(role), clip: area)
                y += 1
                line = String(word)
            } else {
                line = candidate
            }
        }
        if y < area.maxY, !line.isEmpty { canvas.put(line, x: area.x, y: y, style: Style(role), clip: area) }
    }

    // MARK: - Alerts

    static func renderAlerts(_ state: DashboardState, into canvas: inout Canvas, area: Rect, options: RenderOptions) {
        guard !area.isEmpty else { return }
        let (headerRow, list) = area.splitTop(1)
        if let error = state.alerts.error, state.alerts.updatedAt == nil {
            canvas.put(" alerts unavailable: " + truncate(error, to: area.width - 22, ascii: options.ascii), x: area.x, y: area.y, style: Style(.critical), clip: headerRow)
            return
        }
        if state.alerts.updatedAt == nil {
            canvas.put(" alerts: loading…", x: area.x, y: area.y, style: Style(.dim), clip: headerRow)
            return
        }
        let (header, role) = AlertList.header(state.alerts.items, ascii: options.ascii)
        let items = state.visibleAlerts
        var end = canvas.put(" " + header, x: area.x, y: area.y, style: Style(role), clip: headerRow)
        if let error = state.alerts.error {
            end = canvas.put("   ! " + truncate(error, to: max(0, area.maxX - end - 6), ascii: options.ascii), x: end, y: area.y, style: Style(.critical), clip: headerRow)
        } else if let at = state.alerts.updatedAt, state.now.timeIntervalSince(at) > state.staleAfter {
            end = canvas.put("   stale \(ValueFormat.age(state.now.timeIntervalSince(at)))", x: end, y: area.y, style: Style(.warning), clip: headerRow)
        }
        if let unreadable = AlertsState.summary(ofUnreadable: state.alerts.unreadable) {
            canvas.put("   ! " + truncate(unreadable, to: max(0, area.maxX - end - 6), ascii: options.ascii), x: end, y: area.y, style: Style(.warning), clip: headerRow)
        }
        AlertList.draw(into: &canvas, area: Rect(x: list.x + 1, y: list.y, width: list.width - 1, height: list.height), items: items, now: state.now, options: options)
    }

    // MARK: - Alert view

    /// Every active alert, one per line, with a selection; Enter opens every label and annotation of one.
    static func renderAlertView(_ state: DashboardState, view: AlertView, into canvas: inout Canvas, area: Rect, options: RenderOptions) {
        let items = state.visibleAlerts
        let (header, role) = AlertList.header(items, ascii: options.ascii)
        let inner = PanelFrame.draw(
            into: &canvas, area: area, title: "Alerts: \(header)  (↑↓ select, Enter details, Esc back)".replacingOccurrences(of: "↑↓", with: options.ascii ? "up/down" : "↑↓"),
            badge: state.alerts.error.map { _ in ("stale", StyleRole.warning) }, focused: true, options: options)
        _ = role
        guard !inner.isEmpty else { return }
        guard !items.isEmpty else {
            canvas.put(state.alerts.updatedAt == nil ? "loading…" : "No alerts firing or pending", x: inner.x, y: inner.y, style: Style(.ok), clip: inner)
            return
        }
        let selected = min(view.selected, items.count - 1)
        if view.showDetail {
            let item = items[selected]
            var lines: [(String, StyleRole)] = [
                ("\(item.state == .pending ? "PENDING" : "FIRING") \(item.severity.badge)  \(item.name)", item.severity == .critical ? .critical : .warning),
                ("active since \(item.activeAt.map { RFC3339.format($0) } ?? "?") (\(item.activeAt.map { ValueFormat.age(state.now.timeIntervalSince($0)) } ?? "?"))", .dim),
                ("", .text), ("Labels", .title),
            ]
            lines += item.labels.sorted { $0.key < $1.key }.map { ("  \($0.key) = \($0.value)", .text) }
            lines += [("", .text), ("Annotations", .title)]
            lines += item.annotations.sorted { $0.key < $1.key }.map { ("  \($0.key): \($0.value)", .text) }
            var y = inner.y
            for (text, role) in lines where y < inner.maxY {
                // Long annotations wrap instead of being cut.
                var rest = Substring(text)
                repeat {
                    let piece = String(rest.prefix(max(1, inner.width)))
                    canvas.put(piece, x: inner.x, y: y, style: Style(role), clip: inner)
                    rest = rest.dropFirst(piece.count)
                    y += 1
                } while !rest.isEmpty && y < inner.maxY
            }
            return
        }
        let top = max(0, min(selected - inner.height / 2, items.count - inner.height))
        let visible = Array(items.dropFirst(top).prefix(inner.height))
        AlertList.draw(
            into: &canvas, area: inner, items: visible, now: state.now, selected: selected - top, options: options)
        if selected - top >= 0, selected - top < inner.height {
            canvas.setStyle(Rect(x: inner.x, y: inner.y + selected - top, width: 4, height: 1), Style(.focus, .reverse))
        }
    }

    // MARK: - Compact

    static func renderCompact(_ state: DashboardState, into canvas: inout Canvas, area: Rect, options: RenderOptions) {
        var y = area.y
        let alertsWanted = 1 + min(state.visibleAlerts.count, 3)
        let panelBudget = max(area.height - alertsWanted, area.height / 2)
        let count = state.dashboard.panels.count
        let perPanel = max(2, panelBudget / max(1, count))
        for index in 0..<count {
            guard y < area.y + panelBudget else { break }
            let panel = state.dashboard.panels[index]
            let height = min(perPanel, area.y + panelBudget - y)
            let titleRow = Rect(x: area.x, y: y, width: area.width, height: 1)
            var end = canvas.put("\(index + 1) \(panel.title)", x: area.x, y: y, style: Style(state.focusedPanel == index ? .focus : .title), clip: titleRow)
            if let (badge, role) = panelBadge(state, panel: index) {
                end = canvas.put("  " + badge, x: end, y: y, style: Style(role), clip: titleRow)
            }
            let content = Rect(x: area.x + 1, y: y + 1, width: area.width - 1, height: height - 1)
            renderPanelContent(state, panel: index, into: &canvas, area: content, options: options)
            y += height
        }
        renderAlerts(state, into: &canvas, area: Rect(x: area.x, y: y, width: area.width, height: area.maxY - y), options: options)
    }

    // MARK: - Zoom

    static func renderZoomed(_ state: DashboardState, panel index: Int, into canvas: inout Canvas, area: Rect, options: RenderOptions) {
        let panel = state.dashboard.panels[index]
        let inner = PanelFrame.draw(
            into: &canvas, area: area, title: "\(index + 1) \(panel.title)  (Esc: back)",
            badge: panelBadge(state, panel: index), focused: true, options: options)
        guard !panel.isHealth, let data = state.panels[index].data, !state.visibleSeries(ofPanel: index).isEmpty, inner.height >= 6 else {
            renderPanelContent(state, panel: index, into: &canvas, area: inner, options: options)
            return
        }
        _ = data
        let series = state.visibleSeries(ofPanel: index)
        let legendRows = min(series.count, max(1, inner.height / 3))
        let (chartArea, legendArea) = inner.splitTop(inner.height - legendRows)
        Chart.draw(
            into: &canvas, area: chartArea, series: series, unit: panel.unit, thresholds: panel.thresholds,
            range: (state.now.timeIntervalSince1970 - state.rangeSeconds, state.now.timeIntervalSince1970),
            rangeLabel: ValueFormat.rangeLabel(state.rangeSeconds), options: options)
        let markers = series.map { state.freshness(of: $0, panel: index).marker }
        let layout = SeriesRowLayout.fit(
            width: legendArea.width, series: series, unit: panel.unit, hasThresholds: panel.thresholds != nil,
            markerWidth: markers.map { $0?.count ?? 0 }.max() ?? 0)
        let range = (state.now.timeIntervalSince1970 - state.rangeSeconds, state.now.timeIntervalSince1970)
        let fits = series.count <= legendArea.height ? series.count : max(0, legendArea.height - 1)
        for (i, s) in series.prefix(fits).enumerated() {
            SeriesRow.draw(
                into: &canvas, area: Rect(x: legendArea.x, y: legendArea.y + i, width: legendArea.width, height: 1),
                series: s, layout: layout, unit: panel.unit, thresholds: panel.thresholds, range: range,
                stale: state.staleAge(ofPanel: index) != nil, marker: markers[i], options: options)
        }
        if fits < series.count {
            canvas.put("+\(series.count - fits) more (/ filters)", x: legendArea.x, y: legendArea.y + fits, style: Style(.dim), clip: legendArea)
        }
    }
}

/// A multi-row chart of several series on one scale: y-axis labels (max at the top, min at the bottom), a time
/// axis, threshold lines, and the series drawn in braille dots (2x4 per cell) or ASCII.
public enum Chart {
    public static func draw(
        into canvas: inout Canvas, area: Rect, series: [SeriesSummary], unit: DashboardCore.Unit, thresholds: Thresholds?,
        range: (start: Double, end: Double), rangeLabel: String, options: RenderOptions
    ) {
        guard area.height >= 3, area.width >= 12 else { return }
        let finite = series.flatMap { $0.points.map(\.value) }.filter { $0.isFinite }
        var lo = finite.min() ?? 0
        var hi = finite.max() ?? 1
        if let thresholds, hi >= thresholds.warning * 0.8 { hi = max(hi, thresholds.warning) }
        if lo > 0, lo < hi * 0.5 { lo = 0 }
        if hi <= lo { hi = lo + 1 }
        let top = ValueFormat.format(hi, unit: unit)
        let bottom = ValueFormat.format(lo, unit: unit)
        let labelWidth = max(DisplayWidth.of(top), DisplayWidth.of(bottom))
        let plot = Rect(x: area.x + labelWidth + 1, y: area.y, width: area.width - labelWidth - 1, height: area.height - 1)
        canvas.put(pad(top, to: labelWidth, alignRight: true), x: area.x, y: plot.y, style: Style(.dim))
        canvas.put(pad(bottom, to: labelWidth, alignRight: true), x: area.x, y: plot.maxY - 1, style: Style(.dim))
        // Time axis.
        let axisY = area.maxY - 1
        let left = "-\(rangeLabel)"
        canvas.put(left, x: plot.x, y: axisY, style: Style(.dim), clip: area)
        let half = "-" + ValueFormat.rangeLabel((range.end - range.start) / 2)
        if plot.width > 24 { canvas.put(half, x: plot.x + plot.width / 2 - half.count / 2, y: axisY, style: Style(.dim), clip: area) }
        canvas.put("now", x: plot.maxX - 3, y: axisY, style: Style(.dim), clip: area)

        func row(for value: Double, dots: Int) -> Int {
            let fraction = (value / 2 - lo / 2) / (hi / 2 - lo / 2)
            return Swift.max(0, Swift.min(dots - 1, Int(saturating: (fraction * Double(dots - 1)).rounded())))
        }
        // Threshold lines first, so the data draws over them.
        if let thresholds {
            for (value, role) in [(thresholds.warning, StyleRole.warning), (thresholds.critical, .critical)] where value >= lo && value <= hi {
                let y = plot.maxY - 1 - row(for: value, dots: plot.height)
                for x in stride(from: plot.x, to: plot.maxX, by: 2) {
                    canvas.put(options.ascii ? "-" : "╌", x: x, y: y, style: Style(role))
                }
            }
        }
        let perCellX = options.glyphs == .braille || !options.ascii ? 2 : 1
        let perCellY = options.glyphs == .braille || !options.ascii ? 4 : 1
        let dotsX = plot.width * perCellX
        let dotsY = plot.height * perCellY
        var bits = [UInt32](repeating: 0, count: plot.width * plot.height)
        var roles = [StyleRole](repeating: .sparkline, count: plot.width * plot.height)
        let leftDots: [UInt32] = [0x01, 0x02, 0x04, 0x40]
        let rightDots: [UInt32] = [0x08, 0x10, 0x20, 0x80]
        for s in series {
            let maxima = Sparkline.columnMaxima(s.points, start: range.start, end: range.end, width: dotsX)
            var previous: Int?
            for (dx, value) in maxima.enumerated() {
                guard let value else { previous = nil; continue }
                let dy = dotsY - 1 - row(for: value, dots: dotsY)
                // Braille dots are fine enough to join consecutive points into a line; ASCII marks points only.
                let join = perCellX == 2 ? previous : nil
                let from = join.map { Swift.min($0, dy) } ?? dy
                let to = join.map { Swift.max($0, dy) } ?? dy
                for y in from...to {
                    let cell = (y / perCellY) * plot.width + dx / perCellX
                    if perCellX == 2 {
                        bits[cell] |= (dx % 2 == 0 ? leftDots : rightDots)[y % 4]
                    } else {
                        bits[cell] = 1
                    }
                    let role = Sparkline.roleFor(value, thresholds: thresholds)
                    if Sparkline.roleRank(role) > Sparkline.roleRank(roles[cell]) { roles[cell] = role }
                }
                previous = dy
            }
        }
        for y in 0..<plot.height {
            for x in 0..<plot.width where bits[y * plot.width + x] != 0 {
                let glyph: String
                if perCellX == 2, let scalar = Unicode.Scalar(0x2800 + bits[y * plot.width + x]) {
                    glyph = String(Character(scalar))
                } else {
                    glyph = "*"
                }
                canvas.put(glyph, x: plot.x + x, y: plot.y + y, style: Style(roles[y * plot.width + x]))
            }
        }
    }
}
