import DashboardCore
import FoundationEssentials
import Glibc
import PrometheusAPI
import PrometheusModels
import SafeText

/// Reads a window's alert history from Prometheus: `ALERTS` and Prometheus' own heartbeat, every sample
/// (`AlertHistory.query`). For `:history` and `lookout report` alike.
public enum HistoryFetch {
    /// The streams of one selector over the window.
    static func streams(_ client: PrometheusClient, _ selector: String, from: Date, to: Date) async throws -> [SampleStream] {
        let result: QueryResult
        switch AlertHistory.query(selector, from: from, to: to) {
        case .raw(let expr, let at): result = try await client.query(expr, at: at).data
        case .stepped(let expr, let start, let end, let step): result = try await client.queryRange(expr, range: QueryRange(start: start, end: end, step: step)).data
        }
        switch result {
        case .matrix(let streams): return streams
        case .vector(let samples): return samples.map { SampleStream(metric: $0.metric, values: [$0.value]) }
        default: throw PrometheusError.transport(url: client.url(for: "/api/v1/query"), reason: "expected series for \(selector), got a scalar or a string")
        }
    }

    /// `ALERTS` over the window, and the heartbeat (nil when Prometheus has none over the window, or it cannot be
    /// read: an outage cannot be told from a quiet night then, which the screen and the report say).
    public static func fetch(_ client: PrometheusClient, from: Date, to: Date) async throws -> (alerts: [SampleStream], heartbeat: [SampleStream]?) {
        async let heartbeat = try? streams(client, AlertHistory.heartbeatSelector, from: from, to: to)
        let alerts = try await streams(client, AlertHistory.alertsSelector, from: from, to: to)
        let beat = await heartbeat
        return (alerts, beat?.isEmpty ?? true ? nil : beat)
    }
}
