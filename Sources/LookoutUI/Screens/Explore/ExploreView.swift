import DashboardCore
import FoundationEssentials
import Glibc
import PrometheusModels
import SafeText
import TerminalCanvas

extension ExploreScreen {
    /// The most series the chart draws (the top ones by last value); the table lists them all.
    static let chartSeries = 8

    public func render(into canvas: inout Canvas, area: Rect, context: ScreenContext) {
        let ascii = context.options.ascii
        let title = focus == .editor ? "Explore  (Enter run, Tab complete, Esc back)" : "Explore  (e edit, o order, 1-9 series, r run again, Esc back)"
        let inner = PanelFrame(title: title, badge: running != nil ? ("running…", .dim) : nil, focused: true, ascii: ascii)
            .draw(into: &canvas, area: area)
        guard inner.height >= 2, inner.width >= 10 else { return }
        var y = inner.y
        // The query line.
        let prompt = "> "
        let room = inner.width - prompt.count
        let (shown, cursorColumn) = editor.visible(width: room)
        canvas.put(prompt, x: inner.x, y: y, style: Style(.title), clip: inner)
        canvas.put(shown, x: inner.x + prompt.count, y: y, style: Style(.text), clip: inner)
        if focus == .editor {
            let cx = inner.x + prompt.count + cursorColumn
            if cx < inner.maxX { canvas.setStyle(Rect(x: cx, y: y, width: 1, height: 1), Style(.focus, .reverse)) }
        }
        y += 1
        // The problem, with a caret under the column the server named.
        if let problem, y < inner.maxY {
            if let caret = problem.caret {
                let start = editor.visibleStart(width: room)
                let column = caret - start
                if column >= 0, column < room {
                    let offset = editor.columns(start..<min(editor.text.count, start + column))
                    canvas.put("^", x: inner.x + prompt.count + offset, y: y, style: Style(.critical), clip: inner)
                    y += 1
                }
            }
            if y < inner.maxY {
                canvas.put(TextLayout.truncate(problem.message, to: inner.width, ascii: ascii), x: inner.x, y: y, style: Style(.critical), clip: inner)
                y += 1
            }
        }
        let body = Rect(x: inner.x, y: y, width: inner.width, height: inner.maxY - y)
        if let outcome {
            renderOutcome(outcome, into: &canvas, area: body, context: context)
        } else if body.height > 0 {
            canvas.put(running != nil ? "running…" : "Type a PromQL query; Tab completes metric names, labels, values and functions.",
                       x: body.x, y: body.y, style: Style(.dim), clip: body)
        }
        if let popup { renderPopup(popup, into: &canvas, inner: inner, cursorColumn: inner.x + prompt.count + cursorColumn, ascii: ascii) }
    }

    func renderPopup(_ popup: Popup, into canvas: inout Canvas, inner: Rect, cursorColumn: Int, ascii: Bool) {
        let lines = popup.waiting ? ["asking the server…"] : (popup.choices.isEmpty ? ["no match"] : popup.choices)
        let visible = min(lines.count, max(1, min(10, inner.height - 3)))
        let top = max(0, min(popup.selected - visible / 2, lines.count - visible))
        let width = min(inner.width, max(16, (lines.map { DisplayWidth.of($0) }.max() ?? 0) + 2))
        let x = max(inner.x, min(cursorColumn - DisplayWidth.of(popup.context.prefix), inner.maxX - width))
        let box = Rect(x: x, y: inner.y + 1, width: width, height: min(visible + 2, inner.height - 1))
        canvas.fill(box, with: Cell(" ", style: Style(.help)))
        let more = lines.count > visible ? " \(popup.selected + 1)/\(lines.count)" : ""
        let inside = PanelFrame(title: more.isEmpty ? "" : String(more.dropFirst()), focused: false, ascii: ascii).draw(into: &canvas, area: box)
        for (i, line) in lines.dropFirst(top).prefix(inside.height).enumerated() {
            let selected = !popup.waiting && !popup.choices.isEmpty && top + i == popup.selected
            canvas.put(TextLayout.fit(line, to: inside.width, ascii: ascii), x: inside.x, y: inside.y + i,
                       style: Style(selected ? .focus : .help, selected ? .reverse : []), clip: inside)
        }
    }

    /// Labels shared by every series, and each series' own labels.
    static func split(_ streams: [SampleStream]) -> (common: [(String, String)], own: [String]) {
        guard let first = streams.first else { return ([], []) }
        let common = first.metric.filter { key, value in streams.allSatisfy { $0.metric[key] == value } }
            .sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let commonKeys = Set(common.map(\.0))
        let own = streams.map { stream -> String in
            let labels = stream.metric.filter { !commonKeys.contains($0.key) }.sorted { $0.key < $1.key }
            return labels.isEmpty ? "{}" : labels.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ", ")
        }
        return (common, own)
    }

    static func series(_ streams: [SampleStream], _ own: [String]) -> [SeriesSummary] {
        zip(streams, own).map { stream, legend in SeriesSummary(legend: legend, labels: stream.metric, points: stream.values, thresholds: nil) }
    }

    /// Indices of `series`, the largest last value first (no value last).
    static func byLast(_ series: [SeriesSummary]) -> [Int] {
        series.indices.sorted { (series[$0].last.isNaN ? -.infinity : series[$0].last) > (series[$1].last.isNaN ? -.infinity : series[$1].last) }
    }

    /// The series the chart draws, numbered 1… in its legend: the top ones by last value.
    static func charted(_ outcome: Outcome) -> [SeriesSummary] {
        let streams = outcome.result.streams
        let series = Self.series(streams, split(streams).own)
        return byLast(series).prefix(chartSeries).map { series[$0] }
    }

    /// `14:05 → 15:05 UTC`: a pinned window as the status bar writes it.
    static func window(_ outcome: Outcome, _ model: DashboardState) -> String {
        let start = outcome.end.addingTimeInterval(-outcome.rangeSeconds)
        return ClockFormat.short(start, now: model.now, utc: model.utc) + " → " + ClockFormat.short(outcome.end, now: model.now, utc: model.utc)
            + " " + ClockFormat.zoneName(utc: model.utc, at: outcome.end)
    }

    func renderOutcome(_ outcome: Outcome, into canvas: inout Canvas, area: Rect, context: ScreenContext) {
        guard area.height > 0 else { return }
        let ascii = context.options.ascii
        var y = area.y
        let streams: [SampleStream]
        switch outcome.result {
        case .string(let s):
            canvas.put("string: \(s.value)", x: area.x, y: y, style: Style(.text), clip: area)
            return
        case .scalar(let s):
            canvas.put("scalar: \(ValueFormat.format(s.value, unit: .none))", x: area.x, y: y, style: Style(.text), clip: area)
            return
        default:
            streams = outcome.result.streams
        }
        guard !streams.isEmpty else {
            let when = outcome.pinned ? "from " + Self.window(outcome, context.model) : "over the last \(ValueFormat.rangeLabel(outcome.rangeSeconds))"
            canvas.put("no data: the query matched no series " + when, x: area.x, y: y, style: Style(.dim), clip: area)
            return
        }
        let (common, own) = Self.split(streams)
        let series = Self.series(streams, own)
        let byLast = Self.byLast(series)
        let top = byLast.prefix(Self.chartSeries).map { series[$0] }
        let end = outcome.end.timeIntervalSince1970
        let range = (end - outcome.rangeSeconds, end)
        // Header: the shared labels, the count, the warnings.
        var header = "\(streams.count) series"
        if outcome.pinned { header += "  " + Self.window(outcome, context.model) }
        if !common.isEmpty { header += "  " + common.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ", ") }
        if streams.count > top.count { header += "  (chart: top \(top.count) by last value)" }
        canvas.put(TextLayout.truncate(header, to: area.width, ascii: ascii), x: area.x, y: y, style: Style(.dim), clip: area)
        y += 1
        if let warning = outcome.warnings.first, y < area.maxY {
            canvas.put("warning: " + TextLayout.truncate(warning, to: area.width - 9, ascii: ascii), x: area.x, y: y, style: Style(.warning), clip: area)
            y += 1
        }
        let left = area.maxY - y
        guard left > 0 else { return }
        // A chart and its legend above, the table below: the legend names every charted series when a third of the
        // rows allows it, the chart takes about half, the table what is left, and the chart what the table does not
        // need.
        let legendRows = min(top.count, max(2, left / 3))
        var chartHeight = left >= 12 ? max(4, left / 2 - legendRows) : 0
        if chartHeight > 0 { chartHeight += max(0, left - legendRows - chartHeight - (1 + streams.count)) }
        if chartHeight >= LineChart.minimumHeight, area.width >= LineChart.minimumWidth {
            let chartArea = Rect(x: area.x, y: y, width: area.width, height: chartHeight)
            let (now, utc) = (context.model.now, context.model.utc)
            let clock: ((Double) -> String)? = outcome.pinned ? { ClockFormat.short(Date(timeIntervalSince1970: $0), now: now, utc: utc) } : nil
            SeriesGraphics.chart(top.filter { !hidden.contains($0.legend) }, unit: .none, thresholds: nil, range: range,
                                 rangeLabel: ValueFormat.rangeLabel(outcome.rangeSeconds), width: chartArea.width, ascii: ascii, clock: clock,
                                 colourNames: top.map(\.legend), marks: context.options.seriesMarks).render(into: &canvas, area: chartArea)
            y += chartHeight
            var legend = SeriesRows(series: top, markers: top.map { _ in nil }, unit: .none, thresholds: nil, range: range, stale: false, colourKey: true, ascii: ascii)
            legend.numbered = true
            legend.marks = context.options.seriesMarks
            legend.hidden = hidden
            legend.render(into: &canvas, area: Rect(x: area.x, y: y, width: area.width, height: legendRows))
            y += legendRows
        }
        guard y < area.maxY else { return }
        // The table of values at the end of the range.
        let rows = (sortByValue ? byLast : series.indices.sorted { own[$0] < own[$1] }).map { (own[$0], series[$0].last) }
        let valueWidth = max(5, rows.map { ValueFormat.format($0.1, unit: .none).count }.max() ?? 5)
        canvas.put(TextLayout.fit(sortByValue ? "labels (by value, o: by labels)" : "labels (o: by value)", to: area.width - valueWidth - 1, ascii: ascii) + " " + TextLayout.pad("value", to: valueWidth, alignRight: true),
                   x: area.x, y: y, style: Style(.title), clip: area)
        y += 1
        let visible = max(0, area.maxY - y)
        let first = max(0, min(tableScroll, rows.count - visible))
        for (i, row) in rows.dropFirst(first).prefix(visible).enumerated() {
            let value = TextLayout.pad(ValueFormat.format(row.1, unit: .none), to: valueWidth, alignRight: true)
            let last = i == visible - 1 && first + visible < rows.count
            let label = last ? "+\(rows.count - first - i) more (↑↓ scroll)" : row.0
            canvas.put(TextLayout.fit(label, to: area.width - valueWidth - 1, ascii: ascii) + " " + (last ? "" : value), x: area.x, y: y + i,
                       style: Style(last ? .dim : .text), clip: area)
        }
    }
}
