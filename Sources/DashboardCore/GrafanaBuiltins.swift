import FoundationEssentials

/// Grafana's global variables in a Prometheus query, as Grafana computes them for the window a panel is asked over:
/// `$__interval` is the step, `$__rate_interval` the larger of the step plus the scrape interval and four scrape
/// intervals (so a `rate()` always spans enough samples), `$__range` the window; `_ms` and `_s` forms, `$__from` and
/// `$__to` in milliseconds since the epoch. The scrape interval is Grafana's default for a Prometheus data source,
/// 15 s.
public enum GrafanaBuiltins {
    public static let scrapeInterval: TimeInterval = 15

    /// The values for a window from `start` to `end` asked at `step` seconds.
    public static func values(start: Date, end: Date, step: TimeInterval) -> [String: String] {
        let interval = max(1, Int(step.rounded(.up)))
        let scrape = Int(scrapeInterval)
        let range = max(1, Int(end.timeIntervalSince(start).rounded()))
        let rate = max(interval + scrape, 4 * scrape)
        func ms(_ date: Date) -> String { String(Int64((date.timeIntervalSince1970 * 1000).rounded())) }
        return [
            "__interval": "\(interval)s", "__interval_ms": "\(interval * 1000)", "__rate_interval": "\(rate)s",
            "__range": "\(range)s", "__range_s": "\(range)", "__range_ms": "\(range * 1000)",
            "__from": ms(start), "__to": ms(end),
        ]
    }

    /// `text` with each built-in replaced (`$__rate_interval`, `${__interval}`, `[[__range]]`); others stay.
    public static func substitute(_ text: String, start: Date, end: Date, step: TimeInterval) -> String {
        guard text.contains("__") else { return text }
        let values = values(start: start, end: end, step: step)
        return Variable.scan(text) { name, _ in values[name] }
    }
}

extension Dashboard {
    /// The dashboard with Grafana's built-ins replaced in its queries, for a window asked at `step`.
    public func withBuiltins(start: Date, end: Date, step: TimeInterval) -> Dashboard {
        var copy = self
        for p in copy.panels.indices {
            for t in copy.panels[p].targets.indices {
                copy.panels[p].targets[t].expr = GrafanaBuiltins.substitute(copy.panels[p].targets[t].expr, start: start, end: end, step: step)
            }
            copy.panels[p].expectedSeries = copy.panels[p].expectedSeries.map { GrafanaBuiltins.substitute($0, start: start, end: end, step: step) }
        }
        return copy
    }
}
