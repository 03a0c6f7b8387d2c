import DashboardCore
import Foundation
import PrometheusModels
import Testing

@Suite("The alerting pipeline's checks")
struct PipelineTests {
    static let at = Date(timeIntervalSince1970: 1_795_615_200)
    static let am = "http://am:9093/api/v2/alerts"

    static var groups: [RuleGroup] {
        let json = #"[{"name": "g", "file": "f", "interval": 30, "lastEvaluation": "2026-11-25T13:59:50Z", "rules": [{"type": "alerting", "name": "A", "query": "up == 0", "health": "ok"}]}]"#
        return (try? JSONDecoder().decode([RuleGroup].self, from: Data(json.utf8))) ?? []
    }

    static func reading(errors: Double, sends: Double, dropped: Double = 0, at: Date = at, groups: [RuleGroup] = groups) -> PipelineReading {
        PipelineReading(
            at: at, rules: .success(groups), discovery: .success(AlertmanagerDiscovery(activeAlertmanagers: [.init(url: am)])),
            metrics: .success([
                ExpositionSample(name: "prometheus_notifications_errors_total", labels: ["alertmanager": am], value: errors),
                ExpositionSample(name: "prometheus_notifications_latency_seconds_count", labels: ["alertmanager": am], value: sends),
                ExpositionSample(name: "prometheus_notifications_dropped_total", value: dropped),
                ExpositionSample(name: "prometheus_config_last_reload_successful", value: 1),
            ]),
            runtime: .success(RuntimeInfo(reloadConfigSuccess: true)))
    }

    static func delivery(_ checks: [PipelineCheck]) -> PipelineCheck? { checks.first { $0.id == "delivery" } }

    @Test func aCounterCountsWhenItRisesAndEveryFailedSendIsBrokenAtOnce() {
        // At the first look: some old errors are evidence, not an alarm; every send failing is broken.
        #expect(Self.delivery(Pipeline.checks(Self.reading(errors: 3, sends: 100, dropped: 2), previous: nil))?.state == .ok)
        #expect(Self.delivery(Pipeline.checks(Self.reading(errors: 5, sends: 5), previous: nil))?.state == .broken)
        // Then: what happened since the previous reading.
        var status = Pipeline.Status()
        status.record(Self.reading(errors: 5, sends: 5))
        #expect(status.summary?.state == .broken)
        let broken = status.checks.first { $0.id == "delivery" }?.since
        // It recovered: 10 more sends, none failed.
        status.record(Self.reading(errors: 5, sends: 15, at: Self.at.addingTimeInterval(60)))
        #expect(Self.delivery(status.checks)?.state == .ok)
        #expect(status.summary == nil)
        // Alerts dropped since: broken again, since then.
        status.record(Self.reading(errors: 5, sends: 16, dropped: 3, at: Self.at.addingTimeInterval(120)))
        #expect(Self.delivery(status.checks)?.state == .broken)
        #expect(Self.delivery(status.checks)?.since == Self.at.addingTimeInterval(120))
        #expect(broken == Self.at)
        // A counter reset (a restart) is not a negative rise.
        status.record(Self.reading(errors: 0, sends: 2, at: Self.at.addingTimeInterval(180)))
        #expect(Self.delivery(status.checks)?.state == .ok)
    }

    @Test func aStuckGroupAndAFailingRuleAndTheStatusBarsLine() throws {
        // Last evaluated 10 minutes before the reading, every 30 s: stuck.
        let stuck = Pipeline.checks(Self.reading(errors: 0, sends: 1, at: Self.at.addingTimeInterval(600)), previous: nil)
        #expect(stuck.first { $0.id == "rules" }?.state == .broken)
        #expect(stuck.first { $0.id == "rules" }?.reason.contains("group g not evaluated for 10m") == true)
        let json = #"[{"name": "g", "file": "f", "interval": 30, "rules": [{"type": "recording", "name": "r", "query": "x", "health": "err", "lastError": "bad; worse"}, {"type": "alerting", "name": "A", "query": "y", "health": "ok"}]}]"#
        let failing = try JSONDecoder().decode([RuleGroup].self, from: Data(json.utf8))
        let checks = Pipeline.checks(Self.reading(errors: 0, sends: 0, groups: failing), previous: nil)
        // A recording rule failing degrades; only an alerting rule failing breaks.
        #expect(checks.first { $0.id == "rules" }?.state == .degraded)
        #expect(checks.first { $0.id == "rules" }?.headline == "1 rule fails")
        #expect(Pipeline.summary(checks)?.short == "ALERTING DEGRADED: 1 rule fails (H)")
        #expect(Pipeline.exitCode(checks) == 1)
    }

    @Test func whatIsNotServedIsUnknownNeverOK() {
        let error = PrometheusError.unexpectedResponse(url: "http://thanos/metrics", httpStatus: 404, reason: "Not Found", firstLine: "")
        let reading = PipelineReading(
            at: Self.at, rules: .success(Self.groups), discovery: .failure(error), metrics: .failure(error), runtime: .failure(error))
        let checks = Pipeline.checks(reading, previous: nil)
        #expect(checks.first { $0.id == "delivery" }?.state == .unknown)
        #expect(checks.first { $0.id == "config" }?.state == .unknown)
        #expect(Pipeline.summary(checks) == nil)
        #expect(Pipeline.exitCode(checks) == 0)
    }
}
