import DashboardCore
import Foundation
import LookoutApp
import PrometheusAPI
import PrometheusModels
import Testing
import TestSupport

/// Incremental refresh against Debian's real Prometheus: a series kept by asking only for new steps equals, point for
/// point, the whole window asked at the same instant.
@Suite("Incremental refresh against a real Prometheus", .timeLimit(.minutes(3)))
struct IncrementalRefreshAgainstPrometheusTests {
    /// Streams by their labels, each value as Prometheus writes it (so NaN equals NaN).
    static func normalized(_ result: QueryResult) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for stream in result.streams {
            let key = stream.metric.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            out[key] = stream.values.map { "\($0.timestamp) \(SampleValue.format($0.value))" }
        }
        return out
    }

    @Test("the three graphs of the dashboard, kept incrementally, equal a full fetch of the same window")
    func incrementalEqualsFull() async throws {
        var options = PrometheusHarness.Options()
        options.withAlertmanager = false
        try await withPrometheusHarness(options) { harness in
            let connection = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(harness.prometheusURL))
            try await withPrometheusClient(connection) { client in
                let exprs = Dashboard.microservices.panels.filter { $0.kind == .graph }.flatMap(\.targets).map(\.expr)
                #expect(exprs.count == 3)
                // Windows that end 5 s in the past: settled data, so a scrape landing between the two fetches of one
                // round cannot tell them apart. The live dashboard's window ends at now; its unsettled steps are asked again.
                func window() -> QueryRange { QueryRange.aligned(last: 60, now: Date().addingTimeInterval(-5), points: 60) }
                try await PrometheusHarness.eventually(60, "ten seconds of request rates") {
                    let answer = try await client.queryRange(exprs[0], range: window())
                    return answer.data.streams.contains { $0.values.count >= 10 }
                }
                let cache = RangeCache(fullEvery: 100, settleSeconds: 2)
                for expr in exprs { _ = try await cache.queryRange(expr, range: window(), using: client) }
                var compared = 0
                for _ in 0..<4 {
                    try await Task.sleep(for: .seconds(2))
                    let range = window()
                    for expr in exprs {
                        let incremental = try await cache.queryRange(expr, range: range, using: client)
                        let full = try await client.queryRange(expr, range: range)
                        let kept = Self.normalized(incremental.data)
                        #expect(kept == Self.normalized(full.data), "\(expr) at \(range.end)")
                        #expect(!kept.isEmpty)
                        compared += kept.values.reduce(0) { $0 + $1.count }
                    }
                }
                #expect(await cache.statistics == RangeCache.Statistics(full: 3, incremental: 12))
                #expect(compared > 100, "points compared: \(compared)")
            }
        }
    }
}
