import FoundationEssentials
import Glibc
import SafeText

/// Label set of a series, as Prometheus sends it (`metric` / `labels` objects).
public typealias Labels = [String: String]

/// Parses a Prometheus sample value. Prometheus sends values as strings so that NaN and the infinities survive
/// JSON: `"1.5"`, `"NaN"`, `"+Inf"`, `"-Inf"`, `"1.1426999057377495e-01"`.
public enum SampleValue {
    public static func parse(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default: return Double(text)
        }
    }

    /// The inverse of `parse`, in the form Prometheus writes.
    public static func format(_ value: Double) -> String {
        // strconv.FormatFloat(v, 'f', -1, 64), as Prometheus writes sample values: "1", not "1.0".
        GoFormat.formatF(value)
    }
}

/// One `[timestamp, "value"]` pair. Timestamps are float seconds since the epoch.
public struct SamplePair: Sendable, Equatable, Codable {
    public var timestamp: Double
    public var value: Double

    public init(timestamp: Double, value: Double) {
        self.timestamp = timestamp
        self.value = value
    }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        timestamp = try container.decode(Double.self)
        let text = try container.decode(String.self)
        guard let value = SampleValue.parse(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "sample value \"\(text.prefix(40))\" is not a number")
        }
        self.value = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(timestamp)
        try container.encode(SampleValue.format(value))
    }
}

/// An element of an instant vector.
public struct Sample: Sendable, Equatable, Codable {
    public var metric: Labels
    public var value: SamplePair

    public init(metric: Labels, value: SamplePair) {
        self.metric = metric
        self.value = value
    }
}

/// A series of a range vector (matrix). Steps without data are absent, not null: a series can start or stop
/// mid-range, and gaps stay gaps. Decoded points are put in order of time (a server may send them out of order),
/// points with the same timestamp are one (the last sent wins), and a point whose time is not a finite number is
/// dropped: "last" is then always the newest sample.
public struct SampleStream: Sendable, Equatable, Codable {
    public var metric: Labels
    public var values: [SamplePair]

    public init(metric: Labels, values: [SamplePair]) {
        self.metric = metric
        self.values = values
    }

    private enum CodingKeys: String, CodingKey { case metric, values }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metric = try c.decodeIfPresent(Labels.self, forKey: .metric) ?? [:]
        values = Self.ordered(try c.decodeIfPresent([SamplePair].self, forKey: .values) ?? [])
    }

    /// Points sorted by time, one per timestamp (the last sent), finite timestamps only.
    public static func ordered(_ points: [SamplePair]) -> [SamplePair] {
        var sorted = true
        var previous = -Double.infinity
        for p in points {
            if !p.timestamp.isFinite || p.timestamp <= previous { sorted = false; break }
            previous = p.timestamp
        }
        if sorted { return points }
        // A stable sort keeps the order sent among equal timestamps, so the last sent can win.
        let kept = points.enumerated().filter { $0.element.timestamp.isFinite }
            .sorted { ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset) }.map(\.element)
        var out: [SamplePair] = []
        out.reserveCapacity(kept.count)
        for p in kept {
            if let last = out.last, last.timestamp == p.timestamp { out[out.count - 1] = p } else { out.append(p) }
        }
        return out
    }
}

/// A `string` result: `[timestamp, "text"]`.
public struct StringSample: Sendable, Equatable, Codable {
    public var timestamp: Double
    public var value: String

    public init(timestamp: Double, value: String) {
        self.timestamp = timestamp
        self.value = value
    }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        timestamp = try container.decode(Double.self)
        value = try container.decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(timestamp)
        try container.encode(value)
    }
}

/// The `data` of `/api/v1/query` and `/api/v1/query_range`.
public enum QueryResult: Sendable, Equatable, Codable {
    case vector([Sample])
    case matrix([SampleStream])
    case scalar(SamplePair)
    case string(StringSample)

    private enum CodingKeys: String, CodingKey { case resultType, result }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .resultType)
        switch type {
        case "vector": self = .vector(try container.decode([Sample].self, forKey: .result))
        case "matrix": self = .matrix(try container.decode([SampleStream].self, forKey: .result))
        case "scalar": self = .scalar(try container.decode(SamplePair.self, forKey: .result))
        case "string": self = .string(try container.decode(StringSample.self, forKey: .result))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .resultType, in: container, debugDescription: "unknown resultType \"\(type.prefix(40))\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .vector(let v):
            try container.encode("vector", forKey: .resultType)
            try container.encode(v, forKey: .result)
        case .matrix(let m):
            try container.encode("matrix", forKey: .resultType)
            try container.encode(m, forKey: .result)
        case .scalar(let s):
            try container.encode("scalar", forKey: .resultType)
            try container.encode(s, forKey: .result)
        case .string(let s):
            try container.encode("string", forKey: .resultType)
            try container.encode(s, forKey: .result)
        }
    }

    /// Every result as series: a vector's samples become one-point streams, a scalar a label-less stream.
    public var streams: [SampleStream] {
        switch self {
        case .matrix(let m): return m
        case .vector(let v): return v.map { SampleStream(metric: $0.metric, values: [$0.value]) }
        case .scalar(let s): return [SampleStream(metric: [:], values: [s])]
        case .string: return []
        }
    }
}

/// What a successful API call returned, with the warnings the server attached to it.
public struct APIResponse<Payload: Sendable>: Sendable {
    public var data: Payload
    public var warnings: [String]

    public init(data: Payload, warnings: [String] = []) {
        self.data = data
        self.warnings = warnings
    }
}
