import AsyncHTTPClient
import DashboardCore
import Foundation
import NIOCore
import PrometheusAPI
import Testing
import TestSupport

/// Silences through the TUI (tmux) against Debian's Prometheus and two Debian Alertmanagers in a cluster: a silence
/// made with `S` reaches both members with its matchers, author and comment; the alert shows `SIL` and who silenced
/// it; `x` expires it; `--read-only` refuses; with one member stopped the other still answers.
@Suite("Silences against an Alertmanager cluster", .serialized, .timeLimit(.minutes(4)))
struct SilencesEndToEndTests {
    static func silences(_ url: String) async throws -> [Silence] {
        let options = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(url))
        return try await withPrometheusClient(options) { try await $0.silences().elements }
    }

    static var options: PrometheusHarness.Options {
        var options = PrometheusHarness.Options()
        options.alertmanagers = 2
        return options
    }

    static func waitForAlerts(_ harness: PrometheusHarness) async throws {
        let options = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(harness.alertmanagerURLs[1]))
        try await withPrometheusClient(options) { second in
            try await PrometheusHarness.eventually(30, "both Alertmanagers to hold HighErrorRate") {
                try await second.alertmanagerAlerts().elements.contains { $0.labels["alertname"] == "HighErrorRate" }
            }
        }
    }

    @Test("S, a comment, Enter: the silence is in both members, the alert shows SIL and who; x expires it")
    func silenceFromTheTUI() async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        let state = try TemporaryDirectory(prefix: "lookout-state")
        defer { state.remove() }
        try await withPrometheusHarness(Self.options) { harness in
            try await Self.waitForAlerts(harness)
            let ams = harness.alertmanagerURLs.map { "--alertmanager-url \($0)" }.joined(separator: " ")
            let command = "\(binary) --url \(harness.prometheusURL) \(ams) --refresh 2s"
            let environment = ["XDG_STATE_HOME": state.url.path, "USER": "oncall"]
            try await withTmux(command, width: 160, height: 45, environment: environment) { tmux in
                try await tmux.waitFor(text: "HighErrorRate")
                try await tmux.send("a")
                try await tmux.waitFor(text: "Alerts: FIRING")
                // The two critical alerts come first in either order: open the form on each row until it is
                // HighErrorRate's (the form's title names the alert).
                var found = false
                for _ in 0..<5 where !found {
                    try await tmux.send("S")
                    let form = try await tmux.waitFor(text: "Silence ")
                    found = form.contains("Silence HighErrorRate")
                    if !found {
                        try await tmux.send("Escape")
                        try await tmux.waitFor(text: "Alerts: FIRING")
                        try await tmux.send("Down")
                    }
                }
                #expect(found)
                try await tmux.waitFor("the form with its count") { $0.contains("Silence HighErrorRate") && $0.contains("selects 1 alert now") }
                try await tmux.send("-l", "rolling back payment 1.4.2")
                try await tmux.send("Enter")
                try await tmux.waitFor("SIL and who silenced it") {
                    $0.contains("SIL ") && $0.contains("silenced by oncall@") && $0.contains("rolling back payment 1.4.2")
                }
                // Both members hold it: written to the first, gossiped to the second.
                for url in harness.alertmanagerURLs {
                    try await PrometheusHarness.eventually(20, "the silence in \(url)") {
                        try await Self.silences(url).contains {
                            $0.state == .active && $0.comment == "rolling back payment 1.4.2" && $0.createdBy.hasPrefix("oncall@")
                                && $0.matchers.contains(SilenceMatcher(name: "alertname", value: "HighErrorRate"))
                                && $0.matchers.contains(SilenceMatcher(name: "service", value: "payment-service"))
                        }
                    }
                }
                // The list, and x expires it.
                try await tmux.send(":")
                try await tmux.send("-l", "silences")
                try await tmux.send("Enter")
                try await tmux.waitFor(text: "rolling back payment 1.4.2")
                try await tmux.send("x")
                try await tmux.waitFor(text: "Expire this silence now? y/n")
                try await tmux.send("y")
                try await tmux.waitFor(text: "silence expired")
                try await PrometheusHarness.eventually(20, "the silence expired") {
                    try await Self.silences(harness.alertmanagerURLs[1]).allSatisfy { $0.state == .expired }
                }
                try await tmux.send("C-c")
                try await tmux.waitFor(text: "EXIT=0")
            }
            let author = try String(contentsOfFile: state.url.appendingPathComponent("lookout/author").path, encoding: .utf8)
            #expect(author.hasPrefix("oncall@"), "the author is remembered")
        }
    }

    @Test("--read-only refuses S and x, and says so; one member down is noted while the other answers")
    func readOnlyAndAMemberDown() async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        try await withPrometheusHarness(Self.options) { harness in
            try await Self.waitForAlerts(harness)
            await harness.stopAlertmanager(0)
            let ams = harness.alertmanagerURLs.map { "--alertmanager-url \($0)" }.joined(separator: " ")
            try await withTmux("\(binary) --url \(harness.prometheusURL) \(ams) --refresh 2s --read-only", width: 160, height: 45) { tmux in
                let screen = try await tmux.waitFor("the alerts from the member that answers") {
                    $0.contains("HighErrorRate") && $0.contains("Alertmanager 127.0.0.1:\(harness.alertmanagerPorts[0]) down")
                }
                #expect(!screen.contains("alerts unavailable"))
                try await tmux.send("a")
                try await tmux.send("S")
                try await tmux.waitFor(text: "read-only: lookout was started with --read-only")
                try await tmux.send("q")
                try await tmux.waitFor(text: "EXIT=0")
            }
            // The snapshot reads the same cluster: the member down is a note, not a failure.
            let result = try await runCommand(binary, ["snapshot", "--url", harness.prometheusURL] + harness.alertmanagerURLs.flatMap { ["--alertmanager-url", $0] })
            #expect(result.exitCode == 2, "critical alerts fire: \(result.stderr)")
            #expect(result.stdout.contains("Alertmanager 127.0.0.1:\(harness.alertmanagerPorts[0]) down"), "\(result.stdout)")
        }
    }

    @Test("the snapshot lists silences that end within the hour and silenced alerts in a group of their own")
    func snapshotSilences() async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        try await withPrometheusHarness(Self.options) { harness in
            try await Self.waitForAlerts(harness)
            let cluster = try #require(try await AlertmanagerCluster.make(harness.alertmanagerURLs.map {
                ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL($0))
            }))
            let now = Date()
            let id = try await cluster.saveSilence(SilenceDraft(
                matchers: [SilenceMatcher(name: "alertname", value: "HighLatency")], startsAt: now,
                endsAt: now.addingTimeInterval(1800), createdBy: "alice", comment: "slow disk"))
            #expect(!id.isEmpty)
            // A bad silence: Alertmanager's own message, in one line.
            await #expect(throws: PrometheusError.self) {
                _ = try await cluster.saveSilence(SilenceDraft(matchers: [], startsAt: now, endsAt: now.addingTimeInterval(60), createdBy: "a", comment: "c"))
            }
            await cluster.shutdown()
            try await PrometheusHarness.eventually(30, "HighLatency silenced in the snapshot") {
                let result = try await runCommand(binary, ["snapshot", "--url", harness.prometheusURL] + harness.alertmanagerURLs.flatMap { ["--alertmanager-url", $0] })
                return result.stdout.contains("Silenced or inhibited (1)") && result.stdout.contains("Silences ending within the hour (1)")
                    && result.stdout.contains(#"alertname="HighLatency"  by alice  slow disk"#)
                    && result.stdout.contains("silenced by alice until")
            }
        }
    }
}
