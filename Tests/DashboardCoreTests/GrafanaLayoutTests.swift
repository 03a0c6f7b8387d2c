import DashboardCore
import Foundation
import SafeText
import Testing

/// Grafana's layout as the import reads it and the YAML and the export write it back (#24): `gridPos`, rows open
/// and collapsed (whose panels Grafana keeps inside them), old dashboards' `rows[]` with spans.
@Suite("Grafana layout: gridPos and rows")
struct GrafanaLayoutTests {
    static func convert(_ json: String) throws -> GrafanaImport.Result {
        try GrafanaImport.convert(json: Data(json.utf8), source: "t.json")
    }

    static let rowsJSON = #"""
    {"title": "Rows", "panels": [
      {"type": "timeseries", "title": "Right", "gridPos": {"x": 12, "y": 1, "w": 12, "h": 8}, "targets": [{"expr": "b"}]},
      {"type": "row", "title": "Open", "collapsed": false, "gridPos": {"x": 0, "y": 0, "w": 24, "h": 1}, "panels": []},
      {"type": "timeseries", "title": "Left", "gridPos": {"x": 0, "y": 1, "w": 12, "h": 8}, "targets": [{"expr": "a"}]},
      {"type": "row", "title": "Closed", "collapsed": true, "gridPos": {"x": 0, "y": 9, "w": 24, "h": 1}, "panels": [
        {"type": "stat", "title": "Inside", "gridPos": {"x": 0, "y": 10, "w": 6, "h": 4}, "targets": [{"expr": "c"}]},
        {"type": "stat", "title": "Huge", "gridPos": {"x": -3, "y": 10, "w": 400, "h": 1e9}, "targets": [{"expr": "d"}]}
      ]}
    ]}
    """#

    @Test("rows become section headers in the grid's order; a collapsed row's panels follow it; gridPos is clamped")
    func rowsAndPositions() throws {
        let board = try Self.convert(Self.rowsJSON).dashboard
        #expect(board.panels.map(\.title) == ["Open", "Left", "Right", "Closed", "Inside", "Huge"])
        #expect(board.panels.map(\.kind) == [.row, .graph, .graph, .row, .stat, .stat])
        #expect(board.panels[0].collapsed == false && board.panels[3].collapsed == true)
        #expect(board.panels[2].gridPos == GridPos(x: 12, y: 1, w: 12, h: 8))
        #expect(board.panels[5].gridPos == GridPos(x: 0, y: 10, w: 24, h: GridPos.maxHeight))
        #expect(board.owningRows == [nil, 0, 0, nil, 3, 3])
        #expect(board.queriedPanels == 4)
    }

    @Test("the YAML says everything the import read, and reads it back equal")
    func yamlRoundTrip() throws {
        let board = try Self.convert(Self.rowsJSON).dashboard
        let yaml = board.yaml()
        #expect(yaml.contains("    type: row\n    gridPos: {x: 0, y: 9, w: 24, h: 1}\n    collapsed: true\n"))
        #expect(try Dashboard.parse(yaml: yaml, source: "r.yaml") == board)
    }

    @Test("a row with queries, a gridPos without h, and a dashboard of rows only are refused with where")
    func yamlErrors() {
        let row = "title: x\npanels:\n  - {title: r, type: row, targets: [{expr: up}]}\n  - {title: p, type: graph, targets: [{expr: up}]}\n"
        #expect(throws: DashboardFileError(message: "r.yaml:3:5: panels[0]: a row has no targets (it is a section header)")) {
            try Dashboard.parse(yaml: row, source: "r.yaml")
        }
        let pos = "title: x\npanels:\n  - {title: p, type: graph, gridPos: {x: 0, y: 0, w: 6}, targets: [{expr: up}]}\n"
        #expect(throws: DashboardFileError(message: "g.yaml:3:38: panels[0].gridPos: needs x, y, w and h (Grafana's 24-column grid)")) {
            try Dashboard.parse(yaml: pos, source: "g.yaml")
        }
        let rowsOnly = "title: x\npanels:\n  - {title: r, type: row}\n"
        #expect(throws: DashboardFileError.self) { try Dashboard.parse(yaml: rowsOnly, source: "o.yaml") }
    }

    @Test("the export writes gridPos and rows as Grafana saves them (a collapsed row's panels inside it) and imports back equal")
    func export() throws {
        let board = try Self.convert(Self.rowsJSON).dashboard
        let json = try board.grafanaJSON()
        let parsed = try #require(JSONValue.parse(Data(json.utf8)))
        let top = parsed["panels"]?.array ?? []
        #expect(top.map { $0["title"]?.string ?? "" } == ["Open", "Left", "Right", "Closed"])
        #expect(top[3]["panels"]?.array?.map { $0["title"]?.string ?? "" } == ["Inside", "Huge"])
        #expect(top[3]["collapsed"]?.bool == true)
        #expect(top[2]["gridPos"]?["x"]?.number == 12)
        #expect(try GrafanaImport.convert(json: Data(json.utf8), source: "e.json").dashboard == board)
    }

    @Test("old dashboards' rows[] with spans get positions: twelve spans to a row, the height in grid rows")
    func oldRows() throws {
        let json = #"""
        {"title": "Old", "rows": [
          {"title": "First", "showTitle": true, "height": "300px", "panels": [
            {"type": "graph", "title": "A", "span": 8, "targets": [{"expr": "a"}]},
            {"type": "graph", "title": "B", "span": 4, "targets": [{"expr": "b"}]},
            {"type": "graph", "title": "C", "span": 6, "targets": [{"expr": "c"}]}]},
          {"title": "Second", "collapse": true, "height": 150, "panels": [
            {"type": "singlestat", "title": "D", "span": 3, "targets": [{"expr": "d"}]}]}
        ]}
        """#
        let board = try Self.convert(json).dashboard
        #expect(board.panels.map(\.title) == ["First", "A", "B", "C", "Second", "D"])
        #expect(board.panels.map { $0.gridPos } == [
            GridPos(x: 0, y: 0, w: 24, h: 1), GridPos(x: 0, y: 1, w: 16, h: 10), GridPos(x: 16, y: 1, w: 8, h: 10),
            GridPos(x: 0, y: 11, w: 12, h: 10), GridPos(x: 0, y: 21, w: 24, h: 1), GridPos(x: 0, y: 22, w: 6, h: 5),
        ])
        #expect(board.panels[4].collapsed)
    }
}
