import Foundation

/// Synthetic metrics of the source design's services in the Prometheus text format, for a real Prometheus to
/// scrape. Counters grow linearly with the time since start, so rates are exact and known:
/// - `/metrics/<service>`: `http_requests_total{service,status_code}` and `http_request_duration_seconds`
///   (histogram). payment-service answers 12 % 5xx; inventory-service has a p95 of about 2.4 s.
/// - `/metrics/kube-state-metrics`: a crash-looping payment pod (a restart every 2 s) and order-service deployed with
///   3 replicas of which 2 are available.
public enum TestExporter {
    public struct Service: Sendable {
        public var name: String
        public var requestsPerSecond: Double
        public var serverErrorRatio: Double
        public var clientErrorRatio: Double
        /// Cumulative share of requests at or under each bucket bound of `bucketBounds`.
        public var cumulative: [Double]
    }

    public static let bucketBounds: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
    static let fast: [Double] = [0.30, 0.60, 0.96, 0.99, 1, 1, 1]
    static let slow: [Double] = [0.05, 0.10, 0.20, 0.40, 0.60, 0.97, 1]

    public static let services: [Service] = [
        Service(name: "user-service", requestsPerSecond: 50, serverErrorRatio: 0.002, clientErrorRatio: 0.005, cumulative: fast),
        Service(name: "order-service", requestsPerSecond: 30, serverErrorRatio: 0.004, clientErrorRatio: 0.005, cumulative: fast),
        Service(name: "inventory-service", requestsPerSecond: 20, serverErrorRatio: 0.001, clientErrorRatio: 0.005, cumulative: slow),
        Service(name: "payment-service", requestsPerSecond: 10, serverErrorRatio: 0.12, clientErrorRatio: 0.01, cumulative: fast),
    ]

    /// The p95 that `histogram_quantile(0.95, …)` computes from a service's buckets (linear interpolation).
    public static func expectedP95(_ service: Service) -> Double {
        var lower = 0.0
        var below = 0.0
        for (bound, share) in zip(bucketBounds, service.cumulative) {
            if share >= 0.95 { return lower + (bound - lower) * (0.95 - below) / (share - below) }
            lower = bound
            below = share
        }
        return bucketBounds.last ?? 0
    }

    public static func exposition(service: Service, elapsed: Double) -> String {
        let total = service.requestsPerSecond * elapsed
        var lines = [
            "# HELP http_requests_total Requests handled.",
            "# TYPE http_requests_total counter",
        ]
        let errors5 = total * service.serverErrorRatio
        let errors4 = total * service.clientErrorRatio
        for (code, value) in [("200", total - errors5 - errors4), ("404", errors4), ("500", errors5 * 0.75), ("503", errors5 * 0.25)] {
            lines.append("http_requests_total{service=\"\(service.name)\",status_code=\"\(code)\"} \(value)")
        }
        lines += [
            "# HELP http_request_duration_seconds Request latency.",
            "# TYPE http_request_duration_seconds histogram",
        ]
        for (bound, share) in zip(bucketBounds, service.cumulative) {
            lines.append("http_request_duration_seconds_bucket{service=\"\(service.name)\",le=\"\(bound)\"} \(total * share)")
        }
        lines.append("http_request_duration_seconds_bucket{service=\"\(service.name)\",le=\"+Inf\"} \(total)")
        lines.append("http_request_duration_seconds_sum{service=\"\(service.name)\"} \(total * 0.3)")
        lines.append("http_request_duration_seconds_count{service=\"\(service.name)\"} \(total)")
        return lines.joined(separator: "\n") + "\n"
    }

    public static let crashLoopingPod = "payment-service-7d9f8b6c5d-x2k4p"
    public static let mismatchedDeployment = "order-service"
    /// The backup CronJob last succeeded this long ago: two missed nights, CRIT on the operations dashboard.
    public static let backupAgeHours = 60.0

    public static func kubeStateMetrics(elapsed: Double) -> String {
        var lines = ["# TYPE kube_pod_container_status_restarts_total counter"]
        for service in services {
            let pod = service.name == "payment-service" ? crashLoopingPod : "\(service.name)-6c8f7d9b4-abcde"
            let restarts = service.name == "payment-service" ? (elapsed / 2).rounded(.down) : 0
            lines.append(
                "kube_pod_container_status_restarts_total{namespace=\"microservices-app\",pod=\"\(pod)\",container=\"\(service.name)\"} \(restarts)")
        }
        lines.append("# TYPE kube_deployment_spec_replicas gauge")
        for service in services {
            lines.append("kube_deployment_spec_replicas{namespace=\"microservices-app\",deployment=\"\(service.name)\"} 3")
        }
        lines.append("# TYPE kube_deployment_status_available_replicas gauge")
        for service in services {
            let available = service.name == mismatchedDeployment ? 2 : 3
            lines.append(
                "kube_deployment_status_available_replicas{namespace=\"microservices-app\",deployment=\"\(service.name)\"} \(available)")
        }
        // The source design's backup CronJob (kube-state-metrics) and its volume (the kubelet), for the operations
        // dashboard: the last success `backupAgeHours` ago, no failed job, the volume 41 % full.
        let lastSuccess = (Date().timeIntervalSince1970 - backupAgeHours * 3600).rounded()
        lines += [
            "# TYPE kube_cronjob_status_last_successful_time gauge",
            "kube_cronjob_status_last_successful_time{namespace=\"microservices-app\",cronjob=\"postgresql-backup\"} \(Int64(lastSuccess))",
            "# TYPE kube_job_status_failed gauge",
            "kube_job_status_failed{namespace=\"microservices-app\",job_name=\"postgresql-backup-29400000\"} 0",
            "# TYPE kubelet_volume_stats_used_bytes gauge",
            "kubelet_volume_stats_used_bytes{namespace=\"microservices-app\",persistentvolumeclaim=\"backup-pvc\"} 22011707392",
            "# TYPE kubelet_volume_stats_capacity_bytes gauge",
            "kubelet_volume_stats_capacity_bytes{namespace=\"microservices-app\",persistentvolumeclaim=\"backup-pvc\"} 53687091200",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The exporter's answer to `request` (`/metrics/<service>` and `/metrics/kube-state-metrics`); `start` is the
    /// moment counters start from.
    public static func answer(_ request: AdversarialServer.Request, start: Date) -> AdversarialServer.Behaviour {
        let prefix = "/metrics/"
        guard request.method == "GET", request.path.hasPrefix(prefix) else { return .text("", status: 404) }
        let target = String(request.path.dropFirst(prefix.count))
        let elapsed = Date().timeIntervalSince(start)
        let body: String
        if target == "kube-state-metrics" {
            body = kubeStateMetrics(elapsed: elapsed)
        } else if let service = services.first(where: { $0.name == target }) {
            body = exposition(service: service, elapsed: elapsed)
        } else {
            return .text("", status: 404)
        }
        return .text(body, contentType: "text/plain; version=0.0.4; charset=utf-8")
    }

    /// The exporter on a free loopback port, counting from now.
    public static func serve() throws -> AdversarialServer {
        let start = Date()
        return try AdversarialServer { answer($0, start: start) }
    }
}
