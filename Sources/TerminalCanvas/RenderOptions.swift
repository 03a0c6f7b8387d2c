import SafeText

/// Options every widget honours.
public struct RenderOptions: Sendable, Equatable {
    /// ASCII only: box drawing, blocks, braille and symbols are replaced (`--ascii`, non-UTF-8 locales, vt100).
    public var ascii: Bool

    public init(ascii: Bool = false) {
        self.ascii = ascii
    }
}

/// Something drawn into an area of a canvas. Widgets are values: built from what they show, drawn, dropped. They
/// know cells, styles and text, never where their data came from.
public protocol Widget {
    func render(into canvas: inout Canvas, area: Rect)
}
