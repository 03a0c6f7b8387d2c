import FoundationEssentials
import PrometheusModels

/// A night of alerts for the history's tests, relative to `end` (whole seconds): HighErrorRate of payment-service
/// firing three times, a PodCrashLooping blip of 40 seconds six hours ago, a HighLatency that was pending and never
/// fired, a DeploymentReplicasMismatch of half an hour, and Prometheus down for 20 minutes three hours ago (no
/// heartbeat then). Rules evaluated every 10 s; the heartbeat (`prometheus_build_info`) scraped every 15 s. The same
/// night as streams (unit tests) and as OpenMetrics for `promtool tsdb create-blocks-from openmetrics`.
public struct NightFixture: Sendable {
    public struct Episode: Sendable {
        public var labels: Labels
        public var state: String
        /// Seconds before `end`.
        public var startsAgo: Int
        public var seconds: Int
    }

    public let end: Int
    public static let interval = 10
    public static let heartbeatInterval = 15
    /// The outage: seconds before `end`, and how long.
    public static let outageAgo = 3 * 3600
    public static let outageSeconds = 20 * 60
    public static let blipAgo = 6 * 3600
    public static let blipSeconds = 40
    /// The three firings of HighErrorRate: seconds ago and durations.
    public static let errorFirings = [(10 * 3600, 900), (9 * 3600 + 1800, 600), (9 * 3600, 1200)]

    public init(end: Int) {
        self.end = end
    }

    public static let errors: Labels = ["alertname": "HighErrorRate", "service": "payment-service", "severity": "critical"]
    public static let crash: Labels = [
        "alertname": "PodCrashLooping", "namespace": "microservices-app", "pod": "payment-service-7d4f9-x2v", "severity": "critical",
    ]
    public static let latency: Labels = ["alertname": "HighLatency", "service": "inventory-service", "severity": "warning"]
    public static let replicas: Labels = ["alertname": "DeploymentReplicasMismatch", "deployment": "order-service", "severity": "warning"]

    public var episodes: [Episode] {
        var out: [Episode] = []
        for (ago, seconds) in Self.errorFirings {
            out.append(Episode(labels: Self.errors, state: "pending", startsAgo: ago + 300, seconds: 300))
            out.append(Episode(labels: Self.errors, state: "firing", startsAgo: ago, seconds: seconds))
        }
        out.append(Episode(labels: Self.crash, state: "firing", startsAgo: Self.blipAgo, seconds: Self.blipSeconds))
        out.append(Episode(labels: Self.latency, state: "pending", startsAgo: 4 * 3600, seconds: 120))
        out.append(Episode(labels: Self.replicas, state: "firing", startsAgo: 2 * 3600, seconds: 1800))
        return out
    }

    /// An episode's samples: one per evaluation from its start, the last one an interval before its end.
    static func times(_ episode: Episode, end: Int) -> [Int] {
        let start = end - episode.startsAgo
        return stride(from: start, to: start + episode.seconds, by: interval).map { $0 }
    }

    /// The heartbeat's times over the 12 hours before `end`, but during the outage.
    public var heartbeatTimes: [Int] {
        let outage = (end - Self.outageAgo)..<(end - Self.outageAgo + Self.outageSeconds)
        return stride(from: end - 12 * 3600, through: end, by: Self.heartbeatInterval).filter { !outage.contains($0) }
    }

    /// `ALERTS` as a Prometheus answer would have it (one stream per alert and state).
    public var alertStreams: [SampleStream] {
        var byKey: [String: SampleStream] = [:]
        for episode in episodes {
            var labels = episode.labels
            labels["__name__"] = "ALERTS"
            labels["alertstate"] = episode.state
            let key = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            var stream = byKey[key] ?? SampleStream(metric: labels, values: [])
            stream.values += Self.times(episode, end: end).map { SamplePair(timestamp: Double($0), value: 1) }
            byKey[key] = stream
        }
        return byKey.keys.sorted().compactMap { byKey[$0] }
    }

    public var heartbeatStreams: [SampleStream] {
        [SampleStream(metric: ["__name__": "prometheus_build_info", "version": "2.42.0"], values: heartbeatTimes.map { SamplePair(timestamp: Double($0), value: 1) })]
    }

    /// The night in OpenMetrics, for `promtool tsdb create-blocks-from openmetrics`.
    public var openMetrics: String {
        func labelText(_ labels: Labels) -> String {
            "{" + labels.filter { $0.key != "__name__" }.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ",") + "}"
        }
        var out = "# TYPE ALERTS gauge\n"
        for stream in alertStreams {
            for point in stream.values.sorted(by: { $0.timestamp < $1.timestamp }) { out += "ALERTS\(labelText(stream.metric)) 1 \(Int(point.timestamp))\n" }
        }
        out += "# TYPE prometheus_build_info gauge\n"
        for stream in heartbeatStreams {
            for point in stream.values { out += "prometheus_build_info\(labelText(stream.metric)) 1 \(Int(point.timestamp))\n" }
        }
        return out + "# EOF\n"
    }
}
