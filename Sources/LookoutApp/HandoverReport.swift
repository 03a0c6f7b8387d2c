import DashboardCore
import FoundationEssentials
import Glibc
import PrometheusAPI
import PrometheusModels
import SafeText

/// The handover report (`lookout report`): what fired over a window, grouped by severity with each firing's start,
/// end and duration; what fires now; the silences created, expired and ending in the next 12 hours; the scrape
/// targets down now; and where Prometheus itself was down (unknown, not quiet). Text, Markdown (for a ticket or a
/// chat, every server's text escaped) and JSON. Every text from outside is already sanitised (`AlertHistory`, the
/// models); the Markdown escaping is on top of that.
public struct HandoverReport: Sendable {
    public var night: AlertHistory.Night
    public var server: String
    public var takenAt: Date
    /// What fires now (Prometheus' alerts, or Alertmanager's with their silences), or why it could not be read.
    public var firingNow: Result<[AlertItem], PrometheusError>
    /// Alertmanager's silences; nil without an Alertmanager.
    public var silences: Result<[Silence], PrometheusError>?
    public var targetsDown: Result<[TargetItem], PrometheusError>
    public var failOn: Snapshot.FailOn = .warning
    /// The alerting pipeline's checks, when they were read.
    public var pipeline: [PipelineCheck] = []
    /// How far ahead "ending soon" looks.
    public static let aheadSeconds: TimeInterval = 12 * 3600

    public init(
        night: AlertHistory.Night, server: String, takenAt: Date, firingNow: Result<[AlertItem], PrometheusError>,
        silences: Result<[Silence], PrometheusError>?, targetsDown: Result<[TargetItem], PrometheusError>
    ) {
        self.night = night
        self.server = server
        self.takenAt = takenAt
        self.firingNow = firingNow
        self.silences = silences
        self.targetsDown = targetsDown
    }

    /// Reads everything a report needs; the history's failure is the only one that stops it (the others are said in
    /// the report).
    public static func take(
        client: PrometheusClient, alertmanager: AlertmanagerCluster?, from: Date, to: Date, now: Date
    ) async throws -> HandoverReport {
        let fetcher = DashboardFetcher(client: client, dashboard: Dashboard.microservices, alertmanager: alertmanager, now: { now })
        async let alerts = fetcher.fetchAlerts()
        async let targets: Result<[TargetItem], PrometheusError> = {
            do {
                return .success(TargetGroups(try await client.targets().data, services: nil).targets.filter { $0.health == .down })
            } catch let error as PrometheusError {
                return .failure(error)
            } catch {
                return .failure(.transport(url: client.url(for: "/api/v1/targets"), reason: SafeText.clip("\(error)", InputLimits.messageCharacters)))
            }
        }()
        async let retention = fetcher.retention()
        async let pipeline = PipelineProbe.read(client, alertmanager: alertmanager, now: now, health: PipelineProbe.healthPanel(.microservices))
        let (streams, heartbeat) = try await HistoryFetch.fetch(client, from: from, to: to)
        var silences: Result<[Silence], PrometheusError>?
        if let alertmanager {
            let (list, error, _) = await DashboardFetcher.fetchSilences(alertmanager)
            if let list {
                silences = .success(list)
            } else {
                silences = .failure(.transport(url: "", reason: error ?? "no Alertmanager answered"))
            }
        }
        let live = now.timeIntervalSince(to) < 60
        let night = AlertHistory.night(
            alerts: streams, heartbeat: heartbeat, silences: (try? silences?.get()) ?? [], from: from, to: to, live: live,
            dataBefore: TimeWindow.noDataBefore(start: from, now: now, retention: await retention))
        var report = HandoverReport(
            night: night, server: client.options.baseURL.absoluteString, takenAt: now,
            firingNow: (await alerts).map(\.items), silences: silences, targetsDown: await targets)
        report.pipeline = Pipeline.checks(await pipeline, previous: nil)
        return report
    }

    // MARK: - What the report says

    /// The rows that fired, by severity (critical first); the rows only pending come last.
    public var fired: [AlertHistory.Row] { night.rows.filter { !$0.firings.isEmpty } }
    public var onlyPending: [AlertHistory.Row] { night.rows.filter { $0.firings.isEmpty } }

    /// Silences that started in the window, that ended in it, and active ones that end within the next 12 hours.
    public var silenceGroups: (created: [Silence], expired: [Silence], ending: [Silence]) {
        let list = (try? silences?.get()) ?? []
        let created = list.filter { $0.startsAt >= night.from && $0.startsAt <= night.to }.sorted { $0.startsAt < $1.startsAt }
        let expired = list.filter { $0.endsAt >= night.from && $0.endsAt <= min(night.to, takenAt) }.sorted { $0.endsAt < $1.endsAt }
        let ending = list.filter { $0.state == .active && $0.endsAt > takenAt && $0.endsAt.timeIntervalSince(takenAt) <= Self.aheadSeconds }
            .sorted { $0.endsAt < $1.endsAt }
        return (created, expired, ending)
    }

    /// The alerts that fire now, unsilenced first.
    public var nowFiring: [AlertItem] { ((try? firingNow.get()) ?? []).filter { $0.state == .firing } }

    /// As `snapshot`'s: 0 nothing fires now, 1 warnings (not with `--fail-on critical`), 2 critical, 3 the alerts
    /// could not be read.
    public var exitCode: Int32 {
        switch firingNow {
        case .failure: return Snapshot.ExitCode.unreachable
        case .success(let items):
            let counts = AlertCounts(items)
            return failOn == .critical ? (counts.critical > 0 ? Snapshot.ExitCode.criticalFiring : Snapshot.ExitCode.ok) : counts.exitCode
        }
    }

    /// `2026-12-03 02:10:05 UTC`: a report is read later and elsewhere, so every time is whole and in UTC.
    public static func time(_ date: Date) -> String {
        let text = RFC3339.format(date)
        // 2026-12-03T02:10:05Z or with fractions: the date, the time to the second.
        let parts = text.split(separator: "T", maxSplits: 1)
        guard parts.count == 2 else { return text }
        return "\(parts[0]) \(parts[1].prefix(8)) UTC"
    }

    static func duration(_ seconds: TimeInterval) -> String { ValueFormat.rangeLabel(max(0, seconds.rounded())) }

    /// One firing: `2026-12-03 02:10:05 UTC → 02:24:05 UTC (14m)`, or `… → still firing (54m)`.
    static func firing(_ span: AlertHistory.Span) -> String {
        let (start, stop) = (time(span.start), time(span.end))
        // The end's date only when it is another day.
        let end = span.open ? "still firing" : (start.prefix(10) == stop.prefix(10) ? String(stop.dropFirst(11)) : stop)
        return "\(start) → \(end) (\(duration(span.duration)))"
    }

    static func silenceLine(_ silence: Silence, now: Date) -> String {
        let author = silence.createdBy.isEmpty ? "(no author)" : silence.createdBy
        let comment = silence.comment.isEmpty ? "" : ": \(silence.comment)"
        let ends = silence.endsAt <= now ? "ended \(time(silence.endsAt))" : "until \(time(silence.endsAt))"
        return "\(silence.matcherText) by \(author), from \(time(silence.startsAt)), \(ends)\(comment)"
    }

    /// The lines that say what cannot be known: Prometheus' outages, no heartbeat, data before the retention.
    var caveats: [String] {
        var out: [String] = []
        for outage in night.outages {
            out.append("Prometheus was down \(Self.time(outage.start)) → \(Self.time(outage.end)) (\(Self.duration(outage.duration))): what fired then is unknown")
        }
        if night.heartbeatMissing { out.append("Prometheus does not scrape itself (no prometheus_build_info): an outage cannot be told from a quiet night") }
        if let before = night.dataBefore { out.append("no data before \(Self.time(before)): the server keeps no older data") }
        return out
    }

    // MARK: - Text and Markdown

    /// The report as text (`markdown`: headings, lists, and every server's text escaped).
    public func render(markdown: Bool) -> String {
        func esc(_ text: String) -> String { markdown ? Self.escapeMarkdown(text) : text }
        var out: [String] = []
        func heading(_ text: String) {
            if !out.isEmpty { out.append("") }
            out.append(markdown ? "## \(text)" : text)
            if !markdown { out.append(String(repeating: "-", count: text.count)) }
        }
        func item(_ text: String, level: Int = 0) { out.append(String(repeating: "  ", count: level) + (markdown ? "- " : "  ") + text) }
        let title = "Handover: \(Self.time(night.from)) → \(Self.time(night.to)) (\(Self.duration(night.seconds)))"
        out.append(markdown ? "# \(title)" : title)
        out.append((markdown ? "Server: " : "server: ") + esc(server) + (markdown ? "  " : ""))
        out.append((markdown ? "Taken: " : "taken:  ") + Self.time(takenAt))
        for caveat in caveats { out.append((markdown ? "> **Note:** " : "note: ") + esc(caveat)) }

        heading("Fired (\(fired.count))")
        if fired.isEmpty { item("nothing fired in the window") }
        for severity in [Severity.critical, .warning, .info] {
            let rows = fired.filter { $0.severity == severity }
            guard !rows.isEmpty else { continue }
            item(markdown ? "**\(severity.badge)**" : severity.badge)
            for row in rows {
                let name = markdown ? "**\(esc(row.name))**" : row.name
                let labels = row.instance.isEmpty ? "" : " " + esc(row.instance)
                let now = row.firesNow ? ", firing now" : ""
                item("\(name)\(labels): fired \(row.firings.count)×, \(Self.duration(row.totalFiring)) in all\(now)", level: 1)
                for span in row.firings { item(Self.firing(span), level: 2) }
                for silence in row.silences { item("silenced: " + esc(Self.silenceLine(silence, now: takenAt)), level: 2) }
            }
        }
        if !onlyPending.isEmpty {
            heading("Pending, never fired (\(onlyPending.count))")
            for row in onlyPending {
                let name = markdown ? "**\(esc(row.name))**" : row.name
                let labels = row.instance.isEmpty ? "" : " " + esc(row.instance)
                let spans = row.pendings.map { "\(Self.time($0.start)) (\(Self.duration($0.duration)))" }.joined(separator: ", ")
                item("\(name)\(labels): pending \(spans)")
            }
        }

        heading("Firing now")
        switch firingNow {
        case .failure(let error): item("unknown: " + esc(error.description))
        case .success:
            if nowFiring.isEmpty { item("nothing") }
            for alert in nowFiring {
                let since = alert.activeAt.map { " since \(Self.time($0))" } ?? ""
                let silenced = alert.suppression.map { " (\($0.rawValue))" } ?? ""
                let subject = alert.subject.isEmpty ? "" : " " + esc(alert.subject)
                item("\(alert.severity.badge) \(esc(alert.name))\(subject)\(since)\(silenced)" + (alert.text.isEmpty ? "" : ": " + esc(alert.text)))
            }
        }

        heading("Silences")
        switch silences {
        case nil: item("no Alertmanager given (--alertmanager-url): silences unknown")
        case .failure(let error)?: item("unknown: " + esc(error.description))
        case .success?:
            let groups = silenceGroups
            for (name, list) in [("created", groups.created), ("expired", groups.expired), ("ending within 12h", groups.ending)] {
                item("\(name): \(list.isEmpty ? "none" : "\(list.count)")")
                for silence in list { item(esc(Self.silenceLine(silence, now: takenAt)), level: 1) }
            }
        }

        heading("Scrape targets down now")
        switch targetsDown {
        case .failure(let error): item("unknown: " + esc(error.description))
        case .success(let down):
            if down.isEmpty { item("none") }
            for target in down {
                let error = target.lastError.isEmpty ? "" : ": " + esc(target.lastError)
                item("\(esc(target.pool)) \(esc(target.instance))\(error)")
            }
        }
        if !pipeline.isEmpty {
            heading("Alerting pipeline")
            for check in pipeline {
                item("\(check.state.word.uppercased()) \(esc(check.area)): \(esc(check.reason))")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Markdown's inline markup written as text: `\` before each character that could start emphasis, code, a link,
    /// a table cell or a strike (`\ ` * _ [ ] | ~`), `<`, `>` and `&` as entities (no HTML or autolink gets through),
    /// line breaks as spaces. The text always follows a list mark or a label, so what matters only at a line's start
    /// (`#`, `-`, `1.`) cannot apply, and `payment-service` stays readable.
    public static func escapeMarkdown(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "\\", "`", "*", "_", "[", "]", "|", "~": out += "\\" + String(c)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\n", "\r": out += " "
            default: out.append(c)
            }
        }
        return out
    }

    // MARK: - JSON

    struct JSONSpan: Encodable {
        var start: String
        var end: String?
        var seconds: Double
        var stillFiring: Bool
    }

    struct JSONAlert: Encodable {
        var name: String
        var severity: String
        var labels: Labels
        var firings: [JSONSpan]
        var pendings: [JSONSpan]
        var totalFiringSeconds: Double
        var firingNow: Bool
        var silences: [String]
    }

    struct JSONSilence: Encodable {
        var id: String
        var matchers: [String]
        var startsAt: String
        var endsAt: String
        var createdBy: String
        var comment: String
        var state: String
    }

    struct JSONTarget: Encodable {
        var pool: String
        var instance: String
        var lastError: String
    }

    struct JSONReport: Encodable {
        var from: String
        var to: String
        var server: String
        var takenAt: String
        var alerts: [JSONAlert]
        var prometheusDown: [JSONSpan]
        var prometheusHeartbeatMissing: Bool
        var noDataBefore: String?
        var firingNow: [AlertItem]?
        var firingNowError: String?
        var silencesCreated: [JSONSilence]?
        var silencesExpired: [JSONSilence]?
        var silencesEndingWithin12h: [JSONSilence]?
        var silencesError: String?
        var targetsDown: [JSONTarget]?
        var targetsError: String?
        var pipeline: [PipelineCheck]?
        var exitCode: Int32
    }

    public func json() throws -> String {
        func span(_ s: AlertHistory.Span) -> JSONSpan {
            JSONSpan(start: RFC3339.format(s.start), end: s.open ? nil : RFC3339.format(s.end), seconds: s.duration.rounded(), stillFiring: s.open)
        }
        func silence(_ s: Silence) -> JSONSilence {
            JSONSilence(id: s.id, matchers: s.matchers.map(\.text), startsAt: RFC3339.format(s.startsAt), endsAt: RFC3339.format(s.endsAt),
                        createdBy: s.createdBy, comment: s.comment, state: s.state.rawValue)
        }
        var report = JSONReport(
            from: RFC3339.format(night.from), to: RFC3339.format(night.to), server: server, takenAt: RFC3339.format(takenAt),
            alerts: night.rows.map { row in
                JSONAlert(name: row.name, severity: row.severity.rawValue, labels: row.labels, firings: row.firings.map(span), pendings: row.pendings.map(span),
                          totalFiringSeconds: row.totalFiring.rounded(), firingNow: row.firesNow, silences: row.silences.map(\.id))
            },
            prometheusDown: night.outages.map(span), prometheusHeartbeatMissing: night.heartbeatMissing,
            noDataBefore: night.dataBefore.map(RFC3339.format), exitCode: exitCode)
        switch firingNow {
        case .success: report.firingNow = nowFiring
        case .failure(let error): report.firingNowError = error.description
        }
        switch silences {
        case .success?:
            let groups = silenceGroups
            report.silencesCreated = groups.created.map(silence)
            report.silencesExpired = groups.expired.map(silence)
            report.silencesEndingWithin12h = groups.ending.map(silence)
        case .failure(let error)?: report.silencesError = error.description
        case nil: break
        }
        report.pipeline = pipeline.isEmpty ? nil : pipeline
        switch targetsDown {
        case .success(let down): report.targetsDown = down.map { JSONTarget(pool: $0.pool, instance: $0.instance, lastError: $0.lastError) }
        case .failure(let error): report.targetsError = error.description
        }
        return try ReportJSON.encode(report) + "\n"
    }
}
