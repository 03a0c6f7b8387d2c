import FoundationEssentials
import Glibc
import PrometheusModels
import PromQL
import SafeText

/// What fired in a window of the past (the night shift's question), from Prometheus' `ALERTS` series: one row per
/// alert (its name and labels), each with its firings and pendings, the silences that covered it, and the stretches
/// where Prometheus itself was down (unknown, not quiet). Pure: the queries to ask, and what their answers mean.
public enum AlertHistory {
    /// One stretch of an alert in one state, `end` excluded. An open one was still in that state at the window's end.
    public struct Span: Sendable, Equatable, Codable {
        public var start: Date
        public var end: Date
        public var open: Bool

        public init(start: Date, end: Date, open: Bool = false) {
            self.start = start
            self.end = end
            self.open = open
        }

        public var duration: TimeInterval { max(0, end.timeIntervalSince(start)) }
    }

    /// One alert (a name and its labels) over the window.
    public struct Row: Sendable, Equatable {
        public var name: String
        /// Its labels, sanitised, without `__name__` and `alertstate`.
        public var labels: Labels
        /// The labels that tell it apart from the other instances of its rule (`service=payment-service`).
        public var instance: String
        public var severity: Severity
        public var firings: [Span]
        public var pendings: [Span]
        /// Alertmanager's silences (expired ones included) that match it and overlap the window.
        public var silences: [Silence] = []

        public var firesNow: Bool { firings.last?.open ?? false }
        public var pendingNow: Bool { !firesNow && (pendings.last?.open ?? false) }
        public var totalFiring: TimeInterval { firings.reduce(0) { $0 + $1.duration } }
        public var firstStart: Date? { [firings.first?.start, pendings.first?.start].compactMap { $0 }.min() }
        public var lastEnd: Date? { [firings.last?.end, pendings.last?.end].compactMap { $0 }.max() }
        /// When it was last seen pending or firing: the latest activity, for the order.
        public var latest: Date { lastEnd ?? .distantPast }
        /// The alert as the other screens take it (the detail, the silence form).
        public var item: AlertItem {
            var item = AlertItem(Alert(labels: labels, annotations: [:], state: firesNow ? .firing : (pendingNow ? .pending : .inactive),
                                       activeAt: firings.last?.start ?? pendings.last?.start, value: nil))
            item.name = name
            return item
        }
        /// Silenced: a silence covered its last firing (or its last pending, when it never fired).
        public var silenced: Bool {
            guard let last = firings.last ?? pendings.last else { return false }
            return silences.contains { $0.startsAt < last.end && $0.endsAt > last.start }
        }
    }

    /// The window's history.
    public struct Night: Sendable, Equatable {
        public var from: Date
        public var to: Date
        /// Sorted: critical first, then the most recent activity first, then by name.
        public var rows: [Row]
        /// Where Prometheus itself had no sample of its own (it was down): unknown, not quiet.
        public var outages: [Span]
        /// Prometheus does not scrape itself: an outage cannot be told from a quiet night.
        public var heartbeatMissing: Bool
        /// The oldest instant the server still has, when the window reaches before it.
        public var dataBefore: Date?

        public init(from: Date, to: Date, rows: [Row], outages: [Span] = [], heartbeatMissing: Bool = false, dataBefore: Date? = nil) {
            self.from = from
            self.to = to
            self.rows = rows
            self.outages = outages
            self.heartbeatMissing = heartbeatMissing
            self.dataBefore = dataBefore
        }

        public var seconds: TimeInterval { to.timeIntervalSince(from) }
    }

    /// The longest window asked for as raw samples; a longer one is asked as `max_over_time` over steps.
    public static let rawLimit: TimeInterval = 2 * 86_400
    /// Points per series of a stepped query (Prometheus refuses more than 11,000).
    public static let steppedPoints = 5_000

    /// How to ask for one series' history over a window without losing a sample: up to two days, the raw samples
    /// (an instant query of `selector[<window>s]` at the end: every evaluation's sample, with its own timestamp, and
    /// an answer as large as the alerts were active, not as the window is long); beyond, a range query of
    /// `max_over_time(selector[<step>s])` whose windows touch end to end, so that a sample between two steps still
    /// counts at the next one.
    public enum Query: Sendable, Equatable {
        case raw(String, at: Date)
        case stepped(String, from: Date, to: Date, step: TimeInterval)
    }

    public static func query(_ selector: String, from: Date, to: Date) -> Query {
        let seconds = max(1, Int(to.timeIntervalSince(from).rounded(.up)))
        guard Double(seconds) > rawLimit else { return .raw("\(selector)[\(seconds)s]", at: to) }
        let step = max(1, (Double(seconds) / Double(steppedPoints)).rounded(.up))
        return .stepped("max_over_time(\(selector)[\(Int(step))s])", from: from, to: to, step: step)
    }

    /// The alerts' series.
    public static let alertsSelector = "ALERTS"
    /// A series Prometheus has whenever it runs and scrapes itself.
    public static let heartbeatSelector = "prometheus_build_info"

    /// The typical spacing of points: the median gap between consecutive points of the streams (each stream's own),
    /// nil when no stream has two points.
    static func spacing(_ streams: [SampleStream]) -> Double? {
        var gaps: [Double] = []
        for stream in streams {
            for (a, b) in zip(stream.values, stream.values.dropFirst()) where b.timestamp > a.timestamp { gaps.append(b.timestamp - a.timestamp) }
        }
        guard !gaps.isEmpty else { return nil }
        gaps.sort()
        return gaps[gaps.count / 2]
    }

    /// The stretches of one series' points: points at most `gap` apart are one stretch, which lasts until one
    /// `interval` after its last point (the evaluation that found it resolved), never past `to`; a stretch whose last
    /// point is within `gap` of a live window's end is open.
    static func spans(_ times: [Double], interval: Double, gap: Double, to: Date, live: Bool) -> [Span] {
        var out: [Span] = []
        var start: Double?
        var last = 0.0
        let end = to.timeIntervalSince1970
        func close() {
            guard let s = start else { return }
            let open = live && end - last <= gap
            out.append(Span(start: Date(timeIntervalSince1970: s), end: Date(timeIntervalSince1970: open ? end : min(end, last + interval)), open: open))
        }
        for t in times.sorted() {
            if start != nil, t - last <= gap {
                last = t
                continue
            }
            close()
            start = t
            last = t
        }
        close()
        return out
    }

    /// `spans` with the gap of `rows` (one and a half intervals), for tests.
    public static func spansForTests(_ times: [Double], interval: Double, to: Date, live: Bool) -> [Span] {
        spans(times, interval: interval, gap: 1.5 * interval, to: to, live: live)
    }

    /// The rows of an answer for `ALERTS` over `from`–`to`: the series of one alert (one per `alertstate`) are one
    /// row. `interval` is the rules' evaluation interval when known; else the answer's own spacing tells it.
    public static func rows(_ streams: [SampleStream], from: Date, to: Date, live: Bool, interval known: Double? = nil) -> [Row] {
        let interval = known ?? spacing(streams) ?? 60
        let gap = 1.5 * interval
        var byKey: [String: Row] = [:]
        var order: [String] = []
        for stream in streams {
            let state = stream.metric["alertstate"]
            guard state == "firing" || state == "pending" else { continue }
            var labels = SafeText.sanitizeKeys(stream.metric)
            labels["__name__"] = nil
            labels["alertstate"] = nil
            let key = labels.sorted { $0.key < $1.key }.map { "\($0.key)\u{1F}\($0.value)" }.joined(separator: "\u{1E}")
            let times = stream.values.filter { $0.value.isFinite && $0.value > 0 }.map(\.timestamp)
            let spans = spans(times, interval: interval, gap: gap, to: to, live: live)
            guard !spans.isEmpty else { continue }
            var row = byKey[key] ?? Row(
                name: SafeText.clip(labels["alertname"] ?? "(unnamed)", InputLimits.labelCharacters), labels: labels, instance: "",
                severity: Severity(label: labels["severity"]), firings: [], pendings: [])
            if state == "firing" { row.firings = (row.firings + spans).sorted { $0.start < $1.start } } else { row.pendings = (row.pendings + spans).sorted { $0.start < $1.start } }
            if byKey[key] == nil { order.append(key) }
            byKey[key] = row
        }
        var rows = order.compactMap { byKey[$0] }
        // The labels that tell instances of one rule apart; an alert alone shows its most telling label.
        let byName = Dictionary(grouping: rows.indices, by: { rows[$0].name })
        for (_, indices) in byName {
            let keys = Set(indices.flatMap { rows[$0].labels.keys }).subtracting(["alertname", "severity"]).sorted()
            let differing = keys.filter { key in Set(indices.map { rows[$0].labels[key] ?? "" }).count > 1 }
            for i in indices {
                let shown = indices.count > 1 ? differing : Array(AlertItem.subjectLabels.first { rows[i].labels[$0] != nil }.map { [$0] } ?? [])
                rows[i].instance = SafeText.clip(shown.compactMap { key in rows[i].labels[key].map { "\(key)=\($0)" } }.joined(separator: " "), InputLimits.labelCharacters)
            }
        }
        return sorted(rows)
    }

    /// Critical first, then the most recent activity first (what fires now before what resolved), then by name.
    public static func sorted(_ rows: [Row]) -> [Row] {
        rows.sorted { a, b in
            if a.severity != b.severity { return a.severity < b.severity }
            if a.firesNow != b.firesNow { return a.firesNow }
            if a.latest != b.latest { return a.latest > b.latest }
            return (a.name, a.instance) < (b.name, b.instance)
        }
    }

    /// Where Prometheus had no sample of its own over the window: gaps between its heartbeat's points longer than
    /// three of its usual spacing (and a minute), and, for a window in the past, a silence at its end. Nil when it has no heartbeat
    /// at all (it does not scrape itself: nothing can be said).
    public static func outages(_ heartbeat: [SampleStream], from: Date, to: Date, live: Bool) -> [Span]? {
        let times = heartbeat.flatMap { $0.values.map(\.timestamp) }.sorted()
        guard let first = times.first, let last = times.last else { return nil }
        let spacing = spacing(heartbeat) ?? 15
        let limit = max(60, 3 * spacing)
        var out: [Span] = []
        let start = from.timeIntervalSince1970
        if first - start > limit { out.append(Span(start: from, end: Date(timeIntervalSince1970: first))) }
        for (a, b) in zip(times, times.dropFirst()) where b - a > limit {
            out.append(Span(start: Date(timeIntervalSince1970: a + spacing), end: Date(timeIntervalSince1970: b)))
        }
        let end = to.timeIntervalSince1970
        // A live window's server answers now: no heartbeat lately means it stopped scraping itself, not an outage.
        if !live, end - last > limit { out.append(Span(start: Date(timeIntervalSince1970: last + spacing), end: to)) }
        return out
    }

    /// The night: the rows with the silences that covered them, and Prometheus' outages.
    public static func night(
        alerts: [SampleStream], heartbeat: [SampleStream]?, silences: [Silence], from: Date, to: Date, live: Bool,
        interval: Double? = nil, dataBefore: Date? = nil
    ) -> Night {
        var rows = rows(alerts, from: from, to: to, live: live, interval: interval)
        for i in rows.indices {
            rows[i].silences = silences.filter { $0.startsAt < to && $0.endsAt > from && matches($0, rows[i].labels) }
                .sorted { $0.startsAt < $1.startsAt }
        }
        let gaps = heartbeat.flatMap { outages($0, from: from, to: to, live: live) }
        return Night(from: from, to: to, rows: rows, outages: gaps ?? [], heartbeatMissing: gaps == nil, dataBefore: dataBefore)
    }

    /// Whether a silence's matchers all hold for these labels (a missing label is the empty string, as in
    /// Alertmanager; a regex is anchored at both ends; one that does not compile matches nothing).
    public static func matches(_ silence: Silence, _ labels: Labels) -> Bool {
        guard !silence.matchers.isEmpty else { return false }
        return silence.matchers.allSatisfy { matcher in
            let value = labels[matcher.name] ?? ""
            let equal: Bool
            if matcher.isRegex {
                equal = (try? LinearRegex(matcher.value))?.matchesWhole(value) ?? false
            } else {
                equal = value == matcher.value
            }
            return equal == matcher.isEqual
        }
    }

    /// What one column of a strip shows.
    public enum Cell: Sendable, Equatable {
        case quiet, pending, firing, unknown
        /// Firing, in the firing chosen on the screen.
        case chosen
    }

    /// The row over `width` columns of the window, each column the worst of what overlaps it: firing, then pending,
    /// then unknown (Prometheus down, or before the server's data), else quiet. A firing shorter than a column still
    /// marks its column.
    public static func strip(_ row: Row, night: Night, width: Int, chosen: Int? = nil) -> [Cell] {
        guard width > 0 else { return [] }
        let from = night.from.timeIntervalSince1970
        let span = max(1e-9, night.seconds)
        func overlaps(_ s: Span, _ a: Double, _ b: Double) -> Bool {
            let start = s.start.timeIntervalSince1970
            return start < b && max(s.end.timeIntervalSince1970, start + 1e-6) > a
        }
        let before = night.dataBefore?.timeIntervalSince1970 ?? -Double.infinity
        return (0..<width).map { column in
            let a = from + span * Double(column) / Double(width)
            let b = column == width - 1 ? from + span + 1e-6 : from + span * Double(column + 1) / Double(width)
            if let chosen, row.firings.indices.contains(chosen), overlaps(row.firings[chosen], a, b) { return .chosen }
            if row.firings.contains(where: { overlaps($0, a, b) }) { return .firing }
            if row.pendings.contains(where: { overlaps($0, a, b) }) { return .pending }
            if b <= before || night.outages.contains(where: { overlaps($0, a, b) }) { return .unknown }
            return .quiet
        }
    }

    /// The strip of the window alone: unknown where Prometheus was down, quiet elsewhere (the axis' row).
    public static func outageStrip(_ night: Night, width: Int) -> [Cell] {
        strip(Row(name: "", labels: [:], instance: "", severity: .info, firings: [], pendings: []), night: night, width: width)
    }

    /// Rows whose name, labels or silences' text contain `filter` (case-insensitive); all for an empty filter.
    public static func filtered(_ rows: [Row], _ filter: String, hideSilenced: Bool) -> [Row] {
        let needle = filter.lowercased()
        return rows.filter { row in
            if hideSilenced, row.silenced { return false }
            guard !needle.isEmpty else { return true }
            return ([row.name] + row.labels.map { "\($0.key)=\($0.value)" }).contains { $0.lowercased().contains(needle) }
        }
    }
}
