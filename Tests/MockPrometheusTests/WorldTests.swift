import PrometheusModels
import PromQL
import Foundation
import PrometheusAPI
import Testing
import TestSupport

@testable import MockPrometheus

/// The synthetic world: deterministic, monotonic counters, consistent histograms, and scenarios that do what they say.
@Suite("Synthetic world")
struct WorldTests {
    /// 2026-11-25 00:00:00 UTC.
    static let midnight: Int64 = 1_795_564_800_000
    static let dashboard = [
        "sum(rate(http_requests_total[5m])) by (service)",
        #"sum(rate(http_requests_total{status_code=~"4..|5.."}[5m])) by (service) / sum(rate(http_requests_total[5m])) by (service)"#,
        "histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket[5m])) by (service, le))",
    ]

    /// The values of an instant query by service (or pod, or deployment); a result that is not a vector fails, and so
    /// does an empty one unless `allowEmpty` (an `allSatisfy` over nothing would hold).
    func values(_ engine: Engine, _ query: String, at t: Int64, allowEmpty: Bool = false) throws -> [String: Double] {
        guard case .vector(let elements) = try engine.instantQuery(query, at: t) else {
            throw TestFailure("\(query) is not an instant vector")
        }
        guard allowEmpty || !elements.isEmpty else { throw TestFailure("\(query) returned no series") }
        var out: [String: Double] = [:]
        for e in elements { out[e.labels["service"] ?? e.labels["pod"] ?? e.labels["deployment"] ?? "?"] = e.value }
        return out
    }

    @Test("the same seed, scenario and time give the same values; another seed gives others")
    func deterministic() {
        let a = World(seed: 42, scenario: .incident)
        let b = World(seed: 42, scenario: .incident)
        let c = World(seed: 43, scenario: .incident)
        let from = WorldTests.midnight + 13 * 3_600_000
        let through = from + 600_000
        var differs = false
        for (x, z) in zip(a.allSeries, c.allSeries) {
            let pa = a.points(of: x, from: from, through: through)
            #expect(pa == b.points(of: x, from: from, through: through))
            #expect(pa.count == 41)
            if pa != c.points(of: z, from: from, through: through) { differs = true }
        }
        #expect(differs)
        // There is history long before now, and the latest sample is on the 15 s grid.
        let series = a.allSeries[0]
        #expect(a.points(of: series, from: 0, through: 60_000).count == 5)
        #expect(a.latest(of: series, from: from, through: from + 14_999)?.t == from)
        #expect(a.latest(of: series, from: from + 1, through: from + 14_999) == nil)
    }

    @Test("counters never go down, except at the daily deploy; histograms are cumulative", arguments: Scenario.allCases)
    func counters(scenario: Scenario) async {
        let world = World(seed: 7, scenario: scenario)
        // 00:00 to 06:00 UTC holds every service's deploy (between 01:00 and 05:00).
        let from = WorldTests.midnight
        let through = from + 6 * 3_600_000
        var resets = 0
        for ref in world.allSeries {
            let name = ref.labels["__name__"] ?? ""
            guard name.hasSuffix("_total") || name.hasSuffix("_bucket") || name.hasSuffix("_sum") || name.hasSuffix("_count")
            else { continue }
            let points = world.points(of: ref, from: from, through: through)
            var drops = 0
            for (p, q) in zip(points, points.dropFirst()) where q.v < p.v {
                drops += 1
                #expect(q.v < 0.01 * p.v + 1000, "\(ref.labels) dropped to \(q.v) from \(p.v) at \(q.t): not a reset")
            }
            #expect(drops <= 1, "\(ref.labels) went down \(drops) times")
            resets += drops
            await Task.yield()  // CPU-heavy: let the other tests' tasks run on the 2-thread pool
        }
        #expect(resets > 0, "the daily deploy resets the counters")
        // Buckets grow with le; +Inf equals _count; the status codes add up to _count.
        for t in stride(from: from, through: through, by: 3_600_000) {
            let snapshot = world.snapshot(at: t)
            for service in World.serviceNames where service != world.downService {
                let buckets = snapshot.filter { $0.labels["__name__"] == "http_request_duration_seconds_bucket" && $0.labels["service"] == service }
                    .sorted { (SampleValue.parse($0.labels["le"] ?? "") ?? 0) < (SampleValue.parse($1.labels["le"] ?? "") ?? 0) }
                #expect(buckets.count == World.bucketBounds.count)
                for (x, y) in zip(buckets, buckets.dropFirst()) { #expect(x.value <= y.value) }
                let count = snapshot.first { $0.labels["__name__"] == "http_request_duration_seconds_count" && $0.labels["service"] == service }
                #expect(count?.value == buckets.last?.value)
                let requests = snapshot.filter { $0.labels["__name__"] == "http_requests_total" && $0.labels["service"] == service }
                    .reduce(0) { $0 + $1.value }
                #expect(abs(requests - (count?.value ?? 0)) <= 1e-6 * requests + 1e-6)
            }
        }
    }

    /// Times spread over a day: night, morning, afternoon peak, evening.
    static let sampleTimes: [Int64] = [3, 9, 14, 20].map { midnight + Int64($0) * 3_600_000 + 7 * 60_000 }

    @Test("calm: low error ratios, fast responses, no rule expression holds")
    func calm() async throws {
        let engine = Engine(source: World(seed: 3, scenario: .calm))
        for t in WorldTests.sampleTimes {
            let rates = try values(engine, WorldTests.dashboard[0], at: t)
            #expect(rates.count == 4)
            #expect(rates.values.allSatisfy { $0 > 3 && $0 < 80 }, "\(rates)")
            #expect(try values(engine, WorldTests.dashboard[1], at: t).values.allSatisfy { $0 > 0.001 && $0 < 0.01 })
            #expect(try values(engine, WorldTests.dashboard[2], at: t).values.allSatisfy { $0 > 0.05 && $0 < 0.5 })
            for rule in RuleGroupDefinition.microservices.rules {
                #expect(try values(engine, rule.expr, at: t, allowEmpty: true).isEmpty, "\(rule.name) at \(t)")
            }
            await Task.yield()
        }
    }

    @Test("incident: exactly the design's four problems, at any time of day")
    func incident() async throws {
        let world = World(seed: 3, scenario: .incident)
        let engine = Engine(source: world)
        let rules = Dictionary(uniqueKeysWithValues: RuleGroupDefinition.microservices.rules.map { ($0.name, $0.expr) })
        for t in WorldTests.sampleTimes {
            let errors = try values(engine, try #require(rules["HighErrorRate"]), at: t)
            #expect(Set(errors.keys) == ["payment-service"])
            #expect(errors.values.allSatisfy { $0 > 0.06 && $0 < 0.14 }, "\(errors)")
            let latency = try values(engine, try #require(rules["HighLatency"]), at: t)
            #expect(Set(latency.keys) == ["inventory-service"])
            #expect(latency.values.allSatisfy { $0 > 1.5 && $0 < 5 }, "\(latency)")
            let crashing = try values(engine, try #require(rules["PodCrashLooping"]), at: t)
            #expect(Set(crashing.keys) == [try #require(world.crashLoopingPod)])
            let mismatch = try values(engine, try #require(rules["DeploymentReplicasMismatch"]), at: t)
            #expect(mismatch == ["order-service": 3])
            let available = try values(engine, "kube_deployment_status_available_replicas", at: t)
            #expect(available["order-service"] == 2)
            // The others look healthy on the dashboard.
            let p95 = try values(engine, WorldTests.dashboard[2], at: t)
            #expect(p95.filter { $0.key != "inventory-service" }.values.allSatisfy { $0 < 0.5 })
            await Task.yield()
        }
    }

    @Test("outage: the down service has up 0, no traffic series and no available replica")
    func outage() throws {
        for seed: UInt64 in [1, 2, 3, 4, 5] {
            let world = World(seed: seed, scenario: .outage)
            let down = try #require(world.downService)
            let engine = Engine(source: world)
            let t = WorldTests.sampleTimes[2]
            #expect(try values(engine, #"up{job="microservices"} == 1"#, at: t).keys.sorted() == World.serviceNames.filter { $0 != down }.sorted())
            #expect(try values(engine, #"up{job="microservices"}"#, at: t)[down] == 0)
            #expect(try values(engine, WorldTests.dashboard[0], at: t)[down] == nil)
            #expect(try values(engine, "kube_deployment_status_available_replicas", at: t)[down] == 0)
            #expect(world.allSeries.filter { $0.labels["service"] == down && $0.labels["__name__"] != "up" }.isEmpty)
        }
        #expect(Set([1, 2, 3, 4, 5, 6, 7, 8].compactMap { World(seed: $0, scenario: .outage).downService }).count > 1,
                "the seed chooses the service")
    }

    @Test("flapping: each rule's expression holds for some minutes and not for others")
    func flapping() async throws {
        let engine = Engine(source: World(seed: 11, scenario: .flapping))
        let start = WorldTests.midnight + 10 * 3_600_000
        for rule in RuleGroupDefinition.microservices.rules {
            var held: [Bool] = []
            for t in stride(from: start, to: start + 2 * 3_600_000, by: 30_000) {
                held.append(!(try values(engine, rule.expr, at: t, allowEmpty: true).isEmpty))
                await Task.yield()
            }
            let switches = zip(held, held.dropFirst()).filter { $0 != $1 }.count
            let share = Double(held.filter { $0 }.count) / Double(held.count)
            #expect(switches >= 8, "\(rule.name) switched \(switches) times in two hours")
            #expect(share > 0.3 && share < 0.9, "\(rule.name) held \(share) of the time")
            // Runs long enough to fire (more than 5 minutes = 10 evaluations) happen.
            var longest = 0
            var run = 0
            for h in held {
                run = h ? run + 1 : 0
                longest = max(longest, run)
            }
            #expect(longest > 12, "\(rule.name): longest run \(longest) evaluations")
        }
    }

    @Test("/metrics exposes the values the evaluator sees, in the text format")
    func exposition() throws {
        let world = World(seed: 5, scenario: .incident)
        let t = WorldTests.sampleTimes[1] + 7_000
        let text = world.exposition(at: t)
        #expect(text.contains("# TYPE http_request_duration_seconds histogram\n"))
        #expect(text.contains("# TYPE http_requests_total counter\n"))
        let engine = Engine(source: world)
        guard case .vector(let elements) = try engine.instantQuery(#"http_requests_total{service="payment-service",status_code="500"}"#, at: t),
              let element = elements.first
        else {
            Issue.record("no payment 500s")
            return
        }
        let line = #"http_requests_total{service="payment-service",status_code="500"} "# + GoFormat.formatG(element.value)
        #expect(text.split(separator: "\n").contains(Substring(line)), "\(line)")
        #expect(text.contains(#"http_request_duration_seconds_bucket{service="inventory-service",le="+Inf"} "#))
        #expect(text.contains(#"up{instance="user-service:3000",job="microservices",service="user-service"} 1"#))
        let samples = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(samples.count == world.allSeries.count)
        #expect(samples.allSatisfy { line in line.split(separator: " ").last.flatMap { Double($0) } != nil })
    }
}
