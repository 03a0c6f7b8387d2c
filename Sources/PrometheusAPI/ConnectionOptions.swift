import FoundationEssentials
import Glibc
import SafeText

/// Where a secret comes from. Secrets are never taken as flag values, where they would show in `ps` and in
/// shell history.
public enum SecretSource: Sendable, Equatable {
    case file(String)
    case environment(String)

    /// Reads the secret: one line (a file's trailing line break is dropped); an empty secret, or a file of more than
    /// one line (a comment under the token), is an error that names the file and never shows what it holds. The
    /// secret is registered with `Redaction`, so no output shows it afterwards.
    public func resolve(what: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> String
    {
        let secret = try read(what: what, environment: environment)
        guard !secret.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            switch self {
            case .file(let path):
                let lines = secret.contains("\n") || secret.contains("\r")
                throw ConfigurationError(
                    "\(what) file '\(clip(path, 200))' must hold the secret alone on one line"
                        + (lines ? " (it has more than one)" : " (it has control characters)"))
            case .environment(let name):
                throw ConfigurationError("\(what) environment variable \(name) must hold the secret alone on one line")
            }
        }
        Redaction.register(secret)
        return secret
    }

    private func read(what: String, environment: [String: String]) throws -> String {
        switch self {
        case .file(let path):
            let data: [UInt8]
            do {
                data = try BoundedFile.read(path, limit: InputLimits.secretFileBytes, what: "\(what) file")
            } catch {
                throw ConfigurationError(error.message)
            }
            guard let text = String(validating: data, as: UTF8.self) else {
                throw ConfigurationError("\(what) file '\(path)' is not UTF-8 text")
            }
            // One trailing line break (LF or CRLF) as editors write it; whatever else is kept, and judged above.
            // "\r\n" is one Character: either ending is one.
            var secret = Substring(text)
            if secret.hasSuffix("\r\n") || secret.hasSuffix("\n") { secret.removeLast() }
            guard !secret.isEmpty else { throw ConfigurationError("\(what) file '\(clip(path, 200))' is empty") }
            return String(secret)
        case .environment(let name):
            guard let secret = environment[name], !secret.isEmpty else {
                throw ConfigurationError("\(what) environment variable \(name) is not set or empty")
            }
            return secret
        }
    }
}

public enum Authorization: Sendable, Equatable {
    case bearer(token: String)
    case basic(username: String, password: String)

    var headerValue: String {
        switch self {
        case .bearer(let token): return "Bearer \(token)"
        case .basic(let user, let password):
            let encoded = Data("\(user):\(password)".utf8).base64EncodedString()
            Redaction.register(encoded)
            return "Basic " + encoded
        }
    }
}

/// One extra request header, e.g. `X-Scope-OrgID: team-a` for Mimir and Cortex tenants.
public struct HeaderField: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Headers whose value is a credential (lower case): a config file may not hold them inline (README,
    /// "Contexts"); their values are registered with `Redaction` wherever they come from. `X-Scope-OrgID` names a
    /// tenant and is not one of them.
    public static let secretNames: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "x-api-key", "api-key", "x-auth-token", "private-token",
    ]

    public var isSecret: Bool { Self.secretNames.contains(name.lowercased()) }

    /// Parses `Name: value`. A message about a bad header never quotes its value (it may be a key).
    public static func parse(_ text: String) throws -> HeaderField {
        guard let colon = text.firstIndex(of: ":") else {
            throw ConfigurationError("bad --header (\(text.count) characters, not shown): expected 'Name: value'")
        }
        let name = text[..<colon].trimmingSpaces()
        let value = text[text.index(after: colon)...].trimmingSpaces()
        let token = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        guard !name.isEmpty, name.allSatisfy({ token.contains($0) }) else {
            throw ConfigurationError("bad --header: '\(clip(name, 40))' is not a header name")
        }
        if secretNames.contains(name.lowercased()) { Redaction.register(value) }
        guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw ConfigurationError("bad --header '\(clip(name, 40))': the value has control characters")
        }
        return HeaderField(name: name, value: value)
    }
}

public struct TLSOptions: Sendable, Equatable {
    /// PEM file of the certificate authorities to trust instead of the system's.
    public var caFile: String?
    /// PEM client certificate (chain) and key for mutual TLS.
    public var certFile: String?
    public var keyFile: String?
    public var insecureSkipVerify: Bool

    public init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil, insecureSkipVerify: Bool = false) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.insecureSkipVerify = insecureSkipVerify
    }
}

/// An HTTP proxy taken from `HTTP_PROXY` / `HTTPS_PROXY` / `NO_PROXY` (either case), as curl and Go do.
public struct ProxySetting: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?

    public init(host: String, port: Int, username: String? = nil, password: String? = nil) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
    }

    /// The proxy for `url` under `environment`, or nil for a direct connection.
    public static func fromEnvironment(for url: URL, environment: [String: String]) throws -> ProxySetting? {
        func env(_ name: String) -> String? {
            let value = environment[name.lowercased()] ?? environment[name.uppercased()]
            return value?.isEmpty == false ? value : nil
        }
        guard let host = url.host?.lowercased() else { return nil }
        if let noProxy = env("no_proxy") {
            for raw in noProxy.split(separator: ",") {
                var entry = raw.trimmingSpaces().lowercased()
                if entry == "*" { return nil }
                if entry.filter({ $0 == ":" }).count == 1, let colon = entry.firstIndex(of: ":") {
                    entry = String(entry[..<colon])  // host:port; IPv6 literals have more colons
                }
                if entry.hasPrefix(".") { entry.removeFirst() }
                if !entry.isEmpty, host == entry || host.hasSuffix("." + entry) { return nil }
            }
        }
        let variable = url.scheme == "https" ? "https_proxy" : "http_proxy"
        guard let text = env(variable) else { return nil }
        let withScheme = text.contains("://") ? text : "http://" + text
        guard let proxyURL = URL(string: withScheme), let proxyHost = proxyURL.host, !proxyHost.isEmpty else {
            throw ConfigurationError("bad \(variable.uppercased()) '\(clip(Redaction.url(text), 80))': expected http://host:port")
        }
        return ProxySetting(
            host: proxyHost, port: proxyURL.port ?? 3128,
            username: proxyURL.user.flatMap(PercentEncoding.decode), password: proxyURL.password.flatMap(PercentEncoding.decode))
    }
}

/// How to reach a Prometheus-compatible server (Prometheus, Thanos, Mimir, Cortex, VictoriaMetrics).
public struct ConnectionOptions: Sendable, Equatable {
    /// The API root, with any path prefix (`https://host/prometheus`) and no trailing slash.
    public var baseURL: URL
    public var authorization: Authorization?
    public var headers: [HeaderField]
    public var tls: TLSOptions
    /// Per-request limit for the whole exchange.
    public var timeout: Duration
    public var proxy: ProxySetting?

    public init(
        baseURL: URL, authorization: Authorization? = nil, headers: [HeaderField] = [], tls: TLSOptions = TLSOptions(),
        timeout: Duration = .seconds(10), proxy: ProxySetting? = nil
    ) {
        self.baseURL = baseURL
        self.authorization = authorization
        self.headers = headers
        self.tls = tls
        self.timeout = timeout
        self.proxy = proxy
    }

    /// Parses a server URL as a user types it: `http://prometheus:9090`, `https://host/prometheus/`, or
    /// `localhost:9090` (http assumed).
    public static func parseBaseURL(_ text: String) throws -> URL {
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty else { throw ConfigurationError("the server URL is empty") }
        // Quoted in every message below with its user information hidden (before it is cut).
        let shown = Redaction.url(trimmed)
        let withScheme = trimmed.contains("://") ? trimmed : "http://" + trimmed
        guard let components = URLComponents(string: withScheme) else {
            throw ConfigurationError("bad URL '\(clip(shown, 100))': not a URL")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw ConfigurationError("bad URL '\(clip(shown, 100))': the scheme must be http or https")
        }
        guard let host = components.host, !host.isEmpty else {
            throw ConfigurationError("bad URL '\(clip(shown, 100))': no host")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw ConfigurationError("bad URL '\(clip(shown, 100))': port \(port) is out of range")
        }
        guard components.query == nil, components.fragment == nil else {
            throw ConfigurationError("bad URL '\(clip(shown, 100))': a server URL takes no query or fragment")
        }
        guard components.user == nil, components.password == nil else {
            throw ConfigurationError(
                "bad URL '\(clip(host, 60))…': credentials in the URL are not accepted, use --basic-auth-user and --basic-auth-password-file")
        }
        var clean = components
        clean.scheme = scheme
        while clean.path.hasSuffix("/") { clean.path.removeLast() }
        guard let url = clean.url else { throw ConfigurationError("bad URL '\(clip(shown, 100))'") }
        return url
    }

    /// `host:port` of the server, for status lines.
    public var displayHost: String {
        let host = baseURL.host ?? baseURL.absoluteString
        let withPort = baseURL.port.map { "\(host):\($0)" } ?? host
        let path = baseURL.path
        return path.isEmpty || path == "/" ? withPort : withPort + path
    }
}
