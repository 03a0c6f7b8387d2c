import DashboardCore
import Foundation
import LookoutApp
import LookoutUI
import PrometheusAPI
import Testing
import TestSupport

/// `:ctx` in process: two servers answered by scripted transports. Answers still on their way from the old server
/// when the switch happens, a refresh's or a screen's, are dropped, not shown as the new server's data.
@Suite("Switching contexts in process", .timeLimit(.minutes(1)))
@MainActor
struct ContextSwitchTests {
    /// A's answers to `held_metric` wait at `gate`, and name their source.
    static func server(_ name: String, value: String, gate: Gate?) -> ScriptedTransport {
        ScriptedTransport { request in
            if request.field("query") == "held_metric" {
                if let gate { await gate.wait() }
                let end = request.field("end") ?? "0"
                return .json(#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"held_metric","source":"from-\#(name)"},"values":[[\#(end),"7"]]}]}}"#)
            }
            return ScriptedAnswers.answer(request, value: value)
        }
    }

    @Test func answersOfTheOldServerAreDroppedAfterASwitch() async throws {
        let gate = Gate()
        let a = Self.server("a", value: "0.5", gate: gate)
        let b = Self.server("b", value: "0.01", gate: nil)
        let dir = try TemporaryDirectory(prefix: "lookout-ctx-switch")
        defer { dir.remove() }
        let config = try LookoutConfig.parse(yaml: """
            contexts:
              - name: a
                url: http://a.test:9090
              - name: b
                url: http://b.test:9090
            """, source: "config.yaml")
        let switcher = ContextSwitcher(
            config: config, flags: ConnectionSettings(), dashboardFlag: nil, readOnlyFlag: false,
            environment: ["XDG_STATE_HOME": dir.url.path, "HOME": dir.url.path])
        let makeClient: @Sendable (ConnectionOptions) throws -> PrometheusClient = { options in
            PrometheusClient(options: options, transport: options.baseURL.host == "b.test" ? b : a)
        }
        try await withScriptedApp(a, switcher: switcher, makeClient: makeClient) { app, terminal, _ in
            _ = try await waitForScreen(terminal, "server a's dashboard") { $0.contains("50.0 %") }
            // Explore on a asks for held_metric; its answer is held.
            for key in ":explore held_metric" { app.post(.key(.char(key))) }
            app.post(.key(.enter))
            await a.waitForRequests(a.requests.count + 1)
            _ = try await waitForScreen(terminal, "explore on a") { $0.contains("held_metric") }
            let oldGeneration = app.state.generation
            // Switch to b: :ctx, the second context, Enter.
            app.post(.key(.escape))
            for key in ":ctx" { app.post(.key(.char(key))) }
            app.post(.key(.enter))
            _ = try await waitForScreen(terminal, "the contexts") { $0.contains("b.test") }
            app.post(.key(.down))
            app.post(.key(.enter))
            _ = try await waitForScreen(terminal, "server b's dashboard") { $0.contains("b.test") && $0.contains("1.0 % WARN") }
            // Explore on b: its own answer comes at once.
            for key in ":explore held_metric" { app.post(.key(.char(key))) }
            app.post(.key(.enter))
            _ = try await waitForScreen(terminal, "explore on b") { $0.contains("from-b") }
            // a's held answer arrives now, and a refresh's answer of a's generation is still in the queue.
            gate.open()
            await app.waitForBackgroundWork()
            var stale = PanelData()
            let now = app.state.now.timeIntervalSince1970
            stale.series = [SeriesSummary(
                legend: "stale-from-a", labels: ["service": "stale-from-a"], points: [SamplePair(timestamp: now, value: 0.42)],
                thresholds: nil)]
            app.post(.dashboard(.panelLoaded(index: 1, generation: oldGeneration, outcome: .loaded(stale), at: app.state.now)))
            app.post(.key(.escape))
            let text = try await waitForScreen(terminal, "b's dashboard again") { $0.contains("1.0 % WARN") && !$0.contains("Explore") }
            #expect(!text.contains("stale-from-a"), "a refresh of the old server was drawn as b's data")
            #expect(!text.contains("42.0 %"), "a refresh of the old server was drawn as b's data")
            app.post(.key(.char(":")))
            for key in "explore held_metric" { app.post(.key(.char(key))) }
            app.post(.key(.enter))
            let explore = try await waitForScreen(terminal, "explore on b again") { $0.contains("from-b") }
            #expect(!explore.contains("from-a"), "explore on b showed a's answer")
        }
    }
}
