import DashboardCore
import FoundationEssentials
import Glibc
import PrometheusAPI
import PrometheusModels
import SafeText

/// Reads what the pipeline's checks need, all at once: the rules, the Alertmanagers Prometheus sends to, its own
/// `/metrics` and `runtimeinfo`, its scrape jobs and targets, and each Alertmanager member's status and `/metrics`.
/// Each part that fails is kept as its failure (its check says `unknown`).
public enum PipelineProbe {
    static func attempt<T: Sendable>(_ url: String, _ body: () async throws -> T) async -> Result<T, PrometheusError> {
        do {
            return .success(try await body())
        } catch let error as PrometheusError {
            return .failure(error)
        } catch {
            return .failure(.transport(url: url, reason: SafeText.clip("\(error)", InputLimits.messageCharacters)))
        }
    }

    /// The health panel of a dashboard whose expected series the probe counts.
    public static func healthPanel(_ dashboard: Dashboard) -> (panel: String, expr: String)? {
        dashboard.panels.first(where: \.isHealth).flatMap { panel in panel.expectedSeries.map { (SafeText.clip(panel.title, 80), $0) } }
    }

    public static func read(
        _ client: PrometheusClient, alertmanager: AlertmanagerCluster?, now: Date, health: (panel: String, expr: String)? = nil
    ) async -> PipelineReading {
        async let counted: Result<Int, PrometheusError>? = {
            guard let health else { return nil }
            return await attempt(client.url(for: "/api/v1/query")) {
                switch try await client.query("count(\(health.expr))", at: now).data {
                case .vector(let samples): return Int(saturating: samples.first?.value.value ?? 0)
                default: return 0
                }
            }
        }()
        async let rules = attempt(client.url(for: "/api/v1/rules")) { try await client.rules().data }
        async let discovery = attempt(client.url(for: "/api/v1/alertmanagers")) { try await client.alertmanagerDiscovery().data }
        async let metrics = attempt(client.url(for: "/metrics")) { try await client.ownMetrics().samples }
        async let runtime = attempt(client.url(for: "/api/v1/status/runtimeinfo")) { try await client.runtimeInfo().data }
        async let jobs = attempt(client.url(for: "/api/v1/status/config")) { try await client.scrapeJobs() }
        async let targets = attempt(client.url(for: "/api/v1/targets")) { try await client.targets().data }
        var members: [PipelineReading.Member] = []
        for member in alertmanager?.members ?? [] {
            async let status = attempt(member.url(for: "/api/v2/status")) { try await member.alertmanagerStatus() }
            async let memberMetrics = attempt(member.url(for: "/metrics")) { try await member.ownMetrics().samples }
            members.append(PipelineReading.Member(url: member.options.baseURL.absoluteString, status: await status, metrics: await memberMetrics))
        }
        let series = await counted
        return PipelineReading(
            at: now, rules: await rules, discovery: await discovery, metrics: await metrics, runtime: await runtime,
            jobs: await jobs, targets: await targets, alertmanagers: members,
            health: health.flatMap { h in series.map { PipelineReading.HealthQuery(panel: h.panel, expr: SafeText.clip(SafeText.sanitize(h.expr), 200), series: $0) } })
    }
}
