import ArgumentParser
import DashboardCore
import FoundationEssentials
import Glibc
import SafeText
import LookoutApp
import PrometheusAPI

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "A handover report of a window (the last 12 hours by default): what fired and when, what fires now, the silences, the targets down.",
        discussion: """
            Every alert that fired, by severity, with each firing's start, end (or still firing) and duration, from \
            Prometheus' ALERTS series, every sample of them: a blip of one evaluation is not lost. Then the alerts \
            that were pending and never fired, what fires now, the silences created, expired and ending within the \
            next 12 hours (with --alertmanager-url), the scrape targets down now, and where Prometheus itself was \
            down (what fired then is unknown). All times in UTC.

            Exit codes, as snapshot's: 0 nothing fires now, 1 warnings fire (not with --fail-on critical), 2 critical \
            alerts fire, 3 the server could not be queried, 64 bad flags or settings.

            For a ticket or a chat: lookout report --since 12h --output markdown
            """
    )

    enum Output: String, ExpressibleByArgument, CaseIterable { case text, markdown, json }

    @OptionGroup var connection: ConnectionFlags

    @Option(help: ArgumentHelp("How far back the report goes: a duration from 1m to 30d, such as 8h, 12h or 1d.", valueName: "duration"))
    var since = "12h"

    @OptionGroup var windowFlags: WindowFlags

    @Option(help: "Output format: text, markdown (for a ticket or a chat) or json.")
    var output: Output = .text

    func validate() throws {
        guard let seconds = ValueFormat.parseDuration(since), seconds >= 60, seconds <= 30 * 86_400 else {
            throw ValidationError("bad --since '\(SafeText.clip(since, 40))': expected a duration from 1m to 30d, such as 8h, 12h or 1d")
        }
    }

    func run() async throws {
        let resolved = try connection.resolve()
        let now = Date()
        let window = try windowFlags.window(seconds: ValueFormat.parseDuration(since) ?? 43_200, now: now)
        let end = window.end(now: now)
        var report: HandoverReport
        do {
            report = try await withPrometheusClient(resolved.options) { client in
                let alertmanager = try await AlertmanagerCluster.make(resolved.alertmanagers)
                do {
                    let report = try await HandoverReport.take(
                        client: client, alertmanager: alertmanager, from: end.addingTimeInterval(-window.rangeSeconds), to: end, now: now)
                    await alertmanager?.shutdown()
                    return report
                } catch {
                    await alertmanager?.shutdown()
                    throw error
                }
            }
        } catch let error as ConfigurationError {
            throw ValidationError(error.message)
        } catch let error as PrometheusError {
            throw CommandError(description: "the alert history could not be read: \(error.description)", exitCode: Snapshot.ExitCode.unreachable)
        }
        report.failOn = windowFlags.failOn
        switch output {
        case .text: print(report.render(markdown: false), terminator: "")
        case .markdown: print(report.render(markdown: true), terminator: "")
        case .json: print(try report.json(), terminator: "")
        }
        if case .failure(let error) = report.firingNow { StandardError.write("alerts: " + error.description) }
        let code = report.exitCode
        if code != 0 { throw ExitCode(code) }
    }
}
