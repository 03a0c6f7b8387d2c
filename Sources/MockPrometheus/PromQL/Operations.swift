import FoundationEssentials
import Glibc
import SafeText
import PromQL
import PrometheusModels

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
