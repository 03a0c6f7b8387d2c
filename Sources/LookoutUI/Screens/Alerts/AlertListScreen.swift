import DashboardCore
import TerminalCanvas

/// Every active alert, one per row, with a selection; Enter opens one alert (why it fires), `S` silences it. Opened
/// from the silence list, it shows the alerts one silence mutes.
public struct AlertListScreen: Screen {
    public static let id = "alerts"
    public var id: String { Self.id }
    public var selected = 0
    /// Only the alerts this silence mutes, when set.
    public var silenceID: String?

    public init(selected: Int = 0, silenceID: String? = nil) {
        self.selected = selected
        self.silenceID = silenceID
    }

    enum Action: Sendable, Equatable { case move(ListMove), open, silence, jump }

    static let keys = KeyTable<Action>(ListMove.bindings(Action.move, item: "alert") + [
        KeyBinding([.enter], "Enter", "the alert: why it fires, since when, its labels", .open),
        KeyBinding([.char("S")], "S", "silence the alert (Alertmanager)", .silence),
        KeyBinding([.char("g")], "g", "the dashboard at the alert's start", .jump),
    ])

    public var keyHelp: KeyHelp.Section { Self.keys.help("Alerts") }

    public func title(_ context: ScreenContext) -> String { silenceID == nil ? "Alerts" : "Silenced alerts" }

    /// The rows: every visible alert, or those the silence mutes.
    func items(_ model: DashboardState) -> [AlertItem] {
        guard let silenceID else { return model.visibleAlerts }
        return model.alerts.items.filter { $0.silencedBy.contains(silenceID) }
    }

    /// The selection, kept inside the list as it shrinks.
    func current(_ count: Int) -> Int { max(0, min(selected, count - 1)) }

    public mutating func handle(_ key: Key, context: ScreenContext) -> [ScreenEffect]? {
        let items = items(context.model)
        guard let action = Self.keys.action(for: key) else { return nil }
        selected = current(items.count)
        switch action {
        case .move(let move): selected = move.apply(to: selected, count: items.count)
        case .open:
            guard items.indices.contains(selected) else { return [] }
            return [.push(AlertDetailScreen(alert: items[selected]))]
        case .silence:
            guard items.indices.contains(selected) else { return [] }
            return [SilenceFormScreen.open(for: items[selected], context)]
        case .jump:
            guard items.indices.contains(selected) else { return [] }
            return AlertDetailScreen.jump(to: items[selected])
        }
        return []
    }

    /// A click selects a row, a double click (or a click on the selected row) opens it.
    public mutating func mouse(_ event: MouseEvent, area: Rect, context: ScreenContext) -> [ScreenEffect]? {
        guard event.action == .click || event.action == .doubleClick else { return nil }
        let items = items(context.model)
        let inner = area.inset(1)
        let selected = current(items.count)
        let top = ListMove.firstShown(selected: selected, count: items.count, rows: inner.height)
        let row = top + event.y - inner.y
        guard inner.x <= event.x, event.x < inner.maxX, event.y >= inner.y, items.indices.contains(row) else { return [] }
        if event.action == .doubleClick || row == selected {
            self.selected = row
            return [.push(AlertDetailScreen(alert: items[row]))]
        }
        self.selected = row
        return []
    }

    public func render(into canvas: inout Canvas, area: Rect, context: ScreenContext) {
        let model = context.model
        let ascii = context.options.ascii
        let items = items(model)
        let (header, _) = silenceID == nil
            ? AlertRows.header(model.alerts.items, ascii: ascii, suppressedHidden: model.hideSuppressed, pipeline: model.pipelineSummary?.state)
            : AlertRows.header(items, ascii: ascii)
        let heading = silenceID.map { "Alerts silenced by \($0)" } ?? "Alerts: \(header)"
        let inner = PanelFrame(
            title: "\(heading)  (\(ascii ? "up/down" : "↑↓") select, Enter details, S silence, Esc back)",
            badge: model.alerts.error.map { _ in ("stale", .warning) }, focused: true, ascii: ascii
        ).draw(into: &canvas, area: area)
        guard !inner.isEmpty else { return }
        guard !items.isEmpty else {
            let empty = silenceID == nil ? "No alerts firing or pending" : "This silence mutes no alert now"
            canvas.put(model.alerts.updatedAt == nil ? "loading…" : empty, x: inner.x, y: inner.y, style: Style(.ok), clip: inner)
            return
        }
        let selected = current(items.count)
        let top = ListMove.firstShown(selected: selected, count: items.count, rows: inner.height)
        let visible = Array(items.dropFirst(top).prefix(inner.height))
        AlertRows(items: visible, now: model.now, selected: selected - top, silences: model.silences.items, ascii: ascii).render(into: &canvas, area: inner)
        if selected - top >= 0, selected - top < inner.height {
            canvas.setStyle(Rect(x: inner.x, y: inner.y + selected - top, width: 4, height: 1), Style(.focus, .reverse))
        }
    }
}
