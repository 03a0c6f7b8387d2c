import AsyncHTTPClient
import Foundation
import Synchronization

/// Debian's Prometheus and Alertmanager, started on free loopback ports with temporary data folders, scraping the
/// test exporter every second and evaluating the source design's alert rules (`examples/microservices.rules.yml`
/// with `for` and `interval` shortened). `withPrometheusHarness` stops every process, also when the test fails.
public final class PrometheusHarness: Sendable {
    public let directory: TemporaryDirectory
    public let prometheusPort: Int
    /// The first Alertmanager's port (of `alertmanagerPorts`).
    public var alertmanagerPort: Int { alertmanagerPorts.first ?? 0 }
    /// Every Alertmanager's port: one, or the members of a cluster (`Options.alertmanagers`).
    public let alertmanagerPorts: [Int]
    public let exporter: AdversarialServer?
    private let prometheusProcess: Mutex<ChildProcess>
    private let prometheusArguments: [String]
    let alertmanagers: [ChildProcess]
    var prometheus: ChildProcess { prometheusProcess.withLock { $0 } }

    public var prometheusURL: String { "http://127.0.0.1:\(prometheusPort)" }
    public var alertmanagerURL: String { "http://127.0.0.1:\(alertmanagerPort)" }
    public var alertmanagerURLs: [String] { alertmanagerPorts.map { "http://127.0.0.1:\($0)" } }
    /// The target that is configured but never answers.
    public static let downService = "shipping-service"

    public struct Options: Sendable {
        public var withExporter = true
        public var withAlertmanager = true
        /// How many Alertmanagers: more than one makes an HA cluster (`--cluster.peer`) that Prometheus sends to.
        public var alertmanagers = 1
        /// Contents of a `--web.config.file` (basic auth, TLS), if any.
        public var webConfig: String?
        /// A `scrape_configs:` section of its own (YAML, top level), used instead of the test exporter's. Set
        /// `withExporter` to false with it.
        public var scrapeConfigs: String?
        /// More flags for Prometheus (`--storage.tsdb.retention.time=2h`).
        public var prometheusArguments: [String] = []
        /// More rules files (their YAML), loaded besides the seed's.
        public var extraRules: [String] = []
        /// History in OpenMetrics (samples with their timestamps), written into the data folder with `promtool tsdb
        /// create-blocks-from openmetrics` before Prometheus starts: what a test needs from the past is there at
        /// once, not waited for.
        public var backfill: String?
        /// Prometheus' `external_labels` (`cluster: lab`): on what it sends to Alertmanager, not on its own series.
        public var externalLabels: [String: String] = [:]
        /// Where Prometheus sends its alerts instead of the harness' Alertmanagers (`127.0.0.1:PORT`, nothing
        /// listening there, say).
        public var alertingTargets: [String]?
        /// Where the Alertmanagers send: a webhook URL instead of the null receiver.
        public var webhook: String?
        public init() {}
    }

    init(
        directory: TemporaryDirectory, prometheusPort: Int, alertmanagerPorts: [Int], exporter: AdversarialServer?,
        prometheus: ChildProcess, prometheusArguments: [String], alertmanagers: [ChildProcess]
    ) {
        self.directory = directory
        self.prometheusPort = prometheusPort
        self.alertmanagerPorts = alertmanagerPorts
        self.exporter = exporter
        self.prometheusProcess = Mutex(prometheus)
        self.prometheusArguments = prometheusArguments
        self.alertmanagers = alertmanagers
    }

    /// The seed's rules with `for: 0s` (no test here is about `for`: the alerts fire at the first evaluation that
    /// sees them), a 1 s evaluation interval, and `keep_firing_for: 1m`: a scrape that misses its 1 s timeout must
    /// not resolve an alert between the test's wait and its look.
    public static func testRules() throws -> String {
        let url = Repository.root.appendingPathComponent("examples/microservices.rules.yml")
        return try String(contentsOf: url, encoding: .utf8)
            .replacingOccurrences(of: "for: 5m", with: "for: 0s\n    keep_firing_for: 1m")
            .replacingOccurrences(of: "interval: 30s", with: "interval: 1s")
    }

    /// Starts the harness, again on new ports when one of its processes found its port taken: a free port is only
    /// free until something binds it, and the tests run side by side.
    public static func startRetrying(_ options: Options) async throws -> PrometheusHarness {
        var attempt = 1
        while true {
            do {
                return try await start(options)
            } catch let error as TestFailure where attempt < 3 && error.description.contains("address already in use") {
                attempt += 1
            }
        }
    }

    static func start(_ options: Options) async throws -> PrometheusHarness {
        let dir = try TemporaryDirectory(prefix: "lookout-prom")
        var exporter: AdversarialServer?
        var alertmanagers: [ChildProcess] = []
        do {
            if options.withExporter { exporter = try TestExporter.serve() }
            let count = options.withAlertmanager ? max(1, options.alertmanagers) : 1
            let amPorts = try (0..<count).map { _ in try FreePort.allocate() }
            let clusterPorts = count > 1 ? try (0..<count).map { _ in try FreePort.allocate() } : []
            if options.withAlertmanager {
                let amConfig = try dir.write(
                    "alertmanager.yml",
                    options.webhook.map { url in
                        """
                        route: {receiver: "hook", group_wait: 1s, group_interval: 1s, repeat_interval: 1s}
                        receivers: [{name: "hook", webhook_configs: [{url: "\(url)", send_resolved: false}]}]
                        """
                    } ?? """
                    route: {receiver: "null", group_wait: 1s, group_interval: 1s}
                    receivers: [{name: "null"}]
                    """)
                for (i, port) in amPorts.enumerated() {
                    // One member alone has no cluster; members of a cluster gossip on loopback ports of their own.
                    let cluster = clusterPorts.isEmpty ? ["--cluster.listen-address="]
                        : ["--cluster.listen-address=127.0.0.1:\(clusterPorts[i])", "--cluster.advertise-address=127.0.0.1:\(clusterPorts[i])"]
                            + clusterPorts.indices.filter { $0 != i }.map { "--cluster.peer=127.0.0.1:\(clusterPorts[$0])" }
                    alertmanagers.append(try ChildProcess(
                        name: "alertmanager\(i == 0 ? "" : "-\(i + 1)")", executable: "/usr/bin/prometheus-alertmanager",
                        arguments: [
                            "--config.file=\(amConfig.path)", "--storage.path=\(dir.url.path)/am-data-\(i)",
                            "--web.listen-address=127.0.0.1:\(port)",
                        ] + cluster, directory: dir.url))
                }
            }
            let rules = try dir.write("rules.yml", try testRules())
            let extraRuleFiles = try options.extraRules.enumerated().map { try dir.write("rules-\($0.offset).yml", $0.element).path }
            var scrape = ""
            if let exporter {
                let targets = TestExporter.services.map {
                    """
                      - targets: ["127.0.0.1:\(exporter.port)"]
                        labels: {service: \($0.name), __metrics_path__: /metrics/\($0.name)}
                    """
                }.joined(separator: "\n")
                let closedPort = try FreePort.allocate()
                scrape = """
                    scrape_configs:
                    - job_name: microservices
                      honor_labels: true
                      static_configs:
                    \(targets)
                      - targets: ["127.0.0.1:\(closedPort)"]
                        labels: {service: \(downService)}
                    - job_name: kube-state-metrics
                      honor_labels: true
                      metrics_path: /metrics/kube-state-metrics
                      static_configs: [{targets: ["127.0.0.1:\(exporter.port)"]}]
                    """
            }
            if let custom = options.scrapeConfigs { scrape = custom }
            let targets = (options.alertingTargets ?? amPorts.map { "127.0.0.1:\($0)" }).map { "\"\($0)\"" }.joined(separator: ", ")
            let alerting = options.withAlertmanager || options.alertingTargets != nil ? "alerting: {alertmanagers: [{static_configs: [{targets: [\(targets)]}]}]}" : ""
            let external = options.externalLabels.isEmpty ? ""
                : ", external_labels: {" + options.externalLabels.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
            let config = try dir.write(
                "prometheus.yml",
                """
                global: {scrape_interval: 1s, evaluation_interval: 1s, scrape_timeout: 1s\(external)}
                rule_files: [\(([rules.path] + extraRuleFiles).map { "\"\($0)\"" }.joined(separator: ", "))]
                \(alerting)
                \(scrape)
                """)
            if let backfill = options.backfill {
                let input = try dir.write("backfill.om", backfill)
                let result = try await runCommand(
                    "/usr/bin/promtool", ["tsdb", "create-blocks-from", "openmetrics", "--quiet", input.path, "\(dir.url.path)/data"])
                guard result.exitCode == 0 else { throw TestFailure("promtool could not write the history: \(result.stderr)") }
            }
            let promPort = try FreePort.allocate()
            var arguments = [
                "--config.file=\(config.path)", "--storage.tsdb.path=\(dir.url.path)/data",
                "--web.listen-address=127.0.0.1:\(promPort)",
            ] + options.prometheusArguments
            if let webConfig = options.webConfig {
                arguments.append("--web.config.file=\(try dir.write("web.yml", webConfig).path)")
            }
            let prometheus = try ChildProcess(
                name: "prometheus", executable: "/usr/bin/prometheus", arguments: arguments, directory: dir.url)
            let harness = PrometheusHarness(
                directory: dir, prometheusPort: promPort, alertmanagerPorts: options.withAlertmanager ? amPorts : [], exporter: exporter,
                prometheus: prometheus, prometheusArguments: arguments, alertmanagers: alertmanagers)
            do {
                try await harness.waitUntilListening(port: promPort, process: prometheus)
                // History written before the start is only queryable once Prometheus has opened its blocks: until it
                // is ready, it answers 503 (the web config's auth and TLS would need the test's own client).
                if options.backfill != nil, options.webConfig == nil {
                    try await harness.waitUntilReady(port: promPort, process: prometheus)
                }
                for (port, process) in zip(amPorts, alertmanagers) { try await harness.waitUntilListening(port: port, process: process) }
            } catch {
                await harness.stop()
                throw error
            }
            return harness
        } catch {
            for alertmanager in alertmanagers { await alertmanager.stop() }
            exporter?.stop()
            dir.remove()
            throw error
        }
    }

    /// Waits until something accepts connections on the port (Prometheus answers even before it is ready; the
    /// web config may require auth, so a TCP connect is the check).
    func waitUntilListening(port: Int, process: ChildProcess, limit: TimeInterval = 15) async throws {
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            if !process.isRunning {
                throw TestFailure("\(process.name) exited early:\n\(process.logTail())")
            }
            if Self.canConnect(port: port) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("\(process.name) did not listen on \(port) within \(Int(limit)) s:\n\(process.logTail())")
    }

    /// Waits until `/-/ready` answers 200: Prometheus has opened its data and serves queries.
    func waitUntilReady(port: Int, process: ChildProcess, limit: TimeInterval = 30) async throws {
        let deadline = Date().addingTimeInterval(limit)
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/-/ready")
        request.method = .GET
        // A connection of its own (no pooled one left to a server that may be gone when the next test asks), and the
        // answer read to its end.
        request.headers.replaceOrAdd(name: "connection", value: "close")
        while Date() < deadline {
            if !process.isRunning { throw TestFailure("\(process.name) exited early:\n\(process.logTail())") }
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)),
                (try? await response.body.collect(upTo: 1 << 16)) != nil, response.status == .ok { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("\(process.name) was not ready on \(port) within \(Int(limit)) s:\n\(process.logTail())")
    }

    static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        } == 0
    }

    /// Stops Prometheus only (to test an unreachable server while the rest runs).
    public func stopPrometheus() async { await prometheus.stop() }

    /// Starts Prometheus again, on the same port with the same data, after `stopPrometheus()`.
    public func restartPrometheus() async throws {
        await prometheus.stop()
        let process = try ChildProcess(
            name: "prometheus", executable: "/usr/bin/prometheus", arguments: prometheusArguments, directory: directory.url)
        prometheusProcess.withLock { $0 = process }
        try await waitUntilListening(port: prometheusPort, process: process)
    }

    /// Stops one Alertmanager of the cluster (a member down).
    public func stopAlertmanager(_ index: Int) async {
        guard alertmanagers.indices.contains(index) else { return }
        await alertmanagers[index].stop()
    }

    public func stop() async {
        await prometheus.stop()
        for alertmanager in alertmanagers { await alertmanager.stop() }
        exporter?.stop()
        directory.remove()
    }

    /// Polls `condition` every 500 ms until it holds or `limit` seconds pass.
    public static func eventually(
        _ limit: TimeInterval, _ what: String, _ condition: () async throws -> Bool
    ) async throws {
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            if (try? await condition()) == true { return }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw TestFailure("timed out after \(Int(limit)) s waiting for \(what)")
    }
}

public func withPrometheusHarness<T: Sendable>(
    _ options: PrometheusHarness.Options = .init(), _ body: (PrometheusHarness) async throws -> T
) async throws -> T {
    try await using(try await PrometheusHarness.startRetrying(options), release: { await $0.stop() }, body)
}
