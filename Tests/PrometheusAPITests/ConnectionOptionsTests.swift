import Foundation
import PrometheusAPI
import Testing
import TestSupport

@Suite("Connection options")
struct ConnectionOptionsTests {
    @Test(arguments: [
        ("http://prometheus:9090", "http://prometheus:9090"),
        ("https://host/prometheus/", "https://host/prometheus"),
        ("localhost:9090", "http://localhost:9090"),
        ("HTTP://Host:9090//", "http://Host:9090"),
        ("http://[::1]:9090", "http://[::1]:9090"),
    ])
    func serverURLsAreNormalised(input: String, expected: String) throws {
        #expect(try ConnectionOptions.parseBaseURL(input).absoluteString == expected)
    }

    @Test(arguments: [
        ("", "the server URL is empty"),
        ("ftp://host", "bad URL 'ftp://host': the scheme must be http or https"),
        ("http://", "bad URL 'http://': no host"),
        ("http://host:99999", "bad URL 'http://host:99999': port 99999 is out of range"),
        ("http://host:9090/?x=1", "bad URL 'http://host:9090/?x=1': a server URL takes no query or fragment"),
        ("http://me:secret@host", "bad URL 'host…': credentials in the URL are not accepted, use --basic-auth-user and --basic-auth-password-file"),
    ])
    func badServerURLsAreOneClearLine(input: String, message: String) {
        #expect(throws: ConfigurationError(message)) { try ConnectionOptions.parseBaseURL(input) }
    }

    @Test func headersParseAndBadOnesAreRejected() throws {
        #expect(try HeaderField.parse("X-Scope-OrgID: team-a") == HeaderField(name: "X-Scope-OrgID", value: "team-a"))
        #expect(try HeaderField.parse("A:b:c") == HeaderField(name: "A", value: "b:c"))
        #expect(throws: ConfigurationError("bad --header (8 characters, not shown): expected 'Name: value'")) { try HeaderField.parse("no colon") }
        #expect(throws: ConfigurationError.self) { try HeaderField.parse("Bad Name: x") }
        #expect(throws: ConfigurationError.self) { try HeaderField.parse("X: a\u{0}b") }
    }

    @Test func secretsComeFromFilesAndVariables() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("token", "s3cret\n")
        #expect(try SecretSource.file(file.path).resolve(what: "bearer token") == "s3cret")
        #expect(try SecretSource.environment("TOKEN").resolve(what: "bearer token", environment: ["TOKEN": "abc"]) == "abc")
        #expect(throws: ConfigurationError("/nonexistent/token: cannot read the bearer token file: No such file or directory")) {
            try SecretSource.file("/nonexistent/token").resolve(what: "bearer token")
        }
        let empty = try dir.write("empty", "\n")
        #expect(throws: ConfigurationError("bearer token file '\(empty.path)' is empty")) {
            try SecretSource.file(empty.path).resolve(what: "bearer token")
        }
        #expect(throws: ConfigurationError("bearer token environment variable TOKEN is not set or empty")) {
            try SecretSource.environment("TOKEN").resolve(what: "bearer token", environment: [:])
        }
    }

    @Test func proxiesFollowTheEnvironmentAndNoProxy() throws {
        let http = try ConnectionOptions.parseBaseURL("http://prom.internal:9090")
        let https = try ConnectionOptions.parseBaseURL("https://prom.internal")
        #expect(try ProxySetting.fromEnvironment(for: http, environment: [:]) == nil)
        #expect(try ProxySetting.fromEnvironment(for: http, environment: ["http_proxy": "proxy:8080"])
            == ProxySetting(host: "proxy", port: 8080, username: nil, password: nil))
        #expect(try ProxySetting.fromEnvironment(for: https, environment: ["HTTPS_PROXY": "http://u:p%40ss@proxy:3128"])
            == ProxySetting(host: "proxy", port: 3128, username: "u", password: "p@ss"))
        #expect(try ProxySetting.fromEnvironment(for: https, environment: ["HTTP_PROXY": "http://proxy:1"]) == nil)
        for noProxy in ["prom.internal", ".internal", "internal", "*", "other, prom.internal:9090"] {
            #expect(try ProxySetting.fromEnvironment(
                for: http, environment: ["HTTP_PROXY": "proxy:8080", "NO_PROXY": noProxy]) == nil, "\(noProxy)")
        }
        #expect(try ProxySetting.fromEnvironment(
            for: http, environment: ["HTTP_PROXY": "proxy:8080", "NO_PROXY": "ternal"]) != nil)
    }

    @Test func tlsFilesThatCannotBeLoadedNameTheFile() throws {
        func client(_ tls: TLSOptions) throws {
            let client = try PrometheusClient(options: ConnectionOptions(
                baseURL: try ConnectionOptions.parseBaseURL("https://host"), tls: tls))
            Task { await client.shutdown() }
        }
        #expect(throws: ConfigurationError("cannot load --ca-file '/nonexistent/ca.pem': No such file or directory")) {
            try client(TLSOptions(caFile: "/nonexistent/ca.pem"))
        }
        #expect(throws: ConfigurationError("--cert-file and --key-file go together: give both or neither")) {
            try client(TLSOptions(certFile: "/tmp/cert.pem"))
        }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let notPEM = try dir.write("ca.pem", "hello")
        #expect {
            try client(TLSOptions(caFile: notPEM.path))
        } throws: { error in
            (error as? ConfigurationError)?.message.hasPrefix("cannot load --ca-file '\(notPEM.path)': ") == true
        }
    }
}
