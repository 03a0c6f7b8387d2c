import FoundationEssentials
import Glibc
import SafeText
import PrometheusModels

/// When data counts as stale, in one rule for every view (README, "When data is stale"): **data is stale once it is
/// older than two intervals of what produces it, and at least 5 s old.** A panel's data is measured against two
/// refresh intervals since it arrived; a series against two query steps (or two refreshes, when longer) between its
/// newest sample and the end of the query that returned it. A sample more than `clockSkewAllowance` after that end
/// is from the future: the server's clock (or the data) is ahead, and it is shown as such, never as current.
public enum Staleness {
    public static let minimum: TimeInterval = 5
    public static let clockSkewAllowance: TimeInterval = 30

    /// Seconds after which data produced every `interval` seconds is stale.
    public static func limit(interval: TimeInterval) -> TimeInterval { max(2 * interval, minimum) }
}

/// How current a series is at the end of the query that returned it.
public enum Freshness: Sendable, Equatable {
    case fresh
    /// The newest sample is `age` seconds older than the query's end.
    case stale(age: TimeInterval)
    /// The newest sample is `by` seconds after the query's end.
    case ahead(by: TimeInterval)

    /// The short marker views show: `stale 10m`, `clock ahead 2h`; nil when fresh.
    public var marker: String? {
        switch self {
        case .fresh: return nil
        case .stale(let age): return "stale \(ValueFormat.age(age))"
        case .ahead(let by): return "clock ahead \(ValueFormat.age(by))"
        }
    }

    /// How far the newest sample is from the query's end, either way: 0 when fresh.
    public var distance: TimeInterval {
        switch self {
        case .fresh: return 0
        case .stale(let age): return age
        case .ahead(let by): return by
        }
    }
}

extension SeriesSummary {
    /// Freshness at `end` (the query's end), with `interval` the step or refresh the series is produced at.
    public func freshness(at end: Double, interval: TimeInterval) -> Freshness {
        guard let newest = lastTimestamp else { return .fresh }
        if newest - end > Staleness.clockSkewAllowance { return .ahead(by: newest - end) }
        let age = end - newest
        return age > Staleness.limit(interval: interval) ? .stale(age: age) : .fresh
    }
}
