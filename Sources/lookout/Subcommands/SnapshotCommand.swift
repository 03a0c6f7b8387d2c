import ArgumentParser
import DashboardCore
import FoundationEssentials
import Glibc
import SafeText
import LookoutApp
import PrometheusAPI
import TerminalCanvas

struct SnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Query every panel and the alerts once and print a plain-text (or JSON) report, or the dashboard as a picture (SVG, HTML).",
        discussion: """
            Exit codes:
              0   nothing firing
              1   warning (or other non-critical) alerts firing
                  (not with --fail-on critical)
              2   critical alerts firing; with --require-healthy also a panel
                  at CRIT, a service not UP, or a panel that could not be read
                  or has no current data (each named on stderr)
              3   the server could not be queried
              64  bad flags or settings

            A runbook's gate after a restore: lookout snapshot --dashboard operations --require-healthy
            """
    )

    enum Output: String, ExpressibleByArgument, CaseIterable { case text, json, svg, html }

    @Option(help: ArgumentHelp("Size of an svg or html picture, in terminal cells.", valueName: "columns x rows"))
    var size = "160x45"

    @Option(help: ArgumentHelp("Colour theme of an svg or html picture: default, light, mono, high-contrast, solarized-dark, or a YAML file.", valueName: "name|file"))
    var theme: String?

    /// `--size` as columns and rows.
    var cells: (width: Int, height: Int)? {
        let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, (40...1000).contains(parts[0]), (10...500).contains(parts[1]) else { return nil }
        return (parts[0], parts[1])
    }

    @OptionGroup var connection: ConnectionFlags

    @Option(help: ArgumentHelp("Time range of the graphs: a duration from 1m to 366d, such as 15m, 1h, 1d or 7d.", valueName: "duration"))
    var range = "1h"

    @OptionGroup var windowFlags: WindowFlags

    @Option(name: .customLong("var"), help: VariableFlags.help)
    var vars: [String] = []

    @Option(help: "Output format: text, json, svg (a picture of the dashboard) or html (the picture in a page).")
    var output: Output = .text

    @Flag(help: "ASCII only: sparklines, separators and the server's text (a label in another script as ?).")
    var ascii = false

    @Option(help: ArgumentHelp("A built-in dashboard (microservices, operations) or a dashboard YAML file (see 'lookout dashboard print').", valueName: "name|file"))
    var dashboard: String?

    @Flag(help: "Exit 2 when any panel is at CRIT, any service is not UP or a panel cannot be read, even with no alert firing yet.")
    var requireHealthy = false

    func validate() throws {
        _ = try VariableFlags.parse(vars)
        guard let seconds = ValueFormat.parseDuration(range), seconds >= 60, seconds <= 366 * 86_400 else {
            throw ValidationError("bad --range '\(SafeText.clip(range, 40))': expected a duration from 1m to 366d, such as 15m, 1h or 7d")
        }
        _ = try DashboardChoice.load(dashboard)
        guard cells != nil else {
            throw ValidationError("bad --size '\(size)': expected columns x rows, such as 160x45 (40 to 1000 by 10 to 500)")
        }
        if let theme {
            do {
                _ = try Theme.named(theme)
            } catch {
                throw ValidationError("\(error)")
            }
        }
    }

    func run() async throws {
        let resolved = try connection.resolve()
        let options = resolved.options
        let alertmanagerOptions = resolved.alertmanagers
        let now = Date()
        let window = try windowFlags.window(seconds: ValueFormat.parseDuration(range) ?? 3600, now: now)
        let rangeSeconds = window.rangeSeconds
        let board = try DashboardChoice.load(dashboard ?? resolved.context?.dashboard)
        var snapshot: Snapshot
        do {
            snapshot = try await withPrometheusClient(options) { client in
                let alertmanager = try await AlertmanagerCluster.make(alertmanagerOptions)
                let snapshot = await Snapshot.take(
                    client: client, dashboard: board, rangeSeconds: rangeSeconds, now: now, end: window.pinnedEnd, alertmanager: alertmanager,
                    watchdog: resolved.context?.watchdog ?? [], variables: try VariableFlags.parse(vars))
                await alertmanager?.shutdown()
                return snapshot
            }
        } catch let error as ConfigurationError {
            throw ValidationError(error.message)
        }
        snapshot.failOn = windowFlags.failOn
        snapshot.requireHealthy = requireHealthy
        // Nothing could be read at all: one line that says why, not a report of four identical failures.
        if case .failure(let error) = snapshot.alerts, !snapshot.hasAnyData {
            throw CommandError(description: error.description, exitCode: Snapshot.ExitCode.unreachable)
        }
        switch output {
        case .text: print(snapshot.text(ascii: ascii), terminator: "")
        case .json: print(try snapshot.json(), terminator: "")
        case .svg, .html:
            let (width, height) = cells ?? (160, 45)
            let chosen: Theme
            do {
                chosen = try Theme.select(requested: theme, environment: [:])
            } catch {
                throw ValidationError("\(error)")
            }
            print(snapshot.picture(svg: output == .svg, width: width, height: height, theme: chosen), terminator: "")
        }
        if case .failure(let error) = snapshot.alerts {
            StandardError.write(error.description)
        }
        if requireHealthy {
            for line in snapshot.unhealthy { StandardError.write("not healthy: " + line) }
        }
        let code = snapshot.exitCode
        if code != 0 { throw ExitCode(code) }
    }
}

extension Snapshot.FailOn: ExpressibleByArgument {
}
