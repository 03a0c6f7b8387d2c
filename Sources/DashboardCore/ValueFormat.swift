import FoundationEssentials
import Glibc
import SafeText

/// Short, unit-aware numbers for narrow columns: `48.2 req/s`, `1.2k req/s`, `11.4 %`, `850 ms`, `4.05 s`,
/// `25.3 GiB` (the units: `UnitCatalog.swift`).
/// NaN (no defined value) is `–`; infinities are `+Inf` / `-Inf`.
public enum ValueFormat {
    /// Three significant figures at most, with k/M/G/T above a thousand.
    public static func compact(_ value: Double) -> String {
        let a = abs(value)
        if a >= 1000 {
            let suffixes = ["k", "M", "G", "T", "P"]
            var scaled = value / 1000
            var index = 0
            while abs(scaled) >= 999.5, index < suffixes.count - 1 {
                scaled /= 1000
                index += 1
            }
            let digits = abs(scaled) >= 99.95 ? 0 : 1
            return fixed(scaled, digits) + suffixes[index]
        }
        return significant(value)
    }

    static func percent(_ p: Double) -> String {
        let a = abs(p)
        if a == 0 { return "0" }
        if a >= 99.95 { return fixed(p, 0) }
        if a >= 0.995 { return fixed(p, 1) }
        if a >= 0.01 { return fixed(p, 2) }
        return cFormat("%.1g", p)
    }

    static func duration(_ seconds: Double) -> String {
        let a = abs(seconds)
        if a == 0 { return "0 s" }
        // Ages (a backup's, a scrape's) read in the unit one thinks in.
        if a >= 2 * 86_400 { return fixed(seconds / 86_400, 1) + " d" }
        if a >= 2 * 3600 { return fixed(seconds / 3600, 1) + " h" }
        if a >= 120 { return fixed(seconds / 60, 1) + " min" }
        if a >= 59.95 { return fixed(seconds, 0) + " s" }
        if a >= 9.995 { return fixed(seconds, 1) + " s" }
        if a >= 0.9995 { return fixed(seconds, 2) + " s" }
        let ms = seconds * 1000
        if abs(ms) >= 1 { return compact(ms) + " ms" }
        return compact(ms * 1000) + " µs"
    }

    static func fixed(_ value: Double, _ digits: Int) -> String {
        cFormat("%.\(digits)f", value)
    }

    static func trimZeros(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var t = Substring(text)
        while t.hasSuffix("0") { t = t.dropLast() }
        if t.hasSuffix(".") { t = t.dropLast() }
        return String(t)
    }

    /// How long ago, in one short word: `45s`, `12m`, `3h`, `2d`.
    public static func age(_ seconds: TimeInterval) -> String {
        let s = max(0, Int(saturating: seconds))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h" }
        return "\(s / 86_400)d"
    }

    /// A range as its flag is written: `5m`, `1h`, `7d`.
    public static func rangeLabel(_ seconds: TimeInterval) -> String {
        let s = Int(saturating: seconds)
        if s < 0 { return s == Int.min ? "-" : "-" + rangeLabel(Double(-s)) }
        if s == 0 { return "0s" }
        // The largest unit and the next one when it is not zero: 7m30s, 1h30m, 1d6h, 1d (a label; what a smaller
        // unit would add is left out).
        let units: [(size: Int, name: String)] = [(86_400, "d"), (3600, "h"), (60, "m"), (1, "s")]
        guard let first = units.firstIndex(where: { s >= $0.size }) else { return "\(s)s" }
        var label = "\(s / units[first].size)\(units[first].name)"
        if first + 1 < units.count {
            let next = units[first + 1]
            let n = (s % units[first].size) / next.size
            if n > 0 { label += "\(n)\(next.name)" }
        }
        return label
    }

    /// Parses `30s`, `5m`, `1h`, `7d`, `2w` (and a plain number of seconds).
    public static func parseDuration(_ text: String) -> TimeInterval? {
        let t = text.trimmingSpaces()
        guard let last = t.last else { return nil }
        let factors: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        let (number, factor): (Substring, Double) = last.isNumber ? (Substring(t), 1) : (t.dropLast(), factors[last] ?? -1)
        guard factor > 0, let n = Double(number), n.isFinite, n > 0 else { return nil }
        return n * factor
    }
}
