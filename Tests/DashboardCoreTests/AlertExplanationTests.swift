import DashboardCore
import Foundation
import PrometheusModels
import Testing

/// Matching an alert to its rule, the series behind it, and its pending and firing history.
@Suite("Alert explanation: rule, series, since when")
struct AlertExplanationTests {
    static let groups: [RuleGroup] = {
        let json = #"""
            [{"name":"microservices","file":"rules.yml","rules":[
              {"type":"recording","name":"HighErrorRate","query":"x","labels":{}},
              {"type":"alerting","name":"HighErrorRate","query":"a > 0.05","duration":300,"labels":{"severity":"warning"},"annotations":{},"alerts":[]},
              {"type":"alerting","name":"HighErrorRate","query":"a > 0.1","duration":300,"labels":{"severity":"critical"},"annotations":{},
               "alerts":[{"labels":{"alertname":"HighErrorRate","service":"payment-service","severity":"critical"},"annotations":{},"state":"firing","activeAt":"2026-11-26T01:00:00Z","value":"0.12"}]},
              {"type":"alerting","name":"Other","query":"up == 0","labels":{},"annotations":{},"alerts":[]}
            ]}]
            """#
        return (try? JSONDecoder().decode([RuleGroup].self, from: Data(json.utf8))) ?? []
    }()

    static func alert(_ labels: Labels, state: AlertState = .firing) -> AlertItem {
        AlertItem(Alert(labels: labels, state: state, activeAt: Date(timeIntervalSince1970: 1000)))
    }

    @Test func theRuleIsMatchedByNameAndLabelsAndTheOneListingTheAlertWins() throws {
        #expect(Self.groups.first?.rules.count == 4)
        let critical = Self.alert(["alertname": "HighErrorRate", "service": "payment-service", "severity": "critical"])
        #expect(AlertExplanation.rule(for: critical, in: Self.groups)?.rule.query == "a > 0.1")
        let warning = Self.alert(["alertname": "HighErrorRate", "service": "order-service", "severity": "warning"])
        #expect(AlertExplanation.rule(for: warning, in: Self.groups)?.rule.query == "a > 0.05")
        #expect(AlertExplanation.rule(for: Self.alert(["alertname": "Missing"]), in: Self.groups) == nil)
    }

    @Test func onlyTheAlertsSeriesAreKept() {
        let alert = Self.alert(["alertname": "A", "service": "payment-service", "severity": "critical"])
        let streams = [
            SampleStream(metric: ["service": "payment-service"], values: []),
            SampleStream(metric: ["service": "order-service"], values: []),
            SampleStream(metric: [:], values: []),
            SampleStream(metric: ["__name__": "x", "service": "payment-service", "pod": "p1"], values: []),
        ]
        #expect(AlertExplanation.series(streams, of: alert).map(\.metric) == [streams[0].metric, streams[2].metric, streams[3].metric])
    }

    @Test func theHistoryQueryAsksTheRuleAndKeepsThisAlertsSeries() {
        // Through Alertmanager the alert carries Prometheus' external labels, which ALERTS series do not.
        let alert = Self.alert(["alertname": "A\"x", "service": "payment", "cluster": "lab", "prometheus_replica": "p-0"])
        #expect(AlertExplanation.alertsQuery(alert) == #"ALERTS{alertname="A\"x"}"#)
        let streams = [
            SampleStream(metric: ["__name__": "ALERTS", "alertname": "A\"x", "alertstate": "firing", "service": "payment"], values: []),
            SampleStream(metric: ["__name__": "ALERTS", "alertname": "A\"x", "alertstate": "pending", "service": "payment"], values: []),
            SampleStream(metric: ["__name__": "ALERTS", "alertname": "A\"x", "alertstate": "firing", "service": "order"], values: []),
        ]
        #expect(AlertExplanation.history(streams, of: alert).map(\.metric) == [streams[0].metric, streams[1].metric])
    }

    @Test func intervalsAndSinceWhenFromALERTS() {
        func stream(_ state: String, _ times: [Double]) -> SampleStream {
            SampleStream(metric: ["alertstate": state], values: times.map { SamplePair(timestamp: $0, value: 1) })
        }
        // Pending 0–240, firing 300–600, pending again 900–960 (flapping), firing 1020–1200.
        let streams = [stream("pending", [0, 60, 120, 180, 240, 900, 960]), stream("firing", [300, 360, 420, 480, 540, 600, 1020, 1080, 1140, 1200])]
        let intervals = AlertExplanation.intervals(streams, step: 60)
        #expect(intervals == [
            .init(state: .pending, start: 0, end: 240), .init(state: .firing, start: 300, end: 600),
            .init(state: .pending, start: 900, end: 960), .init(state: .firing, start: 1020, end: 1200),
        ])
        let since = AlertExplanation.since(intervals, activeAt: nil, holdSeconds: 60, state: .firing)
        #expect(since.pending == Date(timeIntervalSince1970: 900) && since.firing == Date(timeIntervalSince1970: 1020))
        let fallback = AlertExplanation.since([], activeAt: Date(timeIntervalSince1970: 1000), holdSeconds: 300, state: .firing)
        #expect(fallback.pending == Date(timeIntervalSince1970: 1000) && fallback.firing == Date(timeIntervalSince1970: 1300))
        let pendingOnly = AlertExplanation.since([], activeAt: Date(timeIntervalSince1970: 1000), holdSeconds: 300, state: .pending)
        #expect(pendingOnly.firing == nil)
    }
}
