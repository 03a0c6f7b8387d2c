/// An alerting rule's expression split at its top-level comparison, to graph why an alert fires: the left side as a
/// series, the right side as a threshold line (a number) or a second series (a vector).
///
/// The split is lexical, at parenthesis depth 0 and outside strings, braces and brackets, with PromQL's precedence:
/// a set operator (`and`, `or`, `unless`) binds loosest, so `A > 0.05 and B` splits inside `A > 0.05`; a
/// comparison (`==`, `!=`, `>`, `<`, `>=`, `<=`) binds looser than arithmetic, so `A / B > 1` compares `A / B`.
public struct RuleExpression: Sendable, Equatable {
    public enum Right: Sendable, Equatable {
        case threshold(Double)
        case series(String)
    }

    public var left: String
    public var comparison: String?
    /// `bool` after the operator: the expression yields 0 or 1 instead of filtering.
    public var isBool: Bool
    public var right: Right?

    public init(left: String, comparison: String? = nil, isBool: Bool = false, right: Right? = nil) {
        self.left = left
        self.comparison = comparison
        self.isBool = isBool
        self.right = right
    }

    static let comparisons = ["==", "!=", ">=", "<=", ">", "<"]
    static let setOperators = ["and", "or", "unless"]

    /// Splits `expr`; an expression without a top-level comparison is all left side.
    public static func split(_ expr: String) -> RuleExpression {
        let text = Array(expr)
        // The first operand of a top-level set operator is what the alert's value comes from.
        let operand = firstOperand(text)
        guard let (at, op) = topLevelComparison(operand) else {
            return RuleExpression(left: trim(operand))
        }
        let left = trim(Array(operand[..<at]))
        var rest = Array(operand[(at + op.count)...])
        var isBool = false
        let afterOperator = trim(rest)
        if afterOperator.hasPrefix("bool"), afterOperator.dropFirst(4).first.map({ !isWord($0) }) ?? true {
            isBool = true
            rest = Array(afterOperator.dropFirst(4))
        }
        var right = trim(rest)
        // Vector matching clauses belong to the operator, not to the right side's series.
        for clause in ["on", "ignoring"] where right.hasPrefix(clause) {
            let afterClause = right.dropFirst(clause.count).drop { $0 == " " }
            if afterClause.first == "(", let close = matchingParen(Array(afterClause), from: 0) {
                var tail = String(Array(afterClause)[(close + 1)...]).trimmingSpaces()
                for group in ["group_left", "group_right"] where tail.hasPrefix(group) {
                    let g = tail.dropFirst(group.count).drop { $0 == " " }
                    if g.first == "(", let end = matchingParen(Array(g), from: 0) {
                        tail = String(Array(g)[(end + 1)...]).trimmingSpaces()
                    } else {
                        tail = String(g)
                    }
                }
                right = tail
            }
        }
        let number = Double(right.replacing("_", with: ""))
        return RuleExpression(
            left: left, comparison: op, isBool: isBool,
            right: number.map { .threshold($0) } ?? (right.isEmpty ? nil : .series(right)))
    }

    static func isWord(_ c: Character) -> Bool { c == "_" || c == ":" || c.isLetter || c.isNumber }

    static func trim(_ chars: [Character]) -> String {
        String(chars).trimmingSpacesAndNewlines()
    }

    /// Index of the `)` that closes the `(` at `from`.
    public static func matchingParen(_ text: [Character], from: Int) -> Int? {
        var depth = 0
        var quote: Character?
        var i = from
        while i < text.count {
            let c = text[i]
            if let q = quote {
                if c == "\\" { i += 2; continue }
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" || c == "`" {
                quote = c
            } else if c == "(" {
                depth += 1
            } else if c == ")" {
                depth -= 1
                if depth == 0 { return i }
            }
            i += 1
        }
        return nil
    }

    /// Walks `text` at depth 0 (outside parentheses, braces, brackets and strings), calling `visit` with each
    /// position; `visit` returns true to stop.
    static func walkTopLevel(_ text: [Character], _ visit: (Int) -> Bool) {
        var depth = 0
        var quote: Character?
        var i = 0
        while i < text.count {
            let c = text[i]
            if let q = quote {
                if c == "\\" { i += 2; continue }
                if c == q { quote = nil }
                i += 1
                continue
            }
            switch c {
            case "\"", "'", "`": quote = c
            case "(", "{", "[": depth += 1
            case ")", "}", "]": depth -= 1
            default: if depth == 0, visit(i) { return }
            }
            i += 1
        }
    }

    static func firstOperand(_ text: [Character]) -> [Character] {
        var cut: Int?
        walkTopLevel(text) { i in
            for word in setOperators {
                let w = Array(word)
                guard i + w.count <= text.count, Array(text[i..<(i + w.count)]) == w else { continue }
                let before = i == 0 ? " " : text[i - 1]
                let after = i + w.count < text.count ? text[i + w.count] : " "
                if !isWord(before), !isWord(after) {
                    cut = i
                    return true
                }
            }
            return false
        }
        return cut.map { Array(text[..<$0]) } ?? text
    }

    static func topLevelComparison(_ text: [Character]) -> (Int, String)? {
        var found: (Int, String)?
        walkTopLevel(text) { i in
            for op in comparisons {
                let o = Array(op)
                guard i + o.count <= text.count, Array(text[i..<(i + o.count)]) == o else { continue }
                // `=~` and `!~` are matchers (inside braces, so never here); `==` is not `=`.
                if op == ">" || op == "<", i + 1 < text.count, text[i + 1] == "=" { continue }
                found = (i, op)
                return true
            }
            return false
        }
        return found
    }
}
