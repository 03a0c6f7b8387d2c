import Foundation

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
        if value.isNaN { return "NaN" }
        if value == .infinity { return "+Inf" }
        if value == -.infinity { return "-Inf" }
        return "\(value)"
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

public enum AlertState: String, Sendable, Codable, Equatable {
    case inactive, pending, firing
}

/// An alert of `/api/v1/alerts`. Annotations are already rendered by Prometheus.
public struct Alert: Sendable, Equatable, Codable {
    public var labels: Labels
    public var annotations: Labels
    public var state: AlertState
    public var activeAt: Date?
    public var value: Double?

    public init(labels: Labels, annotations: Labels = [:], state: AlertState, activeAt: Date?, value: Double? = nil) {
        self.labels = labels
        self.annotations = annotations
        self.state = state
        self.activeAt = activeAt
        self.value = value
    }

    private enum CodingKeys: String, CodingKey { case labels, annotations, state, activeAt, value }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        labels = try c.decodeIfPresent(Labels.self, forKey: .labels) ?? [:]
        annotations = try c.decodeIfPresent(Labels.self, forKey: .annotations) ?? [:]
        let stateText = try c.decode(String.self, forKey: .state)
        guard let state = AlertState(rawValue: stateText) else {
            throw DecodingError.dataCorruptedError(
                forKey: .state, in: c, debugDescription: "state '\(stateText.prefix(40))' (expected pending or firing)")
        }
        self.state = state
        activeAt = try c.decodeIfPresent(String.self, forKey: .activeAt).flatMap(RFC3339.parse)
        if let number = try? c.decodeIfPresent(Double.self, forKey: .value) {
            throw DecodingError.dataCorruptedError(
                forKey: .value, in: c, debugDescription: "value \(number) is a number (expected a string such as \"1.5\")")
        }
        value = try c.decodeIfPresent(String.self, forKey: .value).flatMap(SampleValue.parse)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(labels, forKey: .labels)
        try c.encode(annotations, forKey: .annotations)
        try c.encode(state, forKey: .state)
        try c.encodeIfPresent(activeAt.map(RFC3339.format), forKey: .activeAt)
        try c.encodeIfPresent(value.map(SampleValue.format), forKey: .value)
    }

    public var name: String { labels["alertname"] ?? "" }
}

/// The `data` of `/api/v1/alerts`. Alerts are read one by one: one malformed alert is counted in `unreadable`
/// (one line each, with what was wrong), never a reason to lose the others.
public struct AlertsData: Decodable, Sendable {
    public var alerts: [Alert]
    public var unreadable: [String]

    private enum CodingKeys: String, CodingKey { case alerts }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let list = try c.decode(LossyList<Alert>.self, forKey: .alerts)
        alerts = list.elements
        unreadable = list.failures
    }
}

/// A JSON array read element by element: what decodes is kept, what does not is described.
public struct LossyList<Element: Decodable>: Decodable {
    public var elements: [Element] = []
    public var failures: [String] = []

    /// Decodes anything, to step over an element that failed.
    private struct Skip: Decodable { init(from decoder: any Decoder) throws {} }

    public init(from decoder: any Decoder) throws {
        var list = try decoder.unkeyedContainer()
        while !list.isAtEnd {
            do {
                elements.append(try list.decode(Element.self))
            } catch {
                // The message names the element by its path (`at .alerts[3].state`).
                failures.append(describeDecodingError(error))
                // A failed element is not consumed: step over it.
                guard (try? list.decode(Skip.self)) != nil else { break }
            }
        }
    }
}

/// A rule group of `/api/v1/rules`.
public struct RuleGroup: Sendable, Equatable, Decodable {
    public var name: String
    public var file: String
    public var rules: [Rule]
    public var interval: Double?
}

/// An alerting or recording rule.
public struct Rule: Sendable, Equatable, Decodable {
    public enum Kind: String, Sendable, Decodable { case alerting, recording }
    public var kind: Kind
    public var name: String
    public var query: String
    public var health: String?
    public var lastError: String?
    public var state: AlertState?
    public var duration: Double?
    public var labels: Labels
    public var annotations: Labels
    public var alerts: [Alert]

    private enum CodingKeys: String, CodingKey {
        case type, name, query, health, lastError, state, duration, labels, annotations, alerts
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(Kind.self, forKey: .type)
        name = try c.decode(String.self, forKey: .name)
        query = try c.decode(String.self, forKey: .query)
        health = try c.decodeIfPresent(String.self, forKey: .health)
        lastError = try c.decodeIfPresent(String.self, forKey: .lastError)
        state = try c.decodeIfPresent(AlertState.self, forKey: .state)
        duration = try c.decodeIfPresent(Double.self, forKey: .duration)
        labels = try c.decodeIfPresent(Labels.self, forKey: .labels) ?? [:]
        annotations = try c.decodeIfPresent(Labels.self, forKey: .annotations) ?? [:]
        alerts = try c.decodeIfPresent([Alert].self, forKey: .alerts) ?? []
    }
}

/// The `data` of `/api/v1/rules`.
public struct RulesData: Decodable, Sendable { public var groups: [RuleGroup] }

/// `/api/v1/targets`.
public struct TargetsResult: Sendable, Equatable, Decodable {
    public var activeTargets: [ActiveTarget]
    public var droppedTargets: [DroppedTarget]

    private enum CodingKeys: String, CodingKey { case activeTargets, droppedTargets }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        activeTargets = try c.decodeIfPresent([ActiveTarget].self, forKey: .activeTargets) ?? []
        droppedTargets = try c.decodeIfPresent([DroppedTarget].self, forKey: .droppedTargets) ?? []
    }
}

public struct ActiveTarget: Sendable, Equatable, Decodable {
    public enum Health: String, Sendable, Decodable { case up, down, unknown }
    public var labels: Labels
    public var discoveredLabels: Labels?
    public var scrapePool: String
    public var scrapeUrl: String
    public var health: Health
    public var lastError: String
    public var lastScrapeDuration: Double?
}

public struct DroppedTarget: Sendable, Equatable, Decodable {
    public var discoveredLabels: Labels
}

/// `/api/v1/status/buildinfo`.
public struct BuildInfo: Sendable, Equatable, Codable {
    public var version: String
    public var revision: String?
    public var branch: String?
    public var buildUser: String?
    public var buildDate: String?
    public var goVersion: String?
}

/// An alert of Alertmanager's `/api/v2/alerts` (a bare JSON array, no envelope).
public struct AlertmanagerAlert: Sendable, Equatable, Decodable {
    public struct Status: Sendable, Equatable, Decodable {
        /// `active`, `suppressed` or `unprocessed`.
        public var state: String
        public var silencedBy: [String]
        public var inhibitedBy: [String]

        private enum CodingKeys: String, CodingKey { case state, silencedBy, inhibitedBy }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            state = try c.decodeIfPresent(String.self, forKey: .state) ?? "active"
            silencedBy = try c.decodeIfPresent([String].self, forKey: .silencedBy) ?? []
            inhibitedBy = try c.decodeIfPresent([String].self, forKey: .inhibitedBy) ?? []
        }
    }

    public var labels: Labels
    public var annotations: Labels
    public var startsAt: Date?
    public var status: Status

    private enum CodingKeys: String, CodingKey { case labels, annotations, startsAt, status }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        labels = try c.decodeIfPresent(Labels.self, forKey: .labels) ?? [:]
        annotations = try c.decodeIfPresent(Labels.self, forKey: .annotations) ?? [:]
        startsAt = try c.decodeIfPresent(String.self, forKey: .startsAt).flatMap(RFC3339.parse)
        status = try c.decode(Status.self, forKey: .status)
    }

    /// The same alert in Prometheus' shape (Alertmanager only holds firing alerts).
    public var asAlert: Alert {
        Alert(labels: labels, annotations: annotations, state: .firing, activeAt: startsAt)
    }
}
