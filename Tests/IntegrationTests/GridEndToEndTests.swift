import Foundation
import Testing
import TestSupport

/// A dashboard in Grafana's grid, taller than the terminal, in a real one (tmux) against the embedded mock (#24):
/// the rows as imported (one closed), PgDn to the last row, Enter opening the closed row with its panels' data.
@Suite("Grafana's grid in a real terminal", .timeLimit(.minutes(2)))
struct GridEndToEndTests {
    static func graph(_ title: String, _ x: Int, _ y: Int, _ w: Int, _ h: Int) -> String {
        """
          - title: "\(title)"
            type: graph
            gridPos: {x: \(x), y: \(y), w: \(w), h: \(h)}
            unit: req/s
            targets: [{expr: "sum(rate(http_requests_total[5m])) by (service)", legendFormat: "{{service}}"}]

        """
    }

    static let yaml = "title: Grid\npanels:\n"
        + "  - {title: Overview, type: row, gridPos: {x: 0, y: 0, w: 24, h: 1}}\n"
        + graph("Requests A", 0, 1, 12, 10) + graph("Requests B", 12, 1, 12, 10)
        + "  - {title: Closed section, type: row, collapsed: true, gridPos: {x: 0, y: 11, w: 24, h: 1}}\n"
        + graph("Hidden rate", 0, 12, 24, 8)
        + "  - {title: Details, type: row, gridPos: {x: 0, y: 12, w: 24, h: 1}}\n"
        + graph("Details A", 0, 13, 8, 14) + graph("Details B", 8, 13, 8, 14) + graph("Details C", 16, 13, 8, 14)
        + graph("Bottom panel", 0, 27, 24, 10)

    @Test func pageDownWalksToTheEndAndEnterOpensARow() async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("grid.yaml", Self.yaml)
        try await withTmux("\(binary) demo --refresh 1m --dashboard '\(file.path)'", width: 120, height: 30) { tmux in
            let first = try await tmux.waitFor("the grid's first row with data") { $0.contains("Requests A") && $0.contains("payment-service") }
            #expect(first.contains("▸ Closed section  (1 panel, Enter opens)"), "\(first)")
            #expect(!first.contains("Bottom panel") && first.contains("rows 1–3 of 3"), "\(first)")
            try await tmux.send("PageDown")
            try await tmux.send("PageDown")
            let end = try await tmux.waitFor("the last panel, with its data") { $0.contains("Bottom panel") && $0.contains("Details C") }
            #expect(!end.contains("Requests A"), "\(end)")
            // Back to the top, the closed row focused (its number, 4, opens it too), Enter: its panel is asked for at
            // once and drawn.
            try await tmux.send("Home")
            try await tmux.waitFor("the top again") { $0.contains("Requests A") }
            try await tmux.send("4")
            try await tmux.waitFor(text: "▾ Closed section")
            try await tmux.send("Enter")
            try await tmux.waitFor(text: "▸ Closed section")
            try await tmux.send("Enter")
            let opened = try await tmux.waitFor("the opened row's panel with data") { screen in
                screen.contains("▾ Closed section") && screen.contains("Hidden rate")
                    && screen.split(separator: "\n").drop { !$0.contains("Hidden rate") }.dropFirst().first?.contains("service") == true
            }
            #expect(opened.contains("LIVE"), "\(opened)")
            try await tmux.send("q")
        }
    }
}
