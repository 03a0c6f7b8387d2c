import DashboardCore
import FoundationEssentials
import Glibc
import LookoutUI
import PrometheusAPI
import SafeText
import TerminalCanvas

/// Why no alerts could be read: the fetch error's one line, as the dashboard shows it.
public struct AlertsUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// One frame of the dashboard as data: what `lookout snapshot` prints as text, JSON or a picture. It holds the
/// dashboard's own state (`DashboardState`), folded from the fetcher's events by the same update as the TUI's, so
/// that the report and the screen cannot read one refresh differently.
public struct Snapshot: Sendable {
    /// The dashboard's state after the refresh.
    public var model: DashboardState
    /// The server's base URL.
    public var server: String
    public var range: QueryRange
    public var takenAt: Date

    public var dashboard: Dashboard { model.dashboard }

    /// Each panel's outcome, in the dashboard's order.
    public var panels: [PanelOutcome] {
        get {
            zip(model.dashboard.panels, model.panels).map { panel, state in
                // A row is a section header: nothing to fetch, nothing missing.
                if panel.isRow { return .loaded(PanelData()) }
                if let error = state.error { return .failed(error) }
                return state.data.map { .loaded($0) } ?? .failed("not fetched")
            }
        }
        set {
            for (i, outcome) in newValue.enumerated() where model.panels.indices.contains(i) {
                switch outcome {
                case .loaded(let data): model.panels[i] = PanelState(data: data, updatedAt: takenAt)
                case .failed(let message): model.panels[i] = PanelState(error: message)
                }
            }
        }
    }

    public var alerts: Result<[AlertItem], AlertsUnavailable> {
        get {
            if let error = model.alerts.error { return .failure(AlertsUnavailable(error)) }
            guard model.alerts.updatedAt != nil else { return .failure(AlertsUnavailable("the alerts were not fetched")) }
            return .success(model.alerts.items)
        }
        set {
            let unreadable = model.alerts.unreadable
            switch newValue {
            case .success(let items): model.alerts = AlertsState(items: items, updatedAt: takenAt)
            case .failure(let error): model.alerts = AlertsState(error: error.description)
            }
            model.alerts.unreadable = unreadable
        }
    }

    /// Alerts the server sent that could not be read (the others are in `alerts`).
    public var unreadableAlerts: [String] {
        get { model.alerts.unreadable }
        set { model.alerts.unreadable = newValue }
    }

    /// Alertmanager's silences (with `--alertmanager-url`; nil without, or when none could be read).
    public var silences: [Silence]? {
        get { model.silences.available && model.silences.updatedAt != nil ? model.silences.items : nil }
        set {
            if newValue != nil { model.silences.available = true }
            model.silences.items = newValue ?? []
            model.silences.updatedAt = newValue == nil ? nil : takenAt
        }
    }

    /// Why the silences could not be read, or which members of the cluster did not answer.
    public var silencesProblem: String? {
        model.silences.error.map { "silences unavailable: " + $0 } ?? AlertmanagerMemberDown.summary(model.silences.membersDown)
    }

    /// How long the server keeps its data, when it says and the window reaches back past it.
    public var retentionSeconds: TimeInterval? {
        get { model.retentionSeconds }
        set { model.retentionSeconds = newValue }
    }

    /// Set when the server could not be talked to at all (`DashboardFetcher.unreachable`, the dashboard's rule).
    public var unreachable: String? {
        get {
            if case .unreachable(let message, _) = model.connection { return message }
            return nil
        }
        set { model.connection = newValue.map { .unreachable(message: $0, retryAt: takenAt) } ?? .connected }
    }

    /// The oldest instant the server has data for, when the range starts before it.
    public var dataBefore: Date? {
        TimeWindow.noDataBefore(start: range.start, now: takenAt, retention: retentionSeconds)
    }

    /// An empty refresh of `dashboard` (nothing fetched yet), at `takenAt`.
    init(dashboard: Dashboard, server: String, range: QueryRange, takenAt: Date) {
        model = DashboardState(
            dashboard: dashboard, server: Self.hostAndPort(server), rangeSeconds: range.end.timeIntervalSince(range.start),
            now: takenAt)
        self.server = server
        self.range = range
        self.takenAt = takenAt
    }

    public init(
        dashboard: Dashboard, server: String, range: QueryRange, takenAt: Date, panels: [PanelOutcome],
        alerts: Result<[AlertItem], AlertsUnavailable>, unreadableAlerts: [String] = []
    ) {
        self.init(dashboard: dashboard, server: server, range: range, takenAt: takenAt)
        self.panels = panels
        self.alerts = alerts
        self.unreadableAlerts = unreadableAlerts
    }

    /// Exit codes of `lookout snapshot`.
    public enum ExitCode {
        public static let ok: Int32 = 0
        public static let warningFiring: Int32 = 1
        public static let criticalFiring: Int32 = 2
        public static let unreachable: Int32 = 3
    }

    /// Queries every panel and the alerts once, concurrently, through the same refresh as the dashboard, and folds
    /// its events into the dashboard's state with the dashboard's own update.
    public static func take(
        client: PrometheusClient, dashboard: Dashboard, rangeSeconds: TimeInterval, points: Int = 60,
        now: Date = Date(), end: Date? = nil, alertmanager: AlertmanagerCluster? = nil, watchdog: [String] = [],
        variables: [String: String] = [:]
    ) async -> Snapshot {
        let fetcher = DashboardFetcher(client: client, dashboard: dashboard, alertmanager: alertmanager, now: { now })
        // The graphs end at `end` (`--to`); the alerts are always the current ones.
        let range = QueryRange(last: rangeSeconds, end: end ?? now, points: points)
        var snapshot = Snapshot(dashboard: dashboard, server: client.options.baseURL.absoluteString, range: range, takenAt: now)
        snapshot.model.silences.available = alertmanager != nil
        snapshot.model.tlsUnverified = client.options.tls.insecureSkipVerify
        // A window that may reach past the server's retention asks for it alongside the queries.
        let retention: Task<TimeInterval?, Never>? = end != nil || rangeSeconds > 6 * 3600
            ? Task { await fetcher.retention() } : nil
        // The alerting pipeline, beside the queries: "nothing firing" means little while it is broken.
        let pipeline = Task { await PipelineProbe.read(client, alertmanager: alertmanager, now: now) }
        snapshot.model.generation += 1
        // The variables resolved as the dashboard resolves them: the values given (`--var`), else the saved ones.
        snapshot.model.variableValues = variables
        var redrawn = false
        for await event in fetcher.refresh(generation: snapshot.model.generation, range: range, choices: variables) {
            // Repeated panels drawn anew from the values on offer start a refresh of their own: it is made below.
            if !snapshot.model.update(event).isEmpty { redrawn = true }
        }
        if redrawn {
            let again = DashboardFetcher(client: client, dashboard: snapshot.model.dashboard, alertmanager: alertmanager, now: { now })
            for await event in again.refresh(generation: snapshot.model.generation, range: range, choices: variables) {
                _ = snapshot.model.update(event)
            }
        }
        if let seconds = await retention?.value { _ = snapshot.model.update(.retention(seconds)) }
        snapshot.model.pipeline.watchdogNames = watchdog
        _ = snapshot.model.update(.pipelineRead(await pipeline.value))
        return snapshot
    }

    /// Which firing alerts count for the exit code (`--fail-on`): warnings and up (the default), or critical only.
    public enum FailOn: String, Sendable, CaseIterable { case warning, critical }
    public var failOn: FailOn = .warning
    /// `--require-healthy`: a panel at CRIT, a service not UP, a panel that could not be read or that has no
    /// current data is exit 2, with or without an alert firing (a runbook's gate after a restore: what cannot
    /// be seen is not healthy).
    public var requireHealthy = false

    /// 0 nothing firing, 1 warnings firing, 2 critical firing (or not healthy with `requireHealthy`), 3 the server
    /// could not be queried: unreachable (the dashboard's rule), or the alerts could not be read, or no panel could.
    public var exitCode: Int32 {
        if unreachable != nil { return ExitCode.unreachable }
        switch alerts {
        case .failure: return ExitCode.unreachable
        case .success(let items):
            let queried = zip(dashboard.panels, panels).filter { !$0.0.isRow }.map(\.1)
            let allFailed = !queried.isEmpty && queried.allSatisfy { if case .failed = $0 { true } else { false } }
            if allFailed { return ExitCode.unreachable }
            let counts = AlertCounts(items)
            var code = failOn == .critical ? (counts.critical > 0 ? ExitCode.criticalFiring : ExitCode.ok) : counts.exitCode
            if requireHealthy, !unhealthy.isEmpty { code = ExitCode.criticalFiring }
            return code
        }
    }

    /// What keeps the dashboard from being healthy, one line each: a panel that could not be read, has no data, or
    /// only stale data (or data from the future); a service not UP; a series at CRIT.
    public var unhealthy: [String] {
        var out: [String] = []
        for (panel, outcome) in zip(dashboard.panels, panels) where !panel.isRow {
            let title = SafeText.clip(panel.title, InputLimits.labelCharacters)
            switch outcome {
            case .failed(let message):
                out.append("\(title): not read (\(SafeText.clip(message, 200)))")
            case .loaded(let data):
                if data.isEmpty {
                    out.append("\(title): no data")
                    continue
                }
                for service in data.services where service.status != .up {
                    out.append("\(title): \(SafeText.clip(service.name, InputLimits.labelCharacters)) \(service.status.word)")
                }
                for series in data.series where series.state == .critical {
                    out.append("\(title): \(SafeText.clip(series.legend, InputLimits.labelCharacters)) CRIT at \(ValueFormat.format(series.last, unit: panel.unit))")
                }
                // Every series stale: what feeds the panel has stopped. One stale series beside current ones is
                // usually churn (a deleted Job, a replaced pod), which the text report marks STALE.
                // Named by the series nearest to now.
                let states = data.series.map { freshness($0) }
                if !states.contains(.fresh), let nearest = states.min(by: { $0.distance < $1.distance })?.marker {
                    out.append("\(title): no current data (\(nearest))")
                }
            }
        }
        // A broken alerting pipeline is not healthy: an alert that should fire would not be seen.
        for check in model.pipelineChecks where check.state == .broken {
            out.append("alerting pipeline: \(check.area): \(check.reason)")
        }
        return out
    }

    /// True when at least one panel was read.
    public var hasAnyData: Bool {
        panels.contains { if case .loaded = $0 { true } else { false } }
    }

    /// How current a series is at the end of the snapshot's range (`Staleness`: two steps, at least 5 s).
    func freshness(_ series: SeriesSummary) -> Freshness {
        series.freshness(at: range.end.timeIntervalSince1970, interval: range.step)
    }
}

