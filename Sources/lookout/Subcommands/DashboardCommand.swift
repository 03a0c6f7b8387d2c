import ArgumentParser
import DashboardCore
import Foundation
import Logging
import LookoutApp
import NcursesTerminal
import PrometheusAPI
import TerminalCanvas

/// `lookout [--url URL] …` (or `lookout watch …`): the interactive dashboard, the default command. (`dashboard` is
/// kept free for the dashboard-file commands: print, export, import.)
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "The interactive dashboard (the default command).",
        discussion: """
            Keys: q quit, r refresh, p pause, + / - range, Enter or 1-9 zoom (Esc back), Tab focus, a alerts, t theme,
            / filter, ? help. If the server cannot be reached the dashboard stays open and retries (5 s, doubling to
            60 s); data that stops arriving is marked stale with its age.
            Exit codes: 0 on quit (q, Ctrl-C, SIGTERM, SIGHUP); 2 when there is no terminal; 64 bad flags.
            """
    )

    @OptionGroup var connection: ConnectionFlags
    @OptionGroup var display: DisplayFlags

    @Option(help: ArgumentHelp("A dashboard YAML file instead of the built-in one (see 'lookout dashboard print').", valueName: "file"))
    var dashboard: String?

    func validate() throws {
        try display.check()
        _ = try DashboardChoice.load(dashboard)
    }

    func run() async throws {
        let options = try connection.resolve()
        try await runDashboard(
            connection: options, display: display, dashboard: try DashboardChoice.load(dashboard),
            alertmanager: try connection.resolveAlertmanager(options))
    }
}

/// Flags of the dashboard's look and pace.
struct DisplayFlags: ParsableArguments {
    @Option(help: ArgumentHelp("Colour theme: default, light, mono, high-contrast, solarized-dark, or a YAML file.", valueName: "name|file"))
    var theme: String?

    @Option(help: ArgumentHelp("Time between refreshes (at least 1s).", valueName: "duration"))
    var refresh = "15s"

    @Option(help: ArgumentHelp("Time range of the graphs: 5m, 15m, 30m, 1h, 3h, 6h, 12h, 24h, 7d.", valueName: "duration"))
    var range = "1h"

    @Flag(help: "ASCII only (also chosen when the locale is not UTF-8).")
    var ascii = false

    @Flag(help: "No colours (the mono theme); NO_COLOR does the same.")
    var noColor = false

    @Option(help: ArgumentHelp("Append logs to this file (nothing is logged otherwise).", valueName: "file"))
    var logFile: String?

    var refreshSeconds: TimeInterval { ValueFormat.parseDuration(refresh) ?? 15 }
    var rangeSeconds: TimeInterval { ValueFormat.parseDuration(range) ?? 3600 }

    func check() throws {
        guard let r = ValueFormat.parseDuration(refresh), r >= 1, r <= 3600 else {
            throw ValidationError("bad --refresh '\(refresh)': expected a duration from 1s to 1h, such as 5s or 15s")
        }
        guard let g = ValueFormat.parseDuration(range), g >= 60, g <= 366 * 86_400 else {
            throw ValidationError("bad --range '\(range)': expected a duration from 1m to 366d, such as 15m, 1h or 7d")
        }
        do {
            _ = try Theme.select(requested: noColor ? "mono" : theme, environment: ProcessInfo.processInfo.environment)
        } catch let error as ThemeError {
            throw ValidationError(error.message)
        }
    }
}

/// Opens the terminal, runs the dashboard, and always gives the terminal back.
@MainActor
func runDashboard(
    connection: ConnectionOptions, display: DisplayFlags, dashboard: Dashboard, alertmanager: ConnectionOptions? = nil
) async throws {
    var logger = Logger(label: "lookout")
    if let path = display.logFile {
        let factory: @Sendable (String) -> any LogHandler
        do {
            factory = try FileLogHandler.open(path: path)
        } catch let error as LogFileError {
            throw ValidationError(error.message)
        }
        logger = Logger(label: "lookout", factory: factory)
    } else {
        logger = Logger(label: "lookout", factory: { _ in SwiftLogNoOpLogHandler() })
    }
    let environment = ProcessInfo.processInfo.environment
    var theme: Theme
    do {
        theme = try Theme.select(requested: display.noColor ? "mono" : display.theme, environment: environment)
    } catch let error as ThemeError {
        throw ValidationError(error.message)
    }
    let client: PrometheusClient
    do {
        client = try PrometheusClient(options: connection)
    } catch let error as ConfigurationError {
        throw ValidationError(error.message)
    }
    let alertmanagerClient: PrometheusClient?
    do {
        alertmanagerClient = try alertmanager.map { try PrometheusClient(options: $0) }
    } catch let error as ConfigurationError {
        await client.shutdown()
        throw ValidationError(error.message)
    }
    let screen: NcursesScreen
    do {
        screen = try NcursesScreen()
    } catch let error as NcursesScreen.NoTerminal {
        await client.shutdown()
        await alertmanagerClient?.shutdown()
        throw CommandError(description: error.description, exitCode: 2)
    }
    if screen.colorDepth == .mono, display.theme == nil { theme = (try? Theme.named("mono")) ?? theme }
    let ascii = display.ascii || !NcursesScreen.localeIsUTF8
    var themes = Theme.shippedNames
    if !themes.contains(theme.name) { themes.insert(theme.name, at: 0) }
    let app = DashboardApp(
        terminal: screen, client: client, dashboard: dashboard, theme: theme, themes: themes,
        rangeSeconds: display.rangeSeconds, refreshSeconds: display.refreshSeconds,
        options: RenderOptions(ascii: ascii), logger: logger, alertmanager: alertmanagerClient)
    await app.run()
    screen.restore()
    await shutdown(client, within: .seconds(2))
    if let alertmanagerClient { await shutdown(alertmanagerClient, within: .seconds(1)) }
}

/// Shuts the client down, but waits no longer than `limit`: a request stuck on a half-open connection must not keep
/// the user from getting their shell back.
func shutdown(_ client: PrometheusClient, within limit: Duration) async {
    let (stream, continuation) = AsyncStream.makeStream(of: Void.self)
    Task.detached {
        await client.shutdown()
        continuation.finish()
    }
    Task.detached {
        try? await Task.sleep(for: limit)
        continuation.finish()
    }
    for await _ in stream {}
}
