import FoundationEssentials
import Glibc
import SafeText

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

    public init(elements: [Element], failures: [String] = []) {
        self.elements = elements
        self.failures = failures
    }

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
    /// When the group was last evaluated (nil before its first evaluation: Prometheus sends the zero time).
    public var lastEvaluation: Date?
    /// How long its last evaluation took, in seconds.
    public var evaluationTime: Double?

    public init(name: String, file: String, rules: [Rule], interval: Double?, lastEvaluation: Date? = nil, evaluationTime: Double? = nil) {
        self.name = name
        self.file = file
        self.rules = rules
        self.interval = interval
        self.lastEvaluation = lastEvaluation
        self.evaluationTime = evaluationTime
    }

    private enum CodingKeys: String, CodingKey { case name, file, rules, interval, lastEvaluation, evaluationTime }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        file = try c.decode(String.self, forKey: .file)
        rules = try c.decode([Rule].self, forKey: .rules)
        interval = try c.decodeIfPresent(Double.self, forKey: .interval)
        lastEvaluation = ((try? c.decodeIfPresent(String.self, forKey: .lastEvaluation)) ?? nil).flatMap(RFC3339.parse).flatMap {
            $0.timeIntervalSince1970 > 0 ? $0 : nil
        }
        evaluationTime = ((try? c.decodeIfPresent(Double.self, forKey: .evaluationTime)) ?? nil).flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
    }
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
    /// When the rule was last evaluated (nil before its first evaluation).
    public var lastEvaluation: Date?
    /// `keep_firing_for`, in seconds (Prometheus 2.42 and later).
    public var keepFiringFor: Double?

    private enum CodingKeys: String, CodingKey {
        case type, name, query, health, lastError, state, duration, labels, annotations, alerts, lastEvaluation, keepFiringFor
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
        lastEvaluation = ((try? c.decodeIfPresent(String.self, forKey: .lastEvaluation)) ?? nil).flatMap(RFC3339.parse).flatMap {
            $0.timeIntervalSince1970 > 0 ? $0 : nil
        }
        keepFiringFor = (try? c.decodeIfPresent(Double.self, forKey: .keepFiringFor)) ?? nil
    }
}

/// The `data` of `/api/v1/rules`.
public struct RulesData: Decodable, Sendable { public var groups: [RuleGroup] }

/// `/api/v1/targets`.
public struct TargetsResult: Sendable, Equatable, Decodable {
    public var activeTargets: [ActiveTarget]
    public var droppedTargets: [DroppedTarget]

    public init(activeTargets: [ActiveTarget], droppedTargets: [DroppedTarget] = []) {
        self.activeTargets = activeTargets
        self.droppedTargets = droppedTargets
    }

    private enum CodingKeys: String, CodingKey { case activeTargets, droppedTargets }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // One target that cannot be read does not hide the others.
        activeTargets = try c.decodeIfPresent(LossyList<ActiveTarget>.self, forKey: .activeTargets)?.elements ?? []
        droppedTargets = (try? c.decodeIfPresent(LossyList<DroppedTarget>.self, forKey: .droppedTargets))??.elements ?? []
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
    /// When it was last scraped (nil before the first scrape: Prometheus sends the zero time then).
    public var lastScrape: Date?
    public var lastScrapeDuration: Double?

    private enum CodingKeys: String, CodingKey {
        case labels, discoveredLabels, scrapePool, scrapeUrl, health, lastError, lastScrape, lastScrapeDuration
    }

    public init(
        labels: Labels, scrapePool: String, scrapeUrl: String, health: Health, lastError: String = "", lastScrape: Date? = nil,
        lastScrapeDuration: Double? = nil
    ) {
        self.labels = labels
        self.scrapePool = scrapePool
        self.scrapeUrl = scrapeUrl
        self.health = health
        self.lastError = lastError
        self.lastScrape = lastScrape
        self.lastScrapeDuration = lastScrapeDuration
    }

    /// Leniently: a field missing or of an odd shape is left empty rather than losing every target; an unknown
    /// health is `unknown`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        labels = (try? c.decodeIfPresent(Labels.self, forKey: .labels)) ?? [:]
        discoveredLabels = try? c.decodeIfPresent(Labels.self, forKey: .discoveredLabels)
        scrapePool = (try? c.decodeIfPresent(String.self, forKey: .scrapePool)) ?? ""
        scrapeUrl = (try? c.decodeIfPresent(String.self, forKey: .scrapeUrl)) ?? ""
        health = ((try? c.decodeIfPresent(String.self, forKey: .health)) ?? nil).flatMap(Health.init(rawValue:)) ?? .unknown
        lastError = (try? c.decodeIfPresent(String.self, forKey: .lastError)) ?? ""
        lastScrape = ((try? c.decodeIfPresent(String.self, forKey: .lastScrape)) ?? nil).flatMap(RFC3339.parse).flatMap {
            $0.timeIntervalSince1970 > 0 ? $0 : nil
        }
        let duration = (try? c.decodeIfPresent(Double.self, forKey: .lastScrapeDuration)) ?? nil
        lastScrapeDuration = duration.flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
    }
}

public struct DroppedTarget: Sendable, Equatable, Decodable {
    public var discoveredLabels: Labels

    private enum CodingKeys: String, CodingKey { case discoveredLabels }

    /// Every dropped target counts, whatever it holds.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        discoveredLabels = (try? c.decodeIfPresent(Labels.self, forKey: .discoveredLabels)) ?? [:]
    }
}

/// `/api/v1/status/runtimeinfo`, the part lookout reads: how long the server keeps its data. Prometheus writes
/// `15d`, `15d or 10GiB`, or only a size; engines that keep data elsewhere (Thanos, Mimir) do not serve it.
public struct RuntimeInfo: Sendable, Equatable, Decodable {
    public var storageRetention: String?
    /// False when the last configuration reload failed (the server runs the previous configuration).
    public var reloadConfigSuccess: Bool?
    public var lastConfigTime: Date?
    public var corruptionCount: Int?
    public var startTime: Date?

    public init(
        storageRetention: String? = nil, reloadConfigSuccess: Bool? = nil, lastConfigTime: Date? = nil, corruptionCount: Int? = nil,
        startTime: Date? = nil
    ) {
        self.startTime = startTime
        self.storageRetention = storageRetention
        self.reloadConfigSuccess = reloadConfigSuccess
        self.lastConfigTime = lastConfigTime
        self.corruptionCount = corruptionCount
    }

    private enum CodingKeys: String, CodingKey { case storageRetention, reloadConfigSuccess, lastConfigTime, corruptionCount, startTime }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        storageRetention = (try? c.decodeIfPresent(String.self, forKey: .storageRetention)) ?? nil
        reloadConfigSuccess = (try? c.decodeIfPresent(Bool.self, forKey: .reloadConfigSuccess)) ?? nil
        lastConfigTime = ((try? c.decodeIfPresent(String.self, forKey: .lastConfigTime)) ?? nil).flatMap(RFC3339.parse)
        corruptionCount = (try? c.decodeIfPresent(Int.self, forKey: .corruptionCount)) ?? nil
        startTime = ((try? c.decodeIfPresent(String.self, forKey: .startTime)) ?? nil).flatMap(RFC3339.parse)
    }
}

/// `/api/v1/alertmanagers`: the Alertmanagers Prometheus sends to (listed as active even when nothing listens).
public struct AlertmanagerDiscovery: Sendable, Equatable, Decodable {
    public struct Member: Sendable, Equatable, Decodable {
        public var url: String
        public init(url: String) { self.url = url }
    }
    public var activeAlertmanagers: [Member]
    public var droppedAlertmanagers: [Member]

    public init(activeAlertmanagers: [Member], droppedAlertmanagers: [Member] = []) {
        self.activeAlertmanagers = activeAlertmanagers
        self.droppedAlertmanagers = droppedAlertmanagers
    }

    private enum CodingKeys: String, CodingKey { case activeAlertmanagers, droppedAlertmanagers }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        activeAlertmanagers = (try? c.decodeIfPresent(LossyList<Member>.self, forKey: .activeAlertmanagers))??.elements ?? []
        droppedAlertmanagers = (try? c.decodeIfPresent(LossyList<Member>.self, forKey: .droppedAlertmanagers))??.elements ?? []
    }
}

/// Alertmanager's `/api/v2/status`, the part lookout reads: its cluster's state and peers, and since when it runs.
public struct AlertmanagerStatus: Sendable, Equatable, Decodable {
    /// `ready`, `settling` or `disabled`.
    public var clusterStatus: String
    public var peers: Int
    public var uptime: Date?

    public init(clusterStatus: String, peers: Int, uptime: Date? = nil) {
        self.clusterStatus = clusterStatus
        self.peers = peers
        self.uptime = uptime
    }

    private enum CodingKeys: String, CodingKey { case cluster, uptime }
    private enum ClusterKeys: String, CodingKey { case status, peers }
    private struct Peer: Decodable {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let cluster = try c.nestedContainer(keyedBy: ClusterKeys.self, forKey: .cluster)
        clusterStatus = SafeText.clip(try cluster.decode(String.self, forKey: .status), 40)
        peers = ((try? cluster.decodeIfPresent(LossyList<Peer>.self, forKey: .peers)) ?? nil)?.elements.count ?? 0
        uptime = ((try? c.decodeIfPresent(String.self, forKey: .uptime)) ?? nil).flatMap(RFC3339.parse)
    }
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
    /// Alertmanager's hash of the labels: the same alert on every member of a cluster.
    public var fingerprint: String
    /// The page of the rule that sent it (Prometheus' `/graph?g0.expr=…`).
    public var generatorURL: String?

    private enum CodingKeys: String, CodingKey { case labels, annotations, startsAt, status, fingerprint, generatorURL }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        labels = try c.decodeIfPresent(Labels.self, forKey: .labels) ?? [:]
        annotations = try c.decodeIfPresent(Labels.self, forKey: .annotations) ?? [:]
        startsAt = try c.decodeIfPresent(String.self, forKey: .startsAt).flatMap(RFC3339.parse)
        status = try c.decode(Status.self, forKey: .status)
        fingerprint = try c.decodeIfPresent(String.self, forKey: .fingerprint) ?? ""
        generatorURL = try c.decodeIfPresent(String.self, forKey: .generatorURL).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The key that makes one alert of the copies several members send: the fingerprint, else the labels.
    public var identity: String {
        guard fingerprint.isEmpty else { return fingerprint }
        return labels.sorted { $0.key < $1.key }.map { "\($0.key)\u{1F}\($0.value)" }.joined(separator: "\u{1E}")
    }

    /// The same alert in Prometheus' shape (Alertmanager only holds firing alerts).
    public var asAlert: Alert {
        Alert(labels: labels, annotations: annotations, state: .firing, activeAt: startsAt)
    }
}

extension LossyList: Sendable where Element: Sendable {}
