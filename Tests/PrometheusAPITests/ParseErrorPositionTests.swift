import PrometheusModels
import Testing

/// Where a PromQL parse error is, read from the server's message.
@Suite("Parse error positions")
struct ParseErrorPositionTests {
    @Test(arguments: [
        (#"invalid parameter "query": 1:47: parse error: unclosed left parenthesis"#, 1, 47, "1:47: parse error: unclosed left parenthesis"),
        ("2:3: parse error: unexpected\nsecond line", 2, 3, "2:3: parse error: unexpected"),
        ("bad 12:x: then 1:9: parse error: y", 1, 9, "1:9: parse error: y"),
    ])
    func positionsAreRead(message: String, line: Int, column: Int, excerpt: String) throws {
        let position = try #require(ParseErrorPosition(message: message))
        #expect(position.line == line)
        #expect(position.column == column)
        #expect(position.excerpt == excerpt)
    }

    @Test(arguments: ["parse error: no position", ":3: parse error: x", "1:: parse error", "0:4: parse error: x", "1:4 parse error"])
    func messagesWithoutAPositionHaveNone(message: String) {
        #expect(ParseErrorPosition(message: message) == nil)
    }
}
