import DashboardCore
import FoundationEssentials
import Glibc
import SafeText
import PrometheusAPI

/// The connection flags as typed, before they are checked. Turning them into `ConnectionOptions` reads the secret
/// files and variables and the environment's proxies, and fails with one clear line naming the flag at fault.
public struct ConnectionSettings: Sendable, Equatable {
    public var url: String?
    /// Where `url` came from when it is not `--url` (a context of the config file), for error messages.
    public var urlSource: String?
    public var bearerTokenFile: String?
    public var bearerTokenEnv: String?
    public var basicAuthUser: String?
    public var basicAuthPasswordFile: String?
    public var basicAuthPasswordEnv: String?
    public var headers: [String] = []
    /// Headers whose value is read from a file or a variable (a config file's `headers: {X-Api-Key: {file: …}}`):
    /// the way to send a credential header, which the file does not take inline.
    public var secretHeaders: [SecretHeader] = []
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?
    public var insecureSkipTLSVerify = false
    public var timeout: String?

    /// These settings (the flags) over `base` (a context of the config file): every field the flags give wins; auth
    /// given by flags replaces the context's whole auth; headers are the context's, those of the same name replaced
    /// by the flags'.
    public func overriding(_ base: ConnectionSettings) -> ConnectionSettings {
        var out = base
        if let url {
            out.url = url
            out.urlSource = urlSource
        }
        let flagsAuth = bearerTokenFile != nil || bearerTokenEnv != nil || basicAuthUser != nil || basicAuthPasswordFile != nil
            || basicAuthPasswordEnv != nil
        if flagsAuth {
            out.bearerTokenFile = bearerTokenFile
            out.bearerTokenEnv = bearerTokenEnv
            out.basicAuthUser = basicAuthUser
            out.basicAuthPasswordFile = basicAuthPasswordFile
            out.basicAuthPasswordEnv = basicAuthPasswordEnv
        }
        func name(_ header: String) -> String {
            String(header.prefix { $0 != ":" }).trimmingSpaces().lowercased()
        }
        let replaced = Set(headers.map(name))
        out.headers = base.headers.filter { !replaced.contains(name($0)) } + headers
        out.secretHeaders = base.secretHeaders.filter { !replaced.contains($0.name.lowercased()) }
        if let caFile { out.caFile = caFile }
        if let certFile { out.certFile = certFile }
        if let keyFile { out.keyFile = keyFile }
        if insecureSkipTLSVerify { out.insecureSkipTLSVerify = true }
        if let timeout { out.timeout = timeout }
        return out
    }

    public static let defaultURL = "http://localhost:9090"
    /// Variables read, in order, when `--url` is not given.
    public static let urlVariables = ["LOOKOUT_URL", "PROMETHEUS_URL"]

    public init() {}

    /// The server URL: `--url`, else `LOOKOUT_URL`, else `PROMETHEUS_URL`, else `http://localhost:9090`; and
    /// where it came from, for error messages.
    public func serverURL(environment: [String: String]) -> (text: String, source: String) {
        if let url { return (url, urlSource ?? "--url") }
        for name in Self.urlVariables {
            if let value = environment[name], !value.isEmpty { return (value, name) }
        }
        return (Self.defaultURL, "the default URL")
    }

    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> ConnectionOptions
    {
        let (text, source) = serverURL(environment: environment)
        let baseURL: URL
        do {
            baseURL = try ConnectionOptions.parseBaseURL(text)
        } catch let error as ConfigurationError {
            throw ConfigurationError("\(error.message) (from \(source))")
        }
        var options = ConnectionOptions(baseURL: baseURL)

        if bearerTokenFile != nil && bearerTokenEnv != nil {
            throw ConfigurationError("--bearer-token-file and --bearer-token-env exclude each other: give one")
        }
        if basicAuthPasswordFile != nil && basicAuthPasswordEnv != nil {
            throw ConfigurationError(
                "--basic-auth-password-file and --basic-auth-password-env exclude each other: give one")
        }
        let bearer = try bearerTokenFile.map { try SecretSource.file($0).resolve(what: "bearer token", environment: environment) }
            ?? bearerTokenEnv.map { try SecretSource.environment($0).resolve(what: "bearer token", environment: environment) }
        let password = try basicAuthPasswordFile.map {
            try SecretSource.file($0).resolve(what: "basic auth password", environment: environment)
        } ?? basicAuthPasswordEnv.map {
            try SecretSource.environment($0).resolve(what: "basic auth password", environment: environment)
        }
        switch (bearer, basicAuthUser, password) {
        case (let token?, nil, nil): options.authorization = .bearer(token: token)
        case (nil, let user?, let password?): options.authorization = .basic(username: user, password: password)
        case (nil, nil, nil): break
        case (_?, _, _): throw ConfigurationError("a bearer token and basic auth exclude each other: give one")
        case (nil, _?, nil):
            throw ConfigurationError("--basic-auth-user needs --basic-auth-password-file or --basic-auth-password-env")
        case (nil, nil, _?): throw ConfigurationError("a basic auth password needs --basic-auth-user")
        }

        options.headers = try headers.map(HeaderField.parse)
            + secretHeaders.map { HeaderField(name: $0.name, value: try $0.source.resolve(what: "the \($0.name) header's", environment: environment)) }
        options.tls = TLSOptions(
            caFile: caFile, certFile: certFile, keyFile: keyFile, insecureSkipVerify: insecureSkipTLSVerify)
        if let timeout {
            guard let seconds = ValueFormat.parseDuration(timeout), seconds <= 3600 else {
                throw ConfigurationError("bad --timeout '\(timeout)': expected a duration such as 10s or 1m (at most 1h)")
            }
            options.timeout = .milliseconds(Int64(seconds * 1000))
        }
        options.proxy = try ProxySetting.fromEnvironment(for: baseURL, environment: environment)
        return options
    }
}

/// A request header whose value is a secret kept in a file or an environment variable.
public struct SecretHeader: Sendable, Equatable {
    public var name: String
    public var source: SecretSource

    public init(name: String, source: SecretSource) {
        self.name = name
        self.source = source
    }
}
