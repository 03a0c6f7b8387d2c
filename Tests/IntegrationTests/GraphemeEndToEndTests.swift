import Foundation
import Testing
import TestSupport

/// The C library's wcwidth, as tmux and ncurses measure (Glibc's module map leaves it out without _XOPEN_SOURCE).
@_silgen_name("wcwidth") func libcWcwidth(_ c: Int32) -> Int32

/// Emoji with presentation selectors, ZWJ sequences, flags, skin tones, combining marks and CJK in an alert summary,
/// a label and a legend: in a real terminal the borders stay in place, every row is as wide as the terminal, and
/// opening and closing the alert view leaves nothing behind.
@Suite("Tricky graphemes in a real terminal", .timeLimit(.minutes(2)))
struct GraphemeEndToEndTests {
    static let tricky = "⚠️ 👨‍👩‍👧‍👦 🇯🇵 👍🏽 e\u{301} 日本 ❤️"

    static func behaviour(_ request: AdversarialServer.Request) -> AdversarialServer.Behaviour {
        let now = Int(Date().timeIntervalSince1970)
        let t = tricky
        if request.path.hasSuffix("/alerts") {
            // Three and a half days ago: its age ("3d") cannot tick over between the test's two captures.
            let activeAt = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(now) - 3.5 * 86_400))
            return .json(#"{"status":"success","data":{"alerts":[{"labels":{"alertname":"HighErrorRate","severity":"critical","service":"日本-\#(t)"},"annotations":{"summary":"\#(t) High error rate","description":"\#(t)"},"state":"firing","activeAt":"\#(activeAt)","value":"0.12"}]}}"#)
        }
        if request.path.hasSuffix("/query_range") {
            // Flat and past the left edge: as "now" moves on between two captures, no point crosses a column.
            let values = (0..<141).map { #"[\#(now - 30 * (140 - $0)),"2"]"# }.joined(separator: ",")
            let series = ["\(t)-svc", "payment-service", "👍🏽-svc"].map { #"{"metric":{"service":"\#($0)"},"values":[\#(values)]}"# }
            return .json(#"{"status":"success","data":{"resultType":"matrix","result":[\#(series.joined(separator: ","))]}}"#)
        }
        let up = ["\(t)-svc", "payment-service"].map { #"{"metric":{"service":"\#($0)"},"value":[\#(now),"1"]}"# }
        return .json(#"{"status":"success","data":{"resultType":"vector","result":[\#(up.joined(separator: ","))]}}"#)
    }

    static func columns(_ line: Substring) -> Int {
        line.unicodeScalars.reduce(0) { $0 + max(0, Int(libcWcwidth(Int32(bitPattern: $1.value)))) }
    }

    @Test func bordersStayAndNothingIsLeftBehind() async throws {
        #expect(setlocale(LC_CTYPE, "C.UTF-8") != nil)
        let binary = try #require(Repository.builtProduct("lookout")).path
        let server = try AdversarialServer(Self.behaviour)
        defer { server.stop() }
        let width = 120
        try await withTmux("\(binary) --url \(server.url) --refresh 1m", width: width, height: 40) { tmux in
            // Every panel drawn, the health panel's count included (it may answer last): the screen to compare with.
            try await tmux.waitFor("the panels and the alert", timeout: 20) {
                $0.contains("payment-service") && $0.contains("HighErrorRate") && $0.contains("2/3 up") && !$0.contains("loading")
            }
            // One refresh a minute: nothing but the status bar's age changes while the view opens and closes.
            let before = try await tmux.capture()
            let rows = before.split(separator: "\n", omittingEmptySubsequences: false)
            let bordered = rows.filter { ["┐", "│", "┘", "┓", "┃", "┛"].contains($0.last.map(String.init) ?? "") }
            #expect(bordered.count >= 10, "panel rows")
            for row in bordered {
                #expect(Self.columns(row) == width, "a row \(Self.columns(row)) columns wide: \(row)")
            }
            try await tmux.send("a")
            try await tmux.waitFor(text: "Enter details")
            try await tmux.send("Enter")
            try await tmux.waitFor(text: "Annotations")
            try await tmux.send("Escape")
            // Back on the alert list before the second Esc (which would otherwise be read as the start of a key).
            try await tmux.waitFor("the alert list again") { !$0.contains("Annotations") && $0.contains("Enter details") }
            try await tmux.send("Escape")
            let after = try await tmux.waitFor("the dashboard again") { !$0.contains("Enter details") && !$0.contains("Annotations") && $0.contains("HighErrorRate") }
            // The status bar's age moves on; everything below it is as it was.
            #expect(after.split(separator: "\n").dropFirst() == before.split(separator: "\n").dropFirst())
            try await tmux.send("q")
        }
    }
}
