import FoundationEssentials
import Glibc
import PrometheusModels
import SafeText

/// What lookout says and proposes about Alertmanager silences, for the TUI and the snapshot alike.
public enum Silencing {
    /// The labels a new silence is prefilled with after `alertname`: the ones that tell this alert apart from the
    /// same alert elsewhere (its subject and namespace), never severity or the state.
    public static let distinguishingLabels = ["service", "pod", "deployment", "instance", "job"]

    /// `alertname` and the first label of `distinguishingLabels` the alert has, and its namespace: the silence a
    /// row of the alert list means (several pods of one service are one row, silenced as one).
    public static func matchers(for alert: AlertItem) -> [SilenceMatcher] {
        var matchers: [SilenceMatcher] = []
        if let name = alert.labels["alertname"] { matchers.append(SilenceMatcher(name: "alertname", value: name)) }
        if let label = distinguishingLabels.first(where: { alert.labels[$0] != nil }), let value = alert.labels[label] {
            matchers.append(SilenceMatcher(name: label, value: value))
        }
        if let namespace = alert.labels["namespace"] { matchers.append(SilenceMatcher(name: "namespace", value: namespace)) }
        return matchers
    }

    /// The silences that mute this alert, as Alertmanager said (`silencedBy`), that are known.
    public static func silences(of alert: AlertItem, in silences: [Silence]) -> [Silence] {
        alert.silencedBy.compactMap { id in silences.first { $0.id == id } }
    }

    /// "silenced by alice@bastion until 15:04 UTC (58m): deploying the fix", or for an unknown id that it is
    /// silenced by that id.
    public static func silencedLine(_ alert: AlertItem, silences known: [Silence], now: Date) -> String? {
        guard !alert.silencedBy.isEmpty else { return nil }
        guard let silence = silences(of: alert, in: known).max(by: { $0.endsAt < $1.endsAt }) else {
            return "silenced by silence \(alert.silencedBy[0])"
        }
        return describe(silence, now: now)
    }

    /// "silenced by alice@bastion until 15:04 UTC (58m): deploying the fix".
    public static func describe(_ silence: Silence, now: Date) -> String {
        let author = silence.createdBy.isEmpty ? "(no author)" : silence.createdBy
        let left = ValueFormat.rangeLabel(max(0, silence.endsAt.timeIntervalSince(now)))
        let comment = silence.comment.isEmpty ? "" : ": " + silence.comment
        return "silenced by \(author) until \(ClockFormat.short(silence.endsAt, now: now, utc: true)) UTC (\(left) left)\(comment)"
    }

    /// What the silence list shows: active, then pending, then those that expired in the last 24 hours; each
    /// group by its end, soonest first (expired: latest first).
    public static func listed(_ silences: [Silence], now: Date) -> [Silence] {
        let recent = silences.filter { $0.state != .expired || now.timeIntervalSince($0.endsAt) <= 86_400 }
        func rank(_ s: Silence) -> Int { s.state == .active ? 0 : (s.state == .pending ? 1 : 2) }
        return recent.sorted { a, b in
            if rank(a) != rank(b) { return rank(a) < rank(b) }
            if a.state == .expired { return a.endsAt > b.endsAt }
            return a.endsAt < b.endsAt
        }
    }

    /// Active silences that end within `seconds` (a night's surprise: what starts paging again soon).
    public static func endingSoon(_ silences: [Silence], now: Date, within seconds: TimeInterval = 3600) -> [Silence] {
        silences.filter { $0.state == .active && $0.endsAt.timeIntervalSince(now) <= seconds }.sorted { $0.endsAt < $1.endsAt }
    }

    /// The default author of a silence: `$USER@hostname`, sanitised.
    public static func defaultAuthor(environment: [String: String], hostname: String) -> String {
        let user = environment["USER"] ?? environment["LOGNAME"] ?? "lookout"
        return SafeText.clip(user + "@" + hostname, InputLimits.labelCharacters)
    }
}
