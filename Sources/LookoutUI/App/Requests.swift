import FoundationEssentials
import Glibc
import SafeText
import PrometheusModels

/// What a screen asks of the server. The run loop carries it out and answers the screen that asked, by the
/// screen's id in the stack and the request's id: a screen gone from the stack gets nothing.
public enum ScreenRequest: Sendable, Equatable {
    /// A range query over `rangeSeconds` ending at `end` (nil: now), with `points` steps.
    case rangeQuery(String, rangeSeconds: TimeInterval, points: Int, end: Date? = nil)
    /// Every metric name (`/api/v1/label/__name__/values`).
    case metricNames
    /// The rule groups (`/api/v1/rules`), always from the Prometheus at `--url`.
    case rules
    /// Label names, of the series matching a selector when given (`/api/v1/labels`).
    case labelNames(matching: String?)
    /// A label's values, of the series matching a selector when given.
    case labelValues(String, matching: String?)
    /// How many of Alertmanager's alerts the matchers select (`/api/v2/alerts?filter=…`).
    case alertsMatching([SilenceMatcher])
    /// Create a silence, or change one (with an id): the first member that answers.
    case saveSilence(SilenceDraft)
    /// Expire a silence now.
    case expireSilence(id: String)
    /// The scrape targets (`/api/v1/targets`).
    case targets
    /// `ALERTS` and Prometheus' own heartbeat over `from`–`to`, every sample (`AlertHistory.query`), for `:history`.
    case alertHistory(from: Date, to: Date)
    /// Whether a context's server answers (`/-/ready`, else `/api/v1/status/buildinfo`), for `:ctx`.
    case probeContext(String)
}

/// The server's answer to a `ScreenRequest`.
public enum ScreenResponse: Sendable, Equatable {
    case result(QueryResult, warnings: [String])
    case names([String])
    case rules([RuleGroup])
    case targets(TargetsResult)
    /// The alerts a set of matchers selects: how many, and how many of them fire unsilenced.
    case alertCount(Int, active: Int)
    /// `ALERTS` over a window, and Prometheus' heartbeat (nil when it has none: it does not scrape itself).
    case history(alerts: [SampleStream], heartbeat: [SampleStream]?)
    /// A silence was saved with this id.
    case saved(id: String)
    /// A write went through and has nothing to say.
    case done
    /// One sanitised line: the server's error, or why there was no answer.
    case failure(String)
}
