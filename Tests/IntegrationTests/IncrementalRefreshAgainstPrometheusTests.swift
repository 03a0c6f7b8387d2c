import DashboardCore
import Foundation
import LookoutApp
@testable import MockPrometheus
import PrometheusAPI
import PrometheusModels
import Synchronization
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
        // Forty minutes of the mock world's history, written with promtool before Prometheus starts: windows in the
        // past whose data is all there at once (nothing scraped, nothing waited for) and settled.
        let world = World(seed: 11, scenario: .incident)
        let newest = World.gridFloor(Int64(Date().timeIntervalSince1970 * 1000) - 1_000)
        var options = PrometheusHarness.Options()
        options.backfill = world.openMetrics(from: newest - 2_400_000, through: newest)
        options.withExporter = false
        options.withAlertmanager = false
        options.scrapeConfigs = "scrape_configs: []"
        try await withPrometheusHarness(options) { harness in
            let connection = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(harness.prometheusURL))
            try await withPrometheusClient(connection) { client in
                let exprs = Dashboard.microservices.panels.filter { $0.kind == .graph }.flatMap(\.targets).map(\.expr)
                #expect(exprs.count == 3)
                // The dashboard's window (ten minutes, sixty points of 10 s), moved on by 20 s a round: two new
                // steps each time, as a refresh asks. The cache is asked a minute after each window's end, as the
                // live dashboard asks a window whose steps have settled.
                let first = Date(timeIntervalSince1970: Double(newest) / 1000).addingTimeInterval(-600)
                let asked = Mutex(first)
                let cache = RangeCache(fullEvery: 100, settleSeconds: 2, now: { asked.withLock { $0 }.addingTimeInterval(60) })
                func window(_ round: Int) -> QueryRange {
                    QueryRange.aligned(last: 600, now: first.addingTimeInterval(Double(round) * 20), points: 60)
                }
                for expr in exprs { _ = try await cache.queryRange(expr, range: window(0), using: client) }
                var compared = 0
                for round in 1...4 {
                    let range = window(round)
                    asked.withLock { $0 = range.end }
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
