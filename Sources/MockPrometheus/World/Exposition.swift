import SafeText
import PromQL
import PrometheusModels

extension World {
    /// Metric families of the world, in the order `/metrics` lists them.
    static let families: [(name: String, type: String, help: String)] = [
        ("http_requests_total", "counter", "HTTP requests handled, by service and status code."),
        ("http_request_duration_seconds", "histogram", "HTTP request latency in seconds."),
        ("up", "gauge", "Whether the service's metrics endpoint answers (1) or not (0)."),
        ("kube_pod_container_status_restarts_total", "counter", "The number of container restarts per container."),
        ("kube_deployment_spec_replicas", "gauge", "Number of desired pods for a deployment."),
        ("kube_deployment_status_available_replicas", "gauge", "The number of available replicas per deployment."),
        ("kube_cronjob_status_last_successful_time", "gauge", "LastSuccessfulTime keeps information of when was the last time the job was completed successfully."),
        ("kube_job_status_failed", "gauge", "The number of pods which reached Phase Failed and the reason for failure."),
        ("kubelet_volume_stats_used_bytes", "gauge", "Number of used bytes in the volume"),
        ("kubelet_volume_stats_capacity_bytes", "gauge", "Capacity in bytes of the volume"),
        ("probe_success", "gauge", "Displays whether or not the probe was a success"),
        ("probe_duration_seconds", "gauge", "Returns how long the probe took to complete in seconds"),
    ]

    /// Every series at the last sample time at or before `time` (milliseconds), in the Prometheus text exposition
    /// format (version 0.0.4), for a real Prometheus to scrape.
    public func exposition(at time: Int64) -> String {
        let snapshot = snapshot(at: time)
        var out = ""
        for family in World.families {
            out += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) \(family.type)\n"
            for (labels, value) in snapshot {
                guard let name = labels["__name__"] else { continue }
                let belongs = family.type == "histogram"
                    ? ["_bucket", "_sum", "_count"].contains { name == family.name + $0 } : name == family.name
                guard belongs else { continue }
                out += name + World.exposeLabels(labels) + " " + GoFormat.formatG(value) + "\n"
            }
        }
        return out
    }

    /// `{a="x",b="y"}` in a fixed order (sorted, `le` last as client libraries write it), values escaped.
    static func exposeLabels(_ labels: Labels) -> String {
        let pairs = labels.filter { $0.key != "__name__" }.sorted { a, b in
            a.key == "le" ? false : (b.key == "le" ? true : a.key < b.key)
        }
        guard !pairs.isEmpty else { return "" }
        let body = pairs.map { key, value in
            "\(key)=\(Quote.quoted(value, Quote.exposition))"
        }.joined(separator: ",")
        return "{\(body)}"
    }
}

extension World {
    /// Every series' samples from `start` through `end` (milliseconds) in OpenMetrics, series by series and each in
    /// time order, for `promtool tsdb create-blocks-from openmetrics`: a history that a real Prometheus reads at
    /// start, instead of an hour of scrapes waited for.
    public func openMetrics(from start: Int64, through end: Int64) -> String {
        var out = ""
        let ordered = allSeries.enumerated().sorted { a, b in
            let (x, y) = (a.element.labels["__name__"] ?? "", b.element.labels["__name__"] ?? "")
            return x == y ? a.offset < b.offset : x < y
        }.map(\.element)
        for ref in ordered {
            guard let name = ref.labels["__name__"] else { continue }
            let prefix = name + World.exposeLabels(ref.labels) + " "
            for point in points(of: ref, from: start, through: end) {
                out += prefix + GoFormat.formatG(point.v) + " " + String(point.t / 1000) + "\n"
            }
        }
        return out + "# EOF\n"
    }
}
