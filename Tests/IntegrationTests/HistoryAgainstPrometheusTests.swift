import DashboardCore
import LookoutApp
import Foundation
import PrometheusAPI
import Testing
import TestSupport

/// The night shift against Debian's Prometheus, its history written by `promtool tsdb create-blocks-from
/// openmetrics` (the fixture's 12 hours of `ALERTS`: three firings of HighErrorRate, a 40-second blip six hours
/// ago, a pending that never fired, and a 20-minute Prometheus outage with no heartbeat), and two Debian
/// Alertmanagers holding a silence of the night that was expired and one that ends within 12 hours. `lookout
/// report` in each format lists them with the right times; `h` in tmux at 80x24 shows the same on one screen.
@Suite("The night's history against a real Prometheus", .serialized, .timeLimit(.minutes(4)))
struct HistoryAgainstPrometheusTests {
    static func options(end: Int) -> PrometheusHarness.Options {
        var options = PrometheusHarness.Options()
        options.alertmanagers = 2
        options.withExporter = false
        options.scrapeConfigs = "scrape_configs: []"
        options.backfill = NightFixture(end: end).openMetrics
        return options
    }

    /// A silence expired now (the night's) and one that ends in four hours, written to the first member and read
    /// back from the second (gossiped).
    static func silence(_ harness: PrometheusHarness) async throws {
        let first = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(harness.alertmanagerURLs[0]))
        try await withPrometheusClient(first) { client in
            let now = Date()
            let expired = try await client.saveSilence(SilenceDraft(
                matchers: [SilenceMatcher(name: "alertname", value: "HighErrorRate")], startsAt: now, endsAt: now.addingTimeInterval(3600),
                createdBy: "alice@bastion", comment: "rolling back 2.4.1"))
            try await client.expireSilence(id: expired)
            _ = try await client.saveSilence(SilenceDraft(
                matchers: [SilenceMatcher(name: "deployment", value: "order-service")], startsAt: now, endsAt: now.addingTimeInterval(4 * 3600),
                createdBy: "bob", comment: "scaling order-service"))
        }
        let second = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(harness.alertmanagerURLs[1]))
        try await withPrometheusClient(second) { client in
            try await PrometheusHarness.eventually(30, "both silences in the second member") {
                try await client.silences().elements.count == 2
            }
        }
    }

    static func clock(_ end: Int, ago: Int) -> String {
        HandoverReport.time(Date(timeIntervalSince1970: Double(end - ago)))
    }

    @Test("lookout report lists the blip, the three firings, the silences and the outage as unknown, in each format; h shows them at 80x24")
    func theNightIsReportedAndShown() async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        let end = Int(Date().timeIntervalSince1970)
        try await withPrometheusHarness(Self.options(end: end)) { harness in
            try await Self.silence(harness)
            let flags = ["--url", harness.prometheusURL] + harness.alertmanagerURLs.flatMap { ["--alertmanager-url", $0] }
            let markdown = try await runCommand(binary, ["report", "--since", "12h", "--output", "markdown"] + flags)
            #expect(markdown.exitCode == 0, "\(markdown.stderr)")
            let text = markdown.stdout
            // The blip, with its start and its 40 seconds.
            let blip = Self.clock(end, ago: NightFixture.blipAgo)
            #expect(text.contains("**PodCrashLooping** pod=payment-service-7d4f9-x2v: fired 1×, 40s in all"), "\(text)")
            #expect(text.contains("- \(blip) → \(Self.clock(end, ago: NightFixture.blipAgo - 40).dropFirst(11)) (40s)"), "\(text)")
            // The three firings with theirs.
            #expect(text.contains("**HighErrorRate** service=payment-service: fired 3×, 45m in all"), "\(text)")
            for (ago, seconds) in NightFixture.errorFirings {
                #expect(text.contains("- \(Self.clock(end, ago: ago)) → \(Self.clock(end, ago: ago - seconds).dropFirst(11)) (\(seconds / 60)m)"), "\(text)")
            }
            #expect(text.contains("**HighLatency** service=inventory-service: pending \(Self.clock(end, ago: 4 * 3600)) (2m)"), "\(text)")
            // The silences of the night: created, expired, ending within 12 hours.
            #expect(text.contains("- created: 2") && text.contains("- expired: 1") && text.contains("- ending within 12h: 1"), "\(text)")
            #expect(text.contains("by alice@bastion") && text.contains("rolling back 2.4.1") && text.contains("scaling order-service"), "\(text)")
            // The 20-minute outage, as unknown.
            let down = Self.clock(end, ago: NightFixture.outageAgo)
            #expect(text.contains("Prometheus was down \(down) → \(Self.clock(end, ago: NightFixture.outageAgo - NightFixture.outageSeconds)) (20m): what fired then is unknown"), "\(text)")

            // The pipeline's health closes the report (this lab's Prometheus scrapes nothing, its rules are the seed's).
            #expect(text.contains("## Alerting pipeline") && text.contains("- OK rules:"), "\(text)")

            let plain = try await runCommand(binary, ["report", "--output", "text"] + flags)
            #expect(plain.exitCode == 0)
            #expect(plain.stdout.contains("PodCrashLooping pod=payment-service-7d4f9-x2v: fired 1×, 40s in all"))
            #expect(plain.stdout.contains("note: Prometheus was down \(down)"))
            let json = try await runCommand(binary, ["report", "--output", "json", "--from", "-12h"] + flags)
            #expect(json.exitCode == 0)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let alerts = try #require(object["alerts"] as? [[String: Any]])
            let crash = try #require(alerts.first { $0["name"] as? String == "PodCrashLooping" })
            let firing = try #require((crash["firings"] as? [[String: Any]])?.first)
            #expect(firing["seconds"] as? Double == 40)
            #expect((firing["start"] as? String).flatMap(RFC3339.parse) == Date(timeIntervalSince1970: Double(end - NightFixture.blipAgo)))
            #expect((object["prometheusDown"] as? [Any])?.count == 1)
            #expect((object["silencesExpired"] as? [Any])?.count == 1)

            // The same night on one screen at 80x24.
            try await withTmux("\(binary) \(flags.joined(separator: " ")) --utc", width: 80, height: 24) { tmux in
                try await tmux.waitFor(text: "Service Health Status")
                try await tmux.send("h")
                let screen = try await tmux.waitFor("the history") { $0.contains("History: 3 fired, 1 only pending, 12h to now") }
                let time = ClockFormat.time(Date(timeIntervalSince1970: Double(end - NightFixture.blipAgo)), utc: true)
                #expect(screen.contains("PodCrashLooping") && screen.contains("1× 40s"), "\(screen)")
                // The first row is selected: its firing is told whole, to the second.
                #expect(screen.contains("firing 1 of 1: \(time) → ") && screen.contains("(40s)"), "\(screen)")
                #expect(screen.contains("HighErrorRate") && screen.contains("3× 45m"), "\(screen)")
                #expect(screen.contains("HighLatency") && screen.contains("never fired"), "\(screen)")
                #expect(screen.contains("DeploymentReplicasMismatch") || screen.contains("DeploymentReplicas"), "\(screen)")
                #expect(screen.contains("Prometheus down 1× (20m): unknown"), "\(screen)")
                #expect(screen.contains("░"), "\(screen)")
                // The silences, on HighErrorRate's row once chosen (its line is the selected one's).
                try await tmux.send("Down")
                try await tmux.send("Left")
                let chosen = try await tmux.waitFor("the second firing chosen") { $0.contains("firing 2 of 3") }
                #expect(chosen.contains("silenced by"), "\(chosen)")
            }
        }
    }
}

@Suite("lookout report's flags and failures")
struct ReportFlagsTests {
    @Test("a bad --since is exit 64 in one line; a server that cannot be reached is exit 3")
    func badFlagsAndNoServer() async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        let bad = try await runCommand(binary, ["report", "--url", "http://127.0.0.1:9", "--since", "0m"])
        #expect(bad.exitCode == 64)
        #expect(bad.stderr.contains("bad --since '0m'"), "\(bad.stderr)")
        let format = try await runCommand(binary, ["report", "--url", "http://127.0.0.1:9", "--output", "yaml"])
        #expect(format.exitCode == 64)
        let closed = try FreePort.allocate()
        let down = try await runCommand(binary, ["report", "--url", "http://127.0.0.1:\(closed)", "--timeout", "2s"])
        #expect(down.exitCode == 3, "\(down.stderr)")
        #expect(down.stderr.contains("the alert history could not be read") && down.stdout.isEmpty, "\(down.stderr)")
    }
}
