import PromQL
import PrometheusModels

/// A raw sample: a timestamp in milliseconds and a value.
public struct Point: Sendable, Equatable {
    public var t: Int64
    public var v: Double

    public init(t: Int64, v: Double) {
        self.t = t
        self.v = v
    }
}

/// A raw series of a `SeriesSource`: its labels (with `__name__`) and an id the source understands.
public struct SeriesRef: Sendable, Equatable {
    public var id: Int
    public var labels: Labels

    public init(id: Int, labels: Labels) {
        self.id = id
        self.labels = labels
    }
}

/// Where the evaluator reads raw series from: the synthetic world, or fixed points in tests.
public protocol SeriesSource: Sendable {
    /// Every series the source can ever have (for `/api/v1/series`, `/api/v1/labels` and selectors).
    var allSeries: [SeriesRef] { get }
    /// Series whose labels match every matcher (a source may find them without listing every series).
    func series(matching matchers: [LabelMatcher]) -> [SeriesRef]
    /// Points of a series with timestamps in `[from, through]`, oldest first.
    func points(of series: SeriesRef, from: Int64, through: Int64) -> [Point]
    /// How many points `points(of:from:through:)` would return at most, without computing them.
    func pointCount(of series: SeriesRef, from: Int64, through: Int64) -> Int
    /// The newest point in `[from, through]`, if any.
    func latest(of series: SeriesRef, from: Int64, through: Int64) -> Point?
}

extension SeriesSource {
    /// Series whose labels match every matcher.
    public func series(matching matchers: [LabelMatcher]) -> [SeriesRef] {
        allSeries.filter { series in matchers.allSatisfy { $0.matches(series.labels) } }
    }
}

/// A source with fixed points, for tests and examples.
public struct StaticSeriesSource: SeriesSource {
    private let series: [(labels: Labels, points: [Point])]

    /// `series`: labels (with `__name__`) and points in any order.
    public init(_ series: [(labels: Labels, points: [Point])]) {
        self.series = series.map { ($0.labels, $0.points.sorted { $0.t < $1.t }) }
    }

    public var allSeries: [SeriesRef] {
        series.enumerated().map { SeriesRef(id: $0.offset, labels: $0.element.labels) }
    }

    private func range(_ points: [Point], _ from: Int64, _ through: Int64) -> Range<Int> {
        // Binary searches for the first point at or after `from` and the first after `through`.
        func firstIndex(where predicate: (Point) -> Bool) -> Int {
            var low = 0
            var high = points.count
            while low < high {
                let mid = (low + high) / 2
                if predicate(points[mid]) { high = mid } else { low = mid + 1 }
            }
            return low
        }
        let lower = firstIndex { $0.t >= from }
        let upper = firstIndex { $0.t > through }
        return lower..<max(lower, upper)
    }

    public func points(of ref: SeriesRef, from: Int64, through: Int64) -> [Point] {
        guard series.indices.contains(ref.id) else { return [] }
        let points = series[ref.id].points
        return Array(points[range(points, from, through)])
    }

    public func pointCount(of ref: SeriesRef, from: Int64, through: Int64) -> Int {
        guard series.indices.contains(ref.id) else { return 0 }
        return range(series[ref.id].points, from, through).count
    }

    public func latest(of ref: SeriesRef, from: Int64, through: Int64) -> Point? {
        guard series.indices.contains(ref.id) else { return nil }
        let points = series[ref.id].points
        let r = range(points, from, through)
        return r.isEmpty ? nil : points[r.upperBound - 1]
    }
}
