import PromQL
import FoundationEssentials
import Glibc
import PrometheusModels
import SafeText

/// The world's series and Prometheus' `ALERTS` series: a scripted night before the rules' history starts (alerts
/// that fired and resolved over the 12 hours before it, a blip of one evaluation among them, a pending that never
/// fired), and the rules' current alerts since they went pending. So `lookout demo` then `h` shows a night, and what
/// fires now is in it. The rules themselves read the world alone.
public struct AlertsSeriesSource: SeriesSource {
    public let world: World
    public let rules: [RuleEvaluator]
    /// Milliseconds: the rules' history starts here, the night ends before it.
    public let rulesSince: Int64
    public let now: @Sendable () -> Date
    /// The night's episodes: an alert's labels (with `alertname`), its state, and when (milliseconds, `end` excluded).
    let night: [(labels: Labels, state: String, start: Int64, end: Int64)]
    /// Milliseconds between two evaluations of the rules.
    let interval: Int64 = 30_000

    public init(world: World, rules: [RuleEvaluator], rulesSince: Int64, now: @escaping @Sendable () -> Date) {
        self.world = world
        self.rules = rules
        self.rulesSince = rulesSince
        self.now = now
        night = Self.script(world: world, anchor: (rulesSince / 30_000) * 30_000)
    }

    /// The night before `anchor`: HighErrorRate of payment-service fired three times (each after its 5 minutes
    /// pending), a payment pod crash-looped for one evaluation, the API gateway's smoke test failed for a minute
    /// (pending, never fired), order-service missed a replica for half an hour and the 02:00-style backup job failed once.
    static func script(world: World, anchor: Int64) -> [(labels: Labels, state: String, start: Int64, end: Int64)] {
        let minute: Int64 = 60_000
        let pod = world.services.first { $0.name == "payment-service" }?.podNames.first ?? "payment-service-0"
        let critical = ["severity": "critical"], warning = ["severity": "warning"]
        func labels(_ name: String, _ extra: Labels, _ severity: Labels) -> Labels {
            extra.merging(severity) { a, _ in a }.merging(["alertname": name]) { a, _ in a }
        }
        let errors = labels("HighErrorRate", ["service": "payment-service"], critical)
        let crash = labels("PodCrashLooping", ["namespace": World.namespace, "pod": pod, "container": "payment-service"], critical)
        let smoke = labels("SmokeTestFailing", ["instance": World.probeTarget, "job": World.probeJob], critical)
        let replicas = labels("DeploymentReplicasMismatch", ["namespace": World.namespace, "deployment": "order-service"], warning)
        let backup = labels("BackupJobFailed", ["namespace": World.namespace, "job_name": World.backupJob], critical)
        var out: [(Labels, String, Int64, Int64)] = []
        func fired(_ l: Labels, at minutesBefore: Int64, pending: Int64, firing: Int64) {
            let start = anchor - minutesBefore * minute
            if pending > 0 { out.append((l, "pending", start, start + pending * minute)) }
            if firing > 0 { out.append((l, "firing", start + pending * minute, start + (pending + firing) * minute)) }
        }
        fired(errors, at: 640, pending: 5, firing: 14)
        fired(errors, at: 600, pending: 5, firing: 6)
        fired(errors, at: 560, pending: 5, firing: 22)
        fired(backup, at: 480, pending: 0, firing: 12)
        // One evaluation: a blip.
        out.append((crash, "firing", anchor - 410 * minute, anchor - 410 * minute + 30_000))
        fired(smoke, at: 270, pending: 1, firing: 0)
        fired(replicas, at: 160, pending: 5, firing: 35)
        return out
    }

    var nowMilliseconds: Int64 { Int64((now().timeIntervalSince1970 * 1000).rounded()) }

    /// The current alerts' episodes: pending from `activeAt`, firing once the rule's `for` has passed, until now.
    func current() -> [(labels: Labels, state: String, start: Int64, end: Int64)] {
        let now = nowMilliseconds
        var out: [(Labels, String, Int64, Int64)] = []
        for evaluator in rules {
            for alert in evaluator.alerts(at: now, historyStart: rulesSince) {
                let hold = Int64(evaluator.group.rules.first { $0.name == alert.labels["alertname"] }?.holdSeconds ?? 0) * 1000
                let fires = alert.activeAt + hold
                if hold > 0 { out.append((alert.labels, "pending", alert.activeAt, min(fires, now + 1))) }
                if alert.state == .firing { out.append((alert.labels, "firing", fires, now + 1)) }
            }
        }
        return out
    }

    /// The `ALERTS` series: one per alert and state, the night's and the current ones merged by labels.
    func alertSeries() -> [Labels] {
        var seen = Set<String>()
        var out: [Labels] = []
        for episode in night + current() {
            var labels = episode.labels
            labels["__name__"] = "ALERTS"
            labels["alertstate"] = episode.state
            let key = signature(labels)
            if seen.insert(key).inserted { out.append(labels) }
        }
        return out.sorted(by: labelsOrder)
    }

    public var allSeries: [SeriesRef] {
        let base = world.allSeries
        return base + alertSeries().enumerated().map { SeriesRef(id: base.count + $0.offset, labels: $0.element) }
    }

    public func series(matching matchers: [LabelMatcher]) -> [SeriesRef] {
        // Only a selector that can match `ALERTS` evaluates the rules (theirs never do).
        let base = world.series(matching: matchers)
        let probe: Labels = ["__name__": "ALERTS"]
        guard matchers.allSatisfy({ $0.name != "__name__" || $0.matches(probe) }) else { return base }
        let all = alertSeries().enumerated().map { SeriesRef(id: world.allSeries.count + $0.offset, labels: $0.element) }
        return base + all.filter { series in matchers.allSatisfy { $0.matches(series.labels) } }
    }

    /// The evaluation times of an alert's episodes in `[from, through]`.
    func times(_ ref: SeriesRef, from: Int64, through: Int64) -> [Int64] {
        var labels = ref.labels
        labels["__name__"] = nil
        let state = labels.removeValue(forKey: "alertstate")
        let now = nowMilliseconds
        var out: [Int64] = []
        for episode in night + (through >= rulesSince ? current() : []) where episode.state == state && episode.labels == labels {
            let steps = from > episode.start ? (from - episode.start + interval - 1) / interval : 0
            var t = episode.start + steps * interval
            while t < episode.end, t <= through, t <= now {
                out.append(t)
                t += interval
            }
        }
        return Array(Set(out)).sorted()
    }

    func isAlerts(_ ref: SeriesRef) -> Bool { ref.labels["__name__"] == "ALERTS" && ref.id >= world.allSeries.count }

    public func points(of series: SeriesRef, from: Int64, through: Int64) -> [Point] {
        guard isAlerts(series) else { return world.points(of: series, from: from, through: through) }
        return times(series, from: from, through: through).map { Point(t: $0, v: 1) }
    }

    public func pointCount(of series: SeriesRef, from: Int64, through: Int64) -> Int {
        guard isAlerts(series) else { return world.pointCount(of: series, from: from, through: through) }
        return times(series, from: from, through: through).count
    }

    public func latest(of series: SeriesRef, from: Int64, through: Int64) -> Point? {
        guard isAlerts(series) else { return world.latest(of: series, from: from, through: through) }
        return times(series, from: from, through: through).last.map { Point(t: $0, v: 1) }
    }
}
