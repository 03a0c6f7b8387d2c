import SafeText

/// One line of parts, each with a role and a priority: when the line is too narrow, parts with a shorter form take
/// it first, then parts of priority 2 and more are dropped, highest first; a part with `rightAligned` (at the end) sticks to the right edge. Parts in the error
/// role are drawn as a highlighted block.
public struct StatusLine: Widget {
    public struct Part: Sendable, Equatable {
        public var text: String
        public var role: StyleRole
        /// Lower survives longer; 0 and 1 are never dropped.
        public var priority: Int
        public var rightAligned: Bool
        /// What the part says when the line is too narrow for `text`.
        public var short: String?

        public init(_ text: String, role: StyleRole = .statusBar, priority: Int, rightAligned: Bool = false, short: String? = nil) {
            self.text = text
            self.short = short
            self.role = role
            self.priority = priority
            self.rightAligned = rightAligned
        }
    }

    public var parts: [Part]
    public var ascii: Bool

    public init(parts: [Part], ascii: Bool = false) {
        self.parts = parts
        self.ascii = ascii
    }

    public func render(into canvas: inout Canvas, area: Rect) {
        guard !area.isEmpty else { return }
        let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        var parts = self.parts
        func width(_ p: [Part]) -> Int { p.reduce(0) { $0 + DisplayWidth.of($1.text) + 3 } }
        while width(parts) > area.width, let i = parts.firstIndex(where: { $0.short != nil }), let short = parts[i].short {
            parts[i].text = short
            parts[i].short = nil
        }
        while width(parts) > area.width, let drop = parts.indices.filter({ parts[$0].priority > 1 }).max(by: { parts[$0].priority < parts[$1].priority }) {
            parts.remove(at: drop)
        }
        canvas.fill(row, with: Cell(" ", style: Style(.statusBar)))
        var x = area.x + 1
        for (i, part) in parts.enumerated() {
            let room = area.maxX - x - 1
            guard room > 0 else { break }
            let shown = TextLayout.truncate(part.text, to: room, ascii: ascii)
            let at = part.rightAligned && i == parts.count - 1 ? max(x, area.maxX - DisplayWidth.of(shown) - 1) : x
            if part.role == .statusError {
                x = canvas.put(" " + shown + " ", x: at - 1, y: area.y, style: Style(part.role), clip: row) + 2
            } else {
                x = canvas.put(shown, x: at, y: area.y, style: Style(part.role), clip: row) + 3
            }
        }
    }
}
