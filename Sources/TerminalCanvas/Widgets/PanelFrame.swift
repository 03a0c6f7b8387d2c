import SafeText

/// A box with a title (and an optional badge) on its top edge; focused boxes are drawn heavy.
public struct PanelFrame: Widget {
    public var title: String
    public var badge: (text: String, role: StyleRole)?
    public var focused: Bool
    public var ascii: Bool

    public init(title: String, badge: (text: String, role: StyleRole)? = nil, focused: Bool = false, ascii: Bool = false) {
        self.title = title
        self.badge = badge
        self.focused = focused
        self.ascii = ascii
    }

    /// The area inside the border (empty when the box does not fit).
    public static func inner(_ area: Rect) -> Rect {
        guard area.width >= 2, area.height >= 2 else { return Rect(x: area.x, y: area.y, width: 0, height: 0) }
        return area.inset(1)
    }

    public func render(into canvas: inout Canvas, area: Rect) {
        guard area.width >= 2, area.height >= 2 else { return }
        let border = Style(focused ? .focus : .border)
        let heavy = focused && !ascii
        let (h, v) = ascii ? ("-", "|") : (heavy ? ("━", "┃") : ("─", "│"))
        let (tl, tr, bl, br) = ascii ? ("+", "+", "+", "+") : (heavy ? ("┏", "┓", "┗", "┛") : ("┌", "┐", "└", "┘"))
        canvas.put(tl + String(repeating: h, count: area.width - 2) + tr, x: area.x, y: area.y, style: border, clip: area)
        canvas.put(bl + String(repeating: h, count: area.width - 2) + br, x: area.x, y: area.maxY - 1, style: border, clip: area)
        for y in (area.y + 1)..<(area.maxY - 1) {
            canvas.put(v, x: area.x, y: y, style: border, clip: area)
            canvas.put(v, x: area.maxX - 1, y: y, style: border, clip: area)
        }
        let titleClip = Rect(x: area.x + 1, y: area.y, width: area.width - 2, height: 1)
        let end = title.isEmpty ? area.x + 1
            : canvas.put(" " + title + " ", x: area.x + 1, y: area.y, style: Style(focused ? .focus : .title), clip: titleClip)
        if let (text, role) = badge {
            let w = DisplayWidth.of(text) + 2
            canvas.put(" " + text + " ", x: max(end, area.maxX - 1 - w - 1), y: area.y, style: Style(role), clip: titleClip)
        }
    }

    /// Draws the frame and returns the area inside it.
    @discardableResult
    public func draw(into canvas: inout Canvas, area: Rect) -> Rect {
        render(into: &canvas, area: area)
        return Self.inner(area)
    }
}
