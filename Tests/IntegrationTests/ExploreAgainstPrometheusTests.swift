import Foundation
import LookoutApp
import LookoutUI
import PrometheusAPI
import TerminalCanvas
import Testing
import TestSupport

extension AgainstOnePrometheus {
    /// Explore and `lookout query` against Debian's real Prometheus scraping the test exporter.
    @Suite("Explore and lookout query against a real Prometheus", .timeLimit(.minutes(3)))
    struct ExploreAgainstPrometheusTests {
        func binary() throws -> String {
            guard let url = Repository.builtProduct("lookout") else { throw TestFailure("the lookout executable is not built") }
            return url.path
        }

        /// Waits until Prometheus has scraped every service of the test exporter.
        func waitForEveryService(_ url: String) async throws {
            let lookout = try binary()
            try await PrometheusHarness.eventually(40, "a scrape of every service") {
                let out = try await runCommand(lookout, ["query", "--url", url, #"http_requests_total"#]).stdout
                return TestExporter.services.allSatisfy { out.contains($0.name) }
            }
        }

        @Test("completion offers http_requests_total and the exporter's services; a parse error's caret is where Prometheus says")
        func completionAndCaret() async throws {
            try await withSharedPrometheus { harness in
                try await waitForEveryService(harness.prometheusURL)
                try await Self.drive(url: harness.prometheusURL)
            }
        }

        /// Explore in the run loop with an in-memory terminal: completion, a parse error, a result.
        @MainActor static func drive(url: String) async throws {
            try await withDashboardApp(url: url, width: 80, height: 24) { app, terminal in
                @MainActor func type(_ text: String) { for c in text { app.post(.key(.char(c))) } }
                type(":explore")
                app.post(.key(.enter))
                type("rate(http_req")
                app.post(.key(.tab))
                let popup = try await waitForScreen(terminal, "the metric names") { $0.contains("http_requests_total") }
                #expect(popup.contains("http_request_duration_seconds_bucket"))
                app.post(.key(.escape))
                app.post(.key(.ctrl("u")))
                type("http_requests_total{service=\"")
                app.post(.key(.tab))
                let services = try await waitForScreen(terminal, "the services") { $0.contains("payment-service") }
                for service in TestExporter.services { #expect(services.contains(service.name), "\(service.name)") }
                app.post(.key(.escape))
                // A parse error: the caret under the column of Prometheus' message.
                app.post(.key(.ctrl("u")))
                type("sum(rate(http_requests_total[5m])")
                app.post(.key(.enter))
                let text = try await waitForScreen(terminal, "the parse error") { $0.contains("parse error") }
                let problem = try #require((app.app.top as? ExploreScreen)?.problem)
                let column = try #require(problem.message.split(separator: ":").dropFirst().first.flatMap { Int($0) })
                #expect(problem.caret == column - 1, "\(problem.message)")
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                let caretLine = try #require(lines.firstIndex { $0.contains("^") })
                #expect(lines[caretLine].firstIndex(of: "^").map { lines[caretLine].distance(from: lines[caretLine].startIndex, to: $0) } == 3 + (problem.caret ?? -10))
                // A query that works: the chart and the table.
                app.post(.key(.ctrl("u")))
                type("sum by (service) (http_requests_total)")
                app.post(.key(.enter))
                let result = try await waitForScreen(terminal, "the result") { $0.contains("4 series") }
                #expect(result.contains("labels (o: by value)") && result.contains("service=\"user-service\""))
            }
        }

        @Test("lookout query: text, json and csv, and each exit code")
        func queryCommand() async throws {
            let lookout = try binary()
            try await withSharedPrometheus { harness in
                let url = harness.prometheusURL
                try await waitForEveryService(url)
                let text = try await runCommand(lookout, ["query", "--url", url, #"up{job="microservices"}"#])
                #expect(text.exitCode == 0)
                let header = text.stdout.split(separator: "\n").first.map(String.init) ?? ""
                #expect(header.hasPrefix("__name__") && header.hasSuffix("value"), "\(header)")
                for service in TestExporter.services { #expect(text.stdout.contains(service.name)) }

                // --var fills $name (escaped for its quotes); Grafana's built-ins are computed for the query.
                let withVar = try await runCommand(lookout, [
                    "query", "--url", url, "--output", "csv", "--var", "job=microservices", #"max_over_time(up{job="$job"}[$__rate_interval])"#,
                ])
                #expect(withVar.exitCode == 0, "\(withVar.stderr)")
                #expect(withVar.stdout.split(separator: "\n").count == 1 + TestExporter.services.count + 1, "\(withVar.stdout)")
                let badVar = try await runCommand(lookout, ["query", "--url", url, "--var", "job", "up"])
                #expect(badVar.exitCode != 0 && badVar.stderr.contains("bad --var 'job': expected name=value"), "\(badVar.stderr)")

                let csv = try await runCommand(lookout, ["query", "--url", url, "--output", "csv", #"up{job="microservices"}"#])
                #expect(csv.exitCode == 0)
                #expect(csv.stdout.hasPrefix("__name__,instance,job,service,timestamp,value\n"), "\(csv.stdout)")
                // The exporter's services and the target that is down.
                #expect(csv.stdout.split(separator: "\n").count == 1 + TestExporter.services.count + 1)

                let json = try await runCommand(lookout, ["query", "--url", url, "--output", "json", "--range", "1m", "--step", "15s", #"up{job="microservices"}"#])
                #expect(json.exitCode == 0)
                let decoded = try JSONDecoder().decode(QueryResult.self, from: Data(json.stdout.utf8))
                guard case .matrix(let streams) = decoded else { Issue.record("not a matrix: \(json.stdout)"); return }
                #expect(streams.count == TestExporter.services.count + 1)

                // --from and --to: a range query over exactly that window.
                let start = Date().addingTimeInterval(-90)
                let fromTo = try await runCommand(lookout, [
                    "query", "--url", url, "--output", "json", "--from", RFC3339.format(start), "--to", "now", "--step", "15s", #"up{job="microservices"}"#,
                ])
                #expect(fromTo.exitCode == 0, "\(fromTo.stderr)")
                if case .matrix(let streams)? = try? JSONDecoder().decode(QueryResult.self, from: Data(fromTo.stdout.utf8)) {
                    let times = streams.flatMap { $0.values.map(\.timestamp) }
                    #expect(!times.isEmpty && times.allSatisfy { $0 >= start.timeIntervalSince1970 - 0.001 }, "\(times)")
                } else {
                    Issue.record("not a matrix: \(fromTo.stdout)")
                }
                for (flags, says) in [
                    (["--from", "soon"], "bad --from 'soon'"), (["--at", "now", "--from", "-5m"], "--at is for an instant query"),
                    (["--to", "-1m"], "--to needs --from or --range"), (["--from", "-5m", "--to", "-1m", "--range", "1m"], "give two of the three"),
                ] {
                    let bad = try await runCommand(lookout, ["query", "--url", url] + flags + ["up"])
                    #expect(bad.exitCode == 64 && bad.stderr.split(separator: "\n").first?.contains(says) == true, "\(flags): \(bad.stderr)")
                }

                let empty = try await runCommand(lookout, ["query", "--url", url, #"up{job="nothing"}"#])
                #expect(empty.exitCode == 1 && empty.stdout.isEmpty)
                #expect(empty.stderr.contains("no data: the query matched no series"), "an empty answer says so: \(empty.stderr)")

                let parse = try await runCommand(lookout, ["query", "--url", url, "sum(rate(up[5m])"])
                #expect(parse.exitCode == 64)
                let lines = parse.stderr.split(separator: "\n").map(String.init)
                #expect(lines.first?.contains("parse error") == true, "\(parse.stderr)")
                // Prometheus names the column; the caret stands under it (two spaces of indent).
                let column = lines.first.flatMap { line in line.range(of: #"\d+:\d+: parse"#, options: .regularExpression).map { Int(line[$0].split(separator: ":")[1]) } } ?? nil
                #expect(lines.count == 3 && lines[2].firstIndex(of: "^").map { lines[2].distance(from: lines[2].startIndex, to: $0) } == 2 + (column ?? 0) - 1, "\(parse.stderr)")

                let down = try await runCommand(lookout, ["query", "--url", "http://127.0.0.1:\(try FreePort.allocate())", "up"])
                #expect(down.exitCode == 3 && down.stderr.contains("cannot reach"))
                let badFlag = try await runCommand(lookout, ["query", "--url", url, "--at", "yesterday", "up"])
                #expect(badFlag.exitCode == 64)
            }
        }
    }
}
