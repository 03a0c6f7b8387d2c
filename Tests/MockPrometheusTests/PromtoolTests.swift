import DashboardCore
import Foundation
import Testing
import TestSupport

@testable import MockPrometheus

/// Debian's `promtool` (a Prometheus client lookout did not write) against the mock.
@Suite("promtool against the mock", .timeLimit(.minutes(2)))
struct PromtoolTests {
    static let promtool = "/usr/bin/promtool"

    var queries: [String] {
        Dashboard.microservices.panels.flatMap { $0.targets.map(\.expr) }
    }

    @Test("promtool query instant and query range succeed for the dashboard's four queries")
    func dashboardQueries() async throws {
        try await withMockPrometheus { server in
            for expr in queries {
                let instant = try await runCommand(PromtoolTests.promtool, ["query", "instant", server.baseURL, expr])
                #expect(instant.exitCode == 0, "\(expr): \(instant.stderr)")
                for service in World.serviceNames { #expect(instant.stdout.contains("service=\"\(service)\""), "\(expr)") }

                let end = Int(Date().timeIntervalSince1970)
                let range = try await runCommand(
                    PromtoolTests.promtool,
                    ["query", "range", "--start=\(end - 3600)", "--end=\(end)", "--step=5m", server.baseURL, expr])
                #expect(range.exitCode == 0, "\(expr): \(range.stderr)")
                // 13 steps per series, printed as "value @[timestamp]".
                #expect(range.stdout.components(separatedBy: " @[").count - 1 == 4 * 13, "\(expr):\n\(range.stdout)")
            }
        }
    }

    @Test("promtool reads series, labels and the mock's parse errors")
    func metadataAndErrors() async throws {
        try await withMockPrometheus { server in
            let series = try await runCommand(PromtoolTests.promtool, ["query", "series", "--match=up", server.baseURL])
            #expect(series.exitCode == 0, "\(series.stderr)")
            #expect(series.stdout.split(separator: "\n").count == 4)
            let labels = try await runCommand(PromtoolTests.promtool, ["query", "labels", server.baseURL, "service"])
            #expect(labels.stdout.split(separator: "\n").map(String.init) == World.serviceNames.sorted())
            let bad = try await runCommand(PromtoolTests.promtool, ["query", "instant", server.baseURL, "sum(rate(x[5m])"])
            #expect(bad.exitCode != 0)
            #expect(bad.stderr.contains("bad_data: invalid parameter \"query\": 1:16: parse error: unclosed left parenthesis"), "\(bad.stderr)")
        }
    }

    @Test("promtool check metrics accepts /metrics", arguments: Scenario.allCases)
    func exposition(scenario: Scenario) async throws {
        let dir = try TemporaryDirectory(prefix: "lookout-mock-metrics")
        defer { dir.remove() }
        let world = World(seed: 9, scenario: scenario)
        let file = try dir.write("metrics.txt", world.exposition(at: Int64(Date().timeIntervalSince1970 * 1000)))
        let result = try await runCommand("/bin/sh", ["-c", "\(PromtoolTests.promtool) check metrics < '\(file.path)'"])
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
    }
}

/// `lookout mock` as a user runs it.
@Suite("lookout mock command", .timeLimit(.minutes(2)))
struct MockCommandTests {
    func lookout() throws -> String {
        guard let url = Repository.builtProduct("lookout") else {
            throw TestFailure("the lookout executable is not built next to the tests (run swift build --build-tests)")
        }
        return url.path
    }

    @Test("bad flags give one line and exit code 64", arguments: [
        ["mock", "--listen", "nonsense"], ["mock", "--listen", "127.0.0.1:99999"], ["mock", "--listen", ":9090"],
        ["mock", "--scenario", "chaos"], ["mock", "--seed", "-1"], ["mock", "--seed", "x"],
    ])
    func badFlags(arguments: [String]) async throws {
        let result = try await runCommand(try lookout(), arguments, timeLimit: 20)
        #expect(result.exitCode == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("prints its URL, answers like Prometheus, and stops on SIGTERM")
    func runs() async throws {
        let dir = try TemporaryDirectory(prefix: "lookout-mock-cli")
        defer { dir.remove() }
        let process = try ChildProcess(
            name: "lookout-mock", executable: try lookout(),
            arguments: ["mock", "--listen", "127.0.0.1:0", "--scenario", "outage", "--seed", "3"], directory: dir.url,
            maxLifetime: 120)
        do {
            var url: String?
            let deadline = Date().addingTimeInterval(60)
            while url == nil, Date() < deadline, process.isRunning {
                let log = process.logTail()
                if let range = log.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                    url = String(log[range])
                } else {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            let base = try #require(url, "no URL printed: \(process.logTail())")
            #expect(process.logTail().split(separator: "\n").count == 1)
            #expect(process.logTail().contains("scenario outage, seed 3"))
            let result = try await runCommand(PromtoolTests.promtool, ["query", "instant", base, #"up{job="microservices"} == 0"#])
            #expect(result.exitCode == 0)
            let down = try #require(World(seed: 3, scenario: .outage).downService)
            #expect(result.stdout.contains("service=\"\(down)\""), "\(result.stdout)")
            await process.stop()
            #expect(!process.isRunning)
        } catch {
            await process.stop()
            throw error
        }
    }

    @Test("a port in use is one clear line and a non-zero exit code")
    func portInUse() async throws {
        try await withMockPrometheus { server in
            let result = try await runCommand(try lookout(), ["mock", "--listen", "127.0.0.1:\(server.port)"], timeLimit: 20)
            #expect(result.exitCode == 1)
            #expect(result.stderr.contains("address already in use"), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
    }
}

/// Child processes of the tests get stdin, stdout and stderr only: a copy of a test server's listening socket in a
/// child (Prometheus, promtool) would keep that server's port open after it stopped.
@Suite("Test processes")
struct ChildProcessTests {
    @Test("a child inherits no descriptor but 0, 1 and 2")
    func noInheritedDescriptors() async throws {
        try await withMockPrometheus { _ in
            let result = try await runCommand("/bin/sh", ["-c", "ls /proc/$$/fd"])
            #expect(result.stdout.split(separator: "\n").map(String.init) == ["0", "1", "2"], "\(result.stdout)")
        }
    }
}
