import DashboardCore
import FoundationEssentials
import Glibc
import PrometheusModels
import PromQL
import SafeText
import TerminalCanvas

/// One alert and why it fires: its rule (from `/api/v1/rules`, matched by name and labels), the rule's expression
/// split at its comparison with the left side graphed for this alert's labels against the threshold (or the right
/// side as a second series), when it went pending and fired (`ALERTS`, else `activeAt` and `for`) with a state
/// strip, then every label and annotation.
public struct AlertDetailScreen: Screen {
    public static let id = "alert"
    public var id: String { Self.id }
    public var alert: AlertItem
    /// The rule, once the rules have arrived (nil before, or when none matches: `ruleProblem` says which).
    public var rule: (group: String, file: String, rule: Rule)?
    public var ruleProblem: String?
    public var split: RuleExpression?
    public var left: [SampleStream]?
    public var right: [SampleStream]?
    public var intervals: [AlertExplanation.Interval]?
    /// When the graphed data ends (the time of the answer).
    public var end: Date?
    var pending: [Int: Part] = [:]
    var requests = 1
    var step: Double = 60

    enum Part: Sendable, Equatable { case rules, left, right, history }

    public init(alert: AlertItem) {
        self.alert = alert
    }

    public var keyHelp: KeyHelp.Section {
        KeyHelp.Section(title: "Alert", rows: [
            ("y", "copy the runbook URL (OSC 52)"), ("Y", "copy the rule's expression"), ("S", "silence the alert (Alertmanager)"), ("g", "the dashboard at the alert's start"),
            ("Esc, Enter", "back to the list"),
        ])
    }

    /// `g`: the dashboard, its window centred on when the alert started.
    static func jump(to alert: AlertItem) -> [ScreenEffect] {
        guard let start = alert.activeAt else { return [.notice("this alert does not say when it started")] }
        return [.popToRoot, .dashboard(.centre(start))]
    }

    /// The runbook's address: `runbook_url`, else the first annotation that is a URL.
    public var runbook: String? {
        alert.annotations["runbook_url"]
            ?? alert.annotations.sorted { $0.key < $1.key }.first { $0.value.hasPrefix("http://") || $0.value.hasPrefix("https://") }?.value
    }

    public func title(_ context: ScreenContext) -> String { alert.name }

    public mutating func handle(_ key: Key, context: ScreenContext) -> [ScreenEffect]? {
        switch key {
        case .enter: return [.pop]
        case .char("y"): return [runbook.map { .copy($0, what: "the runbook URL") } ?? .notice("this alert has no runbook URL")]
        case .char("S"): return [SilenceFormScreen.open(for: alert, context)]
        case .char("g"): return Self.jump(to: alert)
        case .char("Y"):
            guard let rule else { return [.notice("the rule has not arrived yet")] }
            return [.copy(rule.rule.query, what: "the rule's expression")]
        default: return nil
        }
    }

    static func points(_ context: ScreenContext) -> Int { max(30, min(1000, (context.model.columns - 12) * 2)) }

    public mutating func start(context: ScreenContext) -> [ScreenEffect] {
        pending = [1: .rules]
        return [.request(id: 1, .rules)] + history(context)
    }

    /// The state history (`ALERTS`) over the dashboard's window, live or pinned.
    mutating func history(_ context: ScreenContext) -> [ScreenEffect] {
        let points = Self.points(context)
        step = max(1, context.model.rangeSeconds / Double(points))
        let id = nextID()
        pending[id] = .history
        return [.request(id: id, .rangeQuery(AlertExplanation.alertsQuery(alert), rangeSeconds: context.model.rangeSeconds, points: points, end: context.model.pinnedEnd))]
    }

    /// The rule's sides over the dashboard's window.
    mutating func sides(_ context: ScreenContext) -> [ScreenEffect] {
        guard let split else { return [] }
        let points = Self.points(context)
        let id = nextID()
        pending[id] = .left
        var effects: [ScreenEffect] = [.request(id: id, .rangeQuery(split.left, rangeSeconds: context.model.rangeSeconds, points: points, end: context.model.pinnedEnd))]
        if case .series(let expr) = split.right {
            let second = nextID()
            pending[second] = .right
            effects.append(.request(id: second, .rangeQuery(expr, rangeSeconds: context.model.rangeSeconds, points: points, end: context.model.pinnedEnd)))
        }
        return effects
    }

    mutating func nextID() -> Int {
        requests += 1
        return requests
    }

    /// The window moved: the chart and the strip are asked for again over the new one (answers to the old requests
    /// are dropped).
    public mutating func windowChanged(context: ScreenContext) -> [ScreenEffect] {
        pending = pending.filter { $0.value == .rules }
        return history(context) + sides(context)
    }

    public mutating func receive(_ response: ScreenResponse, id: Int, context: ScreenContext) -> [ScreenEffect] {
        guard let part = pending.removeValue(forKey: id) else { return [] }
        switch (part, response) {
        case (.rules, .rules(let groups)):
            guard let (group, rule) = AlertExplanation.rule(for: alert, in: groups) else {
                ruleProblem = "no alerting rule named \(alert.name) on this Prometheus"
                return []
            }
            self.rule = (group.name, group.file, rule)
            let split = RuleExpression.split(rule.query)
            self.split = split
            return sides(context)
        case (.left, .result(let result, _)):
            left = AlertExplanation.series(result.streams, of: alert)
            end = context.model.windowEnd
        case (.right, .result(let result, _)):
            right = AlertExplanation.series(result.streams, of: alert)
        case (.history, .result(let result, _)):
            intervals = AlertExplanation.intervals(AlertExplanation.history(result.streams, of: alert), step: step)
        case (.rules, .failure(let message)):
            ruleProblem = "rules: " + message
        case (_, .failure(let message)):
            ruleProblem = message
        default:
            break
        }
        return []
    }

    /// The unit of the dashboard panel whose query is the rule's left side, else of one whose query has the same
    /// shape with other label filters (the rule's 5xx ratio and the panel's 4xx-or-5xx ratio are both ratios), else
    /// none. Queries are compared as Prometheus prints them (`/api/v1/rules` gives the rule back normalised:
    /// `sum by (service) (…)` where the dashboard wrote `sum(…) by (service)`), outer parentheses and whitespace aside.
    static func unit(for expr: String, in dashboard: Dashboard) -> DashboardCore.Unit {
        func normal(_ s: String) -> String {
            var t = ((try? Parser.parse(s))?.text ?? s).filter { !$0.isWhitespace }
            while t.hasPrefix("("), t.hasSuffix(")"), RuleExpression.matchingParen(Array(t), from: 0) == t.count - 1 {
                t = String(t.dropFirst().dropLast())
            }
            return t
        }
        /// The query without its `{…}` label filters (braces inside quoted strings kept).
        func shape(_ s: String) -> String {
            var out = ""
            var depth = 0
            var quoted = false
            var escaped = false
            for c in s {
                if quoted {
                    if depth == 0 { out.append(c) }
                    if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { quoted = false }
                    continue
                }
                switch c {
                case "\"": quoted = true
                case "{": depth += 1
                case "}": depth = max(0, depth - 1)
                    continue
                default: break
                }
                if depth == 0 { out.append(c) }
            }
            return out
        }
        let target = normal(expr)
        if let panel = dashboard.panels.first(where: { panel in panel.targets.contains { normal($0.expr) == target } }) {
            return panel.unit
        }
        let outline = shape(target)
        return dashboard.panels.first { panel in panel.targets.contains { shape(normal($0.expr)) == outline } }?.unit ?? .none
    }

    public func render(into canvas: inout Canvas, area: Rect, context: ScreenContext) {
        let model = context.model
        let ascii = context.options.ascii
        let inner = PanelFrame(title: "\(alert.name)  (Esc back)", badge: model.alerts.error.map { _ in ("stale", .warning) }, focused: true, ascii: ascii)
            .draw(into: &canvas, area: area)
        guard !inner.isEmpty else { return }
        let item = alert
        let unit = split.map { Self.unit(for: $0.left, in: model.dashboard) } ?? .none
        var lines: [(String, StyleRole)] = []
        let stateWord = item.suppression.map { $0 == .silenced ? "SILENCED" : "INHIBITED" } ?? (item.state == .pending ? "PENDING" : "FIRING")
        lines.append(("\(stateWord) \(item.severity.badge)  \(item.name)  \(item.subject)", item.severity == .critical ? .critical : .warning))
        lines.append((sinceLine(model.now, utc: model.utc), .text))
        if let silenced = model.silences.silencedLine(item, now: model.now) { lines.append((silenced, .alertPending)) }
        if let rule {
            let hold = rule.rule.duration.flatMap { $0 > 0 ? " for \(ValueFormat.rangeLabel($0))" : nil } ?? ""
            lines.append(("rule: \(rule.group) (\(rule.file))\(hold)", .dim))
            lines.append(("expr: " + rule.rule.query.split(whereSeparator: \.isNewline).map { $0.trimmingSpaces() }.joined(separator: " "), .dim))
            if let split, let op = split.comparison {
                let against: String
                switch split.right {
                case .threshold(let value)?: against = "\(ValueFormat.format(value, unit: unit)) (the line)"
                case .series(let expr)?: against = expr + " (the second series)"
                case nil: against = "?"
                }
                let current = (left?.first?.values.last?.value).map { "now \(ValueFormat.format($0, unit: unit))" } ?? "now: loading…"
                lines.append(("fires when the left side \(op)\(split.isBool ? " bool" : "") \(against); \(current)", .title))
            }
        } else if let ruleProblem {
            lines.append((ruleProblem, .warning))
        } else {
            lines.append(("rule: loading…", .dim))
        }
        var y = inner.y
        for (text, role) in lines where y < inner.maxY {
            canvas.put(TextLayout.truncate(text, to: inner.width, ascii: ascii), x: inner.x, y: y, style: Style(role), clip: inner)
            y += 1
        }
        // The chart and the state strip, when there is room.
        let chartHeight = min(12, max(0, (inner.maxY - y) / 2))
        if chartHeight >= 5, let left, !left.isEmpty, let end {
            let range = (end.timeIntervalSince1970 - model.rangeSeconds, end.timeIntervalSince1970)
            let series = (left + (right ?? [])).map { SeriesSummary(legend: "", labels: $0.metric, points: $0.values, thresholds: nil) }
            var thresholds: Thresholds?
            if case .threshold(let value)? = split?.right { thresholds = Thresholds(warning: value, critical: value) }
            let area = Rect(x: inner.x, y: y, width: inner.width, height: chartHeight)
            let (now, utc) = (model.now, model.utc)
            let clock: ((Double) -> String)? = model.pinnedEnd == nil ? nil : { seconds in
                ClockFormat.short(Date(timeIntervalSince1970: seconds), now: now, utc: utc)
            }
            SeriesGraphics.chart(series, unit: unit, thresholds: thresholds, range: range,
                                 rangeLabel: ValueFormat.rangeLabel(model.rangeSeconds), width: area.width, ascii: ascii,
                                 showing: thresholds.map { [$0.warning] } ?? [], clock: clock, marks: context.options.seriesMarks)
                .render(into: &canvas, area: area)
            y += chartHeight
            if let intervals, !intervals.isEmpty, y < inner.maxY {
                renderStrip(intervals, range: range, into: &canvas, row: Rect(x: inner.x, y: y, width: inner.width, height: 1), ascii: ascii)
                y += 1
            }
        }
        var rest: [(String, StyleRole)] = []
        if let source = item.generatorURL { rest += [("", .text), ("source: " + source, .focus)] }
        rest += [("", .text), ("Labels", .title)]
        rest += item.labels.sorted { $0.key < $1.key }.map { ("  \($0.key) = \($0.value)", .text) }
        rest += [("", .text), ("Annotations", .title)]
        rest += item.annotations.sorted { $0.key < $1.key }.map { key, value in
            ("  \(key): \(value)", key.hasSuffix("_url") || value.hasPrefix("http") ? .focus : .text)
        }
        // Long annotations wrap instead of being cut, into the rows that are left: the work is what the screen
        // shows, whatever the size of the annotation (a megabyte runbook_url).
        for (text, role) in rest where y < inner.maxY {
            for piece in WrappedText.lines(text, width: inner.width, maxLines: inner.maxY - y) where y < inner.maxY {
                canvas.put(piece, x: inner.x, y: y, style: Style(role), clip: inner)
                y += 1
            }
        }
    }

    /// "pending 14:02:10, firing 14:07:10 (for 5m), 23m ago".
    func sinceLine(_ now: Date, utc: Bool) -> String {
        func clock(_ d: Date) -> String { ClockFormat.time(d, utc: utc) }
        let zone = " (\(ClockFormat.zoneName(utc: utc, at: now)))"
        // Without a history and a rule, only `activeAt` is known.
        if intervals?.isEmpty ?? true, rule == nil {
            guard let at = alert.activeAt else { return "since: unknown" }
            return "active since \(clock(at)), \(ValueFormat.age(now.timeIntervalSince(at))) ago" + zone
        }
        let times = AlertExplanation.since(intervals ?? [], activeAt: alert.activeAt, holdSeconds: rule?.rule.duration, state: alert.state)
        var parts: [String] = []
        if let p = times.pending { parts.append("pending \(clock(p))") }
        if let f = times.firing {
            let hold = rule?.rule.duration.flatMap { $0 > 0 ? " (for \(ValueFormat.rangeLabel($0)))" : nil } ?? ""
            parts.append("firing \(clock(f))\(hold)")
        }
        guard let first = times.firing ?? times.pending else { return "since: unknown" }
        return parts.joined(separator: ", ") + ", \(ValueFormat.age(now.timeIntervalSince(first))) ago" + zone
    }

    /// One row: firing, pending or nothing, for each column of the range.
    func renderStrip(_ intervals: [AlertExplanation.Interval], range: (Double, Double), into canvas: inout Canvas, row: Rect, ascii: Bool) {
        let label = "state "
        canvas.put(label, x: row.x, y: row.y, style: Style(.dim), clip: row)
        let width = row.width - label.count
        guard width > 0 else { return }
        let span = max(1e-9, range.1 - range.0)
        for column in 0..<width {
            let from = range.0 + span * Double(column) / Double(width)
            let to = range.0 + span * Double(column + 1) / Double(width)
            let here = intervals.filter { $0.start < to && $0.end + step >= from }
            let (glyph, role): (String, StyleRole) = here.contains { $0.state == .firing } ? (ascii ? "#" : "█", .critical)
                : (here.contains { $0.state == .pending } ? (ascii ? "-" : "▒", .warning) : ((ascii ? "." : "·"), .dim))
            canvas.put(glyph, x: row.x + label.count + column, y: row.y, style: Style(role), clip: row)
        }
    }
}
