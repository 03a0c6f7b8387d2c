import Foundation
import Testing
import TestSupport

/// Explore in a real terminal (tmux) over `lookout demo`: from a panel with `e`, a query edited and run, its chart
/// and table, the history kept across a restart, and a bracketed paste.
@Suite("Explore end to end in tmux", .timeLimit(.minutes(2)))
struct ExploreEndToEndTests {
    @Test func fromAPanelToAResultAndTheHistorySurvivesARestart() async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        let state = try TemporaryDirectory(prefix: "lookout-state")
        defer { state.remove() }
        // Three series: a result the panel's own (four series) cannot be taken for while the new one is on its way.
        let query = #"sum by (service) (rate(http_requests_total{service!="user-service"}[5m]))"#
        try await withTmux("\(binary) demo --refresh 1m", width: 100, height: 30, environment: ["XDG_STATE_HOME": state.url.path]) { tmux in
            try await tmux.waitFor(text: "payment-service")
            try await tmux.send("Tab")
            try await tmux.send("e")
            // The focused panel's query, run at once.
            try await tmux.waitFor("the panel's query in explore") { $0.contains("Explore") && $0.contains("http_requests_total") && $0.contains("series") }
            try await tmux.send("e", "C-u")
            try await tmux.send("-l", query)
            try await tmux.send("Enter")
            // The new result moves the focus to it (the panel's result stays on screen until then).
            let result = try await tmux.waitFor("the chart and the table") { $0.contains("e edit, o order") && $0.contains("3 series") && $0.contains("labels (o: by value)") }
            #expect(result.contains("service=\"payment-service\""))
            #expect(result.contains("now"), "the chart's time axis")
            try await tmux.send("q")
            try await tmux.waitFor(text: "EXIT=0")
        }
        let file = state.url.appendingPathComponent("lookout/history").path
        let saved = try String(contentsOfFile: file, encoding: .utf8)
        #expect(saved.split(separator: "\n").last.map(String.init) == query)
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        try await withTmux("\(binary) demo --refresh 1m", width: 100, height: 30, environment: ["XDG_STATE_HOME": state.url.path]) { tmux in
            try await tmux.waitFor(text: "payment-service")
            try await tmux.send(":")
            try await tmux.send("-l", "explore")
            try await tmux.send("Enter")
            try await tmux.waitFor(text: "Type a PromQL query")
            try await tmux.send("Up")
            try await tmux.waitFor(text: "> " + query)
            // A bracketed paste goes into the line as text (its newline a space), without running it.
            try await tmux.send("C-u")
            _ = try await tmux.tmux(["set-buffer", "-b", "p", "count(up)\nq"])
            _ = try await tmux.tmux(["paste-buffer", "-p", "-b", "p", "-t", tmux.session])
            try await tmux.waitFor(text: "> count(up) q")
            try await tmux.send("C-c")
            try await tmux.waitFor(text: "EXIT=0")
        }
    }
}
