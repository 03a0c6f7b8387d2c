import ArgumentParser
import DashboardCore
import FoundationEssentials
import Glibc
import SafeText
import Logging
import LookoutApp
import NcursesTerminal
import PrometheusAPI
import TerminalCanvas

/// `lookout [--url URL] …` (or `lookout watch …`): the interactive dashboard, the default command. (`dashboard` is
/// kept free for the dashboard-file commands: print, export, import.)
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "The interactive dashboard (the default command).",
        discussion: """
            Keys: q quit, r refresh, p pause, + / - range, [ / ] back / forward in time, 0 or End live, z UTC or \
            local time, Enter or 1-9 zoom (1-9 then hide or show series, i inspect, l log axis; Esc back), Tab focus, \
            o row order, e explore the focused panel's query, a alerts (Enter: why one fires, S: silence it, g: the \
            dashboard at its start), T scrape targets (also Enter on the health panel with a service down), D next \
            dashboard (microservices, operations), : commands (:explore, :alerts, :silences, :targets, :ctx, \
            :dashboard [NAME], :help, :q), t theme, / filter, ? or F1 help; the mouse clicks, double-clicks and \
            scrolls (--no-mouse).

            If the server cannot be reached the dashboard stays open and retries (5 s, doubling to 60 s); data that \
            stops arriving is marked stale with its age.

            Exit codes: 0 on quit (q, Ctrl-C, SIGTERM, SIGHUP); 2 when there is no terminal; 64 bad flags.
            """
    )

    @OptionGroup var connection: ConnectionFlags
    @OptionGroup var display: DisplayFlags

    @Option(help: ArgumentHelp("A built-in dashboard (microservices, operations) or a dashboard YAML file (see 'lookout dashboard print').", valueName: "name|file"))
    var dashboard: String?

    func validate() throws {
        _ = try display.settings(defaults: LookoutConfig.Defaults())
        _ = try DashboardChoice.load(dashboard)
    }

    func run() async throws {
        let resolved = try connection.resolve()
        var settings = try display.settings(defaults: resolved.config?.defaults ?? LookoutConfig.Defaults())
        settings.readOnly = settings.readOnly || resolved.context?.readOnly == true
        let switcher = resolved.config.flatMap { config in
            config.contexts.isEmpty ? nil : ContextSwitcher(
                config: config, flags: connection.settings, dashboardFlag: dashboard, readOnlyFlag: display.readOnly,
                environment: ProcessInfo.processInfo.environment)
        }
        try await runDashboard(
            connection: resolved.options, display: settings, dashboard: try DashboardChoice.load(dashboard ?? resolved.context?.dashboard),
            alertmanagers: resolved.alertmanagers, context: resolved.context, switcher: switcher)
    }
}

/// Flags of the dashboard's look and pace; `settings()` checks them once (LookoutApp's `DisplaySettings`).
struct DisplayFlags: ParsableArguments {
    @Option(help: ArgumentHelp("Colour theme: default, light, mono, high-contrast, solarized-dark, or a YAML file.", valueName: "name|file"))
    var theme: String?

    @Option(help: ArgumentHelp("Time between refreshes (at least 1s; default: the config's, else 15s).", valueName: "duration"))
    var refresh: String?

    @Option(help: ArgumentHelp("Time range of the graphs: a duration from 1m to 366d, such as 15m, 1h, 1d or 7d (default: the config's, else 1h); + and - step through 5m 15m 30m 1h 3h 6h 12h 1d 7d.", valueName: "duration"))
    var range: String?

    @Flag(help: "ASCII only (also chosen when the locale is not UTF-8).")
    var ascii = false

    @Flag(help: "No colours (the mono theme); NO_COLOR does the same.")
    var noColor = false

    @Option(help: ArgumentHelp("Append logs to this file (nothing is logged otherwise).", valueName: "file"))
    var logFile: String?

    @Flag(help: "Never write to the clipboard (y and Y in the alert detail copy with OSC 52 otherwise).")
    var noClipboard = false

    @Flag(help: "Never write to Alertmanager: no silence is created, expired or extended (S, x and e say so).")
    var readOnly = false

    @Flag(help: "Times in UTC (local time otherwise; z switches).")
    var utc = false

    @Flag(help: "Leave the mouse to the terminal (clicks and the wheel are lookout's otherwise; the keyboard does everything).")
    var noMouse = false

    @Flag(help: "Ask for the graphs' whole range on every refresh (by default a refresh asks only for the steps that are new or not yet settled).")
    var fullRefresh = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Start of the window: RFC 3339, or a time ago such as -3h (with --to, the range is the difference).", valueName: "time"))
    var from: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("End of the window: RFC 3339, now, or a time ago such as -1h; a past end opens paused (0: live).", valueName: "time"))
    var to: String?

    @Option(name: .customLong("var"), help: VariableFlags.help)
    var vars: [String] = []

    /// The settings of these flags over the config's defaults (theme, refresh, range, utc, mouse).
    func settings(defaults: LookoutConfig.Defaults) throws -> DisplaySettings {
        do {
            var settings = try DisplaySettings(
                refresh: refresh ?? defaults.refresh ?? "15s", range: range ?? defaults.range ?? "1h", theme: theme ?? defaults.theme,
                noColor: noColor, ascii: ascii, logFile: logFile)
            settings.clipboard = !noClipboard
            settings.readOnly = readOnly
            settings.incremental = !fullRefresh
            settings.utc = utc || defaults.utc == true
            settings.mouse = !noMouse && defaults.mouse != false
            settings.window = try TimeWindow.from(from, to: to, range: settings.rangeSeconds, now: Date()).get()
            settings.variables = try VariableFlags.parse(vars)
            return settings
        } catch let error as DisplaySettings.Invalid {
            throw ValidationError(error.description)
        } catch let error as TimeWindowError {
            throw ValidationError(error.description)
        }
    }
}

/// The dashboard on this terminal (ncurses), with LookoutApp doing the rest.
@MainActor
func runDashboard(
    connection: ConnectionOptions, display: DisplaySettings, dashboard: Dashboard, alertmanagers: [ConnectionOptions] = [],
    context: LookoutConfig.Context? = nil, switcher: ContextSwitcher? = nil
) async throws {
    do {
        try await DashboardLaunch.run(
            connection: connection, display: display, dashboard: dashboard, alertmanagers: alertmanagers, context: context, switcher: switcher,
            terminal: { try NcursesScreen(mouse: display.mouse) }, localeIsUTF8: { NcursesScreen.localeIsUTF8 },
            onSignalsHeard: { QuitWatchdog.arm() })
    } catch {
        if error.exitCode == 64 { throw ValidationError(error.description) }
        throw CommandError(description: error.description, exitCode: error.exitCode)
    }
}
