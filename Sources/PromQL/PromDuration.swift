/// Prometheus durations: `1y2w3d4h5m6s7ms`, units in that order, each at most once.
public enum PromDuration {
    package static let units: [(String, Int64)] = [
        ("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000),
        ("s", 1000), ("ms", 1),
    ]

    /// Milliseconds, or nil for bad syntax or an overflow.
    public static func parse(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        var i = 0
        var total: Int64 = 0
        var lastUnit = -1
        while i < bytes.count {
            var number: Int64 = 0
            let start = i
            while i < bytes.count, Lexer.isDigit(bytes[i]) {
                let (times, o1) = number.multipliedReportingOverflow(by: 10)
                let (plus, o2) = times.addingReportingOverflow(Int64(bytes[i] - 48))
                if o1 || o2 { return nil }
                number = plus
                i += 1
            }
            guard i > start else { return nil }
            var unit = ""
            while i < bytes.count, Lexer.isAlpha(bytes[i]) {
                unit.append(Character(Unicode.Scalar(bytes[i])))
                i += 1
            }
            guard let index = units.firstIndex(where: { $0.0 == unit }), index > lastUnit else { return nil }
            lastUnit = index
            let (scaled, o3) = number.multipliedReportingOverflow(by: units[index].1)
            let (sum, o4) = total.addingReportingOverflow(scaled)
            if o3 || o4 { return nil }
            total = sum
        }
        return lastUnit >= 0 ? total : nil
    }

    /// Prometheus' `model.Duration.String()`: `5m`, `1h30m`, `1d`, `0s`.
    public static func format(milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        var rest = milliseconds
        var out = ""
        for (unit, size) in units where rest >= size {
            out += "\(rest / size)\(unit)"
            rest %= size
        }
        return out
    }
}
