import SafeText
import TerminalCanvas

/// A one-line text editor: ←/→, Home/End, Ctrl-A/E (start, end), Ctrl-W (word back), Ctrl-U (to the start),
/// Ctrl-K (to the end), Backspace, insertion anywhere, pastes. The cursor is an index into `text`'s characters.
public struct LineEditor: Sendable, Equatable {
    public private(set) var text: [Character]
    public private(set) var cursor: Int
    /// The line changed since it was set from outside (history walks only unedited lines).
    public private(set) var edited = false
    /// The longest line accepted (a paste is cut there).
    public static let maxLength = 4096

    public init(_ text: String = "") {
        self.text = Array(text.prefix(Self.maxLength))
        cursor = self.text.count
    }

    public var string: String { String(text) }

    /// Replaces the whole line (history, completion), cursor at the end, not counted as an edit.
    public mutating func set(_ string: String) {
        text = Array(string.prefix(Self.maxLength))
        cursor = text.count
        edited = false
    }

    /// Inserts at the cursor; control characters are dropped and newlines become spaces (a pasted query).
    public mutating func insert(_ string: String) {
        let clean = string.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 }
            .filter { $0.unicodeScalars.allSatisfy(SafeText.isPlain) }
        let room = max(0, Self.maxLength - text.count)
        let added = clean.prefix(room)
        guard !added.isEmpty else { return }
        text.insert(contentsOf: added, at: cursor)
        cursor += added.count
        edited = true
    }

    /// Replaces the `count` characters before the cursor with `replacement` (a completion).
    public mutating func replaceBeforeCursor(_ count: Int, with replacement: String) {
        let start = max(0, cursor - count)
        text.removeSubrange(start..<cursor)
        cursor = start
        insert(replacement)
    }

    /// Handles an editing key; false when the key is not an editing key (the caller's to handle).
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .char(let c): insert(String(c))
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(text.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = text.count
        case .backspace:
            guard cursor > 0 else { return true }
            text.remove(at: cursor - 1)
            cursor -= 1
            edited = true
        case .ctrl("d"), .delete:
            guard cursor < text.count else { return true }
            text.remove(at: cursor)
            edited = true
        case .ctrl("w"):
            var start = cursor
            while start > 0, text[start - 1] == " " { start -= 1 }
            while start > 0, text[start - 1] != " " { start -= 1 }
            text.removeSubrange(start..<cursor)
            cursor = start
            edited = true
        case .ctrl("u"):
            text.removeSubrange(0..<cursor)
            cursor = 0
            edited = true
        case .ctrl("k"):
            text.removeSubrange(cursor..<text.count)
            edited = true
        case .insert: break  // always inserting
        default:
            return false
        }
        return true
    }

    /// The part of the line shown in `width` columns, scrolled so the cursor is visible, and the cursor's column
    /// in it.
    public func visible(width: Int) -> (text: String, cursorColumn: Int) {
        guard width > 1 else { return ("", 0) }
        let start = visibleStart(width: width)
        var end = cursor
        while end < text.count, columns(start..<(end + 1)) <= width { end += 1 }
        return (String(text[start..<end]), columns(start..<cursor))
    }

    /// The first character shown in `width` columns: scrolled by characters from the left until the cursor fits,
    /// keeping one column for it at the end.
    public func visibleStart(width: Int) -> Int {
        var start = 0
        while start < cursor, columns(start..<cursor) > width - 1 { start += 1 }
        return start
    }

    /// The columns the characters in `range` take.
    func columns(_ range: Range<Int>) -> Int { text[range].reduce(0) { $0 + DisplayWidth.of($1) } }
}
