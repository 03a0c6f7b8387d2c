import ArgumentParser
import DashboardCore
import FoundationEssentials
import Glibc
import SafeText
import LookoutApp
import PrometheusAPI
import PrometheusModels

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the alerting pipeline alone, one line per check: rules, Prometheus → Alertmanager, Prometheus, each Alertmanager, the dead man's switch, targets.",
        discussion: """
            Exit codes: 0 every check ok (or unknown: a server that does not say), 1 one is degraded, 2 one is \
            broken (a rule that fails, alerts that cannot reach an Alertmanager, a config reload that failed, a \
            Watchdog that does not fire), 3 the server could not be asked, 64 bad flags or settings.

            For cron and runbooks: lookout check --url http://prometheus:9090 --alertmanager-url http://alertmanager:9093
            """
    )

    enum Output: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var connection: ConnectionFlags

    @Option(help: "Output format: text (one line per check) or json.")
    var output: Output = .text

    @Option(help: ArgumentHelp("The dashboard whose health panel must select series: a built-in one (microservices, operations) or a dashboard YAML file.", valueName: "name|file"))
    var dashboard: String?

    func validate() throws {
        _ = try DashboardChoice.load(dashboard)
    }

    func run() async throws {
        let resolved = try connection.resolve()
        let board = try DashboardChoice.load(dashboard ?? resolved.context?.dashboard)
        let reading: PipelineReading
        do {
            reading = try await withPrometheusClient(resolved.options) { client in
                let alertmanager = try await AlertmanagerCluster.make(resolved.alertmanagers)
                let reading = await PipelineProbe.read(client, alertmanager: alertmanager, now: Date(), health: PipelineProbe.healthPanel(board))
                await alertmanager?.shutdown()
                return reading
            }
        } catch let error as ConfigurationError {
            throw ValidationError(error.message)
        }
        // Nothing answered at all: the server could not be asked.
        if case .failure(let error) = reading.rules, case .failure = reading.discovery, case .failure = reading.runtime, error.isConnectionFailure {
            throw CommandError(description: "the pipeline could not be checked: \(error.description)", exitCode: 3)
        }
        let checks = Pipeline.checks(reading, previous: nil, watchdogNames: resolved.context?.watchdog ?? [])
        switch output {
        case .text:
            for check in checks {
                print(TextLayout.pad(check.state.word.uppercased(), to: 9) + TextLayout.pad(check.area, to: 28) + " " + check.reason)
                if check.state >= .degraded { for line in check.evidence { print("         " + line) } }
            }
        case .json:
            struct Report: Encodable { var checks: [PipelineCheck]; var exitCode: Int32 }
            print(try ReportJSON.encode(Report(checks: checks, exitCode: Pipeline.exitCode(checks))))
        }
        let code = Pipeline.exitCode(checks)
        if code != 0 { throw ExitCode(code) }
    }
}
