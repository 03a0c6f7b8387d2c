import SafeText

/// One line of parts, each with a role and a priority: when the line is too narrow, parts are dropped (priority 2 and
/// more, highest first) or take their shorter form, each part's shortening ranked like a drop at its `shortenAt`
/// (by default before any drop); a part with `rightAligned` (at the end) sticks to the right edge. Parts in the error
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
        /// When it takes its short form: after the parts of a higher priority number than this are dropped.
        public var shortenAt: Int

        public init(
            _ text: String, role: StyleRole = .statusBar, priority: Int, rightAligned: Bool = false, short: String? = nil,
            shortenAt: Int = .max
        ) {
            self.text = text
            self.short = short
            self.shortenAt = shortenAt
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
        while width(parts) > area.width {
            let shorten = parts.indices.filter { parts[$0].short != nil }.max { parts[$0].shortenAt < parts[$1].shortenAt }
            let drop = parts.indices.filter { parts[$0].priority > 1 }.max { parts[$0].priority < parts[$1].priority }
            if let i = shorten, let short = parts[i].short, drop.map({ parts[i].shortenAt >= parts[$0].priority }) ?? true {
                parts[i].text = short
                parts[i].short = nil
            } else if let drop {
                parts.remove(at: drop)
            } else {
                break
            }
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
