import Foundation
import MockPrometheus
import Testing
import TestSupport

/// Contexts in a real terminal (tmux): `--context staging` opens on that server with its name in the status bar,
/// `:ctx` lists both contexts as reachable, Enter on the other switches to it, and the choice is remembered.
@Suite("Contexts end to end in tmux", .timeLimit(.minutes(2)))
struct ContextsEndToEndTests {
    @Test func contextFlagThenCtxSwitches() async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        let dir = try TemporaryDirectory(prefix: "lookout-ctx")
        defer { dir.remove() }
        try await withMockPrometheus { prod in
            try await withMockPrometheus { staging in
                let config = try dir.write("config.yaml", """
                    refresh: 1m
                    contexts:
                      - name: prod-eu
                        url: \(prod.baseURL)
                        color: red
                      - name: staging
                        url: \(staging.baseURL)
                        readOnly: true
                    """)
                chmod(config.path, 0o600)
                let state = dir.url.appendingPathComponent("state")
                let environment = ["XDG_STATE_HOME": state.path, "HOME": dir.url.path, "TERM": "xterm-256color"]
                try await withTmux("\(binary) --config \(config.path) --context staging", width: 160, height: 45, environment: environment) { tmux in
                    try await tmux.waitFor("the staging dashboard") {
                        $0.contains(" staging ") && $0.contains("127.0.0.1:\(staging.port)") && $0.contains("4/4 up")
                    }
                    try await tmux.send(":")
                    for c in "ctx" { try await tmux.send(String(c)) }
                    try await tmux.send("Enter")
                    let list = try await tmux.waitFor("both contexts reachable") { $0.components(separatedBy: "reachable").count - 1 >= 2 && !$0.contains("checking") }
                    #expect(list.contains("prod-eu") && list.contains(prod.baseURL))
                    try await tmux.send("Up")
                    try await tmux.send("Enter")
                    try await tmux.waitFor("the prod dashboard") {
                        $0.contains(" prod-eu ") && $0.contains("127.0.0.1:\(prod.port)") && $0.contains("4/4 up") && !$0.contains("Contexts")
                    }
                    // prod-eu's name on red (colour 1), in bold white: tmux writes it as SGR 41 or 48;5;1.
                    let styled = try await tmux.captureStyled()
                    let firstLine = styled.split(separator: "\n").first.map(String.init) ?? ""
                    let before = firstLine.components(separatedBy: " prod-eu ").first ?? ""
                    // The escape sequences just before the name: the style it is drawn in.
                    let style = before.range(of: #"(\x{1B}\[[0-9;]*m)+$"#, options: .regularExpression).map { String(before[$0]) } ?? ""
                    #expect(before != firstLine, "\(firstLine)")
                    #expect(style.contains("[41m") || style.contains(";41m") || style.contains("48;5;1m"), "\(style.debugDescription)")
                    try await tmux.send("q")
                    try await tmux.waitFor(text: "EXIT=0")
                }
                let remembered = try String(contentsOf: state.appendingPathComponent("lookout/context"), encoding: .utf8)
                #expect(remembered == "prod-eu\n")
            }
        }
    }
}
