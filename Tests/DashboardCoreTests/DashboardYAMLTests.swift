import DashboardCore
import Testing

@Suite("Dashboards as YAML")
struct DashboardYAMLTests {
    @Test func theBuiltInDashboardRoundTrips() throws {
        let yaml = Dashboard.microservices.yaml()
        #expect(try Dashboard.parse(yaml: yaml, source: "built-in") == .microservices)
        #expect(yaml.contains(#"expr: "sum(rate(http_requests_total{status_code=~\"4..|5..\"}[5m])) by (service) / sum(rate(http_requests_total[5m])) by (service)""#))
        #expect(yaml.contains("thresholds: {warning: 0.5, critical: 1}"))
    }

    @Test func oddTextSurvivesTheRoundTrip() throws {
        let dashboard = Dashboard(title: "Quotes \" and \\ back\\slashes: 日本 #hash", panels: [
            Panel(title: "- dash: colon", kind: .graph, targets: [Target(expr: "a{b=\"c\\\\d\"}\n+ 1", legendFormat: "{{x}} 'y'")], unit: .seconds),
        ])
        #expect(try Dashboard.parse(yaml: dashboard.yaml(), source: "x") == dashboard)
    }

    @Test func theWideLayoutHintRoundTrips() throws {
        let yaml = "title: x\npanels:\n  - title: A\n    type: graph\n    wide: true\n    targets: [{expr: up}]\n"
        let d = try Dashboard.parse(yaml: yaml, source: "w.yaml")
        #expect(d.panels[0].wide)
        #expect(try Dashboard.parse(yaml: d.yaml(), source: "w.yaml") == d)
        #expect(throws: DashboardFileError.self) {
            try Dashboard.parse(yaml: "title: x\npanels:\n  - title: A\n    type: graph\n    wide: sometimes\n    targets: [{expr: up}]\n", source: "w.yaml")
        }
    }

    @Test func aHandWrittenFileWithDefaults() throws {
        let yaml = """
            title: Mine
            panels:
              - title: Up
                type: stat
                targets: [{expr: up}]
            """
        let d = try Dashboard.parse(yaml: yaml, source: "mine.yaml")
        #expect(d.panels[0].unit == .none && d.panels[0].targets[0].legendFormat == "")
    }

    @Test(arguments: [
        ("", "f.yaml: the file is empty"),
        ("title: [x", "f.yaml:2:1: not valid YAML: did not find expected ',' or ']' while parsing a flow sequence"),
        ("panels: []\n", "f.yaml:1:1: missing title"),
        ("title: x\n", "f.yaml:1:1: missing panels (at least one)"),
        ("title: x\ncolour: red\n", "f.yaml:2:1: unknown key 'colour' (expected title, panels, variables)"),
        ("title: x\npanels:\n  - title: A\n    type: pie\n    targets: [{expr: up}]\n", "f.yaml:4:11: panels[0].type: unknown panel type 'pie' (expected stat, graph, gauge, bargauge or row)"),
        ("title: x\npanels:\n  - title: A\n    type: graph\n    targets: [{legendFormat: x}]\n", "f.yaml:5:15: panels[0].targets[0]: missing expr (the PromQL query)"),
        ("title: x\npanels:\n  - title: A\n    type: graph\n    unit: bytez\n    targets: [{expr: up}]\n", "f.yaml:5:11: panels[0].unit: unknown unit 'bytez' (expected req/s, percent (0 to 1), seconds, none, or a Grafana unit such as bytes, bps, ms, percent100)"),
        ("title: x\npanels:\n  - title: A\n    type: graph\n    decimals: 2.5\n    targets: [{expr: up}]\n", "f.yaml:5:15: panels[0].decimals: expected a whole number from 0 to 10"),
        ("title: x\npanels:\n  - title: A\n    type: stat\n    thresholds: {steps: [{value: 1}]}\n    targets: [{expr: up}]\n", "f.yaml:5:26: panels[0].thresholds.steps[0]: needs a color or a state"),
        ("title: x\npanels:\n  - title: A\n    type: stat\n    thresholds: {steps: [{color: red}], warning: 1}\n    targets: [{expr: up}]\n", "f.yaml:5:17: panels[0].thresholds: either steps or warning and critical, not both"),
        ("title: x\npanels:\n  - title: A\n    type: graph\n    thresholds: {warning: high, critical: 1}\n    targets: [{expr: up}]\n", "f.yaml:5:27: panels[0].thresholds.warning: expected a number, got 'high'"),
        ("title: x\npanels:\n  - title: A\n    type: graph\n    thresholds: {warning: 2, critical: 1}\n    targets: [{expr: up}]\n", "f.yaml:5:17: panels[0].thresholds: warning (2) must not be above critical (1)"),
        ("title: x\npanels:\n  - title: A\n    type: graph\n    targets: []\n", "f.yaml:5:14: panels[0].targets: expected a list of at least one target"),
        ("title: x\npanels:\n  - type: graph\n    targets: [{expr: up}]\n", "f.yaml:3:5: panels[0]: missing title"),
    ])
    func brokenFilesNameFileLineColumnAndWhatWasExpected(yaml: String, message: String) {
        #expect {
            try Dashboard.parse(yaml: yaml, source: "f.yaml")
        } throws: { error in
            guard let e = error as? DashboardFileError else { return false }
            if !e.message.hasPrefix(message) { Issue.record("got: \(e.message)") }
            return e.message.hasPrefix(message)
        }
    }
}
