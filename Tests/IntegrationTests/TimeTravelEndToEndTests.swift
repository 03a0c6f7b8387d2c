import Foundation
import Testing
import TestSupport

/// Time travel in a real terminal (tmux) over `lookout demo`: `[` and `]` move the window and the status bar follows,
/// `0` goes live, `g` on an alert brings the dashboard to its start.
@Suite("Time travel end to end in tmux", .timeLimit(.minutes(2)))
struct TimeTravelEndToEndTests {
    @Test func bracketsZeroAndG() async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        try await withTmux("\(binary) demo --refresh 1m --utc", width: 160, height: 45) { tmux in
            try await tmux.waitFor("the live dashboard") { $0.contains("LIVE") && $0.contains("payment-service") && $0.contains("FIRING") }
            try await tmux.send("[")
            let past = try await tmux.waitFor(text: "UTC (paused; 0: live)")
            #expect(past.contains("→") && !past.contains("LIVE"))
            try await tmux.send("]")
            try await tmux.waitFor(text: "LIVE")
            try await tmux.send("[")
            try await tmux.send("[")
            try await tmux.waitFor(text: "(paused; 0: live)")
            try await tmux.send("0")
            try await tmux.waitFor(text: "LIVE")
            try await tmux.send("[")
            try await tmux.waitFor(text: "(paused; 0: live)")
            try await tmux.send("a")
            try await tmux.waitFor(text: "Alerts: FIRING")
            try await tmux.send("Enter")
            try await tmux.waitFor(text: "Labels")
            try await tmux.send("g")
            // The demo's alerts started an hour before it did: the window is pinned around that start.
            try await tmux.waitFor("the dashboard at the alert's start") {
                $0.contains("1 Service Health Status") && !$0.contains("Labels") && $0.contains("(paused; 0: live)")
            }
            try await tmux.send("q")
            try await tmux.waitFor(text: "EXIT=0")
        }
    }
}

/// The mouse in a real terminal: a double click, sent as SGR mouse sequences into the pane, zooms the panel under it.
@Suite("Mouse end to end in tmux", .timeLimit(.minutes(2)))
struct MouseEndToEndTests {
    /// `ESC [ < 0 ; x ; y M` then `… m`: a press and release of the left button at (x, y), 1-based, as tmux send-keys -H takes it.
    static func click(x: Int, y: Int) -> [String] {
        let text = "\u{1B}[<0;\(x);\(y)M\u{1B}[<0;\(x);\(y)m"
        return text.utf8.map { String(format: "%02x", $0) }
    }

    @Test func aDoubleClickZoomsThePanelUnderIt() async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        try await withTmux("\(binary) demo --refresh 1m", width: 160, height: 45, environment: ["TERM": "xterm-256color"]) { tmux in
            try await tmux.waitFor("the dashboard") { $0.contains("3 Error Rate") && $0.contains("FIRING") }
            // The third of four panels in a row spans columns 81 to 120.
            _ = try await tmux.tmux(["send-keys", "-t", tmux.session, "-H"] + Self.click(x: 95, y: 5) + Self.click(x: 95, y: 5))
            try await tmux.waitFor(text: "3 Error Rate  (Esc: back)")
            try await tmux.send("Escape")
            try await tmux.waitFor(text: "FIRING")
            try await tmux.send("q")
            try await tmux.waitFor(text: "EXIT=0")
        }
    }
}

/// The operations dashboard in the demo: a backup too old on screen, `D` back to the microservices dashboard.
@Suite("Operations demo in tmux", .timeLimit(.minutes(2)))
struct OperationsDemoEndToEndTests {
    @Test func backupStaleShowsTheBackupTooOld() async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        try await withTmux("\(binary) demo --scenario backup-stale --dashboard operations --refresh 1m", width: 160, height: 45) { tmux in
            let screen = try await tmux.waitFor("the stale backup") {
                $0.contains("Operations: Backups and Disaster Recovery") && $0.contains("30.0 h") && $0.contains("BackupTooOld")
            }
            #expect(screen.contains("BackupJobFailed"))
            try await tmux.send("D")
            try await tmux.waitFor("the microservices dashboard") { $0.contains("Microservices Health Dashboard") && $0.contains("4/4 up") }
            try await tmux.send("q")
            try await tmux.waitFor(text: "EXIT=0")
        }
    }
}
