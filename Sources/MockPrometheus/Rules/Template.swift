import PromQL
import FoundationEssentials
import Glibc
import SafeText
import PrometheusModels

/// The part of Go's text/template that alert annotations use, rendered as Prometheus renders them:
/// `{{ $labels.service }}`, `{{ $value }}` (Go's `%v` of a float64: `4.053219876`, `1e+06`),
/// `{{ $value | humanizePercentage }}` (`11.43%`), `{{ humanize $value }}` (`114.3m`), `{{ printf "%.2f" $value }}`,
/// `{{ $labels.missing }}` (empty). Anything else renders as Prometheus' `<error expanding template: …>`.
public enum AlertTemplate {
    enum Value {
        case number(Double)
        case text(String)

        var rendered: String {
            switch self {
            case .number(let v): return GoFormat.formatG(v)
            case .text(let s): return s
            }
        }
    }

    struct TemplateError: Error {
        var message: String
    }

    /// Renders `template` for an alert whose expression produced `labels` (the sample's labels) and `value`.
    public static func render(_ template: String, labels: Labels, value: Double, name: String = "") -> String {
        do {
            return try expand(template, labels: labels, value: value)
        } catch {
            return "<error expanding template: error executing template __alert_\(name): \(error.message)>"
        }
    }

    private static func expand(_ template: String, labels: Labels, value: Double) throws(TemplateError) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstRange(of: "{{") {
            var text = rest[..<open.lowerBound]
            var body = rest[open.upperBound...]
            if body.hasPrefix("-") {
                while let last = text.last, last.isWhitespace { text = text.dropLast() }
                body = body.dropFirst()
            }
            out += text
            guard let close = body.firstRange(of: "}}") else { throw TemplateError(message: "unclosed action") }
            var action = body[..<close.lowerBound]
            rest = body[close.upperBound...]
            if action.hasSuffix("-") {
                action = action.dropLast()
                rest = rest.drop(while: \.isWhitespace)
            }
            out += try evaluate(String(action), labels: labels, value: value).rendered
        }
        return out + rest
    }

    /// Splits an action into words, keeping quoted strings whole.
    private static func words(_ text: String) throws(TemplateError) -> [String] {
        var result: [String] = []
        var current = ""
        var quote: Character?
        for ch in text {
            if let q = quote {
                current.append(ch)
                if ch == q { quote = nil }
            } else if ch == "\"" || ch == "`" {
                quote = ch
                current.append(ch)
            } else if ch == " " || ch == "\t" || ch == "\n" {
                if !current.isEmpty { result.append(current); current = "" }
            } else if ch == "|" {
                if !current.isEmpty { result.append(current); current = "" }
                result.append("|")
            } else {
                current.append(ch)
            }
        }
        if quote != nil { throw TemplateError(message: "unterminated quoted string") }
        if !current.isEmpty { result.append(current) }
        return result
    }

    private static func evaluate(_ action: String, labels: Labels, value: Double) throws(TemplateError) -> Value {
        let tokens = try words(action)
        var commands: [[String]] = [[]]
        for token in tokens {
            if token == "|" { commands.append([]) } else { commands[commands.count - 1].append(token) }
        }
        var piped: Value?
        for command in commands {
            guard let head = command.first else { throw TemplateError(message: "missing command") }
            if command.count == 1, piped == nil, !isFunction(head) {
                piped = try operand(head, labels: labels, value: value)
                continue
            }
            var arguments = try command.dropFirst().map { (word: String) throws(TemplateError) -> Value in
                try operand(word, labels: labels, value: value)
            }
            if let piped { arguments.append(piped) }
            piped = try call(head, arguments)
        }
        return piped ?? .text("")
    }

    private static func isFunction(_ word: String) -> Bool {
        ["humanize", "humanizePercentage", "humanizeDuration", "printf", "toUpper", "toLower", "title"].contains(word)
    }

    private static func operand(_ word: String, labels: Labels, value: Double) throws(TemplateError) -> Value {
        if word == "$value" || word == ".Value" { return .number(value) }
        for prefix in ["$labels.", ".Labels."] where word.hasPrefix(prefix) {
            return .text(labels[String(word.dropFirst(prefix.count))] ?? "")
        }
        for prefix in ["$externalLabels.", ".ExternalLabels."] where word.hasPrefix(prefix) { return .text("") }
        if word == "$externalURL" || word == ".ExternalURL" { return .text("") }
        if word.count >= 2, let first = word.first, first == "\"" || first == "`", word.last == first {
            return .text(String(word.dropFirst().dropLast()).replacing("\\\"", with: "\""))
        }
        if let number = Double(word) { return .number(number) }
        throw TemplateError(message: "unsupported template expression \(goQuote(word))")
    }

    private static func number(_ value: Value) throws(TemplateError) -> Double {
        switch value {
        case .number(let v): return v
        case .text(let s):
            guard let v = Double(s) else { throw TemplateError(message: "can't convert \(goQuote(s)) to float") }
            return v
        }
    }

    private static func call(_ name: String, _ arguments: [Value]) throws(TemplateError) -> Value {
        switch name {
        case "humanize":
            guard arguments.count == 1 else { throw TemplateError(message: "wrong number of args for humanize") }
            return .text(humanize(try number(arguments[0])))
        case "humanizePercentage":
            guard arguments.count == 1 else { throw TemplateError(message: "wrong number of args for humanizePercentage") }
            return .text(GoFormat.formatG(try number(arguments[0]) * 100, precision: 4) + "%")
        case "humanizeDuration":
            guard arguments.count == 1 else { throw TemplateError(message: "wrong number of args for humanizeDuration") }
            return .text(humanizeDuration(try number(arguments[0])))
        case "toUpper", "toLower", "title":
            guard arguments.count == 1 else { throw TemplateError(message: "wrong number of args for \(name)") }
            let text = arguments[0].rendered
            return .text(name == "toUpper" ? text.uppercased() : (name == "toLower" ? text.lowercased() : text.capitalized))
        case "printf":
            guard case .text(let format)? = arguments.first else { throw TemplateError(message: "printf needs a format") }
            return .text(try printf(format, Array(arguments.dropFirst())))
        default:
            throw TemplateError(message: "function \(goQuote(name)) not defined")
        }
    }

    /// Prometheus' `humanizeDuration`: `1d 2h 10m 0s`, `5m 3s`, `30.5s`, `250ms`.
    static func humanizeDuration(_ input: Double) -> String {
        var v = input
        if v.isNaN || v.isInfinite { return GoFormat.formatG(v, precision: 4) }
        if v == 0 { return GoFormat.formatG(v, precision: 4) + "s" }
        if abs(v) >= 1 {
            let sign = v < 0 ? "-" : ""
            v = abs(v)
            let total = Int64(min(v, 9.2e18))
            let (seconds, minutes, hours, days) = (total % 60, total / 60 % 60, total / 3600 % 24, total / 86_400)
            if days != 0 { return "\(sign)\(days)d \(hours)h \(minutes)m \(seconds)s" }
            if hours != 0 { return "\(sign)\(hours)h \(minutes)m \(seconds)s" }
            if minutes != 0 { return "\(sign)\(minutes)m \(seconds)s" }
            return sign + GoFormat.formatG(v, precision: 4) + "s"
        }
        var prefix = ""
        for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if abs(v) >= 1 { break }
            prefix = p
            v *= 1000
        }
        return GoFormat.formatG(v, precision: 4) + prefix + "s"
    }

    /// Prometheus' `humanize`: SI prefixes, four significant digits.
    static func humanize(_ input: Double) -> String {
        var v = input
        if v == 0 || v.isNaN || v.isInfinite { return GoFormat.formatG(v, precision: 4) }
        var prefix = ""
        if abs(v) >= 1 {
            for p in ["k", "M", "G", "T", "P", "E", "Z", "Y"] {
                if abs(v) < 1000 { break }
                prefix = p
                v /= 1000
            }
        } else {
            for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
                if abs(v) >= 1 { break }
                prefix = p
                v *= 1000
            }
        }
        return GoFormat.formatG(v, precision: 4) + prefix
    }

    /// `printf` with `%s`, `%v`, `%d`, `%f`/`%.Nf`, `%g`/`%.Ng` and `%%`.
    private static func printf(_ format: String, _ arguments: [Value]) throws(TemplateError) -> String {
        var out = ""
        var remaining = arguments[...]
        var chars = Substring(format)
        while let ch = chars.first {
            chars = chars.dropFirst()
            guard ch == "%" else { out.append(ch); continue }
            var precision: Int?
            if chars.first == "." {
                chars = chars.dropFirst()
                let digits = chars.prefix { $0.isNumber }
                precision = Int(digits)
                chars = chars.dropFirst(digits.count)
            }
            guard let verb = chars.first else { throw TemplateError(message: "bad printf format") }
            chars = chars.dropFirst()
            if verb == "%" { out.append("%"); continue }
            guard let argument = remaining.popFirst() else { out += "%!\(verb)(MISSING)"; continue }
            switch verb {
            case "s", "v": out += argument.rendered
            case "d": out += String(Int(saturating: try number(argument)))
            case "f": out += cFormat("%.\(precision ?? 6)f", try number(argument))
            case "g": out += precision.map { GoFormat.formatG(argValue(argument), precision: $0) } ?? argument.rendered
            default: throw TemplateError(message: "unsupported printf verb %\(verb)")
            }
        }
        return out
    }

    private static func argValue(_ value: Value) -> Double {
        if case .number(let v) = value { return v }
        return .nan
    }
}
