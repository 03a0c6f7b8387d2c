import DashboardCore
import Foundation
import Testing

/// Grafana's unit catalog as lookout prints it: each case is a unit id, a value and what Grafana's scale and symbol
/// make of it (the number in lookout's three significant figures unless `decimals` is set).
@Suite("Grafana's units")
struct UnitCatalogTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var id: String
        var value: Double
        var decimals: Int?
        var expected: String
        var testDescription: String { "\(id) \(value)\(decimals.map { " decimals \($0)" } ?? "") → \(expected)" }
        init(_ id: String, _ value: Double, decimals: Int? = nil, _ expected: String) {
            self.id = id
            self.value = value
            self.decimals = decimals
            self.expected = expected
        }
    }

    static let cases: [Case] = [
        // bytes is IEC (1024), decbytes SI (1000); each scale step and its boundary.
        Case("bytes", 0, "0 B"), Case("bytes", 512, "512 B"), Case("bytes", 1023, "1023 B"), Case("bytes", 1024, "1.00 KiB"),
        Case("bytes", 27_165_577_216, "25.3 GiB"), Case("bytes", 1_099_511_627_776, "1.00 TiB"),
        Case("decbytes", 999, "999 B"), Case("decbytes", 1000, "1.00 kB"), Case("decbytes", 25_300_000_000, "25.3 GB"),
        Case("kbytes", 2048, "2.00 MiB"), Case("mbytes", 1536, "1.50 GiB"), Case("deckbytes", 1500, "1.50 MB"),
        // Bits and rates.
        Case("bits", 2048, "2.00 Kib"), Case("bps", 1_500_000, "1.50 Mb/s"), Case("binbps", 1024, "1.00 Kib/s"),
        Case("Bps", 12_500, "12.5 kB/s"), Case("binBps", 3_145_728, "3.00 MiB/s"), Case("pps", 4200, "4.20 kp/s"),
        Case("Mbits", 250, "250 Mb/s"),
        // Percent: percent is 0 to 100, percentunit 0 to 1.
        Case("percent", 45.26, "45.3 %"), Case("percent", 100, "100 %"), Case("percentunit", 0.114, "11.4 %"),
        Case("percent", 45.26, decimals: 0, "45 %"), Case("percentunit", 0.5, decimals: 2, "50.00 %"),
        // Times, each in the unit a person thinks in: ms is not 5.0k.
        Case("ms", 5000, "5.00 s"), Case("ms", 850, "850 ms"), Case("ns", 1500, "1.50 µs"), Case("µs", 250, "250 µs"),
        Case("s", 4.05, "4.05 s"), Case("s", 7200, "2.0 h"), Case("m", 3, "3.0 min"), Case("h", 50, "2.1 d"),
        Case("d", 1, "24.0 h"), Case("dtdurations", 90_061, "25.0 h"), Case("dtdurations", 200_000, "2.3 d"), Case("dtdurationms", 1500, "1.50 s"),
        // Counts per interval: ops is not req/s.
        Case("reqps", 48.2, "48.2 req/s"), Case("reqps", 1234, "1.2k req/s"), Case("ops", 1234, "1.2k ops/s"),
        Case("opm", 12, "12.0 ops/m"), Case("rpm", 3, "3.00 rd/m"), Case("iops", 250, "250 io/s"), Case("wps", 2, "2.00 wr/s"),
        // short: Grafana's K, Mil, Bil.
        Case("short", 999, "999"), Case("short", 1500, "1.50 K"), Case("short", 2_300_000, "2.30 Mil"), Case("short", 4e9, "4.00 Bil"),
        Case("none", 1234, "1.2k"), Case("none", 0.25, "0.25"), Case("none", 3.14159, decimals: 3, "3.142"),
        // Other scales and symbols.
        Case("hertz", 2_400_000_000, "2.40 GHz"), Case("celsius", 21.5, "21.5 °C"), Case("watt", 1500, "1.50 kW"),
        Case("bool", 0, "False"), Case("bool", 1, "True"), Case("bool_yes_no", 1, "Yes"), Case("bool_on_off", 0, "Off"),
        Case("dateTimeAsIso", 1_764_811_119_000, "2025-12-04 01:18:39"),
        // An id lookout does not know: a plain number.
        Case("currencyXYZ", 1234, "1.2k"),
    ]

    @Test(arguments: cases)
    func printsAsGrafanaScalesIt(_ c: Case) {
        #expect(ValueFormat.format(c.value, unit: Unit(grafana: c.id, decimals: c.decimals)) == c.expected)
    }

    @Test("dateTimeFromNow: a time ago, or to come")
    func dateTimeFromNow() {
        let now = Date(timeIntervalSince1970: 1_764_811_119)
        let unit = Unit(grafana: "dateTimeFromNow")
        #expect(ValueFormat.format((now.timeIntervalSince1970 - 3 * 3600) * 1000, unit: unit, now: now) == "3h ago")
        #expect(ValueFormat.format((now.timeIntervalSince1970 + 120) * 1000, unit: unit, now: now) == "in 2m")
    }

    @Test("NaN and infinities in any unit")
    func noNumber() {
        for id in ["bytes", "percent", "ms", "bool", "dateTimeAsIso"] {
            #expect(ValueFormat.format(.nan, unit: Unit(grafana: id)) == "–")
            #expect(ValueFormat.format(.infinity, unit: Unit(grafana: id)) == "+Inf")
        }
    }

    @Test("lookout's names in a file: req/s, percent (a ratio), seconds, none, and percent100 for Grafana's percent")
    func ownNames() {
        #expect(Unit(name: "req/s") == .requestsPerSecond && Unit.requestsPerSecond.name == "req/s")
        #expect(Unit(name: "percent") == .percent && Unit(name: "percent").id == "percentunit")
        #expect(Unit(name: "seconds") == .seconds && Unit(name: "none") == .none)
        #expect(Unit(name: "percent100").id == "percent" && Unit(grafana: "percent").name == "percent100")
        #expect(Unit(name: "bytes").id == "bytes" && Unit(grafana: "bytes").name == "bytes")
        #expect(!Unit(grafana: "currencyXYZ").isKnown && Unit(grafana: "GiBs").isKnown)
    }

    @Test("a unit from a file is sanitised and bounded")
    func hostileUnit() {
        let unit = Unit(grafana: "\u{1B}]0;pwned\u{07}" + String(repeating: "x", count: 500))
        #expect(!unit.id.contains("\u{1B}") && unit.id.count <= 40)
    }
}
