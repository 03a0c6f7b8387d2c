import SafeText

/// A multi-row chart of several series on one scale: y-axis labels (top and bottom), a time axis, horizontal rules
/// (thresholds), and the series drawn in braille dots (2x4 per cell, consecutive points joined) or ASCII marks.
/// The caller buckets its data into `dotColumns(width:yLabels:ascii:)` columns per series.
public struct LineChart: Widget {
    public struct Point: Sendable, Equatable {
        public var value: Double
        public var role: StyleRole

        public init(value: Double, role: StyleRole = .sparkline) {
            self.value = value
            self.role = role
        }
    }

    /// Per series, one point (or a gap) per dot column.
    public var series: [[Point?]]
    public var low: Double
    public var high: Double
    /// Horizontal lines (thresholds), each with a label drawn at its right end (empty for none).
    public var rules: [(value: Double, role: StyleRole, label: String)]
    public var yLabels: (top: String, bottom: String)
    /// Labels between the top and the bottom, at their values (on a chart tall enough, each where it neither touches
    /// another label nor is wider than the top and bottom ones).
    public var yTicks: [(value: Double, label: String)] = []
    /// Under the plot: at its left edge, its middle (when wider than 24 columns), its right edge.
    public var xLabels: (left: String, middle: String, right: String)
    public var ascii: Bool
    /// Up to this many empty dot columns between two points are bridged by the line (data sparser than the dots);
    /// a longer gap is missing data and stays empty.
    public var joinGap: Int
    /// The inspect cursor: a vertical line at this dot column.
    public var cursor: Int?
    /// Each series in its own character (`marks`, by the palette index of its points' role) at the resolution of
    /// cells, for a theme without colours: the lines stay apart where braille would draw them alike.
    public var seriesMarks = false

    /// The characters of `seriesMarks`, one per colour of the palette (ASCII, one column wide everywhere).
    public static let marks: [Character] = ["*", "+", "o", "x", "#", "@", "%", "="]

    /// The mark of a series role (`series(i)`), for legends.
    public static func mark(_ role: StyleRole) -> Character { marks[(role.seriesIndex ?? 0) % marks.count] }

    public init(
        series: [[Point?]], low: Double, high: Double, rules: [(value: Double, role: StyleRole, label: String)] = [],
        yLabels: (top: String, bottom: String), xLabels: (left: String, middle: String, right: String), ascii: Bool = false,
        joinGap: Int = 0, cursor: Int? = nil
    ) {
        self.joinGap = joinGap
        self.cursor = cursor
        self.series = series
        self.low = low
        self.high = high
        self.rules = rules
        self.yLabels = yLabels
        self.xLabels = xLabels
        self.ascii = ascii
    }

    /// The smallest area a chart is drawn in.
    public static let minimumWidth = 12
    public static let minimumHeight = 3

    /// How many dot columns a chart `width` columns wide plots, with these y labels.
    public static func dotColumns(width: Int, yLabels: (top: String, bottom: String), ascii: Bool, seriesMarks: Bool = false) -> Int {
        max(0, width - labelWidth(yLabels) - 1) * (ascii || seriesMarks ? 1 : 2)
    }

    static func labelWidth(_ labels: (top: String, bottom: String)) -> Int {
        max(DisplayWidth.of(labels.top), DisplayWidth.of(labels.bottom))
    }

    static func rank(_ role: StyleRole) -> Int {
        switch role {
        case .critical: return 3
        case .warning: return 2
        case .ok: return 1
        default: return 0
        }
    }

    /// Where the data is drawn in `area`: right of the y labels, above the time axis (a click maps to an instant
    /// through it).
    public func plot(in area: Rect) -> Rect {
        let labelWidth = Self.labelWidth(yLabels)
        return Rect(x: area.x + labelWidth + 1, y: area.y, width: max(0, area.width - labelWidth - 1), height: max(0, area.height - 1))
    }

    public func render(into canvas: inout Canvas, area: Rect) {
        guard area.height >= Self.minimumHeight, area.width >= Self.minimumWidth else { return }
        let labelWidth = Self.labelWidth(yLabels)
        let plot = plot(in: area)
        canvas.put(TextLayout.pad(yLabels.top, to: labelWidth, alignRight: true), x: area.x, y: plot.y, style: Style(.dim), clip: area)
        canvas.put(TextLayout.pad(yLabels.bottom, to: labelWidth, alignRight: true), x: area.x, y: plot.maxY - 1, style: Style(.dim), clip: area)
        let axisY = area.maxY - 1
        canvas.put(xLabels.left, x: plot.x, y: axisY, style: Style(.dim), clip: area)
        if plot.width > 24 {
            let middle = xLabels.middle
            canvas.put(middle, x: plot.x + plot.width / 2 - DisplayWidth.of(middle) / 2, y: axisY, style: Style(.dim), clip: area)
        }
        canvas.put(xLabels.right, x: plot.maxX - DisplayWidth.of(xLabels.right), y: axisY, style: Style(.dim), clip: area)

        let lo = low
        let hi = high > low ? high : low + 1
        func row(for value: Double, dots: Int) -> Int {
            // Halves first: the span of -1e308…1e308 overflows, its half does not.
            let fraction = (value / 2 - lo / 2) / (hi / 2 - lo / 2)
            return max(0, min(dots - 1, Int(saturating: (fraction * Double(dots - 1)).rounded())))
        }
        // Rules first, so the data draws over them.
        var ruleRows: [(y: Int, label: String, role: StyleRole)] = []
        for (value, role, label) in rules where value >= lo && value <= hi {
            let y = plot.maxY - 1 - row(for: value, dots: plot.height)
            for x in stride(from: plot.x, to: plot.maxX, by: 2) {
                canvas.put(ascii ? "-" : "╌", x: x, y: y, style: Style(role), clip: plot)
            }
            ruleRows.append((y, label, role))
        }
        let perCellX = ascii || seriesMarks ? 1 : 2
        let perCellY = ascii || seriesMarks ? 1 : 4
        let dotsY = plot.height * perCellY
        var bits = [UInt32](repeating: 0, count: plot.width * plot.height)
        var roles = [StyleRole?](repeating: nil, count: plot.width * plot.height)
        let leftDots: [UInt32] = [0x01, 0x02, 0x04, 0x40]
        let rightDots: [UInt32] = [0x08, 0x10, 0x20, 0x80]
        /// Sets the dots of column `dx` from row `from` to row `to`.
        func mark(_ dx: Int, _ from: Int, _ to: Int, _ role: StyleRole) {
            for y in min(from, to)...max(from, to) {
                let cell = (y / perCellY) * plot.width + dx / perCellX
                bits[cell] |= perCellX == 2 ? (dx % 2 == 0 ? leftDots : rightDots)[y % 4] : 1
                // A cell two series cross shows the first drawn, unless a later one is in a louder role.
                if let existing = roles[cell], Self.rank(role) <= Self.rank(existing) { continue }
                roles[cell] = role
            }
        }
        for points in series {
            var previous: (x: Int, y: Int)?
            for (dx, point) in points.prefix(plot.width * perCellX).enumerated() {
                guard let point else {
                    if let p = previous, dx - p.x > joinGap { previous = nil }
                    continue
                }
                let dy = dotsY - 1 - row(for: point.value, dots: dotsY)
                // Braille dots are fine enough to draw a line: across the bridged columns, each column joins the
                // one before it. Marks (ASCII, the mono theme's characters) put one point in each bridged column.
                if perCellX == 1, let p = previous, dx - p.x > 1 {
                    for x in (p.x + 1)..<dx {
                        let y = p.y + Int(saturating: (Double(dy - p.y) * Double(x - p.x) / Double(dx - p.x)).rounded())
                        mark(x, y, y, point.role)
                    }
                    mark(dx, dy, dy, point.role)
                } else if perCellX == 2, let p = previous {
                    var lastY = p.y
                    for x in (p.x + 1)...dx {
                        let y = p.y + Int(saturating: (Double(dy - p.y) * Double(x - p.x) / Double(dx - p.x)).rounded())
                        mark(x, x == p.x + 1 ? lastY : lastY + (y > lastY ? 1 : (y < lastY ? -1 : 0)), y, point.role)
                        lastY = y
                    }
                } else {
                    mark(dx, dy, dy, point.role)
                }
                previous = (dx, dy)
            }
        }
        // The inspect cursor: a vertical line under the data.
        if let cursor, cursor >= 0 {
            let x = plot.x + cursor / perCellX
            for y in plot.y..<plot.maxY where x < plot.maxX {
                canvas.put(ascii ? "|" : "│", x: x, y: y, style: Style(.focus), clip: plot)
            }
        }
        for y in 0..<plot.height {
            for x in 0..<plot.width where bits[y * plot.width + x] != 0 {
                let role = roles[y * plot.width + x] ?? .sparkline
                let glyph = perCellX == 2 ? Unicode.Scalar(0x2800 + bits[y * plot.width + x]).map { String(Character($0)) } ?? "*"
                    : (seriesMarks ? String(Self.mark(role)) : "*")
                canvas.put(glyph, x: plot.x + x, y: plot.y + y, style: Style(role), clip: plot)
            }
        }
        // The rules' labels at their right end, over the data: a threshold's value stays readable where a line
        // crosses it.
        for (y, label, role) in ruleRows where !label.isEmpty && plot.width > DisplayWidth.of(label) + 8 {
            canvas.put(" " + label, x: plot.maxX - DisplayWidth.of(label) - 1, y: y, style: Style(role), clip: plot)
        }
        // Intermediate y labels on a tall chart, a row clear of each other and of the top and bottom ones.
        if plot.height >= 10 {
            var taken = [plot.y, plot.maxY - 1]
            for (value, label) in yTicks where value > lo && value < hi && DisplayWidth.of(label) <= labelWidth {
                let y = plot.maxY - 1 - row(for: value, dots: plot.height)
                guard taken.allSatisfy({ abs($0 - y) > 1 }) else { continue }
                taken.append(y)
                canvas.put(TextLayout.pad(label, to: labelWidth, alignRight: true), x: area.x, y: y, style: Style(.dim), clip: area)
            }
        }
    }
}
