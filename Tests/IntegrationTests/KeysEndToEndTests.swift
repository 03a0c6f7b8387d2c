import Foundation
import Testing
import TestSupport

/// Keys from every terminal, in a real one (tmux): under each TERM, the Home, End, PgUp and PgDn sequences of xterm,
/// tmux and screen, rxvt, the Linux console and PuTTY, and the vt100's cursor keys, sent as raw bytes into the pane,
/// do what the help says and nothing else, on the dashboard and in explore's editor.
@Suite("Keys from every terminal in tmux", .timeLimit(.minutes(2)))
struct KeysEndToEndTests {
    static let terms = ["xterm-256color", "tmux-256color", "screen", "linux", "vt100"]

    /// End as xterm (normal and application mode), tmux/screen/PuTTY/Linux and rxvt send it.
    static let ends = ["\u{1B}[F", "\u{1B}OF", "\u{1B}[4~", "\u{1B}[8~"]
    static let homes = ["\u{1B}[H", "\u{1B}OH", "\u{1B}[1~", "\u{1B}[7~"]
    /// Keys the dashboard has no use for, and sequences no key sends: each must leave the screen as it is.
    static let inert = ["\u{1B}[5~", "\u{1B}[6~", "\u{1B}[2~", "\u{1B}[3~", "\u{1B}[[B", "\u{1B}[24~", "\u{1B}[99;5~", "\u{1B}[?1;2c"]

    static func hex(_ text: String) -> [String] { text.utf8.map { String(format: "%02x", $0) } }

    @Test(arguments: terms)
    func homeEndAndPagesUnder(term: String) async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        try await withTmux("\(binary) demo --refresh 1m", width: 120, height: 40, environment: ["TERM": term]) { tmux in
            func raw(_ text: String) async throws {
                _ = try await tmux.tmux(["send-keys", "-t", tmux.session, "-H"] + Self.hex(text))
            }
            try await tmux.waitFor("the live dashboard") { $0.contains("LIVE") && $0.contains("payment-service") }
            // End is "live again": from a window half a range back, each terminal's End.
            for end in Self.ends {
                try await tmux.send("[")
                try await tmux.waitFor(text: "(paused; 0: live)")
                try await raw(end)
                try await tmux.waitFor("live again after End \(end.debugDescription) under \(term)") { $0.contains("LIVE") && !$0.contains("paused") }
            }
            // Home, PgUp, PgDn, Insert, Delete, F-keys and unknown sequences on the dashboard: nothing happens (no
            // zoom, no explore, no pan), and the key after them is a key.
            for sequence in Self.homes + Self.inert {
                try await raw(sequence)
            }
            // Each End above asked the mock again while the last refresh's queries still ran there (a cancelled
            // request's evaluation goes on): under load it may refuse for a moment (503, too many at once) and the
            // status bar says so until the retry. The help is opened over the live dashboard once it answers again.
            try await tmux.waitFor("the dashboard live and answering") { $0.contains("LIVE") && !$0.contains("cannot reach") }
            try await tmux.send("?")
            let help = try await tmux.waitFor(text: "this help")
            #expect(help.contains("LIVE") && !help.contains("(Esc: back)") && !help.contains("Explore"), "\(help)")
            try await tmux.send("Escape")
            // Explore's editor: Home then x puts x first, End then y puts y last; nothing else is typed or run.
            try await tmux.send(":")
            try await tmux.send("-l", "explore")
            try await tmux.send("Enter")
            try await tmux.waitFor(text: "Type a PromQL query")
            try await tmux.send("-l", "up")
            for (index, (home, end)) in zip(Self.homes, Self.ends).enumerated() {
                try await raw(home)
                try await tmux.send("-l", "x")
                try await raw(end)
                try await tmux.send("-l", "y")
                let line = String(repeating: "x", count: index + 1) + "up" + String(repeating: "y", count: index + 1)
                try await tmux.waitFor(text: "> " + line)
            }
            for sequence in Self.inert where sequence != "\u{1B}[3~" {
                try await raw(sequence)
            }
            try await tmux.send("-l", "z")
            let screen = try await tmux.waitFor(text: "> xxxxupyyyyz")
            #expect(screen.contains("Explore"), "explore closed:\n\(screen)")
            try await tmux.send("C-c")
            try await tmux.waitFor(text: "EXIT=0")
        }
    }
}
