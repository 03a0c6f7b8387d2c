import Foundation
import PrometheusAPI
import Testing
import TestSupport

/// The client against stub servers on loopback: what it sends, and how it reports what comes back.
@Suite("PrometheusClient over HTTP")
struct ClientTests {
    static let emptyVector = #"{"status":"success","data":{"resultType":"vector","result":[]}}"#

    /// Runs `body` with a stub server that answers `behaviour` (and records what it was asked), and stops it after.
    func withStub<T>(
        _ behaviour: @escaping @Sendable (AdversarialServer.Request) -> AdversarialServer.Behaviour = { _ in .json(ClientTests.emptyVector) },
        _ body: (AdversarialServer) async throws -> T
    ) async throws -> T {
        let server = try AdversarialServer(behaviour)
        defer { server.stop() }
        return try await body(server)
    }

    @Test func queriesArePostedAsFormsUnderThePathPrefixWithAuthAndExtraHeaders() async throws {
        let request = try await withStub { server in
            var options = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(server.url + "/prometheus/"))
            options.authorization = .bearer(token: "t0ken")
            options.headers = [try HeaderField.parse("X-Scope-OrgID: team-a")]
            try await withPrometheusClient(options) { client in
                let expr = #"sum(rate(http_requests_total{status_code=~"4..|5.."}[5m])) by (service)"#
                _ = try await client.query(expr, at: Date(timeIntervalSince1970: 1_700_000_000.5))
            }
            return try #require(server.requests.last)
        }
        #expect(request.method == "POST")
        #expect(request.path == "/prometheus/api/v1/query")
        #expect(request.headers["authorization"] == "Bearer t0ken")
        #expect(request.headers["x-scope-orgid"] == "team-a")
        #expect(request.headers["content-type"] == "application/x-www-form-urlencoded")
        let form = Dictionary(uniqueKeysWithValues: request.body.split(separator: "&").map {
            let parts = $0.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        })
        #expect(form["query"] == #"sum(rate(http_requests_total{status_code=~"4..|5.."}[5m])) by (service)"#)
        #expect(form["time"] == "1700000000.500")
    }

    @Test func aRangeQuerySendsStartEndAndStep() async throws {
        let matrix = #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"service":"a"},"values":[[1700000000,"1"],[1700000060,"2"]]}]}}"#
        let (result, request) = try await withStub({ _ in .json(matrix) }) { server in
            var options = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(server.url))
            options.authorization = .basic(username: "oncall", password: "p@ss:word")
            let result = try await withPrometheusClient(options) { client in
                try await client.queryRange("up", range: QueryRange(last: 3600, end: Date(timeIntervalSince1970: 1_700_003_600), points: 60))
            }
            return (result, try #require(server.requests.last))
        }
        #expect(result.data.streams.first?.values.map(\.value) == [1, 2])
        #expect(request.path == "/api/v1/query_range")
        #expect(request.body == "query=up&start=1700000000&end=1700003600&step=60")
        #expect(request.headers["authorization"] == "Basic " + Data("oncall:p@ss:word".utf8).base64EncodedString())
    }

    @Test func anHTMLErrorPageFromAProxyIsReportedWithItsStatusAndFirstLine() async throws {
        let page = Array("<html><title>502 Bad Gateway</title>\n<body>nginx</body></html>".utf8)
        try await withStub({ _ in .respond(status: 502, headers: ["Content-Type": "text/html"], body: page) }) { server in
            try await withPrometheusClient(ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(server.url))) { client in
                let error = await #expect(throws: PrometheusError.self) { _ = try await client.query("up") }
                #expect(error?.description == "HTTP 502 Bad Gateway from \(server.url)/api/v1/query, not a Prometheus API answer (body: <html><title>502 Bad Gateway</title>)")
                #expect(error?.isConnectionFailure == true)
            }
        }
    }

    @Test func aServerThatDoesNotAnswerTimesOut() async throws {
        try await withStub({ _ in .hang }) { server in
            var options = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(server.url))
            options.timeout = .milliseconds(300)
            try await withPrometheusClient(options) { client in
                // The stub never answers: a timeout error (not a hang) shows the limit was applied.
                let error = await #expect(throws: PrometheusError.self) { _ = try await client.buildInfo() }
                #expect(error == .timeout(url: "\(server.url)/api/v1/status/buildinfo", seconds: 0.3))
                #expect(error?.description == "no answer from \(server.url)/api/v1/status/buildinfo within 0.3 s")
            }
        }
    }

    @Test func aRefusedConnectionIsReportedAtOnceWithTheURL() async throws {
        let port = try FreePort.allocate()
        // With a 60 s limit, an answer well before it shows the client did not retry the refused connection until
        // the deadline (AsyncHTTPClient's default).
        var options = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL("127.0.0.1:\(port)"))
        options.timeout = .seconds(60)
        try await withPrometheusClient(options) { client in
            let start = ContinuousClock.now
            let error = await #expect(throws: PrometheusError.self) { _ = try await client.alerts() }
            #expect(error == .transport(url: "http://127.0.0.1:\(port)/api/v1/alerts", reason: "connection refused"))
            #expect(ContinuousClock.now - start < .seconds(30))
        }
    }

    @Test func anUnresolvableHostIsATransportError() async throws {
        let options = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL("http://no-such-host.invalid:9090"))
        try await withPrometheusClient(options) { client in
            let error = await #expect(throws: PrometheusError.self) { _ = try await client.buildInfo() }
            guard case .transport(let url, _) = error else {
                Issue.record("expected a transport error, got \(String(describing: error))")
                return
            }
            #expect(url == "http://no-such-host.invalid:9090/api/v1/status/buildinfo")
            #expect(error?.description.hasPrefix("cannot reach http://no-such-host.invalid:9090/api/v1/status/buildinfo: ") == true)
        }
    }

    @Test func theHTTPProxyFromTheEnvironmentIsUsed() async throws {
        // A request for a host that does not resolve can only be answered through the proxy.
        let request = try await withStub { upstream in
            let proxy = try TestConnectProxy(upstreamPort: upstream.port)
            defer { proxy.stop() }
            let base = try ConnectionOptions.parseBaseURL("http://prometheus.invalid:9090")
            var options = ConnectionOptions(baseURL: base)
            options.proxy = try ProxySetting.fromEnvironment(
                for: base, environment: ["HTTP_PROXY": "http://127.0.0.1:\(proxy.port)"])
            try await withPrometheusClient(options) { client in
                let result = try await client.query("up")
                #expect(result.data == .vector([]))
            }
            #expect(proxy.requestedAuthorities == ["prometheus.invalid:9090"])
            return try #require(upstream.requests.last)
        }
        #expect(request.path == "/api/v1/query")
    }
}
