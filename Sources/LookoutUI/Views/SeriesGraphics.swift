import DashboardCore
import FoundationEssentials
import Glibc
import SafeText
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

    /// How a chart is drawn besides its data: a log y-axis (`l` in zoom) and an inspect cursor (`i`) at a fraction
    /// of the range, labelled with its instant.
    struct ChartOptions {
        var log = false
        var cursor: Double?
        var cursorLabel = ""
    }

    /// A round number at least `value` (at most for `down`): 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of
    /// ten, so the axis ends on a number one reads at a glance without wasting much of the chart's height.
    static func nice(_ value: Double, down: Bool = false) -> Double {
        guard value.isFinite, value > 0 else { return value }
        let power = pow(10, (log10(value)).rounded(.down))
        let steps: [Double] = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]
        let scaled = value / power
        let step = down ? steps.last { $0 <= scaled + 1e-9 } ?? 1 : steps.first { $0 >= scaled - 1e-9 } ?? 10
        return step * power
    }

    /// A chart of several series on one scale, with the thresholds as rules and the range on the time axis.
    static func chart(
        _ series: [SeriesSummary], unit: DashboardCore.Unit, thresholds: Thresholds?, range: (start: Double, end: Double),
        rangeLabel: String, width: Int, ascii: Bool, showing values: [Double] = [],
        clock: ((Double) -> String)? = nil, options: ChartOptions = ChartOptions(), colourNames: [String]? = nil,
        marks: Bool = false
    ) -> LineChart {
        // `values` are kept inside the scale (an alert's threshold, whichever side of the data it is on).
        let finite = (series.flatMap { $0.points.map(\.value) } + values).filter { $0.isFinite }
        // A log axis plots log10 of the positive values over whole decades; zero and below are gaps.
        let log = options.log && finite.contains { $0 > 0 }
        func plot(_ v: Double) -> Double? { log ? (v > 0 ? log10(v) : nil) : v }
        var lo: Double
        var hi: Double
        if log {
            let positive = finite.filter { $0 > 0 }
            lo = (log10(positive.min() ?? 1)).rounded(.down)
            hi = max(lo + 1, (log10(positive.max() ?? 10)).rounded(.up))
        } else {
            lo = finite.min() ?? 0
            hi = finite.max() ?? 1
            if let thresholds, !thresholds.percentage, hi >= thresholds.warning * 0.8 { hi = max(hi, thresholds.warning) }
            if lo > 0, lo < hi * 0.5 { lo = 0 }
            if hi <= lo { hi = lo + 1 }
            // Round ends: 1, 2 or 5 times a power of ten.
            if hi > 0 { hi = nice(hi) }
            if lo > 0 { lo = nice(lo, down: true) }
            // A ratio that cannot pass 100 % (usage, availability) keeps its axis at 100 %.
            if unit.id == DashboardCore.Unit.percent.id, hi > 1, let top = finite.max(), top <= 1 { hi = 1 }
            if unit.id == "percent", hi > 100, let top = finite.max(), top <= 100 { hi = 100 }
        }
        let shown = (top: log ? pow(10, hi) : hi, bottom: log ? pow(10, lo) : lo)
        let labels = (top: ValueFormat.format(shown.top, unit: unit) + (log ? " log" : ""), bottom: ValueFormat.format(shown.bottom, unit: unit))
        let dots = LineChart.dotColumns(width: width, yLabels: labels, ascii: ascii, seriesMarks: marks)
        // Each series in its own colour, kept by name across refreshes; the thresholds are the rules.
        let colours = SeriesPalette.assign(colourNames ?? series.map(\.legend))
        let plotted: [[LineChart.Point?]] = series.map { s in
            let colour = StyleRole.series(colours[s.legend] ?? 0)
            return SparklineModel.bucket(s.points, start: range.start, end: range.end, width: dots).map { bucket in
                bucket.maximum.flatMap(plot).map { LineChart.Point(value: $0, role: colour) }
            }
        }
        // A line at each step, in its state's colour (percentage steps move with the data: none).
        let rules: [(value: Double, role: StyleRole, label: String)] = thresholds.map { t in
            t.percentage ? [] : t.levels.compactMap { step in
                step.value.flatMap { value in plot(value).map { ($0, step.state.role, ValueFormat.format(value, unit: unit)) } }
            }
        } ?? []
        var xLabels = clock.map { ($0(range.start), $0((range.start + range.end) / 2), $0(range.end)) }
            ?? ("-\(rangeLabel)", "-" + ValueFormat.rangeLabel((range.end - range.start) / 2), "now")
        if options.cursor != nil { xLabels.1 = options.cursorLabel }
        var chart = LineChart(
            series: plotted, low: lo, high: hi, rules: rules, yLabels: labels,
            // Relative to now when live; the clock's times for a window in the past.
            xLabels: xLabels, ascii: ascii,
            joinGap: joinGap(series, range: range, dots: dots),
            cursor: options.cursor.map { Int(saturating: ($0 * Double(max(0, dots - 1))).rounded()) })
        chart.seriesMarks = marks
        // Round values between the ends (a step of 1, 2, 2.5 or 5 times a power of ten, three or four of them), the
        // decades of a log axis.
        if log {
            chart.yTicks = stride(from: lo + 1, to: hi, by: 1).prefix(16).map { ($0, ValueFormat.format(pow(10, $0), unit: unit)) }
        } else if hi > lo, (hi - lo).isFinite {
            let rough = (hi - lo) / 4
            let power = pow(10, log10(rough).rounded(.down))
            let step = ([1, 2, 2.5, 5, 10].first { $0 * power >= rough * (1 - 1e-9) } ?? 10) * power
            let first = (lo / step).rounded(.down) + 1
            if step > 0, step.isFinite, first.isFinite {
                chart.yTicks = stride(from: first * step, to: hi - step * 1e-6, by: step).prefix(8).map { ($0, ValueFormat.format($0, unit: unit)) }
            }
        }
        return chart
    }

    /// Each series' value at an instant: the latest point at or before it, within `tolerance` seconds.
    static func values(_ series: [SeriesSummary], at instant: Double, tolerance: Double) -> [Double?] {
        series.map { s in
            s.points.last { $0.timestamp <= instant + 1e-6 }.flatMap { instant - $0.timestamp <= tolerance ? $0.value : nil }
        }
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
