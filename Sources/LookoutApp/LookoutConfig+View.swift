import DashboardCore
import PrometheusAPI
import FoundationEssentials
import Glibc
import SafeText
import TerminalCanvas

extension LookoutConfig {
    // MARK: - Showing it

    /// The config as `lookout config view` prints it: every value, secrets as the file or variable that holds them
    /// (the file has no other kind).
    public func yaml() -> String {
        // Redacted as every output is: a URL's user information, a secret read earlier.
        func q(_ text: String) -> String { Quote.quoted(Redaction.redact(SafeText.sanitize(text)), Quote.yaml) }
        // A URL as typed, perhaps without a scheme (`user:pw@host:9090`): its user information hidden as well.
        func qURL(_ text: String) -> String { q(Redaction.url(text)) }
        var lines: [String] = ["# \(SafeText.sanitize(path))"]
        if let v = defaults.theme { lines.append("theme: \(q(v))") }
        if let v = defaults.refresh { lines.append("refresh: \(q(v))") }
        if let v = defaults.range { lines.append("range: \(q(v))") }
        if let v = defaults.utc { lines.append("utc: \(v)") }
        if let v = defaults.mouse { lines.append("mouse: \(v)") }
        lines.append(contexts.isEmpty ? "contexts: []" : "contexts:")
        for context in contexts {
            let c = context.connection
            lines.append("  - name: \(q(context.name))")
            lines.append("    url: \(qURL(context.url))")
            if !context.alertmanagers.isEmpty { lines.append("    alertmanagers: [\(context.alertmanagers.map(qURL).joined(separator: ", "))]") }
            if let v = c.bearerTokenFile { lines.append("    bearerTokenFile: \(q(v))") }
            if let v = c.bearerTokenEnv { lines.append("    bearerTokenEnv: \(q(v))") }
            if c.basicAuthUser != nil || c.basicAuthPasswordFile != nil || c.basicAuthPasswordEnv != nil {
                let parts = [("user", c.basicAuthUser), ("passwordFile", c.basicAuthPasswordFile), ("passwordEnv", c.basicAuthPasswordEnv)]
                    .compactMap { k, v in v.map { "\(k): \(q($0))" } }
                lines.append("    basicAuth: {\(parts.joined(separator: ", "))}")
            }
            if !c.headers.isEmpty || !c.secretHeaders.isEmpty {
                lines.append("    headers:")
                for header in c.headers {
                    let (name, value) = header.firstIndex(of: ":").map { (String(header[..<$0]), String(header[header.index(after: $0)...]).trimmingSpaces()) } ?? (header, "")
                    lines.append("      \(q(name)): \(q(value))")
                }
                for header in c.secretHeaders {
                    switch header.source {
                    case .file(let path): lines.append("      \(q(header.name)): {file: \(q(path))}")
                    case .environment(let name): lines.append("      \(q(header.name)): {env: \(q(name))}")
                    }
                }
            }
            for (k, v) in [("caFile", c.caFile), ("certFile", c.certFile), ("keyFile", c.keyFile), ("timeout", c.timeout), ("dashboard", context.dashboard), ("color", context.color)] {
                if let v { lines.append("    \(k): \(q(v))") }
            }
            if c.insecureSkipTLSVerify { lines.append("    insecureSkipTLSVerify: true") }
            if context.readOnly { lines.append("    readOnly: true") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
