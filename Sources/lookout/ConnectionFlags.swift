import ArgumentParser
import FoundationEssentials
import Glibc
import SafeText
import LookoutApp
import PrometheusAPI

/// Flags that say how to reach the server; shared by every command that talks to one.
struct ConnectionFlags: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Config file with defaults and named contexts (default: $LOOKOUT_CONFIG, else ~/.config/lookout/config.yaml).",
        valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp(
        "The config's context to use (default: $LOOKOUT_CONTEXT, else the last chosen with :ctx, else the first); flags override its settings.",
        valueName: "name"))
    var context: String?

    @Option(help: ArgumentHelp(
        "Prometheus (or Thanos, Mimir, VictoriaMetrics) base URL, with any path prefix.",
        valueName: "url"))
    var url: String?

    @Option(name: .customLong("alertmanager-url"), help: ArgumentHelp(
        "Take the alerts and silences from this Alertmanager instead of Prometheus (silenced and inhibited alerts shown as such); repeat it for each member of an HA cluster; same auth and TLS flags.",
        valueName: "url"))
    var alertmanagerURLs: [String] = []

    @Option(help: ArgumentHelp("Read a bearer token from this file.", valueName: "file"))
    var bearerTokenFile: String?

    @Option(help: ArgumentHelp("Read a bearer token from this environment variable.", valueName: "name"))
    var bearerTokenEnv: String?

    @Option(help: ArgumentHelp("Basic auth user name.", valueName: "user"))
    var basicAuthUser: String?

    @Option(help: ArgumentHelp("Read the basic auth password from this file.", valueName: "file"))
    var basicAuthPasswordFile: String?

    @Option(help: ArgumentHelp("Read the basic auth password from this environment variable.", valueName: "name"))
    var basicAuthPasswordEnv: String?

    @Option(name: .customLong("header"), help: ArgumentHelp(
        "Extra request header, repeatable: --header 'X-Scope-OrgID: team-a'.", valueName: "name: value"))
    var headers: [String] = []

    @Option(help: ArgumentHelp("Trust the certificate authorities in this PEM file.", valueName: "file"))
    var caFile: String?

    @Option(help: ArgumentHelp("Client certificate (PEM) for mutual TLS.", valueName: "file"))
    var certFile: String?

    @Option(help: ArgumentHelp("Client key (PEM) for mutual TLS.", valueName: "file"))
    var keyFile: String?

    @Flag(help: "Do not verify the server's TLS certificate (testing only).")
    var insecureSkipTLSVerify = false

    @Option(help: ArgumentHelp("Limit for each request (default 10s).", valueName: "duration"))
    var timeout: String?

    /// The config file and context these flags and the environment choose; warnings (a file others can read) go to
    /// stderr once. A bad file is a usage error (exit 64), in one line.
    func choice() throws -> ContextChoice {
        do {
            return try ContextChoice.choose(
                flags: settings, alertmanagerFlags: alertmanagerURLs, configFlag: config, contextFlag: context,
                environment: ProcessInfo.processInfo.environment, warn: { StandardError.write($0, prefix: "lookout: ") })
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// The server and the Alertmanagers to talk to, with the context chosen; a bad setting is a usage error (exit 64),
    /// in one line.
    func resolve() throws -> ResolvedConnection {
        let resolved: ResolvedConnection
        do {
            resolved = try ResolvedConnection(choice())
        } catch let error as ConfigurationError {
            throw ValidationError(error.message)
        }
        if resolved.options.tls.insecureSkipVerify {
            StandardError.write(
                "warning: the server's TLS certificate is not verified (--insecure-skip-tls-verify or insecureSkipTLSVerify):"
                    + " anyone on the way can read and change what lookout shows")
        }
        return resolved
    }

    var settings: ConnectionSettings {
        var s = ConnectionSettings()
        s.url = url
        s.bearerTokenFile = bearerTokenFile
        s.bearerTokenEnv = bearerTokenEnv
        s.basicAuthUser = basicAuthUser
        s.basicAuthPasswordFile = basicAuthPasswordFile
        s.basicAuthPasswordEnv = basicAuthPasswordEnv
        s.headers = headers
        s.caFile = caFile
        s.certFile = certFile
        s.keyFile = keyFile
        s.insecureSkipTLSVerify = insecureSkipTLSVerify
        s.timeout = timeout
        return s
    }
}
