import DashboardCore
import Foundation
import Testing

/// Grafana's repeats (#24): a panel or a row drawn once per value of its variable, each copy with its value.
@Suite("Repeated panels and rows")
struct RepeatTests {
    static let instance = Variable(name: "instance", kind: .custom, options: ["a:9100", "b:9100", "c:9100"], includeAll: true)

    static func values(_ chosen: [String]) -> [String: Variable.Resolved] {
        ["instance": Variable.Resolved(variable: instance, values: chosen, offered: instance.options)]
    }

    static func panel(_ rule: Repeat?, at pos: GridPos = GridPos(x: 0, y: 1, w: 12, h: 8)) -> Panel {
        var p = Panel(
            title: "CPU of $instance", kind: .graph,
            targets: [Target(expr: #"rate(node_cpu_seconds_total{instance=~"$instance"}[5m])"#, legendFormat: "{{mode}} on $instance")],
            gridPos: pos)
        p.repeatOver = rule
        return p
    }

    @Test("side by side (Grafana's h): one copy per value, the width shared, the value in title, query and legend")
    func horizontal() {
        let board = Dashboard(title: "r", panels: [Self.panel(Repeat(variable: "instance"))], variables: [Self.instance])
        let drawn = board.repeated(Self.values([Variable.all]))
        #expect(drawn.panels.map(\.title) == ["CPU of a:9100", "CPU of b:9100", "CPU of c:9100"])
        #expect(drawn.panels.map { $0.gridPos } == [
            GridPos(x: 0, y: 1, w: 8, h: 8), GridPos(x: 8, y: 1, w: 8, h: 8), GridPos(x: 16, y: 1, w: 8, h: 8),
        ])
        #expect(drawn.panels[1].targets[0].expr == #"rate(node_cpu_seconds_total{instance=~"b:9100"}[5m])"#)
        #expect(drawn.panels[2].targets[0].legendFormat == "{{mode}} on c:9100")
        #expect(drawn.panels.allSatisfy { $0.repeatOver == nil })
        // Two chosen of three: two copies, half the width each; maxPerRow 1: one under another.
        #expect(board.repeated(Self.values(["a:9100", "c:9100"])).panels.map { $0.gridPos?.w } == [12, 12])
        let one = Dashboard(title: "r", panels: [Self.panel(Repeat(variable: "instance", maxPerRow: 1))], variables: [Self.instance])
        #expect(one.repeated(Self.values([Variable.all])).panels.map { $0.gridPos?.y } == [1, 9, 17])
    }

    @Test("one under another (v); a variable without values leaves the panel once, as written")
    func verticalAndNoValues() {
        let board = Dashboard(title: "r", panels: [Self.panel(Repeat(variable: "instance", vertical: true))], variables: [Self.instance])
        let drawn = board.repeated(Self.values([Variable.all]))
        #expect(drawn.panels.map { $0.gridPos } == [
            GridPos(x: 0, y: 1, w: 12, h: 8), GridPos(x: 0, y: 9, w: 12, h: 8), GridPos(x: 0, y: 17, w: 12, h: 8),
        ])
        #expect(board.repeated([:]).panels == board.panels)
    }

    @Test("a repeating row repeats with its panels, one block under another")
    func rows() {
        var row = Panel.row("Node $instance", gridPos: GridPos(x: 0, y: 0, w: 24, h: 1))
        row.repeatOver = Repeat(variable: "instance")
        let board = Dashboard(title: "r", panels: [
            row, Self.panel(nil, at: GridPos(x: 0, y: 1, w: 12, h: 8)), Self.panel(nil, at: GridPos(x: 12, y: 1, w: 12, h: 8)),
            .row("After", gridPos: GridPos(x: 0, y: 9, w: 24, h: 1)),
        ], variables: [Self.instance])
        let drawn = board.repeated(Self.values(["a:9100", "b:9100"]))
        #expect(drawn.panels.map(\.title) == ["Node a:9100", "CPU of a:9100", "CPU of a:9100", "Node b:9100", "CPU of b:9100", "CPU of b:9100", "After"])
        #expect(drawn.panels.map { $0.gridPos?.y } == [0, 1, 1, 9, 10, 10, 9])
    }

    @Test("the import keeps repeat, repeatDirection and maxPerRow; YAML and the export say them back")
    func importAndWriteBack() throws {
        let json = #"""
        {"title": "R", "templating": {"list": [{"name": "integration", "type": "query", "query": "label_values(alertmanager_notifications_total, integration)", "includeAll": true}]},
         "panels": [{"type": "timeseries", "title": "$integration: Notifications Send Rate", "repeat": "integration", "repeatDirection": "v", "maxPerRow": 2,
                     "gridPos": {"x": 0, "y": 0, "w": 12, "h": 7}, "targets": [{"expr": "rate(alertmanager_notifications_total{integration=\"$integration\"}[5m])"}]}]}
        """#
        let board = try GrafanaImport.convert(json: Data(json.utf8), source: "r.json").dashboard
        #expect(board.panels[0].repeatOver == Repeat(variable: "integration", vertical: true, maxPerRow: 2))
        #expect(try Dashboard.parse(yaml: board.yaml(), source: "r.yaml") == board)
        #expect(try GrafanaImport.convert(json: Data(try board.grafanaJSON().utf8), source: "e.json").dashboard.panels[0].repeatOver == board.panels[0].repeatOver)
        #expect(throws: DashboardFileError.self) {
            try Dashboard.parse(yaml: "title: x\npanels:\n  - {title: p, type: graph, repeat: {maxPerRow: 2}, targets: [{expr: up}]}\n", source: "b.yaml")
        }
    }
}
