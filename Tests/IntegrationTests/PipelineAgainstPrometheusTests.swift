import DashboardCore
import Foundation
import LookoutApp
import PrometheusAPI
import Testing
import TestSupport

/// The alerting pipeline's health against Debian's Prometheus and Alertmanagers, each fault built for real: a rule
/// that fails at every evaluation (many-to-many matching), alerts sent where nothing listens, a configuration reload
/// that fails, a Watchdog, a scrape job with no target; and the healthy lab, where nothing is said.
@Suite("The alerting pipeline against a real Prometheus", .serialized, .timeLimit(.minutes(4)))
struct PipelineAgainstPrometheusTests {
    static let failingRule = """
        groups:
        - name: broken
          interval: 1s
          rules:
          - alert: DuplicateMatch
            expr: vector(1) * on() group_left() (label_replace(vector(1), "a", "1", "", "") or label_replace(vector(1), "a", "2", "", ""))
            labels: {severity: critical}
          - alert: Watchdog
            expr: vector(1)
            labels: {severity: none}
        """

    /// The broken lab: the failing rule and a Watchdog, alerts sent to a port where nothing listens, a scrape job with
    /// no target, and (once started) a configuration reload that fails.
    static func brokenLab(_ body: @escaping @Sendable (PrometheusHarness) async throws -> Void) async throws {
        var options = PrometheusHarness.Options()
        options.alertmanagers = 2
        options.withExporter = false
        options.scrapeConfigs = "scrape_configs: [{job_name: empty, static_configs: []}]"
        options.extraRules = [failingRule]
        options.alertingTargets = ["127.0.0.1:\(try FreePort.allocate())"]
        // Alerts sent again every second (not every minute): the failed sends are counted at once.
        options.prometheusArguments = ["--web.enable-lifecycle", "--rules.alert.resend-delay=1s"]
        try await withPrometheusHarness(options) { harness in
            // A reload that fails: the file broken, then POST /-/reload (the server keeps the old configuration).
            let config = harness.directory.url.appendingPathComponent("prometheus.yml")
            let good = try String(contentsOf: config, encoding: .utf8)
            try (good + "\nthis is: [not valid\n").write(to: config, atomically: true, encoding: .utf8)
            #expect(try await HTTPGet.post(harness.prometheusURL + "/-/reload") != 200)
            // The failing rule has been evaluated and the Watchdog's notification refused.
            try await PrometheusHarness.eventually(30, "the rule's error and a failed send") {
                let text = try await HTTPGet.text(harness.prometheusURL + "/metrics")
                let samples = Exposition.parse(text).samples
                return (Exposition.sum(samples, "prometheus_rule_evaluation_failures_total") ?? 0) > 0
                    && (Exposition.sum(samples, "prometheus_notifications_errors_total") ?? 0) > 0
            }
            // Both members have settled into their cluster.
            for url in harness.alertmanagerURLs {
                try await PrometheusHarness.eventually(60, "\(url) ready in its cluster") {
                    try await HTTPGet.text(url + "/api/v2/status").contains(#""status":"ready""#)
                }
            }
            try await body(harness)
        }
    }

    @Test("lookout check exits 2 naming the failing rule with its error, the undeliverable alerts and the failed reload")
    func theBrokenLabIsSaid() async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        try await Self.brokenLab { harness in
            let flags = ["--url", harness.prometheusURL] + harness.alertmanagerURLs.flatMap { ["--alertmanager-url", $0] }
            let check = try await runCommand(binary, ["check"] + flags)
            #expect(check.exitCode == 2, "\(check.stdout)\(check.stderr)")
            let out = check.stdout
            #expect(out.contains("BROKEN   rules") && out.contains("1 rule fails: DuplicateMatch: found duplicate series for the match group {} on the right hand-side of the operation"), "\(out)")
            #expect(out.contains("BROKEN   Prometheus → Alertmanager") && out.contains("Prometheus cannot deliver to 127.0.0.1:"), "\(out)")
            #expect(out.contains("BROKEN   Prometheus") && out.contains("the config reload failed"), "\(out)")
            #expect(out.contains("DEGRADED targets") && out.contains("scrape job empty has no target"), "\(out)")
            #expect(out.contains("OK       dead man's switch") && out.contains("Watchdog fires"), "\(out)")
            #expect(out.contains("OK       Alertmanager 127.0.0.1:"), "\(out)")
            let json = try await runCommand(binary, ["check", "--output", "json"] + flags)
            #expect(json.exitCode == 2)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let checks = try #require(object["checks"] as? [[String: Any]])
            #expect(checks.filter { $0["state"] as? Int == PipelineState.broken.rawValue }.count == 3)

            // The snapshot says it first, and --require-healthy fails on it naming the checks.
            let snapshot = try await runCommand(binary, ["snapshot", "--require-healthy"] + flags)
            #expect(snapshot.exitCode == 2, "\(snapshot.stderr)")
            let lines = snapshot.stdout.split(separator: "\n").map(String.init)
            #expect(lines.dropFirst().first { !$0.isEmpty }?.hasPrefix("ALERTING BROKEN: 1 rule fails · Prometheus cannot deliver to 127.0.0.1:") == true, "\(snapshot.stdout)")
            #expect(snapshot.stderr.contains("not healthy: alerting pipeline: rules: 1 rule fails: DuplicateMatch"), "\(snapshot.stderr)")
            #expect(snapshot.stderr.contains("not healthy: alerting pipeline: Prometheus: the config reload failed"), "\(snapshot.stderr)")
            let snapshotJSON = try await runCommand(binary, ["snapshot", "--output", "json"] + flags)
            let report = try #require(try JSONSerialization.jsonObject(with: Data(snapshotJSON.stdout.utf8)) as? [String: Any])
            #expect((report["pipeline"] as? [[String: Any]])?.contains { $0["id"] as? String == "delivery" && $0["state"] as? Int == PipelineState.broken.rawValue } == true)

            // From the dashboard: the status bar says it at once, H lists the checks, Enter on the rules lists them.
            try await withTmux("\(binary) \(flags.joined(separator: " "))", width: 160, height: 40) { tmux in
                // The worst first and how many more (the whole list when it fits).
                let screen = try await tmux.waitFor("the status bar", timeout: 45) { $0.contains("ALERTING BROKEN: 1 rule fails") }
                #expect(screen.contains("ALERTING BROKEN: 1 rule fails +") && screen.contains("more (H)") || screen.contains("the config reload failed"), "\(screen)")
                #expect(screen.contains("No alerts firing · but the alerting pipeline is broken (H)") || screen.contains("FIRING"), "\(screen)")
                try await tmux.send("H")
                let health = try await tmux.waitFor("the checks") { $0.contains("Alerting pipeline: broken") }
                #expect(health.contains("the config reload failed"), "\(health)")
                #expect(health.contains("BROKEN   rules") && health.contains("1 rule fails: DuplicateMatch: found duplicate series"), "\(health)")
                #expect(health.contains("BROKEN   Prometheus → Alertmanager") && health.contains("DEGRADED targets"), "\(health)")
                try await tmux.send("Enter")
                let rules = try await tmux.waitFor("the failing rules") { $0.contains("Rules: ") && $0.contains("1 failing") }
                #expect(rules.contains("ERR     alert  DuplicateMatch") && rules.contains("found duplicate series"), "\(rules)")
            }
        }
    }

    @Test("the healthy lab: lookout check exits 0 and every check is ok")
    func theHealthyLabIsQuiet() async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        try await withPrometheusHarness(PrometheusHarness.Options()) { harness in
            // An alert delivered and the targets synced: the pipeline at work.
            try await PrometheusHarness.eventually(60, "the alerts delivered") {
                let samples = Exposition.parse(try await HTTPGet.text(harness.prometheusURL + "/metrics")).samples
                return (Exposition.sum(samples, "prometheus_notifications_sent_total") ?? 0) > 0
                    && (Exposition.sum(samples, "prometheus_target_sync_length_seconds_count") ?? 0) > 0
            }
            let check = try await runCommand(binary, ["check", "--url", harness.prometheusURL, "--alertmanager-url", harness.alertmanagerURL])
            #expect(check.exitCode == 0, "\(check.stdout)\(check.stderr)")
            #expect(!check.stdout.contains("BROKEN") && !check.stdout.contains("DEGRADED"), "\(check.stdout)")
            // Nothing on screen: the dashboard's status bar as ever.
            try await withTmux("\(binary) --url \(harness.prometheusURL) --alertmanager-url \(harness.alertmanagerURL)", width: 160, height: 40) { tmux in
                let screen = try await tmux.waitFor("the dashboard's data", timeout: 45) { $0.contains("req/s") && $0.contains("updated") }
                #expect(!screen.contains("ALERTING"), "\(screen)")
                try await tmux.send("H")
                let health = try await tmux.waitFor("the checks") { $0.contains("Alerting pipeline: ok") }
                #expect(!health.contains("BROKEN") && !health.contains("DEGRADED"), "\(health)")
            }
        }
    }

    @Test("a webhook answering 500, a Watchdog that does not fire, then one member stopped: each is said, H shows them")
    func failingNotificationsASilentWatchdogAndAMemberDown() async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        let hook = try AdversarialServer { _ in .text("no", status: 500) }
        defer { hook.stop() }
        var options = PrometheusHarness.Options()
        options.alertmanagers = 2
        options.withExporter = false
        options.scrapeConfigs = "scrape_configs: []"
        options.webhook = hook.url + "/hook"
        options.prometheusArguments = ["--rules.alert.resend-delay=1s", "--web.enable-lifecycle"]
        options.extraRules = ["""
            groups:
            - name: lab
              interval: 1s
              rules:
              - alert: AlwaysFiring
                expr: vector(1)
              - alert: Watchdog
                expr: vector(1) unless vector(1)
            """]
        try await withPrometheusHarness(options) { harness in
            // The webhook has refused a notification (from whichever member the cluster lets send).
            try await PrometheusHarness.eventually(60, "a failed webhook notification") {
                for url in harness.alertmanagerURLs {
                    let samples = Exposition.parse(try await HTTPGet.text(url + "/metrics")).samples
                    if (Exposition.sum(samples, "alertmanager_notification_requests_failed_total", matching: ["integration": "webhook"]) ?? 0) > 0 { return true }
                }
                return false
            }
            let flags = ["--url", harness.prometheusURL] + harness.alertmanagerURLs.flatMap { ["--alertmanager-url", $0] }
            let check = try await runCommand(binary, ["check"] + flags)
            #expect(check.exitCode == 2, "\(check.stdout)\(check.stderr)")
            #expect(check.stdout.contains("BROKEN   dead man's switch") && check.stdout.contains("Watchdog is not firing"), "\(check.stdout)")
            #expect(check.stdout.contains("every webhook notification request failed"), "\(check.stdout)")
            #expect(check.stdout.contains("OK       Prometheus → Alertmanager"), "\(check.stdout)")
            // One member stopped: said, and the other still answers (degraded, not broken, for that member).
            await harness.stopAlertmanager(1)
            let down = try await runCommand(binary, ["check"] + flags)
            let member = "Alertmanager \(harness.alertmanagerURLs[1].dropFirst("http://".count))"
            #expect(down.stdout.contains("DEGRADED \(member)") && down.stdout.contains("unreachable"), "\(down.stdout)")
            try await withTmux("\(binary) \(flags.joined(separator: " "))", width: 160, height: 40) { tmux in
                try await tmux.waitFor("the status bar", timeout: 45) { $0.contains("ALERTING BROKEN") }
                try await tmux.send("H")
                let health = try await tmux.waitFor("the checks") { $0.contains("Alerting pipeline: broken") }
                #expect(health.contains("Watchdog is not firing") && health.contains("unreachable"), "\(health)")
            }
            // The Watchdog removed (the rules file without it, reloaded): there is no dead man's switch to check.
            let rules = harness.directory.url.appendingPathComponent("rules-0.yml")
            let text = try String(contentsOf: rules, encoding: .utf8)
            try text.replacingOccurrences(of: "  - alert: Watchdog\n    expr: vector(1) unless vector(1)", with: "").write(to: rules, atomically: true, encoding: .utf8)
            #expect(try await HTTPGet.post(harness.prometheusURL + "/-/reload") == 200)
            try await PrometheusHarness.eventually(30, "the Watchdog gone from the rules") {
                try await !HTTPGet.text(harness.prometheusURL + "/api/v1/rules").contains("Watchdog")
            }
            // The member left sends too (the cluster lets the next one send once the stopped one is missed): its
            // own webhook requests have failed before its check is read.
            try await PrometheusHarness.eventually(60, "a failed webhook notification from the member left") {
                let samples = Exposition.parse(try await HTTPGet.text(harness.alertmanagerURLs[0] + "/metrics")).samples
                return (Exposition.sum(samples, "alertmanager_notification_requests_failed_total", matching: ["integration": "webhook"]) ?? 0) > 0
            }
            let removed = try await runCommand(binary, ["check"] + flags)
            #expect(!removed.stdout.contains("dead man's switch"), "\(removed.stdout)")
            #expect(removed.stdout.contains("every webhook notification request failed"), "\(removed.stdout)")
        }
    }
}
