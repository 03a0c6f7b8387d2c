import DashboardCore
import FoundationEssentials
import Glibc
import PrometheusModels
import SafeText
import TerminalCanvas

/// Ad-hoc PromQL: a one-line editor with completion from the server, history, and the result of the last query
/// as a chart, a legend and a table of the values at the end of the range.
public struct ExploreScreen: Screen {
    public static let id = "explore"
    public var id: String { Self.id }

    public enum Focus: Sendable, Equatable { case editor, results }

    /// The completion popup: the context it completes, its choices, the selected one; `waiting` while the server's
    /// names are on their way.
    public struct Popup: Sendable, Equatable {
        public var context: CompletionContext
        public var choices: [String]
        public var selected = 0
        public var waiting = false
    }

    /// A query's result, kept on screen until the next one succeeds.
    public struct Outcome: Sendable, Equatable {
        public var query: String
        public var result: QueryResult
        public var warnings: [String]
        public var rangeSeconds: TimeInterval
        public var end: Date
        /// The window was pinned in the past (not live): the chart's axis shows clock times.
        public var pinned = false
    }

    /// An error under the query: the message, and the column (in characters) of the caret when the server gave one.
    public struct Problem: Sendable, Equatable {
        public var message: String
        public var caret: Int?
    }

    public var editor: LineEditor
    public var focus: Focus = .editor
    public var popup: Popup?
    public var outcome: Outcome?
    public var problem: Problem?
    public var running: Int?
    public var sortByValue = false
    /// Series (by their own labels) toggled off the chart with their digit; kept while the query stays the same.
    public var hidden: Set<String> = []
    public var tableScroll = 0
    /// Where ↑/↓ are in the history (nil: at the line being typed).
    var historyIndex: Int?
    var runOnStart: Bool
    var nextRequest = 1
    /// What each request in flight is for.
    var pending: [Int: Pending] = [:]
    /// Names from the server, kept a minute.
    var cache: [NamesKey: (names: [String], at: Date)] = [:]

    enum Pending: Sendable, Equatable { case query(String, Window), names(NamesKey) }
    /// The window a query was asked over: its range, and its end when pinned (nil: live, ending at the answer).
    struct Window: Sendable, Equatable {
        var rangeSeconds: TimeInterval
        var end: Date?
    }
    enum NamesKey: Hashable, Sendable { case metrics, labels(metric: String?), values(label: String, metric: String?) }

    public static let cacheSeconds: TimeInterval = 60

    public init(query: String = "", run: Bool = false) {
        editor = LineEditor(query)
        runOnStart = run && !query.isEmpty
    }

    /// Explore over a panel's first query, with the dashboard's variables substituted, run at once.
    public static func of(panel index: Int, _ context: ScreenContext) -> ExploreScreen {
        let model = context.model
        let end = model.windowEnd
        let board = model.dashboard.substituting(model.variableValues, options: model.variableOptions)
            .withBuiltins(start: end.addingTimeInterval(-model.rangeSeconds), end: end, step: model.rangeSeconds / Double(max(1, model.queryPoints)))
        let query = board.panels.indices.contains(index) ? board.panels[index].targets.first?.expr ?? "" : ""
        return ExploreScreen(query: query.replacing("\n", with: " "), run: true)
    }

    enum Action: Sendable, Equatable { case run, complete, up, down, sort, edit, rerun, toggle }

    static let editorKeys = KeyTable<Action>([
        KeyBinding([.enter], "Enter", "run the query (or take the chosen completion)", .run),
        KeyBinding([.tab], "Tab", "complete: metrics, labels, values, functions, durations", .complete),
        KeyBinding([.up], "↑", "earlier query (or the completion above)", .up),
        KeyBinding([.down], "↓", "later query (or the completion below)", .down),
    ])
    static let resultKeys = KeyTable<Action>([
        KeyBinding([.enter, .char("e"), .char("i")], "Enter, e", "edit the query", .edit),
        KeyBinding([.char("o")], "o", "order the table by value / by labels", .sort),
        KeyBinding([.up, .down], "↑↓", "scroll the table", .down),
        KeyBinding([.char("r")], "r", "run the query again", .rerun),
        KeyBinding((1...9).map { .char(Character(String($0))) }, "1-9", "show or hide that series on the chart", .toggle),
    ])

    public var keyHelp: KeyHelp.Section {
        KeyHelp.Section(
            title: "Explore", rows: Self.editorKeys.help(nil).rows + [("←→ Home End", "move; Ctrl-A/E/W/U/K edit")] + Self.resultKeys.help(nil).rows)
    }

    public func title(_ context: ScreenContext) -> String { "Explore" }

    public mutating func start(context: ScreenContext) -> [ScreenEffect] {
        guard runOnStart else { return [] }
        runOnStart = false
        return run(context)
    }

    public mutating func paste(_ text: String) -> Bool {
        editor.insert(text)
        focus = .editor
        return true
    }

    public mutating func handle(_ key: Key, context: ScreenContext) -> [ScreenEffect]? {
        switch focus {
        case .editor: return handleEditor(key, context)
        case .results: return handleResults(key, context)
        }
    }

    mutating func handleEditor(_ key: Key, _ context: ScreenContext) -> [ScreenEffect]? {
        if key == .escape, popup != nil {
            popup = nil
            return []
        }
        if key == .ctrl("c") { return nil }
        switch Self.editorKeys.action(for: key) {
        case .run, .complete:
            // With the popup open, both take the chosen completion.
            if let popup, !popup.choices.isEmpty {
                accept(popup.choices[min(popup.selected, popup.choices.count - 1)], in: popup.context)
                self.popup = nil
                return []
            }
            return Self.editorKeys.action(for: key) == .run ? run(context) : complete(context)
        case .up, .down:
            let step = Self.editorKeys.action(for: key) == .up ? -1 : 1
            if var popup, !popup.choices.isEmpty {
                popup.selected = max(0, min(popup.choices.count - 1, popup.selected + step))
                self.popup = popup
                return []
            }
            walkHistory(step, context.history)
            return []
        default:
            break
        }
        guard editor.handle(key) else { return nil }
        historyIndex = nil
        // Typing narrows the open popup, from what is already known.
        if popup != nil { refreshPopup(context) }
        return []
    }

    mutating func handleResults(_ key: Key, _ context: ScreenContext) -> [ScreenEffect]? {
        switch Self.resultKeys.action(for: key) {
        case .edit: focus = .editor
        case .sort:
            sortByValue.toggle()
            tableScroll = 0
        case .down: tableScroll = max(0, tableScroll + (key == .up ? -1 : 1))
        case .rerun: return run(context)
        case .toggle:
            guard case .char(let c) = key, let n = c.wholeNumberValue, let outcome else { return [] }
            let charted = Self.charted(outcome)
            guard charted.indices.contains(n - 1) else { return [.notice("the chart has no series \(n)")] }
            let legend = charted[n - 1].legend
            if hidden.contains(legend) { hidden.remove(legend) } else { hidden.insert(legend) }
        default: return nil
        }
        return []
    }

    mutating func walkHistory(_ step: Int, _ history: [String]) {
        guard !history.isEmpty, !editor.edited || historyIndex != nil else { return }
        let current = historyIndex ?? history.count
        let next = current + step
        if next >= history.count {
            historyIndex = nil
            editor.set("")
        } else if next >= 0 {
            historyIndex = next
            editor.set(history[next])
        }
    }

    /// Runs the query over the dashboard's range, with a point per dot column of the chart.
    mutating func run(_ context: ScreenContext) -> [ScreenEffect] {
        let query = editor.string.trimmingSpaces()
        guard !query.isEmpty else {
            problem = Problem(message: "type a PromQL query, Tab completes", caret: nil)
            return []
        }
        popup = nil
        historyIndex = nil
        let id = nextRequest
        nextRequest += 1
        let window = Window(rangeSeconds: context.model.rangeSeconds, end: context.model.pinnedEnd)
        pending[id] = .query(query, window)
        running = id
        let points = max(30, min(1000, (context.model.columns - 12) * 2))
        return [.request(id: id, .rangeQuery(query, rangeSeconds: window.rangeSeconds, points: points, end: window.end)), .remember(query)]
    }

    /// The dashboard's window moved (`[`, `]`, `0`, the wheel): the result on screen is asked for again over the new
    /// one, unless a query is being edited.
    public mutating func windowChanged(context: ScreenContext) -> [ScreenEffect] {
        guard focus == .results, let outcome else { return [] }
        editor.set(outcome.query)
        return run(context).filter { if case .remember = $0 { false } else { true } }
    }

    // MARK: - Completion

    /// The names a context needs, and the request for them.
    static func key(for completion: CompletionContext) -> NamesKey? {
        switch completion {
        case .metricOrFunction: return .metrics
        case .labelName(let metric, _): return .labels(metric: metric)
        case .labelValue(let metric, let label, _): return .values(label: label, metric: metric)
        case .duration, .none: return nil
        }
    }

    static func request(for key: NamesKey) -> ScreenRequest {
        switch key {
        case .metrics: return .metricNames
        case .labels(let metric): return .labelNames(matching: metric)
        case .values(let label, let metric): return .labelValues(label, matching: metric)
        }
    }

    /// Every candidate for a context from what is known (nil: the server's names are needed and not cached).
    func candidates(_ completion: CompletionContext, now: Date) -> [String]? {
        switch completion {
        case .none: return []
        case .duration: return CompletionChoices.durations
        default:
            guard let key = Self.key(for: completion) else { return [] }
            guard let cached = cache[key], now.timeIntervalSince(cached.at) < Self.cacheSeconds else { return nil }
            if case .metricOrFunction = completion {
                return cached.names + PromQLNames.functions + PromQLNames.aggregations
            }
            return cached.names
        }
    }

    mutating func complete(_ context: ScreenContext) -> [ScreenEffect] {
        let completion = CompletionContext.at(editor.string, cursor: editor.cursor)
        if completion == .none {
            popup = nil
            return []
        }
        if let all = candidates(completion, now: context.model.now) {
            let choices = CompletionChoices.filter(all, prefix: completion.prefix)
            if choices.count == 1 {
                accept(choices[0], in: completion)
                popup = nil
            } else {
                popup = Popup(context: completion, choices: choices)
            }
            return []
        }
        guard let key = Self.key(for: completion) else { return [] }
        popup = Popup(context: completion, choices: [], waiting: true)
        let id = nextRequest
        nextRequest += 1
        pending[id] = .names(key)
        return [.request(id: id, Self.request(for: key))]
    }

    mutating func refreshPopup(_ context: ScreenContext) {
        let completion = CompletionContext.at(editor.string, cursor: editor.cursor)
        guard let all = candidates(completion, now: context.model.now), completion != .none else {
            if popup?.waiting != true { popup = nil }
            return
        }
        let choices = CompletionChoices.filter(all, prefix: completion.prefix)
        popup = choices.isEmpty ? nil : Popup(context: completion, choices: choices)
    }

    /// Puts a choice in place of the prefix: functions get their `(`, label values their closing quote.
    mutating func accept(_ choice: String, in completion: CompletionContext) {
        var text = choice
        if case .metricOrFunction = completion, PromQLNames.functions.contains(choice) || PromQLNames.aggregations.contains(choice) {
            text += "("
        }
        if case .labelValue = completion {
            text = choice.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
            let next = editor.cursor < editor.text.count ? editor.text[editor.cursor] : nil
            if next != "\"" { text += "\"" }
        }
        editor.replaceBeforeCursor(completion.prefix.count, with: text)
    }

    // MARK: - Answers

    public mutating func receive(_ response: ScreenResponse, id: Int, context: ScreenContext) -> [ScreenEffect] {
        guard let what = pending.removeValue(forKey: id) else { return [] }
        switch what {
        case .query(let query, let window):
            guard running == id else { return [] }
            running = nil
            switch response {
            case .result(let result, let warnings):
                if outcome?.query != query { hidden = [] }
                outcome = Outcome(
                    query: query, result: result, warnings: warnings, rangeSeconds: window.rangeSeconds,
                    end: window.end ?? context.model.now, pinned: window.end != nil)
                problem = nil
                focus = .results
                tableScroll = 0
            case .failure(let message):
                // A parse error reads best as Prometheus words it: `1:17: parse error: …`, the caret above it.
                let position = ParseErrorPosition(message: message)
                problem = Problem(message: position?.excerpt ?? message, caret: position?.characterIndex(in: query))
            case .names, .rules, .targets, .alertCount, .saved, .done, .history:
                problem = Problem(message: "unexpected answer to a query", caret: nil)
            }
        case .names(let key):
            switch response {
            case .names(let names):
                cache[key] = (names, context.model.now)
                if let popup, popup.waiting, Self.key(for: popup.context) == key {
                    // The answer arrived: its choices, or "no match" until the next key.
                    let completion = CompletionContext.at(editor.string, cursor: editor.cursor)
                    let all = candidates(completion, now: context.model.now) ?? []
                    let choices = CompletionChoices.filter(all, prefix: completion.prefix)
                    if choices.count == 1, completion == popup.context {
                        accept(choices[0], in: completion)
                        self.popup = nil
                    } else {
                        self.popup = Popup(context: completion, choices: choices)
                    }
                }
            case .failure(let message):
                if popup?.waiting == true { popup = nil }
                problem = Problem(message: "completion: " + message, caret: nil)
            case .result, .rules, .targets, .alertCount, .saved, .done, .history:
                break
            }
        }
        return []
    }

    /// The caret's column (in characters) for Prometheus' `line:column: parse error`.
    static func caret(in message: String, query: String) -> Int? {
        ParseErrorPosition(message: message)?.characterIndex(in: query)
    }
}
