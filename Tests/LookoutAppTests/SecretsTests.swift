import Foundation
import LookoutApp
import PrometheusAPI
import SafeText
import Testing
import TestSupport

/// Secrets never echoed: URLs with passwords in every error, token files of more than one line, credentials inline
/// in the config, files others can read (issue "hostile input, third round").
@Suite("Secrets are never echoed")
struct SecretsTests {
    static func secret() -> String { "S3CRET\(UInt32.random(in: 100_000...999_999))PW" }

    static func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as ConfigurationError {
            return error.message
        } catch let error as ConfigFileError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test("a bad URL with a password never shows the password", arguments: [
        "http://user:%@127.0.0.1:70000", "ftp://user:%@host", "http://user:%@host?x=1", "http://user:%@",
        "user:%@host:99999", "http://user:%@host:9090",
    ])
    func badURLs(_ template: String) throws {
        let secret = Self.secret()
        let typed = template.replacingOccurrences(of: "%", with: secret)
        var settings = ConnectionSettings()
        settings.url = typed
        let flag = try #require(Self.message { _ = try settings.resolve(environment: [:]) })
        #expect(!flag.contains(secret), "\(flag)")
        #expect(flag.contains("bad URL") && flag.contains("(from --url)"), "\(flag)")
        // The same through LOOKOUT_URL.
        let env = try #require(Self.message { _ = try ConnectionSettings().resolve(environment: ["LOOKOUT_URL": typed]) })
        #expect(!env.contains(secret) && env.contains("LOOKOUT_URL"), "\(env)")
    }

    @Test func aBadProxyNeverShowsItsPassword() throws {
        let secret = Self.secret()
        var settings = ConnectionSettings()
        settings.url = "http://127.0.0.1:9090"
        let message = try #require(Self.message { _ = try settings.resolve(environment: ["HTTP_PROXY": "http://puser:\(secret)@"]) })
        #expect(message.contains("bad HTTP_PROXY 'http://puser:***@'"), "\(message)")
        #expect(!message.contains(secret))
    }

    @Test func aBadHeaderNeverShowsItsValue() throws {
        let secret = Self.secret()
        var settings = ConnectionSettings()
        settings.url = "http://127.0.0.1:9090"
        settings.headers = ["X-Api-Key \(secret)"]
        let missingColon = try #require(Self.message { _ = try settings.resolve(environment: [:]) })
        #expect(!missingColon.contains(secret) && missingColon.contains("expected 'Name: value'"), "\(missingColon)")
        settings.headers = ["X Api Key: \(secret)"]
        let badName = try #require(Self.message { _ = try settings.resolve(environment: [:]) })
        #expect(!badName.contains(secret) && badName.contains("is not a header name"), "\(badName)")
    }

    @Test func aTokenFileOfTwoLinesIsRefusedByName() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let secret = Self.secret()
        let file = try dir.write("token", "tok\(secret)\n# prod token, rotate monthly\n")
        var settings = ConnectionSettings()
        settings.url = "http://127.0.0.1:9090"
        settings.bearerTokenFile = file.path
        let message = try #require(Self.message { _ = try settings.resolve(environment: [:]) })
        #expect(message == "bearer token file '\(file.path)' must hold the secret alone on one line (it has more than one)")
        // One trailing line break, LF or CRLF, as editors write it, is fine; the token is then hidden everywhere.
        for ending in ["\n", "\r\n", ""] {
            let good = try dir.write("good", "tok\(secret)\(ending)")
            settings.bearerTokenFile = good.path
            let options = try settings.resolve(environment: [:])
            #expect(options.authorization == .bearer(token: "tok\(secret)"))
        }
        #expect(SafeText.clip("the server said tok\(secret)", 200) == "the server said ***")
    }

    @Test func theConfigRefusesCredentialHeadersInline() throws {
        for name in ["Authorization", "Cookie", "X-Api-Key"] {
            let yaml = "contexts:\n  - name: a\n    url: http://x\n    headers: {\(name): \"Bearer abc\"}\n"
            let message = try #require(Self.message { _ = try LookoutConfig.parse(yaml: yaml, source: "c.yaml") })
            #expect(message.hasPrefix("c.yaml:4:") && message.contains("a credential is not taken inline"), "\(message)")
            #expect(!message.contains("abc"))
        }
        // X-Scope-OrgID names a tenant: it stays inline.
        let tenant = try LookoutConfig.parse(yaml: "contexts:\n  - name: a\n    url: http://x\n    headers: {X-Scope-OrgID: team-a}\n", source: "c")
        #expect(tenant.contexts[0].connection.headers == ["X-Scope-OrgID: team-a"])
    }

    @Test func aCredentialHeaderComesFromAFileOrAVariable() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let secret = Self.secret()
        let key = try dir.write("key", "\(secret)\n")
        chmod(key.path, 0o600)
        let yaml = "contexts:\n  - name: a\n    url: http://x\n    headers: {X-Api-Key: {file: \(key.path)}, Cookie: {env: LOOKOUT_TEST_COOKIE}}\n"
        let config = try LookoutConfig.parse(yaml: yaml, source: "c.yaml")
        let connection = config.contexts[0].connection
        #expect(connection.secretHeaders == [SecretHeader(name: "X-Api-Key", source: .file(key.path)), SecretHeader(name: "Cookie", source: .environment("LOOKOUT_TEST_COOKIE"))])
        let options = try connection.resolve(environment: ["LOOKOUT_TEST_COOKIE": "session=\(secret)x"])
        #expect(options.headers.contains(HeaderField(name: "X-Api-Key", value: secret)))
        #expect(options.headers.contains(HeaderField(name: "Cookie", value: "session=\(secret)x")))
        // config view names the file and the variable, never the value, and reads back the same.
        let view = config.yaml()
        #expect(view.contains("X-Api-Key\": {file: ") || view.contains("X-Api-Key: {file: "), "\(view)")
        #expect(!view.contains(secret))
        #expect(try LookoutConfig.parse(yaml: view, source: "view").contexts == config.contexts)
    }

    @Test func configViewHidesAURLsPassword() throws {
        let secret = Self.secret()
        let config = try LookoutConfig.parse(yaml: "contexts:\n  - name: a\n    url: http://user:\(secret)@x:9090\n", source: "c")
        let view = config.yaml()
        #expect(!view.contains(secret) && view.contains("user:***@x:9090"), "\(view)")
    }

    @Test func secretFilesNamedByFlagsGetTheModeWarning() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let token = try dir.write("token", "abc\n")
        chmod(token.path, 0o644)
        var flags = ConnectionSettings()
        flags.url = "http://127.0.0.1:9090"
        flags.bearerTokenFile = token.path
        var warnings: [String] = []
        _ = try ContextChoice.choose(
            flags: flags, alertmanagerFlags: [], configFlag: nil, contextFlag: nil,
            environment: ["HOME": dir.url.path, "XDG_CONFIG_HOME": dir.url.path], warn: { warnings.append($0) })
        #expect(warnings == ["warning: the --bearer-token-file \(token.path) can be read by other users (mode 0644): chmod 600 it"])
        chmod(token.path, 0o600)
        warnings = []
        _ = try ContextChoice.choose(
            flags: flags, alertmanagerFlags: [], configFlag: nil, contextFlag: nil,
            environment: ["HOME": dir.url.path, "XDG_CONFIG_HOME": dir.url.path], warn: { warnings.append($0) })
        #expect(warnings.isEmpty)
    }
}

/// A broken proxy answering far more points than asked (issue "hostile input, third round"): a series keeps at most
/// what was asked, the rest dropped and said once; the JSON snapshot stays small.
@Suite("Points bounded by what was asked", .timeLimit(.minutes(2)))
struct BoundedPointsTests {
    /// Every range query answered with one series per service of `count` points a second apart, ending at `end`.
    static func flood(count: Int) -> ScriptedTransport.Handler {
        { request in
            guard request.path.hasSuffix("/query_range") else { return ScriptedAnswers.answer(request, value: "1") }
            let end = Int(request.field("end").flatMap(Double.init) ?? 0)
            var body = #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"service":"payment-service"},"values":["#
            body.reserveCapacity(count * 24)
            for i in 0..<count {
                if i > 0 { body += "," }
                body += "[\(end - count + 1 + i),\"1.5\"]"
            }
            body += "]}]}}"
            return .json(body)
        }
    }

    @Test func aSeriesKeepsAtMostWhatWasAsked() async throws {
        let transport = ScriptedTransport(Self.flood(count: 200_000))
        let client = PrometheusClient(options: ConnectionOptions(baseURL: try #require(URL(string: "http://prometheus.test"))), transport: transport)
        let range = QueryRange.aligned(last: 3600, now: Date(timeIntervalSince1970: 1_764_000_000), points: 60)
        let answer = try await client.queryRange("x", range: range)
        let points = answer.data.streams.first?.values ?? []
        #expect(points.count == 61, "range / step + 1")
        #expect(points.last?.timestamp == Double(Int(range.end.timeIntervalSince1970)), "the newest are kept")
        #expect(answer.warnings.filter { $0.contains("points more than the 61 per series asked for") }.count == 1, "\(answer.warnings)")
        await client.shutdown()
    }

    @Test func theJSONSnapshotOfAFloodIsSmall() async throws {
        // Enough to matter (the old snapshot wrote every point: megabytes), few enough for a debug build to decode quickly.
        let transport = ScriptedTransport(Self.flood(count: 300_000))
        let client = PrometheusClient(options: ConnectionOptions(baseURL: try #require(URL(string: "http://prometheus.test"))), transport: transport)
        let snapshot = await Snapshot.take(client: client, dashboard: .microservices, rangeSeconds: 3600, now: Date(timeIntervalSince1970: 1_764_000_000))
        let json = try snapshot.json()
        #expect(json.utf8.count < 1 << 20, "\(json.utf8.count) bytes")
        #expect(json.contains("per series asked for"))
        await client.shutdown()
    }
}
