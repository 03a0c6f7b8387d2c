import SafeText
import PromQL
import FoundationEssentials
import Glibc

/// A JSON value written the way Prometheus (Go) writes it: keys in the given order, numbers as given (already
/// formatted), and `<`, `>`, `&` escaped as `\u003c`, `\u003e`, `\u0026`.
indirect enum JSON {
    case object([(String, JSON)])
    case array([JSON])
    case string(String)
    /// A number, already formatted.
    case number(String)
    case bool(Bool)
    case null

    static func labels(_ labels: [String: String]) -> JSON {
        .object(labels.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
    }

    var serialized: String {
        var out = ""
        write(into: &out)
        return out
    }

    func write(into out: inout String) {
        switch self {
        case .object(let members):
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                JSON.writeString(key, into: &out)
                out += ":"
                value.write(into: &out)
            }
            out += "}"
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .string(let s): JSON.writeString(s, into: &out)
        case .number(let n): out += n
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        }
    }

    static func writeString(_ s: String, into out: inout String) { Quote.write(s, Quote.goJSON, into: &out) }
}

/// Go's `time.RFC3339Nano` of a time in milliseconds: `2026-11-25T14:42:30Z`, `2026-11-25T14:42:30.5Z`.
func rfc3339Nano(milliseconds: Int64) -> String {
    var seconds = time_t(milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000)
    let fraction = milliseconds - Int64(seconds) * 1000
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func pad(_ n: Int32, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
    var out = "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
        + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))"
    if fraction > 0 {
        var digits = pad(Int32(fraction), 3)
        while digits.hasSuffix("0") { digits.removeLast() }
        out += "." + digits
    }
    return out + "Z"
}
