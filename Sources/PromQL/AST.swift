import SafeText
import FoundationEssentials
import Glibc
import PrometheusModels

/// The type of a PromQL expression, named as Prometheus names it in messages.
public enum ValueType: String, Sendable {
    case scalar
    case vector = "instant vector"
    case matrix = "range vector"
    case string
}

/// Byte offsets `[start, end)` of an expression in the query.
public struct PositionRange: Sendable, Equatable {
    public var start: Int
    public var end: Int
}

/// A label matcher of a selector. Regular expressions are fully anchored, as in Prometheus, and matched in linear
/// time (`LinearRegex`, RE2 syntax as Prometheus uses it): a pattern such as `(.*)*.*x` cannot stall the server.
public struct LabelMatcher: Sendable {
    public var name: String
    public var op: MatchOperator
    public var value: String
    private let regex: LinearRegex?

    /// Throws the regular expression's error for a bad `=~` / `!~` pattern.
    public init(name: String, op: MatchOperator, value: String) throws {
        self.name = name
        self.op = op
        self.value = value
        switch op {
        case .equal, .notEqual: regex = nil
        case .regexMatch, .regexNoMatch: regex = try LinearRegex(value)
        }
    }

    public func matches(_ candidate: String) -> Bool {
        switch op {
        case .equal: return candidate == value
        case .notEqual: return candidate != value
        case .regexMatch, .regexNoMatch:
            let found = regex?.matchesWhole(candidate) ?? false
            return op == .regexMatch ? found : !found
        }
    }

    /// A missing label counts as the empty string, as in Prometheus.
    public func matches(_ labels: Labels) -> Bool { matches(labels[name] ?? "") }

    package var text: String { "\(name)\(op.rawValue)\(goQuote(value))" }
}

/// `metric{matchers}`: an instant vector selector, or a range selector with `range`.
public struct VectorSelector: Sendable {
    /// The metric name as written, if any (it is also among `matchers` as `__name__="…"`).
    public var name: String?
    public var matchers: [LabelMatcher]
    public var position: PositionRange

    package var text: String {
        let others = matchers.filter { !($0.name == "__name__" && $0.op == .equal && $0.value == name) }
        if let name, others.isEmpty { return name }
        return (name ?? "") + "{" + others.map(\.text).joined(separator: ",") + "}"
    }
}

/// `by (…)` / `without (…)` of an aggregation, or `on (…)` / `ignoring (…)` of a binary operation.
public struct Grouping: Sendable {
    public var labels: [String]
    /// `without` for aggregations, `ignoring` for binary operations.
    public var excluding: Bool
}

/// A parsed PromQL expression. Every node knows its position (for messages) and its type.
public indirect enum Expr: Sendable {
    case number(Double, PositionRange)
    case string(String, PositionRange)
    case selector(VectorSelector)
    /// A range vector selector: `metric[5m]`, with the range in milliseconds.
    case matrix(VectorSelector, rangeMilliseconds: Int64, PositionRange)
    case call(name: String, arguments: [Expr], PositionRange)
    case aggregate(name: String, argument: Expr, grouping: Grouping?, PositionRange)
    /// A binary operation; `matching` is `on (…)` / `ignoring (…)`, nil when not written.
    case binary(BinaryOperator, Expr, Expr, returnBool: Bool, matching: Grouping?, PositionRange)
    case negate(Expr, PositionRange)
    case paren(Expr, PositionRange)

    public var position: PositionRange {
        switch self {
        case .number(_, let p), .string(_, let p), .matrix(_, _, let p), .call(_, _, let p), .aggregate(_, _, _, let p),
             .binary(_, _, _, _, _, let p), .negate(_, let p), .paren(_, let p):
            return p
        case .selector(let s): return s.position
        }
    }

    public var type: ValueType {
        switch self {
        case .number: return .scalar
        case .string: return .string
        case .selector: return .vector
        case .matrix: return .matrix
        case .call(let name, _, _): return Functions.supported[name]?.returns ?? .vector
        case .aggregate: return .vector
        case .binary(_, let l, let r, _, _, _): return l.type == .scalar && r.type == .scalar ? .scalar : .vector
        case .negate(let e, _), .paren(let e, _): return e.type
        }
    }

    /// The expression as Prometheus prints it (the `query` of `/api/v1/rules`):
    /// `sum by (service) (rate(http_requests_total{status_code=~"5.."}[5m])) > 0.05`.
    public var text: String {
        switch self {
        case .number(let v, _): return GoFormat.formatG(v).replacing("+Inf", with: "Inf")
        case .string(let s, _): return goQuote(s)
        case .selector(let s): return s.text
        case .matrix(let s, let range, _): return "\(s.text)[\(PromDuration.format(milliseconds: range))]"
        case .call(let name, let args, _): return "\(name)(\(args.map(\.text).joined(separator: ", ")))"
        case .aggregate(let name, let arg, let grouping, _):
            var head = name
            if let grouping {
                if grouping.excluding {
                    head += " without (\(grouping.labels.joined(separator: ", "))) "
                } else if !grouping.labels.isEmpty {
                    head += " by (\(grouping.labels.joined(separator: ", "))) "
                }
            }
            return "\(head)(\(arg.text))"
        case .binary(let op, let l, let r, let returnBool, let matching, _):
            var modifiers = returnBool ? " bool" : ""
            if let matching, !matching.labels.isEmpty || !matching.excluding {
                modifiers += " \(matching.excluding ? "ignoring" : "on") (\(matching.labels.joined(separator: ", ")))"
            }
            return "\(l.text) \(op.rawValue)\(modifiers) \(r.text)"
        case .negate(let e, _): return "-\(e.text)"
        case .paren(let e, _): return "(\(e.text))"
        }
    }
}

/// Go's `%q` for the strings PromQL prints (label values, string literals).
package func goQuote(_ s: String) -> String { Quote.quoted(s, Quote.go) }
