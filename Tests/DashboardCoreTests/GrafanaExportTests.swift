import DashboardCore
import Foundation
import Testing

@Suite("Grafana export")
struct GrafanaExportTests {
    func exported() throws -> [String: Any] {
        let json = try Dashboard.microservices.grafanaJSON()
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test func thePanelsKeepQueriesLegendsUnitsAndThresholds() throws {
        let object = try exported()
        #expect(object["title"] as? String == "Microservices Health Dashboard")
        let panels = try #require(object["panels"] as? [[String: Any]])
        #expect(panels.map { $0["type"] as? String } == ["stat", "timeseries", "timeseries", "timeseries"])
        #expect(panels.map { $0["title"] as? String } == Dashboard.microservices.panels.map(\.title))
        for (panel, source) in zip(panels, Dashboard.microservices.panels) {
            let target = try #require((panel["targets"] as? [[String: Any]])?.first)
            #expect(target["expr"] as? String == source.targets[0].expr)
            #expect(target["legendFormat"] as? String == "{{service}}")
            #expect((target["datasource"] as? [String: String])?["uid"] == "${datasource}")
        }
        let defaults = panels.map { ($0["fieldConfig"] as? [String: Any])?["defaults"] as? [String: Any] }
        #expect(defaults.map { $0?["unit"] as? String } == ["none", "reqps", "percentunit", "s"])
        let steps = try #require((defaults[2]?["thresholds"] as? [String: Any])?["steps"] as? [[String: Any]])
        #expect(steps.count == 3)
        #expect(steps[0]["value"] is NSNull)
        #expect(steps[1]["value"] as? Double == 0.01 && steps[2]["value"] as? Double == 0.05)
        let latency = try #require((defaults[3]?["thresholds"] as? [String: Any])?["steps"] as? [[String: Any]])
        #expect(latency.compactMap { $0["value"] as? Double } == [0.5, 1])
        let mapping = try #require((defaults[0]?["mappings"] as? [[String: Any]])?.first?["options"] as? [String: [String: Any]])
        #expect(mapping["1"]?["text"] as? String == "UP" && mapping["0"]?["text"] as? String == "DOWN")
    }

    @Test func theDatasourceIsAVariable() throws {
        let list = try #require((try exported()["templating"] as? [String: Any])?["list"] as? [[String: Any]])
        #expect(list.first?["type"] as? String == "datasource")
        #expect(list.first?["query"] as? String == "prometheus")
        #expect(list.first?["name"] as? String == "datasource")
    }
}

@Suite("Grafana import edge cases")
struct GrafanaImportEdgeTests {
    func convert(_ json: String) throws -> GrafanaImport.Result {
        try GrafanaImport.convert(json: Data(json.utf8), source: "g.json")
    }

    @Test func badInputIsOneClearError() {
        #expect(throws: DashboardFileError(message: "g.json: not valid JSON")) { try convert("{") }
        #expect(throws: DashboardFileError(message: "g.json: not a Grafana dashboard (no title)")) { try convert("{}") }
        #expect(throws: DashboardFileError.self) { try convert(#"{"title": "t", "panels": [{"type": "text", "title": "x"}]}"#) }
    }

    /// An export read back is the same dashboard: lookout's own fields (the health panel's expected series, the
    /// wide hint) ride along, so the DOWN service stays in the health panel.
    @Test func anExportReadBackIsTheSameDashboard() throws {
        for board in Dashboard.builtins.values.sorted(by: { $0.title < $1.title }) {
            var wide = board
            wide.panels[wide.panels.count - 1].wide = true
            let back = try convert(try wide.grafanaJSON()).dashboard
            #expect(back.panels.map(\.expectedSeries) == wide.panels.map(\.expectedSeries), "\(board.title)")
            #expect(back.panels.map(\.wide) == wide.panels.map(\.wide), "\(board.title)")
            #expect(back.panels.map(\.kind) == wide.panels.map(\.kind))
        }
        #expect(try convert(try Dashboard.microservices.grafanaJSON()).dashboard.panels[0].isHealth)
    }

    @Test func wrappedExportsCollapsedRowsAndHiddenTargets() throws {
        let json = """
            {"dashboard": {"title": "t", "panels": [
              {"type": "row", "title": "r", "collapsed": true, "panels": [
                {"type": "timeseries", "title": "a", "targets": [{"expr": "up", "hide": true}, {"expr": "rate(x[$__rate_interval])"}]}]},
              {"type": "heatmap", "title": "h", "targets": [{"expr": "y"}]}]}}
            """
        let result = try convert(json)
        #expect(result.dashboard.panels.map(\.title) == ["r", "a"])
        #expect(result.dashboard.panels[0].isRow && result.dashboard.panels[0].collapsed)
        #expect(result.dashboard.panels[1].targets == [Target(expr: "rate(x[$__rate_interval])")])
        #expect(result.warnings == ["skipped panel 'h' (type heatmap): lookout shows stat, gauge, bargauge, graph and timeseries panels"])
    }
}
