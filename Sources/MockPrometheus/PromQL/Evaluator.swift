import PromQL
import Foundation
import Synchronization
import PrometheusModels

/// An element of an instant vector.
public struct Element: Sendable, Equatable {
    public var labels: Labels
    public var value: Double

    public init(labels: Labels, value: Double) {
        self.labels = labels
        self.value = value
    }
}

/// A series of a range vector or a range query result.
public struct SeriesPoints: Sendable, Equatable {
    public var labels: Labels
    public var points: [Point]

    public init(labels: Labels, points: [Point]) {
        self.labels = labels
        self.points = points
    }
}

/// The value of an expression at one instant.
public enum QueryValue: Sendable, Equatable {
    case scalar(Double)
    case string(String)
    case vector([Element])
    case matrix([SeriesPoints])
}

/// Why a query failed, with the error type and HTTP status Prometheus uses for it.
public enum QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `bad_data`, 400: parse errors, bad parameters, too many points.
    case badData(String)
    /// `execution`, 422: e.g. many-to-many matching, too many samples.
    case execution(String)
    /// `timeout`, 503: the query ran past its deadline, or the server is stopping.
    case timeout(String)
    /// `unavailable`, 503: too many queries at once.
    case unavailable(String)

    public var errorType: String {
        switch self {
        case .badData: return "bad_data"
        case .execution: return "execution"
        case .timeout: return "timeout"
        case .unavailable: return "unavailable"
        }
    }

    public var httpStatus: Int {
        switch self {
        case .badData: return 400
        case .execution: return 422
        case .timeout, .unavailable: return 503
        }
    }

    public var description: String {
        switch self {
        case .badData(let m), .execution(let m), .timeout(let m), .unavailable(let m): return m
        }
    }
}

/// Limits that keep a query from running away.
public struct EvaluationLimits: Sendable {
    /// Most raw samples one query may read (Prometheus' `--query.max-samples` plays this role).
    public var maxSamples = 5_000_000
    /// Most points per series of a range query (Prometheus: 11,000).
    public var maxPoints = 11_000
    /// How far back an instant selector looks for a sample (Prometheus' lookback delta).
    public var lookbackMilliseconds: Int64 = 300_000
    /// How long one query may run (Prometheus' `--query.timeout`, 2 m there).
    public var timeout: Duration = .seconds(10)
    /// Most queries evaluated at once; more are answered 503 `unavailable` (Prometheus: `--query.max-concurrency`).
    public var maxConcurrent = 8
    /// Raised when the server stops: queries in flight end at their next check instead of running on.
    public var stop = StopSignal()

    public init() {}
}

/// A flag that running queries check, so a stopping server does not wait for them.
public final class StopSignal: Sendable {
    private let raised = Atomic<Bool>(false)
    public init() {}
    public func raise() { raised.store(true, ordering: .relaxed) }
    public var isRaised: Bool { raised.load(ordering: .relaxed) }
}

/// Evaluates PromQL over a `SeriesSource`: instant queries (`/api/v1/query`) and range queries
/// (`/api/v1/query_range`), with Prometheus 2.42's semantics for the constructs the parser accepts.
public struct Engine: Sendable {
    public let source: any SeriesSource
    public let limits: EvaluationLimits

    public init(source: any SeriesSource, limits: EvaluationLimits = EvaluationLimits()) {
        self.source = source
        self.limits = limits
    }

    /// Parses and evaluates `query` at `time` (milliseconds).
    public func instantQuery(_ query: String, at time: Int64) throws(QueryError) -> QueryValue {
        let expr: Expr
        do {
            expr = try Parser.parse(query)
        } catch {
            throw .badData("invalid parameter \"query\": \(error)")
        }
        return try evaluate(expr, at: time)
    }

    /// Evaluates a parsed expression at `time` (milliseconds).
    public func evaluate(_ expr: Expr, at time: Int64) throws(QueryError) -> QueryValue {
        let context = QueryContext(source: source, limits: limits, step: nil, end: time)
        let value = try context.eval(expr, at: time)
        if case .vector(let elements) = value { try checkUnique(elements) }
        return value
    }

    /// Parses and evaluates `query` at `start`, `start + step`, … up to `end` (milliseconds). Series come sorted by
    /// labels, and steps where a series has no value are left out.
    public func rangeQuery(_ query: String, start: Int64, end: Int64, step: Int64) throws(QueryError) -> [SeriesPoints] {
        let expr: Expr
        do {
            expr = try Parser.parse(query)
        } catch {
            throw .badData("invalid parameter \"query\": \(error)")
        }
        return try evaluateRange(expr, start: start, end: end, step: step)
    }

    /// Range evaluation of a parsed expression.
    public func evaluateRange(_ expr: Expr, start: Int64, end: Int64, step: Int64) throws(QueryError) -> [SeriesPoints] {
        guard expr.type == .scalar || expr.type == .vector else {
            throw .badData("invalid expression type \(goQuote(expr.type.rawValue)) for range query, must be Scalar or instant Vector")
        }
        guard step > 0 else {
            throw .badData("invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        guard end >= start else {
            throw .badData("invalid parameter \"end\": end timestamp must not be before start time")
        }
        let (span, overflow) = end.subtractingReportingOverflow(start)
        guard !overflow, span / step <= Int64(limits.maxPoints) else {
            throw .badData("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        }
        let context = QueryContext(source: source, limits: limits, step: step, end: end)
        var series: [String: SeriesPoints] = [:]
        var t = start
        while t <= end {
            switch try context.eval(expr, at: t) {
            case .scalar(let v):
                series["", default: SeriesPoints(labels: [:], points: [])].points.append(Point(t: t, v: v))
            case .vector(let elements):
                try checkUnique(elements)
                for element in elements {
                    series[signature(element.labels), default: SeriesPoints(labels: element.labels, points: [])]
                        .points.append(Point(t: t, v: element.value))
                }
            case .string, .matrix:
                break  // excluded by the type check above
            }
            let (next, overflow) = t.addingReportingOverflow(step)
            if overflow { break }
            t = next
        }
        return series.values.sorted { labelsOrder($0.labels, $1.labels) }
    }

    private func checkUnique(_ elements: [Element]) throws(QueryError) {
        var seen = Set<String>()
        for element in elements where !seen.insert(signature(element.labels)).inserted {
            throw .execution("vector cannot contain metrics with the same labelset")
        }
    }
}

/// A string key of a label set (sorted pairs), for grouping and matching.
func signature(_ labels: Labels) -> String {
    labels.sorted { $0.key < $1.key }.map { "\($0.key)\u{1}\($0.value)" }.joined(separator: "\u{2}")
}

/// Prometheus' order of label sets: pairwise by sorted name and value, then by length.
func labelsOrder(_ a: Labels, _ b: Labels) -> Bool {
    let x = a.sorted { $0.key < $1.key }
    let y = b.sorted { $0.key < $1.key }
    for (p, q) in zip(x, y) {
        if p.key != q.key { return p.key < q.key }
        if p.value != q.value { return p.value < q.value }
    }
    return x.count < y.count
}

/// The state of one query: limits, the samples read so far, and caches of selector matches and of series points
/// shared by the steps of a range query.
final class QueryContext {
    let source: any SeriesSource
    let limits: EvaluationLimits
    /// The step of a range query (nil for an instant query): when windows of consecutive steps overlap, a series'
    /// points are computed once for the whole query.
    let step: Int64?
    /// The last instant the query evaluates.
    let end: Int64
    private var samples = 0
    private let deadline: ContinuousClock.Instant
    private var sinceLastCheck = 0
    private var selections: [Int: [SeriesRef]] = [:]
    private var materialized: [Int: (from: Int64, through: Int64, points: [Point])] = [:]

    init(source: any SeriesSource, limits: EvaluationLimits, step: Int64?, end: Int64) {
        self.source = source
        self.limits = limits
        self.step = step
        self.end = end
        deadline = .now + limits.timeout
    }

    private func spend(_ count: Int) throws(QueryError) {
        samples += count
        if samples > limits.maxSamples {
            throw .execution("query processing would load too many samples into memory in query execution")
        }
        // Every few thousand samples: past the deadline, or the server is stopping.
        sinceLastCheck += count
        if sinceLastCheck >= 4096 {
            sinceLastCheck = 0
            try checkDeadline()
        }
    }

    func checkDeadline() throws(QueryError) {
        if limits.stop.isRaised { throw .timeout("query cancelled: the server is stopping") }
        if ContinuousClock.now > deadline { throw .timeout("query timed out in query execution") }
    }

    private func select(_ selector: VectorSelector) throws(QueryError) -> [SeriesRef] {
        try checkDeadline()
        if let cached = selections[selector.position.start] { return cached }
        let found = source.series(matching: selector.matchers)
        selections[selector.position.start] = found
        return found
    }

    private func latest(_ series: SeriesRef, at t: Int64) throws(QueryError) -> Point? {
        try spend(1)
        let (from, overflow) = t.subtractingReportingOverflow(limits.lookbackMilliseconds)
        return source.latest(of: series, from: overflow ? .min : from, through: t)
    }

    private func window(_ series: SeriesRef, range: Int64, at t: Int64) throws(QueryError) -> [Point] {
        let (from, overflow) = t.subtractingReportingOverflow(range)
        let start = overflow ? Int64.min : from
        if let cached = materialized[series.id], cached.from <= start, cached.through >= t {
            return slice(cached.points, from: start, through: t)
        }
        if let step, step < range, end > t {
            // Windows of consecutive steps overlap: compute the series once up to the query's end, slice it per step.
            let through = end
            try spend(source.pointCount(of: series, from: start, through: through))
            let points = source.points(of: series, from: start, through: through)
            materialized[series.id] = (start, through, points)
            return slice(points, from: start, through: t)
        }
        try spend(source.pointCount(of: series, from: start, through: t))
        return source.points(of: series, from: start, through: t)
    }

    private func slice(_ points: [Point], from: Int64, through: Int64) -> [Point] {
        var low = 0
        var high = points.count
        while low < high {
            let mid = (low + high) / 2
            if points[mid].t >= from { high = mid } else { low = mid + 1 }
        }
        var end = low
        while end < points.count, points[end].t <= through { end += 1 }
        return Array(points[low..<end])
    }

    // MARK: - Evaluation

    func eval(_ expr: Expr, at t: Int64) throws(QueryError) -> QueryValue {
        switch expr {
        case .number(let v, _): return .scalar(v)
        case .string(let s, _): return .string(s)
        case .paren(let e, _): return try eval(e, at: t)
        case .selector(let selector):
            var out: [Element] = []
            for series in try select(selector) {
                if let point = try latest(series, at: t) { out.append(Element(labels: series.labels, value: point.v)) }
            }
            return .vector(out)
        case .matrix(let selector, let range, _):
            var out: [SeriesPoints] = []
            for series in try select(selector) {
                let points = try window(series, range: range, at: t)
                if !points.isEmpty { out.append(SeriesPoints(labels: series.labels, points: points)) }
            }
            return .matrix(out)
        case .negate(let e, _):
            switch try eval(e, at: t) {
            case .scalar(let v): return .scalar(-v)
            case .vector(let elements):
                return .vector(elements.map { Element(labels: dropName($0.labels), value: -$0.value) })
            case let other: return other
            }
        case .call(let name, let arguments, _):
            return try call(name, arguments, at: t)
        case .aggregate(let name, let argument, let grouping, _):
            guard case .vector(let elements) = try eval(argument, at: t) else { return .vector([]) }
            return .vector(Aggregation.aggregate(name, elements, grouping))
        case .binary(let op, let lhs, let rhs, let returnBool, let matching, _):
            let l = try eval(lhs, at: t)
            let r = try eval(rhs, at: t)
            return try BinaryOperation.apply(op, l, r, returnBool: returnBool, matching: matching)
        }
    }

    private func call(_ name: String, _ arguments: [Expr], at t: Int64) throws(QueryError) -> QueryValue {
        switch name {
        case "time":
            return .scalar(Double(t) / 1000)
        case "vector":
            guard let first = arguments.first, case .scalar(let v) = try eval(first, at: t) else { return .vector([]) }
            return .vector([Element(labels: [:], value: v)])
        case "scalar":
            guard let first = arguments.first, case .vector(let elements) = try eval(first, at: t) else { return .scalar(.nan) }
            return .scalar(elements.count == 1 ? elements[0].value : .nan)
        case "histogram_quantile":
            guard arguments.count == 2, case .scalar(let q) = try eval(arguments[0], at: t),
                  case .vector(let elements) = try eval(arguments[1], at: t)
            else { return .vector([]) }
            return .vector(HistogramQuantile.evaluate(q, elements))
        case "clamp_min", "clamp_max":
            guard arguments.count == 2, case .vector(let elements) = try eval(arguments[0], at: t),
                  case .scalar(let bound) = try eval(arguments[1], at: t)
            else { return .vector([]) }
            return .vector(elements.map {
                Element(labels: dropName($0.labels), value: name == "clamp_min" ? Swift.max($0.value, bound) : Swift.min($0.value, bound))
            })
        default:
            if let math = Functions.mathFunctions[name] {
                guard let first = arguments.first, case .vector(let elements) = try eval(first, at: t) else { return .vector([]) }
                return .vector(elements.map { Element(labels: dropName($0.labels), value: math($0.value)) })
            }
            guard Functions.rangeFunctions.contains(name), let first = arguments.first,
                  case .matrix(_, let range, _) = first,
                  case .matrix(let series) = try eval(first, at: t)
            else { return .vector([]) }
            var out: [Element] = []
            for s in series {
                let (rangeStart, overflow) = t.subtractingReportingOverflow(range)
                if let v = RangeFunctions.evaluate(
                    name, s.points, rangeStart: overflow ? .min : rangeStart, rangeEnd: t, range: range) {
                    out.append(Element(labels: dropName(s.labels), value: v))
                }
            }
            return .vector(out)
        }
    }
}

func dropName(_ labels: Labels) -> Labels {
    var copy = labels
    copy["__name__"] = nil
    return copy
}

/// Functions over the points of a range vector, as Prometheus 2.42 computes them.
enum RangeFunctions {
    /// The value for one series, or nil when the function has no value for it (e.g. `rate` of one point).
    static func evaluate(_ name: String, _ points: [Point], rangeStart: Int64, rangeEnd: Int64, range: Int64) -> Double? {
        switch name {
        case "rate": return extrapolatedRate(points, rangeStart, rangeEnd, range, isCounter: true, isRate: true)
        case "increase": return extrapolatedRate(points, rangeStart, rangeEnd, range, isCounter: true, isRate: false)
        case "delta": return extrapolatedRate(points, rangeStart, rangeEnd, range, isCounter: false, isRate: false)
        case "irate": return instantValue(points, isRate: true)
        case "idelta": return instantValue(points, isRate: false)
        case "sum_over_time": return points.isEmpty ? nil : points.reduce(0) { $0 + $1.v }
        case "avg_over_time": return points.isEmpty ? nil : points.reduce(0) { $0 + $1.v } / Double(points.count)
        case "count_over_time": return points.isEmpty ? nil : Double(points.count)
        case "min_over_time":
            return points.isEmpty ? nil : points.reduce(Double.nan) { $0.isNaN || $1.v < $0 ? $1.v : $0 }
        case "max_over_time":
            return points.isEmpty ? nil : points.reduce(Double.nan) { $0.isNaN || $1.v > $0 ? $1.v : $0 }
        default: return nil
        }
    }

    /// Prometheus' `extrapolatedRate`: the increase between the first and last point (with counter resets added
    /// back), extrapolated towards the window's edges when the points come close to them.
    static func extrapolatedRate(
        _ points: [Point], _ rangeStart: Int64, _ rangeEnd: Int64, _ range: Int64, isCounter: Bool, isRate: Bool
    ) -> Double? {
        guard points.count >= 2, let first = points.first, let last = points.last else { return nil }
        var result = last.v - first.v
        if isCounter {
            var previous = first.v
            for point in points {
                if point.v < previous { result += previous }
                previous = point.v
            }
        }
        // In doubles: a huge range must not overflow integer arithmetic.
        var durationToStart = (Double(first.t) - Double(rangeStart)) / 1000
        let durationToEnd = (Double(rangeEnd) - Double(last.t)) / 1000
        let sampledInterval = (Double(last.t) - Double(first.t)) / 1000
        let averageInterval = sampledInterval / Double(points.count - 1)
        if isCounter && result > 0 && first.v >= 0 {
            let durationToZero = sampledInterval * (first.v / result)
            if durationToZero < durationToStart { durationToStart = durationToZero }
        }
        let threshold = averageInterval * 1.1
        var extrapolateTo = sampledInterval
        extrapolateTo += durationToStart < threshold ? durationToStart : averageInterval / 2
        extrapolateTo += durationToEnd < threshold ? durationToEnd : averageInterval / 2
        result *= extrapolateTo / sampledInterval
        if isRate { result /= Double(range) / 1000 }
        return result
    }

    /// `irate` and `idelta`: from the last two points.
    static func instantValue(_ points: [Point], isRate: Bool) -> Double? {
        guard points.count >= 2 else { return nil }
        let last = points[points.count - 1]
        let previous = points[points.count - 2]
        var result = isRate && last.v < previous.v ? last.v : last.v - previous.v
        let interval = Double(last.t) - Double(previous.t)
        if interval == 0 { return nil }
        if isRate { result /= interval / 1000 }
        return result
    }
}

/// `sum`, `avg`, `min`, `max`, `count`, `group` with `by` / `without`.
enum Aggregation {
    static func groupLabels(_ labels: Labels, _ grouping: Grouping?) -> Labels {
        guard let grouping else { return [:] }
        if grouping.excluding {
            var out = dropName(labels)
            for name in grouping.labels { out[name] = nil }
            return out
        }
        var out: Labels = [:]
        for name in grouping.labels {
            if let value = labels[name] { out[name] = value }
        }
        return out
    }

    static func aggregate(_ name: String, _ elements: [Element], _ grouping: Grouping?) -> [Element] {
        var groups: [String: (labels: Labels, values: [Double])] = [:]
        var order: [String] = []
        for element in elements {
            let labels = groupLabels(element.labels, grouping)
            let key = signature(labels)
            if groups[key] == nil {
                groups[key] = (labels, [])
                order.append(key)
            }
            groups[key]?.values.append(element.value)
        }
        return order.compactMap { key in
            guard let group = groups[key] else { return nil }
            let values = group.values
            let value: Double
            switch name {
            case "sum": value = values.reduce(0, +)
            case "avg": value = values.reduce(0, +) / Double(values.count)
            case "count": value = Double(values.count)
            case "group": value = 1
            case "min": value = values.reduce(Double.nan) { $0.isNaN || $1 < $0 ? $1 : $0 }
            case "max": value = values.reduce(Double.nan) { $0.isNaN || $1 > $0 ? $1 : $0 }
            default: return nil
            }
            return Element(labels: group.labels, value: value)
        }
    }
}

/// `histogram_quantile` as Prometheus 2.42's `bucketQuantile` computes it.
enum HistogramQuantile {
    static func evaluate(_ q: Double, _ elements: [Element]) -> [Element] {
        var groups: [String: (labels: Labels, buckets: [(bound: Double, count: Double)])] = [:]
        for element in elements {
            guard let le = element.labels["le"], let bound = SampleValue.parse(le) else { continue }
            var labels = dropName(element.labels)
            labels["le"] = nil
            let key = signature(labels)
            groups[key, default: (labels, [])].buckets.append((bound, element.value))
        }
        return groups.values.map { Element(labels: $0.labels, value: quantile(q, $0.buckets)) }
    }

    static func quantile(_ q: Double, _ input: [(bound: Double, count: Double)]) -> Double {
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        let sorted = input.sorted { $0.bound < $1.bound }
        guard let top = sorted.last, top.bound == .infinity else { return .nan }
        // Merge buckets with the same bound, then make the counts monotonic.
        var buckets: [(bound: Double, count: Double)] = []
        for bucket in sorted {
            if let last = buckets.last, last.bound == bucket.bound {
                buckets[buckets.count - 1].count += bucket.count
            } else {
                buckets.append(bucket)
            }
        }
        var maximum = -Double.infinity
        for i in buckets.indices {
            if buckets[i].count > maximum {
                maximum = buckets[i].count
            } else if buckets[i].count < maximum {
                buckets[i].count = maximum
            }
        }
        guard buckets.count >= 2 else { return .nan }
        let observations = buckets[buckets.count - 1].count
        if observations == 0 || observations.isNaN { return .nan }
        var rank = q * observations
        var b = buckets.count - 1
        for i in 0..<(buckets.count - 1) where buckets[i].count >= rank {
            b = i
            break
        }
        if b == buckets.count - 1 { return buckets[buckets.count - 2].bound }
        if b == 0 && buckets[0].bound <= 0 { return buckets[0].bound }
        var bucketStart = 0.0
        let bucketEnd = buckets[b].bound
        var count = buckets[b].count
        if b > 0 {
            bucketStart = buckets[b - 1].bound
            count -= buckets[b - 1].count
            rank -= buckets[b - 1].count
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count)
    }
}

/// Arithmetic, comparisons and set operations between scalars and vectors, with one-to-one label matching.
enum BinaryOperation {
    static func apply(
        _ op: BinaryOperator, _ lhs: QueryValue, _ rhs: QueryValue, returnBool: Bool, matching: Grouping?
    ) throws(QueryError) -> QueryValue {
        switch (lhs, rhs) {
        case (.scalar(let l), .scalar(let r)):
            let (value, keep) = scalarOp(op, l, r)
            return .scalar(returnBool ? (keep ? 1 : 0) : value)
        case (.vector(let elements), .scalar(let s)):
            return .vector(vectorScalar(op, elements, s, scalarOnLeft: false, returnBool: returnBool))
        case (.scalar(let s), .vector(let elements)):
            return .vector(vectorScalar(op, elements, s, scalarOnLeft: true, returnBool: returnBool))
        case (.vector(let l), .vector(let r)):
            if op.isSetOperator { return .vector(setOperation(op, l, r, matching)) }
            return .vector(try vectorVector(op, l, r, returnBool: returnBool, matching: matching))
        default:
            return .vector([])
        }
    }

    /// The value and, for comparisons, whether the comparison holds (the value is then the left side's).
    static func scalarOp(_ op: BinaryOperator, _ l: Double, _ r: Double) -> (Double, Bool) {
        switch op {
        case .add: return (l + r, true)
        case .sub: return (l - r, true)
        case .mul: return (l * r, true)
        case .div: return (l / r, true)
        case .mod: return (fmod(l, r), true)
        case .pow: return (pow(l, r), true)
        case .eql: return (l, l == r)
        case .neq: return (l, l != r)
        case .gtr: return (l, l > r)
        case .lss: return (l, l < r)
        case .gte: return (l, l >= r)
        case .lte: return (l, l <= r)
        case .and, .or, .unless: return (l, false)
        }
    }

    private static func vectorScalar(
        _ op: BinaryOperator, _ elements: [Element], _ s: Double, scalarOnLeft: Bool, returnBool: Bool
    ) -> [Element] {
        var out: [Element] = []
        for element in elements {
            let (l, r) = scalarOnLeft ? (s, element.value) : (element.value, s)
            var (value, keep) = scalarOp(op, l, r)
            // A comparison keeps the vector's value, on whichever side the vector is.
            if op.isComparison && scalarOnLeft { value = element.value }
            if returnBool {
                value = keep ? 1 : 0
                keep = true
            }
            guard keep else { continue }
            let labels = op.isComparison && !returnBool ? element.labels : dropName(element.labels)
            out.append(Element(labels: labels, value: value))
        }
        return out
    }

    /// The labels two sides are matched on: all but `__name__` (and the `ignoring` ones), or only the `on` ones.
    static func matchKey(_ labels: Labels, _ matching: Grouping?) -> String {
        guard let matching else { return signature(dropName(labels)) }
        if matching.excluding {
            var copy = dropName(labels)
            for name in matching.labels { copy[name] = nil }
            return signature(copy)
        }
        var kept: Labels = [:]
        for name in matching.labels {
            if let value = labels[name] { kept[name] = value }
        }
        return signature(kept)
    }

    private static func vectorVector(
        _ op: BinaryOperator, _ lhs: [Element], _ rhs: [Element], returnBool: Bool, matching: Grouping?
    ) throws(QueryError) -> [Element] {
        var right: [String: Element] = [:]
        for element in rhs {
            let key = matchKey(element.labels, matching)
            if right[key] != nil {
                throw .execution(
                    "found duplicate series for the match group \(describe(key)) on the right hand-side of the operation: "
                        + "many-to-many matching not allowed: matching labels must be unique on one side")
            }
            right[key] = element
        }
        var matched = Set<String>()
        var out: [Element] = []
        for element in lhs {
            let key = matchKey(element.labels, matching)
            guard let other = right[key] else { continue }
            var (value, keep) = scalarOp(op, element.value, other.value)
            if returnBool {
                value = keep ? 1 : 0
                keep = true
            }
            guard keep else { continue }
            if !matched.insert(key).inserted {
                throw .execution("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
            }
            var labels = op.isComparison && !returnBool ? element.labels : dropName(element.labels)
            if let matching {
                if matching.excluding {
                    for name in matching.labels { labels[name] = nil }
                } else {
                    labels = labels.filter { matching.labels.contains($0.key) }
                }
            }
            out.append(Element(labels: labels, value: value))
        }
        return out
    }

    private static func setOperation(_ op: BinaryOperator, _ lhs: [Element], _ rhs: [Element], _ matching: Grouping?) -> [Element] {
        let rightKeys = Set(rhs.map { matchKey($0.labels, matching) })
        switch op {
        case .and: return lhs.filter { rightKeys.contains(matchKey($0.labels, matching)) }
        case .unless: return lhs.filter { !rightKeys.contains(matchKey($0.labels, matching)) }
        default:
            let leftKeys = Set(lhs.map { matchKey($0.labels, matching) })
            return lhs + rhs.filter { !leftKeys.contains(matchKey($0.labels, matching)) }
        }
    }

    private static func describe(_ key: String) -> String {
        let pairs = key.split(separator: "\u{2}").map { pair -> String in
            let parts = pair.split(separator: "\u{1}", maxSplits: 1, omittingEmptySubsequences: false)
            return parts.count == 2 ? "\(parts[0])=\(goQuote(String(parts[1])))" : String(pair)
        }
        return "{" + pairs.joined(separator: ", ") + "}"
    }
}
