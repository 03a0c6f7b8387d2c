import DashboardCore
import FoundationEssentials
import Glibc
import SafeText
import TerminalCanvas

/// The config file's contexts (`:ctx`): name, URL and whether the server answers (asked when the screen opens, `r`
/// asks again). Enter switches to one: the dashboard of that context, the stack back to it.
public struct ContextListScreen: Screen {
    public static let id = "contexts"
    public var id: String { Self.id }
    public var selected = 0
    /// Per context: nil while asking, "" when it answered, else why not.
    public var reachable: [String: String?] = [:]
    var requests: [Int: String] = [:]
    var nextRequest = 1

    public init() {}

    enum Action: Sendable, Equatable { case move(ListMove), open, probe }

    static let keys = KeyTable<Action>(ListMove.bindings(Action.move, item: "context") + [
        KeyBinding([.enter], "Enter", "switch to the context", .open),
        KeyBinding([.char("r")], "r", "ask every server again", .probe),
    ])

    public var keyHelp: KeyHelp.Section { Self.keys.help("Contexts") }

    public func title(_ context: ScreenContext) -> String { "Contexts" }

    public mutating func start(context: ScreenContext) -> [ScreenEffect] {
        if let current = context.model.contexts.firstIndex(where: { $0.name == context.model.contextName }) { selected = current }
        return probe(context)
    }

    mutating func probe(_ context: ScreenContext) -> [ScreenEffect] {
        requests = [:]
        return context.model.contexts.map { entry in
            let id = nextRequest
            nextRequest += 1
            requests[id] = entry.name
            reachable[entry.name] = .some(nil)
            return .request(id: id, .probeContext(entry.name))
        }
    }

    public mutating func handle(_ key: Key, context: ScreenContext) -> [ScreenEffect]? {
        let items = context.model.contexts
        guard let action = Self.keys.action(for: key) else { return nil }
        selected = max(0, min(selected, items.count - 1))
        switch action {
        case .move(let move): selected = move.apply(to: selected, count: items.count)
        case .probe: return probe(context)
        case .open:
            guard items.indices.contains(selected) else { return [.notice("no context: the config file has none")] }
            return [.popToRoot, .switchContext(items[selected].name)]
        }
        return []
    }

    public mutating func receive(_ response: ScreenResponse, id: Int, context: ScreenContext) -> [ScreenEffect] {
        guard let name = requests.removeValue(forKey: id) else { return [] }
        switch response {
        case .failure(let message): reachable[name] = .some(message)
        default: reachable[name] = .some("")
        }
        return []
    }

    public func render(into canvas: inout Canvas, area: Rect, context: ScreenContext) {
        let model = context.model
        let ascii = context.options.ascii
        let inner = PanelFrame(title: "Contexts  (Enter switch, r ask again, Esc back)", focused: true, ascii: ascii).draw(into: &canvas, area: area)
        guard !inner.isEmpty else { return }
        let items = model.contexts
        guard !items.isEmpty else {
            let text = "No contexts: name servers in \(model.configFile) (see 'lookout config view' and README)"
            canvas.put(TextLayout.truncate(text, to: inner.width, ascii: ascii), x: inner.x, y: inner.y, style: Style(.dim), clip: inner)
            return
        }
        let nameWidth = min(24, items.map { DisplayWidth.of($0.name) }.max() ?? 0)
        let urlWidth = min(48, items.map { DisplayWidth.of($0.url) }.max() ?? 0)
        let chosen = max(0, min(selected, items.count - 1))
        let top = ListMove.firstShown(selected: chosen, count: items.count, rows: inner.height)
        for (row, entry) in items.dropFirst(top).prefix(inner.height).enumerated() {
            let y = inner.y + row
            let clip = Rect(x: inner.x, y: y, width: inner.width, height: 1)
            let current = entry.name == model.contextName
            let mark = current ? (ascii ? "*" : "●") : " "
            var x = canvas.put(mark + " ", x: inner.x, y: y, style: Style(current ? .context : .text), clip: clip)
            x = canvas.put(TextLayout.fit(entry.name, to: nameWidth, ascii: ascii), x: x, y: y, style: Style(.text, top + row == chosen ? .reverse : []), clip: clip)
            x = canvas.put("  " + TextLayout.fit(entry.url, to: urlWidth, ascii: ascii) + "  ", x: x, y: y, style: Style(.dim), clip: clip)
            let (word, role): (String, StyleRole)
            switch reachable[entry.name] {
            case .some(.some(let problem)) where problem.isEmpty: (word, role) = ("reachable", .ok)
            case .some(.some(let problem)): (word, role) = ("unreachable: " + problem, .critical)
            default: (word, role) = ("checking…", .dim)
            }
            canvas.put(TextLayout.truncate(word, to: max(0, inner.maxX - x), ascii: ascii), x: x, y: y, style: Style(role), clip: clip)
        }
    }
}
