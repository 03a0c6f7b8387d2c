import PromQL
import FoundationEssentials
import Glibc
import SafeText
import PrometheusModels
import Synchronization

/// An active (pending or firing) alert.
public struct ActiveAlert: Sendable, Equatable {
    /// The sample's labels without `__name__`, the rule's labels and `alertname`.
    public var labels: Labels
    /// Rendered annotations.
    public var annotations: Labels
    public var state: AlertState
    /// Milliseconds: the first evaluation of the current run of evaluations in which the expression held.
    public var activeAt: Int64
    public var value: Double
}

/// The state of one rule at an evaluation.
public struct RuleStatus: Sendable {
    public var rule: AlertRule
    /// The expression as Prometheus prints it.
    public var query: String
    public var alerts: [ActiveAlert]
    /// `ok`, `err`, or `unknown` before the first evaluation.
    public var health: String
    public var lastError: String
    /// Milliseconds; nil before the first evaluation.
    public var lastEvaluation: Int64?
    public var evaluationSeconds: Double

    /// `firing` if any alert fires, else `pending` if any is pending, else `inactive`.
    public var state: AlertState {
        if alerts.contains(where: { $0.state == .firing }) { return .firing }
        if alerts.contains(where: { $0.state == .pending }) { return .pending }
        return .inactive
    }
}

/// Evaluates alerting rules as a Prometheus would have, had it evaluated them every `interval` since
/// `historyStart`: the expression is evaluated back in time, evaluation by evaluation, to find since when each
/// alert's expression has held. An alert is pending until it has held for the rule's `for`, then firing.
///
/// Results of past evaluations are cached (the world is a pure function of time, so they never change). The walk
/// back evaluates `evaluationsPerBlock` evaluations at a time as one range query, whose overlapping windows share
/// their raw samples (40 evaluations of a `[5m]` window compute an eighth of the samples of 40 instant queries); the
/// results are the same as one instant query per evaluation.
public final class RuleEvaluator: Sendable {
    public let engine: Engine
    public let group: RuleGroupDefinition
    /// The longest walk back in time, in evaluations.
    public let maxEvaluationsBack: Int
    /// Evaluations of the walk back computed together (1: one instant query each).
    public let evaluationsPerBlock: Int
    private let parsed: [Result<Expr, ParseError>]
    private let cache = Mutex<[CacheKey: Results]>([:])
    /// Held through an evaluation: the first one walks back through the whole history, and a second caller waits
    /// for its cache instead of walking again beside it (both would take twice as long on a busy machine).
    private let evaluating = Mutex(())
    private static let cacheLimit = 50_000

    private struct CacheKey: Hashable {
        var rule: Int
        var time: Int64
    }

    public init(
        engine: Engine, group: RuleGroupDefinition = .microservices, maxEvaluationsBack: Int = 2880,
        evaluationsPerBlock: Int = 40
    ) {
        self.engine = engine
        self.group = group
        self.maxEvaluationsBack = maxEvaluationsBack
        self.evaluationsPerBlock = max(1, evaluationsPerBlock)
        parsed = group.rules.map { rule in Result { () throws(ParseError) -> Expr in try Parser.parse(rule.expr) } }
    }

    var interval: Int64 { Int64(max(1, group.intervalSeconds)) * 1000 }

    /// The last evaluation time at or before `now` (a multiple of the interval).
    public func lastEvaluation(before now: Int64) -> Int64 {
        let q = now / interval
        let t = q * interval
        return t > now ? t - interval : t
    }

    /// Every rule's state at `now` (milliseconds) for a Prometheus that has evaluated the rules since `historyStart`.
    public func evaluate(at now: Int64, historyStart: Int64) -> [RuleStatus] {
        evaluating.withLock { _ in evaluateAlone(at: now, historyStart: historyStart) }
    }

    private func evaluateAlone(at now: Int64, historyStart: Int64) -> [RuleStatus] {
        let t0 = lastEvaluation(before: now)
        return group.rules.indices.map { index in
            let rule = group.rules[index]
            let started = Date()
            guard case .success(let expr) = parsed[index] else {
                let message: String
                if case .failure(let error) = parsed[index] { message = error.description } else { message = "" }
                return RuleStatus(
                    rule: rule, query: rule.expr, alerts: [], health: "err", lastError: message, lastEvaluation: t0,
                    evaluationSeconds: 0)
            }
            guard t0 >= historyStart else {
                return RuleStatus(
                    rule: rule, query: expr.text, alerts: [], health: "unknown", lastError: "", lastEvaluation: nil,
                    evaluationSeconds: 0)
            }
            do throws(QueryError) {
                let alerts = try evaluateRule(index, rule, expr, at: t0, historyStart: historyStart)
                return RuleStatus(
                    rule: rule, query: expr.text, alerts: alerts, health: "ok", lastError: "", lastEvaluation: t0,
                    evaluationSeconds: Date().timeIntervalSince(started))
            } catch {
                return RuleStatus(
                    rule: rule, query: expr.text, alerts: [], health: "err", lastError: error.description,
                    lastEvaluation: t0, evaluationSeconds: Date().timeIntervalSince(started))
            }
        }
    }

    /// The alerts of all rules at `now`, critical and firing ones first.
    public func alerts(at now: Int64, historyStart: Int64) -> [ActiveAlert] {
        evaluate(at: now, historyStart: historyStart).flatMap(\.alerts)
    }

    typealias Results = [String: (labels: Labels, value: Double)]

    /// The expression's result at `time`, keyed by the labels without `__name__`. `earliest`: on a miss, the
    /// evaluations from `time` back to `earliest` (at most a block of them) are computed with it, for the walk's next
    /// steps.
    private func results(_ index: Int, _ expr: Expr, at time: Int64, earliest: Int64? = nil) throws(QueryError) -> Results {
        let key = CacheKey(rule: index, time: time)
        if let cached = cache.withLock({ $0[key] }) { return cached }
        let reach = earliest.map { time > $0 ? (time - $0) / interval : 0 } ?? 0
        let block = Swift.min(Int64(evaluationsPerBlock - 1), reach)
        var computed: [Int64: Results] = [:]
        if block > 0, expr.type == .vector {
            // One range query over the block: the same result at each step as an instant query there (a step
            // where nothing held has an empty result).
            let start = time - block * interval
            for step in 0...block { computed[start + step * interval] = [:] }
            for series in try engine.evaluateRange(expr, start: start, end: time, step: interval) {
                let id = signature(dropName(series.labels))
                for point in series.points { computed[point.t, default: [:]][id] = (series.labels, point.v) }
            }
        } else {
            var out: Results = [:]
            if case .vector(let elements) = try engine.evaluate(expr, at: time) {
                for element in elements { out[signature(dropName(element.labels))] = (element.labels, element.value) }
            }
            computed[time] = out
        }
        let result = computed[time] ?? [:]
        cache.withLock { cache in
            if cache.count + computed.count > RuleEvaluator.cacheLimit { cache.removeAll(keepingCapacity: true) }
            for (t, value) in computed { cache[CacheKey(rule: index, time: t)] = value }
        }
        return result
    }

    private func evaluateRule(
        _ index: Int, _ rule: AlertRule, _ expr: Expr, at t0: Int64, historyStart: Int64
    ) throws(QueryError) -> [ActiveAlert] {
        let current = try results(index, expr, at: t0)
        var activeAt: [String: Int64] = current.mapValues { _ in t0 }
        var open = Set(current.keys)
        var t = t0
        var steps = 0
        // The oldest evaluation the walk may reach: the first at or after `historyStart`, at most `maxEvaluationsBack`.
        var firstEvaluation = historyStart / interval * interval
        if firstEvaluation < historyStart { firstEvaluation += interval }
        let oldest = Swift.max(firstEvaluation, t0 - Int64(maxEvaluationsBack) * interval)
        while !open.isEmpty, steps < maxEvaluationsBack {
            t -= interval
            steps += 1
            guard t >= historyStart else { break }
            let earlier = try results(index, expr, at: t, earliest: oldest)
            for key in open {
                if earlier[key] != nil { activeAt[key] = t } else { open.remove(key) }
            }
        }
        let hold = Int64(rule.holdSeconds) * 1000
        return current.map { key, sample in
            var labels = dropName(sample.labels)
            for (name, value) in rule.labels { labels[name] = value }
            labels["alertname"] = rule.name
            let since = activeAt[key] ?? t0
            let annotations = rule.annotations.mapValues {
                AlertTemplate.render($0, labels: sample.labels, value: sample.value, name: rule.name)
            }
            return ActiveAlert(
                labels: labels, annotations: annotations, state: t0 - since >= hold ? .firing : .pending,
                activeAt: since, value: sample.value)
        }.sorted { labelsOrder($0.labels, $1.labels) }
    }
}
