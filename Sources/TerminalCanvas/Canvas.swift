import SafeText

/// A rectangle of cells: origin at the top left, x to the right, y down.
public struct Rect: Sendable, Equatable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    /// Whether the cell at (x, y) is inside.
    public func contains(x px: Int, y py: Int) -> Bool { x <= px && px < maxX && y <= py && py < maxY }
    public var description: String { "\(width)x\(height)+\(x)+\(y)" }

    /// The rectangle shrunk by `by` cells on every side.
    public func inset(_ by: Int) -> Rect { Rect(x: x + by, y: y + by, width: width - 2 * by, height: height - 2 * by) }

    public func intersection(_ other: Rect) -> Rect {
        let nx = max(x, other.x)
        let ny = max(y, other.y)
        return Rect(x: nx, y: ny, width: min(maxX, other.maxX) - nx, height: min(maxY, other.maxY) - ny)
    }

    /// The top `rows` rows, and the rest below.
    public func splitTop(_ rows: Int) -> (Rect, Rect) {
        let r = min(max(0, rows), height)
        return (Rect(x: x, y: y, width: width, height: r), Rect(x: x, y: y + r, width: width, height: height - r))
    }

    /// The left `columns` columns, and the rest to the right.
    public func splitLeft(_ columns: Int) -> (Rect, Rect) {
        let c = min(max(0, columns), width)
        return (Rect(x: x, y: y, width: c, height: height), Rect(x: x + c, y: y, width: width - c, height: height))
    }

    /// `count` columns of (nearly) equal width side by side.
    public func columns(_ count: Int) -> [Rect] {
        guard count > 0 else { return [] }
        return (0..<count).map { i in
            let start = width * i / count
            let end = width * (i + 1) / count
            return Rect(x: x + start, y: y, width: end - start, height: height)
        }
    }

    /// Rows of the given heights, top to bottom (clipped to this rectangle).
    public func rows(_ heights: [Int]) -> [Rect] {
        var top = y
        return heights.map { h in
            let r = Rect(x: x, y: top, width: width, height: min(h, maxY - top))
            top += h
            return r
        }
    }
}

/// Text attributes a theme role may add.
public struct TextAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = TextAttributes(rawValue: 1)
    public static let dim = TextAttributes(rawValue: 2)
    public static let underline = TextAttributes(rawValue: 4)
    public static let reverse = TextAttributes(rawValue: 8)
}

/// How a cell looks: a semantic role (resolved to colours by the theme) plus attributes of its own.
public struct Style: Sendable, Hashable {
    public var role: StyleRole
    public var attributes: TextAttributes

    public init(_ role: StyleRole = .text, _ attributes: TextAttributes = []) {
        self.role = role
        self.attributes = attributes
    }
}

/// One terminal cell: a grapheme and its style. A wide grapheme occupies its cell and a continuation cell to its
/// right, whose `text` is empty.
public struct Cell: Sendable, Hashable {
    public var text: String
    public var style: Style
    public var isContinuation: Bool

    public init(_ text: String = " ", style: Style = Style(), isContinuation: Bool = false) {
        self.text = text
        self.style = style
        self.isContinuation = isContinuation
    }

    public static let blank = Cell()
}

/// An in-memory grid of cells. Widgets draw here; a terminal backend copies it to the screen; tests compare its
/// lines as text.
public struct Canvas: Sendable, Equatable {
    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: fill, count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, y >= 0, x < width, y < height else { return .blank }
        return cells[y * width + x]
    }

    /// Fills `area` with `cell`. A wide character cut by the area's edge is blanked whole, as `put` does.
    public mutating func fill(_ area: Rect, with cell: Cell = .blank) {
        let a = area.intersection(bounds)
        guard !a.isEmpty else { return }
        for y in a.y..<a.maxY {
            clearWide(at: a.x, y: y)
            clearWide(at: a.maxX - 1, y: y)
            for x in a.x..<a.maxX { cells[y * width + x] = cell }
        }
    }

    /// Copies the cells of `source` in `other` to (x, y), clipped to this canvas. A wide character cut by either
    /// edge of the copy is left out (blank), as `put` does.
    public mutating func paste(_ other: Canvas, from source: Rect, x: Int, y: Int) {
        let dx = x - source.x, dy = y - source.y
        let from = source.intersection(other.bounds)
        let target = Rect(x: from.x + dx, y: from.y + dy, width: from.width, height: from.height).intersection(bounds)
        guard !target.isEmpty else { return }
        for ty in target.y..<target.maxY {
            clearWide(at: target.x, y: ty)
            clearWide(at: target.maxX - 1, y: ty)
            for tx in target.x..<target.maxX { cells[ty * width + tx] = other[tx - dx, ty - dy] }
            let first = ty * width + target.x, last = ty * width + target.maxX - 1
            if cells[first].isContinuation { cells[first] = Cell(" ", style: cells[first].style) }
            if other[target.maxX - dx, ty - dy].isContinuation { cells[last] = Cell(" ", style: cells[last].style) }
        }
    }

    /// Sets the style of the cells in `area`, keeping their text.
    public mutating func setStyle(_ area: Rect, _ style: Style) {
        let a = area.intersection(bounds)
        guard !a.isEmpty else { return }
        for y in a.y..<a.maxY {
            for x in a.x..<a.maxX { cells[y * width + x].style = style }
        }
    }

    /// Writes `text` from (x, y), clipped to `clip` (the whole canvas when nil), and returns the column after the
    /// last one written. Control characters are refused (dropped) as a second line of defence behind `SafeText`;
    /// a wide character that would not fit whole before the clip edge is not drawn, and neither is anything after it.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, x: Int, y: Int, style: Style = Style(), clip: Rect? = nil) -> Int {
        let area = (clip ?? bounds).intersection(bounds)
        guard y >= area.y, y < area.maxY else { return x }
        var column = x
        // Characters that take no column are bounded too, so a 100 KB value costs what its visible part costs.
        var zeroWidthBudget = 64
        for character in text {
            // Printable ASCII, box drawing, blocks and braille, nearly every cell drawn: one column, nothing to rewrite
            // or refuse.
            if Self.isPlainNarrow(character) {
                if column + 1 > area.maxX { return column }
                if column >= area.x {
                    clearWide(at: column, y: y)
                    cells[y * width + column] = Cell(String(character), style: style)
                }
                column += 1
                continue
            }
            for drawn in DisplayWidth.terminalForm(character) {
                let scalars = drawn.unicodeScalars
                if scalars.contains(where: { !SafeText.isPlain($0) }) {
                    zeroWidthBudget -= 1
                    if zeroWidthBudget < 0 { return column }
                    continue
                }
                // A grapheme of dozens of combining marks ("Zalgo") would spill over its neighbours on most terminals.
                let drawn: Character = scalars.count > 12 ? "\u{FFFD}" : drawn
                let w = DisplayWidth.of(drawn)
                if w == 0 {
                    zeroWidthBudget -= 1
                    if zeroWidthBudget < 0 { return column }
                    // A lone zero-width character: attach it to the previous cell if that cell is ours.
                    if column - 1 >= area.x, column - 1 < area.maxX, column > x, cells[y * width + column - 1].text.unicodeScalars.count < 12 {
                        cells[y * width + column - 1].text.append(drawn)
                    }
                    continue
                }
                if column + w > area.maxX { return column }
                if column >= area.x {
                    clearWide(at: column, y: y)
                    cells[y * width + column] = Cell(String(drawn), style: style)
                    if w == 2 {
                        clearWide(at: column + 1, y: y)
                        cells[y * width + column + 1] = Cell("", style: style, isContinuation: true)
                    }
                }
                column += w
            }
        }
        return column
    }

    /// Every cell in ASCII: lookout's own symbols by their stand-ins, anything else (a server's label in another
    /// script, a braille dot, a block) as `?`, and a wide character's two cells as `?` and a space. What `--ascii`
    /// promises, whatever a widget drew.
    public mutating func makeASCII() {
        for i in cells.indices {
            let cell = cells[i]
            if cell.isContinuation {
                cells[i] = Cell(" ", style: cell.style)
                continue
            }
            guard !cell.text.unicodeScalars.allSatisfy(\.isASCII) else { continue }
            let form = cell.text.first.flatMap { TextLayout.asciiForms[$0] } ?? "?"
            cells[i].text = String(form)
        }
    }

    static func isPlainNarrow(_ character: Character) -> Bool {
        if let ascii = character.asciiValue { return ascii >= 0x20 && ascii < 0x7F }
        guard character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first else { return false }
        return (0x2500...0x259F).contains(scalar.value) || (0x2800...0x28FF).contains(scalar.value)
    }

    /// Overwriting half of a wide character blanks its other half, so no half-character is left on screen.
    private mutating func clearWide(at x: Int, y: Int) {
        guard x >= 0, x < width else { return }
        let i = y * width + x
        if cells[i].isContinuation, x > 0 {
            cells[i - 1] = Cell(" ", style: cells[i - 1].style)
        } else if x + 1 < width, cells[i + 1].isContinuation {
            cells[i + 1] = Cell(" ", style: cells[i + 1].style)
        }
    }

    /// The rows as text (continuation cells contribute nothing), for tests and plain output.
    public var lines: [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width where !cells[y * width + x].isContinuation { line += cells[y * width + x].text }
            return line
        }
    }

    /// The rows as text with trailing spaces removed.
    public var trimmedLines: [String] {
        lines.map(TextLayout.trimmingTrailingSpaces)
    }
}
