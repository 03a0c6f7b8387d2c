import DashboardCore
import TerminalCanvas

/// One panel alone, full screen: a tall chart with axes over its series rows. Tab and the arrows step through the
/// panels; a digit jumps to another (its own digit goes back).
public struct PanelScreen: Screen {
    public static let id = "panel"
    public var id: String { Self.id }
    public var panel: Int

    public init(panel: Int) {
        self.panel = panel
    }

    enum Action: Sendable, Equatable { case digit, next, previous, explore }

    static let keys = KeyTable<Action>([
        KeyBinding((1...9).map { .char(Character(String($0))) }, "1-9", "another panel (its own number: back)", .digit),
        KeyBinding([.tab, .right, .down], "Tab, arrows", "next panel", .next),
        KeyBinding([.backTab, .left, .up], "Shift-Tab", "previous panel", .previous),
        KeyBinding([.char("e")], "e", "explore this panel's query", .explore),
    ])

    public var keyHelp: KeyHelp.Section { Self.keys.help("Panel") }

    public func title(_ context: ScreenContext) -> String {
        let panels = context.model.dashboard.panels
        return panels.indices.contains(panel) ? "\(panel + 1) \(panels[panel].title)" : "panel \(panel + 1)"
    }

    public mutating func handle(_ key: Key, context: ScreenContext) -> [ScreenEffect]? {
        let count = max(1, context.model.dashboard.panels.count)
        guard let action = Self.keys.action(for: key) else { return nil }
        switch action {
        case .digit:
            guard case .char(let c) = key, let n = c.wholeNumberValue, n - 1 < count else { return [] }
            if n - 1 == panel { return [.pop] }
            panel = n - 1
        case .next: panel = (panel + 1) % count
        case .previous: panel = (panel + count - 1) % count
        case .explore: return [.push(ExploreScreen.of(panel: panel, context))]
        }
        return []
    }

    public func render(into canvas: inout Canvas, area: Rect, context: ScreenContext) {
        guard context.model.dashboard.panels.indices.contains(panel) else { return }
        let view = PanelView(model: context.model, index: panel, ascii: context.options.ascii)
        let inner = PanelFrame(
            title: "\(panel + 1) \(view.panel.title)  (Esc: back)", badge: view.badge, focused: true, ascii: context.options.ascii
        ).draw(into: &canvas, area: area)
        view.renderContent(into: &canvas, area: inner, zoomed: true)
    }
}
