import DashboardCore
import PrometheusModels
import TerminalCanvas

/// A series' points as the generic graph widgets take them: bucketed into columns (`SparklineModel`) and coloured
/// by the panel's thresholds.
enum SeriesGraphics {
    /// The role of a value under thresholds: warning and critical stand out, everything else is a plain line.
    static func role(_ value: Double?, thresholds: Thresholds?) -> StyleRole {
        guard let thresholds, let value else { return .sparkline }
        switch thresholds.state(of: value) {
        case .critical: return .critical
        case .warning: return .warning
        case .ok, .unknown: return .sparkline
        }
    }

    /// One sparkline column per cell, each coloured by the largest value that fell into it.
    static func sparkline(
        _ points: [SamplePair], range: (start: Double, end: Double), width: Int, thresholds: Thresholds?, ascii: Bool
    ) -> Sparkline {
        let columns = SparklineModel.columns(points, start: range.start, end: range.end, width: width)
        let maxima = SparklineModel.bucket(points, start: range.start, end: range.end, width: width).map(\.maximum)
        return Sparkline(
            columns: zip(columns, maxima).map { column, maximum in
                Sparkline.Column(level: column.level, clamped: column.clamped, role: role(maximum, thresholds: thresholds))
            },
            ascii: ascii)
    }

    /// A chart of several series on one scale, with the thresholds as rules and the range on the time axis.
    static func chart(
        _ series: [SeriesSummary], unit: DashboardCore.Unit, thresholds: Thresholds?, range: (start: Double, end: Double),
        rangeLabel: String, width: Int, ascii: Bool, showing values: [Double] = [],
        clock: ((Double) -> String)? = nil
    ) -> LineChart {
        // `values` are kept inside the scale (an alert's threshold, whichever side of the data it is on).
        let finite = (series.flatMap { $0.points.map(\.value) } + values).filter { $0.isFinite }
        var lo = finite.min() ?? 0
        var hi = finite.max() ?? 1
        if let thresholds, hi >= thresholds.warning * 0.8 { hi = max(hi, thresholds.warning) }
        if lo > 0, lo < hi * 0.5 { lo = 0 }
        if hi <= lo { hi = lo + 1 }
        let labels = (top: ValueFormat.format(hi, unit: unit), bottom: ValueFormat.format(lo, unit: unit))
        let dots = LineChart.dotColumns(width: width, yLabels: labels, ascii: ascii)
        // Each series in its own colour, kept by name across refreshes; the thresholds are the rules.
        let colours = SeriesPalette.assign(series.map(\.legend))
        let plotted: [[LineChart.Point?]] = series.map { s in
            let colour = StyleRole.series(colours[s.legend] ?? 0)
            return SparklineModel.bucket(s.points, start: range.start, end: range.end, width: dots).map { bucket in
                bucket.maximum.map { LineChart.Point(value: $0, role: colour) }
            }
        }
        let rules: [(value: Double, role: StyleRole, label: String)] = thresholds.map {
            [($0.warning, .warning, ValueFormat.format($0.warning, unit: unit)), ($0.critical, .critical, ValueFormat.format($0.critical, unit: unit))]
        } ?? []
        return LineChart(
            series: plotted, low: lo, high: hi, rules: rules, yLabels: labels,
            // Relative to now when live; the clock's times for a window in the past.
            xLabels: clock.map { ($0(range.start), $0((range.start + range.end) / 2), $0(range.end)) }
                ?? ("-\(rangeLabel)", "-" + ValueFormat.rangeLabel((range.end - range.start) / 2), "now"), ascii: ascii,
            joinGap: joinGap(series, range: range, dots: dots))
    }

    /// How many empty dot columns a line bridges: one and a half times the usual spacing of the points, so data
    /// sparser than the dots is drawn as a line while a real gap (a missed scrape, a restart) stays visible.
    static func joinGap(_ series: [SeriesSummary], range: (start: Double, end: Double), dots: Int) -> Int {
        let perDot = (range.end - range.start) / Double(max(1, dots))
        guard perDot > 0 else { return 0 }
        var spacings: [Double] = []
        for s in series {
            for (a, b) in zip(s.points, s.points.dropFirst()) where b.timestamp > a.timestamp { spacings.append(b.timestamp - a.timestamp) }
        }
        guard !spacings.isEmpty else { return 0 }
        let median = spacings.sorted()[spacings.count / 2]
        return max(0, min(dots, Int(saturating: (median * 1.5 / perDot).rounded(.down))))
    }
}

/// Which colour of the theme's series palette each series is drawn in: a hash of its name picks one of the eight,
/// and a name that meets a colour already taken moves to the next free one (names taken in sorted order). A series
/// keeps its colour across refreshes and whatever order the server answers in.
public enum SeriesPalette {
    public static let size = 8

    public static func assign(_ names: [String]) -> [String: Int] {
        var taken = Set<Int>()
        var colours: [String: Int] = [:]
        for name in Set(names).sorted() {
            var index = Int(hash(name) % UInt64(size))
            // Past eight series, colours repeat.
            if taken.count < size {
                while taken.contains(index) { index = (index + 1) % size }
            }
            taken.insert(index)
            colours[name] = index
        }
        return colours
    }

    /// FNV-1a: the same on every run and every machine (Swift's `hashValue` is seeded per process).
    static func hash(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }
}
