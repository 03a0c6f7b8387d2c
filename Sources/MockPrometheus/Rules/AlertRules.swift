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

    /// The source design's operations (the same rules as `examples/operations-rules.yml`): the nightly PostgreSQL
    /// backup, its volume, and the API gateway's smoke test.
    public static let operations = RuleGroupDefinition(
        name: "operations",
        file: "operations-rules.yml",
        intervalSeconds: 30,
        rules: [
            AlertRule(
                name: "BackupTooOld",
                expr: #"time() - kube_cronjob_status_last_successful_time{namespace="microservices-app",cronjob="postgresql-backup"} > 93600"#,
                holdSeconds: 300,
                labels: ["severity": "warning"],
                annotations: [
                    "summary": "PostgreSQL backup is too old",
                    "description":
                        "CronJob {{ $labels.namespace }}/{{ $labels.cronjob }} last succeeded {{ $value | humanizeDuration }} ago (scheduled daily at 02:00, threshold 26h)",
                ]),
            AlertRule(
                name: "BackupJobFailed",
                expr: #"kube_job_status_failed{namespace="microservices-app",job_name=~"postgresql-backup-.*"} > 0"#,
                holdSeconds: 0,
                labels: ["severity": "critical"],
                annotations: [
                    "summary": "PostgreSQL backup job failed",
                    "description":
                        "Job {{ $labels.namespace }}/{{ $labels.job_name }} has {{ $value }} failed pod(s); tonight's database backup may be missing",
                ]),
            AlertRule(
                name: "BackupVolumeFilling",
                expr: #"kubelet_volume_stats_used_bytes{namespace="microservices-app",persistentvolumeclaim="backup-pvc"} / kubelet_volume_stats_capacity_bytes{namespace="microservices-app",persistentvolumeclaim="backup-pvc"} > 0.8"#,
                holdSeconds: 600,
                labels: ["severity": "warning"],
                annotations: [
                    "summary": "Backup volume is filling up",
                    "description":
                        "PVC {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is {{ $value | humanizePercentage }} full; it holds 7 days of daily PostgreSQL dumps",
                ]),
            AlertRule(
                name: "SmokeTestFailing",
                expr: #"probe_success{job="api-gateway-health"} == 0"#,
                holdSeconds: 120,
                labels: ["severity": "critical"],
                annotations: [
                    "summary": "API gateway smoke test failing",
                    "description": "Health check {{ $labels.instance }} (job {{ $labels.job }}) has been failing for more than 2 minutes",
                ]),
        ])
}
