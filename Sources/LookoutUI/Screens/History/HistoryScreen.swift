import DashboardCore
import FoundationEssentials
import Glibc
import PrometheusModels
import SafeText
import TerminalCanvas

/// What happened while you were away (`:history`, `h`): every alert that was pending or firing in a window (the
/// last 12 hours at first; `[ ] + - 0` move it as on the dashboard), one row per alert, critical first and then the
/// latest activity first. Each row has a strip across the window (firing, pending, unknown where Prometheus itself
/// was down), how many times it fired and for how long, when it first started and last ended, whether it fires
/// now, and the silences that covered it. ←/→ choose one of its firings; Enter opens the alert with the dashboard's
/// window centred on it, `g` the dashboard there. `/` filters and `s` hides the silenced, as everywhere.
public struct HistoryScreen: Screen {
    public static let id = "history"
    public var id: String { Self.id }
    /// The screen's own window (the dashboard's stays where it is).
    public var window = TimeWindow(rangeSeconds: 43_200)
    public var night: AlertHistory.Night?
    public var problem: String?
    public var loading = false
    public var selected = 0
    /// The chosen firing of the selected row (nil: its latest).
    public var firing: Int?
    /// When the answer was read.
    public var readAt: Date?
    var request = 0

    public init() {}

    enum Action: Sendable, Equatable {
        case move(ListMove), previousFiring, nextFiring, open, jump, reload
        case wider, narrower, back, forward, live
    }

    static let keys = KeyTable<Action>(ListMove.bindings(Action.move, item: "alert") + [
        KeyBinding([.left], "←", "the firing before", .previousFiring),
        KeyBinding([.right], "→", "the firing after", .nextFiring),
        KeyBinding([.enter], "Enter", "the alert, with the dashboard's window centred on the firing", .open),
        KeyBinding([.char("g")], "g", "the dashboard, its window centred on the firing", .jump),
        KeyBinding([.char("r")], "r", "read the history again", .reload),
        KeyBinding([.char("+"), .char("=")], "+", "a longer window (… 12h, 1d, 7d)", .wider),
        KeyBinding([.char("-"), .char("_")], "-", "a shorter window", .narrower),
        KeyBinding([.char("[")], "[", "half a window back in time", .back),
        KeyBinding([.char("]")], "]", "half a window forward", .forward),
        KeyBinding([.char("0"), .end], "0, End", "the window ending now", .live),
    ])

    public var keyHelp: KeyHelp.Section { Self.keys.help("History (/ filters, s hides the silenced)") }

    public func title(_ context: ScreenContext) -> String { "History" }

    public mutating func start(context: ScreenContext) -> [ScreenEffect] { reload(context) }

    mutating func reload(_ context: ScreenContext) -> [ScreenEffect] {
        request += 1
        loading = true
        let end = window.end(now: context.model.now)
        return [.request(id: request, .alertHistory(from: end.addingTimeInterval(-window.rangeSeconds), to: end))]
    }

    /// The rows shown: the filter and `s` applied.
    func rows(_ context: ScreenContext) -> [AlertHistory.Row] {
        AlertHistory.filtered(night?.rows ?? [], context.model.filter, hideSilenced: context.model.hideSuppressed)
    }

    /// The firing Enter and `g` go to: the chosen one, else the latest.
    func chosenFiring(_ row: AlertHistory.Row) -> Int? {
        guard !row.firings.isEmpty else { return nil }
        return min(firing ?? row.firings.count - 1, row.firings.count - 1)
    }

    /// The instant the dashboard's window is centred on for a span: its middle, or for one longer than the
    /// dashboard's range a little after its start (its start stays in view).
    static func centre(of span: AlertHistory.Span, range: TimeInterval) -> Date {
        span.start.addingTimeInterval(min(span.duration, range * 0.8) / 2)
    }

    public mutating func handle(_ key: Key, context: ScreenContext) -> [ScreenEffect]? {
        guard let action = Self.keys.action(for: key) else { return nil }
        let rows = rows(context)
        selected = max(0, min(selected, rows.count - 1))
        let now = context.model.now
        switch action {
        case .move(let move):
            let before = selected
            selected = move.apply(to: selected, count: rows.count)
            if selected != before { firing = nil }
        case .previousFiring, .nextFiring:
            guard rows.indices.contains(selected), let current = chosenFiring(rows[selected]) else {
                return [.notice("this alert never fired in the window")]
            }
            let next = current + (action == .nextFiring ? 1 : -1)
            guard rows[selected].firings.indices.contains(next) else {
                return [.notice(action == .nextFiring ? "the latest firing is chosen" : "the first firing is chosen")]
            }
            firing = next
        case .open, .jump:
            guard rows.indices.contains(selected) else { return [.notice("no alert to open")] }
            let row = rows[selected]
            guard let span = chosenFiring(row).map({ row.firings[$0] }) ?? row.pendings.last else { return [] }
            var item = row.item
            item.activeAt = span.start
            let centre = Self.centre(of: span, range: context.model.rangeSeconds)
            if action == .jump { return [.popToRoot, .dashboard(.centre(centre))] }
            return [.dashboard(.centre(centre)), .push(AlertDetailScreen(alert: item))]
        case .reload: return reload(context)
        case .wider, .narrower:
            let ranges = DashboardState.ranges
            let current = ranges.firstIndex { $0 >= window.rangeSeconds } ?? (ranges.count - 1)
            let next = action == .wider ? min(ranges.count - 1, current + 1) : max(0, current - 1)
            guard ranges[next] != window.rangeSeconds else {
                return [.notice(action == .wider ? "the longest window is 7d" : "the shortest window is 5m")]
            }
            window.zoom(to: ranges[next], now: now)
            return reload(context)
        case .back:
            window.pan(-0.5, now: now)
            return reload(context)
        case .forward:
            guard !window.isLive else { return [.notice("the window already ends now")] }
            window.pan(0.5, now: now)
            return reload(context)
        case .live:
            guard !window.isLive else { return [] }
            window.goLive()
            return reload(context)
        }
        return []
    }

    public mutating func receive(_ response: ScreenResponse, id: Int, context: ScreenContext) -> [ScreenEffect] {
        guard id == request else { return [] }
        loading = false
        let end = window.end(now: context.model.now)
        switch response {
        case .history(let alerts, let heartbeat):
            let from = end.addingTimeInterval(-window.rangeSeconds)
            night = AlertHistory.night(
                alerts: alerts, heartbeat: heartbeat, silences: context.model.silences.items, from: from, to: end, live: window.isLive,
                dataBefore: TimeWindow.noDataBefore(start: from, now: context.model.now, retention: context.model.retentionSeconds))
            problem = nil
            readAt = context.model.now
            firing = nil
        case .failure(let message): problem = "history unavailable: " + message
        default: problem = "unexpected answer for the history"
        }
        return []
    }

    public func render(into canvas: inout Canvas, area: Rect, context: ScreenContext) {
        let model = context.model
        let ascii = context.options.ascii
        let rows = rows(context)
        let now = model.now
        func clock(_ date: Date) -> String { ClockFormat.short(date, now: now, utc: model.utc) }
        var title = "History"
        if let night {
            let fired = rows.filter { !$0.firings.isEmpty }.count
            title += ": \(fired) fired, \(rows.count - fired) only pending, \(ValueFormat.rangeLabel(night.seconds)) "
            title += window.isLive ? "to now" : "to \(clock(night.to))"
        }
        // The keys' reminder when it fits beside a badge (the help lists them all).
        let hint = "  (Enter alert, ←→ firing, Esc back)"
        if DisplayWidth.of(title + hint) + 14 <= area.width { title += hint }
        let badge: (String, StyleRole)? = loading ? ("reading…", .dim) : (problem != nil && night != nil ? ("stale", .warning) : nil)
        let inner = PanelFrame(title: title, badge: badge, focused: true, ascii: ascii).draw(into: &canvas, area: area)
        guard !inner.isEmpty else { return }
        guard let night else {
            let text = problem ?? "reading the alerts of the last \(ValueFormat.rangeLabel(window.rangeSeconds))…"
            WrappedText(text, role: problem == nil ? .dim : .critical).render(into: &canvas, area: inner)
            return
        }
        var body = inner
        // What the strip's marks mean, and what cannot be known.
        var legend = ascii ? "# firing  + pending  ? unknown  . quiet" : "█ firing  ▒ pending  ░ unknown  · quiet"
        if night.heartbeatMissing {
            legend += "  · Prometheus does not scrape itself: an outage would look quiet"
        } else if !night.outages.isEmpty {
            let down = night.outages.reduce(0) { $0 + $1.duration }
            legend += "  · Prometheus down \(night.outages.count)× (\(ValueFormat.rangeLabel(down))): unknown"
        }
        if let before = night.dataBefore { legend += "  · no data before \(clock(before))" }
        canvas.put(TextLayout.truncate(legend, to: body.width, ascii: ascii), x: body.x, y: body.y, style: Style(.dim), clip: body)
        body.y += 1
        body.height -= 1
        if let problem, body.height > 1 {
            canvas.put(TextLayout.truncate(problem, to: body.width, ascii: ascii), x: body.x, y: body.maxY - 1, style: Style(.critical), clip: body)
            body.height -= 1
        }
        guard !rows.isEmpty else {
            let empty = night.rows.isEmpty ? "nothing was pending or firing in this window" : "no alert matches the filter (or s hides them)"
            WrappedText(empty, role: .dim).render(into: &canvas, area: body)
            return
        }
        // The axis' line at the bottom; two lines per alert above it.
        let axisY = body.maxY - 1
        let listHeight = max(1, body.height - 1)
        let perRow = listHeight >= 4 ? 2 : 1
        let shown = max(1, listHeight / perRow)
        let chosenRow = max(0, min(selected, rows.count - 1))
        let first = ListMove.firstShown(selected: chosenRow, count: rows.count, rows: shown)
        let layout = Self.columns(width: body.width, names: rows.map { DisplayWidth.of($0.name) })
        for (offset, row) in rows.dropFirst(first).prefix(shown).enumerated() {
            let index = first + offset
            let y = body.y + offset * perRow
            let isSelected = index == chosenRow
            let chosen = isSelected ? chosenFiring(row) : nil
            renderRow(row, night: night, chosen: chosen, selected: isSelected, into: &canvas, x: body.x, y: y, width: body.width, layout: layout, ascii: ascii)
            if perRow == 2 {
                let line = Self.detail(row, chosen: chosen, now: now, utc: model.utc)
                let clip = Rect(x: body.x, y: y + 1, width: body.width, height: 1)
                canvas.put(TextLayout.truncate("     " + line, to: body.width, ascii: ascii), x: body.x, y: y + 1, style: Style(isSelected ? .text : .dim), clip: clip)
            }
        }
        if rows.count > shown {
            let mark = "\(first + 1)–\(min(rows.count, first + shown)) of \(rows.count)"
            canvas.put(mark, x: max(body.x, body.maxX - mark.count), y: body.y, style: Style(.dim), clip: body)
        }
        if axisY > body.y {
            Self.renderAxis(night, into: &canvas, x: body.x + layout.strip.x, y: axisY, width: layout.strip.width, now: now, utc: model.utc, clip: body)
        }
    }

    /// The columns of a row: the severity and the alert's name (as wide as the longest, within a third of the width),
    /// the strip, the counts.
    static func columns(width: Int, names: [Int]) -> (name: Int, strip: (x: Int, width: Int), counts: Int) {
        let counts = 14
        let name = max(12, min(width / 3, 5 + (names.max() ?? 10)))
        let strip = max(0, width - name - counts - 2)
        return (name, (name + 1, strip), counts)
    }

    func renderRow(
        _ row: AlertHistory.Row, night: AlertHistory.Night, chosen: Int?, selected: Bool, into canvas: inout Canvas, x: Int, y: Int, width: Int,
        layout: (name: Int, strip: (x: Int, width: Int), counts: Int), ascii: Bool
    ) {
        let clip = Rect(x: x, y: y, width: width, height: 1)
        let role: StyleRole = row.severity == .critical ? .critical : (row.severity == .warning ? .warning : .text)
        let badge = row.severity.badge
        var cx = canvas.put(badge, x: x, y: y, style: Style(row.firings.isEmpty ? .alertPending : role, selected ? .reverse : []), clip: clip)
        cx = canvas.put(" " + TextLayout.fit(row.name, to: max(0, layout.name - badge.count - 1), ascii: ascii), x: cx, y: y, style: Style(.text, selected ? .bold : []), clip: clip)
        let cells = AlertHistory.strip(row, night: night, width: layout.strip.width, chosen: chosen)
        for (i, cell) in cells.enumerated() {
            let (glyph, cellRole, attributes): (String, StyleRole, TextAttributes) = {
                switch cell {
                case .firing: return (ascii ? "#" : "█", role == .text ? .alertFiring : role, [])
                case .chosen: return (ascii ? "#" : "█", .focus, [.bold])
                case .pending: return (ascii ? "+" : "▒", .alertPending, [])
                case .unknown: return (ascii ? "?" : "░", .unknown, [])
                case .quiet: return (ascii ? "." : "·", .dim, [])
                }
            }()
            canvas.put(glyph, x: x + layout.strip.x + i, y: y, style: Style(cellRole, attributes), clip: clip)
        }
        let counts = row.firings.isEmpty ? "never fired" : "\(row.firings.count)× \(ValueFormat.rangeLabel(row.totalFiring))"
        let state = row.firesNow ? " !" : (row.pendingNow ? " ~" : "")
        let right = TextLayout.pad(counts + state, to: layout.counts, alignRight: true)
        canvas.put(right, x: x + layout.strip.x + layout.strip.width + 1, y: y, style: Style(row.firesNow ? role : .dim, row.firesNow ? [.bold] : []), clip: clip)
    }

    /// The second line of a row: when it started and ended (or the chosen firing), whether it fires now, and its
    /// silences.
    static func detail(_ row: AlertHistory.Row, chosen: Int?, now: Date, utc: Bool) -> String {
        func clock(_ date: Date) -> String { ClockFormat.short(date, now: now, utc: utc) }
        // A span of a few minutes is told to the second (a blip's 40 seconds would read 08:13 → 08:13).
        func span(_ s: AlertHistory.Span) -> String {
            let short = s.duration < 300
            let from = short ? ClockFormat.time(s.start, utc: utc) : clock(s.start)
            let to = s.open ? "still firing" : (short ? ClockFormat.time(s.end, utc: utc) : clock(s.end))
            return "\(from) → \(to) (\(ValueFormat.rangeLabel(s.duration)))"
        }
        var parts: [String] = row.instance.isEmpty ? [] : [row.instance]
        if let chosen, row.firings.indices.contains(chosen) {
            parts.append("firing \(chosen + 1) of \(row.firings.count): " + span(row.firings[chosen]))
        } else if row.firings.count == 1, let only = row.firings.first {
            parts.append("fired " + span(only))
        } else if let start = row.firstStart, let end = row.lastEnd {
            if row.firings.isEmpty, row.pendings.count == 1, let only = row.pendings.first {
                parts.append("pending " + span(only))
            } else {
                parts.append("\(row.firings.isEmpty ? "pending" : "first") \(clock(start)), last until \(row.firesNow || row.pendingNow ? "now" : clock(end))")
            }
        }
        if row.firesNow { parts.append("FIRING now") } else if row.pendingNow { parts.append("pending now") }
        for silence in row.silences.prefix(2) {
            let author = silence.createdBy.isEmpty ? "(no author)" : silence.createdBy
            let state = silence.endsAt <= now ? "ended \(clock(silence.endsAt))" : "until \(clock(silence.endsAt))"
            let comment = silence.comment.isEmpty ? "" : ": " + silence.comment
            parts.append("silenced by \(author) \(state)\(comment)")
        }
        if row.silences.count > 2 { parts.append("+\(row.silences.count - 2) silences") }
        return parts.joined(separator: " · ")
    }

    /// The window's clock times under the strips, and where Prometheus was down.
    static func renderAxis(_ night: AlertHistory.Night, into canvas: inout Canvas, x: Int, y: Int, width: Int, now: Date, utc: Bool, clip: Rect) {
        guard width >= 6 else { return }
        let line = Rect(x: x, y: y, width: width, height: 1)
        for (i, cell) in AlertHistory.outageStrip(night, width: width).enumerated() where cell == .unknown {
            canvas.put("░", x: x + i, y: y, style: Style(.unknown), clip: clip)
        }
        // Labels at round times (every 15m … 1d), as many as fit with room between them.
        let steps: [TimeInterval] = [900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800]
        let step = steps.first { night.seconds / $0 <= Double(width) / 9 } ?? steps[steps.count - 1]
        let offset = TimeInterval(ClockFormat.offset(utc: utc, at: night.to))
        var t = ((night.from.timeIntervalSince1970 + offset) / step).rounded(.up) * step - offset
        var last = -1
        while t <= night.to.timeIntervalSince1970 {
            let column = Int(((t - night.from.timeIntervalSince1970) / max(1, night.seconds) * Double(width)).rounded(.down))
            let text = ClockFormat.time(Date(timeIntervalSince1970: t), utc: utc).prefix(5)
            let start = column - text.count / 2
            if start > last, start >= 0, start + text.count <= width {
                canvas.put(text, x: x + start, y: y, style: Style(.dim), clip: line.intersection(clip))
                last = start + text.count
            }
            t += step
        }
    }
}
