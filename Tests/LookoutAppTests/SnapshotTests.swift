import DashboardCore
import Foundation
import LookoutApp
import PrometheusAPI
import Testing

@Suite("Snapshot report")
struct SnapshotTests {
    static let end = Date(timeIntervalSince1970: 1_795_615_999)

    static func stream(_ service: String, _ values: [Double], step: Double = 60) -> SeriesSummary {
        let start = end.timeIntervalSince1970 - Double(values.count - 1) * step
        return SeriesSummary(
            legend: service, labels: ["service": service],
            points: values.enumerated().map { SamplePair(timestamp: start + Double($0.offset) * step, value: $0.element) },
            thresholds: nil)
    }

    static func incident() -> Snapshot {
        let dashboard = Dashboard.microservices
        let range = QueryRange(last: 600, end: end, points: 10)
        var errorSeries = [stream("payment-service", [0.01, 0.02, 0.05, 0.09, 0.11, 0.114, 0.12, 0.11, 0.114, 0.114])]
        errorSeries[0].state = .critical
        let health = PanelData(services: [
            ServiceHealth(name: "payment-service", status: .down),
            ServiceHealth(name: "user-service", status: .up),
        ])
        let fresh = stream("order-service", [29, 30, 31])
        let stale = SeriesSummary(
            legend: fresh.legend, labels: fresh.labels,
            points: fresh.points.map { SamplePair(timestamp: $0.timestamp - 420, value: $0.value) }, thresholds: nil)
        let alerts = AlertItem.sorted([
            Alert(
                labels: ["alertname": "HighErrorRate", "severity": "critical", "service": "payment-service"],
                annotations: ["summary": "High error rate detected", "description": "payment-service has an error rate of 11.43%"],
                state: .firing, activeAt: end.addingTimeInterval(-720)),
            Alert(
                labels: ["alertname": "HighLatency", "severity": "warning", "service": "inventory-service"],
                annotations: ["summary": "High latency detected"], state: .firing, activeAt: end.addingTimeInterval(-540)),
            Alert(
                labels: ["alertname": "DeploymentReplicasMismatch", "severity": "warning", "deployment": "order-service"],
                annotations: ["summary": "Deployment replicas mismatch"], state: .pending, activeAt: end.addingTimeInterval(-30)),
        ])
        return Snapshot(
            dashboard: dashboard, server: "http://prometheus:9090", range: range, takenAt: end,
            panels: [
                .loaded(health),
                .loaded(PanelData(series: [stream("user-service", [40, 42, 44, 46, 48, 48.2, 47, 46, 48, 48.2]), stale])),
                .loaded(PanelData(series: errorSeries, warnings: ["partial response"])),
                .failed("Prometheus API error execution (HTTP 422): query timed out"),
            ],
            alerts: .success(alerts))
    }

    @Test func theTextReportShowsHealthSeriesAndAlertsCriticalFirst() {
        let expected = """
            Microservices Health Dashboard — http://prometheus:9090 — range 10m — 2026-11-25 14:13:19 UTC

            Service Health Status  (1/2 up)
              DOWN  payment-service
              UP    user-service

            Request Rate
              user-service   ▁▃▄▆██▇▆██  last 48.2 req/s  min 40.0 req/s  max 48.2 req/s
              order-service  ▁▅█         last 31.0 req/s  min 29.0 req/s  max 31.0 req/s  STALE (no data for 7m)

            Error Rate
              payment-service  ▁▂▄▆▇██▇██  last 11.4 %  min 1.0 %   max 12.0 %  CRIT
              warning: partial response

            Response Time (95th percentile)
              query failed: Prometheus API error execution (HTTP 422): query timed out

            Alerts: 1 critical, 1 warning firing, 1 pending
              CRIT  HighErrorRate               payment-service     12m  High error rate detected — payment-service has an error rate of 11.43%
              WARN  HighLatency                 inventory-service    9m  High latency detected
              pend  DeploymentReplicasMismatch  order-service       30s  Deployment replicas mismatch

            """
        let text = Self.incident().text(sparklineWidth: 10)
        #expect(text == expected)
        if text != expected {
            let a = text.split(separator: "\n", omittingEmptySubsequences: false)
            let b = expected.split(separator: "\n", omittingEmptySubsequences: false)
            for (i, (x, y)) in zip(a, b).enumerated() where x != y { Issue.record("line \(i): [\(x)] != [\(y)]") }
        }
    }

    @Test func exitCodeFollowsTheFiringAlerts() {
        var snapshot = Self.incident()
        #expect(snapshot.exitCode == 2)
        snapshot.alerts = .success([])
        #expect(snapshot.exitCode == 0)
        snapshot.alerts = .failure(AlertsUnavailable("cannot reach http://x/api/v1/alerts: connection refused"))
        #expect(snapshot.exitCode == 3)
        snapshot.alerts = .success([])
        snapshot.panels = snapshot.panels.map { _ in .failed("cannot reach") }
        #expect(snapshot.exitCode == 3)
        #expect(!snapshot.hasAnyData)
    }

    @Test func failOnCriticalAndRequireHealthyAreTheRunbooksGates() {
        var snapshot = Self.incident()
        let warningOnly = AlertItem.sorted([Alert(labels: ["alertname": "HighLatency", "severity": "warning"], state: .firing, activeAt: Self.end)])
        snapshot.alerts = .success(warningOnly)
        #expect(snapshot.exitCode == 1)
        snapshot.failOn = .critical
        #expect(snapshot.exitCode == 0, "warnings do not count")
        // Healthy is required: a service down, a series at CRIT and a panel that could not be read, named (one stale
        // series beside a current one is not named: churn).
        snapshot.requireHealthy = true
        #expect(snapshot.exitCode == 2)
        guard case .loaded(let rates) = snapshot.panels[1] else {
            Issue.record("the request rate panel of the incident has data")
            return
        }
        let stale = rates.series.filter { $0.legend == "order-service" }
        #expect(stale.count == 1)
        #expect(snapshot.unhealthy == [
            "Service Health Status: payment-service DOWN",
            "Error Rate: payment-service CRIT at 11.4 %",
            "Response Time (95th percentile): not read (Prometheus API error execution (HTTP 422): query timed out)",
        ])
        let fresh = PanelData(series: [Self.stream("user-service", [1, 2, 3])])
        snapshot.panels = [.loaded(PanelData(services: [ServiceHealth(name: "user-service", status: .up)])), .loaded(fresh), .loaded(fresh), .loaded(fresh)]
        #expect(snapshot.unhealthy.isEmpty && snapshot.exitCode == 0)
        // A panel without data, or with stale data only, cannot show that anything is healthy.
        snapshot.panels[2] = .loaded(PanelData())
        #expect(snapshot.unhealthy == ["Error Rate: no data"] && snapshot.exitCode == 2)
        snapshot.panels[2] = .loaded(PanelData(series: stale))
        #expect(snapshot.unhealthy == ["Error Rate: no current data (stale 7m)"] && snapshot.exitCode == 2)
        // Named by the newest data it has: 7 minutes, not 12.
        var older = stale[0]
        older.legend = "user-service"
        older.lastTimestamp = older.lastTimestamp.map { $0 - 300 }
        snapshot.panels[2] = .loaded(PanelData(series: [older] + stale))
        #expect(snapshot.unhealthy == ["Error Rate: no current data (stale 7m)"])
    }

    @Test func asciiSparklines() {
        let text = Self.incident().text(sparklineWidth: 10, ascii: true)
        #expect(text.contains("user-service   _-~+##*+##  last 48.2 req/s"))
        // ASCII only, every line: the separators of the header, an alert's summary, a label in another script.
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "\(text.split(separator: "\n").filter { !$0.unicodeScalars.allSatisfy(\.isASCII) })")
        #expect(text.contains("Microservices Health Dashboard - "))
        #expect(!Self.incident().text(sparklineWidth: 10).unicodeScalars.allSatisfy { $0.isASCII }, "without --ascii, the report keeps its symbols")
    }

    @Test func theJSONReportCarriesValuesNaNAndAlerts() throws {
        var snapshot = Self.incident()
        snapshot.panels[1] = .loaded(PanelData(series: [Self.stream("user-service", [1, .nan])]))
        let json = try snapshot.json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["exitCode"] as? Int == 2)
        #expect(object["dashboard"] as? String == "Microservices Health Dashboard")
        let panels = try #require(object["panels"] as? [[String: Any]])
        #expect(panels.count == 4)
        let services = try #require(panels[0]["services"] as? [[String: Any]])
        #expect(services.first?["name"] as? String == "payment-service")
        let series = try #require((panels[1]["series"] as? [[String: Any]])?.first)
        #expect(series["last"] as? String == "NaN")
        #expect((series["points"] as? [[Any]])?.last?.last as? String == "NaN")
        #expect(panels[3]["error"] as? String == "Prometheus API error execution (HTTP 422): query timed out")
        let alerts = try #require(object["alerts"] as? [[String: Any]])
        #expect(alerts.map { $0["name"] as? String } == ["HighErrorRate", "HighLatency", "DeploymentReplicasMismatch"])
        #expect(alerts.first?["activeAt"] as? String == "2026-11-25T14:01:19.000Z")
    }
}

@Suite("Connection settings from flags and environment")
struct ConnectionSettingsTests {
    @Test func theURLFallsBackFromFlagToLookoutURLToPrometheusURLToTheDefault() throws {
        var settings = ConnectionSettings()
        #expect(try settings.resolve(environment: [:]).baseURL.absoluteString == "http://localhost:9090")
        #expect(try settings.resolve(environment: ["PROMETHEUS_URL": "http://p:9090"]).baseURL.absoluteString == "http://p:9090")
        #expect(try settings.resolve(environment: ["PROMETHEUS_URL": "http://p:9090", "LOOKOUT_URL": "http://l:9090"])
            .baseURL.absoluteString == "http://l:9090")
        settings.url = "https://flag/prometheus"
        #expect(try settings.resolve(environment: ["LOOKOUT_URL": "http://l:9090"]).baseURL.absoluteString == "https://flag/prometheus")
    }

    @Test func aBadURLNamesWhereItCameFrom() {
        let settings = ConnectionSettings()
        #expect(throws: ConfigurationError("bad URL 'ftp://x': the scheme must be http or https (from LOOKOUT_URL)")) {
            try settings.resolve(environment: ["LOOKOUT_URL": "ftp://x"])
        }
    }

    @Test func authenticationNeedsOneCompleteSource() throws {
        var settings = ConnectionSettings()
        settings.bearerTokenEnv = "TOKEN"
        #expect(try settings.resolve(environment: ["TOKEN": "abc"]).authorization == .bearer(token: "abc"))
        settings.basicAuthUser = "oncall"
        #expect(throws: ConfigurationError.self) { try settings.resolve(environment: ["TOKEN": "abc"]) }
        settings.bearerTokenEnv = nil
        #expect(throws: ConfigurationError("--basic-auth-user needs --basic-auth-password-file or --basic-auth-password-env")) {
            try settings.resolve(environment: [:])
        }
        settings.basicAuthPasswordEnv = "PW"
        #expect(try settings.resolve(environment: ["PW": "pw"]).authorization == .basic(username: "oncall", password: "pw"))
        settings.basicAuthPasswordFile = "/tmp/pw"
        #expect(throws: ConfigurationError.self) { try settings.resolve(environment: ["PW": "pw"]) }
    }

    @Test func headersTimeoutAndProxyAreTakenIn() throws {
        var settings = ConnectionSettings()
        settings.headers = ["X-Scope-OrgID: team-a"]
        settings.timeout = "2.5s"
        let options = try settings.resolve(environment: ["HTTP_PROXY": "proxy:3128"])
        #expect(options.headers == [HeaderField(name: "X-Scope-OrgID", value: "team-a")])
        #expect(options.timeout == .milliseconds(2500))
        #expect(options.proxy == ProxySetting(host: "proxy", port: 3128))
        settings.timeout = "soon"
        #expect(throws: ConfigurationError("bad --timeout 'soon': expected a duration such as 10s or 1m (at most 1h)")) {
            try settings.resolve(environment: [:])
        }
    }
}
