import FoundationEssentials
import Glibc
import SafeText

/// Number formatting as Go's `strconv` and `fmt` do it, so that the mock's answers read exactly like Prometheus':
/// sample values (`"0.1"`, `"1.5e-07"`, `"+Inf"`), alert values (`"1.142699905737749e-01"`), `{{ $value }}` in
/// templates (`4.053219876`, `1e+06`) and `humanizePercentage` (`11.43%`).
public enum GoFormat {
    /// The shortest decimal digits that round-trip `value` (finite, not zero) and the position of the decimal point:
    /// `value = 0.d₁d₂… × 10^point`.
    package static func shortestDigits(_ value: Double) -> (digits: [UInt8], point: Int) {
        digits(of: abs(value).description)
    }

    /// Digits and decimal point of a Swift or C rendering such as `"123.45"`, `"1.5e-07"` or `"1.143e+01"`.
    private static func digits(of text: String) -> (digits: [UInt8], point: Int) {
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits: [UInt8] = []
        var point: Int?
        for ch in mantissa.utf8 {
            if ch == UInt8(ascii: ".") {
                point = digits.count
            } else if ch >= 48, ch <= 57 {
                digits.append(ch - 48)
            }
        }
        var dp = (point ?? digits.count) + exponent
        // Strip leading zeros (moving the point) and trailing zeros.
        var lead = 0
        while lead < digits.count - 1, digits[lead] == 0 {
            lead += 1
            dp -= 1
        }
        digits.removeFirst(lead)
        while digits.count > 1, digits.last == 0 { digits.removeLast() }
        if digits == [0] { dp = 1 }
        return (digits, dp)
    }

    private static func special(_ value: Double) -> String? {
        if value.isNaN { return "NaN" }
        if value == .infinity { return "+Inf" }
        if value == -.infinity { return "-Inf" }
        return nil
    }

    private static func sign(_ value: Double) -> String { value.sign == .minus ? "-" : "" }

    /// `%f` layout of digits: `digits` with the point at `point`, padded with zeros.
    private static func fixed(_ digits: [UInt8], _ point: Int, fraction: Int? = nil) -> String {
        var out = ""
        if point <= 0 {
            out = "0"
        } else {
            for i in 0..<point { out.append(i < digits.count ? Character(String(digits[i])) : "0") }
        }
        let fractionDigits = fraction ?? max(0, digits.count - point)
        if fractionDigits > 0 {
            out.append(".")
            for i in 0..<fractionDigits {
                let index = point + i
                out.append(index >= 0 && index < digits.count ? Character(String(digits[index])) : "0")
            }
        }
        return out
    }

    /// `%e` layout: `d.ddde±XX` (at least two exponent digits).
    private static func exponential(_ digits: [UInt8], _ point: Int) -> String {
        guard let first = digits.first else { return "0e+00" }
        var out = String(first)
        if digits.count > 1 {
            out.append(".")
            out += digits.dropFirst().map(String.init).joined()
        }
        let exp = point - 1
        let magnitude = String(abs(exp))
        out += (exp < 0 ? "e-" : "e+") + (magnitude.count < 2 ? "0" + magnitude : magnitude)
        return out
    }

    /// `strconv.FormatFloat(v, 'f', -1, 64)`: `"0.00000015"`, `"10000000000000000000000"`.
    public static func formatF(_ value: Double) -> String {
        if let s = special(value) { return s }
        if value == 0 { return sign(value) + "0" }
        let (d, p) = shortestDigits(value)
        return sign(value) + fixed(d, p)
    }

    /// `strconv.FormatFloat(v, 'e', -1, 64)`: `"1.142699905737749e-01"`, `"3e+00"`.
    public static func formatE(_ value: Double) -> String {
        if let s = special(value) { return s }
        if value == 0 { return sign(value) + "0e+00" }
        let (d, p) = shortestDigits(value)
        return sign(value) + exponential(d, p)
    }

    /// `strconv.FormatFloat(v, 'g', -1, 64)`, which is also what `fmt.Sprint` prints for a float64: `"4.053219876"`,
    /// `"1e+06"`, `"1e-05"`, `"0.0001"`.
    public static func formatG(_ value: Double) -> String {
        if let s = special(value) { return s }
        if value == 0 { return sign(value) + "0" }
        let (d, p) = shortestDigits(value)
        let exp = p - 1
        if exp < -4 || exp >= 6 { return sign(value) + exponential(d, p) }
        return sign(value) + fixed(d, p)
    }

    /// `fmt.Sprintf("%.<precision>g", v)`: `%.4g` of 11.426999 is `"11.43"`, of 300 `"300"`.
    public static func formatG(_ value: Double, precision: Int) -> String {
        if let s = special(value) { return s }
        let precision = max(1, min(precision, 30))
        if value == 0 { return sign(value) + "0" }
        let (d, p) = digits(of: cFormat("%.\(precision - 1)e", abs(value)))
        let exp = p - 1
        if exp < -4 || exp >= precision { return sign(value) + exponential(d, p) }
        return sign(value) + fixed(d, p)
    }

    /// A sample value as Prometheus' JSON API writes it: `'f'` formatting, `'e'` below 1e-6 and from 1e21 on.
    public static func sampleValue(_ value: Double) -> String {
        if let s = special(value) { return s }
        let magnitude = abs(value)
        if magnitude != 0, magnitude < 1e-6 || magnitude >= 1e21 { return formatE(value) }
        return formatF(value)
    }

    /// A timestamp in milliseconds as Prometheus writes it in vectors and matrices: `1700000000`, `1700000000.500`.
    public static func timestamp(milliseconds t: Int64) -> String {
        let negative = t < 0
        let magnitude = t.magnitude
        var out = negative ? "-" : ""
        out += String(magnitude / 1000)
        let fraction = magnitude % 1000
        if fraction != 0 {
            let digits = String(fraction)
            out += "." + String(repeating: "0", count: 3 - digits.count) + digits
        }
        return out
    }

    /// A float64 as Go's `encoding/json` writes it (scalar and string results carry their timestamp this way).
    public static func jsonNumber(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let magnitude = abs(value)
        if magnitude != 0, magnitude < 1e-6 || magnitude >= 1e21 {
            // encoding/json: 'e' format with a one-digit exponent where Go would write two ("1e-07" → "1e-7").
            let text = formatE(value)
            return text.replacing("e-0", with: "e-").replacing("e+0", with: "e+")
        }
        return formatF(value)
    }
}
