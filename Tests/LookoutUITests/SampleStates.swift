import LookoutUI
import SafeText
import DashboardCore
import Foundation
import PrometheusAPI
import TerminalCanvas
import TestSupport

/// Fixed dashboard states for the golden files and the size sweep.
enum SampleStates {
    static let now = Date(timeIntervalSince1970: 1_795_615_999)
    static let services = ["user-service", "order-service", "inventory-service", "payment-service"]

    /// A deterministic wave around `base`.
    static func wave(_ base: Double, amplitude: Double, seed: Int, points: Int = 60, ramp: Double = 0) -> [SamplePair] {
        let end = now.timeIntervalSince1970
        return (0...points).map { i in
            let t = end - 3600 + Double(i) * 3600 / Double(points)
            let phase = Double(i) / 7 + Double(seed)
            let value = base * (1 + amplitude * sin(phase)) + ramp * Double(i) / Double(points)
            return SamplePair(timestamp: t, value: value)
        }
    }

    static func series(_ name: String, _ points: [SamplePair], _ thresholds: Thresholds?) -> SeriesSummary {
        SeriesSummary(legend: name, labels: ["service": name], points: points, thresholds: thresholds)
    }

    static func base(_ configure: (inout DashboardState) -> Void) -> DashboardState {
        var state = DashboardState(dashboard: .microservices, server: "prometheus:9090", rangeSeconds: 3600, refreshSeconds: 15, now: now)
        state.connection = .connected
        configure(&state)
        return state
    }

    static func loaded(_ state: inout DashboardState, health: [ServiceHealth], rates: [Double], errors: [Double], latency: [Double]) {
        let d = Dashboard.microservices
        let at = now.addingTimeInterval(-3)
        state.panels[0] = PanelState(data: PanelData(services: health), updatedAt: at)
        state.panels[1] = PanelState(data: PanelData(series: zip(services, rates).enumerated().map {
            series($0.element.0, wave($0.element.1, amplitude: 0.15, seed: $0.offset), nil)
        }.sorted { $0.legend < $1.legend }), updatedAt: at)
        state.panels[2] = PanelState(data: PanelData(series: zip(services, errors).enumerated().map {
            series($0.element.0, wave($0.element.1, amplitude: 0.3, seed: $0.offset + 2), d.panels[2].thresholds)
        }.sorted { $0.legend < $1.legend }), updatedAt: at)
        state.panels[3] = PanelState(data: PanelData(series: zip(services, latency).enumerated().map {
            series($0.element.0, wave($0.element.1, amplitude: 0.2, seed: $0.offset + 4), d.panels[3].thresholds)
        }.sorted { $0.legend < $1.legend }), updatedAt: at)
    }

    static let healthy = base { state in
        loaded(&state, health: services.sorted().map { ServiceHealth(name: $0, status: .up) },
               rates: [48.2, 29.7, 20.1, 10.4], errors: [0.002, 0.004, 0.003, 0.005], latency: [0.12, 0.18, 0.21, 0.25])
        state.alerts = AlertsState(items: [], updatedAt: now.addingTimeInterval(-3))
    }

    static func alert(_ name: String, _ severity: String, _ labels: Labels, _ summary: String, ago: TimeInterval, state: AlertState = .firing) -> Alert {
        var all = labels
        all["alertname"] = name
        all["severity"] = severity
        return Alert(labels: all, annotations: ["summary": summary], state: state, activeAt: now.addingTimeInterval(-ago))
    }

    static let incident = base { state in
        loaded(&state,
               health: [ServiceHealth(name: "payment-service", status: .down)] + ["inventory-service", "order-service", "user-service"].map { ServiceHealth(name: $0, status: .up) },
               rates: [48.2, 29.7, 20.1, 10.4], errors: [0.004, 0.012, 0.006, 0.114], latency: [0.12, 0.18, 2.4, 0.25])
        state.alerts = AlertsState(items: AlertItem.sorted([
            alert("HighErrorRate", "critical", ["service": "payment-service"], "Error rate is 11.43% for payment-service", ago: 720),
            alert("PodCrashLooping", "critical", ["pod": "payment-service-7d9f8b6c5d-x2k4p", "namespace": "microservices-app"], "Pod payment-service-7d9f8b6c5d-x2k4p in microservices-app is crash looping", ago: 600),
            alert("HighLatency", "warning", ["service": "inventory-service"], "p95 latency is 2.4s for inventory-service", ago: 540),
            alert("DeploymentReplicasMismatch", "warning", ["deployment": "order-service"], "order-service has 2 available replicas, expected 3", ago: 300),
        ]), updatedAt: now.addingTimeInterval(-3))
    }

    static let serverDown: DashboardState = {
        var state = incident
        state.connection = .unreachable(message: "connection refused", retryAt: now.addingTimeInterval(5))
        for i in state.panels.indices {
            // The last answer came 125 s ago, so its points end then.
            state.panels[i].updatedAt = now.addingTimeInterval(-125)
            if var data = state.panels[i].data {
                data.series = data.series.map { s in
                    SeriesSummary(
                        legend: s.legend, labels: s.labels,
                        points: s.points.map { SamplePair(timestamp: $0.timestamp - 125, value: $0.value) }, thresholds: nil)
                        .with(state: s.state)
                }
                state.panels[i].data = data
            }
            state.panels[i].error = "cannot reach http://prometheus:9090/api/v1/query_range: connection refused"
        }
        state.alerts.updatedAt = now.addingTimeInterval(-125)
        state.alerts.error = "cannot reach http://prometheus:9090/api/v1/alerts: connection refused"
        return state
    }()

    static let noData = base { state in
        let at = now.addingTimeInterval(-2)
        for i in state.panels.indices { state.panels[i] = PanelState(data: PanelData(), updatedAt: at) }
        state.alerts = AlertsState(items: [], updatedAt: at)
    }

    /// The operations dashboard: stat panels (one number each: the backup's age, failed jobs; the probe's UP) in
    /// rows of their own, graphs (volume usage, a ratio under 100 %; replicas missing; the probe's duration) with the
    /// rest.
    static let operations: DashboardState = {
        var state = DashboardState(dashboard: .operations, server: "prometheus:9090", rangeSeconds: 3600, refreshSeconds: 15, now: now)
        state.connection = .connected
        let board = Dashboard.operations
        let at = now.addingTimeInterval(-3)
        func one(_ legend: String, _ label: String, _ points: [SamplePair], _ panel: Int) -> PanelState {
            PanelState(data: PanelData(series: [
                SeriesSummary(legend: legend, labels: [label: legend], points: points, thresholds: board.panels[panel].thresholds),
            ]), updatedAt: at)
        }
        state.panels[0] = one("postgresql-backup", "cronjob", wave(27 * 3600, amplitude: 0.01, seed: 1, ramp: 3600), 0)
        state.panels[1] = one("postgresql-backup-29113", "job_name", wave(1, amplitude: 0, seed: 0), 1)
        state.panels[2] = one("backup-pvc", "persistentvolumeclaim", wave(0.62, amplitude: 0.04, seed: 2, ramp: 0.2), 2)
        state.panels[3] = PanelState(data: PanelData(series: services.enumerated().map { i, name in
            SeriesSummary(legend: name, labels: ["deployment": name], points: wave(name == "order-service" ? 1 : 0, amplitude: 0, seed: i),
                          thresholds: board.panels[3].thresholds)
        }.sorted { $0.legend < $1.legend }), updatedAt: at)
        state.panels[4] = PanelState(data: PanelData(services: [ServiceHealth(name: "api-gateway", status: .up)]), updatedAt: at)
        state.panels[5] = one("api-gateway", "instance", wave(0.12, amplitude: 0.3, seed: 3), 5)
        return state
    }()

    /// Eight services in the health panel, the one down (shipping-service) not among the first alphabetically.
    static let eightServices: DashboardState = with(incident) { state in
        let up = ["api-gateway", "cart-service", "inventory-service", "notification-service", "order-service", "search-service", "user-service"]
        state.panels[0].data?.services = [ServiceHealth(name: "shipping-service", status: .down)] + up.map { ServiceHealth(name: $0, status: .up) }
    }

    static let all: [(String, DashboardState)] = [
        ("healthy", healthy), ("incident", incident), ("server-down", serverDown), ("no-data", noData), ("operations", operations),
    ]

    /// The smallest terminals, where every panel keeps a line and the service down is named.
    static let small: [(String, DashboardState)] = [("eight-services", eightServices), ("incident", incident)]

    /// Screens and overlays other than the dashboard, reached with the keys a user types, checked at one size each.
    static let views: [(String, AppState)] = [
        ("incident-zoom-latency", app(incident, [.tab, .tab, .tab, .enter])),
        ("incident-alerts", app(incident, [.char("a"), .down])),
        ("incident-alert-detail", app(incident, [.char("a"), .enter])),
        ("healthy-help", app(healthy, [.char("?")])),
        ("incident-filter", app(incident, [.char("/"), .char("p"), .char("a"), .char("y")])),
        ("incident-ascii", app(incident, [])),
        ("loading", app(base { $0.connection = .connecting }, [])),
        // Half a range back, in UTC: the status bar names the window, the charts' axes its clock times.
        ("incident-past", app(with(incident) { $0.utc = true }, [.char("["), .char("3")])),
        // Zoomed latency on a log axis, the inspect cursor 30 % of the range back.
        ("incident-zoom-inspect", app(with(incident) { $0.utc = true }, [.char("4"), .char("l"), .char("i")] + Array(repeating: Key.left, count: 30))),
        // The mono theme: each series in its own character, the legend starting with it; series 2 hidden.
        ("incident-zoom-hidden-mono", app(incident, [.char("4"), .char("2")])),
    ]

    /// The help at 80x24, where it does not fit: its top, a page down, its end (the terminal's size in the model, as
    /// the run loop sets it).
    static let help: [(String, AppState)] = {
        let small = with(healthy) { $0.columns = 80; $0.rows = 24 }
        return [
            ("help-top", app(small, [.char("?")])),
            ("help-page-down", app(small, [.char("?"), .pageDown])),
            ("help-end", app(small, [.char("?"), .end])),
        ]
    }()

    /// Explore, reached as a user does (`:explore …`), with the server's answers.
    static let explore: [(String, AppState)] = {
        func open(_ line: String, _ answers: [ScreenResponse], extraKeys: [Key] = []) -> AppState {
            var app = AppState(model: incident)
            for key in [Key.char(":")] + line.map({ Key.char($0) }) + [.enter] + extraKeys { _ = app.update(.key(key)) }
            let screen = app.screenIDs.last ?? 0
            for (i, answer) in answers.enumerated() { _ = app.update(.response(screen: screen, id: i + 1, answer)) }
            return app
        }
        let rates = QueryResult.matrix(services.enumerated().map { i, service in
            SampleStream(metric: ["service": service, "job": "microservices"], values: wave([17.4, 29, 9.1, 53.6][i], amplitude: 0.3, seed: i))
        })
        let failure = ScreenResponse.failure(
            #"Prometheus API error bad_data (HTTP 400): invalid parameter "query": 1:29: parse error: unclosed left parenthesis"#)
        return [
            ("explore-result", open("explore sum by (job, service) (rate(http_requests_total[5m]))", [.result(rates, warnings: [])])),
            ("explore-error", open("explore rate(http_requests_total[5m]", [failure])),
            ("explore-popup", open("explore", [.names(["http_requests_total", "http_request_duration_seconds_bucket", "http_request_duration_seconds_count", "up"])],
                                   extraKeys: "rate(http_req".map { Key.char($0) } + [.tab])),
        ]
    }()

    /// The scrape targets (`T`), one down with its real error, one that was never scraped, a second pool; the detail
    /// of the down one; and `:ctx` with two contexts, one unreachable.
    static let targetsAndContexts: [(String, AppState)] = {
        func target(_ service: String, _ pool: String, _ health: ActiveTarget.Health, error: String = "", scraped: TimeInterval? = 4) -> ActiveTarget {
            ActiveTarget(
                labels: ["instance": "\(service):3000", "job": pool, "service": service], scrapePool: pool,
                scrapeUrl: "http://\(service):3000/metrics", health: health, lastError: error,
                lastScrape: scraped.map { now.addingTimeInterval(-$0) }, lastScrapeDuration: health == .up ? 0.0042 : 0.0004)
        }
        let result = TargetsResult(activeTargets: [
            target("user-service", "microservices", .up), target("order-service", "microservices", .up),
            target("payment-service", "microservices", .down,
                   error: #"Get "http://payment-service:3000/metrics": dial tcp 10.42.0.13:3000: connect: connection refused"#),
            target("inventory-service", "microservices", .up),
            target("node", "node-exporter", .unknown, scraped: nil),
        ], droppedTargets: [])
        var list = AppState(model: incident)
        _ = list.update(.key(.char("T")))
        _ = list.update(.response(screen: list.screenIDs.last ?? 0, id: 1, .targets(result)))
        var detail = list
        _ = detail.update(.key(.enter))
        var contexts = AppState(model: with(incident) {
            $0.contextName = "prod-eu"
            $0.contexts = [ContextEntry(name: "prod-eu", url: "https://prometheus.eu.example"), ContextEntry(name: "staging", url: "http://prometheus.staging:9090")]
        })
        for key in ":ctx".map({ Key.char($0) }) + [.enter] { _ = contexts.update(.key(key)) }
        let screen = contexts.screenIDs.last ?? 0
        _ = contexts.update(.response(screen: screen, id: 1, .done))
        _ = contexts.update(.response(screen: screen, id: 2, .failure("cannot reach http://prometheus.staging:9090: connection refused")))
        return [("targets", list), ("targets-detail", detail), ("contexts", contexts)]
    }()

    /// An alert's detail with its rule, its data against the threshold and its history, as the server answers.
    static let alertDetail: [(String, AppState)] = {
        var app = AppState(model: incident)
        for key: Key in [.char("a"), .enter] { _ = app.update(.key(key)) }
        let screen = app.screenIDs.last ?? 0
        let rules = #"""
            [{"name":"microservices.rules","file":"/etc/prometheus/rules.yml","rules":[{"type":"alerting","name":"HighErrorRate",
              "query":"(sum(rate(http_requests_total{status_code=~\"5..\"}[5m])) by (service) / sum(rate(http_requests_total[5m])) by (service)) > 0.05",
              "duration":300,"labels":{"severity":"critical"},"annotations":{},"alerts":[]}]}]
            """#
        let groups = (try? JSONDecoder().decode([RuleGroup].self, from: Data(rules.utf8))) ?? []
        let end = now.timeIntervalSince1970
        let history = QueryResult.matrix([
            SampleStream(metric: ["alertstate": "pending", "alertname": "HighErrorRate"], values: stride(from: end - 1020, through: end - 780, by: 60).map { SamplePair(timestamp: $0, value: 1) }),
            SampleStream(metric: ["alertstate": "firing", "alertname": "HighErrorRate"], values: stride(from: end - 720, through: end, by: 60).map { SamplePair(timestamp: $0, value: 1) }),
        ])
        let ratio = QueryResult.matrix([
            SampleStream(metric: ["service": "payment-service"], values: wave(0.07, amplitude: 0.6, seed: 2)),
            SampleStream(metric: ["service": "order-service"], values: wave(0.01, amplitude: 0.2, seed: 1)),
        ])
        _ = app.update(.response(screen: screen, id: 2, .result(history, warnings: [])))
        _ = app.update(.response(screen: screen, id: 1, .rules(groups)))
        _ = app.update(.response(screen: screen, id: 3, .result(ratio, warnings: [])))
        return [("alert-why", app)]
    }()

    /// The incident with an Alertmanager: HighLatency silenced by alice, two other silences (one pending, one
    /// expired an hour ago).
    static let silenced: DashboardState = {
        var state = incident
        state.silences = SilencesState(available: true, author: "oncall@bastion")
        let matchers = [SilenceMatcher(name: "alertname", value: "HighLatency"), SilenceMatcher(name: "service", value: "inventory-service")]
        state.silences.items = [
            Silence(id: "5f0c2a71-6a4e-4d1c-9f55-0b1c9e1e2f3a", matchers: matchers, startsAt: now.addingTimeInterval(-600),
                    endsAt: now.addingTimeInterval(3000), createdBy: "alice@bastion", comment: "slow disk on node-3, replacing it", state: .active),
            Silence(id: "0d6e8f10-2b3c-4d5e-8f90-a1b2c3d4e5f6", matchers: [SilenceMatcher(name: "namespace", value: "batch.*", isRegex: true)],
                    startsAt: now.addingTimeInterval(1800), endsAt: now.addingTimeInterval(9000), createdBy: "bob@bastion",
                    comment: "nightly maintenance window", state: .pending),
            Silence(id: "9a8b7c6d-1111-2222-3333-444455556666", matchers: [SilenceMatcher(name: "alertname", value: "Watchdog", isEqual: false)],
                    startsAt: now.addingTimeInterval(-7200), endsAt: now.addingTimeInterval(-3600), createdBy: "carol@bastion",
                    comment: "", state: .expired),
        ]
        state.silences.updatedAt = now.addingTimeInterval(-3)
        state.alerts.items = state.alerts.items.map { item in
            guard item.name == "HighLatency" else { return item }
            var copy = item
            copy.suppression = .silenced
            copy.silencedBy = ["5f0c2a71-6a4e-4d1c-9f55-0b1c9e1e2f3a"]
            return copy
        }
        state.alerts.items = AlertItem.arranged(state.alerts.items)
        return state
    }()

    /// Silences: the form over HighErrorRate with a comment typed and the count in, the list, and the alert list
    /// with a silenced alert.
    /// The night's history (`h`) as the server answers it: the fixture's night (three firings, a blip, a pending
    /// that never fired, an outage) with one silence; then the same with the first firing chosen, and in ASCII.
    static let history: [(String, AppState)] = {
        let night = NightFixture(end: Int(now.timeIntervalSince1970))
        var app = AppState(model: with(incident) {
            $0.utc = true
            $0.silences.available = true
            $0.silences.items = [Silence(
                id: "s-1", matchers: [SilenceMatcher(name: "alertname", value: "HighErrorRate")], startsAt: now.addingTimeInterval(-9.6 * 3600),
                endsAt: now.addingTimeInterval(-8 * 3600), createdBy: "alice@bastion", comment: "rolling back 2.4.1", state: .expired)]
        })
        _ = app.update(.key(.char("h")))
        _ = app.update(.response(screen: app.screenIDs.last ?? 0, id: 1, .history(alerts: night.alertStreams, heartbeat: night.heartbeatStreams)))
        var chosen = app
        for key in [Key.down, .left, .left] { _ = chosen.update(.key(key)) }
        return [("history", app), ("history-chosen", chosen), ("history-ascii", app)]
    }()

    /// A broken alerting pipeline: a rule that fails, alerts that cannot be delivered, a reload that failed. The
    /// dashboard says so first in its status bar and beside "No alerts firing"; `H` lists the checks; `:rules` the
    /// rules.
    static let brokenPipelineGroups: [RuleGroup] = {
        let json = #"""
            [{"name": "broken", "file": "/etc/prometheus/rules.yml", "interval": 30, "lastEvaluation": "2026-11-25T14:13:09Z", "evaluationTime": 0.0021,
              "rules": [
                {"type": "alerting", "name": "DuplicateMatch", "query": "a * on() group_left() b", "health": "err", "state": "inactive", "duration": 300,
                 "lastError": "found duplicate series for the match group {} on the right hand-side of the operation", "labels": {"severity": "critical"}},
                {"type": "alerting", "name": "Watchdog", "query": "vector(1)", "health": "ok", "state": "firing", "duration": 0, "keepFiringFor": 60,
                 "labels": {"severity": "none"}, "alerts": [{"labels": {"alertname": "Watchdog"}, "state": "firing", "activeAt": "2026-11-25T12:00:00Z"}]},
                {"type": "recording", "name": "job:up:sum", "query": "sum by (job) (up)", "health": "ok"}]}]
            """#
        return (try? JSONDecoder().decode([RuleGroup].self, from: Data(json.utf8))) ?? []
    }()

    static let pipeline: [(String, AppState)] = {
        let reading = PipelineReading(
            at: now, rules: .success(brokenPipelineGroups),
            discovery: .success(AlertmanagerDiscovery(activeAlertmanagers: [.init(url: "http://alertmanager:9093/api/v2/alerts")])),
            metrics: .success([
                ExpositionSample(name: "prometheus_notifications_errors_total", labels: ["alertmanager": "http://alertmanager:9093/api/v2/alerts"], value: 12),
                ExpositionSample(name: "prometheus_notifications_latency_seconds_count", labels: ["alertmanager": "http://alertmanager:9093/api/v2/alerts"], value: 12),
                ExpositionSample(name: "prometheus_notifications_dropped_total", value: 14),
            ]),
            runtime: .success(RuntimeInfo(storageRetention: "15d", reloadConfigSuccess: false, lastConfigTime: now.addingTimeInterval(-7200))))
        let model = with(healthy) { $0.pipeline.record(reading) }
        var health = AppState(model: model)
        _ = health.update(.key(.char("H")))
        var evidence = health
        _ = evidence.update(.key(.down))
        _ = evidence.update(.key(.enter))
        var rules = health
        _ = rules.update(.key(.enter))
        _ = rules.update(.response(screen: rules.screenIDs.last ?? 0, id: 1, .rules(brokenPipelineGroups)))
        return [("pipeline-broken", AppState(model: model)), ("pipeline-health", health), ("pipeline-evidence", evidence), ("pipeline-rules", rules)]
    }()

    static let silences: [(String, AppState)] = {
        var form = app(silenced, [.char("a"), .char("S")] + "rolling back payment 1.4.2".map { Key.char($0) })
        _ = form.update(.response(screen: form.screenIDs.last ?? 0, id: 101, .alertCount(1, active: 1)))
        var list = AppState(model: silenced)
        for key in [Key.char(":")] + "silences".map({ Key.char($0) }) + [.enter] { _ = list.update(.key(key)) }
        return [("silence-form", form), ("silence-list", list), ("silenced-alerts", app(silenced, [.char("a")]))]
    }()

    /// The app over `state` after `keys`.
    static func app(_ state: DashboardState, _ keys: [Key]) -> AppState {
        var app = AppState(model: state)
        for key in keys { _ = app.update(.key(key)) }
        return app
    }

    static func with(_ state: DashboardState, _ change: (inout DashboardState) -> Void) -> DashboardState {
        var copy = state
        change(&copy)
        return copy
    }
}

extension SeriesSummary {
    func with(state: ThresholdState) -> SeriesSummary {
        var copy = self
        copy.state = state
        return copy
    }
}
