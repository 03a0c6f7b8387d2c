import FoundationEssentials
import Glibc
import SafeText

/// Everything that can go wrong talking to a Prometheus-compatible server. `description` is one line, safe to
/// print: text from the server is sanitised and shortened.
public enum PrometheusError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered with the API's error envelope (`bad_data`, `execution`, `timeout`, …).
    case api(errorType: String, message: String, httpStatus: Int)
    /// The server answered, but not with the API's JSON (a proxy's HTML 502, a plain 404, a 401 from auth).
    case unexpectedResponse(url: String, httpStatus: Int, reason: String, firstLine: String)
    /// The answer was JSON but not the shape the API documents.
    case decoding(url: String, detail: String)
    /// No answer: connection refused, DNS, TLS, proxy.
    case transport(url: String, reason: String)
    /// No complete answer within the request timeout.
    case timeout(url: String, seconds: Double)
    /// The server asked to be left alone for a while: HTTP 429 or 503 with `Retry-After` (seconds, when given).
    case throttled(url: String, httpStatus: Int, retryAfter: Double?)

    public var description: String {
        switch self {
        case .api("rejected", let message, let status):
            // Alertmanager's 400: its message says what was wrong.
            return "rejected (HTTP \(status)): \(clip(message, InputLimits.messageCharacters))"
        case .api(let type, let message, let status):
            return "Prometheus API error \(clip(type, 40)) (HTTP \(status)): \(clip(message, InputLimits.messageCharacters))"
        case .unexpectedResponse(let url, let status, let reason, let firstLine):
            let body = firstLine.isEmpty ? "empty body" : "body: \(clip(firstLine, 160))"
            return "HTTP \(status) \(clip(reason, 40)) from \(clip(url, 200)), not a Prometheus API answer (\(body))"
        case .decoding(let url, let detail):
            return "unexpected JSON from \(clip(url, 200)): \(clip(detail, 200))"
        case .transport(let url, let reason):
            return "cannot reach \(clip(url, 200)): \(clip(reason, 200))"
        case .timeout(let url, let seconds):
            return "no answer from \(clip(url, 200)) within \(formatSeconds(seconds))"
        case .throttled(let url, let status, let retryAfter):
            return "HTTP \(status) from \(clip(url, 200)): the server asks to slow down" + (retryAfter.map { " (retry after \(formatSeconds($0)))" } ?? "")
        }
    }

    /// The cause alone, without the URL, for a status line: `connection refused`, `no answer within 10 s`,
    /// `HTTP 502 Bad Gateway`.
    public var shortReason: String {
        switch self {
        case .transport(_, let reason): return clip(reason, 80)
        case .timeout(_, let seconds): return "no answer within \(formatSeconds(seconds))"
        case .unexpectedResponse(_, let status, let reason, _): return "HTTP \(status) \(clip(reason, 40))"
        case .api(let type, _, let status): return "API error \(clip(type, 30)) (HTTP \(status))"
        case .decoding: return "unexpected JSON"
        case .throttled(_, let status, _): return "HTTP \(status): server asks to slow down"
        }
    }

    /// True when the server itself could not be talked to (as opposed to rejecting one query).
    public var isConnectionFailure: Bool {
        switch self {
        case .transport, .timeout, .throttled: return true
        case .unexpectedResponse(_, let status, _, _): return status == 401 || status == 403 || status >= 500
        case .api(let type, _, _): return type == "unavailable"
        case .decoding: return false
        }
    }

    /// How long the server asked to be left alone (`Retry-After`), when it said.
    public var retryAfter: Double? {
        if case .throttled(_, _, let seconds) = self { return seconds }
        return nil
    }
}

/// Sanitised, cut to `limit` characters, without surrounding spaces.
package func clip(_ text: String, _ limit: Int) -> String {
    SafeText.clip(text, limit).trimmingSpaces()
}

func formatSeconds(_ seconds: Double) -> String {
    guard seconds.isFinite, abs(seconds) < 1e9 else { return "\(seconds) s" }
    return seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
}

/// A connection option that cannot be used: a missing token file, a bad header, a bad URL.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Result {
    /// The error, if this is a failure.
    package var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
