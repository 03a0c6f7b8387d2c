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

/// The run loop (`DashboardApp`) in process: an in-memory terminal, a scripted transport and a clock the test moves.
/// What it asks the server, what reaches the screen, which answers it drops, when it calls the server unreachable,
/// the theme it draws with, and that a signal ends it. Nothing here waits for the network or for real seconds.
@Suite("The run loop in process", .timeLimit(.minutes(1)))
@MainActor
struct RunLoopTests {
    @Test func oneRefreshAsksForEveryPanelAndTheAlertsAndDrawsTheAnswers() async throws {
        let transport = ScriptedTransport(ScriptedAnswers.dashboard(value: "0.2"))
        try await withScriptedApp(transport) { _, terminal, _ in
            let text = try await waitForScreen(terminal, "the panels") { $0.contains("2/2 up") && $0.contains("20.0 % CRIT") && $0.contains("No alerts firing") }
            #expect(text.contains("20.0 % CRIT"), "the error rate of 0.2 against its thresholds")
            // The clock does not move: exactly one refresh. Three graph panels and the health panel's expected series
            // over the range; the health panel's present and expected series, and, while no answer is kept, the
            // count of each graph's series and of the health panel's expected ones (beyond the limits, the top
            // series are asked, or the server counts per name); the alerts; the retention, once.
            let paths = transport.paths
            #expect(paths.filter { $0.hasSuffix("/query_range") }.count == 4)
            // And, the window's last whole step being more than 15 s before now, each graph panel asked at now.
            #expect(paths.filter { $0.hasSuffix("/query") }.count == 6 + 3)
            #expect(paths.filter { $0.hasSuffix("/alerts") }.count == 1)
            #expect(paths.filter { $0.hasSuffix("/runtimeinfo") }.count == 1)
            #expect(terminal.frames.allSatisfy { $0.canvas.width == 120 && $0.canvas.height == 40 })
        }
    }

    @Test func theNextRefreshComesWhenTheClockSaysAndAsksOnlyForWhatIsNew() async throws {
        let transport = ScriptedTransport(ScriptedAnswers.dashboard(value: "0.2"))
        try await withScriptedApp(transport, refreshSeconds: 60) { app, terminal, clock in
            _ = try await waitForScreen(terminal, "the panels") { $0.contains("20.0 % CRIT") }
            // The whole refresh is in (its end included) before the clock moves: else its deadline would pass.
            await app.waitForBackgroundWork()
            let first = transport.requests.count
            clock.advance(by: 59)
            // Ticks are events: a frame follows each, and no request has gone out before the interval.
            app.post(.notice("59 s later"))
            _ = try await waitForScreen(terminal, "59 s later") { $0.contains("59 s later") }
            #expect(transport.requests.count == first, "asked again before the refresh interval")
            transport.behave(ScriptedAnswers.dashboard(value: "0.01"))
            clock.advance(by: 1)
            _ = try await waitForScreen(terminal, "the second refresh") { $0.contains("1.0 % WARN") }
            // The counts are kept: the second refresh asks no count(…) again.
            let second = transport.requests.dropFirst(first)
            #expect(!second.contains { ($0.field("query") ?? "").hasPrefix("count(") })
            // runtimeinfo (the retention, a failed reload) comes with the pipeline's checks, once a minute at most.
            #expect(second.filter { $0.path.hasSuffix("/runtimeinfo") }.count <= 1, "runtimeinfo is asked once a minute at most")
        }
    }

    @Test func anAnswerOfAnOlderRefreshIsDropped() async throws {
        // The first refresh's answers (0.5) are held until the second refresh (0.01) is on the screen.
        let gate = Gate()
        let transport = ScriptedTransport { request in
            await gate.wait()
            return ScriptedAnswers.answer(request, value: "0.5")
        }
        try await withScriptedApp(transport) { app, terminal, _ in
            // Every panel of the first refresh has asked, and none has been answered.
            await transport.waitForRequests(5)
            let held = transport.requests.count
            transport.behave(ScriptedAnswers.dashboard(value: "0.01"))
            app.post(.key(.char("r")))
            _ = try await waitForScreen(terminal, "the second refresh") { $0.contains("1.0 % WARN") }
            gate.open()
            // The held answers come back now; a frame after a later event shows they were all taken in (or dropped).
            await app.waitForBackgroundWork()
            app.post(.notice("marker"))
            let text = try await waitForScreen(terminal, "the marker") { $0.contains("marker") }
            #expect(held >= 5)
            #expect(!text.contains("50.0 %"), "an older generation's answer was drawn")
            #expect(text.contains("1.0 % WARN"))
        }
    }

    @Test func aServerThatRefusesIsUnreachableAndOneThatRejectsQueriesIsNot() async throws {
        // A port nothing listens on: a real socket, refused at once.
        let port = try FreePort.allocate()
        try await withDashboardApp(url: "http://127.0.0.1:\(port)", themes: ["default", "light"]) { _, terminal in
            let text = try await waitForScreen(terminal, "cannot reach in the status bar") { $0.contains("retrying in") }
            #expect(text.split(separator: "\n").first?.contains("cannot reach 127.0.0.1:\(port)") == true)
        }
        let transport = ScriptedTransport { _ in
            .json(#"{"status":"error","errorType":"bad_data","error":"parse error"}"#, status: 400)
        }
        try await withScriptedApp(transport) { _, terminal, _ in
            let text = try await waitForScreen(terminal, "the failed queries") { $0.contains("query failed") && $0.contains("alerts unavailable") }
            #expect(!text.contains("cannot reach"), "every query failed, but the server answered")
        }
    }

    @Test func aRefreshPastItsDeadlineIsAskedAgainAfterTheBackOff() async throws {
        // The first refresh never answers; the run loop's own deadline (the timeout + 2 s) turns it into errors, and
        // the next refresh comes after the back-off of a failure (5 s), not after the refresh interval (60 s).
        let never = Gate()
        let transport = ScriptedTransport { request in
            await never.wait()
            return ScriptedAnswers.answer(request, value: "0.5")
        }
        try await withScriptedApp(transport, refreshSeconds: 60) { app, terminal, clock in
            await transport.waitForRequests(5)
            let first = transport.requests.count
            transport.behave(ScriptedAnswers.dashboard(value: "0.01"))
            // Past the run loop's deadline (the time-out + 2 s), on the test's clock.
            clock.advance(by: Double(scriptedTimeoutSeconds) + 3)
            app.post(.notice("after the deadline"))
            _ = try await waitForScreen(terminal, "the deadline's errors") { $0.contains("after the deadline") }
            #expect(transport.requests.count == first, "asked again before the back-off")
            clock.advance(by: 6)
            _ = try await waitForScreen(terminal, "the refresh after the back-off") { $0.contains("1.0 % WARN") }
            #expect(transport.requests.count > first)
            never.open()
        }
    }

    @Test func tDrawsWithTheNextTheme() async throws {
        let transport = ScriptedTransport(ScriptedAnswers.dashboard(value: "0.01"))
        try await withScriptedApp(transport, themes: ["default", "light", "mono"]) { app, terminal, _ in
            _ = try await waitForScreen(terminal, "the panels") { $0.contains("payment-service") }
            #expect(terminal.frames.last?.theme == "default")
            app.post(.key(.char("t")))
            app.post(.key(.char("t")))
            _ = try await waitForScreen(terminal, "the mono theme") { _ in terminal.frames.last?.theme == "mono" }
            #expect(terminal.frames.last?.theme == "mono")
        }
    }

    @Test func qAndSignalsEndTheLoopWithoutRestoringTheTerminal() async throws {
        let transport = ScriptedTransport(ScriptedAnswers.dashboard(value: "0.01"))
        let terminal = MemoryTerminal(width: 80, height: 24)
        let client = PrometheusClient(options: ConnectionOptions(baseURL: try #require(URL(string: "http://prometheus.test"))), transport: transport)
        for event: AppEvent in [.key(.char("q")), .signal(SIGHUP), .signal(SIGINT), .key(.ctrl("c"))] {
            let app = DashboardApp(
                terminal: terminal, client: client, dashboard: .microservices, theme: try Theme.named("default"),
                themes: [], rangeSeconds: 3600, refreshSeconds: 60, options: RenderOptions(),
                logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, clock: ManualClock())
            let loop = Task { @MainActor in await app.run() }
            app.post(event)
            _ = await loop.value
        }
        await client.shutdown()
        #expect(terminal.restored == 0, "the caller restores the terminal, once")
    }
}
