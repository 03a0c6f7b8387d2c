import DashboardCore
import Foundation
import PrometheusModels

/// How graphs are drawn: Unicode blocks, braille dots (two points per cell), or plain ASCII.
public enum GraphGlyphs: String, Sendable, Equatable, CaseIterable {
    case blocks, braille, ascii
}

/// Options every widget honours.
public struct RenderOptions: Sendable, Equatable {
    /// ASCII only: box drawing, blocks and symbols are replaced (`--ascii`, non-UTF-8 locales, vt100).
    public var ascii: Bool
    public var glyphs: GraphGlyphs

    public init(ascii: Bool = false, glyphs: GraphGlyphs = .blocks) {
        self.ascii = ascii
        self.glyphs = ascii ? .ascii : glyphs
    }
}

/// A box with a title on its top edge. Returns the inner area.
public enum PanelFrame {
    @discardableResult
    public static func draw(
        into canvas: inout Canvas, area: Rect, title: String, badge: (String, StyleRole)? = nil, focused: Bool = false,
        options: RenderOptions
    ) -> Rect {
        guard area.width >= 2, area.height >= 2 else { return Rect(x: area.x, y: area.y, width: 0, height: 0) }
        let border = Style(focused ? .focus : .border)
        let (h, v, tl, tr, bl, br) = options.ascii
            ? ("-", "|", "+", "+", "+", "+") : ("─", "│", focused ? "┏" : "┌", focused ? "┓" : "┐", focused ? "┗" : "└", focused ? "┛" : "┘")
        let horizontal = focused && !options.ascii ? "━" : h
        let vertical = focused && !options.ascii ? "┃" : v
        canvas.put(tl + String(repeating: horizontal, count: area.width - 2) + tr, x: area.x, y: area.y, style: border, clip: area)
        canvas.put(bl + String(repeating: horizontal, count: area.width - 2) + br, x: area.x, y: area.maxY - 1, style: border, clip: area)
        for y in (area.y + 1)..<(area.maxY - 1) {
            canvas.put(vertical, x: area.x, y: y, style: border, clip: area)
            canvas.put(vertical, x: area.maxX - 1, y: y, style: border, clip: area)
        }
        let titleClip = Rect(x: area.x + 1, y: area.y, width: area.width - 2, height: 1)
        var end = canvas.put(" " + title + " ", x: area.x + 1, y: area.y, style: Style(focused ? .focus : .title), clip: titleClip)
        if let (text, role) = badge {
            let w = DisplayWidth.of(text) + 2
            let x = max(end, area.maxX - 1 - w - 1)
            end = canvas.put(" " + text + " ", x: x, y: area.y, style: Style(role), clip: titleClip)
        }
        return area.inset(1)
    }
}

/// Truncates text to `width` columns with an ellipsis.
public func truncate(_ text: String, to width: Int, ascii: Bool = false) -> String {
    guard width > 0 else { return "" }
    if DisplayWidth.of(text) <= width { return text }
    let mark = ascii ? "~" : "…"
    var out = ""
    var used = 0
    for c in text {
        let w = DisplayWidth.of(c)
        if used + w > width - 1 { break }
        out.append(c)
        used += w
    }
    return out + mark
}

/// Pads text with spaces to `width` columns (left- or right-aligned).
public func pad(_ text: String, to width: Int, alignRight: Bool = false) -> String {
    let gap = String(repeating: " ", count: max(0, width - DisplayWidth.of(text)))
    return alignRight ? gap + text : text + gap
}

/// Per-service UP/DOWN tiles, laid out in as many columns as fit, filled column by column so the down services
/// (which come first) stack at the top left.
public enum StatTile {
    static let gap = 2

    static func measures(_ services: [ServiceHealth]) -> (name: Int, word: Int) {
        (services.map { DisplayWidth.of($0.name) }.max() ?? 0, services.map { $0.status.word.count }.max() ?? 2)
    }

    /// The width of one tile: marker, name, status word.
    public static func tileWidth(_ services: [ServiceHealth]) -> Int {
        let m = measures(services)
        return 2 + m.name + 1 + m.word
    }

    /// Columns and rows the tiles take in `width` columns.
    public static func grid(_ services: [ServiceHealth], width: Int) -> (columns: Int, rows: Int) {
        guard !services.isEmpty else { return (1, 0) }
        let columns = max(1, min(services.count, (width + gap) / (tileWidth(services) + gap)))
        return (columns, (services.count + columns - 1) / columns)
    }

    public static func draw(into canvas: inout Canvas, area: Rect, services: [ServiceHealth], options: RenderOptions) {
        guard !area.isEmpty else { return }
        canvas.fill(area)
        let (columns, rows) = grid(services, width: area.width)
        let visibleRows = min(rows, area.height)
        guard visibleRows > 0 else { return }
        let (nameWidth, wordWidth) = measures(services)
        let cellWidth = area.width / columns
        let capacity = visibleRows * columns
        let overflow = services.count > capacity
        let shown = overflow ? capacity - 1 : services.count
        let nameRoom = max(1, min(nameWidth, cellWidth - 3 - wordWidth - (columns > 1 ? gap : 0)))
        func slot(_ i: Int) -> Rect {
            Rect(x: area.x + (i / visibleRows) * cellWidth, y: area.y + i % visibleRows, width: cellWidth, height: 1).intersection(area)
        }
        for (i, service) in services.prefix(shown).enumerated() {
            let clip = slot(i)
            let (marker, role): (String, StyleRole) = switch service.status {
            case .up: (options.ascii ? "+" : "●", .ok)
            case .down: (options.ascii ? "x" : "✖", .critical)
            case .partial: (options.ascii ? "!" : "◐", .warning)
            case .gone: (options.ascii ? "?" : "○", .critical)
            }
            var x = canvas.put(marker + " ", x: clip.x, y: clip.y, style: Style(role), clip: clip)
            x = canvas.put(pad(truncate(service.name, to: nameRoom, ascii: options.ascii), to: nameRoom) + " ", x: x, y: clip.y, style: Style(.text), clip: clip)
            canvas.put(service.status.word, x: x, y: clip.y, style: Style(role), clip: clip)
        }
        if overflow {
            let clip = slot(shown)
            let hidden = services.dropFirst(shown)
            let down = hidden.filter { $0.status != .up }.count
            canvas.put("+\(hidden.count) more", x: clip.x, y: clip.y, style: Style(down > 0 ? .critical : .dim), clip: clip)
        }
    }

    /// `3/4 up`, for titles and compact rows.
    public static func summary(_ services: [ServiceHealth]) -> String {
        "\(services.filter { $0.status == .up }.count)/\(services.count) up"
    }
}

/// A one-row graph of a series over the panel's range.
public enum Sparkline {
    static let asciiLevels: [Character] = ["_", ".", "-", "~", "=", "+", "*", "#"]

    public static func draw(
        into canvas: inout Canvas, x: Int, y: Int, width: Int, points: [SamplePair], start: Double, end: Double,
        thresholds: Thresholds?, options: RenderOptions
    ) {
        guard width > 0 else { return }
        switch options.glyphs {
        case .blocks, .ascii:
            let columns = SparklineModel.columns(points, start: start, end: end, width: width)
            let maxima = columnMaxima(points, start: start, end: end, width: width)
            for (i, column) in columns.enumerated() {
                guard let level = column.level else {
                    canvas.put(" ", x: x + i, y: y, style: Style(.sparkline))
                    continue
                }
                var glyph: String
                if options.glyphs == .ascii { glyph = String(asciiLevels[level]) } else { glyph = String(SparklineModel.blocks[level]) }
                var role = roleFor(maxima[i], thresholds: thresholds)
                if column.clamped {
                    glyph = level > 0 ? (options.ascii ? "^" : "↑") : (options.ascii ? "v" : "↓")
                    role = .clamped
                }
                canvas.put(glyph, x: x + i, y: y, style: Style(role))
            }
        case .braille:
            let columns = SparklineModel.columns(points, start: start, end: end, width: width * 2, levels: 4)
            let maxima = columnMaxima(points, start: start, end: end, width: width * 2)
            for cell in 0..<width {
                let left = columns[2 * cell]
                let right = columns[2 * cell + 1]
                if left.level == nil && right.level == nil {
                    canvas.put(" ", x: x + cell, y: y, style: Style(.sparkline))
                    continue
                }
                var bits: UInt32 = 0
                let leftDots: [UInt32] = [0x40, 0x04, 0x02, 0x01]
                let rightDots: [UInt32] = [0x80, 0x20, 0x10, 0x08]
                if let l = left.level { for d in 0...l { bits |= leftDots[d] } }
                if let r = right.level { for d in 0...r { bits |= rightDots[d] } }
                let worst = max(roleRank(roleFor(maxima[2 * cell], thresholds: thresholds)), roleRank(roleFor(maxima[2 * cell + 1], thresholds: thresholds)))
                var role: StyleRole = [.sparkline, .ok, .warning, .critical][worst]
                if left.clamped || right.clamped { role = .clamped }
                if let scalar = Unicode.Scalar(0x2800 + bits) {
                    canvas.put(String(Character(scalar)), x: x + cell, y: y, style: Style(role))
                }
            }
        }
    }

    static func roleRank(_ role: StyleRole) -> Int {
        switch role {
        case .critical: return 3
        case .warning: return 2
        case .ok: return 1
        default: return 0
        }
    }

    static func roleFor(_ value: Double?, thresholds: Thresholds?) -> StyleRole {
        guard let thresholds, let value else { return .sparkline }
        switch thresholds.state(of: value) {
        case .critical: return .critical
        case .warning: return .warning
        case .ok, .unknown: return .sparkline
        }
    }

    /// The largest finite value of each column, to colour it by threshold.
    static func columnMaxima(_ points: [SamplePair], start: Double, end: Double, width: Int) -> [Double?] {
        SparklineModel.bucket(points, start: start, end: end, width: width).map(\.maximum)
    }
}

/// Words and roles for threshold states.
public enum StateWord {
    public static func word(_ state: ThresholdState) -> String {
        switch state {
        case .ok: return "ok"
        case .warning: return "WARN"
        case .critical: return "CRIT"
        case .unknown: return "–"
        }
    }

    public static func role(_ state: ThresholdState) -> StyleRole {
        switch state {
        case .ok: return .ok
        case .warning: return .warning
        case .critical: return .critical
        case .unknown: return .unknown
        }
    }
}

/// One series on one row: legend, sparkline, last value with its unit, and the threshold state.
public struct SeriesRowLayout: Sendable, Equatable {
    public var legendWidth: Int
    public var sparklineWidth: Int
    public var valueWidth: Int
    public var stateWidth: Int

    public init(legendWidth: Int, sparklineWidth: Int, valueWidth: Int, stateWidth: Int) {
        self.legendWidth = legendWidth
        self.sparklineWidth = sparklineWidth
        self.valueWidth = valueWidth
        self.stateWidth = stateWidth
    }

    /// Shares `width` columns between the parts: the legend gets its full length while the sparkline keeps at
    /// least 6 columns, else it is truncated (to no less than 8); the sparkline takes the rest and disappears below 3.
    /// `markerWidth`: the widest freshness marker (`stale 10m`) of the rows, 0 when every series is fresh.
    public static func fit(
        width: Int, series: [SeriesSummary], unit: DashboardCore.Unit, hasThresholds: Bool, markerWidth: Int = 0
    ) -> SeriesRowLayout {
        let valueWidth = max(5, series.map { ValueFormat.format($0.last, unit: unit).count }.max() ?? 5)
        var stateWidth = hasThresholds && width >= 36 ? 4 : 0
        // A stale or future series says so in the state column, which grows to hold the marker when there is room.
        if markerWidth > 0, width >= 30 { stateWidth = max(stateWidth, min(markerWidth, 16)) }
        let fixed = valueWidth + 2 + (stateWidth > 0 ? stateWidth + 1 : 0)
        let longest = series.map { DisplayWidth.of($0.legend) }.max() ?? 8
        var legend = longest
        var spark = width - fixed - legend
        if spark < 6 {
            if width - fixed - 6 >= 12 {
                // A sparkline of 6 and a legend of at least 12, truncated.
                legend = width - fixed - 6
                spark = 6
            } else {
                // Too narrow for both: the name and the value matter more than the shape.
                spark = 0
                legend = max(1, width - fixed + 1)
            }
        }
        return SeriesRowLayout(legendWidth: legend, sparklineWidth: spark, valueWidth: valueWidth, stateWidth: stateWidth)
    }
}

public enum SeriesRow {
    public static func draw(
        into canvas: inout Canvas, area: Rect, series: SeriesSummary, layout: SeriesRowLayout, unit: DashboardCore.Unit,
        thresholds: Thresholds?, range: (start: Double, end: Double), stale: Bool, marker: String? = nil,
        options: RenderOptions
    ) {
        guard area.height > 0, area.width > 0 else { return }
        canvas.fill(Rect(x: area.x, y: area.y, width: area.width, height: 1))
        // A series that stopped (or is from the future) is never drawn as current: dimmed, with its marker.
        let stale = stale || marker != nil
        var x = area.x
        let legend = pad(truncate(series.legend, to: layout.legendWidth, ascii: options.ascii), to: layout.legendWidth)
        x = canvas.put(legend, x: x, y: area.y, style: Style(stale ? .dim : .text), clip: area) + 1
        if layout.sparklineWidth > 0 {
            Sparkline.draw(
                into: &canvas, x: x, y: area.y, width: min(layout.sparklineWidth, area.maxX - x), points: series.points,
                start: range.start, end: range.end, thresholds: thresholds, options: options)
            x += layout.sparklineWidth + 1
        }
        let value = ValueFormat.format(series.last, unit: unit)
        let valueRole: StyleRole = stale ? .dim : (thresholds == nil ? .text : StateWord.role(series.state))
        if let marker, layout.stateWidth == 0 {
            // No state column: the marker takes the value's place.
            canvas.put(pad(truncate(marker, to: layout.valueWidth, ascii: options.ascii), to: layout.valueWidth, alignRight: true), x: x, y: area.y, style: Style(.warning), clip: area)
            return
        }
        x = canvas.put(pad(value, to: layout.valueWidth, alignRight: true), x: x, y: area.y, style: Style(valueRole), clip: area)
        if let marker {
            canvas.put(truncate(marker, to: layout.stateWidth, ascii: options.ascii), x: x + 1, y: area.y, style: Style(.warning), clip: area)
        } else if layout.stateWidth > 0, thresholds != nil {
            canvas.put(StateWord.word(series.state), x: x + 1, y: area.y, style: Style(StateWord.role(series.state)), clip: area)
        }
    }
}

/// The active alerts: severity badge, name, main label, age, summary. Pending alerts are dimmed; what does not fit
/// is counted in a last "+N more" line.
public enum AlertList {
    public static func draw(into canvas: inout Canvas, area: Rect, items: [AlertItem], now: Date, selected: Int? = nil, options: RenderOptions) {
        guard !area.isEmpty, !items.isEmpty else { return }
        canvas.fill(Rect(x: area.x, y: area.y, width: area.width, height: min(area.height, items.count)))
        let fits = items.count <= area.height ? items.count : max(0, area.height - 1)
        let shown = Array(items.prefix(fits))
        let nameWidth = min(28, shown.map { DisplayWidth.of($0.name) + ($0.count > 1 ? 2 + String($0.count).count : 0) }.max() ?? 0)
        let subjectWidth = min(max(8, area.width / 4), shown.map { DisplayWidth.of($0.subject) }.max() ?? 0)
        for (i, item) in shown.enumerated() {
            let y = area.y + i
            // Pending, silenced and inhibited alerts are dimmed; they do not count as firing.
            let quiet = item.state == .pending || item.suppression != nil
            let badgeRole: StyleRole = quiet ? .alertPending : (item.severity == .critical ? .critical : (item.severity == .warning ? .warning : .text))
            let textRole: StyleRole = quiet ? .alertPending : .text
            let row = Rect(x: area.x, y: y, width: area.width, height: 1)
            let badge = item.suppression.map { $0 == .silenced ? "SIL " : "INH " } ?? (item.state == .pending ? "PEND" : item.severity.badge)
            var x = canvas.put(badge, x: area.x, y: y, style: Style(badgeRole, selected == i ? .reverse : []), clip: row)
            let name = item.count > 1 ? "\(item.name) ×\(item.count)" : item.name
            x = canvas.put("  " + pad(truncate(name, to: nameWidth, ascii: options.ascii), to: nameWidth), x: x, y: y, style: Style(quiet ? .alertPending : .alertFiring), clip: row)
            x = canvas.put("  " + pad(truncate(item.subject, to: subjectWidth, ascii: options.ascii), to: subjectWidth), x: x, y: y, style: Style(textRole), clip: row)
            let age = item.activeAt.map { ValueFormat.age(now.timeIntervalSince($0)) } ?? "?"
            x = canvas.put("  " + pad(age, to: 3, alignRight: true), x: x, y: y, style: Style(.dim), clip: row)
            let room = area.maxX - x - 2
            if room > 0 {
                canvas.put("  " + truncate(item.text, to: room, ascii: options.ascii), x: x, y: y, style: Style(textRole), clip: row)
            }
        }
        if fits < items.count {
            canvas.put("+\(items.count - fits) more (a: all alerts)", x: area.x, y: area.y + fits, style: Style(.dim), clip: area)
        }
    }

    /// `FIRING 2 critical · 2 warning · 1 pending`, or that nothing fires, and its role.
    public static func header(_ items: [AlertItem], ascii: Bool) -> (String, StyleRole) {
        let counts = AlertCounts(items)
        let dot = ascii ? "," : " ·"
        guard counts.firing > 0 else {
            var text = "No alerts firing"
            if counts.pending > 0 { text += "\(dot) \(counts.pending) pending" }
            if counts.suppressed > 0 { text += "\(dot) \(counts.suppressed) silenced" }
            return (text, counts.pending > 0 ? .alertPending : .ok)
        }
        var parts: [String] = []
        if counts.critical > 0 { parts.append("\(counts.critical) critical") }
        if counts.warning > 0 { parts.append("\(counts.warning) warning") }
        if counts.info > 0 { parts.append("\(counts.info) info") }
        if counts.pending > 0 { parts.append("\(counts.pending) pending") }
        if counts.suppressed > 0 { parts.append("\(counts.suppressed) silenced") }
        return ("FIRING " + parts.joined(separator: "\(dot) "), counts.critical > 0 ? .critical : .warning)
    }
}

/// The top line: dashboard title, server, range, refresh, age of the last update, and trouble. When the line is
/// too narrow, the least important parts go first (refresh, then age, then title, then range); the server and any
/// trouble stay.
public enum StatusBar {
    public static func draw(into canvas: inout Canvas, area: Rect, state: DashboardState, options: RenderOptions) {
        guard !area.isEmpty else { return }
        let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        let dash = options.ascii ? "-" : "—"
        // (text, role, priority: lower survives longer)
        var parts: [(String, StyleRole, Int)] = [
            (state.dashboard.title, .statusBar, 4),
            (state.server, .statusBar, 1),
            ("range \(ValueFormat.rangeLabel(state.rangeSeconds))", .statusBar, 2),
            ("every \(ValueFormat.rangeLabel(state.refreshSeconds))", .statusBar, 6),
        ]
        if let last = state.lastUpdate {
            parts.append(("updated \(ValueFormat.age(state.now.timeIntervalSince(last))) ago", .statusBar, 3))
        }
        for variable in state.dashboard.variables {
            parts.append(("\(variable.name)=\(state.variableValues[variable.name] ?? Variable.all)", .statusBar, 1))
        }
        if state.paused { parts.append(("PAUSED", .statusError, 0)) }
        switch state.connection {
        case .connecting: parts.append(("connecting…", .statusBar, 0))
        case .connected: break
        case .unreachable(let message, let retryAt):
            let seconds = max(0, Int(saturating: retryAt.timeIntervalSince(state.now).rounded(.up)))
            parts.append(("cannot reach \(state.server) \(dash) retrying in \(seconds)s: \(message)", .statusError, 0))
        }
        parts.append(("? help", .statusBar, 5))
        func width(_ p: [(String, StyleRole, Int)]) -> Int { p.reduce(0) { $0 + DisplayWidth.of($1.0) + 3 } }
        while width(parts) > area.width, let drop = parts.indices.filter({ parts[$0].2 > 1 }).max(by: { parts[$0].2 < parts[$1].2 }) {
            parts.remove(at: drop)
        }
        canvas.fill(row, with: Cell(" ", style: Style(.statusBar)))
        var x = area.x + 1
        for (i, (text, role, _)) in parts.enumerated() {
            let isHelp = text == "? help" && i == parts.count - 1
            let room = area.maxX - x - 1
            guard room > 0 else { break }
            let shown = truncate(text, to: room, ascii: options.ascii)
            let at = isHelp ? max(x, area.maxX - DisplayWidth.of(shown) - 1) : x
            if role == .statusError {
                x = canvas.put(" " + shown + " ", x: at - 1, y: area.y, style: Style(role), clip: row) + 2
            } else {
                x = canvas.put(shown, x: at, y: area.y, style: Style(role), clip: row) + 3
            }
        }
    }
}

/// The key help, drawn from `KeyMap.bindings` in a centred box.
public enum HelpOverlay {
    public static func draw(into canvas: inout Canvas, area: Rect, options: RenderOptions) {
        let labelWidth = KeyMap.bindings.map { DisplayWidth.of($0.label) }.max() ?? 0
        let lines = KeyMap.bindings.map { pad($0.label, to: labelWidth) + "  " + $0.help }
        let width = min(area.width, (lines.map { DisplayWidth.of($0) }.max() ?? 0) + 4)
        let height = min(area.height, lines.count + 2)
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width, height: height)
        canvas.fill(box, with: Cell(" ", style: Style(.help)))
        let inner = PanelFrame.draw(into: &canvas, area: box, title: "Keys", options: options)
        for (i, line) in lines.prefix(inner.height).enumerated() {
            canvas.put(" " + line, x: inner.x, y: inner.y + i, style: Style(.help), clip: inner)
        }
    }
}
