// The parser of `LinearRegex`: RE2 syntax to a syntax tree (see LinearRegex.swift).

// MARK: - Parser

indirect enum Node {
    case scalar(ScalarSet)
    case assertion(Assertion)
    case concat([Node])
    case alternate([Node])
    case repetition(Node, min: Int, max: Int?)  // max nil: unbounded
}

struct Flags: OptionSet {
    let rawValue: UInt8
    static let foldCase = Flags(rawValue: 1), dotNewline = Flags(rawValue: 2), multiLine = Flags(rawValue: 4)
    static let letters: [Unicode.Scalar: Flags] = ["i": .foldCase, "s": .dotNewline, "m": .multiLine, "U": []]
}

/// Recursive-descent parser for RE2 syntax over Unicode scalars. Flags are parser state:
/// `(?i)` changes them for the rest of the enclosing group, which restores them at its `)`.
struct RegexParser {
    let pattern: [Unicode.Scalar]
    var flags: Flags
    var pos = 0, depth = 0

    func peek(_ ahead: Int = 0) -> Unicode.Scalar? { pos + ahead < pattern.count ? pattern[pos + ahead] : nil }
    func error(_ message: String, _ offset: Int) -> LinearRegex.SyntaxError { .init(message: message, offset: offset) }
    func literal(_ c: UInt32) -> Node { .scalar(.literal(c, foldCase: flags.contains(.foldCase))) }
    func set(_ ranges: ScalarSet.Ranges, negated: Bool = false) -> Node {
        .scalar(ScalarSet(ranges, negated: negated, foldCase: flags.contains(.foldCase)))
    }

    mutating func parse() throws -> Node {
        let tree = try parseAlternation()
        // parseAlternation stops only at the end or at a `)` that closes no group.
        if pos < pattern.count { throw error("unexpected )", pos) }
        return tree
    }

    mutating func parseAlternation() throws -> Node {
        var branches = [try parseConcat()]
        while peek() == "|" {
            pos += 1
            branches.append(try parseConcat())
        }
        // Not wrapping single items keeps the tree shallow: deep trees cost stack to compile and free.
        if branches.count == 1, let only = branches.first { return only }
        return .alternate(branches)
    }

    mutating func parseConcat() throws -> Node {
        var items: [Node] = []
        var lastRepeat: Int?  // offset of the operator that ended the previous item, if any
        while let c = peek(), c != "|", c != ")" {
            let start = pos
            guard let (min, max) = try parseRepeatOperator() else {
                if let atom = try parseAtom() { items.append(atom) }
                lastRepeat = nil
                continue
            }
            // Perl reads `a**` or `a*+` in other ways; RE2 rejects stacked operators outright.
            if let lastRepeat { throw error("invalid nested repetition operator", lastRepeat) }
            guard let operand = items.popLast() else { throw error("missing argument to repetition operator", start) }
            items.append(.repetition(operand, min: min, max: max))
            lastRepeat = start
        }
        if items.count == 1, let only = items.first { return only }
        return .concat(items)
    }

    /// Parses `*`, `+`, `?`, `{n}`, `{n,}` or `{n,m}`, plus an optional lazy `?` (which cannot
    /// change a whole-text match). Returns nil, consuming nothing, if no operator starts here;
    /// as in RE2, a `{` that does not begin a well-formed count is a literal.
    mutating func parseRepeatOperator() throws -> (Int, Int?)? {
        let start = pos
        var bounds: (min: Int, max: Int?) = (0, nil)
        switch peek() {
        case "*": break
        case "+": bounds.min = 1
        case "?": bounds.max = 1
        case "{":
            pos += 1
            guard let min = parseCount() else { pos = start; return nil }
            bounds = (min, min)
            if peek() == "," { pos += 1; bounds.max = peek() == "}" ? nil : parseCount() ?? -1 }
            guard peek() == "}", bounds.max != -1 else { pos = start; return nil }
            // (The first condition keeps the range in the second well-formed.)
            guard min <= LinearRegex.maxRepeat, (min...LinearRegex.maxRepeat).contains(bounds.max ?? min) else {
                throw error("invalid repeat count", start)
            }
        default: return nil
        }
        pos += 1
        if peek() == "?" { pos += 1 }
        return bounds
    }

    /// A decimal count without leading zeros (Go's rule), saturating instead of overflowing.
    mutating func parseCount() -> Int? {
        let start = pos
        var value = 0
        while let d = peek(), ("0"..."9").contains(d), pos == start || value > 0 {
            value = min(value * 10 + Int(d.value - 0x30), LinearRegex.maxRepeat + 1)
            pos += 1
        }
        return pos > start && !("0"..."9").contains(peek() ?? "x") ? value : nil
    }

    /// One item of a concatenation; nil for a flag group like `(?i)`.
    mutating func parseAtom() throws -> Node? {
        let start = pos, dotAll = flags.contains(.dotNewline), multiLine = flags.contains(.multiLine)
        guard let c = peek() else { return nil }
        pos += 1
        switch c {
        case "(": return try parseGroup(start)
        case "[": return try parseClass(start)
        case ".": return set(dotAll ? [0...ScalarSet.maxScalar] : [0...9, 11...ScalarSet.maxScalar])
        case "^": return .assertion(multiLine ? .lineStart : .textStart)
        case "$": return .assertion(multiLine ? .lineEnd : .textEnd)
        case "\\": return try parseEscapeAtom(start)
        default: return literal(c.value)
        }
    }

    /// An escape outside a class: a Perl class, an assertion or a single scalar.
    mutating func parseEscapeAtom(_ start: Int) throws -> Node {
        let assertions: [Unicode.Scalar: Assertion] = ["A": .textStart, "z": .textEnd, "b": .wordBoundary, "B": .notWordBoundary]
        if let next = peek(), let (ranges, negated) = ScalarSet.perl[next] { pos += 1; return set(ranges, negated: negated) }
        if let next = peek(), let assertion = assertions[next] { pos += 1; return .assertion(assertion) }
        return literal(try parseEscape(start))
    }

    /// After `(`: a plain, non-capturing, named or flag-setting group.
    mutating func parseGroup(_ start: Int) throws -> Node? {
        depth += 1
        defer { depth -= 1 }
        guard depth <= LinearRegex.maxNesting else { throw error("expression nests too deeply", start) }
        let outerFlags = flags
        if try parseGroupPrefix(start) { return nil }  // `(?i)`: no body, flags stay changed
        let body = try parseAlternation()
        guard peek() == ")" else { throw error("missing closing )", start) }
        pos += 1
        flags = outerFlags
        return body
    }

    /// Parses what may follow `(`: `?:`, `?P<name>`, `?<name>` or flags. Kept out of the
    /// recursive path (parseGroup → parseAlternation) so that deep nesting costs less stack.
    mutating func parseGroupPrefix(_ start: Int) throws -> Bool {
        guard peek() == "?" else { return false }
        pos += 1
        if peek() == "P" && peek(1) == "<" { pos += 1 }
        switch peek() {
        case "<" where peek(1) != "=" && peek(1) != "!":  // (?P<name>…) or (?<name>…)
            let name = String(String.UnicodeScalarView(pattern[(pos + 1)...].prefix { $0 != ">" }))
            pos += name.unicodeScalars.count + 1
            let isWord = name.unicodeScalars.allSatisfy { c in ScalarSet.word.contains { $0.contains(c.value) } }
            guard peek() == ">", !name.isEmpty, isWord else { throw error("invalid named capture", start) }
            pos += 1
            return false
        case "=", "!", "<": throw error("unsupported: lookaround", start)
        case "P": throw error("unsupported: named backreference", start)
        default: return try parseFlags(start)
        }
    }

    /// Parses the `i`, `-s`, `im-s`… of `(?flags)` or `(?flags:…)`; returns true for the first
    /// form. `U` (ungreedy) is accepted and ignored, as it cannot change a whole-text match.
    mutating func parseFlags(_ start: Int) throws -> Bool {
        var updated = flags, negating = false, sawFlag = false
        while let c = peek() {
            pos += 1
            if let flag = Flags.letters[c] {
                if negating { updated.subtract(flag) } else { updated.formUnion(flag) }
                sawFlag = true
            } else if c == "-" && !negating {
                (negating, sawFlag) = (true, false)
            } else if (c == ":" || c == ")") && (sawFlag || !negating) {
                flags = updated
                return c == ")"
            } else {
                throw error("invalid or unsupported Perl syntax", start)
            }
        }
        throw error("missing closing )", start)
    }

    /// A bracketed class after `[`. As in RE2, `]` first and `-` first or last are literal, and
    /// `\d`-style and `[:alpha:]`-style classes may appear inside.
    mutating func parseClass(_ start: Int) throws -> Node {
        let negated = peek() == "^"
        if negated { pos += 1 }
        var ranges: ScalarSet.Ranges = []
        var first = true
        while true {
            guard let c = peek() else { throw error("missing closing ]", start) }
            if c == "]" && !first { pos += 1; break }
            first = false
            if c == "[", peek(1) == ":", let posix = try parsePosixClass() { ranges += posix; continue }
            if c == "\\", let next = peek(1), let (perl, negatedPerl) = ScalarSet.perl[next] {
                pos += 2
                ranges += negatedPerl ? ScalarSet.complement(perl) : perl
                continue
            }
            let itemStart = pos, low = try parseClassChar(start)
            var high = low
            if peek() == "-", let next = peek(1), next != "]" {
                pos += 1
                high = try parseClassChar(start)
                guard low <= high else { throw error("invalid character class range", itemStart) }
            }
            ranges.append(low...high)
        }
        return set(ranges, negated: negated)
    }

    mutating func parseClassChar(_ classStart: Int) throws -> UInt32 {
        guard let c = peek() else { throw error("missing closing ]", classStart) }
        pos += 1
        return c == "\\" ? try parseEscape(pos - 1) : c.value
    }

    /// `[:name:]` or `[:^name:]`; nil (consuming nothing) if no `:]` follows, in which case RE2
    /// reads the `[` as a literal.
    mutating func parsePosixClass() throws -> ScalarSet.Ranges? {
        let closers = stride(from: pos + 2, to: pattern.count - 1, by: 1).lazy
        guard let end = closers.first(where: { pattern[$0] == ":" && pattern[$0 + 1] == "]" }) else { return nil }
        var name = String(String.UnicodeScalarView(pattern[(pos + 2)..<end]))
        let negated = name.hasPrefix("^")
        if negated { name.removeFirst() }
        guard let ranges = ScalarSet.posix[name] else { throw error("invalid character class range", pos) }
        pos = end + 2
        return negated ? ScalarSet.complement(ranges) : ranges
    }

    /// An escape standing for one scalar, with `pos` just past the backslash at `start`.
    mutating func parseEscape(_ start: Int) throws -> UInt32 {
        guard let c = peek() else { throw error("trailing backslash at end of expression", start) }
        pos += 1
        let controls: [Unicode.Scalar: UInt32] = ["a": 7, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13]
        if let control = controls[c] { return control }
        switch c {
        case "x":  // \xHH or \x{H…}
            let braced = peek() == "{"
            if braced { pos += 1 }
            var digits = ""
            while let d = peek(), d.properties.isASCIIHexDigit, digits.count < (braced ? 8 : 2) {
                digits.unicodeScalars.append(d)
                pos += 1
            }
            if braced && peek() == "}" { pos += 1 } else if braced || digits.count < 2 { digits = "" }
            guard let value = UInt32(digits, radix: 16), value <= ScalarSet.maxScalar else {
                throw error("invalid escape sequence \\x", start)
            }
            return value
        case "1"..."9": throw error("unsupported: backreference \\\(c)", start)
        case "p", "P": throw error("unsupported: Unicode class \\\(c)", start)
        case _ where c.isASCII && !c.properties.isAlphabetic && !("0"..."9").contains(c):
            return c.value  // escaped ASCII punctuation is literal; escaped letters are reserved
        default: throw error("invalid escape sequence \\\(c)", start)
        }
    }
}
