import DashboardCore
import Foundation
import LookoutApp
import PrometheusAPI
import Testing
import TestSupport

/// lookout against Debian's real Prometheus and Alertmanager, scraping the test exporter.
@Suite("Snapshot against a real Prometheus", .timeLimit(.minutes(3)))
struct SnapshotAgainstPrometheusTests {
    static let alertNames: Set = ["HighErrorRate", "HighLatency", "PodCrashLooping", "DeploymentReplicasMismatch"]

    func options(_ url: String) throws -> ConnectionOptions {
        ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(url))
    }

    func lookoutBinary() throws -> String {
        guard let url = Repository.builtProduct("lookout") else {
            throw TestFailure("the lookout executable is not built next to the tests (run swift build --build-tests)")
        }
        return url.path
    }

    /// Waits until all four rules of the source design fire.
    func waitForAllAlerts(_ client: PrometheusClient) async throws {
        try await PrometheusHarness.eventually(30, "the four alerts to fire") {
            let firing = try await client.alerts().data.filter { $0.state == .firing }.map(\.name)
            return Set(firing) == Self.alertNames
        }
    }

    @Test("the seed's rules, as the tests load them, pass promtool check rules")
    func rulesPassPromtool() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("rules.yml", try PrometheusHarness.testRules())
        let result = try await runCommand("/usr/bin/promtool", ["check", "rules", file.path])
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("SUCCESS: 4 rules found"))
        let shipped = try await runCommand(
            "/usr/bin/promtool", ["check", "rules", Repository.root.appendingPathComponent("examples/microservices.rules.yml").path])
        #expect(shipped.exitCode == 0, "\(shipped.stdout)\(shipped.stderr)")
    }

    @Test("the operations rules pass promtool check rules and their unit tests (promtool test rules)")
    func operationsRulesPassPromtool() async throws {
        let rules = Repository.root.appendingPathComponent("examples/operations-rules.yml").path
        let check = try await runCommand("/usr/bin/promtool", ["check", "rules", rules])
        #expect(check.exitCode == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("SUCCESS: 4 rules found"))
        let tests = Repository.root.appendingPathComponent("examples/operations-rules.test.yml").path
        let unit = try await runCommand("/usr/bin/promtool", ["test", "rules", tests])
        #expect(unit.exitCode == 0, "\(unit.stdout)\(unit.stderr)")
        #expect(unit.stdout.contains("SUCCESS"))
    }

    @Test("the operations dashboard: a backup two nights old is CRIT, and --require-healthy exits 2 naming it")
    func operationsGate() async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        var options = PrometheusHarness.Options()
        options.withAlertmanager = false
        try await withPrometheusHarness(options) { harness in
            try await PrometheusHarness.eventually(40, "a scrape of kube-state-metrics") {
                let out = try await runCommand(binary, ["query", "--url", harness.prometheusURL, "kube_cronjob_status_last_successful_time"]).stdout
                return out.contains("postgresql-backup")
            }
            // A scrape of the exporter that misses its 1 s timeout on a loaded machine makes its series stale for a
            // moment: the snapshot is asked again (up to 10 times, a second apart) until `ready` holds.
            func operations(_ extra: [String], until ready: (CommandResult) -> Bool) async throws -> CommandResult {
                let arguments = ["snapshot", "--url", harness.prometheusURL, "--dashboard", "operations"] + extra
                var result = try await runCommand(binary, arguments)
                for _ in 0..<10 where !ready(result) {
                    try await Task.sleep(for: .seconds(1))
                    result = try await runCommand(binary, arguments)
                }
                return result
            }
            let text = try await operations([]) { $0.stdout.contains("postgresql-backup") && $0.stdout.contains("backup-pvc") }
            #expect(text.stdout.contains("Operations: Backups and Disaster Recovery"))
            #expect(text.stdout.range(of: #"postgresql-backup +\S* *last 2\.5 d .* CRIT"#, options: .regularExpression) != nil, "\(text.stdout)")
            #expect(text.stdout.range(of: #"backup-pvc .*last 41\.0 % .* ok"#, options: .regularExpression) != nil, "\(text.stdout)")
            // The same for the gate.
            let gate = try await operations(["--require-healthy"]) { $0.stderr.contains("postgresql-backup") }
            #expect(gate.exitCode == 2)
            #expect(gate.stderr.contains("not healthy: Last Successful Backup (age): postgresql-backup CRIT at 2.5 d"), "\(gate.stderr)")
        }
    }

    @Test("a window past the server's retention says there is no data before it, in text and JSON")
    func pastRetention() async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        var options = PrometheusHarness.Options()
        options.withAlertmanager = false
        options.prometheusArguments = ["--storage.tsdb.retention.time=2h"]
        try await withPrometheusHarness(options) { harness in
            let text = try await runCommand(binary, ["snapshot", "--url", harness.prometheusURL, "--from", "-5h", "--to", "-4h"])
            #expect(text.stdout.split(separator: "\n").dropFirst().first?.hasPrefix("no data before ") == true, "\(text.stdout)")
            #expect(text.stdout.contains("(the server keeps 2h)"))
            let json = try await runCommand(binary, ["snapshot", "--url", harness.prometheusURL, "--from", "-5h", "--to", "-4h", "--output", "json"])
            let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            let stamp = try #require(decoded?["noDataBefore"] as? String)
            let before = try #require(RFC3339.parse(stamp))
            #expect(abs(before.timeIntervalSinceNow + 7200) < 60)
            // A window inside the retention says nothing of it.
            let recent = try await runCommand(binary, ["snapshot", "--url", harness.prometheusURL, "--from", "-90m", "--to", "-30m"])
            #expect(!recent.stdout.contains("no data before"), "\(recent.stdout)")
        }
    }

    @Test("an invalid query gives Prometheus' bad_data message")
    func invalidQuery() async throws {
        var options = PrometheusHarness.Options()
        options.withExporter = false
        options.withAlertmanager = false
        try await withPrometheusHarness(options) { harness in
            try await withPrometheusClient(try self.options(harness.prometheusURL)) { client in
                try await PrometheusHarness.eventually(20, "Prometheus to answer") {
                    (try? await client.buildInfo()) != nil
                }
                let error = await #expect(throws: PrometheusError.self) {
                    _ = try await client.query("sum(rate(http_requests_total[5m])) by (service")
                }
                guard case .api(let type, let message, let status) = error else {
                    Issue.record("expected an API error, got \(String(describing: error))")
                    return
                }
                #expect(type == "bad_data")
                #expect(status == 400)
                #expect(message.contains("parse error"))
                #expect(error?.description.hasPrefix("Prometheus API error bad_data (HTTP 400): invalid parameter") == true)

                let build = try await client.buildInfo().data
                #expect(build.version.hasPrefix("2."))
                let targets = try await client.targets().data
                #expect(targets.activeTargets.isEmpty)
                let rules = try await client.rules().data
                #expect(rules.first?.rules.map(\.name).sorted() == Self.alertNames.sorted())
            }
        }
    }

    @Test("a stopped Prometheus gives the transport error and exit code 3")
    func stoppedPrometheus() async throws {
        let binary = try lookoutBinary()
        var options = PrometheusHarness.Options()
        options.withExporter = false
        options.withAlertmanager = false
        try await withPrometheusHarness(options) { harness in
            await harness.stopPrometheus()
            let result = try await runCommand(binary, ["snapshot", "--url", harness.prometheusURL])
            #expect(result.exitCode == 3, "stdout: \(result.stdout)")
            #expect(result.stderr.contains("cannot reach \(harness.prometheusURL)/api/v1/"), "\(result.stderr)")
            #expect(result.stderr.contains("connection refused"), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
        }
    }

    @Test("basic auth: a wrong password gives 401 unauthorized, the right one gives data")
    func basicAuth() async throws {
        let binary = try lookoutBinary()
        var options = PrometheusHarness.Options()
        options.withExporter = false
        options.withAlertmanager = false
        // bcrypt of "correct-horse" (cost 4).
        options.webConfig = #"basic_auth_users: {oncall: "$2b$04$hu/nmv0zvLY9b4uCi7PAcudgc38QWykrXz7qUWOsL7NK3Nz39omnu"}"#
        try await withPrometheusHarness(options) { harness in
            var wrong = try self.options(harness.prometheusURL)
            wrong.authorization = .basic(username: "oncall", password: "wrong")
            try await withPrometheusClient(wrong) { client in
                let error = await #expect(throws: PrometheusError.self) { _ = try await client.buildInfo() }
                #expect(error?.description.lowercased().contains("401 unauthorized") == true, "\(String(describing: error))")
            }
            var right = try self.options(harness.prometheusURL)
            right.authorization = .basic(username: "oncall", password: "correct-horse")
            try await withPrometheusClient(right) { client in
                try await PrometheusHarness.eventually(20, "Prometheus to answer with the password") {
                    (try? await client.buildInfo()) != nil
                }
                let result = try await client.query("vector(42)").data
                #expect(result.streams.first?.values.first?.value == 42)
            }

            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            let passwordFile = try dir.write("password", "correct-horse\n")
            let ok = try await runCommand(binary, [
                "snapshot", "--url", harness.prometheusURL, "--basic-auth-user", "oncall",
                "--basic-auth-password-file", passwordFile.path,
            ])
            #expect(ok.exitCode == 0, "\(ok.stdout)\(ok.stderr)")
            #expect(ok.stdout.contains("Alerts: nothing firing"))
            var environment = ProcessInfo.processInfo.environment
            environment["LOOKOUT_TEST_PASSWORD"] = "nope"
            let denied = try await runCommand(binary, [
                "snapshot", "--url", harness.prometheusURL, "--basic-auth-user", "oncall",
                "--basic-auth-password-env", "LOOKOUT_TEST_PASSWORD",
            ], environment: environment)
            #expect(denied.exitCode == 3)
            #expect(denied.stderr.contains("HTTP 401 Unauthorized"), "\(denied.stderr)")
        }
    }
}
