import DashboardCore
import FoundationEssentials
import Glibc
import PrometheusModels
import SafeText
import TerminalCanvas

/// Every rule group and rule of Prometheus (`:rules`): a group's file, interval, last evaluation and its duration;
/// a rule's type, health, state, `for`, `keep_firing_for` and last error. `f` shows all, the failing or the
/// never-evaluated; `/` filters by name. Enter on an alerting rule graphs its expression against its threshold.
public struct RulesScreen: Screen {
    public static let id = "rules"
    public var id: String { Self.id }
    public var groups: [RuleGroup]?
    public var problem: String?
    /// Only rules of this health (`err`, `unknown`); nil: all.
    public var health: String?
    public var selected = 0
    var request = 0

    public init(health: String? = nil) {
        self.health = health
    }

    enum Action: Sendable, Equatable { case move(ListMove), open, health, reload }

    static let keys = KeyTable<Action>(ListMove.bindings(Action.move, item: "rule") + [
        KeyBinding([.enter], "Enter", "an alerting rule's expression against its threshold", .open),
        KeyBinding([.char("f")], "f", "all rules, the failing ones, the never evaluated", .health),
        KeyBinding([.char("r")], "r", "read the rules again", .reload),
    ])

    public var keyHelp: KeyHelp.Section { Self.keys.help("Rules (/ filters by name)") }

    public func title(_ context: ScreenContext) -> String { "Rules" }

    public mutating func start(context: ScreenContext) -> [ScreenEffect] { reload() }

    mutating func reload() -> [ScreenEffect] {
        request += 1
        return [.request(id: request, .rules)]
    }

    /// The rules shown, each with its group.
    func rows(_ context: ScreenContext) -> [(group: RuleGroup, rule: Rule)] {
        let needle = context.model.filter.lowercased()
        return (groups ?? []).flatMap { group in group.rules.map { (group, $0) } }.filter { _, rule in
            (health == nil || (rule.health ?? "unknown") == health) && (needle.isEmpty || rule.name.lowercased().contains(needle))
        }
    }

    public mutating func handle(_ key: Key, context: ScreenContext) -> [ScreenEffect]? {
        guard let action = Self.keys.action(for: key) else { return nil }
        let rows = rows(context)
        selected = max(0, min(selected, rows.count - 1))
        switch action {
        case .move(let move): selected = move.apply(to: selected, count: rows.count)
        case .reload: return reload()
        case .health:
            health = health == nil ? "err" : (health == "err" ? "unknown" : nil)
            selected = 0
            return [.notice(health.map { "only rules of health \($0) (f: next)" } ?? "every rule (f: only the failing)")]
        case .open:
            guard rows.indices.contains(selected) else { return [.notice("no rule to open")] }
            let rule = rows[selected].rule
            guard rule.kind == .alerting else { return [.notice("\(SafeText.clip(rule.name, 60)) is a recording rule: explore it with :explore \(SafeText.clip(rule.name, 60))")] }
            var labels = rule.labels
            labels["alertname"] = rule.name
            return [.push(AlertDetailScreen(alert: AlertItem(Alert(labels: labels, annotations: rule.annotations, state: rule.state ?? .inactive, activeAt: nil))))]
        }
        return []
    }

    public mutating func receive(_ response: ScreenResponse, id: Int, context: ScreenContext) -> [ScreenEffect] {
        guard id == request else { return [] }
        switch response {
        case .rules(let list):
            groups = list
            problem = nil
        case .failure(let message): problem = "rules unavailable: " + message
        default: problem = "unexpected answer for the rules"
        }
        return []
    }

    static func healthRole(_ health: String?) -> StyleRole {
        switch health {
        case "ok": return .ok
        case "err": return .critical
        default: return .unknown
        }
    }

    public func render(into canvas: inout Canvas, area: Rect, context: ScreenContext) {
        let model = context.model
        let ascii = context.options.ascii
        let rows = rows(context)
        let all = (groups ?? []).reduce(0) { $0 + $1.rules.count }
        let failing = (groups ?? []).flatMap(\.rules).filter { $0.health == "err" }.count
        var title = "Rules: \(all) in \((groups ?? []).count) groups, \(failing) failing"
        if let health { title += ", showing \(health)" }
        title += "  (Enter graph, f health, Esc back)"
        let inner = PanelFrame(title: title, badge: groups == nil ? ("reading…", .dim) : nil, focused: true, ascii: ascii).draw(into: &canvas, area: area)
        guard !inner.isEmpty else { return }
        guard groups != nil else {
            WrappedText(problem ?? "reading the rules…", role: problem == nil ? .dim : .critical).render(into: &canvas, area: inner)
            return
        }
        guard !rows.isEmpty else {
            WrappedText(problem ?? "no rule matches", role: .dim).render(into: &canvas, area: inner)
            return
        }
        // A header line per group, then its rules.
        var lines: [(text: String, role: StyleRole, rule: Int?)] = []
        var last: String?
        for (i, row) in rows.enumerated() {
            let key = row.group.file + "\u{1F}" + row.group.name
            if key != last {
                last = key
                var header = "\(row.group.name)  (\(row.group.file))"
                if let interval = row.group.interval { header += "  every \(ValueFormat.rangeLabel(interval))" }
                if let at = row.group.lastEvaluation { header += ", last \(ValueFormat.age(max(0, model.now.timeIntervalSince(at)))) ago" }
                if let took = row.group.evaluationTime { header += " in \(ValueFormat.format(took, unit: .seconds))" }
                lines.append((header, .title, nil))
            }
            let rule = row.rule
            var text = "  " + TextLayout.pad((rule.health ?? "unknown").uppercased(), to: 8) + TextLayout.pad(rule.kind == .alerting ? "alert" : "record", to: 7)
            text += rule.name
            if rule.kind == .alerting {
                text += "  \((rule.state ?? .inactive).rawValue)"
                if let hold = rule.duration, hold > 0 { text += "  for \(ValueFormat.rangeLabel(hold))" }
                if let keep = rule.keepFiringFor, keep > 0 { text += "  keep \(ValueFormat.rangeLabel(keep))" }
            }
            if let error = rule.lastError, !error.isEmpty { text += "  " + error }
            lines.append((text, rule.health == "err" ? .critical : .text, i))
        }
        let chosen = max(0, min(selected, rows.count - 1))
        let selectedLine = lines.firstIndex { $0.rule == chosen } ?? 0
        let top = ListMove.firstShown(selected: selectedLine, count: lines.count, rows: inner.height)
        for (offset, line) in lines.dropFirst(top).prefix(inner.height).enumerated() {
            let y = inner.y + offset
            let clip = Rect(x: inner.x, y: y, width: inner.width, height: 1)
            let style = Style(line.role, line.rule == chosen ? .reverse : [])
            canvas.put(TextLayout.truncate(SafeText.sanitize(line.text), to: inner.width, ascii: ascii), x: inner.x, y: y, style: style, clip: clip)
        }
    }
}
