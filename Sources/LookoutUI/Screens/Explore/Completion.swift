/// What the text before the cursor asks to be completed with, read by a small scanner of PromQL's lexical
/// structure (strings, braces, brackets, grouping clauses) rather than by the parser, which needs a whole query.
public enum CompletionContext: Sendable, Equatable {
    /// A metric name, function or aggregation: the identifier being typed.
    case metricOrFunction(prefix: String)
    /// A label name inside `{…}` (with the metric before it, when there is one) or in `by (…)`, `on (…)`, ….
    case labelName(metric: String?, prefix: String)
    /// A label value inside quotes after `label=`, `!=`, `=~` or `!~`.
    case labelValue(metric: String?, label: String, prefix: String)
    /// A duration inside `[…]`.
    case duration(prefix: String)
    /// Nothing to offer (a number, a string elsewhere, an operator…).
    case none

    /// The characters before the cursor that a choice replaces.
    public var prefix: String {
        switch self {
        case .metricOrFunction(let p), .labelName(_, let p), .labelValue(_, _, let p), .duration(let p): return p
        case .none: return ""
        }
    }

    static func isIdentifierStart(_ c: Character) -> Bool { c == "_" || c == ":" || (c.isASCII && c.isLetter) }
    static func isIdentifier(_ c: Character) -> Bool { isIdentifierStart(c) || (c.isASCII && c.isNumber) }

    /// The context at `cursor` (a character index) of `query`.
    public static func at(_ query: String, cursor: Int) -> CompletionContext {
        let chars = Array(query.prefix(max(0, cursor)))
        var i = 0
        var quote: Character?
        var stringStart = 0
        var braceDepth = 0
        var inBracket = false
        /// Per open parenthesis: whether it opened a grouping clause (`by (`, `without (`, `on (`, …).
        var parens: [Bool] = []
        /// The identifier just before the current character (spaces between allowed).
        var lastIdentifier: String?
        var braceMetric: String?
        var labelBeforeOperator: String?
        var labelForValue: String?
        var afterMatchOperator = false
        while i < chars.count {
            let c = chars[i]
            if quote != nil {
                if c == "\\" { i += 2; continue }
                if c == quote { quote = nil }
                i += 1
                continue
            }
            // Inside `[…]` a `:` separates a subquery's range from its step.
            if (isIdentifierStart(c) && !(inBracket && c == ":")) || (c.isASCII && c.isNumber) {
                var j = i + 1
                let number = c.isNumber
                // A number or duration (`1.5`, `5m`, `1e3`) never takes a `:` (the subquery's step follows it).
                while j < chars.count, number ? (chars[j].isASCII && (chars[j].isLetter || chars[j].isNumber) || chars[j] == ".") : isIdentifier(chars[j]) { j += 1 }
                let word = String(chars[i..<j])
                if j == chars.count {
                    // The word under the cursor.
                    if inBracket { return .duration(prefix: word) }
                    if number { return .none }
                    if braceDepth > 0 { return afterMatchOperator ? .none : .labelName(metric: braceMetric, prefix: word) }
                    if parens.last == true { return .labelName(metric: nil, prefix: word) }
                    return .metricOrFunction(prefix: word)
                }
                lastIdentifier = number ? nil : word
                if braceDepth > 0 { labelBeforeOperator = word }
                i = j
                continue
            }
            switch c {
            case "\"", "'", "`":
                quote = c
                stringStart = i + 1
                labelForValue = braceDepth > 0 && afterMatchOperator ? labelBeforeOperator : nil
                afterMatchOperator = false
            case "{":
                braceDepth += 1
                braceMetric = lastIdentifier
                labelBeforeOperator = nil
                afterMatchOperator = false
            case "}": braceDepth = max(0, braceDepth - 1)
            case "[": inBracket = true
            case "]": inBracket = false
            case "(":
                parens.append(["by", "without", "on", "ignoring", "group_left", "group_right"].contains(lastIdentifier ?? ""))
            case ")": if !parens.isEmpty { parens.removeLast() }
            case "=", "!", "~": if braceDepth > 0 { afterMatchOperator = true }
            case ",":
                labelBeforeOperator = nil
                afterMatchOperator = false
            default: break
            }
            if c != " " { lastIdentifier = nil }
            i += 1
        }
        if quote != nil {
            guard let label = labelForValue else { return .none }
            return .labelValue(metric: braceMetric, label: label, prefix: String(chars[min(stringStart, chars.count)...]))
        }
        // Nothing typed yet at the cursor.
        if inBracket { return .duration(prefix: "") }
        if braceDepth > 0 { return afterMatchOperator ? .none : .labelName(metric: braceMetric, prefix: "") }
        if parens.last == true { return .labelName(metric: nil, prefix: "") }
        guard let last = chars.last(where: { $0 != " " }) else { return .metricOrFunction(prefix: "") }
        return "(,+-*/%^=<>".contains(last) ? .metricOrFunction(prefix: "") : .none
    }
}

/// The choices for a context, filtered by its prefix: case-sensitive prefix matches first, then other matches
/// containing the prefix, each group sorted; at most `limit`. What is typed is no choice; when it is one already,
/// only longer words that start with it are (Enter after `5m` runs the query, it does not take `15m`).
public enum CompletionChoices {
    public static func filter(_ candidates: [String], prefix: String, limit: Int = 200) -> [String] {
        guard !prefix.isEmpty else { return Array(Set(candidates).sorted().prefix(limit)) }
        let unique = Set(candidates)
        let starts = unique.filter { $0.hasPrefix(prefix) && $0 != prefix }.sorted()
        let lower = prefix.lowercased()
        let contains = unique.contains(prefix) ? [] : unique.filter { !$0.hasPrefix(prefix) && $0.lowercased().contains(lower) }.sorted()
        return Array((starts + contains).prefix(limit))
    }

    /// Durations offered inside `[…]`.
    public static let durations = ["1m", "5m", "10m", "15m", "30m", "1h", "3h", "6h", "12h", "1d", "7d", "30s"]
}
