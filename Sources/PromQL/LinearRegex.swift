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

enum RegexInstruction: Sendable {
    /// Consumes one scalar in the set and continues at pc + 1.
    case consume(ScalarSet)
    /// Forks the thread to both targets.
    case split(Int, Int)
    case jump(Int)
    /// Zero-width: continues at pc + 1 only if it holds between the neighbouring scalars.
    case assert(Assertion)
    case match
}

enum Assertion: Sendable {
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
struct ScalarSet: Sendable {
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
func caseVariants(_ c: UInt32) -> (UInt32, UInt32) {
    if c < 0x80 {
        if (0x41...0x5A).contains(c) { return (c + 0x20, c) }
        return (0x61...0x7A).contains(c) ? (c, c - 0x20) : (c, c)
    }
    guard let properties = Unicode.Scalar(c)?.properties else { return (c, c) }
    func single(_ mapping: String) -> UInt32 { mapping.unicodeScalars.count == 1 ? mapping.unicodeScalars.first?.value ?? c : c }
    return (single(properties.lowercaseMapping), single(properties.uppercaseMapping))
}

// MARK: - Compiler

/// Emits the Thompson construction of a tree, refusing to grow past `maxProgramSize`.
struct RegexCompiler {
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
