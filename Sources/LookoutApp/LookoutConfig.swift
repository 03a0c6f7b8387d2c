import DashboardCore
import PrometheusAPI
import FoundationEssentials
import Glibc
import SafeText
import TerminalCanvas

/// A config file that cannot be used: the file, the line and column, the key, and what was wrong, in one line.
public struct ConfigFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
    public init(_ message: String) { self.message = message }
}

/// `~/.config/lookout/config.yaml`: defaults for the dashboard, and named contexts (a server, its Alertmanagers, how
/// to authenticate, which dashboard, read-only, a colour). Secrets are never in the file: it names a file or an
/// environment variable that holds them.
public struct LookoutConfig: Sendable, Equatable {
    /// Defaults that flags override: theme, refresh, range, utc, mouse.
    public struct Defaults: Sendable, Equatable {
        public var theme: String?
        public var refresh: String?
        public var range: String?
        public var utc: Bool?
        public var mouse: Bool?
        public init() {}
    }

    /// One server and how to reach it.
    public struct Context: Sendable, Equatable {
        public var name: String
        /// How to reach the server, as the connection flags would say it (headers as `Name: value`, in the file's
        /// order); flags override it.
        public var connection = ConnectionSettings()
        public var alertmanagers: [String] = []
        /// A built-in dashboard's name or a dashboard file.
        public var dashboard: String?
        public var readOnly = false
        /// The status bar's colour for this context (a colour name, 0–255 or `#rrggbb`).
        public var color: String?
        /// The alerting rules that always fire (a dead man's switch); empty: `Watchdog` and `DeadMansSwitch`.
        public var watchdog: [String] = []

        public init(name: String, url: String) {
            self.name = name
            connection.url = url
            connection.urlSource = "context '\(SafeText.clip(name, 80))' of the config file"
        }

        public var url: String { connection.url ?? "" }
    }

    /// The file it was read from.
    public var path: String
    public var defaults = Defaults()
    public var contexts: [Context] = []

    public init(path: String) {
        self.path = path
    }

    public static let fileBytes = 256 << 10
    public static let maxContexts = 256

    /// Where the config is: `--config`, else `LOOKOUT_CONFIG`, else `$XDG_CONFIG_HOME/lookout/config.yaml` (default
    /// `~/.config/lookout/config.yaml`); `explicit` when named (then it must exist).
    public static func location(flag: String?, environment: [String: String]) -> (path: String, explicit: Bool)? {
        if let flag, !flag.isEmpty { return (expandingTilde(flag, environment: environment), true) }
        if let named = environment["LOOKOUT_CONFIG"], !named.isEmpty { return (expandingTilde(named, environment: environment), true) }
        if let base = environment["XDG_CONFIG_HOME"], base.hasPrefix("/") { return (base + "/lookout/config.yaml", false) }
        if let home = environment["HOME"], home.hasPrefix("/") { return (home + "/.config/lookout/config.yaml", false) }
        return nil
    }

    /// `~/x` with the home folder.
    public static func expandingTilde(_ path: String, environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = environment["HOME"], !home.isEmpty else { return path }
        return home + path.dropFirst()
    }

    /// The config the flags and the environment point at; nil when none is named and the default file is absent.
    /// `warn` gets one line for a file that others can read.
    public static func load(
        flag: String?, environment: [String: String], warn: (String) -> Void = { _ in }
    ) throws(ConfigFileError) -> LookoutConfig? {
        guard let (path, explicit) = location(flag: flag, environment: environment) else { return nil }
        if !explicit, !FileManager.default.fileExists(atPath: path) { return nil }
        let text: String
        do {
            text = try BoundedFile.text(path, limit: fileBytes, what: "config file")
        } catch {
            throw ConfigFileError(error.message)
        }
        if let warning = Self.readableByOthers(path, what: "the config file") { warn(warning) }
        var config = try parse(yaml: text, source: path)
        for i in config.contexts.indices {
            let files: [WritableKeyPath<Context, String?>] = [
                \.connection.bearerTokenFile, \.connection.basicAuthPasswordFile, \.connection.caFile, \.connection.certFile,
                \.connection.keyFile, \.dashboard,
            ]
            for keyPath in files {
                if let value = config.contexts[i][keyPath: keyPath] { config.contexts[i][keyPath: keyPath] = expandingTilde(value, environment: environment) }
            }
            for h in config.contexts[i].connection.secretHeaders.indices {
                if case .file(let path) = config.contexts[i].connection.secretHeaders[h].source {
                    config.contexts[i].connection.secretHeaders[h].source = .file(expandingTilde(path, environment: environment))
                }
            }
            let connection = config.contexts[i].connection
            let headerFiles = connection.secretHeaders.compactMap { header -> String? in
                if case .file(let path) = header.source { return path }
                return nil
            }
            for secret in [connection.bearerTokenFile, connection.basicAuthPasswordFile].compactMap({ $0 }) + headerFiles {
                if let warning = Self.readableByOthers(secret, what: "a secret file of context '\(config.contexts[i].name)'") { warn(warning) }
            }
        }
        return config
    }

    /// As ssh warns about a key: a file that other users can read, in one line; nil when it is private or absent.
    public static func readableByOthers(_ path: String, what: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & 0o044 != 0 else { return nil }
        let mode = String(info.st_mode & 0o777, radix: 8)
        return "warning: \(what) \(SafeText.clip(path, 200)) can be read by other users (mode 0\(mode)): chmod 600 it"
    }

    /// The context to use: `name` (from `--context` or `LOOKOUT_CONTEXT`), else the one remembered from the last
    /// `:ctx` (if it still exists), else the first.
    public func context(named name: String?, remembered: String?) throws(ConfigFileError) -> Context? {
        if let name {
            guard let found = contexts.first(where: { $0.name == name }) else {
                let known = contexts.map(\.name).joined(separator: ", ")
                throw ConfigFileError("\(SafeText.clip(path, 200)): no context named '\(SafeText.clip(name, 80))' (contexts: \(known.isEmpty ? "none" : known))")
            }
            return found
        }
        if let remembered, let found = contexts.first(where: { $0.name == remembered }) { return found }
        return contexts.first
    }

    // MARK: - Parsing

    static let contextKeys = [
        "name", "url", "alertmanagers", "bearerTokenFile", "bearerTokenEnv", "basicAuth", "headers", "caFile", "certFile",
        "keyFile", "insecureSkipTLSVerify", "timeout", "dashboard", "readOnly", "color", "watchdog",
    ]
    /// Keys that would hold a secret in the file itself.
    static let secretKeys: [String: String] = [
        "bearerToken": "bearerTokenFile or bearerTokenEnv", "token": "bearerTokenFile or bearerTokenEnv",
        "password": "passwordFile or passwordEnv",
    ]

    /// Parses a config; `source` names the file in errors.
    public static func parse(yaml: String, source: String) throws(ConfigFileError) -> LookoutConfig {
        let shown = SafeText.clip(source, 200)
        func fail(_ node: YAMLNode?, _ path: String, _ what: String) -> ConfigFileError {
            let at = YAMLMark.suffix(node?.mark)
            return ConfigFileError("\(shown)\(at): \(path.isEmpty ? "" : path + ": ")\(what)")
        }
        let composed: YAMLNode?
        do {
            composed = try YAMLDocument.compose(yaml, source: source)
        } catch {
            throw ConfigFileError(error.message)
        }
        var config = LookoutConfig(path: source)
        guard let root = composed else { return config }
        func mapping(_ node: YAMLNode, _ path: String, keys allowed: [String]) throws(ConfigFileError) -> [(String, YAMLNode)] {
            guard let map = node.mapping else { throw fail(node, path, "expected a mapping with \(allowed.joined(separator: ", "))") }
            var out: [(String, YAMLNode)] = []
            var seen = Set<String>()
            for (key, value) in map {
                let name = key.string ?? "?"
                let keyPath = path.isEmpty ? name : "\(path).\(name)"
                if let instead = secretKeys[name] {
                    throw fail(key, keyPath, "a secret written in the config file is refused (whoever reads the file, its backups or a shared screen has it): name a file or a variable with \(instead)")
                }
                guard allowed.contains(name) else {
                    throw fail(key, path, "unknown key '\(SafeText.clip(name, 80))' (expected \(allowed.joined(separator: ", ")))")
                }
                guard seen.insert(name).inserted else { throw fail(key, path, "'\(name)' is given twice") }
                out.append((name, value))
            }
            return out
        }
        func string(_ node: YAMLNode, _ path: String) throws(ConfigFileError) -> String {
            guard let s = node.scalar?.string else { throw fail(node, path, "expected a string") }
            guard !s.trimmingSpaces().isEmpty else { throw fail(node, path, "must not be empty") }
            guard s.count <= 4096 else { throw fail(node, path, "longer than 4096 characters") }
            return s
        }
        func bool(_ node: YAMLNode, _ path: String) throws(ConfigFileError) -> Bool {
            guard let flag = node.bool else { throw fail(node, path, "expected true or false") }
            return flag
        }
        func duration(_ node: YAMLNode, _ path: String) throws(ConfigFileError) -> String {
            let text = try string(node, path)
            guard ValueFormat.parseDuration(text) != nil else { throw fail(node, path, "'\(SafeText.clip(text, 40))' is not a duration such as 15s, 5m or 1h") }
            return text
        }
        func list(_ node: YAMLNode, _ path: String) throws(ConfigFileError) -> [String] {
            guard let items = node.sequence else { throw fail(node, path, "expected a list") }
            var out: [String] = []
            for (i, item) in items.enumerated() { out.append(try string(item, "\(path)[\(i)]")) }
            return out
        }

        for (key, value) in try mapping(root, "", keys: ["theme", "refresh", "range", "utc", "mouse", "contexts"]) {
            switch key {
            case "theme": config.defaults.theme = try string(value, key)
            case "refresh": config.defaults.refresh = try duration(value, key)
            case "range": config.defaults.range = try duration(value, key)
            case "utc": config.defaults.utc = try bool(value, key)
            case "mouse": config.defaults.mouse = try bool(value, key)
            default:
                guard let items = value.sequence else { throw fail(value, "contexts", "expected a list of contexts") }
                guard items.count <= maxContexts else { throw fail(value, "contexts", "\(items.count) contexts, more than the limit of \(maxContexts)") }
                for (i, node) in items.enumerated() {
                    let path = "contexts[\(i)]"
                    let fields = try mapping(node, path, keys: contextKeys)
                    guard let nameNode = fields.first(where: { $0.0 == "name" })?.1 else { throw fail(node, path, "missing name") }
                    let name = try string(nameNode, "\(path).name")
                    guard name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                        throw fail(nameNode, "\(path).name", "'\(SafeText.clip(name, 80))' is not a context name (letters, digits, - _ .)")
                    }
                    guard !config.contexts.contains(where: { $0.name == name }) else { throw fail(nameNode, "\(path).name", "a second context named '\(name)'") }
                    guard let urlNode = fields.first(where: { $0.0 == "url" })?.1 else { throw fail(node, path, "missing url") }
                    var context = Context(name: name, url: try string(urlNode, "\(path).url"))
                    for (k, v) in fields {
                        let at = "\(path).\(k)"
                        switch k {
                        case "alertmanagers": context.alertmanagers = try list(v, at)
                        case "bearerTokenFile": context.connection.bearerTokenFile = try string(v, at)
                        case "bearerTokenEnv": context.connection.bearerTokenEnv = try string(v, at)
                        case "basicAuth":
                            for (bk, bv) in try mapping(v, at, keys: ["user", "passwordFile", "passwordEnv"]) {
                                switch bk {
                                case "user": context.connection.basicAuthUser = try string(bv, "\(at).user")
                                case "passwordFile": context.connection.basicAuthPasswordFile = try string(bv, "\(at).passwordFile")
                                default: context.connection.basicAuthPasswordEnv = try string(bv, "\(at).passwordEnv")
                                }
                            }
                        case "headers":
                            guard let map = v.mapping else { throw fail(v, at, "expected a mapping of header names to values") }
                            for (hk, hv) in map {
                                let header = try string(hk, at)
                                let here = "\(at).\(header)"
                                if hv.mapping != nil {
                                    let source = try mapping(hv, here, keys: ["file", "env"])
                                    guard source.count == 1, let (kind, node) = source.first else {
                                        throw fail(hv, here, "expected {file: PATH} or {env: NAME}")
                                    }
                                    let value = try string(node, "\(here).\(kind)")
                                    context.connection.secretHeaders.append(
                                        SecretHeader(name: header, source: kind == "file" ? .file(value) : .environment(value)))
                                    continue
                                }
                                guard !HeaderField.secretNames.contains(header.lowercased()) else {
                                    throw fail(hv, here, "a credential is not taken inline in the file: give {file: PATH} or {env: NAME}"
                                        + (header.lowercased() == "authorization" ? " (or bearerTokenFile, basicAuth)" : ""))
                                }
                                context.connection.headers.append("\(header): \(try string(hv, here))")
                            }
                        case "caFile": context.connection.caFile = try string(v, at)
                        case "certFile": context.connection.certFile = try string(v, at)
                        case "keyFile": context.connection.keyFile = try string(v, at)
                        case "insecureSkipTLSVerify": context.connection.insecureSkipTLSVerify = try bool(v, at)
                        case "timeout": context.connection.timeout = try duration(v, at)
                        case "dashboard": context.dashboard = try string(v, at)
                        case "readOnly": context.readOnly = try bool(v, at)
                        case "watchdog": context.watchdog = try list(v, at)
                        case "color":
                            let text = try string(v, at)
                            guard TerminalCanvas.Color(parsing: text) != nil else {
                                throw fail(v, at, "'\(SafeText.clip(text, 40))' is not a colour (a name such as red, 0-255, or #rrggbb)")
                            }
                            context.color = text
                        default: break
                        }
                    }
                    config.contexts.append(context)
                }
            }
        }
        return config
    }
}

/// What the flags, the environment and the config file say to connect to: the context (if any) with the flags
/// over it.
public struct ContextChoice: Sendable {
    public var config: LookoutConfig?
    public var context: LookoutConfig.Context?
    /// The context's settings with the flags over them (the flags alone without a context).
    public var connection: ConnectionSettings
    /// `--alertmanager-url` when given, else the context's.
    public var alertmanagerURLs: [String]

    /// `--context` (or `LOOKOUT_CONTEXT`) picks a context of the config; without one, the context remembered from the
    /// last `:ctx`, else the first. `--url` without `--context` uses no context: the flags alone, so that a context's
    /// token is never sent to a server the user typed.
    public static func choose(
        flags: ConnectionSettings, alertmanagerFlags: [String], configFlag: String?, contextFlag: String?,
        environment: [String: String], warn: (String) -> Void = { _ in }
    ) throws(ConfigFileError) -> ContextChoice {
        // Secret files named by flags get the warning that those of a context get.
        for (flag, path) in [("--bearer-token-file", flags.bearerTokenFile), ("--basic-auth-password-file", flags.basicAuthPasswordFile)] {
            if let path, let warning = LookoutConfig.readableByOthers(path, what: "the \(flag)") { warn(warning) }
        }
        let config = try LookoutConfig.load(flag: configFlag, environment: environment, warn: warn)
        let named = contextFlag ?? environment["LOOKOUT_CONTEXT"].flatMap { $0.isEmpty ? nil : $0 }
        guard let config else {
            if let named {
                let place = LookoutConfig.location(flag: nil, environment: environment)?.path ?? "~/.config/lookout/config.yaml"
                throw ConfigFileError("no context '\(SafeText.clip(named, 80))': there is no config file (\(SafeText.clip(place, 200)))")
            }
            return ContextChoice(config: nil, context: nil, connection: flags, alertmanagerURLs: alertmanagerFlags)
        }
        if flags.url != nil, named == nil {
            return ContextChoice(config: config, context: nil, connection: flags, alertmanagerURLs: alertmanagerFlags)
        }
        let remembered = StateLine.path("context", environment: environment).flatMap(StateLine.read)
        guard let context = try config.context(named: named, remembered: remembered) else {
            return ContextChoice(config: config, context: nil, connection: flags, alertmanagerURLs: alertmanagerFlags)
        }
        return ContextChoice(
            config: config, context: context, connection: flags.overriding(context.connection),
            alertmanagerURLs: alertmanagerFlags.isEmpty ? context.alertmanagers : alertmanagerFlags)
    }

    /// Keeps `name` as the current context for the next start; a problem in one line, or nil.
    public static func remember(_ name: String, environment: [String: String]) -> String? {
        StateLine.path("context", environment: environment).flatMap { StateLine.save(name, to: $0, what: "the context") }
    }
}

/// A context choice turned into what the clients need: the server's options and the Alertmanagers' (same auth and
/// TLS, their own URLs and proxies).
public struct ResolvedConnection: Sendable {
    public var options: ConnectionOptions
    public var alertmanagers: [ConnectionOptions]
    public var context: LookoutConfig.Context?
    public var config: LookoutConfig?

    public init(_ choice: ContextChoice, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        do {
            options = try choice.connection.resolve(environment: environment)
        } catch let error as ConfigurationError where choice.context != nil {
            throw ConfigurationError("context '\(choice.context?.name ?? "")': \(error.message)")
        }
        let base = options
        let source = choice.context.map { "the alertmanagers of context '\($0.name)'" } ?? "--alertmanager-url"
        alertmanagers = try choice.alertmanagerURLs.map { url in
            var am = base
            do {
                am.baseURL = try ConnectionOptions.parseBaseURL(url)
                am.proxy = try ProxySetting.fromEnvironment(for: am.baseURL, environment: environment)
            } catch let error as ConfigurationError {
                throw ConfigurationError("\(error.message) (from \(source))")
            }
            return am
        }
        context = choice.context
        config = choice.config
    }
}
