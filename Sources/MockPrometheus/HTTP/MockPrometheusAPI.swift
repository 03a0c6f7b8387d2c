import PromQL
import FoundationEssentials
import Glibc
import SafeText
import Synchronization
import PrometheusModels

/// An HTTP answer, independent of the server library.
public struct HTTPAnswer: Sendable, Equatable {
    public var status: Int
    public var contentType: String
    public var body: String
    public var headers: [String: String] = [:]
}

/// Form parameters in order, from the URL query and a form-encoded body (body first, as Go's `r.Form` has them).
public struct FormParameters: Sendable {
    public var pairs: [(String, String)]

    public init(pairs: [(String, String)] = []) {
        self.pairs = pairs
    }

    /// Parses `a=1&b=x%20y` (`+` is a space). Pairs with bad escapes are dropped, as Go's parser skips them.
    public init(encoded: String) {
        pairs = encoded.split(separator: "&", omittingEmptySubsequences: true).compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String? {
                PercentEncoding.decode(String(s.replacing("+", with: " ")))
            }
            guard let name = parts.first.flatMap(decode) else { return nil }
            let value = parts.count > 1 ? decode(parts[1]) : ""
            guard let value else { return nil }
            return (name, value)
        }
    }

    public func first(_ name: String) -> String? { pairs.first { $0.0 == name }?.1 }
    public func all(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }
}

/// The Prometheus HTTP API over the synthetic world: the answers of `MockPrometheusServer`, without the server.
public struct MockPrometheusAPI: Sendable {
    public let world: World
    public let engine: Engine
    /// The source design's rule groups: the microservices alerts, then the operations ones.
    public let rules: [RuleEvaluator]
    /// Rules count as evaluated since this instant (milliseconds), as if a Prometheus had been running since then.
    public let rulesSince: Int64
    /// The current time.
    public let now: @Sendable () -> Date

    /// The limits every query runs under (deadline, concurrency, stop signal).
    public var limits: EvaluationLimits { engine.limits }
    private let inFlight = InFlight()

    public init(world: World, rulesSince: Date, limits: EvaluationLimits = EvaluationLimits(), now: @escaping @Sendable () -> Date) {
        self.world = world
        // The rules read the world; queries read it and the `ALERTS` series the rules (and the night before them) make.
        let rulesEngine = Engine(source: world, limits: limits)
        let rules = [RuleEvaluator(engine: rulesEngine, group: .microservices), RuleEvaluator(engine: rulesEngine, group: .operations)]
        self.rules = rules
        let since = Int64((rulesSince.timeIntervalSince1970 * 1000).rounded())
        self.rulesSince = since
        engine = Engine(source: AlertsSeriesSource(world: world, rules: rules, rulesSince: since, now: now), limits: limits)
        self.now = now
    }

    var nowMilliseconds: Int64 { Int64((now().timeIntervalSince1970 * 1000).rounded()) }

    // MARK: - Routing

    private static let apiMethods: [String: [String]] = [
        "/api/v1/query": ["GET", "POST"], "/api/v1/query_range": ["GET", "POST"], "/api/v1/series": ["GET", "POST"],
        "/api/v1/labels": ["GET", "POST"], "/api/v1/alerts": ["GET"], "/api/v1/rules": ["GET"], "/api/v1/alertmanagers": ["GET"],
        "/api/v1/targets": ["GET"], "/api/v1/status/buildinfo": ["GET"], "/-/healthy": ["GET", "HEAD"],
        "/-/ready": ["GET", "HEAD"], "/metrics": ["GET"],
    ]

    /// Paths answered at once, never queued behind queries.
    public static func isLight(_ path: String) -> Bool {
        path == "/-/healthy" || path == "/-/ready" || path == "/api/v1/status/buildinfo"
    }

    /// A place among the queries evaluated at once (`EvaluationLimits.maxConcurrent`), or nil when all are taken.
    public func enterEvaluation() -> EvaluationSlot? {
        guard inFlight.enter(limit: limits.maxConcurrent) else { return nil }
        return EvaluationSlot(counter: inFlight)
    }

    /// The answer when too many queries run: Prometheus' error shape, 503 `unavailable`.
    public func tooBusy() -> HTTPAnswer {
        respond { () throws(QueryError) -> JSON in
            throw .unavailable("too many concurrent queries (the mock evaluates at most \(limits.maxConcurrent) at once)")
        }
    }

    /// Answers a request: `method`, decoded `path`, and the parameters of the URL query and a form body.
    public func handle(method: String, path: String, parameters: FormParameters) -> HTTPAnswer {
        var route = path
        var labelName: String?
        if path.hasPrefix("/api/v1/label/"), path.hasSuffix("/values") {
            let name = path.dropFirst("/api/v1/label/".count).dropLast("/values".count)
            if !name.isEmpty, !name.contains("/") {
                route = "/api/v1/label/:name/values"
                labelName = String(name)
            }
        }
        let methods = route == "/api/v1/label/:name/values" ? ["GET"] : MockPrometheusAPI.apiMethods[route]
        guard let methods else {
            return HTTPAnswer(status: 404, contentType: "text/plain; charset=utf-8", body: "404 page not found\n")
        }
        guard methods.contains(method) else {
            return HTTPAnswer(
                status: 405, contentType: "text/plain; charset=utf-8", body: "Method Not Allowed\n",
                headers: ["Allow": (methods + ["OPTIONS"]).joined(separator: ", ")])
        }
        switch route {
        case "/api/v1/query": return respond { () throws(QueryError) in try query(parameters) }
        case "/api/v1/query_range": return respond { () throws(QueryError) in try queryRange(parameters) }
        case "/api/v1/series": return respond { () throws(QueryError) in try series(parameters) }
        case "/api/v1/labels": return respond { () throws(QueryError) in try labels(parameters) }
        case "/api/v1/label/:name/values":
            return respond { () throws(QueryError) in try labelValues(labelName ?? "", parameters) }
        case "/api/v1/alerts": return respond { () throws(QueryError) in alerts() }
        case "/api/v1/rules": return respond { () throws(QueryError) in try rulesData(parameters) }
        case "/api/v1/targets": return respond { () throws(QueryError) in targets() }
        case "/api/v1/alertmanagers":
            // Only the broken pipeline says where it sends (nowhere); the others do not pretend to deliver.
            guard world.scenario == .brokenPipeline else {
                return HTTPAnswer(status: 404, contentType: "text/plain; charset=utf-8", body: "404 page not found\n")
            }
            return respond { () throws(QueryError) in .object([("activeAlertmanagers", .array([])), ("droppedAlertmanagers", .array([]))]) }
        case "/api/v1/status/buildinfo": return respond { () throws(QueryError) in buildInfo() }
        case "/-/healthy":
            return HTTPAnswer(status: 200, contentType: "text/plain; charset=utf-8", body: "Prometheus Server is Healthy.\n")
        case "/-/ready":
            return HTTPAnswer(status: 200, contentType: "text/plain; charset=utf-8", body: "Prometheus Server is Ready.\n")
        case "/metrics":
            return HTTPAnswer(
                status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8",
                body: world.exposition(at: nowMilliseconds))
        default:
            return HTTPAnswer(status: 404, contentType: "text/plain; charset=utf-8", body: "404 page not found\n")
        }
    }

    /// Wraps data in `{"status":"success","data":…}`, an error in `{"status":"error","errorType":…,"error":…}`.
    private func respond(_ body: () throws(QueryError) -> JSON) -> HTTPAnswer {
        do {
            let data = try body()
            let envelope = JSON.object([("status", .string("success")), ("data", data)])
            return HTTPAnswer(status: 200, contentType: "application/json", body: envelope.serialized)
        } catch {
            let envelope = JSON.object([
                ("status", .string("error")), ("errorType", .string(error.errorType)), ("error", .string(error.description)),
            ])
            return HTTPAnswer(status: error.httpStatus, contentType: "application/json", body: envelope.serialized)
        }
    }

    // MARK: - Parameters

    /// Prometheus' `parseTime`: float seconds or RFC 3339, to milliseconds.
    static func parseTime(_ text: String) -> Int64? {
        if let seconds = Double(text) {
            guard seconds.isFinite, abs(seconds) < 1e11 else { return nil }
            let whole = seconds.rounded(.towardZero)
            let millis = ((seconds - whole) * 1000).rounded()
            return Int64(whole) * 1000 + Int64(millis)
        }
        guard let date = RFC3339.parse(text) else { return nil }
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite, abs(seconds) < 1e11 else { return nil }
        return Int64((seconds * 1000).rounded())
    }

    /// Prometheus' `parseDuration`: float seconds or a duration (`15s`, `1m`), to milliseconds.
    static func parseStep(_ text: String) throws(QueryError) -> Int64 {
        if let seconds = Double(text) {
            if seconds.isNaN { return 0 }
            guard seconds * 1e9 < 9.223372036854775807e18, seconds * 1e9 > -9.223372036854775808e18 else {
                throw .badData("invalid parameter \"step\": cannot parse \(goQuote(text)) to a valid duration. It overflows int64")
            }
            return Int64((seconds * 1000).rounded(.towardZero))
        }
        if let ms = PromDuration.parse(text) { return ms }
        throw .badData("invalid parameter \"step\": cannot parse \(goQuote(text)) to a valid duration")
    }

    private func parseQuery(_ parameters: FormParameters) throws(QueryError) -> Expr {
        do {
            return try Parser.parse(parameters.first("query") ?? "")
        } catch {
            throw .badData("invalid parameter \"query\": \(error)")
        }
    }

    // MARK: - Endpoints

    func query(_ parameters: FormParameters) throws(QueryError) -> JSON {
        var time = nowMilliseconds
        if let text = parameters.first("time"), !text.isEmpty {
            guard let parsed = MockPrometheusAPI.parseTime(text) else {
                throw .badData(
                    "invalid parameter \"time\": Invalid time value for 'time': cannot parse \(goQuote(text)) to a valid timestamp")
            }
            time = parsed
        }
        let expr = try parseQuery(parameters)
        let timestamp = GoFormat.timestamp(milliseconds: time)
        switch try engine.evaluate(expr, at: time) {
        case .scalar(let v):
            return resultJSON("scalar", .array([.number(GoFormat.jsonNumber(Double(time) / 1000)), .string(GoFormat.formatF(v))]))
        case .string(let s):
            return resultJSON("string", .array([.number(GoFormat.jsonNumber(Double(time) / 1000)), .string(s)]))
        case .vector(let elements):
            return resultJSON("vector", .array(elements.map { element in
                .object([
                    ("metric", .labels(element.labels)),
                    ("value", .array([.number(timestamp), .string(GoFormat.sampleValue(element.value))])),
                ])
            }))
        case .matrix(let series):
            return resultJSON("matrix", matrixJSON(series))
        }
    }

    func queryRange(_ parameters: FormParameters) throws(QueryError) -> JSON {
        let startText = parameters.first("start") ?? ""
        guard let start = MockPrometheusAPI.parseTime(startText) else {
            throw .badData("invalid parameter \"start\": cannot parse \(goQuote(startText)) to a valid timestamp")
        }
        let endText = parameters.first("end") ?? ""
        guard let end = MockPrometheusAPI.parseTime(endText) else {
            throw .badData("invalid parameter \"end\": cannot parse \(goQuote(endText)) to a valid timestamp")
        }
        guard end >= start else {
            throw .badData("invalid parameter \"end\": end timestamp must not be before start time")
        }
        let step = try MockPrometheusAPI.parseStep(parameters.first("step") ?? "")
        guard step > 0 else {
            throw .badData(
                "invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        guard (end - start) / step <= 11_000 else {
            throw .badData(
                "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        }
        let expr = try parseQuery(parameters)
        return resultJSON("matrix", matrixJSON(try engine.evaluateRange(expr, start: start, end: end, step: step)))
    }

    private func resultJSON(_ type: String, _ result: JSON) -> JSON {
        .object([("resultType", .string(type)), ("result", result)])
    }

    private func matrixJSON(_ series: [SeriesPoints]) -> JSON {
        .array(series.map { s in
            .object([
                ("metric", .labels(s.labels)),
                ("values", .array(s.points.map {
                    .array([.number(GoFormat.timestamp(milliseconds: $0.t)), .string(GoFormat.sampleValue($0.v))])
                })),
            ])
        })
    }

    /// Series matching any of the `match[]` selectors (none given: every series, for `labels`).
    private func matchingSeries(_ parameters: FormParameters, required: Bool) throws(QueryError) -> [SeriesRef] {
        let selectors = parameters.all("match[]")
        if selectors.isEmpty {
            if required { throw .badData("no match[] parameter provided") }
            return engine.source.allSeries
        }
        var found: [Int: SeriesRef] = [:]
        for text in selectors {
            let selector: VectorSelector
            do {
                selector = try Parser.parseSelector(text)
            } catch {
                throw .badData("invalid parameter \"match[]\": \(error)")
            }
            for series in engine.source.series(matching: selector.matchers) { found[series.id] = series }
        }
        return found.keys.sorted().compactMap { found[$0] }
    }

    private func checkTimes(_ parameters: FormParameters) throws(QueryError) {
        for name in ["start", "end"] {
            if let text = parameters.first(name), !text.isEmpty, MockPrometheusAPI.parseTime(text) == nil {
                throw .badData("invalid parameter \"\(name)\": cannot parse \(goQuote(text)) to a valid timestamp")
            }
        }
    }

    func series(_ parameters: FormParameters) throws(QueryError) -> JSON {
        try checkTimes(parameters)
        let series = try matchingSeries(parameters, required: true)
        return .array(series.sorted { labelsOrder($0.labels, $1.labels) }.map { .labels($0.labels) })
    }

    func labels(_ parameters: FormParameters) throws(QueryError) -> JSON {
        try checkTimes(parameters)
        let names = Set(try matchingSeries(parameters, required: false).flatMap(\.labels.keys))
        return .array(names.sorted().map { .string($0) })
    }

    func labelValues(_ name: String, _ parameters: FormParameters) throws(QueryError) -> JSON {
        guard let first = name.utf8.first, Lexer.isAlpha(first),
              name.utf8.allSatisfy({ Lexer.isAlpha($0) || Lexer.isDigit($0) })
        else {
            throw .badData("invalid label name: \(goQuote(name))")
        }
        try checkTimes(parameters)
        let values = Set(try matchingSeries(parameters, required: false).compactMap { $0.labels[name] })
        return .array(values.sorted().map { .string($0) })
    }

    private func alertJSON(_ alert: ActiveAlert) -> JSON {
        .object([
            ("labels", .labels(alert.labels)),
            ("annotations", .labels(alert.annotations)),
            ("state", .string(alert.state.rawValue)),
            ("activeAt", .string(rfc3339Nano(milliseconds: alert.activeAt))),
            ("value", .string(GoFormat.formatE(alert.value))),
        ])
    }

    /// Evaluates the rules once, so that the first `/api/v1/alerts` does not pay for the walk back through their
    /// history (seconds in a debug build on a busy machine).
    public func warmUp() {
        for group in rules { _ = group.evaluate(at: nowMilliseconds, historyStart: rulesSince) }
    }

    func alerts() -> JSON {
        let alerts = rules.flatMap { $0.alerts(at: nowMilliseconds, historyStart: rulesSince) }
        return .object([("alerts", .array(alerts.map(alertJSON)))])
    }

    func rulesData(_ parameters: FormParameters) throws(QueryError) -> JSON {
        let type = (parameters.first("type") ?? "").lowercased()
        guard ["", "alert", "record"].contains(type) else {
            throw .badData("not supported value \(goQuote(type))")
        }
        guard type != "record" else { return .object([("groups", .array([]))]) }
        var groups = rules.map { groupJSON($0, $0.evaluate(at: nowMilliseconds, historyStart: rulesSince)) }
        if world.scenario == .brokenPipeline { groups.append(brokenGroup()) }
        return .object([("groups", .array(groups))])
    }

    /// The broken pipeline's own group: a rule that fails at every evaluation, and a Watchdog that does not fire.
    func brokenGroup() -> JSON {
        let last = JSON.string(RFC3339.format(Date(timeIntervalSince1970: Double(nowMilliseconds / 30_000 * 30_000) / 1000)))
        func rule(_ name: String, _ query: String, health: String, error: String) -> JSON {
            .object([
                ("state", .string("inactive")), ("name", .string(name)), ("query", .string(query)), ("duration", .number("0")),
                ("labels", .object([("severity", .string("critical"))])), ("annotations", .object([])), ("alerts", .array([])),
                ("health", .string(health)), ("lastError", .string(error)), ("evaluationTime", .number("0.0004")),
                ("lastEvaluation", last), ("type", .string("alerting")),
            ])
        }
        return .object([
            ("name", .string("pipeline")), ("file", .string("pipeline-rules.yml")),
            ("rules", .array([
                rule("OrderErrorBudget", #"sum by (service) (rate(http_requests_total{status_code=~"5.."}[5m])) / on() group_left() sum(rate(http_requests_total[5m]))"#,
                     health: "err", error: "found duplicate series for the match group {} on the right hand-side of the operation: [{service=\"order-service\"}, {service=\"user-service\"}];many-to-many matching not allowed: matching labels must be unique on one side"),
                rule("Watchdog", #"vector(1) unless on() absent(up{job="alertmanager"})"#, health: "ok", error: ""),
            ])),
            ("interval", .number("30")), ("evaluationTime", .number("0.0009")), ("lastEvaluation", last),
        ])
    }

    func groupJSON(_ rules: RuleEvaluator, _ statuses: [RuleStatus]) -> JSON {
        let never = "0001-01-01T00:00:00Z"
        let rulesJSON: [JSON] = statuses.map { status in
            var members: [(String, JSON)] = [
                ("state", .string(status.state.rawValue)),
                ("name", .string(status.rule.name)),
                ("query", .string(status.query)),
                ("duration", .number(String(status.rule.holdSeconds))),
                ("keepFiringFor", .number("0")),
                ("labels", .labels(status.rule.labels)),
                ("annotations", .labels(status.rule.annotations)),
                ("alerts", .array(status.alerts.map(alertJSON))),
                ("health", .string(status.health)),
            ]
            if !status.lastError.isEmpty { members.append(("lastError", .string(status.lastError))) }
            members += [
                ("evaluationTime", .number(GoFormat.jsonNumber(status.evaluationSeconds))),
                ("lastEvaluation", .string(status.lastEvaluation.map { rfc3339Nano(milliseconds: $0) } ?? never)),
                ("type", .string("alerting")),
            ]
            return .object(members)
        }
        let lastEvaluation = statuses.compactMap(\.lastEvaluation).max()
        let group = JSON.object([
            ("name", .string(rules.group.name)),
            ("file", .string(rules.group.file)),
            ("rules", .array(rulesJSON)),
            ("interval", .number(String(rules.group.intervalSeconds))),
            ("limit", .number("0")),
            ("evaluationTime", .number(GoFormat.jsonNumber(statuses.reduce(0) { $0 + $1.evaluationSeconds }))),
            ("lastEvaluation", .string(lastEvaluation.map { rfc3339Nano(milliseconds: $0) } ?? never)),
        ])
        return group
    }
}

/// One place among the concurrent evaluations; `leave()` gives it back.
