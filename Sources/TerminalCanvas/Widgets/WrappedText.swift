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
    /// (an error message or a URL with no space is shown whole, not clipped), at most `maxLines` of them, the last
    /// ending in `…` when the text goes on. The work is bounded by `width × maxLines`, not by the text: only the
    /// characters that can fit are looked at (a character takes at least one column), so a megabyte annotation costs
    /// what a screenful does.
    public static func lines(_ text: String, width: Int, maxLines: Int = 10_000) -> [String] {
        let width = max(1, width)
        let maxLines = max(1, maxLines)
        let (room, overflow) = width.multipliedReportingOverflow(by: maxLines)
        var text = Substring(text)
        var cut = false
        if !overflow, let end = text.index(text.startIndex, offsetBy: room, limitedBy: text.endIndex), end != text.endIndex {
            text = text[..<end]
            cut = true
        }
        var out: [String] = []
        if DisplayWidth.of(text) <= width {
            out = [String(text)]
        } else {
            // The first line keeps the text's indentation.
            let indent = String(text.prefix { $0 == " " }.prefix(width / 2))
            var line = indent
            var lineWidth = DisplayWidth.of(indent)
            var fresh = true
            for word in text.dropFirst(indent.count).split(separator: " ", omittingEmptySubsequences: false) {
                let wordWidth = DisplayWidth.of(word)
                let joined = lineWidth + wordWidth + (fresh ? 0 : 1)
                if joined <= width {
                    line += fresh ? String(word) : " " + word
                    lineWidth = joined
                    fresh = false
                    continue
                }
                if !line.isEmpty { out.append(line) }
                // A word wider than a line: pieces of at most `width` columns, in one pass over it.
                line = ""
                lineWidth = 0
                for character in word {
                    let w = DisplayWidth.of(character)
                    if lineWidth + w > width, !line.isEmpty {
                        out.append(line)
                        line = ""
                        lineWidth = 0
                    }
                    line.append(character)
                    lineWidth += w
                }
                fresh = line.isEmpty
                if out.count > maxLines { break }
            }
            if !line.isEmpty { out.append(line) }
            if out.isEmpty { out = [""] }
        }
        if out.count > maxLines {
            out.removeLast(out.count - maxLines)
            cut = true
        }
        if cut, let last = out.last {
            out[out.count - 1] = DisplayWidth.of(last) < width ? last + "…" : TextLayout.truncate(last + "…", to: width)
        }
        return out
    }

    public func render(into canvas: inout Canvas, area: Rect) {
        var line = ""
        var y = area.y
        // Only what the area can show is looked at (see `lines`).
        let room = max(0, area.width) * max(0, area.height)
        for word in text.prefix(room).split(separator: " ") {
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
