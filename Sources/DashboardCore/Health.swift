import PrometheusModels

/// The state of one service on a health panel.
public enum HealthStatus: Sendable, Equatable, Codable {
    case up
    case down
    /// Some of the service's series (instances) are down.
    case partial(up: Int, total: Int)
    /// Seen during the range, absent now from both the panel's query and the expected series: its target vanished.
    case gone

    public var word: String {
        switch self {
        case .up: return "UP"
        case .down: return "DOWN"
        case .partial(let up, let total): return "\(up)/\(total) UP"
        case .gone: return "GONE"
        }
    }
}

public struct ServiceHealth: Sendable, Equatable, Codable {
    public var name: String
    public var status: HealthStatus

    public init(name: String, status: HealthStatus) {
        self.name = name
        self.status = status
    }
}

public enum HealthEvaluator {
    /// Health per legend name. `present` are the series of the panel's query (`up{job="x"} == 1`), `expected` the
    /// series that should be there (`up{job="x"}`). A series of `expected` missing from `present` is down; a name
    /// only in `present` is up. Names are sorted; down services come first, so they are seen first.
    /// `seen` are the expected series over the whole range: a name seen there and absent from both now is GONE.
    public static func evaluate(present: [Labels], expected: [Labels], seen: [Labels] = [], legendFormat: String) -> [ServiceHealth] {
        func key(_ labels: Labels) -> Labels { labels.filter { $0.key != "__name__" } }
        let presentKeys = Set(present.map(key))
        var counts: [String: (up: Int, total: Int)] = [:]
        for labels in expected {
            let name = LegendTemplate.render(legendFormat, labels: labels)
            let up = presentKeys.contains(key(labels)) ? 1 : 0
            counts[name, default: (0, 0)].up += up
            counts[name, default: (0, 0)].total += 1
        }
        let expectedKeys = Set(expected.map(key))
        for labels in present where !expectedKeys.contains(key(labels)) {
            let name = LegendTemplate.render(legendFormat, labels: labels)
            counts[name, default: (0, 0)].up += 1
            counts[name, default: (0, 0)].total += 1
        }
        return services(counts, seen: seen, legendFormat: legendFormat)
    }

    /// Health from counts per legend name: `count by (…)` of the present and of the expected series, grouped by the
    /// labels the legend uses (a panel with thousands of series: the server counts, lookout reads a few hundred
    /// numbers). The same result as `evaluate(present:expected:seen:legendFormat:)` when the present series are
    /// among the expected ones, as `up == 1` is among `up`.
    public static func evaluate(
        presentCounts: [(labels: Labels, count: Double)], expectedCounts: [(labels: Labels, count: Double)], seen: [Labels] = [],
        legendFormat: String
    ) -> [ServiceHealth] {
        var counts: [String: (up: Int, total: Int)] = [:]
        for (labels, count) in expectedCounts where count.isFinite && count > 0 {
            counts[LegendTemplate.render(legendFormat, labels: labels), default: (0, 0)].total += Int(saturating: count)
        }
        for (labels, count) in presentCounts where count.isFinite && count > 0 {
            let name = LegendTemplate.render(legendFormat, labels: labels)
            let up = (counts[name]?.up ?? 0) + Int(saturating: count)
            counts[name] = (up, max(counts[name]?.total ?? 0, up))
        }
        return services(counts, seen: seen, legendFormat: legendFormat)
    }

    static func services(_ counts: [String: (up: Int, total: Int)], seen: [Labels], legendFormat: String) -> [ServiceHealth] {
        var services = counts.map { name, c in
            let status: HealthStatus = c.up == c.total ? .up : (c.up == 0 ? .down : .partial(up: c.up, total: c.total))
            return ServiceHealth(name: name, status: status)
        }
        let now = Set(counts.keys)
        let gone = Set(seen.map { LegendTemplate.render(legendFormat, labels: $0) }).subtracting(now)
        services += gone.map { ServiceHealth(name: $0, status: .gone) }
        return services.sorted { a, b in
            let ra = a.status == .up ? 1 : 0
            let rb = b.status == .up ? 1 : 0
            return ra != rb ? ra < rb : a.name < b.name
        }
    }
}
