import ArgumentParser
import FoundationEssentials
import Glibc
import SafeText
import MockPrometheus

/// `lookout mock`: the mock Prometheus alone, for demos and for other Prometheus clients.
struct MockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock",
        abstract: "Serve a mock Prometheus with synthetic microservices data and the design's alerts.",
        discussion: """
            Speaks the Prometheus HTTP API (query, query_range, alerts, rules, targets, series, labels) and serves \
            /metrics, over deterministic data of user-, order-, inventory- and payment-service: the same seed and \
            scenario give the same values for the same instant. Runs until interrupted (Ctrl-C or SIGTERM).

            Scenarios:
              calm          nothing fires
              incident      errors, latency, a crash loop, a missing replica
              outage        one service (chosen by the seed) is down
              flapping      alerts go pending, fire and resolve every few minutes
              backup-stale  the nightly backup last succeeded 30 h ago and its job failed
            """
    )

    @Option(help: ArgumentHelp("Address and port to listen on (host:port; port 0 picks a free one).", valueName: "host:port"))
    var listen = "127.0.0.1:9090"

    @Option(help: ArgumentHelp("Seed of the synthetic data (0 … 2^64-1).", valueName: "n"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("What the world goes through: calm, incident, outage, flapping or backup-stale.", valueName: "name"))
    var scenario: Scenario = .incident

    /// `host:port`, `[::1]:port`; nil when malformed.
    static func parseListen(_ text: String) -> (host: String, port: Int)? {
        var host: Substring
        var portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") { return nil }
        }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "/" }),
              let port = Int(portText), (0...65_535).contains(port)
        else { return nil }
        return (String(host), port)
    }

    func validate() throws {
        guard MockCommand.parseListen(listen) != nil else {
            throw ValidationError("bad --listen '\(listen)': expected host:port, such as 127.0.0.1:9090 or [::1]:9090")
        }
    }

    func run() async throws {
        guard let (host, port) = MockCommand.parseListen(listen) else {
            throw ValidationError("bad --listen '\(listen)'")
        }
        if !MockPrometheusServer.isLoopback(host) {
            StandardError.write("warning: the mock has no authentication and answers anyone who can reach \(host); --listen 127.0.0.1:PORT keeps it to this machine")
        }
        var configuration = MockPrometheusServer.Configuration()
        configuration.warmUp = true
        configuration.host = host
        configuration.port = port
        configuration.seed = seed
        configuration.scenario = scenario
        let scenario = scenario
        let seed = seed
        do {
            try await MockPrometheusServer.run(configuration) { bound in
                let shown = host.contains(":") ? "[\(host)]" : host
                let line = "lookout mock: Prometheus API on http://\(shown):\(bound) (scenario \(scenario.rawValue), seed \(seed))\n"
                StandardStream.output.write(line)
            }
        } catch {
            throw CommandError(description: "cannot serve on \(listen): \(Self.describe(error))", exitCode: 1)
        }
    }

    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("Address already in use") || text.contains("errno: 98") { return "address already in use" }
        if text.contains("Cannot assign requested address") || text.contains("errno: 99") {
            return "cannot assign the address (not an address of this machine)"
        }
        return text.split(separator: "\n").first.map(String.init) ?? text
    }
}

extension Scenario: ExpressibleByArgument {}
