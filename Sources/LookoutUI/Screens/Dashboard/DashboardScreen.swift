import DashboardCore
import TerminalCanvas

/// The dashboard: every panel and the firing alerts, laid out for the terminal's size (`DashboardLayout`). Owns the
/// keyboard focus; Enter or a digit zooms a panel.
public struct DashboardScreen: Screen {
    public static let id = "dashboard"
    public var id: String { Self.id }
    /// The panel with the keyboard focus.
    public var focusedPanel = 0

    public init(focusedPanel: Int = 0) {
        self.focusedPanel = focusedPanel
    }

    enum Action: Sendable, Equatable { case zoomFocused, zoomDigit, next, previous, explore }

    static let keys = KeyTable<Action>([
        KeyBinding([.enter], "Enter", "zoom the focused panel", .zoomFocused),
        KeyBinding((1...9).map { .char(Character(String($0))) }, "1-9", "zoom a panel by its number", .zoomDigit),
        KeyBinding([.tab, .right, .down], "Tab, arrows", "move the focus", .next),
        KeyBinding([.backTab, .left, .up], "Shift-Tab", "move the focus back", .previous),
        KeyBinding([.char("e")], "e", "explore the focused panel's query", .explore),
    ])

    public var keyHelp: KeyHelp.Section { Self.keys.help("Dashboard") }

    public func title(_ context: ScreenContext) -> String { context.model.dashboard.title }

    public mutating func handle(_ key: Key, context: ScreenContext) -> [ScreenEffect]? {
        let count = context.model.dashboard.panels.count
        guard let action = Self.keys.action(for: key) else { return nil }
        switch action {
        case .zoomFocused:
            guard focusedPanel < count else { return [] }
            return [.push(PanelScreen(panel: focusedPanel))]
        case .zoomDigit:
            guard case .char(let c) = key, let n = c.wholeNumberValue, n - 1 < count else { return [] }
            focusedPanel = n - 1
            return [.push(PanelScreen(panel: n - 1))]
        case .next: focusedPanel = (focusedPanel + 1) % max(1, count)
        case .previous: focusedPanel = (focusedPanel + count - 1) % max(1, count)
        case .explore: return [.push(ExploreScreen.of(panel: focusedPanel, context))]
        }
        return []
    }

    public func render(into canvas: inout Canvas, area: Rect, context: ScreenContext) {
        DashboardLayout(model: context.model, focusedPanel: focusedPanel, ascii: context.options.ascii)
            .render(into: &canvas, area: area)
    }
}
