import Foundation
import PrometheusAPI
import Testing
import TestSupport

@testable import MockPrometheus

/// Debian's real Prometheus scrapes the mock's `/metrics` every second for about a minute; its error ratios and
/// p95 latencies agree with the mock's own evaluator over the same window.
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
            var options = PrometheusHarness.Options()
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
                        try await PrometheusHarness.eventually(60, "the first scrapes") {
                            try await prometheus.query(#"up{job="microservices"}"#).data.streams.count == 4
                        }
                        // About a minute of scrapes, so that [1m] windows are full: every service has a sample
                        // more than a minute old.
                        try await PrometheusHarness.eventually(90, "a minute of scrapes") {
                            try await prometheus.query(#"up{job="microservices"} offset 62s"#).data.streams.count == 4
                        }
                        // Two seconds after a sample time: both sides have that sample as the newest.
                        let now = Int64(Date().timeIntervalSince1970 * 1000)
                        let t = World.gridFloor(now - 3_000) + 2_000
                        let at = Date(timeIntervalSince1970: Double(t) / 1000)

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
