// A linear-time matcher for the RE2 / Go `regexp` syntax that Prometheus label matchers use.
//
// The pattern is parsed into a small syntax tree, compiled to a Thompson-NFA program and
// simulated Pike-VM style: all NFA threads advance in lock-step over the text, and threads
// reaching the same instruction are merged. Matching therefore costs
// O(program size × text length) however ambiguous the pattern is, so there is nothing like
// the minutes a backtracking engine can spend on `(.*)*.*x`.

/// A compiled regular expression that answers one question: does it match the *whole* text?
///
/// That is all Prometheus label matchers need (`=~"x"` means `^(?:x)$`), and it lets the
/// engine do without capture groups and thread priorities. Values are immutable and matching
/// uses only local scratch space, so one instance can be shared freely across tasks.
public struct LinearRegex: Sendable {
    /// A malformed pattern, or one using syntax this engine does not implement.
    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        public let message: String
        /// 0-based offset, in Unicode scalars, of the construct the error is about (0 when the
        /// pattern as a whole exceeds a limit).
        public let offset: Int
        public var description: String { "\(message) at offset \(offset)" }
    }

    /// RE2's limit for `{n,m}`.
    static let maxRepeat = 1000
    /// Bounds memory and per-character work, since `x{n}` compiles to n copies of `x`.
    static let maxProgramSize = 100_000
    /// Bounds recursion in the parser and compiler. Go allows 1000, but real patterns nest a
    /// few levels deep, and 100 keeps even unoptimised builds well inside a 512 KiB thread stack.
    static let maxNesting = 100

    private let program: [RegexInstruction]
    /// Whether some instruction compares case-insensitively, so text case variants are needed.
    private let foldsCase: Bool

    /// Compiles an RE2 pattern; throws `SyntaxError` for bad or unsupported syntax.
    public init(_ pattern: String, caseInsensitive: Bool = false) throws {
        var parser = RegexParser(pattern: Array(pattern.unicodeScalars), flags: caseInsensitive ? .foldCase : [])
        var compiler = RegexCompiler()
        try compiler.compile(try parser.parse())
        _ = try compiler.emit(.match)
        program = compiler.program
        foldsCase = compiler.program.contains { if case .consume(let set) = $0 { set.foldCase } else { false } }
    }

    /// True when the whole text matches (implicitly anchored at both ends). Costs
    /// O(program size × text length) time and O(program size + text length) memory.
    public func matchesWhole(_ text: String) -> Bool {
        let input = Array(text.unicodeScalars)
        // visited[pc] == position means pc is already on that position's list: this merges
        // duplicate threads and stops empty loops such as `(a*)*` from spinning.
        var visited = [Int](repeating: -1, count: program.count)
        var current: [Int] = [], next: [Int] = [], stack: [Int] = []
        addThreads(from: 0, at: 0, prev: nil, next: input.first?.value, &current, &visited, &stack)
        for (i, scalar) in input.enumerated() {
            if current.isEmpty { return false }
            let c = scalar.value, variants = foldsCase ? caseVariants(c) : nil
            let lookahead = i + 1 < input.count ? input[i + 1].value : nil
            next.removeAll(keepingCapacity: true)
            for pc in current {
                if case .consume(let set) = program[pc], set.matches(c, variants: variants) {
                    addThreads(from: pc + 1, at: i + 1, prev: c, next: lookahead, &next, &visited, &stack)
                }
            }
            swap(&current, &next)
        }
        return current.contains(program.count - 1)  // the final `.match`
    }

    /// Adds the thread at `start` and all threads reachable from it without consuming input.
    /// Iterative on purpose: chains of splits can be arbitrarily long.
    private func addThreads(from start: Int, at position: Int, prev: UInt32?, next: UInt32?,
                            _ list: inout [Int], _ visited: inout [Int], _ stack: inout [Int]) {
        stack.append(start)
        while let pc = stack.popLast() {
            guard program.indices.contains(pc), visited[pc] != position else { continue }
            visited[pc] = position
            switch program[pc] {
            case .consume, .match: list.append(pc)
            case .jump(let target): stack.append(target)
            case .split(let first, let second): stack.append(second); stack.append(first)
            case .assert(let assertion): if assertion.holds(prev: prev, next: next) { stack.append(pc + 1) }
            }
        }
    }
}

// MARK: - Program

private enum RegexInstruction: Sendable {
    /// Consumes one scalar in the set and continues at pc + 1.
    case consume(ScalarSet)
    /// Forks the thread to both targets.
    case split(Int, Int)
    case jump(Int)
    /// Zero-width: continues at pc + 1 only if it holds between the neighbouring scalars.
    case assert(Assertion)
    case match
}

private enum Assertion: Sendable {
    case textStart, textEnd, lineStart, lineEnd, wordBoundary, notWordBoundary

    func holds(prev: UInt32?, next: UInt32?) -> Bool {
        // RE2's \b is ASCII-only, like \w.
        func isWord(_ c: UInt32?) -> Bool { c.map { c in ScalarSet.word.contains { $0.contains(c) } } ?? false }
        switch self {
        case .textStart: return prev == nil
        case .textEnd: return next == nil
        case .lineStart: return prev == nil || prev == 0x0A
        case .lineEnd: return next == nil || next == 0x0A
        case .wordBoundary: return isWord(prev) != isWord(next)
        case .notWordBoundary: return isWord(prev) == isWord(next)
        }
    }
}

/// A set of scalars as sorted, disjoint ranges. Case folding and then negation are applied at
/// match time, so `(?i)[^a]` rejects both `a` and `A` as RE2 does, with no need to fold ranges.
private struct ScalarSet: Sendable {
    typealias Ranges = [ClosedRange<UInt32>]
    static let maxScalar: UInt32 = 0x10FFFF
    static let digit: Ranges = [0x30...0x39]
    static let space: Ranges = [0x09...0x0A, 0x0C...0x0D, 0x20...0x20]  // RE2's \s excludes \v
    static let word: Ranges = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
    static let perl: [Unicode.Scalar: (ranges: Ranges, negated: Bool)] = [
        "d": (digit, false), "D": (digit, true), "s": (space, false), "S": (space, true), "w": (word, false), "W": (word, true),
    ]
    /// POSIX classes, ASCII-only as in RE2.
    static let posix: [String: Ranges] = [
        "alnum": [0x30...0x39, 0x41...0x5A, 0x61...0x7A], "alpha": [0x41...0x5A, 0x61...0x7A],
        "ascii": [0x00...0x7F], "blank": [0x09...0x09, 0x20...0x20], "cntrl": [0x00...0x1F, 0x7F...0x7F],
        "digit": digit, "graph": [0x21...0x7E], "lower": [0x61...0x7A], "print": [0x20...0x7E],
        "punct": [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E], "space": [0x09...0x0D, 0x20...0x20],
        "upper": [0x41...0x5A], "word": word, "xdigit": [0x30...0x39, 0x41...0x46, 0x61...0x66],
    ]

    let ranges: Ranges, negated: Bool, foldCase: Bool

    init(_ ranges: Ranges, negated: Bool = false, foldCase: Bool = false) {
        var merged: Ranges = []
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, r.lowerBound <= last.upperBound + 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                merged.append(r)
            }
        }
        (self.ranges, self.negated, self.foldCase) = (merged, negated, foldCase)
    }

    /// A literal. Under case folding it also holds its own case variants, which keeps matching
    /// symmetric where variants are not mutual (the Kelvin sign lowercases to `k`, not back).
    static func literal(_ c: UInt32, foldCase: Bool) -> ScalarSet {
        let (lower, upper) = foldCase ? caseVariants(c) : (c, c)
        return ScalarSet([c...c, lower...lower, upper...upper], foldCase: lower != c || upper != c)
    }

    static func complement(_ ranges: Ranges) -> Ranges {
        var result: Ranges = [], start: UInt32 = 0
        for r in ScalarSet(ranges).ranges {
            if r.lowerBound > start { result.append(start...(r.lowerBound - 1)) }
            guard r.upperBound < maxScalar else { return result }
            start = r.upperBound + 1
        }
        return result + [start...maxScalar]
    }

    func matches(_ c: UInt32, variants: (UInt32, UInt32)?) -> Bool {
        var found = contains(c)
        if !found, foldCase, let (lower, upper) = variants { found = contains(lower) || contains(upper) }
        return found != negated
    }

    private func contains(_ c: UInt32) -> Bool {  // binary search
        var low = 0, high = ranges.count
        while low < high {
            let mid = (low + high) / 2, r = ranges[mid]
            if c < r.lowerBound { high = mid } else if c > r.upperBound { low = mid + 1 } else { return true }
        }
        return false
    }
}

/// Simple case folding through the single-scalar lower- and uppercase mappings: an
/// approximation of RE2's fold orbits that agrees with them for ASCII and ordinary scripts.
private func caseVariants(_ c: UInt32) -> (UInt32, UInt32) {
    if c < 0x80 {
        if (0x41...0x5A).contains(c) { return (c + 0x20, c) }
        return (0x61...0x7A).contains(c) ? (c, c - 0x20) : (c, c)
    }
    guard let properties = Unicode.Scalar(c)?.properties else { return (c, c) }
    func single(_ mapping: String) -> UInt32 { mapping.unicodeScalars.count == 1 ? mapping.unicodeScalars.first?.value ?? c : c }
    return (single(properties.lowercaseMapping), single(properties.uppercaseMapping))
}

// MARK: - Parser

private indirect enum Node {
    case scalar(ScalarSet)
    case assertion(Assertion)
    case concat([Node])
    case alternate([Node])
    case repetition(Node, min: Int, max: Int?)  // max nil: unbounded
}

private struct Flags: OptionSet {
    let rawValue: UInt8
    static let foldCase = Flags(rawValue: 1), dotNewline = Flags(rawValue: 2), multiLine = Flags(rawValue: 4)
    static let letters: [Unicode.Scalar: Flags] = ["i": .foldCase, "s": .dotNewline, "m": .multiLine, "U": []]
}

/// Recursive-descent parser for RE2 syntax over Unicode scalars. Flags are parser state:
/// `(?i)` changes them for the rest of the enclosing group, which restores them at its `)`.
private struct RegexParser {
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

// MARK: - Compiler

/// Emits the Thompson construction of a tree, refusing to grow past `maxProgramSize`.
private struct RegexCompiler {
    var program: [RegexInstruction] = []
    /// Nodes visited so far. Bounded too, because empty bodies emit nothing: `((){1000}){1000}`.
    var visits = 0
    let tooLarge = LinearRegex.SyntaxError(message: "pattern too large", offset: 0)

    mutating func emit(_ instruction: RegexInstruction) throws -> Int {
        guard program.count < LinearRegex.maxProgramSize else { throw tooLarge }
        program.append(instruction)
        return program.count - 1
    }

    /// `split(body, exit) body [jump(split)]`, patching the exit once the body's size is known.
    mutating func optional(_ body: Node, loop: Bool) throws {
        let split = try emit(.split(0, 0))
        try compile(body)
        if loop { _ = try emit(.jump(split)) }
        program[split] = .split(split + 1, program.count)
    }

    mutating func compile(_ node: Node) throws {
        visits += 1
        guard visits <= 10 * LinearRegex.maxProgramSize else { throw tooLarge }
        switch node {
        case .scalar(let set): _ = try emit(.consume(set))
        case .assertion(let assertion): _ = try emit(.assert(assertion))
        case .concat(let nodes): for node in nodes { try compile(node) }
        case .alternate(let branches): try compileAlternation(branches)
        case .repetition(let body, let min, let max): try compileRepetition(body, min: min, max: max)
        }
    }

    /// `split(b1, L1) b1 jump(end)  L1: split(b2, L2) b2 jump(end)  L2: … bn  end:`
    mutating func compileAlternation(_ branches: [Node]) throws {
        var exits: [Int] = []
        for branch in branches.dropLast() {
            let split = try emit(.split(0, 0))
            try compile(branch)
            exits.append(try emit(.jump(0)))
            program[split] = .split(split + 1, program.count)
        }
        if let last = branches.last { try compile(last) }
        for exit in exits { program[exit] = .jump(program.count) }
    }

    mutating func compileRepetition(_ body: Node, min: Int, max: Int?) throws {
        guard let max else {
            if min == 0 { return try optional(body, loop: true) }
            // x{n,} = x{n-1}x+, with x+ as `L: x split(L, next)` so that nested `+` never copies x.
            for _ in 1..<min { try compile(body) }
            let loop = program.count
            try compile(body)
            _ = try emit(.split(loop, program.count + 1))
            return
        }
        for _ in 0..<min { try compile(body) }
        for _ in min..<Swift.max(min, max) { try optional(body, loop: false) }  // x{1,3} = x(x)?(x)?
    }
}
