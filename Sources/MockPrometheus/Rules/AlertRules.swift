/// An alerting rule as in a Prometheus rules file.
public struct AlertRule: Sendable, Equatable {
    public var name: String
    /// PromQL, as written in the rules file.
    public var expr: String
    /// Seconds the expression must hold before the alert fires (`for:`).
    public var holdSeconds: Int
    public var labels: [String: String]
    /// Go templates: `{{ $labels.service }}`, `{{ $value }}`, `{{ $value | humanizePercentage }}`.
    public var annotations: [String: String]

    public init(name: String, expr: String, holdSeconds: Int, labels: [String: String], annotations: [String: String]) {
        self.name = name
        self.expr = expr
        self.holdSeconds = holdSeconds
        self.labels = labels
        self.annotations = annotations
    }
}

/// A group of rules evaluated together every `intervalSeconds`.
public struct RuleGroupDefinition: Sendable, Equatable {
    public var name: String
    public var file: String
    public var intervalSeconds: Int
    public var rules: [AlertRule]

    /// The source design's PrometheusRule `microservices-alerts` (the same rules as
    /// `examples/microservices.rules.yml`): HighErrorRate, HighLatency, PodCrashLooping, DeploymentReplicasMismatch.
    public static let microservices = RuleGroupDefinition(
        name: "microservices.rules",
        file: "microservices.rules.yml",
        intervalSeconds: 30,
        rules: [
            AlertRule(
                name: "HighErrorRate",
                expr: """
                    (
                      sum(rate(http_requests_total{status_code=~"5.."}[5m])) by (service)
                      /
                      sum(rate(http_requests_total[5m])) by (service)
                    ) > 0.05
                    """,
                holdSeconds: 300,
                labels: ["severity": "critical"],
                annotations: [
                    "summary": "High error rate detected",
                    "description": "{{ $labels.service }} has an error rate of {{ $value | humanizePercentage }}",
                ]),
            AlertRule(
                name: "HighLatency",
                expr: """
                    histogram_quantile(0.95,
                      sum(rate(http_request_duration_seconds_bucket[5m])) by (service, le)
                    ) > 1
                    """,
                holdSeconds: 300,
                labels: ["severity": "warning"],
                annotations: [
                    "summary": "High latency detected",
                    "description": "{{ $labels.service }} 95th percentile latency is {{ $value }}s",
                ]),
            AlertRule(
                name: "PodCrashLooping",
                expr: "rate(kube_pod_container_status_restarts_total[5m]) > 0",
                holdSeconds: 300,
                labels: ["severity": "critical"],
                annotations: [
                    "summary": "Pod is crash looping",
                    "description": "Pod {{ $labels.pod }} in {{ $labels.namespace }} is crash looping",
                ]),
            AlertRule(
                name: "DeploymentReplicasMismatch",
                expr: "kube_deployment_spec_replicas != kube_deployment_status_available_replicas",
                holdSeconds: 300,
                labels: ["severity": "warning"],
                annotations: [
                    "summary": "Deployment replicas mismatch",
                    "description":
                        "{{ $labels.deployment }} has {{ $value }} available replicas, expected {{ $labels.spec_replicas }}",
                ]),
        ])
}
