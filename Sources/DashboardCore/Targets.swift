import FoundationEssentials
import Glibc
import PrometheusModels
import SafeText

/// A scrape target as the targets screen shows it: every text sanitised and cut once, here.
public struct TargetItem: Sendable, Equatable {
    public var pool: String
    public var instance: String
    /// The `service` label (the seed's ServiceMonitor puts it on every target), else the job.
    public var service: String
    public var health: ActiveTarget.Health
    public var lastError: String
    public var lastScrape: Date?
    public var scrapeDuration: Double?
    public var scrapeURL: String
    public var labels: Labels

    public init(_ target: ActiveTarget) {
        labels = SafeText.sanitizeKeys(target.labels)
        pool = SafeText.clip(target.scrapePool, InputLimits.labelCharacters)
        instance = SafeText.clip(labels["instance"] ?? target.scrapeUrl, InputLimits.labelCharacters)
        service = SafeText.clip(labels["service"] ?? labels["job"] ?? "", InputLimits.labelCharacters)
        health = target.health
        lastError = SafeText.clip(target.lastError, InputLimits.messageCharacters)
        lastScrape = target.lastScrape
        scrapeDuration = target.lastScrapeDuration
        scrapeURL = SafeText.clip(target.scrapeUrl, InputLimits.messageCharacters)
    }

    /// Down first, then unknown, then up.
    var rank: Int {
        switch health {
        case .down: return 0
        case .unknown: return 1
        case .up: return 2
        }
    }
}

/// The targets of `/api/v1/targets` grouped by scrape pool: pools with a target down first, and in each pool the
/// unhealthy targets first, then by instance.
public struct TargetGroups: Sendable, Equatable {
    public struct Pool: Sendable, Equatable {
        public var name: String
        public var targets: [TargetItem]
        public var up: Int { targets.filter { $0.health == .up }.count }
    }

    public var pools: [Pool]
    public var dropped: Int

    public init(_ result: TargetsResult, services: Set<String>? = nil) {
        let items = result.activeTargets.map(TargetItem.init).filter { services?.contains($0.service) ?? true }
        var byPool: [String: [TargetItem]] = [:]
        for item in items { byPool[item.pool, default: []].append(item) }
        pools = byPool.map { name, targets in
            Pool(name: name, targets: targets.sorted { ($0.rank, $0.instance) < ($1.rank, $1.instance) })
        }.sorted { a, b in
            let (aDown, bDown) = (a.targets.contains { $0.health != .up }, b.targets.contains { $0.health != .up })
            return aDown != bDown ? aDown : a.name < b.name
        }
        dropped = result.droppedTargets.count
    }

    /// Every target in the order shown.
    public var targets: [TargetItem] { pools.flatMap(\.targets) }
}
