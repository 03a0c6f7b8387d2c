import Foundation
import PrometheusAPI
import Testing
import TestSupport

@testable import MockPrometheus

/// Debian's real Prometheus holds the mock's last three minutes (written with `promtool tsdb create-blocks-from
/// openmetrics` from the world's samples, not scraped and waited for) and scrapes its `/metrics`; its error ratios
/// and p95 latencies agree with the mock's own evaluator over the same window.
@Suite("A real Prometheus scraping the mock", .timeLimit(.minutes(3)))
struct ScrapeComparisonTests {
    static let ratio = #"sum by (service) (rate(http_requests_total{status_code=~"5.."}[1m])) / sum by (service) (rate(http_requests_total[1m]))"#
    static let dashboardRatio = #"sum by (service) (rate(http_requests_total{status_code=~"4..|5.."}[1m])) / sum by (service) (rate(http_requests_total[1m]))"#
    static let p95 = "histogram_quantile(0.95, sum by (service, le) (rate(http_request_duration_seconds_bucket[1m])))"

    func byService(_ result: QueryResult) -> [String: Double] {
        var out: [String: Double] = [:]
        for stream in result.streams {
            if let service = stream.metric["service"], let value = stream.values.last?.value { out[service] = value }
        }
        return out
    }

    @Test("error ratio and p95 per service agree within 5 %")
    func sameAnswers() async throws {
        var configuration = MockPrometheusServer.Configuration()
        configuration.seed = 7
        configuration.scenario = .incident
        try await withMockPrometheus(configuration) { mock in
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            // The newest sample time before now, and a time two seconds after it: both sides have it as the newest.
            let newest = World.gridFloor(now - 1_000)
            let at = Date(timeIntervalSince1970: Double(newest + 2_000) / 1000)
            var options = PrometheusHarness.Options()
            options.backfill = World(seed: configuration.seed, scenario: configuration.scenario).openMetrics(from: newest - 180_000, through: newest)
            options.withExporter = false
            options.withAlertmanager = false
            options.scrapeConfigs = """
                scrape_configs:
                - job_name: mock
                  honor_labels: true
                  static_configs: [{targets: ["127.0.0.1:\(mock.port)"]}]
                """
            try await withPrometheusHarness(options) { harness in
                let real = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(harness.prometheusURL))
                let ours = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(mock.baseURL))
                try await withPrometheusClient(real) { prometheus in
                    try await withPrometheusClient(ours) { client in
                        // Raw series: the values Prometheus scraped are the mock's samples.
                        let raw = #"http_requests_total{status_code="500"}"#
                        let scraped = byService(try await prometheus.query(raw, at: at).data)
                        let served = byService(try await client.query(raw, at: at).data)
                        #expect(Set(scraped.keys) == Set(World.serviceNames))
                        for (service, value) in served {
                            #expect(abs((scraped[service] ?? 0) - value) <= 1e-9 * value, "\(service): \(scraped[service] ?? 0) vs \(value)")
                        }

                        for (name, query) in [("5xx ratio", Self.ratio), ("error ratio", Self.dashboardRatio), ("p95", Self.p95)] {
                            let theirs = byService(try await prometheus.query(query, at: at).data)
                            let mine = byService(try await client.query(query, at: at).data)
                            #expect(Set(mine.keys) == Set(World.serviceNames), "\(name)")
                            #expect(Set(theirs.keys) == Set(mine.keys), "\(name)")
                            for (service, value) in mine {
                                let other = theirs[service] ?? .nan
                                #expect(abs(other - value) <= 0.05 * abs(value), "\(name) of \(service): Prometheus \(other), mock \(value)")
                            }
                        }
                        // The incident is visible through the real Prometheus as well.
                        let errors = byService(try await prometheus.query(Self.ratio, at: at).data)
                        #expect((errors["payment-service"] ?? 0) > 0.05)
                        let latency = byService(try await prometheus.query(Self.p95, at: at).data)
                        #expect((latency["inventory-service"] ?? 0) > 1)
                    }
                }
            }
        }
    }
}
