import DashboardCore
import Foundation
@testable import LookoutUI
import PrometheusModels
import TerminalCanvas
import Testing

/// The alert detail asks for the rules and the alert's history, then for the rule's left (and right) side.
@Suite("Alert detail: what it asks the server")
struct AlertDetailTests {
    static func groups(_ query: String) -> [RuleGroup] {
        let json = #"[{"name":"g","file":"f.yml","rules":[{"type":"alerting","name":"DeploymentReplicasMismatch","query":"\#(query)","duration":300,"labels":{},"annotations":{},"alerts":[]}]}]"#
        return (try? JSONDecoder().decode([RuleGroup].self, from: Data(json.utf8))) ?? []
    }

    func open() -> (AppState, Int, [DashboardEffect]) {
        var model = DashboardState(dashboard: .microservices, server: "p", now: Date(timeIntervalSince1970: 10_000))
        model.columns = 80
        var app = AppState(model: model)
        let item = AlertItem(Alert(labels: ["alertname": "DeploymentReplicasMismatch", "deployment": "order-service"], state: .firing, activeAt: Date(timeIntervalSince1970: 9000)))
        _ = app.update(.dashboard(.alertsLoaded(generation: 0, items: [item], error: nil, at: model.now)))
        _ = app.update(.key(.char("a")))
        let effects = app.update(.key(.enter))
        return (app, app.screenIDs.last ?? -1, effects)
    }

    @Test func aVectorRuleAsksForBothSides() {
        var (app, screen, effects) = open()
        #expect(effects == [
            .request(screen: screen, id: 1, .rules),
            .request(screen: screen, id: 2, .rangeQuery(#"ALERTS{alertname="DeploymentReplicasMismatch"}"#, rangeSeconds: 3600, points: 136)),
        ])
        let more = app.update(.response(screen: screen, id: 1, .rules(Self.groups("kube_deployment_spec_replicas != kube_deployment_status_available_replicas"))))
        #expect(more == [
            .request(screen: screen, id: 3, .rangeQuery("kube_deployment_spec_replicas", rangeSeconds: 3600, points: 136)),
            .request(screen: screen, id: 4, .rangeQuery("kube_deployment_status_available_replicas", rangeSeconds: 3600, points: 136)),
        ])
        let detail = app.top as? AlertDetailScreen
        #expect(detail?.rule?.file == "f.yml" && detail?.split?.comparison == "!=")
    }

    @Test func theChartFollowsTheDashboardsWindowWhenItMoves() throws {
        var (app, screen, _) = open()
        _ = app.update(.response(screen: screen, id: 1, .rules(Self.groups("kube_deployment_spec_replicas > 2"))))
        // `[` (a global key) pans the dashboard half a range back: the detail asks again over the pinned window.
        let effects = app.update(.key(.char("[")))
        let end = try #require(app.model.pinnedEnd)
        #expect(end.timeIntervalSince1970 < 10_000 - 1700)
        let asked = effects.compactMap { effect -> ScreenRequest? in
            if case .request(let s, _, let request) = effect, s == screen { return request }
            return nil
        }
        #expect(asked == [
            .rangeQuery(#"ALERTS{alertname="DeploymentReplicasMismatch"}"#, rangeSeconds: 3600, points: 136, end: end),
            .rangeQuery("kube_deployment_spec_replicas", rangeSeconds: 3600, points: 136, end: end),
        ])
        // An answer to the request made before the pan is dropped; the new one is the chart's, ending at the window.
        let old = QueryResult.matrix([SampleStream(metric: ["deployment": "order-service"], values: [SamplePair(timestamp: 9990, value: 1)])])
        _ = app.update(.response(screen: screen, id: 3, .result(old, warnings: [])))
        #expect((app.top as? AlertDetailScreen)?.left == nil)
        let ids = effects.compactMap { effect -> Int? in if case .request(_, let id, .rangeQuery("kube_deployment_spec_replicas", _, _, _)) = effect { id } else { nil } }
        _ = app.update(.response(screen: screen, id: try #require(ids.first), .result(old, warnings: [])))
        #expect((app.top as? AlertDetailScreen)?.end == end)
        // Live again: the requests end now.
        let live = app.update(.key(.char("0")))
        #expect(live.contains(.request(screen: screen, id: 7, .rangeQuery("kube_deployment_spec_replicas", rangeSeconds: 3600, points: 136, end: nil))))
    }

    @Test func noMatchingRuleIsSaid() {
        var (app, screen, _) = open()
        #expect(app.update(.response(screen: screen, id: 1, .rules([]))) == [])
        #expect((app.top as? AlertDetailScreen)?.ruleProblem == "no alerting rule named DeploymentReplicasMismatch on this Prometheus")
    }

    @Test func yCopiesTheRunbookAndYTheExpressionUnlessTheClipboardIsOff() {
        var model = DashboardState(dashboard: .microservices, server: "p", now: Date(timeIntervalSince1970: 10_000))
        let item = AlertItem(Alert(labels: ["alertname": "A"], annotations: ["runbook_url": "https://runbooks/a", "summary": "s"], state: .firing, activeAt: nil))
        model.alerts.items = [item]
        model.alerts.updatedAt = model.now
        var app = AppState(model: model)
        _ = app.update(.key(.char("a")))
        _ = app.update(.key(.enter))
        #expect(app.update(.key(.char("y"))) == [.copy("https://runbooks/a")])
        #expect(app.notice == "copied the runbook URL to the clipboard")
        #expect(app.update(.key(.char("Y"))) == [])
        #expect(app.notice == "the rule has not arrived yet")
        let screen = app.screenIDs.last ?? -1
        _ = app.update(.response(screen: screen, id: 1, .rules(Self.groups("x > 1").map { var g = $0; g.rules = g.rules.map { var r = $0; r.name = "A"; return r }; return g })))
        #expect(app.update(.key(.char("Y"))) == [.copy("x > 1")])
        app.model.clipboard = false
        #expect(app.update(.key(.char("y"))) == [])
        #expect(app.notice == "the clipboard is off (--no-clipboard)")
    }
}

@Suite("Alert detail: the unit of the rule's value")
struct AlertUnitTests {
    @Test(arguments: [
        // The seed's HighErrorRate as Prometheus gives it back (normalised), a 5xx ratio: the Error Rate panel's shape.
        (#"sum by (service) (rate(http_requests_total{status_code=~"5.."}[5m])) / sum by (service) (rate(http_requests_total[5m]))"#, DashboardCore.Unit.percent),
        // HighLatency as written and as printed back.
        ("histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket[5m])) by (service, le))", .seconds),
        ("histogram_quantile(0.95, sum by (service, le) (rate(http_request_duration_seconds_bucket[5m])))", .seconds),
        ("(sum by (service) (rate(http_requests_total[5m])))", .requestsPerSecond),
        ("rate(kube_pod_container_status_restarts_total[5m])", .none),
        // A quoted brace is part of the value, not a filter.
        (#"sum by (service) (rate(http_requests_total{path="{id}"}[5m]))"#, .requestsPerSecond),
    ])
    func theRulesLeftSideTakesTheUnitOfTheMatchingPanel(expr: String, unit: DashboardCore.Unit) {
        #expect(AlertDetailScreen.unit(for: expr, in: .microservices) == unit)
    }
}

/// A hostile annotation (issue "hostile input, third round"): a megabyte `runbook_url` costs the detail what a
/// screenful of it costs. The old detail wrapped the whole text on every frame (81 s of CPU); the suite's time
/// limit fails it.
@Suite("Alert detail with a megabyte annotation", .timeLimit(.minutes(1)))
struct AlertDetailHugeAnnotationTests {
    @Test func aMegabyteRunbookIsDrawnAsAScreenful() {
        var model = DashboardState(dashboard: .microservices, server: "p", now: Date(timeIntervalSince1970: 10_000))
        model.columns = 120
        var app = AppState(model: model)
        let huge = "https://runbooks.example/" + String(repeating: "a", count: 1 << 20)
        let item = AlertItem(Alert(
            labels: ["alertname": "HighErrorRate", "severity": "critical", "service": "payment-service"],
            annotations: ["runbook_url": huge, "summary": "errors"], state: .firing, activeAt: Date(timeIntervalSince1970: 9000)))
        _ = app.update(.dashboard(.alertsLoaded(generation: 0, items: [item], error: nil, at: model.now)))
        _ = app.update(.key(.char("a")))
        _ = app.update(.key(.enter))
        #expect(app.top is AlertDetailScreen)
        for _ in 0..<20 {
            var canvas = Canvas(width: 120, height: 45)
            AppView.render(app, into: &canvas)
            let text = canvas.lines.joined(separator: "\n")
            #expect(text.contains("runbook_url:") && text.contains("https://runbooks.example/aaaa"), "the runbook's first lines")
            #expect(canvas.lines[canvas.height - 2].contains("…"), "cut at the last row, said with …")
        }
    }
}
