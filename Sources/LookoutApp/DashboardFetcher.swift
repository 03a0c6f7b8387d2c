import DashboardCore
import FoundationEssentials
import Glibc
import PromQL
import LookoutUI
import PrometheusAPI
import SafeText

/// Runs a dashboard's queries. Graph panels use `query_range` with `points` steps over the range (one point per
/// sparkline column); stat panels use instant queries, and a health panel also asks for its expected series.
public struct DashboardFetcher: Sendable {
    public let client: PrometheusClient
    public let dashboard: Dashboard
    /// Where the alerts and silences come from instead of Prometheus, when set (`--alertmanager-url`, repeatable).
    public let alertmanager: AlertmanagerCluster?
    /// Range queries through this cache ask only for what is new since the last refresh (the live dashboard).
    public let rangeCache: RangeCache?
    /// When stat panels are evaluated: the range's end unless set (the live dashboard asks at now, while its graphs'
    /// range ends at the last whole step).
    public let instant: Date?
    /// The time each answer is stamped with (the run loop's clock).
    public let now: @Sendable () -> Date
    /// The live window: its graphs' range ends on the step grid, up to a step before `instant` (28 minutes at 24 h,
    /// almost 4½ hours at 7 d). When that is more than `liveEdgeSeconds`, each graph target is also asked at `instant`
    /// and its answer is the series' last point, so the rows' values and the graphs' ends are the present.
    public let liveEdge: Bool
    public static let liveEdgeSeconds: TimeInterval = 15

    public init(
        client: PrometheusClient, dashboard: Dashboard, alertmanager: AlertmanagerCluster? = nil, rangeCache: RangeCache? = nil,
        instant: Date? = nil, liveEdge: Bool = false, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.client = client
        self.dashboard = dashboard
        self.alertmanager = alertmanager
        self.rangeCache = rangeCache
        self.instant = instant
        self.liveEdge = liveEdge
        self.now = now
    }

    /// `streams` with the value of each series at `instant` as its last point (a series that only the instant query
    /// has starts there): the live window reaches the present whatever its step.
    func reachingNow(_ streams: [SampleStream], expr: String, range: QueryRange) async throws -> [SampleStream] {
        guard liveEdge, let instant, instant.timeIntervalSince(range.end) > Self.liveEdgeSeconds else { return streams }
        let response = try await client.query(expr, at: instant)
        guard case .vector(let samples) = response.data else { return streams }
        var out = streams
        var index: [Labels: Int] = [:]
        for (i, stream) in out.enumerated() where index[stream.metric] == nil { index[stream.metric] = i }
        for sample in samples {
            let point = sample.value
            if let i = index[sample.metric] {
                if (out[i].values.last?.timestamp ?? -.infinity) < point.timestamp { out[i].values.append(point) }
            } else {
                index[sample.metric] = out.count
                out.append(SampleStream(metric: sample.metric, values: [point]))
            }
        }
        return out
    }

    /// The query to ask for a graph's target, and how many series it leaves out: beyond `PanelData.seriesLimit`
    /// series (counted with `count(…)` at `time`), its top ones by value (`topk`), so that ten thousand series cost
    /// the server's work, not lookout's memory. The count is asked unless the last answer to the query, kept in the
    /// cache, had fewer series than the limit; a count that fails (a scalar, an engine without `count`) leaves the
    /// query as it is.
    func limited(_ expr: String, at time: Date) async -> (expr: String, more: Int) {
        let limit = PanelData.seriesLimit
        guard let total = await seriesCount(expr, over: limit, at: time) else { return (expr, 0) }
        return ("topk(\(limit), \(expr))", total - limit)
    }

    /// A health panel with more than this many expected series is counted by the server per name.
    static let healthSeriesLimit = 1000

    /// The labels to count a health panel's series by (`service`), when it has more than `healthSeriesLimit`
    /// expected series and its legend names plain labels; nil to read the series one by one.
    func aggregatedHealth(_ expectedExpr: String, legendFormat: String, at time: Date) async -> String? {
        guard let names = LegendTemplate.labelNames(legendFormat),
              await seriesCount(expectedExpr, over: Self.healthSeriesLimit, at: time) != nil
        else { return nil }
        return names.joined(separator: ", ")
    }

    /// How many series `expr` has, when more than `limit`: nil when the answer kept from the last refresh had fewer
    /// (nothing is asked then), else `count(expr)` at `time`, nil when it is not more or cannot be asked (a scalar,
    /// an engine without `count`, an error).
    func seriesCount(_ expr: String, over limit: Int, at time: Date) async -> Int? {
        if let rangeCache, let known = await rangeCache.seriesCount(of: expr), known < limit { return nil }
        guard let answer = try? await client.query("count(\(expr))", at: time), case .vector(let samples) = answer.data,
              let total = samples.first?.value.value, total.isFinite, total > Double(limit)
        else { return nil }
        return Int(saturating: total)
    }

    /// A range query, through the cache when there is one.
    func queryRange(_ expr: String, range: QueryRange) async throws -> APIResponse<QueryResult> {
        if let rangeCache { return try await rangeCache.queryRange(expr, range: range, using: client) }
        return try await client.queryRange(expr, range: range)
    }

    /// Fetches one panel. Errors become `.failed` with a one-line message; they never throw.
    public func fetch(panel: Panel, range: QueryRange) async -> PanelOutcome {
        switch await fetchResult(panel: panel, range: range) {
        case .success(let data): return .loaded(data)
        case .failure(let error): return .failed(error.description)
        }
    }

    /// Fetches one panel, keeping the error's kind (the run loop tells a down server from a bad query).
    public func fetchResult(panel: Panel, range: QueryRange) async -> Result<PanelData, PrometheusError> {
        do {
            switch panel.kind {
            case .row:
                return .success(PanelData())
            case .graph:
                var data = PanelData()
                for target in panel.targets {
                    let (expr, more) = await limited(target.expr, at: instant ?? range.end)
                    data.moreSeries += more
                    let response = try await queryRange(expr, range: range)
                    try Self.require(response.data, [.matrix], panel: "a graph panel", url: client.url(for: "/api/v1/query_range"))
                    data.warnings += response.warnings
                    let streams = try await reachingNow(response.data.streams, expr: expr, range: range)
                    data.series += SeriesSummary.from(
                        streams, legendFormat: target.legendFormat, thresholds: panel.thresholds, mappings: panel.mappings, expr: target.expr)
                }
                return .success(data)
            case .stat, .gauge, .bargauge:
                var data = PanelData()
                for target in panel.targets {
                    let at = instant ?? range.end
                    let url = client.url(for: "/api/v1/query")
                    if let expectedExpr = panel.expectedSeries {
                        // Thousands of instances are counted by the server, per name (`count by (service)`).
                        let grouping = await aggregatedHealth(expectedExpr, legendFormat: target.legendFormat, at: at)
                        let presentExpr = grouping.map { "count by (\($0)) (\(target.expr))" } ?? target.expr
                        let expectedQuery = grouping.map { "count by (\($0)) (\(expectedExpr))" } ?? expectedExpr
                        let response = try await client.query(presentExpr, at: at)
                        data.warnings += response.warnings
                        // Health needs one series per instance: a scalar is not a service.
                        try Self.require(response.data, [.vector], panel: "a health panel", url: url)
                        let expected = try await client.query(expectedQuery, at: at)
                        try Self.require(expected.data, [.vector], panel: "a health panel's expected series", url: url)
                        data.warnings += expected.warnings
                        // What was there during the range, so a service whose series vanished is GONE, not dropped.
                        let duration = range.end.timeIntervalSince(range.start)
                        let window = rangeCache == nil
                            ? QueryRange(last: duration, end: range.end, points: 30)
                            : QueryRange.aligned(last: duration, now: range.end, points: 30)
                        let seen = try await queryRange(expectedQuery, range: window)
                        data.warnings += seen.warnings
                        if grouping != nil {
                            func counts(_ result: QueryResult) -> [(labels: Labels, count: Double)] {
                                guard case .vector(let samples) = result else { return [] }
                                return samples.map { ($0.metric, $0.value.value) }
                            }
                            data.services += HealthEvaluator.evaluate(
                                presentCounts: counts(response.data), expectedCounts: counts(expected.data),
                                seen: seen.data.streams.map(\.metric), legendFormat: target.legendFormat)
                        } else {
                            data.services += HealthEvaluator.evaluate(
                                present: response.data.streams.map(\.metric), expected: expected.data.streams.map(\.metric),
                                seen: seen.data.streams.map(\.metric), legendFormat: target.legendFormat)
                        }
                        continue
                    }
                    if let reducer = panel.reducer, reducer.needsRange {
                        // A value over the window (mean, max, …): the window's points, reduced per series.
                        let response = try await queryRange(target.expr, range: range)
                        try Self.require(response.data, [.matrix], panel: "a stat panel", url: client.url(for: "/api/v1/query_range"))
                        data.warnings += response.warnings
                        data.series += SeriesSummary.from(
                            response.data.streams, legendFormat: target.legendFormat, thresholds: panel.thresholds, mappings: panel.mappings,
                            expr: target.expr, reducer: reducer)
                        continue
                    }
                    let response = try await client.query(target.expr, at: at)
                    data.warnings += response.warnings
                    try Self.require(response.data, [.vector, .scalar], panel: "a stat panel", url: url)
                    data.series += SeriesSummary.from(
                        response.data.streams, legendFormat: target.legendFormat, thresholds: panel.thresholds, mappings: panel.mappings, expr: target.expr)
                }
                return .success(data)
            }
        } catch let error as PrometheusError {
            return .failure(error)
        } catch is CancellationError {
            return .failure(.transport(url: client.url(for: "/api/v1"), reason: "request cancelled"))
        } catch {
            return .failure(.transport(url: client.url(for: "/api/v1"), reason: "\(error)"))
        }
    }

    enum ResultKind { case vector, matrix, scalar, string }

    /// A result of a type the panel cannot use is an error in that panel, not data.
    static func require(_ result: QueryResult, _ kinds: [ResultKind], panel: String, url: String) throws(PrometheusError) {
        let (kind, name): (ResultKind, String) = switch result {
        case .vector: (.vector, "an instant vector")
        case .matrix: (.matrix, "a range vector")
        case .scalar: (.scalar, "a scalar")
        case .string: (.string, "a string")
        }
        guard kinds.contains(kind) else {
            throw .decoding(url: url, detail: "the query returned \(name), which \(panel) cannot show")
        }
    }

    /// Panels asked at once: a dashboard of a hundred panels does not open a hundred connections.
    public static let panelsInFlight = 8

    /// One refresh: first the values each of the dashboard's variables offers (each after those its selector uses),
    /// then the panels (`only` those when given: the ones on screen; never the rows), their queries with the
    /// variables' values (`choices`: those picked), at most `panelsInFlight` at once, and the alerts beside them,
    /// each result as an event as soon as it arrives, and last `fetchFinished` with the one rule for an unreachable
    /// server. The dashboard's run loop and `lookout snapshot` both fetch through here. Cancelling the consuming task
    /// stops the queries.
    public func refresh(
        generation: Int, range: QueryRange, choices: [String: String] = [:], only: Set<Int>? = nil
    ) -> AsyncStream<DashboardEvent> {
        AsyncStream { continuation in
            let task = Task {
                let options = await variableOptions(choices: choices, range: range) { name, values in
                    continuation.yield(.variableOptions(name: name, values: values))
                }
                let dashboard = dashboard.substituting(choices, options: options)
                    .withBuiltins(start: range.start, end: range.end, step: range.step)
                let asked = dashboard.panels.indices.filter { !dashboard.panels[$0].isRow && only?.contains($0) ?? true }
                let failures = await withTaskGroup(of: [PrometheusError?].self) { group -> [PrometheusError?] in
                    // The panels, a few at a time (`panelsInFlight`): each one done starts the next.
                    group.addTask {
                        await withTaskGroup(of: PrometheusError?.self) { panelGroup -> [PrometheusError?] in
                            var pending = asked[...]
                            func start() {
                                guard let index = pending.popFirst() else { return }
                                let panel = dashboard.panels[index]
                                panelGroup.addTask {
                                    let result = await fetchResult(panel: panel, range: range)
                                    let outcome: PanelOutcome = switch result {
                                    case .success(let data): .loaded(data)
                                    case .failure(let error): .failed(error.description)
                                    }
                                    continuation.yield(.panelLoaded(index: index, generation: generation, outcome: outcome, at: now()))
                                    return result.failure
                                }
                            }
                            for _ in 0..<Self.panelsInFlight { start() }
                            var all: [PrometheusError?] = []
                            for await failure in panelGroup {
                                all.append(failure)
                                start()
                            }
                            return all
                        }
                    }
                    group.addTask {
                        let result = await fetchAlerts()
                        switch result {
                        case .success(let fetched):
                            continuation.yield(.alertsLoaded(
                                generation: generation, items: fetched.items, error: nil, at: now(), unreadable: fetched.unreadable))
                        case .failure(let error):
                            continuation.yield(.alertsLoaded(generation: generation, items: nil, error: error.description, at: now()))
                        }
                        return [result.failure]
                    }
                    if let alertmanager {
                        // Alongside the alerts; Alertmanager's silences never make Prometheus unreachable.
                        group.addTask {
                            let (silences, error, down) = await Self.fetchSilences(alertmanager)
                            continuation.yield(.silencesLoaded(generation: generation, silences: silences, error: error, down: down, at: now()))
                            return []
                        }
                    }
                    var all: [PrometheusError?] = []
                    for await failures in group { all += failures }
                    return all
                }
                let errors = failures.compactMap { $0 }
                // Unreachable is about the panels and the alerts: the silences are Alertmanager's.
                continuation.yield(.fetchFinished(
                    generation: generation,
                    unreachable: Self.unreachable(errors, queries: asked.count + 1)?.shortReason,
                    at: now(), retryAfter: errors.compactMap(\.retryAfter).max()))
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The values each variable offers, asked in dependency order (a selector's variables resolved first); one
    /// that cannot be asked is left out (its picked or saved value is used as it is).
    func variableOptions(
        choices: [String: String], range: QueryRange, _ answered: (String, [String]) -> Void
    ) async -> [String: [String]] {
        var options: [String: [String]] = [:]
        let ordered = Variable.ordered(dashboard.variables)
        for variable in ordered where !Task.isCancelled {
            guard variable.kind == .query else {
                if variable.kind == .custom { options[variable.name] = variable.offered([]) }
                continue
            }
            let selector = variable.selector.map { Variable.substitute($0, Variable.resolve(ordered, choices: choices, options: options)) }
            guard let values = try? await client.labelValues(variable.label, matching: selector).data else { continue }
            let offered = variable.offered(Array(values.prefix(InputLimits.variableValues)).map { SafeText.clip($0, InputLimits.labelCharacters) })
            options[variable.name] = offered
            answered(variable.name, offered)
        }
        return options
    }

    /// How long the server keeps its data (`/api/v1/status/runtimeinfo`'s time part), or nil: not served (Thanos,
    /// Mimir, VictoriaMetrics), a size limit only, or no answer. Asked once; nothing depends on it but a note.
    public func retention() async -> TimeInterval? {
        guard let text = try? await client.runtimeInfo().data.storageRetention else { return nil }
        return Self.retention(text)
    }

    /// `15d`, `15d or 10GiB`, `1y2w`: the time part in seconds; nil for a size only or anything else.
    public static func retention(_ text: String) -> TimeInterval? {
        let time = text.components(separatedBy: " or ").first?.trimmingSpaces() ?? ""
        guard let milliseconds = PromDuration.parse(time), milliseconds > 0 else { return nil }
        return TimeInterval(milliseconds) / 1000
    }

    /// Alertmanager's silences (nil and an error when no member answered), and the members that did not answer.
    public static func fetchSilences(_ cluster: AlertmanagerCluster) async -> (silences: [Silence]?, error: String?, down: [AlertmanagerMemberDown]) {
        do {
            let answer = try await cluster.silences()
            return (answer.value, nil, answer.down)
        } catch let error as PrometheusError {
            return (nil, error.description, [])
        } catch {
            return (nil, SafeText.clip("\(error)", InputLimits.messageCharacters), [])
        }
    }

    /// The server is unreachable when nothing at all got through and every failure is a connection failure: then
    /// the first of them, else nil.
    public static func unreachable(_ errors: [PrometheusError], queries: Int) -> PrometheusError? {
        guard !errors.isEmpty, errors.count == queries, errors.allSatisfy(\.isConnectionFailure) else { return nil }
        return errors.first
    }

    /// The active alerts (from Alertmanager when configured, with silences and inhibitions) and the ones that could
    /// not be read, or the error that kept them all away.
    public func fetchAlerts() async -> Result<FetchedAlerts, PrometheusError> {
        do {
            if let alertmanager {
                let answer = try await alertmanager.alerts()
                return .success(FetchedAlerts(
                    items: AlertItem.arranged(answer.value.elements.map(AlertItem.init)), unreadable: answer.value.failures))
            }
            let data = try await client.alertsData().data
            return .success(FetchedAlerts(items: AlertItem.sorted(data.alerts), unreadable: data.unreadable))
        } catch let error as PrometheusError {
            return .failure(error)
        } catch {
            return .failure(.transport(url: client.url(for: "/api/v1/alerts"), reason: "\(error)"))
        }
    }
}

/// The alerts of one refresh: those that could be read, ready to show, and one line for each that could not.
public struct FetchedAlerts: Sendable, Equatable {
    public var items: [AlertItem]
    public var unreadable: [String]

    public init(items: [AlertItem], unreadable: [String] = []) {
        self.items = items
        self.unreadable = unreadable
    }

    /// One line on the alerts that could not be read; nil when all were read.
    public var unreadableSummary: String? { AlertsState.summary(ofUnreadable: unreadable) }
}
