import DashboardCore
import Foundation
import MockPrometheus
import PrometheusModels
import Testing

/// The mock keeps a night for the demo: `ALERTS` over the 12 hours before its rules' history, and its current alerts.
@Suite("The mock's night of ALERTS")
struct NightHistoryTests {
    @Test func theIncidentsNightHasItsFiringsItsBlipAndWhatFiresNow() throws {
        let now = Date(timeIntervalSince1970: 1_795_615_200)
        let api = MockPrometheusAPI(world: World(seed: 1, scenario: .incident), rulesSince: now.addingTimeInterval(-3600), now: { now })
        let t = Int64(now.timeIntervalSince1970 * 1000)
        guard case .matrix(let series) = try api.engine.instantQuery("ALERTS[43200s]", at: t) else {
            Issue.record("ALERTS[12h] is a matrix")
            return
        }
        let streams = series.map { SampleStream(metric: $0.labels, values: $0.points.map { SamplePair(timestamp: Double($0.t) / 1000, value: $0.v) }) }
        let night = AlertHistory.night(alerts: streams, heartbeat: nil, silences: [], from: now.addingTimeInterval(-43_200), to: now, live: true)
        let errors = try #require(night.rows.first { $0.name == "HighErrorRate" })
        // Three firings in the night, and the current one, still firing.
        #expect(errors.firings.count == 4)
        #expect(errors.firesNow)
        let crash = try #require(night.rows.first { $0.name == "PodCrashLooping" && $0.firings.first?.duration == 30 })
        #expect(crash.firings.count >= 1)
        let smoke = try #require(night.rows.first { $0.name == "SmokeTestFailing" })
        #expect(smoke.firings.isEmpty && smoke.pendings.count == 1)
        // The rules read the world alone: the same alerts as without the night.
        #expect(api.rules.flatMap { $0.alerts(at: t, historyStart: t - 3_600_000) }.contains { $0.labels["alertname"] == "HighErrorRate" })
        // The calm scenario's night is there too, and nothing fires now.
        let calm = MockPrometheusAPI(world: World(seed: 1, scenario: .calm), rulesSince: now.addingTimeInterval(-3600), now: { now })
        guard case .matrix(let quiet) = try calm.engine.instantQuery(#"ALERTS{alertstate="firing"}[43200s]"#, at: t) else {
            Issue.record("a matrix")
            return
        }
        #expect(!quiet.isEmpty)
        #expect(quiet.allSatisfy { ($0.points.last?.t ?? t) < t - 3_600_000 })
    }
}
