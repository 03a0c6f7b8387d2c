import SafeText

/// A one-row graph: one column per cell, each a level of eight (blocks, or ASCII), a gap, or a value clamped to an
/// edge (an infinity, drawn as an arrow).
public struct Sparkline: Widget {
    public struct Column: Sendable, Equatable {
        /// 0...7, or nil for a gap.
        public var level: Int?
        public var clamped: Bool
        public var role: StyleRole

        public init(level: Int?, clamped: Bool = false, role: StyleRole = .sparkline) {
            self.level = level
            self.clamped = clamped
            self.role = role
        }
    }

    public static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    public static let asciiLevels: [Character] = ["_", ".", "-", "~", "=", "+", "*", "#"]

    public var columns: [Column]
    public var ascii: Bool

    public init(columns: [Column], ascii: Bool = false) {
        self.columns = columns
        self.ascii = ascii
    }

    /// The sparkline as plain text (a space for a gap), for `lookout snapshot`.
    public static func text(levels: [Int?], ascii: Bool = false) -> String {
        let glyphs = ascii ? asciiLevels : blocks
        return String(levels.map { level in level.map { glyphs[min(max(0, $0), glyphs.count - 1)] } ?? " " })
    }

    public func render(into canvas: inout Canvas, area: Rect) {
        guard area.height > 0 else { return }
        for (i, column) in columns.prefix(area.width).enumerated() {
            guard let level = column.level else {
                canvas.put(" ", x: area.x + i, y: area.y, style: Style(.sparkline), clip: area)
                continue
            }
            var glyph = String((ascii ? Self.asciiLevels : Self.blocks)[min(max(0, level), 7)])
            var role = column.role
            if column.clamped {
                glyph = level > 0 ? (ascii ? "^" : "↑") : (ascii ? "v" : "↓")
                role = .clamped
            }
            canvas.put(glyph, x: area.x + i, y: area.y, style: Style(role), clip: area)
        }
    }
}
