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
        let plotted: [[LineChart.Point?]] = series.map { s in
            SparklineModel.bucket(s.points, start: range.start, end: range.end, width: dots).map { bucket in
                bucket.maximum.map { LineChart.Point(value: $0, role: role($0, thresholds: thresholds)) }
            }
        }
        let rules: [(value: Double, role: StyleRole)] = thresholds.map { [($0.warning, .warning), ($0.critical, .critical)] } ?? []
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
