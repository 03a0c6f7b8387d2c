/// Operators of binary expressions, by Prometheus' precedence (`or` lowest, `^` highest).
public enum BinaryOperator: String, Sendable, CaseIterable {
    case add = "+", sub = "-", mul = "*", div = "/", mod = "%", pow = "^"
    case eql = "==", neq = "!=", gtr = ">", lss = "<", gte = ">=", lte = "<="
    case and, or, unless

    package var precedence: Int {
        switch self {
        case .or: return 1
        case .and, .unless: return 2
        case .eql, .neq, .gtr, .lss, .gte, .lte: return 3
        case .add, .sub: return 4
        case .mul, .div, .mod: return 5
        case .pow: return 6
        }
    }

    package var isComparison: Bool {
        switch self {
        case .eql, .neq, .gtr, .lss, .gte, .lte: return true
        default: return false
        }
    }

    package var isSetOperator: Bool { self == .and || self == .or || self == .unless }
    package var isRightAssociative: Bool { self == .pow }
}

/// Label matcher operators.
public enum MatchOperator: String, Sendable {
    case equal = "=", notEqual = "!=", regexMatch = "=~", regexNoMatch = "!~"
}

package enum Token: Equatable {
    case identifier(String)
    /// An identifier with a colon: only a metric name.
    case metricIdentifier(String)
    case number(Double, text: String)
    case string(String, text: String)
    case duration(Int64, text: String)
    case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket, comma, colon
    case assign
    case op(BinaryOperator)
    case matchOp(MatchOperator)
    case at
    case eof
    /// A lexer error; the parser reports it when it gets there (as Prometheus' lazy lexer does).
    case error(String)
}

package struct LexedToken {
    package var token: Token
    package var start: Int
    package var end: Int
}

/// Splits a query into tokens with byte positions. Stops at the first error, which becomes an `.error` token.
package struct Lexer {
    package static let aggregators: Set<String> = [
        "sum", "avg", "count", "min", "max", "group", "stddev", "stdvar", "topk", "bottomk", "count_values", "quantile",
    ]
    package static let keywords: Set<String> = [
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset",
    ]

    package let bytes: [UInt8]
    private var pos = 0
    private var parenDepth = 0
    private var inBraces = false
    private var inBrackets = false
    private(set) var tokens: [LexedToken] = []

    package init(_ query: String) {
        bytes = Array(query.utf8)
    }

    package static func tokenize(_ query: String) -> [LexedToken] {
        var lexer = Lexer(query)
        lexer.run()
        return lexer.tokens
    }

    private mutating func emit(_ token: Token, _ start: Int) {
        tokens.append(LexedToken(token: token, start: start, end: pos))
    }

    private mutating func fail(_ message: String, at offset: Int) {
        tokens.append(LexedToken(token: .error(message), start: offset, end: offset))
    }

    private func peek(_ ahead: Int = 0) -> UInt8? {
        pos + ahead < bytes.count ? bytes[pos + ahead] : nil
    }

    package static func isAlpha(_ c: UInt8) -> Bool {
        (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95
    }

    package static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    private mutating func run() {
        while true {
            // Skip spaces and comments.
            while let c = peek() {
                if c == 32 || c == 9 || c == 10 || c == 13 {
                    pos += 1
                } else if c == UInt8(ascii: "#") {
                    while let d = peek(), d != 10 { pos += 1 }
                } else {
                    break
                }
            }
            let start = pos
            guard let c = peek() else {
                if inBraces { return fail("unexpected end of input inside braces", at: pos) }
                if inBrackets { return fail("unclosed left bracket", at: pos) }
                if parenDepth > 0 { return fail("unclosed left parenthesis", at: pos) }
                emit(.eof, start)
                return
            }
            if inBrackets, !(Lexer.isDigit(c) || c == UInt8(ascii: "]") || c == UInt8(ascii: ":")) {
                // Only durations (and subquery colons) may appear inside brackets.
                if Lexer.isAlpha(c) || c == UInt8(ascii: ".") {
                    return fail("unexpected character in duration expression: '\(scalarText(at: pos))'", at: pos)
                }
            }
            switch c {
            case UInt8(ascii: "("):
                pos += 1
                parenDepth += 1
                emit(.leftParen, start)
            case UInt8(ascii: ")"):
                pos += 1
                if parenDepth == 0 { return fail("unexpected right parenthesis ')'", at: pos) }
                parenDepth -= 1
                emit(.rightParen, start)
            case UInt8(ascii: "{"):
                pos += 1
                if inBraces { return fail("unexpected left brace '{'", at: pos) }
                inBraces = true
                emit(.leftBrace, start)
            case UInt8(ascii: "}"):
                pos += 1
                if !inBraces { return fail("unexpected right brace '}'", at: pos) }
                inBraces = false
                emit(.rightBrace, start)
            case UInt8(ascii: "["):
                pos += 1
                if inBrackets { return fail("unexpected left bracket '['", at: pos) }
                inBrackets = true
                emit(.leftBracket, start)
            case UInt8(ascii: "]"):
                pos += 1
                if !inBrackets { return fail("unexpected right bracket ']'", at: pos) }
                inBrackets = false
                emit(.rightBracket, start)
            case UInt8(ascii: ","):
                pos += 1
                emit(.comma, start)
            case UInt8(ascii: ":"):
                pos += 1
                emit(.colon, start)
            case UInt8(ascii: "@"):
                pos += 1
                emit(.at, start)
            case UInt8(ascii: "="):
                pos += 1
                if peek() == UInt8(ascii: "=") {
                    pos += 1
                    emit(.op(.eql), start)
                } else if peek() == UInt8(ascii: "~") {
                    pos += 1
                    emit(.matchOp(.regexMatch), start)
                } else {
                    emit(inBraces ? .matchOp(.equal) : .assign, start)
                }
            case UInt8(ascii: "!"):
                pos += 1
                if peek() == UInt8(ascii: "=") {
                    pos += 1
                    emit(inBraces ? .matchOp(.notEqual) : .op(.neq), start)
                } else if peek() == UInt8(ascii: "~") {
                    pos += 1
                    emit(.matchOp(.regexNoMatch), start)
                } else {
                    return fail("unexpected character after '!': '\(scalarText(at: pos))'", at: start)
                }
            case UInt8(ascii: "<"), UInt8(ascii: ">"):
                pos += 1
                let orEqual = peek() == UInt8(ascii: "=")
                if orEqual { pos += 1 }
                let op: BinaryOperator = c == UInt8(ascii: "<") ? (orEqual ? .lte : .lss) : (orEqual ? .gte : .gtr)
                emit(.op(op), start)
            case UInt8(ascii: "+"): pos += 1; emit(.op(.add), start)
            case UInt8(ascii: "-"): pos += 1; emit(.op(.sub), start)
            case UInt8(ascii: "*"): pos += 1; emit(.op(.mul), start)
            case UInt8(ascii: "/"): pos += 1; emit(.op(.div), start)
            case UInt8(ascii: "%"): pos += 1; emit(.op(.mod), start)
            case UInt8(ascii: "^"): pos += 1; emit(.op(.pow), start)
            case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"):
                guard lexString(quote: c) else { return }
            default:
                if Lexer.isDigit(c) || (c == UInt8(ascii: ".") && peek(1).map(Lexer.isDigit) == true) {
                    guard lexNumberOrDuration() else { return }
                } else if Lexer.isAlpha(c) || c == UInt8(ascii: ":") {
                    lexIdentifier()
                } else {
                    return fail("unexpected character: '\(scalarText(at: pos))'", at: pos)
                }
            }
        }
    }

    /// The Unicode scalar at a byte offset, for error messages.
    private func scalarText(at offset: Int) -> String {
        var end = offset + 1
        while end < bytes.count, end - offset < 4, bytes[end] & 0xC0 == 0x80 { end += 1 }
        let text = String(decoding: bytes[offset..<min(end, bytes.count)], as: UTF8.self)
        return text.unicodeScalars.first.map { $0.isASCII && $0.value < 32 ? "\\x\(String($0.value, radix: 16))" : String($0) }
            ?? "?"
    }

    private mutating func lexIdentifier() {
        let start = pos
        var hasColon = false
        while let c = peek(), Lexer.isAlpha(c) || Lexer.isDigit(c) || c == UInt8(ascii: ":") {
            if c == UInt8(ascii: ":") {
                // Inside brackets a colon separates subquery durations; identifiers never get there.
                hasColon = true
            }
            pos += 1
        }
        let word = String(decoding: bytes[start..<pos], as: UTF8.self)
        if hasColon {
            emit(.metricIdentifier(word), start)
            return
        }
        switch word.lowercased() {
        case "inf": emit(.number(.infinity, text: word), start)
        case "nan": emit(.number(.nan, text: word), start)
        case "and": emit(.op(.and), start)
        case "or": emit(.op(.or), start)
        case "unless": emit(.op(.unless), start)
        default: emit(.identifier(word), start)
        }
    }

    /// Numbers (`1`, `1.5`, `.5`, `1e3`, `0x1F`) and durations (`5m`, `1h30m`, `500ms`).
    private mutating func lexNumberOrDuration() -> Bool {
        let start = pos
        // Hexadecimal.
        if peek() == UInt8(ascii: "0"), let x = peek(1), x == UInt8(ascii: "x") || x == UInt8(ascii: "X") {
            pos += 2
            let digitsStart = pos
            while let c = peek(), Lexer.isDigit(c) || (c | 0x20 >= 97 && c | 0x20 <= 102) { pos += 1 }
            let text = String(decoding: bytes[start..<pos], as: UTF8.self)
            guard pos > digitsStart, let value = UInt64(String(decoding: bytes[digitsStart..<pos], as: UTF8.self), radix: 16)
            else {
                fail("bad number or duration syntax: \"\(text)\"", at: start)
                return false
            }
            emit(.number(Double(value), text: text), start)
            return true
        }
        // A duration is digits followed by a unit letter.
        var probe = pos
        while probe < bytes.count, Lexer.isDigit(bytes[probe]) { probe += 1 }
        if probe > pos, probe < bytes.count, "smhdwy".utf8.contains(bytes[probe]) {
            return lexDuration()
        }
        while let c = peek(), Lexer.isDigit(c) { pos += 1 }
        if peek() == UInt8(ascii: ".") {
            pos += 1
            while let c = peek(), Lexer.isDigit(c) { pos += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            var p = pos + 1
            if p < bytes.count, bytes[p] == UInt8(ascii: "+") || bytes[p] == UInt8(ascii: "-") { p += 1 }
            if p < bytes.count, Lexer.isDigit(bytes[p]) {
                pos = p
                while let c = peek(), Lexer.isDigit(c) { pos += 1 }
            }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        if let c = peek(), Lexer.isAlpha(c) || c == UInt8(ascii: ".") {
            while let c = peek(), Lexer.isAlpha(c) || Lexer.isDigit(c) || c == UInt8(ascii: ".") { pos += 1 }
            fail("bad number or duration syntax: \"\(String(decoding: bytes[start..<pos], as: UTF8.self))\"", at: start)
            return false
        }
        guard let value = Double(text) else {
            fail("bad number or duration syntax: \"\(text)\"", at: start)
            return false
        }
        emit(.number(value, text: text), start)
        return true
    }

    private mutating func lexDuration() -> Bool {
        let start = pos
        while let c = peek(), Lexer.isAlpha(c) || Lexer.isDigit(c) { pos += 1 }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        guard let ms = PromDuration.parse(text) else {
            fail("bad duration syntax: \"\(text)\"", at: start)
            return false
        }
        emit(.duration(ms, text: text), start)
        return true
    }

    private mutating func lexString(quote: UInt8) -> Bool {
        let start = pos
        pos += 1
        var value: [UInt8] = []
        while true {
            guard let c = peek() else {
                fail("unterminated quoted string", at: start)
                return false
            }
            pos += 1
            if c == quote { break }
            if quote != UInt8(ascii: "`"), c == 10 {
                fail("unterminated quoted string", at: start)
                return false
            }
            if c == UInt8(ascii: "\\"), quote != UInt8(ascii: "`") {
                guard let e = peek() else {
                    fail("unterminated quoted string", at: start)
                    return false
                }
                pos += 1
                switch e {
                case UInt8(ascii: "n"): value.append(10)
                case UInt8(ascii: "t"): value.append(9)
                case UInt8(ascii: "r"): value.append(13)
                case UInt8(ascii: "a"): value.append(7)
                case UInt8(ascii: "b"): value.append(8)
                case UInt8(ascii: "f"): value.append(12)
                case UInt8(ascii: "v"): value.append(11)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"): value.append(e)
                case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let count = e == UInt8(ascii: "x") ? 2 : (e == UInt8(ascii: "u") ? 4 : 8)
                    guard pos + count <= bytes.count,
                          let code = UInt32(String(decoding: bytes[pos..<(pos + count)], as: UTF8.self), radix: 16)
                    else {
                        fail("invalid escape sequence in string", at: pos)
                        return false
                    }
                    pos += count
                    if e == UInt8(ascii: "x") {
                        value.append(UInt8(code))
                    } else {
                        guard let scalar = Unicode.Scalar(code) else {
                            fail("invalid escape sequence in string", at: pos)
                            return false
                        }
                        value += Array(String(Character(scalar)).utf8)
                    }
                default:
                    fail("unknown escape sequence '\\\(scalarText(at: pos - 1))'", at: pos - 1)
                    return false
                }
            } else {
                value.append(c)
            }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        emit(.string(String(decoding: value, as: UTF8.self), text: text), start)
        return true
    }
}
