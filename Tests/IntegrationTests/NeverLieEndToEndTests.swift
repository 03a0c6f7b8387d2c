import Foundation
import Testing
import TestSupport

/// The dashboard in tmux against a server that answers oddly: each oddity is shown as what it is, within two
/// refresh intervals.
@Suite("Never lie, end to end", .timeLimit(.minutes(3)))
struct NeverLieEndToEndTests {
    static func matrix(now: Int) -> String {
        func series(_ service: String, _ times: [Int], value: (Int) -> Double) -> String {
            let values = times.map { #"[\#($0),"\#(value($0))"]"# }.joined(separator: ",")
            return #"{"metric":{"service":"\#(service)"},"values":[\#(values)]}"#
        }
        let grid = Array(stride(from: now - 3540, through: now, by: 60))
        return [
            series("user-service", grid) { _ in 10 },
            // Stopped ten minutes ago.
            series("payment-service", grid.filter { $0 <= now - 600 }) { _ in 43.3 },
            // Sent newest first: the newest value is 42.8.
            series("order-service", grid.reversed()) { $0 == now ? 42.8 : 7 },
            // A sample two hours ahead of the server's own now (shown as "clock ahead 1h": 7,199 s, rounded down).
            series("inventory-service", grid + [now + 7200]) { _ in 3 },
        ].joined(separator: ",")
    }

    static func behaviour(_ request: AdversarialServer.Request) -> AdversarialServer.Behaviour {
        let now = Int(Date().timeIntervalSince1970)
        let query = request.query ?? ""
        func vector(_ services: [String]) -> AdversarialServer.Behaviour {
            let samples = services.map { #"{"metric":{"__name__":"up","job":"microservices","service":"\#($0)"},"value":[\#(now),"1"]}"# }
            return .json(#"{"status":"success","data":{"resultType":"vector","result":[\#(samples.joined(separator: ","))]}}"#)
        }
        if request.path.hasSuffix("/alerts") {
            return .json(#"{"status":"success","data":{"alerts":[{"labels":{"alertname":"Broken","severity":"critical"},"state":"Firing"},{"labels":{"alertname":"HighErrorRate","severity":"critical","service":"payment-service"},"annotations":{"summary":"errors"},"state":"firing","activeAt":"2026-11-25T14:00:00Z","value":"0.12"}]}}"#)
        }
        if query.hasSuffix("== 1") { return vector(["user-service", "order-service", "inventory-service"]) }
        if query.hasPrefix("up{") {
            if request.path.hasSuffix("/query_range") {
                let seen = ["user-service", "order-service", "inventory-service", "payment-service", "shipping-service"].map {
                    #"{"metric":{"__name__":"up","job":"microservices","service":"\#($0)"},"values":[[\#(now - 1800),"1"]]}"#
                }
                return .json(#"{"status":"success","data":{"resultType":"matrix","result":[\#(seen.joined(separator: ","))]}}"#)
            }
            return vector(["user-service", "order-service", "inventory-service", "payment-service"])
        }
        return .json(#"{"status":"success","data":{"resultType":"matrix","result":[\#(matrix(now: now))]}}"#)
    }

    @Test func oddAnswersAreShownAsWhatTheyAre() async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        let server = try AdversarialServer(Self.behaviour)
        defer { server.stop() }
        try await withTmux("\(binary) --url \(server.url) --refresh 1s --timeout 2s", width: 200, height: 50) { tmux in
            let screen = try await tmux.waitFor("every oddity, marked", timeout: 20) { s in
                s.contains("stale 10m") && s.contains("clock ahead 1h") && s.contains("42.8 req/s") && s.contains("GONE")
                    && s.contains("DOWN") && s.contains("1 alert could not be read") && s.contains("HighErrorRate")
            }
            #expect(screen.contains("shipping-service"))
            #expect(!screen.contains("43.3 req/s  ok"), "the stopped series is never shown as current")

            // A dripping answer outlives the deadline: the status bar says so within two intervals of the deadline.
            server.behave { _ in .drip(status: 200, body: Array(#"{"status":"success","data":{"resultType":"vector","result":[]}}"#.utf8), interval: 1) }
            try await tmux.waitFor("the failed refresh in the status bar", timeout: 10) { s in
                s.contains("cannot reach") || s.contains("refresh timed out")
            }
            server.behave(Self.behaviour)
            try await tmux.waitFor("recovery", timeout: 20) { !$0.contains("cannot reach") && $0.contains("stale 10m") }
            try await tmux.send("q")
        }
    }
}
