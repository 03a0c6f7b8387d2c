import PrometheusModels
import PromQL
import Testing

@testable import MockPrometheus

/// Number formats as a real Prometheus 2.42 wrote them (recorded with curl against Debian's Prometheus).
@Suite("Go number formatting")
struct GoFormatTests {
    @Test("sample values in vectors and matrices: 'f', and 'e' below 1e-6 and from 1e21")
    func sampleValues() {
        let cases: [(Double, String)] = [
            (1.5e-7, "1.5e-07"), (1e21, "1e+21"), (123456789.123, "123456789.123"), (1e20, "100000000000000000000"),
            (0.1 + 0.2, "0.30000000000000004"), (-0.0, "-0"), (1, "1"), (1.1426999057377495e-21, "1.1426999057377495e-21"),
            (6.02e23, "6.02e+23"), (.nan, "NaN"), (.infinity, "+Inf"), (-.infinity, "-Inf"), (1795616001, "1795616001"),
        ]
        for (value, expected) in cases { #expect(GoFormat.sampleValue(value) == expected, "\(value)") }
    }

    @Test("scalar results use plain 'f' formatting")
    func scalars() {
        #expect(GoFormat.formatF(1.5e-7) == "0.00000015")
        #expect(GoFormat.formatF(1e22) == "10000000000000000000000")
        #expect(GoFormat.formatF(1795615200.5) == "1795615200.5")
    }

    @Test("alert values use 'e' formatting")
    func alertValues() {
        #expect(GoFormat.formatE(4.053219876) == "4.053219876e+00")
        #expect(GoFormat.formatE(0.11426999) == "1.1426999e-01")
        #expect(GoFormat.formatE(3) == "3e+00")
        #expect(GoFormat.formatE(0.05) == "5e-02")
        #expect(GoFormat.formatE(0.1142699905737749) == "1.142699905737749e-01")
    }

    @Test("{{ $value }} prints like Go's %v; %.4g rounds to four digits")
    func goFormats() {
        #expect(GoFormat.formatG(4.053219876) == "4.053219876")
        #expect(GoFormat.formatG(0.05) == "0.05")
        #expect(GoFormat.formatG(3) == "3")
        #expect(GoFormat.formatG(1e6) == "1e+06")
        #expect(GoFormat.formatG(123456) == "123456")
        #expect(GoFormat.formatG(0.0001) == "0.0001")
        #expect(GoFormat.formatG(0.00001) == "1e-05")
        #expect(GoFormat.formatG(11.426999, precision: 4) == "11.43")
        #expect(GoFormat.formatG(405.3219876, precision: 4) == "405.3")
        #expect(GoFormat.formatG(300, precision: 4) == "300")
        #expect(GoFormat.formatG(5.000000000000001, precision: 4) == "5")
        #expect(GoFormat.formatG(12345.6, precision: 4) == "1.235e+04")
        #expect(GoFormat.formatG(0.00012, precision: 4) == "0.00012")
    }

    @Test("timestamps: seconds with three-digit milliseconds when not whole")
    func timestamps() {
        #expect(GoFormat.timestamp(milliseconds: 1_700_000_000_000) == "1700000000")
        #expect(GoFormat.timestamp(milliseconds: 1_700_000_000_500) == "1700000000.500")
        #expect(GoFormat.timestamp(milliseconds: 1_700_000_001_020) == "1700000001.020")
        #expect(GoFormat.jsonNumber(1_795_615_200.5) == "1795615200.5")
        #expect(rfc3339Nano(milliseconds: 1_795_615_200_000) == "2026-11-25T14:00:00Z")
        #expect(rfc3339Nano(milliseconds: 1_795_615_200_250) == "2026-11-25T14:00:00.25Z")
    }
}
