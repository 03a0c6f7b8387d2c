import PromQL
import FoundationEssentials
import Glibc
import SafeText
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
    /// Most queries evaluated at once; more are answered 503 `unavailable` (Prometheus: `--query.max-concurrency`,
    /// whose default this is: one dashboard refresh asks a dozen queries at once, and a slow machine overlaps two).
    public var maxConcurrent = 20
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
