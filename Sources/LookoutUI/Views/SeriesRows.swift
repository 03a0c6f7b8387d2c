import DashboardCore
import SafeText
import TerminalCanvas

/// One series on one row: legend, sparkline, last value with its unit, and the threshold state (or how stale it is).
public struct SeriesRowLayout: Sendable, Equatable {
    public var legendWidth: Int
    public var sparklineWidth: Int
    public var valueWidth: Int
    public var stateWidth: Int

    public init(legendWidth: Int, sparklineWidth: Int, valueWidth: Int, stateWidth: Int) {
        self.legendWidth = legendWidth
        self.sparklineWidth = sparklineWidth
        self.valueWidth = valueWidth
        self.stateWidth = stateWidth
    }

    /// Shares `width` columns between the parts: the legend gets its full length while the sparkline keeps at
    /// least 6 columns, else it is truncated (to no less than 8); the sparkline takes the rest and disappears below 3.
    /// `markerWidth`: the widest freshness marker (`stale 10m`) of the rows, 0 when every series is fresh.
    /// Without `legend` (a stat showing its value alone) the sparkline takes the legend's room; without `sparkline`
    /// there is none.
    public static func fit(
        width: Int, series: [SeriesSummary], unit: DashboardCore.Unit, hasThresholds: Bool, markerWidth: Int = 0,
        legend showsLegend: Bool = true, sparkline showsSparkline: Bool = true
    ) -> SeriesRowLayout {
        let valueWidth = max(5, series.map { DisplayWidth.of($0.lastText(unit)) }.max() ?? 5)
        if !showsLegend {
            let stateWidth = hasThresholds && width >= 36 ? 4 : 0
            let spark = showsSparkline ? width - valueWidth - 1 - (stateWidth > 0 ? stateWidth + 1 : 0) : 0
            return SeriesRowLayout(legendWidth: 0, sparklineWidth: spark >= 3 ? spark : 0, valueWidth: valueWidth, stateWidth: stateWidth)
        }
        var stateWidth = hasThresholds && width >= 36 ? 4 : 0
        // A stale or future series says so in the state column, which grows to hold the marker when there is room.
        if markerWidth > 0, width >= 30 { stateWidth = max(stateWidth, min(markerWidth, 16)) }
        let fixed = valueWidth + 2 + (stateWidth > 0 ? stateWidth + 1 : 0)
        let longest = series.map { DisplayWidth.of($0.legend) }.max() ?? 8
        var legend = longest
        var spark = showsSparkline ? width - fixed - legend : 0
        if !showsSparkline {
            legend = max(1, width - fixed + 1)
        } else if spark < 6 {
            if width - fixed - 6 >= 12 {
                // A sparkline of 6 and a legend of at least 12, truncated.
                legend = width - fixed - 6
                spark = 6
            } else {
                // Too narrow for both: the name and the value matter more than the shape.
                spark = 0
                legend = max(1, width - fixed + 1)
            }
        }
        return SeriesRowLayout(legendWidth: legend, sparklineWidth: spark, valueWidth: valueWidth, stateWidth: stateWidth)
    }
}

/// The rows of a panel's series, with a last "+N more" line that names the worst hidden series: the same in the
/// grid and in a zoomed panel.
public struct SeriesRows: Widget {
    public var series: [SeriesSummary]
    public var markers: [String?]
    public var unit: DashboardCore.Unit
    public var thresholds: Thresholds?
    public var range: (start: Double, end: Double)
    /// The panel's data as a whole is stale: every row is dimmed.
    public var stale: Bool
    /// Said after "+N more" when rows are hidden (`(/ filters)` in a zoomed panel).
    public var moreHint: String
    /// The legend as the chart's colour key: each name in its line's colour (when a chart is drawn above).
    public var colourKey = false
    /// Values to show instead of the last ones (the inspect cursor's instant; nil for a series with none there).
    public var values: [Double?]?
    /// Each of the first nine rows starts with its number, the key that shows or hides it (zoom, explore).
    public var numbered = false
    /// Series left off the chart (by legend): their rows are dimmed and say `hidden`.
    public var hidden: Set<String> = []
    /// The chart draws each series in its own character (the mono theme): the legend starts with it.
    public var marks = false
    /// Series the server has beyond these (the panel asked for the top ones by value): counted in the "+N more" line.
    public var unfetched = 0
    /// Every series the chart's colours are assigned over (nil: these rows' own), so that hiding one changes none.
    public var colourNames: [String]?
    /// The series' names, sparklines and values are drawn (a stat's `textMode` and `graphMode`).
    public var showsLegend = true
    public var showsSparkline = true
    public var showsValue = true
    public var ascii: Bool

    public init(
        series: [SeriesSummary], markers: [String?], unit: DashboardCore.Unit, thresholds: Thresholds?,
        range: (start: Double, end: Double), stale: Bool, moreHint: String = "", colourKey: Bool = false, ascii: Bool
    ) {
        self.colourKey = colourKey
        self.series = series
        self.markers = markers
        self.unit = unit
        self.thresholds = thresholds
        self.range = range
        self.stale = stale
        self.moreHint = moreHint
        self.ascii = ascii
    }

    /// The chart's colours: the same assignment over the same series.
    var colours: [String: Int] { SeriesPalette.assign(colourNames ?? series.map(\.legend)) }

    public func render(into canvas: inout Canvas, area: Rect) {
        guard !area.isEmpty else { return }
        let number = (numbered ? 2 : 0) + (marks && colourKey ? 2 : 0)
        var layout = SeriesRowLayout.fit(
            width: max(1, area.width - number), series: series, unit: unit, hasThresholds: thresholds != nil,
            markerWidth: max(markers.map { $0?.count ?? 0 }.max() ?? 0, hidden.isEmpty ? 0 : 6),
            legend: showsLegend || number > 0, sparkline: showsSparkline)
        if !showsValue {
            // The names alone (Grafana's textMode name): they take the value's room too.
            layout.legendWidth += layout.valueWidth + 1
            layout.valueWidth = 0
        }
        layout.legendWidth += number
        let fits = series.count + (unfetched > 0 ? 1 : 0) <= area.height ? series.count : max(0, area.height - 1)
        let colours = colourKey ? self.colours : [:]
        let names = LegendTemplate.shown(series, width: layout.legendWidth - number)
        for (i, s) in series.prefix(fits).enumerated() {
            drawRow(s, row: i, colour: colours[s.legend] ?? 0, shown: names[i], marker: i < markers.count ? markers[i] : nil, layout: layout, into: &canvas,
                    area: Rect(x: area.x, y: area.y + i, width: area.width, height: 1))
        }
        guard fits < series.count || unfetched > 0 else { return }
        // The worst of the hidden series is named, so trouble is never hidden by the overflow.
        let hidden = series.dropFirst(fits)
        let worst = hidden.max { $0.state < $1.state }
        var text = "+\(hidden.count + unfetched) more"
        if let worst, worst.state >= .warning { text += " (\(worst.legend) \(worst.state.word))" }
        if unfetched > 0 { text += " (top \(series.count) of \(series.count + unfetched) asked)" }
        if !moreHint.isEmpty { text += " " + moreHint }
        let role = worst.map { $0.state >= .warning ? $0.state.role : .dim } ?? .dim
        canvas.fill(Rect(x: area.x, y: area.y + fits, width: area.width, height: 1))
        canvas.put(TextLayout.truncate(text, to: area.width, ascii: ascii), x: area.x, y: area.y + fits, style: Style(role), clip: area)
    }

    func drawRow(
        _ series: SeriesSummary, row: Int, colour: Int, shown: String? = nil, marker: String?, layout: SeriesRowLayout, into canvas: inout Canvas, area: Rect
    ) {
        canvas.fill(area)
        // A series that stopped (or is from the future) is never drawn as current: dimmed, with its marker.
        let isHidden = hidden.contains(series.legend)
        let marker = isHidden ? "hidden" : marker
        let stale = stale || marker != nil
        let legendRole: StyleRole = stale || isHidden ? .dim : (colourKey ? .series(colour) : .text)
        var legend = shown ?? series.legend
        if marks, colourKey { legend = "\(LineChart.mark(.series(colour))) " + legend }
        if numbered { legend = (row < 9 ? "\(row + 1) " : "  ") + legend }
        var x = area.x
        if layout.legendWidth > 0 {
            x = canvas.put(TextLayout.fit(legend, to: layout.legendWidth, ascii: ascii), x: area.x, y: area.y, style: Style(legendRole), clip: area) + 1
        }
        if layout.sparklineWidth > 0 {
            let width = min(layout.sparklineWidth, area.maxX - x)
            SeriesGraphics.sparkline(series.points, range: range, width: max(0, width), thresholds: thresholds, ascii: ascii)
                .render(into: &canvas, area: Rect(x: x, y: area.y, width: max(0, width), height: 1))
            x += layout.sparklineWidth + 1
        }
        let value = values.map { list in list.indices.contains(row) ? list[row].map { ValueFormat.format($0, unit: unit) } ?? "–" : "–" }
            ?? series.lastText(unit)
        guard layout.valueWidth > 0 else { return }
        // A value alone (a stat without name or sparkline) in the middle, as Grafana draws it.
        if layout.legendWidth == 0, layout.sparklineWidth == 0 { x = area.x + max(0, (area.width - layout.valueWidth - layout.stateWidth) / 2) }
        let valueRole: StyleRole = stale ? .dim : (thresholds == nil && !series.mappedState ? .text : series.state.role)
        if let marker, layout.stateWidth == 0 {
            // No state column: the marker takes the value's place.
            canvas.put(TextLayout.fit(marker, to: layout.valueWidth, alignRight: true, ascii: ascii), x: x, y: area.y, style: Style(isHidden ? .dim : .warning), clip: area)
            return
        }
        x = canvas.put(TextLayout.pad(value, to: layout.valueWidth, alignRight: true), x: x, y: area.y, style: Style(valueRole), clip: area)
        if let marker {
            canvas.put(TextLayout.truncate(marker, to: layout.stateWidth, ascii: ascii), x: x + 1, y: area.y, style: Style(isHidden ? .dim : .warning), clip: area)
        } else if layout.stateWidth > 0, thresholds != nil {
            canvas.put(series.state.word, x: x + 1, y: area.y, style: Style(series.state.role), clip: area)
        }
    }
}

extension ThresholdState {
    /// The role a state is drawn in.
    public var role: StyleRole {
        switch self {
        case .ok: return .ok
        case .warning: return .warning
        case .critical: return .critical
        case .unknown: return .unknown
        }
    }
}
