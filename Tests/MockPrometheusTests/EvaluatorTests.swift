import PromQL
import PrometheusAPI
import Testing

@testable import MockPrometheus

/// The evaluator over hand-made series whose results can be worked out on paper. Samples every 15 s from 0 to 600 s.
@Suite("PromQL evaluator")
struct EvaluatorTests {
    static let times = stride(from: Int64(0), through: 600_000, by: 15_000).map { $0 }

    static func counter(_ labels: Labels, perSecond: Double) -> (labels: Labels, points: [Point]) {
        (labels, times.map { Point(t: $0, v: perSecond * Double($0) / 1000) })
    }

    static func gauge(_ labels: Labels, _ value: Double) -> (labels: Labels, points: [Point]) {
        (labels, times.map { Point(t: $0, v: value) })
    }

    static let source = StaticSeriesSource([
        counter(["__name__": "http_requests_total", "service": "a", "status_code": "200"], perSecond: 9),
        counter(["__name__": "http_requests_total", "service": "a", "status_code": "500"], perSecond: 1),
        counter(["__name__": "http_requests_total", "service": "b", "status_code": "200"], perSecond: 19),
        counter(["__name__": "http_requests_total", "service": "b", "status_code": "404"], perSecond: 0.5),
        counter(["__name__": "http_requests_total", "service": "b", "status_code": "503"], perSecond: 0.5),
        // Histogram of service a: 50 % ≤ 0.1 s, 90 % ≤ 0.5 s, 95 % ≤ 1 s, at 100 requests per second.
        counter(["__name__": "lat_bucket", "service": "a", "le": "0.1"], perSecond: 50),
        counter(["__name__": "lat_bucket", "service": "a", "le": "0.5"], perSecond: 90),
        counter(["__name__": "lat_bucket", "service": "a", "le": "1"], perSecond: 95),
        counter(["__name__": "lat_bucket", "service": "a", "le": "+Inf"], perSecond: 100),
        gauge(["__name__": "up", "job": "j", "service": "a"], 1),
        gauge(["__name__": "up", "job": "j", "service": "b"], 0),
        gauge(["__name__": "spec", "deployment": "a"], 3),
        gauge(["__name__": "spec", "deployment": "b"], 3),
        gauge(["__name__": "available", "deployment": "a"], 3),
        gauge(["__name__": "available", "deployment": "b"], 2),
        (["__name__": "resets_total"], [0, 10, 20, 5, 15].enumerated().map { Point(t: Int64($0.offset) * 15_000, v: $0.element) }),
        (["__name__": "late_total"], [Point(t: 270_000, v: 2), Point(t: 285_000, v: 12), Point(t: 300_000, v: 22)]),
        (["__name__": "gone"], [Point(t: 0, v: 1)]),
    ])

    let engine = Engine(source: EvaluatorTests.source)

    func vector(_ query: String, at seconds: Int64 = 300) throws -> [Labels: Double] {
        guard case .vector(let elements) = try engine.instantQuery(query, at: seconds * 1000) else {
            Issue.record("\(query) is not a vector")
            return [:]
        }
        var out: [Labels: Double] = [:]
        for e in elements {
            #expect(out[e.labels] == nil, "duplicate \(e.labels)")
            out[e.labels] = e.value
        }
        return out
    }

    func scalar(_ query: String, at seconds: Int64 = 300) throws -> Double? {
        guard case .scalar(let v) = try engine.instantQuery(query, at: seconds * 1000) else { return nil }
        return v
    }

    func error(_ query: String) -> QueryError? {
        do {
            _ = try engine.instantQuery(query, at: 300_000)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Selectors

    @Test("selectors with =, !=, =~ and !~; regexes are fully anchored")
    func selectors() throws {
        #expect(try vector(#"http_requests_total{service="a"}"#).count == 2)
        #expect(try vector(#"http_requests_total{service!="a"}"#).count == 3)
        #expect(try vector(#"http_requests_total{status_code=~"5.."}"#).count == 2)
        #expect(try vector(#"http_requests_total{status_code=~"5"}"#).isEmpty, "anchored: 5 does not match 500")
        #expect(try vector(#"http_requests_total{status_code!~"2..|4.."}"#).count == 2)
        #expect(try vector(#"{__name__=~"spec|available",deployment="b"}"#).count == 2)
        #expect(try vector(#"up{missing=""}"#).count == 2, "a missing label matches the empty string")
        let up = try vector("up")
        #expect(up[["__name__": "up", "job": "j", "service": "a"]] == 1, "selectors keep the metric name")
    }

    @Test("an instant selector takes the newest sample within five minutes, and nothing older")
    func lookback() throws {
        #expect(try vector("http_requests_total{service=\"a\",status_code=\"500\"}", at: 307).values.first == 300)
        #expect(try vector("gone", at: 300).count == 1)
        #expect(try vector("gone", at: 301).isEmpty)
        #expect(try vector("up", at: 1000).isEmpty)
    }

    @Test("an instant query of a range selector returns the window's samples")
    func rangeSelector() throws {
        guard case .matrix(let series) = try engine.instantQuery("up{service=\"a\"}[1m]", at: 300_000) else {
            Issue.record("not a matrix")
            return
        }
        #expect(series.first?.points.map(\.t) == [240_000, 255_000, 270_000, 285_000, 300_000])
    }

    // MARK: Functions

    @Test("rate, increase and delta with Prometheus' extrapolation")
    func rates() throws {
        let a500: Labels = ["service": "a", "status_code": "500"]
        #expect(try vector("rate(http_requests_total[1m])")[a500] == 1)
        #expect(try vector("increase(http_requests_total[1m])")[a500] == 60)
        // Window [247 s, 307 s] holds 255…300: 45 s sampled, extrapolated by 8 s and 7 s to the whole minute.
        let extrapolated = try #require(try vector("increase(http_requests_total[1m])", at: 307)[a500])
        #expect(abs(extrapolated - 60) < 1e-9)
        // The counter starts at 270 s with 2: extrapolation stops where it would have been zero (3 s before),
        // not half an interval (7.5 s) before.
        #expect(try abs(#require(try vector("increase(late_total[1m])")[[:]]) - 22) < 1e-9)
        // A reset (20 → 5) adds the value before it back.
        #expect(try vector("increase(resets_total[1m])", at: 60)[[:]] == 35)
        #expect(try vector("rate(resets_total[1m])", at: 60)[[:]] == 35.0 / 60)
        #expect(try vector("delta(resets_total[1m])", at: 60)[[:]] == 15)
        #expect(try vector("rate(gone[5m])").isEmpty, "one sample has no rate")
        #expect(try vector("rate(up[1m])")[["job": "j", "service": "a"]] == 0, "functions drop the metric name")
    }

    @Test("irate and idelta use the last two samples")
    func instantRates() throws {
        #expect(try vector("irate(resets_total[1m])", at: 60)[[:]] == 10.0 / 15)
        #expect(try vector("irate(resets_total[1m])", at: 45)[[:]] == 5.0 / 15, "after a reset, the new value")
        #expect(try vector("idelta(resets_total[1m])", at: 45)[[:]] == -15)
    }

    @Test("the *_over_time functions")
    func overTime() throws {
        #expect(try vector("sum_over_time(resets_total[1m])", at: 60)[[:]] == 50)
        #expect(try vector("avg_over_time(resets_total[1m])", at: 60)[[:]] == 10)
        #expect(try vector("min_over_time(resets_total[1m])", at: 60)[[:]] == 0)
        #expect(try vector("max_over_time(resets_total[1m])", at: 60)[[:]] == 20)
        #expect(try vector("count_over_time(resets_total[1m])", at: 60)[[:]] == 5)
    }

    @Test("time, vector, scalar, abs, ceil, floor, clamp_min, clamp_max")
    func scalarsAndMath() throws {
        #expect(try scalar("time()", at: 123) == 123)
        #expect(try vector("vector(2.5)") == [[:]: 2.5])
        #expect(try scalar(#"scalar(up{service="a"})"#) == 1)
        #expect(try scalar("scalar(up)")?.isNaN == true, "two elements: NaN")
        #expect(try vector("abs(-up)")[["job": "j", "service": "a"]] == 1)
        #expect(try vector("ceil(vector(1.2))") == [[:]: 2])
        #expect(try vector("floor(vector(1.8))") == [[:]: 1])
        #expect(try vector("clamp_min(vector(1), 3)") == [[:]: 3])
        #expect(try vector("clamp_max(vector(5), 3)") == [[:]: 3])
    }

    @Test("histogram_quantile interpolates within the bucket holding the rank")
    func histogramQuantile() throws {
        func q(_ quantile: Double) throws -> Double? {
            try vector("histogram_quantile(\(quantile), rate(lat_bucket[1m]))")[["service": "a"]]
        }
        #expect(try q(0.5) == 0.1)
        #expect(try q(0.9) == 0.5)
        #expect(try abs(#require(try q(0.92)) - 0.7) < 1e-9)
        #expect(try q(0.99) == 1, "in the +Inf bucket: the highest finite bound")
        #expect(try q(1.5) == .infinity)
        #expect(try q(-1) == -.infinity)
        #expect(try vector(#"histogram_quantile(0.5, rate(lat_bucket{le!="+Inf"}[1m]))"#)[["service": "a"]]?.isNaN == true,
                "without +Inf: NaN")
        #expect(HistogramQuantile.quantile(0.5, [(1, 10), (1, 10), (.infinity, 20)]) == 0.5, "equal bounds are merged")
        #expect(HistogramQuantile.quantile(0.5, [(1, 12), (2, 10), (.infinity, 20)]) == 10.0 / 12, "counts made monotonic")
    }

    // MARK: Aggregations

    @Test("sum, avg, min, max, count, group with by and without, before or after the argument")
    func aggregations() throws {
        #expect(try vector("sum(rate(http_requests_total[1m])) by (service)") == [["service": "a"]: 10, ["service": "b"]: 20])
        #expect(try vector("sum by (service) (rate(http_requests_total[1m]))") == [["service": "a"]: 10, ["service": "b"]: 20])
        #expect(try vector("sum without (status_code) (rate(http_requests_total[1m]))")
            == [["service": "a"]: 10, ["service": "b"]: 20])
        #expect(try vector("sum(rate(http_requests_total[1m]))") == [[:]: 30])
        #expect(try vector("avg by (service) (rate(http_requests_total[1m]))")[["service": "b"]] == 20.0 / 3)
        #expect(try vector("min by (service) (rate(http_requests_total[1m]))")[["service": "b"]] == 0.5)
        #expect(try vector("max by (service) (rate(http_requests_total[1m]))")[["service": "b"]] == 19)
        #expect(try vector("count by (service) (http_requests_total)") == [["service": "a"]: 2, ["service": "b"]: 3])
        #expect(try vector("group by (job) (up)") == [["job": "j"]: 1])
        #expect(try vector("sum without () (up)") == [["job": "j", "service": "a"]: 1, ["job": "j", "service": "b"]: 0],
                "without drops the metric name")
        #expect(try vector("sum by (nope) (up)") == [[:]: 1], "a missing grouping label groups as empty")
    }

    // MARK: Operators

    @Test("arithmetic between scalars and vectors, and its precedence")
    func arithmetic() throws {
        #expect(try scalar("2 + 3 * 4 ^ 2") == 50)
        #expect(try scalar("-2 ^ 2") == -4)
        #expect(try scalar("2 ^ 3 ^ 2") == 512)
        #expect(try scalar("7 % 4") == 3)
        #expect(try scalar("1 / 0") == .infinity)
        #expect(try scalar("(1 + 2) * 3") == 9)
        let up = try vector("up * 10 - 1")
        #expect(up == [["job": "j", "service": "a"]: 9, ["job": "j", "service": "b"]: -1], "arithmetic drops the name")
        #expect(try vector("2 ^ up")[["job": "j", "service": "b"]] == 1)
    }

    @Test("comparisons filter (keeping the name) or, with bool, give 0 or 1")
    func comparisons() throws {
        #expect(try vector("up == 1") == [["__name__": "up", "job": "j", "service": "a"]: 1])
        #expect(try vector("up != 1").count == 1)
        #expect(try vector("up >= 0").count == 2)
        #expect(try vector("up < 1").keys.first?["service"] == "b")
        #expect(try vector("1 > up") == [["__name__": "up", "job": "j", "service": "b"]: 0], "the vector's value is kept")
        #expect(try vector("up > bool 0") == [["job": "j", "service": "a"]: 1, ["job": "j", "service": "b"]: 0])
        #expect(try scalar("1 < bool 2") == 1)
        #expect(try scalar("2 <= bool 1") == 0)
    }

    @Test("one-to-one matching between vectors on all labels but the name, or on / ignoring some")
    func matching() throws {
        #expect(try vector("spec != available") == [["__name__": "spec", "deployment": "b"]: 3])
        #expect(try vector("spec - available") == [["deployment": "a"]: 0, ["deployment": "b"]: 1])
        let ratio = try vector(#"sum by (service) (rate(http_requests_total{status_code=~"5.."}[1m])) / sum by (service) (rate(http_requests_total[1m]))"#)
        #expect(ratio == [["service": "a"]: 0.1, ["service": "b"]: 0.025])
        #expect(try vector(#"http_requests_total{status_code="500"} / ignoring (status_code) http_requests_total{status_code="200"}"#)
            == [["service": "a"]: 1.0 / 9])
        #expect(try vector(#"sum by (service, job) (up) * on (service) sum by (service) (rate(http_requests_total[1m]))"#)
            == [["service": "a"]: 10, ["service": "b"]: 0])
        #expect(try vector("up + spec").isEmpty, "no common label set")
    }

    @Test("and, or, unless")
    func setOperators() throws {
        #expect(try vector("up and up == 1").count == 1)
        #expect(try vector("up unless up == 1").keys.first?["service"] == "b")
        #expect(try vector(#"up{service="a"} or up"#).count == 2)
        #expect(try vector("spec and on (deployment) available").count == 2)
    }

    @Test("ambiguous matches are execution errors, as in Prometheus")
    func matchingErrors() {
        #expect(error("up + on (job) up")?.errorType == "execution")
        #expect(error("up + on (job) up")?.description.contains("many-to-many matching not allowed") == true)
        #expect(error("rate({__name__=~\"spec|available\"}[1m])")?.description == "vector cannot contain metrics with the same labelset")
    }

    // MARK: Range queries

    @Test("a range query evaluates every step; steps without data are left out")
    func rangeQuery() throws {
        let series = try engine.rangeQuery("gone", start: 0, end: 600_000, step: 60_000)
        #expect(series.count == 1)
        #expect(series.first?.points.map(\.t) == [0, 60_000, 120_000, 180_000, 240_000, 300_000])
        let rates = try engine.rangeQuery("sum by (service) (rate(http_requests_total[1m]))", start: 60_000, end: 600_000, step: 15_000)
        #expect(rates.map { $0.labels["service"] } == ["a", "b"], "sorted by labels")
        #expect(rates.allSatisfy { $0.points.count == 37 })
        #expect(rates.first?.points.allSatisfy { abs($0.v - 10) < 1e-9 } == true)
        let scalar = try engine.rangeQuery("time()", start: 0, end: 30_000, step: 15_000)
        #expect(scalar == [SeriesPoints(labels: [:], points: [Point(t: 0, v: 0), Point(t: 15_000, v: 15), Point(t: 30_000, v: 30)])])
    }

    @Test("range queries refuse strings, range vectors, zero steps and more than 11,000 points")
    func rangeQueryErrors() {
        func failure(_ query: String, step: Int64 = 15_000, end: Int64 = 60_000) -> String? {
            do {
                _ = try engine.rangeQuery(query, start: 0, end: end, step: step)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(failure("\"a\"") == "invalid expression type \"string\" for range query, must be Scalar or instant Vector")
        #expect(failure("up[5m]") == "invalid expression type \"range vector\" for range query, must be Scalar or instant Vector")
        #expect(failure("up", step: 0)?.contains("zero or negative query resolution step widths are not accepted") == true)
        #expect(failure("up", step: 1, end: 11_001) == "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        #expect(failure("up", step: 1, end: 11_000) == nil)
        #expect(throws: QueryError.self) { _ = try engine.rangeQuery("up", start: .min, end: .max, step: 1) }
        #expect(throws: QueryError.self) { _ = try engine.rangeQuery("up", start: .max, end: .min, step: .max) }
        #expect(throws: Never.self) { _ = try engine.instantQuery("rate(up[5m])", at: .min) }
        #expect(throws: Never.self) { _ = try engine.instantQuery("rate(up[5m])", at: .max) }
        let world = Engine(source: World(seed: 1, scenario: .incident))
        #expect(throws: Never.self) { _ = try world.instantQuery("rate(up[5m])", at: .min) }
        #expect(throws: Never.self) { _ = try world.instantQuery("rate(up[5m]) + up", at: .max) }
        #expect(throws: Never.self) { _ = try world.rangeQuery("up", start: .max - 100_000, end: .max, step: 15_000) }
    }

    @Test("a query that would read too many samples fails instead of running away")
    func sampleLimit() {
        var limits = EvaluationLimits()
        limits.maxSamples = 100
        let small = Engine(source: EvaluatorTests.source, limits: limits)
        #expect(throws: QueryError.execution("query processing would load too many samples into memory in query execution")) {
            _ = try small.rangeQuery("rate(http_requests_total[5m])", start: 0, end: 600_000, step: 1000)
        }
        let world = Engine(source: World(seed: 1, scenario: .calm))
        #expect(throws: QueryError.self) { _ = try world.instantQuery("rate(up[100y])", at: 1_700_000_000_000) }
        #expect(throws: QueryError.self) { _ = try world.instantQuery("rate(up[9223372036854775807ms])", at: 1_700_000_000_000) }
    }
}
