import FoundationEssentials

/// A time range for `query_range`.
public struct QueryRange: Sendable, Equatable {
    public var start: Date
    public var end: Date
    /// Seconds between points.
    public var step: TimeInterval

    public init(start: Date, end: Date, step: TimeInterval) {
        self.start = start
        self.end = end
        self.step = step
    }

    /// The range of `duration` seconds ending at `end`, with `points` steps across it (at least one second each).
    /// The start is `end - step·points`, so the last point is evaluated at `end` itself (not up to a step before).
    public init(last duration: TimeInterval, end: Date, points: Int) {
        let (step, count) = Self.grid(duration, points)
        self.init(start: end.addingTimeInterval(-step * Double(count)), end: end, step: step)
    }

    /// The live window of `duration` seconds with `points` steps, its end the last whole step at or before `now`, so
    /// that refreshes share one grid of timestamps (and `RangeCache` can ask only for what is new).
    public static func aligned(last duration: TimeInterval, now: Date, points: Int) -> QueryRange {
        let step = grid(duration, points).step
        return QueryRange(last: duration, end: Date(timeIntervalSince1970: (now.timeIntervalSince1970 / step).rounded(.down) * step), points: points)
    }

    /// Seconds between points (whole, at least one) and their number.
    private static func grid(_ duration: TimeInterval, _ points: Int) -> (step: TimeInterval, count: Int) {
        let count = max(1, points)
        return (max(1, (duration / Double(count)).rounded()), count)
    }
}
