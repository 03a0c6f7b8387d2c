import DashboardCore
import FoundationEssentials
import Glibc
import SafeText
import PrometheusModels

/// What is known about one panel: its last good data, and what happened since.
public struct PanelState: Sendable, Equatable {
    /// The last data that arrived (kept when later queries fail, and shown as stale).
    public var data: PanelData?
    /// When `data` arrived.
    public var updatedAt: Date?
    /// The last query's error, if it failed (one sanitised line).
    public var error: String?
    /// A query is in flight.
    public var isLoading: Bool

    public init(data: PanelData? = nil, updatedAt: Date? = nil, error: String? = nil, isLoading: Bool = false) {
        self.data = data
        self.updatedAt = updatedAt
        self.error = error
        self.isLoading = isLoading
    }
}

/// What is known about the alerts.
public struct AlertsState: Sendable, Equatable {
    public var items: [AlertItem]
    public var updatedAt: Date?
    public var error: String?
    /// Alerts the server sent that could not be read, one line each (the others are shown).
    public var unreadable: [String] = []
    /// A refresh asked for them and has not heard back.
    public var isLoading = false

    /// "1 alert could not be read: state 'Firing' (expected pending or firing) at .alerts[3].state"; nil when all were
    /// read.
    public static func summary(ofUnreadable unreadable: [String]) -> String? {
        guard let first = unreadable.first else { return nil }
        let count = unreadable.count
        return "\(count) alert\(count == 1 ? "" : "s") could not be read: \(first)" + (count > 1 ? " (and \(count - 1) more)" : "")
    }

    public init(items: [AlertItem] = [], updatedAt: Date? = nil, error: String? = nil) {
        self.items = items
        self.updatedAt = updatedAt
        self.error = error
    }
}

/// Alertmanager's silences, when lookout has one (`--alertmanager-url`), and what lookout may do with them.
public struct SilencesState: Sendable, Equatable {
    /// An Alertmanager is configured: silences can be listed (and, unless read-only, written).
    public var available = false
    /// `--read-only`: no silence is created, expired or extended.
    public var readOnly = false
    /// The author a new silence is prefilled with (`$USER@hostname`, or the last one used).
    public var author = ""
    public var items: [Silence] = []
    public var updatedAt: Date?
    public var error: String?
    /// The members of the cluster that did not answer the last refresh.
    public var membersDown: [AlertmanagerMemberDown] = []

    public init(available: Bool = false, readOnly: Bool = false, author: String = "") {
        self.available = available
        self.readOnly = readOnly
        self.author = author
    }

    /// Why a write cannot be made now, or nil when it can.
    public var writeRefusal: String? {
        if !available { return "silences need an Alertmanager: start lookout with --alertmanager-url" }
        if readOnly { return "read-only: lookout was started with --read-only, so silences cannot be changed" }
        return nil
    }

    /// "silenced by alice until 15:04 UTC (58m left): deploying the fix", for a silenced alert.
    public func silencedLine(_ alert: AlertItem, now: Date) -> String? {
        Silencing.silencedLine(alert, silences: items, now: now)
    }
}

/// Whether the server answers.
public enum ConnectionState: Sendable, Equatable {
    /// No answer yet.
    case connecting
    case connected
    /// The last attempt failed; the next one is due at `retryAt`.
    case unreachable(message: String, retryAt: Date)
}

/// A context of the config file as `:ctx` lists it.
public struct ContextEntry: Sendable, Equatable {
    public var name: String
    public var url: String
    public init(name: String, url: String) {
        self.name = name
        self.url = url
    }
}

/// What the app knows about the dashboard and its server, shared by every screen (read-only for them): the data,
/// the refresh schedule, the range, the filter and the other settings the user changes with keys.
public struct DashboardState: Sendable, Equatable {
    /// The dashboard as drawn and asked for: its repeating panels once per value (`Dashboard.repeated`).
    public var dashboard: Dashboard
    /// The dashboard as written, when it repeats panels; `dashboard` follows its variables' values.
    public var repeatSource: Dashboard?
    /// `host:port` of the server, for the status bar.
    public var server: String
    public var rangeSeconds: TimeInterval
    /// The end of the graphs' window when it is pinned in the past (`[`, `]`, `g`); nil when live.
    public var pinnedEnd: Date?
    /// Times in UTC instead of the local time zone (`z`, `--utc`).
    public var utc = false
    public var refreshSeconds: TimeInterval
    public var panels: [PanelState]
    public var alerts: AlertsState
    public var silences = SilencesState()
    public var connection: ConnectionState
    public var now: Date
    public var paused: Bool
    /// Series whose legend contains this text are shown; empty shows all.
    public var filter: String
    /// The order of every panel's rows (`o`).
    public var seriesOrder: SeriesOrder = .worstFirst
    /// A panel is zoomed: the queries ask for as many points as its chart is wide, not a grid cell.
    public var zoomed = false
    /// The zoomed panel, asked for with those on the dashboard's screen.
    public var zoomedPanel: Int?
    /// How far the dashboard is scrolled, in rows (clamped where it is laid out).
    public var scrollTop = 0
    /// The rows (indices of row panels) that are closed: their panels are not drawn, nor asked for.
    public var closedRows: Set<Int> = []
    /// The chosen value of each dashboard variable (`All` when none was chosen), and the values on offer.
    public var variableValues: [String: String]
    public var variableOptions: [String: [String]]

    /// Each variable's value(s) as the queries use them: the one picked, else the saved one, else the first offered.
    public var resolvedVariables: [String: Variable.Resolved] {
        Variable.resolve(dashboard.variables, choices: variableValues, options: variableOptions)
    }
    /// Silenced and inhibited alerts (Alertmanager) are left out of the lists (`s`).
    public var hideSuppressed: Bool
    public var themeName: String
    /// The themes `t` cycles through.
    public var themes: [String] = []
    /// `y` and `Y` may write to the clipboard (off with `--no-clipboard`).
    public var clipboard = true
    /// Results of older generations are dropped; a new one starts with every refresh, range change and resize.
    public var generation: Int
    /// Failed attempts in a row, for the back-off.
    public var failures: Int
    /// Refreshes in a row in which the server answered but something failed: they are retried sooner.
    public var partialFailures = 0
    /// When the next refresh is due.
    public var nextRefreshAt: Date?
    /// When the refresh in flight must have been answered (`requestTimeout` and a little grace after it started).
    public var fetchDeadline: Date?
    /// The client's deadline per request (`--timeout`).
    public var requestTimeout: TimeInterval = 10
    /// The terminal's width, for the number of points per query.
    public var columns: Int
    /// The terminal's height (where a click landed).
    public var rows = 40

    public init(
        dashboard: Dashboard, server: String, rangeSeconds: TimeInterval = 3600, refreshSeconds: TimeInterval = 15,
        now: Date = Date()
    ) {
        self.dashboard = dashboard
        repeatSource = dashboard.hasRepeats ? dashboard : nil
        self.server = server
        self.rangeSeconds = rangeSeconds
        self.refreshSeconds = refreshSeconds
        panels = Array(repeating: PanelState(), count: dashboard.panels.count)
        closedRows = Self.closedRows(of: dashboard)
        alerts = AlertsState()
        connection = .connecting
        self.now = now
        paused = false
        filter = ""
        hideSuppressed = false
        variableValues = [:]
        variableOptions = [:]
        themeName = "default"
        generation = 0
        failures = 0
        nextRefreshAt = nil
        columns = 120
        _ = expandRepeats()
    }

    /// Draws the repeating panels once per value the variables have now; true when that changed the panels. A
    /// panel that is still there (by its kind, title and query) keeps its data, a row its being closed.
    mutating func expandRepeats() -> Bool {
        guard let source = repeatSource else { return false }
        let next = source.repeated(resolvedVariables)
        guard next != dashboard else { return false }
        func key(_ p: Panel) -> String { "\(p.kind.rawValue)\u{0}\(p.title)\u{0}\(p.targets.first?.expr ?? "")" }
        var kept: [String: PanelState] = [:]
        for (panel, state) in zip(dashboard.panels, panels) where kept[key(panel)] == nil { kept[key(panel)] = state }
        let closedTitles = Set(closedRows.compactMap { dashboard.panels.indices.contains($0) ? dashboard.panels[$0].title : nil })
        let openedTitles = Set(dashboard.panels.indices.filter { dashboard.panels[$0].isRow && !closedRows.contains($0) }.map { dashboard.panels[$0].title })
        dashboard = next
        panels = next.panels.map { kept[key($0)] ?? PanelState() }
        closedRows = Set(next.panels.indices.filter { i in
            let p = next.panels[i]
            return p.isRow && (closedTitles.contains(p.title) || (p.collapsed && !openedTitles.contains(p.title)))
        })
        return true
    }

    /// The rows a dashboard starts with closed (Grafana's `collapsed`).
    static func closedRows(of dashboard: Dashboard) -> Set<Int> {
        Set(dashboard.panels.indices.filter { dashboard.panels[$0].isRow && dashboard.panels[$0].collapsed })
    }

    /// The graphs' window: its range and its end (pinned, or now).
    public var window: TimeWindow {
        get { TimeWindow(rangeSeconds: rangeSeconds, pinnedEnd: pinnedEnd) }
        set {
            rangeSeconds = newValue.rangeSeconds
            pinnedEnd = newValue.pinnedEnd
        }
    }

    /// When the graphs' window ends: the pinned instant, or now.
    public var windowEnd: Date { window.end(now: now) }

    /// The dashboard given at start when it is not a built-in one (a file), so that `D` can come back to it.
    public var customDashboard: Dashboard?

    /// The config file's context in use (`--context`, `:ctx`), shown first in the status bar in its colour.
    public var contextName: String?
    /// The server's certificate is not checked (`--insecure-skip-tls-verify`, `insecureSkipTLSVerify`): the status
    /// bar says so for as long as it is the case.
    public var tlsUnverified = false
    /// Every context of the config file, for `:ctx`.
    public var contexts: [ContextEntry] = []
    /// Where the config file that names contexts is (or would be), as the contexts screen tells it.
    public var configFile = "~/.config/lookout/config.yaml"

    /// How long the server keeps its data, when it says (Prometheus' runtime info).
    public var retentionSeconds: TimeInterval?
    /// The alerting pipeline's checks (read at start, then at most once a minute).
    public var pipeline = Pipeline.Status()

    /// The pipeline's checks, and (once they were read) whether the health panel's expected series select anything:
    /// from the panel's own answer, not asked again.
    public var pipelineChecks: [PipelineCheck] {
        var checks = pipeline.checks
        guard pipeline.readAt != nil, !checks.contains(where: { $0.id == "health-query" }),
              let index = dashboard.panels.firstIndex(where: \.isHealth), panels.indices.contains(index),
              let data = panels[index].data, panels[index].error == nil else { return checks }
        let panel = dashboard.panels[index]
        checks.append(Pipeline.healthQueryCheck(panel: panel.title, expr: panel.expectedSeries ?? "", series: data.services.count))
        return checks
    }

    /// The status bar's line when the pipeline is degraded or broken.
    public var pipelineSummary: (state: PipelineState, text: String, short: String)? { Pipeline.summary(pipelineChecks) }

    /// The oldest instant the server still has data for, when the window reaches back past it: the window shows
    /// "no data before …" there instead of an empty chart that looks like a quiet past.
    public var dataBefore: Date? {
        TimeWindow.noDataBefore(start: windowEnd.addingTimeInterval(-rangeSeconds), now: now, retention: retentionSeconds)
    }

    /// "no data before Nov 11 07:50 (retention 15d)".
    public var dataBeforeNote: String? {
        guard let oldest = dataBefore, let retentionSeconds else { return nil }
        return "no data before \(ClockFormat.short(oldest, now: now, utc: utc)) (retention \(ValueFormat.rangeLabel(retentionSeconds)))"
    }

    /// Some data has arrived (a zoom before the first answer changes nothing worth a fetch of its own).
    public var updatedOnce: Bool { lastUpdate != nil }

    /// The newest time any data arrived.
    public var lastUpdate: Date? {
        (panels.compactMap(\.updatedAt) + [alerts.updatedAt].compactMap { $0 }).max()
    }

    /// Data older than this many seconds is stale: two refresh intervals, at least 5 s (`Staleness`).
    public var staleAfter: TimeInterval { Staleness.limit(interval: refreshSeconds) }

    /// Seconds between two points of the graphs' range queries.
    public var queryStep: TimeInterval { max(1, (rangeSeconds / Double(queryPoints)).rounded()) }

    /// How current a series of a panel is, at the end of the query that returned it.
    public func freshness(of series: SeriesSummary, panel index: Int) -> Freshness {
        guard panels.indices.contains(index), let answered = panels[index].updatedAt else { return .fresh }
        // A pinned window's data ends where the window ends, not when it was asked for (data still on screen from
        // before the window moved is judged by when it was answered).
        let interval = dashboard.panels[index].kind == .graph ? max(queryStep, refreshSeconds) : refreshSeconds
        var at = answered
        if let end = pinnedEnd, let last = series.points.last?.timestamp, last <= end.timeIntervalSince1970 + interval {
            at = min(end, answered)
        }
        return series.freshness(at: at.timeIntervalSince1970, interval: interval)
    }

    /// The age of a panel's data when it is stale, else nil.
    public func staleAge(ofPanel index: Int) -> TimeInterval? {
        // The past does not change: a pinned window's data does not age.
        guard pinnedEnd == nil, panels.indices.contains(index), let at = panels[index].updatedAt else { return nil }
        let age = now.timeIntervalSince(at)
        return age > staleAfter ? age : nil
    }

    /// The alerts the lists show.
    public var visibleAlerts: [AlertItem] {
        hideSuppressed ? alerts.items.filter { $0.suppression == nil } : alerts.items
    }

    /// The series of a panel that pass the filter.
    public func visibleSeries(ofPanel index: Int) -> [SeriesSummary] {
        guard panels.indices.contains(index), let series = panels[index].data?.series else { return [] }
        let ordered = seriesOrder.apply(series)
        guard !filter.isEmpty else { return ordered }
        return ordered.filter { $0.legend.containsIgnoringCase(filter) }
    }

    /// The services of a health panel that pass the filter.
    public func visibleServices(ofPanel index: Int) -> [ServiceHealth] {
        guard panels.indices.contains(index), let services = panels[index].data?.services else { return [] }
        guard !filter.isEmpty else { return services }
        return services.filter { $0.name.containsIgnoringCase(filter) }
    }
}
