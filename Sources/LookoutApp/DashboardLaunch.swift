import DashboardCore
import FoundationEssentials
import Glibc
import Logging
import PrometheusAPI
import SafeText
import TerminalCanvas

/// How the dashboard looks and paces itself, checked once: every field is valid, or `init` throws one line naming
/// the flag and what it expected.
public struct DisplaySettings: Sendable {
    public var refreshSeconds: TimeInterval
    public var rangeSeconds: TimeInterval
    /// A built-in theme's name or a theme file; nil picks by the environment (`NO_COLOR`, `COLORFGBG`).
    public var theme: String?
    public var noColor: Bool
    public var ascii: Bool
    public var logFile: String?
    /// `y`/`Y` may copy to the clipboard with OSC 52.
    public var clipboard = true
    /// `--read-only`: no silence is written.
    public var readOnly = false
    /// `--utc`: times in UTC rather than the local time zone.
    public var utc = false
    /// Clicks and the wheel (off with `--no-mouse`).
    public var mouse = true
    /// Refreshes ask only for the graphs' new steps (`--full-refresh` turns it off).
    public var incremental = true
    /// The window to open on (`--from`, `--to`): pinned in the past, or live.
    public var window: TimeWindow
    /// The dashboard variables' values to open with (`--var`); the others take their saved or first value.
    public var variables: [String: String] = [:]

    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(refresh: String, range: String, theme: String?, noColor: Bool, ascii: Bool, logFile: String?) throws(Invalid) {
        guard let r = ValueFormat.parseDuration(refresh), r >= 1, r <= 3600 else {
            throw Invalid(description: "bad --refresh '\(SafeText.clip(refresh, 40))': expected a duration from 1s to 1h, such as 5s or 15s")
        }
        guard let g = ValueFormat.parseDuration(range), g >= 60, g <= 366 * 86_400 else {
            throw Invalid(description: "bad --range '\(SafeText.clip(range, 40))': expected a duration from 1m to 366d, such as 15m, 1h or 7d")
        }
        refreshSeconds = r
        rangeSeconds = g
        window = TimeWindow(rangeSeconds: g)
        self.theme = theme
        self.noColor = noColor
        self.ascii = ascii
        self.logFile = logFile
        do {
            _ = try chosenTheme(environment: ProcessInfo.processInfo.environment)
        } catch {
            throw Invalid(description: error.message)
        }
    }

    /// The theme these settings choose in this environment.
    public func chosenTheme(environment: [String: String]) throws(ThemeError) -> Theme {
        do {
            return try Theme.select(requested: noColor ? "mono" : theme, environment: environment)
        } catch let error as ThemeError {
            throw error
        } catch {
            throw ThemeError(message: "\(error)")
        }
    }
}

/// Runs the interactive dashboard: logging, theme, the clients, the terminal, the run loop, and the shutdown that
/// always gives the terminal back and never waits long for a stuck connection.
public enum DashboardLaunch {
    /// Something the user must fix, with the exit code to leave with (2 when there is no terminal, 64 otherwise).
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
        public var exitCode: Int32
    }

    @MainActor
    public static func run(
        connection: ConnectionOptions, display: DisplaySettings, dashboard: Dashboard, alertmanagers: [ConnectionOptions] = [],
        context: LookoutConfig.Context? = nil, switcher: ContextSwitcher? = nil,
        terminal makeTerminal: @MainActor () throws -> any Terminal, localeIsUTF8: @MainActor () -> Bool,
        onSignalsHeard: (@MainActor () -> Void)? = nil
    ) async throws(Failure) {
        let environment = ProcessInfo.processInfo.environment
        let logger: Logger
        if let path = display.logFile {
            do {
                logger = Logger(label: "lookout", factory: try FileLogHandler.open(path: path))
            } catch {
                throw Failure(description: (error as? LogFileError)?.message ?? "\(error)", exitCode: 64)
            }
        } else {
            logger = Logger(label: "lookout", factory: { _ in SwiftLogNoOpLogHandler() })
        }
        var theme: Theme
        do {
            theme = try display.chosenTheme(environment: environment)
        } catch {
            throw Failure(description: error.message, exitCode: 64)
        }
        let client: PrometheusClient
        let alertmanager: AlertmanagerCluster?
        do {
            client = try PrometheusClient(options: connection)
            do {
                alertmanager = try await AlertmanagerCluster.make(alertmanagers)
            } catch {
                await client.shutdown()
                throw error
            }
        } catch {
            throw Failure(description: (error as? ConfigurationError)?.message ?? "\(error)", exitCode: 64)
        }
        let terminal: any Terminal
        do {
            terminal = try makeTerminal()
        } catch {
            await client.shutdown()
            await alertmanager?.shutdown()
            throw Failure(description: "\(error)", exitCode: 2)
        }
        // Asked once the terminal is open: opening it sets the locale from the environment.
        let ascii = display.ascii || !localeIsUTF8()
        if terminal.colorDepth == .mono, display.theme == nil { theme = (try? Theme.named("mono")) ?? theme }
        var themes = Theme.shippedNames
        if !themes.contains(theme.name) { themes.insert(theme.name, at: 0) }
        let app = DashboardApp(
            terminal: terminal, client: client, dashboard: dashboard, theme: theme, themes: themes,
            rangeSeconds: display.window.rangeSeconds, refreshSeconds: display.refreshSeconds,
            options: RenderOptions(ascii: ascii), logger: logger, alertmanager: alertmanager,
            history: HistoryFile(path: HistoryFile.path(environment: environment)), clipboard: display.clipboard,
            silences: SilenceSettings(readOnly: display.readOnly, author: AuthorFile(environment: environment)),
            utc: display.utc, pinnedEnd: display.window.pinnedEnd, context: context, switcher: switcher,
            incremental: display.incremental, variables: display.variables)
        app.onSignalsHeard = onSignalsHeard
        await app.run()
        terminal.restore()
        let (lastClient, lastAlertmanager) = app.clients
        await shutdown(lastClient, lastAlertmanager)
    }

    /// The server's client and the Alertmanagers' shut down, none waited for long.
    static func shutdown(_ client: PrometheusClient, _ alertmanager: AlertmanagerCluster?) async {
        await shutdown(client, within: .seconds(2))
        for member in alertmanager?.members ?? [] { await shutdown(member, within: .seconds(1)) }
    }

    /// Shuts the client down, but waits no longer than `limit`: a request stuck on a half-open connection must not
    /// keep the user from getting their shell back.
    static func shutdown(_ client: PrometheusClient, within limit: Duration) async {
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
}

extension AlertmanagerCluster {
    /// The cluster of these members, or nil when there are none (every client shut down again if one fails).
    public static func make(
        _ options: [ConnectionOptions],
        makeClient: (ConnectionOptions) throws -> PrometheusClient = { try PrometheusClient(options: $0) }
    ) async throws -> AlertmanagerCluster? {
        guard !options.isEmpty else { return nil }
        var members: [PrometheusClient] = []
        for option in options {
            do {
                members.append(try makeClient(option))
            } catch {
                for member in members { await member.shutdown() }
                throw error
            }
        }
        return AlertmanagerCluster(members: members)
    }
}
