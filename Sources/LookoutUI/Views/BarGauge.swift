import DashboardCore
import SafeText
import TerminalCanvas

/// Grafana's gauge and bar gauge on a terminal: a row per series, its name (when asked), a bar from the panel's
/// minimum to its maximum and the value. `basic` fills the bar in the colour of the value's threshold (the gauge),
/// `gradient` colours each cell by the threshold at its height, `lcd` the same in separate blocks; the empty part is
/// dim. In ASCII the bar is `#` on `.`. Past the rows there is room for, a last row counts the rest.
struct BarGauge: Widget {
    var series: [SeriesSummary]
    var unit: DashboardCore.Unit
    var thresholds: Thresholds?
    var bounds: (min: Double, max: Double)
    var mode: BarMode
    var showsLegend: Bool
    /// The data as a whole is stale: dimmed.
    var stale = false
    var ascii: Bool

    func render(into canvas: inout Canvas, area: Rect) {
        guard !area.isEmpty, !series.isEmpty else { return }
        let fits = series.count <= area.height ? series.count : max(0, area.height - 1)
        let values = series.map { $0.lastText(unit) }
        let valueWidth = min(area.width / 2, values.map { DisplayWidth.of($0) }.max() ?? 1)
        let legendWidth = showsLegend ? min(max(4, area.width / 3), series.map { DisplayWidth.of($0.legend) }.max() ?? 0) : 0
        let names = showsLegend ? LegendTemplate.shown(series, width: legendWidth) : []
        for (i, s) in series.prefix(fits).enumerated() {
            let y = area.y + i
            let line = Rect(x: area.x, y: y, width: area.width, height: 1)
            var x = area.x
            if legendWidth > 0 {
                x = canvas.put(TextLayout.fit(names[i], to: legendWidth, ascii: ascii), x: x, y: y, style: Style(stale ? .dim : .text), clip: line) + 1
            }
            let barWidth = area.maxX - x - valueWidth - 1
            if barWidth >= 2 { drawBar(s, x: x, y: y, width: barWidth, into: &canvas) }
            let role: StyleRole = stale ? .dim : (thresholds == nil && !s.mappedState ? .text : s.state.role)
            canvas.put(TextLayout.fit(values[i], to: valueWidth, alignRight: true, ascii: ascii), x: area.maxX - valueWidth, y: y, style: Style(role), clip: line)
        }
        if fits < series.count {
            let hidden = series.dropFirst(fits)
            let worst = hidden.max { $0.state < $1.state }
            var text = "+\(hidden.count) more"
            if let worst, worst.state >= .warning { text += " (\(worst.legend) \(worst.state.word))" }
            canvas.put(TextLayout.truncate(text, to: area.width, ascii: ascii), x: area.x, y: area.y + fits, style: Style(worst.map { $0.state >= .warning ? $0.state.role : .dim } ?? .dim), clip: area)
        }
    }

    /// The fraction of the bar a value fills, 0 to 1 (nothing for NaN).
    static func fraction(_ value: Double, bounds: (min: Double, max: Double)) -> Double {
        guard value.isFinite, bounds.max > bounds.min else { return 0 }
        return Swift.min(1, Swift.max(0, (value - bounds.min) / (bounds.max - bounds.min)))
    }

    func drawBar(_ s: SeriesSummary, x: Int, y: Int, width: Int, into canvas: inout Canvas) {
        let eighths = Int((Self.fraction(s.last, bounds: bounds) * Double(width * 8)).rounded())
        let valueRole: StyleRole = stale ? .dim : (thresholds == nil && !s.mappedState ? .ok : s.state.role)
        let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        for cell in 0..<width {
            let filled = eighths - cell * 8
            let role: StyleRole
            if mode == .basic || stale {
                role = valueRole
            } else {
                // The threshold at the middle of this cell.
                let at = bounds.min + (Double(cell) + 0.5) / Double(width) * (bounds.max - bounds.min)
                role = thresholds.map { $0.state(of: at, range: bounds).role } ?? valueRole
            }
            let text: String
            if filled >= 8 {
                text = ascii ? "#" : (mode == .lcd ? "▮" : "█")
            } else if filled > 0, mode != .lcd, !ascii {
                text = partials[filled]
            } else {
                canvas.put(ascii ? "." : (mode == .lcd ? "▯" : "░"), x: x + cell, y: y, style: Style(.dim))
                continue
            }
            canvas.put(text, x: x + cell, y: y, style: Style(role))
        }
    }
}
