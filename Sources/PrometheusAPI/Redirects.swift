import FoundationEssentials
import PrometheusModels
import SafeText

extension PrometheusClient {
    /// Redirects followed by lookout itself (the transport follows none), at most this many.
    public static let maxRedirects = 5
    /// The headers that may go on to another origin (scheme, host and port): lookout's own. Credentials
    /// (Authorization) and every header the user gave (`--header`, a context's `headers`: an API key, a tenant) stay
    /// with the server they were meant for.
    static let headersAcrossOrigins: Set<String> = ["user-agent", "accept", "accept-encoding", "content-type"]

    /// Sends `request` and follows the redirects of its answers: a redirect from HTTPS to plain HTTP is refused (the
    /// answer, and what was sent, would travel unencrypted), a redirect to another origin drops every header but
    /// lookout's own; 303 (and 301 or 302 after a POST) asks again with GET, as browsers and curl do.
    static func following(
        _ request: TransportRequest, url: String, send: (TransportRequest) async throws -> TransportResponse
    ) async throws -> TransportResponse {
        var current = request
        guard let origin = URL(string: request.url) else { return try await send(request) }
        var here = origin
        for hop in 0...maxRedirects {
            let response = try await send(current)
            guard [301, 302, 303, 307, 308].contains(response.status), let location = response.header("Location") else {
                return response
            }
            guard hop < maxRedirects else {
                throw PrometheusError.transport(url: url, reason: "more than \(maxRedirects) redirects")
            }
            guard let next = URL(string: location.trimmingSpaces(), relativeTo: here)?.absoluteURL,
                  let scheme = next.scheme?.lowercased(), scheme == "http" || scheme == "https", next.host != nil
            else {
                throw PrometheusError.transport(url: url, reason: "redirected to '\(clip(Redaction.url(location), 120))', which is not an http(s) URL")
            }
            if here.scheme?.lowercased() == "https", scheme == "http" {
                throw PrometheusError.transport(
                    url: url, reason: "redirected from HTTPS to plain HTTP (\(clip(Redaction.url(next.absoluteString), 120))): refused")
            }
            if !sameOrigin(origin, next) {
                current.headers.removeAll { !headersAcrossOrigins.contains($0.name.lowercased()) }
            }
            if response.status == 303 || ((response.status == 301 || response.status == 302) && current.method == "POST") {
                current.method = "GET"
                current.body = nil
                current.headers.removeAll { $0.name.lowercased() == "content-type" }
            }
            current.url = next.absoluteString
            here = next
        }
        throw PrometheusError.transport(url: url, reason: "more than \(maxRedirects) redirects")
    }

    /// Scheme, host and port (the scheme's default when none is given) are the same.
    static func sameOrigin(_ a: URL, _ b: URL) -> Bool {
        func key(_ url: URL) -> (String, String, Int) {
            let scheme = url.scheme?.lowercased() ?? ""
            return (scheme, url.host?.lowercased() ?? "", url.port ?? (scheme == "https" ? 443 : 80))
        }
        return key(a) == key(b)
    }
}
