import ArgumentParser
import DashboardCore
import FoundationEssentials
import Glibc
import SafeText
import LookoutApp
import MockPrometheus
import PrometheusAPI

/// `lookout demo`: the dashboard against the embedded mock Prometheus, started in-process on a free loopback port.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The dashboard against the embedded mock Prometheus (no server needed; scenario incident by default).",
        discussion: """
            Starts the mock on a free port of 127.0.0.1 and opens the dashboard on it; quitting stops both.

            Scenarios:
              calm          nothing fires
              incident      payment errors, slow inventory, a crash-looping pod,
                            a missing replica
              outage        a service down
              flapping      alerts that go pending, fire and resolve
              backup-stale  the nightly backup last succeeded 30 h ago and its job failed
                            (try it with --dashboard operations)
            """
    )

    @Option(help: ArgumentHelp("What the demo world goes through: calm, incident, outage, flapping or backup-stale.", valueName: "name"))
    var scenario: Scenario = .incident

    @Option(help: ArgumentHelp("A built-in dashboard (microservices, operations) or a dashboard file.", valueName: "name|file"))
    var dashboard: String?

    @Option(help: ArgumentHelp("Seed of the synthetic data.", valueName: "n"))
    var seed: UInt64 = 1

    @OptionGroup var display: DisplayFlags

    func validate() throws {
        _ = try display.settings(defaults: LookoutConfig.Defaults())
        _ = try DashboardChoice.load(dashboard)
    }

    func run() async throws {
        var configuration = MockPrometheusServer.Configuration()
        configuration.warmUp = true
        configuration.port = 0
        configuration.seed = seed
        configuration.scenario = scenario
        let server: MockPrometheusServer
        do {
            server = try await MockPrometheusServer.start(configuration)
        } catch {
            throw CommandError(description: "cannot start the mock Prometheus: \(error)", exitCode: 1)
        }
        let options = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(server.baseURL))
        do {
            try await runDashboard(connection: options, display: try display.settings(defaults: LookoutConfig.Defaults()), dashboard: try DashboardChoice.load(dashboard))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
