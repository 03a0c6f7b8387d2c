import Foundation
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

    public static let subjectLabels = ["service", "pod", "deployment", "instance", "job", "namespace"]

    public init(_ alert: Alert) {
        let clean = { (labels: Labels) in
            Dictionary(uniqueKeysWithValues: labels.map { (SafeText.sanitize($0.key), SafeText.sanitize($0.value)) })
        }
        let labels = clean(alert.labels)
        self.labels = labels
        annotations = clean(alert.annotations)
        name = labels["alertname"] ?? "(unnamed)"
        severity = Severity(label: labels["severity"])
        state = alert.state
        subject = Self.subjectLabels.lazy.compactMap { labels[$0] }.first ?? ""
        activeAt = alert.activeAt
        summary = annotations["summary"] ?? annotations["message"] ?? ""
        description = annotations["description"] ?? ""
    }

    /// Firing before pending, then critical first, then the longest-active first, then by name.
    public static func sorted(_ alerts: [Alert]) -> [AlertItem] {
        alerts.filter { $0.state != .inactive }.map(AlertItem.init).sorted { a, b in
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

    public init(_ items: [AlertItem]) {
        for item in items {
            guard item.state == .firing else {
                if item.state == .pending { pending += 1 }
                continue
            }
            switch item.severity {
            case .critical: critical += 1
            case .warning: warning += 1
            case .info: info += 1
            }
        }
    }

    public var firing: Int { critical + warning + info }

    /// 2 when a critical alert fires, 1 when any other fires, else 0.
    public var exitCode: Int32 { critical > 0 ? 2 : (firing > 0 ? 1 : 0) }
}
