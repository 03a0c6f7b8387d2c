/// A PromQL parse error at a byte offset of the query. `description` is Prometheus' wording:
/// `1:47: parse error: unclosed left parenthesis` (line and column count from 1, the column in bytes).
public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset in the query.
    public var offset: Int
    public var message: String
    /// The query, for computing line and column.
    public var query: String

    public init(offset: Int, message: String, query: String) {
        self.offset = offset
        self.message = message
        self.query = query
    }

    /// `line:column` as Prometheus prints it.
    public var position: String {
        let bytes = Array(query.utf8)
        guard offset >= 0, offset <= bytes.count else { return "invalid position:" }
        var line = 1
        var lastBreak = -1
        for i in 0..<offset where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lastBreak = i
        }
        return "\(line):\(offset - lastBreak)"
    }

    public var description: String { "\(position): parse error: \(message)" }
}
