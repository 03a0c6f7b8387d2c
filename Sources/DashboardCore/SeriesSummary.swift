import PrometheusModels
import SafeText

/// One named series of a panel with the figures every view shows: last, min, max and the threshold state of the
/// last value.
public struct SeriesSummary: Sendable, Equatable {
    public var legend: String
    public var labels: Labels
    public var points: [SamplePair]
    public var last: Double
    public var lastTimestamp: Double?
    public var min: Double
    public var max: Double
    public var state: ThresholdState
    /// The last value's text under the panel's value mappings (`DOWN`), nil when none matches.
    public var text: String?
    /// A value mapping's colour decided the state (the value is coloured even without thresholds).
    public var mappedState = false

    /// `reducer`: the value shown is the points' reduction (Grafana's stat `calcs`), else the last point.
    public init(
        legend: String, labels: Labels, points: [SamplePair], thresholds: Thresholds?, mappings: [ValueMapping] = [], reducer: Reducer? = nil
    ) {
        self.legend = legend
        self.labels = labels
        self.points = points
        let finite = points.map(\.value).filter { !$0.isNaN }
        last = reducer.map { $0.reduce(points) } ?? points.last?.value ?? .nan
        lastTimestamp = points.last?.timestamp
        min = finite.min() ?? .nan
        max = finite.max() ?? .nan
        state = thresholds?.state(of: last, range: finite.isEmpty ? nil : (min, max)) ?? (last.isNaN ? .unknown : .ok)
        // A mapping's colour colours the value, as in Grafana; its text stands for the number.
        if let mapping = ValueMapping.first(mappings, for: last) {
            text = mapping.text
            if let mapped = mapping.state {
                state = mapped
                mappedState = true
            }
        }
    }

    /// The last value as shown: the mapping's text, else the number in `unit`.
    public func lastText(_ unit: Unit) -> String { text ?? ValueFormat.format(last, unit: unit) }

    /// The series of a query result, named by the legend template and sorted by name.
    public static func from(
        _ streams: [SampleStream], legendFormat: String, thresholds: Thresholds?, mappings: [ValueMapping] = [], expr: String? = nil,
        reducer: Reducer? = nil
    ) -> [SeriesSummary] {
        streams.map {
            // A series without labels (`sum(…)`) and no template is named by its query, as Grafana names it, not `{}`.
            var legend = LegendTemplate.render(legendFormat, labels: $0.metric)
            if $0.metric.isEmpty, legend == LegendTemplate.seriesName([:]), let expr, !expr.isEmpty {
                legend = SafeText.clip(expr.split(whereSeparator: \.isNewline).joined(separator: " "), InputLimits.labelCharacters)
            }
            return SeriesSummary(legend: legend, labels: $0.metric, points: $0.values, thresholds: thresholds, mappings: mappings, reducer: reducer)
        }.sorted { $0.legend < $1.legend }
    }
}

/// Turns a series into sparkline levels: one value per column over a fixed time window.
public enum SparklineModel {
    /// One column: a level in `0..<levels`, or a gap (no finite data in the column).
    public struct Column: Sendable, Equatable {
        public var level: Int?
        /// The column held +Inf or -Inf, clamped to the top or bottom.
        public var clamped: Bool
    }

    /// Buckets `points` into `width` columns between `start` and `end` (a range query with `width` steps), takes each column's maximum (a spike stays
    /// visible) and scales between the series' finite minimum and maximum. Infinite values are clamped to the edges
    /// and marked; columns without data are gaps.
    public static func columns(
        _ points: [SamplePair], start: Double, end: Double, width: Int, levels: Int = 8
    ) -> [Column] {
        let buckets = bucket(points, start: start, end: end, width: width)
        let finite = buckets.compactMap(\.maximum)
        let lo = finite.min() ?? 0
        let hi = finite.max() ?? 0
        return buckets.map { b in
            if b.positiveInfinity { return Column(level: levels - 1, clamped: true) }
            guard let v = b.maximum else { return Column(level: b.negativeInfinity ? 0 : nil, clamped: b.negativeInfinity) }
            if hi - lo <= 0 { return Column(level: hi == 0 ? 0 : levels / 2, clamped: b.negativeInfinity) }
            // Halves first: the span of -1e308…1e308 overflows to infinity, its half does not.
            let level = Int(saturating: ((v / 2 - lo / 2) / (hi / 2 - lo / 2) * Double(levels - 1)).rounded())
            return Column(level: Swift.min(levels - 1, Swift.max(0, level)), clamped: b.negativeInfinity)
        }
    }

    /// What fell into one column: the largest finite value, and whether +Inf or -Inf did.
    public struct Bucket: Sendable, Equatable {
        public var maximum: Double?
        public var positiveInfinity = false
        public var negativeInfinity = false
    }

    /// Buckets `points` into `width` columns between `start` and `end`. Column i holds the points in
    /// (start + i·w, start + (i+1)·w]: a range query's last point, at `end`, lands in the last column, and its first,
    /// at `start`, joins the first. NaN is no data. Sparklines, threshold colours and charts all bucket this way.
    public static func bucket(_ points: [SamplePair], start: Double, end: Double, width: Int) -> [Bucket] {
        guard width > 0 else { return [] }
        var buckets = [Bucket](repeating: Bucket(), count: width)
        let span = Swift.max(end / 2 - start / 2, 1e-9)
        for p in points where !p.value.isNaN {
            let position = (p.timestamp / 2 - start / 2) / span
            guard position >= -1e-9, position <= 1 + 1e-9 else { continue }
            let index = Swift.min(width - 1, Swift.max(0, Int(saturating: (position * Double(width) - 1e-9).rounded(.up)) - 1))
            if p.value == .infinity {
                buckets[index].positiveInfinity = true
            } else if p.value == -.infinity {
                buckets[index].negativeInfinity = true
            } else {
                buckets[index].maximum = Swift.max(buckets[index].maximum ?? -.infinity, p.value)
            }
        }
        return buckets
    }

    public static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    public static let ascii: [Character] = ["_", ".", "-", "~", "=", "+", "*", "#"]

    /// The sparkline as text: block characters (or ASCII), a space for a gap.
    public static func text(_ columns: [Column], ascii: Bool = false) -> String {
        let glyphs = ascii ? Self.ascii : blocks
        return String(columns.map { c in c.level.map { glyphs[Swift.min($0, glyphs.count - 1)] } ?? " " })
    }
}

/// How a panel's rows are ordered (`o` cycles): the worst first (CRIT, then WARN, then the highest value), by name,
/// or by value (highest first).
public enum SeriesOrder: String, Sendable, Equatable, CaseIterable {
    case worstFirst = "worst first", name, value

    /// How a notice and a panel's title name the order: `worst first`, `by name`, `by value`.
    public var label: String { self == .worstFirst ? rawValue : "by " + rawValue }

    public var next: SeriesOrder {
        let all = Self.allCases
        return all[((all.firstIndex(of: self) ?? 0) + 1) % all.count]
    }

    /// The series in this order; ties keep the name order. NaN values go last.
    public func apply(_ series: [SeriesSummary]) -> [SeriesSummary] {
        func value(_ s: SeriesSummary) -> Double { s.last.isNaN ? -.infinity : s.last }
        switch self {
        case .name: return series.sorted { $0.legend < $1.legend }
        case .value:
            return series.sorted { value($0) != value($1) ? value($0) > value($1) : $0.legend < $1.legend }
        case .worstFirst:
            return series.sorted { a, b in
                if a.state != b.state { return a.state > b.state }
                return value(a) != value(b) ? value(a) > value(b) : a.legend < b.legend
            }
        }
    }
}
