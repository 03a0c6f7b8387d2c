import FoundationEssentials
import Glibc
import DashboardCore
import SafeText
import TerminalCanvas

/// One panel of the dashboard as the grid, the compact layout and the zoomed panel draw it: its badge, and its
/// inside (the data, or why there is none).
struct PanelView {
    var model: DashboardState
    var index: Int
    var ascii: Bool
    /// Series told apart by characters (the mono theme).
    var marks = false

    var panel: Panel { model.dashboard.panels[index] }
    var range: (start: Double, end: Double) {
        (model.windowEnd.timeIntervalSince1970 - model.rangeSeconds, model.windowEnd.timeIntervalSince1970)
    }

    /// The instant at a fraction of the window.
    func instant(_ fraction: Double) -> Date {
        Date(timeIntervalSince1970: range.start + (range.end - range.start) * max(0, min(1, fraction)))
    }

    /// The chart above the rows, where it goes and what is left for the rows: in the grid when five rows are spare,
    /// zoomed in all but a third of the height; nil when there is no room.
    func chart(
        _ content: Rect, series: [SeriesSummary], zoomed: Bool, log: Bool = false, inspect: Double? = nil, hidden: Set<String> = []
    ) -> (chart: LineChart, area: Rect, rows: Rect)? {
        // A stat panel is its numbers and their sparklines on the dashboard; zoomed, it is charted like a graph.
        let chartHeight = zoomed
            ? (content.height >= 6 ? content.height - min(series.count, max(1, content.height / 3)) : 0)
            : (panel.kind == .graph && content.height - series.count >= 5 && content.width >= 24 ? content.height - series.count : 0)
        guard chartHeight > 0 else { return nil }
        let (chartArea, rows) = content.splitTop(chartHeight)
        let (now, utc) = (model.now, model.utc)
        let clock: ((Double) -> String)? = model.pinnedEnd == nil ? nil : { seconds in
            ClockFormat.short(Date(timeIntervalSince1970: seconds), now: now, utc: utc)
        }
        var options = SeriesGraphics.ChartOptions(log: log, cursor: inspect)
        if let inspect { options.cursorLabel = "▲ " + ClockFormat.seconds(instant(inspect), utc: model.utc) }
        let chart = SeriesGraphics.chart(
            series.filter { !hidden.contains($0.legend) }, unit: panel.unit, thresholds: panel.thresholds, range: range,
            rangeLabel: ValueFormat.rangeLabel(model.rangeSeconds), width: chartArea.width, ascii: ascii,
            clock: clock, options: options, colourNames: series.map(\.legend), marks: marks)
        return (chart, chartArea, rows)
    }

    /// The zoomed chart's plot in a panel's inside (no error line, as on a click the chart is where it was drawn).
    func zoomedPlot(in inner: Rect, log: Bool, hidden: Set<String>) -> Rect? {
        var content = inner
        if model.panels[index].error != nil, inner.height > 1 { content = inner.splitTop(inner.height - 1).0 }
        let series = model.visibleSeries(ofPanel: index)
        guard !panel.isHealth, model.panels[index].data != nil, !series.isEmpty,
              let layout = chart(content, series: series, zoomed: true, log: log, hidden: hidden) else { return nil }
        return layout.chart.plot(in: layout.area)
    }

    /// What an empty panel says: "no data", or why when the window reaches past the server's retention.
    var noData: String { model.dataBeforeNote ?? "no data" }

    /// Rows the panel's content wants at `width` columns.
    func contentRows(width: Int) -> Int {
        if panel.isHealth {
            return max(1, HealthTiles.grid(model.visibleServices(ofPanel: index), ascii: ascii).grid(width: width).rows)
        }
        let state = model.panels[index]
        return max(1, model.visibleSeries(ofPanel: index).count + (state.error != nil && state.data != nil ? 1 : 0))
    }

    /// The title bar's text: the panel's number and title, and the order of its rows when `o` chose another than worst
    /// first.
    var title: String {
        let order = panel.isHealth || model.seriesOrder == .worstFirst ? "" : " · " + model.seriesOrder.label
        return "\(index + 1) \(Variable.substitute(panel.title, model.resolvedVariables, display: true))\(order)"
    }

    /// What the panel's title bar says besides the title: stale, a failed query over old data, or how many are up.
    var badge: (text: String, role: StyleRole)? {
        let state = model.panels[index]
        if let age = model.staleAge(ofPanel: index) { return ("stale \(ValueFormat.age(age))", .warning) }
        if state.error != nil && state.data != nil { return ("query failed", .critical) }
        let services = model.visibleServices(ofPanel: index)
        if panel.isHealth, state.data != nil, !services.isEmpty {
            return (HealthTiles.summary(services), services.allSatisfy { $0.status == .up } ? .ok : .critical)
        }
        return nil
    }

    /// Draws the panel's inside; `zoomed` gives a chart all but a third of the height, with a log axis and the
    /// inspect cursor when asked (then the rows show each series' value at the cursor's instant).
    /// `hidden`: series (by legend) toggled off the zoomed chart with their digit.
    func renderContent(
        into canvas: inout Canvas, area: Rect, zoomed: Bool = false, log: Bool = false, inspect: Double? = nil, hidden: Set<String> = []
    ) {
        guard !area.isEmpty else { return }
        let state = model.panels[index]
        guard let data = state.data else {
            if let error = state.error {
                WrappedText("query failed: " + error, role: .critical).render(into: &canvas, area: area)
            } else {
                let text = model.connection == .connected || state.isLoading ? "loading…" : "waiting for \(model.server)…"
                canvas.put(text, x: area.x, y: area.y, style: Style(.dim), clip: area)
            }
            return
        }
        var content = area
        if let error = state.error, area.height > 1 {
            let (top, last) = area.splitTop(area.height - 1)
            canvas.put("! " + TextLayout.truncate(error, to: area.width - 2, ascii: ascii), x: last.x, y: last.y, style: Style(.critical), clip: last)
            content = top
        }
        if panel.isHealth {
            let services = model.visibleServices(ofPanel: index)
            if services.isEmpty {
                canvas.put(data.services.isEmpty ? noData : "no service matches /\(model.filter)", x: content.x, y: content.y, style: Style(.dim), clip: content)
            } else {
                HealthTiles.grid(services, ascii: ascii).render(into: &canvas, area: content)
            }
            return
        }
        let series = model.visibleSeries(ofPanel: index)
        guard !series.isEmpty else {
            canvas.put(data.series.isEmpty ? noData : "no series matches /\(model.filter)", x: content.x, y: content.y, style: Style(.dim), clip: content)
            return
        }
        if panel.kind == .gauge || panel.kind == .bargauge, !zoomed {
            BarGauge(
                series: series, unit: panel.unit, thresholds: panel.thresholds, bounds: panel.gaugeBounds(series.map(\.last)),
                mode: panel.kind == .gauge ? .basic : panel.barMode, showsLegend: series.count > 1, stale: model.staleAge(ofPanel: index) != nil,
                ascii: ascii
            ).render(into: &canvas, area: content)
            return
        }
        let layout = chart(content, series: series, zoomed: zoomed, log: log, inspect: inspect, hidden: hidden)
        let chartHeight = layout?.area.height ?? 0
        if let layout {
            layout.chart.render(into: &canvas, area: layout.area)
            content = layout.rows
        }
        var rows = SeriesRows(
            series: series, markers: series.map { model.freshness(of: $0, panel: index).marker }, unit: panel.unit,
            thresholds: panel.thresholds, range: range, stale: model.staleAge(ofPanel: index) != nil,
            moreHint: zoomed ? "(/ filters)" : "", colourKey: chartHeight > 0, ascii: ascii)
        rows.numbered = zoomed && chartHeight > 0
        if panel.kind == .stat, !zoomed {
            // Grafana's stat: its value alone for one series (textMode auto), its sparkline when graphMode says so.
            rows.showsLegend = panel.textMode.showsName(count: series.count)
            rows.showsValue = panel.textMode.showsValue
            rows.showsSparkline = panel.sparkline
        }
        rows.unfetched = data.moreSeries
        rows.marks = marks
        rows.hidden = hidden
        if let inspect, chartHeight > 0 {
            rows.values = SeriesGraphics.values(series, at: instant(inspect).timeIntervalSince1970, tolerance: max(model.queryStep, model.refreshSeconds) * 2)
        }
        rows.render(into: &canvas, area: content)
    }
}
