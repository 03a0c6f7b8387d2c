import FoundationEssentials
import Glibc
import PrometheusModels
import SafeText

/// What explains an alert: its rule, the series behind it, and when it was pending and firing.
public enum AlertExplanation {
    /// The alerting rule an alert comes from: same name, and every label the rule sets is on the alert. A rule that
    /// lists this very alert wins over one that only could have made it.
    public static func rule(for alert: AlertItem, in groups: [RuleGroup]) -> (group: RuleGroup, rule: Rule)? {
        let candidates = groups.flatMap { group in group.rules.map { (group, $0) } }.filter { _, rule in
            rule.kind == .alerting && rule.name == alert.name
                && rule.labels.allSatisfy { alert.labels[$0.key] == $0.value }
        }
        return candidates.first { _, rule in rule.alerts.contains { $0.labels == alert.labels } } ?? candidates.first
    }

    /// The series of a result that could be this alert's: every label they share with the alert has its value.
    public static func series(_ streams: [SampleStream], of alert: AlertItem) -> [SampleStream] {
        streams.filter { stream in stream.metric.allSatisfy { key, value in key == "__name__" || alert.labels[key] == nil || alert.labels[key] == value } }
    }

    /// `ALERTS{alertname="…"}`: the rule's pending and firing history, every instance of it; `history(_:of:)` keeps
    /// this alert's. The alert's other labels are not matchers: an alert that came through Alertmanager carries the
    /// Prometheus' external labels (`cluster`, `prometheus`, `prometheus_replica`), which `ALERTS` series do not,
    /// and a matcher on them would find nothing.
    public static func alertsQuery(_ alert: AlertItem) -> String {
        let name = alert.labels["alertname"] ?? alert.name
        return "ALERTS{alertname=\(Quote.quoted(name, Quote.go))}"
    }

    /// The `ALERTS` series of this alert: each of their labels (but `alertstate`) has the alert's value (another
    /// instance of the rule differs in one of them; the alert's external labels are not on the series).
    public static func history(_ streams: [SampleStream], of alert: AlertItem) -> [SampleStream] {
        streams.filter { stream in
            stream.metric.allSatisfy { key, value in
                key == "__name__" || key == "alertstate" || alert.labels[key] == value
            }
        }
    }

    /// One stretch of time in a state.
    public struct Interval: Sendable, Equatable {
        public var state: AlertState
        public var start: Double
        public var end: Double

        public init(state: AlertState, start: Double, end: Double) {
            self.state = state
            self.start = start
            self.end = end
        }
    }

    /// The stretches of `ALERTS` series (one per `alertstate`) sampled every `step` seconds: points further apart
    /// than one and a half steps (or of the series' usual spacing, when wider) start a new stretch. Sorted by start.
    public static func intervals(_ streams: [SampleStream], step: Double) -> [Interval] {
        var out: [Interval] = []
        for stream in streams {
            guard let state = stream.metric["alertstate"].flatMap(AlertState.init(rawValue:)) else { continue }
            // The series' own spacing counts too: the rule's evaluation interval may be longer than the step.
            let spacings = zip(stream.values, stream.values.dropFirst()).map { $1.timestamp - $0.timestamp }.filter { $0 > 0 }.sorted()
            let gap = 1.5 * Swift.max(step, spacings.isEmpty ? 0 : spacings[spacings.count / 2])
            var current: Interval?
            for point in stream.values where point.value.isFinite && point.value > 0 {
                if var c = current, point.timestamp - c.end <= gap {
                    c.end = point.timestamp
                    current = c
                } else {
                    if let c = current { out.append(c) }
                    current = Interval(state: state, start: point.timestamp, end: point.timestamp)
                }
            }
            if let c = current { out.append(c) }
        }
        return out.sorted { $0.start < $1.start }
    }

    /// When the current episode went pending and when it fired: from the intervals (the last firing stretch and the
    /// pending stretch before it), else from `activeAt` and the rule's `for`.
    public static func since(_ intervals: [Interval], activeAt: Date?, holdSeconds: Double?, state: AlertState) -> (pending: Date?, firing: Date?) {
        if let firing = intervals.last(where: { $0.state == .firing }) {
            let pending = intervals.last { $0.state == .pending && $0.start <= firing.start }
            return (pending.map { Date(timeIntervalSince1970: $0.start) }, Date(timeIntervalSince1970: firing.start))
        }
        if let pending = intervals.last(where: { $0.state == .pending }), state == .pending {
            return (Date(timeIntervalSince1970: pending.start), nil)
        }
        guard let activeAt else { return (nil, nil) }
        return (activeAt, state == .firing ? activeAt.addingTimeInterval(holdSeconds ?? 0) : nil)
    }
}
