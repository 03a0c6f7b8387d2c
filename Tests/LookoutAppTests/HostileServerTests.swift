import DashboardCore
import Foundation
import LookoutApp
import LookoutUI
import PrometheusAPI
import SafeText
import TerminalCanvas
import Testing
import TestSupport

/// lookout against a server that attacks it (README, "Reliability"): every answer here once crashed, hung or
/// reached the terminal raw. Each test starts its own adversarial server on a free loopback port.
@Suite("A hostile server")
struct HostileServerTests {
    static let attack = "\u{1B}]52;c;QUFBQQ==\u{07}\u{1B}[2J\u{9B}31m\u{202E}evil\u{200E}"

    @discardableResult
    func withServer<T: Sendable>(
        timeout: Duration = .seconds(10), _ behaviour: @escaping @Sendable (AdversarialServer.Request) -> AdversarialServer.Behaviour,
        _ body: (PrometheusClient, AdversarialServer) async throws -> T
    ) async throws -> T {
        try await using(try AdversarialServer(behaviour), release: { $0.stop() }) { server in
            let options = ConnectionOptions(baseURL: try #require(URL(string: server.url)), timeout: timeout)
            return try await withPrometheusClient(options) { client in try await body(client, server) }
        }
    }

    static func envelope(_ data: String, warnings: String = "") -> String {
        #"{"status":"success","data":\#(data)\#(warnings.isEmpty ? "" : #","warnings":[\#(warnings)]"#)}"#
    }

    /// Every output, checked for what must never be in it.
    static func expectClean(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let bad = text.unicodeScalars.filter { $0.value != 0x0A && !SafeText.isPlain($0) }
        #expect(bad.isEmpty, "control or bidi characters in output: \(bad.map { String($0.value, radix: 16) })", sourceLocation: sourceLocation)
    }

    @Test func labelsThatCollideAfterSanitisingAndDuplicateJSONKeysDoNotCrash() async throws {
        // `severity` twice in the JSON (Go keeps the last), and `severity` + U+200E, which sanitises to `severity`.
        let alerts = #"{"alerts":[{"labels":{"alertname":"A","severity":"warning","severity":"critical","severity\u200e":"info","service":"payment-service"},"annotations":{"summary":"s"},"state":"firing","activeAt":"2026-11-25T14:00:00Z","value":"1"}]}"#
        try await withServer({ _ in .json(Self.envelope(alerts)) }) { client, _ in
            let items = AlertItem.sorted(try await client.alerts().data)
            let item = try #require(items.first)
            #expect(item.severity == .critical, "the last of duplicate keys wins, as in Go")
            #expect(item.labels["severity"] == "critical")
            #expect(item.labels["severity~2"] == "info", "a key that collides after sanitising is kept apart")
        }
    }

    @Test func aSeriesSpanningMinusToPlus1e308IsSummarisedAndDrawn() async throws {
        let matrix = #"{"resultType":"matrix","result":[{"metric":{"service":"s"},"values":[[1764000000,"-1e308"],[1764000060,"1e308"],[1764000120,"1.7976931348623157e308"]]}]}"#
        try await withServer({ _ in .json(Self.envelope(matrix)) }) { client, _ in
            let snapshot = await Snapshot.take(client: client, dashboard: .microservices, rangeSeconds: 3600, now: Date(timeIntervalSince1970: 1_764_000_120))
            Self.expectClean(snapshot.text())
            var state = DashboardState(dashboard: .microservices, server: "x", rangeSeconds: 3600, refreshSeconds: 15)
            state.now = snapshot.takenAt
            for (i, outcome) in snapshot.panels.enumerated() { if case .loaded(let data) = outcome { state.panels[i].data = data } }
            for (w, h) in [(80, 24), (200, 60), (40, 10)] {
                state.columns = w
                // The dashboard and the zoomed error-rate panel (a chart over the whole span) draw without a trap.
                var zoomed = AppState(model: state)
                _ = zoomed.update(.key(.char("3")))
                for app in [AppState(model: state), zoomed] {
                    var canvas = Canvas(width: w, height: h)
                    AppView.render(app, into: &canvas)
                    #expect(canvas.lines.joined().contains("Error Rate"), "\(w)x\(h)")
                }
            }
        }
    }

    @Test func aDrippingAnswerEndsAtTheDeadline() async throws {
        let body = Array(Self.envelope(#"{"resultType":"vector","result":[]}"#).utf8)
        try await withServer(timeout: .seconds(2), { _ in .drip(status: 200, body: body, interval: 0.5) }) { client, _ in
            // The body takes 40 s to drip and a byte comes every half second, so no read timeout fires: a timeout
            // error can only come from the whole-answer deadline.
            await #expect {
                try await client.query("up")
            } throws: { error in
                guard case PrometheusError.timeout(_, let seconds) = error else { return false }
                return seconds == 2
            }
        }
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        try await withServer(timeout: .seconds(1), { _ in .hang }) { client, _ in
            await #expect(throws: PrometheusError.timeout(url: client.url(for: "/api/v1/query"), seconds: 1)) {
                try await client.query("up")
            }
        }
    }

    @Test func anAnswerOverTheSizeLimitIsRefused() async throws {
        let huge = [UInt8](repeating: 0x20, count: InputLimits.answerBytes + 1024)
        try await withServer({ _ in .respond(status: 200, headers: [:], body: huge) }) { client, _ in
            await #expect {
                try await client.query("up")
            } throws: { error in
                (error as? PrometheusError)?.description.contains("larger than 64 MiB") == true
            }
        }
    }

    @Test func attackStringsInEveryFieldNeverReachAnOutput() async throws {
        let a = Self.attack.unicodeScalars.map { $0.value < 0x80 && $0.value >= 0x20 ? String($0) : String(format: "\\u%04x", $0.value) }.joined()
        let vector = #"{"resultType":"vector","result":[{"metric":{"service":"\#(a)","\#(a)":"v"},"value":[1764000000,"1"]}]}"#
        let matrix = #"{"resultType":"matrix","result":[{"metric":{"service":"\#(a)","\#(a)":"v"},"values":[[1764000000,"1"]]}]}"#
        let alerts = #"{"alerts":[{"labels":{"alertname":"\#(a)","severity":"critical","service":"\#(a)"},"annotations":{"summary":"\#(a)","description":"\#(a)"},"state":"firing","activeAt":"2026-11-25T14:00:00Z"}]}"#
        try await withServer({ request in
            if request.path.hasSuffix("/alerts") { return .json(Self.envelope(alerts, warnings: "\"\(a)\"")) }
            if request.query?.contains("status_code") == true {
                return .json(#"{"status":"error","errorType":"\#(a)","error":"\#(a)"}"#, status: 422)
            }
            if request.path.hasSuffix("/query_range") { return .json(Self.envelope(matrix, warnings: "\"\(a)\"")) }
            return .json(Self.envelope(vector, warnings: "\"\(a)\""))
        }) { client, _ in
            let snapshot = await Snapshot.take(client: client, dashboard: .microservices, rangeSeconds: 3600)
            Self.expectClean(snapshot.text())
            Self.expectClean(try snapshot.json())
            // JSON keeps the labels as the server sent them, with the controls escaped.
            #expect(try snapshot.json().contains("\\u202e"), "JSON keeps the text, escaped")
            for outcome in snapshot.panels { if case .failed(let message) = outcome { Self.expectClean(message) } }
        }
    }

    @Test func htmlFromAProxyIsOneSafeLine() async throws {
        let html = "<html>\n<body>\u{1B}[31m502 Bad Gateway</body></html>"
        try await withServer({ _ in .respond(status: 502, headers: ["Content-Type": "text/html"], body: Array(html.utf8)) }) { client, _ in
            await #expect {
                try await client.query("up")
            } throws: { error in
                let text = (error as? PrometheusError)?.description ?? ""
                Self.expectClean(text)
                return text.contains("HTTP 502") && !text.contains("\n")
            }
        }
    }

    @Test func http429WithRetryAfterAndUnavailableAreConnectionFailuresThatBackOff() async throws {
        try await withServer({ request in
            if request.path.hasSuffix("/query") {
                return .respond(status: 429, headers: ["Retry-After": "30"], body: Array("slow down".utf8))
            }
            return .json(#"{"status":"error","errorType":"unavailable","error":"too many queries"}"#, status: 503)
        }) { client, _ in
            await #expect {
                try await client.query("up")
            } throws: { error in
                guard let error = error as? PrometheusError else { return false }
                return error.isConnectionFailure && error.retryAfter == 30
            }
            await #expect {
                try await client.alerts()
            } throws: { error in
                (error as? PrometheusError)?.isConnectionFailure == true
            }
        }
    }
}
