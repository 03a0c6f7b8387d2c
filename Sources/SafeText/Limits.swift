/// The documented bounds on untrusted input (README, "Reliability"). Every limit that is hit is reported in one line
/// that names the file or URL and the limit.
public enum InputLimits {
    /// A label name or value in text outputs (snapshot text, the TUI); JSON keeps the whole value.
    public static let labelCharacters = 256
    /// An annotation, an error message or a warning in text outputs (2 KB); JSON keeps the whole text.
    public static let messageCharacters = 2048
    /// Warnings kept per answer; the rest are counted.
    public static let warningsPerAnswer = 16
    /// An answer of the Prometheus or Alertmanager API, after decompression.
    public static let answerBytes = 64 << 20
    /// The most of a server's own `/metrics` read for the pipeline's checks.
    public static let metricsBytes = 8 << 20
    /// A dashboard YAML file.
    public static let dashboardFileBytes = 1 << 20
    /// A theme YAML file.
    public static let themeFileBytes = 256 << 10
    /// A Grafana dashboard JSON file.
    public static let grafanaFileBytes = 4 << 20
    /// A token or password file.
    public static let secretFileBytes = 64 << 10
    /// Panels (rows included), targets per panel and variables of a dashboard. Only the panels on screen and a
    /// screen above and below are asked for, so a thousand cost what a screenful does.
    public static let panels = 1000
    public static let targetsPerPanel = 16
    public static let variables = 16
    /// Values one variable offers (a label's values; the rest is not offered).
    public static let variableValues = 10_000
    /// Nodes of a YAML document (aliases count each time they are used), so an alias fan-out cannot expand.
    public static let yamlNodes = 50_000
}

extension SafeText {
    /// Sanitises, redacts (`Redaction`) and cuts `text` to at most `limit` characters, the last being `…` when cut.
    /// The work is bounded by `limit`, not by the length of `text`: only a prefix of it is looked at.
    public static func clip(_ text: String, _ limit: Int) -> String {
        let limit = max(1, limit)
        // A character is at most a few scalars in practice; look at a bounded prefix so a 100 KB value costs little.
        let scalars = text.unicodeScalars
        let window = limit * 8 + 64
        var end = scalars.startIndex
        var taken = 0
        while end != scalars.endIndex, taken < window {
            scalars.formIndex(after: &end)
            taken += 1
        }
        let cutScalars = end != scalars.endIndex
        let safe = Redaction.redact(sanitize(String(scalars[scalars.startIndex..<end])))
        var count = 0
        var index = safe.startIndex
        while index != safe.endIndex, count < limit {
            safe.formIndex(after: &index)
            count += 1
        }
        if index == safe.endIndex && !cutScalars { return safe }
        return String(safe[safe.startIndex..<index].dropLast()) + "…"
    }

    /// A label or annotation set with its keys and values sanitised. Two keys that become one after sanitising
    /// (`severity` and `severity` + U+200E) are kept apart: the one whose raw key sorts first keeps the name, each
    /// other gets a visible suffix (`severity~2`). Never traps, whatever the input.
    public static func sanitizeKeys(_ labels: [String: String]) -> [String: String] {
        var out: [String: String] = [:]
        out.reserveCapacity(labels.count)
        for (key, value) in labels.sorted(by: { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }) {
            let base = sanitize(key)
            var name = base
            var n = 2
            while out[name] != nil {
                name = "\(base)~\(n)"
                n += 1
            }
            out[name] = sanitize(value)
        }
        return out
    }

    /// JSON text made safe for a terminal: C0, C1, DEL and bidi controls anywhere in it are written as `\uXXXX`.
    /// JSONEncoder already escapes C0 inside strings; C1, DEL and bidi controls it leaves raw. Outside strings a
    /// JSON text has only ASCII structure, so each such scalar is inside a string and the escape keeps it valid.
    public static func escapeJSON(_ json: String) -> String {
        if json.unicodeScalars.allSatisfy({ $0.value == 0x0A || isPlain($0) }) { return json }
        var out = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            if scalar.value == 0x0A || isPlain(scalar) {
                out.append(scalar)
            } else {
                let hex = String(scalar.value, radix: 16, uppercase: false)
                for s in "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex { out.append(contentsOf: s.unicodeScalars) }
            }
        }
        return String(out)
    }
}
