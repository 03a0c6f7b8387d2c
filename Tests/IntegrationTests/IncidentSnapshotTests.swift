import AsyncHTTPClient
import DashboardCore
import Foundation
import LookoutApp
import PrometheusAPI
import Testing
import TestSupport

extension AgainstOnePrometheus {
    /// `lookout snapshot` during an incident: the exporter's services, the target that is down and the seed's four
    /// alerts, read from the shared Prometheus (nothing here changes it).
    @Suite("Snapshot of an incident against a real Prometheus", .timeLimit(.minutes(3)))
    struct IncidentSnapshotTests {
        @Test("an incident shows every service, the down target, the values and all four alerts; exit code 2")
        func incidentSnapshot() async throws {
            let binary = try SnapshotAgainstPrometheusTests().lookoutBinary()
            try await withSharedPrometheus { harness in
                try await withPrometheusClient(try SnapshotAgainstPrometheusTests().options(harness.prometheusURL)) { client in
                    try await SnapshotAgainstPrometheusTests().waitForAllAlerts(client)
                    // Rates need two scrapes of every target.
                    try await PrometheusHarness.eventually(30, "rates of all four services") {
                        let r = try await client.query("sum(rate(http_requests_total[5m])) by (service)").data.streams
                        return r.count == 4
                    }

                    let snapshot = await Snapshot.take(client: client, dashboard: .microservices, rangeSeconds: 300)
                    #expect(snapshot.exitCode == 2)
                    guard case .loaded(let health) = snapshot.panels[0] else {
                        Issue.record("health panel failed: \(snapshot.panels[0])")
                        return
                    }
                    let services = Dictionary(health.services.map { ($0.name, $0.status) }, uniquingKeysWith: { first, _ in first })
                    for service in TestExporter.services { #expect(services[service.name] == .up, "\(service.name)") }
                    #expect(services[PrometheusHarness.downService] == .down)
                    #expect(health.services.first?.name == PrometheusHarness.downService, "down services come first")

                    func last(_ panel: Int, _ service: String) -> Double? {
                        guard case .loaded(let data) = snapshot.panels[panel] else { return nil }
                        return data.series.first { $0.legend == service }?.last
                    }
                    // rate(…[5m]) on a fresh Prometheus ramps up for five minutes: absolute rates start low and never
                    // exceed the exporter's, and their order is already the exporter's.
                    var previous = Double.infinity
                    for service in TestExporter.services {
                        let rate = try #require(last(1, service.name))
                        #expect(rate > 0 && rate <= service.requestsPerSecond * 1.1, "\(service.name) rate \(rate)")
                        #expect(rate < previous, "\(service.name) rate \(rate) should be below the previous service's")
                        previous = rate
                        let errors = try #require(last(2, service.name))
                        let expected = service.serverErrorRatio + service.clientErrorRatio
                        #expect(abs(errors - expected) < 0.005, "\(service.name) error ratio \(errors)")
                        let p95 = try #require(last(3, service.name))
                        #expect(abs(p95 - TestExporter.expectedP95(service)) < 0.05, "\(service.name) p95 \(p95)")
                    }
                    guard case .loaded(let errorPanel) = snapshot.panels[2],
                          case .loaded(let latencyPanel) = snapshot.panels[3]
                    else {
                        Issue.record("the error rate and latency panels did not load: \(snapshot.panels[2]), \(snapshot.panels[3])")
                        return
                    }
                    #expect(errorPanel.series.first { $0.legend == "payment-service" }?.state == .critical)
                    #expect(errorPanel.series.first { $0.legend == "user-service" }?.state == .ok)
                    #expect(latencyPanel.series.first { $0.legend == "inventory-service" }?.state == .critical)

                    let alerts = try snapshot.alerts.get()
                    #expect(Set(alerts.filter { $0.state == .firing }.map(\.name)) == SnapshotAgainstPrometheusTests.alertNames)
                    #expect(alerts.prefix(2).allSatisfy { $0.severity == .critical }, "critical first")
                    let highError = try #require(alerts.first { $0.name == "HighErrorRate" })
                    #expect(highError.subject == "payment-service")
                    #expect(highError.description.hasPrefix("payment-service has an error rate of 1"))

                    // The same through the command line, as a user runs it.
                    let result = try await runCommand(binary, ["snapshot", "--url", harness.prometheusURL, "--range", "5m"])
                    #expect(result.exitCode == 2, "stderr: \(result.stderr)")
                    let out = result.stdout
                    #expect(out.contains("Microservices Health Dashboard"))
                    for title in Dashboard.microservices.panels.map(\.title) { #expect(out.contains(title)) }
                    for service in TestExporter.services { #expect(out.contains("UP    \(service.name)")) }
                    #expect(out.contains("DOWN  \(PrometheusHarness.downService)"))
                    #expect(out.contains("Alerts: 2 critical, 2 warning firing"))
                    for name in SnapshotAgainstPrometheusTests.alertNames { #expect(out.contains(name)) }
                    #expect(out.range(of: #"payment-service +[▁▂▃▄▅▆▇█ ]+ +last 13\.\d %"#, options: .regularExpression) != nil, "\(out)")
                    #expect(out.range(of: #"CRIT +HighErrorRate"#, options: .regularExpression) != nil)

                    let json = try await runCommand(binary, ["snapshot", "--url", harness.prometheusURL, "--output", "json"])
                    #expect(json.exitCode == 2)
                    let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
                    #expect(decoded?["exitCode"] as? Int == 2)
                    #expect((decoded?["alerts"] as? [Any])?.count == 4)

                    // Prometheus delivered the alerts to the real Alertmanager.
                    try await PrometheusHarness.eventually(30, "Alertmanager to hold the four alerts") {
                        let response = try await HTTPClient.shared.execute(
                            HTTPClientRequest(url: harness.alertmanagerURL + "/api/v2/alerts"), timeout: .seconds(5))
                        let body = try await response.body.collect(upTo: 1 << 20)
                        let list = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [[String: Any]]
                        let names = (list ?? []).compactMap { ($0["labels"] as? [String: String])?["alertname"] }
                        return Set(names) == SnapshotAgainstPrometheusTests.alertNames
                    }
                }
            }
        }
    }
}
