import Foundation
import Testing
import TestSupport

/// However the dashboard ends, the terminal is left as it was found: main screen, cursor shown.
@Suite("The terminal is restored", .timeLimit(.minutes(2)))
struct TerminalRestoreTests {
    static func server() throws -> AdversarialServer {
        try AdversarialServer { request in
            if request.path.hasSuffix("/alerts") { return .json(#"{"status":"success","data":{"alerts":[]}}"#) }
            return .json(#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"service":"payment-service"},"value":[1764000000,"1"]}]}}"#)
        }
    }

    func flags(_ tmux: TmuxSession) async throws -> (alternate: Bool, cursor: Bool) {
        let out = try await tmux.tmux(["display", "-p", "-t", tmux.session, "#{alternate_on} #{cursor_flag}"]).stdout
        let parts = out.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        return (parts.first == "1", parts.last == "1")
    }

    @Test func ctrlBackslashQuitsLikeCtrlC() async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        let server = try Self.server()
        defer { server.stop() }
        try await withTmux("\(binary) --url \(server.url)", width: 100, height: 30) { tmux in
            try await tmux.waitFor(text: "Service Health Status")
            #expect(try await flags(tmux).alternate)
            try await tmux.send("C-\\")
            try await tmux.waitFor(text: "EXIT=0")
            let (alternate, cursor) = try await flags(tmux)
            #expect(!alternate && cursor)
        }
    }

    @Test func aCrashRestoresTheTerminalFirst() async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        let server = try Self.server()
        defer { server.stop() }
        // The backtracer off, so the default action follows the restore at once.
        try await withTmux("\(binary) --url \(server.url)", width: 100, height: 30, environment: ["SWIFT_BACKTRACE": "enable=no"]) { tmux in
            try await tmux.waitFor(text: "Service Health Status")
            let pane = try await tmux.tmux(["display", "-p", "-t", tmux.session, "#{pane_pid}"]).stdout
            let shell = try #require(Int32(pane.trimmingCharacters(in: .whitespacesAndNewlines)))
            let pid = try #require(SoakTests.child(of: shell, named: "lookout"))
            kill(pid, SIGSEGV)
            let screen = try await tmux.waitFor(text: "EXIT=139")
            #expect(screen.contains("lookout: crashed; the terminal was restored"))
            let (alternate, cursor) = try await flags(tmux)
            #expect(!alternate && cursor)
        }
    }
}
