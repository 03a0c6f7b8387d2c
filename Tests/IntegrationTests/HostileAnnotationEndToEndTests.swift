import Foundation
import Testing
import TestSupport

/// An alert whose `runbook_url` is a megabyte long (issue "hostile input, third round"): its detail opens at once,
/// and SIGTERM and Ctrl-C each end lookout with exit code 0 and the terminal restored. The old detail wrapped the
/// whole annotation on every frame (81 s of CPU); the process ignored both signals meanwhile.
@Suite("A megabyte annotation in tmux", .timeLimit(.minutes(2)))
struct HostileAnnotationEndToEndTests {
    static let runbook = "https://runbooks.example/" + String(repeating: "a", count: 1 << 20)

    static func behaviour(_ request: AdversarialServer.Request) -> AdversarialServer.Behaviour {
        if request.path.hasSuffix("/alerts") {
            return .json(#"{"status":"success","data":{"alerts":[{"labels":{"alertname":"HighErrorRate","severity":"critical","service":"payment-service"},"annotations":{"summary":"errors","runbook_url":"\#(runbook)"},"state":"firing","activeAt":"2026-11-25T14:00:00Z","value":"0.12"}]}}"#)
        }
        if request.path.hasSuffix("/query_range") {
            return .json(#"{"status":"success","data":{"resultType":"matrix","result":[]}}"#)
        }
        return .json(#"{"status":"success","data":{"resultType":"vector","result":[]}}"#)
    }

    @Test("SIGTERM, then Ctrl-C, with the detail of the alert open", arguments: ["SIGTERM", "C-c"])
    func quitsWithTheDetailOpen(_ how: String) async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        let server = try AdversarialServer(Self.behaviour)
        defer { server.stop() }
        try await withTmux("\(binary) --url \(server.url) --refresh 5s", width: 120, height: 40) { tmux in
            try await tmux.waitFor(text: "HighErrorRate")
            try await tmux.send("a")
            try await tmux.waitFor(text: "Alerts")
            try await tmux.send("Enter")
            try await tmux.waitFor("the detail with the runbook's first lines") { s in
                s.contains("runbook_url:") && s.contains("https://runbooks.example/aaaa") && s.contains("Annotations")
            }
            if how == "SIGTERM" {
                let pid = try await tmux.commandPID()
                #expect(Foundation.kill(pid, SIGTERM) == 0)
            } else {
                try await tmux.send("C-c")
            }
            let screen = try await tmux.waitFor("exit code 0 and the terminal restored") { $0.contains("EXIT=0") && !$0.contains("Annotations") }
            #expect(!screen.contains("runbook_url"))
        }
    }
}
