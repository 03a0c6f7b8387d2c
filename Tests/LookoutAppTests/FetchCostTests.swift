import DashboardCore
import Foundation
import LookoutApp
import PrometheusAPI
import Synchronization
import Testing
import TestSupport

/// A dashboard costs what is on screen (#24): a refresh asks only for the panels it is given, never for rows, and
/// never more than `DashboardFetcher.panelsInFlight` panels at once, whatever the dashboard's size.
@Suite("What a refresh asks for", .timeLimit(.minutes(1)))
struct FetchCostTests {
    static let board = Dashboard(title: "Many", panels: [.row("Top")] + (1...30).map { i in
        Panel(title: "p\(i)", kind: .stat, targets: [Target(expr: "q\(i)")])
    })

    /// Holds every panel's query until as many as the limit are in flight (or every one has been sent), and counts
    /// the most in flight at once: a refresh that sent them all at once would be seen with 30.
    final class Counter: Sendable {
        struct State { var inFlight = 0, most = 0, sent = 0, held: [CheckedContinuation<Void, Never>] = [] }
        let state = Mutex(State())
        let total: Int
        init(total: Int) { self.total = total }

        func pass() async {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let release = state.withLock { s -> [CheckedContinuation<Void, Never>] in
                    s.inFlight += 1
                    s.sent += 1
                    s.most = max(s.most, s.inFlight)
                    s.held.append(c)
                    guard s.inFlight >= DashboardFetcher.panelsInFlight || s.sent == total else { return [] }
                    defer { s.held = [] }
                    return s.held
                }
                for c in release { c.resume() }
            }
        }
        func done() { state.withLock { $0.inFlight -= 1 } }
    }

    func run(only: Set<Int>?, expected: Int) async throws -> (queries: [String], most: Int) {
        let counter = Counter(total: expected)
        let transport = ScriptedTransport { request in
            let query = request.field("query") ?? ""
            if request.path.hasSuffix("/query"), query.hasPrefix("q") {
                await counter.pass()
                defer { counter.done() }
            }
            return ScriptedAnswers.answer(request, value: "1")
        }
        let client = PrometheusClient(options: ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL("http://127.0.0.1:9")), transport: transport)
        let fetcher = DashboardFetcher(client: client, dashboard: Self.board)
        var loaded: [Int] = []
        for await event in fetcher.refresh(generation: 1, range: QueryRange(last: 600, end: Date(), points: 10), only: only) {
            if case .panelLoaded(let index, _, _, _) = event { loaded.append(index) }
        }
        await client.shutdown()
        #expect(!loaded.contains(0), "a row is never fetched")
        let queries = transport.requests.filter { $0.path.hasSuffix("/query") }.compactMap { $0.field("query") }.filter { $0.hasPrefix("q") }
        return (queries, counter.state.withLock { $0.most })
    }

    @Test("thirty panels: each asked once, at most eight at a time")
    func atMostEightAtOnce() async throws {
        let (queries, most) = try await run(only: nil, expected: 30)
        #expect(Set(queries) == Set((1...30).map { "q\($0)" }))
        #expect(most == DashboardFetcher.panelsInFlight)
    }

    @Test("only the panels given are asked for")
    func onlyThoseOnScreen() async throws {
        let (queries, _) = try await run(only: [0, 2, 3, 30], expected: 3)
        #expect(queries.sorted() == ["q2", "q3", "q30"])
    }
}
