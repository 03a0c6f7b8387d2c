import FoundationEssentials
import Glibc
import PrometheusModels
import SafeText

/// Grafana's unit catalog (`packages/grafana-data/src/valueFormats/categories.ts`), as lookout prints each unit in a
/// narrow column: the same scale and symbol (KiB for `bytes`, kB for `decbytes`, b/s for `bps`, % for `percent`),
/// numbers of three significant figures unless the panel sets `decimals`. lookout's own four (`reqps`,
/// `percentunit`, `s`, `none`) keep the forms its dashboards always had (`48.2 req/s`, `11.4 %`, `850 ms`).
enum UnitKind: Sendable, Equatable {
    /// A count per interval, with k/M/G/T: `1.2k ops/s`.
    case count(String)
    /// Decimal prefixes (k, M, G, …), the value first multiplied by 1000^`start`: `kB`, `Mb/s`.
    case si(String, start: Int)
    /// Binary prefixes (Ki, Mi, Gi, …), by 1024: `GiB`, `MiB/s`.
    case iec(String, start: Int)
    /// A time, the value in this many seconds: `850 ms`, `4.05 s`, `3.2 h`.
    case time(Double)
    /// A percent of 0 to 100 (`percent`), or of 0 to 1 (`percentunit`).
    case percent(Double)
    /// A number and a fixed symbol: `21.5 °C`, `3 dB`.
    case suffix(String)
    /// Grafana's `short`: ` K`, ` Mil`, ` Bil`, ` Tri`.
    case short
    /// Words for zero and for anything else: True/False, Yes/No, On/Off.
    case bool(String, String)
    /// Milliseconds since the epoch, as a date and time (UTC) or as a time ago.
    case dateTime(fromNow: Bool)
    /// Scientific notation: `1.23e+05`.
    case scientific
    /// A plain number (`none`, and ids lookout does not know).
    case plain

    static let catalog: [String: UnitKind] = {
        var c: [String: UnitKind] = ["none": .plain, "": .plain, "locale": .plain, "short": .short, "sci": .scientific]
        for (id, symbol) in [
            ("reqps", "req/s"), ("ops", "ops/s"), ("rps", "rd/s"), ("wps", "wr/s"), ("iops", "io/s"), ("cps", "c/s"),
            ("eps", "evt/s"), ("mps", "msg/s"), ("recps", "rec/s"), ("rowsps", "rows/s"), ("cpm", "c/m"), ("opm", "ops/m"),
            ("reqpm", "req/m"), ("rpm", "rd/m"), ("wpm", "wr/m"),
        ] { c[id] = .count(symbol) }
        for (id, symbol, start) in [
            ("decbytes", "B", 0), ("deckbytes", "B", 1), ("decmbytes", "B", 2), ("decgbytes", "B", 3), ("dectbytes", "B", 4),
            ("decbits", "b", 0), ("bps", "b/s", 0), ("Kbits", "b/s", 1), ("Mbits", "b/s", 2), ("Gbits", "b/s", 3),
            ("Bps", "B/s", 0), ("KBs", "B/s", 1), ("MBs", "B/s", 2), ("GBs", "B/s", 3), ("pps", "p/s", 0),
            ("hertz", "Hz", 0), ("watt", "W", 0), ("kwatt", "W", 1), ("volt", "V", 0), ("amp", "A", 0), ("watth", "Wh", 0),
            ("kwatth", "Wh", 1), ("voltamp", "VA", 0), ("joule", "J", 0),
        ] { c[id] = .si(symbol, start: start) }
        for (id, symbol, start) in [
            ("bytes", "B", 0), ("kbytes", "B", 1), ("mbytes", "B", 2), ("gbytes", "B", 3), ("tbytes", "B", 4),
            ("pbytes", "B", 5), ("bits", "b", 0), ("binBps", "B/s", 0), ("KiBs", "B/s", 1), ("MiBs", "B/s", 2),
            ("GiBs", "B/s", 3), ("binbps", "b/s", 0), ("Kibits", "b/s", 1), ("Mibits", "b/s", 2), ("Gibits", "b/s", 3),
        ] { c[id] = .iec(symbol, start: start) }
        for (id, seconds) in [
            ("ns", 1e-9), ("µs", 1e-6), ("us", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400),
            ("dtdurations", 1), ("dtdurationms", 1e-3), ("dthms", 1), ("dtdhms", 1), ("clocks", 1), ("clockms", 1e-3),
            ("timeticks", 0.01),
        ] { c[id] = .time(seconds) }
        c["percent"] = .percent(1)
        c["percentunit"] = .percent(100)
        for (id, symbol) in [
            ("celsius", "°C"), ("fahrenheit", "°F"), ("kelvin", "K"), ("dB", "dB"), ("humidity", "%H"), ("pixel", "px"),
            ("ppm", "ppm"), ("rotrpm", "rpm"), ("rothz", "Hz"), ("conmgm3", "mg/m³"), ("lengthm", "m"), ("lengthkm", "km"),
        ] { c[id] = .suffix(symbol) }
        c["bool"] = .bool("True", "False")
        c["bool_yes_no"] = .bool("Yes", "No")
        c["bool_on_off"] = .bool("On", "Off")
        c["dateTimeAsIso"] = .dateTime(fromNow: false)
        c["dateTimeAsIsoNoDateIfToday"] = .dateTime(fromNow: false)
        c["dateTimeAsSystem"] = .dateTime(fromNow: false)
        c["dateTimeAsUS"] = .dateTime(fromNow: false)
        c["dateTimeFromNow"] = .dateTime(fromNow: true)
        return c
    }()

    static func of(_ unit: Unit) -> UnitKind? { catalog[unit.id] }
}

extension ValueFormat {
    /// Whether the unit is in the catalog (else its values are plain numbers).
    public static func knows(_ unit: Unit) -> Bool { UnitKind.of(unit) != nil }

    /// `value` in `unit`; the unit's `decimals` (Grafana's field of that name) fix the digits after the point.
    /// `now` is for `dateTimeFromNow`.
    public static func format(_ value: Double, unit: Unit, now: Date = Date()) -> String {
        if value.isNaN { return "–" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        let decimals = unit.decimals
        func number(_ v: Double) -> String { decimals.map { fixed(v, $0) } ?? significant(v) }
        switch UnitKind.of(unit) ?? .plain {
        case .plain: return decimals.map { fixed(value, $0) } ?? compact(value)
        case .count(let symbol):
            let text = decimals == nil ? compact(value) : scaled(value, base: 1000, prefixes: ["", "k", "M", "G", "T", "P"], number)
            return text + " " + symbol
        case .si(let symbol, let start):
            let prefixes = ["", "k", "M", "G", "T", "P", "E", "Z", "Y"]
            return scaled(value, base: 1000, prefixes: Array(prefixes.dropFirst(min(start, 8))), number, separator: " ") + symbol
        case .iec(let symbol, let start):
            let prefixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"]
            return scaled(value, base: 1024, prefixes: Array(prefixes.dropFirst(min(start, 8))), number, separator: " ") + symbol
        case .time(let seconds):
            // In the unit a person thinks in (ms, s, min, h, d), whatever the unit of the value.
            return duration(value * seconds)
        case .percent(let factor):
            return (decimals.map { fixed(value * factor, $0) } ?? percent(value * factor)) + " %"
        case .suffix(let symbol): return number(value) + " " + symbol
        case .short:
            return scaled(value, base: 1000, prefixes: ["", " K", " Mil", " Bil", " Tri", " Quadr", " Quint"], number)
        case .bool(let yes, let no): return value == 0 ? no : yes
        case .scientific: return cFormat("%.\(decimals ?? 2)e", value)
        case .dateTime(let fromNow):
            let date = Date(timeIntervalSince1970: value / 1000)
            if fromNow {
                let ago = now.timeIntervalSince(date)
                return ago >= 0 ? age(ago) + " ago" : "in " + age(-ago)
            }
            // Grafana's ISO form, `2026-12-04 01:18:39`, in UTC.
            return String(RFC3339.format(date).prefix(19)).replacing("T", with: " ")
        }
    }

    /// Three significant figures at most, no prefix: `25.3`, `512`, `0.125`.
    static func significant(_ value: Double) -> String {
        let a = abs(value)
        if a == 0 { return "0" }
        if a >= 99.95 { return fixed(value, 0) }
        if a >= 9.995 { return fixed(value, 1) }
        if a >= 0.9995 { return fixed(value, 2) }
        if a >= 0.001 { return trimZeros(fixed(value, 3)) }
        return cFormat("%.2g", value)
    }

    /// The value divided by `base` until it is below it (or the prefixes run out), with the prefix it reached.
    static func scaled(
        _ value: Double, base: Double, prefixes: [String], _ number: (Double) -> String, separator: String = ""
    ) -> String {
        var v = value
        var index = 0
        while abs(v) >= base, index < prefixes.count - 1 {
            v /= base
            index += 1
        }
        // 1023.9 KiB printed as 1024 KiB would read as the next prefix's 1.
        if abs(v) >= base - 0.5, index < prefixes.count - 1, number(v).count > 3 {
            v /= base
            index += 1
        }
        let prefix = prefixes.isEmpty ? "" : prefixes[index]
        return number(v) + separator + prefix
    }
}
