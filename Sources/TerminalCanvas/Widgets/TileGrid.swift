import SafeText

/// Short tiles (marker, name, word) laid out in as many columns as fit, filled column by column, so the first tiles
/// (the ones that matter most) stack at the top left. What does not fit is counted in a last "+N more" tile, which
/// names the first hidden tile in trouble (`+6 more (payment-service DOWN)`).
public struct TileGrid: Widget {
    public struct Tile: Sendable, Equatable {
        public var marker: String
        public var name: String
        public var word: String
        /// The marker's and the word's role.
        public var role: StyleRole
        /// Counted as trouble when hidden by the overflow.
        public var isTrouble: Bool

        public init(marker: String, name: String, word: String, role: StyleRole, isTrouble: Bool) {
            self.marker = marker
            self.name = name
            self.word = word
            self.role = role
            self.isTrouble = isTrouble
        }
    }

    static let gap = 2
    public var tiles: [Tile]
    public var ascii: Bool

    public init(tiles: [Tile], ascii: Bool = false) {
        self.tiles = tiles
        self.ascii = ascii
    }

    var measures: (name: Int, word: Int) {
        (tiles.map { DisplayWidth.of($0.name) }.max() ?? 0, tiles.map { DisplayWidth.of($0.word) }.max() ?? 2)
    }

    /// The width of one tile: marker, name, word.
    public var tileWidth: Int { 2 + measures.name + 1 + measures.word }

    /// Columns and rows the tiles take in `width` columns.
    public func grid(width: Int) -> (columns: Int, rows: Int) {
        guard !tiles.isEmpty else { return (1, 0) }
        let columns = max(1, min(tiles.count, (width + Self.gap) / (tileWidth + Self.gap)))
        return (columns, (tiles.count + columns - 1) / columns)
    }

    public func render(into canvas: inout Canvas, area: Rect) {
        guard !area.isEmpty else { return }
        canvas.fill(area)
        let (columns, rows) = grid(width: area.width)
        let visibleRows = min(rows, area.height)
        guard visibleRows > 0 else { return }
        let (nameWidth, wordWidth) = measures
        let cellWidth = area.width / columns
        let capacity = visibleRows * columns
        let overflow = tiles.count > capacity
        // Room for one tile only: the first (the worst) and the count of the others after it on the same line.
        if overflow, capacity == 1, let first = tiles.first {
            let line = Rect(x: area.x, y: area.y, width: area.width, height: 1)
            var x = canvas.put(first.marker + " ", x: line.x, y: line.y, style: Style(first.role), clip: line)
            x = canvas.put(TextLayout.fit(first.name, to: max(1, min(DisplayWidth.of(first.name), area.width - 12)), ascii: ascii) + " ", x: x, y: line.y, style: Style(.text), clip: line)
            x = canvas.put(first.word, x: x, y: line.y, style: Style(first.role), clip: line)
            let hidden = tiles.dropFirst()
            let trouble = hidden.first { $0.isTrouble }
            var more = "  +\(hidden.count) more"
            if let trouble, x + DisplayWidth.of(more) + DisplayWidth.of(trouble.name) + DisplayWidth.of(trouble.word) + 3 <= line.maxX {
                more += " (\(trouble.name) \(trouble.word))"
            }
            canvas.put(more, x: x, y: line.y, style: Style(trouble == nil ? .dim : .critical), clip: line)
            return
        }
        let shown = overflow ? capacity - 1 : tiles.count
        let nameRoom = max(1, min(nameWidth, cellWidth - 3 - wordWidth - (columns > 1 ? Self.gap : 0)))
        func slot(_ i: Int) -> Rect {
            Rect(x: area.x + (i / visibleRows) * cellWidth, y: area.y + i % visibleRows, width: cellWidth, height: 1).intersection(area)
        }
        for (i, tile) in tiles.prefix(shown).enumerated() {
            let clip = slot(i)
            var x = canvas.put(tile.marker + " ", x: clip.x, y: clip.y, style: Style(tile.role), clip: clip)
            x = canvas.put(TextLayout.fit(tile.name, to: nameRoom, ascii: ascii) + " ", x: x, y: clip.y, style: Style(.text), clip: clip)
            canvas.put(tile.word, x: x, y: clip.y, style: Style(tile.role), clip: clip)
        }
        if overflow {
            let clip = slot(shown)
            let hidden = tiles.dropFirst(shown)
            // The worst hidden tile is named: at the smallest sizes this line is all the panel shows.
            if let trouble = hidden.first(where: { $0.isTrouble }) {
                let named = "+\(hidden.count) more (\(trouble.name) \(trouble.word))"
                let text = DisplayWidth.of(named) <= area.maxX - clip.x ? named : "+\(hidden.count) more"
                canvas.put(text, x: clip.x, y: clip.y, style: Style(.critical), clip: Rect(x: clip.x, y: clip.y, width: area.maxX - clip.x, height: 1))
            } else {
                canvas.put("+\(hidden.count) more", x: clip.x, y: clip.y, style: Style(.dim), clip: clip)
            }
        }
    }
}
