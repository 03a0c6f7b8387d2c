import DashboardCore
import Foundation
import LookoutUI
import PrometheusModels
import TerminalCanvas

/// A dashboard in the shape of Node Exporter Full, as an import gives it: Grafana's grid (`gridPos`), an open row of
/// stats and graphs, a closed row, and a row taller than a screen, so that it scrolls at every size.
enum GridSamples {
    static func pos(_ x: Int, _ y: Int, _ w: Int, _ h: Int) -> GridPos { GridPos(x: x, y: y, w: w, h: h) }

    static func graph(_ title: String, _ at: GridPos, unit: DashboardCore.Unit = .none) -> Panel {
        Panel(title: title, kind: .graph, targets: [Target(expr: "rate(\(title.lowercased().filter(\.isLetter))_total[5m])", legendFormat: "{{mode}}")], unit: unit, gridPos: at)
    }

    /// A stat as an import gives it: Grafana's textMode (auto: the value alone), its sparkline but for the uptime.
    static func stat(_ title: String, _ at: GridPos, unit: DashboardCore.Unit) -> Panel {
        var panel = Panel(title: title, kind: .stat, targets: [Target(expr: "\(title.lowercased().filter(\.isLetter))")], unit: unit, gridPos: at)
        panel.textMode = .auto
        panel.sparkline = title != "Uptime"
        return panel
    }

    static let dashboard = Dashboard(title: "Node Exporter Full", panels: [
        .row("Quick CPU / Mem / Disk", gridPos: pos(0, 0, 24, 1)),
        stat("CPU Busy", pos(0, 1, 6, 4), unit: Unit(name: "percent100")),
        stat("RAM Total", pos(6, 1, 6, 4), unit: Unit(name: "bytes")),
        stat("Uptime", pos(12, 1, 6, 4), unit: Unit(name: "s")),
        stat("Load", pos(18, 1, 6, 4), unit: .none),
        graph("CPU Basic", pos(0, 5, 12, 9), unit: Unit(name: "percentunit")),
        graph("Network Traffic Basic", pos(12, 5, 12, 9), unit: Unit(name: "bps")),
        .row("Storage Disk", collapsed: true, gridPos: pos(0, 14, 24, 1)),
        graph("Disk IOps", pos(0, 15, 12, 8), unit: Unit(name: "iops")),
        graph("Disk Throughput", pos(12, 15, 12, 8), unit: Unit(name: "Bps")),
        .row("Network Traffic", gridPos: pos(0, 15, 24, 1)),
        graph("Traffic by Packets", pos(0, 16, 12, 8), unit: Unit(name: "pps")),
        graph("Traffic Errors", pos(12, 16, 12, 8), unit: Unit(name: "pps")),
        graph("Traffic Drop", pos(0, 24, 8, 8), unit: Unit(name: "pps")),
        graph("Traffic Compressed", pos(8, 24, 8, 8), unit: Unit(name: "pps")),
        graph("Traffic Multicast", pos(16, 24, 8, 8), unit: Unit(name: "pps")),
        graph("Network Operational Status", pos(0, 32, 24, 7)),
        graph("Sockets Used", pos(0, 39, 8, 8)),
        graph("Sockets Memory", pos(8, 39, 8, 8), unit: Unit(name: "bytes")),
        graph("Sockets Orphaned", pos(16, 39, 8, 8)),
    ])

    static let modes = ["idle", "system", "user"]

    /// Every panel loaded but those of the closed row (a closed row's panels are not asked for).
    static let loaded: DashboardState = {
        var state = DashboardState(dashboard: dashboard, server: "prometheus:9090", rangeSeconds: 3600, refreshSeconds: 15, now: SampleStates.now)
        state.connection = .connected
        let at = SampleStates.now.addingTimeInterval(-3)
        for (i, panel) in dashboard.panels.enumerated() where !panel.isRow && !(8...9).contains(i) {
            let base = [45.2, 25.3e9, 11_520, 0.42][min(3, max(0, i - 1))]
            let series: [SeriesSummary] = panel.kind == .stat
                ? [SeriesSummary(legend: panel.targets[0].expr, labels: [:], points: SampleStates.wave(base, amplitude: 0.05, seed: i), thresholds: nil)]
                : modes.enumerated().map { m, mode in
                    SeriesSummary(legend: mode, labels: ["mode": mode], points: SampleStates.wave(0.2 * Double(m + 1), amplitude: 0.3, seed: i + m), thresholds: nil)
                }
            state.panels[i] = PanelState(data: PanelData(series: series), updatedAt: at)
        }
        state.alerts = AlertsState(items: [], updatedAt: at)
        return state
    }()

    /// The dashboard at a size, after keys typed there (the model knows the terminal's size, as the run loop tells it).
    static func app(_ width: Int, _ height: Int, _ keys: [Key] = []) -> AppState {
        var state = loaded
        state.columns = width
        state.rows = height
        var app = AppState(model: state)
        _ = app.update(.dashboard(.resize(width: width, height: height)))
        for key in keys { _ = app.update(.key(key)) }
        return app
    }

    /// Gauges and bar gauges as Node Exporter Full has them: CPU and RAM gauges (0–100 %, green, orange at 85, red at
    /// 95), pressure as a gradient bar gauge, speeds as an LCD one, scrape durations as a basic one.
    static let gauges: DashboardState = {
        let steps = Thresholds(steps: [
            .init(value: nil, state: .ok, color: "green"), .init(value: 85, state: .warning, color: "orange"),
            .init(value: 95, state: .critical, color: "red"),
        ], min: 0, max: 100)
        func panel(_ title: String, _ kind: PanelKind, _ at: GridPos, mode: BarMode = .gradient, unit: String = "percent") -> Panel {
            var p = Panel(title: title, kind: kind, targets: [Target(expr: "x")], unit: Unit(grafana: unit), thresholds: steps, gridPos: at)
            p.barMode = mode
            return p
        }
        let board = Dashboard(title: "Gauges", panels: [
            panel("CPU Busy", .gauge, pos(0, 0, 8, 4)),
            panel("RAM Used", .gauge, pos(8, 0, 8, 4)),
            panel("Root FS Used", .gauge, pos(16, 0, 8, 4)),
            panel("Pressure", .bargauge, pos(0, 4, 12, 6)),
            panel("Speed", .bargauge, pos(12, 4, 12, 6), mode: .lcd),
            panel("Scrape duration", .bargauge, pos(0, 10, 24, 5), mode: .basic),
        ])
        var state = DashboardState(dashboard: board, server: "prometheus:9090", rangeSeconds: 3600, refreshSeconds: 15, now: SampleStates.now)
        state.connection = .connected
        let at = SampleStates.now.addingTimeInterval(-3)
        func load(_ i: Int, _ values: [(String, Double)]) {
            let series = values.map { name, v in
                SeriesSummary(legend: name, labels: ["name": name], points: [SamplePair(timestamp: at.timeIntervalSince1970, value: v)], thresholds: steps)
            }
            state.panels[i] = PanelState(data: PanelData(series: series), updatedAt: at)
        }
        load(0, [("cpu", 42.5)])
        load(1, [("ram", 88.1)])
        load(2, [("fs", 97.3)])
        load(3, [("CPU some", 12), ("Memory some", 3.5), ("IO some", 91), ("IO full", 60)])
        load(4, [("eth0", 50), ("lo", 100), ("docker0", 0)])
        load(5, [("node", 35), ("prometheus", 72)])
        state.alerts = AlertsState(items: [], updatedAt: at)
        return state
    }()

    static func gaugesApp(_ width: Int, _ height: Int) -> AppState {
        var state = gauges
        state.columns = width
        state.rows = height
        return AppState(model: state)
    }

    /// A panel repeated per instance (Grafana's `repeat`), its three copies side by side once the values are known.
    static func repeatedApp(_ width: Int, _ height: Int, values: [String]? = nil) -> AppState {
        var cpu = graph("CPU of $instance", pos(0, 1, 24, 9), unit: Unit(name: "percentunit"))
        cpu.targets = [Target(expr: #"rate(node_cpu_seconds_total{instance=~"$instance"}[5m])"#, legendFormat: "{{mode}}")]
        cpu.repeatOver = Repeat(variable: "instance")
        let board = Dashboard(title: "Per node", panels: [.row("Nodes", gridPos: pos(0, 0, 24, 1)), cpu], variables: [Variable(name: "instance")])
        var state = DashboardState(dashboard: board, server: "prometheus:9090", rangeSeconds: 3600, refreshSeconds: 15, now: SampleStates.now)
        state.connection = .connected
        state.columns = width
        state.rows = height
        if let values {
            _ = state.update(.variableOptions(name: "instance", values: values))
            let at = SampleStates.now.addingTimeInterval(-3)
            for i in state.dashboard.panels.indices where !state.dashboard.panels[i].isRow {
                state.panels[i] = PanelState(data: PanelData(series: modes.enumerated().map { m, mode in
                    SeriesSummary(legend: mode, labels: ["mode": mode], points: SampleStates.wave(0.1 * Double(m + i), amplitude: 0.3, seed: i + m), thresholds: nil)
                }), updatedAt: at)
            }
            state.alerts = AlertsState(items: [], updatedAt: at)
        }
        return AppState(model: state)
    }

    /// The golden cases: the grid at 80, 160 and 240 columns, stacked at 60; a page down; the closed row opened;
    /// the end, in ASCII.
    static let cases: [(name: String, width: Int, height: Int, app: AppState)] = [
        ("grid", 80, 24, app(80, 24)),
        ("grid", 160, 45, app(160, 45)),
        ("grid", 240, 60, app(240, 60)),
        ("grid-stacked", 60, 30, app(60, 30)),
        ("grid-page-down", 160, 45, app(160, 45, [.pageDown])),
        ("grid-row-opened", 160, 45, app(160, 45, [.down, .down, .down, .enter])),
        ("grid-end-ascii", 120, 30, app(120, 30, [.end])),
        ("gauges", 120, 30, gaugesApp(120, 30)),
        ("grid-repeat", 120, 30, repeatedApp(120, 30, values: ["a:9100", "b:9100", "c:9100"])),
        ("gauges-ascii", 80, 24, gaugesApp(80, 24)),
    ]
}
