import DashboardCore
import Foundation
import Testing

/// Dashboard variables with Grafana's semantics for a Prometheus data source, each case named after the behaviour
/// it mirrors: the starting value, All, multi-value and the formats, chained selectors, regex, the kinds.
@Suite("Grafana's variables")
struct GrafanaVariableTests {
    static func query(_ name: String, current: [String] = [], includeAll: Bool = false, allValue: String? = nil, multi: Bool = false) -> Variable {
        Variable(name: name, kind: .query, current: current, includeAll: includeAll, allValue: allValue, multi: multi)
    }

    static func text(_ template: String, _ variables: [Variable], choices: [String: String] = [:], options: [String: [String]]) -> String {
        Variable.substitute(template, Variable.resolve(variables, choices: choices, options: options))
    }

    @Test("the saved current value starts when it is still offered, else the first value; never All unless saved")
    func startingValue() {
        let node = Self.query("node", current: ["b:9100"])
        #expect(Self.text(#"up{instance="$node"}"#, [node], options: ["node": ["a:9100", "b:9100"]]) == #"up{instance="b:9100"}"#)
        #expect(Self.text(#"up{instance="$node"}"#, [node], options: ["node": ["a:9100", "c:9100"]]) == #"up{instance="a:9100"}"#)
        // Before the values are known, the saved one is used as it is.
        #expect(Self.text(#"up{instance="$node"}"#, [node], options: [:]) == #"up{instance="b:9100"}"#)
        // A choice that is offered wins.
        #expect(Self.text(#"up{instance="$node"}"#, [node], choices: ["node": "c:9100"], options: ["node": ["a:9100", "c:9100"]]) == #"up{instance="c:9100"}"#)
    }

    @Test("All is allValue when set, else the alternation of every value, regex-escaped")
    func all() {
        let job = Self.query("job", current: ["All"], includeAll: true)
        #expect(Self.text(#"up{job=~"$job"}"#, [job], options: ["job": ["node", "prom.1"]]) == #"up{job=~"(node|prom\\.1)"}"#)
        let withAllValue = Self.query("job", current: ["$__all"].map { $0 == "$__all" ? "All" : $0 }, includeAll: true, allValue: ".*")
        #expect(Self.text(#"up{job=~"$job"}"#, [withAllValue], options: ["job": ["node"]]) == #"up{job=~".*"}"#)
    }

    @Test("a single value of a variable without All or multi is not regex-escaped; with them it is")
    func escaping() {
        let plain = Self.query("x", current: ["a.b"])
        #expect(Self.text(#"m{x="$x"}"#, [plain], options: ["x": ["a.b"]]) == #"m{x="a.b"}"#)
        let multi = Self.query("x", current: ["a.b", "c"], multi: true)
        #expect(Self.text(#"m{x=~"$x"}"#, [multi], options: ["x": ["a.b", "c"]]) == #"m{x=~"(a\\.b|c)"}"#)
        // A quote cannot end the string it goes into.
        let hostile = Self.query("x", current: [#"a"} or vector(1) #"#])
        #expect(Self.text(#"m{x="$x"}"#, [hostile], options: [:]) == ##"m{x="a\"} or vector(1) #"}"##)
    }

    @Test(arguments: [
        ("${x:raw}", "a.b,c"), ("${x:csv}", "a.b,c"), ("${x:pipe}", "a.b|c"), ("${x:regex}", #"(a\.b|c)"#),
        ("${x:glob}", "{a.b,c}"), ("${x:json}", #"["a.b","c"]"#), ("${x:text}", "a.b + c"), ("[[x]]", #"(a\\.b|c)"#), ("$x", #"(a\\.b|c)"#),
        ("${x}", #"(a\\.b|c)"#), ("$xy", "$xy"), ("${unknown}", "${unknown}"), ("$__rate_interval", "$__rate_interval"),
    ])
    func formats(template: String, expected: String) {
        let x = Self.query("x", current: ["a.b", "c"], multi: true)
        #expect(Self.text(template, [x], options: ["x": ["a.b", "c"]]) == expected)
    }

    @Test("chained: a selector's variables are resolved first, whatever the declared order")
    func chained() {
        let node = Variable(name: "node", label: "instance", selector: #"node_uname_info{job="$job"}"#, kind: .query)
        let job = Self.query("job")
        #expect(Variable.ordered([node, job]).map(\.name) == ["job", "node"])
        #expect(node.uses([node, job]) == ["job"])
        let values = Variable.resolve([job, node], choices: [:], options: ["job": ["node-exporter"]])
        #expect(Variable.substitute(node.selector ?? "", values) == #"node_uname_info{job="node-exporter"}"#)
    }

    @Test("the regex keeps the values it matches (/…/i case-insensitive)")
    func regex() {
        let v = Variable(name: "job", kind: .query, regex: "/node|prom/")
        #expect(v.offered(["node", "prometheus", "coredns"]) == ["node", "prometheus"])
        #expect(Variable(name: "j", kind: .query, regex: "/NODE/i").offered(["node-exporter", "x"]) == ["node-exporter"])
        // A pattern that cannot be read keeps every value.
        #expect(Variable(name: "j", kind: .query, regex: "/(/").offered(["a"]) == ["a"])
    }

    @Test("custom, constant and textbox variables")
    func kinds() {
        let custom = Variable(name: "q", kind: .custom, options: ["0.5", "0.95", "0.99"], current: ["0.95"])
        #expect(Self.text("histogram_quantile($q, x)", [custom], options: [:]) == "histogram_quantile(0.95, x)")
        #expect(custom.choices(offered: custom.offered([])) == ["0.5", "0.95", "0.99"])
        let constant = Variable(name: "c", kind: .constant, options: ["prod"])
        #expect(Self.text(#"up{env="$c"}"#, [constant], options: [:]) == #"up{env="prod"}"#)
        let box = Variable(name: "t", kind: .textbox, options: ["default"])
        #expect(Self.text("$t", [box], options: [:]) == "default")
        #expect(Self.text("$t", [box], choices: ["t": "typed"], options: [:]) == "typed")
    }

    @Test("lookout's own variables keep their meaning: All first, standing for .+")
    func lookoutsOwn() {
        let v = Variable(name: "service")
        #expect(v.isPlain && v.includeAll && v.allValue == ".+")
        #expect(Self.text(#"up{service=~"$service"}"#, [v], options: ["service": ["a"]]) == #"up{service=~".+"}"#)
    }

    @Test("Grafana's templating as imported: label_values with a selector, current, includeAll, allValue, custom, constant")
    func imported() throws {
        let json = #"""
        {"title": "t", "panels": [{"type": "stat", "title": "p", "targets": [{"expr": "up{instance=\"$node\"}"}]}],
         "templating": {"list": [
           {"type": "datasource", "name": "ds", "query": "prometheus"},
           {"type": "query", "name": "job", "query": {"query": "label_values(node_uname_info, job)"}, "current": {"value": "node"}, "includeAll": false},
           {"type": "query", "name": "node", "query": "label_values(node_uname_info{job=\"$job\"}, instance)", "current": {"value": ["$__all"]}, "includeAll": true, "allValue": ".*", "multi": true, "regex": "/9100/"},
           {"type": "custom", "name": "q", "query": "0.5, 0.9,0.99", "current": {"value": "0.9"}},
           {"type": "constant", "name": "env", "query": "prod"},
           {"type": "adhoc", "name": "filters"}
         ]}}
        """#
        let result = try GrafanaImport.convert(json: Data(json.utf8), source: "t.json")
        let vars = result.dashboard.variables
        #expect(vars.map(\.name) == ["job", "node", "q", "env"])
        #expect(vars[0] == Variable(name: "job", label: "job", selector: "node_uname_info", kind: .query, current: ["node"]))
        #expect(vars[1] == Variable(name: "node", label: "instance", selector: #"node_uname_info{job="$job"}"#, kind: .query, current: ["All"],
                                    includeAll: true, allValue: ".*", multi: true, regex: "/9100/"))
        #expect(vars[2].options == ["0.5", "0.9", "0.99"] && vars[2].current == ["0.9"])
        #expect(vars[3].kind == .constant && vars[3].options == ["prod"])
        #expect(result.warnings.contains { $0.contains("'filters'") }, "\(result.warnings)")
        // Its YAML reads back equal.
        #expect(try Dashboard.parse(yaml: result.dashboard.yaml(), source: "t.yaml") == result.dashboard)
        // And a dashboard substitutes them in its queries and its legends.
        let board = result.dashboard.substituting([:], options: ["job": ["node"], "node": ["a:9100"]])
        #expect(board.panels[0].targets[0].expr == #"up{instance=".*"}"#)
    }

    @Test("built-ins as Grafana computes them: $__interval is the step, $__rate_interval max(step + 15 s, 60 s), $__range the window")
    func builtins() {
        let end = Date(timeIntervalSince1970: 1_764_811_119)
        let hour = GrafanaBuiltins.values(start: end.addingTimeInterval(-3600), end: end, step: 60)
        #expect(hour["__interval"] == "60s" && hour["__rate_interval"] == "75s" && hour["__range"] == "3600s" && hour["__range_s"] == "3600")
        #expect(hour["__interval_ms"] == "60000" && hour["__to"] == "1764811119000" && hour["__from"] == "1764807519000")
        // A short step: four scrape intervals, so rate() spans enough samples.
        #expect(GrafanaBuiltins.values(start: end.addingTimeInterval(-300), end: end, step: 5)["__rate_interval"] == "60s")
        #expect(GrafanaBuiltins.substitute("rate(x[$__rate_interval]) / ${__range_s} + [[__interval]] + $__unknown", start: end.addingTimeInterval(-3600), end: end, step: 60)
                == "rate(x[75s]) / 3600 + 60s + $__unknown")
        let board = Dashboard(title: "b", panels: [Panel(title: "p", kind: .graph, targets: [Target(expr: "rate(x[$__rate_interval])")])])
        #expect(board.withBuiltins(start: end.addingTimeInterval(-21_600), end: end, step: 300).panels[0].targets[0].expr == "rate(x[315s])")
    }
}
