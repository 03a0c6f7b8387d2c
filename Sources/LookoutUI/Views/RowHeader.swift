import SafeText
import TerminalCanvas

/// A dashboard row's header (Grafana's row): `▾ Title ────` when open, `▸ Title (12 panels) ────` when closed,
/// in the title's style (the focus's when focused).
struct RowHeader: Widget {
    var title: String
    var closed: Bool
    /// The panels in the row.
    var panels: Int
    var focused: Bool
    var ascii: Bool

    func render(into canvas: inout Canvas, area: Rect) {
        guard !area.isEmpty else { return }
        let marker = closed ? (ascii ? ">" : "▸") : (ascii ? "v" : "▾")
        let count = closed ? "  (\(panels) panel\(panels == 1 ? "" : "s"), Enter opens)" : ""
        let line = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        var end = canvas.put("\(marker) ", x: area.x, y: area.y, style: Style(focused ? .focus : .title, .bold), clip: line)
        end = canvas.put(TextLayout.truncate(title, to: max(1, area.width - 4 - count.count), ascii: ascii), x: end, y: area.y, style: Style(focused ? .focus : .title, .bold), clip: line)
        end = canvas.put(count, x: end, y: area.y, style: Style(.dim), clip: line)
        if end + 1 < area.maxX {
            canvas.put(String(repeating: ascii ? "-" : "─", count: area.maxX - end - 1), x: end + 1, y: area.y, style: Style(.dim), clip: line)
        }
    }
}
