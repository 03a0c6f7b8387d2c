import PrometheusModels

/// A dashboard: a title and its panels. Everything lookout shows (the TUI, snapshots, YAML, exports) is driven by
/// this value.
public struct Dashboard: Sendable, Equatable, Codable {
    public var title: String
    public var panels: [Panel]
    /// Label variables the queries use as `$name` or `${name}`.
    public var variables: [Variable]

    public init(title: String, panels: [Panel], variables: [Variable] = []) {
        self.title = title
        self.panels = panels
        self.variables = variables
    }

    /// The dashboard with every variable of its queries, legends and expected-series queries replaced
    /// (`Variable.resolve`, `Variable.substitute`): `choices` are the values picked (`v`, `--var`), `options` the
    /// values each variable offers, as asked.
    public func substituting(_ choices: [String: String], options: [String: [String]] = [:]) -> Dashboard {
        guard !variables.isEmpty else { return self }
        let values = Variable.resolve(variables, choices: choices, options: options)
        var copy = self
        for p in copy.panels.indices {
            for t in copy.panels[p].targets.indices {
                copy.panels[p].targets[t].expr = Variable.substitute(copy.panels[p].targets[t].expr, values)
                copy.panels[p].targets[t].legendFormat = Variable.substitute(copy.panels[p].targets[t].legendFormat, values, display: true)
            }
            if let expected = copy.panels[p].expectedSeries {
                copy.panels[p].expectedSeries = Variable.substitute(expected, values)
            }
        }
        return copy
    }
}

extension Dashboard {
    /// The panels' titles as shown: each variable replaced by its value(s) as they read (`CPU of $node` → `CPU of
    /// a:9100`), as Grafana shows them.
    public func titled(_ values: [String: Variable.Resolved]) -> Dashboard {
        guard !variables.isEmpty else { return self }
        var copy = self
        for p in copy.panels.indices { copy.panels[p].title = Variable.substitute(copy.panels[p].title, values, display: true) }
        return copy
    }
}

/// How a panel shows its data.
public enum PanelKind: String, Sendable, Equatable, Codable, CaseIterable {
    /// One tile per series: UP/DOWN for health queries, or the last value.
    case stat
    /// A time series per target result, drawn as sparklines.
    case graph
    /// A bar per series from its minimum to its maximum, in the colour of its value's threshold (Grafana's gauge).
    case gauge
    /// A bar per series, coloured by the thresholds along it (Grafana's bar gauge: `displayMode` basic, gradient, lcd).
    case bargauge
    /// A section header (Grafana's row): the panels after it, up to the next row, are its own; a collapsed row hides
    /// them until it is opened. It has no query.
    case row
}

/// What a stat panel shows of each series (Grafana's `textMode`): `auto` (Grafana's default) the value alone for one
/// series, the name and the value for several.
public enum StatText: String, Sendable, Equatable, Codable, CaseIterable {
    case auto, value, name
    case valueAndName = "value_and_name"
    case none

    /// Whether the series' names are shown for `count` series.
    public func showsName(count: Int) -> Bool {
        switch self {
        case .auto: return count > 1
        case .name, .valueAndName: return true
        case .value, .none: return false
        }
    }

    /// Whether the values are shown.
    public var showsValue: Bool { self != .name && self != .none }
}

/// How a bar gauge fills its bars (Grafana's `displayMode`): one colour, that of the value (`basic`); each cell in the
/// colour of the threshold at its height (`gradient`); the same in separate blocks (`lcd`).
public enum BarMode: String, Sendable, Equatable, Codable, CaseIterable {
    case basic, gradient, lcd
}

/// Where a panel sits on Grafana's grid: 24 columns wide, `y` and `h` in grid rows (30 px in Grafana, a terminal
/// row in lookout). Values are clamped to the grid when read (`clamped`).
public struct GridPos: Sendable, Equatable, Codable, Hashable {
    public var x: Int
    public var y: Int
    public var w: Int
    public var h: Int

    public static let columns = 24
    /// The tallest panel kept, in grid rows; taller ones are cut to it.
    public static let maxHeight = 200

    public init(x: Int, y: Int, w: Int, h: Int) {
        self.x = x
        self.y = y
        self.w = w
        self.h = h
    }

    /// The position made valid: x in 0…23, w in 1…(24 − x), y ≥ 0, h in 1…200.
    public var clamped: GridPos {
        let x = min(max(0, self.x), Self.columns - 1)
        return GridPos(x: x, y: max(0, y), w: min(max(1, w), Self.columns - x), h: min(max(1, h), Self.maxHeight))
    }
}

/// One PromQL query of a panel and how its series are named.
public struct Target: Sendable, Equatable, Codable {
    public var expr: String
    /// A Grafana legend template: `{{service}}`.
    public var legendFormat: String

    public init(expr: String, legendFormat: String = "") {
        self.expr = expr
        self.legendFormat = legendFormat
    }
}

public enum ThresholdState: String, Sendable, Equatable, Codable, Comparable {
    case unknown, ok, warning, critical

    private var rank: Int {
        switch self {
        case .unknown: return 0
        case .ok: return 1
        case .warning: return 2
        case .critical: return 3
        }
    }

    public static func < (lhs: ThresholdState, rhs: ThresholdState) -> Bool { lhs.rank < rhs.rank }

    /// The word the dashboard and the snapshot show for the state: `ok`, `WARN`, `CRIT`, `–`.
    public var word: String {
        switch self {
        case .ok: return "ok"
        case .warning: return "WARN"
        case .critical: return "CRIT"
        case .unknown: return "–"
        }
    }
}

public struct Panel: Sendable, Equatable, Codable {
    public var title: String
    public var kind: PanelKind
    public var targets: [Target]
    public var unit: Unit
    public var thresholds: Thresholds?
    /// For a health stat panel: the query of every series that should be present. A series of this query that is
    /// missing from the panel's own result is DOWN (`up{job="x"} == 1` drops the services that are down).
    public var expectedSeries: String?
    /// Layout hint: in the grid, the panel takes a whole row.
    public var wide: Bool
    /// Values shown as texts (Grafana's value mappings).
    public var mappings: [ValueMapping]
    /// A stat panel's value of each series over the window (Grafana's reducer); nil: the value at the end.
    public var reducer: Reducer?
    /// Its place on Grafana's grid; nil lays the panel out by lookout's own rules (four, two or one to a row).
    public var gridPos: GridPos?
    /// A row that starts closed (its panels hidden until Enter opens it).
    public var collapsed: Bool
    /// A stat's text (Grafana's `textMode`; lookout's own dashboards name every series, an import says Grafana's)
    /// and whether it draws each series' sparkline (`graphMode: area`).
    public var textMode: StatText = .valueAndName
    public var sparkline = true
    /// A bar gauge's bars.
    public var barMode = BarMode.gradient
    /// Drawn once per value of a variable (Grafana's `repeat`; a row repeats with its panels).
    public var repeatOver: Repeat?

    public init(
        title: String, kind: PanelKind, targets: [Target], unit: Unit = .none, thresholds: Thresholds? = nil,
        expectedSeries: String? = nil, wide: Bool = false, mappings: [ValueMapping] = [], reducer: Reducer? = nil,
        gridPos: GridPos? = nil, collapsed: Bool = false
    ) {
        self.title = title
        self.kind = kind
        self.targets = targets
        self.unit = unit
        self.thresholds = thresholds
        self.expectedSeries = expectedSeries
        self.wide = wide
        self.mappings = mappings
        self.reducer = reducer
        self.gridPos = gridPos
        self.collapsed = collapsed
    }

    /// A section header.
    public static func row(_ title: String, collapsed: Bool = false, gridPos: GridPos? = nil) -> Panel {
        Panel(title: title, kind: .row, targets: [], gridPos: gridPos, collapsed: collapsed)
    }

    private enum CodingKeys: String, CodingKey {
        case title, type, targets, unit, decimals, thresholds, expectedSeries, wide, mappings, reducer, gridPos, collapsed, textMode, sparkline, displayMode, `repeat`
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        title = try c.decode(String.self, forKey: .title)
        kind = try c.decode(PanelKind.self, forKey: .type)
        targets = try c.decodeIfPresent([Target].self, forKey: .targets) ?? []
        unit = (try c.decodeIfPresent(Unit.self, forKey: .unit) ?? .none).with(decimals: try c.decodeIfPresent(Int.self, forKey: .decimals))
        thresholds = try c.decodeIfPresent(Thresholds.self, forKey: .thresholds)
        expectedSeries = try c.decodeIfPresent(String.self, forKey: .expectedSeries)
        wide = try c.decodeIfPresent(Bool.self, forKey: .wide) ?? false
        mappings = try c.decodeIfPresent([ValueMapping].self, forKey: .mappings) ?? []
        reducer = try c.decodeIfPresent(Reducer.self, forKey: .reducer)
        gridPos = try c.decodeIfPresent(GridPos.self, forKey: .gridPos)?.clamped
        collapsed = try c.decodeIfPresent(Bool.self, forKey: .collapsed) ?? false
        textMode = try c.decodeIfPresent(StatText.self, forKey: .textMode) ?? .valueAndName
        sparkline = try c.decodeIfPresent(Bool.self, forKey: .sparkline) ?? true
        barMode = try c.decodeIfPresent(BarMode.self, forKey: .displayMode) ?? .gradient
        repeatOver = try c.decodeIfPresent(Repeat.self, forKey: .repeat)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(title, forKey: .title)
        try c.encode(kind, forKey: .type)
        try c.encode(targets, forKey: .targets)
        try c.encode(unit, forKey: .unit)
        try c.encodeIfPresent(unit.decimals, forKey: .decimals)
        try c.encodeIfPresent(thresholds, forKey: .thresholds)
        try c.encodeIfPresent(expectedSeries, forKey: .expectedSeries)
        if wide { try c.encode(wide, forKey: .wide) }
        if !mappings.isEmpty { try c.encode(mappings, forKey: .mappings) }
        try c.encodeIfPresent(reducer, forKey: .reducer)
        try c.encodeIfPresent(gridPos, forKey: .gridPos)
        if collapsed { try c.encode(collapsed, forKey: .collapsed) }
        if textMode != .valueAndName { try c.encode(textMode, forKey: .textMode) }
        if !sparkline { try c.encode(sparkline, forKey: .sparkline) }
        if kind == .bargauge { try c.encode(barMode, forKey: .displayMode) }
        try c.encodeIfPresent(repeatOver, forKey: .repeat)
    }

    /// True for a stat panel that tells which services are up (it has an `expectedSeries` query).
    public var isHealth: Bool { kind == .stat && expectedSeries != nil }

    /// A section header rather than a panel with data.
    public var isRow: Bool { kind == .row }

    /// A panel of values at an instant (stat, gauge, bar gauge): asked with instant queries, reduced when it says.
    public var isInstant: Bool { kind == .stat || kind == .gauge || kind == .bargauge }

    /// The span a gauge's bars cover: its `min` and `max`, else the unit's (0–100 %, 0–1), else from 0 (or the lowest
    /// value, when below) to the highest value or threshold.
    public func gaugeBounds(_ values: [Double]) -> (min: Double, max: Double) {
        let finite = values.filter(\.isFinite)
        let unitBounds: (Double, Double)? = switch unit.id {
        case "percent": (0, 100)
        case "percentunit": (0, 1)
        default: nil
        }
        let lo = thresholds?.min ?? unitBounds?.0 ?? Swift.min(0, finite.min() ?? 0)
        let top = Swift.max(finite.max() ?? 1, thresholds?.levels.compactMap(\.value).filter(\.isFinite).max() ?? -.infinity)
        var hi = thresholds?.max ?? unitBounds?.1 ?? top
        if !(hi > lo) { hi = lo + 1 }
        return (lo, hi)
    }
}

extension Dashboard {
    /// The panels that ask the server for data (every panel but the rows).
    public var queriedPanels: Int { panels.count { !$0.isRow } }

    /// The row each panel belongs to (the last row before it), nil for a panel before any row and for the rows.
    public var owningRows: [Int?] {
        var out: [Int?] = []
        var current: Int?
        for (i, panel) in panels.enumerated() {
            if panel.isRow {
                current = i
                out.append(nil)
            } else {
                out.append(current)
            }
        }
        return out
    }

    /// Whether any panel has a place on Grafana's grid: the dashboard is laid out as Grafana lays it out.
    public var hasGrid: Bool { panels.contains { $0.gridPos != nil } }
}

extension Dashboard {
    /// The source design's dashboard (`shared/monitoring/dashboard-config.ts`), verbatim: title, panel titles,
    /// types, PromQL and legend formats. Units, thresholds and the health panel's `expectedSeries` are lookout's
    /// additions; the thresholds follow the design's alert rules (HighErrorRate at 5 %, HighLatency at 1 s).
    public static let microservices = Dashboard(
        title: "Microservices Health Dashboard",
        panels: [
            Panel(
                title: "Service Health Status",
                kind: .stat,
                targets: [Target(expr: #"up{job="microservices"} == 1"#, legendFormat: "{{service}}")],
                expectedSeries: #"up{job="microservices"}"#
            ),
            Panel(
                title: "Request Rate",
                kind: .graph,
                targets: [Target(expr: "sum(rate(http_requests_total[5m])) by (service)", legendFormat: "{{service}}")],
                unit: .requestsPerSecond
            ),
            Panel(
                title: "Error Rate",
                kind: .graph,
                targets: [
                    Target(
                        expr: #"sum(rate(http_requests_total{status_code=~"4..|5.."}[5m])) by (service) / sum(rate(http_requests_total[5m])) by (service)"#,
                        legendFormat: "{{service}}")
                ],
                unit: .percent,
                thresholds: Thresholds(warning: 0.01, critical: 0.05)
            ),
            Panel(
                title: "Response Time (95th percentile)",
                kind: .graph,
                targets: [
                    Target(
                        expr: "histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket[5m])) by (service, le))",
                        legendFormat: "{{service}}")
                ],
                unit: .seconds,
                thresholds: Thresholds(warning: 0.5, critical: 1)
            ),
        ]
    )
}

extension Dashboard {
    /// The source design's operations, as a second built-in dashboard: the nightly PostgreSQL backup (CronJob
    /// `postgresql-backup`, daily at 02:00, 7 days kept on `backup-pvc`) and the disaster-recovery readiness the
    /// design's DR script checks (the four deployments available, the API gateway's `/health`). The thresholds are
    /// those of `examples/operations-rules.yml`: a backup older than 26 h is late, 50 h is two missed nights.
    public static let operations = Dashboard(
        title: "Operations: Backups and Disaster Recovery",
        panels: [
            Panel(
                title: "Last Successful Backup (age)",
                kind: .stat,
                targets: [Target(
                    expr: #"time() - kube_cronjob_status_last_successful_time{namespace="microservices-app",cronjob="postgresql-backup"}"#,
                    legendFormat: "{{cronjob}}")],
                unit: .seconds,
                thresholds: Thresholds(warning: 26 * 3600, critical: 50 * 3600)
            ),
            Panel(
                title: "Failed Backup Jobs",
                kind: .stat,
                targets: [Target(expr: #"kube_job_status_failed{namespace="microservices-app",job_name=~"postgresql-backup-.*"}"#, legendFormat: "{{job_name}}")],
                unit: .none,
                thresholds: Thresholds(warning: 1, critical: 1)
            ),
            Panel(
                title: "Backup Volume Usage",
                kind: .graph,
                targets: [Target(
                    expr: #"kubelet_volume_stats_used_bytes{namespace="microservices-app",persistentvolumeclaim="backup-pvc"} / kubelet_volume_stats_capacity_bytes{namespace="microservices-app",persistentvolumeclaim="backup-pvc"}"#,
                    legendFormat: "{{persistentvolumeclaim}}")],
                unit: .percent,
                thresholds: Thresholds(warning: 0.8, critical: 0.9)
            ),
            Panel(
                title: "Replicas Missing (desired - available)",
                kind: .graph,
                targets: [Target(
                    expr: #"kube_deployment_spec_replicas{namespace="microservices-app"} - kube_deployment_status_available_replicas{namespace="microservices-app"}"#,
                    legendFormat: "{{deployment}}")],
                unit: .none,
                thresholds: Thresholds(warning: 1, critical: 2)
            ),
            Panel(
                title: "API Gateway Health Probe",
                kind: .stat,
                targets: [Target(expr: #"probe_success{job="api-gateway-health"} == 1"#, legendFormat: "api-gateway")],
                expectedSeries: #"probe_success{job="api-gateway-health"}"#
            ),
            Panel(
                title: "API Gateway Probe Duration",
                kind: .graph,
                targets: [Target(expr: #"probe_duration_seconds{job="api-gateway-health"}"#, legendFormat: "api-gateway")],
                unit: .seconds,
                thresholds: Thresholds(warning: 0.5, critical: 1)
            ),
        ]
    )
}
