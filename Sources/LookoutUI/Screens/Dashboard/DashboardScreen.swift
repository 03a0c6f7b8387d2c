import DashboardCore
import TerminalCanvas

/// The dashboard: every panel and the firing alerts, laid out for the terminal's size (`DashboardLayout`). Owns the
/// keyboard focus, which moves through the panels and then the alert rows; Enter or a digit zooms a panel, Enter on
/// an alert row opens the alert, Enter on a row opens or closes it. A dashboard taller than the screen scrolls
/// (PgUp/PgDn, Home/End, the wheel), the arrows move the focus to the panel in their direction, and the focus is
/// always scrolled into view; how far it scrolled is the model's (what is on screen is what is asked for).
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

    enum Action: Sendable, Equatable { case zoomFocused, zoomDigit, next, previous, explore, silence, pageDown, pageUp, home, end }

    static let keys = KeyTable<Action>([
        KeyBinding([.enter], "Enter", "zoom the focused panel (health with a service down: its targets), open the focused alert, open or close a row", .zoomFocused),
        KeyBinding((1...9).map { .char(Character(String($0))) }, "1-9", "zoom a panel by its number", .zoomDigit),
        KeyBinding([.tab, .right, .down], "Tab, arrows", "move the focus (panels, then alert rows); on a grid, to the panel that way", .next),
        KeyBinding([.backTab, .left, .up], "Shift-Tab", "move the focus back", .previous),
        KeyBinding([.pageDown, .pageUp], "PgDn, PgUp", "scroll a dashboard taller than the screen", .pageDown),
        KeyBinding([.home, .end], "Home, End", "its top, its bottom (0 is live again there)", .home),
        KeyBinding([.char("e")], "e", "explore the focused panel's query", .explore),
        KeyBinding([.char("S")], "S", "silence the focused alert (Alertmanager)", .silence),
    ])

    public var keyHelp: KeyHelp.Section { Self.keys.help("Dashboard") }

    public func title(_ context: ScreenContext) -> String { context.model.dashboard.title }

    func geometry(_ context: ScreenContext) -> DashboardLayout.Geometry {
        DashboardLayout(model: context.model, focusedPanel: focusedPanel, ascii: context.options.ascii)
            .geometry(DashboardLayout.screenArea(context.model))
    }

    public mutating func handle(_ key: Key, context: ScreenContext) -> [ScreenEffect]? {
        let count = context.model.dashboard.panels.count
        let alerts = context.model.visibleAlerts
        guard var action = Self.keys.action(for: key) else { return nil }
        if key == .pageUp { action = .pageUp }
        if key == .end { action = .end }
        // An alert row that has gone (the list shrank) gives the focus back to the panels.
        if let row = focusedAlert, !alerts.indices.contains(row) { focusedAlert = alerts.isEmpty ? nil : alerts.count - 1 }
        let geometry = geometry(context)
        // Laid out on a grid or scrolled: the focus follows the layout, and stays in view.
        if geometry.scrolls || context.model.dashboard.hasGrid {
            if let effects = gridHandle(action, key: key, geometry: geometry, context: context) { return effects }
        }
        switch action {
        // A dashboard that does not scroll leaves them to the app (End: live again).
        case .pageDown, .pageUp, .home, .end: return nil
        case .zoomFocused:
            if let row = focusedAlert { return [.push(AlertDetailScreen(alert: alerts[row]))] }
            guard focusedPanel < count else { return [] }
            if context.model.dashboard.panels[focusedPanel].isRow { return [.dashboard(.toggleRow(focusedPanel))] }
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
            if context.model.dashboard.panels[n - 1].isRow { return [.dashboard(.toggleRow(n - 1))] }
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
        case .explore:
            if context.model.dashboard.panels.indices.contains(focusedPanel), context.model.dashboard.panels[focusedPanel].isRow {
                return [.notice("a row has no query: move the focus to a panel (arrows, Tab)")]
            }
            return [.push(ExploreScreen.of(panel: focusedPanel, context))]
        case .silence:
            guard let row = focusedAlert else { return [.notice("move the focus to an alert row first (Tab, arrows)")] }
            return [SilenceFormScreen.open(for: alerts[row], context)]
        }
        return []
    }

    /// The keys that move through a grid's layout: the arrows to the nearest panel their way, Tab in the layout's
    /// order, pages; the focused panel scrolled into view. Nil for what the usual handling does the same.
    mutating func gridHandle(_ action: Action, key: Key, geometry: DashboardLayout.Geometry, context: ScreenContext) -> [ScreenEffect]? {
        let order = geometry.panels.map(\.index)
        if [.pageDown, .pageUp, .home, .end].contains(action), !geometry.scrolls { return nil }
        guard !order.isEmpty else { return nil }
        let alerts = context.model.visibleAlerts
        let page = max(1, geometry.viewport.height - 1)
        func rect(_ index: Int) -> Rect? { geometry.panels.first { $0.index == index }?.rect }
        // The focused panel may have been hidden (its row closed): its row has the focus then.
        if focusedAlert == nil, !order.contains(focusedPanel) {
            let owner = focusedPanel < context.model.dashboard.owningRows.count ? context.model.dashboard.owningRows[focusedPanel] : nil
            focusedPanel = owner ?? order[0]
        }
        func focus(_ index: Int) -> [ScreenEffect] {
            focusedPanel = index
            focusedAlert = nil
            return reveal(index, geometry: geometry)
        }
        switch action {
        case .pageDown, .pageUp, .home, .end:
            let top: Int = switch action {
            case .pageDown: geometry.scroll + page
            case .pageUp: geometry.scroll - page
            case .home: 0
            default: geometry.maxScroll
            }
            let clamped = min(max(0, top), geometry.maxScroll)
            // The focus goes to the first panel at the new top when it would be left off screen.
            let shift = geometry.scroll - clamped
            let onScreen = geometry.panels.filter { _, r in
                r.y + shift >= geometry.viewport.y && r.y + shift + r.height <= geometry.viewport.maxY
            }.map(\.index)
            if focusedAlert == nil, !onScreen.contains(focusedPanel), let first = action == .end ? onScreen.last : onScreen.first {
                focusedPanel = first
            }
            return [.dashboard(.scroll(clamped))]
        case .next where key == .tab, .previous where key == .backTab:
            if focusedAlert != nil { return nil }
            guard let at = order.firstIndex(of: focusedPanel) else { return focus(order[0]) }
            if action == .next {
                if at + 1 < order.count { return focus(order[at + 1]) }
                if !alerts.isEmpty { focusedAlert = 0; return [] }
                return focus(order[0])
            }
            if at > 0 { return focus(order[at - 1]) }
            if !alerts.isEmpty { focusedAlert = alerts.count - 1; return [] }
            return focus(order[order.count - 1])
        case .next, .previous:
            if let row = focusedAlert {
                // Up from the first alert row: back to the panels, the lowest one on screen.
                guard key == .up, row == 0 else { return nil }
                let lowest = geometry.panels.filter { $0.rect.intersection(geometry.viewport) == $0.rect }.max { $0.rect.maxY < $1.rect.maxY }
                return focus(lowest?.index ?? order[order.count - 1])
            }
            guard let from = rect(focusedPanel) else { return focus(order[0]) }
            let (dx, dy) = switch key {
            case .left: (-1, 0)
            case .right: (1, 0)
            case .up: (0, -1)
            default: (0, 1)
            }
            // The nearest panel that way: overlapping in the other direction first, then the closest.
            let candidates = geometry.panels.filter { index, r in
                guard index != focusedPanel else { return false }
                if dx > 0 { return r.x >= from.maxX - 1 }
                if dx < 0 { return r.maxX <= from.x + 1 }
                if dy > 0 { return r.y >= from.maxY }
                return r.maxY <= from.y
            }
            func score(_ r: Rect) -> (Int, Int) {
                let overlaps = dx != 0
                    ? r.y < from.maxY && from.y < r.maxY
                    : r.x < from.maxX && from.x < r.maxX
                let distance = dx != 0 ? abs(r.x - from.x) + abs(r.y - from.y) / 2 : abs(r.y - from.y) + abs(r.x - from.x) / 4
                return (overlaps ? 0 : 1, distance)
            }
            if let best = candidates.min(by: { score($0.rect) < score($1.rect) }) { return focus(best.index) }
            // Down past the last panels: the alert rows.
            if dy > 0, !alerts.isEmpty {
                focusedAlert = 0
                return []
            }
            return []
        default:
            return nil
        }
    }

    /// Scrolls so that `index` is on screen (its top, when it is taller than the screen).
    func reveal(_ index: Int, geometry: DashboardLayout.Geometry) -> [ScreenEffect] {
        guard geometry.scrolls, let r = geometry.panels.first(where: { $0.index == index })?.rect else { return [] }
        let top = r.y - geometry.viewport.y + geometry.scroll
        if r.y < geometry.viewport.y || r.height > geometry.viewport.height { return [.dashboard(.scroll(top))] }
        if r.maxY > geometry.viewport.maxY { return [.dashboard(.scroll(top + r.height - geometry.viewport.height))] }
        return []
    }

    /// A click focuses a panel (a double click zooms it, or opens or closes a row) or opens an alert; the wheel
    /// scrolls a dashboard taller than the screen, else pans the window in time.
    public mutating func mouse(_ event: MouseEvent, area: Rect, context: ScreenContext) -> [ScreenEffect]? {
        let geometry = DashboardLayout(model: context.model, focusedPanel: focusedPanel, ascii: context.options.ascii).geometry(area)
        switch event.action {
        case .wheelUp: return geometry.scrolls ? [.dashboard(.scroll(max(0, geometry.scroll - 3)))] : [.dashboard(.panBack)]
        case .wheelDown: return geometry.scrolls ? [.dashboard(.scroll(min(geometry.maxScroll, geometry.scroll + 3)))] : [.dashboard(.panForward)]
        case .click, .doubleClick:
            let alerts = context.model.visibleAlerts
            if let row = geometry.alertRow(at: event.x, event.y, count: alerts.count) {
                focusedAlert = row
                return [.push(AlertDetailScreen(alert: alerts[row]))]
            }
            guard let index = geometry.panel(at: event.x, event.y) else { return [] }
            focusedPanel = index
            focusedAlert = nil
            if context.model.dashboard.panels[index].isRow { return [.dashboard(.toggleRow(index))] }
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
