import DashboardCore
import Foundation
import Logging
import LookoutApp
import LookoutUI
import PrometheusAPI
import SafeText
import TerminalCanvas
import Testing
import TestSupport

/// The run loop (`DashboardApp`) with an in-memory terminal and a scripted server on 127.0.0.1: what it asks the
/// server, what reaches the screen, which answers it drops, when it calls the server unreachable, the theme it draws
/// with, and that a signal ends it.
@Suite("The run loop with an in-memory terminal", .serialized, .timeLimit(.minutes(3)))
@MainActor
struct RunLoopTests {
    /// Answers every query of the built-in dashboard with one series per service whose value is `value`.
    nonisolated static func answers(value: String, delay: Double = 0) -> @Sendable (AdversarialServer.Request) -> AdversarialServer.Behaviour {
        { request in
            let now = Int(Date().timeIntervalSince1970)
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            if request.path.hasSuffix("/alerts") {
                return .json(#"{"status":"success","data":{"alerts":[]}}"#)
            }
            let services = ["payment-service", "user-service"]
            if request.path.hasSuffix("/query_range") {
                // Points on the asked grid, up to its end, as Prometheus answers.
                let end = request.number("end") ?? Double(now)
                let step = request.number("step") ?? 60
                let start = request.number("start") ?? end - 9 * step
                let count = min(10, Int((end - start) / step) + 1)
                let values = (0..<count).map { #"[\#(end - step * Double(count - 1 - $0)),"\#(value)"]"# }.joined(separator: ",")
                let series = services.map { #"{"metric":{"service":"\#($0)","job":"microservices","instance":"\#($0):8080"},"values":[\#(values)]}"# }
                return .json(#"{"status":"success","data":{"resultType":"matrix","result":[\#(series.joined(separator: ","))]}}"#)
            }
            let series = services.map { #"{"metric":{"service":"\#($0)","job":"microservices","instance":"\#($0):8080"},"value":[\#(now),"1"]}"# }
            return .json(#"{"status":"success","data":{"resultType":"vector","result":[\#(series.joined(separator: ","))]}}"#)
        }
    }

    @Test func oneRefreshAsksForEveryPanelAndTheAlertsAndDrawsTheAnswers() async throws {
        let server = try AdversarialServer(Self.answers(value: "0.2"))
        defer { server.stop() }
        try await withDashboardApp(url: server.url, themes: ["default", "light"]) { _, terminal in
            let text = try await waitForScreen(terminal, "the panels") { $0.contains("2/2 up") && $0.contains("20.0 % CRIT") && $0.contains("No alerts firing") }
            #expect(text.contains("20.0 % CRIT"), "the error rate of 0.2 against its thresholds")
            let paths = server.requests.map(\.path)
            // Per refresh (one /alerts each; on a loaded machine more than one may pass before the screen shows all):
            // three graph panels, the health panel's instant query, its expected series (instant and over the range),
            // and while no answer is kept the graphs' series counts (count(…): beyond 50 series, the top ones are asked).
            let refreshes = paths.filter { $0.hasSuffix("/alerts") }.count
            #expect(refreshes >= 1)
            #expect(paths.filter { $0.hasSuffix("/query_range") }.count == 4 * refreshes)
            let instant = paths.filter { $0.hasSuffix("/query") }.count
            // (and the health panel's expected series, counted once: beyond 1000, the server counts them per name).
            #expect(instant >= 2 * refreshes + 4 && instant <= 6 * refreshes, "\(instant) instant queries in \(refreshes) refreshes")
            #expect(terminal.frames.allSatisfy { $0.canvas.width == 120 && $0.canvas.height == 40 })
        }
    }

    @Test func anAnswerOfAnOlderRefreshIsDropped() async throws {
        // The first refresh is answered slowly with 0.5; the second, asked for at once, quickly with 0.01.
        let server = try AdversarialServer(Self.answers(value: "0.5", delay: 1.5))
        defer { server.stop() }
        try await withDashboardApp(url: server.url, themes: ["default", "light"]) { app, terminal in
            try await Task.sleep(for: .milliseconds(200))
            server.behave(Self.answers(value: "0.01"))
            app.post(.key(.char("r")))
            _ = try await waitForScreen(terminal, "the second refresh") { $0.contains("1.0 % WARN") }
            // Long enough for the first refresh's answers to have come back.
            try await Task.sleep(for: .seconds(2))
            #expect(!terminal.screen.joined().contains("50.0 %"), "an older generation's answer was drawn")
            #expect(terminal.screen.joined().contains("1.0 % WARN"))
        }
    }

    @Test func aServerThatRefusesIsUnreachableAndOneThatRejectsQueriesIsNot() async throws {
        let port = try FreePort.allocate()
        try await withDashboardApp(url: "http://127.0.0.1:\(port)", themes: ["default", "light"]) { _, terminal in
            let text = try await waitForScreen(terminal, "cannot reach in the status bar") { $0.contains("retrying in") }
            #expect(text.split(separator: "\n").first?.contains("cannot reach 127.0.0.1:\(port)") == true)
        }
        let server = try AdversarialServer { _ in
            .json(#"{"status":"error","errorType":"bad_data","error":"parse error"}"#, status: 400)
        }
        defer { server.stop() }
        try await withDashboardApp(url: server.url, themes: ["default", "light"]) { _, terminal in
            let text = try await waitForScreen(terminal, "the failed queries") { $0.contains("query failed") && $0.contains("alerts unavailable") }
            #expect(!text.contains("cannot reach"), "every query failed, but the server answered")
        }
    }

    @Test func tDrawsWithTheNextTheme() async throws {
        let server = try AdversarialServer(Self.answers(value: "0.01"))
        defer { server.stop() }
        try await withDashboardApp(url: server.url, themes: ["default", "light", "mono"]) { app, terminal in
            _ = try await waitForScreen(terminal, "the panels") { $0.contains("payment-service") }
            #expect(terminal.frames.last?.theme == "default")
            app.post(.key(.char("t")))
            app.post(.key(.char("t")))
            _ = try await waitForScreen(terminal, "the mono theme") { _ in terminal.frames.last?.theme == "mono" }
            #expect(terminal.frames.last?.theme == "mono")
        }
    }

    @Test func qAndSignalsEndTheLoopWithoutRestoringTheTerminal() async throws {
        let server = try AdversarialServer(Self.answers(value: "0.01"))
        defer { server.stop() }
        let terminal = MemoryTerminal(width: 80, height: 24)
        let options = ConnectionOptions(baseURL: try #require(URL(string: server.url)))
        let client = try PrometheusClient(options: options)
        for event: AppEvent in [.key(.char("q")), .signal(SIGHUP), .signal(SIGINT), .key(.ctrl("c"))] {
            let app = DashboardApp(
                terminal: terminal, client: client, dashboard: .microservices, theme: try Theme.named("default"),
                themes: [], rangeSeconds: 3600, refreshSeconds: 60, options: RenderOptions(),
                logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
            let loop = Task { @MainActor in await app.run() }
            app.post(event)
            _ = await loop.value
        }
        await client.shutdown()
        #expect(terminal.restored == 0, "the caller restores the terminal, once")
    }
}
