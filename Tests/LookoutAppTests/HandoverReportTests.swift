import DashboardCore
import Foundation
import LookoutApp
import PrometheusAPI
import PrometheusModels
import SafeText
import Testing
import TestSupport

/// The handover report of the fixture's night, in its three formats, compared with golden files in
/// Tests/LookoutAppTests/Golden (a difference leaves a `.actual` beside the golden file and fails).
@Suite("The handover report")
struct HandoverReportTests {
    static let end = 1_795_615_200
    static var to: Date { Date(timeIntervalSince1970: Double(end)) }

    static func report(hostile: Bool = false) -> HandoverReport {
        let fixture = NightFixture(end: end)
        var alerts = fixture.alertStreams
        if hostile {
            alerts.append(SampleStream(
                metric: ["__name__": "ALERTS", "alertname": "Evil*Alert*", "alertstate": "firing", "severity": "info",
                         "service": "x](javascript:alert(1))<b>`code`|cell|\u{1B}[31mred\n# heading"],
                values: [SamplePair(timestamp: Double(end - 3600), value: 1)]))
        }
        let silences = [
            Silence(id: "s-1", matchers: [SilenceMatcher(name: "alertname", value: "HighErrorRate")], startsAt: to.addingTimeInterval(-9.6 * 3600),
                    endsAt: to.addingTimeInterval(-8 * 3600), createdBy: "alice@bastion", comment: "rolling back 2.4.1", state: .expired),
            Silence(id: "s-2", matchers: [SilenceMatcher(name: "deployment", value: "order-service")], startsAt: to.addingTimeInterval(-1800),
                    endsAt: to.addingTimeInterval(5 * 3600), createdBy: "bob", comment: hostile ? "see [runbook](http://evil) *now* <script>" : "scaling order-service", state: .active),
        ]
        let night = AlertHistory.night(
            alerts: alerts, heartbeat: fixture.heartbeatStreams, silences: silences, from: to.addingTimeInterval(-43_200), to: to, live: true)
        var firing = AlertItem(Alert(labels: ["alertname": "DeploymentReplicasMismatch", "deployment": "order-service", "severity": "warning"],
                                     annotations: ["summary": "Deployment replicas mismatch"], state: .firing, activeAt: to.addingTimeInterval(-600)))
        firing.suppression = .silenced
        let down = TargetItem(ActiveTarget(
            labels: ["instance": "payment-service:3000", "job": "microservices", "service": "payment-service"], scrapePool: "microservices",
            scrapeUrl: "http://payment-service:3000/metrics", health: .down, lastError: "connection refused", lastScrape: to, lastScrapeDuration: 0.001))
        return HandoverReport(
            night: night, server: "http://prometheus:9090", takenAt: to, firingNow: .success([firing]), silences: .success(silences),
            targetsDown: .success([down]))
    }

    static let directory = Repository.root.appendingPathComponent("Tests/LookoutAppTests/Golden")

    static func compare(_ text: String, _ name: String) throws {
        let file = directory.appendingPathComponent(name)
        let actual = file.appendingPathExtension("actual")
        let expected = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        if text != expected { try text.write(to: actual, atomically: true, encoding: .utf8) } else { try? FileManager.default.removeItem(at: actual) }
        #expect(text == expected, "\(name) differs: see \(actual.lastPathComponent) beside it")
    }

    @Test func theThreeFormatsMatchTheirGoldenFiles() throws {
        let report = Self.report()
        try Self.compare(report.render(markdown: false), "report.txt")
        try Self.compare(report.render(markdown: true), "report.md")
        try Self.compare(try report.json(), "report.json")
    }

    @Test func theNightIsAllThere() throws {
        let text = Self.report().render(markdown: true)
        // The blip with its start and duration, the three firings, the silences, the outage as unknown.
        #expect(text.contains("2026-11-25 08:00:00 UTC → 08:00:40 UTC (40s)"))
        #expect(text.contains("**HighErrorRate** service=payment-service: fired 3×, 45m in all"))
        for line in ["04:00:00 UTC → 04:15:00 UTC (15m)", "04:30:00 UTC → 04:40:00 UTC (10m)", "05:00:00 UTC → 05:20:00 UTC (20m)"] {
            #expect(text.contains("2026-11-25 " + line))
        }
        #expect(text.contains("Prometheus was down 2026-11-25 11:00:00 UTC → 2026-11-25 11:20:00 UTC (20m): what fired then is unknown"))
        #expect(text.contains("rolling back 2.4.1") && text.contains("ending within 12h: 1"))
        #expect(text.contains("**HighLatency** service=inventory-service: pending 2026-11-25 10:00:00 UTC (2m)"))
        #expect(Self.report().exitCode == 0)
    }

    @Test func hostileLabelsAndCommentsAreTextInMarkdown() throws {
        let text = Self.report(hostile: true).render(markdown: true)
        #expect(!text.contains("\u{1B}"))
        #expect(!text.contains("<b>") && !text.contains("<script>"))
        // Every `[`, `]` and backtick is escaped: no link, no code span.
        let scalars = Array(text)
        for (i, c) in scalars.enumerated() where c == "]" || c == "[" || c == "`" {
            #expect(i > 0 && scalars[i - 1] == "\\", "an unescaped \(c) at \(i)")
        }
        #expect(text.contains(#"Evil\*Alert\*"#))
        #expect(text.contains(#"see \[runbook\](http://evil) \*now\* &lt;script&gt;"#))
        // No line of the report starts with a heading from a label.
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("# heading") })
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("# ") }.count == 1)
        let json = try Self.report(hostile: true).json()
        #expect(!json.contains("\u{1B}"))
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) is [String: Any])
    }

    @Test func markdownEscapingLeavesPlainTextReadable() {
        #expect(HandoverReport.escapeMarkdown("payment-service 1.2.3 (eu)") == "payment-service 1.2.3 (eu)")
        #expect(HandoverReport.escapeMarkdown("a_b*c`d[e]f|g~h\\i") == #"a\_b\*c\`d\[e\]f\|g\~h\\i"#)
        #expect(HandoverReport.escapeMarkdown("<a href=x>&") == "&lt;a href=x&gt;&amp;")
    }
}
