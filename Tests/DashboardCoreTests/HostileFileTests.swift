import DashboardCore
import Foundation
import SafeText
import Testing
import TestSupport

/// Dashboard and Grafana files from somewhere else: bombs, sizes, limits and control characters in every field end
/// in one safe line that names the file and the limit, never in a hang, a crash or an escape sequence.
@Suite("Hostile dashboard files")
struct HostileFileTests {
    static let attack = "\u{1B}]52;c;QUFBQQ==\u{07}\u{1B}[2J\u{9B}31m\u{202E}x"

    static func expectClean(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(text.unicodeScalars.allSatisfy { $0.value == 0x0A || SafeText.isPlain($0) }, "control character in \(text.debugDescription)", sourceLocation: sourceLocation)
    }

    @Test func anAliasFanOutIsRefusedQuickly() {
        // Nine levels of ten aliases: a billion nodes once expanded, from a few hundred bytes.
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 { yaml += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        yaml += "title: *a9\npanels: *a9\n"
        #expect {
            try Dashboard.parse(yaml: yaml, source: "bomb.yaml")
        } throws: { error in
            (error as? DashboardFileError)?.message == "bomb.yaml: more than 50000 YAML nodes once aliases are expanded, the limit"
        }
    }

    @Test(arguments: [
        String(repeating: "[", count: 200_000),
        "title: x\npanels: " + String(repeating: "{a: ", count: 50_000),
        "title: x\npanels:\n" + String(repeating: "- ", count: 100_000) + "x\n",
    ])
    func deepNestingIsRefused(yaml: String) {
        #expect(throws: DashboardFileError(message: "deep.yaml: nested deeper than 128 levels, the limit")) {
            try Dashboard.parse(yaml: yaml, source: "deep.yaml")
        }
    }

    @Test func depthIsCountedExactly() throws {
        let atLimit = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        #expect(try YAMLDocument.compose(atLimit, source: "ok.yaml") != nil)
        let over = String(repeating: "[", count: 129) + String(repeating: "]", count: 129)
        #expect(throws: YAMLError(message: "deep.yaml: nested deeper than 128 levels, the limit")) {
            try YAMLDocument.compose(over, source: "deep.yaml")
        }
        // Brackets in quotes and comments, and a deep indentation, are no nesting.
        let flat = "title: 'a [[[[ b'\n# [[[[[[\nx:\n" + String(repeating: " ", count: 300) + "- \"q \\\" [[[[\"\n"
        #expect(try YAMLDocument.compose(flat, source: "flat.yaml")?["x"]?.sequence?.first?.string == "q \" [[[[")
    }

    @Test func aFileOverTheSizeLimitIsNotRead() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("big.yaml", "title: x\n# " + String(repeating: "x", count: InputLimits.dashboardFileBytes) + "\n")
        #expect(throws: DashboardFileError(message: "\(file.path): the dashboard file is larger than 1 MiB, the limit")) {
            try Dashboard.load(file: file.path)
        }
        #expect(throws: DashboardFileError.self) { try Dashboard.load(file: "/dev/zero") }
        #expect(throws: DashboardFileError(message: "\(dir.url.path): cannot read the dashboard file: it is a directory")) {
            try Dashboard.load(file: dir.url.path)
        }
    }

    @Test func panelTargetAndVariableCountsAreBounded() {
        let panel = "  - {title: p, type: graph, targets: [{expr: up}]}\n"
        let many = "title: x\npanels:\n" + String(repeating: panel, count: InputLimits.panels + 1)
        #expect(throws: DashboardFileError(message: "many.yaml:3:3: panels: 1001 panels, more than the limit of 1000")) {
            try Dashboard.parse(yaml: many, source: "many.yaml")
        }
        let targets = "title: x\npanels:\n  - title: p\n    type: graph\n    targets:\n" + String(repeating: "      - {expr: up}\n", count: 17)
        #expect(throws: DashboardFileError.self) { try Dashboard.parse(yaml: targets, source: "t.yaml") }
        let variables = "title: x\npanels:\n" + panel + "variables:\n" + String(repeating: "  - {name: v}\n", count: 17)
        #expect(throws: DashboardFileError.self) { try Dashboard.parse(yaml: variables, source: "v.yaml") }
    }

    @Test(arguments: ["title", "panel title", "expr", "legend", "unknown key", "type"])
    func controlCharactersInAnyFieldNeverReachAnOutput(field: String) throws {
        let a = Self.attack.unicodeScalars.map { String(format: "\\u%04X", $0.value) }.joined()
        let values = [
            "title": a, "panel title": a, "expr": a, "legend": a, "unknown key": "ok", "type": a,
        ]
        func v(_ name: String) -> String { field == name ? values[name] ?? "x" : (name == "type" ? "graph" : "x") }
        var yaml = "title: \"\(v("title"))\"\npanels:\n  - title: \"\(v("panel title"))\"\n    type: \"\(v("type"))\"\n"
        if field == "unknown key" { yaml += "    \"\(a)\": 1\n" }
        yaml += "    targets: [{expr: \"\(v("expr"))\", legendFormat: \"\(v("legend"))\"}]\n"
        do {
            let dashboard = try Dashboard.parse(yaml: yaml, source: "evil\u{1B}[2J.yaml")
            // Printed again (lookout dashboard print), it is escaped; Grafana JSON too.
            Self.expectClean(dashboard.yaml())
            Self.expectClean(try dashboard.grafanaJSON())
            #expect(try Dashboard.parse(yaml: dashboard.yaml(), source: "again") == dashboard)
        } catch let error as DashboardFileError {
            Self.expectClean(error.message)
            #expect(error.message.hasPrefix("evil[2J.yaml") || error.message.hasPrefix("evil.yaml"))
        }
    }

    @Test func aGrafanaFileOverTheLimitIsNotParsed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("huge.json", "{\"title\":\"" + String(repeating: "x", count: InputLimits.grafanaFileBytes) + "\"}")
        #expect(throws: DashboardFileError(message: "\(file.path): the Grafana dashboard is larger than 4 MiB, the limit")) {
            try GrafanaImport.convert(file: file.path)
        }
    }

    @Test func grafanaPanelsBeyondTheLimitAreLeftOutWithAWarning() throws {
        let panel = #"{"type":"timeseries","title":"p\u001b[2J","targets":[{"expr":"up"}]}"#
        let json = #"{"title":"t","panels":["# + Array(repeating: panel, count: InputLimits.panels + 12).joined(separator: ",") + "]}"
        let result = try GrafanaImport.convert(json: Data(json.utf8), source: "g.json")
        #expect(result.dashboard.panels.count == InputLimits.panels)
        // The warning names the panels it cuts (the first ten, and how many more).
        let names = Array(repeating: "'p'", count: 10).joined(separator: ", ")
        #expect(result.warnings.contains("12 panels beyond the limit of 1000 were left out: \(names) and 2 more"))
        for warning in result.warnings { Self.expectClean(warning) }
    }
}
