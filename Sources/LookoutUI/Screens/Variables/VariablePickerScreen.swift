import DashboardCore
import FoundationEssentials
import SafeText
import TerminalCanvas

/// The dashboard's variables (`v`): each with its value; Enter on one lists the values it offers (All first when
/// offered), typed letters filter them, Enter picks one and the panels are asked again with it. A dashboard with one
/// variable opens on its values.
public struct VariablePickerScreen: Screen {
    public static let id = "variables"
    public var id: String { Self.id }
    /// The variable whose values are listed; nil while the variables are.
    public var chosen: String?
    public var selected = 0
    /// Typed to narrow the list (case-insensitive, anywhere in the value).
    public var filter = ""

    public init() {}

    enum Action: Sendable, Equatable { case move(ListMove), open, up }

    // Letters filter, so the list moves with the arrows only.
    static let keys = KeyTable<Action>([
        KeyBinding([.up], "↑", "previous", .move(.up)),
        KeyBinding([.down], "↓", "next", .move(.down)),
        KeyBinding([.pageUp], "PgUp", "ten up", .move(.pageUp)),
        KeyBinding([.pageDown], "PgDn", "ten down", .move(.pageDown)),
        KeyBinding([.enter], "Enter", "list the variable's values / pick the value", .open),
        KeyBinding([.left], "←", "back to the variables", .up),
    ])

    public var keyHelp: KeyHelp.Section {
        var section = Self.keys.help("Variables")
        section.rows.append(("letters", "filter the list; Backspace deletes"))
        return section
    }

    public func title(_ context: ScreenContext) -> String { chosen.map { "$" + SafeText.clip($0, 40) } ?? "Variables" }

    /// The variables one can pick a value of (a constant has one).
    static func pickable(_ model: DashboardState) -> [Variable] { model.dashboard.variables.filter { $0.kind != .constant } }

    public mutating func start(context: ScreenContext) -> [ScreenEffect] {
        let variables = Self.pickable(context.model)
        guard !variables.isEmpty else { return [.pop, .notice("this dashboard has no variables (v does nothing here)")] }
        if variables.count == 1 { open(variables[0], context) }
        return []
    }

    /// The rows listed now: the variables, or the chosen one's choices; filtered.
    func rows(_ model: DashboardState) -> [String] {
        let all: [String]
        if let chosen, let variable = model.dashboard.variables.first(where: { $0.name == chosen }) {
            all = variable.choices(offered: model.variableOptions[variable.name] ?? variable.offered([]))
        } else {
            all = Self.pickable(model).map(\.name)
        }
        let needle = filter.lowercased()
        return needle.isEmpty ? all : all.filter { $0.lowercased().contains(needle) }
    }

    mutating func open(_ variable: Variable, _ context: ScreenContext) {
        chosen = variable.name
        filter = ""
        let current = context.model.resolvedVariables[variable.name]?.values.first
        selected = rows(context.model).firstIndex { $0 == current } ?? 0
    }

    public mutating func handle(_ key: Key, context: ScreenContext) -> [ScreenEffect]? {
        let model = context.model
        // Letters filter; the list keys and Enter work as in every list.
        if case .char(let c) = key {
            // One value is picked here; space does not pause the dashboard from under the list either.
            guard c != " " else { return [.notice("Enter picks the value (one at a time)")] }
            filter.append(c)
            selected = 0
            return []
        }
        if key == .backspace {
            if filter.isEmpty { return backToVariables(model) }
            filter.removeLast()
            selected = 0
            return []
        }
        guard let action = Self.keys.action(for: key) else { return nil }
        let rows = rows(model)
        selected = max(0, min(selected, rows.count - 1))
        switch action {
        case .move(let move): selected = move.apply(to: selected, count: rows.count)
        case .up: return backToVariables(model)
        case .open:
            guard rows.indices.contains(selected) else { return [.notice(filter.isEmpty ? "nothing to pick" : "nothing matches '\(SafeText.clip(filter, 40))'")] }
            guard let chosen else {
                if let variable = model.dashboard.variables.first(where: { $0.name == rows[selected] }) { open(variable, context) }
                return []
            }
            let value = rows[selected]
            return [.dashboard(.setVariable(name: chosen, value: value)), .pop,
                    .notice("$\(SafeText.clip(chosen, 40)) = \(SafeText.clip(value, 60)): the panels are asked again")]
        }
        return []
    }

    mutating func backToVariables(_ model: DashboardState) -> [ScreenEffect] {
        guard chosen != nil, Self.pickable(model).count > 1 else { return [] }
        let name = chosen
        chosen = nil
        filter = ""
        selected = Self.pickable(model).firstIndex { $0.name == name } ?? 0
        return []
    }

    public func render(into canvas: inout Canvas, area: Rect, context: ScreenContext) {
        let model = context.model
        let ascii = context.options.ascii
        let heading = chosen.map { "$\($0)  (Enter pick, type to filter, ← variables, Esc back)" } ?? "Variables  (Enter list the values, type to filter, Esc back)"
        let inner = PanelFrame(title: heading, focused: true, ascii: ascii).draw(into: &canvas, area: area)
        guard !inner.isEmpty else { return }
        var list = inner
        if !filter.isEmpty || chosen != nil, inner.height > 2 {
            let line = "filter: " + filter + (filter.isEmpty ? "(type to narrow)" : "")
            canvas.put(TextLayout.truncate(line, to: inner.width, ascii: ascii), x: inner.x, y: inner.y, style: Style(filter.isEmpty ? .dim : .text), clip: inner)
            list = inner.splitTop(1).1
        }
        let rows = rows(model)
        guard !rows.isEmpty else {
            let text = filter.isEmpty ? "no values offered (yet: the server is asked at each refresh)" : "nothing matches '\(filter)'"
            canvas.put(TextLayout.truncate(text, to: list.width, ascii: ascii), x: list.x, y: list.y, style: Style(.dim), clip: list)
            return
        }
        let resolved = model.resolvedVariables
        let current = chosen.flatMap { resolved[$0]?.values } ?? []
        let chosenIndex = max(0, min(selected, rows.count - 1))
        let top = ListMove.firstShown(selected: chosenIndex, count: rows.count, rows: list.height)
        let nameWidth = min(32, rows.map { DisplayWidth.of($0) }.max() ?? 0)
        for (offset, row) in rows.dropFirst(top).prefix(list.height).enumerated() {
            let y = list.y + offset
            let clip = Rect(x: list.x, y: y, width: list.width, height: 1)
            let isCurrent = chosen != nil && current.contains(row)
            let mark = isCurrent ? (ascii ? "*" : "●") : " "
            var x = canvas.put(mark + " ", x: list.x, y: y, style: Style(isCurrent ? .ok : .text), clip: clip)
            x = canvas.put(TextLayout.fit(row, to: chosen == nil ? nameWidth : list.width - 2, ascii: ascii), x: x, y: y,
                           style: Style(.text, top + offset == chosenIndex ? .reverse : []), clip: clip)
            if chosen == nil {
                let value = resolved[row]?.display ?? Variable.all
                canvas.put(TextLayout.truncate("  = " + value, to: max(0, list.maxX - x), ascii: ascii), x: x, y: y, style: Style(.dim), clip: clip)
            }
        }
    }
}
