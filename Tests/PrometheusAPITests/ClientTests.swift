import Foundation
import Hummingbird
import PrometheusAPI
import Synchronization
import Testing
import TestSupport

/// The client against stub servers on loopback: what it sends, and how it reports what comes back.
@Suite("PrometheusClient over HTTP")
struct ClientTests {
    /// What the stub saw of the last request.
    final class Seen: Sendable {
        let value = Mutex<(method: String, path: String, headers: [String: String], body: String)?>(nil)
    }

    static let emptyVector = #"{"status":"success","data":{"resultType":"vector","result":[]}}"#

    func recordingRouter(_ seen: Seen, answer: String = emptyVector) -> Router<BasicRequestContext> {
        let router = Router()
        router.on("**", method: .post, use: record(seen, answer))
        router.on("**", method: .get, use: record(seen, answer))
        return router
    }

    func record(_ seen: Seen, _ answer: String) -> @Sendable (Request, BasicRequestContext) async throws -> Response {
        { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            seen.value.withLock {
                $0 = (request.method.rawValue, request.uri.path, headers, String(buffer: body))
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: answer)))
        }
    }

    @Test func queriesArePostedAsFormsUnderThePathPrefixWithAuthAndExtraHeaders() async throws {
        let seen = Seen()
        try await withTestHTTPServer(recordingRouter(seen)) { server in
            var options = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(server.baseURL + "/prometheus/"))
            options.authorization = .bearer(token: "t0ken")
            options.headers = [try HeaderField.parse("X-Scope-OrgID: team-a")]
            try await withPrometheusClient(options) { client in
                let expr = #"sum(rate(http_requests_total{status_code=~"4..|5.."}[5m])) by (service)"#
                _ = try await client.query(expr, at: Date(timeIntervalSince1970: 1_700_000_000.5))
            }
        }
        let request = try #require(seen.value.withLock { $0 })
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
        let seen = Seen()
        let matrix = #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"service":"a"},"values":[[1700000000,"1"],[1700000060,"2"]]}]}}"#
        let result = try await withTestHTTPServer(recordingRouter(seen, answer: matrix)) { server in
            var options = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(server.baseURL))
            options.authorization = .basic(username: "oncall", password: "p@ss:word")
            return try await withPrometheusClient(options) { client in
                try await client.queryRange("up", range: QueryRange(last: 3600, end: Date(timeIntervalSince1970: 1_700_003_600), points: 60))
            }
        }
        #expect(result.data.streams.first?.values.map(\.value) == [1, 2])
        let request = try #require(seen.value.withLock { $0 })
        #expect(request.path == "/api/v1/query_range")
        #expect(request.body == "query=up&start=1700000000&end=1700003600&step=60")
        #expect(request.headers["authorization"] == "Basic " + Data("oncall:p@ss:word".utf8).base64EncodedString())
    }

    @Test func anHTMLErrorPageFromAProxyIsReportedWithItsStatusAndFirstLine() async throws {
        let router = Router()
        router.post("**") { _, _ in
            Response(
                status: .badGateway, headers: [.contentType: "text/html"],
                body: .init(byteBuffer: ByteBuffer(string: "<html><title>502 Bad Gateway</title>\n<body>nginx</body></html>")))
        }
        try await withTestHTTPServer(router) { server in
            try await withPrometheusClient(ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(server.baseURL))) { client in
                let error = await #expect(throws: PrometheusError.self) { _ = try await client.query("up") }
                #expect(error?.description == "HTTP 502 Bad Gateway from \(server.baseURL)/api/v1/query, not a Prometheus API answer (body: <html><title>502 Bad Gateway</title>)")
                #expect(error?.isConnectionFailure == true)
            }
        }
    }

    @Test func aServerThatDoesNotAnswerTimesOut() async throws {
        let router = Router()
        router.get("**") { _, _ -> Response in
            try await Task.sleep(for: .seconds(5))
            return Response(status: .ok)
        }
        try await withTestHTTPServer(router) { server in
            var options = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(server.baseURL))
            options.timeout = .milliseconds(300)
            try await withPrometheusClient(options) { client in
                // The stub answers after 5 s: a timeout error (not an answer) shows the limit was applied.
                let error = await #expect(throws: PrometheusError.self) { _ = try await client.buildInfo() }
                #expect(error == .timeout(url: "\(server.baseURL)/api/v1/status/buildinfo", seconds: 0.3))
                #expect(error?.description == "no answer from \(server.baseURL)/api/v1/status/buildinfo within 0.3 s")
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
        let seen = Seen()
        try await withTestHTTPServer(recordingRouter(seen)) { upstream in
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
        }
        let request = try #require(seen.value.withLock { $0 })
        #expect(request.path == "/api/v1/query")
    }
}
