import DashboardCore
import TerminalCanvas

/// One panel alone, full screen: a tall chart with axes over its series rows, numbered. A digit shows or hides
/// its series on the chart; Tab and the arrows step through the panels.
public struct PanelScreen: Screen {
    public static let id = "panel"
    public var id: String { Self.id }
    public var panel: Int
    /// The y-axis is logarithmic (`l`).
    public var log = false
    /// The inspect cursor (`i`), as a fraction of the window: ←/→ move it, the rows show the values there.
    public var inspect: Double?
    /// Series (by legend) toggled off the chart with their digit; kept by name across refreshes.
    public var hidden: Set<String> = []

    public init(panel: Int) {
        self.panel = panel
    }

    enum Action: Sendable, Equatable { case toggle, next, previous, explore, log, inspect }

    static let keys = KeyTable<Action>([
        KeyBinding((1...9).map { .char(Character(String($0))) }, "1-9", "show or hide that series on the chart", .toggle),
        KeyBinding([.tab, .right, .down], "Tab, arrows", "next panel (while inspecting, ←/→ move the cursor)", .next),
        KeyBinding([.backTab, .left, .up], "Shift-Tab", "previous panel", .previous),
        KeyBinding([.char("e")], "e", "explore this panel's query", .explore),
        KeyBinding([.char("l")], "l", "logarithmic y-axis on or off", .log),
        KeyBinding([.char("i")], "i", "inspect: a cursor on the chart, the values at its instant", .inspect),
    ])

    /// How far ←/→ (and PgUp/PgDn) move the inspect cursor.
    static let step = 0.01
    static let bigStep = 0.1

    public var keyHelp: KeyHelp.Section { Self.keys.help("Panel") }

    public func title(_ context: ScreenContext) -> String {
        let panels = context.model.dashboard.panels
        return panels.indices.contains(panel) ? "\(panel + 1) \(panels[panel].title)" : "panel \(panel + 1)"
    }

    public mutating func handle(_ key: Key, context: ScreenContext) -> [ScreenEffect]? {
        let count = max(1, context.model.dashboard.panels.count)
        if let cursor = inspect {
            switch key {
            case .left: inspect = max(0, cursor - Self.step); return []
            case .right: inspect = min(1, cursor + Self.step); return []
            case .pageUp: inspect = max(0, cursor - Self.bigStep); return []
            case .pageDown: inspect = min(1, cursor + Self.bigStep); return []
            case .home: inspect = 0; return []
            case .end: inspect = 1; return []
            case .escape, .char("i"): inspect = nil; return []
            default: break
            }
        }
        guard let action = Self.keys.action(for: key) else { return nil }
        switch action {
        case .toggle:
            guard case .char(let c) = key, let n = c.wholeNumberValue else { return [] }
            let series = context.model.visibleSeries(ofPanel: panel)
            guard series.indices.contains(n - 1) else { return [.notice("no series \(n) in this panel")] }
            let legend = series[n - 1].legend
            if hidden.contains(legend) { hidden.remove(legend) } else { hidden.insert(legend) }
        case .next, .previous:
            // The next panel with data, past the rows.
            let panels = context.model.dashboard.panels
            var next = panel
            for _ in 0..<count {
                next = action == .next ? (next + 1) % count : (next + count - 1) % count
                if !panels.indices.contains(next) || !panels[next].isRow { break }
            }
            panel = next
            hidden = []
        case .explore: return [.push(ExploreScreen.of(panel: panel, context))]
        case .log: log.toggle()
        case .inspect: inspect = 1
        }
        return []
    }

    /// A click on the chart puts the inspect cursor there; the wheel pans the window in time.
    public mutating func mouse(_ event: MouseEvent, area: Rect, context: ScreenContext) -> [ScreenEffect]? {
        switch event.action {
        case .wheelUp: return [.dashboard(.panBack)]
        case .wheelDown: return [.dashboard(.panForward)]
        case .click, .doubleClick:
            guard context.model.dashboard.panels.indices.contains(panel) else { return [] }
            let view = PanelView(model: context.model, index: panel, ascii: context.options.ascii, marks: context.options.seriesMarks)
            guard let plot = view.zoomedPlot(in: area.inset(1), log: log, hidden: hidden), plot.width > 1,
                  plot.contains(x: event.x, y: event.y) else { return [] }
            inspect = max(0, min(1, Double(event.x - plot.x) / Double(plot.width - 1)))
            return []
        }
    }

    public func render(into canvas: inout Canvas, area: Rect, context: ScreenContext) {
        guard context.model.dashboard.panels.indices.contains(panel) else { return }
        let view = PanelView(model: context.model, index: panel, ascii: context.options.ascii, marks: context.options.seriesMarks)
        let inner = PanelFrame(
            title: "\(view.title)  (Esc: back)", badge: view.badge, focused: true, ascii: context.options.ascii
        ).draw(into: &canvas, area: area)
        view.renderContent(into: &canvas, area: inner, zoomed: true, log: log, inspect: inspect, hidden: hidden)
    }
}
