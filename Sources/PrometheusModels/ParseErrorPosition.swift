import FoundationEssentials
import Glibc
import SafeText

/// Where a PromQL parse error is, read from the server's message as Prometheus words it (`…: 1:17: parse error: …`;
/// the column counts bytes from 1). Explore puts its caret there, and so does `lookout query`.
public struct ParseErrorPosition: Sendable, Equatable {
    public var line: Int
    public var column: Int
    /// The message from the position on: `1:17: parse error: unclosed left parenthesis`.
    public var excerpt: String

    public init?(message: String) {
        // `<digits>:<digits>: parse error`, to the end of its line (no regular expression: the binary stays smaller).
        let bytes = Array(message.utf8)
        let marker = Array(": parse error".utf8)
        var found: (start: Int, line: Int, column: Int)?
        var i = 0
        search: while i + marker.count <= bytes.count {
            if bytes[i] == 0x3A, Array(bytes[i..<(i + marker.count)]) == marker {
                // Back over the column's digits, a colon, the line's digits.
                var j = i
                while j > 0, (0x30...0x39).contains(bytes[j - 1]) { j -= 1 }
                let columnStart = j
                if columnStart < i, columnStart > 0, bytes[columnStart - 1] == 0x3A {
                    var k = columnStart - 1
                    while k > 0, (0x30...0x39).contains(bytes[k - 1]) { k -= 1 }
                    if k < columnStart - 1,
                       let line = Int(String(decoding: bytes[k..<(columnStart - 1)], as: UTF8.self)),
                       let column = Int(String(decoding: bytes[columnStart..<i], as: UTF8.self))
                    {
                        found = (k, line, column)
                        break search
                    }
                }
            }
            i += 1
        }
        guard let found, found.line >= 1, found.column >= 1 else { return nil }
        let end = bytes[found.start...].firstIndex(of: 0x0A) ?? bytes.count
        self.line = found.line
        self.column = found.column
        excerpt = String(decoding: bytes[found.start..<end], as: UTF8.self)
    }

    /// The index of the character the column points at in `query` (the end when it points past it); nil unless the
    /// error is on the first line.
    public func characterIndex(in query: String) -> Int? {
        guard line == 1 else { return nil }
        var bytes = 0
        for (i, character) in query.enumerated() {
            if bytes >= column - 1 { return i }
            bytes += character.utf8.count
        }
        return query.count
    }
}
