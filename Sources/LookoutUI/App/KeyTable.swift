import TerminalCanvas

/// One line of a key table: the keys, how help names them, what help says, and the action.
public struct KeyBinding<Action: Sendable & Equatable>: Sendable, Equatable {
    public var keys: [Key]
    public var label: String
    public var help: String
    public var action: Action

    public init(_ keys: [Key], _ label: String? = nil, _ help: String, _ action: Action) {
        self.keys = keys
        self.label = label ?? keys.map(\.description).joined(separator: ", ")
        self.help = help
        self.action = action
    }
}

/// A table of keys: dispatch and help are read from the same lines, so they cannot disagree.
public struct KeyTable<Action: Sendable & Equatable>: Sendable {
    public var bindings: [KeyBinding<Action>]

    public init(_ bindings: [KeyBinding<Action>]) {
        self.bindings = bindings
    }

    public func action(for key: Key) -> Action? {
        bindings.first { $0.keys.contains(key) }?.action
    }

    public func help(_ title: String?) -> KeyHelp.Section {
        KeyHelp.Section(title: title, rows: bindings.map { ($0.label, $0.help) })
    }
}

/// What the keys that work on every screen do.
public enum GlobalAction: Sendable, Equatable {
    case quit, help, filter, command, back
    case dashboard(DashboardAction)
}

public enum GlobalKeys {
    public static let table = KeyTable<GlobalAction>([
        KeyBinding([.char("q"), .ctrl("c")], "q, Ctrl-C", "quit", .quit),
        KeyBinding([.char("r")], "r", "refresh now", .dashboard(.refresh)),
        KeyBinding([.char("p"), .char(" ")], "p, space", "pause / resume refreshing", .dashboard(.togglePause)),
        KeyBinding([.char("+"), .char("=")], "+", "longer range (5m … 7d)", .dashboard(.widerRange)),
        KeyBinding([.char("-"), .char("_")], "-", "shorter range (around the centre when not live)", .dashboard(.narrowerRange)),
        KeyBinding([.char("[")], "[", "half a range back in time (pauses)", .dashboard(.panBack)),
        KeyBinding([.char("]")], "]", "half a range forward (live again at now)", .dashboard(.panForward)),
        KeyBinding([.char("0"), .end], "0, End", "live again", .dashboard(.live)),
        KeyBinding([.char("z")], "z", "times in UTC or local time", .dashboard(.toggleUTC)),
        KeyBinding([.char("o")], "o", "order the rows: worst first, by name, by value", .dashboard(.cycleOrder)),
        KeyBinding([.char("/")], "/", "filter series by text", .filter),
        KeyBinding([.char(":")], ":", "the command line (its commands are listed under Commands)", .command),
        KeyBinding([.char("s")], "s", "hide / show silenced and inhibited alerts", .dashboard(.toggleSuppressed)),
        KeyBinding([.char("t")], "t", "next colour theme", .dashboard(.cycleTheme)),
        KeyBinding([.char("D")], "D", "next dashboard: microservices, operations (backups, DR readiness)", .dashboard(.nextDashboard)),
        KeyBinding([.escape], "Esc", "back (closes help, the screen, then clears the filter)", .back),
        KeyBinding([.char("?"), .function(1)], "?, F1", "this help (↑↓ PgUp PgDn Home End scroll it)", .help),
    ])
}

/// Moving a selection in a list: ↑/k, ↓/j, PgUp, PgDn. Every list screen takes these bindings and this arithmetic.
public enum ListMove: Sendable, Equatable {
    case up, down, pageUp, pageDown

    /// The bindings, each wrapped in the screen's own action; `item` names what is selected ("alert").
    static func bindings<Action>(_ wrap: (ListMove) -> Action, item: String) -> [KeyBinding<Action>] {
        [
            KeyBinding([.up, .char("k")], "↑, k", "previous \(item)", wrap(.up)),
            KeyBinding([.down, .char("j")], "↓, j", "next \(item)", wrap(.down)),
            KeyBinding([.pageUp], "PgUp", "ten up", wrap(.pageUp)),
            KeyBinding([.pageDown], "PgDn", "ten down", wrap(.pageDown)),
        ]
    }

    /// The first row shown when `rows` rows show a list of `count` with `selected` selected: the selection kept in the
    /// middle, the list never scrolled past its end.
    static func firstShown(selected: Int, count: Int, rows: Int) -> Int {
        max(0, min(selected - rows / 2, count - rows))
    }

    /// The selection after this move in a list of `count`.
    func apply(to selected: Int, count: Int) -> Int {
        let last = max(0, count - 1)
        switch self {
        case .up: return max(0, min(last, selected - 1))
        case .down: return min(last, selected + 1)
        case .pageUp: return max(0, min(last, selected - 10))
        case .pageDown: return min(last, selected + 10)
        }
    }
}
