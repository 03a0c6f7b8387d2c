import FoundationEssentials
import Glibc
import PrometheusModels
import SafeText

/// How one part of the alerting pipeline is: ordered from fine to worst.
public enum PipelineState: Int, Sendable, Equatable, Comparable, Codable {
    case ok, unknown, degraded, broken

    public static func < (a: PipelineState, b: PipelineState) -> Bool { a.rawValue < b.rawValue }

    public var word: String {
        switch self {
        case .ok: return "ok"
        case .unknown: return "unknown"
        case .degraded: return "degraded"
        case .broken: return "broken"
        }
    }
}

/// One check of the alerting pipeline: its state, one line that says why, what it saw, and since when it is so.
public struct PipelineCheck: Sendable, Equatable, Codable {
    /// Stable across readings (`rules`, `delivery`, `config`, `alertmanager http://…`, `watchdog`, `targets`).
    public var id: String
    /// What is checked, for a person (`rules`, `Prometheus → Alertmanager`).
    public var area: String
    public var state: PipelineState
    public var reason: String
    /// The rule's `lastError`, the counter and its change: one line each, sanitised.
    public var evidence: [String]
    public var since: Date?

    /// The reason's first clause, for the status bar (`1 rule fails`, `the config reload failed`).
    public var headline: String {
        var text = Array(reason)
        for mark in [";", ": ", " ("].map(Array.init) {
            guard mark.count <= text.count else { continue }
            if let i = (0...(text.count - mark.count)).first(where: { Array(text[$0..<($0 + mark.count)]) == mark }) { text = Array(text[..<i]) }
        }
        return String(text)
    }

    public init(id: String, area: String, state: PipelineState, reason: String, evidence: [String] = [], since: Date? = nil) {
        self.id = id
        self.area = area
        self.state = state
        self.reason = SafeText.clip(SafeText.sanitize(reason), InputLimits.messageCharacters)
        self.evidence = evidence.prefix(50).map { SafeText.clip(SafeText.sanitize($0), InputLimits.messageCharacters) }
        self.since = since
    }
}

/// What the checks read, each part as it came (or why it did not). Parts a server does not serve (Thanos, Mimir or
/// VictoriaMetrics without Prometheus' `/metrics` or `runtimeinfo`) are failures, and their checks `unknown`.
public struct PipelineReading: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public var url: String
        public var status: Result<AlertmanagerStatus, PrometheusError>
        public var metrics: Result<[ExpositionSample], PrometheusError>

        public init(url: String, status: Result<AlertmanagerStatus, PrometheusError>, metrics: Result<[ExpositionSample], PrometheusError>) {
            self.url = url
            self.status = status
            self.metrics = metrics
        }
    }

    /// The dashboard's health panel's expected series, counted (`count(up{job="microservices"})`).
    public struct HealthQuery: Sendable, Equatable {
        public var panel: String
        public var expr: String
        /// How many series it selects now.
        public var series: Result<Int, PrometheusError>

        public init(panel: String, expr: String, series: Result<Int, PrometheusError>) {
            self.panel = panel
            self.expr = expr
            self.series = series
        }
    }

    public var at: Date
    public var rules: Result<[RuleGroup], PrometheusError>
    public var discovery: Result<AlertmanagerDiscovery, PrometheusError>
    public var metrics: Result<[ExpositionSample], PrometheusError>
    public var runtime: Result<RuntimeInfo, PrometheusError>
    /// The scrape jobs of the configuration (`/api/v1/status/config`), and the targets.
    public var jobs: Result<[String], PrometheusError>?
    public var targets: Result<TargetsResult, PrometheusError>?
    /// The members given with `--alertmanager-url`.
    public var alertmanagers: [Member]
    public var health: HealthQuery?

    public init(
        at: Date, rules: Result<[RuleGroup], PrometheusError>, discovery: Result<AlertmanagerDiscovery, PrometheusError>,
        metrics: Result<[ExpositionSample], PrometheusError>, runtime: Result<RuntimeInfo, PrometheusError>,
        jobs: Result<[String], PrometheusError>? = nil, targets: Result<TargetsResult, PrometheusError>? = nil, alertmanagers: [Member] = [],
        health: HealthQuery? = nil
    ) {
        self.health = health
        self.at = at
        self.rules = rules
        self.discovery = discovery
        self.metrics = metrics
        self.runtime = runtime
        self.jobs = jobs
        self.targets = targets
        self.alertmanagers = alertmanagers
    }
}

/// The checks of the alerting pipeline, from one reading and the counters of the one before (a counter that rose
/// since is happening now; one that has a value but no earlier reading happened some time since the server started).
public enum Pipeline {
    /// The names of a dead man's switch rule: an alert that always fires, so that its silence means the pipeline
    /// is down.
    public static let watchdogNames = ["Watchdog", "DeadMansSwitch"]

    /// How long after Prometheus' start its discovered lists are not yet to be believed.
    public static let settleSeconds: TimeInterval = 30

    /// The counters the next reading compares with, by a key of their own.
    public static func counters(_ reading: PipelineReading) -> [String: Double] {
        var out: [String: Double] = [:]
        if case .success(let samples) = reading.metrics {
            for sample in samples where sample.value.isFinite {
                switch sample.name {
                case "prometheus_notifications_errors_total", "prometheus_notifications_latency_seconds_count":
                    out["\(sample.name)|\(sample.labels["alertmanager"] ?? "")", default: 0] += sample.value
                case "prometheus_notifications_dropped_total", "prometheus_rule_evaluation_failures_total",
                     "prometheus_rule_group_iterations_missed_total", "prometheus_tsdb_compactions_failed_total":
                    out[sample.name, default: 0] += sample.value
                default: break
                }
            }
        }
        for member in reading.alertmanagers {
            guard case .success(let samples) = member.metrics else { continue }
            for sample in samples where sample.value.isFinite {
                let integration = sample.labels["integration"] ?? ""
                switch sample.name {
                case "alertmanager_notifications_failed_total": out["am|\(member.url)|\(integration)", default: 0] += sample.value
                case "alertmanager_notification_requests_total": out["amreq|\(member.url)|\(integration)", default: 0] += sample.value
                case "alertmanager_notification_requests_failed_total": out["amreqfailed|\(member.url)|\(integration)", default: 0] += sample.value
                default: break
                }
            }
        }
        return out
    }

    /// How much a counter rose since the previous reading; nil without one (or after a reset, the value itself).
    static func rise(_ key: String, _ now: [String: Double], _ previous: [String: Double]?) -> Double? {
        guard let previous, let before = previous[key] else { return nil }
        let value = now[key] ?? 0
        return value >= before ? value - before : value
    }

    static func short(_ error: PrometheusError) -> String { error.shortReason }

    /// Failed requests among all requests, from two counters: since the last reading when requests were made since,
    /// else since the server started (the first look, or nothing sent since). A failure ratio of 1 is `all`.
    enum Failures: Equatable {
        case none
        case some(Double, of: Double, sinceStart: Bool)
        case all(Double, of: Double, sinceStart: Bool)
    }

    static func failures(_ failedKey: String, of totalKey: String, _ now: [String: Double], _ previous: [String: Double]?) -> Failures {
        if let failed = rise(failedKey, now, previous), let total = rise(totalKey, now, previous), total > 0 {
            return failed >= total ? .all(failed, of: total, sinceStart: false) : failed > 0 ? .some(failed, of: total, sinceStart: false) : .none
        }
        let (failed, total) = (now[failedKey] ?? 0, now[totalKey] ?? 0)
        return total > 0 && failed >= total ? .all(failed, of: total, sinceStart: true) : failed > 0 ? .some(failed, of: total, sinceStart: true) : .none
    }

    static func count(_ n: Double) -> String { n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : ValueFormat.format(n, unit: .none) }

    public static func checks(
        _ reading: PipelineReading, previous: [String: Double]?, watchdogNames: [String] = Pipeline.watchdogNames
    ) -> [PipelineCheck] {
        let watchdogNames = watchdogNames.isEmpty ? Pipeline.watchdogNames : watchdogNames
        let now = counters(reading)
        var out: [PipelineCheck] = []
        // Service discovery (of targets and Alertmanagers) takes a few seconds after a start: until then an empty
        // list says nothing.
        let started = (try? reading.runtime.get())?.startTime
        let settling = started.map { reading.at.timeIntervalSince($0) < Self.settleSeconds } ?? false
        out.append(rules(reading, now, previous))
        var delivery = delivery(reading, now, previous)
        let discoveredNone = ((try? reading.discovery.get())?.activeAlertmanagers.isEmpty) ?? false
        if settling, discoveredNone, delivery.state > .ok {
            delivery = PipelineCheck(id: delivery.id, area: delivery.area, state: .unknown, reason: "Prometheus started moments ago: its Alertmanagers are being discovered")
        }
        out.append(delivery)
        out.append(prometheus(reading, now, previous))
        out += reading.alertmanagers.map { alertmanager($0, members: reading.alertmanagers.count, now, previous) }
        if let watchdog = watchdog(reading, names: watchdogNames) { out.append(watchdog) }
        if let targets = targets(reading, settling: settling) { out.append(targets) }
        if let health = reading.health, case .success(let count) = health.series {
            out.append(healthQueryCheck(panel: health.panel, expr: health.expr, series: count, settling: settling))
        }
        return out
    }

    /// Whether the health panel's expected series select anything. The source design's ServiceMonitor selecting
    /// nothing looks exactly like this: no alert can fire for it.
    public static func healthQueryCheck(panel: String, expr: String, series: Int, settling: Bool = false) -> PipelineCheck {
        let area = "what the dashboard watches"
        return series > 0
            ? PipelineCheck(id: "health-query", area: area, state: .ok, reason: "\(panel): \(series) series")
            : PipelineCheck(
                id: "health-query", area: area, state: settling ? .unknown : .degraded,
                reason: "\(panel)'s query \(expr) selects no series: nothing it watches is scraped (a ServiceMonitor that selects nothing looks like this)")
    }

    static func rules(_ reading: PipelineReading, _ now: [String: Double], _ previous: [String: Double]?) -> PipelineCheck {
        let area = "rules"
        guard case .success(let groups) = reading.rules else {
            if case .failure(let error) = reading.rules { return PipelineCheck(id: "rules", area: area, state: .unknown, reason: "the rules cannot be read: \(short(error))") }
            return PipelineCheck(id: "rules", area: area, state: .unknown, reason: "the rules cannot be read")
        }
        let all = groups.flatMap { group in group.rules.map { (group, $0) } }
        guard all.contains(where: { $0.1.kind == .alerting }) else {
            return PipelineCheck(id: "rules", area: area, state: .unknown, reason: "no alerting rule on this server: nothing here can alert")
        }
        var state = PipelineState.ok
        var problems: [String] = []
        var evidence: [String] = []
        let failing = all.filter { $0.1.health == "err" }
        if !failing.isEmpty {
            state = failing.contains { $0.1.kind == .alerting } ? .broken : .degraded
            let first = failing[0]
            problems.append("\(failing.count) rule\(failing.count == 1 ? "" : "s") fail\(failing.count == 1 ? "s" : ""): \(first.1.name): \(first.1.lastError ?? "error")")
            evidence += failing.map { "\($0.0.name)/\($0.1.name) (\($0.1.kind.rawValue)): \($0.1.lastError ?? "error")" }
        }
        let started = (try? reading.runtime.get())?.startTime
        for group in groups {
            guard let interval = group.interval, interval > 0 else { continue }
            if let last = group.lastEvaluation, reading.at.timeIntervalSince(last) > 3 * interval {
                state = max(state, .broken)
                let late = ValueFormat.rangeLabel(reading.at.timeIntervalSince(last).rounded())
                problems.append("group \(group.name) not evaluated for \(late) (every \(ValueFormat.rangeLabel(interval)))")
                evidence.append("group \(group.name): last evaluated \(RFC3339.format(last)), interval \(ValueFormat.rangeLabel(interval))")
            } else if group.lastEvaluation == nil, let started, reading.at.timeIntervalSince(started) > 3 * interval {
                state = max(state, .degraded)
                problems.append("group \(group.name) never evaluated")
            }
            if let took = group.evaluationTime, took > interval {
                state = max(state, .degraded)
                problems.append("group \(group.name) takes \(ValueFormat.format(took, unit: .seconds)) of its \(ValueFormat.rangeLabel(interval)): evaluations are missed")
            }
        }
        if let failures = rise("prometheus_rule_evaluation_failures_total", now, previous), failures > 0 {
            if failing.isEmpty {
                state = max(state, .degraded)
                problems.append("\(count(failures)) rule evaluations failed since the last check")
            }
            evidence.append("prometheus_rule_evaluation_failures_total +\(count(failures)) since the last check")
        }
        if let missed = rise("prometheus_rule_group_iterations_missed_total", now, previous), missed > 0 {
            state = max(state, .degraded)
            problems.append("\(count(missed)) group evaluations missed since the last check")
        }
        let alerting = all.filter { $0.1.kind == .alerting }.count
        let reason = problems.isEmpty ? "\(all.count) rules in \(groups.count) groups evaluate (\(alerting) alerting)" : problems.joined(separator: "; ")
        return PipelineCheck(id: "rules", area: area, state: state, reason: reason, evidence: evidence)
    }

    static func delivery(_ reading: PipelineReading, _ now: [String: Double], _ previous: [String: Double]?) -> PipelineCheck {
        let area = "Prometheus → Alertmanager"
        let alerting = ((try? reading.rules.get()) ?? []).contains { $0.rules.contains { $0.kind == .alerting } }
        let discovered: [String]
        switch reading.discovery {
        case .failure(let error): return PipelineCheck(id: "delivery", area: area, state: .unknown, reason: "the Alertmanagers Prometheus sends to cannot be read: \(short(error))")
        case .success(let discovery): discovered = discovery.activeAlertmanagers.map(\.url)
        }
        guard !discovered.isEmpty else {
            return PipelineCheck(
                id: "delivery", area: area, state: alerting ? .broken : .unknown,
                reason: alerting ? "Prometheus sends to no Alertmanager: firing alerts go nowhere" : "Prometheus sends to no Alertmanager")
        }
        guard case .success(let samples) = reading.metrics else {
            return PipelineCheck(id: "delivery", area: area, state: .unknown,
                                 reason: "sends to \(discovered.count) Alertmanager\(discovered.count == 1 ? "" : "s"), delivery unknown (Prometheus' /metrics cannot be read)",
                                 evidence: discovered)
        }
        var failingAll: [String] = []
        var failingSome: [String] = []
        var evidence: [String] = []
        var fine = 0
        let urls = Set(samples.filter { $0.name == "prometheus_notifications_latency_seconds_count" }.compactMap { $0.labels["alertmanager"] }).union(discovered).sorted()
        for url in urls {
            switch failures("prometheus_notifications_errors_total|\(url)", of: "prometheus_notifications_latency_seconds_count|\(url)", now, previous) {
            case .all(let failed, let of, sinceStart: false):
                failingAll.append(url)
                evidence.append("\(url): \(count(failed)) of \(count(of)) sends failed since the last check")
            case .some(let failed, let of, sinceStart: false):
                failingSome.append(url)
                evidence.append("\(url): \(count(failed)) of \(count(of)) sends failed since the last check")
            case .all(_, let of, sinceStart: true):
                failingAll.append(url)
                evidence.append("\(url): all \(count(of)) sends failed since Prometheus started")
            case .some(let failed, let of, sinceStart: true):
                // Some sends failed some time since Prometheus started: worth seeing, not an alarm until it rises.
                fine += 1
                evidence.append("\(url): \(count(failed)) of \(count(of)) sends failed since Prometheus started")
            case .none:
                fine += 1
            }
        }
        var state = PipelineState.ok
        var problems: [String] = []
        if !failingAll.isEmpty {
            // Alerts still reach an Alertmanager when another answers.
            state = fine == 0 && failingSome.isEmpty ? .broken : .degraded
            problems.append("Prometheus cannot deliver to \(failingAll.map(hostPort).joined(separator: ", "))")
        }
        if !failingSome.isEmpty {
            state = max(state, .degraded)
            problems.append("some sends to \(failingSome.map(hostPort).joined(separator: ", ")) fail")
        }
        let dropped = now["prometheus_notifications_dropped_total"] ?? 0
        if let rose = rise("prometheus_notifications_dropped_total", now, previous) {
            if rose > 0 {
                state = .broken
                problems.append("\(count(rose)) alert notifications dropped since the last check")
            }
        }
        if dropped > 0 { evidence.append("prometheus_notifications_dropped_total \(count(dropped))") }
        if let length = Exposition.sum(samples, "prometheus_notifications_queue_length"),
           let capacity = Exposition.sum(samples, "prometheus_notifications_queue_capacity"), capacity > 0, length >= 0.9 * capacity {
            state = max(state, .degraded)
            problems.append("the notification queue is \(Int((100 * length / capacity).rounded())) % full")
        }
        let reason = problems.isEmpty
            ? "delivers to \(urls.map(hostPort).joined(separator: ", "))" : problems.joined(separator: "; ")
        return PipelineCheck(id: "delivery", area: area, state: state, reason: reason, evidence: evidence)
    }

    static func prometheus(_ reading: PipelineReading, _ now: [String: Double], _ previous: [String: Double]?) -> PipelineCheck {
        let area = "Prometheus"
        var state = PipelineState.ok
        var problems: [String] = []
        var evidence: [String] = []
        var known = false
        if case .success(let info) = reading.runtime, info.reloadConfigSuccess != nil {
            known = true
            if info.reloadConfigSuccess == false {
                state = .broken
                let since = info.lastConfigTime.map { " (it runs the configuration loaded \(RFC3339.format($0)))" } ?? ""
                problems.append("the config reload failed\(since)")
            }
            if let corruptions = info.corruptionCount, corruptions > 0 {
                state = max(state, .degraded)
                problems.append("\(corruptions) WAL corruption\(corruptions == 1 ? "" : "s")")
            }
        }
        // /metrics says something of the configuration only when it is Prometheus' own (the counter is there).
        if case .success(let samples) = reading.metrics, reloaded(samples) != nil {
            known = true
            if let reloaded = Exposition.sum(samples, "prometheus_config_last_reload_successful"), reloaded == 0, !problems.contains(where: { $0.hasPrefix("the config reload failed") }) {
                state = .broken
                problems.append("the config reload failed")
            }
            if reloaded(samples) == 0 { evidence.append("prometheus_config_last_reload_successful 0") }
            if let failed = rise("prometheus_tsdb_compactions_failed_total", now, previous), failed > 0 {
                state = max(state, .degraded)
                problems.append("\(count(failed)) TSDB compactions failed since the last check")
            }
            if let corruptions = Exposition.sum(samples, "prometheus_tsdb_wal_corruptions_total"), corruptions > 0 {
                evidence.append("prometheus_tsdb_wal_corruptions_total \(count(corruptions))")
            }
        }
        guard known else {
            return PipelineCheck(id: "config", area: area, state: .unknown, reason: "neither runtimeinfo nor /metrics can be read: its configuration is unknown")
        }
        return PipelineCheck(id: "config", area: area, state: state, reason: problems.isEmpty ? "configuration loaded, storage fine" : problems.joined(separator: "; "), evidence: evidence)
    }

    static func reloaded(_ samples: [ExpositionSample]) -> Double? { Exposition.sum(samples, "prometheus_config_last_reload_successful") }

    static func alertmanager(_ member: PipelineReading.Member, members: Int, _ now: [String: Double], _ previous: [String: Double]?) -> PipelineCheck {
        let area = "Alertmanager \(hostPort(member.url))"
        let id = "alertmanager \(member.url)"
        let status: AlertmanagerStatus
        switch member.status {
        case .failure(let error):
            // One member of several down: the others still notify.
            return PipelineCheck(id: id, area: area, state: members > 1 ? .degraded : .broken, reason: "unreachable: \(short(error))")
        case .success(let s): status = s
        }
        var state = PipelineState.ok
        var problems: [String] = []
        var evidence: [String] = []
        switch status.clusterStatus {
        case "ready": if members > 1, status.peers < members {
                state = .degraded
                problems.append("sees \(status.peers) of the \(members) members given")
            }
        case "settling":
            state = .degraded
            problems.append("its cluster is settling")
        case "disabled" where members > 1:
            state = .degraded
            problems.append("clustering is disabled though \(members) members are given")
        default: break
        }
        if case .success(let samples) = member.metrics {
            if let reload = Exposition.sum(samples, "alertmanager_config_last_reload_successful"), reload == 0 {
                state = .broken
                problems.append("its config reload failed")
            }
            // Each request to a receiver (a webhook, Slack, PagerDuty), and the notifications given up after their
            // retries: requests that all fail are failing now, at the first look already.
            let names = ["alertmanager_notification_requests_total", "alertmanager_notification_requests_failed_total", "alertmanager_notifications_failed_total"]
            let integrations = Set(samples.filter { names.contains($0.name) }.compactMap { $0.labels["integration"] }).sorted()
            for integration in integrations {
                let failedKey = "amreqfailed|\(member.url)|\(integration)", sentKey = "amreq|\(member.url)|\(integration)"
                let (failed, sent) = (now[failedKey] ?? 0, now[sentKey] ?? 0)
                let givenUp = now["am|\(member.url)|\(integration)"] ?? 0
                switch failures(failedKey, of: sentKey, now, previous) {
                case .all(let failed, _, sinceStart: false):
                    state = max(state, .broken)
                    problems.append("every \(integration) notification request failed since the last check (\(count(failed)))")
                case .some(let failed, let of, sinceStart: false):
                    state = max(state, .degraded)
                    problems.append("\(count(failed)) of \(count(of)) \(integration) notification requests failed since the last check")
                case .all(let failed, _, sinceStart: true):
                    state = max(state, .broken)
                    problems.append("every \(integration) notification request failed (\(count(failed)) since it started)")
                case .some(_, _, sinceStart: true), .none:
                    break
                }
                if failed > 0 || givenUp > 0 {
                    evidence.append("\(integration): \(count(failed)) of \(count(sent)) requests failed, \(count(givenUp)) notifications given up")
                }
            }
        } else {
            evidence.append("its /metrics cannot be read")
        }
        let uptime = status.uptime.map { ", up since \(RFC3339.format($0))" } ?? ""
        let reason = problems.isEmpty ? "cluster \(status.clusterStatus)\(members > 1 ? ", \(status.peers) peers" : "")\(uptime)" : problems.joined(separator: "; ")
        return PipelineCheck(id: id, area: area, state: state, reason: reason, evidence: evidence)
    }

    static func watchdog(_ reading: PipelineReading, names: [String]) -> PipelineCheck? {
        guard case .success(let groups) = reading.rules,
              let rule = groups.flatMap(\.rules).first(where: { $0.kind == .alerting && names.contains($0.name) }) else { return nil }
        let firing = rule.state == .firing || rule.alerts.contains { $0.state == .firing }
        return PipelineCheck(
            id: "watchdog", area: "dead man's switch", state: firing ? .ok : .broken,
            reason: firing ? "\(rule.name) fires, as it always should" : "\(rule.name) is not firing: the rule that always fires does not, alerts are not flowing")
    }

    /// Scrape jobs with no target. A job whose targets have been synced once (`prometheus_target_sync_length_seconds`
    /// counts it) and has none is empty; one not yet synced is only empty once Prometheus has run a while.
    static func targets(_ reading: PipelineReading, settling: Bool) -> PipelineCheck? {
        guard case .success(let jobs)? = reading.jobs, case .success(let targets)? = reading.targets else { return nil }
        let pools = Set(targets.activeTargets.map(\.scrapePool))
        let synced: Set<String>? = (try? reading.metrics.get()).map { samples in
            Set(samples.filter { $0.name == "prometheus_target_sync_length_seconds_count" && $0.value > 0 }.compactMap { $0.labels["scrape_job"] })
        }
        let empty = jobs.filter { job in !pools.contains(job) && (synced?.contains(job) == true || !settling) }
        let waiting = jobs.filter { !pools.contains($0) && !empty.contains($0) }
        if empty.isEmpty, !waiting.isEmpty {
            return PipelineCheck(id: "targets", area: "targets", state: .unknown, reason: "Prometheus started moments ago: the targets of \(waiting.joined(separator: ", ")) are being discovered")
        }
        guard !empty.isEmpty else { return PipelineCheck(id: "targets", area: "targets", state: .ok, reason: "every scrape job has targets") }
        return PipelineCheck(
            id: "targets", area: "targets", state: .degraded,
            reason: "scrape job\(empty.count == 1 ? "" : "s") \(empty.joined(separator: ", ")) \(empty.count == 1 ? "has" : "have") no target: what it should watch is not scraped",
            evidence: empty.map { "job \($0): no active target" })
    }

    /// `127.0.0.1:9093` of `http://127.0.0.1:9093/api/v2/alerts`.
    static func hostPort(_ url: String) -> String {
        let parts = url.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count >= 2, parts[0].hasSuffix(":") else { return parts.first.map(String.init) ?? url }
        return String(parts[1])
    }

    /// The pipeline as the dashboard knows it: the last checks, and the counters the next reading is compared with.
    public struct Status: Sendable, Equatable {
        public var checks: [PipelineCheck] = []
        public var counters: [String: Double]?
        public var readAt: Date?
        /// The dead man's switch rules' names (a context's `watchdog`); empty: the usual ones.
        public var watchdogNames: [String] = []

        public init() {}

        /// A new reading: its checks (against the previous counters), `since` carried on.
        public mutating func record(_ reading: PipelineReading) {
            let fresh = Pipeline.checks(reading, previous: counters, watchdogNames: watchdogNames)
            checks = Pipeline.carrySince(fresh, from: checks, now: reading.at)
            counters = Pipeline.counters(reading)
            readAt = reading.at
        }

        /// The status bar's line, when something is degraded or broken.
        public var summary: (state: PipelineState, text: String, short: String)? { Pipeline.summary(checks) }
    }

    /// The checks with `since` carried from the previous ones when the state did not change, else now.
    public static func carrySince(_ checks: [PipelineCheck], from old: [PipelineCheck], now: Date) -> [PipelineCheck] {
        checks.map { check in
            var c = check
            let before = old.first { $0.id == check.id }
            c.since = before?.state == check.state ? (before?.since ?? now) : now
            return c
        }
    }

    /// The status bar's line when something is degraded or broken: `ALERTING BROKEN: 2 rules fail · Prometheus
    /// cannot deliver to …`, worst first; nil when all is ok or unknown.
    public static func summary(_ checks: [PipelineCheck]) -> (state: PipelineState, text: String, short: String)? {
        let bad = checks.filter { $0.state >= .degraded }.sorted { $0.state > $1.state }
        guard let worst = bad.first else { return nil }
        let word = worst.state == .broken ? "ALERTING BROKEN" : "ALERTING DEGRADED"
        // An Alertmanager's own check names which one.
        func said(_ check: PipelineCheck) -> String { check.id.hasPrefix("alertmanager ") ? "\(check.area): \(check.headline)" : check.headline }
        let short = "\(word): \(said(worst))" + (bad.count > 1 ? " +\(bad.count - 1) more (H)" : " (H)")
        return (worst.state, "\(word): " + bad.map(said).joined(separator: " · "), short)
    }

    /// 0 all ok (or unknown), 1 degraded, 2 broken: `lookout check`'s exit code.
    public static func exitCode(_ checks: [PipelineCheck]) -> Int32 {
        switch checks.map(\.state).max() ?? .ok {
        case .broken: return 2
        case .degraded: return 1
        case .ok, .unknown: return 0
        }
    }
}
