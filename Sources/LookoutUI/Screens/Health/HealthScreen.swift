import DashboardCore
import FoundationEssentials
import Glibc
import PrometheusModels
import SafeText
import TerminalCanvas

/// The alerting pipeline's checks (`:health`, `H`): each with its state, its reason, since when, and (Enter) its
/// evidence. Enter on the rules' check opens `:rules`. The checks are the dashboard's (read at start, then at most
/// once a minute): the screen only shows them.
public struct HealthScreen: Screen {
    public static let id = "health"
    public var id: String { Self.id }
    public var selected = 0
    public var detail = false

    public init() {}

    enum Action: Sendable, Equatable { case move(ListMove), open, rules }

    static let keys = KeyTable<Action>(ListMove.bindings(Action.move, item: "check") + [
        KeyBinding([.enter], "Enter", "the check's evidence (on the rules: every rule)", .open),
        KeyBinding([.char("R")], "R", "every rule group and rule", .rules),
    ])

    public var keyHelp: KeyHelp.Section { Self.keys.help("Alerting pipeline") }

    public func title(_ context: ScreenContext) -> String { "Pipeline" }

    static func role(_ state: PipelineState) -> StyleRole {
        switch state {
        case .ok: return .ok
        case .unknown: return .unknown
        case .degraded: return .warning
        case .broken: return .critical
        }
    }

    public mutating func handle(_ key: Key, context: ScreenContext) -> [ScreenEffect]? {
        let checks = context.model.pipelineChecks
        if detail {
            guard key == .escape || key == .enter else { return key == .ctrl("c") ? nil : [] }
            detail = false
            return []
        }
        guard let action = Self.keys.action(for: key) else { return nil }
        selected = max(0, min(selected, checks.count - 1))
        switch action {
        case .move(let move): selected = move.apply(to: selected, count: checks.count)
        case .rules: return [.push(RulesScreen())]
        case .open:
            guard checks.indices.contains(selected) else { return [.notice("no check has been read yet")] }
            if checks[selected].id == "rules" { return [.push(RulesScreen(health: checks[selected].state >= .degraded ? "err" : nil))] }
            detail = true
        }
        return []
    }

    public func render(into canvas: inout Canvas, area: Rect, context: ScreenContext) {
        let model = context.model
        let ascii = context.options.ascii
        let checks = model.pipelineChecks
        var title = "Alerting pipeline"
        if let worst = checks.map(\.state).max() { title += ": \(worst.word)" }
        if let at = model.pipeline.readAt { title += ", checked \(ValueFormat.age(max(0, model.now.timeIntervalSince(at)))) ago" }
        title += detail ? "  (Esc back)" : "  (Enter evidence, R rules, Esc back)"
        let inner = PanelFrame(title: title, focused: true, ascii: ascii).draw(into: &canvas, area: area)
        guard !inner.isEmpty else { return }
        guard !checks.isEmpty else {
            WrappedText("checking the rules, Prometheus → Alertmanager, Prometheus and each Alertmanager…", role: .dim).render(into: &canvas, area: inner)
            return
        }
        let chosen = max(0, min(selected, checks.count - 1))
        if detail {
            let check = checks[chosen]
            var lines: [(String, StyleRole)] = [("\(check.state.word.uppercased())  \(check.area)", Self.role(check.state)), (check.reason, .text)]
            if let since = check.since { lines.append(("since \(ClockFormat.short(since, now: model.now, utc: model.utc)) (\(ValueFormat.age(max(0, model.now.timeIntervalSince(since)))) ago)", .dim)) }
            if !check.evidence.isEmpty { lines += [("", .text), ("Evidence", .title)] + check.evidence.map { ("  " + $0, .text) } }
            var y = inner.y
            for (text, role) in lines {
                for piece in WrappedText.lines(text, width: inner.width, maxLines: max(0, inner.maxY - y)) where y < inner.maxY {
                    canvas.put(piece, x: inner.x, y: y, style: Style(role), clip: inner)
                    y += 1
                }
            }
            return
        }
        let areaWidth = min(30, checks.map { DisplayWidth.of($0.area) }.max() ?? 10)
        let top = ListMove.firstShown(selected: chosen, count: checks.count, rows: inner.height)
        for (offset, check) in checks.dropFirst(top).prefix(inner.height).enumerated() {
            let index = top + offset
            let y = inner.y + offset
            let clip = Rect(x: inner.x, y: y, width: inner.width, height: 1)
            var x = canvas.put(TextLayout.pad(check.state.word.uppercased(), to: 8), x: inner.x, y: y, style: Style(Self.role(check.state), index == chosen ? .reverse : []), clip: clip)
            x = canvas.put(" " + TextLayout.fit(check.area, to: areaWidth, ascii: ascii) + "  ", x: x, y: y, style: Style(.text), clip: clip)
            var reason = check.reason
            if check.state >= .degraded, let since = check.since { reason += " · since \(ClockFormat.short(since, now: model.now, utc: model.utc))" }
            canvas.put(TextLayout.truncate(reason, to: max(0, inner.maxX - x), ascii: ascii), x: x, y: y, style: Style(check.state >= .degraded ? Self.role(check.state) : .dim), clip: clip)
        }
    }
}
