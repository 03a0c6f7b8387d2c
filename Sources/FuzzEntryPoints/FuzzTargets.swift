import DashboardCore
import Foundation
import LookoutUI
import PromQL
import PrometheusModels
import SafeText
import Synchronization
import TerminalCanvas

/// The fuzz targets: each takes arbitrary bytes and runs one parser the way lookout runs it, then what follows it
/// (a decoded answer is summarised and drawn, a dashboard is printed and read back). A target returns normally for
/// any input; an invariant that does not hold traps on purpose under libFuzzer (`run`), so it reports a crash, and is
/// returned as a line by `violations`, so that the unit tests' replay fails the test, not the whole test process.
///
/// `make fuzz` runs them under libFuzzer (Fuzz/); the unit tests replay every corpus file and every crash found.
public enum FuzzTargets {
    public static let names = [
        "prometheus-answer", "alertmanager-answer", "dashboard-yaml", "grafana-import", "theme", "safetext", "promql",
        "legend", "alert-detail", "keys", "exposition",
    ]

    /// The invariants that did not hold while target `name` ran on `data` (empty when all held); nil for an unknown
    /// target.
    public static func violations(_ name: String, _ data: [UInt8]) -> [String]? {
        let log = ViolationLog()
        let known = $violationLog.withValue(log) { run(name, data) }
        return known ? log.entries : nil
    }

    /// Where a broken invariant goes: the replay's log, or (nil, under libFuzzer) a trap.
    @TaskLocal static var violationLog: ViolationLog?

    /// An invariant of a target: a trap under libFuzzer, a line in the log under `violations`.
    static func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        guard !condition() else { return }
        guard let log = violationLog else { preconditionFailure(message()) }
        log.append(message())
    }

    /// Runs target `name` on `data`; false for an unknown name.
    @discardableResult
    public static func run(_ name: String, _ data: [UInt8]) -> Bool {
        switch name {
        case "prometheus-answer": prometheusAnswer(data)
        case "alertmanager-answer": alertmanagerAnswer(data)
        case "dashboard-yaml": dashboardYAML(data)
        case "grafana-import": grafanaImport(data)
        case "theme": theme(data)
        case "safetext": safeText(data)
        case "promql": promQL(data)
        case "legend": legend(data)
        case "alert-detail": alertDetail(data)
        case "keys": keys(data)
        case "exposition": exposition(data)
        default: return false
        }
        return true
    }

    static func prometheusAnswer(_ data: [UInt8]) {
        let body = Data(data)
        // The first byte picks the endpoint; the status varies with it too (errors take other paths).
        let status = data.first.map { $0 & 0x80 == 0 ? 200 : 422 } ?? 200
        let url = "http://fuzz/api/v1/query"
        if let answer = try? APIDecoding.decode(QueryResult.self, status: status, reason: "OK", body: body, url: url) {
            let series = SeriesSummary.from(answer.data.streams, legendFormat: "{{service}}", thresholds: Thresholds(warning: 1, critical: 5))
            let services = HealthEvaluator.evaluate(
                present: answer.data.streams.map(\.metric), expected: answer.data.streams.map(\.metric), legendFormat: "{{service}}")
            var panel = PanelData()
            panel.series = series
            panel.services = services
            panel.warnings = answer.warnings
            draw(panels: panel, alerts: [])
        } else if let answer = try? APIDecoding.decode(AlertsData.self, status: status, reason: "OK", body: body, url: url) {
            draw(panels: PanelData(), alerts: AlertItem.sorted(answer.data.alerts))
        }
        _ = try? APIDecoding.decode(RulesData.self, status: status, reason: "OK", body: body, url: url)
        _ = try? APIDecoding.decode(TargetsResult.self, status: status, reason: "OK", body: body, url: url)
        do {
            _ = try APIDecoding.decode(BuildInfo.self, status: status, reason: "OK", body: body, url: url)
        } catch {
            checkSafe(error.description)
        }
    }

    /// Alertmanager's alerts and silences (the same bytes read as either), drawn in the alert list, the silence list
    /// and the form; its error answers (a 400's message) as one safe line.
    static func alertmanagerAnswer(_ data: [UInt8]) {
        var items: [AlertItem] = []
        var silences: [Silence] = []
        do {
            let alerts = try APIDecoding.alertmanagerAlerts(status: 200, reason: "OK", body: Data(data), url: "http://fuzz/api/v2/alerts")
            items = AlertItem.arranged(alerts.elements.map(AlertItem.init))
            alerts.failures.forEach(checkSafe)
        } catch {
            checkSafe(error.description)
        }
        do {
            let list = try APIDecoding.alertmanager(LossyList<Silence>.self, status: 200, reason: "OK", body: Data(data), url: "http://fuzz/api/v2/silences")
            silences = list.elements
            list.failures.forEach(checkSafe)
        } catch {
            checkSafe(error.description)
        }
        do {
            _ = try APIDecoding.alertmanager(SilenceCreated.self, status: 400, reason: "Bad Request", body: Data(data), url: "http://fuzz/api/v2/silences")
        } catch {
            checkSafe(error.description)
        }
        draw(panels: PanelData(), alerts: items, silences: silences)
    }

    static func dashboardYAML(_ data: [UInt8]) {
        do {
            let dashboard = try Dashboard.parse(yaml: String(decoding: data, as: UTF8.self), source: "fuzz.yaml")
            // What lookout prints, it reads back to the same dashboard.
            let again = try Dashboard.parse(yaml: dashboard.yaml(), source: "printed.yaml")
            require(again == dashboard, "a printed dashboard reads back differently")
            require(dashboard.panels.count <= InputLimits.panels, "panel limit not enforced")
        } catch let error as DashboardFileError {
            checkSafe(error.message)
        } catch {
            checkSafe("\(error)")
        }
    }

    static func grafanaImport(_ data: [UInt8]) {
        do {
            let result = try GrafanaImport.convert(json: Data(data), source: "fuzz.json")
            result.warnings.forEach(checkSafe)
            _ = result.dashboard.yaml()
            _ = try result.dashboard.grafanaJSON()
        } catch let error as DashboardFileError {
            checkSafe(error.message)
        } catch {}
    }

    static func theme(_ data: [UInt8]) {
        do {
            let theme = try Theme.parse(yaml: String(decoding: data, as: UTF8.self), source: "fuzz.yaml")
            for depth in [ColorDepth.mono, .colors8, .colors16, .colors256, .trueColor] {
                for role in StyleRole.allCases { _ = theme.style(role).foreground.mapped(to: depth) }
            }
        } catch let error as ThemeError {
            checkSafe(error.message)
        } catch {}
    }

    /// What a terminal sends, as characters (UTF-8 decoded), through the key decoder; byte 0xFF stands for a pause
    /// in the input (`idle`), 0xFE for a key ncurses decoded (`interrupt`). Invariants: at most about one event a
    /// character, a paste at most `pasteLimit` long and held within its bound, no key a control character, and a
    /// final byte and a pause end any sequence.
    /// `/metrics` text: the samples are bounded, and the pipeline's checks run on them without trapping.
    static func exposition(_ data: [UInt8]) {
        let text = String(decoding: data, as: UTF8.self)
        let (samples, skipped) = Exposition.parse(text, maxSamples: 1000)
        require(samples.count <= 1000, "more samples than the limit")
        require(samples.count + skipped <= max(1, text.utf8.filter { $0 == 10 }.count + 1), "more samples and skipped lines than lines")
        let reading = PipelineReading(
            at: Date(timeIntervalSince1970: 1_700_000_000), rules: .success([]), discovery: .success(AlertmanagerDiscovery(activeAlertmanagers: [.init(url: "http://a")])),
            metrics: .success(samples), runtime: .success(RuntimeInfo()))
        let checks = Pipeline.checks(reading, previous: Pipeline.counters(reading))
        require(!checks.isEmpty, "no check")
        for check in checks { require(SafeText.sanitize(check.reason) == check.reason, "an unsanitised reason") }
    }

    static func keys(_ data: [UInt8]) {
        var decoder = KeyDecoder()
        var events: [TerminalEvent] = []
        var segment: [UInt8] = []
        func feedSegment() {
            for scalar in String(decoding: segment, as: UTF8.self).unicodeScalars { events += decoder.feed(scalar.value) }
            segment = []
        }
        for byte in data {
            switch byte {
            case 0xFF: feedSegment(); events += decoder.idle()
            case 0xFE: feedSegment(); events += decoder.interrupt()
            default: segment.append(byte)
            }
        }
        feedSegment()
        events += decoder.idle()
        // A sequence half read waits for its final byte; one ends it.
        events += decoder.feed(126)
        events += decoder.idle()
        require(events.count <= data.count + 3, "\(events.count) events from \(data.count) bytes")
        for event in events {
            switch event {
            case .paste(let text): require(text.unicodeScalars.count <= KeyDecoder.pasteLimit, "a paste of \(text.unicodeScalars.count) characters")
            case .key(.char(let c)):
                require(c.unicodeScalars.allSatisfy { $0.value >= 0x20 && !(0x7F..<0xA0).contains($0.value) }, "a control character as a key")
            case .key(.function(let n)): require((1...12).contains(n), "F\(n)")
            default: break
            }
        }
        require(!decoder.isInsideSequence, "still inside a sequence after its final byte and a pause")
        require((decoder.heldPaste ?? 0) <= KeyDecoder.pasteHoldLimit, "a paste kept past its bound")
    }

    static func safeText(_ data: [UInt8]) {
        let text = String(decoding: data, as: UTF8.self)
        let once = SafeText.sanitize(text)
        checkSafe(once)
        require(SafeText.sanitize(once) == once, "sanitising twice changed the text")
        let limit = Int(data.first ?? 0) + 1
        let clipped = SafeText.clip(text, limit)
        checkSafe(clipped)
        require(clipped.count <= limit, "clip(\(limit)) gave \(clipped.count) characters")
        var labels: [String: String] = [:]
        for (key, value) in [(text, "a"), (once, "b"), (String(text.reversed()), text)] { labels[key] = value }
        let clean = SafeText.sanitizeKeys(labels)
        require(clean.count == labels.count, "sanitizeKeys lost a key")
        clean.forEach { checkSafe($0.key); checkSafe($0.value) }
        let json = SafeText.escapeJSON("{\"k\":\"\(text.replacingOccurrences(of: "\\", with: "").replacingOccurrences(of: "\"", with: ""))\"}")
        require(json.unicodeScalars.allSatisfy { $0.value == 0x0A || SafeText.isPlain($0) }, "escapeJSON let a control through")
        var canvas = Canvas(width: 40, height: 3)
        _ = canvas.put(text, x: Int(data.first ?? 0) % 50 - 5, y: 1)
        checkCanvas(canvas)
    }

    static func promQL(_ data: [UInt8]) {
        let query = String(decoding: data, as: UTF8.self)
        _ = Lexer.tokenize(query)
        if let expr = try? Parser.parse(query) { _ = expr.type }
    }

    static func legend(_ data: [UInt8]) {
        let text = String(decoding: data, as: UTF8.self)
        let parts = text.split(separator: "\u{0}", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        let template = parts.first ?? ""
        // Built by assignment: a literal with a duplicate key (the label named `__name__`) traps.
        var labels: Labels = ["__name__": text]
        labels[parts.count > 1 ? parts[1] : "service"] = parts.count > 2 ? parts[2] : text
        let rendered = LegendTemplate.render(template, labels: labels)
        checkSafe(rendered)
        require(rendered.count <= InputLimits.labelCharacters, "legend longer than the label limit")
    }

    /// An alert whose annotation and label are the input repeated up to a megabyte (the first byte picks the size),
    /// its detail drawn on a screen whose size the next two bytes pick: the frame holds no control character and
    /// costs a screenful whatever the size (libFuzzer's -timeout fails a slow input).
    static func alertDetail(_ data: [UInt8]) {
        guard data.count > 3 else { return }
        let piece = String(decoding: data.dropFirst(3), as: UTF8.self)
        let size = (Int(data[0]) << 12) + 1
        let repeated = String(repeating: piece, count: max(1, size / max(1, piece.utf8.count)))
        var model = DashboardState(dashboard: .microservices, server: "p", now: Date(timeIntervalSince1970: 10_000))
        let (width, height) = (Int(data[1]) % 200 + 20, Int(data[2]) % 80 + 5)
        model.columns = width
        model.rows = height
        var app = AppState(model: model)
        let item = AlertItem(Alert(
            labels: ["alertname": "Fuzz", "severity": "critical", "service": repeated],
            annotations: ["runbook_url": "https://x/" + repeated, "description": repeated], state: .firing, activeAt: nil))
        _ = app.update(.dashboard(.alertsLoaded(generation: 0, items: [item], error: nil, at: model.now)))
        _ = app.update(.key(.char("a")))
        _ = app.update(.key(.enter))
        var canvas = Canvas(width: width, height: height)
        AppView.render(app, into: &canvas)
        checkCanvas(canvas)
    }

    // MARK: - Invariants

    /// Text bound for an output holds no control character, escape sequence or bidi control.
    static func checkSafe(_ text: String) {
        require(text.unicodeScalars.allSatisfy(SafeText.isPlain), "control character in output text")
    }

    static func checkCanvas(_ canvas: Canvas) {
        require(canvas.lines.count == canvas.height, "canvas lost rows")
        for line in canvas.lines { checkSafe(line) }
    }

    /// Draws the data as the app would, at a few sizes: the dashboard, a zoomed panel, the alert list and an alert.
    static func draw(panels data: PanelData, alerts: [AlertItem], silences: [Silence] = []) {
        var state = DashboardState(dashboard: .microservices, server: "fuzz", rangeSeconds: 3600, refreshSeconds: 15)
        state.now = Date(timeIntervalSince1970: 1_764_000_000)
        for i in state.panels.indices {
            state.panels[i].data = data
            state.panels[i].updatedAt = state.now
        }
        state.alerts.items = alerts
        state.alerts.updatedAt = state.now
        state.silences = SilencesState(available: true, author: "fuzz")
        state.silences.items = silences
        var apps: [AppState] = []
        let silenceList: [Key] = [.char(":")] + "silences".map { Key.char($0) } + [.enter]
        for keys: [Key] in [[], [.char("3")], [.char("a")], [.char("a"), .enter], [.char("a"), .char("S")], silenceList, silenceList + [.enter]] {
            var app = AppState(model: state)
            for key in keys { _ = app.update(.key(key)) }
            apps.append(app)
        }
        for (width, height) in [(80, 24), (200, 60), (30, 8)] {
            for app in apps {
                var canvas = Canvas(width: width, height: height)
                AppView.render(app, into: &canvas)
                checkCanvas(canvas)
            }
        }
    }
}

/// The invariants that did not hold in one replay.
final class ViolationLog: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var entries: [String] { lines.withLock { $0 } }
}
