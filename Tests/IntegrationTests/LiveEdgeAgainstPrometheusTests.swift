import Foundation
import LookoutApp
import PrometheusAPI
import Testing
import TestSupport

extension AgainstOnePrometheus {
    /// The live window reaches now at every range (issue "hostile input, third round"): at 24 h (a step of about
    /// 26 minutes) and 7 d (about three hours) the graphs' range ends on the step grid, long before now, and a
    /// Prometheus that has run for seconds has no point there at all; the rows still show the present.
    @Suite("Long ranges reach now against a real Prometheus", .timeLimit(.minutes(2)))
    struct LiveEdgeTests {
        @Test("the request rates' last points are the present", arguments: [86_400.0, 604_800.0])
        func rowsShowThePresent(_ range: TimeInterval) async throws {
            try await withSharedPrometheus { harness in
                let url = harness.prometheusURL
                try await withPrometheusClient(ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(url))) { client in
                    try await PrometheusHarness.eventually(30, "rates of all four services") {
                        try await client.query("sum(rate(http_requests_total[5m])) by (service)").data.streams.count == 4
                    }
                }
                try await Self.drive(url: url, range: range)
            }
        }

        @MainActor static func drive(url: String, range: TimeInterval) async throws {
            try await withDashboardApp(url: url, width: 160, height: 45, rangeSeconds: range) { app, terminal in
                try await waitUntil(terminal, "four request rates whose last point is the present") {
                    let series = app.state.panels[1].data?.series ?? []
                    let now = Date().timeIntervalSince1970
                    return series.count >= 4 && series.allSatisfy { ($0.points.last?.timestamp ?? 0) > now - 30 }
                }
                let text = terminal.screen.joined(separator: "\n")
                for service in TestExporter.services { #expect(text.contains(service.name)) }
                #expect(!text.contains("no data"), "\(text)")
            }
        }
    }
}
