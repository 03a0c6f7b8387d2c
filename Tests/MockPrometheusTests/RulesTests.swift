import PrometheusModels
import PromQL
import Foundation
import PrometheusAPI
import Testing
import TestSupport

@testable import MockPrometheus

@Suite("Alert rules and templates")
struct RulesTests {
    /// Renderings recorded from Debian's Prometheus 2.42 (rules over `label_replace(vector(x), …)`).
    @Test("annotations render as Prometheus renders them")
    func templates() {
        // humanizeDuration, as promtool's rule tests of examples/operations-rules.test.yml expect it.
        #expect(AlertTemplate.render("{{ $value | humanizeDuration }}", labels: [:], value: 94200) == "1d 2h 10m 0s")
        #expect(AlertTemplate.render("{{ $value | humanizeDuration }}", labels: [:], value: 303.5) == "5m 3s")
        #expect(AlertTemplate.render("{{ $value | humanizeDuration }}", labels: [:], value: 30.5) == "30.5s")
        #expect(AlertTemplate.render("{{ $value | humanizeDuration }}", labels: [:], value: 0.25) == "250ms")
        let labels: Labels = ["__name__": "x", "service": "inv"]
        #expect(AlertTemplate.render("{{ $labels.service }} p95 {{ $value }}s missing={{ $labels.spec_replicas }}. pct {{ $value | humanizePercentage }}",
                                     labels: labels, value: 4.053219876) == "inv p95 4.053219876s missing=. pct 405.3%")
        #expect(AlertTemplate.render("{{ $value | humanizePercentage }} {{ $value }} {{ humanize $value }}", labels: [:], value: 0.11426999)
            == "11.43% 0.11426999 114.3m")
        #expect(AlertTemplate.render("{{ $value | humanizePercentage }} {{ $value }}", labels: [:], value: 3) == "300% 3")
        #expect(AlertTemplate.render("{{ $value | humanizePercentage }} {{ $value }}", labels: [:], value: 0.05) == "5% 0.05")
        #expect(AlertTemplate.render("{{humanize 1234567}} {{ printf \"%.2f\" $value }} {{- \"  x\" }}", labels: [:], value: 2)
            == "1.235M 2.00  x")
        #expect(AlertTemplate.render("{{ $value | nope }}", labels: [:], value: 1, name: "A").hasPrefix("<error expanding template:"))
        #expect(AlertTemplate.render("no actions", labels: [:], value: 1) == "no actions")
    }

    /// The embedded rules are the ones of `examples/microservices.rules.yml` and `examples/operations-rules.yml`
    /// (read with a small line parser).
    @Test("the embedded rules equal the example rules files", arguments: [
        ("examples/microservices.rules.yml", RuleGroupDefinition.microservices), ("examples/operations-rules.yml", .operations),
    ])
    func embeddedRulesMatchTheExample(file: String, group: RuleGroupDefinition) throws {
        let text = try String(contentsOf: Repository.root.appendingPathComponent(file), encoding: .utf8)
        let blocks = text.components(separatedBy: "  - alert: ").dropFirst()
        #expect(blocks.count == group.rules.count)
        #expect(text.contains("- name: \(group.name)\n  interval: \(group.intervalSeconds)s"))
        for (block, rule) in zip(blocks, group.rules) {
            let lines = block.components(separatedBy: "\n")
            #expect(lines.first == rule.name)
            var expr: [String] = []
            var inExpr = false
            var values: [String: String] = [:]
            for line in lines.dropFirst() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("expr:") {
                    inExpr = true
                    let rest = trimmed.dropFirst(5).trimmingCharacters(in: .whitespaces)
                    if rest != "|" { expr.append(rest) }
                    continue
                }
                if inExpr, line.hasPrefix("      ") {
                    expr.append(trimmed)
                    continue
                }
                inExpr = false
                if let colon = trimmed.firstIndex(of: ":") {
                    let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    values[String(trimmed[..<colon])] = value.hasPrefix("\"") ? String(value.dropFirst().dropLast()) : value
                }
            }
            #expect(try Parser.parse(expr.joined(separator: "\n")).text == Parser.parse(rule.expr).text, "\(rule.name)")
            #expect(values["for"] == "\(rule.holdSeconds / 60)m", "\(rule.name)")
            #expect(values["severity"] == rule.labels["severity"])
            #expect(values["summary"] == rule.annotations["summary"])
            #expect(values["description"] == rule.annotations["description"])
        }
    }

    /// `x` is 1 from 105 s to 390 s (samples every 15 s), else 0; the rule `x > 0` needs to hold for 60 s and is
    /// evaluated every 30 s.
    static func evaluator(evaluationsPerBlock: Int = 40) -> RuleEvaluator {
        let points = stride(from: Int64(0), through: 900_000, by: 15_000).map {
            Point(t: $0, v: (105_000...390_000).contains($0) ? 1 : 0)
        }
        let source = StaticSeriesSource([(["__name__": "x", "job": "j"], points)])
        let group = RuleGroupDefinition(
            name: "g", file: "f", intervalSeconds: 30,
            rules: [AlertRule(name: "X", expr: "x > 0", holdSeconds: 60, labels: ["severity": "warning"],
                              annotations: ["description": "{{ $labels.job }} is {{ $value }}"])])
        return RuleEvaluator(engine: Engine(source: source), group: group, evaluationsPerBlock: evaluationsPerBlock)
    }

    @Test("pending until the expression has held for `for`, then firing, then gone")
    func states() {
        let rules = RulesTests.evaluator()
        func alert(_ now: Int64, since: Int64 = 0) -> ActiveAlert? {
            let alerts = rules.alerts(at: now, historyStart: since)
            #expect(alerts.count <= 1)
            return alerts.first
        }
        #expect(alert(110_000) == nil, "evaluated at 90 s: still 0")
        let pending = alert(125_000)
        #expect(pending?.state == .pending)
        #expect(pending?.activeAt == 120_000)
        #expect(pending?.labels == ["alertname": "X", "job": "j", "severity": "warning"])
        #expect(pending?.annotations == ["description": "j is 1"])
        #expect(alert(179_999)?.state == .pending)
        #expect(alert(180_000)?.state == .firing)
        #expect(alert(400_000)?.state == .firing)
        #expect(alert(400_000)?.activeAt == 120_000)
        #expect(alert(420_000) == nil, "resolved")
        // A Prometheus started at 150 s has only seen the expression hold since its first evaluation.
        #expect(alert(185_000, since: 150_000)?.activeAt == 150_000)
        #expect(alert(185_000, since: 150_000)?.state == .pending)
        #expect(alert(185_000, since: 200_000) == nil, "no evaluation yet")
        let status = rules.evaluate(at: 185_000, historyStart: 0)
        #expect(status.first?.state == .firing)
        #expect(status.first?.query == "x > 0")
        #expect(status.first?.health == "ok")
        #expect(rules.evaluate(at: 185_000, historyStart: 200_000).first?.health == "unknown")
    }

    @Test("the incident world fires all four alerts with rendered annotations")
    func incidentAlerts() throws {
        let world = World(seed: 1, scenario: .incident)
        let rules = RuleEvaluator(engine: Engine(source: world))
        let now = WorldTests.midnight + 15 * 3_600_000 + 12_345
        let alerts = rules.alerts(at: now, historyStart: now - 900_000)
        #expect(alerts.map { $0.labels["alertname"] ?? "" }.sorted()
            == ["DeploymentReplicasMismatch", "HighErrorRate", "HighLatency", "PodCrashLooping"])
        #expect(alerts.allSatisfy { $0.state == .firing })
        let errors = try #require(alerts.first { $0.labels["alertname"] == "HighErrorRate" })
        #expect(errors.labels == ["alertname": "HighErrorRate", "service": "payment-service", "severity": "critical"])
        let percent = GoFormat.formatG(errors.value * 100, precision: 4)
        #expect(errors.annotations["description"] == "payment-service has an error rate of \(percent)%")
        #expect(errors.annotations["summary"] == "High error rate detected")
        let mismatch = try #require(alerts.first { $0.labels["alertname"] == "DeploymentReplicasMismatch" })
        #expect(mismatch.annotations["description"] == "order-service has 3 available replicas, expected ")
        // Held since the first evaluation after `historyStart` (14:45:12): 14:45:30.
        #expect(errors.activeAt == rules.lastEvaluation(before: now) - 900_000 + 30_000)
    }

    @Test("the walk back in blocks of range queries finds the same alerts as one instant query per evaluation")
    func blocksEqualInstantQueries() async {
        for (scenario, group) in [(Scenario.flapping, RuleGroupDefinition.microservices), (.incident, .microservices),
                                  (.backupStale, .operations)] {
            let world = World(seed: 5, scenario: scenario)
            let single = RuleEvaluator(engine: Engine(source: world), group: group, evaluationsPerBlock: 1)
            let blocks = RuleEvaluator(engine: Engine(source: world), group: group, evaluationsPerBlock: 7)
            let start = WorldTests.midnight + 9 * 3_600_000 + 4_321
            // Every 7 minutes for an hour and a half: evaluations fall in blocks at different offsets.
            for now in stride(from: start, to: start + 5_400_000, by: 420_000) {
                let expected = single.alerts(at: now, historyStart: start - 2_700_000)
                #expect(!expected.isEmpty || scenario != .incident)
                #expect(blocks.alerts(at: now, historyStart: start - 2_700_000) == expected, "\(scenario) at \(now)")
                await Task.yield()
            }
        }
        // The hand-made series: every block size, every instant around the alert's life.
        for size in [1, 2, 3, 40] {
            let rules = RulesTests.evaluator(evaluationsPerBlock: size)
            let reference = RulesTests.evaluator(evaluationsPerBlock: 1)
            for now in stride(from: Int64(0), through: 500_000, by: 25_000) {
                #expect(rules.alerts(at: now, historyStart: 40_000) == reference.alerts(at: now, historyStart: 40_000))
            }
        }
    }

    @Test("flapping alerts go pending, fire and resolve within an hour")
    func flappingAlerts() async {
        let rules = RuleEvaluator(engine: Engine(source: World(seed: 11, scenario: .flapping)))
        let start = WorldTests.midnight + 10 * 3_600_000
        var seen: [String: Set<String>] = [:]
        for now in stride(from: start, to: start + 3_600_000, by: 60_000) {
            let active = rules.alerts(at: now, historyStart: start - 3_600_000)
            for rule in RuleGroupDefinition.microservices.rules {
                let states = active.filter { $0.labels["alertname"] == rule.name }.map(\.state.rawValue)
                seen[rule.name, default: []].formUnion(states.isEmpty ? ["inactive"] : states)
            }
            await Task.yield()
        }
        for rule in RuleGroupDefinition.microservices.rules {
            #expect(seen[rule.name] == ["inactive", "pending", "firing"], "\(rule.name): \(seen[rule.name] ?? [])")
        }
    }
}
