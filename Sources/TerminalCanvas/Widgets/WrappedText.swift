import SafeText

/// Text wrapped at spaces to the area's width (a word longer than a line is cut by the clip), top to bottom.
public struct WrappedText: Widget {
    public var text: String
    public var role: StyleRole

    public init(_ text: String, role: StyleRole = .text) {
        self.text = text
        self.role = role
    }

    /// `text` as lines of at most `width` columns: broken at spaces, and a word longer than a line cut into pieces
    /// (an error message or a URL with no space is shown whole, not clipped).
    public static func lines(_ text: String, width: Int) -> [String] {
        let width = max(1, width)
        guard DisplayWidth.of(text) > width else { return [text] }
        // The first line keeps the text's indentation.
        let indent = String(text.prefix { $0 == " " }.prefix(width / 2))
        var out: [String] = []
        var line = indent
        var fresh = true
        func flush() {
            if !line.isEmpty { out.append(line) }
            line = ""
            fresh = true
        }
        for word in text.dropFirst(indent.count).split(separator: " ", omittingEmptySubsequences: false) {
            var word = String(word)
            let candidate = fresh ? line + word : line + " " + word
            fresh = false
            if DisplayWidth.of(candidate) <= width {
                line = candidate
                continue
            }
            flush()
            fresh = false
            while DisplayWidth.of(word) > width {
                var piece = ""
                for character in word {
                    if DisplayWidth.of(piece + String(character)) > width { break }
                    piece.append(character)
                }
                if piece.isEmpty { piece = String(word.prefix(1)) }
                out.append(piece)
                word = String(word.dropFirst(piece.count))
            }
            line = word
            fresh = word.isEmpty
        }
        flush()
        return out.isEmpty ? [""] : out
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
