import FoundationEssentials
import PrometheusAPI
import PrometheusModels

/// Incremental refresh of range queries (README, "Performance"). The first refresh of a query asks for its whole
/// range; later ones ask only for the grid's new steps and for the steps that had not settled when last asked (a
/// point is settled once it was asked `settleSeconds` after its time: a scrape in flight, a rule evaluation, a
/// remote-write engine's lag are in by then), and always at least the last step: every refresh still reaches the
/// server, so an outage shows as one, never as cached data that looks current. The grid stays the same because the live window's end is aligned to the step
/// (`QueryRange.aligned`), so points never move: new points are appended, re-asked ones replace what was there, points
/// that left the window are dropped, and a series that stopped keeps what it had in the window. A whole range is
/// asked again after a range or step change (another key), a window that moved back or by more than a quarter (a
/// gap: the laptop slept, the server was down), a result that is not a matrix, an answer that no longer has a series
/// that was live at the last refresh (the server lost its recent points: the whole range says what it still has), and
/// every `fullEvery` refreshes as a safety net (also against a clock that runs ahead of the server's).
public actor RangeCache {
    /// What the cache did, for tests and the benchmark.
    public struct Statistics: Sendable, Equatable {
        /// Whole ranges asked.
        public var full = 0
        /// Only new or unsettled steps asked (at least the last one).
        public var incremental = 0

        public init(full: Int = 0, incremental: Int = 0) {
            self.full = full
            self.incremental = incremental
        }
    }

    struct Key: Hashable {
        let expr: String
        let step: TimeInterval
        let points: Int
    }

    struct Entry {
        var end: Date
        var streams: [SampleStream]
        var refreshes: Int
        var used: Int
        /// When it was last asked (this machine's clock).
        var fetchedAt: Date
    }

    /// A whole range is asked again after this many incremental refreshes.
    public let fullEvery: Int
    /// A point asked this long after its time is not asked again.
    public let settleSeconds: TimeInterval
    /// Queries kept; the least recently used go first.
    public let capacity: Int
    public private(set) var statistics = Statistics()
    private var entries: [Key: Entry] = [:]
    private var clock = 0
    private let now: @Sendable () -> Date

    public init(
        fullEvery: Int = 60, settleSeconds: TimeInterval = 30, capacity: Int = 256, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.fullEvery = max(1, fullEvery)
        self.settleSeconds = max(0, settleSeconds)
        self.capacity = max(1, capacity)
        self.now = now
    }

    /// How many series the last answer to `expr` had (any step), nil when it is not kept.
    public func seriesCount(of expr: String) -> Int? {
        entries.first { $0.key.expr == expr }?.value.streams.count
    }

    /// `client.queryRange(expr, range:)`, fetching only what is new since the last call with the same expression,
    /// step and number of points.
    public func queryRange(_ expr: String, range: QueryRange, using client: PrometheusClient) async throws -> APIResponse<QueryResult> {
        let points = max(1, Int((range.end.timeIntervalSince(range.start) / max(range.step, 0.001)).rounded()))
        let key = Key(expr: expr, step: range.step, points: points)
        clock += 1
        if let entry = entries[key], let from = incrementalStart(entry, range) {
            let asked = now()
            let answer = try await client.queryRange(expr, range: QueryRange(start: from, end: range.end, step: range.step))
            guard case .matrix(let fresh) = answer.data else {
                entries[key] = nil
                return answer
            }
            // A series that was live when last asked and is absent now: the server no longer has its recent points
            // (an HA replica that missed them, a restart that lost its WAL). What it has, the whole range says; the
            // cache never shows what the server no longer says.
            if !Self.vanished(entry.streams, fresh, since: entry.end.addingTimeInterval(-range.step)).isEmpty {
                return try await full(expr, range: range, key: key, using: client)
            }
            let merged = Self.merge(entry.streams, fresh, from: from, start: range.start)
            store(key, Entry(end: range.end, streams: merged, refreshes: entry.refreshes + 1, used: clock, fetchedAt: asked))
            statistics.incremental += 1
            return APIResponse(data: .matrix(merged), warnings: answer.warnings)
        }
        return try await full(expr, range: range, key: key, using: client)
    }

    /// The whole range asked, and kept when it is a matrix.
    private func full(_ expr: String, range: QueryRange, key: Key, using client: PrometheusClient) async throws -> APIResponse<QueryResult> {
        let asked = now()
        let answer = try await client.queryRange(expr, range: range)
        if case .matrix(let streams) = answer.data {
            store(key, Entry(end: range.end, streams: streams, refreshes: 0, used: clock, fetchedAt: asked))
        } else {
            entries[key] = nil
        }
        statistics.full += 1
        return answer
    }

    /// Where an incremental query starts (at the latest the window's end), or nil when the whole range must be asked.
    func incrementalStart(_ entry: Entry, _ range: QueryRange) -> Date? {
        guard entry.refreshes + 1 < fullEvery else { return nil }
        let moved = range.end.timeIntervalSince(entry.end)
        let duration = range.end.timeIntervalSince(range.start)
        guard moved >= 0, moved <= duration / 4 else { return nil }
        // The same grid: both ends a whole number of steps from the cached ones.
        let steps = moved / range.step
        guard abs(steps - steps.rounded()) < 1e-6 else { return nil }
        // Steps t with t + settle > fetchedAt had not settled when last asked: from the first of them (they are the
        // last `k` steps up to the cached end), else from the first new step.
        let unsettledSpan = entry.end.timeIntervalSince(entry.fetchedAt) + settleSeconds
        let from = unsettledSpan > 0
            ? entry.end.addingTimeInterval(-((unsettledSpan / range.step).rounded(.up) - 1) * range.step)
            : entry.end.addingTimeInterval(range.step)
        return max(min(from, range.end), range.start)
    }

    /// The cached series with a point at or after `since` (live at the last refresh) that the fresh answer lacks.
    static func vanished(_ cached: [SampleStream], _ fresh: [SampleStream], since: Date) -> [Labels] {
        let present = Set(fresh.filter { !$0.values.isEmpty }.map(\.metric))
        let recent = since.timeIntervalSince1970
        return cached.filter { stream in
            !present.contains(stream.metric) && (stream.values.last.map { $0.timestamp >= recent } ?? false)
        }.map(\.metric)
    }

    /// The cached series with the fresh answer laid over them from `from` on, trimmed to start at `start`.
    static func merge(_ cached: [SampleStream], _ fresh: [SampleStream], from: Date, start: Date) -> [SampleStream] {
        let cut = from.timeIntervalSince1970
        let first = start.timeIntervalSince1970
        var freshByLabels: [Labels: [SamplePair]] = [:]
        for stream in fresh { freshByLabels[stream.metric, default: []] += stream.values }
        var merged: [SampleStream] = []
        merged.reserveCapacity(max(cached.count, fresh.count))
        var seen = Set<Labels>()
        for stream in cached {
            guard seen.insert(stream.metric).inserted else { continue }
            var values = stream.values.filter { $0.timestamp >= first && $0.timestamp < cut }
            if let recent = freshByLabels[stream.metric] { values += recent }
            if !values.isEmpty { merged.append(SampleStream(metric: stream.metric, values: values)) }
        }
        for stream in fresh where seen.insert(stream.metric).inserted {
            merged.append(SampleStream(metric: stream.metric, values: freshByLabels[stream.metric] ?? stream.values))
        }
        return merged
    }

    private func store(_ key: Key, _ entry: Entry) {
        entries[key] = entry
        if entries.count > capacity, let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key {
            entries[oldest] = nil
        }
    }
}
