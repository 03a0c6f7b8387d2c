import DashboardCore
import FoundationEssentials
import Glibc
import PrometheusModels
import SafeText
import TerminalCanvas

/// A new silence for an alert (`S`): matchers prefilled from its labels, a duration (1h), a comment (required) and
/// the author. It opens in the comment field, so the fastest silence is `S`, a comment, Enter. Before saving it
/// shows how many alerts the matchers select; an error from Alertmanager is one line, and what was typed stays.
public struct SilenceFormScreen: Screen {
    public static let id = "silence"
    public var id: String { Self.id }

    /// One matcher: its label name, its value (editable), `=~` and `!=`.
    public struct MatcherField: Sendable, Equatable {
        public var name: String
        public var value: LineEditor
        public var isRegex = false
        public var isEqual = true

        public var matcher: SilenceMatcher {
            SilenceMatcher(name: name, value: value.string, isRegex: isRegex, isEqual: isEqual)
        }
    }

    public enum Field: Sendable, Equatable { case comment, duration, author, matcher(Int) }

    public var alertName: String
    public var matchers: [MatcherField]
    public var duration: LineEditor
    public var comment: LineEditor
    public var author: LineEditor
    public var focus: Field = .comment
    /// How many alerts the matchers select now (and how many of those fire unsilenced), once Alertmanager said.
    public var selected: (all: Int, active: Int)?
    /// Why the alerts it selects could not be counted (an invalid regex, Alertmanager unreachable), until the
    /// matchers change.
    public var countFailure: String?
    /// The last answer's or the form's own problem, one line.
    public var problem: String?
    /// A save is in flight.
    public var saving = false
    /// The id of the latest count request: older answers are dropped.
    var countRequest = 100

    public static let presets = ["15m", "1h", "4h", "1d"]
    public static let longest: TimeInterval = 365 * 86_400

    public init(alert: AlertItem, author: String) {
        alertName = alert.name
        matchers = Silencing.matchers(for: alert).map { MatcherField(name: $0.name, value: LineEditor($0.value)) }
        duration = LineEditor("1h")
        comment = LineEditor()
        self.author = LineEditor(author)
    }

    /// `S` on an alert: the form, or why silences cannot be written here.
    public static func open(for alert: AlertItem, _ context: ScreenContext) -> ScreenEffect {
        if let refusal = context.model.silences.writeRefusal { return .notice(refusal) }
        return .push(SilenceFormScreen(alert: alert, author: context.model.silences.author))
    }

    public func title(_ context: ScreenContext) -> String { "Silence \(alertName)" }

    public var keyHelp: KeyHelp.Section {
        KeyHelp.Section(title: "Silence", rows: [
            ("Enter", "save the silence"), ("Tab, Shift-Tab", "next, previous field"), ("↑↓", "previous, next field (duration: 15m 1h 4h 1d)"),
            ("Ctrl-R", "matcher: regex on or off"), ("Ctrl-N", "matcher: equal or not equal"), ("Ctrl-X", "remove the matcher"),
            ("Esc", "cancel"),
        ])
    }

    /// The fields in Tab order.
    var order: [Field] { [.comment, .duration, .author] + matchers.indices.map { .matcher($0) } }

    mutating func move(_ by: Int) {
        let fields = order
        let index = fields.firstIndex(of: focus) ?? 0
        focus = fields[(index + by + fields.count) % fields.count]
    }

    /// The silence's length, or why the duration cannot be used.
    public var seconds: Result<TimeInterval, FormProblem> {
        guard let value = ValueFormat.parseDuration(duration.string) else {
            return .failure(FormProblem("duration '\(SafeText.clip(duration.string, 20))' is not a duration such as 30m, 1h, 4h or 1d"))
        }
        guard value >= 60, value <= Self.longest else { return .failure(FormProblem("duration: between 1m and 365d")) }
        return .success(value)
    }

    /// The silence to save, or the first thing that keeps it from being saved.
    public func draft(now: Date) -> Result<SilenceDraft, FormProblem> {
        let text = comment.string.trimmingSpaces()
        guard !text.isEmpty else { return .failure(FormProblem("a comment is required: say why, for whoever looks next")) }
        let who = author.string.trimmingSpaces()
        guard !who.isEmpty else { return .failure(FormProblem("an author is required")) }
        guard !matchers.isEmpty else { return .failure(FormProblem("a silence needs at least one matcher")) }
        if let empty = matchers.first(where: { $0.value.string.isEmpty && $0.isEqual && !$0.isRegex }) {
            return .failure(FormProblem("matcher \(SafeText.sanitize(empty.name)) has no value: type one or remove it (Ctrl-X)"))
        }
        switch seconds {
        case .failure(let problem): return .failure(problem)
        case .success(let length):
            return .success(SilenceDraft(
                matchers: matchers.map(\.matcher), startsAt: now, endsAt: now.addingTimeInterval(length), createdBy: who, comment: text))
        }
    }

    public mutating func start(context: ScreenContext) -> [ScreenEffect] { countEffects() }

    /// Asks how many alerts the matchers select now.
    mutating func countEffects() -> [ScreenEffect] {
        countRequest += 1
        selected = nil
        countFailure = nil
        return [.request(id: countRequest, .alertsMatching(matchers.map(\.matcher)))]
    }

    public mutating func handle(_ key: Key, context: ScreenContext) -> [ScreenEffect]? {
        // A key clears the last problem, unless a save is still in flight.
        if !saving { problem = nil }
        switch key {
        case .escape: return [.pop]
        case .ctrl("c"): return nil
        case .tab:
            move(1)
            return []
        case .backTab:
            move(-1)
            return []
        // ↑/↓ move between fields too, except in the duration, where they step through the presets.
        case .down where focus != .duration:
            move(1)
            return []
        case .up where focus != .duration:
            move(-1)
            return []
        case .up, .down:
            // The duration steps through the presets: ↑ longer, ↓ shorter; a typed one starts from 1h.
            let index = Self.presets.firstIndex(of: duration.string).map { $0 + (key == .up ? 1 : -1) } ?? 1
            duration.set(Self.presets[max(0, min(Self.presets.count - 1, index))])
            return []
        case .enter:
            guard !saving else { return [] }
            switch draft(now: context.model.now) {
            case .failure(let reason):
                problem = reason.message
                return []
            case .success(let draft):
                if let refusal = context.model.silences.writeRefusal {
                    problem = refusal
                    return []
                }
                saving = true
                return [.request(id: 1, .saveSilence(draft))]
            }
        default:
            break
        }
        switch focus {
        case .comment: return comment.handle(key) ? [] : swallow(key)
        case .duration: return duration.handle(key) ? [] : swallow(key)
        case .author: return author.handle(key) ? [] : swallow(key)
        case .matcher(let i):
            guard matchers.indices.contains(i) else { return [] }
            switch key {
            case .ctrl("r"): matchers[i].isRegex.toggle()
            case .ctrl("n"): matchers[i].isEqual.toggle()
            case .ctrl("x"):
                guard matchers.count > 1 else {
                    problem = "a silence needs at least one matcher"
                    return []
                }
                matchers.remove(at: i)
                focus = .matcher(min(i, matchers.count - 1))
            default:
                guard matchers[i].value.handle(key) else { return swallow(key) }
            }
            return countEffects()
        }
    }

    /// Letters typed into a form are the form's: they never reach the global keys (`q` would quit).
    func swallow(_ key: Key) -> [ScreenEffect]? {
        if case .char = key { return [] }
        return nil
    }

    public mutating func paste(_ text: String) -> Bool {
        switch focus {
        case .comment: comment.insert(text)
        case .duration: duration.insert(text)
        case .author: author.insert(text)
        case .matcher(let i):
            guard matchers.indices.contains(i) else { return false }
            matchers[i].value.insert(text)
        }
        return true
    }

    public mutating func receive(_ response: ScreenResponse, id: Int, context: ScreenContext) -> [ScreenEffect] {
        switch (id, response) {
        case (1, .saved(let silenceID)):
            saving = false
            let length = (try? seconds.get()).map(ValueFormat.rangeLabel) ?? "?"
            let who = author.string.trimmingSpaces()
            return [
                .pop, .rememberAuthor(who), .dashboard(.refresh),
                .notice("silenced \(matchers.map { $0.matcher.text }.joined(separator: ", ")) for \(length) (silence \(SafeText.clip(silenceID, 40)))"),
            ]
        case (1, .failure(let message)):
            saving = false
            problem = "not saved: " + message
        case (countRequest, .alertCount(let all, let active)):
            selected = (all, active)
        case (countRequest, .failure(let message)):
            countFailure = message
        default:
            break
        }
        return []
    }
}

/// Why a form cannot be saved, in one line.
public struct FormProblem: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
