import SafeText
import TerminalCanvas

/// One line of editable text: a label, the editor's visible part, and the cursor (a reversed cell) when focused.
/// An empty field shows its placeholder, dimmed. Shared by the forms and the `:` line.
struct TextField: Widget {
    var label: String
    var editor: LineEditor
    var focused: Bool
    var placeholder = ""
    /// Columns the label takes (labels of one form line up).
    var labelWidth: Int

    func render(into canvas: inout Canvas, area: Rect) {
        guard !area.isEmpty else { return }
        let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        canvas.fill(row)
        let x = canvas.put(TextLayout.pad(label, to: labelWidth), x: row.x, y: row.y, style: Style(focused ? .focus : .dim), clip: row)
        let room = row.maxX - x
        guard room > 1 else { return }
        let (shown, cursor) = editor.visible(width: room)
        if shown.isEmpty, !placeholder.isEmpty {
            canvas.put(TextLayout.truncate(placeholder, to: room), x: x, y: row.y, style: Style(.dim), clip: row)
        } else {
            canvas.put(shown, x: x, y: row.y, style: Style(.text), clip: row)
        }
        if focused, x + cursor < row.maxX {
            canvas.setStyle(Rect(x: x + cursor, y: row.y, width: 1, height: 1), Style(.focus, .reverse))
        }
    }
}
