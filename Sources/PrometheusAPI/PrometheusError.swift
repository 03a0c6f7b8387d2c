import Foundation
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

    public var description: String {
        switch self {
        case .api(let type, let message, let status):
            return "Prometheus API error \(clip(type, 40)) (HTTP \(status)): \(clip(message, 300))"
        case .unexpectedResponse(let url, let status, let reason, let firstLine):
            let body = firstLine.isEmpty ? "empty body" : "body: \(clip(firstLine, 160))"
            return "HTTP \(status) \(clip(reason, 40)) from \(clip(url, 200)), not a Prometheus API answer (\(body))"
        case .decoding(let url, let detail):
            return "unexpected JSON from \(clip(url, 200)): \(clip(detail, 200))"
        case .transport(let url, let reason):
            return "cannot reach \(clip(url, 200)): \(clip(reason, 200))"
        case .timeout(let url, let seconds):
            return "no answer from \(clip(url, 200)) within \(formatSeconds(seconds))"
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
        }
    }

    /// True when the server itself could not be talked to (as opposed to rejecting one query).
    public var isConnectionFailure: Bool {
        switch self {
        case .transport, .timeout: return true
        case .unexpectedResponse(_, let status, _, _): return status == 401 || status == 403 || status >= 500
        case .api, .decoding: return false
        }
    }
}

func clip(_ text: String, _ limit: Int) -> String {
    let safe = SafeText.sanitize(text).trimmingCharacters(in: .whitespaces)
    return safe.count > limit ? String(safe.prefix(limit - 1)) + "…" : safe
}

func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
}

/// A connection option that cannot be used: a missing token file, a bad header, a bad URL.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
