import Foundation
import LookoutApp
import LookoutUI
import PrometheusAPI
import TerminalCanvas
import Testing
import TestSupport

extension AgainstOnePrometheus {
    /// The alert detail against Debian's Prometheus with the seed's rules: the rule, the left side's data for the
    /// alert's labels, the threshold, and pending and firing times from `ALERTS`.
    @Suite("Alert detail against a real Prometheus", .timeLimit(.minutes(3)))
    struct AlertDetailAgainstPrometheusTests {
        @Test func highErrorRateIsExplained() async throws {
            try await withSharedPrometheus { harness in
                let url = harness.prometheusURL
                let options = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(url))
                try await withPrometheusClient(options) { client in
                    try await PrometheusHarness.eventually(30, "HighErrorRate to fire") {
                        try await client.alerts().data.contains { $0.labels["alertname"] == "HighErrorRate" && $0.state == .firing }
                    }
                }
                try await Self.drive(url: url)
            }
        }

        @MainActor static func drive(url: String) async throws {
            try await withDashboardApp(url: url, width: 120, height: 45, rangeSeconds: 300) { app, terminal in
                try await waitUntil(terminal, "the alerts") { app.state.alerts.items.contains { $0.name == "HighErrorRate" } }
                openDetail(of: "HighErrorRate", in: app)
                try await waitUntil(terminal, "the rule, the data and the history") {
                    let detail = app.app.top as? AlertDetailScreen
                    return detail?.left != nil && detail?.intervals?.isEmpty == false
                }
                let detail = try #require(app.app.top as? AlertDetailScreen)
                #expect(detail.rule?.rule.name == "HighErrorRate")
                #expect(detail.split?.right == .threshold(0.05), "the threshold line has the rule's value")
                let services = Set(detail.left?.compactMap { $0.metric["service"] } ?? [])
                #expect(services == ["payment-service"], "the left side for the alert's labels only: \(services)")
                #expect(detail.intervals?.contains { $0.state == .firing } == true, "firing, from ALERTS")
                let text = terminal.screen.joined(separator: "\n")
                #expect(text.contains("firing") && text.contains("fires when the left side > 5.0 % (the line); now "), "\(text)")
                #expect(text.contains("state "), "the state strip")
            }
        }
    }
}

/// Through Alertmanager an alert carries Prometheus' external labels (`cluster: lab`), which `ALERTS` series do not
/// (issue "hostile input, third round"): the detail's state strip still shows when it fired.
@Suite("Alert detail through Alertmanager with external labels", .timeLimit(.minutes(3)))
struct AlertDetailExternalLabelsTests {
    @Test func theStripShowsTheHistory() async throws {
        var options = PrometheusHarness.Options()
        options.externalLabels = ["cluster": "lab"]
        try await withPrometheusHarness(options) { harness in
            let am = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(harness.alertmanagerURL))
            try await withPrometheusClient(am) { alertmanager in
                try await PrometheusHarness.eventually(30, "HighErrorRate in Alertmanager with cluster=lab") {
                    try await alertmanager.alertmanagerAlerts().elements.contains { $0.labels["alertname"] == "HighErrorRate" && $0.labels["cluster"] == "lab" }
                }
            }
            try await Self.drive(url: harness.prometheusURL, alertmanagerURL: harness.alertmanagerURL)
        }
    }

    @MainActor static func drive(url: String, alertmanagerURL: String) async throws {
        try await withDashboardApp(url: url, alertmanagerURL: alertmanagerURL, width: 120, height: 45, rangeSeconds: 300) { app, terminal in
            try await waitUntil(terminal, "the alerts from Alertmanager") { app.state.alerts.items.contains { $0.name == "HighErrorRate" } }
            openDetail(of: "HighErrorRate", in: app)
            try await waitUntil(terminal, "the history from ALERTS") {
                (app.app.top as? AlertDetailScreen)?.intervals?.contains { $0.state == .firing } == true
            }
            let detail = try #require(app.app.top as? AlertDetailScreen)
            #expect(detail.alert.labels["cluster"] == "lab", "the alert came through Alertmanager")
        }
    }
}

/// The alert list (`a`), the cursor on the first alert named `name`, Enter: its detail.
@MainActor func openDetail(of name: String, in app: DashboardApp) {
    app.post(.key(.char("a")))
    let index = app.state.visibleAlerts.firstIndex { $0.name == name } ?? 0
    for _ in 0..<index { app.post(.key(.down)) }
    app.post(.key(.enter))
}
