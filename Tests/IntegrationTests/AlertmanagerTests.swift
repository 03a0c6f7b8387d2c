import DashboardCore
import Foundation
import LookoutApp
import PrometheusAPI
import Testing
import TestSupport

/// Alerts from Debian's real Alertmanager, with a silence created through its API.
@Suite("Alertmanager as the alert source", .timeLimit(.minutes(3)))
struct AlertmanagerTests {
    @Test("a silenced alert is shown as silenced and does not count as firing")
    func silencedAlert() async throws {
        guard let binary = Repository.builtProduct("lookout")?.path else { throw TestFailure("the lookout executable is not built") }
        try await withPrometheusHarness { harness in
            let am = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(harness.alertmanagerURL))
            try await withPrometheusClient(am) { alertmanager in
                try await PrometheusHarness.eventually(30, "Alertmanager to hold the four alerts") {
                    Set(try await alertmanager.alertmanagerAlerts().elements.compactMap { $0.labels["alertname"] }).count == 4
                }
                // A silence for HighLatency, through Alertmanager's own API.
                let now = Date()
                let silence: [String: Any] = [
                    "matchers": [["name": "alertname", "value": "HighLatency", "isRegex": false, "isEqual": true]],
                    "startsAt": RFC3339.format(now.addingTimeInterval(-60)), "endsAt": RFC3339.format(now.addingTimeInterval(3600)),
                    "createdBy": "lookout-tests", "comment": "testing silences",
                ]
                let status = try await HTTPGet.post(
                    harness.alertmanagerURL + "/api/v2/silences", json: try JSONSerialization.data(withJSONObject: silence))
                #expect(status == 200)
                try await PrometheusHarness.eventually(30, "the silence to apply") {
                    try await alertmanager.alertmanagerAlerts().elements.contains {
                        $0.labels["alertname"] == "HighLatency" && !$0.status.silencedBy.isEmpty
                    }
                }

                let items = AlertItem.arranged(try await alertmanager.alertmanagerAlerts().elements.map(AlertItem.init))
                let latency = try #require(items.first { $0.name == "HighLatency" })
                #expect(latency.suppression == .silenced)
                #expect(items.last?.name == "HighLatency", "suppressed alerts come last")
                let counts = AlertCounts(items)
                #expect(counts.critical == 2 && counts.warning == 1 && counts.suppressed == 1)

                let result = try await runCommand(binary, [
                    "snapshot", "--url", harness.prometheusURL, "--alertmanager-url", harness.alertmanagerURL,
                ])
                #expect(result.exitCode == 2, "\(result.stderr)")
                #expect(result.stdout.contains("Alerts: 2 critical, 1 warning firing, 1 silenced or inhibited"), "\(result.stdout)")
                #expect(result.stdout.range(of: #"sil +HighLatency +inventory-service"#, options: .regularExpression) != nil)
            }
        }
    }
}
