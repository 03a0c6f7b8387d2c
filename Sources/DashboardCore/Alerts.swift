import FoundationEssentials
import Glibc
import PrometheusModels
import SafeText

/// How loud an alert is, from its `severity` label. Unknown severities rank with warnings, so nothing firing is
/// ever quieter than a warning.
public enum Severity: String, Sendable, Equatable, Codable, Comparable {
    case critical, warning, info

    public init(label: String?) {
        switch label?.lowercased() {
        case "critical", "page", "error", "high", "p1": self = .critical
        case "info", "informational", "none", "low": self = .info
        default: self = .warning
        }
    }

    private var rank: Int {
        switch self {
        case .critical: return 0
        case .warning: return 1
        case .info: return 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

    /// A four-letter badge: `CRIT`, `WARN`, `INFO`.
    public var badge: String {
        switch self {
        case .critical: return "CRIT"
        case .warning: return "WARN"
        case .info: return "INFO"
        }
    }
}

/// An alert ready to show: sanitised text, its severity, and the one label that says where it is.
public struct AlertItem: Sendable, Equatable, Codable {
    public var name: String
    public var severity: Severity
    public var state: AlertState
    /// The most telling label: service, then pod, deployment, instance, job.
    public var subject: String
    public var activeAt: Date?
    public var summary: String
    public var description: String
    public var labels: Labels
    public var annotations: Labels
    /// Silenced or inhibited in Alertmanager: shown as such, not counted as firing.
    public var suppression: Suppression?
    /// Alerts of the same name and service shown as one row.
    public var count: Int = 1
    /// The ids of the silences that mute it (Alertmanager), sanitised.
    public var silencedBy: [String] = []
    /// The page of the rule that sent it (Alertmanager's `generatorURL`), sanitised.
    public var generatorURL: String?

    public enum Suppression: String, Sendable, Equatable, Codable { case silenced, inhibited }

    public static let subjectLabels = ["service", "pod", "deployment", "instance", "job", "namespace"]

    public init(_ alert: Alert) {
        let labels = SafeText.sanitizeKeys(alert.labels)
        self.labels = labels
        annotations = SafeText.sanitizeKeys(alert.annotations)
        // What rows show is cut (labels and annotations stay whole, for the detail view and JSON).
        name = labels["alertname"].map { SafeText.clip($0, InputLimits.labelCharacters) } ?? "(unnamed)"
        severity = Severity(label: labels["severity"])
        state = alert.state
        subject = SafeText.clip(Self.subjectLabels.lazy.compactMap { labels[$0] }.first ?? "", InputLimits.labelCharacters)
        activeAt = alert.activeAt
        summary = SafeText.clip(annotations["summary"] ?? annotations["message"] ?? "", InputLimits.messageCharacters)
        description = SafeText.clip(annotations["description"] ?? "", InputLimits.messageCharacters)
    }

    /// An Alertmanager alert, with its silence or inhibition.
    public init(_ alert: AlertmanagerAlert) {
        self.init(alert.asAlert)
        silencedBy = alert.status.silencedBy.map(SafeText.sanitize)
        generatorURL = alert.generatorURL.map { SafeText.clip($0, InputLimits.messageCharacters) }
        if !alert.status.silencedBy.isEmpty {
            suppression = .silenced
        } else if !alert.status.inhibitedBy.isEmpty || alert.status.state == "suppressed" {
            suppression = .inhibited
        }
    }

    /// Firing before pending, then critical first, then the longest-active first, then by name.
    public static func sorted(_ alerts: [Alert]) -> [AlertItem] { arranged(alerts.map(AlertItem.init)) }

    /// Groups alerts of the same name and service (several pods of one service are one row, with a count), then
    /// orders them: active before suppressed, firing before pending, critical first, longest-active first.
    public static func arranged(_ items: [AlertItem]) -> [AlertItem] {
        var groups: [String: AlertItem] = [:]
        var order: [String] = []
        for item in items where item.state != .inactive {
            let key = [item.name, item.labels["service"] ?? item.subject, item.suppression?.rawValue ?? ""].joined(separator: "\u{1F}")
            if var existing = groups[key] {
                existing.count += 1
                if item.state == .firing { existing.state = .firing }
                if item.severity < existing.severity { existing.severity = item.severity }
                if let t = item.activeAt, t < (existing.activeAt ?? .distantFuture) { existing.activeAt = t }
                for id in item.silencedBy where !existing.silencedBy.contains(id) { existing.silencedBy.append(id) }
                groups[key] = existing
            } else {
                groups[key] = item
                order.append(key)
            }
        }
        return order.compactMap { groups[$0] }.sorted { a, b in
            if (a.suppression == nil) != (b.suppression == nil) { return a.suppression == nil }
            if a.state != b.state { return a.state == .firing }
            if a.severity != b.severity { return a.severity < b.severity }
            let ta = a.activeAt ?? .distantFuture
            let tb = b.activeAt ?? .distantFuture
            if ta != tb { return ta < tb }
            return (a.name, a.subject) < (b.name, b.subject)
        }
    }

    /// `summary — description`, or whichever of the two there is.
    public var text: String {
        switch (summary.isEmpty, description.isEmpty) {
        case (false, false): return summary == description ? summary : "\(summary) — \(description)"
        case (false, true): return summary
        case (true, false): return description
        case (true, true): return ""
        }
    }
}

/// Counts of active alerts, and the exit code a check script gets from them.
public struct AlertCounts: Sendable, Equatable, Codable {
    public var critical = 0
    public var warning = 0
    public var info = 0
    public var pending = 0
    /// Silenced or inhibited: never counted as firing.
    public var suppressed = 0

    public init(_ items: [AlertItem]) {
        for item in items {
            if item.suppression != nil {
                suppressed += item.count
            } else if item.state == .pending {
                pending += item.count
            } else if item.state == .firing {
                switch item.severity {
                case .critical: critical += item.count
                case .warning: warning += item.count
                case .info: info += item.count
                }
            }
        }
    }

    public var firing: Int { critical + warning + info }

    /// 2 when a critical alert fires, 1 when any other fires, else 0.
    public var exitCode: Int32 { critical > 0 ? 2 : (firing > 0 ? 1 : 0) }
}
