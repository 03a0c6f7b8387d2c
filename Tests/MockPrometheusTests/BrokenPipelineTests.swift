import DashboardCore
import Foundation
import MockPrometheus
import PrometheusAPI
import PrometheusModels
import Testing
import TestSupport

/// The mock's broken-pipeline scenario, for the demo: a rule that fails, no Alertmanager, a Watchdog that does not fire.
@Suite("The mock's broken pipeline")
struct BrokenPipelineTests {
    static func checks(_ scenario: Scenario) async throws -> [PipelineCheck] {
        try await withMockPrometheus(APITests.configuration(scenario)) { server in
            let options = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(server.baseURL), timeout: .seconds(30))
            return try await withPrometheusClient(options) { client in
                func attempt<T: Sendable>(_ body: () async throws -> T) async -> Result<T, PrometheusError> {
                    do { return .success(try await body()) } catch let e as PrometheusError { return .failure(e) } catch { return .failure(.transport(url: "", reason: "\(error)")) }
                }
                let reading = PipelineReading(
                    at: APITests.now, rules: await attempt { try await client.rules().data },
                    discovery: await attempt { try await client.alertmanagerDiscovery().data },
                    metrics: await attempt { try await client.ownMetrics().samples }, runtime: await attempt { try await client.runtimeInfo().data })
                return Pipeline.checks(reading, previous: nil)
            }
        }
    }

    @Test func theBrokenPipelineIsBrokenThreeTimesAndTheIncidentIsNot() async throws {
        let broken = try await Self.checks(.brokenPipeline)
        func state(_ id: String, _ checks: [PipelineCheck]) -> PipelineState? { checks.first { $0.id == id }?.state }
        #expect(state("rules", broken) == .broken)
        #expect(broken.first { $0.id == "rules" }?.reason.contains("OrderErrorBudget: found duplicate series") == true)
        #expect(state("delivery", broken) == .broken)
        #expect(state("watchdog", broken) == .broken)
        #expect(Pipeline.exitCode(broken) == 2)
        // Elsewhere the mock does not pretend: what it does not serve is unknown, never ok, and nothing is broken.
        let incident = try await Self.checks(.incident)
        #expect(state("rules", incident) == .ok)
        #expect(state("delivery", incident) == .unknown)
        #expect(state("config", incident) == .unknown)
        #expect(Pipeline.exitCode(incident) == 0)
    }
}
