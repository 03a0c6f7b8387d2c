import FoundationEssentials
import PromQL
import SafeText

/// A dashboard variable with Grafana's semantics for a Prometheus data source: its values come from a label's
/// values (`label_values(label)`, `label_values(selector, label)`, the selector's own variables resolved first), a
/// custom list, a constant or a text box; a `regex` keeps the values it matches. Its value is the one picked, else the
/// saved `current` when it is still offered, else the first value; All is `allValue` when set, else the
/// alternation of every value. In a query a value is escaped as Grafana escapes it (`Variable.format`).
public struct Variable: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable {
        /// The values of `label` (of the series `selector` selects, when given).
        case query
        /// `options`, as written.
        case custom
        /// `options[0]`, never offered.
        case constant
        /// Whatever is typed: `current`, else `options[0]`.
        case textbox
    }

    public var name: String
    /// The label whose values are offered; the name when not given.
    public var label: String
    /// `label_values(selector, label)`'s selector, which may use other variables.
    public var selector: String?
    public var kind: Kind
    /// A custom or constant variable's values.
    public var options: [String]
    /// The saved value(s) (Grafana's `current`), tried first; `All` for All.
    public var current: [String]
    /// Whether All is offered.
    public var includeAll: Bool
    /// What All stands for; nil: every value.
    public var allValue: String?
    /// Whether several values can be chosen (their alternation goes into the query).
    public var multi: Bool
    /// Only values this regex matches are offered (Grafana's `regex`, `/…/` optional; the values are kept whole).
    public var regex: String?

    /// lookout's own variable: the label's values, All first and standing for `.+`.
    public init(name: String, label: String? = nil) {
        self.init(name: name, label: label, kind: .query, current: [Self.all], includeAll: true, allValue: ".+")
    }

    public init(
        name: String, label: String? = nil, selector: String? = nil, kind: Kind, options: [String] = [], current: [String] = [],
        includeAll: Bool = false, allValue: String? = nil, multi: Bool = false, regex: String? = nil
    ) {
        self.name = name
        self.label = label ?? name
        self.selector = selector.flatMap { $0.trimmingSpaces().isEmpty ? nil : $0 }
        self.kind = kind
        self.options = options
        self.current = current
        self.includeAll = includeAll
        self.allValue = allValue
        self.multi = multi
        self.regex = regex.flatMap { $0.isEmpty ? nil : $0 }
    }

    public static let all = "All"

    /// lookout's own variable, as its YAML writes it (name and label only).
    public var isPlain: Bool { self == Variable(name: name, label: label) }

    /// The variables this one's selector uses.
    public func uses(_ others: [Variable]) -> [String] {
        guard let selector else { return [] }
        return others.filter { $0.name != name && Self.references(selector, $0.name) }.map(\.name)
    }

    /// Whether `text` uses `$name`, `${name…}` or `[[name…]]`.
    static func references(_ text: String, _ name: String) -> Bool {
        var found = false
        _ = scan(text) { candidate, _ in
            if candidate == name { found = true }
            return nil
        }
        return found
    }

    /// The variables in an order where each comes after those its selector uses (a cycle: in the declared order).
    public static func ordered(_ variables: [Variable]) -> [Variable] {
        var done: [Variable] = []
        var left = variables
        while !left.isEmpty {
            let ready = left.firstIndex { v in v.uses(variables).allSatisfy { used in done.contains { $0.name == used } } } ?? 0
            done.append(left.remove(at: ready))
        }
        return done
    }

    /// The values offered, from what the server answered (`answered`, for a query variable): the regex applied.
    public func offered(_ answered: [String]) -> [String] {
        let values: [String] = switch kind {
        case .query: answered
        case .custom: options
        case .constant, .textbox: []
        }
        guard let regex, let matcher = Self.matcher(regex) else { return values }
        return values.filter { matcher.matchesWhole($0) }
    }

    /// Grafana's `/pattern/flags` (or a bare pattern) as a search: a value is kept when the pattern matches within it.
    static func matcher(_ regex: String) -> LinearRegex? {
        var pattern = Substring(regex)
        var caseInsensitive = false
        if pattern.hasPrefix("/"), let end = pattern.lastIndex(of: "/"), end > pattern.startIndex {
            caseInsensitive = pattern[pattern.index(after: end)...].contains("i")
            pattern = pattern[pattern.index(after: pattern.startIndex)..<end]
        }
        return try? LinearRegex(".*(?:" + pattern + ").*", caseInsensitive: caseInsensitive)
    }

    /// The value(s) each variable stands for: the choice when it is All or offered (or nothing is known yet), else
    /// the saved current when offered, else the first value offered.
    public static func resolve(_ variables: [Variable], choices: [String: String], options: [String: [String]]) -> [String: Resolved] {
        var out: [String: Resolved] = [:]
        for v in variables {
            let offered = options[v.name] ?? v.offered([])
            out[v.name] = Resolved(variable: v, values: v.values(choice: choices[v.name], offered: offered, known: options[v.name] != nil), offered: offered)
        }
        return out
    }

    /// What `v` steps through: All (when offered) and the values.
    public func choices(offered: [String]) -> [String] {
        switch kind {
        case .constant: return options.prefix(1).map { $0 }
        case .textbox: return current.isEmpty ? options.prefix(1).map { $0 } : current
        default: return (includeAll ? [Self.all] : []) + offered
        }
    }

    func values(choice: String?, offered: [String], known: Bool) -> [String] {
        switch kind {
        case .constant: return Array(options.prefix(1))
        case .textbox: return choice.map { [$0] } ?? (current.isEmpty ? Array(options.prefix(1)) : current)
        case .query, .custom:
            let choices = self.choices(offered: offered)
            if let choice, choice == Self.all ? includeAll : (!known && kind == .query || choices.contains(choice)) { return [choice] }
            let saved = current.filter { $0 == Self.all ? includeAll : (!known && kind == .query || offered.contains($0)) }
            if !saved.isEmpty { return saved }
            return choices.first.map { [$0] } ?? []
        }
    }

    /// A variable's value(s) as resolved, with what it offers (for All).
    public struct Resolved: Sendable, Equatable {
        public var variable: Variable
        public var values: [String]
        public var offered: [String]

        public init(variable: Variable, values: [String], offered: [String]) {
            self.variable = variable
            self.values = values
            self.offered = offered
        }

        /// As the status bar shows it: `All`, `a`, `a + b`.
        public var display: String { values.isEmpty ? "–" : values.joined(separator: " + ") }
    }

    /// `text` with every `$name`, `${name}`, `${name:format}`, `[[name]]` of a known variable replaced: in a query as
    /// Grafana formats a Prometheus variable (`format`), in a legend or title (`display`) as the values read.
    public static func substitute(_ text: String, _ values: [String: Resolved], display: Bool = false) -> String {
        scan(text) { name, format in
            guard let resolved = values[name] else { return nil }
            return display ? resolved.display : Self.format(resolved, format)
        }
    }

    /// Grafana's formats for a Prometheus query: by default a single value of a variable without All or multi is
    /// escaped for a quoted string, else each value for a regex, several as `(a|b)`; All is `allValue` as written, or
    /// every value offered. `raw`, `regex`, `pipe`, `csv`, `glob`, `json`, `text` as Grafana's.
    public static func format(_ resolved: Resolved, _ format: String?) -> String {
        let v = resolved.variable
        let isAll = resolved.values == [all]
        if isAll, let allValue = v.allValue { return allValue }
        let values = isAll ? resolved.offered : resolved.values
        if isAll, values.isEmpty { return format == "raw" || format == nil && !v.multi && !v.includeAll ? "" : ".*" }
        switch format {
        case "raw": return values.joined(separator: ",")
        case "csv": return values.joined(separator: ",")
        case "pipe": return values.joined(separator: "|")
        case "text": return values.joined(separator: " + ")
        case "glob": return values.count == 1 ? values[0] : "{" + values.joined(separator: ",") + "}"
        case "json": return "[" + values.map { "\"" + $0.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\"" }.joined(separator: ",") + "]"
        case "regex":
            let escaped = values.map(regexEscape)
            return escaped.count == 1 ? escaped[0] : "(" + escaped.joined(separator: "|") + ")"
        default:
            if !v.multi && !v.includeAll { return quoteEscape(values.first ?? "") }
            let escaped = values.map { quoteEscape(regexEscape($0)) }
            return escaped.count == 1 ? escaped[0] : "(" + escaped.joined(separator: "|") + ")"
        }
    }

    /// Grafana's `prometheusRegularEscape`: a backslash and a quote, for a value inside a quoted string.
    static func quoteEscape(_ value: String) -> String {
        value.replacing("\\", with: "\\\\").replacing("'", with: "\\'").replacing("\"", with: "\\\"")
    }

    /// A regex's special characters escaped, so a value matches itself.
    static func regexEscape(_ value: String) -> String {
        var out = ""
        for c in value {
            if "\\$^*+?.()|{}[]".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// Calls `replace` for each `$name`, `${name}`, `${name:format}`, `[[name]]` and `[[name:format]]` in `text`;
    /// nil leaves it as written. Built-ins (`$__interval`) are names like any other.
    static func scan(_ text: String, _ replace: (String, String?) -> String?) -> String {
        // Most titles, legends and queries use none: nothing to look at.
        guard text.contains("$") || text.contains("[[") else { return text }
        var out = ""
        var i = text.startIndex
        func isName(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }
        while i < text.endIndex {
            let c = text[i]
            let next = text.index(after: i)
            if c == "$", next < text.endIndex {
                if text[next] == "{", let close = text[next...].firstIndex(of: "}") {
                    let inner = text[text.index(after: next)..<close]
                    let parts = inner.split(separator: ":", maxSplits: 1)
                    let name = String(parts.first ?? "")
                    if !name.isEmpty, name.allSatisfy(isName), let value = replace(name, parts.count > 1 ? String(parts[1]) : nil) {
                        out += value
                        i = text.index(after: close)
                        continue
                    }
                } else if isName(text[next]) {
                    var end = next
                    while end < text.endIndex, isName(text[end]) { end = text.index(after: end) }
                    if let value = replace(String(text[next..<end]), nil) {
                        out += value
                        i = end
                        continue
                    }
                }
            } else if c == "[", text[next...].hasPrefix("["), let close = text[next...].firstRange(of: "]]") {
                let inner = text[text.index(after: next)..<close.lowerBound]
                let parts = inner.split(separator: ":", maxSplits: 1)
                let name = String(parts.first ?? "")
                if !name.isEmpty, name.allSatisfy(isName), let value = replace(name, parts.count > 1 ? String(parts[1]) : nil) {
                    out += value
                    i = close.upperBound
                    continue
                }
            }
            out.append(c)
            i = next
        }
        return out
    }

    // A file's form: lookout's own variables as name and label; Grafana's fields when they differ.
    private enum CodingKeys: String, CodingKey { case name, label, selector, kind, options, current, includeAll, allValue, multi, regex }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decode(String.self, forKey: .name)
        let label = try c.decodeIfPresent(String.self, forKey: .label)
        guard let kind = try c.decodeIfPresent(Kind.self, forKey: .kind) else {
            self.init(name: name, label: label)
            return
        }
        self.init(
            name: name, label: label, selector: try c.decodeIfPresent(String.self, forKey: .selector), kind: kind,
            options: try c.decodeIfPresent([String].self, forKey: .options) ?? [],
            current: try c.decodeIfPresent([String].self, forKey: .current) ?? [],
            includeAll: try c.decodeIfPresent(Bool.self, forKey: .includeAll) ?? false,
            allValue: try c.decodeIfPresent(String.self, forKey: .allValue),
            multi: try c.decodeIfPresent(Bool.self, forKey: .multi) ?? false,
            regex: try c.decodeIfPresent(String.self, forKey: .regex))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(label, forKey: .label)
        guard !isPlain else { return }
        try c.encodeIfPresent(selector, forKey: .selector)
        try c.encode(kind, forKey: .kind)
        if !options.isEmpty { try c.encode(options, forKey: .options) }
        if !current.isEmpty { try c.encode(current, forKey: .current) }
        try c.encode(includeAll, forKey: .includeAll)
        try c.encodeIfPresent(allValue, forKey: .allValue)
        if multi { try c.encode(multi, forKey: .multi) }
        try c.encodeIfPresent(regex, forKey: .regex)
    }
}
