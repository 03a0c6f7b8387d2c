import Foundation
import LookoutApp
import PrometheusAPI
import Synchronization
import TerminalCanvas
import Testing
import TestSupport

/// A server whose answer no longer has a series' last ten minutes (an HA replica behind a load balancer that
/// missed them; issue "hostile input, third round"): the dashboard says STALE as the snapshot does, never the
/// points its incremental refresh kept.
@Suite("The run loop and a server that forgets", .timeLimit(.minutes(1)))
@MainActor
struct ForgettingServerRunLoopTests {
    @Test func aSeriesWhoseLastMinutesAreGoneIsMarkedStale() async throws {
        let forgetsAfter = Mutex(Double.infinity)
        let transport = ScriptedTransport { request in
            let forgetting = forgetsAfter.withLock { $0 } < .infinity
            // Asked at now, the replica has no payment-service either.
            if request.path.hasSuffix("/query"), forgetting, !(request.field("query") ?? "").hasPrefix("up"),
               !(request.field("query") ?? "").hasPrefix("count(") {
                let time = request.field("time") ?? "0"
                return .json(#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"service":"user-service","job":"microservices","instance":"user-service:8080"},"value":[\#(time),"0.2"]}]}}"#)
            }
            guard request.path.hasSuffix("/query_range") else { return ScriptedAnswers.answer(request, value: "0.2") }
            let (start, end) = (request.field("start").flatMap(Double.init) ?? 0, request.field("end").flatMap(Double.init) ?? 0)
            let step = max(1, request.field("step").flatMap(Double.init) ?? 60)
            let cutoff = forgetsAfter.withLock { $0 }
            let series = ScriptedAnswers.services.map { service -> String in
                let last = service == "payment-service" ? min(end, cutoff) : end
                let values = stride(from: start, through: last, by: step).map { #"[\#($0),"0.2"]"# }.joined(separator: ",")
                return #"{"metric":{"service":"\#(service)","job":"microservices","instance":"\#(service):8080"},"values":[\#(values)]}"#
            }.filter { !$0.hasSuffix(#""values":[]}"#) }
            return .json(#"{"status":"success","data":{"resultType":"matrix","result":[\#(series.joined(separator: ","))]}}"#)
        }
        try await withScriptedApp(transport, refreshSeconds: 60) { app, terminal, clock in
            _ = try await waitForScreen(terminal, "the panels") { $0.contains("20.0 % CRIT") }
            #expect(!terminal.screen.joined().contains("stale"))
            await app.waitForBackgroundWork()
            forgetsAfter.withLock { $0 = clock.now().timeIntervalSince1970 + 60 - 600 }
            clock.advance(by: 60)
            let text = try await waitForScreen(terminal, "payment-service marked stale") { screen in
                screen.split(separator: "\n").contains { $0.contains("payment-service") && $0.contains("stale 1") || $0.contains("payment-service") && $0.contains("stale 9m") }
            }
            let rows = text.split(separator: "\n").filter { $0.contains("user-service") && $0.contains("%") }
            #expect(rows.allSatisfy { !$0.contains("stale") }, "the other series is current: \(rows)")
        }
    }
}
