import Foundation
import Testing
import TestSupport

/// `make soak`: the dashboard at `--refresh 1s` in tmux against a server that cycles through healthy, HTML 502,
/// garbage, hang, drip, a huge answer and healthy again, for LOOKOUT_SOAK_SECONDS (600 by `make soak`; skipped
/// when unset). Checked: the process stays up, its RSS stays under `rssBoundKB` (sampled every 10 s), the screen
/// recovers at the first retry of each healthy phase (within the back-off in force, at most 60 s, plus one
/// interval), and no OSC sequence or C1 control (U+0080–U+009F, as UTF-8) from the server reaches the pty.
@Suite("Soak", .serialized)
struct SoakTests {
    static let seconds = ProcessInfo.processInfo.environment["LOOKOUT_SOAK_SECONDS"].flatMap(Double.init)
    /// The 9 MB answer of 200,000 series is decoded whole (it is under the 64 MiB limit): that phase sets the peak.
    static let rssBoundKB = 300_000
    static let phaseSeconds = 8.0
    static let phases = ["healthy", "html502", "garbage", "hang", "drip", "huge", "attack"]
    /// What the server puts in every text field: an OSC 52 clipboard write, a screen clear, a C1 CSI, a bidi override.
    static let attack = #"\u001b]52;c;U09BSw==\u0007\u001b[2J\u009b31m\u202esoak"#

    static func healthy(_ request: AdversarialServer.Request, now: Double, attack: Bool) -> AdversarialServer.Behaviour {
        let services = ["user-service", "order-service", "inventory-service", "payment-service"]
        let label = attack ? Self.attack : ""
        if request.path.hasSuffix("/alerts") {
            return .json(#"{"status":"success","data":{"alerts":[{"labels":{"alertname":"HighErrorRate\#(label)","severity":"critical","service":"payment-service"},"annotations":{"summary":"soak\#(label)"},"state":"firing","activeAt":"2026-11-25T14:00:00Z","value":"0.12"}]}}"#)
        }
        if request.path.hasSuffix("/query_range") {
            let series = services.map { s in
                let values = (0..<60).map { i in #"[\#(Int(now) - 60 * (59 - i)),"\#(Double(i % 7) + 1)"]"# }.joined(separator: ",")
                return #"{"metric":{"service":"\#(s)\#(label)"},"values":[\#(values)]}"#
            }.joined(separator: ",")
            return .json(#"{"status":"success","data":{"resultType":"matrix","result":[\#(series)]},"warnings":["\#(label)"]}"#)
        }
        let samples = services.map { #"{"metric":{"service":"\#($0)"},"value":[\#(Int(now)),"1"]}"# }.joined(separator: ",")
        return .json(#"{"status":"success","data":{"resultType":"vector","result":[\#(samples)]}}"#)
    }

    static func behaviour(phase: String, request: AdversarialServer.Request) -> AdversarialServer.Behaviour {
        let now = Date().timeIntervalSince1970
        switch phase {
        case "html502":
            return .respond(status: 502, headers: ["Content-Type": "text/html"], body: Array("<html>\u{1B}]0;pwned\u{07}<h1>502</h1></html>".utf8))
        case "garbage": return .respond(status: 200, headers: ["Content-Type": "application/json"], body: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) })
        case "hang": return .hang
        case "drip": return .drip(status: 200, body: Array(#"{"status":"success","data":{"resultType":"vector","result":[]}}"#.utf8), interval: 1)
        case "huge":
            let one = #"{"metric":{"service":"s"},"value":[1,"1"]},"#
            return .json(#"{"status":"success","data":{"resultType":"vector","result":["# + String(repeating: one, count: 200_000) + #"{"metric":{},"value":[1,"1"]}]}}"#)
        case "attack": return healthy(request, now: now, attack: true)
        default: return healthy(request, now: now, attack: false)
        }
    }

    @Test(.enabled(if: seconds != nil), .timeLimit(.minutes(30)))
    func theDashboardSurvivesAMisbehavingServer() async throws {
        let duration = try #require(Self.seconds)
        let binary = try #require(Repository.builtProduct("lookout")).path
        let dir = try TemporaryDirectory(prefix: "lookout-soak")
        defer { dir.remove() }
        let raw = dir.url.appendingPathComponent("pty.raw").path
        let server = try AdversarialServer { request in Self.behaviour(phase: "healthy", request: request) }
        defer { server.stop() }
        try await withTmux("\(binary) --url \(server.url) --refresh 1s --timeout 3s", width: 160, height: 45) { tmux in
            try await tmux.waitFor(text: "payment-service", timeout: 20)
            _ = try await tmux.tmux(["pipe-pane", "-o", "-t", tmux.session, "cat >> \(raw)"])
            let pid = try #require(Int32(try await tmux.tmux(["display", "-p", "-t", tmux.session, "#{pane_pid}"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)))
            let lookoutPID = try #require(Self.child(of: pid, named: "lookout"))
            var rss: [Int] = []
            var recoveries: [Double] = []
            let start = Date()
            var phaseIndex = 0
            var lastSample = Date.distantPast
            while Date().timeIntervalSince(start) < duration {
                let phase = Self.phases[phaseIndex % Self.phases.count]
                server.behave { Self.behaviour(phase: phase, request: $0) }
                let phaseStart = Date()
                if phase == "healthy" {
                    // Recovered: data on screen and no failure in the status bar.
                    let screen = try await tmux.waitFor("recovery after the faults", timeout: 60 + 1 + 5) { s in
                        s.contains("payment-service") && !s.contains("cannot reach") && !s.contains("stale")
                    }
                    #expect(!screen.isEmpty)
                    recoveries.append(Date().timeIntervalSince(phaseStart))
                }
                while Date().timeIntervalSince(phaseStart) < Self.phaseSeconds {
                    if Date().timeIntervalSince(lastSample) >= 10 {
                        lastSample = Date()
                        #expect(kill(lookoutPID, 0) == 0, "lookout is no longer running (phase \(phase))")
                        rss.append(Self.rssKB(lookoutPID) ?? 0)
                    }
                    try await Task.sleep(for: .milliseconds(250))
                }
                phaseIndex += 1
            }
            #expect(kill(lookoutPID, 0) == 0, "lookout is no longer running")
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: raw))) ?? Data()
            #expect(bytes.count > 1000, "the pty was recorded")
            #expect(bytes.range(of: Data([0x1B, 0x5D])) == nil, "an OSC sequence reached the terminal")
            #expect(!zip(bytes, bytes.dropFirst()).contains { $0 == 0xC2 && (0x80...0x9F).contains($1) }, "a C1 control reached the terminal")
            #expect((rss.max() ?? 0) < Self.rssBoundKB, "RSS \(rss.max() ?? 0) KB over the bound")
            let report = "soak: \(Int(duration)) s, \(phaseIndex) phases, RSS KB min \(rss.min() ?? 0) max \(rss.max() ?? 0), "
                + "recovery s max \(String(format: "%.1f", recoveries.max() ?? 0)), pty bytes \(bytes.count)"
            print(report)
            try? report.write(toFile: ".build/soak-report.txt", atomically: true, encoding: .utf8)
            try await tmux.send("q")
        }
    }

    /// The pid of a child of `parent` whose command is `name`.
    static func child(of parent: Int32, named name: String) -> Int32? {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, Int32(fields[1]) == parent, stat.contains("(\(name))") { return pid }
        }
        return nil
    }

    static func rssKB(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "")
        }
        return nil
    }
}
