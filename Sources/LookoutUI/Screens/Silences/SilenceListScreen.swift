import DashboardCore
import FoundationEssentials
import Glibc
import PrometheusModels
import SafeText
import TerminalCanvas

/// Alertmanager's silences (`:silences`): active, pending, and those that expired in the last 24 hours, with their
/// matchers, author, comment and time left. `x` expires one after a y/n question, `e` extends one, Enter shows the
/// alerts it silences. The silences are the shared model's, read with every refresh.
public struct SilenceListScreen: Screen {
    public static let id = "silences"
    public var id: String { Self.id }
    public var selected = 0
    public var mode: Mode = .browse

    public enum Mode: Sendable, Equatable {
        case browse
        /// "expire this silence? y/n".
        case confirmExpire(id: String)
        /// Typing how much longer.
        case extend(id: String, by: LineEditor)
        /// A write is in flight.
        case waiting(String)
    }

    public init() {}

    enum Action: Sendable, Equatable { case move(ListMove), open, expire, extend }

    static let keys = KeyTable<Action>(ListMove.bindings(Action.move, item: "silence") + [
        KeyBinding([.enter], "Enter", "the alerts it silences", .open),
        KeyBinding([.char("x")], "x", "expire the silence (asks first)", .expire),
        KeyBinding([.char("e")], "e", "extend the silence", .extend),
    ])

    public var keyHelp: KeyHelp.Section { Self.keys.help("Silences") }

    public func title(_ context: ScreenContext) -> String { "Silences" }

    func listed(_ context: ScreenContext) -> [Silence] { Silencing.listed(context.model.silences.items, now: context.model.now) }

    func current(_ count: Int) -> Int { max(0, min(selected, count - 1)) }

    public mutating func handle(_ key: Key, context: ScreenContext) -> [ScreenEffect]? {
        let items = listed(context)
        switch mode {
        case .waiting:
            return key == .escape ? [.pop] : (key == .ctrl("c") ? nil : [])
        case .confirmExpire(let id):
            mode = .browse
            guard key == .char("y") || key == .char("Y") else { return [.notice("not expired")] }
            mode = .waiting("expiring…")
            return [.request(id: 1, .expireSilence(id: id))]
        case .extend(let id, var editor):
            switch key {
            case .escape:
                mode = .browse
                return []
            case .enter:
                guard let seconds = ValueFormat.parseDuration(editor.string), seconds >= 60, seconds <= SilenceFormScreen.longest else {
                    return [.notice("extend by a duration such as 30m, 1h, 4h or 1d")]
                }
                guard let silence = items.first(where: { $0.id == id }) else {
                    mode = .browse
                    return [.notice("that silence is gone")]
                }
                let now = context.model.now
                var draft = SilenceDraft(extending: silence, to: max(silence.endsAt, now).addingTimeInterval(seconds))
                // An expired silence comes back from now on.
                if silence.state == .expired { draft.startsAt = now }
                mode = .waiting("extending…")
                return [.request(id: 2, .saveSilence(draft))]
            case .ctrl("c"): return nil
            default:
                _ = editor.handle(key)
                mode = .extend(id: id, by: editor)
                return []
            }
        case .browse:
            break
        }
        guard let action = Self.keys.action(for: key) else { return nil }
        selected = current(items.count)
        switch action {
        case .move(let move): selected = move.apply(to: selected, count: items.count)
        case .open:
            guard items.indices.contains(selected) else { return [] }
            return [.push(AlertListScreen(silenceID: items[selected].id))]
        case .expire, .extend:
            if let refusal = context.model.silences.writeRefusal { return [.notice(refusal)] }
            guard items.indices.contains(selected) else { return [.notice("no silence selected")] }
            let silence = items[selected]
            if action == .expire {
                guard silence.state != .expired else { return [.notice("that silence has already expired")] }
                mode = .confirmExpire(id: silence.id)
            } else {
                mode = .extend(id: silence.id, by: LineEditor("1h"))
            }
        }
        return []
    }

    public mutating func paste(_ text: String) -> Bool {
        guard case .extend(let id, var editor) = mode else { return false }
        editor.insert(text)
        mode = .extend(id: id, by: editor)
        return true
    }

    public mutating func receive(_ response: ScreenResponse, id: Int, context: ScreenContext) -> [ScreenEffect] {
        mode = .browse
        switch (id, response) {
        case (1, .done): return [.notice("silence expired"), .dashboard(.refresh)]
        case (2, .saved): return [.notice("silence extended"), .dashboard(.refresh)]
        case (1, .failure(let message)): return [.notice("not expired: " + message)]
        case (2, .failure(let message)): return [.notice("not extended: " + message)]
        default: return []
        }
    }

    /// "58m left", "starts in 5m", "ended 12m ago".
    static func timing(_ silence: Silence, now: Date) -> String {
        switch silence.state {
        case .active: return "\(ValueFormat.rangeLabel(max(0, silence.endsAt.timeIntervalSince(now)))) left"
        case .pending: return "starts in \(ValueFormat.rangeLabel(max(0, silence.startsAt.timeIntervalSince(now))))"
        case .expired: return "ended \(ValueFormat.age(now.timeIntervalSince(silence.endsAt))) ago"
        }
    }

    public func render(into canvas: inout Canvas, area: Rect, context: ScreenContext) {
        let model = context.model
        let ascii = context.options.ascii
        let items = listed(context)
        func count(_ state: Silence.State) -> Int { items.filter { $0.state == state }.count }
        let badge: (String, StyleRole)? = model.silences.error.map { _ in ("stale", .warning) }
        let inner = PanelFrame(
            title: "Silences: \(count(.active)) active, \(count(.pending)) pending, \(count(.expired)) expired in 24h  (x expire, e extend, Enter alerts, Esc back)",
            badge: badge, focused: true, ascii: ascii
        ).draw(into: &canvas, area: area)
        guard !inner.isEmpty else { return }
        var body = inner
        // The question or the prompt takes the last row.
        if mode != .browse, inner.height >= 2 {
            body.height -= 1
            let row = Rect(x: inner.x, y: inner.maxY - 1, width: inner.width, height: 1)
            switch mode {
            case .confirmExpire:
                canvas.put("Expire this silence now? y/n", x: row.x, y: row.y, style: Style(.warning, .bold), clip: row)
            case .extend(_, let editor):
                TextField(label: "Extend by", editor: editor, focused: true, labelWidth: 10).render(into: &canvas, area: row)
            case .waiting(let text):
                canvas.put(text, x: row.x, y: row.y, style: Style(.dim), clip: row)
            case .browse: break
            }
        }
        guard !items.isEmpty else {
            let text: String
            if let error = model.silences.error {
                text = "silences unavailable: " + error
            } else if !model.silences.available {
                text = "no Alertmanager: start lookout with --alertmanager-url to see and write silences"
            } else {
                text = model.silences.updatedAt == nil ? "loading…" : "No active or recent silences"
            }
            canvas.put(TextLayout.truncate(text, to: body.width, ascii: ascii), x: body.x, y: body.y, style: Style(model.silences.error == nil ? .dim : .critical), clip: body)
            return
        }
        let selected = current(items.count)
        let top = ListMove.firstShown(selected: selected, count: items.count, rows: body.height)
        let timingWidth = items.map { DisplayWidth.of(Self.timing($0, now: model.now)) }.max() ?? 0
        let authorWidth = min(24, items.map { DisplayWidth.of($0.createdBy) }.max() ?? 0)
        for (row, silence) in items.dropFirst(top).prefix(body.height).enumerated() {
            let y = body.y + row
            let clip = Rect(x: body.x, y: y, width: body.width, height: 1)
            let role: StyleRole = silence.state == .expired ? .dim : (silence.state == .pending ? .alertPending : .text)
            let state = TextLayout.pad(silence.state.rawValue, to: 8)
            var x = canvas.put(state, x: body.x, y: y, style: Style(role, top + row == selected ? .reverse : []), clip: clip)
            x = canvas.put(" " + TextLayout.pad(Self.timing(silence, now: model.now), to: timingWidth), x: x, y: y, style: Style(.dim), clip: clip)
            x = canvas.put("  " + TextLayout.fit(silence.createdBy, to: authorWidth, ascii: ascii), x: x, y: y, style: Style(role), clip: clip)
            let rest = "  " + silence.matcherText + (silence.comment.isEmpty ? "" : "  " + silence.comment)
            canvas.put(TextLayout.truncate(rest, to: max(0, body.maxX - x), ascii: ascii), x: x, y: y, style: Style(role), clip: clip)
        }
    }
}
