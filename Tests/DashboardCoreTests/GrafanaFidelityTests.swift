import DashboardCore
import Foundation
import PrometheusModels
import Testing

/// Grafana's panel model as the import reads it: units and decimals, thresholds as Grafana draws them (colours,
/// base step, percentage mode, thresholds it keeps but does not draw), each case named after the behaviour it mirrors.
@Suite("Grafana panels imported as Grafana shows them")
struct GrafanaFidelityTests {
    /// A dashboard of one panel, as Grafana's JSON.
    static func imported(_ panel: String) throws -> GrafanaImport.Result {
        let json = #"{"title": "t", "panels": [\#(panel)]}"#
        return try GrafanaImport.convert(json: Data(json.utf8), source: "t.json")
    }

    static func panel(_ type: String, unit: String = "none", steps: String, extra: String = "", options: String = "{}") -> String {
        #"{"type": "\#(type)", "title": "p", "targets": [{"expr": "up"}], "options": \#(options), "fieldConfig": {"defaults": {"unit": "\#(unit)", "thresholds": {"mode": "absolute", "steps": \#(steps)}\#(extra)}}}"#
    }

    @Test("a base step at green is not a warning level: 50 is ok, 85 is critical at the red step of 80")
    func baseStepIsNotAWarning() throws {
        let t = try #require(try Self.imported(Self.panel("stat", steps: #"[{"color": "green", "value": null}, {"color": "red", "value": 80}]"#)).dashboard.panels[0].thresholds)
        #expect(t.state(of: 0) == .ok && t.state(of: 50) == .ok && t.state(of: 85) == .critical)
    }

    @Test("red below green (a health panel where 1 is good): 1 is ok, 0 critical")
    func redBelowGreen() throws {
        let t = try #require(try Self.imported(Self.panel("stat", steps: #"[{"color": "red", "value": null}, {"color": "green", "value": 1}]"#)).dashboard.panels[0].thresholds)
        #expect(t.state(of: 1) == .ok && t.state(of: 0) == .critical)
    }

    @Test("the state comes from the colour's family, in any order of steps")
    func coloursGiveTheState() throws {
        let steps = ##"[{"color": "dark-green", "value": null}, {"color": "semi-dark-yellow", "value": 60}, {"color": "#F2495C", "value": 90}, {"color": "blue", "value": 95}]"##
        let t = try #require(try Self.imported(Self.panel("gauge", steps: steps)).dashboard.panels[0].thresholds)
        #expect([10, 60, 91, 99].map { t.state(of: $0) } == [.ok, .warning, .critical, .ok])
    }

    @Test(arguments: [
        ("green", ThresholdState.ok), ("dark-red", .critical), ("super-light-orange", .warning), ("yellow", .warning),
        ("blue", .ok), ("purple", .ok), ("text", .ok), ("transparent", .ok), ("#EAB839", .warning), ("#d44a3a", .critical),
        ("rgba(50, 172, 45, 0.97)", .ok), ("rgba(237, 129, 40, 0.89)", .warning), ("rgba(245, 54, 54, 0.9)", .critical),
        ("#299c46", .ok), ("#1F78C1", .ok), ("#BA43A9", .ok), ("#808080", .ok), ("#fff", .ok), ("#f00", .critical),
    ])
    func colourFamilies(colour: String, state: ThresholdState) {
        #expect(Thresholds.state(ofColour: colour) == state)
    }

    @Test("a time series keeps no thresholds it does not draw (thresholdsStyle off or absent); drawn as lines, it does")
    func timeSeriesDrawsThresholdsOnlyWhenAsked() throws {
        let steps = #"[{"color": "green", "value": null}, {"color": "red", "value": 80}]"#
        #expect(try Self.imported(Self.panel("timeseries", steps: steps)).dashboard.panels[0].thresholds == nil)
        let off = #", "custom": {"thresholdsStyle": {"mode": "off"}}"#
        #expect(try Self.imported(Self.panel("timeseries", steps: steps, extra: off)).dashboard.panels[0].thresholds == nil)
        let line = #", "custom": {"thresholdsStyle": {"mode": "line+area"}}"#
        #expect(try Self.imported(Self.panel("timeseries", steps: steps, extra: line)).dashboard.panels[0].thresholds?.state(of: 90) == .critical)
    }

    @Test("a stat with colorMode none colours nothing: no state (RAM Total is not CRIT)")
    func statColourModeNone() throws {
        let steps = #"[{"color": "green", "value": null}, {"color": "red", "value": 80}]"#
        #expect(try Self.imported(Self.panel("stat", unit: "bytes", steps: steps, options: #"{"colorMode": "none"}"#)).dashboard.panels[0].thresholds == nil)
        #expect(try Self.imported(Self.panel("stat", unit: "bytes", steps: steps, options: #"{"colorMode": "background"}"#)).dashboard.panels[0].thresholds != nil)
    }

    @Test("steps that are all ok-coloured can give no warning: none kept")
    func onlyOkSteps() throws {
        #expect(try Self.imported(Self.panel("stat", steps: #"[{"color": "green", "value": null}]"#)).dashboard.panels[0].thresholds == nil)
        #expect(try Self.imported(Self.panel("stat", steps: #"[{"color": "green", "value": null}, {"color": "blue", "value": 5}]"#)).dashboard.panels[0].thresholds == nil)
    }

    @Test("percentage steps are percents of min to max: 170 of 0–200 is 85 %, critical; 90 is 45 %, ok")
    func percentageMode() throws {
        let panel = #"{"type": "gauge", "title": "p", "targets": [{"expr": "up"}], "fieldConfig": {"defaults": {"min": 0, "max": 200, "thresholds": {"mode": "percentage", "steps": [{"color": "green", "value": null}, {"color": "orange", "value": 50}, {"color": "red", "value": 80}]}}}}"#
        let t = try #require(try Self.imported(panel).dashboard.panels[0].thresholds)
        #expect(t.percentage && t.state(of: 170) == .critical && t.state(of: 90) == .ok && t.state(of: 120) == .warning)
        // Without min and max: of the series' own range.
        let bare = Thresholds(steps: t.steps, percentage: true)
        #expect(bare.state(of: 9, range: (0, 10)) == .critical && bare.state(of: 9) == .unknown)
    }

    @Test("singlestat's thresholds are a string, \"80,90\", coloured by colors[]")
    func singlestat() throws {
        let panel = #"{"type": "singlestat", "title": "p", "format": "percent", "colorValue": true, "thresholds": "80,90", "colors": ["rgba(50, 172, 45, 0.97)", "rgba(237, 129, 40, 0.89)", "rgba(245, 54, 54, 0.9)"], "targets": [{"expr": "up"}]}"#
        let p = try Self.imported(panel).dashboard.panels[0]
        #expect(p.unit.id == "percent")
        #expect([50, 85, 95].map { p.thresholds?.state(of: $0) } == [.ok, .warning, .critical])
        let plain = panel.replacingOccurrences(of: #""colorValue": true"#, with: #""colorValue": false"#)
        #expect(try Self.imported(plain).dashboard.panels[0].thresholds == nil, "a singlestat that colours nothing")
    }

    @Test("the old graph panel's thresholds: colorMode critical and warning")
    func oldGraph() throws {
        let panel = #"{"type": "graph", "title": "p", "targets": [{"expr": "up"}], "yaxes": [{"format": "ms"}], "thresholds": [{"value": 200, "colorMode": "warning", "op": "gt"}, {"value": 500, "colorMode": "critical", "op": "gt"}]}"#
        let p = try Self.imported(panel).dashboard.panels[0]
        #expect(p.unit.id == "ms")
        #expect([100, 300, 600].map { p.thresholds?.state(of: $0) } == [.ok, .warning, .critical])
    }

    @Test("units: Grafana's ids kept with their decimals; one lookout does not know is a plain number, named once")
    func units() throws {
        let bytes = #"{"type": "stat", "title": "RAM", "targets": [{"expr": "up"}], "fieldConfig": {"defaults": {"unit": "bytes", "decimals": 1}}}"#
        let p = try Self.imported(bytes).dashboard.panels[0]
        #expect(p.unit == Unit(grafana: "bytes", decimals: 1))
        #expect(ValueFormat.format(27_165_577_216, unit: p.unit) == "25.3 GiB")
        let ops = try Self.imported(#"{"type": "timeseries", "title": "o", "targets": [{"expr": "up"}], "fieldConfig": {"defaults": {"unit": "ops"}}}"#)
        #expect(ValueFormat.format(12, unit: ops.dashboard.panels[0].unit) == "12.0 ops/s", "ops is not req/s")
        let odd = try Self.imported(#"{"type": "stat", "title": "c", "targets": [{"expr": "up"}], "fieldConfig": {"defaults": {"unit": "currencyXYZ"}}}"#)
        #expect(odd.dashboard.panels[0].unit == .none)
        #expect(odd.warnings.filter { $0.contains("currencyXYZ") }.count == 1)
    }

    @Test("the export writes the steps back, and the import of the export is the same dashboard")
    func exportRoundTrips() throws {
        let steps = [Thresholds.Step(value: nil, color: "red"), Thresholds.Step(value: 1, color: "green")]
        let board = Dashboard(title: "Round trip", panels: [
            Panel(title: "Up", kind: .stat, targets: [Target(expr: "up")], thresholds: Thresholds(steps: steps)),
            Panel(title: "Memory", kind: .graph, targets: [Target(expr: "node_memory_MemAvailable_bytes")], unit: Unit(grafana: "bytes", decimals: 1),
                  thresholds: Thresholds(steps: [Thresholds.Step(value: nil, color: "green"), Thresholds.Step(value: 80, color: "red")], percentage: true, min: 0, max: 100)),
            Panel(title: "Errors", kind: .graph, targets: [Target(expr: "up")], unit: .percent, thresholds: Thresholds(warning: 0.01, critical: 0.05)),
        ])
        let back = try GrafanaImport.convert(json: Data(try board.grafanaJSON().utf8), source: "export.json")
        #expect(back.dashboard == board)
        #expect(back.warnings.isEmpty, "\(back.warnings)")
        // And the YAML form reads back equal.
        #expect(try Dashboard.parse(yaml: board.yaml(), source: "b.yaml") == board)
    }

    @Test("value mappings: CoreDNS' 0 → DOWN in red, 1 → UP in green; a range; no value; the first that matches wins")
    func valueMappings() throws {
        let panel = #"{"type": "stat", "title": "CoreDNS", "targets": [{"expr": "up"}], "fieldConfig": {"defaults": {"mappings": [{"type": "value", "options": {"0": {"text": "DOWN", "color": "red", "index": 1}, "1": {"text": "UP", "color": "green", "index": 0}}}, {"type": "range", "options": {"from": 2, "to": 10, "result": {"text": "some"}}}, {"type": "special", "options": {"match": "null+nan", "result": {"text": "n/a"}}}, {"type": "regex", "options": {"pattern": "x", "result": {"text": "y"}}}]}}}"#
        let result = try Self.imported(panel)
        let p = result.dashboard.panels[0]
        #expect(p.mappings.count == 4)
        let series = { (v: Double) in SeriesSummary(legend: "a", labels: [:], points: [SamplePair(timestamp: 1, value: v)], thresholds: p.thresholds, mappings: p.mappings) }
        #expect(series(0).lastText(p.unit) == "DOWN" && series(0).state == .critical && series(0).mappedState)
        #expect(series(1).lastText(p.unit) == "UP" && series(1).state == .ok)
        #expect(series(5).lastText(p.unit) == "some" && !series(5).mappedState, "a mapping without a colour leaves the state")
        #expect(series(.nan).lastText(p.unit) == "n/a")
        #expect(series(42).lastText(p.unit) == "42.0", "no mapping: the number")
        #expect(result.warnings.contains { $0.contains("a regex mapping is not kept") }, "\(result.warnings)")
        // Through the export, and YAML, the same.
        let board = Dashboard(title: "m", panels: [p])
        #expect(try GrafanaImport.convert(json: Data(try board.grafanaJSON().utf8), source: "e.json").dashboard == board)
        #expect(try Dashboard.parse(yaml: board.yaml(), source: "m.yaml") == board)
    }

    @Test("singlestat's valueMaps and rangeMaps")
    func singlestatMaps() throws {
        let panel = #"{"type": "singlestat", "title": "s", "targets": [{"expr": "up"}], "valueMaps": [{"value": "1", "op": "=", "text": "UP"}], "rangeMaps": [{"from": "2", "to": "5", "text": "many"}]}"#
        let p = try Self.imported(panel).dashboard.panels[0]
        #expect(p.mappings == [ValueMapping(.value(1), text: "UP"), ValueMapping(.range(from: 2, to: 5), text: "many")])
    }

    @Test(arguments: [
        (Reducer.lastNotNull, 3.0), (.last, .nan), (.first, 1), (.firstNotNull, 1), (.mean, 2), (.min, 1), (.max, 3), (.sum, 6),
        (.count, 4), (.range, 2), (.diff, 2), (.median, 2), (.delta, 2),
    ])
    func reducers(reducer: Reducer, expected: Double) {
        let points = [1, 2, 3, .nan].enumerated().map { SamplePair(timestamp: Double($0.offset), value: $0.element) }
        let value = reducer.reduce(points)
        #expect(expected.isNaN ? value.isNaN : value == expected, "\(reducer)")
    }

    @Test("delta adds the rises, a counter reset counting from zero")
    func deltaAcrossAReset() {
        let points = [10, 15, 3, 5].enumerated().map { SamplePair(timestamp: Double($0.offset), value: Double($0.element)) }
        #expect(Reducer.delta.reduce(points) == 5 + 3 + 2)
    }

    @Test("a stat's reducer is imported (mean, max), lastNotNull is the value at the end; the series shows the reduction")
    func statReducer() throws {
        let panel = #"{"type": "stat", "title": "Load", "targets": [{"expr": "up"}], "options": {"reduceOptions": {"calcs": ["max"]}}, "fieldConfig": {"defaults": {"thresholds": {"steps": [{"color": "green", "value": null}, {"color": "red", "value": 5}]}}}}"#
        let p = try Self.imported(panel).dashboard.panels[0]
        #expect(p.reducer == .max)
        let s = SeriesSummary(legend: "a", labels: [:], points: [1, 7, 2].enumerated().map { SamplePair(timestamp: Double($0.offset), value: Double($0.element)) },
                              thresholds: p.thresholds, reducer: p.reducer)
        #expect(s.last == 7 && s.state == .critical, "the max, and its state")
        let last = try Self.imported(panel.replacingOccurrences(of: "\"max\"", with: "\"lastNotNull\""))
        #expect(last.dashboard.panels[0].reducer == nil)
        let odd = try Self.imported(panel.replacingOccurrences(of: "\"max\"", with: "\"p99\""))
        #expect(odd.dashboard.panels[0].reducer == nil && odd.warnings.contains { $0.contains("the reducer p99 is not kept") })
        let board = Dashboard(title: "r", panels: [p])
        #expect(try GrafanaImport.convert(json: Data(try board.grafanaJSON().utf8), source: "e.json").dashboard == board)
        #expect(try Dashboard.parse(yaml: board.yaml(), source: "r.yaml") == board)
    }

    @Test("numbers a file makes huge (decimals, a mapping's index) are clamped, not trapped on")
    func hugeNumbers() throws {
        let panel = #"{"type": "stat", "title": "h", "targets": [{"expr": "up"}], "fieldConfig": {"defaults": {"unit": "bytes", "decimals": 1e300, "mappings": [{"type": "value", "options": {"1": {"text": "one", "index": 1e300}, "0": {"text": "zero", "index": -1e300}}}]}}}"#
        let p = try Self.imported(panel).dashboard.panels[0]
        #expect(p.unit.decimals == 10)
        #expect(p.mappings.map(\.text) == ["zero", "one"], "ordered by their index")
    }
}
