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
        guard let range = message.firstRange(of: #/\d+:\d+: parse error.*/#) else { return nil }
        let parts = message[range].split(separator: ":", maxSplits: 2)
        guard parts.count == 3, let line = Int(parts[0]), let column = Int(parts[1]), line >= 1, column >= 1 else { return nil }
        self.line = line
        self.column = column
        excerpt = String(message[range])
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
