import DashboardCore
import TerminalCanvas

/// The dashboard: every panel and the firing alerts, laid out for the terminal's size (`DashboardLayout`). Owns the
/// keyboard focus, which moves through the panels and then the alert rows; Enter or a digit zooms a panel, Enter on
/// an alert row opens the alert.
public struct DashboardScreen: Screen {
    public static let id = "dashboard"
    public var id: String { Self.id }
    /// The panel with the keyboard focus (when no alert row has it).
    public var focusedPanel = 0
    /// The alert row with the keyboard focus, if one has it.
    public var focusedAlert: Int?

    public init(focusedPanel: Int = 0, focusedAlert: Int? = nil) {
        self.focusedPanel = focusedPanel
        self.focusedAlert = focusedAlert
    }

    enum Action: Sendable, Equatable { case zoomFocused, zoomDigit, next, previous, explore, silence }

    static let keys = KeyTable<Action>([
        KeyBinding([.enter], "Enter", "zoom the focused panel (health with a service down: its targets), or open the focused alert", .zoomFocused),
        KeyBinding((1...9).map { .char(Character(String($0))) }, "1-9", "zoom a panel by its number", .zoomDigit),
        KeyBinding([.tab, .right, .down], "Tab, arrows", "move the focus (panels, then alert rows)", .next),
        KeyBinding([.backTab, .left, .up], "Shift-Tab", "move the focus back", .previous),
        KeyBinding([.char("e")], "e", "explore the focused panel's query", .explore),
        KeyBinding([.char("S")], "S", "silence the focused alert (Alertmanager)", .silence),
    ])

    public var keyHelp: KeyHelp.Section { Self.keys.help("Dashboard") }

    public func title(_ context: ScreenContext) -> String { context.model.dashboard.title }

    public mutating func handle(_ key: Key, context: ScreenContext) -> [ScreenEffect]? {
        let count = context.model.dashboard.panels.count
        let alerts = context.model.visibleAlerts
        guard let action = Self.keys.action(for: key) else { return nil }
        // An alert row that has gone (the list shrank) gives the focus back to the panels.
        if let row = focusedAlert, !alerts.indices.contains(row) { focusedAlert = alerts.isEmpty ? nil : alerts.count - 1 }
        switch action {
        case .zoomFocused:
            if let row = focusedAlert { return [.push(AlertDetailScreen(alert: alerts[row]))] }
            guard focusedPanel < count else { return [] }
            // A service down in the health panel: why, first (its scrape targets and their last errors).
            if context.model.dashboard.panels[focusedPanel].isHealth {
                let trouble = context.model.visibleServices(ofPanel: focusedPanel).filter { $0.status != .up }.map(\.name)
                if !trouble.isEmpty { return [.push(TargetListScreen(services: Set(trouble)))] }
            }
            return [.push(PanelScreen(panel: focusedPanel))]
        case .zoomDigit:
            guard case .char(let c) = key, let n = c.wholeNumberValue, n - 1 < count else { return [] }
            focusedPanel = n - 1
            focusedAlert = nil
            return [.push(PanelScreen(panel: n - 1))]
        case .next:
            if let row = focusedAlert {
                // Down the alert rows; Tab (or the last row) goes back to the first panel.
                if key != .tab, row + 1 < alerts.count { focusedAlert = row + 1 } else { focusedAlert = nil; focusedPanel = 0 }
            } else if focusedPanel + 1 >= count, !alerts.isEmpty {
                focusedAlert = 0
            } else {
                focusedPanel = (focusedPanel + 1) % max(1, count)
            }
        case .previous:
            if let row = focusedAlert {
                if key != .backTab, row > 0 { focusedAlert = row - 1 } else { focusedAlert = nil; focusedPanel = max(0, count - 1) }
            } else if focusedPanel == 0, !alerts.isEmpty {
                focusedAlert = alerts.count - 1
            } else {
                focusedPanel = (focusedPanel + count - 1) % max(1, count)
            }
        case .explore: return [.push(ExploreScreen.of(panel: focusedPanel, context))]
        case .silence:
            guard let row = focusedAlert else { return [.notice("move the focus to an alert row first (Tab, arrows)")] }
            return [SilenceFormScreen.open(for: alerts[row], context)]
        }
        return []
    }

    /// A click focuses a panel (a double click zooms it) or opens an alert; the wheel pans the window in time.
    public mutating func mouse(_ event: MouseEvent, area: Rect, context: ScreenContext) -> [ScreenEffect]? {
        switch event.action {
        case .wheelUp: return [.dashboard(.panBack)]
        case .wheelDown: return [.dashboard(.panForward)]
        case .click, .doubleClick:
            let geometry = DashboardLayout(model: context.model, focusedPanel: focusedPanel, ascii: context.options.ascii).geometry(area)
            let alerts = context.model.visibleAlerts
            if let row = geometry.alertRow(at: event.x, event.y, count: alerts.count) {
                focusedAlert = row
                return [.push(AlertDetailScreen(alert: alerts[row]))]
            }
            guard let index = geometry.panel(at: event.x, event.y) else { return [] }
            focusedPanel = index
            focusedAlert = nil
            return event.action == .doubleClick ? [.push(PanelScreen(panel: index))] : []
        }
    }

    public func render(into canvas: inout Canvas, area: Rect, context: ScreenContext) {
        DashboardLayout(
            model: context.model, focusedPanel: focusedAlert == nil ? focusedPanel : -1, focusedAlert: focusedAlert,
            ascii: context.options.ascii, marks: context.options.seriesMarks)
            .render(into: &canvas, area: area)
    }
}
