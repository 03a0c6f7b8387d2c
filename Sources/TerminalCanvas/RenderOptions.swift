import SafeText

/// Options every widget honours.
public struct RenderOptions: Sendable, Equatable {
    /// ASCII only: box drawing, blocks, braille and symbols are replaced (`--ascii`, non-UTF-8 locales, vt100).
    public var ascii: Bool
    /// Chart lines told apart by characters, not colours (the mono theme): each series is drawn in its own mark
    /// (`LineChart.marks`), and legends show it.
    public var seriesMarks: Bool

    public init(ascii: Bool = false, seriesMarks: Bool = false) {
        self.ascii = ascii
        self.seriesMarks = seriesMarks
    }
}

/// Something drawn into an area of a canvas. Widgets are values: built from what they show, drawn, dropped. They
/// know cells, styles and text, never where their data came from.
public protocol Widget {
    func render(into canvas: inout Canvas, area: Rect)
}
