import TerminalCanvas

/// What a command asks the app to do.
public enum CommandAction: Sendable {
    case push(any Screen)
    /// Back to the dashboard, closing every screen over it.
    case popToRoot
    /// Back to the dashboard, and do this with it.
    case dashboard(DashboardAction)
    case help
    case quit
}

/// One command of the `:` line: its name (and other names), its help, and what it does with the rest of the line.
public struct Command: Sendable {
    public var names: [String]
    public var usage: String
    public var help: String
    public var run: @Sendable (_ argument: String, _ context: ScreenContext) -> CommandAction

    public init(_ names: [String], usage: String, help: String, run: @escaping @Sendable (String, ScreenContext) -> CommandAction) {
        self.names = names
        self.usage = usage
        self.help = help
        self.run = run
    }
}

/// The commands of the `:` line, as a table like the key tables: the help overlay lists them, Tab completes their
/// names. Adding a command is adding a line here.
public enum Commands {
    public static let table: [Command] = [
        Command(["explore", "e"], usage: ":explore [PROMQL]", help: "ad-hoc PromQL with completion") { argument, _ in
            .push(ExploreScreen(query: argument, run: !argument.isEmpty))
        },
        Command(["alerts", "a"], usage: ":alerts", help: "the alert list") { _, _ in .push(AlertListScreen()) },
        Command(["history", "hist"], usage: ":history", help: "what was pending or firing in the last 12 hours, silences included") { _, _ in .push(HistoryScreen()) },
        Command(["health", "pipeline"], usage: ":health", help: "is the alerting pipeline working: every check, its reason and evidence") { _, _ in .push(HealthScreen()) },
        Command(["rules"], usage: ":rules", help: "every rule group and rule, failing ones with their error") { _, _ in .push(RulesScreen()) },
        Command(["silences", "sil"], usage: ":silences", help: "Alertmanager's silences: x expires, e extends") { _, _ in .push(SilenceListScreen()) },
        Command(["targets", "t"], usage: ":targets", help: "scrape targets by pool, down first, with their last error") { _, _ in .push(TargetListScreen()) },
        Command(["ctx", "context", "contexts"], usage: ":ctx", help: "the config file's contexts: Enter switches") { _, _ in .push(ContextListScreen()) },
        Command(["dashboard", "d"], usage: ":dashboard [NAME]", help: "back to the dashboard, or to a built-in one: microservices, operations") { argument, _ in
            argument.isEmpty ? .popToRoot : .dashboard(.showDashboard(argument))
        },
        Command(["help", "h"], usage: ":help", help: "the keys and commands") { _, _ in .help },
        Command(["quit", "q"], usage: ":q", help: "quit") { _, _ in .quit },
    ]

    /// The command a line names, and the rest of the line; nil with an answer for the user when there is none.
    public static func parse(_ line: String) -> Result<(Command, String), CommandError> {
        let trimmed = line.drop { $0 == " " || $0 == ":" }
        let name = String(trimmed.prefix { $0 != " " })
        let argument = String(trimmed.dropFirst(name.count).drop { $0 == " " })
        guard !name.isEmpty else { return .failure(CommandError(message: "type a command: \(table.map { $0.names[0] }.joined(separator: ", "))")) }
        guard let command = table.first(where: { $0.names.contains(name) }) else {
            return .failure(CommandError(message: "unknown command '\(name)' (commands: \(table.map { $0.names[0] }.joined(separator: ", ")))"))
        }
        return .success((command, argument))
    }

    /// Names that complete `prefix` (the first word of the line).
    public static func completions(_ prefix: String) -> [String] {
        table.map { $0.names[0] }.filter { $0.hasPrefix(prefix) }
    }

    public static var help: KeyHelp.Section {
        KeyHelp.Section(title: "Commands (:)", rows: table.map { ($0.usage, $0.help) })
    }
}

public struct CommandError: Error, Sendable, Equatable {
    public var message: String
}
