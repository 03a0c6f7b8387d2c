import SafeText

/// Text wrapped at spaces to the area's width (a word longer than a line is cut by the clip), top to bottom.
public struct WrappedText: Widget {
    public var text: String
    public var role: StyleRole

    public init(_ text: String, role: StyleRole = .text) {
        self.text = text
        self.role = role
    }

    public func render(into canvas: inout Canvas, area: Rect) {
        var line = ""
        var y = area.y
        for word in text.split(separator: " ") {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if DisplayWidth.of(candidate) > area.width, !line.isEmpty {
                guard y < area.maxY else { return }
                canvas.put(line, x: area.x, y: y, style: Style(role), clip: area)
                y += 1
                line = String(word)
            } else {
                line = candidate
            }
        }
        if y < area.maxY, !line.isEmpty { canvas.put(line, x: area.x, y: y, style: Style(role), clip: area) }
    }
}
