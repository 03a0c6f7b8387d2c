import PromQL
import FoundationEssentials
import Glibc
import SafeText
import PrometheusModels

/// What the synthetic world is going through.
public enum Scenario: String, Sendable, CaseIterable {
    /// Daily traffic, low error ratios, fast responses: no alert fires.
    case calm
    /// payment-service answers 7–13 % 5xx, inventory-service has a p95 of about 3 s, a payment pod is crash-looping
    /// and order-service has 2 of 3 replicas available: all four alerts of the source design fire.
    case incident
    /// One service (chosen by the seed) is down: its `up` is 0, its traffic series are gone and its deployment has no
    /// available replica.
    case outage
    /// Error ratio, latency, restarts and replicas swing in cycles of 15–22 minutes: alerts go pending, fire and
    /// resolve again, each on its own rhythm.
    case flapping
    /// The services are calm, but the nightly PostgreSQL backup has not succeeded for 30 hours and its last job
    /// failed: BackupTooOld and BackupJobFailed fire (`--dashboard operations` shows it).
    case backupStale = "backup-stale"
    /// The services are calm, but the alerting pipeline is not: a rule fails at every evaluation, Prometheus sends
    /// to no Alertmanager, and the Watchdog does not fire (`H` shows it; the status bar says ALERTING BROKEN).
    case brokenPipeline = "broken-pipeline"
}

/// The synthetic microservices of the source design (user-, order-, inventory- and payment-service) as raw series,
/// sampled every 15 seconds. Every value is a pure function of (seed, scenario, timestamp): counters are closed-form
/// integrals of their rates (daily shape, slower and faster wiggles), with a little per-sample noise from a hash of
/// (seed, service, sample index). So a refresh sees the same past, and there is history from long before the server
/// started. Counters reset once a day, at each service's (seeded) deploy time.
public struct World: SeriesSource {
    /// Milliseconds between two samples of every series.
    public static let resolution: Int64 = 15_000
    /// The namespace of the Kubernetes series.
    public static let namespace = "microservices-app"
    /// The `job` label of `up`.
    public static let job = "microservices"
    /// Names of the services, in the source design's order.
    public static let serviceNames = ["user-service", "order-service", "inventory-service", "payment-service"]
    /// Upper bounds of the latency histogram buckets (Prometheus client defaults), `+Inf` last.
    public static let bucketBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, .infinity]
    static let statusCodes = ["200", "400", "404", "500", "503"]
    static let podsPerService = 3
    static let day = 86_400.0

    public let seed: UInt64
    public let scenario: Scenario
    let services: [ServiceModel]
    private let series: [(ref: SeriesRef, generator: Generator)]

    enum Generator: Sendable {
        case requests(service: Int, code: Int)
        case bucket(service: Int, index: Int)
        case durationSum(service: Int)
        case durationCount(service: Int)
        case up(service: Int)
        case restarts(service: Int, pod: Int)
        case specReplicas(service: Int)
        case availableReplicas(service: Int)
        case backupLastSuccess, backupJobFailed, volumeUsed, volumeCapacity, probeSuccess, probeDuration
    }

    /// The source design's operations: the backup CronJob, its volume, and the API gateway's health probe.
    public static let backupCronJob = "postgresql-backup"
    public static let backupJob = "postgresql-backup-29403480"
    public static let backupVolume = "backup-pvc"
    public static let probeJob = "api-gateway-health"
    public static let probeTarget = "http://api-gateway.microservices-app.svc.cluster.local/health"

    public init(seed: UInt64, scenario: Scenario) {
        self.seed = seed
        self.scenario = scenario
        let down = scenario == .outage ? Int(Noise.hash(seed, 0x0D) % UInt64(World.serviceNames.count)) : nil
        services = World.serviceNames.indices.map { ServiceModel(index: $0, seed: seed, scenario: scenario, isDown: $0 == down) }
        var list: [(SeriesRef, Generator)] = []
        func add(_ labels: Labels, _ generator: Generator) {
            list.append((SeriesRef(id: list.count, labels: labels), generator))
        }
        for s in services where !s.isDown {
            for (c, code) in World.statusCodes.enumerated() {
                add(["__name__": "http_requests_total", "service": s.name, "status_code": code], .requests(service: s.index, code: c))
            }
        }
        for s in services where !s.isDown {
            for (i, bound) in World.bucketBounds.enumerated() {
                add(
                    ["__name__": "http_request_duration_seconds_bucket", "service": s.name, "le": GoFormat.formatG(bound)],
                    .bucket(service: s.index, index: i))
            }
            add(["__name__": "http_request_duration_seconds_sum", "service": s.name], .durationSum(service: s.index))
            add(["__name__": "http_request_duration_seconds_count", "service": s.name], .durationCount(service: s.index))
        }
        for s in services {
            add(["__name__": "up", "job": World.job, "service": s.name, "instance": s.instance], .up(service: s.index))
        }
        for s in services {
            for pod in 0..<World.podsPerService {
                add(
                    ["__name__": "kube_pod_container_status_restarts_total", "namespace": World.namespace,
                     "pod": s.podNames[pod], "container": s.name],
                    .restarts(service: s.index, pod: pod))
            }
        }
        for s in services {
            add(["__name__": "kube_deployment_spec_replicas", "namespace": World.namespace, "deployment": s.name],
                .specReplicas(service: s.index))
        }
        for s in services {
            add(["__name__": "kube_deployment_status_available_replicas", "namespace": World.namespace, "deployment": s.name],
                .availableReplicas(service: s.index))
        }
        // kube-state-metrics, the kubelet and a blackbox exporter, for the operations dashboard.
        add(["__name__": "kube_cronjob_status_last_successful_time", "namespace": World.namespace, "cronjob": World.backupCronJob],
            .backupLastSuccess)
        add(["__name__": "kube_job_status_failed", "namespace": World.namespace, "job_name": World.backupJob], .backupJobFailed)
        add(["__name__": "kubelet_volume_stats_used_bytes", "namespace": World.namespace, "persistentvolumeclaim": World.backupVolume],
            .volumeUsed)
        add(["__name__": "kubelet_volume_stats_capacity_bytes", "namespace": World.namespace, "persistentvolumeclaim": World.backupVolume],
            .volumeCapacity)
        add(["__name__": "probe_success", "job": World.probeJob, "instance": World.probeTarget], .probeSuccess)
        add(["__name__": "probe_duration_seconds", "job": World.probeJob, "instance": World.probeTarget], .probeDuration)
        series = list
    }

    /// 50 GiB, as the design's PersistentVolumeClaim asks.
    static let volumeBytes = 50.0 * 1024 * 1024 * 1024

    /// Seconds since 1970 of the last successful backup at `t`: 02:05 UTC every night, or 30 hours ago in
    /// `backup-stale`.
    func lastBackup(at t: Double) -> Double {
        if scenario == .backupStale { return ((t - 30 * 3600) / 60).rounded(.down) * 60 }
        let finished = 2 * 3600.0 + 300
        let midnight = (t / World.day).rounded(.down) * World.day
        return t - midnight >= finished ? midnight + finished : midnight - World.day + finished
    }

    /// The service that is down in the `outage` scenario.
    public var downService: String? { services.first(where: \.isDown)?.name }

    /// The pod that crash-loops in the `incident` and `flapping` scenarios.
    public var crashLoopingPod: String? {
        scenario == .incident || scenario == .flapping ? services[3].podNames[0] : nil
    }

    // MARK: - SeriesSource

    public var allSeries: [SeriesRef] { series.map(\.ref) }

    /// The first sample time at or after `t`.
    static func gridCeil(_ t: Int64) -> Int64 {
        let candidate = t / resolution * resolution
        guard candidate < t else { return candidate }
        let (next, overflow) = candidate.addingReportingOverflow(resolution)
        return overflow ? candidate : next
    }

    /// The last sample time at or before `t`.
    static func gridFloor(_ t: Int64) -> Int64 {
        let candidate = t / resolution * resolution
        guard candidate > t else { return candidate }
        let (previous, overflow) = candidate.subtractingReportingOverflow(resolution)
        return overflow ? candidate : previous
    }

    public func pointCount(of ref: SeriesRef, from: Int64, through: Int64) -> Int {
        guard series.indices.contains(ref.id), through >= from else { return 0 }
        let first = World.gridCeil(from) / World.resolution
        let last = World.gridFloor(through) / World.resolution
        guard last >= first else { return 0 }
        let (count, overflow) = (last - first).addingReportingOverflow(1)
        return overflow || count > Int64(Int.max) ? Int.max : Int(count)
    }

    public func points(of ref: SeriesRef, from: Int64, through: Int64) -> [Point] {
        let count = pointCount(of: ref, from: from, through: through)
        guard count > 0 else { return [] }
        let generator = series[ref.id].generator
        let first = World.gridCeil(from)
        var out: [Point] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            let t = first + Int64(i) * World.resolution
            out.append(Point(t: t, v: value(generator, at: t)))
        }
        return out
    }

    public func latest(of ref: SeriesRef, from: Int64, through: Int64) -> Point? {
        guard series.indices.contains(ref.id) else { return nil }
        let t = World.gridFloor(through)
        guard t >= from else { return nil }
        return Point(t: t, v: value(series[ref.id].generator, at: t))
    }

    /// Every series with its value at the last sample time at or before `time` (milliseconds), in the order of
    /// `allSeries`: what `/metrics` exposes.
    public func snapshot(at time: Int64) -> [(labels: Labels, value: Double)] {
        let t = World.gridFloor(time)
        return series.map { ($0.ref.labels, value($0.generator, at: t)) }
    }

    // MARK: - Values

    func value(_ generator: Generator, at t: Int64) -> Double {
        let seconds = Double(t) / 1000
        switch generator {
        case .requests(let s, let code):
            return services[s].requests(code: code, at: seconds, sample: t / World.resolution)
        case .bucket(let s, let index):
            return services[s].bucket(index, at: seconds, sample: t / World.resolution)
        case .durationSum(let s):
            return services[s].durationSum(at: seconds, sample: t / World.resolution)
        case .durationCount(let s):
            return services[s].bucket(World.bucketBounds.count - 1, at: seconds, sample: t / World.resolution)
        case .up(let s):
            return services[s].isDown ? 0 : 1
        case .restarts(let s, let pod):
            return services[s].restarts(pod: pod, at: seconds)
        case .specReplicas:
            return Double(World.podsPerService)
        case .availableReplicas(let s):
            return services[s].availableReplicas(at: seconds)
        case .backupLastSuccess:
            return lastBackup(at: seconds)
        case .backupJobFailed:
            return scenario == .backupStale ? 1 : 0
        case .volumeCapacity:
            return World.volumeBytes
        case .volumeUsed:
            // Seven nightly dumps of about 4 % each over a base of 31 %; no new dump when the backup is stale.
            let sinceBackup = seconds - lastBackup(at: seconds)
            return (World.volumeBytes * (0.31 + 0.28 + 0.04 * min(1, sinceBackup / World.day))).rounded()
        case .probeSuccess:
            return 1
        case .probeDuration:
            return 0.018 + 0.006 * Noise.unit(seed, 0xB0, t / World.resolution)
        }
    }
}
