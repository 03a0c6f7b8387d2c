import ArgumentParser
import Foundation
import LookoutApp
import PrometheusAPI

/// Flags that say how to reach the server; shared by every command that talks to one.
struct ConnectionFlags: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Prometheus (or Thanos, Mimir, VictoriaMetrics) base URL, with any path prefix.",
        valueName: "url"))
    var url: String?

    @Option(help: ArgumentHelp(
        "Take the alerts from this Alertmanager (/api/v2/alerts: silenced and inhibited ones shown as such) instead of Prometheus; same auth and TLS flags.",
        valueName: "url"))
    var alertmanagerURL: String?

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

    /// The options these flags and the environment describe; a bad one is a usage error (exit 64), in one line.
    func resolve() throws -> ConnectionOptions {
        do {
            return try settings.resolve()
        } catch let error as ConfigurationError {
            throw ValidationError(error.message)
        }
    }

    /// The Alertmanager to read alerts from, if `--alertmanager-url` was given: the same options, another URL.
    func resolveAlertmanager(_ options: ConnectionOptions) throws -> ConnectionOptions? {
        guard let alertmanagerURL else { return nil }
        var am = options
        do {
            am.baseURL = try ConnectionOptions.parseBaseURL(alertmanagerURL)
            am.proxy = try ProxySetting.fromEnvironment(for: am.baseURL, environment: ProcessInfo.processInfo.environment)
        } catch let error as ConfigurationError {
            throw ValidationError("\(error.message) (from --alertmanager-url)")
        }
        return am
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
