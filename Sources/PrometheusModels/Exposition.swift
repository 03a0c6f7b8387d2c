import FoundationEssentials
import Glibc
import SafeText

/// One sample of the Prometheus text exposition format (`/metrics`): a metric name, its labels and its value.
public struct ExpositionSample: Sendable, Equatable {
    public var name: String
    public var labels: Labels
    public var value: Double

    public init(name: String, labels: Labels = [:], value: Double) {
        self.name = name
        self.labels = labels
        self.value = value
    }
}

/// A reader of the text exposition format (`name{label="value",…} value [timestamp]`, `#` comments), for the
/// counters of Prometheus' and Alertmanager's own `/metrics`. Bounded: at most `maxSamples` samples and
/// `maxLineBytes` a line; a line it cannot read is counted and skipped, never fatal. Names and label values are
/// kept as sent (they are compared, not shown; what is shown goes through `SafeText`).
public enum Exposition {
    public static let maxSamples = 100_000
    public static let maxLineBytes = 16_384

    /// The samples, and how many lines could not be read (or were past the limits).
    public static func parse(_ text: String, maxSamples: Int = Exposition.maxSamples) -> (samples: [ExpositionSample], skipped: Int) {
        var samples: [ExpositionSample] = []
        var skipped = 0
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            let bytes = Array(line)
            guard let first = bytes.first(where: { $0 != 32 && $0 != 9 && $0 != 13 }), first != UInt8(ascii: "#") else { continue }
            guard bytes.count <= maxLineBytes, samples.count < maxSamples, let sample = sample(bytes) else {
                skipped += 1
                continue
            }
            samples.append(sample)
        }
        return (samples, skipped)
    }

    static func isNameStart(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c == 58 }
    static func isName(_ c: UInt8) -> Bool { isNameStart(c) || (c >= 48 && c <= 57) }

    /// One sample line, or nil when it is not one.
    static func sample(_ b: [UInt8]) -> ExpositionSample? {
        var i = 0
        func skipSpaces() { while i < b.count, b[i] == 32 || b[i] == 9 || b[i] == 13 { i += 1 } }
        func name() -> String? {
            guard i < b.count, isNameStart(b[i]) else { return nil }
            let start = i
            while i < b.count, isName(b[i]) { i += 1 }
            return String(decoding: b[start..<i], as: UTF8.self)
        }
        skipSpaces()
        guard let metric = name() else { return nil }
        var labels: Labels = [:]
        skipSpaces()
        if i < b.count, b[i] == UInt8(ascii: "{") {
            i += 1
            while true {
                skipSpaces()
                guard i < b.count else { return nil }
                if b[i] == UInt8(ascii: "}") {
                    i += 1
                    break
                }
                guard let label = name() else { return nil }
                skipSpaces()
                guard i < b.count, b[i] == UInt8(ascii: "=") else { return nil }
                i += 1
                skipSpaces()
                guard i < b.count, b[i] == UInt8(ascii: "\"") else { return nil }
                i += 1
                var value: [UInt8] = []
                var closed = false
                while i < b.count {
                    let c = b[i]
                    i += 1
                    if c == UInt8(ascii: "\\") {
                        guard i < b.count else { return nil }
                        let e = b[i]
                        i += 1
                        switch e {
                        case UInt8(ascii: "n"): value.append(10)
                        case UInt8(ascii: "\\"), UInt8(ascii: "\""): value.append(e)
                        default: value += [UInt8(ascii: "\\"), e]
                        }
                    } else if c == UInt8(ascii: "\"") {
                        closed = true
                        break
                    } else {
                        value.append(c)
                    }
                }
                guard closed, labels[label] == nil else { return nil }
                labels[label] = String(decoding: value, as: UTF8.self)
                skipSpaces()
                if i < b.count, b[i] == UInt8(ascii: ",") { i += 1 }
            }
        }
        skipSpaces()
        let start = i
        while i < b.count, b[i] != 32, b[i] != 9, b[i] != 13 { i += 1 }
        guard start < i, let value = number(String(decoding: b[start..<i], as: UTF8.self)) else { return nil }
        // An optional timestamp (milliseconds), then nothing.
        skipSpaces()
        if i < b.count {
            let t = i
            while i < b.count, b[i] != 32, b[i] != 9, b[i] != 13 { i += 1 }
            guard Int64(String(decoding: b[t..<i], as: UTF8.self)) != nil else { return nil }
            skipSpaces()
            guard i == b.count else { return nil }
        }
        return ExpositionSample(name: metric, labels: labels, value: value)
    }

    /// A sample value: a Go float, `+Inf`, `-Inf` or `NaN`.
    static func number(_ text: String) -> Double? {
        switch text {
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default:
            guard text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 101 || $0 == 69 || $0 == 43 || $0 == 45 }) else { return nil }
            return Double(text)
        }
    }

    /// The sum of a metric's samples whose labels include `matching` (nil when it has none).
    public static func sum(_ samples: [ExpositionSample], _ name: String, matching: Labels = [:]) -> Double? {
        let values = samples.filter { sample in sample.name == name && matching.allSatisfy { sample.labels[$0.key] == $0.value } }
            .map(\.value).filter(\.isFinite)
        return values.isEmpty ? nil : values.reduce(0, +)
    }
}
