import SafeText

/// A centred box listing keys and what they do, in sections. Taller than the area, it shows the lines from `offset`
/// on and says on its frame which lines these are and that there are more; lines wider than the box end in `…`.
public struct KeyHelp: Widget {
    public struct Section: Sendable, Equatable {
        public var title: String?
        public var rows: [(key: String, help: String)]

        public init(title: String? = nil, rows: [(key: String, help: String)]) {
            self.title = title
            self.rows = rows
        }

        public static func == (a: Section, b: Section) -> Bool {
            a.title == b.title && a.rows.map(\.key) == b.rows.map(\.key) && a.rows.map(\.help) == b.rows.map(\.help)
        }
    }

    public var title: String
    public var sections: [Section]
    public var ascii: Bool
    /// The first line shown (clamped to the last screenful).
    public var offset: Int

    public init(title: String = "Keys", sections: [Section], ascii: Bool = false, offset: Int = 0) {
        self.title = title
        self.sections = sections
        self.ascii = ascii
        self.offset = offset
    }

    /// How many lines the box shows in an area `height` rows tall.
    public func visibleLines(height: Int) -> Int {
        max(0, min(height, lines.count + 2) - 2)
    }

    /// The largest useful offset in an area `height` rows tall.
    public func maxOffset(height: Int) -> Int {
        max(0, lines.count - visibleLines(height: height))
    }

    /// The lines of the box, without its frame.
    public var lines: [(text: String, role: StyleRole)] {
        let keyWidth = sections.flatMap { $0.rows.map { DisplayWidth.of($0.key) } }.max() ?? 0
        var lines: [(String, StyleRole)] = []
        for (i, section) in sections.enumerated() {
            if let title = section.title {
                if i > 0 { lines.append(("", .help)) }
                lines.append((title, .title))
            }
            lines += section.rows.map { (TextLayout.pad($0.key, to: keyWidth) + "  " + $0.help, .help) }
        }
        return lines
    }

    public func render(into canvas: inout Canvas, area: Rect) {
        let lines = self.lines
        let width = min(area.width, (lines.map { DisplayWidth.of($0.text) }.max() ?? 0) + 4)
        let height = min(area.height, lines.count + 2)
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width, height: height)
        canvas.fill(box, with: Cell(" ", style: Style(.help)))
        let shown = visibleLines(height: area.height)
        let first = max(0, min(offset, maxOffset(height: area.height)))
        // Which lines, on the frame, when not all fit: "12–33 of 63 ↑↓".
        var badge: (String, StyleRole)?
        if shown < lines.count {
            let (up, down) = ascii ? ("^", "v") : ("↑", "↓")
            let arrows = (first > 0 ? up : "") + (first + shown < lines.count ? down : "")
            badge = ("\(first + 1)\(ascii ? "-" : "–")\(first + shown) of \(lines.count) \(arrows)", .title)
        }
        let inner = PanelFrame(title: title, badge: badge, ascii: ascii).draw(into: &canvas, area: box)
        for (i, line) in lines.dropFirst(first).prefix(inner.height).enumerated() {
            let text = TextLayout.truncate(line.text, to: max(0, inner.width - 1), ascii: ascii)
            canvas.put(" " + text, x: inner.x, y: inner.y + i, style: Style(line.role == StyleRole.title ? StyleRole.title : StyleRole.help), clip: inner)
        }
    }
}
