import FoundationEssentials
import Glibc

/// Double-quoted strings with backslash escapes, one implementation for every format lookout writes: Go's `%q` (as
/// PromQL and Prometheus print label values), YAML, JSON as Go's encoder writes it (the mock), and the Prometheus text
/// exposition format. They differ only in their rules.
public enum Quote {
    public struct Rules: Sendable {
        /// Characters written as a backslash and a letter: `"` → `\"`.
        public var named: [Unicode.Scalar: String]
        /// How another character is escaped, by its scalar value; nil keeps it as it is.
        public var other: @Sendable (Unicode.Scalar) -> String?

        public init(named: [Unicode.Scalar: String], other: @escaping @Sendable (Unicode.Scalar) -> String? = { _ in nil }) {
            self.named = named
            self.other = other
        }
    }

    static let basic: [Unicode.Scalar: String] = ["\"": "\\\"", "\\": "\\\\", "\n": "\\n"]

    static func isControl(_ s: Unicode.Scalar) -> Bool { s.value < 0x20 || s.value == 0x7F }

    /// Go's `strconv.Quote` for ASCII controls: `\x1b`.
    public static let go = Rules(named: basic.merging(["\t": "\\t", "\r": "\\r"]) { $1 }) {
        isControl($0) ? cFormat("\\x%02x", $0.value) : nil
    }

    /// YAML double-quoted scalars, safe to `cat`: controls as `\x1B`, C1 controls and bidi overrides as `\u202E`.
    public static let yaml = Rules(named: basic.merging(["\t": "\\t"]) { $1 }) {
        isControl($0) ? cFormat("\\x%02X", $0.value) : (SafeText.isPlain($0) ? nil : cFormat("\\u%04X", $0.value))
    }

    /// JSON as Go's `encoding/json` writes it: controls and the HTML-sensitive `<`, `>`, `&`, U+2028 and U+2029 as
    /// `\u003c`.
    public static let goJSON = Rules(named: basic.merging(["\t": "\\t", "\r": "\\r"]) { $1 }) {
        $0.value < 0x20 || ["<", ">", "&", "\u{2028}", "\u{2029}"].contains($0) ? cFormat("\\u%04x", $0.value) : nil
    }

    /// Label values of the Prometheus text exposition format: only `\`, `"` and newline are escaped.
    public static let exposition = Rules(named: basic)

    /// Appends `text` in double quotes, escaped by `rules`.
    public static func write(_ text: String, _ rules: Rules, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            if let named = rules.named[scalar] {
                out += named
            } else if let escaped = rules.other(scalar) {
                out += escaped
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// `text` in double quotes, escaped by `rules`.
    public static func quoted(_ text: String, _ rules: Rules) -> String {
        var out = ""
        write(text, rules, into: &out)
        return out
    }
}
