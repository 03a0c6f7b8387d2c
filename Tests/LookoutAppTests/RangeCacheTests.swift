import Foundation
import Synchronization
@testable import LookoutApp
import PrometheusAPI
import PrometheusModels
import Testing
import TestSupport

/// The incremental refresh's rules: one grid, only new steps asked, a full fetch when the grid or the window changes,
/// after a gap and every `fullEvery` refreshes. Against the mock, whose world is a function of time, so a window
/// asked twice is answered the same.
@Suite("Incremental refresh")
struct RangeCacheTests {
    static let expr = "sum(rate(http_requests_total[5m])) by (service)"

    static func values(_ result: QueryResult) -> [Labels: [Double]] {
        var out: [Labels: [Double]] = [:]
        for stream in result.streams { out[stream.metric] = stream.values.map(\.timestamp) }
        return out
    }

    @Test func anAlignedWindowEndsOnTheGridAtOrBeforeNow() {
        let now = Date(timeIntervalSince1970: 1_000_017.4)
        let range = QueryRange.aligned(last: 3600, now: now, points: 120)
        #expect(range.step == 30)
        #expect(range.end.timeIntervalSince1970 == 1_000_020 - 30)
        #expect(range.start.timeIntervalSince1970 == 1_000_020 - 30 - 3600)
        let later = QueryRange.aligned(last: 3600, now: now.addingTimeInterval(13), points: 120)
        #expect(later.end.timeIntervalSince1970 == 1_000_020, "the same grid, one step on")
    }

    static func withGrid<T: Sendable>(
        stopAfter: Double = .infinity, _ body: (PrometheusClient, GridServer.Log) async throws -> T
    ) async throws -> T {
        let log = GridServer.Log()
        let server = try GridServer.start(stopAfter: stopAfter, log: log)
        defer { server.stop() }
        return try await withPrometheusClient(ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(server.url))) {
            try await body($0, log)
        }
    }

    @Test func onlyNewStepsAreAskedAndTheSeriesEqualAFullFetch() async throws {
        // A series that stops half-way keeps what it had in the window, as a full fetch shows it.
        let base = 1_700_000_000.0
        try await Self.withGrid(stopAfter: base + 30) { client, log in
            let cache = RangeCache(fullEvery: 10, settleSeconds: 0)
            var range = QueryRange.aligned(last: 300, now: Date(timeIntervalSince1970: base), points: 60)
            _ = try await cache.queryRange(Self.expr, range: range, using: client)
            for seconds in [20.0, 40, 60] {
                range = QueryRange.aligned(last: 300, now: Date(timeIntervalSince1970: base + seconds), points: 60)
                let kept = try await cache.queryRange(Self.expr, range: range, using: client)
                let full = try await client.queryRange(Self.expr, range: range)
                #expect(kept.data == full.data, "at +\(seconds) s")
            }
            #expect(await cache.statistics == RangeCache.Statistics(full: 1, incremental: 3))
            // The incremental ones asked from the first new step to the new end (every point had settled).
            let incremental = log.asked.enumerated().filter { [1, 3, 5].contains($0.offset) }.map(\.element)
            #expect(incremental.map(\.start) == [base + 5, base + 25, base + 45])
            #expect(incremental.map(\.end) == [base + 20, base + 40, base + 60])
        }
    }

    @Test func aNewStepAGapAMoveBackAndTheSafetyNetFetchTheWholeRange() async throws {
        try await Self.withGrid { client, _ in
            let cache = RangeCache(fullEvery: 3, settleSeconds: 10)
            let base = Date(timeIntervalSince1970: 1_700_000_000)
            func ask(_ seconds: TimeInterval, last: TimeInterval = 300, points: Int = 60) async throws {
                _ = try await cache.queryRange(
                    Self.expr, range: QueryRange.aligned(last: last, now: base.addingTimeInterval(seconds), points: points), using: client)
            }
            try await ask(0)
            try await ask(5)
            #expect(await cache.statistics == RangeCache.Statistics(full: 1, incremental: 1))
            try await ask(10, points: 30)  // another step: another grid
            #expect(await cache.statistics.full == 2)
            try await ask(10 + 100)  // more than a quarter of the window later: a gap
            #expect(await cache.statistics.full == 3)
            try await ask(10 + 50)  // back in time
            #expect(await cache.statistics.full == 4)
            try await ask(65)
            try await ask(70)
            #expect(await cache.statistics == RangeCache.Statistics(full: 4, incremental: 3))
            try await ask(75)
            #expect(await cache.statistics == RangeCache.Statistics(full: 5, incremental: 3), "every third refresh is whole")
        }
    }

    @Test func unsettledStepsAreAskedAgainUntilTheySettleThenOnlyTheLastStep() async throws {
        let base = 1_700_000_000.0
        let clock = Mutex(base + 2)
        try await Self.withGrid { client, log in
            let cache = RangeCache(fullEvery: 100, settleSeconds: 30, now: { Date(timeIntervalSince1970: clock.withLock { $0 }) })
            let range = QueryRange.aligned(last: 300, now: Date(timeIntervalSince1970: base + 2), points: 60)
            _ = try await cache.queryRange(Self.expr, range: range, using: client)
            clock.withLock { $0 = base + 40 }
            _ = try await cache.queryRange(Self.expr, range: range, using: client)
            // Asked at +2 s, steps after base - 28 had not settled: the six from base - 25 on are asked again.
            #expect(log.asked.last?.start == base - 25)
            #expect(log.asked.last?.end == base)
            clock.withLock { $0 = base + 45 }
            let kept = try await cache.queryRange(Self.expr, range: range, using: client)
            // Asked at +40 s, every point had settled: only the last step, so that the server is still reached.
            #expect(log.asked.last?.start == base)
            #expect(log.asked.last?.end == base)
            #expect(kept.data == (try await client.queryRange(Self.expr, range: range)).data)
            #expect(await cache.statistics == RangeCache.Statistics(full: 1, incremental: 2))
        }
    }

    @Test func seriesThatStartStopOrLeaveTheWindowAreKeptAsAFullFetchWouldShowThem() {
        let a: Labels = ["service": "a"]
        let b: Labels = ["service": "b"]
        let c: Labels = ["service": "c"]
        func points(_ times: ClosedRange<Int>) -> [SamplePair] { times.map { SamplePair(timestamp: Double($0), value: Double($0)) } }
        let cached = [SampleStream(metric: a, values: points(0...10)), SampleStream(metric: b, values: points(0...6)), SampleStream(metric: c, values: points(0...1))]
        let fresh = [SampleStream(metric: a, values: points(9...12)), SampleStream(metric: ["service": "d"], values: points(11...12))]
        let merged = RangeCache.merge(cached, fresh, from: Date(timeIntervalSince1970: 9), start: Date(timeIntervalSince1970: 2))
        #expect(merged.map(\.metric) == [a, b, ["service": "d"]], "c left the window; d is new")
        #expect(merged[0].values == points(2...12), "the overlap replaced, new points appended, old ones dropped")
        #expect(merged[1].values == points(2...6), "a series that stopped keeps what it had")
        #expect(merged[2].values == points(11...12))
    }
}

/// A server whose answer no longer has a series' recent points (an HA replica that missed them, a restart that lost
/// its WAL; issue "hostile input, third round"): the cache asks the whole range again and shows what the server says,
/// never the points it kept.
@Suite("Incremental refresh when the server forgets")
struct RangeCacheForgettingServerTests {
    @Test func aSeriesMissingFromAnIncrementalAnswerIsAskedWhole() async throws {
        let forgetsAfter = Mutex(Double.infinity)
        let transport = ScriptedTransport { request in
            let (start, end) = (request.field("start").flatMap(Double.init) ?? 0, request.field("end").flatMap(Double.init) ?? 0)
            let step = request.field("step").flatMap(Double.init) ?? 60
            let cutoff = forgetsAfter.withLock { $0 }
            func series(_ service: String, until last: Double) -> String {
                let times = stride(from: start, through: min(end, last), by: step).map { #"[\#(Int($0)),"1"]"# }
                return #"{"metric":{"service":"\#(service)"},"values":[\#(times.joined(separator: ","))]}"#
            }
            let payment = cutoff < start ? [] : [series("payment-service", until: cutoff)]
            let result = ([series("user-service", until: end)] + payment).joined(separator: ",")
            return .json(#"{"status":"success","data":{"resultType":"matrix","result":[\#(result)]}}"#)
        }
        let client = PrometheusClient(options: ConnectionOptions(baseURL: try #require(URL(string: "http://prometheus.test"))), transport: transport)
        let start = Date(timeIntervalSince1970: 1_764_000_000)
        let asked = Mutex(start)
        let cache = RangeCache(fullEvery: 100, settleSeconds: 0, now: { asked.withLock { $0 } })
        let first = QueryRange.aligned(last: 3600, now: start, points: 60)
        _ = try await cache.queryRange("x", range: first, using: client)
        // One step later the server has lost payment-service's last ten minutes.
        let next = QueryRange.aligned(last: 3600, now: start.addingTimeInterval(60), points: 60)
        asked.withLock { $0 = next.end }
        forgetsAfter.withLock { $0 = next.end.timeIntervalSince1970 - 600 }
        let answer = try await cache.queryRange("x", range: next, using: client)
        let payment = try #require(answer.data.streams.first { $0.metric["service"] == "payment-service" })
        #expect(payment.values.last?.timestamp == next.end.timeIntervalSince1970 - 600, "what the server says, not what was kept")
        #expect(await cache.statistics == RangeCache.Statistics(full: 2, incremental: 0))
        // From then on, incremental again: the stopped series is no longer live.
        let third = QueryRange.aligned(last: 3600, now: start.addingTimeInterval(120), points: 60)
        asked.withLock { $0 = third.end }
        _ = try await cache.queryRange("x", range: third, using: client)
        #expect(await cache.statistics == RangeCache.Statistics(full: 2, incremental: 1))
        await client.shutdown()
    }
}
