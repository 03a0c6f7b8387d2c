import Foundation
import Testing
import TestSupport

/// The API gateway's smoke test as the operations dashboard watches it: Debian's blackbox exporter probes a local
/// `/health` for a Prometheus job `api-gateway-health`. While it answers, the probe panel is UP; once it answers 503,
/// the panel is DOWN, SmokeTestFailing fires, and `--require-healthy` exits 2.
@Suite("The API gateway's probe through a real blackbox exporter", .timeLimit(.minutes(3)))
struct BlackboxProbeTests {
    @Test func theProbePanelAndSmokeTestFailingFollowTheHealthEndpoint() async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        let failing = HealthSwitch()
        let health = try AdversarialServer.health(failing: failing)
        let dir = try TemporaryDirectory(prefix: "lookout-blackbox")
        defer { dir.remove() }
        let config = try dir.write("blackbox.yml", "modules:\n  http_2xx:\n    prober: http\n    timeout: 1s\n")
        let blackboxPort = try FreePort.allocate()
        let blackbox = try ChildProcess(
            name: "blackbox", executable: "/usr/bin/prometheus-blackbox-exporter",
            arguments: ["--config.file=\(config.path)", "--web.listen-address=127.0.0.1:\(blackboxPort)"], directory: dir.url)
        var options = PrometheusHarness.Options()
        options.withExporter = false
        options.withAlertmanager = false
        options.scrapeConfigs = """
            scrape_configs:
            - job_name: api-gateway-health
              metrics_path: /probe
              params: {module: [http_2xx]}
              static_configs: [{targets: ["\(health.url)/health"]}]
              relabel_configs:
              - {source_labels: [__address__], target_label: __param_target}
              - {source_labels: [__param_target], target_label: instance}
              - {target_label: __address__, replacement: "127.0.0.1:\(blackboxPort)"}
            """
        // SmokeTestFailing as shipped, with `for: 2s` instead of 2 minutes.
        let rules = try String(contentsOf: Repository.root.appendingPathComponent("examples/operations-rules.yml"), encoding: .utf8)
        options.extraRules = [rules.replacingOccurrences(of: "for: 2m", with: "for: 2s").replacingOccurrences(of: "interval: 30s", with: "interval: 1s")]
        do {
            try await withPrometheusHarness(options) { harness in
                let url = harness.prometheusURL
                try await PrometheusHarness.eventually(40, "the probe panel UP") {
                    let out = try await runCommand(binary, ["snapshot", "--url", url, "--dashboard", "operations"]).stdout
                    return out.contains("API Gateway Health Probe  (1/1 up)") && out.contains("UP  api-gateway")
                }
                failing.fail()
                try await PrometheusHarness.eventually(60, "the probe DOWN and SmokeTestFailing firing") {
                    let result = try await runCommand(binary, ["snapshot", "--url", url, "--dashboard", "operations", "--require-healthy"])
                    return result.stdout.contains("DOWN  api-gateway") && result.stdout.range(of: #"CRIT +SmokeTestFailing"#, options: .regularExpression) != nil
                        && result.exitCode == 2 && result.stderr.contains("not healthy: API Gateway Health Probe: api-gateway DOWN")
                }
            }
        } catch {
            await blackbox.stop()
            health.stop()
            throw error
        }
        // Prometheus is stopped: nothing probes any more.
        await blackbox.stop()
        health.stop()
    }
}
